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
import re
import tomllib
from pathlib import Path
from typing import Any

from sim.months import is_month
from sim.scenario.errors import ScenarioError, display_path
from sim.vocabulary.outcomes import MODEL_INDICATORS, OUTCOMES, TRADE_COMPONENTS, indicator_unit

SCENARIOS_DIR = Path(__file__).resolve().parents[2] / "scenarios"
CATALOGUE = SCENARIOS_DIR / "catalogue" / "defaults.toml"
"""The national catalogue of defaults shipped with the program."""
EVALUATION = SCENARIOS_DIR / "evaluation_methods.toml"
"""The national evaluation (peers and methods) a zone file's rank target is scored with."""

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

EAST = ("北京", "天津", "河北", "上海", "江苏", "浙江", "福建", "山东", "广东", "海南")
"""The eastern provinces of the national statistics' four-region split; every other province is
ranked on the central, western and north-eastern board."""
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
PROJECT_KEYS = {"name_zh", "name_en", "kind", "due", "id", "plan_task", "delay_months"}
MILESTONE_KEYS = {"name_zh", "name_en", "business_type", "kind", "due", "id", "plan_task", "delay_months"}
EFFECT_KEYS = ("lead_rate_multiplier", "trade_multiplier")

DEFAULT_REPLICATIONS = 1000
"""Replications of a zone file's run unless ``[plan] replications`` says otherwise (about ±3 points)."""


def is_zone_file(data: dict) -> bool:
    """True when the (merged) TOML data is a zone file: it has a ``[zone]`` table."""
    return isinstance(data.get("zone"), dict)


def load_catalogue(path: Path = CATALOGUE) -> dict:
    """The catalogue of defaults (a plain dict)."""
    with open(path, "rb") as f:
        return tomllib.load(f)


class _Where:
    """Names the file that set a key, for error messages."""

    def __init__(self, path: Path, origin: dict):
        self.default = display_path(path)
        self.origin = origin

    def fail(self, key: str, msg: str) -> ScenarioError:
        parts = key.split(".")
        src = self.default
        for i in range(len(parts), 0, -1):
            k = ".".join(parts[:i])
            if k in self.origin:
                src = self.origin[k]
                break
        return ScenarioError(f"{src}: {key}: {msg}")


# ----------------------------------------------------------------------------- values


def _dist(w: _Where, key: str, v: Any, *, low: float = 0.0, high: float = math.inf) -> dict | float:
    """A base-year figure: a number, ``[low, mode, high]`` (triangular) or a distribution table."""
    if isinstance(v, bool):
        raise w.fail(key, f"expected a number or [low, mode, high], got {v!r}")
    if isinstance(v, int | float):
        if not (low <= v <= high) or not math.isfinite(v):
            raise w.fail(key, f"expected a number in [{low:g}, {high:g}], got {v!r}")
        return float(v)
    if isinstance(v, list):
        if len(v) != 3 or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in v):
            raise w.fail(key, f"expected a number or three numbers [low, mode, high], got {v!r}")
        a, m, b = (float(x) for x in v)
        if not (a <= m <= b):
            raise w.fail(key, f"expected low <= mode <= high, got {v!r}")
        if a < low or b > high:
            raise w.fail(key, f"expected values in [{low:g}, {high:g}], got {v!r}")
        return {"dist": "fixed", "value": a} if a == b else {"dist": "triangular", "low": a, "mode": m, "high": b}
    if isinstance(v, dict) and "dist" in v:
        return copy.deepcopy(v)  # the scenario vocabulary; validated by the scenario schema
    raise w.fail(key, f"expected a number or [low, mode, high], got {v!r}")


def _mean(d: dict | float) -> float:
    """Central value of a figure, for converting relative defaults (numbers and the common tables)."""
    if isinstance(d, int | float):
        return float(d)
    kind = d["dist"]
    if kind == "fixed":
        return float(d["value"])
    if kind == "triangular":
        return (d["low"] + d["mode"] + d["high"]) / 3
    if kind == "uniform":
        return (d["low"] + d["high"]) / 2
    if kind == "pert":
        return (d["low"] + 4 * d["mode"] + d["high"]) / 6
    if kind == "normal":
        return float(d["mean"])
    if kind == "lognormal":
        return float(d["median"]) * math.exp(d["sigma"] ** 2 / 2)
    raise ScenarioError(f"distribution {kind!r} has no central value for the zone defaults; use triangular")


