"""The plans of the national evaluation, worked out once per configuration and simulated years.

A replication (:func:`sim.ranking.chunk.rank_replication`, or a chunk of them ranked together) draws
its peers (the concentration of their trade, how many are evaluated, the bonded zones among them),
grows them with its macro index, puts the zone beside them and scores every evaluated zone of each
data year under the method drawn for that year, and under each variant. What depends only on the
configuration and the simulated years is here and cached (:class:`_Plan`, :class:`_YearPlan`,
:class:`_MethodPlan`), with the zone's own rows (:func:`_zone_years`) and reference ranks, so a
replication costs its random draws plus a few array operations per data year."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sim.ranking.config import (
    BASE_VARIABLES,
    ZONE_MODEL_VARIABLES,
    CountSpan,
    RankingConfig,
    count_span,
    per_config,
)
from sim.ranking.kernels import derived_arrays, method_arrays
from sim.ranking.scoring import (
    DerivedPlan,
    FixedPlan,
    Scorer,
    column_names,
    compile_derived,
    compile_fixed,
    compile_method,
)
from sim.vocabulary.outcomes import PEER_STATISTICS, RANKING_INDICATORS

INDICATORS = RANKING_INDICATORS
"""Keys of RankOutput.indicators (defined in sim.vocabulary.outcomes)."""

PEER_STATS = tuple(PEER_STATISTICS)
"""Keys of RankOutput.peers (defined in sim.vocabulary.outcomes)."""


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
    arrays: tuple = ()
    """The same as arrays for the compiled kernel (:func:`sim.ranking.kernels.method_arrays`)."""


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
    derived_arrays: tuple
    bonded: CountSpan
    methods: dict = field(default_factory=dict)
    years: dict = field(default_factory=dict)
    references: dict = field(default_factory=dict)
    province_exp: dict = field(default_factory=dict)


@per_config
def _plan(cfg: RankingConfig) -> _Plan:
    pv = cfg.peers.variables["province_trade"]
    z = cfg.zone
    names = column_names(cfg)
    offsets = [z.offsets.get(k, 0.0) for k in ZONE_MODEL_VARIABLES]
    derived = compile_derived(cfg.derived, names)
    return _Plan(
        names=names,
        n_base=len(BASE_VARIABLES),
        derived=derived,
        province_growth=(pv.macro_elasticity, pv.drift_per_year),
        offsets=np.array(offsets)[:, None],
        zone_prev=[
            (off, z.fallback[k] + off if k in z.fallback else math.nan)
            for k, off in zip(ZONE_MODEL_VARIABLES, offsets, strict=True)
        ],
        growth_cols=[(k, BASE_VARIABLES.index(d.growth_of)) for k, d in cfg.derived.items() if d.growth_of],
        derived_arrays=derived_arrays(derived.levels, derived.growth_rows, derived.growth_src, len(names)),
        bonded=count_span(cfg.peers.bonded_zones),
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
    cols = tuple(np.frombuffer(c, dtype=np.int64) for c in columns)
    fx = compile_fixed(list(fixed.values()))
    mp = plan.methods[mid] = _MethodPlan(
        columns=cols,
        norms=tuple(norm_list),
        fixed=fx,
        jobs=tuple(jobs),
        job_fixed=np.array([j[2] for j in jobs]),
        boards=cfg.methods[mid].boards,
        arrays=method_arrays(cols, tuple(norm_list), tuple(jobs), fx),
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
    each simulated year (:func:`_zone_years_chunk` of one replication)."""
    return _zone_years_chunk(cfg, plan, [zone], [zone_base], np.asarray(macro, dtype=float)[None, :])[0]


def _zone_years_chunk(cfg: RankingConfig, plan: _Plan, zones: list, zone_bases: list, macro: np.ndarray) -> np.ndarray:
    """(B, T + 1, n_base) base variables of the zone in B replications (``zones[b]``,
    ``zone_bases[b]``, ``macro[b]`` (B, T)): the year before the first simulated year, then each
    simulated year."""
    B, T = macro.shape
    z = cfg.zone
    n0 = len(ZONE_MODEL_VARIABLES)
    out = np.empty((B, T + 1, plan.n_base))
    rows = np.array([_zone_model_rows(cfg, zone, T) for zone in zones])
    out[:, 1:, :n0] = (rows + plan.offsets).transpose(0, 2, 1)
    out[:, 0, :n0] = [
        [
            float(base[k]) + off if k in base else prev
            for k, (off, prev) in zip(ZONE_MODEL_VARIABLES, plan.zone_prev, strict=True)
        ]
        for base in zone_bases
    ]
    for name, col in plan.growth_cols:
        if np.isnan(out[:, 0, col]).any():
            raise KeyError(
                f"ranking.derived.{name} needs the zone's {BASE_VARIABLES[col]!r} in the year before "
                f"the first simulated year, but zone_base has no such key"
            )
    e, d = plan.province_growth
    trend = plan.province_exp.get(T)
    if trend is None:
        trend = plan.province_exp[T] = np.exp(d * np.arange(1, T + 1))
    out[:, :, n0] = z.area_km2
    out[:, :, n0 + 1] = z.accepted_area_share_pct
    out[:, 0, n0 + 2] = z.province_trade_yi
    out[:, 1:, n0 + 2] = z.province_trade_yi * macro**e * trend
    return out


# ----------------------------------------------------------------------------- one data year


def _references(cfgs: list, plan: _Plan, years) -> np.ndarray:
    """(T, K) the reference rank (the rank target) of each zone in each data year (cached in the
    first zone's plan, with the configs it was worked out for)."""
    key = (tuple(id(c) for c in cfgs), tuple(years))
    hit = plan.references.get(key)
    if hit is None or any(a is not b for a, b in zip(hit[0], cfgs, strict=True)):
        if len(plan.references) >= 16:
            plan.references.clear()
        refs = np.array([[c.reference_rank_in(y) for c in cfgs] for y in years], dtype=np.int64)
        hit = plan.references[key] = (list(cfgs), refs)
    return hit[1]
