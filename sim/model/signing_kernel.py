"""The signings of a replication as two compiled calls: from the lead rates to the leads' draws, then to the columns.

:func:`lead_draws` takes the leads of the run and of the months before the start
(``initial_state.pipeline_months``) from their Poisson means to the numbers of those that sign:
the means of every month and sector, each cell's count (the inverse transform of its own
uniform), the leads those counts imply, their signing numbers and, for those that sign, the
arguments of their logarithms and exponentials. numpy takes the logarithms and exponentials (its
vectorised ``log`` and ``exp`` may differ from the C library's in the last bit), and
:func:`signed_columns` makes the table of signed firms from them, with the leader candidates
drawn on the way: leads of the run, then leaders, then the leads carried into the run.

Every number is the one the step-by-step numpy expressions of docs/model.md §7.3-7.5 and §5.2
give (tests/test_arrivals_kernel.py checks it): the same addressed uniforms
(:func:`sim.model.draws.entity`, :func:`sim.model.draws.number`), the same operations in the
same order, sums as numpy's pairwise summation adds (:func:`sim.model.numpy_sum.np_sum`), SciPy's own ``pdtr`` and
``ndtri`` (:mod:`sim.model.arrivals_kernel`). A lead's numbers other than its signing number are
drawn only if it signs, and its size and employees only if it is kept (a lead carried from before
the start that opened before it is not): each number depends on its address alone.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.model.arrivals_kernel import _ndtri, poisson_many
from sim.model.drawn import SECTOR_PARAMS
from sim.model.draws import entity, number
from sim.model.numpy_sum import np_sum
from sim.model.spec import NO_SPACE

_RATE = SECTOR_PARAMS.index("lead_rate_per_month")
_SIGN = SECTOR_PARAMS.index("sign_prob")
_DELAY = SECTOR_PARAMS.index("sign_delay_months")
_WAIT = SECTOR_PARAMS.index("max_wait_months")
_FITOUT = SECTOR_PARAMS.index("fitout_months")
_RAMP = SECTOR_PARAMS.index("rampup_months")
_TRADE = SECTOR_PARAMS.index("trade_median_yi")
_TRADE_SIGMA = SECTOR_PARAMS.index("trade_sigma")
_EMPLOYEES = SECTOR_PARAMS.index("employees_median")
_EMPLOYEES_SIGMA = SECTOR_PARAMS.index("employees_sigma")
_FOREIGN = SECTOR_PARAMS.index("foreign_prob")
_FDI = SECTOR_PARAMS.index("fdi_wan_usd")
_EXIT = SECTOR_PARAMS.index("exit_rate_per_year")
"""Rows of the sector parameters' table (:attr:`sim.model.drawn.SectorParams.table`)."""

LEAD, LEADER, PIPELINE = 1, 2, 3
"""``Firms.origin`` of a signed lead, of a leader and of a lead of the months before the start."""

LEADER_ROWS = ("sign_prob", "trade_yi", "employees", "fdi_wan_usd", "fitout_months", "rampup_months")
"""The columns of the leaders' parameter table :func:`signed_columns` reads (``LeaderParams`` order)."""

F_ROWS = ("t", "deadline", "fitout", "exit_t", "size", "ramp", "employees", "space", "leader", "fdi", "ready", "zero")
"""The rows of :func:`signed_columns`' float table (``exit_t`` holds the lifetime; ``zero`` zeros)."""


@numba.njit(cache=True, nogil=True)
def _weights(base):
    """Each sector's share of the base lead rates (``base / base.sum()``, 0 if the sum is not positive)."""
    total = np_sum(base)
    out = np.zeros(base.shape[0])
    if total > 0.0:
        for s in range(base.shape[0]):
            out[s] = base[s] / total
    return out


@numba.njit(cache=True, nogil=True)
def lead_means(x, lead_mult, event_months, per_event, pipeline_months, open_now, events_mean):
    """[month, sector] Poisson means of the leads of the run (base rate x lead-rate multiplier,
    plus the month's promotion events x leads per event, shared by the base rates) and of the
    ``pipeline_months`` months before the start (base rates of the sectors open from the start,
    plus the year's average promotion ``events_mean`` x leads per event), each sector's share of
    the promotion leads its base rate over their sum (0 if the sum is not positive), as the numpy
    expressions of docs/model.md §7.3 and §5.2 compute them (tests/test_arrivals_kernel.py)."""
    H, S = lead_mult.shape
    base = x[_RATE]
    w = _weights(base)
    run = np.empty((H, S))
    for m in range(H):
        e = float(event_months[m % 12]) * per_event
        for s in range(S):
            run[m, s] = base[s] * lead_mult[m, s] + e * w[s]
    open_base = np.empty(S)
    for s in range(S):
        open_base[s] = base[s] * (1.0 if open_now[s] else 0.0)
    w = _weights(open_base)
    carried = np.empty((max(pipeline_months, 0), S))
    e = events_mean * per_event
    for s in range(S):
        lam = open_base[s] + e * w[s]
        for m in range(carried.shape[0]):
            carried[m, s] = lam
    return run, carried


