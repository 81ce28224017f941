"""The ``[ranking]`` section of a scenario: peer zones, derived indicators, evaluation methods.

Every number lives in ``scenarios/evaluation_methods.toml`` with its source or assumption; this
module only declares what may be written there, with types, ranges and cross-checks. Models are
frozen and forbid unknown keys, like the rest of the scenario schema.

Vocabulary:

* base variable: a yearly value every zone has, the zone from its model output and the peers from
  the peer population (``BASE_VARIABLES``);
* derived indicator: a formula over base variables (linear combination, optionally divided by a
  base variable, or year-on-year growth), applied identically to the zone and to every peer;
* method: groups of indicators with points, weights, direction and a normalisation rule, plus
  capped bonus points and a random deduction;
* variant: the same replication (same peers, same zone) re-scored with one unknown of the method
  changed (normalisation rule, split of group points, method version).
"""
from __future__ import annotations

import functools

from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from sim.config_base import StrictModel
from sim.ranking.config.trade_quantile import TOP_LARGE, TOP_SMALL, solve_trade_quantile
from sim.vocabulary.outcomes import MODES

Model = StrictModel


Region = Literal["east", "central_west"]
Rule = Literal["percentile", "min_max", "share_of_max"]
Direction = Literal["higher", "lower"]

TRADE_MODES = tuple(f"trade_{m}" for m in MODES)

ZONE_MODEL_VARIABLES = (
    "trade_total", *TRADE_MODES, "industrial_output", "fdi_usd", "development_rate",
    "active_enterprises", "employees", "new_business_types", "institutional_innovations",
    "ftz_replications", "patents", "high_tech_firms")
"""Base variables the zone takes from its own model output (one value per simulated year)."""

ZONE_CONFIG_VARIABLES = ("area_km2", "accepted_area_share", "province_trade")
"""Base variables the zone takes from ``[ranking.zone]`` (the model does not produce them)."""

BASE_VARIABLES = ZONE_MODEL_VARIABLES + ZONE_CONFIG_VARIABLES

PEER_VARIABLES = tuple(v for v in BASE_VARIABLES if v not in ("trade_total", *TRADE_MODES))
"""Peer variables drawn from their own marginal (trade and its modes are handled apart)."""

LATENT_COLUMNS = ("trade_total", "seniority", *PEER_VARIABLES)
"""Columns of the Gaussian copula, in this order."""



# ----------------------------------------------------------------------------- zone

class ZoneSpec(Model):
    region: Region = Field(description="Region the zone is ranked in: 'east' or 'central_west' "
                                       "(central, western and north-eastern provinces).")
    area_km2: float = Field(gt=0, description="Area the per-area indicators divide by (fenced area), km2.")
    accepted_area_share_pct: float = Field(gt=0, le=100, description="Share of the approved area that "
                                           "has passed customs acceptance, %.")
    province_trade_yi: float = Field(gt=0, description="Foreign trade of the zone's province in the "
                                     "calibration year, 亿元; grows like the peers' province_trade.")
    offsets: dict[str, float] = Field(default_factory=dict, description=(
        "Added to the zone model's output before scoring, for stock the model does not track "
        "(e.g. business types running before the first simulated year). Must be >= 0."))
    fallback: dict[str, float] = Field(default_factory=dict, description=(
        "Value used when the zone model does not produce a base variable in this scenario. Without "
        "an entry, a missing variable is an error (never a silent zero)."))

    @model_validator(mode="after")
    def _keys(self):
        for name, d in (("offsets", self.offsets), ("fallback", self.fallback)):
            bad = sorted(set(d) - set(ZONE_MODEL_VARIABLES))
            if bad:
                raise ValueError(f"{name}: unknown variable(s) {bad}; expected some of "
                                 f"{list(ZONE_MODEL_VARIABLES)}")
        _nonnegative(self.offsets, "offsets", "a negative offset could reverse the direction of the zone's "
                                              "own indicator")
        return self


# ----------------------------------------------------------------------------- peers

class Growth(Model):
    """How a peer variable moves from the calibration year to a simulated year ``dt`` years later."""
    macro_elasticity: float = Field(description="Exponent on the shared macro trade index "
                                    "(1 = moves one for one with it, 0 = ignores it).")
    drift_per_year: float = Field(description="Own trend a year: log-growth (positive variables) "
                                  "or logit-growth (percent variables) beyond the macro index.")
    noise_sd_per_year: float = Field(ge=0, description="Peer-specific yearly sd of the log (logit) shock.")
    noise: Literal["walk", "iid"] = Field(description="'walk': shocks accumulate (a level that "
                                          "wanders); 'iid': a fresh shock each year around the trend "
                                          "(yearly flows such as counts).")


