"""When each infrastructure project and policy milestone is done in a replication.

Known from the drawn parameters and the levers alone, before the simulation starts: the model
reads these times (``ZoneState.T``), and studies that tabulate them (``discover``) call the
same function, so no one re-derives them. See docs/model.md, "Completion".

What depends on the scenario alone (each item's planned month, the order in which the times are
settled, where each item's dependencies stand in it) is a :class:`Plan`, made once per scenario
object (:func:`plan_of`); a replication only adds its slips.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.memo import per_object
from sim.months import month_end
from sim.scenario.constants import MilestoneSpec, ProjectSpec
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Plan:
    """A scenario's projects and milestones in the order their times are settled: every item
    after its dependencies, depth first in the scenario's order (projects, then milestones), the
    order of the dictionary :meth:`times` returns. Per item: ``ids``, ``planned`` its lever month
    as a model time (:func:`~sim.months.month_end`), ``project`` whether its slip is scaled by
    funding (a project) or not (a milestone), ``deps`` the positions of its dependencies in this
    order (all earlier); ``funding`` the scenario's funding lever."""

    ids: tuple[str, ...]
    planned: tuple[float, ...]
    project: tuple[bool, ...]
    deps: tuple[tuple[int, ...], ...]
    funding: float

    @classmethod
    def of(cls, sc: Scenario) -> Plan:
        """The plan of scenario ``sc``."""
        c, lv, start = sc.constants, sc.levers, sc.run.start
        planned = {pid: month_end(lv.project_month[pid], start) for pid in c.projects}
        planned.update({mid: month_end(lv.milestone_month[mid], start) for mid in c.milestones})
        specs: dict[str, ProjectSpec | MilestoneSpec] = {**c.projects, **c.milestones}
        pos: dict[str, int] = {}

        def visit(i: str) -> None:
            if i not in pos:
                for d in specs[i].depends_on:
                    visit(d)
                pos[i] = len(pos)

        for i in specs:
            visit(i)
        ids = tuple(pos)
        return cls(
            ids=ids,
            planned=tuple(planned[i] for i in ids),
            project=tuple(i in c.projects and i not in c.milestones for i in ids),
            deps=tuple(tuple(pos[d] for d in specs[i].depends_on) for i in ids),
            funding=lv.infrastructure_funding,
        )

    def times(
        self, uncertainties: Mapping[str, Any], planned: dict[str, float] | None = None, funding: float | None = None
    ) -> dict[str, float]:
        """Item id -> completion time under these uncertain parameters (see :func:`completion_times`)."""
        u = uncertainties
        funding = self.funding if funding is None else funding
        T: dict[str, float] = {}
        done: list[float] = []
        for iid, p, is_project, deps in zip(self.ids, self.planned, self.project, self.deps, strict=True):
            if planned:
                p = planned.get(iid, p)
            if is_project:
                t = max(funded_due(p, u["project_delay_months"][iid], funding, u["funding_delay_elasticity"]), 0.0)
            else:
                t = max(p + u["milestone_delay_months"][iid], 0.0)
            for k in deps:
                t = max(t, done[k])
            done.append(t)
            T[iid] = t
        return T


plan_of = per_object(Plan.of)
"""The :class:`Plan` of a scenario, made once per scenario object."""


def completion_times(
    sc: Scenario,
    uncertainties: Mapping[str, Any],
    planned: dict[str, float] | None = None,
    funding: float | None = None,
) -> dict[str, float]:
    """When each project and milestone is done in a replication with these uncertain parameters
    (``params["uncertainties"]``): its planned month plus its slip (projects' slips scaled by
    funding, :func:`funded_due`), never before 0 nor before its dependencies. Known from the
    parameters and levers alone, so the model's effects need no same-instant event ordering.

    ``planned`` (item id -> month index, as :func:`~sim.months.month_end` counts) and
    ``funding`` replace the scenario's own levers for those items: a study that draws lever values
    per replication reads the times without building each scenario."""
    return plan_of(sc).times(uncertainties, planned, funding)


def funded_due(planned_t: float, slip: float, funding: float, elasticity: float) -> float:
    """When a project is due under a funding level (1 = as planned), before its dependencies.

    Funding sets the pace of the works from the start of the plan: the time the project would
    take at planned funding (planned month + slip, never before the start) is divided by
    funding ** elasticity. More funding never makes a project later, and it can bring a project
    that would slip past its deadline back inside it."""
    return max(planned_t + slip, 0.0) / funding**elasticity
