"""The studio's words in Chinese and English, and the label of a target in either language."""

from __future__ import annotations

from sim.report.texts.labels import op_text, short_indicator_label, threshold_text
from sim.report.texts.words import LANGS  # noqa: F401  (the page's languages, code -> the switch's label)

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("情景推演工作台", "What-if studio"),
    "language": ("语言", "Language"),
    "levers": ("政策杠杆", "Policy levers"),
    "base_year": ("基年数据", "Base-year figures"),
    "target": ("目标", "Target"),
    "base": ("基准情景", "Base scenario"),
    "what_if": ("推演情景", "What-if"),
    "difference": ("配对差值（百分点）", "Paired difference (pp)"),
    "waiting": ("正在计算第一批模拟……", "Computing the first replications ..."),
    "status": (
        "推演情景 {reps} 次模拟（最多 {max} 次），基准情景 {n_base} 次；最宽95%模拟精度区间 ±{half:.1f} 个百分点，用时 {secs:.1f} 秒",
        "what-if {reps} of {max} replications, base {n_base}; widest 95% simulation-precision interval ±{half:.1f} percentage points; {secs:.1f} s",
    ),
    "status_base": (
        "基准情景 {n_base} 次模拟（最多 {max} 次）；最宽95%模拟精度区间 ±{half:.1f} 个百分点，用时 {secs:.1f} 秒",
        "base scenario {n_base} of {max} replications; widest 95% simulation-precision interval ±{half:.1f} percentage points; {secs:.1f} s",
    ),
    "refining": ("继续细化中", "refining"),
    "finished": ("已完成", "finished"),
    "no_change": (
        "与基准情景相同：移动左侧杠杆查看变化。",
        "Same as the base scenario: move a lever to see the odds change.",
    ),
    "changes": ("改动：", "Changes: "),
    "invalid": ("情景无效：", "Invalid scenario: "),
    "crn": (
        "推演情景与基准情景使用共同随机数（同一种子、同一批模拟）：第 i 次模拟的两种情景共用每一个随机数。"
        "推演情景的达成概率 = 基准情景全部 {n_base} 次模拟的达成概率 + 前 {n} 次模拟的配对差值均值；"
        "两者之和无偏，改动小时它的区间远窄于推演情景单独 {n} 次模拟的区间（单独估计为 {own}）。"
        "区间：基准的 Wilson 区间与配对差值的 Newcombe 区间按两者相关性合成（Zou 与 Donner 2008 的 MOVER 法）；"
        "配对差值列为前 {n} 次模拟的 Newcombe 配对区间。所有区间均为95%模拟精度区间：表示这些模拟在情景假设下把概率确定到多精确，"
        "而不是现实世界的不确定性；后者体现在各次模拟的离散程度（数值列的10%–90%范围）和假设本身。",
        "The what-if shares every random number with the base (same seed, same replications: common random numbers). "
        "Its P(hit) = the base's over all {n_base} of its replications + the mean paired difference of the first {n}: "
        "unbiased, and for a small change its interval is far narrower than the what-if's own {n} replications give "
        "(on its own: {own}). Interval: the base's Wilson interval and the difference's Newcombe interval combined "
        "with their correlation (the MOVER of Zou and Donner 2008); the difference column is the Newcombe paired "
        "interval of the first {n}. Every interval is a 95% simulation-precision interval: how exactly these "
        "replications pin the probability down under the scenario's assumptions, not the uncertainty of the world, "
        "which lies in the spread of the replications (the value column's 10-90% range) and in the assumptions.",
    ),
    "own_widest": ("最宽 ±{half:.1f} 个百分点", "widest ±{half:.1f} percentage points"),
    "value": ("推演值（中位数，10%–90%）", "What-if value (median, 10–90%)"),
    "zone": ("园区", "Zone"),
    "chart_alt": ("各目标达成概率：基准情景与推演情景", "Probability of each target: base scenario and what-if"),
    "chart_interval": (
        "基准：Wilson法，{n_base}次；推演：基准加前{n}次配对差值，MOVER法",
        "base: Wilson score over {n_base}; what-if: base + paired difference of the first {n}, MOVER",
    ),
    "save_name": ("情景名称", "Scenario name"),
    "save": ("另存为情景", "Save as scenario"),
    "saved": ("已保存并通过校验：{path}", "Saved and validated: {path}"),
    "save_needs_change": ("没有改动可保存。", "Nothing changed to save."),
    "pack": ("生成会议材料", "Build meeting pack"),
    "pack_running": ("正在生成会议材料（{reps} 次模拟）……", "Building the meeting pack ({reps} replications) ..."),
    "pack_done": ("会议材料：{path}", "Meeting pack: {path}"),
    "pack_failed": ("会议材料生成失败：{error}", "The meeting pack failed: {error}"),
    "inactive": ("（备选口径）", " (inactive alternative)"),
    "growth": ("逐年增速（中位数，10%–90%）", "Yearly growth (median, 10–90%)"),
    "to": ("至", "to"),
    "need_year": ("年均需 {need}", "needs {need} a year"),
    "growth_marks": (
        "▲ 所需年增速高于九成已观测综保区年度，▲▲ 超过任何已观测综保区（仅进出口总值）。",
        "▲ the growth needed a year is faster than 9 in 10 real zone-years, ▲▲ faster than any (total trade only).",
    ),
}
"""key -> (zh, en)."""


def t(key: str, lang: str, **fields) -> str:
    """The text ``key`` in ``lang``, with ``fields`` filled in."""
    zh, en = TEXTS[key]
    s = zh if lang == "zh" else en
    return s.format(**fields) if fields else s


def target_label(spec, lang: str, scenario) -> str:
    """ "Import and export total 2022 ≥ 106 (100M CNY)" in the page's language."""
    name = short_indicator_label(spec.indicator, lang, scenario)
    return f"{name} {spec.year} {op_text(spec.op)} {threshold_text(spec.threshold, spec.unit, lang)}"


def all_chinese(lines) -> str:
    """Every character of the page's Chinese texts (for the font subset served with the page)."""
    return "".join(sorted(set("".join(zh for zh, _ in TEXTS.values()) + "".join(lines) + "0123456789%±≥≤<>.,:()[]")))
