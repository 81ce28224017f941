"""The national evaluation of a chunk of replications at once.

:func:`rank_chunk` ranks the zones of B replications. Each replication draws its peers from its
own generator, in the fixed order and sizes :func:`rank_zones` documents, so a replication's ranks
do not depend on which others share its chunk (and ``rank_zones`` is the chunk of one). What
follows the draws is one array expression over the whole chunk (values, median shifts, mode mix,
growth, base variables, seniority, boards), so its cost is paid per chunk rather than per
replication: elementwise numpy operations, row-wise sorts and compiled loops give every
replication the same bits as alone. Each data year is scored for all the replications drawn under
the same method at once (:mod:`sim.ranking.chunk_kernel`, around the one-replication kernels of
:mod:`sim.ranking.kernels`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import special

from sim.ranking.boards import chunk_board_masks
from sim.ranking.chunk_kernel import chunk_scores, chunk_tables
from sim.ranking.config import LATENT_COLUMNS, TRADE_MODES, RankingConfig
from sim.ranking.evaluate import (
    INDICATORS,
    PEER_STATS,
    RankOutput,
    _Plan,
    _plan,
    _references,
    _year_plans,
    _zone_years_chunk,
)
from sim.ranking.peer_kernel import (
    grown_chunk,
    growth_arguments_chunk,
    mode_mix_chunk,
    place_rows,
    shift_medians_chunk,
)
from sim.ranking.peer_stats import trade_statistics
from sim.ranking.peers import VALUE_COLUMNS, Prepared, base_table, prepared, trade_quantiles
from sim.ranking.rowsort import argsort_rows


class _Draws:
    """The random numbers of a chunk's peers, replication-major (see :func:`_draw`)."""

    def __init__(self, p: Prepared, B: int, T: int, K: int, high: int):
        n_all, V = p.n + high, len(VALUE_COLUMNS)
        self.latent = np.empty((B, len(LATENT_COLUMNS), n_all))
        self.mix_z = np.empty((B, len(TRADE_MODES), n_all))
        self.central_west = np.zeros((B, n_all), bool)  # bonded zones: east
        self.shift = np.empty((B, V))
        self.eps = np.empty((B, T, V, n_all))
        self.deduction_u = np.empty((B, T, n_all + K))  # CBZ peers, bonded zones, the zones
        self.u = np.empty((B, 3 + T))  # trade concentration, evaluated count, bonded count, method per year
        self.trade_q = np.empty((B, 4))  # mu, s_body, s_tail, z_kink of each replication's trade quantile
        self.calibrated = np.zeros(B, bool)  # its trade quantile is the calibration's


