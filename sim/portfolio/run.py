"""Running a portfolio on the experiment engine, and its results.

A portfolio's run is a design of the one engine (:mod:`sim.experiment.engine`): rows are
replications 0..N-1, each computing every zone (:func:`~sim.portfolio.replication.run_portfolio_chunk`),
in the engine's chunks, on its executors, with its store (a results folder's chunk store makes a
run resumable) and its progress bar. So 1 worker and 2 workers, or any chunking, give the same
bytes. :class:`PortfolioResults` holds every zone's replications and the joint tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.chunks import MemoryStore, Store
from sim.experiment import engine
from sim.experiment.executors import Executor, LocalExecutor
from sim.experiment.replication import Indicators, layout, yearly_names
from sim.portfolio.file import Portfolio
from sim.portfolio.replication import run_portfolio_chunk
from sim.portfolio.results import PortfolioResults
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


def design(
    pf: Portfolio, reps: int, seed: int, chunk_size: int = engine.CHUNK_SIZE, ranking: bool = True
) -> PortfolioDesign:
    scs = [z.scenario for z in pf.zones]
    return PortfolioDesign(
        bases=list(scs),
        points=[engine.Point(0, int(seed))],
        point=np.zeros(reps, int),
        rep=np.arange(reps),
        outputs=engine.Outputs(ranking=ranking),
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
    ranking: bool = True,
) -> PortfolioResults:
    """Replications 0..reps-1 of every zone of ``pf`` under shared shocks (root seed ``seed``);
    ``ranking`` False leaves the national evaluation out (faster, for studies of the zones' own outcomes)."""
    d = design(pf, reps, seed, chunk_size, ranking)
    store = store if store is not None else MemoryStore()
    ev = engine.evaluate(d, executor or LocalExecutor(), progress, store)
    lays = [layout(z.scenario) for z in pf.zones]
    ny = [len(yearly_names(z.scenario, lay, ranking)) for z, lay in zip(pf.zones, lays, strict=True)]
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
                names=yearly_names(z.scenario, lay, ranking),
                values=np.ascontiguousarray(yearly[:, :, oy : oy + n_y]),
                monthly_names=lay.monthly_names,
                monthly=np.ascontiguousarray(monthly[:, :, om : om + n_m]),
            )
        )
        oy, om = oy + n_y, om + n_m
    return PortfolioResults(pf, int(seed), reps, zones, store)
