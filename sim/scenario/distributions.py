"""Declared distributions of uncertainties.

Every uncertainty is sampled by inverse transform: the experiment layer gives each
uncertainty one uniform number ``u`` in (0, 1) per replication and the distribution maps
it to a value with :meth:`ppf`.  That one mechanism gives common random numbers across
scenarios (the same ``u`` for the same key path), lets a sensitivity design pass its own
``u`` values, and lets every distribution report its analytic mean for statistical tests.

In a scenario file a distribution is an inline table with a ``dist`` key, e.g.
``{dist = "triangular", low = 1, mode = 2, high = 4}``; a bare number means ``fixed``.
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import BeforeValidator, ConfigDict, Field, model_validator
from scipy import special

from sim.config_base import STRICT, StrictModel
from sim.scenario.ranges import LIMITS

_LOG_NORM_C = np.log(np.sqrt(2 * np.pi))
"""log of the standard normal density's constant, as ``scipy.stats`` takes it."""


def _log_normal_mass(a: float, b: float) -> float:
    """log(Phi(b) - Phi(a)) of the standard normal (a < b): in the left tail, where ``log_ndtr`` is
    exact, as the difference of two logs, else as one minus both tails; the steps and functions of
    ``scipy.stats.truncnorm`` (the same bits)."""
    if b <= 0 or a > 0:
        lo, hi = (a, b) if b <= 0 else (-b, -a)
        logs = np.array([special.log_ndtr([hi]), special.log_ndtr([lo]) + np.pi * 1j])
        return float(np.real(special.logsumexp(logs, axis=0))[0])
    return float(special.log1p(-special.ndtr([a]) - special.ndtr([-b]))[0])


class _Dist(StrictModel):
    def ppf(self, u):
        """Quantile function: maps u in (0, 1) to a value."""
        raise NotImplementedError

    def mean(self) -> float:
        """Analytic mean."""
        raise NotImplementedError

    @property
    def support(self) -> tuple[float, float]:
        """Smallest and largest possible value."""
        return float(self.ppf(0.0)), float(self.ppf(1.0))

    @property
    def always_positive(self) -> bool:
        """True when every value is > 0."""
        return self.support[0] > 0


def _check_low_mode_high(dist: str, low: float, mode: float, high: float) -> None:
    """The bounds of a distribution given by (low, mode, high): low <= mode <= high, low < high."""
    if not (low <= mode <= high and low < high):
        raise ValueError(f"{dist} needs low <= mode <= high and low < high, got low={low}, mode={mode}, high={high}")


class Fixed(_Dist):
    dist: Literal["fixed"] = "fixed"
    value: float

    def ppf(self, u):
        return np.full_like(np.asarray(u, dtype=float), self.value) if np.ndim(u) else self.value

    def mean(self):
        return self.value


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _check(self):
        if not self.low <= self.high:
            raise ValueError(f"uniform needs low <= high, got low={self.low}, high={self.high}")
        return self

    def ppf(self, u):
        return self.low + (self.high - self.low) * np.asarray(u, dtype=float)

    def mean(self):
        return 0.5 * (self.low + self.high)


class Triangular(_Dist):
    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _check(self):
        _check_low_mode_high("triangular", self.low, self.mode, self.high)
        return self

    def ppf(self, u):
        u = np.asarray(u, dtype=float)
        a, c, b = self.low, self.mode, self.high
        fc = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < fc, left, right)

    def mean(self):
        return (self.low + self.mode + self.high) / 3.0


class Normal(_Dist):
    """Normal, optionally truncated to [low, high] (truncation by inverse transform)."""

    dist: Literal["normal"]
    mean_: float = Field(alias="mean")
    sd: float = Field(gt=0)
    low: float = -np.inf
    high: float = np.inf

    model_config = ConfigDict(**STRICT, populate_by_name=True)

    @model_validator(mode="after")
    def _check(self):
        if not self.low < self.high:
            raise ValueError(f"normal needs low < high, got low={self.low}, high={self.high}")
        return self

    def _cdf_bounds(self):
        return (special.ndtr((self.low - self.mean_) / self.sd), special.ndtr((self.high - self.mean_) / self.sd))

    def ppf(self, u):
        lo, hi = self._cdf_bounds()
        q = lo + (hi - lo) * np.asarray(u, dtype=float)
        return np.clip(self.mean_ + self.sd * special.ndtri(q), self.low, self.high)

    def mean(self):
        """The truncated normal's mean: mean + sd (phi(a) - phi(b)) / (Phi(b) - Phi(a)) for the
        standardised bounds a, b, computed as ``scipy.stats.truncnorm.mean`` computes it (its
        functions in its order: the same bits), the mass in logs (far tails stay exact)."""
        ab = (np.array([self.low, self.high]) - self.mean_) / self.sd
        dens = np.exp(-(ab**2) / 2.0 - _LOG_NORM_C - _log_normal_mass(float(ab[0]), float(ab[1])))
        return float((dens[0] - dens[1]) * self.sd + self.mean_)


