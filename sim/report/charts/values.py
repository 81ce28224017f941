"""The pack's charts of an indicator's values: the exceedance curve (:func:`exceedance_chart`), the
monthly fan (:func:`fan_chart`) and the rank histogram (:func:`rank_chart`), each with the targets
on it marked. Tables in, Figures out; no modelling maths here.

Each chart carries a title with the zone, axis labels with units, and a footnote with the zone,
scenario, replication count, seed, run date and interval method; the look is
:mod:`sim.report.charts.base`'s.
"""

from __future__ import annotations

from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.report.charts.base import (
    BLACK,
    GREEN,
    LINESTYLES,
    MARKERS,
    PACK_DPI,
    SERIES,
    SLIDE_SIZE,
    VERMILION,
    ChartMeta,
    footnote,
    pct_text,
)
from sim.report.texts.fonts import use_cjk_font
from sim.report.texts.formats import ci0
from sim.report.texts.labels import indicator_label, op_text, threshold_text, unit_label
from sim.report.texts.words import text

# ----------------------------------------------------------------------------- exceedance curves


def _curve_direction(targets: pd.DataFrame) -> str:
    act = targets[targets["active"]] if len(targets) else targets
    ops = list((act if len(act) else targets)["op"]) or [">="]
    return ops[0] if ops[0] in (">=", ">", "<=", "<") else ">="


def exceedance_chart(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    indicator: str,
    lang: str,
    meta: ChartMeta,
    scenario=None,
    unit: str = "",
) -> plt.Figure:
    """P(indicator >= x) against x, one curve per year, each target marked with its P(hit).

    ``values``: columns year, value (one row per replication and year, from indicators.csv).
    ``targets``: summary.csv rows of this indicator (op, threshold, year, p_hit, ci_low, ci_high,
    active). A "<=" / "<" target turns the curve into P(indicator <= x)."""
    use_cjk_font()
    op = _curve_direction(targets)
    label = indicator_label(indicator, lang, scenario)
    ulab = unit_label(unit, lang)
    fig, ax = plt.subplots(figsize=(8, 4.6), dpi=PACK_DPI)
    years = sorted(values["year"].unique())
    thr_all = targets["threshold"].to_numpy(dtype=float) if len(targets) else np.array([])
    allv = values["value"].to_numpy(dtype=float)
    allv = allv[~np.isnan(allv)]
    # the x range covers the central 99% of the values and every target (not far outliers)
    core = np.percentile(allv, [0.5, 99.5]) if allv.size else np.array([0.0, 1.0])
    lo_x = float(np.min(np.concatenate([core, thr_all])))
    hi_x = float(np.max(np.concatenate([core, thr_all])))
    span = (hi_x - lo_x) or max(abs(hi_x), 1.0)
    integer = bool(allv.size) and np.allclose(allv, np.round(allv)) and (hi_x - lo_x) <= 400
    for i, y in enumerate(years):
        v = np.sort(values.loc[values["year"] == y, "value"].to_numpy(dtype=float))
        v = v[~np.isnan(v)]
        if not v.size:
            continue
        if integer:  # whole numbers (counts): the curve is only defined there
            xs = np.arange(np.floor(lo_x), np.ceil(hi_x) + 1)
        else:
            xs = np.linspace(lo_x - 0.05 * span, hi_x + 0.05 * span, 600)
        if op == ">=":
            ps = 1 - np.searchsorted(v, xs, side="left") / v.size
        elif op == ">":
            ps = 1 - np.searchsorted(v, xs, side="right") / v.size
        elif op == "<=":
            ps = np.searchsorted(v, xs, side="right") / v.size
        else:
            ps = np.searchsorted(v, xs, side="left") / v.size
        style: dict[str, Any] = dict(
            color=SERIES[i % len(SERIES)],
            linestyle=LINESTYLES[i % len(LINESTYLES)],
            linewidth=2,
            label=text("year_n", lang, year=y),
        )
        if integer:
            ax.plot(xs, ps, marker=MARKERS[i % len(MARKERS)] if len(xs) <= 40 else None, markersize=4, **style)
        else:
            ax.plot(xs, ps, **style)
    for _, t in targets.iterrows():
        i = years.index(t["year"]) if t["year"] in years else 0
        c = SERIES[i % len(SERIES)]
        x, p = float(t["threshold"]), float(t["p_hit"])
        ax.axvline(x, color=c, linestyle=":", linewidth=1, alpha=0.8)
        lab = text(
            "target_mark",
            lang,
            year=t["year"],
            op=op_text(t["op"]),
            thr=threshold_text(x, unit, lang),
            p=pct_text(p),
            ci=ci0(t["ci_low"], t["ci_high"]),
        )
        if not t["active"]:
            lab += text("inactive_short", lang)
        # the target's own P(hit) with its interval; its text goes to the legend (no overlap)
        ax.errorbar(
            [x],
            [p],
            yerr=[[max(p - t["ci_low"], 0)], [max(t["ci_high"] - p, 0)]],
            fmt=MARKERS[(i + 1) % len(MARKERS)] if not t["active"] else MARKERS[i % len(MARKERS)],
            color=c if t["active"] else "white",
            markersize=7,
            markeredgecolor="black",
            ecolor="black",
            capsize=3,
            zorder=5,
            label=lab,
        )
    ax.set_ylim(-0.02, 1.04)
    ax.set_xlim(lo_x - 0.05 * span, hi_x + 0.05 * span)
    if integer:
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_yticks(np.linspace(0, 1, 6), [f"{v:.0%}" for v in np.linspace(0, 1, 6)])
    ax.set_xlabel(text("axis_value", lang, indicator=label, unit=ulab) if ulab else label)
    ax.set_ylabel(text({">=": "exc_y_ge", ">": "exc_y_gt", "<=": "exc_y_le", "<": "exc_y_lt"}[op], lang))
    key = "exc_title" if op in (">=", ">") else "exc_title_le"
    ax.set_title(text(key, lang, zone=meta.zone, indicator=label), fontsize=11, loc="left")
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8.5, framealpha=0.95)
    footnote(fig, meta.footer(lang, "spread"))
    fig.subplots_adjust(left=0.1, right=0.98, top=0.92, bottom=0.17)
    return fig


