"""The scoring of one data year, compiled with numba.

Written as numpy array expressions (``sim.ranking.scoring``) a data year costs about a hundred and
fifty small calls: the evaluated zones' table, its derived indicators, three normalisations, a
matrix product per method and variant, bonus and deduction, the ranks. As one compiled loop it
makes no temporaries and costs a few microseconds. The arithmetic is the one scoring.py documents
(and its functions still compute for checks and tests); only the order of the additions inside a
weighted sum may differ, so a score can differ from theirs in its last bits.

Units are columns. The zone whose ranks are reported is one column, ``zone``: its ranks are found
by comparing every evaluated column's score with that column's, nothing else in the kernel treats
it apart.
"""

from __future__ import annotations

import numba
import numpy as np

PERCENTILE, MIN_MAX, SHARE_OF_MAX = 0, 1, 2
"""Codes of the normalisation rules (scoring.RULES, in that order)."""


@numba.njit(cache=True, nogil=True)
def _normalise(y, rule, lower, out):
    """Score in [0, 1] of ``y`` (one indicator over the evaluated units) into ``out``."""
    n = y.shape[0]
    if rule == PERCENTILE:
        if n < 2:
            out[:] = 1.0
            return
        v = -y if lower else y
        order = np.argsort(v)
        scale = 1.0 / (n - 1)
        i = 0
        while i < n:  # ties share the mean of their 0-based positions
            j = i
            while j + 1 < n and v[order[j + 1]] == v[order[i]]:
                j += 1
            r = 0.5 * (i + j) * scale
            for k in range(i, j + 1):
                out[order[k]] = r
            i = j + 1
    elif rule == MIN_MAX:
        lo = np.inf
        hi = -np.inf
        for u in range(n):
            x = -y[u] if lower else y[u]
            lo = min(lo, x)
            hi = max(hi, x)
        span = hi - lo
        for u in range(n):
            x = -y[u] if lower else y[u]
            out[u] = (x - lo) / span if span > 0 else 1.0
    else:
        mx = 0.0
        for u in range(n):
            mx = max(mx, y[u])
        for u in range(n):
            share = max(y[u], 0.0) / mx if mx > 0 else 0.0
            out[u] = (1.0 - share if mx > 0 else 1.0) if lower else share


_LOW63 = np.int64(0x7FFFFFFFFFFFFFFF)


@numba.njit(cache=True, nogil=True)
def n_keys_of(method):
    """The number of percentile rows (sort keys) of a method plan (:func:`method_arrays`)."""
    rule, norm_k = method[0], method[1]
    n_keys = 0
    for m in range(rule.shape[0]):
        if rule[m] == PERCENTILE:
            n_keys += norm_k[m]
    return n_keys


@numba.njit(cache=True, nogil=True)
def table_into(now, prev, ev, derived, method, table, keys):
    """The table (columns, evaluated units) of one data year into ``table`` (zeros) and the sort keys
    of its percentile rows into ``keys``.

    ``now`` / ``prev``: (base variables, units) of this year and the year before; ``ev``: the
    evaluated units, in column order; ``derived``: :func:`derived_arrays`; ``method``:
    :func:`method_arrays`. A key is the value's IEEE-754 bits made order-preserving (negatives
    reflected; "lower is better" rows negated first) with the unit's position in the low bits: once
    numpy has sorted each row of keys (its vectorised sort of plain integers is several times
    faster than a compiled comparison sort), the low bits are the order (see
    ``sim.ranking.rowsort``, the same device)."""
    rows, starts, term_cols, term_coef, divisor, growth_rows, growth_src = derived[:7]
    rule, norm_k, norm_cols, norm_lower = method[:4]
    n_base = now.shape[0]
    n = ev.shape[0]
    for c in range(n_base):
        for u in range(n):
            table[c, u] = now[c, ev[u]]
    acc = np.empty(n)
    for i in range(rows.shape[0]):  # linear derived indicators, in dependency order
        acc[:] = 0.0
        for t in range(starts[i], starts[i + 1]):  # each unit's terms added in their order, row by row
            c, col = term_coef[t], table[term_cols[t]]
            for u in range(n):
                acc[u] += c * col[u]
        r = table[rows[i]]
        if divisor[i] >= 0:
            div = table[divisor[i]]
            for u in range(n):
                r[u] = acc[u] / div[u] if div[u] > 0 else 0.0
        else:
            r[:] = acc
    for i in range(growth_rows.shape[0]):
        s = growth_src[i]
        for u in range(n):
            p = prev[s, ev[u]]
            table[growth_rows[i], u] = 100.0 * ((table[s, u] / p if p > 0 else 1.0) - 1.0)
    n_keys = keys.shape[0]
    values = np.empty((n_keys, n))
    row = 0
    for m in range(rule.shape[0]):
        if rule[m] != PERCENTILE:
            continue
        for k in range(norm_k[m]):
            for u in range(n):
                x = table[norm_cols[m, k], u]
                values[row, u] = (-x if norm_lower[m, k] else x) + 0.0  # + 0.0: -0.0 becomes +0.0, which it equals
            row += 1
    bits = values.view(np.int64)
    low = np.int64((1 << _bits(n)) - 1)
    for row in range(n_keys):
        for u in range(n):
            key = bits[row, u]
            if key < 0:
                key ^= _LOW63
            keys[row, u] = (key & ~low) | u


