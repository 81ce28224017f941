"""Running a portfolio on the experiment engine, and its results.

A portfolio's run is a design of the one engine (:mod:`sim.experiment.engine`): rows are
replications 0..N-1, each computing every zone (:func:`~sim.portfolio.replication.run_portfolio_chunk`),
in the engine's chunks, on its executors, with its store (a results folder's chunk store makes a
run resumable) and its progress bar. So 1 worker and 2 workers, or any chunking, give the same
bytes. :class:`PortfolioResults` holds every zone's replications and the joint tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from sim.analysis.monthly import fan_table
from sim.analysis.targets import target_specs
from sim.chunks import MemoryStore, Store
from sim.experiment import engine
from sim.experiment.executors import Executor, LocalExecutor
from sim.experiment.replication import Indicators, layout, yearly_names
from sim.portfolio import joint
from sim.portfolio.file import Portfolio
from sim.portfolio.replication import run_portfolio_chunk, zone_seeds
from sim.scenario.schema import Scenario


@dataclass
class PortfolioDesign(engine.Design):
    """Replications 0..N-1 of every zone of a portfolio (root seed ``root``), one row per replication."""

    scenarios: list[Scenario] = field(default_factory=list)
    root: int = 0

    def runner(self):
        return run_portfolio_chunk

    def task(self, start: int, stop: int) -> tuple:
        return self.scenarios, self.root, self.rep[start:stop], self.outputs.ranking, start, stop


def design(pf: Portfolio, reps: int, seed: int, chunk_size: int = engine.CHUNK_SIZE) -> PortfolioDesign:
    scs = [z.scenario for z in pf.zones]
    return PortfolioDesign(
        bases=list(scs),
        points=[engine.Point(0, int(seed))],
        point=np.zeros(reps, int),
        rep=np.arange(reps),
        outputs=engine.Outputs(),
        chunk_size=chunk_size,
        scenarios=scs,
        root=int(seed),
    )


def identity(pf: Portfolio, seed: int, chunk_size: int = engine.CHUNK_SIZE) -> dict:
    """What a portfolio's chunk store belongs to (``run.json``)."""
    return {
        "portfolio_sha256": pf.sha256,
        "seed": int(seed),
        "chunk_size": chunk_size,
        "zones": pf.keys,
        "indicators": [n for z in pf.zones for n in layout(z.scenario).names],
    }


def run(
    pf: Portfolio,
    reps: int,
    seed: int,
    executor: Executor | None = None,
    progress: bool | None = False,
    store: Store | None = None,
    chunk_size: int = engine.CHUNK_SIZE,
) -> PortfolioResults:
    """Replications 0..reps-1 of every zone of ``pf`` under shared shocks (root seed ``seed``)."""
    d = design(pf, reps, seed, chunk_size)
    store = store if store is not None else MemoryStore()
    ev = engine.evaluate(d, executor or LocalExecutor(), progress, store)
    lays = [layout(z.scenario) for z in pf.zones]
    ny = [len(yearly_names(z.scenario, lay, True)) for z, lay in zip(pf.zones, lays, strict=True)]
    nm = [len(lay.monthly_names) for lay in lays]
    years, months = lays[0].years, lays[0].months
    yearly = np.empty((reps, len(years), sum(ny)))
    monthly = np.empty((reps, months, sum(nm)))
    for a, b in ev.chunks:
        ch = store.load(a, b)
        yearly[a:b], monthly[a:b] = ch.yearly, ch.monthly
    zones = []
    oy = om = 0
    for z, lay, n_y, n_m in zip(pf.zones, lays, ny, nm, strict=True):
        zones.append(
            Indicators(
                reps=np.arange(reps),
                years=years,
                names=yearly_names(z.scenario, lay, True),
                values=np.ascontiguousarray(yearly[:, :, oy : oy + n_y]),
                monthly_names=lay.monthly_names,
                monthly=np.ascontiguousarray(monthly[:, :, om : om + n_m]),
            )
        )
        oy, om = oy + n_y, om + n_m
    return PortfolioResults(pf, int(seed), reps, zones, store)


@dataclass(eq=False)
class PortfolioResults:
    """Every zone's replications (``zones[k]``: the arrays of zone k, rows aligned across zones)
    and the joint tables. ``seeds[k]`` is zone k's own root seed."""

    portfolio: Portfolio
    seed: int
    reps: int
    zones: list[Indicators]
    chunks: Store = field(repr=False, default_factory=MemoryStore)

    @property
    def seeds(self) -> list[int]:
        return zone_seeds(self.seed, len(self.zones))

    @property
    def years(self) -> list[int]:
        return self.portfolio.years

    @cached_property
    def outcomes(self) -> list[joint.ZoneOutcomes]:
        out = []
        for z, ind in zip(self.portfolio.zones, self.zones, strict=True):
            sc = z.scenario
            out.append(
                joint.ZoneOutcomes(
                    key=z.name,
                    name_zh=sc.scenario.zone_zh or sc.scenario.zone,
                    name_en=sc.scenario.zone,
                    targets=target_specs(sc),
                    column=ind.column,
                    reference_rank=sc.ranking.reference_rank if sc.ranking is not None else None,
                )
            )
        return out

    @property
    def joint(self) -> pd.DataFrame:
        """portfolio.csv (:func:`sim.portfolio.joint.joint_table`)."""
        return joint.joint_table(self.outcomes, self.years, self.portfolio.targets)

    @property
    def totals(self) -> pd.DataFrame:
        """province_totals.csv: the zones' totals (trade and each province target's indicator)."""
        inds = list(dict.fromkeys([joint.TRADE, *(t.indicator for t in self.portfolio.targets)]))
        return joint.totals_table(self.outcomes, self.years, inds)

    @property
    def misses(self) -> pd.DataFrame:
        return joint.miss_table(self.outcomes, self.years, self.portfolio.targets)

    @property
    def correlation(self) -> pd.DataFrame:
        tables = [joint.correlation_table(self.outcomes, self.years, joint.TRADE)]
        if all(z.scenario.ranking is not None for z in self.portfolio.zones):
            tables.append(joint.correlation_table(self.outcomes, self.years, joint.RANK))
        return pd.concat(tables, ignore_index=True)

    @property
    def monthly_total(self) -> pd.DataFrame:
        """province_monthly.csv: month-by-month quantiles of the zones' total trade, year to date."""
        total = np.sum([ind.series(joint.TRADE) for ind in self.zones], axis=0)
        start = self.portfolio.zones[0].scenario.run.start
        return fan_table(lambda _: total, [joint.TRADE], start)
