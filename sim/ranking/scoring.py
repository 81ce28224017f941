"""The evaluation score: derived indicators, normalisation rules, weighted groups, bonus, rank.

A table holds, for the zones evaluated in one data year (peers first, the zone last), the base
variables followed by the derived indicators; internally it is indicator-major ``(columns, units)``. Scoring a table under a
method is

    score = sum over indicators of points_i * norm_i(x)  +  bonus  -  deduction

where ``points_i = group points * weight_i / sum of the group's weights`` and ``norm`` maps a
column to [0, 1] across the evaluated zones by the method's rule:

* ``percentile``:   (average rank among the units - 1) / (units - 1); ties share their average;
* ``min_max``:      (x - min) / (max - min);  all equal -> 1;
* ``share_of_max``: max(x, 0) / max(x); no positive value -> 0.

For a "lower is better" indicator percentile and min-max use -x, and share-of-max uses
1 - max(x, 0) / max(x) (the worst zone scores 0). Bonus: each item gives
min(cap_item, points_per_unit * max(x, 0)); the sum is capped. Deduction: points, when the unit's
uniform draw falls below the method's probability.

The rank of a unit is 1 + the number of other units with a strictly higher score (competition
ranking: a tie takes the better rank).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.ranking.config import BASE_VARIABLES, Derived, Method, RankingConfig
from sim.ranking.rowsort import argsort_rows, flat_order, positions

RULES: tuple[str, ...] = ("percentile", "min_max", "share_of_max")


# ----------------------------------------------------------------------------- normalisation
# Internally a table is indicator-major, ``(columns, units)``: rows are contiguous, so sorting and
# reductions run along the last axis.


def _avg_rank(x: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """0-based average ranks along each row of x (k, n), ties sharing their mean rank, times
    ``scale``."""
    k, n = x.shape
    x = np.ascontiguousarray(x, dtype=float)
    order, distinct = argsort_rows(x)
    flat = flat_order(order)
    out = np.empty(k * n)
    if distinct:  # no ties: the rank is the sorted position
        out[flat] = positions(k, n, scale)
        return out.reshape(k, n)
    s = x.ravel()[flat].reshape(k, n)
    idx = np.arange(n)
    new = np.empty(s.shape, bool)
    new[:, 0] = True
    np.not_equal(s[:, 1:], s[:, :-1], out=new[:, 1:])
    if new.all():
        out[flat] = positions(k, n, scale)
        return out.reshape(k, n)
    start = np.maximum.accumulate(np.where(new, idx, 0), axis=1)
    last = np.empty(s.shape, bool)
    last[:, -1] = True
    last[:, :-1] = new[:, 1:]
    end = np.minimum.accumulate(np.where(last, idx, n)[:, ::-1], axis=1)[:, ::-1]
    out[flat] = (0.5 * (start + end) * scale).ravel()
    return out.reshape(k, n)


def normalise_rows(x: np.ndarray, rule: str, lower: np.ndarray) -> np.ndarray:
    """Score in [0, 1] of each row of x (k indicators, n units) across its units."""
    n = x.shape[1]
    flip = lower.any()
    lw = lower[:, None]  # read only when flip
    if rule == "percentile":
        if n < 2:
            return np.ones_like(x)
        return _avg_rank(np.where(lw, -x, x) if flip else x, 1.0 / (n - 1))
    if rule == "min_max":
        y = np.where(lw, -x, x) if flip else x
        lo = y.min(axis=1, keepdims=True)
        span = y.max(axis=1, keepdims=True) - lo
        ok = span > 0
        if ok.all():
            return (y - lo) / span
        return np.where(ok, (y - lo) / np.where(ok, span, 1.0), 1.0)
    if rule == "share_of_max":
        xp = np.maximum(x, 0.0)
        mx = xp.max(axis=1, keepdims=True)
        ok = mx > 0
        share = xp / mx if ok.all() else xp / np.where(ok, mx, 1.0)
        return np.where(lw, np.where(ok, 1.0 - share, 1.0), share) if flip else share
    raise ValueError(f"unknown normalisation rule {rule!r}; expected one of {RULES}")


def normalise(x, rule: str, lower=None) -> np.ndarray:
    """Column-wise score in [0, 1] of x (units, k) -- or of a single column (units,) -- under
    ``rule``; ``lower[j]`` marks "lower is better" columns."""
    x = np.asarray(x, dtype=float)
    one = x.ndim == 1
    xt = np.ascontiguousarray((x[:, None] if one else x).T)
    lw = np.zeros(xt.shape[0], bool) if lower is None else np.atleast_1d(np.asarray(lower, bool))
    out = normalise_rows(xt, rule, lw).T
    return out[:, 0] if one else out


# ----------------------------------------------------------------------------- derived indicators


def column_names(cfg: RankingConfig) -> list[str]:
    """Columns of a table: base variables, then derived indicators in file order."""
    return [*BASE_VARIABLES, *cfg.derived]


@dataclass(frozen=True)
class DerivedPlan:
    """Derived indicators compiled into a few matrix products, level by level.

    Level l holds the linear indicators whose terms are base variables or indicators of earlier
    levels: ``table[rows] = coef @ table`` (then divided by ``table[div]`` where div >= 0).
    Growth indicators come last: ``100 * (table[src] / prev[src] - 1)``."""

    levels: tuple  # of (rows, coef (len(rows), n_cols), local rows divided, divisor rows)
    growth_rows: np.ndarray
    growth_src: np.ndarray


def compile_derived(derived: dict[str, Derived], names: list[str]) -> DerivedPlan:
    col = {k: i for i, k in enumerate(names)}
    level: dict[str, int] = dict.fromkeys(BASE_VARIABLES, 0)
    by_level: dict[int, list[str]] = {}
    for name, d in derived.items():
        if d.growth_of:
            continue
        deps = [*d.terms, *([d.divide_by] if d.divide_by else [])]
        level[name] = 1 + max(level[k] for k in deps)
        by_level.setdefault(level[name], []).append(name)
    levels = []
    for lv in sorted(by_level):
        members = by_level[lv]
        coef = np.zeros((len(members), len(names)))
        for i, name in enumerate(members):
            for k, c in derived[name].terms.items():
                coef[i, col[k]] += c
        local = np.array([i for i, m in enumerate(members) if derived[m].divide_by], dtype=int)
        div = np.array([col[derived[members[i]].divide_by] for i in local], dtype=int)
        levels.append((np.array([col[m] for m in members]), coef, local, div))
    growth = [(col[k], col[d.growth_of]) for k, d in derived.items() if d.growth_of]
    return DerivedPlan(
        levels=tuple(levels),
        growth_rows=np.array([g[0] for g in growth], dtype=int),
        growth_src=np.array([g[1] for g in growth], dtype=int),
    )


def compute_derived(plan: DerivedPlan, table: np.ndarray, prev: np.ndarray) -> None:
    """Fill the derived rows of ``table`` (columns, units) in place; derived rows must start at 0.

    ``prev`` (len(plan.growth_src), units) holds the growth indicators' source variables
    (``plan.growth_src``) for the same units in the previous year; a growth from a value <= 0,
    and a division by a value <= 0, give 0."""
    for rows, coef, local, div in plan.levels:
        v = coef @ table
        if len(local) == len(rows):  # every indicator of the level is divided
            v = _divide_positive(v, table[div], 0.0)
        elif len(local):
            v[local] = _divide_positive(v[local], table[div], 0.0)
        table[rows] = v
    if len(plan.growth_rows):
        g = _divide_positive(table[plan.growth_src], prev, 1.0)
        table[plan.growth_rows] = 100.0 * (g - 1.0)


def _divide_positive(a: np.ndarray, b: np.ndarray, otherwise: float) -> np.ndarray:
    """a / b where b > 0, ``otherwise`` elsewhere."""
    ok = b > 0
    if ok.all():
        return a / b
    return np.divide(a, b, out=np.full_like(b, otherwise), where=ok)


# ----------------------------------------------------------------------------- compiled methods


@dataclass(frozen=True)
class Scorer:
    """A method (possibly changed by a variant) turned into arrays over the table columns."""

    rule: str
    cols: np.ndarray  # table columns of the quantitative indicators
    points: np.ndarray  # points of each (sum = the method's quantitative maximum)
    lower: np.ndarray  # bool, lower is better
    bonus_cols: np.ndarray
    bonus_ppu: np.ndarray
    bonus_caps: np.ndarray
    bonus_cap: float
    deduction_prob: float
    deduction_points: float


def compile_method(
    method: Method, names: list[str], rule: str | None = None, group_points: dict[str, float] | None = None
) -> Scorer:
    """Arrays for scoring ``method`` over a table with columns ``names``; ``rule`` and
    ``group_points`` replace the method's normalisation and group points (variants)."""
    col = {k: i for i, k in enumerate(names)}
    pts: dict[str, float] = {}
    low: dict[str, bool] = {}
    gp = group_points or {}
    for gid, g in method.groups.items():
        total_w = sum(w.weight for w in g.indicators.values())
        points = gp.get(gid, g.points)
        for k, w in g.indicators.items():
            if k in low and low[k] != (w.direction == "lower"):
                raise ValueError(f"indicator {k!r} has two directions in one method")
            pts[k] = pts.get(k, 0.0) + points * w.weight / total_w
            low[k] = w.direction == "lower"
    b = method.bonus
    return Scorer(
        rule=rule or method.normalisation,
        cols=np.array([col[k] for k in pts], dtype=int),
        points=np.array(list(pts.values())),
        lower=np.array([low[k] for k in pts], dtype=bool),
        bonus_cols=np.array([col[k] for k in b.items], dtype=int),
        bonus_ppu=np.array([i.points_per_unit for i in b.items.values()]),
        bonus_caps=np.array([i.cap_points for i in b.items.values()]),
        bonus_cap=b.cap_points,
        deduction_prob=method.deduction.prob_per_year,
        deduction_points=method.deduction.points,
    )


