"""The numbers in the pack's words, formatted once for the report, the deck and the charts:
probabilities in the target table with one decimal (``89.5%``), in the prose and on the charts as
whole percents, intervals likewise, and indicator values.
"""

from __future__ import annotations


def pct1(p: float) -> str:
    """A probability with one decimal: "89.5%" (the target table)."""
    return "–" if p != p else f"{p * 100:.1f}%"


def ci1(lo: float, hi: float) -> str:
    """An interval with one decimal: "85.1–92.3%"."""
    return "–" if lo != lo else f"{lo * 100:.1f}–{hi * 100:.1f}%"


def pct0(p: float) -> str:
    """A probability as a whole percent: "90%" (the prose and the charts); never "0%" or "100%",
    which a planner would repeat as impossible or certain: "< 0.5%" and "> 99.5%" instead."""
    if p != p:
        return "–"
    if p < 0.005:
        return "< 0.5%"
    if p > 0.995:
        return "> 99.5%"
    return f"{p * 100:.0f}%"


def _bound(x: float) -> str:
    """An interval bound in whole percents, with one decimal within 1 point of 0% or 100%."""
    return f"{x * 100:.1f}" if x < 0.01 or x > 0.99 else f"{x * 100:.0f}"


def ci0(lo: float, hi: float) -> str:
    """An interval in whole percents: "85–92%"; "0.0–0.4%" near the ends (never "0–0%")."""
    return "–" if lo != lo else f"{_bound(lo)}–{_bound(hi)}%"


def value_fmt(v, unit: str = "") -> str:
    """An indicator value: whole numbers for counts and large values, else one or two decimals."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "–"
    if v != v:
        return "–"
    if unit in ("count", "persons", "0/1", "rank") or abs(v) >= 100:
        return f"{v:,.0f}" if abs(v - round(v)) < 1e-9 or abs(v) >= 100 else f"{v:,.1f}"
    if abs(v) >= 10:
        return f"{v:,.1f}"
    return f"{v:,.2f}"
