"""Plain text of the studies: the console summaries of ``compare``, ``sweep`` and
``sensitivity``, and the sentences of ``discover``'s rules (console, ``rules.txt`` and the
condition texts of ``conditions.csv``). Result objects in, strings out.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.analysis.tornado import headline_targets, lever_ranking, tornado_swings
from sim.months import month_of_end


def format_comparison(c, only_active: bool = True) -> str:
    """Each scenario against the reference, target by target (``c``: a compare result)."""
    lines = []
    t = c.table
    for name in c.names[1:]:
        d = t[t["scenario"] == name]
        if only_active:
            d = d[d["active"]]
        lines.append(f"\n{name} vs {c.names[0]} ({c.reps} replications, "
                     f"{'paired on common random numbers' if c.paired else 'independent seeds'})")
        lines.append(f"{'target':36s} {'P(' + c.names[0][:10] + ')':>14s} {'P(' + name[:10] + ')':>14s} "
                     f"{'difference [95% interval]':>28s} {'P(better) [95% interval]':>26s} {'P(same)':>7s}")
        for _, r in d.iterrows():
            sig = "*" if (r["diff_low"] > 0 or r["diff_high"] < 0) else " "
            better = (f"{r['p_better']:6.0%} [{r['p_better_low']:4.0%}, {r['p_better_high']:4.0%}]"
                      if pd.notna(r["p_better"]) else "     -")
            same = f"{r['p_eq']:7.0%}" if pd.notna(r["p_eq"]) else "      -"
            lines.append(f"{r['target_id']:36s} {r['p_ref']:14.1%} {r['p']:14.1%} "
                         f"{100 * r['diff']:+7.1f} pp [{100 * r['diff_low']:+6.1f}, {100 * r['diff_high']:+6.1f}]{sig}"
                         f" {better} {same}")
    lines.append("\n* the difference's interval excludes 0. P(better): share of replications where the "
                 "scenario's indicator beats the reference's (higher, or lower for <= targets). P(same): "
                 "share where the two are equal (ties, e.g. a target neither scenario moves); ties are "
                 "neither better nor worse.")
    return "\n".join(lines)


def format_reach(s, only_active: bool = True) -> str:
    """Per target, the least-effort lever value reaching the level (``s``: a sweep result)."""
    r = s.reach[s.reach["active"]] if only_active else s.reach
    lines = [f"\nLeast effort reaching P(hit) >= {s.level:.0%} along {s.levers[0].id} "
             f"({len(s.points)} grid points, {s.reps} replications each, seed {s.seed}):"]
    extra = [lv.id for lv in s.levers[1:]]
    span = s.table.groupby("target_id")["p_hit"].agg(lambda x: x.max() - x.min())
    order = {t: i for i, t in enumerate(dict.fromkeys(s.table["target_id"]))}
    r = r.assign(_o=r["target_id"].map(order)).sort_values("_o", kind="stable")
    still = []
    for tid, g in r.groupby("target_id", sort=False):
        if span.get(tid, 0) == 0:
            still.append(f"{tid} ({g['p_at_least_effort'].iloc[0]:.0%})")
            continue
        for _, row in g.iterrows():
            at = "".join(f" [{e} = {row[e]}]" for e in extra)
            lines.append(f"  {row['target_id']:34s}{at} {row['verdict']}")
    if still:
        lines.append(f"P(hit) does not move over this grid for: {', '.join(still)}")
    return "\n".join(lines)


def format_sensitivity(res, targets: list[str] | None = None, top: int = 6) -> str:
    """Lever ranking, then per headline target its largest Sobol indices and tornado swings
    (``res``: a sensitivity result, whose ``factor_name`` names the tornado's factors)."""
    lines = ["\nWhich lever matters most: each ranged lever's largest one-at-a-time swing of P(hit) over its "
             "range (tornado) and its largest total Sobol index (share of an indicator's variance it drives, "
             "with interactions), over the outcome targets (deadline targets left out):"]
    for _, r in lever_ranking(res).iterrows():
        swing = (f"{100 * r['max_p_swing']:+4.0f} pp on {r['max_p_swing_target']:26s}"
                 if pd.notna(r["max_p_swing"]) else f"{'-':33s}")
        lines.append(f"  {r['lever']:34s} swing {swing} ST {r['max_ST']:4.2f} "
                     f"[{r['max_ST_low']:4.2f}, {r['max_ST_high']:4.2f}] on {r['max_ST_target']}")
    heads = targets or headline_targets(res)
    for tid in heads:
        d = res.sobol[(res.sobol["target_id"] == tid) & (res.sobol["output"] == "value")]
        d = d[d["ST"] > 0.01].sort_values("ST", ascending=False).head(top)
        lines.append(f"\n{tid}: largest total Sobol indices of its indicator (95% bootstrap interval)")
        for _, r in d.iterrows():
            lines.append(f"  {r['label_en'][:62]:62s} ST {r['ST']:5.2f} [{r['ST_low']:5.2f}, {r['ST_high']:5.2f}]"
                         f"   S1 {r['S1']:5.2f} [{r['S1_low']:5.2f}, {r['S1_high']:5.2f}]")
        w = tornado_swings(res.tornado, tid).head(4)
        base = res.tornado[(res.tornado["target_id"] == tid) & (res.tornado["factor"] == "base")].iloc[0]
        lines.append(f"  tornado (P(hit) {base['p_hit']:.0%} as drawn; {res.tornado_reps} replications per setting):")
        for fid, r in w.iterrows():
            name = res.factor_name(fid, r["kind"], "en")
            lines.append(f"    {name[:60]:60s} {r['setting_low']:>8s} -> {r['setting_high']:<8s} "
                         f"P {r['p_low']:4.0%} -> {r['p_high']:4.0%} ({100 * r['p_swing']:+.0f} pp)")
    return "\n".join(lines)


def _fmt(f, v: float, start: str, lang: str = "en") -> str:
    """A value of input ``f`` (a discover feature) as a rule prints it."""
    if f.kind == "percent":
        return f"{100 * v:.1f}%"
    if f.kind == "month_index":
        return month_of_end(int(round(v)), start)
    if f.kind == "month_time":
        m = month_of_end(int(math.ceil(v - 1e-9)) if v > 0 else 1, start)
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
        return (f"{f.label_en} between {_fmt(f, lo, start)} and {_fmt(f, hi, start)}",
                f"{f.label_zh}介于{_fmt(f, lo, start, 'zh')}与{_fmt(f, hi, start, 'zh')}之间")
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
    out = [f"{d.target_id} is missed in {base:.0%} of {len(d.miss)} runs overall "
           f"({'levers drawn over their declared ranges' if d.levers else 'levers at the scenario values'})."]
    if d.rules.empty:
        out.append("No rule found: no box of at most a few conditions makes a miss (or, for a target missed "
                   "in most runs, a hit) clearly more frequent than overall; the outcome is spread thinly "
                   "over many inputs and the model's own randomness.")
        return out
    if d.outcome == "hit":
        out.append(f"No box concentrates the misses (they are the rule rather than the exception), so the rules "
                   f"say what the {1 - base:.0%} of runs that hit {d.target_id} have in common.")
    verb, what = ("misses", "misses") if d.outcome == "miss" else ("hits", "hits")
    for _, r in d.rules.iterrows():
        out.append(f"Rule {r['rule']}: {verb} {d.target_id} in {r['density']:.0%} of runs where {r['conditions']}. "
                   f"These runs are {r['mass']:.0%} of all runs and hold {r['coverage']:.0%} of the {what} "
                   f"(checked on held-out runs: density {r['density_test']:.0%}, coverage {r['coverage_test']:.0%}).")
    return out