@numba.njit(cache=True, nogil=True)
def _counts(seed, lam, sector_key):
    """The Poisson count of each cell [month, sector] of ``lam``: the inverse transform of number
    0 of entity (month, sector name id) of the stream of ``seed``."""
    M, S = lam.shape
    u = np.empty(M * S)
    flat = np.empty(M * S)
    for m in range(M):
        h = entity(seed, np.uint64(m))
        for s in range(S):
            u[m * S + s] = number(entity(h, sector_key[s]), 0)
            flat[m * S + s] = lam[m, s]
    return poisson_many(u, flat).reshape((M, S))


@numba.njit(cache=True, nogil=True)
def lead_draws(seeds, run, carried, sector_key, x):
    """The numbers of the signing leads of the run (Poisson means ``run`` [month, sector]) and of
    the months before the start (``carried``, months -P..-1), stream seeds ``seeds`` (counts of
    the run, its leads, counts before the start, their leads).

    Lead j of a sector (sector after sector, months in order) is entity (sector name id, j); it
    signs when its number 1 is below the sector's signing probability. Returns, per signing lead
    (those of the run first), ``fl`` [6, lead] (numbers 2, 3, 5, 8, for logarithms, then 0 and
    4: rows, so that numpy takes the logarithms of one contiguous block), ``ix`` [lead, 3] (month counted from the run's start, sector, j), ``seed`` [lead] its
    entity's seed (for its numbers 6 and 7, drawn once it is known to be kept) and how many are
    of the run."""
    counts = (_counts(seeds[0], run, sector_key), _counts(seeds[2], carried, sector_key))
    n = 0
    for c in counts:
        n += c.sum()
    fl = np.empty((6, n))
    ix = np.empty((n, 3), np.int64)
    es = np.empty(n, np.uint64)
    r = 0
    n_run = 0
    for kind in range(2):
        c = counts[kind]
        seed = seeds[1] if kind == 0 else seeds[3]
        first = 0 if kind == 0 else -c.shape[0]
        for s in range(c.shape[1]):
            j = 0
            h = entity(seed, sector_key[s])
            for m in range(c.shape[0]):
                for _ in range(c[m, s]):
                    e = entity(h, np.uint64(j))
                    if number(e, 1) < x[_SIGN, s]:
                        fl[0, r], fl[1, r] = number(e, 2), number(e, 3)
                        fl[2, r], fl[3, r] = number(e, 5), number(e, 8)
                        fl[4, r], fl[5, r] = number(e, 0), number(e, 4)
                        ix[r, 0], ix[r, 1], ix[r, 2] = m + first, s, j
                        es[r] = e
                        r += 1
                    j += 1
        if kind == 0:
            n_run = r
    return fl[:, :r].copy(), ix[:r].copy(), es[:r].copy(), n_run


