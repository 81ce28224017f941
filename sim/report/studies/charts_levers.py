"""Charts of the lever studies: ``compare`` (paired differences), ``sweep`` (lever response),
``sensitivity`` (Sobol indices, tornado). Tables in, Figures out, in the study style of
:mod:`sim.report.studies.chart_style`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from sim.analysis.tornado import reported_factors, tornado_swings
from sim.experiment.levers import Lever, display, parse_value, short_label
from sim.report.studies.chart_style import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    PALETTE,
    VERMILION,
    footer,
    new_figure,
    target_text,
)
from sim.report.studies.console import rank_statement
from sim.report.texts.labels import unit_label
from sim.report.texts.linebreak import wrap


def difference_chart(table: pd.DataFrame, sc, lang: str, meta: str, only_active: bool = True):
    """Horizontal bars: P(hit) difference of each scenario vs the reference, with its interval,
    one panel per scenario, targets sorted by year then by the first scenario's difference."""
    d = table[table["active"]] if only_active else table
    scen = list(dict.fromkeys(d["scenario"]))
    ref = d["reference"].iloc[0]
    first = d[d["scenario"] == scen[0]].sort_values(["year", "diff"], ascending=[True, False])
    order = list(first["target_id"])
    n_t = len(order)
    fig, axes = new_figure(4.2 + 3.3 * len(scen), 1.6 + 0.24 * n_t, ncols=len(scen), sharey=True, squeeze=False)
    pos = np.arange(n_t)
    for _k, (ax, name) in enumerate(zip(axes[0], scen, strict=True)):
        e = d[d["scenario"] == name].set_index("target_id").reindex(order)
        diff = 100 * e["diff"].to_numpy()
        lo, hi = 100 * e["diff_low"].to_numpy(), 100 * e["diff_high"].to_numpy()
        col = [GREEN if low > 0 else VERMILION if high < 0 else GREY for low, high in zip(lo, hi, strict=True)]
        ax.barh(pos, diff, color=col, height=0.65, alpha=0.85)
        ax.errorbar(
            diff, pos, xerr=np.vstack([diff - lo, hi - diff]), fmt="none", ecolor="black", elinewidth=0.9, capsize=2
        )
        ax.axvline(0, color="black", linewidth=0.8)
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)
        title = f"{name} − {ref}：达成概率之差" if lang == "zh" else f"{name} − {ref}: difference in P(hit)"
        ax.set_title(title, fontsize=10, loc="left")
        ax.set_xlabel(
            "百分点（95% 模拟精度区间）" if lang == "zh" else "percentage points (95% simulation-precision interval)"
        )
        years = e["year"].to_numpy()
        for j in range(1, n_t):
            if years[j] != years[j - 1]:
                ax.axhline(j - 0.5, color="#666666", linewidth=0.6, linestyle="--")
    rows = first.reset_index(drop=True)
    axes[0, 0].set_yticks(pos, [target_text(sc, r, lang) for _, r in rows.iterrows()], fontsize=7.5)
    axes[0, 0].invert_yaxis()
    paired = bool(d["paired"].iloc[0])
    note = (
        "绿：区间高于 0；红：低于 0；灰：区间含 0"
        if lang == "zh"
        else "green: interval above 0; red: below 0; grey: interval includes 0"
    )
    if lang == "zh":
        head = "情景比较：配对差值（Newcombe 配对区间）" if paired else "情景比较：独立样本差值（Newcombe 区间）"
    else:
        head = (
            "Scenario comparison: paired differences (Newcombe interval for paired proportions)"
            if paired
            else "Scenario comparison: independent samples (Newcombe interval)"
        )
    fig.suptitle(f"{head}\n{note}", fontsize=10, x=0.01, ha="left")
    footer(fig, meta)
    return fig


def responsive_targets(table: pd.DataFrame, k: int = 9) -> list[str]:
    """Active targets whose P(hit) moves most over the grid (the joint rows excluded)."""
    t = table[table["active"] & ~table["target_id"].str.startswith("ALL_")]
    span = t.groupby("target_id")["p_hit"].agg(lambda x: x.max() - x.min())
    span = span[span > 0].sort_values(ascending=False)
    return list(span.index[:k])


def lever_axis_label(lv: Lever, lang: str) -> str:
    """A lever's name with its id, for an axis."""
    return f"{short_label(lv, lang)}（{lv.id}）" if lang == "zh" else f"{short_label(lv, lang)} ({lv.id})"


