"""The fixed texts of the pack's charts and report, in Chinese and English: titles, axis and
legend texts, section headings and explanations, summary sentences, plan warnings, table columns
and manifest facts, each a ``(zh, en)`` pair by key, and their lookup (:func:`text`). The deck's
and the early warning's texts are kept in :mod:`sim.report.texts.deck_words` and looked up here
too.

``tests/test_report.py`` checks that no entry is missing a language and that both languages use
the same ``{placeholders}``.
"""

from __future__ import annotations

from sim.report.texts.deck_words import DECK_TEXT
from sim.report.texts.growth_texts import GROWTH_TEXT

LANGS = {"zh": "中文", "en": "English"}
"""The languages of every output, in the order of each ``(zh, en)`` pair: code -> its own name
(the studio's language switch shows the names). The one definition of the languages."""

_ORDER = tuple(LANGS)


def pick(pair, lang: str):
    """The ``lang`` entry of a ``(zh, en)`` pair."""
    return pair[_ORDER.index(lang)]


def text(key: str, lang: str, **kw) -> str:
    """The text ``key`` in ``lang``, its ``{placeholders}`` filled from ``kw``."""
    return pick(TEXT[key], lang).format(**kw)


TEXT = {
    # ---- charts: probability of each target
    "p_title": ("{zone}：{year}年各目标达成概率", "{zone}: probability of each {year} target"),
    "p_axis": ("达成概率（95%模拟精度区间）", "Probability of hitting the target (95% simulation-precision interval)"),
    "done_by": ("{name}（年底前完成）", "{name} (done by year end)"),
    "leaders": ("{name}（累计引进）", "{name} (introduced, cumulative)"),
    "inactive": ("（备选口径，未计入联合概率）", " (alternative figure, not in joint probability)"),
    "footer": (
        "{zone}｜情景：{scenario}｜重复次数 n={n}｜随机种子 {seed}｜运行日期 {date}｜{shows}",
        "{zone} | scenario: {scenario} | replications n={n} | seed {seed} | run {date} | {shows}",
    ),
    "shows_precision": (
        "误差线：95%模拟精度区间（{interval}）",
        "error bars: 95% simulation-precision interval ({interval})",
    ),
    "shows_spread": (
        "曲线、色带与直方：各次模拟结果的分布，不是区间估计",
        "curves, bands and bars: the spread of the replications, not an interval estimate",
    ),
    "line50": ("50%线", "50% line"),
    "line80": ("80%线", "80% line"),
    "leg_active": ("目标", "target"),
    "leg_base": ("基准情景", "base scenario"),
    "leg_what_if": ("推演情景", "what-if"),
    "leg_inactive": ("备选口径（未计入联合概率）", "alternative figure (not in joint)"),
    "leg_joint": ("全部目标同时达成", "all targets together"),
    "ci_wilson": ("Wilson法", "Wilson score"),
    "ci_cp": ("Clopper-Pearson法", "Clopper-Pearson"),
    # ---- charts: exceedance
    "exc_title": ("{zone}：{indicator}——达到各数值的概率", "{zone}: {indicator}, probability of reaching each value"),
    "exc_title_le": (
        "{zone}：{indicator}——不超过各数值的概率",
        "{zone}: {indicator}, probability of staying within each value",
    ),
    "axis_value": ("{indicator}（{unit}）", "{indicator} ({unit})"),
    "exc_y_ge": ("概率 P(数值 ≥ x)", "Probability P(value ≥ x)"),
    "exc_y_gt": ("概率 P(数值 > x)", "Probability P(value > x)"),
    "exc_y_le": ("概率 P(数值 ≤ x)", "Probability P(value ≤ x)"),
    "exc_y_lt": ("概率 P(数值 < x)", "Probability P(value < x)"),
    "year_n": ("{year}年", "{year}"),
    "target_mark": ("{year}年目标 {op} {thr}：{p}（{ci}）", "{year} target {op} {thr}: {p} ({ci})"),
    # ---- charts: monthly fan
    "fan_title": ("{zone}：{indicator}——逐月路径（{basis}）", "{zone}: {indicator}, month by month ({basis})"),
    "fan_ytd": ("当年累计值", "year to date"),
    "fan_stock": ("月末值", "end of month"),
    "fan_median": ("中位数", "median"),
    "fan_band": ("{pct}%区间", "{pct}% band"),
    "fan_target": ("{year}年目标 {op} {thr}", "{year} target {op} {thr}"),
    "axis_month": ("月份", "Month"),
    # ---- charts: time to target
    "ttt_title": (
        "{zone}：{year}年各目标——截至各月已达标的概率",
        "{zone}: {year} targets, probability already reached by each month",
    ),
    "ttt_y": ("已达标概率", "P(already reached)"),
    "ttt_band": ("95%模拟精度区间", "95% simulation-precision interval"),
    "ttt_final": ("年末 {p}（{ci}）", "year end {p} ({ci})"),
    # ---- charts: rank
    "rank_title": ("{zone}：{indicator}分布", "{zone}: {indicator}, distribution over the replications"),
    "rank_x": ("名次（1 = 最好）", "Rank (1 = best)"),
    "rank_y": ("重复次数占比", "Share of replications"),
    "rank_mark": ("目标 ≤ {thr}：{p}", "target ≤ {thr}: {p}"),
    "rank_median": ("中位数 {v}", "median {v}"),
    "rank_variant": ("全国排名（{variant}）", "National rank ({variant})"),
    "measure_rank": ("全国排名 {op} {n}", "national rank {op} {n}"),
    "measure_board_rank": ("区域板块排名 {op} {n}", "regional board rank {op} {n}"),
    "sec_rank_sens": ("排名对评估方法未知之处的敏感性", "How much the rank depends on the unknowns of the method"),
    "intro_rank_sens": (
        "评估方法的部分细节（归一化公式、最后20分的分配、方法版本）未公开。下表用同一批模拟（相同的同类区和本区）在不同假设下重新评分，"
        "显示答案中有多少取决于假设。",
        "Parts of the evaluation method (normalisation formula, split of the last 20 points, method "
        "version) are not published. The table re-scores the same replications (same peers, same "
        "zone) under each alternative, showing how much of the answer rests on assumption.",
    ),
    "sum_rank_sens": (
        "{year}年{measure}的概率在不同评估方法假设下介于 {lo} 与 {hi} 之间（主方法 {main}）。",
        "{year}: the chance of {measure} ranges from {lo} to {hi} across the method's unknowns (main method {main}).",
    ),
    "col_measure": ("指标", "Measure"),
    "col_variant": ("评估方法假设", "Method assumption"),
    "col_rank_q": ("名次 10% / 50% / 90%", "Rank 10% / 50% / 90%"),
    "col_statistic": ("统计量", "Statistic"),
    "col_mean": ("均值", "Mean"),
    "col_p10": ("10%分位", "10th pct"),
    "col_p90": ("90%分位", "90th pct"),
    # ---- report: titles and sections
    "report_title": ("{zone}规划目标达成概率报告", "{zone}: probability of reaching the plan's targets"),
    "report_subtitle": (
        "情景 {scenario}｜{n} 次重复模拟｜随机种子 {seed}｜运行日期 {date}",
        "Scenario {scenario} | {n} replications | seed {seed} | run {date}",
    ),
    "report_plan": ("规划：{plan}", "Plan: {plan}"),
    "report_desc": ("情景说明：{desc}", "Scenario: {desc}"),
    "sec_summary": ("概要", "Summary"),
    "sec_warnings": ("提示：规划目标之间的矛盾", "Warnings: where the plan contradicts itself"),
    "sec_targets": ("各目标达成概率", "Probability of each target"),
    "sec_overview": ("达成概率总览", "Overview chart"),
    "sec_indicators": ("逐项指标", "Indicator by indicator"),
    "sec_ttt": ("何时达标", "When targets are reached"),
    "sec_rank": ("全国绩效评估排名", "National evaluation rank"),
    "sec_peers": ("模拟的同类综合保税区", "The simulated peer zones"),
    "sec_compare": ("情景对比", "Scenario comparison"),
    "sec_other": ("其他结果", "Other results"),
    "sec_goal_seek": ("目标搜索：达到目标的最低成本组合", "Goal seek: the cheapest package that reaches the goals"),
    "intro_goal_seek": (
        "在相同的模拟样本上比较各候选组合，选出满足全部目标的最低成本组合，再用另一组独立样本复核。"
        "区间为模拟精度区间（95%），不是现实的不确定性。",
        "Candidates were compared on the same replications; the cheapest one meeting every goal "
        "was then re-run on fresh replications. Intervals are 95% simulation-precision intervals, "
        "not the uncertainty of the world.",
    ),
    "gs_level": ("要求概率", "Required P"),
    "gs_verdict": ("复核结果", "Out of sample"),
    "gs_holds": ("达到", "holds"),
    "gs_fails": ("未达到", "falls short"),
    "sec_assumptions": ("主要假设及其来源", "Assumptions and their sources"),
    "sec_levers": ("政策杠杆（规划可控）", "Levers (what planners control)"),
    "sec_initial": ("初始空间", "Initial free space"),
    "sec_base_year": ("基年统计（起点）", "Base-year figures (the starting point)"),
    "sec_uncert": ("附录：不确定参数", "Appendix: uncertain parameters"),
    "sec_manifest": ("运行信息（可追溯）", "Run facts (traceability)"),
    "toc": ("目录", "Contents"),
    # ---- report: explanations
    "intro_targets": (
        "每行一个规划目标：达成概率、95%模拟精度区间、达成的重复次数，以及指标在各次模拟中的中位数和10%–90%范围。"
        "灰色行为备选口径，不计入联合概率。",
        "One row per plan target: the probability of hitting it, its 95% simulation-precision interval, the replications "
        "that hit it, and the indicator's median and 10–90% range across replications. Grey rows are "
        "alternative figures, left out of the joint probability.",
    ),
    "intro_overview": (
        "条形为达成概率，黑线为95%模拟精度区间；每年最难达成的目标排在最上方，最下方为当年全部目标同时达成的概率。",
        "Bars are probabilities, black lines their 95% simulation-precision intervals; each year's weakest targets are at "
        "the top, the joint probability of all the year's targets at the bottom.",
    ),
    "intro_indicators": (
        "左/上图：指标年末值达到各数值的概率（可读出“达到180亿元而不是200亿元的可能性有多大”），目标处标出。"
        "右/下图：逐月路径，中位数与50%、80%、95%区间；流量指标为当年累计值，每年1月重新累计。",
        "Exceedance curve: the probability that the year's value reaches each level (read off how "
        "likely 180 is instead of 200), with the target marked. Fan chart: the path month by month, "
        "median with 50/80/95% bands; flows are cumulated from January of each year.",
    ),
    "intro_ttt": (
        "每个小图为一个目标：截至该月，已经达到目标的重复模拟所占比例及其95%模拟精度区间。",
        "One panel per target: the share of replications that have already reached the target by each "
        "month, with its 95% simulation-precision interval.",
    ),
    "intro_rank": (
        "全国（及区域）名次在各次模拟中的分布；竖线为目标名次。",
        "Distribution of the national (and regional) rank across replications; the vertical line is the target rank.",
    ),
    "intro_peers": (
        "模拟的同类综合保税区群体的描述性统计（来自 peers.csv）。",
        "Descriptive statistics of the simulated peer population (from peers.csv).",
    ),
    "intro_compare": (
        "各情景与第一个情景逐目标比较达成概率之差（百分点）。使用相同随机种子和重复次数时按重复配对（共享随机数），"
        "区间为配对差值的95%模拟精度区间：区间不含0的差异来自情景设定的不同，而非抽样波动；区间含0的差异在模拟精度之内，不能据此下结论。",
        "Each scenario is compared with the first, target by target, as a difference in P(hit) "
        "(percentage points). With the same seed and replication count the replications are paired "
        "(common random numbers) and the interval is the 95% simulation-precision interval of the "
        "paired difference: a difference whose interval excludes 0 comes from what the scenarios set "
        "differently, not from sampling; one whose interval includes 0 is within simulation precision "
        "and supports no conclusion.",
    ),
    "compare_no_pairs": (
        "结果文件夹中没有逐次模拟结果（indicators.csv），无法计算配对差值；下表仅列出各情景各自的达成概率，不据此比较。",
        "The folders hold no per-replication results (indicators.csv), so no paired difference "
        "can be formed; the table below lists each scenario's own P(hit) and supports no "
        "comparison.",
    ),
    "col_diff": ("差值（百分点）", "Difference (pp)"),
    "col_diff_ci": ("差值的95%模拟精度区间", "95% simulation-precision interval of the difference"),
    "intro_other": ("结果文件夹中的其他图表与表格。", "Other charts and tables found in the results folders."),
    "intro_assumptions": (
        "数值来自运行时解析后的情景；“来源”取自情景文件 {file} 中该数值的中文注释，"
        "没有中文注释的列出其注释所引的规划条目，推理依据详见英文版报告。",
        "Values are those of the resolved scenario of the run; the source is the comment beside "
        "the value in the scenario file {file}.",
    ),
    "intro_no_sources": (
        "未找到情景文件 {file}，因此只列出数值，不列来源注释。",
        "The scenario file {file} was not found, so values are listed without their source comments.",
    ),
    "source_changed": ("（情景文件已改动，与运行时数值不同）", "(the file has changed since the run)"),
    "intro_manifest": (
        "这些信息足以复现本报告的全部数字：同一情景、随机种子和重复次数得到完全相同的结果。",
        "These facts reproduce every number in this report: the same scenario, seed and replication "
        "count give identical results.",
    ),
    "figure_files": (
        "每张图表另存为 PNG，位于 charts/ 文件夹。",
        "Every chart is also saved as PNG in the charts/ folder.",
    ),
    # ---- report: plain-language summary
    "sum_year": (
        "{year}年：{k} 个目标中，{likely} 个很可能达成（≥80%），{unlikely} 个达成概率低于50%。",
        "{year}: of {k} targets, {likely} are likely (≥80%) and {unlikely} are less likely than not (<50%).",
    ),
    "sum_headline": ("{label}：达成概率 {p}（{ci}）。", "{label}: {p} ({ci}) chance of reaching it."),
    "sum_weakest": ("最难达成：{label}，{p}（{ci}）。", "Weakest: {label}, {p} ({ci})."),
    "sum_joint": (
        "当年全部目标同时达成的概率为 {p}（{ci}）。",
        "Chance of hitting every target of the year at once: {p} ({ci}).",
    ),
    "sum_joint_low": (
        "联合概率需要{k}个目标同时达成，不会高于最难目标的 {p}。",
        "It needs all {k} targets at once, so it cannot exceed the weakest one's {p}.",
    ),
    "sum_conflict": (
        "此外，规划目标之间存在不一致（见“提示”）。",
        "The plan's targets also disagree with each other (see Warnings).",
    ),
    "sum_basis": (
        "以上基于 {n} 次重复模拟（随机种子 {seed}）；括号内为95%模拟精度区间（在本情景假设下概率估计的精确程度，不是现实的不确定性）。",
        "Based on {n} replications (seed {seed}); brackets give 95% simulation-precision intervals "
        "(how exactly the replications pin the probability down under the scenario's assumptions, not "
        "the uncertainty of the world).",
    ),
    "sum_compare": (
        "{other}与{base}差别最大的目标是{label}：{p0} → {p1}（差异是否超出模拟精度，见“情景对比”中的配对区间）。",
        "{label} differs most between {base} and {other}: {p0} → {p1} (whether beyond simulation "
        "precision: see the paired intervals under Scenario comparison).",
    ),
    "sum_compare_lower": (
        "{other}与{base}差别最大的目标是{label}：{p0} → {p1}（下降；差异是否超出模拟精度，见“情景对比”中的配对区间）。",
        "{label} differs most between {base} and {other}: {p0} → {p1} (lower; whether beyond "
        "simulation precision: see the paired intervals under Scenario comparison).",
    ),
    # ---- plan warnings (sim.analysis.targets.PlanWarning; the English text is the manifest's)
    "warn_modes_over": (
        "{year}年：各贸易方式目标之和超过进出口总值目标（{parts} = {sum}{unit} > {total}{unit}）；"
        "进出口总值即各贸易方式之和，各方式目标全部达成时总值将超出目标 {diff}{unit}，总值目标不再起约束作用。",
        "{year}: the customs-mode targets add up to more than the total-trade target ({parts} = "
        "{sum} {unit} > {total} {unit}); total trade is the sum of the modes, so hitting every mode "
        "target overshoots the total by {diff} {unit} and the total target adds nothing.",
    ),
    "warn_modes_under": (
        "{year}年：各贸易方式目标之和低于进出口总值目标（{parts} = {sum}{unit} < {total}{unit}）；"
        "即使各方式目标恰好达成，仍需其他贸易方式或超额完成补足 {diff}{unit}。",
        "{year}: the customs-mode targets add up to less than the total-trade target ({parts} = "
        "{sum} {unit} < {total} {unit}); even with every mode target just met, {diff} {unit} more "
        "must come from other modes or from overshooting.",
    ),
    "warn_alt": (
        "{year}年{indicator}：规划给出两个数值，{a}（{a_src}）和 {b}（{b_src}）；{which}。",
        "{year} {indicator}: the plan gives two figures, {a} ({a_src}) and {b} ({b_src}); {which}.",
    ),
    "warn_alt_one": (
        "本次运行采用 {act}，另一数值照常报告，但不计入联合概率",
        "{act} is active here and the other is reported but left out of the joint probability",
    ),
    "warn_alt_both": ("两个数值均计入", "both are active here"),
    "warn_alt_none": ("两个数值均未计入", "neither is active here"),
    "warn_original": ("（原文）", "(original text)"),
    **DECK_TEXT,
    **GROWTH_TEXT,
    # ---- table columns
    "col_target": ("目标", "Target"),
    "col_year": ("年份", "Year"),
    "col_p": ("达成概率", "P(hit)"),
    "col_ci": ("95%模拟精度区间", "95% simulation-precision interval"),
    "col_p_ci": ("概率（95%模拟精度区间）", "P (95% simulation-precision interval)"),
    "col_hits": ("达成次数/重复次数", "Hits / replications"),
    "col_median": ("中位数", "Median"),
    "col_range": ("10%–90%范围", "10–90% range"),
    "col_source": ("规划出处", "Plan source"),
    "col_key": ("参数", "Parameter"),
    "col_value": ("取值", "Value"),
    "col_comment": ("来源（情景文件注释）", "Source (scenario file comment)"),
    "col_fact": ("项目", "Item"),
    "col_scenario": ("情景", "Scenario"),
    "col_note": ("说明", "Note"),
    "joint_row": ("{year}年全部目标同时达成", "All {year} targets at once"),
    "inactive_short": ("（备选）", " (alternative)"),
    # ---- manifest facts
    "m_zone": ("综合保税区", "Zone"),
    "m_scenario": ("情景", "Scenario"),
    "m_file": ("情景文件", "Scenario file"),
    "m_sha": ("情景哈希（SHA-256）", "Scenario hash (SHA-256)"),
    "m_seed": ("随机种子", "Seed"),
    "m_reps": ("重复次数", "Replications"),
    "m_date": ("运行日期", "Run date"),
    "m_command": ("运行命令", "Command"),
    "m_commit": ("代码版本（git）", "Code version (git commit)"),
    "m_versions": ("软件版本", "Software versions"),
    "m_interval": ("区间方法", "Interval method"),
    "m_stopping": ("停止规则", "Stopping rule"),
    "m_folder": ("结果文件夹", "Results folder"),
    "m_built": ("报告生成", "Report built"),
    "page": ("第 {page} 页，共 {pages} 页", "Page {page} of {pages}"),
    "none": ("无", "none"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "more_rows": ("……另有 {n} 行，见 summary.xlsx", "... {n} more rows in summary.xlsx"),
}
