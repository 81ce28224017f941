"""The lever catalogue: what planners control, as data read from a scenario.

A lever is addressed by its id, the key path under ``[levers]``: ``promotion_events_per_year``,
``infrastructure_funding``, ``project_month.<project>``, ``milestone_month.<milestone>`` and
``leader_candidates.<pipeline>``. Experiments handle every lever as a number:

* counts (events a year, candidates) as whole numbers;
* funding as a factor (1 = as planned);
* months as the model's clock time at the end of the month (``"2022-12"`` is 12 when the run
  starts in 2022-01, :func:`sim.months.month_end`), converted back to ``"YYYY-MM"`` when a
  scenario is made.

A lever value is applied by making a new, validated scenario (:func:`with_levers`) with the typed
values of :func:`sim.scenario.loader.with_values`, as ``--set levers.<id>=<value>`` would; the base
scenario is never changed. The kinds of lever, their bounds and effects are the registry :data:`sim.vocabulary.levers.LEVERS`; plan task numbers, names
and effects come from the scenario's constants, so nothing here is specific to one zone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.months import month_end, month_of_end
from sim.scenario.loader import LoadedScenario, ScenarioError, with_values
from sim.scenario.schema import Scenario
from sim.vocabulary.levers import LEVERS, LeverDef


@dataclass(frozen=True)
class Lever:
    """One lever of a scenario, with everything the catalogue prints.

    ``id``: key path under ``[levers]``, e.g. ``"milestone_month.cbec_site"``; ``kind``, ``unit``,
    ``meaning``, ``moves`` and ``more_is_effort`` as in :class:`sim.vocabulary.levers.LeverDef`;
    ``plan_task``: task number in section 二 of the plan (None if unknown); ``baseline``: the
    scenario's own value as a number (months: clock time at the end of the month); ``allowed``:
    what the schema accepts (months: unbounded); ``range``: the declared study range
    (``[lever_ranges]``) as numbers, or None; ``definition``: the registry entry."""

    id: str
    kind: str
    name_en: str
    name_zh: str
    plan_task: int | None
    meaning: str
    unit: str
    baseline: float
    allowed: tuple[float, float]
    range: tuple[float, float] | None
    moves: str
    more_is_effort: bool
    definition: LeverDef

    @property
    def is_int(self) -> bool:
        return self.kind in ("count", "month")


# ----------------------------------------------------------------------------- catalogue


def _effects(spec) -> list[str]:
    out = []
    if getattr(spec, "serviced_land_ha", 0):
        out.append(f"+{spec.serviced_land_ha:g} ha serviced land")
    if getattr(spec, "footprint_ha", 0):
        out.append(f"+{spec.footprint_ha:g} ha developed by the works")
    if getattr(spec, "warehouse_k_m2", 0):
        out.append(f"+{spec.warehouse_k_m2:g}k m2 warehouse")
    for s, f in spec.lead_rate_multiplier.items():
        out.append(f"lead rate of {s} x{f:g}")
    for m, f in spec.trade_multiplier.items():
        out.append(f"{m} trade x{f:g}")
    if getattr(spec, "business_type", False):
        out.append("counts as a new business type")
    if spec.depends_on:
        out.append(f"waits for {', '.join(spec.depends_on)}")
    return out


def _fields(d: LeverDef, eid: str, spec, c) -> dict:
    """What the registry's meaning/moves templates of one entry refer to."""
    if d.entity == "leaders":
        return dict(id=eid, spec=spec, space=c.sectors[spec.sector].space)
    eff = _effects(spec)
    if d.entity == "milestones":
        gated = [s for s, ss in c.sectors.items() if ss.requires_milestone == eid]
        if gated:
            eff.insert(0, f"sector(s) {', '.join(gated)} may open")
    return dict(id=eid, spec=spec, effects="; ".join(eff) if eff else f"done_{eid} only")


def _number(d: LeverDef, value, start: str) -> float:
    return float(month_end(value, start)) if d.kind == "month" else float(value)


