"""Scores of probabilistic forecasts against what was observed: CRPS, PIT histogram, coverage.

Pure numerics: an ensemble (or a table of scored points, one row per compared value with its
``pit``, ``in50``/``in80``/``in95`` and ``crps``/``crps_unconditioned`` columns) in, tables out.
CRPS (continuous ranked probability score) is ``mean|x - y| - mean|x - x'| / 2`` for ensemble x
and observation y; the PIT is uniform on [0, 1] and every interval covers its nominal share
when the forecasts are calibrated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.targets import proportion_ci

LEVELS = (50, 80, 95)
"""Central intervals (percent) whose coverage is scored."""
PIT_BINS = 10
"""Bins of the PIT histogram."""


def crps_ensemble(x: np.ndarray, y: float) -> float:
    """CRPS of the empirical distribution of ensemble x at observation y."""
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    i = np.arange(1, n + 1)
    spread = 2.0 * np.sum((2 * i - n - 1) * x) / n**2  # E|X - X'|
    return float(np.mean(np.abs(x - y)) - 0.5 * spread)


def randomised_pit(x: np.ndarray, y: float, u: float) -> float:
    """PIT of observation y under ensemble x, randomised between F(y-) and F(y) by ``u`` in [0, 1)
    where the ensemble has ties."""
    lo, hi = np.mean(x < y), np.mean(x <= y)
    return float(lo + u * (hi - lo))


def coverage_table(points: pd.DataFrame) -> pd.DataFrame:
    """Per nominal level: how many scored points fell inside the central interval, with a Wilson interval."""
    rows = []
    for lv in LEVELS:
        col = points[f"in{lv}"]
        n, k = len(col), int(col.sum())
        lo, hi = proportion_ci(k, n)
        rows.append([lv / 100, n, k, k / n if n else float("nan"), lo, hi])
    return pd.DataFrame(rows, columns=["nominal", "n", "covered", "coverage", "ci_low", "ci_high"])


def pit_histogram(points: pd.DataFrame, bins: int = PIT_BINS) -> pd.DataFrame:
    """Counts and shares of the PIT values in equal bins of [0, 1], with the share a calibrated forecast expects."""
    edges = np.linspace(0, 1, bins + 1)
    counts, _ = np.histogram(points["pit"], bins=edges)
    n = max(len(points), 1)
    return pd.DataFrame(
        {
            "bin_low": edges[:-1],
            "bin_high": edges[1:],
            "count": counts,
            "share": counts / n,
            "expected_share": np.full(bins, 1.0 / bins),
        }
    )


def score_table(points: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: mean CRPS, its skill against the unconditioned forecast, PIT mean and coverages."""
    rows = []
    for ind, d in points.groupby("indicator", sort=False):
        c, c0 = d["crps"].mean(), d["crps_unconditioned"].mean()
        rows.append(
            [
                ind,
                len(d),
                c,
                c0,
                1 - c / c0 if c0 > 0 else float("nan"),
                d["pit"].mean(),
                d["in50"].mean(),
                d["in80"].mean(),
                d["in95"].mean(),
            ]
        )
    return pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "n",
            "crps",
            "crps_unconditioned",
            "crps_skill",
            "pit_mean",
            "coverage50",
            "coverage80",
            "coverage95",
        ],
    )
