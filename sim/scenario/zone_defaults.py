"""The catalogue of national defaults and its conversion at a zone's own size (docs/zones.md).

:func:`convert` turns the catalogue's relative statements (entries as a share of a sector's
base-year firms, a new firm's size relative to the sector's base-year average firm, free space as a
share of the zone's own) into the absolute parameters the model reads, from one zone's base year.
The value helpers here read a zone file's figures and name the file and key of any mistake.
"""

from __future__ import annotations

import copy
import math
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from sim.months import month_at
from sim.scenario.distributions import Dist
from sim.scenario.errors import ScenarioError, display_path
from sim.scenario.fields import plausible_span
from sim.scenario.ranges import Range
from sim.vocabulary.outcomes import TRADE_COMPONENTS

SCENARIOS_DIR = Path(__file__).resolve().parents[2] / "scenarios"
CATALOGUE = SCENARIOS_DIR / "catalogue" / "defaults.toml"
"""The national catalogue of defaults shipped with the program."""


def load_catalogue(path: Path = CATALOGUE) -> dict:
    """The catalogue of defaults (a plain dict)."""
    with open(path, "rb") as f:
        return tomllib.load(f)


class Where:
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


def figure(
    w: Where, key: str, v: Any, *, low: float = 0.0, high: float = math.inf, rng: Range | None = None
) -> dict | float:
    """A base-year figure: a number, ``[low, mode, high]`` (triangular) or a distribution table (held
    to ``rng`` before the defaults are converted from it, so an absurd one is refused as itself
    rather than through the values it would spoil)."""
    if isinstance(v, bool):
        raise w.fail(key, f"expected a number or [low, mode, high], got {v!r}")
    if isinstance(v, int | float):
        if not (low <= v <= high) or not math.isfinite(v):
            raise w.fail(key, f"expected a number in [{low:g}, {high:g}], got {v!r}")
        return v  # as stated (a whole number stays one in the resolved scenario)
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
        if rng is not None:
            try:
                a, b = plausible_span(_DIST.validate_python(v))
            except (ValidationError, TypeError, ValueError):
                return copy.deepcopy(v)  # the scenario schema names what is wrong with it
            if not rng.contains(a, b):
                raise w.fail(key, rng.refusal(f"this distribution spans [{a:g}, {b:g}]"))
        return copy.deepcopy(v)  # the scenario vocabulary; validated by the scenario schema
    raise w.fail(key, f"expected a number or [low, mode, high], got {v!r}")


def central(d: dict | float) -> float:
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
    try:  # any other distribution of the scenario vocabulary (a fitted beta, a poisson...): its mean
        return float(_DIST.validate_python(d).mean())
    except (ValidationError, TypeError) as e:
        raise ScenarioError(f"distribution {d!r} has no mean for the zone defaults: {e}") from None


_DIST: TypeAdapter = TypeAdapter(Dist)


def scaled(d: dict | float, k: float) -> dict | float:
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


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return s or "zone"


def catalogue_value(cat: dict, path: str) -> Any:
    node = cat
    for k in path.split("."):
        node = node[k]
    return node["value"] if isinstance(node, dict) and "value" in node else node


