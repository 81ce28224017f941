"""Growth per year in words, in Chinese and English: the model's year-on-year growth of a target's
indicator (summary.csv ``yoy_growth_p10/p50/p90``), the growth the target needs per year
(``growth_needed_yearly``) and where that need falls against the growth real zones have shown
(sim/analysis/growth.py). The texts are in :mod:`sim.report.texts.growth_texts`; the functions
below are used by the terminal, the report, the deck and the studio alike.
"""

from __future__ import annotations

import math

from sim.analysis.growth import Band, band_applies, reference_band
from sim.report.texts.words import text


def pct(x: float) -> str:
    """A growth as a signed whole percentage (+12%, -4%; +0%, never -0%)."""
    return f"{round(100 * x) + 0:+d}%"


def _finite(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(float(x))


def model_growth(row, lang: str) -> str:
    """The model's median year-on-year growth with its 10-90% range, or "" without one."""
    q = [row.get(c) for c in ("yoy_growth_p10", "yoy_growth_p50", "yoy_growth_p90")]
    if not all(_finite(x) for x in q):
        return ""
    return text("growth_model", lang, p10=pct(q[0]), p50=pct(q[1]), p90=pct(q[2]))


def band_position(row, band: Band | None = None) -> str:
    """Where the row's growth needed per year falls against the reference band ("" if not placed)."""
    need = row.get("growth_needed_yearly")
    if not band_applies(str(row.get("indicator", ""))) or not _finite(need):
        return ""
    return (band or reference_band()).position(float(need))


def against_band(row, lang: str, band: Band | None = None) -> str:
    """The growth needed per year against the reference band, for a total-trade target, else ""."""
    pos = band_position(row, band)
    if not pos:
        return ""
    b = band or reference_band()
    return text(
        f"growth_{pos}",
        lang,
        low=pct(b.low),
        high=pct(b.high),
        highest=pct(b.highest),
    )


def need_per_year(row, lang: str, base_year: int) -> str:
    """ " (+58% a year)" after the growth needed, for a target more than a year after the base year."""
    need = row.get("growth_needed_yearly")
    if not _finite(need) or int(row["year"]) - base_year < 2:
        return ""
    return text("growth_need_year", lang, need=pct(float(need)))


def growth_parts(row, lang: str, band: Band | None = None) -> list[str]:
    """The model's growth and, for a total-trade target, the need against the band (each "" dropped)."""
    return [p for p in (model_growth(row, lang), against_band(row, lang, band)) if p]


def band_note(lang: str, band: Band | None = None) -> str:
    """The reference band, its size and how thin it is."""
    b = band or reference_band()
    return text(
        "growth_band_note",
        lang,
        n=b.n,
        single=b.single,
        first=b.first,
        last=b.last,
        low=pct(b.low),
        high=pct(b.high),
        median=pct(b.median),
        highest=pct(b.highest),
    )
