"""The initial firms of a replication as three compiled calls around numpy's exponentials, logarithms and product.

:func:`initial_draws` lists the firms by sector and draws their numbers (``initial`` stream:
the arguments of their size's and employees' exponentials and their lifetime's uniform;
``opened`` stream: whether and when a firm opened in the base year, with a pipeline);
:func:`initial_columns` makes their columns from numpy's exponentials and logarithms, with the
share of the base year each showed and each sector's sum of size x share; numpy multiplies those
sums by the sectors' mode shares; :func:`cohort` scales the firms to the stated base-year
figures. The operations, their order and the sums (numpy's pairwise summation,
:func:`sim.model.numpy_sum.np_sum`) are those of the numpy expressions of
:mod:`sim.model.initial`, so every number keeps its bits (tests/test_state_kernel.py).
"""

from __future__ import annotations

import numba
import numpy as np

from sim.model.arrivals_kernel import _ndtri
from sim.model.drawn import SECTOR_PARAMS
from sim.model.draws import entity, number
from sim.model.numpy_sum import np_sum
from sim.model.state_kernel import initial_index, opened

_RATE = SECTOR_PARAMS.index("lead_rate_per_month")
_SIGN = SECTOR_PARAMS.index("sign_prob")
_RAMP = SECTOR_PARAMS.index("rampup_months")
_TRADE = SECTOR_PARAMS.index("trade_median_yi")
_TRADE_SIGMA = SECTOR_PARAMS.index("trade_sigma")
_EMPLOYEES = SECTOR_PARAMS.index("employees_median")
_EMPLOYEES_SIGMA = SECTOR_PARAMS.index("employees_sigma")
_EXIT = SECTOR_PARAMS.index("exit_rate_per_year")
_OUTPUT = SECTOR_PARAMS.index("output_ratio")
"""Rows of the sector parameters' table (:attr:`sim.model.drawn.SectorParams.table`)."""

ROWS = ("open_t", "exit_t", "size", "employees", "space", "zero", "seen")
"""The rows of :func:`initial_columns`' table: open since -inf, the lifetime, size, employees,
space held, zeros and the share of the base year's trade shown."""


@numba.njit(cache=True, nogil=True)
def initial_draws(seeds, n, sector_key, x, pipeline):
    """The initial firms of counts ``n`` [sector] (:func:`~sim.model.state_kernel.initial_index`)
    and their numbers: ``sector`` [firm], ``ids`` [(group, number), firm] (their address) and
    ``fl`` [5, firm]: the sector's size sigma x the normal quantile of number 0 and employees
    sigma x that of number 1 (for exponentials), number 2 (for a logarithm), of stream
    ``seeds[0]``; numbers 0 and 1 of stream ``seeds[1]`` if ``pipeline`` (else not drawn). Rows,
    so that numpy's exponentials and logarithm each read one contiguous block."""
    sec, num, key = initial_index(n, sector_key)
    N = sec.shape[0]
    fl = np.zeros((5, N))
    ids = np.empty((2, N), np.uint64)
    for i in range(N):
        s = sec[i]
        h = entity(entity(seeds[0], key[i]), num[i])
        fl[0, i] = x[_TRADE_SIGMA, s] * _ndtri(number(h, 0))
        fl[1, i] = x[_EMPLOYEES_SIGMA, s] * _ndtri(number(h, 1))
        fl[2, i] = number(h, 2)
        if pipeline:
            h = entity(entity(seeds[1], key[i]), num[i])
            fl[3, i], fl[4, i] = number(h, 0), number(h, 1)
        ids[0, i], ids[1, i] = key[i], num[i]
    return sec, ids, fl


@numba.njit(cache=True, nogil=True)
def initial_columns(ex, lg, fl, sec, n, x, open_now, need, pipeline):
    """The initial firms' columns [ROWS, firm] from :func:`initial_draws` (``ex`` the
    exponentials of its rows 0-1, ``lg`` the logarithm of row 2): size = median x exp,
    employees likewise, lifetime = -(12 / exit rate, inf if not positive) x log; the share each
    showed of the base year and each sector's sum of size x share
    (:func:`~sim.model.state_kernel.opened`, numbers ``fl[3:5]``)."""
    N = sec.shape[0]
    f = np.zeros((len(ROWS), N))
    for i in range(N):
        s = sec[i]
        rate = x[_EXIT, s]
        mean = 12.0 / rate if rate > 0.0 else np.inf
        f[0, i] = -np.inf
        f[1, i] = (-mean) * lg[i]
        f[2, i] = x[_TRADE, s] * ex[0, i]
        f[3, i] = x[_EMPLOYEES, s] * ex[1, i]
        f[4, i] = need[s]
    seen, shown = opened(fl[3:5].T, sec, n, x[_RATE], x[_SIGN], open_now, x[_RAMP], f[2], pipeline)
    f[6] = seen
    return f, shown


@numba.njit(cache=True, nogil=True)
def cohort(f, sec, implied, shares, stated, has, x, manufacturing, above_size):
    """Scales the initial firms' size and employees (rows of ``f``, in place) to the stated
    base-year figures, :func:`sim.model.initial.initial_firms`' steps in numpy's order:
    ``implied`` [mode] the trade the firms show by mode, ``stated`` the figures (trade by mode,
    industrial output, employees) and ``has`` whether each is stated. Returns the cohort's
    ``shares`` [sector, mode] and ``output_ratio`` [sector] and ``above`` [firm]."""
    S, K = shares.shape
    N = sec.shape[0]
    c = np.empty(K)
    for k in range(K):
        v = implied[k]
        c[k] = (stated[k] / v if v > 0 else 0.0) if has[k] else 1.0
    weighted = np.empty((S, K))
    out = np.empty((S, K))
    a = np.empty(S)
    for s in range(S):
        for k in range(K):
            weighted[s, k] = shares[s, k] * c[k]
        a[s] = np_sum(weighted[s])
        for k in range(K):
            out[s, k] = weighted[s, k] / a[s] if a[s] > 0 else shares[s, k]
    size, seen, employees = f[2], f[6], f[3]
    for i in range(N):
        size[i] = size[i] * a[sec[i]]
    ratio = x[_OUTPUT].copy()
    above = np.empty(N, np.bool_)
    if has[K]:
        shown = np.empty(N)
        m = 0
        for i in range(N):
            above[i] = manufacturing[sec[i]]
            if above[i]:
                shown[m] = size[i] * seen[i] * ratio[sec[i]]
                m += 1
        carried = np_sum(shown[:m])
        scale = stated[K] / carried if carried > 0 else 0.0
        for s in range(S):
            ratio[s] = ratio[s] * scale
    else:
        for i in range(N):
            above[i] = manufacturing[sec[i]] and size[i] * ratio[sec[i]] >= above_size
    if has[K + 1]:
        total = np_sum(employees)
        if total > 0:
            scale = stated[K + 1] / total
            for i in range(N):
                employees[i] = employees[i] * scale
    return out, ratio, above
