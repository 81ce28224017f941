"""Year-on-year growth of a target's indicator, and the growth real zones have shown.

The model's growth: for a target of year Y, value(Y) / value(Y - 1) - 1 in every replication,
where value(Y - 1) is the base year's value when Y is the first simulated year (indicators.csv
carries the base year's rows). Its 10/50/90% quantiles go into summary.csv beside the growth the
target needs, and ``growth_needed_yearly`` states that need per year (the growth needed over the
base year, spread evenly over the years up to Y), so that both read on the same scale as the
reference band.

The reference band: the 10-90% range of the yearly total-trade growth observed in the zone-years of
``scenarios/catalogue/reference_growth.csv`` (data, one row per zone-year with its source;
``bench/reference_growth.py`` builds it from the facts files). The band is as thin as that table:
:class:`Band` carries the number of zone-years and of distinct zones so that every output can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from sim.vocabulary.outcomes import OUTCOMES

REFERENCE_GROWTH = Path(__file__).resolve().parents[2] / "scenarios" / "catalogue" / "reference_growth.csv"
"""Observed yearly trade growth of zone-years, one row each with its source (data, not code)."""
BAND_QUANTILES = (0.10, 0.90)
"""The reference band: these quantiles of the observed growth (linear interpolation)."""
YOY_COLUMNS = ["yoy_growth_p10", "yoy_growth_p50", "yoy_growth_p90"]
"""summary.csv's columns of the model's year-on-year growth (quantiles over replications)."""


def yoy_values(column, base, indicator: str, year: int, years: list[int]) -> np.ndarray | None:
    """value(year) / value(year - 1) - 1 per replication, NaN where value(year - 1) is not positive.

    ``column(indicator, year)`` and ``base(indicator)`` as in :func:`sim.analysis.targets.summarise`.
    None for an indicator without a base-year value (a project, a leader count, the rank) or that
    is neither a flow nor a stock."""
    o = OUTCOMES.get(indicator)
    if o is None or o.kind not in ("flow", "stock") or base is None:
        return None
    b = base(indicator)
    if b is None or year not in years:
        return None
    if year == years[0]:
        prev = np.asarray(b, float)
    elif year - 1 in years:
        prev = np.asarray(column(indicator, year - 1), float)
    else:
        return None
    v = np.asarray(column(indicator, year), float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(prev > 0, v / prev - 1, np.nan)


def yoy_quantiles(g: np.ndarray | None) -> list[float]:
    """10/50/90% of the replications' growth (those with a positive previous value); NaN if none."""
    if g is None:
        return [np.nan] * 3
    g = g[np.isfinite(g)]
    return [float(x) for x in np.percentile(g, [10, 50, 90])] if len(g) else [np.nan] * 3


def needed_per_year(growth_needed: float, year: int, base_year: int) -> float:
    """The growth a year that takes the base year's value to the threshold by ``year`` at an even pace."""
    k = year - base_year
    if not np.isfinite(growth_needed) or k < 1 or growth_needed <= -1:
        return np.nan
    return float((1 + growth_needed) ** (1 / k) - 1)


@dataclass(frozen=True)
class Band:
    """The reference band: ``low``/``median``/``high`` the 10/50/90% quantiles of the observed
    growth, ``lowest``/``highest`` its extremes, ``n`` zone-years from ``zones`` distinct zones or
    zone groups, ``single`` of them single zones (the rest national or provincial totals), years
    ``first``-``last``."""

    low: float
    median: float
    high: float
    lowest: float
    highest: float
    n: int
    zones: int
    single: int
    first: int
    last: int

    def position(self, growth: float) -> str:
        """Where a yearly growth falls: "above_all" (above every observed zone-year), "above_band",
        "in_band", "below_band" or "" (no growth to place)."""
        if growth is None or not np.isfinite(growth):
            return ""
        if growth > self.highest:
            return "above_all"
        if growth > self.high:
            return "above_band"
        return "below_band" if growth < self.low else "in_band"


def reference_table(path: Path = REFERENCE_GROWTH) -> pd.DataFrame:
    return pd.read_csv(path, comment="#")


def band_of(table: pd.DataFrame) -> Band:
    """The band of a reference table (columns ``scope``, ``kind``, ``year``, ``growth``)."""
    g = table["growth"].astype(float).to_numpy()
    lo, med, hi = np.quantile(g, [BAND_QUANTILES[0], 0.5, BAND_QUANTILES[1]])
    return Band(
        float(lo),
        float(med),
        float(hi),
        float(g.min()),
        float(g.max()),
        len(g),
        int(table["scope"].nunique()),
        int((table["kind"] == "zone").sum()),
        int(table["year"].min()),
        int(table["year"].max()),
    )


@cache
def reference_band(path: Path = REFERENCE_GROWTH) -> Band:
    """The band of the shipped reference table (read once)."""
    return band_of(reference_table(path))


def band_applies(indicator: str) -> bool:
    """The band is observed total trade: it is set beside total-trade targets only."""
    return indicator == "trade_total"
