"""The work of each SimPy event of the competition for space (:mod:`sim.model.space`), compiled with numba.

An event settles the requests signed since the previous one, puts its space back and tries the
waiting requests first-fit; a month end then names the next month end that can change anything.
Written as Python methods this per-request work cost most of the step; one compiled call per
event does the same floating-point operations in the same order, so the results are the same
bits. The rules are docs/model.md §3, "The SimPy part".

The markets' data, shared by the calls of one run:

* ``req`` [request, column] the requests that need space, market by market (code 0 of
  ``SPACE_KINDS`` first), each market's in signing order; columns ``T`` signing time, ``NEED``
  space, ``DEADLINE`` last moment it still takes space, ``READY`` earliest opening (its required
  milestone), ``LIFE`` lifetime from opening, ``FITOUT`` months from space to ready;
* ``ints`` [2, request]: row 0 each request's row in the signed table, row 1 the waiting lists
  (market k's in ``ints[1, bounds[k]:bounds[k] + waiting[k]]``, in signing order);
* ``ist`` int64: ``bounds`` (markets + 1: market k's requests are ``bounds[k]:bounds[k+1]``),
  then each market's ``next`` request not yet settled, then its number ``waiting``;
* ``fs`` float64: each market's free ``level``, then the ``smallest`` waiting request (inf if none);
* ``release`` [market, month]: space that comes back at each month end (index m: t = m);
* ``served`` [signed row]: when each signed firm gets its space (inf until it does);
* ``ptimes`` the times of the project events, ascending.
"""

from __future__ import annotations

import math

import numba
import numpy as np

T, NEED, DEADLINE, READY, LIFE, FITOUT = range(6)
"""Columns of the request table ``req``."""

FIT = 1e-12
"""Slack of the comparison "the request fits in the free space" (rounding of sums of needs)."""


@numba.njit(cache=True, nogil=True)
def markets(kind, t, need, deadline, ready, life, fitout, level):
    """The markets of one run: ``req``, ``ints``, ``ist`` and ``fs`` (module docstring) from the
    signed firms' columns (``kind`` the space-kind code, -1 if none is needed; ``life`` the
    lifetime) and each market's free space ``level``. A market's requests are in signing order,
    firms signing at the same instant in row order."""
    K = level.shape[0]
    ist = np.zeros(3 * K + 1, np.int64)
    for r in range(kind.shape[0]):
        if kind[r] >= 0:
            ist[kind[r] + 1] += 1
    for k in range(K):
        ist[k + 1] += ist[k]
        ist[K + 1 + k] = ist[k]
    rows = np.empty(ist[K], np.int64)
    for r in range(kind.shape[0]):  # row order within each market
        if kind[r] >= 0:
            rows[ist[K + 1 + kind[r]]] = r
            ist[K + 1 + kind[r]] += 1
    for k in range(K):  # then signing order, stable
        mine = rows[ist[k] : ist[k + 1]].copy()
        rows[ist[k] : ist[k + 1]] = mine[np.argsort(t[mine], kind="mergesort")]
        ist[K + 1 + k] = ist[k]
    req = np.empty((rows.shape[0], 6))
    for i in range(rows.shape[0]):
        r = rows[i]
        req[i, T], req[i, NEED], req[i, DEADLINE] = t[r], need[r], deadline[r]
        req[i, READY], req[i, LIFE], req[i, FITOUT] = ready[r], life[r], fitout[r]
    ints = np.zeros((2, rows.shape[0]), np.int64)
    ints[0] = rows
    fs = np.concatenate((level, np.full(K, np.inf)))
    return req, ints, ist, fs


@numba.njit(cache=True, nogil=True)
def initial_release(code, space, exit_t, K, H):
    """``release`` [market, month] of the firms there at the start: each one's ``space`` of
    market ``code`` (-1: none) comes back at the month end after its exit, if within ``H``."""
    release = np.zeros((K, H + 1))
    for i in range(code.shape[0]):
        if space[i] > 0 and code[i] >= 0 and exit_t[i] <= H:
            release[code[i], math.ceil(exit_t[i])] += space[i]
    return release


@numba.njit(cache=True, nogil=True)
def _exit_month(req, i, now, H):
    """The month end that returns request ``i``'s space if it is served at ``now`` (H + 1: after
    the horizon, never)."""
    exit_t = max(now + req[i, FITOUT], req[i, READY]) + req[i, LIFE]
    return math.ceil(exit_t) if exit_t <= H else H + 1


