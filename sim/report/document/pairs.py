"""The pack's scenario comparisons as differences of P(hit), paired by replication where the two
folders were run on the same replications (same seed and count: common random numbers), from the
folders' indicators.csv, with the intervals of :mod:`sim.analysis.paired`.

Folders with different seeds or counts are compared as independent samples (and say so); a
folder without indicators.csv cannot be compared target by target and yields no rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.paired import compare_targets
from sim.analysis.targets import TargetSpec
from sim.results import Results


def is_paired(ref: Results, other: Results) -> bool:
    """Whether replication r of both folders shares its random numbers (same seed and count)."""
    return str(ref.seed) == str(other.seed) and ref.reps == other.reps


def _specs(res: Results) -> list[TargetSpec]:
    t = res.targets()
    return [
        TargetSpec(
            r["target_id"],
            r["indicator"],
            int(r["year"]),
            r["op"],
            float(r["threshold"]),
            r["unit"],
            r["source"],
            bool(r["active"]),
        )
        for _, r in t.iterrows()
    ]


def _values(ind: pd.DataFrame, specs: list[TargetSpec]) -> dict[str, np.ndarray]:
    out = {}
    for t in specs:
        v = ind[(ind["indicator"] == t.indicator) & (ind["year"] == t.year)].sort_values("rep", kind="stable")
        if len(v):
            out[t.target_id] = v["value"].to_numpy(dtype=float)
    return out


def pair_table(ref: Results, other: Results) -> pd.DataFrame:
    """One row per active target of ``ref`` that both folders hold: P(hit) of each, the difference
    ``diff`` = P(other) - P(ref) with its 95% interval (``diff_low``, ``diff_high``) and
    ``paired``; targets in ``ref``'s order. Empty when either folder has no indicators.csv."""
    ind_ref, ind_other = ref.indicators, other.indicators
    if ind_ref is None or ind_other is None:
        return pd.DataFrame(columns=["target_id", "year", "diff", "diff_low", "diff_high", "paired"])
    specs = [t for t in _specs(ref) if t.active]
    theirs = {t.target_id: t for t in _specs(other)}
    va, vb = _values(ind_ref, specs), _values(ind_other, list(theirs.values()))
    specs = [t for t in specs if t.target_id in va and t.target_id in vb]
    paired = is_paired(ref, other)
    return compare_targets(va, vb, specs, theirs, ref.scenario_name, other.scenario_name, paired=paired)