def response_chart(
    table: pd.DataFrame,
    reach: pd.DataFrame,
    levers: list[Lever],
    targets: list[str],
    level: float,
    sc,
    lang: str,
    meta: str,
):
    """P(hit) against the first lever with its 95% band, one panel per target, one line per value
    of the second lever; the chosen probability level dashed."""
    start = sc.run.start
    lv = levers[0]
    n = len(targets)
    ncol = min(3, n)
    nrow = int(np.ceil(n / ncol))
    fig, axes = new_figure(4.3 * ncol, 1.2 + 2.9 * nrow, nrows=nrow, ncols=ncol, squeeze=False, sharex=True)
    x_all = sorted(table[f"{lv.id}__num"].unique())
    second = levers[1] if len(levers) > 1 else None
    series = (
        [(None, table)]
        if second is None
        else [(v, table[table[f"{second.id}__num"] == v]) for v in sorted(table[f"{second.id}__num"].unique())]
    )
    for k, tid in enumerate(targets):
        ax = axes[k // ncol, k % ncol]
        for j, (v2, d) in enumerate(series):
            d = d[d["target_id"] == tid].sort_values(f"{lv.id}__num")
            x = d[f"{lv.id}__num"].to_numpy()
            col = PALETTE[j % len(PALETTE)]
            lab = None if second is None else f"{short_label(second, lang)} = {display(second, v2, start)}"
            ax.plot(x, d["p_hit"], marker="o", ms=3, color=col, label=lab, linewidth=1.4)
            ax.fill_between(x, d["ci_low"], d["ci_high"], color=col, alpha=0.18, linewidth=0)
        ax.axhline(level, color=ORANGE, linestyle="--", linewidth=1)
        ax.set_ylim(-0.02, 1.02)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"], fontsize=8)
        row = table[table["target_id"] == tid].iloc[0]
        ax.set_title(target_text(sc, row, lang), fontsize=8.5, loc="left")
        ax.grid(alpha=0.3)
        if second is None:
            r = reach[reach["target_id"] == tid]
            if len(r) and r["reached_at"].iloc[0]:
                xv = parse_value(lv, r["reached_at"].iloc[0], start)
                ax.axvline(xv, color="#555555", linestyle=":", linewidth=1)
        if second is not None and k == 0:
            ax.legend(fontsize=7, loc="best")
    for k in range(n, nrow * ncol):
        axes[k // ncol, k % ncol].set_visible(False)
    ticks = x_all if len(x_all) <= 10 else x_all[:: int(np.ceil(len(x_all) / 10))]
    for c in range(ncol):  # the lowest panel of each column carries the axis
        r = max(r for r in range(nrow) if r * ncol + c < n)
        ax = axes[r, c]
        ax.xaxis.set_tick_params(labelbottom=True)
        ax.set_xticks(
            ticks, [display(lv, t, start) for t in ticks], fontsize=7.5, rotation=30 if lv.kind == "month" else 0
        )
        ax.set_xlabel(lever_axis_label(lv, lang), fontsize=8.5)
    for r in range(nrow):
        axes[r, 0].set_ylabel("达成概率 P" if lang == "zh" else "P(hit)", fontsize=8.5)
    title = (
        f"杠杆响应：达成概率及 95% 区间（虚线 = {level:.0%}，点线 = 最少投入即达到的网格值）"
        if lang == "zh"
        else f"Lever response: P(hit) with 95% band (dashed = {level:.0%}; dotted = least-effort grid value reaching it)"
    )
    fig.suptitle(title, fontsize=10, x=0.01, ha="left")
    footer(fig, meta)
    return fig


def sobol_chart(sobol: pd.DataFrame, targets: list[str], sc, lang: str, meta: str, top: int = 12):
    """Per headline target: first-order and total Sobol indices of its indicator with 95% intervals,
    in rank order, and under them the sentence on which of the reported ranks are resolved."""
    n = len(targets)
    fig, axes = new_figure(
        6.2 * min(n, 2), 1.0 + 4.1 * math.ceil(n / 2), nrows=math.ceil(n / 2), ncols=min(n, 2), squeeze=False
    )
    for k, tid in enumerate(targets):
        ax = axes[k // 2, k % 2]
        d = sobol[(sobol["target_id"] == tid) & (sobol["output"] == "value")].sort_values("ST_rank")
        d = d.head(top).iloc[::-1]
        pos = np.arange(len(d))
        lab = d["label_en" if lang == "en" else "label_zh"].tolist()
        for off, col, key, name in (
            (0.19, BLUE, "ST", "总效应 ST" if lang == "zh" else "total ST"),
            (-0.19, ORANGE, "S1", "一阶 S1" if lang == "zh" else "first order S1"),
        ):
            v = d[key].to_numpy()
            err = np.vstack(
                [np.clip(v - d[f"{key}_low"].to_numpy(), 0, None), np.clip(d[f"{key}_high"].to_numpy() - v, 0, None)]
            )
            ax.barh(pos + off, v, height=0.36, color=col, label=name)
            ax.errorbar(v, pos + off, xerr=err, fmt="none", ecolor="black", elinewidth=0.8, capsize=1.5)
        colors = [VERMILION if kd == "lever" else ("#555555" if kd == "noise" else "black") for kd in d["kind"]]
        ax.set_yticks(pos, lab, fontsize=7.5)
        for tl, c in zip(ax.get_yticklabels(), colors, strict=True):
            tl.set_color(c)
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_xlim(-0.05, 1.05)
        ax.grid(axis="x", alpha=0.3)
        row = sobol[sobol["target_id"] == tid].iloc[0]
        ax.set_title(target_text(sc, row, lang), fontsize=9, loc="left")
        if k == 0:
            ax.legend(fontsize=7.5, loc="lower right")
        reported = reported_factors(sobol, tid)
        ax.set_xlabel(
            ("方差份额" if lang == "zh" else "share of the indicator's variance")
            + (f"\n{wrap(rank_statement(reported, lang), 56 if lang == 'en' else 60)}" if len(reported) else ""),
            fontsize=8,
        )
    for k in range(n, axes.size):
        axes[k // 2, k % 2].set_visible(False)
    title = (
        "Sobol 全局敏感性：指标方差来自哪里（红色 = 杠杆）"
        if lang == "zh"
        else "Sobol global sensitivity: where each indicator's variance comes from (red = lever)"
    )
    fig.suptitle(title, fontsize=10.5, x=0.01, ha="left")
    footer(fig, meta)
    return fig


def _setting(v) -> str:
    """A tornado factor's setting: numbers to three significant digits ("-2.2", "5.34"), else as it is."""
    try:
        return f"{float(v):.3g}"
    except (TypeError, ValueError):
        return str(v)


def tornado_chart(tornado: pd.DataFrame, targets: list[str], sc, lang: str, meta: str, top: int = 12, *, name_of):
    """Per headline target: P(hit) and the indicator's median at each factor's low and high
    setting, one at a time, bars from low to high around the base value. ``name_of(factor, kind,
    lang)`` gives a factor's readable name."""
    n = len(targets)
    fig, axes = new_figure(13, 1.0 + 4.0 * n, nrows=n, ncols=2, squeeze=False)
    for k, tid in enumerate(targets):
        w = tornado_swings(tornado, tid)
        moving = w[(w["p_swing"] != 0) | (w["median_swing"] != 0)]
        w = (moving if len(moving) else w).head(top).iloc[::-1]  # factors that move nothing are left out
        base = tornado[(tornado["target_id"] == tid) & (tornado["factor"] == "base")].iloc[0]
        labels = []
        for fid, r in w.iterrows():
            name = name_of(fid, r["kind"], lang)
            labels.append(f"{name}  [{_setting(r['setting_low'])} → {_setting(r['setting_high'])}]")
        pos = np.arange(len(w))
        for j, (lo_key, hi_key, b, _fmt) in enumerate(
            (("p_low", "p_high", base["p_hit"], "pct"), ("median_low", "median_high", base["median"], "num"))
        ):
            ax = axes[k, j]
            lo, hi = w[lo_key].to_numpy(), w[hi_key].to_numpy()
            left = np.minimum(lo, hi)
            col = [VERMILION if kd == "lever" else BLUE for kd in w["kind"]]
            ax.barh(pos, np.maximum(hi - lo, 0) + np.maximum(lo - hi, 0), left=left, color=col, alpha=0.8, height=0.6)
            ax.scatter(hi, pos, marker="|", color="black", s=60, zorder=3)
            ax.axvline(b, color="black", linewidth=0.9)
            ax.set_ylim(-0.5 - max(4 - len(w), 0), len(w) - 0.5)  # at least 4 rows tall
            ax.grid(axis="x", alpha=0.3)
            if j == 0:
                ax.set_yticks(pos, labels, fontsize=7)
                ax.set_xlim(-0.02, 1.02)
                ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"], fontsize=8)
                ax.set_xlabel(
                    "达成概率 P（| = 高设定）" if lang == "zh" else "P(hit)  (| marks the high setting)", fontsize=8
                )
            else:
                ax.set_yticks(pos, [""] * len(pos))
                thr = float(base["threshold"])
                ax.axvline(thr, color=ORANGE, linestyle="--", linewidth=1)
                ax.set_xlabel(
                    (
                        f"指标中位数（{unit_label(base['unit'], lang)}；橙色虚线 = 目标）"
                        if lang == "zh"
                        else f"median of the indicator ({unit_label(base['unit'], lang)}; dashed = target)"
                    ),
                    fontsize=8,
                )
            ttl = target_text(sc, base, lang)
            ax.set_title(ttl if j == 0 else ("中位数" if lang == "zh" else "median"), fontsize=9, loc="left")
    title = (
        "龙卷风图：逐一改变因子（其余照常抽样，共同随机数）；方括号内为低设定 → 高设定"
        if lang == "zh"
        else "Tornado: one factor at a time (others drawn as usual, common random numbers); "
        "brackets: low setting → high setting"
    )
    fig.suptitle(title, fontsize=9.5, x=0.01, ha="left", y=0.995)
    fig.legend(
        handles=[
            Patch(
                color=VERMILION,
                alpha=0.8,
                label="杠杆（取值范围两端）" if lang == "zh" else "lever (ends of its range)",
            ),
            Patch(
                color=BLUE,
                alpha=0.8,
                label="不确定参数（10% / 90% 分位）" if lang == "zh" else "uncertain parameter (10% / 90% quantiles)",
            ),
        ],
        loc="upper right",
        ncol=2,
        fontsize=8,
        frameon=False,
    )
    footer(fig, meta)
    return fig
