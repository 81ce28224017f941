"""Build scenarios/national_facts.csv from the shared facts tables (rerunnable).

Usage: python bench/build_national_facts.py [SHARED_DATA_DIR]   (default: shared/data beside the checkout
or a folder above it, ../shared/data)

One row per national fact the national evaluation uses (CBZ trade, zone counts, evaluation
rounds, method dates), plus the zone-level trade and rank rows kept as the reference class. Money
is normalised to 亿元 (万亿元 x 10,000); counts of zones are in "zones". Each row keeps its source
URL and a ``dated`` day: the day from which a planner could know it (the end of the period a
statistic describes; an evaluation round or a method: the day it was published or issued). A run
uses only rows dated before its plan start (sim/ranking/national.py).

The tool ships the output; the run never reads the shared folder. A planner who adds next year's
rows edits scenarios/national_facts.csv directly (same columns) or adds them to the shared tables
and reruns this script.
"""

from __future__ import annotations

import csv
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "scenarios" / "national_facts.csv"
COLUMNS = ("year", "indicator", "value", "unit", "scope", "kind", "dated", "dated_basis", "source_url", "note")

# facts_pre2022.csv indicator -> (indicator, scope, kind); rows not listed are not national facts
PRE2022 = {
    "national_cbz_trade_total": ("cbz_trade_total", "全国综合保税区", "national_total_CBZ"),
    "national_cbz_trade_total_DERIVED": ("cbz_trade_total", "全国综合保税区", "national_total_CBZ"),
    "national_cbz_count": ("cbz_count", "全国综合保税区", "national_total_CBZ"),
    "national_cbz_count_central_west_northeast": (
        "cbz_count_central_west_northeast",
        "中西部及东北综合保税区",
        "regional_total",
    ),
    "national_cbz_count_inside_ftz": ("cbz_count_inside_ftz", "全国综合保税区", "national_total_CBZ"),
    "national_cbz_trade_growth": ("cbz_trade_growth_pct", "全国综合保税区", "national_total_CBZ"),
    "national_cbz_share_of_china_trade": ("cbz_share_of_china_trade_pct", "全国综合保税区", "national_total_CBZ"),
    "china_total_trade": ("china_trade_total", "全国", "national_total"),
    "national_cbz_bonded_repair_trade": ("cbz_bonded_repair_trade", "全国综合保税区", "national_total_CBZ"),
    "national_cbz_cbec_bonded_trade": ("cbz_cbec_bonded_trade", "全国综合保税区", "national_total_CBZ"),
    "national_cbz_bonded_leasing_trade": ("cbz_bonded_leasing_trade", "全国综合保税区", "national_total_CBZ"),
    "cbz_central_west_northeast_processing_trade": (
        "cbz_processing_trade_central_west_northeast",
        "中西部及东北综合保税区",
        "regional_total",
    ),
    "eval_participants_2019nd": ("eval_zones_evaluated", "全国综合保税区(参评)", "national_evaluation"),
    "eval_participants_2021nd_published_2022_10": (
        "eval_zones_evaluated",
        "全国海关特殊监管区域(参评)",
        "national_evaluation",
    ),
    "eval2020_quant_indicator_count": ("method_eval2020_quant_indicators", "评估办法", "method"),
    "eval2024method_weight_scale_indicators": ("method_eval2024_scale_points", "评估办法", "method"),
}

