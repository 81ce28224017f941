"""The fixed texts of the meeting deck and of the early warning (its slides and the report's
section), in Chinese and English: ``(zh, en)`` pairs by key, part of
:data:`sim.report.texts.words.TEXT` (look them up with :func:`sim.report.texts.words.text`).
"""

from __future__ import annotations

DECK_TEXT = {
    # ---- the deck (sim.report.deck.content)
    "deck_subtitle": (
        "情景：{scenario}｜{n} 次重复模拟｜随机种子 {seed}｜运行日期 {date}",
        "Scenario: {scenario} | {n} replications | seed {seed} | run {date}",
    ),
    "deck_headline_title": ("{zone}：规划核心目标", "{zone}: the plan's headline targets"),
    "deck_headline": ("{label}：达成概率 {p}（模拟精度区间 {ci}）", "{label}: P(hit) {p} (simulation precision {ci})"),
    "deck_sep": ("；", "; "),
    "deck_from_to": (
        "从{base_year}年的 {base} 到 {target}，需增长 {growth}",
        "from {base} in {base_year} to {target}: needs {growth}",
    ),
    "deck_group_line": (
        "本组 {k} 个目标中，{likely} 个很可能达成（≥80%），{unlikely} 个达成概率低于50%。",
        "The group's {k} targets: {likely} likely (≥80%), {unlikely} less likely than not (<50%).",
    ),
    "group_trade": ("外贸进出口目标", "Trade targets"),
    "group_economy": ("产业、投资与企业目标", "Industry, investment and enterprise targets"),
    "group_projects": ("项目、改革与龙头企业目标", "Project, reform and leading-firm targets"),
    "group_rank": ("绩效评估目标", "Evaluation targets"),
    "group_year": ("{group}（{year}年）", "{group} ({year})"),
    "deck_compare_title": ("{other}与{ref}：达成概率之差", "{other} vs {ref}: difference in P(hit)"),
    "deck_pair_counts": (
        "{other}相对{ref}：{up} 个目标的达成概率高于模拟精度范围，{down} 个低于，{same} 个的差异在模拟精度之内。",
        "{other} vs {ref}: {up} targets higher beyond simulation precision, {down} lower, {same} within it.",
    ),
    "deck_pair_paired": (
        "两个情景使用相同的模拟样本（按重复配对）：区间不含0的差异来自情景设定的不同，而非抽样波动；差异的大小只在区间范围内可信。",
        "Both scenarios ran on the same replications (paired): a difference whose interval "
        "excludes 0 comes from what the scenarios set differently, not from sampling; its size "
        "is known only to within the interval.",
    ),
    "deck_pair_indep": (
        "两个情景的随机种子不同，按独立样本比较：差异中包含抽样波动，区间因此更宽。",
        "The scenarios ran with different seeds and are compared as independent samples: the "
        "differences include sampling noise, so the intervals are wider.",
    ),
    "pair_title": ("{other} − {ref}：各目标达成概率之差", "{other} − {ref}: difference in each target's P(hit)"),
    "pair_axis": (
        "百分点（配对差值的95%模拟精度区间）",
        "percentage points (95% simulation-precision interval of the paired difference)",
    ),
    "pair_axis_indep": (
        "百分点（独立样本差值的95%模拟精度区间）",
        "percentage points (95% simulation-precision interval, independent samples)",
    ),
    "pair_up": ("区间高于0", "interval above 0"),
    "pair_down": ("区间低于0", "interval below 0"),
    "pair_zero": ("区间含0（差异在模拟精度之内）", "interval includes 0 (within simulation precision)"),
    "deck_method_title": ("如何解读这些数字", "How to read these numbers"),
    "interval_meaning": (
        "括号内为95%模拟精度区间：在本情景的假设下，重复模拟次数对概率的估计有多精确；它不是现实世界的不确定性。",
        "Brackets give the 95% simulation-precision interval: how exactly the replications pin "
        "the probability down under the scenario's assumptions; it is not the uncertainty of "
        "the world.",
    ),
    "world_uncertainty": (
        "现实的不确定性体现在各次模拟结果的分布（概率本身、10%–90%范围）、情景的假设及其来源，以及评估方法的不同假设之中。",
        "The world's uncertainty is in the spread of the replications (the probability itself, "
        "the 10–90% ranges), in the scenario's assumptions and their sources, and in the "
        "evaluation method's alternatives.",
    ),
    "interval_named": ("95%模拟精度区间（{method}）", "95% simulation-precision interval ({method})"),
    "leg_precision": ("95%模拟精度区间", "95% simulation-precision interval"),
    "rank_zone": ("达到目标的名次", "ranks that meet the target"),
    "rank_target_line": ("目标名次", "target rank"),
    # ---- early warning (sim.report.document.early_warning)
    "ew_title": ("预警：截至{now}（上次截至{then}）", "Early warning: as of {now} (previous: {then})"),
    "ew_moves_title": ("预警：哪些指标偏离了上次的模拟（截至{now}）", "Early warning: what moved (as of {now})"),
    "ew_intro": (
        "对比本次与上次截止月的运行：各目标达成概率的变化和信号灯（绿：≥{green}，正常；黄：≥{amber}，有风险；红：低于{amber}，偏离）；"
        "以及新观测月份中落在上次模拟{band}区间之外的指标。",
        "This run against the previous as-of's: each target's P(hit) then and now with a traffic light "
        "(green: ≥{green}, on track; amber: ≥{amber}, at risk; red: below {amber}, off track); and the "
        "indicators whose newly observed months fell outside the previous run's {band} band.",
    ),
    "ew_line": (
        "{label}：{then} → {now}（模拟精度区间 {ci}；{change}）·{light}",
        "{label}: {then} → {now} (simulation precision {ci}; {change}) · {light}",
    ),
    "ew_change": ("{d:+.0f}个百分点", "{d:+.0f} pp"),
    "light_green": ("正常", "on track"),
    "light_amber": ("有风险", "at risk"),
    "light_red": ("偏离", "off track"),
    "ew_break": (
        "{indicator}：{month} 观测值 {value}，{side}上次模拟的{band}区间（{low}–{high}）",
        "{indicator}: {month} observed {value}, {side} the previous run's {band} band ({low}–{high})",
    ),
    "ew_above": ("高于", "above"),
    "ew_below": ("低于", "below"),
    "ew_no_breaks": (
        "新观测月份均在上次模拟的{band}区间之内。",
        "Every newly observed month lay within the previous run's {band} band.",
    ),
    "ew_band": ("10%–90%", "10–90%"),
    "ew_more": ("……另有 {n} 项，见报告", "... {n} more in the report"),
    "sec_warning": ("预警：与上次截止月相比", "Early warning: against the previous as-of"),
    "col_then": ("上次", "Then"),
    "col_now": ("本次", "Now"),
    "col_change": ("变化", "Change"),
    "col_light": ("信号灯", "Light"),
}
