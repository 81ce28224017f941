"""The province section's charts: tables in, a Figure out (no modelling maths)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.report.charts.base import BLUE, GREY, SERIES, SLIDE_SIZE, VERMILION, footnote, pct_text, wrap_label
from sim.report.province.words import say
from sim.report.texts.fonts import use_cjk_font


def zone_target_chart(cells: pd.DataFrame, lang: str, title: str, foot: str) -> plt.Figure:
    """A zone x target grid of P(hit): ``cells`` has ``zone``, ``target`` (labels, in order) and ``p_hit``."""
    use_cjk_font()
    zones = list(dict.fromkeys(cells["zone"]))
    targets = list(dict.fromkeys(cells["target"]))
    grid = np.full((len(zones), len(targets)), np.nan)
    for _, r in cells.iterrows():
        grid[zones.index(r["zone"]), targets.index(r["target"])] = r["p_hit"]
    fig, ax = plt.subplots(figsize=SLIDE_SIZE)
    ax.imshow(np.ma.masked_invalid(grid), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i in range(len(zones)):
        for j in range(len(targets)):
            v = grid[i, j]
            ax.text(
                j,
                i,
                "–" if v != v else pct_text(v),
                ha="center",
                va="center",
                fontsize=10,
                color="white" if v > 0.6 else "black",
            )
    ax.set_xticks(range(len(targets)), [wrap_label(t, 16) for t in targets], fontsize=8)
    ax.set_yticks(range(len(zones)), [wrap_label(z, 28) for z in zones], fontsize=9)
    ax.set_title(title, fontsize=13, loc="left")
    fig.subplots_adjust(left=0.2, right=0.99, top=0.9, bottom=0.22)
    footnote(fig, foot)
    return fig


def k_of_n_chart(rows: pd.DataFrame, lang: str, title: str, foot: str) -> plt.Figure:
    """P(at least k zones reach their rank target) by k, one series per year; ``rows``: the
    ``zones_in_rank_ge_<k>`` rows of portfolio.csv (``year``, ``threshold`` = k, ``p_hit``, ``ci_low``, ``ci_high``)."""
    use_cjk_font()
    fig, ax = plt.subplots(figsize=SLIDE_SIZE)
    years = sorted(rows["year"].unique())
    width = 0.8 / max(len(years), 1)
    for i, y in enumerate(years):
        d = rows[rows["year"] == y].sort_values("threshold")
        x = d["threshold"].to_numpy(float) + (i - (len(years) - 1) / 2) * width
        p = d["p_hit"].to_numpy(float)
        err = np.vstack([p - d["ci_low"].to_numpy(float), d["ci_high"].to_numpy(float) - p])
        ax.bar(
            x,
            p,
            width * 0.95,
            color=SERIES[i % len(SERIES)],
            label=say("year_n", lang, year=y),
            hatch=["", "//", ".."][i % 3],
        )
        ax.errorbar(x, p, yerr=err, fmt="none", ecolor="black", capsize=3, linewidth=1)
        for xi, pi, hi in zip(x, p, d["ci_high"].to_numpy(float), strict=True):
            ax.text(xi, min(hi + 0.02, 1.04), pct_text(pi), ha="center", va="bottom", fontsize=9)
    ks = sorted(rows["threshold"].astype(int).unique())
    ax.set_xticks(ks, [f"≥ {k}" for k in ks])
    ax.set_xlabel(say("chart_k_axis", lang))
    ax.set_ylabel(say("chart_p_axis", lang))
    ax.set_ylim(0, 1.1)
    ax.legend(loc="upper right", frameon=False)
    ax.set_title(title, fontsize=13, loc="left")
    fig.subplots_adjust(left=0.08, right=0.99, top=0.9, bottom=0.16)
    footnote(fig, foot)
    return fig


def totals_fan_chart(
    monthly: pd.DataFrame, targets: list[tuple[int, float]], lang: str, title: str, foot: str
) -> plt.Figure:
    """The zones' total trade, year to date, month by month: median and 10-90% / 25-75% bands
    (``monthly``: province_monthly.csv), with the province's trade targets at their year's December."""
    use_cjk_font()
    fig, ax = plt.subplots(figsize=SLIDE_SIZE)
    x = np.arange(len(monthly))
    months = list(monthly["month"].astype(str))
    for i, a in enumerate(range(0, len(x), 12)):  # a year at a time: the year-to-date total restarts in January
        s = slice(a, a + 12)
        lab = {k: (say(k, lang) if i == 0 else None) for k in ("band_80", "band_50", "median")}
        ax.fill_between(x[s], monthly["p10"][s], monthly["p90"][s], color=BLUE, alpha=0.18, lw=0, label=lab["band_80"])
        ax.fill_between(x[s], monthly["p25"][s], monthly["p75"][s], color=BLUE, alpha=0.35, lw=0, label=lab["band_50"])
        ax.plot(x[s], monthly["p50"][s], color=BLUE, linewidth=2, label=lab["median"])
    for year, thr in targets:
        dec = f"{year}-12"
        if dec in months:
            i = months.index(dec)
            ax.plot([i - 0.4, i + 0.4], [thr, thr], color=VERMILION, linewidth=3)
            ax.annotate(
                say("target_line", lang, year=year),
                (i, thr),
                textcoords="offset points",
                xytext=(-6, 6),
                ha="right",
                color=VERMILION,
                fontsize=9,
            )
    ax.set_xticks(x[::3], [months[i] for i in x[::3]], fontsize=8)
    ax.set_ylabel(say("chart_fan_axis", lang))
    ax.grid(axis="y", color=GREY, alpha=0.3)
    ax.legend(loc="upper left", frameon=False)
    ax.set_title(title, fontsize=13, loc="left")
    fig.subplots_adjust(left=0.08, right=0.99, top=0.9, bottom=0.14)
    footnote(fig, foot)
    return fig