@dataclass(frozen=True)
class FixedPlan:
    """The bonus and deduction of several scorers stacked into one set of arrays: bonus items of
    scorer i are rows ``segments[i]`` of ``cols`` / ``ppu`` / ``caps``; ``cap``, ``deduction_prob``
    and ``deduction_points`` hold one value per scorer."""

    cols: np.ndarray
    ppu: np.ndarray
    caps: np.ndarray
    segments: tuple
    cap: np.ndarray
    deduction_prob: np.ndarray
    deduction_points: np.ndarray


def compile_fixed(scorers) -> FixedPlan:
    """The FixedPlan of ``scorers`` (in that order)."""
    ends = np.cumsum([len(sc.bonus_cols) for sc in scorers])
    return FixedPlan(
        cols=np.concatenate([sc.bonus_cols for sc in scorers]),
        ppu=np.concatenate([sc.bonus_ppu for sc in scorers])[:, None],
        caps=np.concatenate([sc.bonus_caps for sc in scorers])[:, None],
        segments=tuple(slice(int(e - len(sc.bonus_cols)), int(e)) for sc, e in zip(scorers, ends, strict=True)),
        cap=np.array([sc.bonus_cap for sc in scorers]),
        deduction_prob=np.array([sc.deduction_prob for sc in scorers])[:, None],
        deduction_points=np.array([sc.deduction_points for sc in scorers])[:, None],
    )


