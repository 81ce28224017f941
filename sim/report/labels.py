"""Chinese and English labels for indicators, units and chart text.

Built-in indicators are labelled here; scenario-defined ones (projects, milestones, leader
pipelines, programme counts) take their ``name_zh`` / ``name_en`` from the scenario.
"""
from __future__ import annotations

LANGS = ("zh", "en")

INDICATORS = {
    "trade_total": ("进出口总值", "Total trade"),
    "trade_processing": ("加工贸易进出口值", "Processing trade"),
    "trade_bonded_logistics": ("保税物流进出口值", "Bonded-logistics trade"),
    "trade_general": ("一般贸易进出口值", "General trade"),
    "trade_cbec": ("跨境电商进出口额", "Cross-border e-commerce"),
    "trade_other": ("其他贸易方式进出口值", "Other trade modes"),
    "industrial_output": ("规上工业总产值", "Industrial output (above size)"),
    "fdi_usd": ("实际利用外资", "Actual FDI"),
    "development_rate": ("围网面积开发率", "Fenced-area development rate"),
    "active_enterprises": ("年度活跃企业数", "Active enterprises"),
    "employees": ("年度从业人数", "Employees"),
    "new_business_types": ("新业态数", "New business types"),
    "all_targets": ("当年全部目标同时达成", "All targets of the year"),
}

UNITS = {
    "亿元": ("亿元", "100M CNY"),
    "万美元": ("万美元", "10k USD"),
    "%": ("%", "%"),
    "count": ("个", "count"),
    "persons": ("人", "persons"),
    "0/1": ("完成", "done"),
    "": ("", ""),
}

TEXT = {
    "p_title": ("{zone}：{year}年各目标达成概率", "{zone}: probability of each {year} target"),
    "p_axis": ("达成概率（95%置信区间）", "Probability of hitting the target (95% interval)"),
    "done_by": ("{name}（年底前完成）", "{name} (done by year end)"),
    "leaders": ("{name}（累计引进）", "{name} (introduced, cumulative)"),
    "inactive": ("（备选口径，未计入联合概率）", " (alternative figure, not in joint probability)"),
    "footer": ("情景：{scenario}｜重复次数 n={n}｜随机种子 {seed}｜运行日期 {date}｜区间：Wilson 95%",
               "Scenario: {scenario} | replications n={n} | seed {seed} | run {date} | intervals: Wilson 95%"),
    "line50": ("50%", "50%"),
    "line80": ("80%", "80%"),
}


def _pick(pair, lang):
    return pair[LANGS.index(lang)]


def text(key: str, lang: str, **kw) -> str:
    return _pick(TEXT[key], lang).format(**kw)


def unit_label(unit: str, lang: str) -> str:
    return _pick(UNITS.get(unit, (unit, unit)), lang)


def indicator_label(indicator: str, lang: str, scenario=None) -> str:
    """Label of an indicator; scenario-defined ones need the scenario."""
    if indicator in INDICATORS:
        return _pick(INDICATORS[indicator], lang)
    c = scenario.constants if scenario is not None else None
    name = lambda spec: spec.name_zh if lang == "zh" else spec.name_en
    if c is not None:
        if indicator.startswith("done_"):
            k = indicator.removeprefix("done_")
            spec = c.projects.get(k) or c.milestones.get(k)
            if spec:
                return text("done_by", lang, name=name(spec))
        if indicator.startswith("leaders_") and indicator.removeprefix("leaders_") in c.leaders:
            return text("leaders", lang, name=name(c.leaders[indicator.removeprefix("leaders_")]))
        if indicator in c.counts:
            return name(c.counts[indicator])
    return indicator
