"""A one-page zone file, expanded into the full scenario the model reads (docs/zones.md).

A zone file states what a zone's planner knows, in the planner's terms: ``[zone]`` (names,
province, fenced area, acceptance), ``[plan]`` (document, start, horizon), ``[base_year]`` (last
year's statistics), ``[targets]`` (indicator = {year = threshold}), ``[[projects]]`` and
``[[milestones]]``. Everything else comes from the national catalogue
(``scenarios/catalogue/defaults.toml``), whose sector dynamics are stated relative to the zone:
:func:`expand` converts them into the model's absolute parameters from the zone's own base year, so
the same catalogue serves a 120-firm zone and a 900-firm zone.

Optional sections in the full scenario vocabulary (``levers``, ``lever_ranges``, ``lever_costs``,
``uncertainties``, ``constants``, ``initial_state``, ``run``, ``scenario``, ``ranking``,
``observations``) are merged over the expansion, so a planner can state more where they know more.

Every mistake ends in :class:`~sim.scenario.errors.ScenarioError` naming the file, the key path
and what was expected.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

from sim.months import is_month
from sim.scenario.errors import Collector
from sim.scenario.ranges import LIMITS, RANGES
from sim.scenario.zone_defaults import Where, central, convert, figure, lever_defaults, load_catalogue, slug
from sim.scenario.zone_items import milestones_of, projects_of
from sim.scenario.zone_targets import EAST, ranking, targets
from sim.vocabulary.outcomes import TRADE_COMPONENTS

Assignment = tuple[list[str], Any, str]
"""A value set by key path: (keys, value, what set it), as ``sim.scenario.loader.assignments`` gives it."""

ZONE_SECTIONS = ("zone", "plan", "base_year", "targets", "projects", "milestones")
"""The zone file's own sections (``--set`` on them applies before the expansion)."""
FULL_SECTIONS = (
    "scenario",
    "run",
    "constants",
    "initial_state",
    "levers",
    "lever_ranges",
    "lever_costs",
    "uncertainties",
    "ranking",
    "observations",
)
"""Sections of the full scenario a zone file may add; merged over the expansion."""

