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


@dataclass(frozen=True, kw_only=True)
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
    ``[lever_ranges]`` keys. Built with keyword arguments only: sixteen fields by position would
    be unreadable."""

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
    def ge(self) -> float | None:
        """The schema's lower bound of a single-valued lever when ``low`` is allowed, else None."""
        return None if self.low_open else self.low

    @property
    def gt(self) -> float | None:
        """The schema's lower bound of a single-valued lever when ``low`` is excluded, else None."""
        return self.low if self.low_open else None

    @property
    def le(self) -> float | None:
        """The schema's upper bound of a single-valued lever (None when unbounded)."""
        return self.high if math.isfinite(self.high) else None


LEVERS: dict[str, LeverDef] = {
    d.group: d
    for d in (
        LeverDef(
            group="promotion_events_per_year",
            kind="count",
            entity=None,
            unit="events/yr",
            low=0,
            high=52,
            low_open=False,
            name_en="Investment-promotion events a year",
            name_zh="年度招商活动次数",
            short_en="{name}",
            short_zh="{name}",
            meaning="joint investment-promotion events held each year, evenly spread over the year",
            moves="each event brings Poisson(uncertainties.promotion.leads_per_event) extra leads, split over "
            "sectors by their base lead rates",
            more_is_effort=True,
            description="Joint investment-promotion events a year.",
            range_description="Range of promotion events a year.",
        ),
        LeverDef(
            group="infrastructure_funding",
            kind="factor",
            entity=None,
            unit="x plan",
            low=0,
            high=5,
            low_open=True,
            name_en="Infrastructure funding",
            name_zh="基础设施资金保障",
            short_en="Infrastructure funding (x plan)",
            short_zh="基础设施资金（相对计划）",
            meaning="funding of the infrastructure projects relative to plan (1 = as planned)",
            moves="the pace of every project: its time to completion (planned month + slip) is multiplied by "
            "funding^-uncertainties.funding_delay_elasticity",
            more_is_effort=True,
            description="Funding relative to plan (1 = as planned); scales project delays.",
            range_description="Range of funding relative to plan.",
        ),
        LeverDef(
            group="project_month",
            kind="month",
            entity="projects",
            unit="YYYY-MM",
            low=-math.inf,
            high=math.inf,
            low_open=False,
            name_en="",
            name_zh="",
            short_en="{name}: planned month",
            short_zh="{name}计划月份",
            meaning="planned completion month of the project",
            moves="completion = planned month + uncertainties.project_delay_months.{id} (scaled by funding); then {effects}",
            more_is_effort=False,
            description="Planned completion month of each project.",
            range_description="Range of each project's planned month.",
        ),
        LeverDef(
            group="milestone_month",
            kind="month",
            entity="milestones",
            unit="YYYY-MM",
            low=-math.inf,
            high=math.inf,
            low_open=False,
            name_en="",
            name_zh="",
            short_en="{name}: planned month",
            short_zh="{name}计划月份",
            meaning="planned month of the policy milestone",
            moves="launch = planned month + uncertainties.milestone_delay_months.{id}; then {effects}",
            more_is_effort=False,
            description="Planned month of each policy milestone.",
            range_description="Range of each milestone's planned month.",
        ),
        LeverDef(
            group="leader_candidates",
            kind="count",
            entity="leaders",
            unit="candidates",
            low=0,
            high=math.inf,
            low_open=False,
            name_en="",
            name_zh="",
            short_en="{name}: candidates pursued",
            short_zh="{name}候选数",
            meaning="leading-enterprise candidates pursued ({spec.sector} sector, within {spec.window_months} months)",
            moves="each candidate signs with uncertainties.leaders.{id}.sign_prob, then needs "
            "{spec.space_per_firm:g} of {space} space; adds leaders_{id}",
            more_is_effort=True,
            description="Leading-enterprise candidates pursued, per pipeline.",
            range_description="Range of candidates pursued, per pipeline.",
        ),
    )
}
"""Every kind of lever, in schema order (the order of ``[levers]`` and of the catalogue)."""