class TradeSpec(Growth):
    total_yi: float = Field(gt=0, description="Trade of all peers in the calibration year, 亿元.")
    top5_share: float = Field(gt=0, lt=1, description="Share of that total held by the 5 largest zones.")
    top30_share: float = Field(gt=0, lt=1, description="Share held by the 30 largest zones.")
    size_loading: float = Field(ge=-1, le=1, description="Loading of log trade on the common size factor.")


class PeerVariable(Growth):
    kind: Literal["positive", "percent"] = Field(description=(
        "'positive': lognormal, median * exp(sigma * z); 'percent': logit-normal on (0, 100)."))
    median: float = Field(gt=0, description="Median across peers in the calibration year (unit of the variable).")
    sigma: float = Field(ge=0, description="sd of log (positive) or of logit (percent) across peers.")
    size_loading: float = Field(ge=-1, le=1, description="Loading on the common size factor "
                                "(correlation with another variable = product of loadings).")
    median_uncertainty: float = Field(ge=0, description=(
        "sd of a log (percent: logit) shift of the median, drawn once per replication and shared by "
        "all peers: how unsure the calibration of this marginal is (0 = the median is a fact)."))

    @model_validator(mode="after")
    def _percent(self):
        if self.kind == "percent" and not self.median < 100:
            raise ValueError(f"a percent variable needs 0 < median < 100, got {self.median}")
        return self


class Correlation(Model):
    a: str = Field(description="Copula column (see LATENT_COLUMNS).")
    b: str = Field(description="Copula column.")
    rho: float = Field(gt=-1, lt=1, description="Latent correlation replacing the one-factor value.")


class PeerSpec(Model):
    calibration_year: int = Field(description="Year the marginals describe (the year before the first "
                                  "simulated year; macro_index = 1 then).")
    n_peers: int = Field(ge=TOP_LARGE + 1, description="Other zones in the country (the zone excluded).")
    n_central_west: int = Field(ge=0, description="How many of them are in the central/west/north-east region.")
    evaluated_by_year: dict[str, int] = Field(description=(
        "Data year -> zones evaluated that year, the zone included; the peers evaluated are the "
        "most senior ones."))
    stratified: bool = Field(description=(
        "true: each replication's peers take exactly the calibrated marginal values (quantile grid), "
        "shuffled by the copula; false: independent draws from the marginals."))
    seniority_loading: float = Field(ge=-1, le=1, description=(
        "Loading of seniority (how long a zone has operated) on the size factor; decides which "
        "peers are evaluated when not all are."))
    mode_shares: dict[Region, dict[str, float]] = Field(description=(
        "Region -> customs mode (trade_processing...) -> share of a peer's trade; sums to 1."))
    mode_mix_sigma: float = Field(ge=0, description=(
        "sd of the log multiplier on each mode share of a peer (specialisation), before renormalising."))
    trade: TradeSpec
    variables: dict[str, PeerVariable] = Field(description="Marginal, loading and growth of each other peer variable.")
    correlations: list[Correlation] = Field(default_factory=list, description=(
        "Latent correlations that replace the one-factor value for a pair of columns."))

    @model_validator(mode="after")
    def _check(self):
        if self.n_central_west > self.n_peers:
            raise ValueError(f"n_central_west ({self.n_central_west}) exceeds n_peers ({self.n_peers})")
        want, have = set(PEER_VARIABLES), set(self.variables)
        if have != want:
            raise ValueError(f"variables: missing {sorted(want - have)}, unknown {sorted(have - want)}; "
                             f"expected exactly {list(PEER_VARIABLES)}")
        for y, n in self.evaluated_by_year.items():
            if not y.isdigit():
                raise ValueError(f"evaluated_by_year: key {y!r} is not a year")
            if not 2 <= n <= self.n_peers + 1:
                raise ValueError(f"evaluated_by_year.{y}: {n} zones evaluated; expected 2..{self.n_peers + 1} "
                                 f"(n_peers + the zone)")
        for r, shares in self.mode_shares.items():
            bad = sorted(set(shares) - set(TRADE_MODES))
            if bad:
                raise ValueError(f"mode_shares.{r}: unknown mode(s) {bad}; expected some of {list(TRADE_MODES)}")
            if any(v < 0 for v in shares.values()):
                raise ValueError(f"mode_shares.{r}: shares must be >= 0")
            s = sum(shares.values())
            if abs(s - 1) > 1e-6:
                raise ValueError(f"mode_shares.{r}: shares must sum to 1, they sum to {s:.6g}")
        if set(self.mode_shares) != {"east", "central_west"}:
            raise ValueError("mode_shares: give both 'east' and 'central_west'")
        for i, c in enumerate(self.correlations):
            for x in (c.a, c.b):
                if x not in LATENT_COLUMNS:
                    raise ValueError(f"correlations[{i}]: unknown column {x!r}; expected one of {list(LATENT_COLUMNS)}")
            if c.a == c.b:
                raise ValueError(f"correlations[{i}]: a and b are the same column {c.a!r}")
        try:
            np.linalg.cholesky(self.correlation_matrix())
        except np.linalg.LinAlgError:
            raise ValueError("correlations: the resulting latent correlation matrix is not positive "
                             "definite; reduce the overrides or the loadings") from None
        t = self.trade
        if not TOP_SMALL / TOP_LARGE < t.top5_share / t.top30_share < 1:
            raise ValueError(f"trade: top5_share / top30_share must lie in ({TOP_SMALL}/{TOP_LARGE}, 1), "
                             f"got {t.top5_share / t.top30_share:.3f}")
        if not TOP_LARGE / self.n_peers < t.top30_share:
            raise ValueError(f"trade.top30_share must exceed {TOP_LARGE}/{self.n_peers} (equal sizes)")
        # solvable targets, checked at load time
        solve_trade_quantile(self.n_peers, t.total_yi, t.top5_share, t.top30_share)
        return self

    def loadings(self) -> np.ndarray:
        v = self.variables
        return np.array([self.trade.size_loading, self.seniority_loading,
                         *(v[k].size_loading for k in PEER_VARIABLES)])

    def correlation_matrix(self) -> np.ndarray:
        """One-factor correlation (product of loadings), with the listed pairs replaced."""
        lam = self.loadings()
        c = np.outer(lam, lam)
        np.fill_diagonal(c, 1.0)
        idx = {k: i for i, k in enumerate(LATENT_COLUMNS)}
        for p in self.correlations:
            i, j = idx[p.a], idx[p.b]
            c[i, j] = c[j, i] = p.rho
        return c


