"""A portfolio's results folder: every zone's usual folder, the joint tables, the province pack.

``<out>/<zone>/`` is the zone's results folder as ``run`` writes it (summary.csv, indicators.csv,
ranking.csv, ..., its own meeting pack), its ``manifest.json`` naming the zone's own seed and the
portfolio it ran in. ``<out>/`` holds the joint tables (:mod:`sim.portfolio.joint`):
``portfolio.csv``, ``zone_targets.csv``, ``province_totals.csv``, ``province_monthly.csv``,
``zone_misses.csv``, ``correlation.csv``, with ``manifest.json`` and the portfolio's ``report/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import tomli_w

from sim import store
from sim.chunks import MemoryStore
from sim.portfolio.run import PortfolioResults
from sim.report.province import build_province_pack
from sim.results import Results

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
        s = s[
            [
                "target_id",
                "indicator",
                "year",
                "op",
                "threshold",
                "unit",
                "active",
                "n_reps",
                "hits",
                "p_hit",
                "ci_low",
                "ci_high",
            ]
        ]
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
