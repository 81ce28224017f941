"""The national evaluation of one replication: the zone among its peers, every simulated year.

:func:`rank_replication` draws the peers of a replication (the concentration of their trade, how many are
evaluated, the bonded zones among them), grows them with its macro index, puts the zone beside them and
scores every evaluated zone of each data year under the method drawn for that year, and under each variant.
What depends only on the configuration and the simulated years is worked out once and cached (:class:`_Plan`,
:class:`_YearPlan`), so a replication costs its random draws plus a few array operations per data year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sim.ranking.boards import board_masks
from sim.ranking.config import (
    BASE_VARIABLES,
    PEER_VARIABLES,
    TOP_LARGE,
    TOP_SMALL,
    ZONE_MODEL_VARIABLES,
    CountSpan,
    RankingConfig,
    count_span,
    per_config,
)
from sim.ranking.peers import (
    base_table,
    build_population,
    draw_bonded,
    draw_raw,
    grow,
    joined,
    prepared,
    trade_quantile,
)
from sim.ranking.scoring import (
    DerivedPlan,
    FixedPlan,
    Scorer,
    column_names,
    compile_derived,
    compile_fixed,
    compile_method,
    compute_derived,
    fixed_points_many,
    normalise_rows,
)
from sim.vocabulary.outcomes import PEER_STATISTICS, RANKING_INDICATORS

INDICATORS = RANKING_INDICATORS
"""Keys of RankOutput.indicators (defined in sim.vocabulary.outcomes)."""

PEER_STATS = tuple(PEER_STATISTICS)
"""Keys of RankOutput.peers (defined in sim.vocabulary.outcomes)."""

TRADE_QUANTILES = (0.1, 0.5, 0.9)
"""Quantiles of the peers' trade reported as peers trade_p10, trade_p50, trade_p90."""


@dataclass
class RankOutput:
    """The zone's national evaluation in each simulated year of one replication.

    ``indicators``: INDICATORS -> per year (rank, rank_regional, eval_score, class_a as 0/1);
    ``variants``: variant id -> national rank per year (same peers, same zone);
    ``peers``: PEER_STATS -> per year."""

    indicators: dict[str, np.ndarray]
    variants: dict[str, np.ndarray]
    peers: dict[str, np.ndarray] = field(default_factory=dict)


# ----------------------------------------------------------------------------- per-config plan


@dataclass(frozen=True)
class _MethodPlan:
    """The scores of a data year scored under method ``mid``: the year's method first, then each
    variant. ``columns``: distinct sets of table columns normalised; ``norms``: distinct (rule,
    columns, lower) normalisations as (scorer, index in columns); ``fixed``: one scorer per
    distinct method, for its bonus and deduction, stacked; ``jobs``: (scorer, norm index, fixed index);
    ``job_fixed``: the fixed index of each job."""

    columns: tuple
    norms: tuple
    fixed: FixedPlan
    jobs: tuple
    job_fixed: np.ndarray
    boards: int = 2


@dataclass(frozen=True)
class _YearPlan:
    """One simulated year: the plans of the methods that may score it with their cumulative
    probabilities, and the range of the number of evaluated zones (the zone included)."""

    methods: tuple
    cum_weights: np.ndarray
    evaluated: CountSpan

    def method(self, u: float) -> _MethodPlan:
        """The method plan drawn by uniform ``u``."""
        return self.methods[min(int(np.searchsorted(self.cum_weights, u, side="right")), len(self.methods) - 1)]

    def n_units(self, u: float) -> int:
        """The number of evaluated zones at uniform ``u`` (the same ``u`` every year)."""
        return self.evaluated.at(u)


@dataclass
class _Plan:
    """What a replication's ranking needs from the config, worked out once per config object.

    ``zone_prev``: per ZONE_MODEL_VARIABLES entry (offset, value in the year before the first
    simulated year when zone_base lacks it: fallback + offset, or NaN); ``growth_cols``: (derived
    name, base column) of growth indicators; ``years``: cached _YearPlan lists by years."""

    names: list[str]
    n_base: int
    derived: DerivedPlan
    province_growth: tuple
    offsets: np.ndarray
    zone_prev: list
    growth_cols: list
    methods: dict = field(default_factory=dict)
    years: dict = field(default_factory=dict)
    province_exp: dict = field(default_factory=dict)
    _zeros: dict = field(default_factory=dict)

    def zeros(self, n_units: int) -> np.ndarray:
        """(derived indicators, n_units) zeros, the derived rows of a table before they are computed."""
        z = self._zeros.get(n_units)
        if z is None:
            z = self._zeros[n_units] = np.zeros((len(self.names) - self.n_base, n_units))
            z.flags.writeable = False
        return z