@numba.njit(cache=True, nogil=True)
def _bits(n):
    """Low bits that hold a position 0..n - 1."""
    b = 0
    while (1 << b) < n:
        b += 1
    return b


@numba.njit(cache=True, nogil=True)
def _percentile(keys, y, lower, out):
    """Percentile score of ``y`` from its sorted ``keys``; where two keys share their high bits (equal
    or nearly equal values, NaN) the row is argsorted and ties share the mean of their positions."""
    n = y.shape[0]
    if n < 2:
        out[:] = 1.0
        return
    scale = 1.0 / (n - 1)
    bits = _bits(n)
    low = np.int64((1 << bits) - 1)
    distinct = True
    for u in range(n):  # a NaN: not distinct
        if np.isnan(y[u]):
            distinct = False
            break
    if distinct:
        for u in range(1, n):
            if (keys[u] >> bits) <= (keys[u - 1] >> bits):
                distinct = False
                break
    if distinct:
        for i in range(n):
            out[keys[i] & low] = i * scale
        return
    _normalise(y, PERCENTILE, lower, out)


@numba.njit(cache=True, nogil=True)
def score_year(table, keys, ev, method, deduction_u):
    """Scores (jobs, evaluated units) of one data year, the year's method then each variant, from
    :func:`table_into`'s table and its sorted keys; ``deduction_u``: one uniform per unit."""
    rule, norm_k, norm_cols, norm_lower, job_norm, job_points, job_fixed = method[:7]
    fx_cols, fx_ppu, fx_caps, fx_start, fx_stop, fx_cap, fx_prob, fx_points = method[7:]
    n = ev.shape[0]
    n_norms = rule.shape[0]
    kmax = norm_cols.shape[1]
    nz = np.empty((n_norms, kmax, n))
    row = 0
    for m in range(n_norms):
        for k in range(norm_k[m]):
            y = table[norm_cols[m, k]]
            if rule[m] == PERCENTILE:
                _percentile(keys[row], y, norm_lower[m, k], nz[m, k])
                row += 1
            else:
                _normalise(y, rule[m], norm_lower[m, k], nz[m, k])
    n_fixed = fx_start.shape[0]
    fixed = np.zeros((n_fixed, n))
    for f in range(n_fixed):
        for u in range(n):
            if fx_stop[f] > fx_start[f]:
                b = 0.0
                for i in range(fx_start[f], fx_stop[f]):
                    b += min(fx_ppu[i] * max(table[fx_cols[i], u], 0.0), fx_caps[i])
                fixed[f, u] = min(b, fx_cap[f])
            if fx_points[f] != 0.0 and deduction_u[ev[u]] < fx_prob[f]:
                fixed[f, u] -= fx_points[f]
    n_jobs = job_norm.shape[0]
    scores = np.empty((n_jobs, n))
    for j in range(n_jobs):
        m = job_norm[j]
        s = scores[j]
        s[:] = 0.0
        for k in range(norm_k[m]):
            w = job_points[j, k]
            z = nz[m, k]
            for u in range(n):
                s[u] += w * z[u]
        f = fixed[job_fixed[j]]
        for u in range(n):
            s[u] += f[u]
    return scores


@numba.njit(cache=True, nogil=True)
def _ranks(table, scores, ev, zones, boards, references):
    """One data year of one replication, for each zone ranked (units ``zones``, in their listed
    order), from its ``table`` and ``scores`` (:func:`score_year`): (ranks (zones, jobs), rank on
    its board under the year's method (zones,), score (zones,), and the trade and score of the unit
    at its reference rank (zones,), NaN when fewer units are evaluated).

    ``boards`` (zones, units): whether a unit is on that zone's board; ``references``: each zone's
    reference rank. A unit ranks above a zone when its score is higher, or equal and it is a zone
    listed before (so zones tied with each other take distinct places); a peer tied with a zone does
    not (a tie takes the better rank)."""
    n = ev.shape[0]
    n_zones = zones.shape[0]
    n_jobs = scores.shape[0]
    listed = np.full(n, n_zones)  # each evaluated unit's place among the zones (n_zones: not a zone)
    at = np.full(n_zones, -1)
    for u in range(n):
        for k in range(n_zones):
            if ev[u] == zones[k]:
                listed[u], at[k] = k, u
    ranks = np.ones((n_zones, n_jobs), np.int64)
    regional = np.ones(n_zones, np.int64)
    own = np.empty(n_zones)
    trade_at = np.full(n_zones, np.nan)
    score_at = np.full(n_zones, np.nan)
    for k in range(n_zones):
        for j in range(n_jobs):
            mine = scores[j, at[k]]
            for u in range(n):
                s = scores[j, u]
                if s > mine or (s == mine and listed[u] < k):
                    ranks[k, j] += 1
                    if j == 0 and boards[k, ev[u]]:
                        regional[k] += 1
        own[k] = scores[0, at[k]]
        if references[k] <= n:
            i = _at_rank(scores[0], references[k] - 1)
            trade_at[k], score_at[k] = table[0, i], scores[0, i]
    return ranks, regional, own, trade_at, score_at