# ----------------------------------------------------------------------------- derived indicators

class Derived(Model):
    name_zh: str = Field(description="Chinese name of the indicator as the method calls it.")
    unit: str = Field(description="Unit (for tables; normalisation makes scoring unit-free).")
    terms: dict[str, float] = Field(default_factory=dict, description=(
        "Base variable or earlier derived indicator -> coefficient (>= 0); the indicator is the sum."))
    divide_by: str = Field("", description="Optional base variable the sum is divided by (e.g. area_km2).")
    growth_of: str = Field("", description="Instead of terms: year-on-year growth of this base variable, %.")

    @model_validator(mode="after")
    def _one_kind(self):
        if bool(self.terms) == bool(self.growth_of):
            raise ValueError("give either terms or growth_of (exactly one)")
        if self.growth_of and self.divide_by:
            raise ValueError("divide_by does not apply to a growth indicator")
        _nonnegative(self.terms, "terms", "so more of a base variable never lowers an indicator")
        return self


# ----------------------------------------------------------------------------- methods

class IndicatorWeight(Model):
    weight: float = Field(gt=0, description="Relative weight within the group (normalised to sum 1).")
    direction: Direction = Field("higher", description="'higher' or 'lower' is better.")


class Group(Model):
    name_zh: str
    points: float = Field(ge=0, description="Points of the group in the 100-point quantitative score.")
    indicators: dict[str, IndicatorWeight] = Field(min_length=1)


class BonusItem(Model):
    points_per_unit: float = Field(ge=0, description="Bonus points per unit of the indicator (per count).")
    cap_points: float = Field(ge=0, description="Most points this item can give.")


class Bonus(Model):
    cap_points: float = Field(ge=0, description="Most bonus points in total.")
    items: dict[str, BonusItem] = Field(default_factory=dict)


class Deduction(Model):
    prob_per_year: float = Field(ge=0, le=1, description="Probability a zone is docked in a data year "
                                 "(violation, safety incident...), the same for every zone.")
    points: float = Field(ge=0, description="Points docked when it happens.")


class Method(Model):
    name_zh: str
    source: str = Field(description="Where the method's structure comes from.")
    normalisation: Rule = Field(description="How an indicator becomes a 0-1 score across the evaluated zones.")
    groups: dict[str, Group] = Field(min_length=1)
    bonus: Bonus
    deduction: Deduction

    def indicator_names(self) -> list[str]:
        names = [k for g in self.groups.values() for k in g.indicators]
        return names + [k for k in self.bonus.items if k not in names]


class Variant(Model):
    description: str = Field(description="What unknown of the method this variant changes.")
    method: str = Field("", description="Method used for every data year ('' = the year's method).")
    normalisation: Rule | None = Field(None, description="Normalisation rule replacing the method's.")
    group_points: dict[str, float] = Field(default_factory=dict, description=(
        "Group -> points replacing the method's (e.g. another split of the last 20%)."))

    @model_validator(mode="after")
    def _points(self):
        if any(v < 0 for v in self.group_points.values()):
            raise ValueError("group_points must be >= 0")
        return self


