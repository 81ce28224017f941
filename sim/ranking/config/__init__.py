"""The ``[ranking]`` section of a scenario: peer zones, derived indicators, evaluation methods.

The methods (by version), the method belief and the peers' assumptions live in
``scenarios/evaluation_methods.toml``, the zone's own inputs in its scenario or zone file, the
national facts in ``scenarios/national_facts.csv`` (filled in by :mod:`sim.ranking.config.fill`,
only those dated before the plan); this module only declares what may be written there, with
types, ranges and cross-checks. Models are frozen and forbid unknown keys, like the rest of the
scenario schema.

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
from collections.abc import Callable
from typing import Literal, TypeVar

from pydantic import Field, model_validator

from sim.config_base import StrictModel
from sim.ranking.config import fill, national
from sim.ranking.config.belief import MethodBelief
from sim.ranking.config.peers import (
    Correlation,
    CountSpan,
    Growth,
    PeerSpec,
    PeerVariable,
    Span,
    TradeSpec,
    count_span,
    span,
)
from sim.ranking.config.trade_quantile import TOP_LARGE, TOP_SMALL
from sim.ranking.config.variables import (
    BASE_VARIABLES,
    LATENT_COLUMNS,
    PEER_VARIABLES,
    TRADE_MODES,
    ZONE_CONFIG_VARIABLES,
    ZONE_MODEL_VARIABLES,
    Board,
    Region,
)
from sim.ranking.config.zone_spec import ZoneSpec, nonnegative

Model = StrictModel

__all__ = [
    "BASE_VARIABLES",
    "LATENT_COLUMNS",
    "PEER_VARIABLES",
    "TOP_LARGE",
    "TOP_SMALL",
    "TRADE_MODES",
    "ZONE_CONFIG_VARIABLES",
    "ZONE_MODEL_VARIABLES",
    "Board",
    "Bonus",
    "BonusItem",
    "Correlation",
    "CountSpan",
    "Deduction",
    "Derived",
    "Group",
    "Growth",
    "IndicatorWeight",
    "Method",
    "MethodBelief",
    "PeerSpec",
    "PeerVariable",
    "RankingConfig",
    "Region",
    "Span",
    "TradeSpec",
    "Variant",
    "ZoneSpec",
    "count_span",
    "per_config",
    "span",
]

Rule = Literal["percentile", "min_max", "share_of_max"]
Direction = Literal["higher", "lower"]


# ----------------------------------------------------------------------------- derived indicators


class Derived(Model):
    name_zh: str = Field(description="Chinese name of the indicator as the method calls it.")
    unit: str = Field(description="Unit (for tables; normalisation makes scoring unit-free).")
    terms: dict[str, float] = Field(
        default_factory=dict,
        description=("Base variable or earlier derived indicator -> coefficient (>= 0); the indicator is the sum."),
    )
    divide_by: str = Field("", description="Optional base variable the sum is divided by (e.g. area_km2).")
    growth_of: str = Field("", description="Instead of terms: year-on-year growth of this base variable, %.")

    @model_validator(mode="after")
    def _one_kind(self):
        if bool(self.terms) == bool(self.growth_of):
            raise ValueError("give either terms or growth_of (exactly one)")
        if self.growth_of and self.divide_by:
            raise ValueError("divide_by does not apply to a growth indicator")
        nonnegative(self.terms, "terms", "so more of a base variable never lowers an indicator")
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
    prob_per_year: float = Field(
        ge=0,
        le=1,
        description="Probability a zone is docked in a data year "
        "(violation, safety incident...), the same for every zone.",
    )
    points: float = Field(ge=0, description="Points docked when it happens.")


class Method(Model):
    name_zh: str
    source: str = Field(description="Where the method's structure comes from.")
    normalisation: Rule = Field(description="How an indicator becomes a 0-1 score across the evaluated zones.")
    boards: Literal[2, 3] = Field(
        2,
        description="Regional boards the method ranks on beside the national ranking: 2 (east; central, west "
        "and north-east) or 3 (east; central; west and north-east).",
    )
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
    group_points: dict[str, float] = Field(
        default_factory=dict,
        description=("Group -> points replacing the method's (e.g. another split of the last 20%)."),
    )

    @model_validator(mode="after")
    def _points(self):
        if any(v < 0 for v in self.group_points.values()):
            raise ValueError("group_points must be >= 0")
        return self


# ----------------------------------------------------------------------------- the section


class RankingConfig(Model):
    reference_rank: int | dict[str, int] = Field(
        description=(
            "The rank the plan aims at (top N), one for every data year or data year -> rank; peers output "
            "trade_at_reference_rank / score_at_reference_rank describe the zone holding it. Left out, each "
            "data year takes its rank target's (sim.ranking.config.fill); stated, it must agree with them."
        ),
    )
    class_a_share: float = Field(
        gt=0, le=1, description="Share of evaluated zones in class A (ranks <= floor(share * n))."
    )
    method_by_year: dict[str, str | dict[str, float]] = Field(
        default_factory=dict,
        description=(
            "Data year -> the method that scores it: a method id (it applies for certain), or method id "
            "-> probability that it applies (summing to 1); each replication draws one. A data year not "
            "stated takes method_belief with the facts known before the plan."
        ),
    )
    method_belief: MethodBelief = Field(
        description="Which method scores a data year the scenario does not state: the planner's belief "
        "(scenarios/evaluation_methods.toml, [ranking.method_belief])."
    )
    zone: ZoneSpec
    peers: PeerSpec
    derived: dict[str, Derived] = Field(
        default_factory=dict,
        description=("Derived indicators, computed in file order (a later one may use an earlier one)."),
    )
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
                    raise ValueError(
                        f"derived.{name}.terms: unknown {k!r}; expected a base variable or an "
                        f"earlier derived indicator: {known}"
                    )
            if d.divide_by and d.divide_by not in known:
                raise ValueError(f"derived.{name}.divide_by: unknown {d.divide_by!r}; expected one of {known}")
            if d.growth_of and d.growth_of not in BASE_VARIABLES:
                raise ValueError(
                    f"derived.{name}.growth_of: unknown {d.growth_of!r}; expected a base "
                    f"variable: {list(BASE_VARIABLES)}"
                )
            known.append(name)
        for mid, m in self.methods.items():
            for gid, g in m.groups.items():
                for k in g.indicators:
                    if k not in known:
                        raise ValueError(
                            f"methods.{mid}.groups.{gid}.indicators: unknown indicator {k!r}; "
                            f"expected a base variable or a derived indicator: {known}"
                        )
            for k in m.bonus.items:
                if k not in known:
                    raise ValueError(f"methods.{mid}.bonus.items: unknown indicator {k!r}; expected one of {known}")
        if self.zone.board is None and any(m.boards == 3 for m in self.methods.values()):
            raise ValueError(
                "zone.board: a method ranks on three boards (east, central, west_northeast); give the zone's "
                "board (its province's, scenarios/province_boards.csv)"
            )
        if self.zone.board is not None and (self.zone.board == "east") != (self.zone.region == "east"):
            raise ValueError(f"zone.board: {self.zone.board!r} does not lie in zone.region {self.zone.region!r}")
        ranks = self.reference_rank if isinstance(self.reference_rank, dict) else {"": self.reference_rank}
        if not ranks or any(r < 1 or (y and not y.isdigit()) for y, r in ranks.items()):
            raise ValueError(f"reference_rank: expected a rank >= 1, or data year -> rank, got {self.reference_rank!r}")
        unknown = sorted(self.method_belief.methods() - set(self.methods))
        if unknown:
            raise ValueError(f"method_belief: unknown method(s) {unknown}; expected some of {sorted(self.methods)}")
        for y, given in self.method_by_year.items():
            if not y.isdigit():
                raise ValueError(f"method_by_year: key {y!r} is not a year")
            weights = {given: 1.0} if isinstance(given, str) else given
            for mid, w in weights.items():
                if mid not in self.methods:
                    raise ValueError(
                        f"method_by_year.{y}: unknown method {mid!r}; expected one of {sorted(self.methods)}"
                    )
                if not 0 <= w <= 1:
                    raise ValueError(f"method_by_year.{y}.{mid}: probability {w:g} outside [0, 1]")
            if abs(sum(weights.values()) - 1) > 1e-9:
                raise ValueError(
                    f"method_by_year.{y}: probabilities sum to {sum(weights.values()):.6g}, not 1 "
                    f'(a planner who knows the method gives its id alone, e.g. "{y}" = "{max(weights, key=weights.get)}")'
                )
        for vid, v in self.variants.items():
            if v.method and v.method not in self.methods:
                raise ValueError(
                    f"variants.{vid}.method: unknown method {v.method!r}; expected one of {sorted(self.methods)}"
                )
            applies = (
                [v.method] if v.method else sorted({m for y in self.method_by_year for m in self.method_weights(y)})
            )
            for mid in applies:
                bad = sorted(set(v.group_points) - set(self.methods[mid].groups))
                if bad:
                    raise ValueError(
                        f"variants.{vid}.group_points: group(s) {bad} not in method {mid!r} "
                        f"(groups: {sorted(self.methods[mid].groups)})"
                    )
        return self

    def reference_rank_in(self, year) -> int:
        """The reference rank of data ``year``: ``reference_rank`` (one rank, or the year's; a year it
        does not name takes the next later year's, else the latest earlier one's)."""
        r = self.reference_rank
        if isinstance(r, int):
            return r
        return fill.rank_of_year({int(y): v for y, v in r.items()}, int(year))

    def method_weights(self, year) -> dict[str, float]:
        """Method id -> probability that it scores data year ``year`` (methods of probability 0 left out);
        a data year ``method_by_year`` does not state takes the default of sim.ranking.config.national."""
        given = self.method_by_year.get(str(year))
        if given is None:
            given = self._defaults(int(year))[0]
        return {given: 1.0} if isinstance(given, str) else {m: w for m, w in given.items() if w > 0}

    def evaluated(self, year) -> CountSpan:
        """Zones evaluated in data ``year``: ``peers.evaluated_by_year``, or the default that the national
        facts known before the plan give (sim.ranking.config.national)."""
        given = self.peers.evaluated_by_year.get(str(year))
        return count_span(given) if given is not None else self._defaults(int(year))[1]

    def _defaults(self, year: int) -> tuple[str | dict[str, float], CountSpan]:
        """(method, evaluated) of a data year from the facts known before the plan (national.year_defaults)."""
        method, (lo, hi) = national.year_defaults(self, year)
        return method, CountSpan(low=lo, high=hi)

    def check_years(self, years: list[int]) -> None:
        """Raise ValueError naming the key when the simulated years do not fit the peers' calibration."""
        if not years:
            return
        if list(years) != list(range(years[0], years[0] + len(years))):
            raise ValueError(f"ranking: simulated years must be consecutive, got {list(years)}")
        if years[0] - 1 != self.peers.calibration_year:
            raise ValueError(
                f"ranking.peers.calibration_year: {self.peers.calibration_year}, but the first "
                f"simulated year is {years[0]}; the peers' marginals must describe the year "
                f"before it (macro_index = 1 there)"
            )
        if self.peers.calibrated_to_facts:
            national.check_facts(self, list(years))


T = TypeVar("T")


def per_config(build: Callable[[RankingConfig], T]) -> Callable[[RankingConfig], T]:
    """``build(cfg)`` computed once per configuration object (configs are frozen, so the object's
    identity is its key); the 16 most recent are kept."""
    cache: dict[int, tuple[RankingConfig, T]] = {}

    @functools.wraps(build)
    def cached(cfg: RankingConfig) -> T:
        hit = cache.get(id(cfg))
        if hit is not None and hit[0] is cfg:
            return hit[1]
        if len(cache) >= 16:
            cache.pop(next(iter(cache)))
        value = build(cfg)
        cache[id(cfg)] = (cfg, value)
        return value

    return cached
