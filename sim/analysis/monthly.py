"""Monthly paths: year-to-date fans and the probability a target is already reached by a month.

Flows (trade, output, FDI) accumulate within each calendar year; stocks (employees, firms
active so far this year, development rate, completions) are read as they are. In December the
year-to-date value equals the yearly indicator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.targets import TargetSpec, hits_of, proportion_ci
from sim.months import month_labels
from sim.vocabulary.outcomes import FLOW_INDICATORS

FAN_QUANTILES = (2.5, 10, 25, 50, 75, 90, 97.5)
FAN_COLUMNS = ["indicator", "month", "mean"] + [f"p{str(q).replace('.', '_')}" for q in FAN_QUANTILES]


def year_to_date(series: np.ndarray, indicator: str) -> np.ndarray:
    """series[rep, month] (months from a January) -> year-to-date values."""
    if indicator not in FLOW_INDICATORS:
        return series
    n, h = series.shape
    return np.cumsum(series.reshape(n, h // 12, 12), axis=2).reshape(n, h)


def fan_table(monthly, names: list[str], start: str) -> pd.DataFrame:
    """Quantiles of the year-to-date value of each monthly indicator, month by month.

    ``monthly(name)`` returns values[rep, month]."""
    rows = []
    for name in names:
        ytd = np.ascontiguousarray(year_to_date(monthly(name), name))
        q = np.percentile(_sorted_months(ytd), FAN_QUANTILES, axis=1)
        mean = ytd.mean(axis=0)
        for k, label in enumerate(month_labels(start, ytd.shape[1])):
            rows.append([name, label, mean[k], *q[:, k]])
    return pd.DataFrame(rows, columns=FAN_COLUMNS)


def _sorted_months(ytd: np.ndarray) -> np.ndarray:
    """[month, rep] with each month's values sorted. ``np.percentile`` finds the order statistics
    it interpolates by partitioning; on values already sorted, one contiguous sort per month, it
    finds the same ones (the same numbers) in about half the time of partitioning the replications'
    strided axis."""
    out = np.ascontiguousarray(ytd.T)
    out.sort(axis=1)
    return out


def time_to_target(monthly, names: list[str], targets: list[TargetSpec], start: str) -> pd.DataFrame:
    """For each target with a monthly indicator: by each month of its year, P(already reached)."""
    rows = []
    labels = month_labels(start, 0)
    y0 = int(start[:4])
    for t in targets:
        if t.indicator not in names:
            continue
        ytd = year_to_date(monthly(t.indicator), t.indicator)
        labels = month_labels(start, ytd.shape[1])
        first = (t.year - y0) * 12
        hits = np.count_nonzero(hits_of(ytd[:, first : first + 12], t.op, t.threshold), axis=0).tolist()
        n = len(ytd)
        for k, h in zip(range(first, first + 12), hits, strict=True):
            rows.append([t.target_id, labels[k], n, h / n, *proportion_ci(h, n)])
    return pd.DataFrame(rows, columns=["target_id", "month", "n_reps", "p_reached", "ci_low", "ci_high"])