def _draw(cfg: RankingConfig, p: Prepared, high: int, rngs: list, T: int, K: int) -> _Draws:
    """Each replication's draws from its own generator, in a fixed order and fixed sizes: the CBZ
    peers (copula, mode mix, regions, median shifts: :func:`~sim.ranking.peers.draw_raw`), their
    noise, deductions, then the uniforms of the ranged unknowns and the bonded zones (so a config
    whose ranges are single values and without bonded zones draws the CBZ peers exactly as before
    they existed), then the deductions of the zones after the first.

    Consecutive draws of one kind are one generator call into a row of a chunk buffer (a
    Generator's normals and uniforms are the same whether drawn in one call or several), and what
    follows the draws (the copula's matrix product, the regions, the trade quantiles) is done for
    the whole chunk at once."""
    n, V, B = p.n, len(VALUE_COLUMNS), len(rngs)
    L, M = len(LATENT_COLUMNS), len(TRADE_MODES)
    d = _Draws(p, B, T, K, high)
    normals = np.empty((B, (L + M) * n))  # copula, mode mix
    order = np.empty((B, n), np.int64)  # the regions' permutation
    noise = np.empty((B, V + T * V * n))  # median shifts, growth noise
    uniforms = np.empty((B, T * (n + 1) + 3 + T))  # deductions (the CBZ peers, the first zone), unknowns
    bonded = np.empty((B, (L + M + T * V) * high))  # copula, mode mix, growth noise
    later = np.empty((B, T * (high + K - 1)))  # deductions of the bonded zones, then of the other zones
    for b, rng in enumerate(rngs):
        rng.standard_normal(out=normals[b])
        order[b] = rng.permutation(n)
        rng.standard_normal(out=noise[b])
        rng.random(out=uniforms[b])
        if high:
            rng.standard_normal(out=bonded[b])
        if later.shape[1]:
            rng.random(out=later[b])
    d.latent[:, :, :n] = p.chol @ normals[:, : L * n].reshape(B, L, n)
    d.mix_z[:, :, :n] = normals[:, L * n :].reshape(B, M, n)
    d.central_west[:, :n] = p.cw_template[order]
    np.multiply(p.median_unc, noise[:, :V], out=d.shift)
    d.eps[:, :, :, :n] = noise[:, V:].reshape(B, T, V, n)
    ded = uniforms[:, : T * (n + 1)].reshape(B, T, n + 1)
    d.deduction_u[:, :, :n] = ded[:, :, :n]
    d.deduction_u[:, :, n + high] = ded[:, :, n]
    d.u[:] = uniforms[:, T * (n + 1) :]
    if high:
        rows = bonded.reshape(B, L + M + T * V, high)
        d.latent[:, :, n:] = p.chol @ rows[:, :L]
        d.mix_z[:, :, n:] = rows[:, L : L + M]
        d.eps[:, :, :, n:] = rows[:, L + M :].reshape(B, T, V, high)
        d.deduction_u[:, :, n : n + high] = later[:, : T * high].reshape(B, T, high)
    if K > 1:
        d.deduction_u[:, :, n + high + 1 :] = later[:, T * high :].reshape(B, T, K - 1)
    d.calibrated[:], d.trade_q[:] = trade_quantiles(cfg, d.u[:, 0])
    return d


KEY_SORT_MIN = 1024
"""Values from which a row-wise argsort is found by sorting integer keys (:func:`_argsort`): below
it, building the keys costs more than numpy's argsort."""


def _argsort(x: np.ndarray, kind: Literal["quicksort", "stable"] | None = None) -> np.ndarray:
    """``np.argsort(x, axis=1, kind=kind)``, by :func:`sim.ranking.rowsort.argsort_rows` (the same
    order, found faster) when ``x`` holds enough values to pay for it."""
    return argsort_rows(x, kind)[0] if x.size >= KEY_SORT_MIN else np.argsort(x, axis=1, kind=kind)


