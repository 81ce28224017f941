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
- the what-if's growth columns (``sim.studio.growth_cells``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.targets import hits_of, target_specs
from sim.experiment import compare as _compare
from sim.studio.anchored import anchored_p, wilson
from sim.studio.growth_cells import with_growth

QUANTILES = (10, 50, 90)


def answer_table(base, res) -> pd.DataFrame:
    """The table for the base's Results ``base`` (N replications) and the what-if's ``res`` (its
    first n <= N, same seed)."""
    specs = target_specs(base._scenario.scenario)
    mine = {t.target_id: t for t in target_specs(res._scenario.scenario)}
    assert base.raw is not None and res.raw is not None
    base_vals = _compare.target_values(base.raw, specs)
    vals = _compare.target_values(res.raw, list(mine.values()))
    rows = []
    for t in specs:
        if t.target_id not in mine:
            continue
        tb = mine[t.target_id]
        x_all = hits_of(base_vals[t.target_id], t.op, t.threshold)
        y = hits_of(vals[t.target_id], tb.op, tb.threshold)
        a = anchored_p(x_all, y)
        own_low, own_high = wilson(int(y.sum()), len(y))
        q, qb = np.percentile(vals[t.target_id], QUANTILES), np.percentile(base_vals[t.target_id], QUANTILES)
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
            )
        )
    return with_growth(pd.DataFrame(rows), res.targets())
