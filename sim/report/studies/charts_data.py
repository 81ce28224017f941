"""Charts of the data studies: ``calibrate`` (observed months against both models' monthly
bands) and ``backtest`` (PIT histogram, interval coverage, CRPS skill). Tables in, Figures out,
in the style of :mod:`sim.report.charts.base` (tight layout, CJK font).
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.report.texts.fonts import use_cjk_font
from sim.report.texts.labels import indicator_label, short_indicator_label, unit_label
from sim.vocabulary.outcomes import indicator_unit


def fit_chart(fit: pd.DataFrame, lang: str, title: str, scenario=None, units: dict | None = None):
    """Observed points against the original (grey) and calibrated (blue) 80% and 95% monthly bands."""
    use_cjk_font()
    inds = list(dict.fromkeys(fit["indicator"]))
    ncol = 2 if len(inds) > 1 else 1
    nrow = math.ceil(len(inds) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(6.2 * ncol, 3.1 * nrow + 0.6), squeeze=False)
    lab = {
        "zh": ("原情景 95%", "校准后 80%", "校准后 95%", "观测值"),
        "en": ("original 95%", "calibrated 80%", "calibrated 95%", "observed"),
    }[lang]
    for ax, ind in zip(axes.flat, inds, strict=True):
        d = fit[fit["indicator"] == ind]
        x = np.arange(len(d))
        ax.fill_between(x, d["prior_p2_5"], d["prior_p97_5"], color="#DDDDDD", label=lab[0], step="mid")
        ax.fill_between(x, d["calibrated_p2_5"], d["calibrated_p97_5"], color="#C6DBEF", label=lab[2], step="mid")
        ax.fill_between(x, d["calibrated_p10"], d["calibrated_p90"], color="#6BAED6", label=lab[1], step="mid")
        ax.plot(x, d["observed"], "o", color="black", markersize=3.5, label=lab[3])
        u = (units or {}).get(ind, "")
        ax.set_title(
            indicator_label(ind, lang, scenario) + (f" ({unit_label(u, lang)})" if u else ""), fontsize=10, loc="left"
        )
        step = max(1, len(d) // 6)
        ax.set_xticks(x[::step], list(d["month"])[::step], fontsize=8)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(inds) :]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=8, loc="best")
    fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    return fig


def observed_units(table) -> dict[str, str]:
    """Unit of each observed indicator (chart titles)."""
    return {k: indicator_unit(k) for k in table}


def backtest_chart(
    pit: pd.DataFrame, coverage: pd.DataFrame, scores: pd.DataFrame, lang: str, title: str, scenario=None
):
    """PIT histogram, interval coverage against nominal, CRPS skill per indicator."""
    use_cjk_font()
    t = {
        "zh": (
            "PIT 直方图（校准良好时应平坦）",
            "PIT",
            "占比",
            "区间覆盖率",
            "名义覆盖率",
            "实际覆盖率",
            "CRPS 技能（相对未用观测的预测）",
            "均匀分布",
        ),
        "en": (
            "PIT histogram (flat when calibrated)",
            "PIT",
            "share",
            "interval coverage",
            "nominal",
            "observed",
            "CRPS skill vs the forecast without observations",
            "uniform",
        ),
    }[lang]
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.4))
    ax = axes[0]
    ax.bar(
        pit["bin_low"],
        pit["share"],
        width=pit["bin_high"] - pit["bin_low"],
        align="edge",
        color="#6BAED6",
        edgecolor="white",
    )
    ax.axhline(1.0 / len(pit), color="black", linestyle="--", linewidth=1, label=t[7])
    ax.set_xlim(0, 1)
    ax.set(xlabel=t[1], ylabel=t[2])
    ax.set_title(t[0], fontsize=10, loc="left")
    ax.legend(fontsize=8)
    ax = axes[1]
    nom = coverage["nominal"].to_numpy(dtype=float)
    cov = coverage["coverage"].to_numpy(dtype=float)
    err = np.clip(
        np.vstack([cov - coverage["ci_low"].to_numpy(dtype=float), coverage["ci_high"].to_numpy(dtype=float) - cov]),
        0,
        None,
    )
    ax.plot([0, 1], [0, 1], color="#999999", linewidth=1)
    ax.errorbar(nom, cov, yerr=err, fmt="o", color="#08519C", capsize=3)
    for a, b in zip(nom, cov, strict=True):
        ax.annotate(f"{b:.0%}", (a, b), textcoords="offset points", xytext=(6, -10), fontsize=8)
    ax.set_xlim(0.3, 1.0)
    ax.set_ylim(0, 1.02)
    ax.set(xlabel=t[4], ylabel=t[5])
    ax.set_title(t[3], fontsize=10, loc="left")
    ax.grid(alpha=0.3)
    ax = axes[2]
    labels = [short_indicator_label(i, lang, scenario) for i in scores["indicator"]]
    sk = scores["crps_skill"].to_numpy(dtype=float)
    ax.barh(np.arange(len(sk)), sk, color=np.where(sk >= 0, "#31A354", "#DE2D26"))
    ax.set_yticks(np.arange(len(sk)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_title(t[6], fontsize=10, loc="left")
    ax.grid(axis="x", alpha=0.3)
    fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig
