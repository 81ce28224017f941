"""Differences between scenarios run on the same replications (common random numbers).

Pure functions: per-replication arrays in, numbers and tables out.

Replication r of scenario A and replication r of scenario B share every uncertain parameter and
every random stream, so their hit indicators are paired. The difference of hit probabilities
p_B - p_A gets Newcombe's hybrid score interval for paired proportions (Newcombe 1998, Stat Med
17:2635-2650, method 10): it combines the Wilson intervals of both proportions with the
correlation phi of the paired 2x2 table. Positive correlation - what common random numbers
create - narrows it. With phi = 0 the same formula is Newcombe's interval for two independent
proportions (method 10 of Newcombe 1998, Stat Med 17:873-890), used for independent seeds.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special

from sim.analysis.targets import CI_LEVEL, hits_of, proportion_ci


def paired_table_counts(a: np.ndarray, b: np.ndarray) -> tuple[int, int, int, int]:
    """(both hit, only B hit, only A hit, neither) of two paired boolean arrays."""
    a, b = np.asarray(a, bool), np.asarray(b, bool)
    if a.shape != b.shape:
        raise ValueError("paired arrays must have the same length")
    return (int(np.sum(a & b)), int(np.sum(b & ~a)), int(np.sum(a & ~b)), int(np.sum(~a & ~b)))


def phi_paired(both: int, only_b: int, only_a: int, neither: int) -> float:
    """Correlation of the paired 2x2 table with Newcombe's continuity correction; 0 if a margin is 0."""
    n = both + only_b + only_a + neither
    m = [both + only_b, only_a + neither, both + only_a, only_b + neither]  # B hit, B miss, A hit, A miss
    if min(m) == 0:
        return 0.0
    num: float = both * neither - only_b * only_a
    if num > 0:
        num = max(num - n / 2, 0.0)
    return float(num / math.sqrt(float(m[0]) * m[1] * m[2] * m[3]))


def newcombe_diff_ci(
    k_b: int, n_b: int, k_a: int, n_a: int, phi: float = 0.0, level: float = CI_LEVEL
) -> tuple[float, float]:
    """Interval of p_B - p_A from the two Wilson intervals and their correlation ``phi``."""
    p_b, p_a = k_b / n_b, k_a / n_a
    l_b, u_b = proportion_ci(k_b, n_b, level)
    l_a, u_a = proportion_ci(k_a, n_a, level)
    d = p_b - p_a
    lo2 = (p_b - l_b) ** 2 - 2 * phi * (p_b - l_b) * (u_a - p_a) + (u_a - p_a) ** 2
    hi2 = (u_b - p_b) ** 2 - 2 * phi * (u_b - p_b) * (p_a - l_a) + (p_a - l_a) ** 2
    return max(-1.0, d - math.sqrt(max(lo2, 0.0))), min(1.0, d + math.sqrt(max(hi2, 0.0)))


def paired_diff_ci(hit_a: np.ndarray, hit_b: np.ndarray, level: float = CI_LEVEL) -> tuple[float, float, float]:
    """(p_B - p_A, low, high) for hits paired by replication (Newcombe's method 10)."""
    both, only_b, only_a, neither = paired_table_counts(hit_a, hit_b)
    n = both + only_b + only_a + neither
    phi = phi_paired(both, only_b, only_a, neither)
    lo, hi = newcombe_diff_ci(both + only_b, n, both + only_a, n, phi, level)
    return (only_b - only_a) / n, lo, hi


def independent_diff_ci(hit_a: np.ndarray, hit_b: np.ndarray, level: float = CI_LEVEL) -> tuple[float, float, float]:
    """(p_B - p_A, low, high) for two independent samples (Newcombe's hybrid score, phi = 0)."""
    ka, kb, na, nb = int(np.sum(hit_a)), int(np.sum(hit_b)), len(hit_a), len(hit_b)
    lo, hi = newcombe_diff_ci(kb, nb, ka, na, 0.0, level)
    return kb / nb - ka / na, lo, hi