def _scale(d: dict | float, k: float) -> dict | float:
    """A catalogue distribution multiplied by ``k`` >= 0 (triangular, uniform, pert or a number)."""
    if isinstance(d, int | float):
        return float(d) * k
    out = dict(d)
    for f in ("low", "mode", "high", "value"):
        if f in out:
            out[f] = out[f] * k
    if k == 0:
        return 0.0
    return out


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return s or "zone"


def _typed(w: _Where, section: str, table: Any, required: dict, optional: dict) -> dict:
    if not isinstance(table, dict):
        raise w.fail(section, f"expected a table [{section}]")
    unknown = sorted(set(table) - set(required) - set(optional))
    if unknown:
        raise w.fail(f"{section}.{unknown[0]}", f"unknown key; expected some of {sorted({*required, *optional})}")
    for k in required:
        if k not in table:
            raise w.fail(f"{section}.{k}", "missing key (required; see docs/zones.md)")
    for k, v in table.items():
        t = {**required, **optional}[k]
        ok = isinstance(v, t) and not isinstance(v, bool) if t is not float else isinstance(v, int | float)
        if t is float and isinstance(v, bool):
            ok = False
        if not ok:
            raise w.fail(f"{section}.{k}", f"expected {'a number' if t is not str else 'text'}, got {v!r}")
        if t is str and not v.strip():
            raise w.fail(f"{section}.{k}", "expected text, got an empty string")
    return table


# ----------------------------------------------------------------------------- expansion


