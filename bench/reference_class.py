"""Where the trade growth real zones showed falls in the model's predictive distribution.

    cd CHECKOUT && python bench/reference_class.py [--reps 200] [--facts PATH] [--smoke]

The reference class: every full-year total trade (进出口总值) in ``facts_by_year.csv`` of a
comprehensive bonded zone before 2022 or of the national CBZ total, with a stated full-year growth
or the previous year's full-year total beside it. For each, a default zone file (the catalogue's
defaults, no projects, no milestones) is built at that size: its base year is the year before,
with the observed total divided by (1 + growth), split over the customs modes and sectors in the
proportions of the new-zone template's example. The model's first simulated year then gives a
predictive distribution of that year's growth; the script prints where the observed growth falls
in it (its quantile). Calibrated defaults spread these quantiles over (0, 1): all near 1 means
the defaults grow zones too slowly, all near 0 too fast.

``--burn-in 1`` compares the second simulated year instead: in the first, the model's zone starts
with no entrants under way (signed, fitting out or ramping up), so its growth from entrants is
lower than in the years after; the second year shows the defaults' steady state.

Firm counts are the template's 120 firms per 45亿元 of trade, kept between 40 and 600 (a 3,000亿元
zone would otherwise have 8,000 firms and take minutes a replication): the defaults are relative,
so the growth distribution does not depend on the size (tests/test_zone_file.py), only its
discreteness does.
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

from sim.cli.new_zone import template
from sim.experiment import runner
from sim.model import simulate
from sim.model.draws import Draws
from sim.scenario.loader import load_scenario

FACTS = next(
    (
        f
        for f in (p / "shared" / "data" / "facts_by_year.csv" for p in Path(__file__).resolve().parents[1:4])
        if f.exists()
    ),
    Path("../shared/data/facts_by_year.csv"),
)
"""The facts file beside the checkout (../shared/data, or one level further up from a worktree)."""
TRADE = "进出口总值"
FIRMS_PER_YI = 120 / 45
"""The template zone's firms per 亿元 of trade."""


def reference_class(facts: Path) -> pd.DataFrame:
    """One row per zone-year: scope, year, observed full-year trade and growth."""
    d = pd.read_csv(facts)
    d = d[(d.indicator == TRADE) & (d.period == "full_year") & d.unit.str.startswith("亿元")]
    d = d.assign(value_num=pd.to_numeric(d.value, errors="coerce"))
    d = d[((d.kind == "综合保税区") & (d.year < 2022)) | (d.kind == "national_total_CBZ")]
    rows = []
    for scope, g in d.groupby("scope"):
        by_year = g.groupby("year").value_num.mean()
        for _, r in g.iterrows():
            growth = r.growth_pct / 100 if pd.notna(r.growth_pct) else None
            if growth is None and r.year - 1 in by_year.index:
                growth = r.value_num / by_year[r.year - 1] - 1
            if growth is not None:
                rows.append({"scope": scope, "year": int(r.year), "trade": float(r.value_num), "growth": growth})
    return pd.DataFrame(rows).drop_duplicates(["scope", "year"]).sort_values(["scope", "year"])


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
    ap.add_argument("--facts", type=Path, default=FACTS)
    ap.add_argument(
        "--burn-in",
        type=int,
        default=0,
        help="simulated years before the compared one (0: the plan's first year, as a planner's run; "
        "1: the second year, once entrants signed in the model have reached the market)",
    )
    ap.add_argument("--smoke", action="store_true", help="two zone-years at 20 replications, to check the script runs")
    args = ap.parse_args(argv)
    ref = reference_class(args.facts)
    if args.smoke:
        ref, args.reps = ref.head(2), 20
    work = Path(tempfile.mkdtemp(prefix="zonesim_refclass_"))
    qs = []
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
    qs = np.sort(np.asarray(qs))
    n = len(qs)
    ks = float(np.max(np.maximum(np.arange(1, n + 1) / n - qs, qs - np.arange(n) / n))) if n else float("nan")
    print(
        f"\n{n} zone-years, {args.reps} replications each, burn-in {args.burn_in} year(s): quantiles {', '.join(f'{q:.2f}' for q in qs)}"
    )
    print(f"mean quantile {qs.mean():.2f} (0.50 if calibrated); Kolmogorov distance from uniform {ks:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
