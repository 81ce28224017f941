"""The lever registry: every kind of lever a scenario has, with its bounds, unit and effect.

A lever is addressed by its id, the key path under ``[levers]``. Two levers are single values
(``promotion_events_per_year``, ``infrastructure_funding``); three groups have one lever per
entry of a constants table (``project_month.<project>``, ``milestone_month.<milestone>``,
``leader_candidates.<pipeline>``). The scenario schema takes its bounds and key descriptions
from here, and ``sim.experiment.levers`` builds a scenario's lever catalogue from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class LeverDef:
    """One kind of lever.

    ``group``: key under ``[levers]``; the lever id is the group, or ``<group>.<entry>`` when
    ``entity`` names the constants table (``projects``, ``milestones``, ``leaders``) whose entries
    each have a lever (their ``name_en``/``name_zh`` and ``plan_task`` are the lever's).
    ``kind``: ``"count"`` (whole number), ``"factor"`` (real number) or ``"month"`` ("YYYY-MM",
    handled as the model clock time at the end of the month). ``low``/``high``: the values the
    schema accepts; ``low_open``: ``low`` itself is excluded. ``name_en``/``name_zh``: names of a
    single lever. ``short_en``/``short_zh``: what the value measures, for axes and rules
    (``{name}`` is the lever's name). ``meaning`` and ``moves``: what the lever is and the model
    parameters and mechanisms it moves, as templates (``{id}`` the entry id, ``{spec}`` its
    constants entry, ``{space}`` the space its sector uses, ``{effects}`` the entry's effects).
    ``more_is_effort``: a larger value costs more (counts, funding); for months earlier costs
    more. ``description`` / ``range_description``: documentation of the ``[levers]`` and
    ``[lever_ranges]`` keys."""

    group: str
    kind: str
    entity: str | None
    unit: str
    low: float
    high: float
    low_open: bool
    name_en: str
    name_zh: str
    short_en: str
    short_zh: str
    meaning: str
    moves: str
    more_is_effort: bool
    description: str
    range_description: str

    @property
    def bounds(self) -> dict[str, float]:
        """The schema's pydantic bounds (``ge``/``gt``, ``le``) for a single-valued lever."""
        lo = {"gt" if self.low_open else "ge": self.low}
        return {**lo, "le": self.high} if math.isfinite(self.high) else lo


LEVERS: dict[str, LeverDef] = {
    d.group: d
    for d in (
        LeverDef(
            "promotion_events_per_year",
            "count",
            None,
            "events/yr",
            0,
            52,
            False,
            "Investment-promotion events a year",
            "年度招商活动次数",
            "{name}",
            "{name}",
            "joint investment-promotion events held each year, evenly spread over the year",
            "each event brings Poisson(uncertainties.promotion.leads_per_event) extra leads, split over "
            "sectors by their base lead rates",
            True,
            "Joint investment-promotion events a year.",
            "Range of promotion events a year.",
        ),
        LeverDef(
            "infrastructure_funding",
            "factor",
            None,
            "x plan",
            0,
            5,
            True,
            "Infrastructure funding",
            "基础设施资金保障",
            "Infrastructure funding (x plan)",
            "基础设施资金（相对计划）",
            "funding of the infrastructure projects relative to plan (1 = as planned)",
            "the pace of every project: its time to completion (planned month + slip) is multiplied by "
            "funding^-uncertainties.funding_delay_elasticity",
            True,
            "Funding relative to plan (1 = as planned); scales project delays.",
            "Range of funding relative to plan.",
        ),
        LeverDef(
            "project_month",
            "month",
            "projects",
            "YYYY-MM",
            -math.inf,
            math.inf,
            False,
            "",
            "",
            "{name}: planned month",
            "{name}计划月份",
            "planned completion month of the project",
            "completion = planned month + uncertainties.project_delay_months.{id} (scaled by funding); then {effects}",
            False,
            "Planned completion month of each project.",
            "Range of each project's planned month.",
        ),
        LeverDef(
            "milestone_month",
            "month",
            "milestones",
            "YYYY-MM",
            -math.inf,
            math.inf,
            False,
            "",
            "",
            "{name}: planned month",
            "{name}计划月份",
            "planned month of the policy milestone",
            "launch = planned month + uncertainties.milestone_delay_months.{id}; then {effects}",
            False,
            "Planned month of each policy milestone.",
            "Range of each milestone's planned month.",
        ),
        LeverDef(
            "leader_candidates",
            "count",
            "leaders",
            "candidates",
            0,
            math.inf,
            False,
            "",
            "",
            "{name}: candidates pursued",
            "{name}候选数",
            "leading-enterprise candidates pursued ({spec.sector} sector, within {spec.window_months} months)",
            "each candidate signs with uncertainties.leaders.{id}.sign_prob, then needs "
            "{spec.space_per_firm:g} of {space} space; adds leaders_{id}",
            True,
            "Leading-enterprise candidates pursued, per pipeline.",
            "Range of candidates pursued, per pipeline.",
        ),
    )
}
"""Every kind of lever, in schema order (the order of ``[levers]`` and of the catalogue)."""
