"""The national evaluation of one replication as it was before its compiled kernel (numpy only).

Kept as the reference of the ranking's equivalence test (tests/test_ranking_equivalence.py): the
program's ranking (sim/ranking/chunk.py with sim/ranking/kernels.py) must give the same ranks on
the same draws, and the same distribution of every ranking indicator. It reads the same cached
plans, peers and scoring functions as the program; only the scoring of a data year differs (a
hundred-odd numpy calls here, one compiled call there). Not used by the program.
"""

from __future__ import annotations

import numpy as np

from sim.ranking.boards import board_masks
from sim.ranking.config import PEER_VARIABLES, RankingConfig, count_span
from sim.ranking.config.trade_quantile import TradeQuantile, solve_trade_quantile
from sim.ranking.evaluate import (
    INDICATORS,
    PEER_STATS,
    RankOutput,
    _MethodPlan,
    _plan,
    _year_plans,
    _zone_years,
)
from sim.ranking.peer_stats import trade_statistics as _trade_statistics
from sim.ranking.peers import (
    base_table,
    build_population,
    draw_bonded,
    draw_raw,
    grow,
    joined,
    prepared,
)
from sim.ranking.scoring import compute_derived, fixed_points_many, normalise_rows


def trade_quantile(cfg: RankingConfig, top5: float, top30: float) -> TradeQuantile:
    """Trade's quantile function for the given shares, solved with scipy (as before the compiled solve)."""
    t = cfg.peers.trade
    if (top5, top30) == t.shares(0.5):
        return prepared(cfg).trade_q
    return solve_trade_quantile(cfg.peers.n_peers, t.total_yi, top5, top30)