# ----------------------------------------------------------------------------- the section

class RankingConfig(Model):
    reference_rank: int = Field(ge=1, description=(
        "The rank the plan aims at (top N); peers output trade_at_rank60 / score_at_rank60 "
        "describe the zone holding this rank."))
    class_a_share: float = Field(gt=0, le=1, description="Share of evaluated zones in class A (ranks <= floor(share * n)).")
    method_by_year: dict[str, str] = Field(description="Data year -> method id used to score it.")
    zone: ZoneSpec
    peers: PeerSpec
    derived: dict[str, Derived] = Field(default_factory=dict, description=(
        "Derived indicators, computed in file order (a later one may use an earlier one)."))
    methods: dict[str, Method] = Field(min_length=1)
    variants: dict[str, Variant] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _cross(self):
        known = list(BASE_VARIABLES)
        for name, d in self.derived.items():
            if name in BASE_VARIABLES:
                raise ValueError(f"derived.{name}: the name of a base variable; choose another")
            for k in d.terms:
                if k not in known:
                    raise ValueError(f"derived.{name}.terms: unknown {k!r}; expected a base variable or an "
                                     f"earlier derived indicator: {known}")
            if d.divide_by and d.divide_by not in known:
                raise ValueError(f"derived.{name}.divide_by: unknown {d.divide_by!r}; expected one of {known}")
            if d.growth_of and d.growth_of not in BASE_VARIABLES:
                raise ValueError(f"derived.{name}.growth_of: unknown {d.growth_of!r}; expected a base "
                                 f"variable: {list(BASE_VARIABLES)}")
            known.append(name)
        for mid, m in self.methods.items():
            for gid, g in m.groups.items():
                for k in g.indicators:
                    if k not in known:
                        raise ValueError(f"methods.{mid}.groups.{gid}.indicators: unknown indicator {k!r}; "
                                         f"expected a base variable or a derived indicator: {known}")
            for k in m.bonus.items:
                if k not in known:
                    raise ValueError(f"methods.{mid}.bonus.items: unknown indicator {k!r}; expected one of {known}")
        for y, mid in self.method_by_year.items():
            if not y.isdigit():
                raise ValueError(f"method_by_year: key {y!r} is not a year")
            if mid not in self.methods:
                raise ValueError(f"method_by_year.{y}: unknown method {mid!r}; expected one of {sorted(self.methods)}")
        for vid, v in self.variants.items():
            if v.method and v.method not in self.methods:
                raise ValueError(f"variants.{vid}.method: unknown method {v.method!r}; expected one of {sorted(self.methods)}")
            applies = [v.method] if v.method else sorted(set(self.method_by_year.values()))
            for mid in applies:
                bad = sorted(set(v.group_points) - set(self.methods[mid].groups))
                if bad:
                    raise ValueError(f"variants.{vid}.group_points: group(s) {bad} not in method {mid!r} "
                                     f"(groups: {sorted(self.methods[mid].groups)})")
        return self

    def check_years(self, years: list[int]) -> None:
        """Raise ValueError naming the key when a simulated year has no method or evaluated count."""
        for y in years:
            if str(y) not in self.method_by_year:
                raise ValueError(f"ranking.method_by_year: no method for data year {y} "
                                 f"(have {sorted(self.method_by_year)})")
            if str(y) not in self.peers.evaluated_by_year:
                raise ValueError(f"ranking.peers.evaluated_by_year: no count for data year {y} "
                                 f"(have {sorted(self.peers.evaluated_by_year)})")
        if not years:
            return
        if list(years) != list(range(years[0], years[0] + len(years))):
            raise ValueError(f"ranking: simulated years must be consecutive, got {list(years)}")
        if years[0] - 1 != self.peers.calibration_year:
            raise ValueError(f"ranking.peers.calibration_year: {self.peers.calibration_year}, but the first "
                             f"simulated year is {years[0]}; the peers' marginals must describe the year "
                             f"before it (macro_index = 1 there)")


def _nonnegative(values: dict[str, float], what: str, why: str) -> None:
    neg = sorted(k for k, v in values.items() if v < 0)
    if neg:
        raise ValueError(f"{what}: {neg} must be >= 0 ({why})")


def per_config(build):
    """``build(cfg)`` computed once per configuration object (configs are frozen, so the object's
    identity is its key); the 16 most recent are kept."""
    cache: dict[int, tuple[RankingConfig, object]] = {}

    @functools.wraps(build)
    def cached(cfg: RankingConfig):
        hit = cache.get(id(cfg))
        if hit is not None and hit[0] is cfg:
            return hit[1]
        if len(cache) >= 16:
            cache.pop(next(iter(cache)))
        value = build(cfg)
        cache[id(cfg)] = (cfg, value)
        return value
    return cached
