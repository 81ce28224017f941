"""The ``[levers]``, ``[lever_ranges]`` and ``[lever_costs]`` sections: what planners control, the
ranges studied, and what a unit of extra effort on each kind of lever costs (goal seek).

Bounds and key descriptions come from the lever registry (:mod:`sim.vocabulary.levers`), so each
lever is defined once; :func:`check_lever_ranges` checks a ``[lever_ranges]`` section against the
scenario's constants (ids exist, values within the lever's allowed values).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.scenario.fields import CostWan, Model, Month
from sim.vocabulary.levers import LEVERS

_LV = LEVERS


class Levers(Model):
    promotion_events_per_year: int = Field(
        ge=_LV["promotion_events_per_year"].ge,
        gt=_LV["promotion_events_per_year"].gt,
        le=_LV["promotion_events_per_year"].le,
        description=_LV["promotion_events_per_year"].description,
    )
    infrastructure_funding: float = Field(
        ge=_LV["infrastructure_funding"].ge,
        gt=_LV["infrastructure_funding"].gt,
        le=_LV["infrastructure_funding"].le,
        description=_LV["infrastructure_funding"].description,
    )
    project_month: dict[str, Month] = Field(default_factory=dict, description=_LV["project_month"].description)
    milestone_month: dict[str, Month] = Field(default_factory=dict, description=_LV["milestone_month"].description)
    leader_candidates: dict[str, int] = Field(default_factory=dict, description=_LV["leader_candidates"].description)

    @model_validator(mode="after")
    def _nonneg(self):
        lo = _LV["leader_candidates"].low
        for k, v in self.leader_candidates.items():
            if v < lo:
                raise ValueError(f"leader_candidates.{k}: must be >= {lo:g}, got {v}")
        return self


class LeverRange(Model):
    """The range over which ``sensitivity`` and ``discover`` vary one lever (docs/levers.md)."""

    low: Month | float = Field(description='Lowest value studied (a "YYYY-MM" month for month levers).')
    high: Month | float = Field(description='Highest value studied (a "YYYY-MM" month for month levers).')
    plan_task: int | None = Field(
        None,
        ge=1,
        le=99,
        description=("Plan task of a lever that no constants entry ties to a task (promotion, funding)."),
    )


class LeverRanges(Model):
    promotion_events_per_year: LeverRange | None = Field(
        None, description=_LV["promotion_events_per_year"].range_description
    )
    infrastructure_funding: LeverRange | None = Field(None, description=_LV["infrastructure_funding"].range_description)
    project_month: dict[str, LeverRange] = Field(
        default_factory=dict, description=_LV["project_month"].range_description
    )
    milestone_month: dict[str, LeverRange] = Field(
        default_factory=dict, description=_LV["milestone_month"].range_description
    )
    leader_candidates: dict[str, LeverRange] = Field(
        default_factory=dict, description=_LV["leader_candidates"].range_description
    )


class LeverCosts(Model):
    """What one unit of effort beyond the scenario's own lever values costs, in 万元, per kind of
    lever (``optimise`` adds these up into a package's cost; docs/levers.md, section Goal seek).
    One figure per kind of the lever registry: every project (milestone) costs the same per month
    brought forward."""

    promotion_events_per_year: CostWan = Field(
        description=(
            "万元 per extra promotion event a year, for the whole run (one more event in every simulated year)."
        ),
    )
    infrastructure_funding: CostWan = Field(
        description=("万元 per unit of infrastructure funding above the scenario's (from 1 x plan to 2 x plan).")
    )
    project_month: CostWan = Field(description="万元 per month a project is brought forward from its planned month.")
    milestone_month: CostWan = Field(description="万元 per month a policy milestone is brought forward.")
    leader_candidates: CostWan = Field(description="万元 per extra leading-enterprise candidate pursued.")
    budget: CostWan | None = Field(
        None, description=("Most a package may cost, 万元 (optional; `optimise --budget` overrides it).")
    )

    def unit(self, group: str) -> float:
        """The cost of one unit of extra effort on a lever of registry group ``group``."""
        return float(getattr(self, group))


def check_lever_ranges(r: LeverRanges, c) -> None:
    """Ids exist; months are months, counts whole numbers, all within the lever's allowed values."""

    def check(path, rg, d):
        a, b = rg.low, rg.high
        if d.kind == "month":
            if not (isinstance(a, str) and isinstance(b, str)):
                raise ValueError(f'lever_ranges.{path}: expected months "YYYY-MM" for low and high')
            if a > b:
                raise ValueError(f"lever_ranges.{path}: low {a} is after high {b}")
            return
        if isinstance(a, str) or isinstance(b, str):
            raise ValueError(f"lever_ranges.{path}: expected numbers for low and high")
        if d.kind == "count" and (a != int(a) or b != int(b)):
            raise ValueError(f"lever_ranges.{path}: expected whole numbers, got [{a:g}, {b:g}]")
        if a > b:
            raise ValueError(f"lever_ranges.{path}: low {a:g} > high {b:g}")
        if a < d.low or b > d.high or (d.low_open and a <= d.low):
            raise ValueError(f"lever_ranges.{path}: [{a:g}, {b:g}] leaves the lever's allowed values")

    for group, d in LEVERS.items():
        if d.entity is None:
            if getattr(r, group):
                check(group, getattr(r, group), d)
            continue
        ids = getattr(c, d.entity)
        for k, rg in getattr(r, group).items():
            if k not in ids:
                raise ValueError(f"lever_ranges.{group}: unknown id {k!r}; expected one of {sorted(ids)}")
            check(f"{group}.{k}", rg, d)
