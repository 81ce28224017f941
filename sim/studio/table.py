"""The studio's answer as an HTML table: per target, the base's and the what-if's P(hit) with
their intervals, the paired difference, the value the target is about (median and 10-90% range,
and the growth a year it needs) and the growth column; the biggest moves first."""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd

from sim.report.texts.formats import value_fmt
from sim.report.texts.growth_words import band_note, band_position, pct
from sim.studio.growth_cells import growth_cell
from sim.studio.texts import t, target_label


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _signed(x: float) -> str:
    return f"{100 * x:+.1f}"


def ranked(table: pd.DataFrame) -> pd.DataFrame:
    """The rows by the size of their paired difference, biggest first (ties keep the targets' order)."""
    return table.iloc[np.argsort(-table["diff"].abs().to_numpy(), kind="stable")]


def value_cell(row: dict, lang: str) -> str:
    """The what-if's median value of the target's indicator in its year, its 10-90% range, and the
    growth a year it needs from the base year (where the growth column does not say it)."""
    q = [float(x) for x in (row.get(c) for c in ("p10", "p50", "p90")) if x is not None]
    if row.get("unit") == "0/1" or len(q) < 3 or not all(math.isfinite(x) for x in q):
        return "<td class='num zs-value'>–</td>"
    unit = str(row.get("unit", ""))
    cell = (
        f"{value_fmt(q[1], unit)}<span class='ci'> ({value_fmt(q[0], unit)} {t('to', lang)} "
        f"{value_fmt(q[2], unit)})</span>"
    )
    raw = row.get("growth_needed_yearly")
    need = float(raw) if isinstance(raw, (int, float)) else math.nan
    if math.isfinite(need) and not band_position(row):
        cell += f"<span class='zs-need'>{html.escape(t('need_year', lang, need=pct(need)))}</span>"
    return f"<td class='num zs-value' data-p50='{q[1]:.10g}'>{cell}</td>"


def results_table(table: pd.DataFrame, specs: dict, scenario, lang: str) -> str:
    """The answer as an HTML table; each row carries its target id and full-precision numbers."""
    head = (
        f"<tr><th>{t('target', lang)}</th><th>{t('base', lang)}</th><th>{t('what_if', lang)}</th>"
        f"<th class='zs-barcol'></th><th>{t('difference', lang)}</th><th>{t('value', lang)}</th>"
        f"<th>{t('growth', lang)}</th></tr>"
    )
    rows = []
    for r in ranked(table).itertuples():
        label = html.escape(target_label(specs[r.target_id], lang, scenario))
        cls = "" if r.active else " class='zs-inactive'"
        if not r.active:
            label += t("inactive", lang)
        tone = "zs-flat" if r.diff_low <= 0 <= r.diff_high else ("zs-up" if r.diff > 0 else "zs-down")
        bar = (
            f"<div class='zs-bar'><div class='band' style='left:{100 * r.p_low:.1f}%;"
            f"width:{100 * (r.p_high - r.p_low):.1f}%'></div><div class='p' style='left:{100 * r.p:.1f}%'></div></div>"
        )
        row = r._asdict()
        rows.append(
            f"<tr{cls} data-target='{r.target_id}' data-p='{r.p:.10f}' data-p-low='{r.p_low:.10f}' "
            f"data-p-high='{r.p_high:.10f}' data-p-own='{r.p_own:.10f}' data-p-ref='{r.p_ref:.10f}' "
            f"data-diff='{r.diff:.10f}' data-n='{r.n_reps}' data-n-base='{r.n_base}'><td>{label}</td>"
            f"<td class='num'>{_pct(r.p_ref)}<span class='ci'> [{_pct(r.p_ref_low)}, {_pct(r.p_ref_high)}]</span></td>"
            f"<td class='num'>{_pct(r.p)}<span class='ci'> [{_pct(r.p_low)}, {_pct(r.p_high)}]</span></td>"
            f"<td class='zs-barcol'>{bar}</td><td class='num {tone}'>{_signed(r.diff)}"
            f"<span class='ci'> [{_signed(r.diff_low)}, {_signed(r.diff_high)}]</span></td>"
            f"{value_cell(row, lang)}{growth_cell(row, lang)}</tr>"
        )
    notes = ""
    if "indicator" in table.columns and any(band_position(r._asdict()) for r in table.itertuples()):
        notes = f"<p class='small text-muted zs-band'>{html.escape(t('growth_marks', lang))} {html.escape(band_note(lang))}</p>"
    return f"<div class='zs-wrap'><table class='zs-table'>{head}{''.join(rows)}</table></div>{notes}"
