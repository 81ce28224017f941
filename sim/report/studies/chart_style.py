"""The look shared by the study charts (compare, sweep, sensitivity, discover): colours, figure,
footer, file output, and the short texts they print (the meta footer, a target's label).

Colours and file output are :mod:`sim.report.charts.base`'s: the same Okabe-Ito palette, and
:func:`sim.report.charts.base.save` (the study charts are written at 130 dpi). Study figures use the
constrained layout with the meta lines as the figure's x label (:func:`footer`), so a long
footer wraps instead of running off the page.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from sim.report.charts.base import BLACK, BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILION, save
from sim.report.texts.fonts import use_cjk_font
from sim.report.texts.labels import indicator_label, op_text, unit_label
from sim.report.texts.linebreak import columns, wrap

__all__ = [
    "BLUE",
    "GREEN",
    "GREY",
    "ORANGE",
    "PALETTE",
    "PURPLE",
    "SKY",
    "VERMILION",
    "footer",
    "meta_text",
    "new_figure",
    "save_png",
    "target_text",
]

PALETTE = [BLUE, VERMILION, GREEN, ORANGE, PURPLE, SKY, BLACK, GREY]
"""Series colours of the study charts: :data:`sim.report.charts.base.SERIES` with grey for the eighth."""

STUDY_DPI = 130


def meta_text(
    sc,
    names: list[str],
    reps,
    seed,
    date: str,
    lang: str,
    paired: bool | None = None,
    extra: str = "",
    runs: str | None = None,
) -> str:
    """The footer every lever chart carries: zone, scenarios, replications, seed, date."""
    zone = (
        f"{sc.scenario.zone_zh} ({sc.scenario.zone})" if lang == "zh" else f"{sc.scenario.zone} ({sc.scenario.zone_zh})"
    )
    pair = ""
    if paired is not None:
        pair = (
            ("；同一随机数（按重复配对）" if paired else "；独立随机种子")
            if lang == "zh"
            else ("; common random numbers (paired by replication)" if paired else "; independent seeds")
        )
    if runs is None:
        runs = f"每情景 {reps} 次重复" if lang == "zh" else f"{reps} replications each"
    if lang == "zh":
        return f"{zone}｜情景：{'、'.join(names)}｜{runs}｜种子 {seed}{pair}｜{date}{extra}"
    return f"{zone} | scenarios: {', '.join(names)} | {runs} | seed {seed}{pair} | {date}{extra}"


def target_text(sc, row, lang: str) -> str:
    """Short label of a target row (indicator, year, comparison, threshold)."""
    if str(row["target_id"]).startswith("ALL_"):
        return indicator_label("all_targets", lang) + f" {row['year']}"
    lab = indicator_label(row["indicator"], lang, sc)
    op = op_text(row["op"])
    unit, thr = row["unit"], f"{float(row['threshold']):g}"
    if unit == "0/1":
        return f"{lab} {row['year']}"
    if unit == "%":
        return f"{lab} {row['year']} {op} {thr}%"
    if unit in ("count", "persons", "rank", "") and lang == "en":
        return f"{lab} {row['year']} {op} {thr}"
    return f"{lab} {row['year']} {op} {thr} {unit_label(unit, lang)}".rstrip()


def new_figure(w, h, **kw):
    """A w x h inch figure with subplots (``plt.subplots`` keywords), constrained layout, CJK font."""
    use_cjk_font()
    fig, axes = plt.subplots(figsize=(w, h), layout="constrained", **kw)
    fig.get_layout_engine().set(rect=(0.012, 0, 0.985, 1))  # CJK labels are measured a little short
    return fig, axes


def footer(fig, text: str) -> None:
    """The meta lines at the bottom (wrapped to the figure's width); the layout keeps a strip free."""
    width = max(40, int(fig.get_figwidth() * 17))  # about 17 Latin characters (columns) per inch at 7 pt
    sep = "｜" if "｜" in text else " | "
    lines, line = [], ""
    for part in text.split(sep):
        cand = f"{line}{sep}{part}" if line else part
        if columns(cand) > width and line:
            lines.append(line)
            line = part
        else:
            line = cand
    lines.append(line)
    wrapped = "\n".join(wrap(ln, width) for ln in lines)
    fig.supxlabel(wrapped, fontsize=7, color="#444444", x=0.01, ha="left")


def save_png(fig, path: Path) -> None:
    """Write a study chart as PNG (atomically), then close it."""
    save(fig, path, dpi=STUDY_DPI)
