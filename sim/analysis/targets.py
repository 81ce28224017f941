"""Probability of each target, with its interval, and plan-consistency warnings (as records).

Pure functions: indicator arrays and targets in, tables out.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from sim.analysis.growth import YOY_COLUMNS, needed_per_year, yoy_quantiles, yoy_values
from sim.vocabulary.outcomes import TRADE_COMPONENTS

OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
CI_LEVEL = 0.95
SUMMARY_COLUMNS = [
    "target_id",
    "indicator",
    "year",
    "op",
    "threshold",
    "unit",
    "source",
    "active",
    "n_reps",
    "hits",
    "p_hit",
    "ci_low",
    "ci_high",
    "mean",
    "p10",
    "p50",
    "p90",
    "base",
    "growth_needed",
    "growth_needed_yearly",
    *YOY_COLUMNS,
    "note",
]


def proportion_ci(hits: int, n: int, level: float = CI_LEVEL) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion, two-sided at ``level``.

    The numbers of ``scipy.stats.binomtest(hits, n).proportion_ci(level, method="wilson")``, bit
    for bit: its formula (Newcombe 1998), in its order of operations, with its normal quantile
    (``scipy.special.ndtri``), without the test's p-value and without importing ``scipy.stats``,
    which takes a run's main process most of a second (tests/test_special_quantiles.py compares them)."""
    if n == 0:
        return float("nan"), float("nan")
    k, n = int(hits), int(n)
    if not 0 <= k <= n:
        raise ValueError(f"hits must be in [0, n]: got {k} of {n}")
    p = k / n
    z = special.ndtri(0.5 + 0.5 * level)
    denom = 2 * (n + z**2)
    center = (2 * n * p + z**2) / denom
    delta = z / denom * math.sqrt(4 * n * p * (1 - p) + z**2)
    low = 0.0 if k == 0 else center - delta
    high = 1.0 if k == n else center + delta
    return float(low), float(high)


def hits_of(values: np.ndarray, op: str, threshold: float) -> np.ndarray:
    return OPS[op](values, threshold)


@dataclass(frozen=True)
class TargetSpec:
    """What the analysis needs of a target (decoupled from the scenario schema)."""

    target_id: str
    indicator: str
    year: int
    op: str
    threshold: float
    unit: str
    source: str
    active: bool = True
    note: str = ""

    def columns(self) -> dict:
        """The columns that name this target in every per-target table of the studies, in their order."""
        return dict(
            target_id=self.target_id,
            indicator=self.indicator,
            year=self.year,
            op=self.op,
            threshold=self.threshold,
            unit=self.unit,
            active=self.active,
        )


def target_specs(scenario) -> list[TargetSpec]:
    return [
        TargetSpec(tid, t.indicator, t.year, t.op, t.threshold, t.unit, t.source, t.active, t.note)
        for tid, t in scenario.targets.items()
    ]


def summarise(column, targets: list[TargetSpec], years: list[int], base=None) -> pd.DataFrame:
    """One row per target, then one ``ALL_<year>`` row per year (all active targets of that year).

    ``column(indicator, year)`` returns the per-replication values; ``base(indicator)`` the
    base-year values (None where the indicator has none). ``base`` is their median and
    ``growth_needed`` = threshold / base - 1, the growth over the base year the target requires;
    ``growth_needed_yearly`` the same need per year at an even pace; ``yoy_growth_p10/p50/p90``
    the 10/50/90% quantiles over replications of the indicator's year-on-year growth
    (sim/analysis/growth.py: value(year) / value(year - 1) - 1, the base year before the first)."""
    base_year = years[0] - 1 if years else 0
    rows: list[dict] = []
    joint: dict[int, np.ndarray] = {}
    for t in targets:
        v = column(t.indicator, t.year)
        h = hits_of(v, t.op, t.threshold)
        if t.active:
            joint[t.year] = h if t.year not in joint else joint[t.year] & h
        b = base(t.indicator) if base is not None else None
        rows.append(
            _row(
                t.target_id,
                t.indicator,
                t.year,
                t.op,
                t.threshold,
                t.unit,
                t.source,
                t.active,
                h,
                v,
                t.note,
                float(np.median(b)) if b is not None and len(b) else np.nan,
                base_year,
                yoy_quantiles(yoy_values(column, base, t.indicator, t.year, years)),
            )
        )
    for y in years:
        if y in joint:
            n_t = sum(1 for t in targets if t.active and t.year == y)
            rows.append(
                _row(
                    f"ALL_{y}",
                    "all_targets",
                    y,
                    "",
                    np.nan,
                    "",
                    f"every active {y} target",
                    True,
                    joint[y],
                    None,
                    f"joint probability of {n_t} targets",
                )
            )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def widest_half_width(table: pd.DataFrame, low: str = "ci_low", high: str = "ci_high") -> float:
    """The widest 95% half-width over the active rows of a target table (summary.csv or a
    paired table, whose interval columns are named by ``low`` and ``high``): the precision a run
    reports and the precision stopping rule tests."""
    act = table[table["active"].astype(bool)]
    return float(((act[high] - act[low]) / 2).max()) if len(act) else 0.0