def _score_year(mp: _MethodPlan, table: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Scores (jobs, units) of the evaluated zones of one data year: the year's drawn method, then
    each variant. ``table`` (columns, units) holds base and derived indicators, ``u`` the deduction
    uniforms."""
    rows = [table[c] for c in mp.columns]
    nz = [normalise_rows(rows[ci], sc.rule, sc.lower) for sc, ci in mp.norms]
    fx = fixed_points_many(mp.fixed, table, u)
    scores = np.empty((len(mp.jobs), table.shape[1]))
    for j, (sc, ni, _) in enumerate(mp.jobs):
        np.matmul(sc.points, nz[ni], out=scores[j])
    scores += fx[mp.job_fixed]
    return scores


def rank_replication(
    cfg: RankingConfig,
    zone: dict[str, np.ndarray],
    zone_base: dict[str, float],
    years: list[int],
    macro_index: np.ndarray,
    rng: np.random.Generator,
) -> RankOutput:
    """Rank the zone of one replication among simulated peers in each of ``years``.

    zone:        yearly indicators of the zone (arrays over ``years``), see config.ZONE_MODEL_VARIABLES.
    zone_base:   the zone's values in the year before ``years[0]`` (for growth indicators).
    macro_index: shared macro trade factor per year, relative to that year (= 1 there).
    rng:         generator for everything peer-related in this replication (draw order is fixed).
    """
    plan = _plan(cfg)
    p = prepared(cfg)
    macro = np.asarray(macro_index, dtype=float)
    T = len(years)
    if macro.shape != (T,):
        raise ValueError(f"macro_index has shape {macro.shape}; expected ({T},) for years {list(years)}")
    year_plans = _year_plans(cfg, plan, years)

    # -- random draws, in a fixed order and fixed sizes: the CBZ peers, their noise, deductions,
    # then the uniforms of the ranged unknowns and the bonded zones (so a config whose ranges are
    # single values and without bonded zones draws the CBZ peers exactly as before they existed)
    raw = draw_raw(p, rng)
    eps = rng.standard_normal((T, len(PEER_VARIABLES) + 1, p.n))
    ded_u = rng.random((T, p.n + 1))
    u_concentration, u_eval, u_bonded, *u_method = rng.random(3 + T)
    trade_q = trade_quantile(cfg, *cfg.peers.trade.shares(u_concentration))
    pop = build_population(cfg, raw, trade_q)
    n = p.n
    bz = count_span(cfg.peers.bonded_zones)
    n_bonded = bz.at(u_bonded)
    if bz.high:
        pop = joined(pop, draw_bonded(cfg, rng, bz.high, trade_q, pop.shift))
        eps = np.concatenate([eps, rng.standard_normal((T, len(PEER_VARIABLES) + 1, bz.high))], axis=2)
        ded_u = np.concatenate([ded_u[:, :n], rng.random((T, bz.high)), ded_u[:, n:]], axis=1)
    n_all = n + bz.high

    # base variables of every zone, the CBZ peers, then the bonded zones, the zone last:
    # (T + 1, n_base, n_all + 1), the calibration year then each simulated year
    nb = plan.n_base
    units = np.empty((T + 1, nb, n_all + 1))
    base_table(pop.mix, np.concatenate([pop.values[None], grow(cfg, pop.values, macro, eps)]), out=units[..., :n_all])
    units[..., n_all] = _zone_years(cfg, plan, zone, zone_base, macro)
    growth_src = plan.derived.growth_src
    seniority_rank = np.full(n_all + 1, n_all, dtype=np.int64)  # 0 = most senior CBZ peer; never-evaluated: n_all
    seniority_rank[np.argsort(-pop.seniority[:n], kind="stable")] = np.arange(n)
    seniority_rank[n : n + n_bonded] = -1  # bonded zones present: always evaluated
    seniority_rank[n_all] = -1  # the zone
    same_region, same_board = board_masks(cfg, pop.central_west, n)  # two boards, three boards
    ref = cfg.reference_rank

    ind = dict(zip(INDICATORS, np.empty((len(INDICATORS), T)), strict=True))
    var = dict(zip(cfg.variants, np.empty((len(cfg.variants), T)), strict=True))
    peers = dict(zip(PEER_STATS, np.empty((len(PEER_STATS), T)), strict=True))
    for t, yp in enumerate(year_plans):
        n_u = yp.n_units(u_eval)
        ev = np.flatnonzero(
            seniority_rank < n_u - 1 - n_bonded
        )  # the most senior CBZ peers, the bonded zones, the zone
        table = np.concatenate([units[t + 1].take(ev, axis=1), np.zeros((len(plan.names) - plan.n_base, n_u))])
        compute_derived(plan.derived, table, units[t, growth_src].take(ev, axis=1))
        mp = yp.method(u_method[t])
        scores = _score_year(mp, table, ded_u[t][ev])
        better = scores > scores[:, -1:]
        ranks = 1 + better.sum(axis=1)
        r = int(ranks[0])
        ind["rank"][t] = r
        ind["rank_regional"][t] = 1 + int((better[0] & (same_board if mp.boards == 3 else same_region)[ev]).sum())
        ind["eval_score"][t] = scores[0, -1]
        ind["class_a"][t] = float(r <= int(np.floor(cfg.class_a_share * n_u + 1e-9)))
        for j, vid in enumerate(var, start=1):
            var[vid][t] = ranks[j]
        if ref <= n_u:
            s = scores[0]
            k = np.argpartition(-s, ref - 1)[ref - 1]
            peers["trade_at_reference_rank"][t], peers["score_at_reference_rank"][t] = table[0, k], s[k]
        else:
            peers["trade_at_reference_rank"][t] = peers["score_at_reference_rank"][t] = np.nan
        peers["reference_rank"][t] = ref
        peers["n_evaluated"][t] = n_u
    national = units[1:, 0] if not bz.high else np.concatenate([units[1:, 0, :n], units[1:, 0, n_all:]], axis=1)
    _trade_statistics(national, n, peers)
    return RankOutput(indicators=ind, variants=var, peers=peers)
