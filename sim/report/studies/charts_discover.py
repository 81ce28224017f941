"""Chart of ``discover``: the first rule's box over the runs, and PRIM's peeling trajectory.
Tables in, Figure out, in the study style of :mod:`sim.report.studies.chart_style`.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.patches import Rectangle

from sim.months import month_of_end
from sim.report.studies.chart_style import BLUE, GREY, VERMILION, footer, new_figure, target_text
from sim.report.texts.linebreak import wrap


def discover_chart(d, lang: str, meta: str):
    """Left: the first rule's two main conditions, runs coloured by miss/hit, the box drawn.
    Right: the peeling trajectory (coverage against density), the chosen box marked.
    ``d``: a discover result (:class:`sim.experiment.discover.Discovery`)."""
    sc = d.ls.scenario
    start = sc.run.start
    fig, (ax, ax2) = new_figure(12.5, 5.6, ncols=2, gridspec_kw={"width_ratios": [1.25, 1]})
    c = d.conditions[d.conditions["rule"] == 1]
    cols = list(c["column"])
    feats = {f.column: f for f in d.features}
    if len(cols) == 1:
        others = [f.column for f in d.features if f.column != cols[0]]
        cols.append(others[0])
    fx, fy = feats[cols[0]], feats[cols[1]]
    x, y = d.experiments[fx.column].to_numpy(float), d.experiments[fy.column].to_numpy(float)
    rng = np.random.default_rng(0)  # jitter whole-number columns so points do not overlap
    xj = x + (rng.uniform(-0.25, 0.25, len(x)) if d.experiments[fx.column].nunique() < 12 else 0)
    yj = y + (rng.uniform(-0.25, 0.25, len(y)) if d.experiments[fy.column].nunique() < 12 else 0)
    m = d.miss
    ax.scatter(xj[~m], yj[~m], s=5, color=BLUE, alpha=0.35, label="hit" if lang == "en" else "达成")
    ax.scatter(xj[m], yj[m], s=5, color=VERMILION, alpha=0.5, label="miss" if lang == "en" else "未达成")
    rr = c.set_index("column")
    lo_x = rr["lower"].get(fx.column, -np.inf)
    hi_x = rr["upper"].get(fx.column, np.inf)
    lo_y = rr["lower"].get(fy.column, -np.inf) if fy.column in rr.index else -np.inf
    hi_y = rr["upper"].get(fy.column, np.inf) if fy.column in rr.index else np.inf
    bx0, bx1 = (lo_x if np.isfinite(lo_x) else x.min()), (hi_x if np.isfinite(hi_x) else x.max())
    by0, by1 = (lo_y if np.isfinite(lo_y) else y.min()), (hi_y if np.isfinite(hi_y) else y.max())
    if d.experiments[fx.column].nunique() < 12:  # whole numbers: the box spans the jittered columns
        bx0, bx1 = bx0 - 0.3, bx1 + 0.3
    if d.experiments[fy.column].nunique() < 12:
        by0, by1 = by0 - 0.3, by1 + 0.3
    ax.add_patch(Rectangle((bx0, by0), bx1 - bx0, by1 - by0, fill=False, edgecolor="black", linewidth=1.6))
    lab = (lambda f: f.label_en) if lang == "en" else (lambda f: f.label_zh)
    ax.set_xlabel(lab(fx), fontsize=8.5)
    ax.set_ylabel(lab(fy), fontsize=8.5)
    for f, setter, axis in ((fx, ax.set_xticks, "x"), (fy, ax.set_yticks, "y")):
        if f.kind in ("month_index", "month_time"):
            vals = d.experiments[f.column]
            ticks = np.arange(math.floor(vals.min()), math.ceil(vals.max()) + 1)
            step = max(1, math.ceil(len(ticks) / 8))
            ticks = ticks[::step]
            lab_t = [
                month_of_end(int(t), start) if f.kind == "month_index" else month_of_end(max(int(t), 1), start)
                for t in ticks
            ]
            setter(ticks, lab_t, fontsize=7, **({"rotation": 30} if axis == "x" else {}))
    r1 = d.rules.iloc[0]
    ax.legend(fontsize=7.5, loc="best", markerscale=2)
    hit = d.outcome == "hit"
    if lang == "zh":
        head = (
            f"规则 1：框内{'达成' if hit else '未达成'}率 {r1['density']:.0%}，覆盖全部{'达成' if hit else '未达成'}的 "
            f"{r1['coverage']:.0%}"
        )
        cond = wrap(r1["conditions_zh"], 96)
    else:
        head = (
            f"Rule 1: {r1['density']:.0%} of runs in the box {'hit' if hit else 'miss'}; "
            f"it holds {r1['coverage']:.0%} of the {'hits' if hit else 'misses'}"
        )
        cond = wrap(r1["conditions"], 95)
    ax.set_title(f"{head}\n{cond}", fontsize=8.5, loc="left")
    t = d.trajectory
    ax2.plot(t["coverage"], t["density"], marker="o", ms=2.5, color=GREY, linewidth=1)
    ch = t[t["chosen"]]
    ax2.scatter(
        ch["coverage"],
        ch["density"],
        s=60,
        color=VERMILION,
        zorder=3,
        label="chosen (before pruning)" if lang == "en" else "所选框（修剪前）",
    )
    ax2.axhline(d.rules.iloc[0]["base_rate"], color="black", linestyle=":", linewidth=1)
    word_en, word_zh = ("hit", "达成") if hit else ("miss", "未达成")
    ax2.set_xlabel(
        f"coverage: share of all {'hits' if hit else 'misses'} in the box"
        if lang == "en"
        else f"覆盖率：框内{word_zh}占全部{word_zh}",
        fontsize=8.5,
    )
    ax2.set_ylabel(
        f"density: share of the box's runs that {word_en}" if lang == "en" else f"密度：框内运行的{word_zh}比例",
        fontsize=8.5,
    )
    ax2.set_xlim(0, 1.02)
    ax2.set_ylim(0, 1.02)
    ax2.grid(alpha=0.3)
    ax2.legend(fontsize=7.5, loc="lower left")
    ax2.set_title(
        f"PRIM peeling trajectory (training runs); dotted = overall {word_en} rate"
        if lang == "en"
        else f"PRIM 剥离轨迹（训练样本）；点线 = 总体{word_zh}率",
        fontsize=9,
        loc="left",
    )
    row = {"target_id": d.target_id, **dict(_target_row(sc, d.target_id).items())}
    tgt = target_text(sc, row, lang)
    lever_note = (
        ("levers drawn over their declared ranges" if d.levers else "levers fixed")
        if lang == "en"
        else ("杠杆在声明范围内抽样" if d.levers else "杠杆固定")
    )
    fig.suptitle(
        (
            f"情景发现：何时{'达成' if hit else '未达成'} {tgt}（{lever_note}）"
            if lang == "zh"
            else f"Scenario discovery: when is '{tgt}' {'hit' if hit else 'missed'}? ({lever_note})"
        ),
        fontsize=10.5,
        x=0.01,
        ha="left",
    )
    footer(fig, meta)
    return fig


def _target_row(sc, tid):
    """The fields of a scenario's target that :func:`sim.report.studies.chart_style.target_text` reads."""
    t = sc.targets[tid]
    return dict(indicator=t.indicator, year=t.year, op=t.op, threshold=t.threshold, unit=t.unit)
