"""The joint outcomes of a portfolio: pure functions, per-zone arrays in, tables out.

Every probability comes with its 95% Wilson interval and the replication count behind it: the
simulation precision of the estimate under the scenarios' assumptions (the same interval as every
``summary.csv``). Correlations come with Fisher's z interval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.paired import paired_diff_ci
from sim.analysis.targets import TargetSpec, hits_of, proportion_ci

RANK = "rank"
TRADE = "trade_total"


@dataclass(frozen=True)
class ZoneOutcomes:
    """What the joint tables need of one zone: its key and names, its targets, and
    ``column(indicator, year)`` giving the per-replication values (rows aligned across zones)."""

    key: str
    name_zh: str
    name_en: str
    targets: list[TargetSpec]
    column: Callable[[str, int], np.ndarray]
    reference_rank: Callable[[int], int] | None
    """The zone's reference rank of a data year (its rank target there), or None without a ranking."""

    def target(self, indicator: str, year: int) -> TargetSpec | None:
        """The zone's own active target of ``indicator`` in ``year`` (rank: else its reference rank)."""
        for t in self.targets:
            if t.indicator == indicator and t.year == year and t.active:
                return t
        if indicator == RANK and self.reference_rank is not None:
            return TargetSpec(f"rank_{year}", RANK, year, "<=", float(self.reference_rank(year)), "rank", "")
        return None

    def hits(self, indicator: str, year: int) -> np.ndarray | None:
        t = self.target(indicator, year)
        if t is None:
            return None
        return hits_of(np.asarray(self.column(t.indicator, t.year), float), t.op, t.threshold)

    def all_hits(self, year: int) -> np.ndarray | None:
        """Every active target of the zone in ``year`` at once (its ``ALL_<year>``)."""
        hs = [
            hits_of(np.asarray(self.column(t.indicator, t.year), float), t.op, t.threshold)
            for t in self.targets
            if t.active and t.year == year
        ]
        return np.logical_and.reduce(hs) if hs else None


def _p(event: np.ndarray) -> dict:
    n, k = len(event), int(np.sum(event))
    lo, hi = proportion_ci(k, n)
    return {"p_hit": k / n if n else float("nan"), "ci_low": lo, "ci_high": hi, "n_reps": n, "hits": k}


def events(zones: list[ZoneOutcomes], years: list[int], province: list) -> list[tuple[int, str, float, np.ndarray]]:
    """(year, event, threshold, hits per replication) of every joint event: ``zones_in_rank_ge_<k>``
    for every k (at least k of the N zones reach their rank target), ``all_zones_trade_target``
    (every zone with a trade target that year hits it), ``all_zones_all_targets`` (every zone hits
    every target of the year), then each province target (``province_<indicator>``: the zones'
    total, or the number of zones within their rank target, at least the threshold)."""
    out: list[tuple[int, str, float, np.ndarray]] = []
    for y in years:
        ranked = [h for z in zones if (h := z.hits(RANK, y)) is not None]
        if ranked and len(ranked) == len(zones):
            count = np.sum(ranked, axis=0)
            out += [(y, f"zones_in_rank_ge_{k}", k, count >= k) for k in range(1, len(zones) + 1)]
        trade = [h for z in zones if (h := z.hits(TRADE, y)) is not None]
        if trade:
            out.append((y, "all_zones_trade_target", len(trade), np.logical_and.reduce(trade)))
        every = [h for z in zones if (h := z.all_hits(y)) is not None]
        if every:
            out.append((y, "all_zones_all_targets", len(every), np.logical_and.reduce(every)))
        out += [(y, f"province_{t.indicator}", t.threshold, province_hits(zones, t)) for t in province if t.year == y]
    return out


JOINT_COLUMNS = ["year", "event", "p_hit", "ci_low", "ci_high", "n_reps", "hits", "threshold"]


def joint_table(zones: list[ZoneOutcomes], years: list[int], province: list) -> pd.DataFrame:
    """portfolio.csv: one row per year and event (:func:`events`): P, its 95% Wilson interval, the
    replications and hits behind it, and the event's threshold."""
    rows = [{"year": y, "event": e, **_p(h), "threshold": thr} for y, e, thr, h in events(zones, years, province)]
    return pd.DataFrame(rows, columns=JOINT_COLUMNS)


def province_values(zones: list[ZoneOutcomes], indicator: str, year: int) -> np.ndarray:
    """Per replication: the zones' total of ``indicator``, or for ``zones_in_rank`` the number of
    zones within their rank target."""
    if indicator == "zones_in_rank":
        hs = [z.hits(RANK, year) for z in zones]
        return np.sum([h for h in hs if h is not None], axis=0).astype(float)
    return np.sum([np.asarray(z.column(indicator, year), float) for z in zones], axis=0)


def province_hits(zones: list[ZoneOutcomes], t) -> np.ndarray:
    return province_values(zones, t.indicator, t.year) >= t.threshold


def totals_table(zones: list[ZoneOutcomes], years: list[int], indicators: list[str]) -> pd.DataFrame:
    """province_totals.csv: the zones' total of each indicator by year: mean and 10/50/90% quantiles."""
    rows = []
    for ind in indicators:
        for y in years:
            v = province_values(zones, ind, y)
            q = np.quantile(v, [0.1, 0.5, 0.9])
            rows.append(
                {"year": y, "indicator": ind, "mean": v.mean(), "p10": q[0], "p50": q[1], "p90": q[2], "n_reps": len(v)}
            )
    return pd.DataFrame(rows, columns=["year", "indicator", "mean", "p10", "p50", "p90", "n_reps"])