# facts_by_year.csv (kind, indicator) -> indicator, for national rows
BY_YEAR = {
    ("national_total_CBZ", "进出口总值"): "cbz_trade_total",
    ("national_total_CBZ", "zone_count_CBZ"): "cbz_count",
    ("national_total_CBZ", "share_of_national_trade"): "cbz_share_of_china_trade_pct",
    ("national_total", "进出口总值"): "special_zones_trade_total",
    ("national_total", "zone_count_in_stats"): "special_zones_count",
    ("national_total", "zone_count"): "special_zones_count",
    ("national_total", "share_of_national_trade"): "special_zones_share_of_china_trade_pct",
    ("national_concentration", "top5_share"): "special_zones_top5_share_pct",
    ("national_concentration", "top30_share"): "special_zones_top30_share_pct",
    ("national_evaluation", "zones_evaluated"): "eval_zones_evaluated",
    ("national_evaluation", "A_class_count"): "eval_class_a_count",
    ("national_evaluation", "zones_evaluated_west_NE"): "eval_zones_evaluated_west_northeast",
    ("national_evaluation", "regional_boards"): "eval_regional_boards",
}
ZONE_KINDS = {"综合保税区", "保税区"}
ZONE_INDICATORS = {"进出口总值": "zone_trade_total", "evaluation_rank": "zone_eval_rank"}

# the two method documents (the dates are the issuing dates the facts name)
METHODS = [
    ("2020", "method_eval2020_issued", "1", "method", "2020-04-30", "new.qq.com/omn/20200509"),
    ("2024", "method_eval2024_issued", "1", "method", "2024-01-08", "603588.cn/yx/2024/1204/398848"),
]


