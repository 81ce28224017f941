"""Trade's marginal of one replication's peers, solved compiled with numba.

When the top-5 / top-30 shares are ranges, every replication draws its own and solves trade's
kinked lognormal for them (``sim.ranking.config.trade_quantile.solve_trade_quantile``: two
monotone one-dimensional roots with scipy's brentq, some forty numpy evaluations). Here the same
two roots are found by the same algorithm (a port of scipy's brentq, same tolerances) on compiled
evaluations, about ten times faster; the exponentials are the compiler's, so the parameters can
differ from scipy's in their last bits (well inside the root's tolerance).
"""

from __future__ import annotations

import numba
import numpy as np

# ----------------------------------------------------------------------------- trade's marginal


@numba.njit(cache=True, nogil=True)
def _tail_gap(s, top, ratio, n_small):
    """Share of the largest ``n_small`` in the top zones at tail slope ``s``, less ``ratio``."""
    total = 0.0
    small = 0.0
    k = top.shape[0]
    for i in range(k):
        w = np.exp(s * top[i])
        total += w
        if i >= k - n_small:
            small += w
    return small / total - ratio


@numba.njit(cache=True, nogil=True)
def _body_gap(s, a, rest, top30):
    """Top-30 share at body slope ``s`` (``a``: the top zones' weight), less ``top30``."""
    b = 0.0
    for i in range(rest.shape[0]):
        b += np.exp(s * rest[i])
    return a / (a + b) - top30


@numba.njit(cache=True, nogil=True)
def _gap(which, s, data, p, q, n_small):
    return _tail_gap(s, data, p, n_small) if which == 0 else _body_gap(s, q, data, p)


@numba.njit(cache=True, nogil=True)
def _increasing_root(which, data, p, q, n_small):
    """The root in [0, hi] of an increasing gap with gap(0) <= 0 (hi doubled from 1 until the gap
    is >= 0; NaN past 1000), found as scipy.optimize.brentq finds it (xtol 1e-13, its rtol)."""
    xtol, rtol = 1e-13, 4 * np.finfo(np.float64).eps
    hi = 1.0
    while _gap(which, hi, data, p, q, n_small) < 0:
        hi *= 2
        if hi > 1e3:
            return np.nan
    xpre, xcur = 0.0, hi
    fpre, fcur = _gap(which, xpre, data, p, q, n_small), _gap(which, xcur, data, p, q, n_small)
    if fpre == 0:
        return xpre
    if fcur == 0:
        return xcur
    xblk = fblk = spre = scur = 0.0
    for _ in range(100):
        if fpre != 0 and fcur != 0 and (fpre < 0) != (fcur < 0):
            xblk, fblk = xpre, fpre
            spre = scur = xcur - xpre
        if abs(fblk) < abs(fcur):
            xpre, xcur, xblk = xcur, xblk, xcur
            fpre, fcur, fblk = fcur, fblk, fcur
        delta = (xtol + rtol * abs(xcur)) / 2
        sbis = (xblk - xcur) / 2
        if fcur == 0 or abs(sbis) < delta:
            return xcur
        if abs(spre) > delta and abs(fcur) < abs(fpre):
            if xpre == xblk:
                stry = -fcur * (xcur - xpre) / (fcur - fpre)
            else:
                dpre = (fpre - fcur) / (xpre - xcur)
                dblk = (fblk - fcur) / (xblk - xcur)
                stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            if 2 * abs(stry) < min(abs(spre), 3 * abs(sbis) - delta):
                spre, scur = scur, stry
            else:
                spre = scur = sbis
        else:
            spre = scur = sbis
        xpre, fpre = xcur, fcur
        xcur += scur if abs(scur) > delta else (delta if sbis > 0 else -delta)
        fcur = _gap(which, xcur, data, p, q, n_small)
    return xcur


@numba.njit(cache=True, nogil=True)
def trade_parameters(z, n_large, n_small, total, top5, top30):
    """(mu, s_body, s_tail, z_kink) of trade's kinked lognormal on the ascending grid ``z`` with the
    given national total and top shares: the solve of
    ``sim.ranking.config.trade_quantile.solve_trade_quantile``, compiled (NaN where that solve
    raises: the caller then calls it for its message)."""
    n = z.shape[0]
    z_k = 0.5 * (z[n - n_large - 1] + z[n - n_large])
    top = z[n - n_large :] - z_k
    rest = z[: n - n_large] - z_k
    s_tail = _increasing_root(0, top, top5 / top30, 0.0, n_small)
    a = 0.0
    for i in range(top.shape[0]):
        a += np.exp(s_tail * top[i])
    if np.isnan(s_tail) or _body_gap(0.0, a, rest, top30) > 0:
        return np.nan, np.nan, np.nan, z_k
    s_body = _increasing_root(1, rest, top30, a, n_small)
    shape = 0.0
    for i in range(n):
        shape += np.exp(s_body * z[i] + (s_tail - s_body) * max(z[i] - z_k, 0.0))
    return np.log(total / shape), s_body, s_tail, z_k


@numba.njit(cache=True, nogil=True)
def trade_parameters_chunk(z, n_large, n_small, total, top5, top30):
    """(B, 4) :func:`trade_parameters` at each of the B pairs of shares ``top5[b]``, ``top30[b]``."""
    out = np.empty((top5.shape[0], 4))
    for b in range(top5.shape[0]):
        out[b, 0], out[b, 1], out[b, 2], out[b, 3] = trade_parameters(z, n_large, n_small, total, top5[b], top30[b])
    return out
