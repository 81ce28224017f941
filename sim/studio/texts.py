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
        "{reps} 次模拟（共 {max} 次），最宽95%模拟精度区间 ±{half:.1f} 个百分点，用时 {secs:.1f} 秒",
        "{reps} of {max} replications; widest 95% simulation-precision interval ±{half:.1f} percentage points; {secs:.1f} s",
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
        "配对差值基于共同随机数（同一种子、同一批模拟），区间为95% Newcombe配对区间。所有区间均为模拟精度区间：表示这些模拟在情景假设下把概率确定到多精确，而不是现实世界的不确定性；后者体现在各次模拟的离散程度和假设本身。",
        "Paired differences on common random numbers (same seed, same replications), 95% Newcombe paired interval. Every interval is a simulation-precision interval: how exactly these replications pin the probability down under the scenario's assumptions, not the uncertainty of the world, which lies in the spread of the replications and in the assumptions.",
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
