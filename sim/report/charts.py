"""Charts: tables in, matplotlib Figures out. No modelling maths here."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.report.fonts import use_cjk_font  # noqa: E402
from sim.report.labels import indicator_label, text, unit_label  # noqa: E402

# Okabe-Ito colour-blind-safe palette
BLUE, ORANGE, GREEN, GREY, VERMILION = "#0072B2", "#E69F00", "#009E73", "#999999", "#D55E00"


def _op_text(op: str) -> str:
    return {">=": "≥", ">": ">", "<=": "≤", "<": "<"}.get(op, op)


def target_label(row, lang: str, scenario) -> str:
    if row["target_id"].startswith("ALL_"):
        return indicator_label("all_targets", lang)
    lab = indicator_label(row["indicator"], lang, scenario)
    if row["unit"] == "0/1":
        out = lab
    else:
        out = f"{lab} {_op_text(row['op'])} {row['threshold']:g} {unit_label(row['unit'], lang)}"
    if not row["active"]:
        out += text("inactive", lang)
    return out


def probability_chart(summary: pd.DataFrame, scenario, lang: str, *, zone: str, scenario_name: str,
                      seed: int, run_date: str) -> plt.Figure:
    """Horizontal bars: P(hit) with its 95% interval for every target, one panel per year,
    weakest first; the joint probability of the year at the bottom."""
    use_cjk_font()
    years = sorted(summary["year"].unique())
    blocks = []
    for y in years:
        d = summary[summary["year"] == y]
        targets = d[~d["target_id"].str.startswith("ALL_")].sort_values("p_hit", ascending=False)
        blocks.append((y, pd.concat([d[d["target_id"].str.startswith("ALL_")], targets])))
    heights = [len(b) for _, b in blocks]
    fig, axes = plt.subplots(len(blocks), 1, figsize=(10, 1.6 + 0.3 * sum(heights) + 0.9 * len(blocks)),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    n = int(summary["n_reps"].max())
    for ax, (y, d) in zip(axes[:, 0], blocks):
        pos = np.arange(len(d))
        colours = [VERMILION if t.startswith("ALL_") else (BLUE if a else GREY)
                   for t, a in zip(d["target_id"], d["active"])]
        p = d["p_hit"].to_numpy()
        err = np.vstack([p - d["ci_low"].to_numpy(), d["ci_high"].to_numpy() - p])
        ax.barh(pos, p, color=colours, height=0.7)
        ax.errorbar(p, pos, xerr=err, fmt="none", ecolor="black", elinewidth=1, capsize=2.5)
        for yy, pp, hi in zip(pos, p, d["ci_high"].to_numpy()):
            ax.text(min(hi + 0.01, 1.0), yy, f"{pp:.0%}", va="center", fontsize=8)
        ax.set_yticks(pos, [target_label(r, lang, scenario) for _, r in d.iterrows()], fontsize=8.5)
        ax.set_xlim(0, 1.08)
        ax.set_xticks(np.linspace(0, 1, 6), [f"{v:.0%}" for v in np.linspace(0, 1, 6)])
        for x, key, style in ((0.5, "line50", ":"), (0.8, "line80", "--")):
            ax.axvline(x, color=ORANGE, linestyle=style, linewidth=1)
        ax.set_title(text("p_title", lang, zone=zone, year=y), fontsize=11, loc="left")
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)
    axes[-1, 0].set_xlabel(text("p_axis", lang))
    fig.text(0.01, 0.005, text("footer", lang, scenario=scenario_name, n=n, seed=seed, date=run_date),
             fontsize=7.5, color="#444444")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return fig


def save(fig: plt.Figure, path) -> None:
    """Save a figure atomically (PNG), then close it."""
    import io
    from sim.store import atomic_write_bytes
    buf = io.BytesIO()
    fig.savefig(buf, format=str(path).rsplit(".", 1)[-1], dpi=150)
    plt.close(fig)
    atomic_write_bytes(path, buf.getvalue())
