"""The deck's charts, drawn for a 16:9 slide at slide resolution: P(hit) of a group of targets
(:func:`group_chart`) and the paired difference of P(hit) between two scenarios
(:func:`paired_chart`). Tables in, Figures out; the look is :mod:`sim.report.charts.base`'s.

Every figure is :data:`sim.report.charts.base.SLIDE_SIZE` inches, the picture area of the deck's
chart slides.
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
    GREEN,
    GREY,
    ORANGE,
    PACK_DPI,
    SLIDE_SIZE,
    VERMILION,
    ChartMeta,
    footnote,
    wrap_label,
)
from sim.report.texts.fonts import use_cjk_font
from sim.report.texts.formats import pct0
from sim.report.texts.words import text


def _p_axis(ax, lang: str) -> None:
    ax.set_xlim(0, 1.1)
    ax.set_xticks(np.linspace(0, 1, 6), [f"{v:.0%}" for v in np.linspace(0, 1, 6)], fontsize=11)
    ax.axvline(0.5, color=ORANGE, linestyle=":", linewidth=1.4)
    ax.axvline(0.8, color=ORANGE, linestyle="--", linewidth=1.4)
    ax.set_xlabel(text("p_axis", lang), fontsize=12)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)


def group_chart(rows: pd.DataFrame, labels: list[str], lang: str, meta: ChartMeta) -> plt.Figure:
    """Horizontal bars: P(hit) of each row of ``rows`` (summary.csv rows, in display order, top
    first) labelled ``labels``, with its simulation-precision interval; alternative figures grey."""
    use_cjk_font()
    fig, ax = plt.subplots(figsize=SLIDE_SIZE, dpi=PACK_DPI)
    n = len(rows)
    pos = np.arange(n)
    p = rows["p_hit"].to_numpy(dtype=float)
    lo, hi = rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float)
    active = rows["active"].to_numpy(dtype=bool)
    ax.barh(pos[active], p[active], color=BLUE, height=0.68)
    if (~active).any():
        ax.barh(pos[~active], p[~active], color=GREY, height=0.68, hatch="///", edgecolor="white", linewidth=0)
    ax.errorbar(
        p,
        pos,
        xerr=np.clip(np.vstack([p - lo, hi - p]), 0, None),
        fmt="none",
        ecolor="black",
        elinewidth=1.2,
        capsize=3,
    )
    size = 13 if n <= 8 else 11 if n <= 12 else 9.5
    for yy, pp, h in zip(pos, p, hi, strict=True):
        ax.text(min(h + 0.012, 1.02), float(yy), pct0(pp), va="center", fontsize=size)
    ax.set_yticks(pos, [wrap_label(s, 40 if lang == "zh" else 56) for s in labels], fontsize=size)
    ax.set_ylim(n - 0.4, -0.6)
    _p_axis(ax, lang)
    handles: list[Artist] = [Patch(color=BLUE, label=text("leg_active", lang))]
    if (~active).any():
        handles.append(Patch(facecolor=GREY, hatch="///", edgecolor="white", label=text("leg_inactive", lang)))
    handles += [
        Line2D([], [], color="black", marker="|", linestyle="-", label=text("leg_precision", lang)),
        Line2D([], [], color=ORANGE, linestyle=":", label=text("line50", lang)),
        Line2D([], [], color=ORANGE, linestyle="--", label=text("line80", lang)),
    ]
    fig.legend(handles=handles, loc="upper right", ncol=len(handles), fontsize=10, frameon=False)
    footnote(fig, meta.footer(lang))
    fig.tight_layout(rect=(0, 0.03, 1, 0.94))
    return fig


def paired_chart(
    table: pd.DataFrame, labels: list[str], lang: str, meta: ChartMeta, *, paired: bool, other: str, ref: str
) -> plt.Figure:
    """Horizontal bars: P(hit) of ``other`` minus ``ref`` per target, in percentage points, with
    the interval of the difference (paired by replication when ``paired``); green where the
    interval lies above 0, vermilion below, grey where it includes 0. ``table``: diff,
    diff_low, diff_high (fractions), rows in display order."""
    use_cjk_font()
    fig, ax = plt.subplots(figsize=SLIDE_SIZE, dpi=PACK_DPI)
    n = len(table)
    pos = np.arange(n)
    d = 100 * table["diff"].to_numpy(dtype=float)
    lo, hi = 100 * table["diff_low"].to_numpy(dtype=float), 100 * table["diff_high"].to_numpy(dtype=float)
    colour = [GREEN if a > 0 else VERMILION if b < 0 else GREY for a, b in zip(lo, hi, strict=True)]
    ax.barh(pos, d, color=colour, height=0.68)
    ax.errorbar(
        d,
        pos,
        xerr=np.clip(np.vstack([d - lo, hi - d]), 0, None),
        fmt="none",
        ecolor="black",
        elinewidth=1.2,
        capsize=3,
    )
    size = 12 if n <= 10 else 10 if n <= 16 else 8.5
    ax.set_yticks(pos, [wrap_label(s, 40 if lang == "zh" else 56) for s in labels], fontsize=size)
    ax.set_ylim(n - 0.4, -0.6)
    ax.axvline(0, color="black", linewidth=0.9)
    span = max(float(np.nanmax(np.abs(np.concatenate([lo, hi, [1.0]])))), 1.0) * 1.08
    ax.set_xlim(-span, span)
    ax.set_xlabel(text("pair_axis" if paired else "pair_axis_indep", lang), fontsize=12)
    ax.tick_params(axis="x", labelsize=11)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.set_title(text("pair_title", lang, other=other, ref=ref), fontsize=13, loc="left", pad=28)
    fig.legend(
        handles=[
            Patch(color=GREEN, label=text("pair_up", lang)),
            Patch(color=VERMILION, label=text("pair_down", lang)),
            Patch(color=GREY, label=text("pair_zero", lang)),
        ],
        loc="upper right",
        ncol=3,
        fontsize=10,
        frameon=False,
    )
    footnote(fig, meta.footer(lang))
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig
