"""The scenario schema: what a scenario file may contain, with types and allowed ranges.

Sections follow the vocabulary of DESIGN.md:

* ``scenario`` and ``run``: names and run settings;
* ``constants``: fixed facts and model structure (sectors, projects, milestones...);
* ``initial_state``: the zone at the start (values may be uncertain);
* ``levers``: what planners control, each tied to a plan task;
* ``uncertainties``: what nobody controls, as declared distributions;
* ``targets``: indicator, year, comparison, threshold, unit and plan line.

Every model is frozen and forbids unknown keys. Field docstrings (``description``) are the
documentation of each key and feed ``docs/scenarios.md``.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from sim.config_base import StrictModel
from sim.data.observations import ObservationsConfig
from sim.months import check_month
from sim.ranking.config import RankingConfig
from sim.scenario.distributions import Dist, Fixed
from sim.vocabulary.levers import LEVERS
from sim.vocabulary.outcomes import MODEL_INDICATORS, MODES, PEER_STATISTICS, RANKING_INDICATORS, indicator_unit


Model = StrictModel


def _within(lo: float, hi: float):
    def check(d):
        a, b = d.support
        if a < lo or b > hi:
            raise ValueError(f"values must lie in [{lo:g}, {hi:g}], this distribution spans [{a:g}, {b:g}]")
        return d
    return AfterValidator(check)


def _positive(d):
    if not d.always_positive:
        raise ValueError(f"values must be > 0, this distribution reaches {d.support[0]:g}")
    return d


NonNeg = Annotated[Dist, _within(0.0, float("inf"))]
Prob = Annotated[Dist, _within(0.0, 1.0)]
Positive = Annotated[Dist, AfterValidator(_positive)]
Mode = Literal[MODES]

Month = Annotated[str, AfterValidator(check_month)]


# ----------------------------------------------------------------------------- meta and run

class ScenarioMeta(Model):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                      description="Short scenario name (letters, digits, _ . -; used in result folder names).")
    zone: str = Field(description="Zone name in English.")
    zone_zh: str = Field(description="Zone name in Chinese.")
    description: str = Field("", description="What this scenario is for.")
    plan: str = Field("", description="The plan document the targets and levers come from.")


class Run(Model):
    start: Month = Field(description="First simulated month, \"YYYY-01\" (a January).")
    horizon_months: int = Field(gt=0, le=120, description="Months simulated; a multiple of 12.")
    replications: int = Field(gt=0, description="Default number of replications.")
    seed: int = Field(ge=0, description="Root seed of all random streams.")

    @model_validator(mode="after")
    def _whole_years(self):
        if not self.start.endswith("-01"):
            raise ValueError(f"start: must be a January (\"YYYY-01\") so indicators are calendar "
                             f"years, got {self.start!r}")
        if self.horizon_months % 12:
            raise ValueError(f"horizon_months: must be a multiple of 12, got {self.horizon_months}")
        return self

    @property
    def years(self) -> list[int]:
        y0 = int(self.start[:4])
        return list(range(y0, y0 + self.horizon_months // 12))


# ----------------------------------------------------------------------------- constants

class SectorSpec(Model):
    name_en: str
    name_zh: str
    space: Literal["land", "warehouse", "none"] = Field(
        description="Space a firm of this sector needs: serviced land (ha), warehouse (1000 m2) or none.")
    space_per_firm: float = Field(ge=0, description="Space one firm takes, in ha (land) or 1000 m2 (warehouse).")
    manufacturing: bool = Field(description="Counts toward industrial output above designated size.")
    commodity_exposed: bool = Field(False, description="Trade moves with the commodity price index.")
    requires_milestone: str = Field("", description="Milestone id that must have happened before a firm operates.")
    mode_shares: dict[Mode, float] = Field(description="Share of the firm's trade by customs mode; sums to 1.")

    @model_validator(mode="after")
    def _shares(self):
        if any(v < 0 for v in self.mode_shares.values()):
            raise ValueError("mode_shares: must be >= 0")
        s = sum(self.mode_shares.values())
        if abs(s - 1.0) > 1e-6:
            raise ValueError(f"mode_shares: must sum to 1, they sum to {s:g}")
        return self


class Effects(Model):
    lead_rate_multiplier: dict[str, float] = Field(
        default_factory=dict, description="Sector id -> factor on its lead rate once this happens.")
    trade_multiplier: dict[Mode, float] = Field(
        default_factory=dict, description="Customs mode -> factor on every firm's trade in it once this happens.")

    @model_validator(mode="after")
    def _positive(self):
        for group in ("lead_rate_multiplier", "trade_multiplier"):
            for k, v in getattr(self, group).items():
                if v < 0:
                    raise ValueError(f"{group}.{k}: must be >= 0, got {v}")
        return self


class ProjectSpec(Effects):
    name_en: str
    name_zh: str
    plan_task: int = Field(ge=1, le=99, description="Task number in section 二 of the plan.")
    depends_on: list[str] = Field(default_factory=list, description="Projects that must finish first.")
    serviced_land_ha: float = Field(0.0, ge=0, description="Serviced land (ha) released for enterprises.")
    footprint_ha: float = Field(0.0, ge=0, description="Land the works themselves develop (ha).")
    warehouse_k_m2: float = Field(0.0, ge=0, description="Warehouse capacity added (1000 m2).")


class MilestoneSpec(Effects):
    name_en: str
    name_zh: str
    plan_task: int = Field(ge=1, le=99, description="Task number in section 二 of the plan.")
    depends_on: list[str] = Field(default_factory=list, description="Projects or milestones that must happen first.")
    business_type: bool = Field(False, description="Counts as a new business type (新业态) once launched.")


class LeaderSpec(Model):
    name_en: str
    name_zh: str
    plan_task: int = Field(ge=1, le=99, description="Task number in section 二 of the plan.")
    sector: str = Field(description="Sector whose trade mix and space rules the leader follows.")
    window_months: int = Field(gt=0, description="Months from the start within which a candidate may sign.")
    space_per_firm: float = Field(ge=0, description="Space a leader takes (unit of its sector's space).")


class CountSpec(Model):
    name_en: str
    name_zh: str
    plan_task: int = Field(ge=1, le=99, description="Task number in section 二 of the plan.")
    unit: str = Field("count")
    per_firm_sectors: list[str] = Field(default_factory=list,
                                        description="Sectors whose operating firms add to the yearly rate.")


class Constants(Model):
    fenced_area_km2: float = Field(gt=0, description="Fenced (customs-supervised) area, km2.")
    above_size_revenue_yi: float = Field(ge=0, description="Yearly revenue threshold of 规上 industry, 亿元.")
    seasonality: list[float] = Field(min_length=12, max_length=12,
                                     description="Monthly trade multipliers, January first; mean 1.")
    fdi_tranches: int = Field(ge=1, description="FDI of a foreign firm is paid in this many tranches.")
    fdi_tranche_interval_months: float = Field(ge=0, description="Months between FDI tranches.")
    max_disruption_depth: float = Field(1.0, gt=0, le=1, description="Cap on the fractional drop of trade in a spell.")
    sectors: dict[str, SectorSpec] = Field(min_length=1)
    projects: dict[str, ProjectSpec] = Field(default_factory=dict)
    milestones: dict[str, MilestoneSpec] = Field(default_factory=dict)
    leaders: dict[str, LeaderSpec] = Field(default_factory=dict)
    counts: dict[str, CountSpec] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _season(self):
        if any(v < 0 for v in self.seasonality):
            raise ValueError("seasonality: multipliers must be >= 0")
        m = sum(self.seasonality) / 12
        if abs(m - 1.0) > 0.01:
            raise ValueError(f"seasonality: must average 1 (it scales yearly sizes), averages {m:.3f}")
        return self


# ----------------------------------------------------------------------------- initial state

class InitialState(Model):
    developed_area_ha: NonNeg = Field(description="Developed (built or occupied) land at the start, ha.")
    serviced_land_free_ha: NonNeg = Field(description="Serviced land ready but not yet taken, ha.")
    warehouse_free_k_m2: NonNeg = Field(description="Warehouse space free at the start, 1000 m2.")
    enterprises: dict[str, NonNeg] = Field(description="Operating enterprises at the start, by sector.")


# ----------------------------------------------------------------------------- levers

_LV = LEVERS


class Levers(Model):
    promotion_events_per_year: int = Field(**_LV["promotion_events_per_year"].bounds,
                                           description=_LV["promotion_events_per_year"].description)
    infrastructure_funding: float = Field(**_LV["infrastructure_funding"].bounds,
                                          description=_LV["infrastructure_funding"].description)
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
    low: Month | float = Field(description="Lowest value studied (a \"YYYY-MM\" month for month levers).")
    high: Month | float = Field(description="Highest value studied (a \"YYYY-MM\" month for month levers).")
    plan_task: int | None = Field(None, ge=1, le=99, description=(
        "Plan task of a lever that no constants entry ties to a task (promotion, funding)."))


class LeverRanges(Model):
    promotion_events_per_year: LeverRange | None = Field(
        None, description=_LV["promotion_events_per_year"].range_description)
    infrastructure_funding: LeverRange | None = Field(None, description=_LV["infrastructure_funding"].range_description)
    project_month: dict[str, LeverRange] = Field(default_factory=dict,
                                                 description=_LV["project_month"].range_description)
    milestone_month: dict[str, LeverRange] = Field(default_factory=dict,
                                                   description=_LV["milestone_month"].range_description)
    leader_candidates: dict[str, LeverRange] = Field(default_factory=dict,
                                                     description=_LV["leader_candidates"].range_description)


def _check_lever_ranges(r: LeverRanges, c) -> None:
    """Ids exist; months are months, counts whole numbers, all within the lever's allowed values."""
    def check(path, rg, d):
        a, b = rg.low, rg.high
        if d.kind == "month":
            if not (isinstance(a, str) and isinstance(b, str)):
                raise ValueError(f"lever_ranges.{path}: expected months \"YYYY-MM\" for low and high")
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


# ----------------------------------------------------------------------------- uncertainties

class SectorUncertainty(Model):
    lead_rate_per_month: NonNeg = Field(description="Leads a month without promotion events.")
    sign_prob: Prob = Field(description="Probability a lead signs.")
    sign_delay_months: NonNeg = Field(description="Mean months from lead to signing (exponential).")
    max_wait_months: Positive = Field(description="Months a signed firm waits for space before it is lost.")
    fitout_months: NonNeg = Field(description="Mean fit-out months after space is found (exponential).")
    rampup_months: NonNeg = Field(description="Months from opening to full size (linear ramp).")
    trade_median_yi: Positive = Field(description="Median yearly trade of a firm at full size, 亿元.")
    trade_sigma: NonNeg = Field(description="Between-firm sd of log yearly trade.")
    noise_sigma: NonNeg = Field(description="Month-to-month sd of log trade.")
    output_ratio: NonNeg = Field(description="Yearly output (revenue) per yuan of trade.")
    employees_median: NonNeg = Field(description="Median employees of a firm at full size.")
    employees_sigma: NonNeg = Field(description="Between-firm sd of log employees.")
    foreign_prob: Prob = Field(description="Probability a new firm is foreign-invested.")
    fdi_wan_usd: NonNeg = Field(description="Mean FDI paid in by a foreign firm, 万美元 (exponential).")
    exit_rate_per_year: NonNeg = Field(description="Yearly exit hazard of an operating firm.")


class Macro(Model):
    growth_per_year: Dist = Field(description="Drift of the log shared trade factor a year.")
    volatility_per_month: NonNeg = Field(description="Monthly sd of the log shared trade factor.")


class Commodity(Model):
    drift_per_year: Dist = Field(description="Drift of the log commodity price index a year.")
    volatility_per_month: NonNeg = Field(description="Monthly sd of the log commodity price index.")


class Disruption(Model):
    spells_per_year: NonNeg = Field(description="Rate of disruption spells (Poisson) a year.")
    length_months: NonNeg = Field(description="Mean spell length, months (exponential).")
    depth: Prob = Field(description="Fractional drop of all trade during a spell.")


class Promotion(Model):
    leads_per_event: NonNeg = Field(description="Extra leads one promotion event brings (Poisson mean), split by sector lead rates.")


class LeaderUncertainty(Model):
    sign_prob: Prob = Field(description="Probability a candidate signs within its window.")
    trade_yi: Positive = Field(description="Yearly trade of a leader at full size, 亿元.")
    employees: NonNeg = Field(description="Employees of a leader at full size.")
    fdi_wan_usd: NonNeg = Field(description="FDI a leader pays in, 万美元 (0 if domestic).")
    fitout_months: NonNeg = Field(description="Months from signing and finding space to opening.")
    rampup_months: NonNeg = Field(description="Months from opening to full size.")


class CountUncertainty(Model):
    base_per_year: NonNeg = Field(description="Yearly Poisson rate independent of firms.")
    per_firm_per_year: NonNeg = Field(default_factory=lambda: Fixed(value=0.0), description="Yearly rate per operating firm of the listed sectors.")


class Uncertainties(Model):
    macro: Macro
    commodity: Commodity
    disruption: Disruption
    promotion: Promotion
    funding_delay_elasticity: NonNeg = Field(
        description="A project's time to completion (planned month + slip) scales as funding ** -elasticity.")
    sectors: dict[str, SectorUncertainty]
    project_delay_months: dict[str, Dist] = Field(
        default_factory=dict, description="Slip past the planned month (negative = early), months.")
    milestone_delay_months: dict[str, Dist] = Field(
        default_factory=dict, description="Slip past the planned month (negative = early), months.")
    leaders: dict[str, LeaderUncertainty] = Field(default_factory=dict)
    counts: dict[str, CountUncertainty] = Field(default_factory=dict)


# ----------------------------------------------------------------------------- targets

class Target(Model):
    indicator: str = Field(description="Indicator id (see docs/scenarios.md).")
    year: int = Field(description="Calendar year the indicator is measured in.")
    op: Literal[">=", ">", "<=", "<"] = Field(description="'>=' for 达到/实现, '>' for 超过.")
    threshold: float = Field(description="Value the indicator is compared with, in the indicator's unit.")
    unit: str = Field(description="Unit; must match the indicator's unit.")
    source: str = Field(description="The plan line the target comes from.")
    active: bool = Field(True, description="Inactive targets are reported but left out of the joint probability.")
    alternative_of: str = Field("", description="Target id this one is an alternative reading of.")
    note: str = Field("", description="Shown beside the target in the summary.")


# ----------------------------------------------------------------------------- whole scenario

