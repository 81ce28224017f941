"""Plain text of the studies: the console summaries of ``compare``, ``sweep`` and
``sensitivity`` (with the sentence on a sensitivity's rank order, in English and Chinese, that its
charts carry too), and the sentences of ``discover``'s rules (console, ``rules.txt`` and the
condition texts of ``conditions.csv``). Result objects in, strings out.
"""

from __future__ import annotations

import sys

import pandas as pd

from sim.analysis.tornado import (
    base_year_worth,
    headline_targets,
    lever_ranking,
    rank_groups,
    reported_factors,
    tornado_swings,
)


def format_comparison(c, only_active: bool = True) -> str:
    """Each scenario against the reference, target by target (``c``: a compare result)."""
    lines = []
    t = c.table
    for name in c.names[1:]:
        d = t[t["scenario"] == name]
        if only_active:
            d = d[d["active"]]
        lines.append(
            f"\n{name} vs {c.names[0]} ({c.reps} replications, "
            f"{'paired on common random numbers' if c.paired else 'independent seeds'})"
        )
        lines.append(
            f"{'target':36s} {'P(' + c.names[0][:10] + ')':>14s} {'P(' + name[:10] + ')':>14s} "
            f"{'difference [95% precision]':>28s} {'P(better) [95% precision]':>26s} {'P(same) [95% precision]':>24s}"
        )
        for _, r in d.iterrows():
            sig = "*" if (r["diff_low"] > 0 or r["diff_high"] < 0) else " "
            better = (
                f"{r['p_better']:6.0%} [{r['p_better_low']:4.0%}, {r['p_better_high']:4.0%}]"
                if pd.notna(r["p_better"])
                else "     -"
            )
            same = (
                f"{r['p_eq']:6.0%} [{r['p_eq_low']:4.0%}, {r['p_eq_high']:4.0%}]" if pd.notna(r["p_eq"]) else "     -"
            )
            lines.append(
                f"{r['target_id']:36s} {r['p_ref']:14.1%} {r['p']:14.1%} "
                f"{100 * r['diff']:+7.1f} pp [{100 * r['diff_low']:+6.1f}, {100 * r['diff_high']:+6.1f}]{sig}"
                f" {better} {same}"
            )
    lines.append(
        "\n* the difference's interval excludes 0. P(better): share of replications where the "
        "scenario's indicator beats the reference's (higher, or lower for <= targets). P(same): "
        "share where the two are equal (ties, e.g. a target neither scenario moves); ties are "
        "neither better nor worse. Every interval is a 95% simulation-precision interval: how "
        "exactly these replications pin the number down under the scenarios' assumptions, not the "
        "uncertainty of the world, which is in the spread of the replications and in the assumptions."
    )
    return "\n".join(lines)