def catalogue(sc: Scenario) -> list[Lever]:
    """Every lever of the scenario, in schema order."""
    lv, c, r, start = sc.levers, sc.constants, sc.lever_ranges, sc.run.start
    out: list[Lever] = []

    def make(d, lid, name_en, name_zh, plan_task, value, entry, fields):
        rng = None if entry is None else (_number(d, entry.low, start), _number(d, entry.high, start))
        out.append(
            Lever(
                id=lid,
                kind=d.kind,
                name_en=name_en,
                name_zh=name_zh,
                plan_task=plan_task,
                meaning=d.meaning.format(**fields),
                unit=d.unit,
                baseline=_number(d, value, start),
                allowed=(float(d.low), float(d.high)),
                range=rng,
                moves=d.moves.format(**fields),
                more_is_effort=d.more_is_effort,
                definition=d,
            )
        )

    for group, d in LEVERS.items():
        if d.entity is None:
            entry = getattr(r, group)
            make(d, group, d.name_en, d.name_zh, entry.plan_task if entry else None, getattr(lv, group), entry, {})
            continue
        for eid, spec in getattr(c, d.entity).items():
            make(
                d,
                f"{group}.{eid}",
                spec.name_en,
                spec.name_zh,
                spec.plan_task,
                getattr(lv, group)[eid],
                getattr(r, group).get(eid),
                _fields(d, eid, spec, c),
            )
    return out


def lever_ids(sc: Scenario) -> list[str]:
    return [lv.id for lv in catalogue(sc)]


def find(sc: Scenario, lever_id: str) -> Lever:
    """The lever with this id (``levers.`` prefix allowed); ScenarioError naming the valid ids otherwise."""
    lid = lever_id.removeprefix("levers.")
    for lv in catalogue(sc):
        if lv.id == lid:
            return lv
    raise ScenarioError(f"--lever {lever_id}: unknown lever; expected one of {', '.join(lever_ids(sc))}")


def ranged(sc: Scenario) -> list[Lever]:
    """Levers with a declared study range (those ``sensitivity`` and ``discover`` vary)."""
    return [lv for lv in catalogue(sc) if lv.range is not None and lv.range[0] < lv.range[1]]


def short_label(lv: Lever, lang: str = "en") -> str:
    """What the lever's value measures, for axes and rules: "Processing-trade leaders: candidates pursued"."""
    d = lv.definition
    return d.short_en.format(name=lv.name_en) if lang == "en" else d.short_zh.format(name=lv.name_zh)


# ----------------------------------------------------------------------------- values


def display(lv: Lever, value: float, start: str) -> str:
    """A lever value as a planner writes it: months as "YYYY-MM", counts whole, factors as %g."""
    if lv.kind == "month":
        return month_of_end(round(value), start)
    if lv.kind == "count":
        return str(round(value))
    return f"{value:g}"


def toml_value(lv: Lever, value: float, start: str):
    if lv.kind == "month":
        return month_of_end(round(value), start)
    if lv.kind == "count":
        return round(value)
    return float(value)


def parse_value(lv: Lever, text: str, start: str) -> float:
    text = text.strip()
    if lv.kind == "month":
        if len(text) == 7 and text[4] == "-":
            try:
                return float(month_end(text, start))
            except ValueError:
                pass
        raise ScenarioError(f"--lever {lv.id}: expected months as YYYY-MM, got {text!r}")
    try:
        v = float(text)
    except ValueError:
        raise ScenarioError(f"--lever {lv.id}: expected a number, got {text!r}") from None
    if lv.kind == "count" and v != int(v):
        raise ScenarioError(f"--lever {lv.id}: expected a whole number, got {text!r}")
    return v


def parse_grid(lv: Lever, spec: str, start: str) -> list[float]:
    """``v1,v2,...`` or ``lo:hi:step`` (inclusive; months step in whole months) -> sorted unique values."""
    spec = spec.strip()
    if ":" in spec:
        parts = spec.split(":")
        if len(parts) != 3:
            raise ScenarioError(f"--lever {lv.id}={spec}: expected lo:hi:step")
        lo, hi = parse_value(lv, parts[0], start), parse_value(lv, parts[1], start)
        try:
            step = float(parts[2])
        except ValueError:
            raise ScenarioError(f"--lever {lv.id}={spec}: step must be a number, got {parts[2]!r}") from None
        if step <= 0 or (lv.is_int and step != int(step)):
            raise ScenarioError(
                f"--lever {lv.id}={spec}: step must be a positive{' whole' if lv.is_int else ''} number"
            )
        if hi < lo:
            raise ScenarioError(f"--lever {lv.id}={spec}: lo is above hi")
        n = math.floor((hi - lo) / step + 1e-9) + 1
        if n > 200:
            raise ScenarioError(f"--lever {lv.id}={spec}: {n} grid points; at most 200")
        vals = [lo + i * step for i in range(n)]
        vals = [round(v, 10) for v in vals]
    else:
        vals = [parse_value(lv, t, start) for t in spec.split(",") if t.strip()]
    if not vals:
        raise ScenarioError(f"--lever {lv.id}: no values given")
    lo, hi = lv.allowed
    for v in vals:
        if not lo <= v <= hi or (lv.definition.low_open and v <= lo):
            raise ScenarioError(
                f"--lever {lv.id}: value {display(lv, v, start)} is outside the allowed values ({_allowed_text(lv)})"
            )
    return sorted(set(vals))