class Scenario(Model):
    extends: str | None = Field(None, description="Parent scenario file (resolved before validation).")
    scenario: ScenarioMeta
    run: Run
    constants: Constants
    initial_state: InitialState
    levers: Levers
    uncertainties: Uncertainties
    targets: dict[str, Target] = Field(min_length=1)
    ranking: RankingConfig | None = Field(None, description="National evaluation: peers and method (docs/model.md, section Ranking).")
    observations: ObservationsConfig | None = Field(None, description="Observed monthly statistics and the nowcast month (docs/data.md).")
    lever_ranges: LeverRanges = Field(default_factory=LeverRanges, description=(
        "Ranges of levers studied by sensitivity and discover (docs/levers.md); levers without one stay fixed."))

    @model_validator(mode="after")
    def _cross_references(self):
        c, lv, u = self.constants, self.levers, self.uncertainties
        sectors, projects, milestones = set(c.sectors), set(c.projects), set(c.milestones)

        def same_keys(path, have, want):
            have = set(have)
            if have - want:
                raise ValueError(f"{path}: unknown id(s) {sorted(have - want)}; expected one of {sorted(want)}")
            if want - have:
                raise ValueError(f"{path}: missing entries for {sorted(want - have)}")

        same_keys("initial_state.enterprises", self.initial_state.enterprises, sectors)
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
                raise ValueError(f"constants.sectors.{sid}.requires_milestone: unknown milestone "
                                 f"{s.requires_milestone!r}; expected one of {sorted(milestones)}")
        for kind, items in (("projects", c.projects), ("milestones", c.milestones)):
            for iid, it in items.items():
                for sec in it.lead_rate_multiplier:
                    if sec not in sectors:
                        raise ValueError(f"constants.{kind}.{iid}.lead_rate_multiplier: unknown sector {sec!r}")
                allowed = projects if kind == "projects" else projects | milestones
                for dep in it.depends_on:
                    if dep not in allowed:
                        raise ValueError(f"constants.{kind}.{iid}.depends_on: unknown id {dep!r}; "
                                         f"expected one of {sorted(allowed)}")
        clash = projects & milestones
        if clash:
            raise ValueError(f"constants.milestones: id(s) {sorted(clash)} are also project ids; ids must be unique")
        _check_acyclic({**{k: v.depends_on for k, v in c.projects.items()},
                        **{k: v.depends_on for k, v in c.milestones.items()}})
        for sid, s in c.sectors.items():
            if s.requires_milestone and self.initial_state.enterprises[sid].support[1] > 0:
                raise ValueError(
                    f"initial_state.enterprises.{sid}: the sector needs milestone {s.requires_milestone!r}, which "
                    f"is still pending at the start, so it can have no operating firms yet (expected 0)")
        for lid, l in c.leaders.items():
            if l.sector not in sectors:
                raise ValueError(f"constants.leaders.{lid}.sector: unknown sector {l.sector!r}")
        for cid, cs in c.counts.items():
            for sec in cs.per_firm_sectors:
                if sec not in sectors:
                    raise ValueError(f"constants.counts.{cid}.per_firm_sectors: unknown sector {sec!r}")

        # Land can never exceed the fenced area, whatever the draws.
        fenced_ha = c.fenced_area_km2 * 100
        worst = (self.initial_state.developed_area_ha.support[1]
                 + self.initial_state.serviced_land_free_ha.support[1]
                 + sum(p.serviced_land_ha + p.footprint_ha for p in c.projects.values()))
        if worst > fenced_ha + 1e-9:
            raise ValueError(
                f"initial_state.developed_area_ha + serviced_land_free_ha + all project land can reach "
                f"{worst:g} ha, more than the fenced area {fenced_ha:g} ha (constants.fenced_area_km2)")

        _check_lever_ranges(self.lever_ranges, c)
        if self.ranking is not None:
            self.ranking.check_years(self.run.years)
        builtin = set(MODEL_INDICATORS)
        for cid in c.counts:
            if cid in builtin or cid.startswith(("leaders_", "done_", "ALL_")):
                raise ValueError(f"constants.counts.{cid}: id collides with a built-in indicator name")
        years = set(self.run.years)
        known = indicator_ids(self)
        for tid, t in self.targets.items():
            if tid.startswith("ALL_"):
                raise ValueError(f"targets.{tid}: ids starting with ALL_ are reserved for the joint probability rows")
            if t.indicator not in known:
                raise ValueError(f"targets.{tid}.indicator: unknown indicator {t.indicator!r}; "
                                 f"expected one of {sorted(known)}")
            if t.year not in years:
                raise ValueError(f"targets.{tid}.year: {t.year} is outside the simulated years {sorted(years)}")
            want = known[t.indicator]
            if t.unit != want:
                raise ValueError(f"targets.{tid}.unit: {t.indicator} is measured in {want!r}, got {t.unit!r}")
            if t.alternative_of and t.alternative_of not in self.targets:
                raise ValueError(f"targets.{tid}.alternative_of: unknown target {t.alternative_of!r}")
        return self


def indicator_ids(s: Scenario) -> dict[str, str]:
    """Every indicator this scenario's model produces, with its unit."""
    c = s.constants
    ids = {k: indicator_unit(k) for k in MODEL_INDICATORS}
    ids.update({f"leaders_{k}": "count" for k in c.leaders})
    ids.update({f"done_{k}": "0/1" for k in (*c.projects, *c.milestones)})
    ids.update({k: v.unit for k, v in c.counts.items()})
    ids.update(ranking_indicator_ids(s))
    return ids


def ranking_indicator_ids(s: Scenario) -> dict[str, str]:
    """Yearly-only indicators of the national evaluation (empty without a [ranking] section):
    the zone's rank, regional rank, score and class A flag, its rank under each method variant,
    and statistics of the simulated peer population (peers_*)."""
    if s.ranking is None:
        return {}
    ids = {k: indicator_unit(k) for k in RANKING_INDICATORS}
    ids.update({f"rank_variant_{v}": indicator_unit(f"rank_variant_{v}") for v in s.ranking.variants})
    ids.update({f"peers_{k}": p.unit for k, p in PEER_STATISTICS.items()})
    return ids


def _check_acyclic(graph: dict[str, list[str]]) -> None:
    state: dict[str, int] = {}

    def visit(n, path):
        if state.get(n) == 1:
            cyc = path[path.index(n):] + [n]
            raise ValueError(f"constants.projects/milestones.depends_on: dependency cycle {' -> '.join(cyc)}")
        if state.get(n) == 2:
            return
        state[n] = 1
        for d in graph.get(n, []):
            visit(d, path + [n])
        state[n] = 2

    for n in graph:
        visit(n, [])