# ----------------------------------------------------------------------------- monthly fan


def _month_ticks(ax, months: list[str], lang: str) -> None:
    idx = [i for i, m in enumerate(months) if m[5:] in ("01", "04", "07", "10")]
    ax.set_xticks(idx, [months[i] for i in idx], fontsize=8)
    ax.set_xlim(-0.5, len(months) - 0.5)
    for i, m in enumerate(months):
        if i and m.endswith("-01"):
            ax.axvline(i - 0.5, color="#666666", linewidth=0.8)


def fan_chart(
    monthly: pd.DataFrame,
    targets: pd.DataFrame,
    indicator: str,
    lang: str,
    meta: ChartMeta,
    scenario=None,
    unit: str = "",
    cumulative: bool = True,
) -> plt.Figure:
    """Median and 50/80/95% bands of the monthly (year-to-date) value, with each year's target;
    counts (unit "count") in whole-number steps.

    ``monthly``: monthly.csv rows of one indicator (month, p2_5 ... p97_5).
    ``cumulative``: True when the values are year-to-date sums (flows), False for stocks."""
    use_cjk_font()
    d = monthly.sort_values("month")
    if unit == "count":  # whole things: bands on whole numbers (outwards), never "0.5 leaders"
        d = d.copy()
        for lo, hi in (("p2_5", "p97_5"), ("p10", "p90"), ("p25", "p75")):
            d[lo], d[hi] = np.floor(d[lo] + 1e-9), np.ceil(d[hi] - 1e-9)
        d["p50"] = np.floor(d["p50"] + 0.5)
    months = list(d["month"].astype(str))
    x = np.arange(len(months))
    label = indicator_label(indicator, lang, scenario)
    ulab = unit_label(unit, lang)
    fig, ax = plt.subplots(figsize=(8, 4.6), dpi=PACK_DPI)
    bands = [("p2_5", "p97_5", 95, "#C6DBEF"), ("p10", "p90", 80, "#85B6DC"), ("p25", "p75", 50, "#3F8AC4")]
    # year-to-date values restart each January: draw each calendar year on its own
    segments = [[k for k, m in enumerate(months) if m[:4] == y] for y in dict.fromkeys(m[:4] for m in months)]
    qcols = [c for c, _, _, _ in bands] + [c for _, c, _, _ in bands] + ["p50"]
    q = d[qcols].to_numpy(dtype=float)
    steps = bool(np.allclose(q, np.round(q)))  # whole numbers (counts): draw steps, not slopes
    for j, seg in enumerate(segments):
        ds = d.iloc[seg]
        for lo, hi, pct, col in bands:
            ax.fill_between(
                x[seg],
                ds[lo],
                ds[hi],
                color=col,
                linewidth=0,
                step="mid" if steps else None,
                label=text("fan_band", lang, pct=pct) if j == 0 else None,
            )
        ax.plot(
            x[seg],
            ds["p50"],
            color=BLACK,
            linewidth=2,
            drawstyle="steps-mid" if steps else "default",
            label=text("fan_median", lang) if j == 0 else None,
        )
    for _i, (_, t) in enumerate(targets.sort_values(["year", "active"], ascending=[True, False]).iterrows()):
        sel = [k for k, m in enumerate(months) if m.startswith(str(int(t["year"])))]
        if not sel:
            continue
        c = VERMILION if t["active"] else "#555555"
        ax.hlines(
            float(t["threshold"]),
            sel[0] - 0.5,
            sel[-1] + 0.5,
            colors=c,
            linestyles="--" if t["active"] else ":",
            linewidth=2,
        )
        lab = text(
            "fan_target",
            lang,
            year=int(t["year"]),
            op=op_text(t["op"]),
            thr=threshold_text(float(t["threshold"]), unit, lang),
        )
        if not t["active"]:
            lab += text("inactive_short", lang)
        ax.annotate(
            lab,
            (sel[0] - 0.3, float(t["threshold"])),
            xytext=(0, 4),
            textcoords="offset points",
            fontsize=8.5,
            color=c,
            ha="left",
            va="bottom",
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8),
        )
    _month_ticks(ax, months, lang)
    ax.set_xlabel(text("axis_month", lang))
    ax.set_ylabel(text("axis_value", lang, indicator=label, unit=ulab) if ulab else label)
    basis = text("fan_ytd" if cumulative else "fan_stock", lang)
    ax.set_title(text("fan_title", lang, zone=meta.zone, indicator=label, basis=basis), fontsize=11, loc="left")
    ax.grid(alpha=0.3)
    ax.set_axisbelow(True)
    thr = targets["threshold"].to_numpy(dtype=float) if len(targets) else np.array([])
    ymax = max([float(d["p97_5"].max()), *thr])
    ymin = min([float(d["p2_5"].min()), *thr])
    if cumulative or ymin <= 0.25 * ymax:
        lo = min(0.0, ymin)  # sums that restart in January: from zero
    else:
        lo = ymin - 0.25 * (ymax - ymin)  # a stock far from zero: show its movement
    ax.set_ylim(bottom=lo, top=ymax + 0.15 * (ymax - lo) if ymax > lo else None)
    ax.legend(loc="upper left", fontsize=8, ncols=2, framealpha=0.95)
    footnote(fig, meta.footer(lang, "spread"))
    fig.subplots_adjust(left=0.1, right=0.98, top=0.92, bottom=0.17)
    return fig