def from_uniform(lv: Lever, u: np.ndarray) -> np.ndarray:
    """Map uniforms in (0, 1) onto the lever's declared range (whole numbers equally likely)."""
    if lv.range is None:
        raise ValueError(f"lever {lv.id} has no study range ([lever_ranges])")
    lo, hi = lv.range
    u = np.asarray(u, dtype=float)
    if lv.is_int:
        return np.minimum(lo + np.floor(u * (hi - lo + 1)), hi)
    return lo + u * (hi - lo)


def with_levers(ls: LoadedScenario, values: dict[str, float], suffix: str | None = None) -> LoadedScenario:
    """A new validated scenario: ``ls`` with lever ``id -> numeric value`` applied (like ``--set``).

    Each number becomes the lever's typed value (a ``"YYYY-MM"`` month, a whole count, a factor)
    set by :func:`sim.scenario.loader.with_values`, the one way a value is applied. ``suffix``
    (optional) is appended to the scenario name so result tables tell points apart."""
    sc = ls.scenario
    cat = {lv.id: lv for lv in catalogue(sc)}
    typed: dict[str, object] = {}
    sources: dict[str, str] = {}
    for lid, v in values.items():
        lv = cat.get(lid)
        if lv is None:
            raise ScenarioError(f"unknown lever {lid!r}; expected one of {', '.join(cat)}")
        typed[f"levers.{lid}"] = toml_value(lv, v, sc.run.start)
        sources[f"levers.{lid}"] = f"lever {lid}={display(lv, v, sc.run.start)}"
    if suffix:
        typed["scenario.name"] = f"{sc.scenario.name}{suffix}"
    return with_values(ls, typed, sources)


def current_values(sc: Scenario, ids: list[str]) -> dict[str, float]:
    cat = {lv.id: lv for lv in catalogue(sc)}
    return {i: cat[i].baseline for i in ids}


# ----------------------------------------------------------------------------- printing


def _allowed_text(lv: Lever) -> str:
    lo, hi = lv.allowed
    if lv.kind == "month":
        return "any YYYY-MM"
    if lv.definition.low_open:
        return f"> {lo:g} to {hi:g}"
    return f"{lo:g} to {hi:g}" if math.isfinite(hi) else f">= {lo:g}, whole"


def table(sc: Scenario):
    """The catalogue as a DataFrame (one row per lever)."""
    import pandas as pd

    s = sc.run.start
    rows = [
        dict(
            lever=lv.id,
            plan_task=lv.plan_task if lv.plan_task else "",
            name_en=lv.name_en,
            name_zh=lv.name_zh,
            meaning=lv.meaning,
            unit=lv.unit,
            value=display(lv, lv.baseline, s),
            allowed=_allowed_text(lv),
            study_range=(f"{display(lv, lv.range[0], s)} to {display(lv, lv.range[1], s)}" if lv.range else ""),
            moves=lv.moves,
        )
        for lv in catalogue(sc)
    ]
    return pd.DataFrame(rows)


def format_catalogue(sc: Scenario, source: str) -> str:
    """Plain-text catalogue for the terminal."""
    s = sc.run.start
    lines = [
        f"Levers of {sc.scenario.name!r} ({sc.scenario.zone}, {source})",
        "id | plan task | name | value in this scenario | allowed | studied range (sensitivity, discover)",
        "",
    ]
    tasks: dict[int, list[str]] = {}
    for lv in catalogue(sc):
        rg = f"{display(lv, lv.range[0], s)} .. {display(lv, lv.range[1], s)}" if lv.range else "fixed (no range)"
        task = f"task {lv.plan_task}" if lv.plan_task else "task ?"
        lines.append(f"{lv.id}")
        lines.append(
            f"    {task} | {lv.name_en} / {lv.name_zh} | value {display(lv, lv.baseline, s)}{'' if lv.kind == 'month' else ' ' + lv.unit}"
            f" | allowed {_allowed_text(lv)} | range {rg}"
        )
        lines.append(f"    meaning: {lv.meaning}")
        lines.append(f"    moves:   {lv.moves}")
        if lv.plan_task:
            tasks.setdefault(lv.plan_task, []).append(lv.id)
    lines.append("")
    lines.append("Plan tasks with a lever: " + ", ".join(f"{t} ({len(v)})" for t, v in sorted(tasks.items())))
    lines.append("Tasks without a lever are listed with the reason in docs/levers.md.")
    lines.append(
        "Set a lever: --set levers.<id>=<value> (months as YYYY-MM); vary it: sweep SCENARIO --lever <id>=v1,v2,..."
    )
    return "\n".join(lines)