@numba.njit(cache=True, nogil=True)
def signed_columns(
    lg, fl, ix, es, n_run, x, need, space_kind, sector_key, cand, cand_f, leader_seed, par, done_t, gate
):
    """The signed firms' columns but the leads' size and employees: the leads of
    :func:`lead_draws` (``lg`` the logarithms of its rows 0-3, ``fl``, ``ix``, ``es`` and
    ``n_run`` as it returns them), the leader candidates between the run's leads and the carried
    ones.

    A lead of the run: signing time t (month + number 0 + signing delay), space kind, deadline
    (t + longest wait) and fit-out. A lead carried into the run only if not yet open at the start
    (t + fit-out > 0); one signed before the start holds its space already (no space kind, no
    deadline), starts its clock at 0 and has t + fit-out of its fit-out left. Leader candidate k
    of a pipeline (``cand`` [candidate, (pipeline, sector, space kind, name id, k)], ``cand_f``
    [candidate, (window, need)]) signs when its number 1 of stream ``leader_seed`` is below the
    pipeline's drawn signing probability (``par`` [pipeline, LEADER_ROWS]), at its number 0 x the
    window. A firm may open once its sector's required milestone is done: ``done_t`` [item] the
    items' completion times, ``gate`` [sector] the milestone's place among them (-1: none).

    Returns ``f`` [F_ROWS, firm], ``i`` [(kind, sector), firm], ``u`` [(origin, group, number),
    firm] and ``ea`` [lead, 2]: each lead's (in firm order) size and employees sigma x the normal
    quantile of its number 6 and 7, whose exponentials :func:`lead_sizes` takes: the operations
    of docs/model.md §7.3-7.5 in numpy's order."""
    ready_t = np.empty(gate.shape[0])
    for s in range(gate.shape[0]):
        ready_t[s] = done_t[gate[s]] if gate[s] >= 0 else -np.inf
    keep = np.ones(ix.shape[0], np.bool_)  # first which firms there are: the tables' exact sizes
    n_leads = n_run
    for r in range(n_run, ix.shape[0]):
        s = ix[r, 1]
        t = (float(ix[r, 0]) + fl[4, r]) + (-x[_DELAY, s]) * lg[0, r]
        keep[r] = t + (-x[_FITOUT, s]) * lg[1, r] > 0.0
        n_leads += keep[r]
    signs = np.empty(cand.shape[0], np.bool_)
    n = n_leads
    for c in range(cand.shape[0]):
        e = entity(entity(leader_seed, np.uint64(cand[c, 3])), np.uint64(cand[c, 4]))
        signs[c] = number(e, 1) < par[cand[c, 0], 0]
        n += signs[c]
    f = np.empty((len(F_ROWS), n))
    i = np.empty((2, n), np.int64)
    u = np.empty((3, n), np.uint64)
    ea = np.empty((n_leads, 2))
    j = 0
    q = 0
    for part in range(3):
        if part == 1:
            for c in range(cand.shape[0]):
                if not signs[c]:
                    continue
                e = entity(entity(leader_seed, np.uint64(cand[c, 3])), np.uint64(cand[c, 4]))
                p = cand[c, 0]
                f[0, j] = number(e, 0) * cand_f[c, 0]
                f[1, j] = np.inf
                f[2, j] = par[p, 4]
                f[3, j] = np.inf
                f[4, j], f[5, j], f[6, j] = par[p, 1], par[p, 5], par[p, 2]
                f[7, j] = cand_f[c, 1]
                f[8, j] = 1.0
                f[9, j] = par[p, 3]
                f[10, j] = ready_t[cand[c, 1]]
                f[11, j] = 0.0
                i[0, j], i[1, j] = cand[c, 2], cand[c, 1]
                u[0, j], u[1, j], u[2, j] = LEADER, cand[c, 3], cand[c, 4]
                j += 1
            continue
        carried = part == 2
        lo, hi = (n_run, ix.shape[0]) if carried else (0, n_run)
        for r in range(lo, hi):
            if not keep[r]:
                continue
            s = ix[r, 1]
            t = (float(ix[r, 0]) + fl[4, r]) + (-x[_DELAY, s]) * lg[0, r]
            fit = (-x[_FITOUT, s]) * lg[1, r]
            before = carried and t < 0.0
            if carried:
                i[0, j] = NO_SPACE if (before or need[s] <= 0.0) else space_kind[s]
            else:
                i[0, j] = space_kind[s] if need[s] > 0.0 else NO_SPACE
            f[0, j] = t if (not carried or t > 0.0 or t != t) else 0.0  # numpy's maximum(t, 0)
            f[1, j] = np.inf if before else t + x[_WAIT, s]
            f[2, j] = t + fit if before else fit
            rate = x[_EXIT, s]
            mean = 12.0 / rate if rate > 0.0 else np.inf
            f[3, j] = (-mean) * lg[3, r]
            ea[q, 0] = x[_TRADE_SIGMA, s] * _ndtri(number(es[r], 6))
            ea[q, 1] = x[_EMPLOYEES_SIGMA, s] * _ndtri(number(es[r], 7))
            q += 1
            f[5, j] = x[_RAMP, s]
            f[7, j] = need[s]
            f[8, j] = 0.0
            f[9, j] = ((-x[_FDI, s]) * lg[2, r]) * (1.0 if fl[5, r] < x[_FOREIGN, s] else 0.0)
            f[10, j] = ready_t[s]
            f[11, j] = 0.0
            i[1, j] = s
            u[0, j], u[1, j], u[2, j] = PIPELINE if carried else LEAD, sector_key[s], ix[r, 2]
            j += 1
    return f, i, u, ea


@numba.njit(cache=True, nogil=True)
def lead_sizes(f, ex, sector, origin, x):
    """Each lead's size (median x ``ex[q, 0]``) and employees (median x ``ex[q, 1]``) into the
    table ``f`` of :func:`signed_columns`, ``ex`` the exponentials of its ``ea`` (leads in firm
    order; the leaders' are their pipelines')."""
    q = 0
    for j in range(f.shape[1]):
        if origin[j] != LEADER:
            s = sector[j]
            f[4, j] = x[_TRADE, s] * ex[q, 0]
            f[6, j] = x[_EMPLOYEES, s] * ex[q, 1]
            q += 1
