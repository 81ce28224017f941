"""Where the trade growth real zones showed falls in the model's predictive distribution.

    cd CHECKOUT && python bench/reference_class.py [--reps 200] [--table PATH] [--kinds zone,national_total] [--smoke]

The reference class is the table shipped as data, ``scenarios/catalogue/reference_growth.csv``
(built from ``facts_by_year.csv`` by bench/reference_growth.py: every full-year total trade of a
comprehensive bonded zone, of a province's zones together or of all the country's zones, with the
growth its source states or computed from the previous full year). For each zone-year, a default
zone file (the catalogue's defaults, no projects, no milestones) is built at that size: its base
year is the year before, with the observed total divided by (1 + growth), split over the customs
modes and sectors in the proportions of the new-zone template's example. The model's first
simulated year then gives a predictive distribution of that year's growth; the script prints where
the observed growth falls in it (its quantile). Calibrated defaults spread these quantiles over
(0, 1): all near 1 means the defaults grow zones too slowly, all near 0 too fast.

``--burn-in 1`` compares the second simulated year instead (the defaults once a year has run).

Firm counts are the template's 120 firms per 45亿元 of trade, kept between 40 and 600 (a 3,000亿元
zone would otherwise have 8,000 firms and take minutes a replication): the defaults are relative,
so the growth distribution does not depend on the size (tests/test_zone_file.py), only its
discreteness does. A total in 亿美元 is sized at 6.6 yuan a dollar (its growth needs no rate).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import tomli_w

sys.path.insert(0, os.getcwd())

from sim.analysis.growth import REFERENCE_GROWTH, reference_table
from sim.cli.new_zone import template
from sim.experiment import runner
from sim.model import simulate
from sim.model.draws import Draws
from sim.scenario.loader import load_scenario

FIRMS_PER_YI = 120 / 45
"""The template zone's firms per 亿元 of trade."""
YUAN_PER_USD = 6.6
"""Only to size a total stated in 亿美元 (2018: about 6.6 yuan a dollar)."""


def reference_class(table: Path = REFERENCE_GROWTH, kinds: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per zone-year of the shipped table (of ``kinds``, all if empty): scope, kind, year,
    observed full-year trade in 亿元 and growth."""
    t = reference_table(table)
    if kinds:
        t = t[t.kind.isin(kinds)]
    trade = np.where(t.unit == "亿美元", t.trade * YUAN_PER_USD, t.trade)
    return pd.DataFrame(
        {"scope": t.scope, "kind": t.kind, "year": t.year.astype(int), "trade": trade, "growth": t.growth.astype(float)}
    ).reset_index(drop=True)


def default_zone(base_trade: float, year: int, burn_in: int = 0) -> dict:
    """The template's zone at another size and year, without projects or milestones."""
    z = tomllib.loads(template("en", "zone.toml"))
    by = z["base_year"]
    t0 = by["trade_processing"] + by["trade_bonded_logistics"] + by["trade_general"]
    k = base_trade / t0
    n = int(np.clip(round(base_trade * FIRMS_PER_YI), 40, 600))
    kn = n / by["active_enterprises"]
    for key in ("trade_processing", "trade_bonded_logistics", "trade_general", "industrial_output"):
        by[key] = by[key] * k
    by["employees"] = by["employees"] * kn
    by["active_enterprises"] = n
    by["enterprises"] = {s: v * kn for s, v in by["enterprises"].items()}
    start = year - burn_in
    z["zone"]["accepted"] = f"{start - 2}-01"
    z["plan"].update(start=f"{start}-01", horizon_months=12 * (burn_in + 1))
    z["targets"] = {"trade_total": {str(year): base_trade}}
    z["projects"], z["milestones"] = [], []
    return z


def predictive(zone: dict, reps: int, seed: int, work: Path, burn_in: int = 0) -> np.ndarray:
    """Trade growth of the year after ``burn_in`` simulated years, ``reps`` replications of a zone file."""
    p = work / "zone.toml"
    p.write_text(tomli_w.dumps(zone), encoding="utf-8")
    sc = load_scenario(p).scenario
    out = np.empty(reps)
    for r in range(reps):
        res = simulate(sc, runner.replication_params(sc, seed, r), Draws(seed, r))
        t = np.concatenate([[res.base["trade_total"]], res.yearly["trade_total"]])
        out[r] = t[burn_in + 1] / t[burn_in] - 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--table", type=Path, default=REFERENCE_GROWTH, help="the reference class (reference_growth.csv)")
    ap.add_argument(
        "--kinds", default="", help="comma-separated kinds to keep (zone, province_total, national_total); default all"
    )
    ap.add_argument(
        "--burn-in",
        type=int,
        default=0,
        help="simulated years before the compared one (0: the plan's first year, as a planner's run; "
        "1: the second year, once entrants signed in the model have reached the market)",
    )
    ap.add_argument("--markdown", action="store_true", help="also print the table in Markdown (docs/model.md)")
    ap.add_argument("--smoke", action="store_true", help="two zone-years at 20 replications, to check the script runs")
    args = ap.parse_args(argv)
    ref = reference_class(args.table, tuple(k for k in args.kinds.split(",") if k))
    if args.smoke:
        ref, args.reps = ref.head(2), 20
    work = Path(tempfile.mkdtemp(prefix="zonesim_refclass_"))
    qs, md = [], []
    print(f"{'zone-year':<40} {'base 亿元':>10} {'observed':>9} {'model p10':>9} {'p50':>7} {'p90':>7} {'quantile':>8}")
    for _, r in ref.iterrows():
        base = r.trade / (1 + r.growth)
        g = predictive(default_zone(base, r.year, args.burn_in), args.reps, args.seed, work, args.burn_in)
        q = float((g < r.growth).mean() + 0.5 * (g == r.growth).mean())
        qs.append(q)
        p10, p50, p90 = np.quantile(g, [0.1, 0.5, 0.9])
        print(
            f"{r.scope[:22] + ' ' + str(r.year):<40} {base:>10.1f} {r.growth:>+9.1%} {p10:>+9.1%} {p50:>+7.1%} "
            f"{p90:>+7.1%} {q:>8.2f}"
        )
        md.append(
            f"| {r.scope} {r.year} | {r.kind} | {r.growth:+.1%} | {p10:+.0%} / {p50:+.0%} / {p90:+.0%} | {q:.2f} |"
        )
    qs = np.sort(np.asarray(qs))
    n = len(qs)
    ks = float(np.max(np.maximum(np.arange(1, n + 1) / n - qs, qs - np.arange(n) / n))) if n else float("nan")
    print(
        f"\n{n} zone-years, {args.reps} replications each, burn-in {args.burn_in} year(s): quantiles {', '.join(f'{q:.2f}' for q in qs)}"
    )
    print(f"mean quantile {qs.mean():.2f} (0.50 if calibrated); Kolmogorov distance from uniform {ks:.2f}")
    if args.markdown:
        print("\n| zone-year | kind | observed growth | model 10 / 50 / 90% | quantile |\n|---|---|---|---|---|")
        print("\n".join(md))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
