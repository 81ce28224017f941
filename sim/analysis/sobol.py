"""Sobol indices from a Saltelli design: pure numerics, outputs in, indices out.

A design is two n x d matrices A and B of uniforms (one scrambled Sobol sequence of dimension
2d) and, per factor, A with that factor's columns taken from B. Given the model's outputs on
these rows, :func:`sobol_from_outputs` returns first-order and total indices with BCa bootstrap
intervals (Saltelli 2010 first order, Jansen total order; ``scipy.stats.sobol_indices``), and
with :func:`rank_order`, from the same bootstrap resamples, how firmly the total indices order the
factors.
:func:`screen_parameters` ranks inputs by rank correlation with the outputs (the tornado's
screening).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

U_EPS = 2.0**-54
"""Keeps design uniforms strictly inside (0, 1): quantile functions stay finite."""


def saltelli_matrices(n: int, d: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A and B: n x d uniforms each, from one scrambled Sobol sequence of dimension 2d."""
    eng = qmc.Sobol(d=2 * d, scramble=True, seed=np.random.default_rng(np.random.SeedSequence([seed, 0x5EB01])))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # balance warning when n is not a power of 2
        x = eng.random(n)
    x = np.clip(x, U_EPS, 1 - U_EPS)
    return x[:, :d], x[:, d:]


def ab_matrix(A: np.ndarray, B: np.ndarray, columns: tuple[int, ...]) -> np.ndarray:
    """A with the given columns taken from B (a factor's 'radial' step)."""
    M = A.copy()
    if columns:
        M[:, list(columns)] = B[:, list(columns)]
    return M


def sobol_from_outputs(
    f_A: np.ndarray, f_B: np.ndarray, f_AB: np.ndarray, level: float = 0.95, n_resamples: int = 999, seed: int = 0
) -> dict[str, np.ndarray]:
    """First-order and total indices with BCa bootstrap intervals (scipy.stats.sobol_indices).

    ``f_A``, ``f_B``: [n, s] outputs; ``f_AB``: [k, n, s]. Returns arrays [s, k]: the indices and
    their intervals, and the rank order of the total indices (``ST_rank``, ``ST_rank_share``,
    ``ST_next_resolved``, ``ST_rank_resolved``: see :func:`rank_order`); outputs with no variance
    get NaN (nothing to apportion or rank). The bootstrap resamples with a generator seeded by
    ``seed``, so the same outputs and seed give the same intervals."""
    n, s = f_A.shape
    k = f_AB.shape[0]
    keys = ("S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high", *RANK_KEYS)
    out = {key: np.full((s, k), np.nan) for key in keys}
    var = np.var(np.concatenate([f_A, f_B]), axis=0)
    live = np.flatnonzero(var > 1e-12 * (1 + np.abs(np.concatenate([f_A, f_B])).max(axis=0) ** 2))
    if not len(live):
        return out
    res = stats.sobol_indices(
        func={"f_A": f_A[:, live].T, "f_B": f_B[:, live].T, "f_AB": np.moveaxis(f_AB[:, :, live], 1, 2)}, n=n
    )
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        boot = _seeded(seed, res.bootstrap, confidence_level=level, n_resamples=n_resamples)
    s1, st = np.atleast_2d(res.first_order), np.atleast_2d(res.total_order)
    out["S1"][live], out["ST"][live] = s1, st
    out["S1_low"][live] = np.atleast_2d(boot.first_order.confidence_interval.low)
    out["S1_high"][live] = np.atleast_2d(boot.first_order.confidence_interval.high)
    out["ST_low"][live] = np.atleast_2d(boot.total_order.confidence_interval.low)
    out["ST_high"][live] = np.atleast_2d(boot.total_order.confidence_interval.high)
    for key in ("S1", "ST"):  # a factor that never changes the output: a degenerate bootstrap, index exactly 0
        for side in ("_low", "_high"):
            bad = np.isnan(out[key + side]) & np.isfinite(out[key])
            out[key + side][bad] = out[key][bad]
    ranks = rank_order(out["ST"][live], boot.total_order.bootstrap_distribution.reshape(len(live), k, -1), level)
    for key, v in ranks.items():
        out["ST_" + key][live] = v
    return out