def format_reach(s, only_active: bool = True) -> str:
    """Per target, the least-effort lever value reaching the level (``s``: a sweep result)."""
    r = s.reach[s.reach["active"]] if only_active else s.reach
    lines = [
        f"\nLeast effort reaching P(hit) >= {s.level:.0%} along {s.levers[0].id} "
        f"({len(s.points)} grid points, {s.reps} replications each, seed {s.seed}):"
    ]
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
    lines = [
        "\nWhich lever matters most: each ranged lever's largest one-at-a-time swing of P(hit) over its "
        "range (tornado) and its largest total Sobol index (share of an indicator's variance it drives, "
        "with interactions), over the outcome targets (deadline targets left out):"
    ]
    for _, r in lever_ranking(res).iterrows():
        swing = (
            f"{100 * r['max_p_swing']:+4.0f} pp on {r['max_p_swing_target']:26s}"
            if pd.notna(r["max_p_swing"])
            else f"{'-':33s}"
        )
        lines.append(
            f"  {r['lever']:34s} swing {swing} ST {r['max_ST']:4.2f} "
            f"[{r['max_ST_low']:4.2f}, {r['max_ST_high']:4.2f}] on {r['max_ST_target']}"
        )
    worth = base_year_worth(res)
    if len(worth):
        lines.append(
            f"\nWhat entering each base-year figure is worth: the largest swing of P(hit) over the outcome "
            f"targets between its 10% and 90% values ({res.tornado_reps} replications per setting); the "
            f"zone's books remove it, so enter the top ones first:"
        )
        for _, r in worth.iterrows():
            lines.append(
                f"  {res.factor_name(r['figure'], 'uncertainty', 'en')[:56]:56s} {r['setting_low']:>8s} -> "
                f"{r['setting_high']:<8s} {100 * r['max_p_swing']:+4.0f} pp on {r['max_p_swing_target']}"
            )
    heads = targets or headline_targets(res)
    for tid in heads:
        d = reported_factors(res.sobol, tid, top=top)
        lines.append(f"\n{tid}: largest total Sobol indices of its indicator (95% bootstrap interval)")
        for _, r in d.iterrows():
            lines.append(
                f"  {r['label_en'][:62]:62s} ST {r['ST']:5.2f} [{r['ST_low']:5.2f}, {r['ST_high']:5.2f}]"
                f"   S1 {r['S1']:5.2f} [{r['S1_low']:5.2f}, {r['S1_high']:5.2f}]"
            )
        if len(d):
            lines.append(f"  {rank_statement(d, 'en')}")
        w = tornado_swings(res.tornado, tid).head(4)
        base = res.tornado[(res.tornado["target_id"] == tid) & (res.tornado["factor"] == "base")].iloc[0]
        lines.append(f"  tornado (P(hit) {base['p_hit']:.0%} as drawn; {res.tornado_reps} replications per setting):")
        for fid, r in w.iterrows():
            name = res.factor_name(fid, r["kind"], "en")
            lines.append(
                f"    {name[:60]:60s} {r['setting_low']:>8s} -> {r['setting_high']:<8s} "
                f"P {r['p_low']:4.0%} -> {r['p_high']:4.0%} ({100 * r['p_swing']:+.0f} pp)"
            )
    if heads:
        lines.append(f"\n{RANK_NOTE}")
    return "\n".join(lines)


RANK_NOTE = (
    "Rank order: two factors next in rank are separated when the 95% interval of the difference "
    "of their total indices, over the same bootstrap resamples as the intervals, lies above 0 "
    "(sobol.csv: ST_rank, ST_rank_share, ST_next_resolved, ST_rank_resolved). The bootstrap "
    "measures the simulation precision of the estimates at this --n, not uncertainty about the "
    "zone: a larger --n separates more ranks, and factors with equal indices never separate."
)
"""What the console's rank-order lines mean (printed once after them)."""


def rank_statement(d: pd.DataFrame, lang: str) -> str:
    """One line on the rank order of reported factors ``d`` (rows of
    :func:`~sim.analysis.tornado.reported_factors`): which ranks are resolved and which are not
    separated from their neighbours, e.g. "ranks 1-3 resolved; 4 and 5 not separated"."""
    groups = rank_groups([bool(x) for x in d["ST_next_resolved"].fillna(True)])  # NaN: no factor ranked next
    resolved = [g[0] for g in groups if len(g) == 1]
    loose = [g for g in groups if len(g) > 1]
    if lang == "zh":
        head = "排序（95% 自助区间）："
        if not loose:
            return head + (f"前 {len(d)} 名均已分开" if len(d) > 1 else "第 1 名已分开")
        parts = [f"第 {_runs(resolved, '、')} 名已分开"] if resolved else []
        parts.append(
            "，".join(f"第 {_group(g, lang)} 名未分开" for g in loose)
            + (f"（第 {len(d) + 1} 名未列出）" if loose[-1][-1] > len(d) else "")
        )
        return head + "；".join(parts) + "：需要更多重复（加大 --n）"
    head = "rank order (95% bootstrap): "
    if not loose:
        return head + (f"ranks 1-{len(d)} all resolved" if len(d) > 1 else "rank 1 resolved")
    parts = [f"rank{'s' if len(resolved) > 1 else ''} {_runs(resolved)} resolved"] if resolved else []
    parts.append(
        ("" if resolved else "ranks ")
        + ", ".join(f"{_group(g, lang)} not separated" for g in loose)
        + (f" ({len(d) + 1} not listed)" if loose[-1][-1] > len(d) else "")
    )
    return head + "; ".join(parts) + ": more replications needed (a larger --n)"


