"""A portfolio's results: every zone's replications, the joint tables, and the folder they are saved to.

``<out>/<zone>/`` is the zone's results folder as ``run`` writes it (summary.csv, indicators.csv,
ranking.csv, ..., its own meeting pack), its ``manifest.json`` naming the zone's own seed and the
portfolio it ran in. ``<out>/`` holds the joint tables (:mod:`sim.portfolio.joint`):
``portfolio.csv``, ``zone_targets.csv``, ``province_totals.csv``, ``province_monthly.csv``,
``zone_misses.csv``, ``correlation.csv``, with ``manifest.json`` and the portfolio's ``report/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import tomli_w

from sim import store
from sim.analysis.monthly import fan_table
from sim.analysis.targets import target_specs
from sim.chunks import MemoryStore, Store
from sim.experiment.replication import Indicators
from sim.portfolio import joint
from sim.portfolio.file import Portfolio
from sim.portfolio.replication import zone_seeds
from sim.report.province import build_province_pack
from sim.results import Results
from sim.results.files import SUMMARY_REQUIRED


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
                    reference_rank=sc.ranking.reference_rank_in if sc.ranking is not None else None,
                )
            )
        return out

    def zone_summary(self, k: int) -> pd.DataFrame:
        """Zone k's summary.csv (its targets' P(hit) with intervals; its rank among the portfolio's zones and peers)."""
        return zone_results(self, k).summary

    @property
    def events(self) -> list[tuple[int, str, float, np.ndarray]]:
        """Every joint event's hits per replication (:func:`sim.portfolio.joint.events`)."""
        return joint.events(self.outcomes, self.years, self.portfolio.targets)

    def difference(self, base: PortfolioResults) -> pd.DataFrame:
        """Paired differences of the joint events from ``base`` (same seed and replications)."""
        if (base.seed, base.reps) != (self.seed, self.reps):
            raise ValueError("paired differences need the same seed and replications")
        return joint.compare_table(base.events, self.events, (base.portfolio.name, self.portfolio.name))

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

    def save(self, folder: str | Path, pack: bool = False, say: Callable[[str], None] | None = None) -> Path:
        """Write the portfolio's results folder (:func:`save`)."""
        return save(self, folder, pack, say)

    @property
    def monthly_total(self) -> pd.DataFrame:
        """province_monthly.csv: month-by-month quantiles of the zones' total trade, year to date."""
        total = np.sum([ind.series(joint.TRADE) for ind in self.zones], axis=0)
        start = self.portfolio.zones[0].scenario.run.start
        return fan_table(lambda _: total, [joint.TRADE], start)


TABLES = ("portfolio", "zone_targets", "province_totals", "province_monthly", "zone_misses", "correlation")
"""The joint tables of a portfolio folder (``<name>.csv``)."""


def zone_results(res: PortfolioResults, k: int) -> Results:
    """Zone k's replications as a :class:`Results` (its own seed)."""
    return Results(res.portfolio.zones[k], res.seeds[k], res.reps, res.zones[k], MemoryStore(), True)


def zone_targets(res: PortfolioResults) -> pd.DataFrame:
    """zone_targets.csv: every zone's targets with P(hit) and its interval (each zone's summary.csv, stacked)."""
    parts = []
    for k, z in enumerate(res.portfolio.zones):
        s = zone_results(res, k).summary
        s = s[SUMMARY_REQUIRED]
        parts.append(s.assign(zone=z.name).set_index("zone").reset_index())
    return pd.concat(parts, ignore_index=True)


def tables(res: PortfolioResults) -> dict[str, pd.DataFrame]:
    return {
        "portfolio": res.joint,
        "zone_targets": zone_targets(res),
        "province_totals": res.totals,
        "province_monthly": res.monthly_total,
        "zone_misses": res.misses,
        "correlation": res.correlation,
    }


def save(
    res: PortfolioResults, folder: str | Path, pack: bool = False, say: Callable[[str], None] | None = None
) -> Path:
    """Write the portfolio's results folder (and with ``pack`` every zone's meeting pack and the
    province pack, zh and en)."""
    say = say or (lambda line: None)
    out = Path(folder)
    pf = res.portfolio
    for k, z in enumerate(pf.zones):
        sub = out / z.name
        zone_results(res, k).save(sub, pack=pack, progress=say)
        man = json.loads((sub / "manifest.json").read_text(encoding="utf-8"))
        man["portfolio"] = {
            "file": str(pf.path),
            "seed": res.seed,
            "zone_index": k,
            "note": (
                f"zone {k} of portfolio {pf.name}: its own seed is the portfolio's + {k}; the shared shocks "
                f"and the national peers are the portfolio's (seed {res.seed}), and its rank is among the "
                "portfolio's zones and peers"
            ),
        }
        store.write_json(sub / "manifest.json", man)
    for name, df in tables(res).items():
        store.atomic_write_csv(out / f"{name}.csv", df)
    man = store.manifest(
        scenario_name=pf.name,
        scenario_file=str(pf.path),
        sha256=pf.sha256,
        seed=res.seed,
        reps=res.reps,
        resolved=pf.resolved,
        warnings=[],
        extra={
            "portfolio": {
                "name_zh": pf.name_zh,
                "name_en": pf.name_en,
                "zones": pf.keys,
                "zone_seeds": res.seeds,
                "years": pf.years,
                "targets": [{"indicator": t.indicator, "year": t.year, "threshold": t.threshold} for t in pf.targets],
                "shared": "macro trade index, commodity prices, disruption spells (their parameters and paths), "
                "national peer population",
            }
        },
    )
    store.write_json(out / "manifest.json", man)
    store.atomic_write_text(
        out / "portfolio.resolved.toml", f"# {pf.name}: the portfolio file as read\n" + tomli_w.dumps(pf.resolved)
    )
    if pack:
        say("\nbuilding the province pack (zh, en) ...")
        build_province_pack(out)
        say(f"province pack: {out / 'report'}/")
    return out