def convert(w, zone, by, n, sectors_in, opened, cat, projects, milestones) -> dict:
    """constants, initial_state, levers and uncertainties: the catalogue converted at the zone's size."""
    sp = cat["sector_params"]
    present = {s: n.get(s, 0.0) for s in sectors_in}
    n_total = sum(n.values())
    trade = sum(central(by[k]) for k in TRADE_COMPONENTS if k in by)
    tw = sp["trade_weight"]
    per_weight = trade / sum(present[s] * tw[s] for s in present if present[s] > 0)  # 亿元 per unit of weight
    ew = sp["employees_weight"]
    emp = central(by["employees"])
    emp_per_weight = emp / sum(present[s] * ew[s] for s in present if present[s] > 0)
    manu = [s for s in present if cat["sectors"][s]["manufacturing"]]
    manu_trade = sum(present[s] * tw[s] * per_weight for s in manu)
    output = central(by["industrial_output"])

    # space: land plots shared by weight out of the developed land; warehouse per firm from the catalogue
    fenced_ha = zone["fenced_area_km2"] * 100
    developed = central(by["development_rate"]) / 100 * fenced_ha
    free_share = catalogue_value(cat, "processes.land.free_share_of_developed")
    plots = (
        developed * (1 - catalogue_value(cat, "processes.land.roads_and_public_share"))
        - central(free_share) * developed
    )
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
        }
        if a.get("commodity_exposed"):
            spec["commodity_exposed"] = True
        if s in opened:
            spec["requires_milestone"] = opened[s]
        spec["mode_shares"] = dict(a["mode_shares"])
        sectors[s] = spec

        sign = sp["sign_prob"][s]
        if s in opened:
            lead = scaled(sp["new_type_entries_share_of_zone_firms"][s], n_total / 12 / central(sign))
        elif present[s] > 0:
            lead = scaled(sp["entries_share_per_year"][s], present[s] / 12 / central(sign))
        else:  # brought by a leader pipeline or stated by the file: no ordinary entrants by default
            lead = 0.0
        avg_trade = tw[s] * per_weight
        t_sigma = sp["trade_sigma"][s]
        avg_emp = ew[s] * emp_per_weight
        e_sigma = sp["employees_sigma"][s]
        if a["manufacturing"]:
            if manu_trade > 0 and output > 0:
                ratio = scaled(sp["output_ratio_relative"][s], output / manu_trade)
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
            "trade_median_yi": scaled(sp["new_firm_trade_relative"][s], avg_trade / math.exp(t_sigma**2 / 2)),
            "trade_sigma": t_sigma,
            "noise_sigma": sp["noise_sigma"][s],
            "output_ratio": ratio,
            "employees_median": scaled(sp["new_firm_employees_relative"][s], avg_emp / math.exp(e_sigma**2 / 2)),
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
        **{k: catalogue_value(cat, f"constants.{k}") for k in cat["constants"]},
        "sectors": sectors,
        "projects": strip(projects),
        "milestones": strip(milestones),
    }
    p = cat["processes"]
    uncertainties = {
        "funding_delay_elasticity": catalogue_value(cat, "processes.funding_delay_elasticity"),
        "macro": {k: catalogue_value(cat, f"processes.macro.{k}") for k in p["macro"]},
        "commodity": {k: catalogue_value(cat, f"processes.commodity.{k}") for k in p["commodity"]},
        "disruption": {k: catalogue_value(cat, f"processes.disruption.{k}") for k in p["disruption"]},
        "promotion": {
            "leads_per_event": scaled(catalogue_value(cat, "processes.promotion.leads_share_per_event"), n_total)
        },
        "sectors": unc,
        "project_delay_months": {k: copy.deepcopy(v["_delay"]) for k, v in projects.items()},
        "milestone_delay_months": {k: copy.deepcopy(v["_delay"]) for k, v in milestones.items()},
    }
    levers = {
        "promotion_events_per_year": catalogue_value(cat, "processes.promotion.events_per_year"),
        "infrastructure_funding": 1.0,
        "project_month": {k: v["_due"] for k, v in projects.items()},
        "milestone_month": {k: v["_due"] for k, v in milestones.items()},
    }
    initial_state = {
        "serviced_land_free_ha": scaled(free_share, developed),
        "warehouse_free_k_m2": scaled(catalogue_value(cat, "processes.warehouse.free_share_of_occupied"), wh_occupied),
        "pipeline_months": catalogue_value(cat, "processes.pipeline_months"),
    }
    return {"constants": constants, "initial_state": initial_state, "levers": levers, "uncertainties": uncertainties}


def lever_defaults(cat: dict, projects: dict, kinds: dict, milestones: dict, years: list[int], leaders: dict) -> dict:
    """``lever_ranges`` and ``lever_costs`` of a zone file from the catalogue's ``[levers]`` (``kinds``:
    each project's kind by id): ranges
    around the zone file's own due months and leader candidates, costs from its projects' sizes
    (docs/zones.md, "Levers")."""
    lv = cat["levers"]
    wc = lv["works_cost"]

    def works(pid: str, p: dict) -> float:
        land = p.get("serviced_land_ha", 0.0) + p.get("footprint_ha", 0.0)
        fixed = {"gate": wc["gate_wan"], "platform": wc["platform_wan"]}.get(kinds[pid], 0.0)
        return (
            land * wc["serviced_land_per_ha_wan"] + p.get("warehouse_k_m2", 0.0) * wc["warehouse_per_k_m2_wan"] + fixed
        )

    def around(due: str, months: int) -> dict:
        return {
            "low": max(month_at(-months, due), f"{years[0]}-01"),
            "high": month_at(months, due),
        }  # not before the start

    costs = [works(pid, p) for pid, p in projects.items()]
    ranges = {
        "promotion_events_per_year": dict(lv["promotion_events_per_year"]["range"]),
        "infrastructure_funding": dict(lv["infrastructure_funding"]["range"]),
        "project_month": {k: around(p["_due"], lv["project_month"]["range_months"]) for k, p in projects.items()},
        "milestone_month": {k: around(m["_due"], lv["milestone_month"]["range_months"]) for k, m in milestones.items()},
        "leader_candidates": {
            k: {
                "low": max(0, n - lv["leader_candidates"]["range_extra"]),
                "high": n + lv["leader_candidates"]["range_extra"],
            }
            for k, n in leaders.items()
            if isinstance(n, int) and not isinstance(n, bool)
        },
    }
    lever_costs = {
        "promotion_events_per_year": lv["promotion_events_per_year"]["cost_per_event_wan"] * len(years),
        "infrastructure_funding": round(sum(costs), 6),
        "project_month": round(
            lv["project_month"]["cost_share_per_month"] * (sum(costs) / len(costs) if costs else 0.0), 6
        ),
        "milestone_month": lv["milestone_month"]["cost_wan"],
        "leader_candidates": lv["leader_candidates"]["cost_wan"],
    }
    return {"lever_ranges": {k: v for k, v in ranges.items() if v != {}}, "lever_costs": lever_costs}