def expand(data: dict, path: Path, origin: dict | None = None, catalogue: dict | None = None) -> dict:
    """The full scenario dict of a zone file (what :func:`sim.scenario.loader.validate_data` reads)."""
    w = _Where(path, origin or {})
    cat = catalogue if catalogue is not None else load_catalogue()
    allowed = {"extends", *ZONE_SECTIONS, *FULL_SECTIONS}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise w.fail(unknown[0], f"unknown section of a zone file; expected some of {sorted(allowed - {'extends'})}")

    zone = _typed(w, "zone", data["zone"], ZONE_KEYS, ZONE_OPTIONAL)
    if zone["province"] not in PROVINCES:
        raise w.fail("zone.province", f"unknown province {zone['province']!r}; expected one of {', '.join(PROVINCES)}")
    if not zone["fenced_area_km2"] > 0:
        raise w.fail("zone.fenced_area_km2", f"expected an area > 0 km2, got {zone['fenced_area_km2']!r}")
    if not is_month(zone["accepted"]):
        raise w.fail("zone.accepted", f'expected a month "YYYY-MM", got {zone["accepted"]!r}')
    if "plan" not in data:
        raise w.fail("plan", "missing section [plan] (document, start, horizon_months)")
    plan = _typed(w, "plan", data["plan"], PLAN_KEYS, PLAN_OPTIONAL)
    if not (is_month(plan["start"]) and plan["start"].endswith("-01")):
        raise w.fail("plan.start", f'expected a January "YYYY-01", got {plan["start"]!r}')
    if not (0 < plan["horizon_months"] <= 120 and plan["horizon_months"] % 12 == 0):
        raise w.fail("plan.horizon_months", f"expected 12, 24, ... up to 120 months, got {plan['horizon_months']!r}")
    if zone["accepted"] >= plan["start"]:
        raise w.fail(
            "zone.accepted",
            f"{zone['accepted']} is not before the plan's start {plan['start']}; the base year needs an operating zone",
        )
    y0 = int(plan["start"][:4])
    years = list(range(y0, y0 + plan["horizon_months"] // 12))

    by, n_by_sector = _base_year(w, data.get("base_year"), cat)
    milestones, opened = _milestones(w, data.get("milestones", []), cat, n_by_sector)
    sectors_in = [s for s in cat["sectors"] if (n_by_sector.get(s, 0) > 0 or s in opened)]
    if not sectors_in:
        raise w.fail("base_year.enterprises", "no sector has enterprises; state the zone's firms by sector")
    projects = _projects(w, data.get("projects", []), cat, set(milestones))

    full: dict[str, Any] = {
        "scenario": {
            "name": zone.get("name") or _slug(zone["name_en"]),
            "zone": zone["name_en"],
            "zone_zh": zone["name_zh"],
            "name_zh": zone["name_zh"],
            "name_en": zone["name_en"],
            "description": plan.get("description_en", f"Zone file: {zone['name_en']}, plan {plan['document']}."),
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
        _dynamics(w, zone, by, n_by_sector, sectors_in, opened, cat, projects, milestones)  # constants...
    )
    full["base_year"] = {**by, "enterprises": {s: by_enterprises(data, s, n_by_sector) for s in sectors_in}}
    if not any(isinstance(v, dict) or v > 0 for v in full["base_year"]["enterprises"].values()):
        raise w.fail("base_year.enterprises", "no sector has enterprises")
    full["targets"] = _targets(w, data.get("targets"), plan, years, projects, milestones)
    if any(t["indicator"] == "rank" for t in full["targets"].values()):
        full["ranking"] = _ranking(w, zone, years, data.get("ranking"))
    for sec in FULL_SECTIONS:  # the planner's own statements win over the defaults
        if sec in data:
            if not isinstance(data[sec], dict):
                raise w.fail(sec, f"expected a table [{sec}]")
            full[sec] = _merge(full.get(sec, {}), data[sec])
    return full


def by_enterprises(data: dict, sector: str, n_by_sector: dict) -> Any:
    """A sector's base-year enterprises as stated (0 for a sector a milestone opens)."""
    stated = data["base_year"]["enterprises"].get(sector, 0)
    if isinstance(stated, list):
        a, m, b = (float(x) for x in stated)
        return {"dist": "fixed", "value": a} if a == b else {"dist": "triangular", "low": a, "mode": m, "high": b}
    return copy.deepcopy(stated)


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and "dist" not in v:
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _base_year(w: _Where, table: Any, cat: dict) -> tuple[dict, dict[str, float]]:
    if not isinstance(table, dict):
        raise w.fail("base_year", "missing section [base_year] (the zone's statistics for the year before the start)")
    allowed = {*BASE_REQUIRED, *BASE_OPTIONAL, "enterprises"}
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise w.fail(f"base_year.{unknown[0]}", f"unknown key; expected some of {sorted(allowed)}")
    for k in (*BASE_REQUIRED, "enterprises"):
        if k not in table:
            raise w.fail(f"base_year.{k}", "missing key (required; see docs/zones.md)")
    by = {}
    for k in (*BASE_REQUIRED, *BASE_OPTIONAL):
        if k in table:
            by[k] = _dist(w, f"base_year.{k}", table[k], high=100.0 if k == "development_rate" else math.inf)
    ent = table["enterprises"]
    if not isinstance(ent, dict) or not ent:
        raise w.fail("base_year.enterprises", "expected a table of sectors, e.g. { processing = 30, logistics = 50 }")
    n: dict[str, float] = {}
    for s, v in ent.items():
        if s not in cat["sectors"]:
            raise w.fail(f"base_year.enterprises.{s}", f"unknown sector; expected some of {sorted(cat['sectors'])}")
        d = _dist(w, f"base_year.enterprises.{s}", v)
        n[s] = _mean(d)
    total = sum(n.values())
    if total <= 0:
        raise w.fail("base_year.enterprises", "the sectors' enterprises add up to 0; state the zone's firms")
    if "active_enterprises" in by:  # the sector counts are then shares of the stated total
        act = _mean(by["active_enterprises"])
        n = {s: v * act / total for s, v in n.items()}
    trade = sum(_mean(by[k]) for k in TRADE_COMPONENTS if k in by)
    if trade <= 0:
        raise w.fail(
            "base_year.trade_processing",
            "the base-year trade figures add up to 0; the defaults scale new firms to the zone's own trade",
        )
    return by, n


def _milestones(w: _Where, items: Any, cat: dict, n: dict) -> tuple[dict, dict[str, str]]:
    """Milestone specs by id, and the sectors each business-type milestone opens (sector -> id)."""
    if not isinstance(items, list):
        raise w.fail("milestones", "expected [[milestones]] entries")
    kinds = cat["milestone_kinds"]
    opens = {s["opened_by"]: sid for sid, s in cat["sectors"].items() if "opened_by" in s}
    out: dict[str, dict] = {}
    opened: dict[str, str] = {}
    for i, m in enumerate(items):
        key = f"milestones[{i + 1}]"
        if not isinstance(m, dict):
            raise w.fail(key, "expected a table")
        _check_entry(w, key, m, MILESTONE_KEYS)
        kind = m.get("business_type", m.get("kind"))
        if ("business_type" in m) == ("kind" in m):
            raise w.fail(key, f"give one of business_type ({', '.join(opens)}) or kind ({', '.join(kinds)})")
        field = "business_type" if "business_type" in m else "kind"
        allowed = list(opens) if field == "business_type" else [k for k in kinds if k not in opens]
        if kind not in allowed:
            raise w.fail(f"{key}.{field}", f"unknown {field} {kind!r}; expected one of {allowed}")
        spec = kinds[kind]
        mid = m.get("id", _slug(kind))
        if mid in out:
            raise w.fail(f"{key}.id", f"id {mid!r} is used twice; give each milestone its own id")
        out[mid] = {
            "name_zh": m["name_zh"],
            "name_en": m["name_en"],
            "plan_task": m.get("plan_task", i + 1),
            "business_type": spec["business_type"],
            **_effects(w, key, m, spec["effects"]),
            "_due": m["due"],
            "_delay": m.get("delay_months", spec["delay_months"]),
        }
        if field == "business_type":
            sector = opens[kind]
            if n.get(sector, 0) > 0:
                raise w.fail(
                    f"{key}.business_type",
                    f"{kind} already runs in the base year (base_year.enterprises.{sector} > 0); "
                    f"a milestone launches a new business type: remove one of the two",
                )
            opened[sector] = mid
    return out, opened


def _check_entry(w: _Where, key: str, m: dict, keys: set) -> None:
    unknown = sorted(set(m) - keys - set(EFFECT_KEYS) - {"serviced_land_ha", "warehouse_k_m2", "footprint_ha"})
    if unknown:
        raise w.fail(f"{key}.{unknown[0]}", f"unknown key; expected some of {sorted(keys)}")
    for k in ("name_zh", "name_en", "due"):
        if not isinstance(m.get(k), str) or not m[k].strip():
            raise w.fail(f"{key}.{k}", "missing key (required; see docs/zones.md)" if k not in m else "expected text")
    if not is_month(m["due"]):
        raise w.fail(f"{key}.due", f'expected a month "YYYY-MM", got {m["due"]!r}')
    if "plan_task" in m and not (isinstance(m["plan_task"], int) and 1 <= m["plan_task"] <= 99):
        raise w.fail(f"{key}.plan_task", f"expected the plan's task number 1-99, got {m['plan_task']!r}")


def _effects(w: _Where, key: str, m: dict, default: dict) -> dict:
    out = {k: dict(default.get(k, {})) for k in EFFECT_KEYS}
    for k in EFFECT_KEYS:
        if k in m:
            if not isinstance(m[k], dict):
                raise w.fail(f"{key}.{k}", "expected a table, e.g. { logistics = 1.1 }")
            out[k] = dict(m[k])
    return out


def _projects(w: _Where, items: Any, cat: dict, milestone_ids: set) -> dict:
    if not isinstance(items, list):
        raise w.fail("projects", "expected [[projects]] entries")
    kinds = cat["project_kinds"]
    out: dict[str, dict] = {}
    for i, p in enumerate(items):
        key = f"projects[{i + 1}]"
        if not isinstance(p, dict):
            raise w.fail(key, "expected a table")
        _check_entry(w, key, p, PROJECT_KEYS)
        kind = p.get("kind")
        if kind not in kinds:
            raise w.fail(f"{key}.kind", f"unknown project kind {kind!r}; expected one of {list(kinds)}")
        spec = kinds[kind]
        sizes = {}
        for s in ("serviced_land_ha", "warehouse_k_m2", "footprint_ha"):
            if s in p:
                if s not in spec["sizes"]:
                    raise w.fail(
                        f"{key}.{s}", f"a {kind} project has no {s}; it may state {spec['sizes'] or 'no size'}"
                    )
                v = p[s]
                if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
                    raise w.fail(f"{key}.{s}", f"expected a number >= 0, got {v!r}")
                sizes[s] = float(v)
        pid = p.get("id", _slug(p["name_en"]))
        if pid in out or pid in milestone_ids:
            raise w.fail(f"{key}.id", f"id {pid!r} is used twice; give each project its own id")
        out[pid] = {
            "name_zh": p["name_zh"],
            "name_en": p["name_en"],
            "plan_task": p.get("plan_task", i + 1),
            **sizes,
            **_effects(w, key, p, spec["effects"]),
            "_due": p["due"],
            "_delay": p.get("delay_months", spec["delay_months"]),
        }
    return out


def _v(cat: dict, path: str) -> Any:
    node = cat
    for k in path.split("."):
        node = node[k]
    return node["value"] if isinstance(node, dict) and "value" in node else node


def _dynamics(w, zone, by, n, sectors_in, opened, cat, projects, milestones) -> dict:
    """constants, initial_state, levers and uncertainties: the catalogue converted at the zone's size."""
    sp = cat["sector_params"]
    present = {s: n.get(s, 0.0) for s in sectors_in}
    n_total = sum(n.values())
    trade = sum(_mean(by[k]) for k in TRADE_COMPONENTS if k in by)
    tw = sp["trade_weight"]
    per_weight = trade / sum(present[s] * tw[s] for s in present if present[s] > 0)  # 亿元 per unit of weight
    ew = sp["employees_weight"]
    emp = _mean(by["employees"])
    emp_per_weight = emp / sum(present[s] * ew[s] for s in present if present[s] > 0)
    manu = [s for s in present if cat["sectors"][s]["manufacturing"]]
    manu_trade = sum(present[s] * tw[s] * per_weight for s in manu)
    output = _mean(by["industrial_output"])

    # space: land plots shared by weight out of the developed land; warehouse per firm from the catalogue
    fenced_ha = zone["fenced_area_km2"] * 100
    developed = _mean(by["development_rate"]) / 100 * fenced_ha
    free_share = _v(cat, "processes.land.free_share_of_developed")
    plots = developed * (1 - _v(cat, "processes.land.roads_and_public_share")) - _mean(free_share) * developed
    pw = sp["plot_weight"]
    land_weight = sum(present[s] * pw[s] for s in present if cat["sectors"][s]["space"] == "land")
    wk = sp["warehouse_k_m2_per_firm"]
    wh_occupied = sum(present[s] * wk[s] for s in present if cat["sectors"][s]["space"] == "warehouse")

    sectors, unc = {}, {}
    for s in sectors_in:
        a = cat["sectors"][s]
        space = a["space"]
        if space == "land":
            if land_weight <= 0:
                raise w.fail(
                    f"base_year.enterprises.{s}",
                    "the zone has no land-using firms in the base year to size this sector's plots from; "
                    "state constants.sectors.<id>.space_per_firm",
                )
            per_firm = max(plots, 0.0) / land_weight * pw[s]
        elif space == "warehouse":
            per_firm = wk[s]
        else:
            per_firm = 0.0
        spec = {
            "name_en": a["name_en"],
            "name_zh": a["name_zh"],
            "space": space,
            "space_per_firm": round(per_firm, 6),
            "manufacturing": a["manufacturing"],
            "mode_shares": dict(a["mode_shares"]),
        }
        if a.get("commodity_exposed"):
            spec["commodity_exposed"] = True
        if s in opened:
            spec["requires_milestone"] = opened[s]
        sectors[s] = spec

        sign = sp["sign_prob"][s]
        if s in opened:
            entries = sp["new_type_entries_share_of_zone_firms"][s]
            base_n = n_total
        else:
            entries = sp["entries_share_per_year"][s]
            base_n = present[s]
        lead = _scale(entries, base_n / 12 / _mean(sign))
        avg_trade = tw[s] * per_weight
        t_sigma = sp["trade_sigma"][s]
        avg_emp = ew[s] * emp_per_weight
        e_sigma = sp["employees_sigma"][s]
        if a["manufacturing"]:
            if manu_trade > 0 and output > 0:
                ratio = _scale(sp["output_ratio_relative"][s], output / manu_trade)
            else:
                ratio = copy.deepcopy(sp["output_ratio_fallback"][s])
        else:
            ratio = 0.0
        unc[s] = {
            "lead_rate_per_month": lead,
            "sign_prob": copy.deepcopy(sign),
            "sign_delay_months": copy.deepcopy(sp["sign_delay_months"][s]),
            "max_wait_months": sp["max_wait_months"][s],
            "fitout_months": copy.deepcopy(sp["fitout_months"][s]),
            "rampup_months": copy.deepcopy(sp["rampup_months"][s]),
            "trade_median_yi": _scale(sp["new_firm_trade_relative"][s], avg_trade / math.exp(t_sigma**2 / 2)),
            "trade_sigma": t_sigma,
            "noise_sigma": sp["noise_sigma"][s],
            "output_ratio": ratio,
            "employees_median": _scale(sp["new_firm_employees_relative"][s], avg_emp / math.exp(e_sigma**2 / 2)),
            "employees_sigma": e_sigma,
            "foreign_prob": copy.deepcopy(sp["foreign_prob"][s]),
            "fdi_wan_usd": copy.deepcopy(sp["fdi_wan_usd"][s]),
            "exit_rate_per_year": copy.deepcopy(sp["exit_rate_per_year"][s]),
        }

    def strip(items: dict) -> dict:  # effects on sectors the zone does not have are dropped
        out = {}
        for iid, it in items.items():
            d = {k: v for k, v in it.items() if not k.startswith("_")}
            d["lead_rate_multiplier"] = {k: v for k, v in d["lead_rate_multiplier"].items() if k in sectors}
            out[iid] = {k: v for k, v in d.items() if v != {}}
        return out

    constants = {
        "fenced_area_km2": float(zone["fenced_area_km2"]),
        **{k: _v(cat, f"constants.{k}") for k in cat["constants"]},
        "sectors": sectors,
        "projects": strip(projects),
        "milestones": strip(milestones),
    }
    p = cat["processes"]
    uncertainties = {
        "macro": {k: _v(cat, f"processes.macro.{k}") for k in p["macro"]},
        "commodity": {k: _v(cat, f"processes.commodity.{k}") for k in p["commodity"]},
        "disruption": {k: _v(cat, f"processes.disruption.{k}") for k in p["disruption"]},
        "promotion": {"leads_per_event": _scale(_v(cat, "processes.promotion.leads_share_per_event"), n_total)},
        "funding_delay_elasticity": _v(cat, "processes.funding_delay_elasticity"),
        "sectors": unc,
        "project_delay_months": {k: copy.deepcopy(v["_delay"]) for k, v in projects.items()},
        "milestone_delay_months": {k: copy.deepcopy(v["_delay"]) for k, v in milestones.items()},
    }
    levers = {
        "promotion_events_per_year": _v(cat, "processes.promotion.events_per_year"),
        "infrastructure_funding": 1.0,
        "project_month": {k: v["_due"] for k, v in projects.items()},
        "milestone_month": {k: v["_due"] for k, v in milestones.items()},
    }
    initial_state = {
        "serviced_land_free_ha": _scale(free_share, developed),
        "warehouse_free_k_m2": _scale(_v(cat, "processes.warehouse.free_share_of_occupied"), wh_occupied),
    }
    return {"constants": constants, "initial_state": initial_state, "levers": levers, "uncertainties": uncertainties}


def _targets(w: _Where, table: Any, plan: dict, years: list[int], projects: dict, milestones: dict) -> dict:
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
                "source": f"{plan['document']}: {_target_words(ind, y, thr, projects, milestones)}",
            }
    return out


def _target_words(ind: str, year: str, thr: float, projects: dict, milestones: dict) -> str:
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


def _ranking(w: _Where, zone: dict, years: list[int], own: Any) -> dict:
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


# ----------------------------------------------------------------------------- loader hook


def expand_loaded(data: dict, overrides: list[str], path: Path, origin: dict) -> tuple[dict, list[str]]:
    """Expand a merged zone file for the loader: ``--set`` on the zone file's own sections applies
    first (so a changed base year rescales the defaults); the rest is returned for the full scenario."""
    from sim.scenario.loader import apply_overrides, parse_override

    early = [o for o in overrides if parse_override(o)[0][0] in ZONE_SECTIONS]
    late = [o for o in overrides if o not in early]
    data = apply_overrides(data, early, origin)
    full = expand({k: v for k, v in data.items() if k != "extends"}, path, origin)
    return full, late
