"""The studio's controls, read from a scenario: one per lever and one per numeric key of an editable section.

Levers come from the lever catalogue (``sim.experiment.levers``): months become month pickers,
counts steppers, funding a slider, each within what the schema accepts. Every section named in
:data:`EDITABLE_SECTIONS` that the scenario has (``[base_year]``) gets one number box per figure,
found among the scenario's drawn parameters, so a new figure needs no code here. A what-if is the
set of controls whose value differs from the base: key path -> TOML value, exactly what
``--set`` or ``sim.load_scenario(path, overrides=...)`` takes; :func:`scenario_text` writes it as a
scenario file that ``extends`` the base with only those values.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from sim.experiment.levers import catalogue, toml_value
from sim.months import month_at, month_offset
from sim.scenario import LoadedScenario
from sim.scenario.params import uncertain_paths
from sim.vocabulary.parameters import param_label

EDITABLE_SECTIONS = ("base_year",)
"""Scenario sections whose figures get a number box each."""

MONTH_MARGIN = 12
"""Months offered before the run's start and after its end in a month picker."""


@dataclass(frozen=True)
class Control:
    """One control of the page.

    ``key``: TOML key path the control sets (``levers.milestone_month.cbec_site``); ``input_id``:
    the page's id for it; ``kind``: ``"month"`` (a picker over ``choices``), ``"count"`` (a whole-number
    stepper), ``"factor"`` (a slider) or ``"number"`` (a number box); ``value``: the base
    scenario's value ("YYYY-MM" for months); ``low``/``high``/``step``: the control's limits;
    ``section``: ``"levers"`` or the editable section it belongs to; ``plan_task``: the plan task
    of a lever (None if unknown or not a lever)."""

    key: str
    input_id: str
    kind: str
    label_en: str
    label_zh: str
    value: Any
    low: float | None = None
    high: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()
    section: str = "levers"
    plan_task: int | None = None

    def label(self, lang: str) -> str:
        name = self.label_zh if lang == "zh" else self.label_en
        return f"{name} ({'任务' if lang == 'zh' else 'task'} {self.plan_task})" if self.plan_task else name

    def parse(self, raw) -> Any:
        """A value from the page as the TOML value this control sets (None: not a usable value)."""
        if raw is None or raw == "":
            return None
        if self.kind == "month":
            return str(raw) if str(raw) in self.choices else None
        try:
            x = float(raw)
        except (TypeError, ValueError):
            return None
        if not math.isfinite(x):
            return None
        if self.kind == "count":
            return round(x)
        return int(x) if isinstance(self.value, int) and x == int(x) else x


def input_id(key: str) -> str:
    """A page id for a key path (letters, digits and underscores only)."""
    return "c_" + re.sub(r"[^0-9A-Za-z]", "_", key)


def _month_choices(start: str, horizon: int, *keep: str) -> tuple[str, ...]:
    lo = min([-MONTH_MARGIN] + [month_offset(m, start) for m in keep])
    hi = max([horizon + MONTH_MARGIN] + [month_offset(m, start) for m in keep])
    return tuple(month_at(k, start) for k in range(lo, hi + 1))


def lever_controls(ls: LoadedScenario) -> list[Control]:
    """A control for every lever of the catalogue."""
    sc = ls.scenario
    start, horizon = sc.run.start, sc.run.horizon_months
    out = []
    for lv in catalogue(sc):
        base = toml_value(lv, lv.baseline, start)
        lo, hi = lv.allowed
        span = lv.range or (lv.baseline, lv.baseline)
        kw: dict = {}
        if lv.kind == "month":
            kw = dict(choices=_month_choices(start, horizon, base, *(toml_value(lv, v, start) for v in span)))
        elif lv.kind == "count":
            top = hi if math.isfinite(hi) else max(10.0, 3 * max(span[1], lv.baseline))
            kw = dict(low=lo, high=top, step=1)
        else:
            low = max(min(span[0], 0.5 * lv.baseline), lo + 0.05 if lv.definition.low_open else lo)
            kw = dict(low=round(low, 2), high=min(hi, max(span[1], 2 * lv.baseline)), step=0.05)
        out.append(
            Control(
                f"levers.{lv.id}",
                input_id(f"levers.{lv.id}"),
                lv.kind,
                lv.name_en,
                lv.name_zh,
                base,
                plan_task=lv.plan_task,
                **kw,
            )
        )
    return out


def section_controls(ls: LoadedScenario, sections: tuple[str, ...] = EDITABLE_SECTIONS) -> list[Control]:
    """A number box for every figure of each editable section the scenario has, found among its
    drawn parameters. Its value is the figure's median (a stated number, or the middle of its
    range, which the label gives); typing another number states the figure as that number."""
    sc = ls.scenario
    out = []
    for key, d in uncertain_paths(sc):
        name = key.split(".")[0]
        if name not in sections:
            continue
        med = float(d.ppf(0.5))
        lo, hi = d.support
        span = "" if lo == hi else f" ({lo:g}–{hi:g})"
        out.append(
            Control(
                key,
                input_id(key),
                "number",
                param_label(sc, key, "en") + span,
                param_label(sc, key, "zh") + span,
                int(med) if med.is_integer() else round(med, 4),
                step=None,
                section=name,
            )
        )
    return out


def controls(ls: LoadedScenario) -> list[Control]:
    """Every control of the studio for this scenario: levers first, then editable sections."""
    return lever_controls(ls) + section_controls(ls)


def changes(ctrls: list[Control], values: dict[str, Any]) -> dict[str, Any]:
    """key path -> value of the controls whose value (``values[input_id]``) differs from the base."""
    out = {}
    for c in ctrls:
        v = c.parse(values.get(c.input_id))
        if v is not None and v != c.value:
            out[c.key] = v
    return out


def _nest(flat: dict[str, Any]) -> dict:
    out: dict = {}
    for key, v in flat.items():
        node = out
        *head, last = key.split(".")
        for k in head:
            node = node.setdefault(k, {})
        node[last] = v
    return out


def scenario_text(base: LoadedScenario, name: str, what_if: dict[str, Any], target: Path) -> str:
    """A scenario file at ``target`` that extends ``base`` with only the values of ``what_if``."""
    rel = Path(os.path.relpath(base.path.resolve(), target.resolve().parent))
    head = (
        f"# What-if made in the studio from {base.path.name}: only the values changed there.\n"
        f"extends = {tomli_w.dumps({'v': rel.as_posix()}).split('=', 1)[1].strip()}\n\n"
    )
    data = {
        "scenario": {
            "name": name,
            "description": f"{base.name} with "
            + ", ".join(f"{k.removeprefix('levers.')} = {v}" for k, v in what_if.items()),
        },
        **_nest(what_if),
    }
    return head + tomli_w.dumps(data)
