"""The studio's growth column: the what-if's year-on-year growth of each target's indicator and, for
total trade, the growth needed a year against the growth real zones have shown (sim/analysis/growth.py).
"""

from __future__ import annotations

import html

from sim.analysis.growth import YOY_COLUMNS
from sim.report.texts.growth_words import against_band, band_position, pct
from sim.studio.texts import t

MARKS = {"above_all": "▲▲", "above_band": "▲"}


def growth_cell(row: dict, lang: str) -> str:
    """The cell's HTML: the median year-on-year growth, its 10-90% range, and the need a year
    against real zones for a total-trade target (marked ▲ / ▲▲ above the band / above every zone-year)."""
    raw = [row.get(c) for c in YOY_COLUMNS]
    if any(x is None or x != x for x in raw):
        return "<td class='num zs-growth'>–</td>"
    q = [float(x) for x in raw if x is not None]
    cell = f"{pct(q[1])}<span class='ci'> ({pct(q[0])} {t('to', lang)} {pct(q[2])})</span>"
    pos = band_position(row)
    if pos:
        need = t("need_year", lang, need=pct(float(row["growth_needed_yearly"])))
        title = html.escape(against_band(row, lang), quote=True)
        mark = f" {MARKS[pos]}" if pos in MARKS else ""
        cell += f"<span class='zs-need zs-{pos}' title='{title}'>{need}{mark}</span>"
    return f"<td class='num zs-growth' data-band='{pos}'>{cell}</td>"
