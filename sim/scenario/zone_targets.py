"""A zone file's ``[targets]``: indicator = {year = threshold}, and the rank with the national
evaluation it needs (docs/zones.md)."""

from __future__ import annotations

import math
import tomllib
from typing import Any

from sim.ranking.config import national
from sim.ranking.config.variables import ZONE_MODEL_VARIABLES
from sim.scenario.errors import Collector
from sim.scenario.ranges import RANGES
from sim.scenario.zone_defaults import SCENARIOS_DIR, Where
from sim.vocabulary.outcomes import MODEL_INDICATORS, OUTCOMES, indicator_unit

EVALUATION = SCENARIOS_DIR / "evaluation_methods.toml"
"""The national evaluation (peers and methods) a zone file's rank target is scored with."""
EAST = tuple(p for p, b in national.province_boards().items() if b == "east")
"""The eastern provinces of the national statistics' four-region split (scenarios/province_boards.csv)."""


def targets(w: Where, table: Any, plan: dict, years: list[int], projects: dict, milestones: dict) -> dict:
    if not isinstance(table, dict) or not table:
        raise w.fail("targets", "missing section [targets] (indicator = { year = threshold }, e.g. trade_total)")
    known = set(MODEL_INDICATORS) | {f"done_{k}" for k in (*projects, *milestones)} | {"rank"}
    out = {}
    found = Collector()
    for ind, by_year in table.items():
        key = f"targets.{ind}"
        if ind not in known:
            found.add(w.fail(key, f"unknown indicator; expected one of {sorted(known)}"))
            continue
        if not isinstance(by_year, dict) or not by_year:
            found.add(w.fail(key, "expected { year = threshold }, e.g. { 2027 = 80 }"))
            continue
        for y, thr in by_year.items():
            problem = _threshold_problem(ind, y, thr, years)
            if problem:
                found.add(w.fail(f"{key}.{y}", problem))
                continue
            out[f"{ind}_{y}"] = {
                "indicator": ind,
                "year": int(y),
                "op": "<=" if ind == "rank" else ">=",
                "threshold": float(thr),
                "unit": indicator_unit(ind),
                "source": f"{plan['document']}: {target_words(ind, y, thr, projects, milestones)}",
            }
    found.raise_if_any()
    return out


def _threshold_problem(ind: str, y: str, thr: Any, years: list[int]) -> str | None:
    """What is wrong with one ``year = threshold`` of a target, or None."""
    if not (y.isdigit() and int(y) in years):
        return f"expected a year of the plan {years}"
    if isinstance(thr, bool) or not isinstance(thr, int | float) or not math.isfinite(thr):
        return f"expected a number, got {thr!r}"
    if ind == "rank":
        r = RANGES["rank"]
        if not (thr == int(thr) and r.contains(thr)):
            return f"expected the worst acceptable rank, a whole number {r.text()} ({r.reason}), got {thr!r}"
        return None
    t = RANGES["threshold"]
    return None if t.contains(thr) else t.refusal(f"got {thr!r}")


def target_words(ind: str, year: str, thr: float, projects: dict, milestones: dict) -> str:
    """A target in the plan's words (Chinese; the English pack quotes them beside its own label)."""
    if ind == "rank":
        return f"{year}年度全国发展绩效评估综合排名进入前{thr:g}位"
    if ind.startswith("done_"):
        item = {**projects, **milestones}[ind.removeprefix("done_")]
        return f"{year}年完成{item['name_zh']}"
    unit = indicator_unit(ind)
    unit = {"active_enterprises": "家", "new_business_types": "项"}.get(
        ind, {"persons": "人", "count": ""}.get(unit, unit)
    )
    return f"{year}年{OUTCOMES[ind].zh}达到{thr:g}{unit}"


def ranking(w: Where, zone: dict, years: list[int], own: Any, counts: Any) -> dict:
    """The national evaluation of a zone file's rank target, for any data years.

    The methods come from ``evaluation_methods.toml``; the zone's own inputs from the zone file
    (docs/zones.md, "The rank"). The national facts known before the plan starts (peers, evaluated
    counts, methods of its data years) and the reference rank of each data year (its rank target)
    are filled in for every scenario alike, zone file or not (``sim.ranking.config.fill``)."""
    with open(EVALUATION, "rb") as f:
        ev = tomllib.load(f)["ranking"]
    zone_in = own.get("zone", {}) if isinstance(own, dict) else {}
    if "province_trade_yi" not in zone_in:
        raise w.fail(
            "ranking.zone.province_trade_yi",
            f"a rank target needs the foreign trade of {zone['province']} in {years[0] - 1}, 亿元 (the province's "
            f"statistical communiqué): add [ranking.zone] province_trade_yi = ...",
        )
    produced = set(MODEL_INDICATORS) | set(counts if isinstance(counts, dict) else {})
    stated = zone_in.get("fallback", {}) if isinstance(zone_in.get("fallback"), dict) else {}
    # assumption: a yearly figure the zone neither simulates nor states is that of the median peer
    # (the catalogue's typical zone), so the evaluation neither rewards nor punishes what is unknown
    fallback = {
        k: float(stated[k]) if k in stated else float(ev["peers"]["variables"][k]["median"])
        for k in ZONE_MODEL_VARIABLES
        if k not in produced
    }
    offsets = zone_in.get("offsets", {}) if isinstance(zone_in.get("offsets"), dict) else {}
    ev["zone"] = {
        "region": national.region_of(zone["province"]),
        "board": national.province_boards()[zone["province"]],
        "area_km2": float(zone["fenced_area_km2"]),
        "accepted_area_share_pct": float(zone_in.get("accepted_area_share_pct", 100.0)),
        "province_trade_yi": zone_in["province_trade_yi"],
        # assumption: no business type the model does not count runs unless the zone file says so
        "offsets": {k: float(v) for k, v in offsets.items()},
        "fallback": fallback,
    }
    return ev