def mean_diff_ci(
    a: np.ndarray, b: np.ndarray, paired: bool = True, level: float = CI_LEVEL
) -> tuple[float, float, float]:
    """(mean(B) - mean(A), low, high): paired t interval, or Welch's when independent."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if paired:
        d = b - a
        n = len(d)
        m = float(d.mean())
        se = float(d.std(ddof=1) / math.sqrt(n)) if n > 1 else float("nan")
        df = n - 1
    else:
        m = float(b.mean() - a.mean())
        va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        se = math.sqrt(va + vb)
        df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)) if se > 0 else 1
    if not se > 0:
        return m, m, m
    t = special.stdtrit(df, 0.5 + level / 2)  # Student's t quantile: scipy.stats.t.ppf's own function
    return m, m - t * se, m + t * se


COMPARE_COLUMNS = [
    "target_id",
    "indicator",
    "year",
    "op",
    "threshold",
    "unit",
    "active",
    "reference",
    "scenario",
    "paired",
    "n_reps",
    "p_ref",
    "p_ref_low",
    "p_ref_high",
    "p",
    "p_low",
    "p_high",
    "diff",
    "diff_low",
    "diff_high",
    "diff_width",
    "only_scenario_hits",
    "only_ref_hits",
    "p_gt",
    "p_gt_low",
    "p_gt_high",
    "p_lt",
    "p_eq",
    "p_eq_low",
    "p_eq_high",
    "p_better",
    "p_better_low",
    "p_better_high",
    "mean_ref",
    "mean",
    "mean_diff",
    "mean_diff_low",
    "mean_diff_high",
    "same_definition",
]


def compare_targets(
    ref_values: dict[str, np.ndarray],
    values: dict[str, np.ndarray],
    targets_ref: list,
    targets: dict,
    ref_name: str,
    name: str,
    paired: bool = True,
    level: float = CI_LEVEL,
) -> pd.DataFrame:
    """One row per target of the reference: both probabilities, their difference, P(B > A) and
    P(B = A) (ties: a target neither scenario moves has P(B = A) = 1, not "never better").

    ``ref_values[target_id]`` / ``values[target_id]``: per-replication indicator values of the
    target (same replication order when paired). ``targets`` maps target id -> the scenario's own
    TargetSpec (its threshold may differ from the reference's; ``same_definition`` says so)."""
    rows = []
    for t in targets_ref:
        if t.target_id not in targets:
            continue
        tb = targets[t.target_id]
        va, vb = np.asarray(ref_values[t.target_id], float), np.asarray(values[t.target_id], float)
        ha, hb = hits_of(va, t.op, t.threshold), hits_of(vb, tb.op, tb.threshold)
        n = len(ha)
        pa_lo, pa_hi = proportion_ci(int(ha.sum()), n, level)
        pb_lo, pb_hi = proportion_ci(int(hb.sum()), len(hb), level)
        only_b: float
        only_a: float
        if paired:
            d, lo, hi = paired_diff_ci(ha, hb, level)
            _, only_b, only_a, _ = paired_table_counts(ha, hb)
            gt, lt = int(np.sum(vb > va)), int(np.sum(vb < va))
            g_lo, g_hi = proportion_ci(gt, n, level)
            higher_better = t.op in (">", ">=")
            better = gt if higher_better else lt
            bt_lo, bt_hi = proportion_ci(better, n, level)
            e_lo, e_hi = proportion_ci(n - gt - lt, n, level)
            p_gt, p_lt, p_eq, p_better = gt / n, lt / n, (n - gt - lt) / n, better / n
        else:
            d, lo, hi = independent_diff_ci(ha, hb, level)
            only_b = only_a = np.nan
            p_gt = p_lt = p_eq = p_better = g_lo = g_hi = bt_lo = bt_hi = e_lo = e_hi = np.nan
        md, md_lo, md_hi = mean_diff_ci(va, vb, paired and len(va) == len(vb), level)
        rows.append(
            dict(
                **t.columns(),
                reference=ref_name,
                scenario=name,
                paired=paired,
                n_reps=n,
                p_ref=ha.mean(),
                p_ref_low=pa_lo,
                p_ref_high=pa_hi,
                p=hb.mean(),
                p_low=pb_lo,
                p_high=pb_hi,
                diff=d,
                diff_low=lo,
                diff_high=hi,
                diff_width=hi - lo,
                only_scenario_hits=only_b,
                only_ref_hits=only_a,
                p_gt=p_gt,
                p_gt_low=g_lo,
                p_gt_high=g_hi,
                p_lt=p_lt,
                p_eq=p_eq,
                p_eq_low=e_lo,
                p_eq_high=e_hi,
                p_better=p_better,
                p_better_low=bt_lo,
                p_better_high=bt_hi,
                mean_ref=float(va.mean()),
                mean=float(vb.mean()),
                mean_diff=md,
                mean_diff_low=md_lo,
                mean_diff_high=md_hi,
                same_definition=(t.op, t.threshold, t.indicator, t.year)
                == (tb.op, tb.threshold, tb.indicator, tb.year),
            )
        )
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)
