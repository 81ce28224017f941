"""National performance evaluation (综合保税区发展绩效评估): peer zones, score, rank.

:func:`rank_replication` places the zone of one replication among a simulated peer population
in every simulated (data) year and scores all of them under the year's evaluation method and
under each sensitivity variant. The peers are drawn from the replication's own generator and
grow with the replication's macro index, so the zone's rank is correlated with its outcome.
See docs/model.md, section "Ranking".
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.ranking.config import BASE_VARIABLES, PEER_VARIABLES, ZONE_MODEL_VARIABLES, RankingConfig, per_config
from sim.ranking.peers import (PeerPopulation, base_table, calibration_check, calibration_population,
                               draw_population, grow, prepared)
from sim.ranking.scoring import (Scorer, column_names, compile_derived, compile_method, compute_derived,
                                 fixed_points, normalise, normalise_rows, rank_of, score, score_table)
from sim.vocabulary.outcomes import PEER_STATISTICS, RANKING_INDICATORS

__all__ = ["RankingConfig", "RankOutput", "rank_replication", "PeerPopulation", "calibration_population",
           "calibration_check", "draw_population", "score_table", "normalise", "rank_of", "INDICATORS", "PEER_STATS"]

INDICATORS = RANKING_INDICATORS
"""Keys of RankOutput.indicators (defined in sim.vocabulary.outcomes)."""

PEER_STATS = tuple(PEER_STATISTICS)
"""Keys of RankOutput.peers (defined in sim.vocabulary.outcomes)."""


@dataclass
class RankOutput:
    indicators: dict[str, np.ndarray]   # per simulated year: rank, rank_regional, eval_score, class_a (0/1)
    variants: dict[str, np.ndarray]     # variant -> national rank per year (same peers, same zone)
    peers: dict[str, np.ndarray] = field(default_factory=dict)   # per year: PEER_STATS


# ----------------------------------------------------------------------------- per-config plan

@dataclass
class _Plan:
    names: list[str]
    n_base: int
    scorers: dict            # (method id, rule, group points) -> Scorer
    province_growth: tuple   # (elasticity, drift) of province_trade, applied to the zone too
    growth_cols: list        # (derived name, base column) of growth indicators
    derived: object          # scoring.DerivedPlan


@per_config
def _plan(cfg: RankingConfig) -> _Plan:
    pv = cfg.peers.variables["province_trade"]
    p = _Plan(names=column_names(cfg), n_base=len(BASE_VARIABLES), scorers={},
              province_growth=(pv.macro_elasticity, pv.drift_per_year),
              growth_cols=[(k, BASE_VARIABLES.index(d.growth_of)) for k, d in cfg.derived.items() if d.growth_of],
              derived=None)
    p.derived = compile_derived(cfg.derived, p.names)
    return p


def _scorer(cfg: RankingConfig, plan: _Plan, mid: str, rule: str | None, gp: dict) -> Scorer:
    key = (mid, rule, tuple(sorted(gp.items())))
    sc = plan.scorers.get(key)
    if sc is None:
        sc = plan.scorers[key] = compile_method(cfg.methods[mid], plan.names, rule, gp)
    return sc


# ----------------------------------------------------------------------------- the zone's rows

def _zone_rows(cfg: RankingConfig, plan: _Plan, zone: dict, zone_base: dict, macro: np.ndarray):
    """(n_base, T) base variables of the zone per year, and (n_base, T) of the year before each."""
    T = len(macro)
    z = cfg.zone
    rows = np.empty((plan.n_base, T))
    prev0 = np.full(plan.n_base, np.nan)
    for j, k in enumerate(ZONE_MODEL_VARIABLES):
        off = z.offsets.get(k, 0.0)
        if k in zone:
            v = np.asarray(zone[k], dtype=float)
            if v.shape != (T,):
                raise ValueError(f"zone indicator {k!r} has shape {v.shape}; expected ({T},) (one value per year)")
            rows[j] = v + off
        elif k in z.fallback:
            rows[j] = z.fallback[k] + off
        else:
            raise KeyError(f"the zone model produced no {k!r} and ranking.zone.fallback has no value for it; "
                           f"add one (with its source) to the scenario")
        if k in zone_base:
            prev0[j] = float(zone_base[k]) + off
        elif k in z.fallback:
            prev0[j] = z.fallback[k] + off
    e, d = plan.province_growth
    n0 = len(ZONE_MODEL_VARIABLES)
    rows[n0] = z.area_km2
    rows[n0 + 1] = z.accepted_area_share_pct
    rows[n0 + 2] = z.province_trade_yi * macro ** e * np.exp(d * np.arange(1, T + 1))
    prev0[n0:] = (z.area_km2, z.accepted_area_share_pct, z.province_trade_yi)
    for name, col in plan.growth_cols:
        if np.isnan(prev0[col]):
            raise KeyError(f"ranking.derived.{name} needs the zone's {BASE_VARIABLES[col]!r} in the year before "
                           f"the first simulated year, but zone_base has no such key")
    prev = np.concatenate([prev0[:, None], rows[:, :-1]], axis=1)
    return rows, prev


def _quantiles_sorted(s: np.ndarray, qs) -> list[float]:
    """np.quantile (linear method) of an ascending array."""
    n = len(s)
    out = []
    for q in qs:
        h = q * (n - 1)
        lo = int(h)
        hi = min(lo + 1, n - 1)
        out.append(float(s[lo] + (h - lo) * (s[hi] - s[lo])))
    return out


# ----------------------------------------------------------------------------- main entry

def rank_replication(cfg: RankingConfig, zone: dict[str, np.ndarray], zone_base: dict[str, float],
                     years: list[int], macro_index: np.ndarray, rng: np.random.Generator) -> RankOutput:
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
    for y in years:
        if str(y) not in cfg.method_by_year or str(y) not in cfg.peers.evaluated_by_year:
            cfg.check_years(list(years))          # raises, naming the key

    # -- random draws, in a fixed order and fixed sizes
    pop = draw_population(cfg, rng)
    eps = rng.standard_normal((T, len(PEER_VARIABLES) + 1, p.n))
    ded_u = rng.random((T, p.n + 1))

    # (T + 1, n_base, n): calibration year, then each simulated year
    peer_base = base_table(pop, np.concatenate([pop.values[None], grow(cfg, pop.values, macro, eps)]))
    zone_rows, zone_prev = _zone_rows(cfg, plan, zone, zone_base, macro)
    zone_cw = cfg.zone.region == "central_west"
    senior = np.argsort(-pop.seniority, kind="stable")
    ref = cfg.reference_rank
    nb = plan.n_base

    ind = {k: np.empty(T) for k in INDICATORS}
    var = {k: np.empty(T) for k in cfg.variants}
    peers = {k: np.empty(T) for k in PEER_STATS}
    for t, y in enumerate(years):
        mid = cfg.method_by_year[str(y)]
        ev = np.sort(senior[:cfg.peers.evaluated_by_year[str(y)] - 1])
        n_u = len(ev) + 1
        table = np.zeros((len(plan.names), n_u))
        table[:nb, :-1] = peer_base[t + 1][:, ev]
        table[:nb, -1] = zone_rows[:, t]
        prev = np.empty((nb, n_u))
        prev[:, :-1] = peer_base[t][:, ev]
        prev[:, -1] = zone_prev[:, t]
        compute_derived(plan.derived, table, prev)
        u = np.concatenate([ded_u[t, ev], ded_u[t, -1:]])
        same_region = np.concatenate([pop.central_west[ev] == zone_cw, [True]])
        norm_cache: dict = {}
        fixed_cache: dict = {}

        def total(m: str, sc: Scorer) -> np.ndarray:
            key = (sc.rule, sc.cols.tobytes(), sc.lower.tobytes())
            nz = norm_cache.get(key)
            if nz is None:
                nz = norm_cache[key] = normalise_rows(table[sc.cols], sc.rule, sc.lower)
            fx = fixed_cache.get(m)
            if fx is None:
                fx = fixed_cache[m] = fixed_points(sc, table, u)
            return score(sc, table, u, nz, fx)

        s = total(mid, _scorer(cfg, plan, mid, None, {}))
        r = rank_of(s)
        ind["rank"][t] = r
        ind["rank_regional"][t] = rank_of(s, among=same_region)
        ind["eval_score"][t] = s[-1]
        ind["class_a"][t] = float(r <= int(np.floor(cfg.class_a_share * n_u + 1e-9)))
        for vid, v in cfg.variants.items():
            vm = v.method or mid
            var[vid][t] = rank_of(total(vm, _scorer(cfg, plan, vm, v.normalisation, v.group_points)))

        trade_peers = np.sort(peer_base[t + 1][0])
        national = np.sort(np.concatenate([trade_peers, zone_rows[:1, t]]))[::-1]
        peers["trade_p10"][t], peers["trade_p50"][t], peers["trade_p90"][t] = _quantiles_sorted(
            trade_peers, (0.1, 0.5, 0.9))
        tot = national.sum()
        peers["top5_share"][t] = national[:5].sum() / tot
        peers["top30_share"][t] = national[:30].sum() / tot
        if ref <= n_u:
            k = np.argpartition(-s, ref - 1)[ref - 1]
            peers["trade_at_rank60"][t], peers["score_at_rank60"][t] = table[0, k], s[k]
        else:
            peers["trade_at_rank60"][t] = peers["score_at_rank60"][t] = np.nan
        peers["n_evaluated"][t] = n_u
        peers["trade_total_national"][t] = tot
    return RankOutput(indicators=ind, variants=var, peers=peers)
