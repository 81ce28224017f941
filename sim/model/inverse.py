"""Random variates of the model by inverse transform of uniforms in (0, 1).

Every variate the model draws is a quantile function applied to an addressed uniform
(:class:`sim.model.draws.Draws`), so a variate is monotone in its parameter for a fixed uniform: a
higher lead rate never gives fewer leads in a cell, a longer mean fit-out never a shorter one.
"""

from __future__ import annotations

import math
from typing import overload

import numpy as np
import numpy.typing as npt
from scipy import special


def exponential(u: np.ndarray, mean) -> np.ndarray:
    """Exponential variates with the given mean (0 where the mean is 0)."""
    return -np.asarray(mean, dtype=float) * np.log(u)


def lifetime(u: np.ndarray, rate_per_year) -> np.ndarray:
    """Months until exit under a yearly hazard: exponential with mean 12 / rate, infinite at rate 0."""
    rate = np.asarray(rate_per_year, dtype=float)
    mean = np.full(rate.shape, np.inf)
    pos = rate > 0
    mean[pos] = 12.0 / rate[pos]
    return -mean * np.log(u)


def lognormal(u: np.ndarray, median, sigma) -> np.ndarray:
    """Lognormal variates: median x exp(sigma x z), z the standard normal quantile of u."""
    return np.asarray(median, dtype=float) * np.exp(np.asarray(sigma, dtype=float) * special.ndtri(u))


@overload
def poisson(u: float, lam: float) -> int: ...


@overload
def poisson(u: np.ndarray, lam: float | np.ndarray) -> npt.NDArray[np.int64]: ...


def poisson(u: float | np.ndarray, lam: float | np.ndarray) -> int | npt.NDArray[np.int64]:
    """Poisson variates: the smallest k with P(N <= k) >= u, for each u and rate (elementwise).

    Starts from the normal approximation and steps to the exact quantile with the cumulative
    distribution (``scipy.special.pdtr``): a step or two, whatever the rate. A scalar uniform and
    rate give an ``int``."""
    if np.ndim(u) == 0 and np.ndim(lam) == 0:
        return _poisson_scalar(float(u), float(lam))
    u, lam = np.broadcast_arrays(np.asarray(u, dtype=float), np.asarray(lam, dtype=float))
    k = np.maximum(np.floor(lam + np.sqrt(lam) * special.ndtri(u)), 0.0)
    pos = lam > 0
    k = np.where(pos, k, 0.0)
    while True:  # too small: P(N <= k) < u
        up = pos & (special.pdtr(k, lam) < u)
        if not up.any():
            break
        k = k + up
    while True:  # too large: P(N <= k - 1) >= u
        down = pos & (k > 0) & (special.pdtr(k - 1, lam) >= u)
        if not down.any():
            break
        k = k - down
    return k.astype(np.int64)


def _poisson_scalar(u: float, lam: float) -> int:
    """:func:`poisson` of one uniform and one rate, without array overhead."""
    if lam <= 0:
        return 0
    k = max(math.floor(lam + math.sqrt(lam) * special.ndtri(u)), 0)
    while special.pdtr(k, lam) < u:
        k += 1
    while k > 0 and special.pdtr(k - 1, lam) >= u:
        k -= 1
    return k
