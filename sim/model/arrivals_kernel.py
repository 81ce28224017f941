"""Compiled loops of the arrivals: the Poisson inverse transform, and the signed leads of a table of counts.

Both were sequences of small numpy calls per replication (a Poisson count of every month and
sector, then the leads those counts imply, which sign, and their firms' columns); as numba loops
they make the same numbers without the per-call overhead. The Poisson quantile and the leads'
normal quantiles use SciPy's own compiled ``pdtr`` and ``ndtri`` (the functions
``scipy.special.cython_special`` exports, the same C code the ``scipy.special`` ufuncs run), and
every other operation is the numpy expression's, in its order, so every number keeps its bits.
Nothing here calls ``exp`` or ``log``: numpy's vectorised versions may differ from the C
library's in the last bit, so the callers take those from numpy (:mod:`sim.model.arrivals`,
:mod:`sim.model.inverse`).
"""

from __future__ import annotations

import math
from typing import Any

import llvmlite.binding as llvm
import numba
import numpy as np
from numba import types
from numba.extending import get_cython_function_address

from sim.model.spec import NO_SPACE

llvm.add_symbol("zonesim_scipy_pdtr", get_cython_function_address("scipy.special.cython_special", "pdtr"))
llvm.add_symbol("zonesim_scipy_ndtri", get_cython_function_address("scipy.special.cython_special", "ndtri"))
_pdtr: Any = types.ExternalFunction("zonesim_scipy_pdtr", types.float64(types.float64, types.float64))
"""P(N <= k) of a Poisson N with mean m: ``scipy.special.pdtr(k, m)`` (the symbol is resolved by
name in every process, so the compiled code can be cached)."""
_ndtri: Any = types.ExternalFunction("zonesim_scipy_ndtri", types.float64(types.float64))
"""The standard normal quantile: ``scipy.special.ndtri(u)``."""


@numba.njit(cache=True, nogil=True)
def poisson_many(u, lam):
    """The smallest k with P(N <= k) >= u for a Poisson N with mean ``lam`` (0 if lam <= 0), for
    each pair of two flat arrays of equal length, as int64: the normal approximation
    floor(lam + sqrt(lam) x ndtri(u)) (0 if negative), then steps up while P(N <= k) < u and down
    while P(N <= k - 1) >= u, the same operations in the same order as the vectorised algorithm
    of :func:`sim.model.inverse.poisson`.

    P(N <= k) is ``pdtr(k, lam)``, a pure function of its arguments, so it is computed once per
    (k, lam) of a call and kept in a table (open addressing, 8 slots a pair up to 65536 slots,
    filled to half at most): the months of a sector often share a mean and their quantiles lie
    close."""
    n = u.shape[0]
    size = 16
    while size < 8 * n and size < 65536:
        size *= 2
    mask = size - 1
    key_k, key_lam, value = np.empty(size), np.empty(size), np.empty(size)
    taken = np.zeros(size, np.bool_)
    entries = 0
    out = np.empty(n, np.int64)
    for c in range(n):
        m, uc = lam[c], u[c]
        if not m > 0.0:
            out[c] = 0
            continue
        k = np.floor(m + np.sqrt(m) * _ndtri(uc))
        if k < 0.0:
            k = 0.0
        up = True  # first up while P(N <= k) < u, then down while P(N <= k - 1) >= u
        while up or k > 0.0:
            x = k if up else k - 1.0
            frac, exp = math.frexp(m)  # the mean's mantissa and exponent: distinct means, distinct bits
            h = np.uint64(frac * 9007199254740992.0) ^ (np.uint64(exp + 1100) << np.uint64(53))
            h = (h ^ np.uint64(min(x, 1e18))) * np.uint64(0x9E3779B97F4A7C15)
            i = np.int64((h ^ (h >> np.uint64(29))) & np.uint64(mask))
            while taken[i] and not (key_k[i] == x and key_lam[i] == m):
                i = (i + 1) & mask
            if taken[i]:
                v = value[i]
            else:
                v = _pdtr(x, m)
                if 2 * entries < mask:
                    taken[i] = True
                    key_k[i], key_lam[i], value[i] = x, m, v
                    entries += 1
            if up:
                if v < uc:
                    k += 1.0
                else:
                    up = False
            elif v >= uc:
                k -= 1.0
            else:
                break
        out[c] = np.int64(k)
    return out


@numba.njit(cache=True, nogil=True)
def poisson_one(u, lam):
    """:func:`poisson_many` of one uniform and mean."""
    return poisson_many(np.full(1, u), np.full(1, lam))[0]