@per_config
def _plan(cfg: RankingConfig) -> _Plan:
    pv = cfg.peers.variables["province_trade"]
    z = cfg.zone
    names = column_names(cfg)
    offsets = [z.offsets.get(k, 0.0) for k in ZONE_MODEL_VARIABLES]
    return _Plan(
        names=names,
        n_base=len(BASE_VARIABLES),
        derived=compile_derived(cfg.derived, names),
        province_growth=(pv.macro_elasticity, pv.drift_per_year),
        offsets=np.array(offsets)[:, None],
        zone_prev=[
            (off, z.fallback[k] + off if k in z.fallback else math.nan)
            for k, off in zip(ZONE_MODEL_VARIABLES, offsets, strict=True)
        ],
        growth_cols=[(k, BASE_VARIABLES.index(d.growth_of)) for k, d in cfg.derived.items() if d.growth_of],
    )


def _method_plan(cfg: RankingConfig, plan: _Plan, mid: str) -> _MethodPlan:
    """The (cached) _MethodPlan of a data year scored under method ``mid``."""
    mp = plan.methods.get(mid)
    if mp is not None:
        return mp
    columns: dict[bytes, int] = {}
    norms: dict[tuple, int] = {}
    fixed: dict[str, Scorer] = {}
    norm_list: list[tuple[Scorer, int]] = []
    jobs: list[tuple[Scorer, int, int]] = []
    for m, rule, gp in [
        (mid, None, {}),
        *((v.method or mid, v.normalisation, v.group_points) for v in cfg.variants.values()),
    ]:
        sc = compile_method(cfg.methods[m], plan.names, rule, gp)
        ci = columns.setdefault(sc.cols.tobytes(), len(columns))
        ni = norms.setdefault((sc.rule, ci, sc.lower.tobytes()), len(norms))
        if ni == len(norm_list):
            norm_list.append((sc, ci))
        fixed.setdefault(m, sc)
        jobs.append((sc, ni, list(fixed).index(m)))
    mp = plan.methods[mid] = _MethodPlan(
        columns=tuple(np.frombuffer(c, dtype=np.int64) for c in columns),
        norms=tuple(norm_list),
        fixed=compile_fixed(list(fixed.values())),
        jobs=tuple(jobs),
        job_fixed=np.array([j[2] for j in jobs]),
        boards=cfg.methods[mid].boards,
    )
    return mp


def _year_plans(cfg: RankingConfig, plan: _Plan, years) -> list[_YearPlan]:
    """The (cached) _YearPlan of each simulated year (a data year the config does not state takes
    the defaults of sim.ranking.config.national)."""
    key = tuple(years)
    yp = plan.years.get(key)
    if yp is None:
        yp = []
        for y in years:
            n_u = cfg.evaluated(y)
            w = cfg.method_weights(y)
            yp.append(
                _YearPlan(
                    methods=tuple(_method_plan(cfg, plan, m) for m in w),
                    cum_weights=np.cumsum(list(w.values())),
                    evaluated=n_u,
                )
            )
        plan.years[key] = yp
    return yp


# ----------------------------------------------------------------------------- the zone's rows


def _zone_model_rows(cfg: RankingConfig, zone: dict, T: int) -> np.ndarray:
    """(len(ZONE_MODEL_VARIABLES), T) values the zone model produced (fallback where it produced
    none), before offsets."""
    try:
        rows = np.array([zone[k] for k in ZONE_MODEL_VARIABLES], dtype=float)
        if rows.shape == (len(ZONE_MODEL_VARIABLES), T):
            return rows
    except (KeyError, ValueError, TypeError):
        pass
    rows = np.empty((len(ZONE_MODEL_VARIABLES), T))
    fallback = cfg.zone.fallback
    for j, k in enumerate(ZONE_MODEL_VARIABLES):
        if k in zone:
            v = np.asarray(zone[k], dtype=float)
            if v.shape != (T,):
                raise ValueError(f"zone indicator {k!r} has shape {v.shape}; expected ({T},) (one value per year)")
            rows[j] = v
        elif k in fallback:
            rows[j] = fallback[k]
        else:
            raise KeyError(
                f"the zone model produced no {k!r} and ranking.zone.fallback has no value for it; "
                f"add one (with its source) to the scenario"
            )
    return rows


