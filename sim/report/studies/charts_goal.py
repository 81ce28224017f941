"""The chart of a goal seek: each goal's P(hit) against the cost of the candidates, with the cost
front, the goal's level and the chosen package verified on fresh replications. A goal-seek result
in, a Figure out, in the study style of :mod:`sim.report.studies.chart_style`.
"""

from __future__ import annotations

import numpy as np

from sim.report.studies.chart_style import BLUE, GREY, VERMILION, footer, new_figure


def front_chart(g, lang: str, meta: str, labels: list[str]):
    """One panel per goal: every evaluated candidate (grey), the front (blue staircase with the
    search's 95% intervals), the level (dashed) and the verified package (vermilion, its interval)."""
    n = len(g.goals)
    fig, axes = new_figure(max(7.5, 4.6 * n + 0.6), 4.4, ncols=n, squeeze=False, sharey=True)
    ev = g.trials[g.trials["evaluated"]]
    front = g.front.sort_values("cost")
    chosen = g.trials.loc[g.chosen]
    for ax, goal, label in zip(axes[0], g.goals, labels, strict=True):
        tid = goal.target_id
        ax.scatter(
            ev["cost"],
            100 * ev[f"p__{tid}"],
            s=12,
            color=GREY,
            alpha=0.6,
            label="候选组合（搜索）" if lang == "zh" else "candidates (search)",
        )
        x, p = front["cost"].to_numpy(), 100 * front[f"p__{tid}"].to_numpy()
        lo, hi = 100 * front[f"ci_low__{tid}"].to_numpy(), 100 * front[f"ci_high__{tid}"].to_numpy()
        ax.step(x, p, where="post", color=BLUE, linewidth=1.2)
        ax.errorbar(
            x,
            p,
            yerr=np.vstack([p - lo, hi - p]),
            fmt="o",
            color=BLUE,
            ms=4,
            elinewidth=0.8,
            capsize=2,
            label=(
                "成本前沿：最弱目标的最低成本（搜索，95% 模拟精度区间）"
                if lang == "zh"
                else "cost front by the weakest goal (search, 95% simulation-precision interval)"
            ),
        )
        ax.axhline(
            100 * goal.level,
            color="black",
            linestyle="--",
            linewidth=0.9,
            label=(f"目标 {goal.level:.0%}" if lang == "zh" else f"goal {goal.level:.0%}"),
        )
        v = g.verified.set_index("target_id").loc[tid]
        vp = 100 * v["p_hit"]
        ax.errorbar(
            [chosen["cost"]],
            [vp],
            yerr=[[vp - 100 * v["ci_low"]], [100 * v["ci_high"] - vp]],
            fmt="*",
            color=VERMILION,
            ms=12,
            elinewidth=1.2,
            capsize=3,
            label=(
                f"所选组合：新重复验证（{g.verify_reps} 次）"
                if lang == "zh"
                else f"chosen package, verified ({g.verify_reps} fresh replications)"
            ),
        )
        ax.set_title(label, fontsize=9.5, loc="left")
        ax.set_xlabel("计划之外的成本（万元）" if lang == "zh" else "cost beyond the plan (万元)")
        ax.set_ylim(-2, 102)
        ax.grid(alpha=0.3)
        ax.set_axisbelow(True)
    axes[0, 0].set_ylabel("达成概率（%）" if lang == "zh" else "P(hit) (%)")
    axes[0, 0].legend(fontsize=7, loc="lower right")
    head = (
        "目标搜索：达到各目标概率的最低成本组合"
        if lang == "zh"
        else "Goal seek: the cheapest package of levers reaching each goal's probability"
    )
    fig.suptitle(head, fontsize=10.5, x=0.01, ha="left")
    footer(fig, meta)
    return fig
