"""The notes of a zone file's values: where each value of its expanded scenario comes from.

The pack's assumption tables and the Excel scenario sheet show each value with its note, read
from the scenario file's comments (``sim.report.document.sources``). A zone file states few values;
the rest come from the national catalogue (``scenarios/catalogue/defaults.toml``), whose entries
carry ``note_zh`` and ``note_en``. :func:`zone_comments` gives every value of the expansion that the
file does not state the note of the catalogue entry it comes from (prefixed, for the values
converted at the zone's size, by how), written as a comment is (``English; zh: 中文``) so the
packs pick the reader's language; and it moves the comments of the zone file's own keys to the
keys of the full scenario they become (``zone.fenced_area_km2`` -> ``constants.fenced_area_km2``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.scenario.loader import load_scenario, resolve_chain
from sim.scenario.zone import is_zone_file
from sim.scenario.zone_defaults import Where, load_catalogue
from sim.scenario.zone_items import milestones_of, projects_of

MOVED = {
    "zone.fenced_area_km2": "constants.fenced_area_km2",
    "zone.name_en": "scenario.zone",
    "zone.name_zh": "scenario.zone_zh",
    "plan.document": "scenario.plan",
    "plan.description_en": "scenario.description",
    "plan.description_zh": "scenario.description_zh",
    "plan.start": "run.start",
    "plan.horizon_months": "run.horizon_months",
    "plan.replications": "run.replications",
    "plan.seed": "run.seed",
}
"""Zone-file keys and the full scenario's keys they become."""

CONVERTED = (
    "Catalogue default converted at this zone's base year",
    "全国默认值按本园区基准年换算",
)
DEFAULT = ("Catalogue default", "全国默认值")
CONVERTED_WORKS = (
    "Catalogue default from the sizes of this zone file's projects",
    "全国默认值按本园区文件所列工程规模估算",
)
DUE = ("The zone file's date for it (plan {doc})", "园区文件所列日期（规划{doc}）")

SECTOR_PARAM = {
    "lead_rate_per_month": "entries_share_per_year",
    "trade_median_yi": "new_firm_trade_relative",
    "employees_median": "new_firm_employees_relative",
    "output_ratio": "output_ratio_relative",
}
"""A sector uncertainty converted from a catalogue table of another name."""


def note(entry: dict, how: tuple[str, str] = DEFAULT) -> str:
    """A catalogue entry's notes as a scenario comment (English; ``zh:`` Chinese)."""
    en, zh = str(entry.get("note_en", "")), str(entry.get("note_zh", "")).replace(";", "；")
    return f"{how[0]}: {en}; zh: {how[1]}：{zh}"


def _stated(data: dict, path: str) -> bool:
    cur: Any = data
    for p in path.split("."):
        if not isinstance(cur, dict) or p not in cur:
            return False
        cur = cur[p]
    return True


def _leaves(d: Any, prefix: str) -> list[str]:
    if isinstance(d, dict) and d and "dist" not in d:
        return [p for k, v in d.items() for p in _leaves(v, f"{prefix}.{k}")]
    return [prefix]


def catalogue_notes(data: dict, full: dict, cat: dict, path: Path) -> dict[str, str]:
    """Notes of the expanded values the zone file does not state, by key path."""
    w = Where(path, {})
    sp, proc = cat["sector_params"], cat["processes"]
    ms, _ = milestones_of(w, data.get("milestones", []), cat, {})
    kinds = {
        **{
            k: cat["project_kinds"][p["kind"]]
            for k, p in zip(projects_of(w, data.get("projects", []), cat, set()), data.get("projects", []), strict=True)
        },
        **{
            k: cat["milestone_kinds"][m.get("business_type", m.get("kind"))]
            for k, m in zip(ms, data.get("milestones", []), strict=True)
        },
    }
    doc = str(data.get("plan", {}).get("document", ""))
    due = (DUE[0].format(doc=f'"{doc}"'), DUE[1].format(doc=f"“{doc}”"))
    opened = {s for s, v in full["constants"]["sectors"].items() if "requires_milestone" in v}
    out: dict[str, str] = {}
    for sec in ("constants", "initial_state", "levers", "lever_ranges", "lever_costs", "uncertainties"):
        for p in _leaves(full.get(sec, {}), sec):
            parts = p.split(".")
            if _stated(data, p) or len(parts) < 2:
                continue
            if parts[:2] in (["levers", "project_month"], ["levers", "milestone_month"]):
                out[p] = f"{due[0]}; zh: {due[1]}"
                continue
            entry, how = _entry(parts, cat, sp, proc, kinds, opened, full)
            if entry is not None:
                out[p] = note(entry, how)
    return out