def fixed_points_many(fp: FixedPlan, table: np.ndarray, deduction_u: np.ndarray | None) -> np.ndarray:
    """(scorers, units) bonus minus deduction of every unit under each scorer of ``fp``: the part
    of the score that needs no normalisation. Each item gives min(cap, points per unit * max(x,
    0)); the items' sum is capped; the deduction applies where the unit's uniform is below the
    probability (a scorer without deduction points loses exactly 0)."""
    out = np.zeros((len(fp.segments), table.shape[1]))
    if len(fp.cols):
        raw = np.minimum(fp.ppu * np.maximum(table[fp.cols], 0.0), fp.caps)
        for i, seg in enumerate(fp.segments):
            if seg.stop > seg.start:
                np.minimum(raw[seg].sum(axis=0), fp.cap[i], out=out[i])
    if deduction_u is not None and fp.deduction_points.any():
        out -= fp.deduction_points * (deduction_u < fp.deduction_prob)
    return out


def fixed_points(sc: Scorer, table: np.ndarray, deduction_u: np.ndarray | None) -> np.ndarray:
    """Bonus minus deduction of every unit under one scorer (see :func:`fixed_points_many`)."""
    return fixed_points_many(compile_fixed([sc]), table, deduction_u)[0]


def score(
    sc: Scorer,
    table: np.ndarray,
    deduction_u: np.ndarray | None = None,
    normalised: np.ndarray | None = None,
    fixed: np.ndarray | None = None,
) -> np.ndarray:
    """Total score of every unit of ``table`` (columns, units).

    ``deduction_u``: one uniform number per unit (None: no deduction). ``normalised``: the
    already-normalised rows ``sc.cols``; ``fixed``: :func:`fixed_points` (both let variants
    share work)."""
    if normalised is None:
        normalised = normalise_rows(table[sc.cols], sc.rule, sc.lower)
    if fixed is None:
        fixed = fixed_points(sc, table, deduction_u)
    return sc.points @ normalised + fixed


def score_table(
    method: Method,
    table: dict[str, np.ndarray],
    rule: str | None = None,
    group_points: dict[str, float] | None = None,
    deduction_u: np.ndarray | None = None,
) -> np.ndarray:
    """Score a hand-made table {indicator: values per unit} under ``method`` (for checks and tests).

    The table must hold every indicator the method uses; no derivation is done."""
    names = method.indicator_names()
    missing = [k for k in names if k not in table]
    if missing:
        raise KeyError(f"table lacks indicator(s) {missing} used by the method")
    m = np.vstack([np.asarray(table[k], dtype=float) for k in names])
    return score(compile_method(method, names, rule, group_points), m, deduction_u)


def rank_of(scores: np.ndarray, i: int = -1, among: np.ndarray | None = None) -> int:
    """Competition rank (1 = best) of unit ``i``; ``among`` (bool) restricts the competitors."""
    s = np.asarray(scores)
    mine = s[i]
    better = s > mine
    if among is not None:
        better &= np.asarray(among, bool)
    return 1 + int(better.sum())