class LogNormal(_Dist):
    """Lognormal given by its median and the sd of the log (sigma)."""

    dist: Literal["lognormal"]
    median: float = Field(gt=0)
    sigma: float = Field(gt=0)

    def ppf(self, u):
        return self.median * np.exp(self.sigma * special.ndtri(np.asarray(u, dtype=float)))

    def mean(self):
        return self.median * np.exp(0.5 * self.sigma**2)

    @property
    def always_positive(self):
        return True


class Beta(_Dist):
    """Beta(a, b) scaled to [low, high] (default [0, 1])."""

    dist: Literal["beta"]
    a: float = Field(gt=0)
    b: float = Field(gt=0)
    low: float = 0.0
    high: float = 1.0

    @model_validator(mode="after")
    def _check(self):
        if not self.low < self.high:
            raise ValueError(f"beta needs low < high, got low={self.low}, high={self.high}")
        return self

    def ppf(self, u):
        return self.low + (self.high - self.low) * special.betaincinv(self.a, self.b, np.asarray(u, dtype=float))

    def mean(self):
        return self.low + (self.high - self.low) * self.a / (self.a + self.b)


class Pert(_Dist):
    """PERT: a beta on [low, high] with the given mode and shape lamb (4 = classic PERT)."""

    dist: Literal["pert"]
    low: float
    mode: float
    high: float
    lamb: float = Field(default=4.0, gt=0)

    @model_validator(mode="after")
    def _check(self):
        _check_low_mode_high("pert", self.low, self.mode, self.high)
        return self

    def _ab(self):
        r = self.high - self.low
        return (1 + self.lamb * (self.mode - self.low) / r, 1 + self.lamb * (self.high - self.mode) / r)

    def ppf(self, u):
        a, b = self._ab()
        return self.low + (self.high - self.low) * special.betaincinv(a, b, np.asarray(u, dtype=float))

    def mean(self):
        return (self.low + self.lamb * self.mode + self.high) / (self.lamb + 2)


class Poisson(_Dist):
    dist: Literal["poisson"]
    mean_: float = Field(alias="mean", ge=0)

    model_config = ConfigDict(**STRICT, populate_by_name=True)

    def ppf(self, u):
        """The least k with P(N <= k) >= u, as ``scipy.stats.poisson.ppf`` finds it (its own steps:
        the continuous inverse ``pdtrik`` rounded up, then one step down where that already holds)."""
        u = np.clip(np.asarray(u, dtype=float), 1e-300, 1.0 - 1e-12)
        if not self.mean_ > 0:
            return np.zeros_like(u)
        k = np.ceil(special.pdtrik(u, self.mean_))
        below = np.maximum(k - 1, 0)
        return np.where(special.pdtr(below, self.mean_) >= u, below, k).astype(float)[()]

    def mean(self):
        return self.mean_

    @property
    def support(self):
        return 0.0, float(self.ppf(1.0))


class Choice(_Dist):
    """Discrete choice among values with weights (default equal)."""

    dist: Literal["choice"]
    values: list[float] = Field(min_length=1, max_length=LIMITS["choice_values"])
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _check(self):
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"choice needs as many weights as values, got "
                    f"{len(self.weights)} weights for {len(self.values)} values"
                )
            if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError("choice weights must be >= 0 and not all zero")
        return self

    def _p(self):
        w = np.ones(len(self.values)) if self.weights is None else np.asarray(self.weights, float)
        return w / w.sum()

    def ppf(self, u):
        cum = np.cumsum(self._p())
        idx = np.minimum(np.searchsorted(cum, np.asarray(u, dtype=float), side="right"), len(self.values) - 1)
        return np.asarray(self.values, dtype=float)[idx]

    def mean(self):
        return float(np.dot(self._p(), self.values))

    @property
    def support(self):
        return float(min(self.values)), float(max(self.values))


def _coerce(v):
    """A bare number in a scenario file is a fixed value."""
    if isinstance(v, bool):
        raise ValueError("expected a number or a distribution table, got a boolean")
    if isinstance(v, (int, float)):
        return {"dist": "fixed", "value": v}
    if isinstance(v, dict) and "dist" not in v:
        raise ValueError(
            "a distribution table needs a 'dist' key (one of fixed, uniform, "
            "triangular, normal, lognormal, beta, pert, poisson, choice)"
        )
    return v


Dist = Annotated[
    Fixed | Uniform | Triangular | Normal | LogNormal | Beta | Pert | Poisson | Choice,
    Field(discriminator="dist"),
    BeforeValidator(_coerce),
]
"""A value that is either a number (fixed) or a declared distribution."""


def to_toml_value(d: _Dist):
    """The distribution as written in a scenario file (a bare number when fixed)."""
    if isinstance(d, Fixed):
        return d.value
    return d.model_dump(by_alias=True, exclude_defaults=False)