def _trade_values(q: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Trade at latent ``z`` (B, m) under each replication's quantile parameters ``q`` (B, 4), the
    arithmetic of :class:`~sim.ranking.config.trade_quantile.TradeQuantile` row by row."""
    mu, s_body, s_tail, z_kink = (q[:, j : j + 1] for j in range(4))
    return np.exp(mu + s_body * z + (s_tail - s_body) * np.maximum(z - z_kink, 0.0))


def _values(p: Prepared, d: _Draws, n: int, out: np.ndarray) -> None:
    """The peers' values in the calibration year into ``out`` (B, V, n_all): the CBZ peers (each row
    exactly its grid of quantiles when stratified) then the bonded zones, before the median shifts
    (as :func:`sim.ranking.peers.values_from_latent` gives them one replication at a time)."""
    rows = p.value_latent_rows
    free = 0
    if p.stratified:
        B = out.shape[0]
        grids = np.empty((B, *p.grids.shape))
        grids[:] = p.grids
        own = np.flatnonzero(~d.calibrated)
        if own.size:
            grids[own, 0] = _trade_values(d.trade_q[own], p.z_grid[None, :])
        order = _argsort(d.latent[:, rows, :n].reshape(-1, n))
        place_rows(order.reshape(B, -1, n), grids, out[:, :, :n])
        free = n
    if free < out.shape[2]:
        rest = np.ascontiguousarray(d.latent[:, rows, free:])
        part = np.empty(rest.shape)
        part[:, 0] = _trade_values(d.trade_q, rest[:, 0])
        pos, pct = p.value_pos_rows, p.pct_rows
        part[:, pos] = np.exp(p.median_t[pos, None] + p.sigma[pos, None] * rest[:, pos])
        part[:, pct] = 100.0 * special.expit(p.median_t[pct, None] + p.sigma[pct, None] * rest[:, pct])
        out[:, :, free:] = part


def _units(cfgs: list, plan: _Plan, p: Prepared, d: _Draws, zones: list, zone_bases: list, macro: np.ndarray):
    """(B, T + 1, base variables, units) every unit's base variables, the calibration year then each
    simulated year (the CBZ peers, the bonded zones, the K zones last), and (B, M, n_all) the mode mix."""
    B, T = macro.shape
    n_all, K = d.latent.shape[2], len(cfgs)
    values = np.empty((B, T + 1, len(VALUE_COLUMNS), n_all))
    _values(p, d, p.n, values[:, 0])
    shift_medians_chunk(values[:, 0], np.exp(d.shift), d.shift, p.percent)
    s = p.mix_sigma
    mix = np.exp(s * d.mix_z - 0.5 * s * s)
    mode_mix_chunk(d.central_west, p.shares, mix)
    # growth: log shocks and trends, one numpy exponential, then the grown values
    shape = (B, T, len(VALUE_COLUMNS), n_all)
    shock, argument = np.empty(shape), np.empty(shape)
    trend = growth_arguments_chunk(
        np.log(macro), p.elasticity, p.drift, d.eps, p.noise_sd, p.half_var_pos, p.walk, shock, argument
    )
    grown_chunk(values[:, 0], shock, np.exp(argument, out=argument), trend, p.percent, values[:, 1:])
    units = np.empty((B, T + 1, plan.n_base, n_all + K))
    base_table(mix[:, None], values, out=units[..., :n_all])
    for k in range(K):
        units[:, :, :, n_all + k] = _zone_years_chunk(
            cfgs[k], _plan(cfgs[k]), [zs[k] for zs in zones], [zb[k] for zb in zone_bases], macro
        )
    return units


def rank_chunk(
    cfgs: list, zones: list, zone_bases: list, years: list[int], macros, rngs: list
) -> list[list[RankOutput]]:
    """The K zones of each of B replications ranked in its own population (``zones[b][k]``,
    ``zone_bases[b][k]``, ``macros[b]``, ``rngs[b]``: replication b's as :func:`rank_zones` takes
    them): ``out[b]`` equals ``rank_zones`` of replication b alone, to the last bit."""
    cfg, K, B, T = cfgs[0], len(cfgs), len(rngs), len(years)
    plan, p = _plan(cfg), prepared(cfg)
    macro = np.empty((B, T))
    for b, m in enumerate(macros):
        m = np.asarray(m, dtype=float)
        if m.shape != (T,):
            raise ValueError(f"macro_index has shape {m.shape}; expected ({T},) for years {list(years)}")
        macro[b] = m
    year_plans = _year_plans(cfg, plan, years)
    n, bz = p.n, plan.bonded
    n_all = n + bz.high
    d = _draw(cfg, p, bz.high, rngs, T, K)
    units = _units(cfgs, plan, p, d, zones, zone_bases, macro)

    # seniority: 0 = most senior CBZ peer; never evaluated: n_all; bonded zones present and the zones: -1
    seniority_rank = np.full((B, n_all + K), n_all, dtype=np.int64)
    senior = _argsort(-d.latent[:, 1, :n], kind="stable")
    np.put_along_axis(seniority_rank, senior, np.arange(n)[None, :], axis=1)
    n_bonded = np.array([bz.at(u) for u in d.u[:, 2]], dtype=np.int64)
    seniority_rank[:, n:n_all][np.arange(bz.high)[None, :] < n_bonded[:, None]] = -1
    seniority_rank[:, n_all:] = -1
    boards = chunk_board_masks(cfgs, d.central_west, n)  # (two, three) boards, each (B, K, units)

    columns = np.arange(n_all, n_all + K)  # the zones' columns of ``units``, in their listed order
    refs = _references(cfgs, plan, years)  # (T, K) each zone's rank target in each data year
    national = (
        units[:, 1:, 0] if not bz.high else np.concatenate([units[:, 1:, 0, :n], units[:, 1:, 0, n_all:]], axis=2)
    )
    stats: dict[str, np.ndarray] = {}
    trade_statistics(national, n, stats)
    J = 1 + len(cfg.variants)
    ranks = np.empty((B, K, J, T))  # each zone's rank under the year's method, then each variant's
    yearly = np.empty((B, 4, K, T))  # rank on the board, score, trade and score at the reference rank
    n_units = np.empty((B, T))
    for t, yp in enumerate(year_plans):
        n_u = np.array([yp.n_units(u) for u in d.u[:, 1]], dtype=np.int64)
        n_units[:, t] = n_u
        limits = n_u - K - n_bonded  # evaluated: the most senior CBZ peers, the bonded zones present, the zones
        drawn = np.minimum(np.searchsorted(yp.cum_weights, d.u[:, 3 + t], side="right"), len(yp.methods) - 1)
        for i, mp in enumerate(yp.methods):  # the replications scored under each method (_YearPlan.method)
            reps = np.flatnonzero(drawn == i)
            if not reps.size:
                continue
            counts, ev, starts, tables, keys = chunk_tables(
                units, t, reps, limits[reps], seniority_rank, plan.derived_arrays, mp.arrays
            )
            keys.sort(axis=1)
            chunk_scores(
                t,
                reps,
                counts,
                ev,
                starts,
                tables,
                keys,
                plan.derived_arrays[7],
                mp.arrays,
                d.deduction_u,
                columns,
                boards[mp.boards == 3],
                refs[t],
                ranks,
                yearly,
            )
    class_a = ranks[:, :, 0] <= np.floor(cfg.class_a_share * n_units + 1e-9)[:, None]
    peers = {
        **{k: v[:, None] for k, v in stats.items()},
        "trade_at_reference_rank": yearly[:, 2],
        "score_at_reference_rank": yearly[:, 3],
        "reference_rank": refs.T.astype(float)[None],
        "n_evaluated": n_units[:, None],
    }
    rows = np.empty((B, K, 4 + J - 1 + len(PEER_STATS), T))  # every output row of every zone
    rows[:, :, 0] = ranks[:, :, 0]
    rows[:, :, 1:3] = yearly[:, :2].transpose(0, 2, 1, 3)
    rows[:, :, 3] = class_a
    rows[:, :, 4 : 3 + J] = ranks[:, :, 1:]
    for j, key in enumerate(PEER_STATS, start=3 + J):
        rows[:, :, j] = peers[key]
    return _outputs(cfg, J, rows)


def _outputs(cfg: RankingConfig, J: int, rows: np.ndarray) -> list[list[RankOutput]]:
    """Each replication's RankOutput of each zone from ``rows`` (B, K, rows, T): indicators, variants
    and peer statistics, each row a (T,) view (all made by one ``list`` of the rows)."""
    B, K, R, T = rows.shape
    views = list(rows.reshape(-1, T))
    variants = list(cfg.variants)
    out = []
    for b in range(B):
        zones = []
        for k in range(K):
            o = (b * K + k) * R
            zones.append(
                RankOutput(
                    indicators=dict(zip(INDICATORS, views[o : o + 4], strict=True)),
                    variants=dict(zip(variants, views[o + 4 : o + 3 + J], strict=True)),
                    peers=dict(zip(PEER_STATS, views[o + 3 + J : o + R], strict=True)),
                )
            )
        out.append(zones)
    return out


def rank_zones(cfgs: list, zones: list, zone_bases: list, years: list[int], macro_index, rng) -> list[RankOutput]:
    """K zones (each its own ``cfgs[k].zone``, the configs otherwise alike) in one population: each replaces a
    peer (the evaluated count stays), their deduction uniforms come after every other draw (K = 1 draws
    what :func:`rank_replication` does), and a tie between zones goes to the one listed first."""
    return rank_chunk(cfgs, [zones], [zone_bases], years, [macro_index], [rng])[0]


def rank_replication(cfg: RankingConfig, zone: dict, zone_base: dict, years: list[int], macro_index, rng) -> RankOutput:
    """Rank the zone of one replication among simulated peers in each of ``years``. zone: its yearly
    indicators (config.ZONE_MODEL_VARIABLES); zone_base: its values the year before ``years[0]``;
    macro_index: the shared macro factor per year (1 the year before); rng: all peer draws (fixed order)."""
    return rank_zones([cfg], [zone], [zone_base], years, macro_index, rng)[0]