PROVINCES = (
    *EAST,
    *("山西", "安徽", "江西", "河南", "湖北", "湖南"),
    *("内蒙古", "广西", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆"),
    *("辽宁", "吉林", "黑龙江"),
)

ZONE_KEYS = {"name_zh": str, "name_en": str, "province": str, "fenced_area_km2": float, "accepted": str}
ZONE_OPTIONAL = {"name": str}
PLAN_KEYS = {"document": str, "start": str, "horizon_months": int}
PLAN_OPTIONAL = {"replications": int, "seed": int, "description_zh": str, "description_en": str}
BASE_REQUIRED = (
    "trade_processing",
    "trade_bonded_logistics",
    "trade_general",
    "industrial_output",
    "employees",
    "development_rate",
)
BASE_OPTIONAL = ("trade_cbec", "trade_other", "fdi_usd", "active_enterprises")

DEFAULT_REPLICATIONS = 1000
"""Replications of a zone file's run unless ``[plan] replications`` says otherwise (about ±3 points)."""


def is_zone_file(data: dict) -> bool:
    """True when the (merged) TOML data is a zone file: it has a ``[zone]`` table."""
    return isinstance(data.get("zone"), dict)


def _typed(w: Where, section: str, table: Any, required: dict, optional: dict) -> dict:
    if not isinstance(table, dict):
        raise w.fail(section, f"expected a table [{section}]")
    found = Collector()
    for k in sorted(set(table) - set(required) - set(optional)):
        found.add(w.fail(f"{section}.{k}", f"unknown key; expected some of {sorted({*required, *optional})}"))
    for k in required:
        if k not in table:
            found.add(w.fail(f"{section}.{k}", "missing key (required; see docs/zones.md)"))
    for k, v in table.items():
        t = {**required, **optional}.get(k)
        if t is None:
            continue
        ok = isinstance(v, t) and not isinstance(v, bool) if t is not float else isinstance(v, int | float)
        if t is float and isinstance(v, bool):
            ok = False
        if not ok:
            found.add(w.fail(f"{section}.{k}", f"expected {'a number' if t is not str else 'text'}, got {v!r}"))
        elif t is str and not v.strip():
            found.add(w.fail(f"{section}.{k}", "expected text, got an empty string"))
        elif t is int and k in LIMITED and not 0 <= v <= LIMITED[k]:
            found.add(w.fail(f"{section}.{k}", f"expected a whole number in [0, {LIMITED[k]}], got {v!r}"))
    found.raise_if_any()
    return table


LIMITED = {"replications": LIMITS["replications"], "seed": 2**63 - 1}
"""Whole numbers of a zone file with an upper limit (sim.scenario.ranges)."""


# ----------------------------------------------------------------------------- expansion


def expand(data: dict, path: Path, origin: dict | None = None, catalogue: dict | None = None) -> dict:
    """The full scenario dict of a zone file (what :func:`sim.scenario.loader.validate_data` reads)."""
    w = Where(path, origin or {})
    cat = catalogue if catalogue is not None else load_catalogue()
    allowed = {"extends", *ZONE_SECTIONS, *FULL_SECTIONS}
    found = Collector()
    for k in sorted(set(data) - allowed):
        found.add(w.fail(k, f"unknown section of a zone file; expected some of {sorted(allowed - {'extends'})}"))
    zone = found.run(_zone, w, data["zone"])
    plan = found.run(_plan, w, data.get("plan"))
    if zone is not None and plan is not None and zone["accepted"] >= plan["start"]:
        found.add(
            w.fail(
                "zone.accepted",
                f"{zone['accepted']} is not before the plan's start {plan['start']}; the base year needs an operating zone",
            )
        )
    if plan is None:  # the rest needs the plan's years
        found.run(_base_year, w, data.get("base_year"), cat)
        found.raise_if_any()
    assert plan is not None
    y0 = int(plan["start"][:4])
    years = list(range(y0, y0 + plan["horizon_months"] // 12))

    base = found.run(_base_year, w, data.get("base_year"), cat)
    by, n_by_sector = base if base is not None else ({}, {})
    ms = found.run(milestones_of, w, data.get("milestones", []), cat, n_by_sector)
    milestones, opened = ms if ms is not None else ({}, {})
    stated: dict = data["constants"] if isinstance(data.get("constants"), dict) else {}
    leaders = stated.get("leaders") or {}
    piped = {v.get("sector") for v in leaders.values() if isinstance(v, dict)} if isinstance(leaders, dict) else set()
    own = set(stated.get("sectors") or {}) if isinstance(stated.get("sectors"), dict) else set()
    # a sector is in the zone if it has firms, a milestone launches it, a leader pipeline brings it
    # or the file states its structure under [constants.sectors]
    sectors_in = [s for s in cat["sectors"] if (n_by_sector.get(s, 0) > 0 or s in opened or s in piped or s in own)]
    if base is not None and not sectors_in:
        found.add(w.fail("base_year.enterprises", "no sector has enterprises; state the zone's firms by sector"))
    projects = found.run(projects_of, w, data.get("projects", []), cat, set(milestones)) or {}
    # a target written as a full target table (docs/scenarios.md) is taken as stated; the rest are
    # the zone file's own { year = threshold }
    own_form = data.get("targets")
    as_stated: dict = {}
    if isinstance(own_form, dict):
        as_stated = {k: copy.deepcopy(v) for k, v in own_form.items() if isinstance(v, dict) and "indicator" in v}
        own_form = {k: v for k, v in own_form.items() if k not in as_stated}
    goals = found.run(targets, w, own_form, plan, years, projects, milestones) if own_form or not as_stated else {}
    goals = {**goals, **as_stated} if goals is not None else None
    found.raise_if_any()
    assert zone is not None and goals is not None

    full: dict[str, Any] = {
        "scenario": {
            "name": zone.get("name") or slug(zone["name_en"]),
            "name_zh": zone["name_zh"],
            "name_en": zone["name_en"],
            "zone": zone["name_en"],
            "zone_zh": zone["name_zh"],
            "description": plan.get("description_en", f"Zone file: {zone['name_en']}, plan 「{plan['document']}」."),
            "description_zh": plan.get("description_zh", f"园区文件：{zone['name_zh']}，规划{plan['document']}。"),
            "plan": plan["document"],
        },
        "run": {
            "start": plan["start"],
            "horizon_months": plan["horizon_months"],
            "replications": plan.get("replications", DEFAULT_REPLICATIONS),
            # the plan's start month as a number: any fixed seed does, this one is easy to recall
            "seed": plan.get("seed", int(plan["start"].replace("-", ""))),
        },
    }
    full.update(
        convert(w, zone, by, n_by_sector, sectors_in, opened, cat, projects, milestones)  # constants...
    )
    full["base_year"] = {**by, "enterprises": {s: by_enterprises(data, s) for s in _stated_first(data, sectors_in)}}
    if not any(isinstance(v, dict) or v > 0 for v in full["base_year"]["enterprises"].values()):
        raise w.fail("base_year.enterprises", "no sector has enterprises")
    levers_stated = data.get("levers") if isinstance(data.get("levers"), dict) else {}
    candidates = levers_stated.get("leader_candidates") if isinstance(levers_stated, dict) else None
    kinds = {pid: p["kind"] for pid, p in zip(projects, data.get("projects", []), strict=True)}
    full.update(
        lever_defaults(cat, projects, kinds, milestones, years, candidates if isinstance(candidates, dict) else {})
    )
    full["targets"] = goals
    ranks = [t for t in full["targets"].values() if t["indicator"] == "rank"]
    own_eval = isinstance(data.get("ranking"), dict) and "methods" in data["ranking"]
    if ranks and not own_eval:  # a file stating its own evaluation (methods, peers and all) keeps it
        full["ranking"] = ranking(w, zone, years, data.get("ranking"), stated.get("counts"))
    for sec in FULL_SECTIONS:  # the planner's own statements win over the defaults
        if sec in data:
            if not isinstance(data[sec], dict):
                raise w.fail(sec, f"expected a table [{sec}]")
            full[sec] = _merge(full.get(sec, {}), data[sec])
    if isinstance(data.get("extends"), str):
        full["extends"] = data["extends"]  # kept in the resolved scenario, as a full scenario keeps it
    # sections in the order the file states them (zone → scenario, plan → run), the others after
    where = {"zone": "scenario", "plan": "run"}
    return {k: full[k] for k in _order([where.get(k, k) for k in data], list(full))}


def _zone(w: Where, table: Any) -> dict:
    found = Collector()
    found.run(_typed, w, "zone", table, ZONE_KEYS, ZONE_OPTIONAL)
    zone = table if isinstance(table, dict) else {}
    if isinstance(zone.get("province"), str) and zone["province"] not in PROVINCES:
        found.add(
            w.fail("zone.province", f"unknown province {zone['province']!r}; expected one of {', '.join(PROVINCES)}")
        )
    fenced = RANGES["fenced_km2"]
    area = zone.get("fenced_area_km2")
    if isinstance(area, int | float) and not isinstance(area, bool) and not fenced.contains(area):
        found.add(w.fail("zone.fenced_area_km2", fenced.refusal(f"got {zone['fenced_area_km2']!r}")))
    if isinstance(zone.get("accepted"), str) and not is_month(zone["accepted"]):
        found.add(w.fail("zone.accepted", f'expected a month "YYYY-MM", got {zone["accepted"]!r}'))
    found.raise_if_any()
    return zone


def _plan(w: Where, table: Any) -> dict:
    if table is None:
        raise w.fail("plan", "missing section [plan] (document, start, horizon_months)")
    found = Collector()
    found.run(_typed, w, "plan", table, PLAN_KEYS, PLAN_OPTIONAL)
    plan = table if isinstance(table, dict) else {}
    start, horizon = plan.get("start"), plan.get("horizon_months")
    if isinstance(start, str) and not (is_month(start) and start.endswith("-01")):
        found.add(w.fail("plan.start", f'expected a January "YYYY-01", got {plan["start"]!r}'))
    if isinstance(horizon, int) and not (0 < horizon <= LIMITS["horizon_months"] and horizon % 12 == 0):
        found.add(
            w.fail("plan.horizon_months", f"expected 12, 24, ... up to 120 months, got {plan['horizon_months']!r}")
        )
    found.raise_if_any()
    return plan


def _stated_first(data: dict, sectors: list[str]) -> list[str]:
    """The zone's sectors, those the base year states first in its order."""
    ent = data["base_year"]["enterprises"]
    return [*(s for s in ent if s in sectors), *(s for s in sectors if s not in ent)]


def by_enterprises(data: dict, sector: str) -> Any:
    """A sector's base-year enterprises as stated (0 for a sector a milestone opens)."""
    stated = data["base_year"]["enterprises"].get(sector, 0)
    if isinstance(stated, list):
        a, m, b = (float(x) for x in stated)
        return {"dist": "fixed", "value": a} if a == b else {"dist": "triangular", "low": a, "mode": m, "high": b}
    return copy.deepcopy(stated)


def _order(first: list, keys: list) -> list:
    """``keys`` in the order of ``first`` where it names them; a key it does not name follows the
    key it followed in ``keys`` (or leads, if none did)."""
    out = [k for k in dict.fromkeys(first) if k in keys]
    at = -1
    for k in keys:
        if k in out:
            at = out.index(k)
        else:
            at += 1
            out.insert(at, k)
    return out


def _merge(base: dict, over: dict) -> dict:
    """``over`` merged over ``base`` key by key; keys in the order ``over`` states them, the
    defaults it does not state beside the keys they follow (so a file stating a whole table
    gets it in its own order)."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and "dist" not in v:
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return {k: out[k] for k in _order(list(over), list(base) + [k for k in over if k not in base])}


BASE_RANGE = {
    **dict.fromkeys(("trade_processing", "trade_bonded_logistics", "trade_general"), RANGES["zone_yi"]),
    **dict.fromkeys(("trade_cbec", "trade_other", "industrial_output"), RANGES["zone_yi"]),
    "fdi_usd": RANGES["zone_wan_usd"],
    "active_enterprises": RANGES["firms"],
    "employees": RANGES["zone_persons"],
    "development_rate": RANGES["percent"],
}
BASE_HIGH = {k: r.high for k, r in BASE_RANGE.items()}
"""Largest value of each base-year figure (sim.scenario.ranges; a sector's enterprises: ``firms``)."""


def _base_year(w: Where, table: Any, cat: dict) -> tuple[dict, dict[str, float]]:
    if not isinstance(table, dict):
        raise w.fail("base_year", "missing section [base_year] (the zone's statistics for the year before the start)")
    allowed = {*BASE_REQUIRED, *BASE_OPTIONAL, "enterprises"}
    found = Collector()
    for k in sorted(set(table) - allowed):
        found.add(w.fail(f"base_year.{k}", f"unknown key; expected some of {sorted(allowed)}"))
    for k in (*BASE_REQUIRED, "enterprises"):
        if k not in table:
            found.add(w.fail(f"base_year.{k}", "missing key (required; see docs/zones.md)"))
    by = {}
    for k in table:  # in the order the file states them
        if k in (*BASE_REQUIRED, *BASE_OPTIONAL):
            d = found.run(figure, w, f"base_year.{k}", table[k], high=BASE_HIGH.get(k, math.inf), rng=BASE_RANGE.get(k))
            if d is not None:
                by[k] = d
    ent = table.get("enterprises", {})
    if not isinstance(ent, dict) or ("enterprises" in table and not ent):
        found.add(
            w.fail("base_year.enterprises", "expected a table of sectors, e.g. { processing = 30, logistics = 50 }")
        )
        ent = {}
    n: dict[str, float] = {}
    for s, v in ent.items():
        if s not in cat["sectors"]:
            found.add(
                w.fail(f"base_year.enterprises.{s}", f"unknown sector; expected some of {sorted(cat['sectors'])}")
            )
            continue
        d = found.run(figure, w, f"base_year.enterprises.{s}", v, high=RANGES["firms"].high)
        if d is not None:
            n[s] = central(d)
    found.raise_if_any()
    total = sum(n.values())
    if total <= 0:
        raise w.fail("base_year.enterprises", "the sectors' enterprises add up to 0; state the zone's firms")
    if "active_enterprises" in by:  # the sector counts are then shares of the stated total
        act = central(by["active_enterprises"])
        n = {s: v * act / total for s, v in n.items()}
    trade = sum(central(by[k]) for k in TRADE_COMPONENTS if k in by)
    if trade <= 0:
        raise w.fail(
            "base_year.trade_processing",
            "the base-year trade figures add up to 0; the defaults scale new firms to the zone's own trade",
        )
    return by, n


# ----------------------------------------------------------------------------- loader hook


def zone_overrides(values: list[Assignment]) -> tuple[list[Assignment], list[Assignment]]:
    """``--set`` values split into those on the zone file's own sections, applied before the
    expansion (so a changed base year rescales the defaults), and the rest, applied after it."""
    early = [v for v in values if v[0][0] in ZONE_SECTIONS]
    return early, [v for v in values if v[0][0] not in ZONE_SECTIONS]
