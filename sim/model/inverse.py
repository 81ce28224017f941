"""Random variates of the model by inverse transform of uniforms in (0, 1).

Every variate the model draws is a quantile function applied to an addressed uniform
(:class:`sim.model.draws.Draws`), so a variate is monotone in its parameter for a fixed uniform: a
higher lead rate never gives fewer leads in a cell, a longer mean fit-out never a shorter one.
"""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt
from scipy import special

from sim.model.arrivals_kernel import poisson_many, poisson_one


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

    Starts from the normal approximation, floor(lam + sqrt(lam) x z) with z the normal quantile of
    u (0 if negative), and steps to the exact quantile with the cumulative distribution
    (``scipy.special.pdtr``): a step or two, whatever the rate; 0 where the rate is not positive.
    One compiled loop over the pairs (:mod:`sim.model.arrivals_kernel`, SciPy's own ``pdtr`` and
    ``ndtri``). A scalar uniform and rate give an ``int``."""
    if np.ndim(u) == 0 and np.ndim(lam) == 0:
        return int(poisson_one(float(u), float(lam)))
    u, lam = np.asarray(u, dtype=float), np.asarray(lam, dtype=float)
    if u.shape != lam.shape:
        shape = np.broadcast_shapes(u.shape, lam.shape)
        u, lam = np.broadcast_to(u, shape), np.broadcast_to(lam, shape)
    return poisson_many(u.ravel(), lam.ravel()).reshape(u.shape)
