"""The loops of the zone's state at t = 0, compiled with numba.

Each replaces a few short per-firm or per-month steps of :mod:`sim.model.state` and
:mod:`sim.model.initial` that, written as numpy array expressions, were a dozen small calls each
(the call overhead, not the arithmetic, was their cost). The arithmetic is numpy's, operation by
operation and in the same order (products left to right, sums in firm or project order as
``np.bincount`` and repeated ``+=`` add), so the results are the same to the last bit; what numba
and numpy might compute differently (``exp``, ``log``, pairwise sums) stays in numpy; the normal
quantile and the Poisson's are SciPy's own compiled functions (:mod:`sim.model.arrivals_kernel`).
"""

from __future__ import annotations

import numba
import numpy as np

from sim.model.arrivals_kernel import _ndtri, poisson_one


@numba.njit(cache=True, nogil=True)
def initial_index(n, sector_key):
    """The initial firms' indices from their counts ``n`` [sector]: ``sector`` [firm] (sector
    after sector), ``number`` [firm] its place among its sector's firms (0, 1, ...) and ``key``
    [firm] its sector's name id ``sector_key[sector]``: the address of its random numbers."""
    total = 0
    for s in range(n.shape[0]):
        if n[s] < 0:
            raise ValueError("a sector's count of initial firms is negative")
        total += n[s]
    sector = np.empty(total, np.int64)
    number = np.empty(total, np.uint64)
    key = np.empty(total, np.uint64)
    i = 0
    for s in range(n.shape[0]):
        for j in range(n[s]):
            sector[i] = s
            number[i] = j
            key[i] = sector_key[s]
            i += 1
    return sector, number, key


@numba.njit(cache=True, nogil=True)
def opened(u, sector, n, lead_rate, sign_prob, open_now, rampup, size, pipeline):
    """(``seen`` [firm], ``shown`` [sector]): the share of a full year's trade each initial firm
    showed in the base year and each sector's sum of size x seen, in firm order.

    Without a ``pipeline`` every share is 1. With one, a firm of sector s opened in the base year
    when ``u[i, 0]`` < min(1, 12 x lead rate x signing probability x open from the start / max(n,
    1)), at ``12 x u[i, 1]`` months before the year's end, ramping up over the sector's ``rampup``
    months (:func:`sim.model.initial._seen`)."""
    n_sectors = n.shape[0]
    p = np.empty(n_sectors)
    for s in range(n_sectors):
        q = 12.0 * lead_rate[s] * sign_prob[s] * (1.0 if open_now[s] else 0.0) / float(max(n[s], 1))
        p[s] = q if (q < 1.0 or q != q) else 1.0  # np.minimum(1, q): nan stays nan
    seen = np.empty(sector.shape[0])
    shown = np.zeros(n_sectors)
    for i in range(sector.shape[0]):
        s = sector[i]
        v = 1.0
        if pipeline and u[i, 0] < p[s]:
            months = 12.0 * u[i, 1]
            r = rampup[s]
            if months >= r:
                v = (months - r / 2.0) / 12.0
            else:
                floor = r if (r > 1e-9 or r != r) else 1e-9  # np.maximum(r, 1e-9): nan stays nan
                v = months * months / (2.0 * floor) / 12.0
        seen[i] = v
        shown[s] += size[i] * v
    return seen, shown


@numba.njit(cache=True, nogil=True)
def effect_table(n_months, n_columns, done_t, item, column, factor):
    """[month, column] multipliers: 1, times ``factor[e]`` in column ``column[e]`` of every month m
    with m >= ``done_t[item[e]]`` (the effect's item done by the start of the month), effect by
    effect in order."""
    table = np.ones((n_months, n_columns))
    for e in range(item.shape[0]):
        t, j, f = done_t[item[e]], column[e], factor[e]
        for m in range(n_months):
            if m >= t:
                table[m, j] *= f
    return table


@numba.njit(cache=True, nogil=True)
def log_path(t_mid, eps, drift, volatility):
    """The log of a shared random-walk factor in each month m: ``drift`` x ``t_mid[m]`` / 12 +
    ``volatility`` x (eps[0] + ... + eps[m] - eps[m] / 2), the running sum taken month by month as
    ``np.cumsum`` does."""
    out = np.empty(eps.shape[0])
    total = 0.0
    for m in range(eps.shape[0]):
        total = eps[m] if m == 0 else total + eps[m]
        out[m] = drift * t_mid[m] / 12.0 + volatility * (total - 0.5 * eps[m])
    return out


@numba.njit(cache=True, nogil=True)
def shock_logs(t_mid, u_macro, u_commodity, macro, commodity, u_count, spells_mean):
    """The logs of the macro and commodity paths [2, month] (:func:`log_path` of the normal
    quantiles of ``u_macro`` and ``u_commodity``, SciPy's own ``ndtri``; ``macro`` and
    ``commodity`` (drift a year, volatility a month) each), and the number of disruption spells:
    the Poisson inverse transform of ``u_count`` with mean ``spells_mean``."""
    H = t_mid.shape[0]
    eps = np.empty((2, H))
    for m in range(H):
        eps[0, m] = _ndtri(u_macro[m])
        eps[1, m] = _ndtri(u_commodity[m])
    logs = np.empty((2, H))
    logs[0] = log_path(t_mid, eps[0], macro[0], macro[1])
    logs[1] = log_path(t_mid, eps[1], commodity[0], commodity[1])
    return logs, poisson_one(u_count, spells_mean)


@numba.njit(cache=True, nogil=True)
def spells(n_months, u, log_u1, length, depth):
    """The disruption spells of ``u`` [spell, 2] (onset = ``n_months`` x number 0, length =
    -``length`` x ``log_u1``, the logarithm of number 1) and the factor of each month
    (:func:`disruption`): (factor, onsets, lengths)."""
    onset = np.empty(u.shape[0])
    lengths = np.empty(u.shape[0])
    for k in range(u.shape[0]):
        onset[k] = n_months * u[k, 0]
        lengths[k] = (-length) * log_u1[k]
    return disruption(n_months, onset, onset + lengths, depth), onset, lengths


@numba.njit(cache=True, nogil=True)
def disruption(n_months, onset, end, depth):
    """The disruption factor of each month m: 1 - ``depth`` x the largest share of [m, m + 1)
    that one spell [``onset``, ``end``) covers, each share min(m + 1, end) - max(m, onset)
    clipped to [0, 1] (``np.minimum``, ``np.maximum``, ``np.clip`` and ``max``: nan propagates);
    at least one spell."""
    out = np.empty(n_months)
    for m in range(n_months):
        lo = float(m)
        c = 0.0
        for k in range(onset.shape[0]):
            v = _clip01(_minimum(lo + 1.0, end[k]) - _maximum(lo, onset[k]))
            c = v if k == 0 else _maximum(c, v)
        out[m] = 1.0 - depth * c
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _maximum(a, b):
    """``np.maximum`` of two floats (nan if either is)."""
    return a if (a >= b or a != a) else b


@numba.njit(cache=True, nogil=True, inline="always")
def _minimum(a, b):
    """``np.minimum`` of two floats (nan if either is)."""
    return a if (a <= b or a != a) else b


@numba.njit(cache=True, nogil=True, inline="always")
def _clip01(x):
    """``np.clip(x, 0, 1)`` of a float (nan stays nan)."""
    if x != x:
        return x
    y = x if x > 0.0 else 0.0
    return y if y < 1.0 else 1.0
