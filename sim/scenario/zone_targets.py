"""A zone file's ``[targets]``: indicator = {year = threshold}, and the rank with the national
evaluation it needs (docs/zones.md)."""

from __future__ import annotations

import copy
import math
import tomllib
from typing import Any

from sim.ranking.config.variables import ZONE_MODEL_VARIABLES
from sim.scenario.zone_defaults import SCENARIOS_DIR, Where
from sim.vocabulary.outcomes import MODEL_INDICATORS, OUTCOMES, indicator_unit

EVALUATION = SCENARIOS_DIR / "evaluation_methods.toml"
"""The national evaluation (peers and methods) a zone file's rank target is scored with."""
EAST = ("北京", "天津", "河北", "上海", "江苏", "浙江", "福建", "山东", "广东", "海南")
"""The eastern provinces of the national statistics' four-region split; every other province is
ranked on the central, western and north-eastern board."""


def targets(w: Where, table: Any, plan: dict, years: list[int], projects: dict, milestones: dict) -> dict:
    if not isinstance(table, dict) or not table:
        raise w.fail("targets", "missing section [targets] (indicator = { year = threshold }, e.g. trade_total)")
    known = set(MODEL_INDICATORS) | {f"done_{k}" for k in (*projects, *milestones)} | {"rank"}
    out = {}
    for ind, by_year in table.items():
        key = f"targets.{ind}"
        if ind not in known:
            raise w.fail(key, f"unknown indicator; expected one of {sorted(known)}")
        if not isinstance(by_year, dict) or not by_year:
            raise w.fail(key, "expected { year = threshold }, e.g. { 2027 = 80 }")
        for y, thr in by_year.items():
            if not (y.isdigit() and int(y) in years):
                raise w.fail(f"{key}.{y}", f"expected a year of the plan {years}")
            if isinstance(thr, bool) or not isinstance(thr, int | float) or not math.isfinite(thr):
                raise w.fail(f"{key}.{y}", f"expected a number, got {thr!r}")
            if ind == "rank" and not (thr >= 1 and thr == int(thr)):
                raise w.fail(f"{key}.{y}", f"expected the worst acceptable rank (a whole number >= 1), got {thr!r}")
            out[f"{ind}_{y}"] = {
                "indicator": ind,
                "year": int(y),
                "op": "<=" if ind == "rank" else ">=",
                "threshold": float(thr),
                "unit": indicator_unit(ind),
                "source": f"{plan['document']}: {target_words(ind, y, thr, projects, milestones)}",
            }
    return out


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
    """The national evaluation for a rank target, or a refusal where it cannot honestly serve."""
    with open(EVALUATION, "rb") as f:
        ev = tomllib.load(f)["ranking"]
    cal = ev["peers"]["calibration_year"]
    missing = [y for y in years if str(y) not in ev["method_by_year"] or str(y) not in ev["peers"]["evaluated_by_year"]]
    if years[0] - 1 != cal or missing:
        raise w.fail(
            "targets.rank",
            f"the national evaluation for data year(s) {missing or years} is not yet available: its peer zones "
            f"are calibrated to {cal} and serve plans starting in {cal + 1} "
            f"(data years {', '.join(sorted(ev['method_by_year']))}); remove the rank target for now",
        )
    zone_in = own.get("zone", {}) if isinstance(own, dict) else {}
    if "province_trade_yi" not in zone_in:
        raise w.fail(
            "ranking.zone.province_trade_yi",
            f"a rank target needs the foreign trade of {zone['province']} in {cal}, 亿元 (the province's "
            f"statistical communiqué): add [ranking.zone] province_trade_yi = ...",
        )
    produced = set(MODEL_INDICATORS) | set(counts if isinstance(counts, dict) else {})
    stated = zone_in.get("fallback", {}) if isinstance(zone_in.get("fallback"), dict) else {}
    lacking = [k for k in ZONE_MODEL_VARIABLES if k not in produced and k not in stated]
    if lacking:
        raise w.fail(
            f"ranking.zone.fallback.{lacking[0]}",
            f"a rank target needs the zone's yearly {', '.join(lacking)} (the evaluation scores them and a zone "
            f"file's model does not produce them): state each under [ranking.zone] fallback = {{ ... }} with "
            f"its source, or add the programme under [constants.counts]",
        )
    ev = copy.deepcopy(ev)
    ev["zone"] = {
        "region": "east" if zone["province"] in EAST else "central_west",
        "area_km2": float(zone["fenced_area_km2"]),
        "accepted_area_share_pct": 100.0,  # accepted: the zone file states the acceptance month
        "province_trade_yi": zone_in["province_trade_yi"],
        "offsets": {},
        "fallback": {},
    }
    return ev
