"""Build scenarios/catalogue/reference_growth.csv: observed yearly total-trade growth of zone-years.

    cd CHECKOUT && python bench/reference_growth.py [--facts PATH] [--out PATH]

From ``facts_by_year.csv``: every full-year total trade (进出口总值) of a comprehensive bonded zone,
of a province's zones together or of all the country's zones, with the growth the source states or,
where it states none, the growth from the same scope's previous full year in the file. Each row keeps
its source address (and the previous year's, for a computed growth). Totals over many zones are
kept, marked by ``kind``, because single zones are few: the outputs say how many of each.
sim/analysis/growth.py computes the reference band from the written table.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, os.getcwd())

from sim.analysis.growth import REFERENCE_GROWTH

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

KINDS = {"综合保税区": "zone", "province_total": "province_total", "national_total_CBZ": "national_total"}
HEADER = (
    "# Observed yearly total-trade growth (进出口总值) of comprehensive bonded zones, from facts_by_year.csv\n"
    "# (bench/reference_growth.py). growth = value / previous year - 1; basis: stated by the source or\n"
    "# computed from the previous full year in the file. kind: zone (one zone), province_total or\n"
    "# national_total (many zones together). The reference band of the outputs is computed from these rows.\n"
)


def build(facts: Path) -> pd.DataFrame:
    d = pd.read_csv(facts)
    d = d[(d.indicator == TRADE) & (d.period == "full_year") & d.kind.isin(KINDS) & d.scope.str.contains("综合保税区")]
    d = d.assign(value_num=pd.to_numeric(d.value, errors="coerce"), unit_=d.unit.str.split().str[0])
    rows = []
    for scope, g in d.groupby("scope"):
        for _, r in g.sort_values("year").iterrows():
            prev = g[(g.year == r.year - 1) & (g.unit_ == r.unit_)]
            if pd.notna(r.growth_pct):
                growth, basis, prev_url = r.growth_pct / 100, "stated", ""
            elif len(prev):
                growth, basis = r.value_num / prev.value_num.iloc[0] - 1, "previous_year"
                prev_url = prev.source_url.iloc[0]
            else:
                continue
            rows.append(
                {
                    "scope": scope,
                    "province": r.province,
                    "kind": KINDS[r.kind],
                    "year": int(r.year),
                    "trade": r.value_num,
                    "unit": r.unit_,
                    "growth": round(float(growth), 4),
                    "basis": basis,
                    "source_url": r.source_url,
                    "previous_source_url": prev_url,
                }
            )
    return pd.DataFrame(rows).drop_duplicates(["scope", "year"]).sort_values(["kind", "scope", "year"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--facts", type=Path, default=FACTS)
    ap.add_argument("--out", type=Path, default=REFERENCE_GROWTH)
    ap.add_argument(
        "--smoke", action="store_true", help="build into a temporary file and check it equals the committed table"
    )
    args = ap.parse_args(argv)
    t = build(args.facts)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / args.out.name if args.smoke else args.out
        with open(out, "w", encoding="utf-8", newline="") as f:
            f.write(HEADER)
            t.to_csv(f, index=False, lineterminator="\n")
        if args.smoke:
            same = out.read_bytes() == args.out.read_bytes()
            print(f"{len(t)} zone-years built; {'matches' if same else 'DIFFERS FROM'} {args.out.name}")
            return 0 if same else 1
    print(f"{len(t)} zone-years ({(t.kind == 'zone').sum()} of single zones) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
