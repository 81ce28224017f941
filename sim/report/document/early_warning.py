"""Early warning (预警) for the meeting pack: a nowcast run (``run --as-of``) against the previous
as-of's results folder. Per target: P(hit) now and then, and a traffic light; per indicator:
the months newly observed since the previous as-of whose value left the band the previous run
had simulated for them (what moved the targets).

The thresholds are scenario data (``observations.warning_on_track`` / ``warning_at_risk``, read
by :func:`rules_of`; docs/report.md): a target is on track
(green) at P >= ``on_track``, at risk (amber) at P >= ``at_risk``, else off track (red); "the
simulated band" is the previous run's ``band`` quantiles of monthly.csv (10-90% by default).
A month counts as observed in a run when its band has collapsed onto one value (the nowcast
fixes observed months).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.results import Results


@dataclass(frozen=True)
class WarningRules:
    """Thresholds of the traffic light (probabilities) and the band an observation must stay in."""

    on_track: float = 0.7
    at_risk: float = 0.4
    band: tuple[str, str] = ("p10", "p90")

    def light(self, p: float) -> str:
        """ "green", "amber" or "red" for P(hit) ``p``."""
        return "green" if p >= self.on_track else "amber" if p >= self.at_risk else "red"


DEFAULT_RULES = WarningRules()


def rules_of(res: Results) -> WarningRules:
    """The traffic-light thresholds of a run: its scenario's ``observations.warning_on_track`` and
    ``warning_at_risk`` (docs/data.md), else the defaults."""
    obs = res.resolved.get("observations") or {}
    return WarningRules(
        on_track=float(obs.get("warning_on_track", DEFAULT_RULES.on_track)),
        at_risk=float(obs.get("warning_at_risk", DEFAULT_RULES.at_risk)),
    )


def as_of(res: Results) -> str:
    """The run's as-of month ("" for a run without observations)."""
    obs = res.resolved.get("observations") or {}
    return str(obs.get("as_of") or "")


def target_moves(now: Results, then: Results, rules: WarningRules | None = None) -> pd.DataFrame:
    """One row per active target of ``now`` that ``then`` has: ``p_then``, ``p_now``, ``change``,
    ``light_then``, ``light_now`` (and the summary row's own columns), weakest first."""
    a = now.targets()
    a = a[a["active"]]
    b = then.targets().set_index("target_id")["p_hit"]
    d = a[a["target_id"].isin(b.index)].copy()
    d["p_now"] = d["p_hit"].astype(float)
    d["p_then"] = d["target_id"].map(b).astype(float)
    d["change"] = d["p_now"] - d["p_then"]
    rules = rules or rules_of(now)
    d["light_now"] = d["p_now"].map(rules.light)
    d["light_then"] = d["p_then"].map(rules.light)
    return d.sort_values(["year", "p_now"], kind="stable").reset_index(drop=True)


def _observed(res: Results) -> set[tuple[str, str]]:
    """(indicator, month) pairs the run was conditioned on: the observed months up to its as-of
    (its resolved scenario's observations)."""
    obs = res.resolved.get("observations") or {}
    cut = as_of(res)
    if not cut:
        return set()
    return {(ind, m) for ind, by in (obs.get("values") or {}).items() for m in by if m <= cut}


def band_breaks(now: Results, then: Results, rules: WarningRules = DEFAULT_RULES) -> pd.DataFrame:
    """Months observed in ``now`` but not in ``then`` whose value lies outside ``then``'s band:
    indicator, month, value, low, high, side ("above" / "below"). The value is ``now``'s fan at
    that month, which the nowcast pins to the observation (year to date for flows, like the band)."""
    cols = ["indicator", "month", "value", "low", "high", "side"]
    if now.monthly is None or then.monthly is None:
        return pd.DataFrame(columns=cols)
    new = _observed(now) - _observed(then)  # months observed since the previous as-of
    m_now = now.monthly[[(i, m) in new for i, m in zip(now.monthly["indicator"], now.monthly["month"], strict=True)]]
    m_then = then.monthly
    lo, hi = rules.band
    j = m_now[["indicator", "month", "p50"]].merge(m_then[["indicator", "month", lo, hi]], on=["indicator", "month"])
    j = j.rename(columns={"p50": "value", lo: "low", hi: "high"})
    j = j[(j["value"] < j["low"]) | (j["value"] > j["high"])].copy()
    j["side"] = ["above" if v > h else "below" for v, h in zip(j["value"], j["high"], strict=True)]
    return j[cols].sort_values(["indicator", "month"], kind="stable").reset_index(drop=True)
