"""Ranking tables: what "top 60" takes, and how much of P(top 60) is assumption.

Pure functions over the yearly indicators of a run (``column(indicator, year)``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.targets import proportion_ci

PEER_COLUMNS = ["year", "statistic", "mean", "p10", "p50", "p90"]
RANKING_COLUMNS = [
    "year",
    "measure",
    "variant",
    "description",
    "n_reps",
    "p",
    "ci_low",
    "ci_high",
    "rank_p10",
    "rank_p50",
    "rank_p90",
]


def peers_table(column, names: list[str], years: list[int]) -> pd.DataFrame:
    """The simulated peer population per year (across replications): trade quantiles, top-5 and
    top-30 shares of national CBZ trade, and the trade and score of the zone at the reference rank."""
    rows = []
    for y in years:
        for n in names:
            if n.startswith("peers_"):
                v = column(n, y)
                q = np.percentile(v, [10, 50, 90])
                rows.append([y, n.removeprefix("peers_"), float(v.mean()), *q])
    return pd.DataFrame(rows, columns=PEER_COLUMNS)


def method_mixture(ranking, year: int) -> str:
    """The methods that may score data year ``year``, with their probabilities, in words."""
    w = ranking.method_weights(year)
    if len(w) == 1:
        return f"method {next(iter(w))}"
    return "method drawn per replication: " + " / ".join(f"{m} {p:.0%}" for m, p in w.items())


def ranking_table(column, ranking, years: list[int]) -> pd.DataFrame:
    """Per year: P(rank <= the year's reference rank) under the main method (each replication's method drawn
    from the year's probabilities, so the hits are a plain binomial) and under every variant (the
    same peers and zone re-scored; the ``method_<id>`` variants give the per-method breakdown), and
    P(class A), each with its 95% Wilson interval."""
    rows = []
    for y in years:
        ref = ranking.reference_rank_in(y)  # each data year's rank target names its measures

        def row(measure, variant, desc, hits, ranks, y=y):
            n, k = len(hits), int(hits.sum())
            lo, hi = proportion_ci(k, n)
            q = np.percentile(ranks, [10, 50, 90])
            rows.append([y, measure, variant, desc, n, k / n, lo, hi, *q])

        r = column("rank", y)
        main = f"{method_mixture(ranking, y)}, default normalisation"
        row(f"rank<={ref}", "main", main, r <= ref, r)
        row("class_a", "main", f"top {ranking.class_a_share:.0%} of evaluated zones", column("class_a", y) > 0.5, r)
        rb = column("rank_regional", y)
        boards = "; ".join(f"{m}: {ranking.methods[m].boards} boards" for m in ranking.method_weights(y))
        row(f"board_rank<={ref}", "main", f"rank on the zone's regional board ({boards})", rb <= ref, rb)
        for vid, v in ranking.variants.items():
            rv = column(f"rank_variant_{vid}", y)
            row(f"rank<={ref}", vid, v.description, rv <= ref, rv)
    return pd.DataFrame(rows, columns=RANKING_COLUMNS)
