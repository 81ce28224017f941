"""The peers of one replication, compiled with numba: trade's marginal, their values, their growth.

Written as numpy array expressions (``sim.ranking.peers``, which still computes them for the
calibration, checks and tests) a replication's peers cost some sixty small calls and a scipy
root-finder of about forty more; here they are a few compiled loops. The arithmetic is the one
peers.py documents; the exponentials and logarithms are the compiler's, so a value can differ from
numpy's in its last bits.
"""

from __future__ import annotations

import math

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


# ----------------------------------------------------------------------------- values and growth


@numba.njit(cache=True, nogil=True, inline="always")
def _expit(x):
    if x < 0:
        e = math.exp(x)
        return e / (1.0 + e)
    return 1.0 / (1.0 + math.exp(-x))


@numba.njit(cache=True, nogil=True, inline="always")
def _logit_pct(v):
    """logit of a percent value clipped into [1e-12, 100 - 1e-12], as a share."""
    q = min(max(v, 1e-12), 100 - 1e-12) / 100.0
    return math.log(q / (1.0 - q))


@numba.njit(cache=True, nogil=True)
def peer_values(lat, z_grid, grids, stratified, trade, median_t, sigma, percent, shift):
    """(V, n) values of peers from their latent rows ``lat`` (VALUE_COLUMNS order), with each
    median moved by ``shift`` (``peers.values_from_latent`` then ``peers._shift_medians``).

    ``trade``: (mu, s_body, s_tail, z_kink) of trade's marginal; stratified: each row takes exactly
    its grid of quantiles (``grids``, row 0 replaced by trade's at ``z_grid``) in the order of its
    latent values; else each value is its row's quantile function at its latent value."""
    mu, s_body, s_tail, z_kink = trade
    V, n = lat.shape
    out = np.empty((V, n))
    for j in range(V):
        if stratified:
            order = np.argsort(lat[j])
            for i in range(n):
                if j == 0:
                    z = z_grid[i]
                    x = math.exp(mu + s_body * z + (s_tail - s_body) * max(z - z_kink, 0.0))
                else:
                    x = grids[j, i]
                out[j, order[i]] = x
        else:
            for i in range(n):
                z = lat[j, i]
                if j == 0:
                    out[j, i] = math.exp(mu + s_body * z + (s_tail - s_body) * max(z - z_kink, 0.0))
                elif percent[j]:
                    out[j, i] = 100.0 * _expit(median_t[j] + sigma[j] * z)
                else:
                    out[j, i] = math.exp(median_t[j] + sigma[j] * z)
        for i in range(n):
            if percent[j]:
                out[j, i] = 100.0 * _expit(_logit_pct(out[j, i]) + shift[j])
            else:
                out[j, i] *= math.exp(shift[j])
    return out


@numba.njit(cache=True, nogil=True)
def grow_units(values0, mix, macro, eps, elasticity, drift, noise_sd, half_var_pos, walk, percent, out):
    """Base variables ``out`` (T + 1, PEER_BASE_COLUMNS, n) of peers in the calibration year and each
    simulated year (``peers.grow`` then ``peers.base_table``): values0 (V, n), their mode mix
    (M, n), the macro index (T,), noise ``eps`` (T, V, n) standard normals."""
    V, n = values0.shape
    M = mix.shape[0]
    T = macro.shape[0]
    for v in range(V):
        col = 0 if v == 0 else M + v
        for i in range(n):
            x0 = values0[v, i]
            lvl0 = _logit_pct(x0) if percent[v] else 0.0
            walked = 0.0
            for t in range(T + 1):
                if t == 0:
                    x = x0
                else:
                    trend = math.log(macro[t - 1]) * elasticity[v] + t * drift[v]
                    shock = noise_sd[v] * eps[t - 1, v, i] - half_var_pos[v]
                    if walk[v]:
                        walked += shock
                        shock = walked
                    if percent[v]:
                        x = 100.0 * _expit(lvl0 + trend + shock)
                    else:
                        x = x0 * math.exp(shock + trend)
                out[t, col, i] = x
                if v == 0:
                    for m in range(M):
                        out[t, 1 + m, i] = x * mix[m, i]