def miss_table(zones: list[ZoneOutcomes], years: list[int], province: list) -> pd.DataFrame:
    """zone_misses.csv: for each province event missed in some replications, each zone's part in the
    misses: ``p_zone_missed`` = P(the zone misses its own target | the province event is missed),
    with its interval over the ``n_misses`` replications, and ``share_of_misses`` = the zone's
    misses over all zones' misses in those replications. The events: each province target (the
    zone's own target of the same indicator; rank for ``zones_in_rank``) and every zone's trade
    target at once."""
    rows = []
    events = [
        (
            f"province_{t.indicator}",
            t.year,
            RANK if t.indicator == "zones_in_rank" else t.indicator,
            ~province_hits(zones, t),
        )
        for t in province
    ]
    for y in years:
        trade = [z.hits(TRADE, y) for z in zones]
        if any(h is not None for h in trade):
            ok = np.logical_and.reduce([h for h in trade if h is not None])
            events.append(("all_zones_trade_target", y, TRADE, ~ok))
    for event, y, ind, missed in events:
        own = {z.key: z.hits(ind, y) for z in zones}
        own_miss = {k: (~h[missed] if h is not None else None) for k, h in own.items()}
        total = sum(int(m.sum()) for m in own_miss.values() if m is not None)
        for z in zones:
            m = own_miss[z.key]
            if m is None:
                continue
            k, n = int(m.sum()), int(missed.sum())
            lo, hi = proportion_ci(k, n)
            rows.append(
                {
                    "year": y,
                    "event": event,
                    "zone": z.key,
                    "indicator": ind,
                    "n_misses": n,
                    "zone_misses": k,
                    "p_zone_missed": k / n if n else float("nan"),
                    "ci_low": lo,
                    "ci_high": hi,
                    "share_of_misses": k / total if total else float("nan"),
                }
            )
    cols = [
        "year",
        "event",
        "zone",
        "indicator",
        "n_misses",
        "zone_misses",
        "p_zone_missed",
        "ci_low",
        "ci_high",
        "share_of_misses",
    ]
    return pd.DataFrame(rows, columns=cols)


def _fisher(r: float, n: int) -> tuple[float, float]:
    if n <= 3 or not np.isfinite(r) or abs(r) >= 1:
        return float("nan"), float("nan")
    z, se = np.arctanh(r), 1.96 / np.sqrt(n - 3)
    return float(np.tanh(z - se)), float(np.tanh(z + se))


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    if np.std(a) == 0 or np.std(b) == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def correlation_table(zones: list[ZoneOutcomes], years: list[int], indicator: str = TRADE) -> pd.DataFrame:
    """correlation.csv: for each year and pair of zones, the correlation across replications of
    their ``indicator`` (Pearson, with Fisher's 95% interval) and of their hits of their own
    targets of it (phi; NaN where a zone has no such target or always or never hits it): what the
    shared shocks (and the shared ranking, for ``rank``) make the zones have in common."""
    rows = []
    for y in years:
        for i, a in enumerate(zones):
            for b in zones[i + 1 :]:
                va, vb = (np.asarray(z.column(indicator, y), float) for z in (a, b))
                r = _corr(va, vb)
                lo, hi = _fisher(r, len(va))
                ha, hb = a.hits(indicator, y), b.hits(indicator, y)
                phi = _corr(ha.astype(float), hb.astype(float)) if ha is not None and hb is not None else float("nan")
                rows.append(
                    {
                        "year": y,
                        "indicator": indicator,
                        "zone_a": a.key,
                        "zone_b": b.key,
                        "corr": r,
                        "ci_low": lo,
                        "ci_high": hi,
                        "corr_hits": phi,
                        "n_reps": len(va),
                    }
                )
    return pd.DataFrame(
        rows, columns=["year", "indicator", "zone_a", "zone_b", "corr", "ci_low", "ci_high", "corr_hits", "n_reps"]
    )


def compare_table(ref: list, other: list, names: tuple[str, str]) -> pd.DataFrame:
    """Two portfolios' joint events (:func:`events`, run on the same seed and replications: common
    random numbers) side by side: each P with its Wilson interval and the paired difference
    (other - reference) with Newcombe's interval for paired proportions, for every event both have."""
    theirs = {(y, e): (thr, h) for y, e, thr, h in other}
    rows = []
    for y, e, thr, h in ref:
        if (y, e) not in theirs or theirs[y, e][0] != thr:
            continue
        h2 = theirs[y, e][1]
        a, b = _p(h), _p(h2)
        d, lo, hi = paired_diff_ci(h, h2)
        rows.append(
            {
                "year": y,
                "event": e,
                "threshold": thr,
                "reference": names[0],
                "p_ref": a["p_hit"],
                "p_ref_low": a["ci_low"],
                "p_ref_high": a["ci_high"],
                "scenario": names[1],
                "p": b["p_hit"],
                "p_low": b["ci_low"],
                "p_high": b["ci_high"],
                "diff": d,
                "diff_low": lo,
                "diff_high": hi,
                "n_reps": len(h),
            }
        )
    return pd.DataFrame(rows)
