"""Charts: tables in, matplotlib Figures out. No modelling maths here.

Every chart carries a title with the zone, axis labels with units, and a footnote with the zone,
scenario, replication count, seed, run date and interval method (:class:`ChartMeta`). Colours
are the Okabe-Ito colour-blind-safe palette, and every series also differs by line style, marker
or hatch so the charts stay readable when printed in grey. Chinese text uses the bundled CJK font
(:func:`sim.report.fonts.use_cjk_font`).
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from sim.report.fonts import use_cjk_font  # noqa: E402
from sim.report.reproducible import SVG_HASH_SALT  # noqa: E402
from sim.report.labels import (indicator_label, interval_label, op_text, short_indicator_label,  # noqa: E402
                               text, threshold_text, unit_label)

# Okabe-Ito colour-blind-safe palette
BLACK, ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILION, PURPLE = (
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
GREY = "#999999"
SERIES = [BLUE, VERMILION, GREEN, ORANGE, PURPLE, SKY, BLACK, YELLOW]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1))]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
FOOT_COLOUR = "#333333"


@dataclass(frozen=True)
class ChartMeta:
    """What every chart states in its footnote."""
    zone: str
    scenario: str
    n: int
    seed: object
    run_date: str
    interval: str = "Wilson 95%"

    def footer(self, lang: str) -> str:
        return text("footer", lang, zone=self.zone, scenario=self.scenario, n=self.n, seed=self.seed,
                    date=self.run_date, interval=self.interval)


def _footnote(fig, s: str) -> None:
    fig.text(0.01, 0.006, s, fontsize=7.5, color=FOOT_COLOUR, ha="left", va="bottom")


def wrap_label(s: str, width: int = 46) -> str:
    """Wrap a label to lines of about ``width`` Latin characters (a CJK character counts two)."""
    import unicodedata
    lines, cur, n = [], "", 0
    for tok in _tokens(s):
        w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in tok)
        if cur and n + w > width:
            lines.append(cur.rstrip())
            cur, n = tok.lstrip(), w
        else:
            cur, n = cur + tok, n + w
    if cur:
        lines.append(cur.rstrip())
    return "\n".join(lines)


def _tokens(s: str) -> list[str]:
    """Words with their leading space; CJK characters one by one."""
    import re
    return re.findall(r"\s*[\u2e80-\u9fff\uff00-\uffef（）：，；、]|\s*[^\s\u2e80-\u9fff\uff00-\uffef（）：，；、]+", s)


def _pct(p: float) -> str:
    return "–" if p != p else f"{p:.0%}"


def _fmt(v: float) -> str:
    return f"{v:g}"


def target_label(row, lang: str, scenario) -> str:
    if str(row["target_id"]).startswith("ALL_"):
        return indicator_label("all_targets", lang)
    lab = indicator_label(row["indicator"], lang, scenario)
    if row["unit"] == "0/1":
        out = lab
    else:
        out = f"{lab} {op_text(row['op'])} {threshold_text(row['threshold'], row['unit'], lang)}"
    if not row["active"]:
        out += text("inactive", lang)
    return out


# ----------------------------------------------------------------------------- probability of each target

def probability_chart(summary: pd.DataFrame, scenario, lang: str, *, zone: str, scenario_name: str,
                      seed: int, run_date: str, interval: str | None = None) -> plt.Figure:
    """Horizontal bars: P(hit) with its 95% interval for every target, one panel per year,
    weakest first (top); the joint probability of the year at the bottom. ``scenario`` may be a
    Scenario, a resolved-scenario dict or None (labels only)."""
    use_cjk_font()
    years = sorted(summary["year"].unique())
    blocks = []
    for y in years:
        d = summary[summary["year"] == y]
        is_all = d["target_id"].astype(str).str.startswith("ALL_")
        targets = d[~is_all].sort_values("p_hit", ascending=False, kind="stable")
        blocks.append((y, pd.concat([d[is_all], targets])))
    heights = [max(len(b), 1) for _, b in blocks]
    fig, axes = plt.subplots(len(blocks), 1, figsize=(10, 1.6 + 0.3 * sum(heights) + 0.9 * len(blocks)),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    n = int(summary["n_reps"].max())
    for i, (ax, (y, d)) in enumerate(zip(axes[:, 0], blocks)):
        pos = np.arange(len(d))
        p = d["p_hit"].to_numpy(dtype=float)
        kinds = ["joint" if t.startswith("ALL_") else ("active" if a else "inactive")
                 for t, a in zip(d["target_id"].astype(str), d["active"])]
        colour = {"joint": VERMILION, "active": BLUE, "inactive": GREY}
        hatch = {"joint": "xx", "active": None, "inactive": "///"}
        for k in ("active", "inactive", "joint"):
            m = np.array([x == k for x in kinds])
            if m.any():
                ax.barh(pos[m], p[m], color=colour[k], height=0.7, hatch=hatch[k], edgecolor="white",
                        linewidth=0)
        err = np.vstack([p - d["ci_low"].to_numpy(dtype=float), d["ci_high"].to_numpy(dtype=float) - p])
        ax.errorbar(p, pos, xerr=np.clip(err, 0, None), fmt="none", ecolor="black", elinewidth=1, capsize=2.5)
        for yy, pp, hi in zip(pos, p, d["ci_high"].to_numpy(dtype=float)):
            ax.text(min(hi + 0.01, 1.005), yy, _pct(pp), va="center", fontsize=8)
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
            handles = [Patch(color=BLUE, label=text("leg_active", lang))]
            if "inactive" in kinds or any(not a for a in summary["active"]):
                handles.append(Patch(facecolor=GREY, hatch="///", edgecolor="white", label=text("leg_inactive", lang)))
            handles += [Patch(facecolor=VERMILION, hatch="xx", edgecolor="white", label=text("leg_joint", lang)),
                        Line2D([], [], color=ORANGE, linestyle=":", label=text("line50", lang)),
                        Line2D([], [], color=ORANGE, linestyle="--", label=text("line80", lang))]
            ax.legend(handles=handles, loc="upper right", fontsize=7.5, framealpha=0.95)
    axes[-1, 0].set_xlabel(text("p_axis", lang))
    meta = ChartMeta(zone, scenario_name, n, seed, run_date, interval or interval_label("wilson", lang))
    _footnote(fig, meta.footer(lang))
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig


# ----------------------------------------------------------------------------- exceedance curves

def _curve_direction(targets: pd.DataFrame) -> str:
    act = targets[targets["active"]] if len(targets) else targets
    ops = list((act if len(act) else targets)["op"]) or [">="]
    return ops[0] if ops[0] in (">=", ">", "<=", "<") else ">="


def exceedance_chart(values: pd.DataFrame, targets: pd.DataFrame, indicator: str, lang: str, meta: ChartMeta,
                     scenario=None, unit: str = "") -> plt.Figure:
    """P(indicator >= x) against x, one curve per year, each target marked with its P(hit).

    ``values``: columns year, value (one row per replication and year, from indicators.csv).
    ``targets``: summary.csv rows of this indicator (op, threshold, year, p_hit, ci_low, ci_high,
    active). A "<=" / "<" target turns the curve into P(indicator <= x)."""
    use_cjk_font()
    op = _curve_direction(targets)
    label = indicator_label(indicator, lang, scenario)
    ulab = unit_label(unit, lang)
    fig, ax = plt.subplots(figsize=(8, 4.6))
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
        if integer:                         # whole numbers (counts): the curve is only defined there
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
        style = dict(color=SERIES[i % len(SERIES)], linestyle=LINESTYLES[i % len(LINESTYLES)], linewidth=2,
                     label=text("year_n", lang, year=y))
        if integer:
            ax.plot(xs, ps, marker=MARKERS[i % len(MARKERS)] if len(xs) <= 40 else None, markersize=4, **style)
        else:
            ax.plot(xs, ps, **style)
    for _, t in targets.iterrows():
        i = years.index(t["year"]) if t["year"] in years else 0
        c = SERIES[i % len(SERIES)]
        x, p = float(t["threshold"]), float(t["p_hit"])
        ax.axvline(x, color=c, linestyle=":", linewidth=1, alpha=0.8)
        lab = text("target_mark", lang, year=t["year"], op=op_text(t["op"]), thr=threshold_text(x, unit, lang),
                   p=_pct(p))
        if not t["active"]:
            lab += text("inactive_short", lang)
        # the target's own P(hit) with its interval; its text goes to the legend (no overlap)
        ax.errorbar([x], [p], yerr=[[max(p - t["ci_low"], 0)], [max(t["ci_high"] - p, 0)]],
                    fmt=MARKERS[(i + 1) % len(MARKERS)] if not t["active"] else MARKERS[i % len(MARKERS)],
                    color=c if t["active"] else "white", markersize=7, markeredgecolor="black", ecolor="black",
                    capsize=3, zorder=5, label=lab)
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
    _footnote(fig, meta.footer(lang))
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


def fan_chart(monthly: pd.DataFrame, targets: pd.DataFrame, indicator: str, lang: str, meta: ChartMeta,
              scenario=None, unit: str = "", cumulative: bool = True) -> plt.Figure:
    """Median and 50/80/95% bands of the monthly (year-to-date) value, with each year's target.

    ``monthly``: monthly.csv rows of one indicator (month, p2_5 ... p97_5).
    ``cumulative``: True when the values are year-to-date sums (flows), False for stocks."""
    use_cjk_font()
    d = monthly.sort_values("month")
    months = list(d["month"].astype(str))
    x = np.arange(len(months))
    label = indicator_label(indicator, lang, scenario)
    ulab = unit_label(unit, lang)
    fig, ax = plt.subplots(figsize=(8, 4.6))
    bands = [("p2_5", "p97_5", 95, "#C6DBEF"), ("p10", "p90", 80, "#85B6DC"), ("p25", "p75", 50, "#3F8AC4")]
    # year-to-date values restart each January: draw each calendar year on its own
    segments = [[k for k, m in enumerate(months) if m[:4] == y] for y in dict.fromkeys(m[:4] for m in months)]
    qcols = [c for c, _, _, _ in bands] + [c for _, c, _, _ in bands] + ["p50"]
    q = d[qcols].to_numpy(dtype=float)
    steps = bool(np.allclose(q, np.round(q)))          # whole numbers (counts): draw steps, not slopes
    for j, seg in enumerate(segments):
        ds = d.iloc[seg]
        for lo, hi, pct, col in bands:
            ax.fill_between(x[seg], ds[lo], ds[hi], color=col, linewidth=0, step="mid" if steps else None,
                            label=text("fan_band", lang, pct=pct) if j == 0 else None)
        ax.plot(x[seg], ds["p50"], color=BLACK, linewidth=2, drawstyle="steps-mid" if steps else "default",
                label=text("fan_median", lang) if j == 0 else None)
    for i, (_, t) in enumerate(targets.sort_values(["year", "active"], ascending=[True, False]).iterrows()):
        sel = [k for k, m in enumerate(months) if m.startswith(str(int(t["year"])))]
        if not sel:
            continue
        style = "--" if t["active"] else ":"
        c = VERMILION if t["active"] else "#555555"
        ax.hlines(float(t["threshold"]), sel[0] - 0.5, sel[-1] + 0.5, colors=c, linestyles=style, linewidth=2)
        lab = text("fan_target", lang, year=int(t["year"]), op=op_text(t["op"]),
                   thr=threshold_text(float(t["threshold"]), unit, lang))
        if not t["active"]:
            lab += text("inactive_short", lang)
        ax.annotate(lab, (sel[0] - 0.3, float(t["threshold"])), xytext=(0, 4), textcoords="offset points",
                    fontsize=8.5, color=c, ha="left", va="bottom",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
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
        lo = min(0.0, ymin)                  # sums that restart in January: from zero
    else:
        lo = ymin - 0.25 * (ymax - ymin)     # a stock far from zero: show its movement
    ax.set_ylim(bottom=lo, top=ymax + 0.15 * (ymax - lo) if ymax > lo else None)
    ax.legend(loc="upper left", fontsize=8, ncols=2, framealpha=0.95)
    _footnote(fig, meta.footer(lang))
    fig.subplots_adjust(left=0.1, right=0.98, top=0.92, bottom=0.17)
    return fig


# ----------------------------------------------------------------------------- time to target

def time_to_target_chart(ttt: pd.DataFrame, labels: dict[str, str], final: dict[str, float], year: int,
                         lang: str, meta: ChartMeta, ncols: int = 3) -> plt.Figure:
    """Small multiples, one per target of ``year``: P(already reached) by month with its interval.

    ``ttt``: time_to_target.csv rows; ``labels``: target_id -> panel title, in panel order;
    ``final``: target_id -> P(hit) of summary.csv (annotated at year end)."""
    use_cjk_font()
    ids = [t for t in labels if t in set(ttt["target_id"])]
    n = max(len(ids), 1)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 0.7 + 2.25 * nrows + 0.5), squeeze=False,
                             sharex=True, sharey=True)
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
        ax.set_ylim(0, 1.05)
        ax.set_yticks([0, 0.5, 0.8, 1], ["0%", "50%", "80%", "100%"], fontsize=7.5)
        ax.set_xticks([0, 3, 6, 9, 11], [months[i][5:] if i < len(months) else "" for i in (0, 3, 6, 9, 11)],
                      fontsize=7.5)
        ax.grid(alpha=0.3)
        if tid in final and len(x):
            first = float(d["p_reached"].iloc[0])
            ax.text(0.03, 0.96 if first < 0.6 else 0.06, text("ttt_final", lang, p=_pct(final[tid])),
                    transform=ax.transAxes, ha="left", va="top" if first < 0.6 else "bottom", fontsize=8,
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.9))
    for k in range(len(ids), nrows * ncols):
        axes[k // ncols, k % ncols].set_visible(False)
        if k >= ncols:                      # the panel above is now the bottom of its column
            above = axes[k // ncols - 1, k % ncols]
            above.tick_params(labelbottom=True)
            above.set_xlabel(text("axis_month", lang) + f" ({year})", fontsize=8)
    for r in range(nrows):
        axes[r, 0].set_ylabel(text("ttt_y", lang), fontsize=8)
    for c in range(ncols):
        axes[-1, c].set_xlabel(text("axis_month", lang) + f" ({year})", fontsize=8)
    fig.suptitle(text("ttt_title", lang, zone=meta.zone, year=year), fontsize=11, x=0.01, ha="left")
    _footnote(fig, meta.footer(lang))
    fig.subplots_adjust(left=0.07, right=0.99, top=1 - 0.75 / fig.get_figheight(), bottom=0.8 / fig.get_figheight(),
                        hspace=0.62, wspace=0.12)
    return fig


# ----------------------------------------------------------------------------- rank distribution

def rank_chart(values: pd.DataFrame, targets: pd.DataFrame, indicator: str, lang: str, meta: ChartMeta,
               scenario=None) -> plt.Figure:
    """Histogram of a rank indicator per year (share of replications by rank), the target rank
    marked with its P(hit). ``values``: columns year, value; ``targets``: summary rows on it."""
    use_cjk_font()
    years = sorted(values["year"].unique())
    label = indicator_label(indicator, lang, scenario)
    fig, axes = plt.subplots(len(years), 1, figsize=(8, 0.9 + 2.6 * len(years)), squeeze=False, sharex=True)
    vmax = float(values["value"].max()) if len(values) else 1.0
    width = max(1, int(np.ceil(vmax / 40)))
    bins = np.arange(0.5, vmax + width + 0.5, width)
    for i, (ax, y) in enumerate(zip(axes[:, 0], years)):
        v = values.loc[values["year"] == y, "value"].to_numpy(dtype=float)
        w = np.full(v.shape, 1.0 / max(v.size, 1))
        notes = []
        for _, t in targets[targets["year"] == y].iterrows():
            x = float(t["threshold"]) + (0.5 if t["op"] == "<=" else -0.5)
            ax.axvspan(0, x, color=GREEN, alpha=0.12, linewidth=0)
            ax.axvline(x, color=VERMILION, linestyle="--", linewidth=1.5)
            notes.append(text("rank_mark", lang, thr=f"{float(t['threshold']):g}", p=_pct(float(t["p_hit"])))
                         + f" ({_pct(float(t['ci_low']))}–{_pct(float(t['ci_high']))})")
        ax.hist(v, bins=bins, weights=w, color=SERIES[i % len(SERIES)], edgecolor="white", linewidth=0.5,
                hatch=None if i == 0 else "//")
        if v.size:
            med = float(np.median(v))
            ax.axvline(med, color=BLACK, linewidth=1.2)
            notes.append(text("rank_median", lang, v=f"{med:g}"))
        ax.text(0.01, 0.95, "\n".join(notes), transform=ax.transAxes, ha="left", va="top", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="#888888", alpha=0.95))
        ax.set_xlim(0, vmax + width)
        ax.set_title(text("year_n", lang, year=y), fontsize=10, loc="left")
        ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        ax.set_ylabel(text("rank_y", lang), fontsize=8.5)
        ax.grid(alpha=0.3)
        ax.set_axisbelow(True)
    axes[-1, 0].set_xlabel(text("rank_x", lang))
    fig.suptitle(text("rank_title", lang, zone=meta.zone, indicator=label), fontsize=11, x=0.01, ha="left")
    _footnote(fig, meta.footer(lang))
    fig.tight_layout(rect=(0, 0.03, 1, 0.98))
    return fig


# ----------------------------------------------------------------------------- scenario comparison

def compare_chart(table: pd.DataFrame, year: int, lang: str, *, zone: str, seed: str, interval: str,
                  n: str = "", run_date: str = "") -> plt.Figure:
    """Dot-and-interval plot of P(hit) per target (rows) and scenario (colour and marker).

    ``table``: columns label, scenario, p_hit, ci_low, ci_high (targets in display order)."""
    use_cjk_font()
    key = "target_id" if "target_id" in table.columns else "label"
    ids = list(dict.fromkeys(table[key]))
    labels = [table.loc[table[key] == i, "label"].iloc[0] for i in ids]
    scen = list(dict.fromkeys(table["scenario"]))
    fig, ax = plt.subplots(figsize=(10, 1.4 + 0.38 * len(labels) * max(1, len(scen) / 2.5)))
    k = len(scen)
    off = (np.arange(k) - (k - 1) / 2) * (0.7 / max(k, 1))
    for j, s in enumerate(scen):
        d = table[table["scenario"] == s].drop_duplicates(key).set_index(key).reindex(ids)
        pos = np.arange(len(labels)) + off[j]
        p = d["p_hit"].to_numpy(dtype=float)
        lo, hi = d["ci_low"].to_numpy(dtype=float), d["ci_high"].to_numpy(dtype=float)
        err = np.clip(np.vstack([p - lo, hi - p]), 0, None)
        ax.errorbar(p, pos, xerr=err, fmt=MARKERS[j % len(MARKERS)], color=SERIES[j % len(SERIES)],
                    markeredgecolor="black", markersize=6, capsize=2, label=s, linestyle="none")
    ax.set_yticks(np.arange(len(labels)), labels, fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.02)
    ax.set_xticks(np.linspace(0, 1, 6), [f"{v:.0%}" for v in np.linspace(0, 1, 6)])
    ax.axvline(0.5, color=ORANGE, linestyle=":", linewidth=1.2)
    ax.axvline(0.8, color=ORANGE, linestyle="--", linewidth=1.2)
    ax.set_xlabel(text("p_axis", lang))
    ax.set_title(text("cmp_title", lang, zone=zone, year=year), fontsize=11, loc="left")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.95)
    _footnote(fig, text("cmp_footer", lang, zone=zone, scenarios=", ".join(scen), n=n, seed=seed, date=run_date,
                        interval=interval))
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


# ----------------------------------------------------------------------------- output

def render(fig: plt.Figure, formats=("png", "svg"), dpi: int = 150) -> dict[str, bytes]:
    """The figure's bytes in each format, then close it."""
    out = {}
    try:
        with plt.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
            for f in formats:
                buf = io.BytesIO()
                fig.savefig(buf, format=f, dpi=dpi, metadata={"Date": None} if f == "svg" else None)
                out[f] = buf.getvalue()
    finally:
        plt.close(fig)
    return out


def save(fig: plt.Figure, path, dpi: int = 150) -> None:
    """Save a figure atomically (format from the file suffix: .png, .svg, .pdf), then close it."""
    from sim.store import atomic_write_bytes
    fmt = str(path).rsplit(".", 1)[-1]
    atomic_write_bytes(path, render(fig, (fmt,), dpi)[fmt])


__all__ = ["ChartMeta", "probability_chart", "exceedance_chart", "fan_chart", "time_to_target_chart", "rank_chart",
           "compare_chart", "render", "save", "target_label", "short_indicator_label"]