def _entry(parts, cat, sp, proc, kinds, opened, full) -> tuple[dict | None, tuple[str, str]]:
    sec, rest = parts[0], parts[1:]
    if sec == "constants":
        if rest[0] in cat["constants"]:
            return cat["constants"][rest[0]], DEFAULT
        if rest[0] == "sectors" and len(rest) > 2:
            s, f = rest[1], rest[2]
            space = full["constants"]["sectors"][s]["space"]
            if f == "space_per_firm" and space != "none":
                return sp["plot_weight" if space == "land" else "warehouse_k_m2_per_firm"], CONVERTED
            return cat["sectors"][s], DEFAULT
        if rest[0] in ("projects", "milestones") and len(rest) > 1:
            return kinds.get(rest[1]), DEFAULT
    if sec == "initial_state":
        if rest[0] == "pipeline_months":
            return proc["pipeline_months"], DEFAULT
        key = {"serviced_land_free_ha": ("land", "free_share_of_developed")}.get(
            rest[0], ("warehouse", "free_share_of_occupied")
        )
        return proc[key[0]][key[1]], CONVERTED
    if sec in ("levers", "lever_ranges", "lever_costs"):
        if sec == "levers" and rest[0] == "promotion_events_per_year":
            return proc["promotion"]["events_per_year"], DEFAULT
        if sec == "lever_costs" and rest[0] in ("infrastructure_funding", "project_month"):
            return cat["levers"]["works_cost"], CONVERTED_WORKS
        return cat["levers"].get(rest[0]), DEFAULT
    if sec == "uncertainties":
        if rest[0] in ("macro", "commodity", "disruption") and len(rest) > 1:
            return proc[rest[0]][rest[1]], DEFAULT
        if rest[0] == "funding_delay_elasticity":
            return proc["funding_delay_elasticity"], DEFAULT
        if rest[0] == "promotion":
            return proc["promotion"]["leads_share_per_event"], CONVERTED
        if rest[0] in ("project_delay_months", "milestone_delay_months") and len(rest) > 1:
            return kinds.get(rest[1]), DEFAULT
        if rest[0] == "sectors" and len(rest) > 2:
            s, f = rest[1], rest[2]
            if f == "lead_rate_per_month" and s in opened:
                return sp["new_type_entries_share_of_zone_firms"], CONVERTED
            name = SECTOR_PARAM.get(f, f)
            if f == "output_ratio" and s not in sp["output_ratio_relative"]:
                return cat["sectors"][s], DEFAULT  # not a manufacturer: no output
            if name in sp:
                return sp[name], CONVERTED if f in SECTOR_PARAM else DEFAULT
    return None, DEFAULT


def zone_comments(path: Path, comments: dict[str, str]) -> dict[str, str]:
    """The comments of a scenario file (``comments``, read from it and the files it extends), with,
    for a zone file, its own keys' comments moved to the keys they become and the catalogue's
    notes for every value it does not state. Any other file's comments come back unchanged."""
    data = resolve_chain(path)
    if not is_zone_file(data):
        return comments
    full = load_scenario(path).resolved
    moved = {MOVED[k]: v for k, v in comments.items() if k in MOVED}
    return {**catalogue_notes(data, full, load_catalogue(), path), **moved, **comments}