def _row(tid, ind, year, op, thr, unit, source, active, h, v, note, base=np.nan, base_year=0, yoy=None):
    n, k = len(h), int(np.sum(h))
    need = thr / base - 1 if base > 0 else np.nan
    yq = yoy if yoy is not None else [np.nan] * 3
    lo, hi = proportion_ci(k, n)
    q = np.percentile(v, [10, 50, 90]) if v is not None and n else [np.nan] * 3
    return dict(
        target_id=tid,
        indicator=ind,
        year=year,
        op=op,
        threshold=thr,
        unit=unit,
        source=source,
        active=active,
        n_reps=n,
        hits=k,
        p_hit=k / n if n else np.nan,
        ci_low=lo,
        ci_high=hi,
        mean=float(np.mean(v)) if v is not None and n else np.nan,
        p10=q[0],
        p50=q[1],
        p90=q[2],
        base=base,
        growth_needed=need,
        growth_needed_yearly=needed_per_year(need, year, base_year),
        **dict(zip(YOY_COLUMNS, yq, strict=True)),
        note=note,
    )


@dataclass(frozen=True)
class PlanWarning:
    """An inconsistency in the plan's targets, as data (sim/report/texts/plan_warnings.py writes it out).

    ``kind``: ``"modes_over"`` / ``"modes_under"`` (the active customs-mode targets of ``year``
    add up to more / less than its active total-trade target) or ``"alternative"`` (the plan
    gives two figures for one indicator and year). ``targets``: for the modes kinds the
    total-trade target, then the mode targets in customs-mode order; for ``"alternative"`` the
    alternative reading, then the target it is an alternative of."""

    kind: str
    year: int
    targets: tuple[TargetSpec, ...]

    @property
    def mode_sum(self) -> float:
        """Modes kinds: the sum of the mode targets' thresholds."""
        return sum(p.threshold for p in self.targets[1:])


def plan_warnings(targets: list[TargetSpec], alternatives: dict[str, str]) -> list[PlanWarning]:
    """Inconsistencies in the targets themselves, stated rather than hidden.

    * active component targets (trade by customs mode) whose thresholds do not add up to the
      active total-trade target of the same year;
    * targets that have an alternative reading (the plan gives two figures)."""
    out = []
    by = {(t.indicator, t.year): t for t in targets if t.active}
    for year in sorted({t.year for t in targets}):
        total = by.get(("trade_total", year))
        parts = [by[(c, year)] for c in TRADE_COMPONENTS if (c, year) in by]
        if total and parts:
            s = sum(p.threshold for p in parts)
            if s > total.threshold + 1e-9:
                out.append(PlanWarning("modes_over", year, (total, *parts)))
            elif s < total.threshold - 1e-9:
                out.append(PlanWarning("modes_under", year, (total, *parts)))
    by_id = {t.target_id: t for t in targets}
    for tid, other in alternatives.items():
        a, b = by_id[tid], by_id[other]
        out.append(PlanWarning("alternative", a.year, (a, b)))
    return out


def scenario_warnings(scenario) -> list[PlanWarning]:
    """:func:`plan_warnings` of a validated scenario or of the resolved-scenario dict a manifest keeps."""
    if isinstance(scenario, dict):
        ts = scenario.get("targets") or {}
        specs = [
            TargetSpec(
                tid,
                t["indicator"],
                int(t["year"]),
                t["op"],
                float(t["threshold"]),
                t["unit"],
                t["source"],
                bool(t.get("active", True)),
                t.get("note", ""),
            )
            for tid, t in ts.items()
        ]
        alternatives = {k: t["alternative_of"] for k, t in ts.items() if t.get("alternative_of")}
    else:
        specs = target_specs(scenario)
        alternatives = {k: t.alternative_of for k, t in scenario.targets.items() if t.alternative_of}
    return plan_warnings(specs, alternatives)
