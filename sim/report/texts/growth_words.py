"""Growth per year in words, in Chinese and English: the model's year-on-year growth of a target's
indicator (summary.csv ``yoy_growth_p10/p50/p90``), the growth the target needs per year
(``growth_needed_yearly``) and where that need falls against the growth real zones have shown
(sim/analysis/growth.py). ``(zh, en)`` pairs by key, part of :data:`sim.report.texts.words.TEXT`;
the functions below are used by the terminal, the report, the deck and the studio alike.
"""

from __future__ import annotations

import math

from sim.analysis.growth import Band, band_applies, reference_band

GROWTH_TEXT = {
    "growth_model": (
        "模型逐年增速中位数 {p50}（10%–90%：{p10} 至 {p90}）",
        "the model's median year-on-year growth {p50} (10–90%: {p10} to {p90})",
    ),
    "growth_need_year": ("（年均 {need}）", " ({need} a year)"),
    "growth_above_all": (
        "所需年增速超过任何已观测综保区（最高 {highest}）",
        "the growth needed a year is more than any real zone has shown (highest {highest})",
    ),
    "growth_above_band": (
        "所需年增速高于九成已观测综保区年度（{low} 至 {high}）",
        "the growth needed a year is faster than 9 in 10 real zone-years ({low} to {high})",
    ),
    "growth_in_band": (
        "所需年增速在已观测综保区常见范围内（{low} 至 {high}）",
        "the growth needed a year is within what real zones have shown ({low} to {high})",
    ),
    "growth_below_band": (
        "所需年增速低于九成已观测综保区年度（{low} 至 {high}）",
        "the growth needed a year is slower than 9 in 10 real zone-years ({low} to {high})",
    ),
    "growth_band_note": (
        "已观测综保区：{n}个综保区年度（{single}个为单个综保区，其余为省级或全国合计；{first}—{last}年）"
        "进出口总值年增速的10%–90%区间为 {low} 至 {high}，中位数 {median}，最高 {highest}"
        "（scenarios/catalogue/reference_growth.csv，逐条注明来源）。证据单薄：样本少，且多为规模大、"
        "运营多年的综保区，没有新设综保区头几年的数据；只作为所需增速是否超出常见范围的参照。",
        "Real zones: the 10–90% range of the yearly total-trade growth of {n} observed zone-years "
        "({single} of single zones, the rest provincial or national totals; {first}–{last}) is {low} to "
        "{high}, median {median}, highest {highest} (scenarios/catalogue/reference_growth.csv, each "
        "with its source). Thin evidence: few zone-years, mostly large, long-established zones, none of "
        "a new zone in its first years; read it only as whether the growth needed is out of the ordinary.",
    ),
    "sum_growth_need": ("较{base_year}年需增长 {need}", "Growth needed over {base_year}: {need}"),
    "sum_growth": ("{parts}。", "{parts}."),
    "growth_marks": (
        "年均所需增速一栏：▲ 高于九成已观测综保区年度，▲▲ 超过任何已观测综保区（仅进出口总值）。",
        "Growth needed a year: ▲ faster than 9 in 10 real zone-years, ▲▲ faster than any (total trade only).",
    ),
    "growth_cell_range": ("（{p10} 至 {p90}）", "({p10} to {p90})"),
    "col_growth": ("逐年增速中位数（10%–90%）", "Year-on-year growth, median (10–90%)"),
    "col_growth_need": ("年均所需增速", "Growth needed a year"),
}


def pct(x: float) -> str:
    """A growth as a signed whole percentage (+12%, -4%; +0%, never -0%)."""
    return f"{round(100 * x) + 0:+d}%"


def _finite(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(float(x))


def model_growth(row, lang: str) -> str:
    """The model's median year-on-year growth with its 10-90% range, or "" without one."""
    from sim.report.texts.words import text

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
    from sim.report.texts.words import text

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
    from sim.report.texts.words import text

    need = row.get("growth_needed_yearly")
    if not _finite(need) or int(row["year"]) - base_year < 2:
        return ""
    return text("growth_need_year", lang, need=pct(float(need)))


def growth_parts(row, lang: str, band: Band | None = None) -> list[str]:
    """The model's growth and, for a total-trade target, the need against the band (each "" dropped)."""
    return [p for p in (model_growth(row, lang), against_band(row, lang, band)) if p]


def band_note(lang: str, band: Band | None = None) -> str:
    """The reference band, its size and how thin it is."""
    from sim.report.texts.words import text

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
