"""The whole scenario: its sections, and the checks that span them.

A scenario file has these sections (the vocabulary of DESIGN.md), each declared in its own module:

* ``scenario`` and ``run``: names and run settings (:mod:`sim.scenario.meta`);
* ``constants``: fixed facts and model structure (sectors, projects, milestones...) and
  ``initial_state``: the zone's free space at the start, values may be uncertain (:mod:`sim.scenario.constants`);
* ``base_year``: the zone's statistics for the year before the start (:mod:`sim.scenario.base_year`);
* ``levers``: what planners control, each tied to a plan task, and ``lever_ranges``: the ranges
  studied, and ``lever_costs``: what extra effort costs (:mod:`sim.scenario.levers`);
* ``uncertainties``: what nobody controls, as declared distributions (:mod:`sim.scenario.uncertainties`);
* ``targets``: indicator, year, comparison, threshold, unit and plan line (:mod:`sim.scenario.targets`);
* ``ranking`` (:mod:`sim.ranking.config`) and ``observations`` (:mod:`sim.data.observations`).

:class:`Scenario` checks what spans sections: ids used in one section exist in another, dependencies
are acyclic, land fits the fenced area, targets name indicators the model produces. Every model is
frozen and forbids unknown keys. Field docstrings (``description``) are the documentation of each
key and feed ``docs/scenarios.md``.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.data.observations import ObservationsConfig
from sim.ranking.config import RankingConfig
from sim.scenario.base_year import BaseYear, check_base_year
from sim.scenario.checks import check_ranking_inputs
from sim.scenario.constants import Constants, InitialState
from sim.scenario.fields import Model
from sim.scenario.levers import LeverCosts, LeverRanges, Levers, check_lever_ranges
from sim.scenario.meta import Run, ScenarioMeta
from sim.scenario.ranges import LIMITS, RANGES
from sim.scenario.targets import Target, indicator_ids, ranking_indicator_ids
from sim.scenario.uncertainties import Uncertainties
from sim.vocabulary.outcomes import MODEL_INDICATORS

__all__ = ["LeverCosts", "LeverRanges", "Levers", "Scenario", "indicator_ids", "ranking_indicator_ids"]


class Scenario(Model):
    extends: str | None = Field(None, description="Parent scenario file (resolved before validation).")
    scenario: ScenarioMeta
    run: Run
    constants: Constants
    initial_state: InitialState
    base_year: BaseYear = Field(description="The zone's statistics for the year before the start (docs/model.md §3.1).")
    levers: Levers
    uncertainties: Uncertainties
    targets: dict[str, Target] = Field(min_length=1, max_length=LIMITS["targets"])
    ranking: RankingConfig | None = Field(
        None, description="National evaluation: peers and method (docs/model.md, section Ranking)."
    )
    observations: ObservationsConfig | None = Field(
        None, description="Observed monthly statistics and the nowcast month (docs/data.md)."
    )
    lever_ranges: LeverRanges = Field(
        default_factory=lambda: LeverRanges.model_validate({}),  # all ranges absent (typed without a plugin)
        description=(
            "Ranges of levers studied by sensitivity and discover (docs/levers.md); levers without one stay fixed."
        ),
    )
    lever_costs: LeverCosts | None = Field(
        None,
        description=(
            "Cost of a unit of extra effort per kind of lever, 万元, and an optional budget: what optimise minimises."
        ),
    )

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        problems: list[str] = []
        check_whole(self, problems.append)
        if problems:  # every problem at once, one per line (the loader splits them)
            raise ValueError("\n".join(dict.fromkeys(problems)))
        return self


def check_whole(self: Scenario, report) -> None:
    """Checks that span sections; each problem found is passed to ``report`` and checking goes on."""
    c, lv, u = self.constants, self.levers, self.uncertainties
    sectors, projects, milestones = set(c.sectors), set(c.projects), set(c.milestones)
    seen: list[str] = []

    def bad(msg: str) -> None:
        seen.append(msg)
        report(msg)

    def guarded(fn, *args) -> None:
        """Run a check that raises on its first problem; the checks after it still run."""
        try:
            fn(*args)
        except ValueError as e:
            bad(str(e))
        except (KeyError, TypeError, AttributeError):  # fallout of a problem already reported
            if not seen:
                raise

    def same_keys(path, have, want):
        have = set(have)
        if have - want:
            bad(f"{path}: unknown id(s) {sorted(have - want)}; expected one of {sorted(want)}")
        if want - have:
            bad(f"{path}: missing entries for {sorted(want - have)}")

    same_keys("base_year.enterprises", self.base_year.enterprises, sectors)
    same_keys("uncertainties.sectors", u.sectors, sectors)
    same_keys("levers.project_month", lv.project_month, projects)
    same_keys("uncertainties.project_delay_months", u.project_delay_months, projects)
    same_keys("levers.milestone_month", lv.milestone_month, milestones)
    same_keys("uncertainties.milestone_delay_months", u.milestone_delay_months, milestones)
    same_keys("levers.leader_candidates", lv.leader_candidates, set(c.leaders))
    same_keys("uncertainties.leaders", u.leaders, set(c.leaders))
    same_keys("uncertainties.counts", u.counts, set(c.counts))

    for sid, s in c.sectors.items():
        if s.requires_milestone and s.requires_milestone not in milestones:
            bad(
                f"constants.sectors.{sid}.requires_milestone: unknown milestone "
                f"{s.requires_milestone!r}; expected one of {sorted(milestones)}"
            )
    for kind, items in (("projects", c.projects), ("milestones", c.milestones)):
        for iid, it in items.items():
            for sec in it.lead_rate_multiplier:
                if sec not in sectors:
                    bad(f"constants.{kind}.{iid}.lead_rate_multiplier: unknown sector {sec!r}")
            allowed = projects if kind == "projects" else projects | milestones
            for dep in it.depends_on:
                if dep not in allowed:
                    bad(f"constants.{kind}.{iid}.depends_on: unknown id {dep!r}; expected one of {sorted(allowed)}")
    clash = projects & milestones
    if clash:
        bad(f"constants.milestones: id(s) {sorted(clash)} are also project ids; ids must be unique")
    guarded(
        _check_acyclic,
        {**{k: v.depends_on for k, v in c.projects.items()}, **{k: v.depends_on for k, v in c.milestones.items()}},
    )
    for sid, s in c.sectors.items():
        ent = self.base_year.enterprises.get(sid)
        if s.requires_milestone and ent is not None and ent.support[1] > 0:
            bad(
                f"base_year.enterprises.{sid}: the sector needs milestone {s.requires_milestone!r}, which "
                f"is still pending at the start, so it can have no operating firms yet (expected 0)"
            )
    for lid, leader in c.leaders.items():
        if leader.sector not in sectors:
            bad(f"constants.leaders.{lid}.sector: unknown sector {leader.sector!r}")
    for cid, cs in c.counts.items():
        for sec in cs.per_firm_sectors:
            if sec not in sectors:
                bad(f"constants.counts.{cid}.per_firm_sectors: unknown sector {sec!r}")

    guarded(check_base_year, self.base_year, c, self.initial_state)
    guarded(_check_land, self)
    guarded(check_lever_ranges, self.lever_ranges, c)
    if self.ranking is not None:
        guarded(self.ranking.check_years, self.run.years)
        guarded(check_ranking_inputs, self)
    builtin = set(MODEL_INDICATORS)
    for cid in c.counts:
        if cid in builtin or cid.startswith(("leaders_", "done_", "ALL_")):
            bad(f"constants.counts.{cid}: id collides with a built-in indicator name")
    years = set(self.run.years)
    known = indicator_ids(self)
    for tid, t in self.targets.items():
        if tid.startswith("ALL_"):
            bad(f"targets.{tid}: ids starting with ALL_ are reserved for the joint probability rows")
        if t.indicator not in known:
            bad(f"targets.{tid}.indicator: unknown indicator {t.indicator!r}; expected one of {sorted(known)}")
        elif t.unit != known[t.indicator]:
            bad(f"targets.{tid}.unit: {t.indicator} is measured in {known[t.indicator]!r}, got {t.unit!r}")
        r = RANGES.get(UNIT_RANGE.get(known.get(t.indicator, ""), ""))
        if r is not None and not r.contains(t.threshold):
            bad(
                f"targets.{tid}.threshold: {t.indicator} is measured in {known[t.indicator]!r}: "
                + r.refusal(f"got {t.threshold:g}")
            )
        if t.year not in years:
            bad(f"targets.{tid}.year: {t.year} is outside the simulated years {sorted(years)}")
        if t.alternative_of and t.alternative_of not in self.targets:
            bad(f"targets.{tid}.alternative_of: unknown target {t.alternative_of!r}")


UNIT_RANGE = {
    "亿元": "zone_yi",
    "万美元": "zone_wan_usd",
    "persons": "zone_persons",
    "count": "firms",
    "%": "percent",
    "share": "share",
    "0/1": "share",
    "rank": "rank",
}
"""The range (sim.scenario.ranges) a target's threshold must lie in, by its indicator's unit."""


def _check_land(self: Scenario) -> None:
    """Land can never exceed the fenced area, whatever the draws."""
    c = self.constants
    fenced_ha = c.fenced_area_km2 * 100
    init, rate = self.initial_state, self.base_year.development_rate
    if rate is not None:
        start, what = rate.support[1] / 100 * fenced_ha, "base_year.development_rate"
    elif init.developed_area_ha is not None:
        start = init.developed_area_ha.support[1] + init.serviced_land_free_ha.support[1]
        what = "initial_state.developed_area_ha + serviced_land_free_ha"
    else:
        return  # neither is given: check_base_year says so
    if rate is not None and init.serviced_land_free_ha.support[1] > start + 1e-9:
        raise ValueError(
            f"initial_state.serviced_land_free_ha can reach {init.serviced_land_free_ha.support[1]:g} ha, "
            f"more than the developed land base_year.development_rate allows"
        )
    worst = start + sum(p.serviced_land_ha + p.footprint_ha for p in c.projects.values())
    if worst > fenced_ha + 1e-9:
        raise ValueError(
            f"{what} + all project land can reach "
            f"{worst:g} ha, more than the fenced area {fenced_ha:g} ha (constants.fenced_area_km2)"
        )


def _check_acyclic(graph: dict[str, list[str]]) -> None:
    state: dict[str, int] = {}

    def visit(n, path):
        if state.get(n) == 1:
            cyc = [*path[path.index(n) :], n]
            raise ValueError(f"constants.projects/milestones.depends_on: dependency cycle {' -> '.join(cyc)}")
        if state.get(n) == 2:
            return
        state[n] = 1
        for d in graph.get(n, []):
            visit(d, [*path, n])
        state[n] = 2

    for n in graph:
        visit(n, [])
