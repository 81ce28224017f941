"""Peer trade sizes: the kinked lognormal quantile function and its solve from national targets.

Trade's marginal over the peer zones is ``log x(z) = mu + s_body * z + (s_tail - s_body) *
max(z - z_kink, 0)`` on the standard-normal quantile grid; its three parameters are solved so the
grid values sum to the national total with the configured top-5 / top-30 shares. The ranking
section calls the solve at load time (so unsolvable targets are a validation error) and the peer
population uses the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

TOP_SMALL, TOP_LARGE = 5, 30
"""Concentration targets: shares of national trade held by the largest 5 and 30 zones."""


@dataclass(frozen=True)
class TradeQuantile:
    """``log x(z) = mu + s_body * z + (s_tail - s_body) * max(z - z_kink, 0)``."""

    mu: float
    s_body: float
    s_tail: float
    z_kink: float

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        return np.exp(self.mu + self.s_body * z + (self.s_tail - self.s_body) * np.maximum(z - self.z_kink, 0.0))


def quantile_grid(n: int) -> np.ndarray:
    """Standard-normal quantiles at (i + 0.5) / n, ascending: the zero-noise latent values."""
    return special.ndtri((np.arange(n) + 0.5) / n)


def _increasing_root(f, failure: str) -> float:
    """The root in [0, hi] of an increasing f with f(0) <= 0, doubling hi until f(hi) >= 0
    (ValueError ``failure`` past 1000)."""
    hi = 1.0
    while f(hi) < 0:
        hi *= 2
        if hi > 1e3:
            raise ValueError(failure)
    return brentq(f, 0.0, hi, xtol=1e-13)


def brentq(f, a: float, b: float, xtol: float, rtol: float = 4 * np.finfo(float).eps, maxiter: int = 100) -> float:
    """The root of ``f`` in [a, b] (f(a) and f(b) of opposite signs) by Brent's method: the algorithm
    of ``scipy.optimize.brentq`` step for step, so the same iterates and the same root to the last bit
    (tests/test_trade_quantile_root.py). Here rather than scipy's because importing ``scipy.optimize``
    costs a third of a second, paid by every command that loads a scenario, for this one call."""
    xpre, xcur = a, b
    fpre, fcur = f(xpre), f(xcur)
    if fpre == 0:
        return xpre
    if fcur == 0:
        return xcur
    if math.copysign(1.0, fpre) == math.copysign(1.0, fcur):
        raise ValueError("f(a) and f(b) must have different signs")
    xblk = fblk = spre = scur = 0.0
    for _ in range(maxiter):
        if fpre != 0 and fcur != 0 and math.copysign(1.0, fpre) != math.copysign(1.0, fcur):
            xblk, fblk = xpre, fpre
            spre = scur = xcur - xpre
        if abs(fblk) < abs(fcur):  # keep the better guess in xcur
            xpre, xcur, xblk = xcur, xblk, xcur
            fpre, fcur, fblk = fcur, fblk, fcur
        delta = (xtol + rtol * abs(xcur)) / 2
        sbis = (xblk - xcur) / 2
        if fcur == 0 or abs(sbis) < delta:
            return xcur
        if abs(spre) > delta and abs(fcur) < abs(fpre):
            if xpre == xblk:  # interpolate
                stry = -fcur * (xcur - xpre) / (fcur - fpre)
            else:  # extrapolate
                dpre = (fpre - fcur) / (xpre - xcur)
                dblk = (fblk - fcur) / (xblk - xcur)
                stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            if 2 * abs(stry) < min(abs(spre), 3 * abs(sbis) - delta):  # a good short step
                spre, scur = scur, stry
            else:
                spre = scur = sbis
        else:
            spre = scur = sbis
        xpre, fpre = xcur, fcur
        xcur += scur if abs(scur) > delta else (delta if sbis > 0 else -delta)
        fcur = f(xcur)
    raise ValueError(f"no root within {maxiter} iterations (last value {xcur})")


def solve_trade_quantile(n: int, total: float, top5: float, top30: float) -> TradeQuantile:
    """Parameters that make the n grid values sum to ``total`` with the given top-5 / top-30 shares.

    The kink sits between the 30th and 31st largest grid points, so the share of the top 5 within
    the top 30 depends on ``s_tail`` only, and the top-30 share then on ``s_body``: two monotone
    one-dimensional solves."""
    z = quantile_grid(n)
    z_k = 0.5 * (z[n - TOP_LARGE - 1] + z[n - TOP_LARGE])
    top, rest = z[n - TOP_LARGE :] - z_k, z[: n - TOP_LARGE] - z_k
    ratio = top5 / top30

    def f_tail(s):
        w = np.exp(s * top)
        return w[-TOP_SMALL:].sum() / w.sum() - ratio

    s_tail = _increasing_root(f_tail, f"trade: cannot reach top5/top30 = {ratio:.3f}")
    a = np.exp(s_tail * top).sum()

    def f_body(s):
        return a / (a + np.exp(s * rest).sum()) - top30

    if f_body(0.0) > 0:
        raise ValueError(
            f"trade: top30_share {top30:g} is below what equal-sized smaller zones "
            f"give with this top-5 share ({a / (a + len(rest)):.3f}); raise it"
        )
    s_body = _increasing_root(f_body, f"trade: cannot reach top30_share {top30:g}")
    shape = TradeQuantile(0.0, s_body, s_tail, z_k)(z)
    return TradeQuantile(float(np.log(total / shape.sum())), float(s_body), float(s_tail), float(z_k))
