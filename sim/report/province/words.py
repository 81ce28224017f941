"""The province section's fixed texts, each a ``(zh, en)`` pair by key (looked up with :func:`say`)."""

from __future__ import annotations

from sim.report.texts.words import pick

WORDS = {
    "title": ("{name}：各园区合并运行", "{name}: the zones run together"),
    "subtitle": (
        "{n}个园区同一次模拟：共同冲击每次重复只抽一次，全国评估中同一排名",
        "{n} zones in one simulation: the shared shocks drawn once per replication, one national ranking",
    ),
    "lead": (
        "每次重复中，宏观贸易指数、大宗商品价格、突发扰动和全国同类园区只抽取一次，所有园区共用；"
        "每个园区的企业、项目和自身的随机数各自独立。各园区在同一全国排名中各占一个位置，名次互不相同。",
        "In each replication the macro trade index, commodity prices, disruption spells and the national "
        "peer zones are drawn once and shared by every zone; each zone's firms, projects and own random "
        "numbers are its own. The zones take distinct places in one national ranking.",
    ),
    "precision": (
        "括号内为95%模拟精度区间（Wilson）：{n}次重复对概率的估计精度，不是现实世界的不确定性。",
        "Brackets: the 95% simulation-precision interval (Wilson): how exactly {n} replications pin the "
        "probability down, not the uncertainty of the world.",
    ),
    "sec_joint": ("全省联合结果", "The province's joint outcomes"),
    "sec_zones": ("各园区各目标达成概率", "Each zone's chance of each target"),
    "sec_k": ("达到名次目标的园区数", "How many zones reach their rank target"),
    "sec_totals": ("全省合计", "The province's totals"),
    "sec_misses": ("未达成时各园区的份额", "Which zones the misses come from"),
    "sec_corr": ("园区之间的相关", "How the zones move together"),
    "misses_note": (
        "省级事件未达成的重复中，各园区自身目标未达成的概率：省里最依赖哪个园区。",
        "Among the replications in which a province event is missed, the chance that each zone missed its "
        "own target: which zone the province depends on most.",
    ),
    "corr_note": (
        "各园区之间指标的相关系数（皮尔逊相关，95%区间由费希尔变换求得）：共同冲击与共同排名带来的联动。",
        "Correlation of the zones' indicators across replications (Pearson, 95% Fisher z interval): what "
        "the shared shocks and the shared ranking make them have in common.",
    ),
    "col_year": ("年份", "Year"),
    "col_event": ("事件", "Event"),
    "col_p": ("概率（95%区间）", "Probability (95% interval)"),
    "col_zone": ("园区", "Zone"),
    "col_target": ("目标", "Target"),
    "col_indicator": ("指标", "Indicator"),
    "col_quantiles": ("中位数（10%–90%）", "Median (10%–90%)"),
    "col_missed": ("该园区未达成（95%区间）", "This zone missed (95% interval)"),
    "col_share": ("占未达成份额", "Share of the misses"),
    "col_pair": ("园区对", "Pair of zones"),
    "col_corr": ("相关系数（95%区间）", "Correlation (95% interval)"),
    "zones_in_rank": ("达到名次目标的园区数", "Zones within their rank target"),
    "ev_rank": ("至少{k}个园区达到名次目标", "Zones within their rank target: at least {k}"),
    "ev_trade": ("每个园区都达到进出口总额目标", "Every zone reaches its total-trade target"),
    "ev_all": ("每个园区都达到当年全部目标", "Every zone reaches all its targets of the year"),
    "ev_province": ("全省合计{label} ≥ {threshold}", "{label} of the zones together ≥ {threshold}"),
    "ev_province_rank": (
        "达到名次目标的园区不少于{threshold}个",
        "Zones within their rank target: at least {threshold}",
    ),
    "chart_zones": ("{name}：各园区目标达成概率", "{name}: each zone's chance of each target"),
    "chart_k": (
        "{name}：达到名次目标的园区不少于各数目的概率",
        "{name}: probability that at least k zones reach their rank target",
    ),
    "chart_k_axis": ("园区数（不少于）", "Number of zones (at least)"),
    "chart_p_axis": ("概率（95%模拟精度区间）", "Probability (95% simulation-precision interval)"),
    "chart_fan": ("{name}：全省合计进出口总额（年内累计）", "{name}: the zones' total trade, year to date"),
    "chart_fan_axis": ("亿元", "100 million yuan"),
    "band_80": ("10%–90%", "10%–90%"),
    "band_50": ("25%–75%", "25%–75%"),
    "median": ("中位数", "Median"),
    "target_line": ("全省目标 {year}年", "Province target {year}"),
    "year_n": ("{year}年", "{year}"),
    "footer": (
        "{name}，{n}次重复，种子{seed}，{date}；{shows}",
        "{name}, {n} replications, seed {seed}, {date}; {shows}",
    ),
    "shows_bars": ("误差线为95%模拟精度区间（Wilson）", "error bars: 95% simulation-precision interval (Wilson)"),
    "shows_grid": (
        "格中为达成概率，95%模拟精度区间见报告表格",
        "cells: probability of hitting; 95% simulation-precision intervals in the report's table",
    ),
    "shows_spread": (
        "色带为各次重复的分位数范围（不是模拟精度）",
        "bands: quantiles over the replications (the spread, not simulation precision)",
    ),
    "zone_packs": ("各园区完整报告", "Each zone's full report"),
    "zone_pack": ("{zone}：{path}", "{zone}: {path}"),
    "deck_title": ("{name}", "{name}"),
    "slide_k": ("达到名次目标的园区数", "How many zones reach their rank target"),
    "slide_zones": ("各园区目标达成概率", "Each zone's chance of each target"),
    "slide_totals": ("全省合计进出口总额", "The zones' total trade"),
    "slide_joint": ("全省联合结果", "The province's joint outcomes"),
}


def say(key: str, lang: str, **kw) -> str:
    """The text ``key`` in ``lang`` with its placeholders filled."""
    return pick(WORDS[key], lang).format(**kw)