@numba.njit(cache=True, nogil=True)
def _at_rank(scores, r):
    """``np.argsort(-scores)[r]``, the unit in place ``r`` (0: the highest score): found by a
    selection when its score is unique and no score is NaN (every sort then puts it there), else
    by the sort itself."""
    n = scores.shape[0]
    v = np.empty(n)
    for u in range(n):
        v[u] = -scores[u]
        if np.isnan(v[u]):
            return np.argsort(-scores)[r]
    x = np.partition(v, r)[r]
    at = -1
    for u in range(n):
        if v[u] == x:
            if at >= 0:
                return np.argsort(-scores)[r]
            at = u
    return at


# ----------------------------------------------------------------------------- plans as arrays


def derived_arrays(levels: tuple, growth_rows: np.ndarray, growth_src: np.ndarray, n_cols: int) -> tuple:
    """A :class:`~sim.ranking.scoring.DerivedPlan` (its ``levels``, growth rows and sources) as the
    flat arrays :func:`score_year` reads: one row per linear indicator in level order, its
    non-zero terms (column, coefficient) and its divisor column (-1: none)."""
    rows, starts, cols, coefs, divisor = [], [0], [], [], []
    for lv_rows, coef, local, div in levels:
        divided = dict(zip(local.tolist(), div.tolist(), strict=True))
        for i, r in enumerate(lv_rows.tolist()):
            nz = np.flatnonzero(coef[i])
            cols += nz.tolist()
            coefs += coef[i, nz].tolist()
            starts.append(len(cols))
            rows.append(r)
            divisor.append(divided.get(i, -1))
    ints = [np.asarray(a, dtype=np.int64) for a in (rows, starts, cols)]
    return (
        *ints[:3],
        np.asarray(coefs, dtype=float),
        np.asarray(divisor, dtype=np.int64),
        np.asarray(growth_rows, dtype=np.int64),
        np.asarray(growth_src, dtype=np.int64),
        int(n_cols),
    )


RULE_CODES = {"percentile": PERCENTILE, "min_max": MIN_MAX, "share_of_max": SHARE_OF_MAX}


def method_arrays(columns: tuple, norms: tuple, jobs: tuple, fixed) -> tuple:
    """A data year's method plan (``_MethodPlan``'s columns, normalisations, jobs and stacked
    bonus and deduction, a :class:`~sim.ranking.scoring.FixedPlan`) as the arrays
    :func:`score_year` reads; rows of a normalisation and points of a job padded to the widest."""
    kmax = max(len(c) for c in columns)
    n_norms, n_jobs = len(norms), len(jobs)
    norm_cols = np.zeros((n_norms, kmax), np.int64)
    norm_lower = np.zeros((n_norms, kmax), np.bool_)
    norm_k = np.zeros(n_norms, np.int64)
    for m, (sc, ci) in enumerate(norms):
        k = len(columns[ci])
        norm_cols[m, :k], norm_lower[m, :k], norm_k[m] = columns[ci], sc.lower, k
    job_points = np.zeros((n_jobs, kmax))
    for j, (sc, _, _) in enumerate(jobs):
        job_points[j, : len(sc.points)] = sc.points
    return (
        np.array([RULE_CODES[sc.rule] for sc, _ in norms], np.int64),
        norm_k,
        norm_cols,
        norm_lower,
        np.array([j[1] for j in jobs], np.int64),
        job_points,
        np.array([j[2] for j in jobs], np.int64),
        np.asarray(fixed.cols, np.int64),
        np.ascontiguousarray(fixed.ppu[:, 0], dtype=float),
        np.ascontiguousarray(fixed.caps[:, 0], dtype=float),
        np.array([s.start for s in fixed.segments], np.int64),
        np.array([s.stop for s in fixed.segments], np.int64),
        np.asarray(fixed.cap, dtype=float),
        np.ascontiguousarray(fixed.deduction_prob[:, 0], dtype=float),
        np.ascontiguousarray(fixed.deduction_points[:, 0], dtype=float),
    )
