"""Peer trade sizes: the kinked lognormal quantile function and its solve from national targets.

Trade's marginal over the peer zones is ``log x(z) = mu + s_body * z + (s_tail - s_body) *
max(z - z_kink, 0)`` on the standard-normal quantile grid; its three parameters are solved so the
grid values sum to the national total with the configured top-5 / top-30 shares. The ranking
section calls the solve at load time (so unsolvable targets are a validation error) and the peer
population uses the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

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
    return optimize.brentq(f, 0.0, hi, xtol=1e-13)


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