def _runs(ranks: list[int], sep: str = ", ") -> str:
    """Ranks as runs: [1, 2, 3, 6] -> "1-3, 6"."""
    runs: list[list[int]] = []
    for r in ranks:
        if runs and r == runs[-1][-1] + 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    return sep.join(str(g[0]) if len(g) == 1 else f"{g[0]}-{g[-1]}" for g in runs)


def _group(g: list[int], lang: str) -> str:
    """A group of ranks not separated: "4 and 5" (zh "4、5"), or "4-6"."""
    if len(g) == 2:
        return f"{g[0]}、{g[1]}" if lang == "zh" else f"{g[0]} and {g[1]}"
    return f"{g[0]}-{g[-1]}"


def print_calibration(res, quiet: bool) -> None:
    p = res.params
    last = res.calibration.rounds[-1]
    print(
        f"\nABC on {res.first}..{res.as_of}: {len(p)} parameter(s), {res.calibration.total_sims} "
        f"simulations, {last['kept']} particles (effective {last['ess']:.0f}), "
        f"final distance <= {last['epsilon']:.3g}"
    )
    shown = p if not quiet else p[p["written"]]
    if len(shown):
        print(f"\n{'parameter':58s} {'prior mean [95%]':>26s}  {'posterior mean [95%]':>26s}  written")
        for _, r in shown.iterrows():
            pr = f"{r['prior_mean']:.4g} [{r['prior_q2_5']:.3g}, {r['prior_q97_5']:.3g}]"
            po = f"{r['post_mean']:.4g} [{r['post_q2_5']:.3g}, {r['post_q97_5']:.3g}]"
            print(f"{r['parameter']:58s} {pr:>26s}  {po:>26s}  {'yes' if r['written'] else 'no (not informed)'}")
    if last["ess"] < 20:
        print(
            f"warning: the effective number of particles is only {last['ess']:.0f}; use more --sims (or --rounds 1)",
            file=sys.stderr,
        )
    corr = res.correlations
    wp = set(p.loc[p["written"], "parameter"])
    strong = corr[(corr["correlation"].abs() >= 0.5) & corr["parameter_a"].isin(wp) & corr["parameter_b"].isin(wp)]
    for _, r in strong.head(3).iterrows():
        print(
            f"note: {r['parameter_a']} and {r['parameter_b']} are correlated in the posterior "
            f"({r['correlation']:+.2f}); the calibrated scenario draws them independently, so its runs are "
            f"somewhat wider than the posterior (correlations.csv)"
        )
    fit = res.fit
    if len(fit):
        print(
            f"\nobserved months inside the 95% monthly interval: original {fit['in_prior_95'].mean():.0%}, "
            f"calibrated {fit['in_calibrated_95'].mean():.0%} ({len(fit)} values)"
        )
    print(f"calibrated scenario: {res.scenario_out}")
    print(
        f"results: {res.out}/ (parameters.csv, posterior.csv, correlations.csv, rounds.csv, fit.csv, "
        f"charts/fit_*.png, manifest.json)"
    )


def print_backtest(res, quiet: bool) -> None:
    cov, pit, scores = res.coverage, res.points["pit"], res.scores
    print(f"\n{len(res.points)} later observed values (year to date) compared")
    print(f"{'interval':>9s} {'coverage':>9s}  {'95% interval':>15s}")
    for _, r in cov.iterrows():
        print(f"{r['nominal']:9.0%} {r['coverage']:9.1%}  [{r['ci_low']:6.1%}, {r['ci_high']:6.1%}]")
    print(f"PIT mean {pit.mean():.2f} (0.50 if calibrated), sd {pit.std():.2f} (0.29)")
    if not quiet:
        print(f"\n{'indicator':28s} {'n':>4s} {'CRPS':>10s} {'skill':>7s}")
        for _, r in scores.iterrows():
            print(f"{r['indicator']:28s} {r['n']:4d} {r['crps']:10.4g} {r['crps_skill']:7.2f}")
    t = res.targets
    if len(t):
        print(
            f"targets with an observed outcome: mean Brier score {t['brier'].mean():.3f} "
            f"(without observations {t['brier_unconditioned'].mean():.3f})"
        )
    print(
        f"results: {res.out}/ (backtest.csv, coverage.csv, pit_histogram.csv, scores.csv, targets.csv, "
        f"charts/backtest_*.png, manifest.json)"
    )