def _zone_years(cfg: RankingConfig, plan: _Plan, zone: dict, zone_base: dict, macro: np.ndarray) -> np.ndarray:
    """(T + 1, n_base) base variables of the zone: the year before the first simulated year, then
    each simulated year."""
    T = len(macro)
    z = cfg.zone
    out = np.empty((T + 1, plan.n_base))
    n0 = len(ZONE_MODEL_VARIABLES)
    out[1:, :n0] = (_zone_model_rows(cfg, zone, T) + plan.offsets).T
    out[0, :n0] = [
        float(zone_base[k]) + off if k in zone_base else prev
        for k, (off, prev) in zip(ZONE_MODEL_VARIABLES, plan.zone_prev, strict=True)
    ]
    for name, col in plan.growth_cols:
        if math.isnan(out[0, col]):
            raise KeyError(
                f"ranking.derived.{name} needs the zone's {BASE_VARIABLES[col]!r} in the year before "
                f"the first simulated year, but zone_base has no such key"
            )
    e, d = plan.province_growth
    trend = plan.province_exp.get(T)
    if trend is None:
        trend = plan.province_exp[T] = np.exp(d * np.arange(1, T + 1))
    out[:, n0] = z.area_km2
    out[:, n0 + 1] = z.accepted_area_share_pct
    out[0, n0 + 2] = z.province_trade_yi
    out[1:, n0 + 2] = z.province_trade_yi * macro**e * trend
    return out


# ----------------------------------------------------------------------------- one data year


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


def _trade_statistics(trade: np.ndarray, n: int, peers: dict) -> None:
    """Fill the trade statistics of ``peers`` from (T, n + 1) trade of the CBZ peers and the zone
    (last): the national CBZ statistics leave the bonded zones out."""
    peer_sorted = np.sort(trade[:, :n], axis=1)
    h = [q * (n - 1) for q in TRADE_QUANTILES]
    lo = [int(x) for x in h]
    hi = [min(i + 1, n - 1) for i in lo]
    below = peer_sorted[:, lo]
    qs = below + np.array([x - i for x, i in zip(h, lo, strict=True)]) * (
        peer_sorted[:, hi] - below
    )  # np.quantile, linear
    for j, k in enumerate(("trade_p10", "trade_p50", "trade_p90")):
        peers[k] = qs[:, j]
    national = np.sort(trade, axis=1)[:, ::-1]  # largest first, each year
    tot = national.sum(axis=1)
    peers["top5_share"] = national[:, :TOP_SMALL].sum(axis=1) / tot
    peers["top30_share"] = national[:, :TOP_LARGE].sum(axis=1) / tot
    peers["trade_total_national"] = tot


# ----------------------------------------------------------------------------- main entry


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
    base_table(pop, np.concatenate([pop.values[None], grow(cfg, pop.values, macro, eps)]), out=units[..., :n_all])
    units[..., n_all] = _zone_years(cfg, plan, zone, zone_base, macro)
    growth_src = plan.derived.growth_src
    seniority_rank = np.full(n_all + 1, n_all, dtype=np.int64)  # 0 = most senior CBZ peer; never-evaluated: n_all
    seniority_rank[np.argsort(-pop.seniority[:n], kind="stable")] = np.arange(n)
    seniority_rank[n : n + n_bonded] = -1  # bonded zones present: always evaluated
    seniority_rank[n_all] = -1  # the zone
    same_region, same_board = board_masks(cfg, pop.central_west, n)  # two boards, three boards

    ind = dict(zip(INDICATORS, np.empty((len(INDICATORS), T)), strict=True))
    var = dict(zip(cfg.variants, np.empty((len(cfg.variants), T)), strict=True))
    peers = dict(zip(PEER_STATS, np.empty((len(PEER_STATS), T)), strict=True))
    for t, yp in enumerate(year_plans):
        ref = cfg.reference_rank_in(years[t])  # each data year's rank target
        n_u = yp.n_units(u_eval)
        ev = np.flatnonzero(
            seniority_rank < n_u - 1 - n_bonded
        )  # the most senior CBZ peers, the bonded zones, the zone
        table = np.concatenate([units[t + 1].take(ev, axis=1), plan.zeros(n_u)])
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