RANK_KEYS = ("ST_rank", "ST_rank_share", "ST_next_resolved", "ST_rank_resolved")
"""The rank-order arrays :func:`sobol_from_outputs` adds (``rank_order``'s, prefixed with the index)."""


def rank_order(index: np.ndarray, boot: np.ndarray, level: float = 0.95) -> dict[str, np.ndarray]:
    """Ranks of the factors by ``index`` and whether the bootstrap resamples hold them.

    ``index``: [s, k] point estimates; ``boot``: [s, k, R] the same index on R bootstrap resamples
    of the design rows. Per output, factors are ranked by the point estimate (1 = largest; ties in
    factor order). Returns arrays [s, k] (1.0/0.0 for the flags):

    - ``rank``: the factor's rank;
    - ``rank_share``: share of resamples that give the factor this same rank;
    - ``next_resolved``: the factor is separated from the one ranked next: the ``level``
      percentile interval of (its index minus the next one's), over the resamples, lies above 0
      (NaN for the last factor: there is none next);
    - ``rank_resolved``: separated from the factors ranked just above and just below, so its rank
      is resolved.

    The resamples redraw the design's rows: the intervals measure the simulation precision of
    the index estimates (they narrow as the base sample n grows), not uncertainty about the
    zone. Two factors with equal indices are never resolved, whatever n."""
    s, k = index.shape
    out = {key: np.full((s, k), np.nan) for key in ("rank", "rank_share", "next_resolved", "rank_resolved")}
    tail = (1 - level) / 2
    for i in range(s):
        if not np.isfinite(index[i]).any():
            continue
        order = np.argsort(-np.nan_to_num(index[i], nan=-np.inf), kind="stable")
        b = boot[i][order]
        with np.errstate(invalid="ignore"):
            gap = np.append(np.quantile(b[:-1] - b[1:], tail, axis=1) > 0, True)  # none below the last
        boot_rank = np.argsort(np.argsort(-np.nan_to_num(b, nan=-np.inf), axis=0, kind="stable"), axis=0)
        out["rank"][i, order] = np.arange(1, k + 1)
        out["rank_share"][i, order] = (boot_rank == np.arange(k)[:, None]).mean(axis=1)
        out["next_resolved"][i, order] = np.append(gap[:-1], np.nan)
        out["rank_resolved"][i, order] = gap & np.append(True, gap[:-1])
    return out


def _seeded(seed: int, fn, **kw):
    """``fn(**kw)`` with numpy's global generator seeded, then restored. ``SobolResult.bootstrap``
    takes no generator of its own and draws from the global one."""
    # scipy's SobolResult.bootstrap draws from numpy's legacy global generator: seeded on purpose, then restored
    state = np.random.get_state()  # noqa: NPY002
    np.random.seed(  # noqa: NPY002
        np.random.SeedSequence([seed, 0xB007]).generate_state(1)[0]
    )
    try:
        return fn(**kw)
    finally:
        np.random.set_state(state)  # noqa: NPY002


def screen_parameters(targets, paths, U, Y) -> pd.DataFrame:
    """|Spearman correlation| of each parameter's uniform with each active target's indicator.

    ``targets``: target specs (``target_id``, ``active``); ``paths``: parameter names of U's
    columns; ``U`` [run, parameter] uniforms; ``Y`` [run, target] outputs."""
    ranks_u = np.apply_along_axis(stats.rankdata, 0, U)
    rows = []
    ru = (ranks_u - ranks_u.mean(0)) / ranks_u.std(0)
    for i, t in enumerate(targets):
        if not t.active:
            continue
        y = Y[:, i]
        if np.ptp(y) == 0:
            continue
        ry = stats.rankdata(y)
        ry = (ry - ry.mean()) / ry.std()
        rho = (ru * ry[:, None]).mean(0)
        rows += [
            dict(target_id=t.target_id, parameter=p, abs_rank_corr=abs(float(r)), rank_corr=float(r))
            for p, r in zip(paths, rho, strict=True)
        ]
    return pd.DataFrame(rows, columns=["target_id", "parameter", "abs_rank_corr", "rank_corr"])


def top_parameters(screening: pd.DataFrame, top: int) -> list[str]:
    """The ``top`` parameters with the largest rank correlation with any active target."""
    if screening.empty:
        return []
    s = screening.groupby("parameter")["abs_rank_corr"].max().sort_values(ascending=False)
    return list(s.index[:top])
