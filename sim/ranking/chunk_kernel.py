"""The scoring of one data year for many replications at once, compiled with numba.

A replication's data year is scored in three steps: its table and the sort keys of its percentile
rows (:func:`sim.ranking.kernels.table_into`), numpy's sort of the keys (its vectorised sort of
plain integers is several times faster than a compiled comparison sort), its scores and ranks
(:func:`~sim.ranking.kernels.score_year`, :func:`~sim.ranking.kernels._ranks`). Here each step
takes every replication of a chunk scored under the same method in that year: one compiled call
builds all their tables and keys (each replication's keys a block of rows, padded with the largest
integer so that one numpy sort of all the rows leaves each row's own keys first, in order), one
numpy sort, one compiled call scores and ranks them all. Each replication's arithmetic is the one
of its own units alone, so its results do not depend on the chunk; what is saved is two calls and
two dozen array conversions per replication and year.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.ranking.kernels import _ranks, n_keys_of, score_year, table_into

PAD = np.iinfo(np.int64).max
"""The key of the padding after a replication's own keys (sorted last)."""


@numba.njit(cache=True, nogil=True)
def chunk_tables(units, t, reps, limits, seniority, derived, method):
    """The tables of data year ``t`` of replications ``reps`` (``units`` (B, T + 1, base variables,
    units): the year before is ``t``, the year ``t + 1``): replication ``reps[g]`` evaluates the
    units whose ``seniority`` is below ``limits[g]``, in column order.

    Returns (counts (G,): evaluated units; ev (G, most evaluated): their columns; starts (G + 1,):
    where each table begins in ``tables``, a (columns, count) block; tables; keys (G * rows, most
    evaluated): each replication's block of sort-key rows, :func:`~sim.ranking.kernels.table_into`'s,
    padded with :data:`PAD`)."""
    G = reps.shape[0]
    n_units = seniority.shape[1]
    counts = np.zeros(G, np.int64)
    for g in range(G):
        for u in range(n_units):
            if seniority[reps[g], u] < limits[g]:
                counts[g] += 1
    n_max = 0
    for g in range(G):
        n_max = max(n_max, counts[g])
    ev = np.zeros((G, n_max), np.int64)
    n_cols = derived[7]
    starts = np.zeros(G + 1, np.int64)
    for g in range(G):
        i = 0
        for u in range(n_units):
            if seniority[reps[g], u] < limits[g]:
                ev[g, i] = u
                i += 1
        starts[g + 1] = starts[g] + n_cols * counts[g]
    rows = n_keys_of(method)
    tables = np.zeros(starts[G])
    keys = np.full((G * rows, n_max), PAD)
    for g in range(G):
        n, b = counts[g], reps[g]
        table = tables[starts[g] : starts[g + 1]].reshape((n_cols, n))
        table_into(units[b, t + 1], units[b, t], ev[g, :n], derived, method, table, keys[g * rows : (g + 1) * rows, :n])
    return counts, ev, starts, tables, keys


@numba.njit(cache=True, nogil=True)
def chunk_scores(
    t, reps, counts, ev, starts, tables, keys, n_cols, method, deduction_u, zones, boards, references, ranks, yearly
):
    """Scores and ranks of data year ``t`` of replications ``reps`` from :func:`chunk_tables` (its
    keys sorted row by row; ``n_cols``: a table's columns), as :func:`~sim.ranking.kernels._ranks`
    gives them, written into ``ranks[b, zone, job, t]`` and ``yearly[b, :, zone, t]`` (rank on the
    board, score, trade and score at the reference rank). ``deduction_u`` (B, T, units), ``boards``
    (B, zones, units): each replication's; ``zones``, ``references``: as _ranks takes them."""
    rows = n_keys_of(method)
    for g in range(reps.shape[0]):
        n, b = counts[g], reps[g]
        table = tables[starts[g] : starts[g + 1]].reshape((n_cols, n))
        e = ev[g, :n]
        scores = score_year(table, keys[g * rows : (g + 1) * rows, :n], e, method, deduction_u[b, t])
        r, regional, own, trade_at, score_at = _ranks(table, scores, e, zones, boards[b], references)
        for k in range(zones.shape[0]):
            for j in range(r.shape[1]):
                ranks[b, k, j, t] = r[k, j]
            yearly[b, 0, k, t] = regional[k]
            yearly[b, 1, k, t] = own[k]
            yearly[b, 2, k, t] = trade_at[k]
            yearly[b, 3, k, t] = score_at[k]
