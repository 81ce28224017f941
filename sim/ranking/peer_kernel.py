"""The peers' arithmetic of one replication, compiled with numba.

Written as numpy array expressions, a replication's peers (their median shifts, mode mix and
growth over the simulated years) cost some sixty small calls; here each is one compiled loop with
the same operations in the same order, so the values are the same to the last bit. The
exponentials and logarithms stay numpy's (on CPUs with wide vector units numpy's own vectorised
``exp`` and ``log`` can differ from the C library's in the last bit): the caller computes their
arguments here, calls numpy once on them, and finishes here. The logit and logistic functions
are scipy's (``scipy.special.logit``, ``expit``), which use the C library: their formulas are
reproduced term by term.
"""

from __future__ import annotations

import math

import numba
import numpy as np

PCT_LOW, PCT_HIGH = 1e-12, 100 - 1e-12
"""Percent values are clipped into [PCT_LOW, PCT_HIGH] before their logit (so it is finite)."""


@numba.njit(cache=True, nogil=True)
def _logit(x):
    """scipy.special.logit (its formula: the plain one away from 1/2, two log1p near it)."""
    if x < 0.3 or x > 0.65:
        return math.log(x / (1 - x))
    s = 2 * (x - 0.5)
    return math.log1p(s) - math.log1p(-s)


@numba.njit(cache=True, nogil=True)
def _expit(x):
    """scipy.special.expit."""
    return 1.0 / (1.0 + math.exp(-x))


@numba.njit(cache=True, nogil=True)
def _level(v):
    """The logit of percent value ``v`` (clipped) as a share."""
    return _logit(min(max(v, PCT_LOW), PCT_HIGH) / 100.0)


@numba.njit(cache=True, nogil=True)
def shift_medians(values, scale, shift, percent):
    """Move every median by the replication's shift, in place: a positive row (V, N) times its
    ``scale`` (the exponential of its shift), a percent row by its ``shift`` on the logit scale."""
    for r in range(values.shape[0]):
        row = values[r]
        if percent[r]:
            for u in range(row.shape[0]):
                row[u] = 100.0 * _expit(_level(row[u]) + shift[r])
        else:
            for u in range(row.shape[0]):
                row[u] *= scale[r]


@numba.njit(cache=True, nogil=True)
def mode_mix(central_west, shares, factor):
    """(M, N) mode mix in place of ``factor`` (each peer's lognormal multipliers): the region's
    shares (``shares[:, 1]`` central-west, ``shares[:, 0]`` east) times the multipliers, each
    column divided by its sum (added in row order)."""
    n_modes, n = factor.shape
    for u in range(n):
        col = 1 if central_west[u] else 0
        for m in range(n_modes):
            factor[m, u] = shares[m, col] * factor[m, u]
        total = factor[0, u]
        for m in range(1, n_modes):
            total += factor[m, u]
        for m in range(n_modes):
            factor[m, u] = factor[m, u] / total


@numba.njit(cache=True, nogil=True)
def growth_arguments(log_m, elasticity, drift, eps, noise_sd, half_var, walk, shock, argument):
    """The trend (T, V) of each variable, and into ``shock`` (T, V, N) each peer's log shock (mean
    corrected by ``half_var``, accumulated over the years on ``walk`` rows; zero where ``eps`` has
    no years) and into ``argument`` the shock plus the trend: the exponent of a positive value's
    growth since the calibration year."""
    n_years, n_vars, n = shock.shape
    trend = np.empty((n_years, n_vars))
    noisy = eps.shape[0] > 0
    for t in range(n_years):
        for v in range(n_vars):
            tr = log_m[t] * elasticity[v] + (t + 1.0) * drift[v]
            trend[t, v] = tr
            for u in range(n):
                if noisy:
                    s = noise_sd[v] * eps[t, v, u]
                    s -= half_var[v]
                    if walk[v] and t > 0:
                        s = shock[t - 1, v, u] + s
                else:
                    s = 0.0
                shock[t, v, u] = s
                argument[t, v, u] = s + tr
    return trend


@numba.njit(cache=True, nogil=True)
def grown(values0, shock, growth, trend, percent, out):
    """Values (T, V, N) in each simulated year into ``out``: a positive value times its
    ``growth`` (the exponential of :func:`growth_arguments`' argument), a percent value moved by
    trend and shock on the logit scale."""
    n_years, n_vars, n = out.shape
    for v in range(n_vars):
        if percent[v]:
            for u in range(n):
                level = _level(values0[v, u])  # once for all years
                for t in range(n_years):
                    out[t, v, u] = 100.0 * _expit(level + trend[t, v] + shock[t, v, u])
        else:
            for t in range(n_years):
                for u in range(n):
                    out[t, v, u] = values0[v, u] * growth[t, v, u]


# ----------------------------------------------------------------------------- a chunk of replications
# The same loops, replication by replication along a leading axis (sim.ranking.chunk).


@numba.njit(cache=True, nogil=True)
def place_rows(order, grids, out):
    """``out[..., order[..., i]] = grids[..., i]`` row by row (B, V, n): each row's values in the order
    its argsort gives (the stratified peers: the i-th smallest latent takes the i-th grid value)."""
    for b in range(order.shape[0]):
        for v in range(order.shape[1]):
            for i in range(order.shape[2]):
                out[b, v, order[b, v, i]] = grids[b, v, i]


@numba.njit(cache=True, nogil=True)
def shift_medians_chunk(values, scale, shift, percent):
    """:func:`shift_medians` of each replication b: ``values[b]`` (V, N), ``scale[b]``, ``shift[b]``."""
    for b in range(values.shape[0]):
        shift_medians(values[b], scale[b], shift[b], percent)


@numba.njit(cache=True, nogil=True)
def mode_mix_chunk(central_west, shares, factor):
    """:func:`mode_mix` of each replication b: ``central_west[b]`` (N,), ``factor[b]`` (M, N)."""
    for b in range(factor.shape[0]):
        mode_mix(central_west[b], shares, factor[b])


@numba.njit(cache=True, nogil=True)
def growth_arguments_chunk(log_m, elasticity, drift, eps, noise_sd, half_var, walk, shock, argument):
    """:func:`growth_arguments` of each replication b (``log_m[b]``, ``eps[b]``, ``shock[b]``,
    ``argument[b]``): the trends (B, T, V)."""
    n_reps, n_years, n_vars = shock.shape[0], shock.shape[1], shock.shape[2]
    trend = np.empty((n_reps, n_years, n_vars))
    for b in range(n_reps):
        trend[b] = growth_arguments(
            log_m[b], elasticity, drift, eps[b], noise_sd, half_var, walk, shock[b], argument[b]
        )
    return trend


@numba.njit(cache=True, nogil=True)
def grown_chunk(values0, shock, growth, trend, percent, out):
    """:func:`grown` of each replication b into ``out[b]``."""
    for b in range(out.shape[0]):
        grown(values0[b], shock[b], growth[b], trend[b], percent, out[b])
