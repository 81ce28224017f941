"""The ``[ranking.peers]`` part of the ranking section: who the zone is ranked among, and how unsure that is.

The peer population is the country's other comprehensive bonded zones (CBZs) plus the bonded
zones (保税区) evaluated beside them. What is not a fact is a :class:`Span` drawn once per
replication: the concentration of CBZ trade (top-5 and top-30 shares), the number of zones
evaluated in each data year, and how many bonded zones are among them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from sim.config_base import StrictModel
from sim.ranking.config.trade_quantile import TOP_LARGE, TOP_SMALL, solve_trade_quantile
from sim.ranking.config.variables import LATENT_COLUMNS, PEER_VARIABLES, TRADE_MODES, Region

Model = StrictModel


class Span(Model):
    """A range drawn uniformly once per replication (``low == high``: a fixed value)."""

    low: float = Field(description="Lowest value.")
    high: float = Field(description="Highest value (>= low).")

    @model_validator(mode="after")
    def _order(self):
        if self.high < self.low:
            raise ValueError(f"high ({self.high:g}) is below low ({self.low:g})")
        return self

    def at(self, u: float) -> float:
        """The value at uniform ``u`` in [0, 1)."""
        return self.low + u * (self.high - self.low)


class CountSpan(Model):
    """A whole-number range drawn uniformly once per replication (``low == high``: a fixed count)."""

    low: int = Field(ge=0, description="Smallest count.")
    high: int = Field(ge=0, description="Largest count (>= low).")

    @model_validator(mode="after")
    def _order(self):
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) is below low ({self.low})")
        return self

    def at(self, u: float) -> int:
        """The count at uniform ``u`` in [0, 1): each of low..high equally likely."""
        return min(self.low + int(u * (self.high - self.low + 1)), self.high)


def span(x: float | Span) -> Span:
    """A plain number as the Span that always gives it."""
    return x if isinstance(x, Span) else Span(low=x, high=x)


def count_span(x: int | CountSpan) -> CountSpan:
    """A plain count as the CountSpan that always gives it."""
    return x if isinstance(x, CountSpan) else CountSpan(low=x, high=x)


class Growth(Model):
    """How a peer variable moves from the calibration year to a simulated year ``dt`` years later."""

    macro_elasticity: float = Field(
        description="Exponent on the shared macro trade index (1 = moves one for one with it, 0 = ignores it)."
    )
    drift_per_year: float = Field(
        description="Own trend a year: log-growth (positive variables) "
        "or logit-growth (percent variables) beyond the macro index."
    )
    noise_sd_per_year: float = Field(ge=0, description="Peer-specific yearly sd of the log (logit) shock.")
    noise: Literal["walk", "iid"] = Field(
        description="'walk': shocks accumulate (a level that "
        "wanders); 'iid': a fresh shock each year around the trend "
        "(yearly flows such as counts)."
    )


class TradeSpec(Growth):
    total_yi: float = Field(gt=0, description="Trade of all peers in the calibration year, 亿元.")
    top5_share: float | Span = Field(
        description="Share of that total held by the 5 largest zones (a number, or a range drawn per replication)."
    )
    top30_share: float | Span = Field(
        description=(
            "Share held by the 30 largest zones (a number or a range). Both shares are drawn with one "
            "uniform, so the two ranges' low ends go together, as do their high ends."
        )
    )

    def shares(self, u: float) -> tuple[float, float]:
        """(top-5 share, top-30 share) at the concentration uniform ``u`` (0.5: the calibration)."""
        return span(self.top5_share).at(u), span(self.top30_share).at(u)

    size_loading: float = Field(ge=-1, le=1, description="Loading of log trade on the common size factor.")


class PeerVariable(Growth):
    kind: Literal["positive", "percent"] = Field(
        description=("'positive': lognormal, median * exp(sigma * z); 'percent': logit-normal on (0, 100).")
    )
    median: float = Field(gt=0, description="Median across peers in the calibration year (unit of the variable).")
    sigma: float = Field(ge=0, description="sd of log (positive) or of logit (percent) across peers.")
    size_loading: float = Field(
        ge=-1,
        le=1,
        description="Loading on the common size factor (correlation with another variable = product of loadings).",
    )
    median_uncertainty: float = Field(
        ge=0,
        description=(
            "sd of a log (percent: logit) shift of the median, drawn once per replication and shared by "
            "all peers: how unsure the calibration of this marginal is (0 = the median is a fact)."
        ),
    )

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
    calibration_year: int = Field(
        description="Year the marginals describe (the year before the first simulated year; macro_index = 1 then)."
    )
    calibrated_to_facts: bool = Field(
        True,
        description=(
            "true: calibration_year, n_peers, n_central_west and trade.total_yi must equal what the national "
            "facts known before the plan starts give (scenarios/national_facts.csv); false: a what-if on them."
        ),
    )
    facts_dated_before: str | None = Field(
        None,
        pattern=r"^\d{4}-\d{2}(-\d{2})?$",
        description=(
            "The day (YYYY-MM-DD) or month (YYYY-MM: its first day) before which a national fact must be "
            "dated to be used (scenarios/national_facts.csv); default: the plan's start, [run].start."
        ),
    )
    n_peers: int = Field(ge=TOP_LARGE + 1, description="Other zones in the country (the zone excluded).")
    n_central_west: int = Field(ge=0, description="How many of them are in the central/west/north-east region.")
    central_west_share: float | None = Field(
        None,
        gt=0,
        lt=1,
        description=(
            "Share of the CBZs in the central, west and north-east regions for a plan before any regional "
            "count is known (scenarios/national_facts.csv); once one is, the facts give n_central_west."
        ),
    )
    west_northeast_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description=(
            "Share of the central-west peers on the west and north-east board when a method ranks on three "
            "boards (the rest are on the central board)."
        ),
    )
    evaluated_by_year: dict[str, int | CountSpan] = Field(
        default_factory=dict,
        description=(
            "Data year -> zones evaluated that year, the zone and the bonded zones included (a count, "
            "or a range: one uniform per replication places every year's count in its range); the "
            "CBZ peers evaluated are the most senior ones."
        ),
    )
    bonded_zones: int | CountSpan = Field(
        0,
        description=(
            "Bonded zones (保税区) evaluated beside the CBZs (a count, or a range drawn per "
            "replication). Each is drawn from the CBZ peers' marginals and copula (unstratified), is "
            "in the east, is always evaluated (the oldest special zones), and is left out of the "
            "national CBZ trade statistics."
        ),
    )
    stratified: bool = Field(
        description=(
            "true: each replication's peers take exactly the calibrated marginal values (quantile grid), "
            "shuffled by the copula; false: independent draws from the marginals."
        )
    )
    seniority_loading: float = Field(
        ge=-1,
        le=1,
        description=(
            "Loading of seniority (how long a zone has operated) on the size factor; decides which "
            "peers are evaluated when not all are."
        ),
    )
    mode_shares: dict[Region, dict[str, float]] = Field(
        description=("Region -> customs mode (trade_processing...) -> share of a peer's trade; sums to 1.")
    )
    mode_mix_sigma: float = Field(
        ge=0,
        description=("sd of the log multiplier on each mode share of a peer (specialisation), before renormalising."),
    )
    trade: TradeSpec
    variables: dict[str, PeerVariable] = Field(description="Marginal, loading and growth of each other peer variable.")
    correlations: list[Correlation] = Field(
        default_factory=list,
        description=("Latent correlations that replace the one-factor value for a pair of columns."),
    )

    @field_validator("facts_dated_before", mode="before")
    @classmethod
    def _day(cls, v):
        return v.isoformat() if isinstance(v, dt.date) else v  # a TOML date, unquoted

    @model_validator(mode="after")
    def _check(self):
        if self.n_central_west > self.n_peers:
            raise ValueError(f"n_central_west ({self.n_central_west}) exceeds n_peers ({self.n_peers})")
        want, have = set(PEER_VARIABLES), set(self.variables)
        if have != want:
            raise ValueError(
                f"variables: missing {sorted(want - have)}, unknown {sorted(have - want)}; "
                f"expected exactly {list(PEER_VARIABLES)}"
            )
        bz = count_span(self.bonded_zones)
        for y, n in self.evaluated_by_year.items():
            if not y.isdigit():
                raise ValueError(f"evaluated_by_year: key {y!r} is not a year")
            n = count_span(n)
            lo, hi = bz.high + 2, self.n_peers + 1 + bz.low
            if not (lo <= n.low and n.high <= hi):
                raise ValueError(
                    f"evaluated_by_year.{y}: {n.low}..{n.high} zones evaluated; expected within "
                    f"{lo}..{hi} (the zone, the bonded zones {bz.low}..{bz.high} and at least one "
                    f"and at most n_peers = {self.n_peers} CBZ peers)"
                )
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
            raise ValueError(
                "correlations: the resulting latent correlation matrix is not positive "
                "definite; reduce the overrides or the loadings"
            ) from None
        t = self.trade
        for u in (0.0, 0.5, 1.0):  # both ends and the middle of the drawn segment
            for top5, top30 in [t.shares(u)]:
                where = f" (at top5_share {top5:g}, top30_share {top30:g})"
                if not 0 < top5 < 1 or not 0 < top30 < 1:
                    raise ValueError(f"trade: shares must lie in (0, 1){where}")
                if not TOP_SMALL / TOP_LARGE < top5 / top30 < 1:
                    raise ValueError(
                        f"trade: top5_share / top30_share must lie in ({TOP_SMALL}/{TOP_LARGE}, 1), "
                        f"got {top5 / top30:.3f}{where}"
                    )
                if not TOP_LARGE / self.n_peers < top30:
                    raise ValueError(f"trade.top30_share must exceed {TOP_LARGE}/{self.n_peers} (equal sizes){where}")
                try:  # solvable, checked at load time
                    solve_trade_quantile(self.n_peers, t.total_yi, top5, top30)
                except ValueError as e:
                    raise ValueError(f"{e}{where}") from None
        return self

    def loadings(self) -> np.ndarray:
        v = self.variables
        return np.array([self.trade.size_loading, self.seniority_loading, *(v[k].size_loading for k in PEER_VARIABLES)])

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