# ----------------------------------------------------------------------------- rank distribution


def rank_chart(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    indicator: str,
    lang: str,
    meta: ChartMeta,
    scenario=None,
    slide: bool = False,
) -> plt.Figure:
    """Histogram of a rank indicator per year (share of replications by rank), the target rank
    marked with its P(hit) and the places that meet it shaded (in the legend). ``values``:
    columns year, value; ``targets``: summary rows on it. ``slide``: years side by side at
    :data:`SLIDE_SIZE` (the deck) instead of stacked."""
    use_cjk_font()
    years = sorted(values["year"].unique())
    label = indicator_label(indicator, lang, scenario)
    if slide:
        fig, axes = plt.subplots(1, len(years), figsize=SLIDE_SIZE, dpi=PACK_DPI, squeeze=False, sharey=True)
        axes = axes.T
    else:
        fig, axes = plt.subplots(
            len(years), 1, figsize=(8, 0.9 + 2.6 * len(years)), dpi=PACK_DPI, squeeze=False, sharex=True
        )
    vmax = float(values["value"].max()) if len(values) else 1.0
    width = max(1, int(np.ceil(vmax / 40)))
    bins = np.arange(0.5, vmax + width + 0.5, width)
    for i, (ax, y) in enumerate(zip(axes[:, 0], years, strict=True)):
        v = values.loc[values["year"] == y, "value"].to_numpy(dtype=float)
        w = np.full(v.shape, 1.0 / max(v.size, 1))
        notes = []
        for _, t in targets[targets["year"] == y].iterrows():
            x = float(t["threshold"]) + (0.5 if t["op"] == "<=" else -0.5)
            ax.axvspan(0, x, color=GREEN, alpha=0.12, linewidth=0, label=text("rank_zone", lang))
            ax.axvline(x, color=VERMILION, linestyle="--", linewidth=1.5, label=text("rank_target_line", lang))
            notes.append(
                text("rank_mark", lang, thr=f"{float(t['threshold']):g}", p=pct_text(float(t["p_hit"])))
                + f" ({ci0(float(t['ci_low']), float(t['ci_high']))})"
            )
        ax.hist(
            v,
            bins=bins,
            weights=w,
            color=SERIES[i % len(SERIES)],
            edgecolor="white",
            linewidth=0.5,
            hatch=None if i == 0 else "//",
        )
        if v.size:
            med = float(np.median(v))
            ax.axvline(med, color=BLACK, linewidth=1.2, label=text("fan_median", lang))
            notes.append(text("rank_median", lang, v=f"{med:g}"))
        ax.text(
            0.01,
            0.95,
            "\n".join(notes),
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize=9,
            bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="#888888", alpha=0.95),
        )
        ax.set_xlim(0, vmax + width)
        ax.set_title(text("year_n", lang, year=y), fontsize=10, loc="left")
        ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        ax.set_ylabel(text("rank_y", lang), fontsize=8.5)
        ax.grid(alpha=0.3)
        ax.set_axisbelow(True)
    for ax in axes[:, 0] if slide else axes[-1:, 0]:
        ax.set_xlabel(text("rank_x", lang))
    handles, names = axes[0, 0].get_legend_handles_labels()
    h = fig.get_figheight()
    fig.suptitle(text("rank_title", lang, zone=meta.zone, indicator=label), fontsize=11, x=0.01, ha="left")
    # the legend on a line of its own under the title (beside it, a long title ran into it)
    fig.legend(
        handles,
        names,
        loc="upper right",
        bbox_to_anchor=(0.99, 1 - 0.35 / h),
        ncol=len(names),
        fontsize=8.5,
        frameon=False,
    )
    footnote(fig, meta.footer(lang, "spread"))
    fig.tight_layout(rect=(0, 0.03, 1, 1 - 0.6 / h))
    return fig
