"""When each infrastructure project and policy milestone is done in a replication.

Known from the drawn parameters and the levers alone, before the simulation starts: the model
reads these times (``ZoneState.T``), and studies that tabulate them (``discover``) call the
same function, so no one re-derives them. See docs/model.md, "Completion".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.months import month_end
from sim.scenario.constants import MilestoneSpec, ProjectSpec
from sim.scenario.schema import Scenario


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
    c, lv, u = sc.constants, sc.levers, uncertainties
    start = sc.run.start
    planned = planned or {}
    funding = lv.infrastructure_funding if funding is None else funding
    due = {
        pid: funded_due(
            planned.get(pid, month_end(lv.project_month[pid], start)),
            u["project_delay_months"][pid],
            funding,
            u["funding_delay_elasticity"],
        )
        for pid in c.projects
    }
    due.update(
        {
            mid: planned.get(mid, month_end(lv.milestone_month[mid], start)) + u["milestone_delay_months"][mid]
            for mid in c.milestones
        }
    )
    specs: dict[str, ProjectSpec | MilestoneSpec] = {**c.projects, **c.milestones}
    T: dict[str, float] = {}

    def t_of(i: str) -> float:
        if i not in T:
            T[i] = max([max(due[i], 0.0)] + [t_of(d) for d in specs[i].depends_on])
        return T[i]

    for i in specs:
        t_of(i)
    return T


def funded_due(planned_t: float, slip: float, funding: float, elasticity: float) -> float:
    """When a project is due under a funding level (1 = as planned), before its dependencies.

    Funding sets the pace of the works from the start of the plan: the time the project would
    take at planned funding (planned month + slip, never before the start) is divided by
    funding ** elasticity. More funding never makes a project later, and it can bring a project
    that would slip past its deadline back inside it."""
    return max(planned_t + slip, 0.0) / funding**elasticity
