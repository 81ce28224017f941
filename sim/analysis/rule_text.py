"""Plain words for the rules scenario discovery finds: a PRIM box's restrictions and the findings.

The words go into ``rules.csv`` (English and Chinese columns), ``rules.txt`` and the manifest,
so they are part of the study's result, not only of its display. ``f`` is a discover feature:
an object with ``kind`` ("number", "percent", "month_index" for a lever month, "month_time" for a
due time), ``label_en`` and ``label_zh``.
"""

from __future__ import annotations

import math

import numpy as np

from sim.months import month_of_end


def _fmt(f, v: float, start: str, lang: str = "en") -> str:
    """A value of input ``f`` (a discover feature) as a rule prints it."""
    if f.kind == "percent":
        return f"{100 * v:.1f}%"
    if f.kind == "month_index":
        return month_of_end(round(v), start)
    if f.kind == "month_time":
        m = month_of_end(math.ceil(v - 1e-9) if v > 0 else 1, start)
        return f"{m} (month {v:.1f})" if lang == "en" else f"{m}（第 {v:.1f} 月）"
    a = abs(v)
    return f"{v:.3g}" if a < 1000 else f"{v:,.0f}"


def condition_text(f, lo: float, hi: float, col: np.ndarray, start: str) -> tuple[str, str]:
    """Plain words for one restriction: "<label> below x", "above x" or "between x and y"."""
    has_lo = np.isfinite(lo) and lo > col.min()
    has_hi = np.isfinite(hi) and hi < col.max()
    late = f.kind in ("month_index", "month_time")
    if has_lo and has_hi and lo == hi:
        return f"{f.label_en} equal to {_fmt(f, lo, start)}", f"{f.label_zh}等于{_fmt(f, lo, start, 'zh')}"
    if has_lo and has_hi:
        return (
            f"{f.label_en} between {_fmt(f, lo, start)} and {_fmt(f, hi, start)}",
            f"{f.label_zh}介于{_fmt(f, lo, start, 'zh')}与{_fmt(f, hi, start, 'zh')}之间",
        )
    if has_lo:
        w = "no earlier than" if late else "at least"
        return f"{f.label_en} {w} {_fmt(f, lo, start)}", f"{f.label_zh}不低于{_fmt(f, lo, start, 'zh')}"
    if has_hi:
        w = "no later than" if late else "at most"
        return f"{f.label_en} {w} {_fmt(f, hi, start)}", f"{f.label_zh}不高于{_fmt(f, hi, start, 'zh')}"
    return f"{f.label_en} (any)", f"{f.label_zh}（任意）"


def rule_texts(d) -> list[str]:
    """The discovery's findings as sentences: the overall miss rate, then one per rule."""
    base = d.miss.mean()
    out = [
        f"{d.target_id} is missed in {base:.0%} of {len(d.miss)} runs overall "
        f"({'levers drawn over their declared ranges' if d.levers else 'levers at the scenario values'})."
    ]
    if d.rules.empty:
        out.append(
            "No rule found: no box of at most a few conditions makes a miss (or, for a target missed "
            "in most runs, a hit) clearly more frequent than overall; the outcome is spread thinly "
            "over many inputs and the model's own randomness."
        )
        return out
    if d.outcome == "hit":
        out.append(
            f"No box concentrates the misses (they are the rule rather than the exception), so the rules "
            f"say what the {1 - base:.0%} of runs that hit {d.target_id} have in common."
        )
    verb, what = ("misses", "misses") if d.outcome == "miss" else ("hits", "hits")
    for _, r in d.rules.iterrows():
        out.append(
            f"Rule {r['rule']}: {verb} {d.target_id} in {r['density']:.0%} of runs where {r['conditions']}. "
            f"These runs are {r['mass']:.0%} of all runs and hold {r['coverage']:.0%} of the {what} "
            f"(checked on held-out runs: density {r['density_test']:.0%}, coverage {r['coverage_test']:.0%})."
        )
    return out