def _month_end(y: int, m: int) -> str:
    days = [31, 29 if y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return f"{y:04d}-{m:02d}-{days:02d}"


def _url_date(url: str) -> str | None:
    """The publication day in a URL (2022-02-21, 2022/0530, 20241114...), or None."""
    for pat in (r"(20\d\d)-(\d\d)-(\d\d)", r"(20\d\d)/(\d\d)(\d\d)/", r"/(20\d\d)(\d\d)(\d\d)/"):
        m = re.search(pat, url)
        if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    m = re.search(r"/(20\d\d)-(\d\d)/", url)  # a month folder: its last day
    if m and 1 <= int(m.group(2)) <= 12:
        return _month_end(int(m.group(1)), int(m.group(2)))
    return None


def dated(year: int, period: str, kind: str, url: str) -> tuple[str, str]:
    """The day from which the fact is known, and why that day."""
    m = re.match(r"as_of_(\d{4})-(\d\d)", period)
    if m:
        return _month_end(int(m.group(1)), int(m.group(2))), "end of the month the count describes"
    m = re.match(r"published_(\d{4})_(\d\d)", period)
    if m:
        return _month_end(int(m.group(1)), int(m.group(2))), "end of the publication month the source table names"
    if period == "as_of_early_2023":
        return "2023-03-31", "assumption: 'early 2023' read as the end of March"
    if kind == "national_evaluation" or period.startswith("evaluation"):
        u = _url_date(url)
        if u:
            return u, "publication day (or month end) in the source URL"
        return f"{year + 1}-12-31", "assumption: a data year's round is published by the end of the next year"
    return (
        f"{year}-12-31",
        "end of the year the statistic describes (assumption: a plan dated in the next year knows it)",
    )


def to_yi(value: float, unit: str) -> tuple[float, str] | None:
    if unit == "万亿元":
        return round(value * 10000, 6), "亿元"
    if unit.startswith("亿元"):
        return value, "亿元"
    if unit.startswith("zones"):
        return value, "zones"
    if unit.startswith("%"):
        return value, "%"
    if unit.startswith(("rank", "boards")):
        return value, unit.split(" ")[0]
    return None


def build(shared: Path) -> list[dict]:
    rows: dict[tuple, dict] = {}

    def add(year, ind, value, unit, scope, kind, period, url, note=""):
        conv = to_yi(float(value), unit)
        if conv is None:
            return
        v, u = conv
        d, basis = dated(int(year), period, kind, url)
        key = (int(year), ind, scope if ind.startswith("zone_") else "", d)
        if key in rows:  # the same fact in both tables: keep the first source
            return
        same = [k for k in rows if k[:3] == key[:3] and rows[k]["value"] == f"{v:.12g}"]
        if any(k[3] <= d for k in same):  # the same figure known earlier from another source
            return
        for k in same:  # ... or known earlier from this one
            del rows[k]
        rows[key] = {
            "year": int(year),
            "indicator": ind,
            "value": f"{v:.12g}",
            "unit": u,
            "scope": scope,
            "kind": kind,
            "dated": d,
            "dated_basis": basis,
            "source_url": url,
            "note": note,
        }

    with open(shared / "facts_pre2022.csv", encoding="utf-8") as f:
        pre2022 = list(csv.DictReader(f))
    for r in pre2022:
        if r["indicator"] in PRE2022:
            ind, scope, kind = PRE2022[r["indicator"]]
            period = "evaluation" if kind == "national_evaluation" else "full_year"
            published = re.search(r"published_\d{4}_\d\d", r["indicator"])
            period = published.group(0) if published else period
            note = "derived in the source table" if r["indicator"].endswith("_DERIVED") else ""
            add(r["year"], ind, r["value"], r["unit"], scope, kind, period, r["source_url"], note)
    with open(shared / "facts_by_year.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            kind, period = r["kind"], r["period"]
            if (kind, r["indicator"]) in BY_YEAR:
                if not (period == "full_year" or period.startswith(("as_of", "evaluation"))):
                    continue  # part-year trade is not a yearly total
                add(
                    r["year"],
                    BY_YEAR[kind, r["indicator"]],
                    r["value"],
                    r["unit"],
                    r["scope"],
                    kind,
                    period,
                    r["source_url"],
                    r["unit"] if "(" in r["unit"] else "",
                )
                cbz = re.search(r"\((\d+) CBZ\)", r["unit"])  # a count of all zones naming its CBZs
                if cbz and kind == "national_total":
                    add(
                        r["year"],
                        "cbz_count",
                        cbz.group(1),
                        "zones",
                        "全国综合保税区",
                        "national_total_CBZ",
                        period,
                        r["source_url"],
                        f"given with {r['value']} special zones",
                    )
            elif kind in ZONE_KINDS and r["indicator"] in ZONE_INDICATORS:
                if r["indicator"] == "进出口总值" and period != "full_year":
                    continue
                add(
                    r["year"],
                    ZONE_INDICATORS[r["indicator"]],
                    r["value"],
                    r["unit"],
                    r["scope"],
                    kind,
                    period,
                    r["source_url"],
                    r["unit"] if "of" in r["unit"] else "",
                )
    for year, ind, value, kind, day, url_part in METHODS:
        url = next(
            (r["source_url"] for r in pre2022 if url_part in r["source_url"]),
            "",
        )
        rows[(int(year), ind, "", day)] = {
            "year": int(year),
            "indicator": ind,
            "value": value,
            "unit": "document",
            "scope": "评估办法",
            "kind": kind,
            "dated": day,
            "dated_basis": "issuing day of the method",
            "source_url": url,
            "note": "",
        }
    return sorted(rows.values(), key=lambda r: (r["year"], r["indicator"], r["dated"], r["scope"]))


def write(rows: list[dict], out: Path) -> None:
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str]) -> int:
    """``[SHARED_DATA_DIR] [--smoke]``; --smoke builds into a temporary file and checks it equals the
    committed table (the table is reproducible from the facts) without writing it."""
    smoke = "--smoke" in argv
    argv = [a for a in argv if a != "--smoke"]
    beside = (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data" / "facts_pre2022.csv").exists())
    shared = Path(argv[0]) if argv else next(beside, ROOT.parent / "shared" / "data")
    rows = build(shared)
    if smoke:
        with tempfile.TemporaryDirectory() as tmp:
            built = Path(tmp) / OUT.name
            write(rows, built)
            same = built.read_bytes() == OUT.read_bytes()
        print(f"{len(rows)} rows built; {'matches' if same else 'DIFFERS FROM'} {OUT.relative_to(ROOT)}")
        return 0 if same else 1
    write(rows, OUT)
    print(f"{len(rows)} rows -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
