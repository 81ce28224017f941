"""The pack's charts of P(hit): every target's probability (:func:`probability_chart`), P(already
reached) month by month (:func:`time_to_target_chart`); scenario comparisons are
:mod:`sim.report.charts.slides`' paired differences. Tables in, Figures out; no modelling maths here.

Each chart carries a title with the zone, axis labels, and a footnote with the zone, scenario,
replication count, seed, run date and interval method; the look is :mod:`sim.report.charts.base`'s.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.report.charts.base import (
    BLUE,
    GREY,
    ORANGE,
    PACK_DPI,
    SKY,
    VERMILION,
    ChartMeta,
    footnote,
    pct_text,
    target_label,
    wrap_label,
)
from sim.report.texts.fonts import use_cjk_font
from sim.report.texts.formats import ci0
from sim.report.texts.labels import interval_label
from sim.report.texts.words import text

# ----------------------------------------------------------------------------- probability of each target


def probability_chart(
    summary: pd.DataFrame,
    scenario,
    lang: str,
    *,
    zone: str,
    scenario_name: str,
    seed: int,
    run_date: str,
    interval: str | None = None,
    what_if: pd.DataFrame | None = None,
) -> plt.Figure:
    """Horizontal bars: P(hit) with its 95% interval for every target, one panel per year,
    weakest first (top); the joint probability of the year at the bottom. ``scenario`` may be a
    Scenario, a resolved-scenario dict or None (labels only). ``what_if``: a second table of the
    same shape and targets (the studio's what-if), drawn as a second bar under each target's,
    labelled by ``leg_what_if`` (``summary``'s bars then read ``leg_base``) and ordered by it."""
    use_cjk_font()
    years = sorted(summary["year"].unique())
    blocks = []
    other = what_if.set_index("target_id") if what_if is not None else None
    for y in years:
        d = summary[summary["year"] == y]
        if other is not None:
            d = d.assign(_order=other["p_hit"].reindex(d["target_id"]).to_numpy())
        is_all = d["target_id"].astype(str).str.startswith("ALL_")
        targets = d[~is_all].sort_values("_order" if other is not None else "p_hit", ascending=False, kind="stable")
        blocks.append((y, pd.concat([d[is_all], targets])))
    heights = [max(len(b), 1) for _, b in blocks]
    fig, axes = plt.subplots(
        len(blocks),
        1,
        figsize=(10, 1.6 + (0.3 if other is None else 0.46) * sum(heights) + 0.9 * len(blocks)),
        dpi=PACK_DPI,
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    n = int(summary["n_reps"].max())
    for i, (ax, (y, d)) in enumerate(zip(axes[:, 0], blocks, strict=True)):
        pos = np.arange(len(d), dtype=float)
        kinds = [
            "joint" if t.startswith("ALL_") else ("active" if a else "inactive")
            for t, a in zip(d["target_id"].astype(str), d["active"], strict=True)
        ]
        colour = {"joint": VERMILION, "active": BLUE, "inactive": GREY}
        hatch = {"joint": "xx", "active": None, "inactive": "///"}
        series = [(d, pos, 0.7, colour)]
        if other is not None:  # the base above, lighter; the what-if below, in the usual colours
            w = other.reindex(d["target_id"]).reset_index()
            series = [(d, pos + 0.2, 0.38, {**colour, "active": SKY}), (w, pos - 0.2, 0.38, colour)]
        for tab, at, height, col in series:
            p = tab["p_hit"].to_numpy(dtype=float)
            for k in ("active", "inactive", "joint"):
                m = np.array([x == k for x in kinds])
                if m.any():
                    ax.barh(at[m], p[m], color=col[k], height=height, hatch=hatch[k], edgecolor="white", linewidth=0)
            err = np.vstack([p - tab["ci_low"].to_numpy(dtype=float), tab["ci_high"].to_numpy(dtype=float) - p])
            ax.errorbar(p, at, xerr=np.clip(err, 0, None), fmt="none", ecolor="black", elinewidth=1, capsize=2.5)
            for yy, pp, hi in zip(at, p, tab["ci_high"].to_numpy(dtype=float), strict=True):
                ax.text(min(hi + 0.01, 1.005), yy, pct_text(pp), va="center", fontsize=8 if other is None else 7)
        ax.set_yticks(pos, [target_label(r, lang, scenario) for _, r in d.iterrows()], fontsize=8.5)
        ax.set_ylim(-0.6, len(d) - 0.4)
        ax.set_xlim(0, 1.08)
        ax.set_xticks(np.linspace(0, 1, 6), [f"{v:.0%}" for v in np.linspace(0, 1, 6)])
        ax.axvline(0.5, color=ORANGE, linestyle=":", linewidth=1.3)
        ax.axvline(0.8, color=ORANGE, linestyle="--", linewidth=1.3)
        ax.set_title(text("p_title", lang, zone=zone, year=y), fontsize=11, loc="left")
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)
        if i == 0:
            handles: list[Artist] = [Patch(color=BLUE, label=text("leg_active", lang))]
            if other is not None:
                handles = [
                    Patch(color=SKY, label=text("leg_base", lang)),
                    Patch(color=BLUE, label=text("leg_what_if", lang)),
                ]
            if "inactive" in kinds or any(not a for a in summary["active"]):
                handles.append(Patch(facecolor=GREY, hatch="///", edgecolor="white", label=text("leg_inactive", lang)))
            if other is None or summary["target_id"].astype(str).str.startswith("ALL_").any():
                handles.append(Patch(facecolor=VERMILION, hatch="xx", edgecolor="white", label=text("leg_joint", lang)))
            handles += [
                Line2D([], [], color=ORANGE, linestyle=":", label=text("line50", lang)),
                Line2D([], [], color=ORANGE, linestyle="--", label=text("line80", lang)),
            ]
            ax.legend(handles=handles, loc="upper right", fontsize=7.5, framealpha=0.95)
    axes[-1, 0].set_xlabel(text("p_axis", lang))
    meta = ChartMeta(zone, scenario_name, n, seed, run_date, interval or interval_label("wilson", lang))
    footnote(fig, meta.footer(lang))
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig


# ----------------------------------------------------------------------------- time to target


def time_to_target_chart(
    ttt: pd.DataFrame,
    labels: dict[str, str],
    final: dict[str, tuple[float, float, float]],
    year: int,
    lang: str,
    meta: ChartMeta,
    ncols: int = 3,
) -> plt.Figure:
    """Small multiples, one per target of ``year``: P(already reached) by month with its interval.

    ``ttt``: time_to_target.csv rows; ``labels``: target_id -> panel title, in panel order;
    ``final``: target_id -> (P(hit), interval low, high) of summary.csv (annotated at year end)."""
    use_cjk_font()
    ids = [t for t in labels if t in set(ttt["target_id"])]
    n = max(len(ids), 1)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.6 * ncols, 0.7 + 2.25 * nrows + 0.5),
        dpi=PACK_DPI,
        squeeze=False,
        sharex=True,
        sharey=True,
    )
    months: list[str] = []
    # the panels share their axes: while the panels get their data, every addition would rescale
    # all of them (time quadratic in the panels); the y range is fixed, the x range found once, below
    for ax in axes.flat:
        ax.set_autoscalex_on(False)
    axes[0, 0].set_ylim(0, 1.05)
    for k, tid in enumerate(ids):
        ax = axes[k // ncols, k % ncols]
        d = ttt[ttt["target_id"] == tid].sort_values("month")
        months = list(d["month"].astype(str))
        x = np.arange(len(months))
        ax.fill_between(x, d["ci_low"], d["ci_high"], color="#A6CBE3", linewidth=0)
        ax.plot(x, d["p_reached"], color=BLUE, linewidth=2, marker="o", markersize=2.5)
        ax.axhline(0.5, color=ORANGE, linestyle=":", linewidth=1)
        ax.axhline(0.8, color=ORANGE, linestyle="--", linewidth=1)
        ax.set_title(wrap_label(labels[tid]), fontsize=8.5, loc="left")
        ax.tick_params(labelsize=7.5)
        ax.grid(alpha=0.3)
        if tid in final and len(x):
            first = float(d["p_reached"].iloc[0])
            ax.text(
                0.03,
                0.96 if first < 0.6 else 0.06,
                text("ttt_final", lang, p=pct_text(final[tid][0]), ci=ci0(*final[tid][1:])),
                transform=ax.transAxes,
                ha="left",
                va="top" if first < 0.6 else "bottom",
                fontsize=8,
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.9),
            )
    # the panels share both axes (their locators and formatters): the ticks are set once, for all
    for ax in axes.flat:
        ax.set_autoscalex_on(True)
    axes[0, 0].autoscale_view(scaley=False)
    if ids:
        first = axes[0, 0]
        first.set_yticks([0, 0.5, 0.8, 1], ["0%", "50%", "80%", "100%"])
        first.set_xticks([0, 3, 6, 9, 11], [months[i][5:] if i < len(months) else "" for i in (0, 3, 6, 9, 11)])
    for k in range(len(ids), nrows * ncols):
        axes[k // ncols, k % ncols].set_visible(False)
        if k >= ncols:  # the panel above is now the bottom of its column
            above = axes[k // ncols - 1, k % ncols]
            above.tick_params(labelbottom=True)
            above.set_xlabel(text("axis_month", lang) + f" ({year})", fontsize=8)
    for r in range(nrows):
        axes[r, 0].set_ylabel(text("ttt_y", lang), fontsize=8)
    for c in range(ncols):
        axes[-1, c].set_xlabel(text("axis_month", lang) + f" ({year})", fontsize=8)
    fig.suptitle(text("ttt_title", lang, zone=meta.zone, year=year), fontsize=11, x=0.01, ha="left")
    footnote(fig, meta.footer(lang))
    fig.subplots_adjust(
        left=0.07,
        right=0.99,
        top=1 - 0.75 / fig.get_figheight(),
        bottom=0.8 / fig.get_figheight(),
        hspace=0.62,
        wspace=0.12,
    )
    return fig