@numba.njit(cache=True, nogil=True)
def lead_rows(counts, sector_key):
    """The leads of a table of counts [month, sector], sector by sector and in month order
    within a sector: ``sector`` index, ``month`` index, ``key`` the sector's name id and
    ``number`` the lead's place among its sector's leads (the last two address its numbers)."""
    n = 0
    for m in range(counts.shape[0]):
        for s in range(counts.shape[1]):
            n += counts[m, s]
    sector = np.empty(n, np.int64)
    month = np.empty(n, np.int64)
    key = np.empty(n, np.uint64)
    number = np.empty(n, np.uint64)
    i = 0
    for s in range(counts.shape[1]):
        j = 0
        for m in range(counts.shape[0]):
            for _ in range(counts[m, s]):
                sector[i], month[i], key[i], number[i] = s, m, sector_key[s], j
                i += 1
                j += 1
    return sector, month, key, number


@numba.njit(cache=True, nogil=True)
def signing(u, sector, sign_prob, trade_sigma, employees_sigma):
    """Which leads sign (number 1 below the sector's signing probability): their ``rows``, and
    the arguments of the signed leads' transcendental functions, left to numpy: ``logs`` of
    numbers 2, 3, 5 and 8 (signing delay, fit-out, FDI, lifetime) and ``exps`` the sector's sigma
    x the normal quantile of numbers 6 and 7 (size, employees)."""
    n = 0
    for i in range(u.shape[0]):
        if u[i, 1] < sign_prob[sector[i]]:
            n += 1
    rows = np.empty(n, np.int64)
    logs = np.empty((n, 4))
    exps = np.empty((n, 2))
    r = 0
    for i in range(u.shape[0]):
        s = sector[i]
        if u[i, 1] < sign_prob[s]:
            rows[r] = i
            logs[r, 0], logs[r, 1], logs[r, 2], logs[r, 3] = u[i, 2], u[i, 3], u[i, 5], u[i, 8]
            exps[r, 0] = trade_sigma[s] * _ndtri(u[i, 6])
            exps[r, 1] = employees_sigma[s] * _ndtri(u[i, 7])
            r += 1
    return rows, logs, exps


@numba.njit(cache=True, nogil=True)
def signed_columns(rows, u, sector, month, key, number, lg, ex, first, carried, x, need, space_kind):
    """The columns of the signed leads ``rows`` (of :func:`signing`, with ``lg`` = log of its
    ``logs`` and ``ex`` = exp of its ``exps``). ``month`` indices start at month ``first``;
    ``x`` the sector parameters as rows of a table in the order of :data:`X_ROWS`.

    Ordinary leads (``carried`` false): signing time t, space kind, deadline (t + longest wait)
    and fit-out. The leads of the months before the start (``carried``): only those not yet open
    at the start (t + fit-out > 0); one signed before the start holds its space already (no space
    kind, no deadline), starts its clock at 0 and has t + fit-out of its fit-out left.

    Returns (t, kind, deadline, fitout, sector, exit_t as the lifetime, size, ramp, employees,
    space, fdi, group, number): the operations of docs/model.md §7.3-7.4, in numpy's order."""
    n = rows.shape[0]
    fl = np.empty((9, n))
    kind = np.empty(n, np.int64)
    sec = np.empty(n, np.int64)
    group = np.empty(n, np.uint64)
    num = np.empty(n, np.uint64)
    j = 0
    for r in range(n):
        i = rows[r]
        s = sector[i]
        t = (float(month[i] + first) + u[i, 0]) + (-x[0, s]) * lg[r, 0]
        fit = (-x[1, s]) * lg[r, 1]
        if carried and not t + fit > 0.0:
            continue
        before = carried and t < 0.0
        if carried:
            kind[j] = NO_SPACE if (before or need[s] <= 0.0) else space_kind[s]
        else:
            kind[j] = space_kind[s] if need[s] > 0.0 else NO_SPACE
        fl[0, j] = t if (not carried or t > 0.0 or t != t) else 0.0  # numpy's maximum(t, 0)
        fl[1, j] = np.inf if before else t + x[2, s]
        fl[2, j] = t + fit if before else fit
        rate = x[3, s]
        mean = 12.0 / rate if rate > 0.0 else np.inf
        fl[3, j] = (-mean) * lg[r, 3]
        fl[4, j] = x[4, s] * ex[r, 0]
        fl[5, j] = x[5, s]
        fl[6, j] = x[6, s] * ex[r, 1]
        fl[7, j] = need[s]
        fl[8, j] = ((-x[7, s]) * lg[r, 2]) * (1.0 if u[i, 4] < x[8, s] else 0.0)
        sec[j], group[j], num[j] = s, key[i], number[i]
        j += 1
    return fl[:, :j], kind[:j], sec[:j], group[:j], num[:j]


X_ROWS = (
    "sign_delay_months",
    "fitout_months",
    "max_wait_months",
    "exit_rate_per_year",
    "trade_median_yi",
    "rampup_months",
    "employees_median",
    "fdi_wan_usd",
    "foreign_prob",
)
"""The sector parameters :func:`signed_columns` reads, as the rows of its table ``x``."""
