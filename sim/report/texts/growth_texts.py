"""The words of growth per year, ``(zh, en)`` pairs by key, part of :data:`sim.report.texts.words.TEXT`
(kept apart from :mod:`sim.report.texts.growth_words`, which phrases them and reads the words table).
"""

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
