"""The studio's answer table: the base on all its replications, the what-if anchored on it, the
paired difference, and the value each target is about.

One row per target of the base (its ``TargetSpec.columns()``), then:

- ``n_reps``, ``n_base``: the what-if's replications n and the base's N (N >= n);
- ``p_ref``, ``p_ref_low``, ``p_ref_high``: the base's P(hit) over its N replications (Wilson);
- ``p``, ``p_low``, ``p_high``, ``p_se``: the what-if's anchored P(hit) (:mod:`sim.studio.anchored`);
- ``p_own``, ``p_own_low``, ``p_own_high``: the what-if's own proportion of its n replications
  (what ``sim.run(what_if, reps=n)`` reports), Wilson;
- ``diff``, ``diff_low``, ``diff_high``: the paired difference of the first n (Newcombe);
- ``p10``, ``p50``, ``p90`` and ``base_p10``, ``base_p50``, ``base_p90``: the target's value
  (its indicator in its year) over the what-if's and the base's replications;
- the what-if's growth columns, as summary.csv has them (``base``, ``growth_needed``,
  ``growth_needed_yearly``, ``yoy_growth_p10/p50/p90``), computed here for the targets only
  (the summary's own would also compute every interval again, at each step of the page).

The base's side of the table (its targets' values, hits and quantiles over N replications) is
the same at every step of a what-if while N stays: :func:`base_side` computes it once and
:func:`answer_table` takes it (quantiles of 40,000 values for every target cost more than the
rest of a step).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.growth import YOY_COLUMNS, needed_per_year, yoy_quantiles, yoy_values
from sim.analysis.targets import hits_of, proportion_ci, target_specs
from sim.experiment import compare as _compare
from sim.studio.anchored import anchored_p

QUANTILES = (10, 50, 90)


@dataclass(frozen=True)
class BaseSide:
    """The base's part of the table over its N replications: its targets, and per target id the
    hits of every replication and the value's quantiles (``QUANTILES``)."""

    n: int
    specs: list
    hits: dict[str, np.ndarray]
    quantiles: dict[str, np.ndarray]


def base_side(base) -> BaseSide:
    """The base's side of :func:`answer_table` for its Results ``base``."""
    specs = target_specs(base._scenario.scenario)
    assert base.raw is not None
    vals = _compare.target_values(base.raw, specs)
    return BaseSide(
        len(base.raw.reps),
        specs,
        {t.target_id: hits_of(vals[t.target_id], t.op, t.threshold) for t in specs},
        {t.target_id: np.percentile(vals[t.target_id], QUANTILES) for t in specs},
    )


def answer_table(base, res, side: BaseSide | None = None) -> pd.DataFrame:
    """The table for the base's Results ``base`` (N replications) and the what-if's ``res`` (its
    first n <= N, same seed); ``side``: :func:`base_side` of ``base`` when the caller keeps it."""
    side = side or base_side(base)
    mine = {t.target_id: t for t in target_specs(res._scenario.scenario)}
    assert res.raw is not None
    vals = _compare.target_values(res.raw, list(mine.values()))
    rows = []
    for t in side.specs:
        if t.target_id not in mine:
            continue
        tb = mine[t.target_id]
        x_all = side.hits[t.target_id]
        y = hits_of(vals[t.target_id], tb.op, tb.threshold)
        a = anchored_p(x_all, y)
        own_low, own_high = proportion_ci(int(y.sum()), len(y))
        q, qb = np.percentile(vals[t.target_id], QUANTILES), side.quantiles[t.target_id]
        start = res.raw.base(tb.indicator)
        start_med = float(np.median(start)) if start is not None and len(start) else np.nan
        need = tb.threshold / start_med - 1 if start_med > 0 else np.nan
        yoy = yoy_quantiles(yoy_values(res.raw.column, res.raw.base, tb.indicator, tb.year, res.raw.years))
        rows.append(
            dict(
                **t.columns(),
                n_reps=a.n,
                n_base=a.n_base,
                p_ref=a.p_base,
                p_ref_low=a.base_low,
                p_ref_high=a.base_high,
                p=a.p,
                p_low=a.low,
                p_high=a.high,
                p_se=a.se,
                p_own=float(y.mean()),
                p_own_low=own_low,
                p_own_high=own_high,
                diff=a.diff,
                diff_low=a.diff_low,
                diff_high=a.diff_high,
                **{f"p{k}": float(v) for k, v in zip(QUANTILES, q, strict=True)},
                **{f"base_p{k}": float(v) for k, v in zip(QUANTILES, qb, strict=True)},
                base=start_med,
                growth_needed=need,
                growth_needed_yearly=needed_per_year(need, tb.year, res.raw.years[0] - 1),
                **dict(zip(YOY_COLUMNS, yoy, strict=True)),
            )
        )
    return pd.DataFrame(rows)