@numba.njit(cache=True, nogil=True)
def _serve(req, ints, fs, release, served, k, i, now):
    """Request ``i`` of market ``k`` takes its space at ``now``; its space comes back at the month
    end after its exit."""
    H = release.shape[1] - 1
    fs[k] -= req[i, NEED]
    served[ints[0, i]] = now
    m = _exit_month(req, i, now, H)
    if m <= H:
        release[k, m] += req[i, NEED]


@numba.njit(cache=True, nogil=True)
def _settle(req, ints, ist, fs, release, served, k, now):
    """Market ``k``'s requests signed at or before ``now``, in signing order: served at their
    signing time if the space is free, else they join the waiting list."""
    K = fs.shape[0] // 2
    i, end, base = ist[K + 1 + k], ist[k + 1], ist[k]
    while i < end and req[i, T] <= now:
        if req[i, NEED] <= fs[k] + FIT:
            _serve(req, ints, fs, release, served, k, i, req[i, T])
        else:
            ints[1, base + ist[2 * K + 1 + k]] = i
            ist[2 * K + 1 + k] += 1
            fs[K + k] = min(fs[K + k], req[i, NEED])
        i += 1
    ist[K + 1 + k] = i


@numba.njit(cache=True, nogil=True)
def _put(req, ints, ist, fs, release, served, k, now, amount):
    """``amount`` of market ``k``'s space comes back at ``now``: waiting requests past their
    deadline are lost, the others are served first-fit in signing order (nothing to try unless
    space came back and the smallest waiting request now fits)."""
    K = fs.shape[0] // 2
    fs[k] += amount
    if amount <= 0 or fs[K + k] > fs[k] + FIT:
        return
    base, n = ist[k], ist[2 * K + 1 + k]
    keep = 0
    smallest = np.inf
    for j in range(n):
        i = ints[1, base + j]
        if req[i, DEADLINE] < now:
            continue
        if req[i, NEED] <= fs[k] + FIT:
            _serve(req, ints, fs, release, served, k, i, now)
        else:
            ints[1, base + keep] = i
            keep += 1
            smallest = min(smallest, req[i, NEED])
    ist[2 * K + 1 + k] = keep
    fs[K + k] = smallest


@numba.njit(cache=True, nogil=True)
def next_month_end(req, ist, release, ptimes, m0, projects_at_m0_done):
    """The first month end after ``m0`` that can change anything (0 if none). ``m0`` is the
    current instant: every market's requests are settled up to it and every event before it has
    run; its own project events too if ``projects_at_m0_done`` (at a month end; not at the start).

    A month end m changes nothing when no space comes back at it (``release[:, m]`` is 0 in every
    market, so its put is empty) and no request it would settle, nor any left unsettled before
    it, would have its space come back at m or earlier if served at its signing time: settling
    those requests at the next event that runs serves them at the same signing times, from the
    same free space (it only shrinks between events), in the same order, and gives back their
    space at the same month ends. A month end at or after the next project event is kept (that
    event may serve firms whose space comes back then), and the last one, H, is kept while a
    request signed within the horizon is still unsettled."""
    K = (ist.shape[0] - 1) // 3
    H = release.shape[1] - 1
    p_next = np.inf
    for p in ptimes:
        if p > m0 or (p == m0 and not projects_at_m0_done):
            p_next = p
            break
    j = ist[K + 1 : 2 * K + 1].copy()
    first_back = H + 1  # the earliest month end the unsettled requests' space could come back
    unsettled = False
    for m in range(m0 + 1, H + 1):
        if m >= p_next:
            return m
        for k in range(K):
            while j[k] < ist[k + 1] and req[j[k], T] <= m:
                first_back = min(first_back, _exit_month(req, j[k], req[j[k], T], H))
                unsettled = True
                j[k] += 1
        if first_back <= m or (m == H and unsettled):
            return m
        for k in range(K):
            if release[k, m] != 0:
                return m
    return 0


@numba.njit(cache=True, nogil=True)
def event(req, ints, ist, fs, release, served, ptimes, now, amounts):
    """One SimPy event at ``now``. A project's completion (``amounts`` the space it adds to each
    market): each market it adds to settles up to ``now`` and takes the space back; returns 0.
    A month end (``amounts`` empty): every market settles up to ``now`` and takes back its
    ``release`` of that month; returns the next month end to schedule (0: none)."""
    K = fs.shape[0] // 2
    if amounts.shape[0] > 0:
        for k in range(K):
            if amounts[k] > 0:
                _settle(req, ints, ist, fs, release, served, k, now)
                _put(req, ints, ist, fs, release, served, k, now, amounts[k])
        return 0
    m = int(now)
    for k in range(K):
        _settle(req, ints, ist, fs, release, served, k, now)
        _put(req, ints, ist, fs, release, served, k, now, release[k, m])
    return next_month_end(req, ist, release, ptimes, m, True)
