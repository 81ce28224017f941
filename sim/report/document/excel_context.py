"""The sheets of ``summary.xlsx`` that give the run's context: the resolved scenario with its
sources, the run facts, the comparison of several folders, the national ranking and the peer
zones (:func:`sim.report.document.excel.build_workbook` puts them in order)."""

from __future__ import annotations

from sim.ranking.config.fill import filled_notes
from sim.report.charts.base import target_label
from sim.report.document import sources
from sim.report.document.excel_cells import (
    PCT,
    bi,
    in_format,
    sheet,
    unit_bi,
)
from sim.report.texts.key_labels import key_label, value_text
from sim.report.texts.labels import (
    PEER_UNITS,
    indicator_label,
    interval_label,
    measure_label,
    variant_label,
)
from sim.report.texts.plan_warnings import warning_text
from sim.results import Results


def scenario_sheet(wb, res: Results):
    path = sources.find_scenario_file(res.manifest.get("scenario_file"), res.saved_folder)
    comments = sources.scenario_comments(path) if path else {}
    filled = filled_notes(res.resolved)  # the ranking values the national facts gave, stated in no file
    header = [
        bi("键路径", "Key path"),
        bi("参数", "Parameter (zh)"),
        "Parameter (en)",
        bi("取值", "Value (zh)"),
        "Value (en)",
        bi("来源（情景文件注释）", "Source (scenario file comment)"),
    ]
    rows = []
    for path_, v in sources.flatten(res.resolved):
        rows.append(
            [
                path_,
                key_label(path_, "zh", res.resolved),
                key_label(path_, "en", res.resolved),
                value_text(v, "zh"),
                value_text(v, "en"),
                comments.get(path_) or filled.get(path_) or sources.comment_for(comments, path_),
            ]
        )
    sheet(wb, "情景 Scenario", header, rows, None, [48, 40, 44, 36, 36, 80])


def manifest_sheet(wb, results: list[Results]):
    header = [bi("结果文件夹", "Results folder"), bi("项目", "Item"), bi("取值", "Value")]
    rows = []
    for res in results:
        m = res.manifest
        for k in (
            "scenario",
            "scenario_file",
            "scenario_sha256",
            "seed",
            "replications",
            "run_date",
            "command",
            "git_commit",
            "interval_method",
            "stopping_rule",
        ):
            if k in m:
                rows.append([str(res.folder), k, str(m[k])])
        for k, v in (m.get("versions") or {}).items():
            rows.append([str(res.folder), f"versions.{k}", str(v)])
        for w in res.warnings:
            rows.append([str(res.folder), "warning (en)", w])
            rows.append([str(res.folder), "warning (zh)", warning_text(w, "zh", res.resolved)[0]])
        rows.append([str(res.folder), "interval (short)", interval_label(m.get("interval_method", ""), "en")])
    sheet(wb, "运行信息 Run facts", header, rows, None, [40, 22, 120])


def compare_sheet(wb, results: list[Results]):
    rows = []
    for res in results:
        for _, r in res.summary.iterrows():
            rows.append(
                [
                    res.scenario_name,
                    str(res.folder),
                    r["target_id"],
                    int(r["year"]),
                    target_label(r, "zh", res.resolved),
                    target_label(r, "en", res.resolved),
                    bool(r["active"]),
                    int(r["n_reps"]),
                    r["p_hit"],
                    r["ci_low"],
                    r["ci_high"],
                ]
            )
    header = [
        bi("情景", "Scenario"),
        bi("结果文件夹", "Results folder"),
        "target_id",
        bi("年份", "Year"),
        bi("目标", "Target (zh)"),
        "Target (en)",
        bi("计入联合概率", "In joint probability"),
        bi("重复次数", "Replications"),
        bi("达成概率 [%]", "P(hit) [%]"),
        bi("95%模拟精度区间下限 [%]", "95% simulation-precision low [%]"),
        bi("95%模拟精度区间上限 [%]", "95% simulation-precision high [%]"),
    ]
    sheet(
        wb, "情景对比 Comparison", header, rows, {8: PCT, 9: PCT, 10: PCT}, [16, 36, 30, 8, 34, 38, 10, 10, 11, 11, 11]
    )


def ranking_sheet(wb, res: Results):
    r = res.ranking
    if r is None or not in_format(wb, r, ("year", "measure", "variant", "p", "ci_low", "ci_high"), "排名 Ranking"):
        return
    header = [
        bi("年份", "Year"),
        bi("指标", "Measure (zh)"),
        "Measure (en)",
        "variant",
        bi("评估方法假设", "Method assumption (zh)"),
        "Method assumption (en)",
        bi("重复次数", "Replications"),
        bi("概率 [%]", "P [%]"),
        bi("95%模拟精度区间下限 [%]", "95% simulation-precision low [%]"),
        bi("95%模拟精度区间上限 [%]", "95% simulation-precision high [%]"),
        bi("名次10%分位 [名]", "Rank P10 [rank]"),
        bi("名次中位数 [名]", "Rank median [rank]"),
        bi("名次90%分位 [名]", "Rank P90 [rank]"),
    ]
    rows = []
    for _, x in r.iterrows():
        desc = str(x.get("description", "") or "")
        rows.append(
            [
                int(x["year"]),
                measure_label(str(x["measure"]), "zh"),
                measure_label(str(x["measure"]), "en"),
                x["variant"],
                variant_label(str(x["variant"]), "zh", desc),
                variant_label(str(x["variant"]), "en", desc),
                x.get("n_reps"),
                x["p"],
                x["ci_low"],
                x["ci_high"],
                x.get("rank_p10"),
                x.get("rank_p50"),
                x.get("rank_p90"),
            ]
        )
    sheet(
        wb, "排名 Ranking", header, rows, {7: PCT, 8: PCT, 9: PCT}, [8, 16, 18, 18, 36, 44, 10, 11, 11, 11, 12, 12, 12]
    )


def peers_sheet(wb, res: Results):
    p = res.peers
    if p is None or not in_format(wb, p, ("year", "statistic", "mean", "p10", "p50", "p90"), "同类综保区 Peers"):
        return
    header = [
        bi("年份", "Year"),
        "statistic",
        bi("统计量", "Statistic (zh)"),
        "Statistic (en)",
        bi("单位", "Unit"),
        bi("均值 [单位列]", "Mean [unit column]"),
        bi("10%分位 [单位列]", "P10 [unit column]"),
        bi("中位数 [单位列]", "Median [unit column]"),
        bi("90%分位 [单位列]", "P90 [unit column]"),
    ]
    rows = []
    ranks = {x["year"]: x["p50"] for _, x in p.iterrows() if x["statistic"] == "reference_rank"}
    for _, x in p.iterrows():
        st = str(x["statistic"])
        u = PEER_UNITS.get(st, "")
        rows.append(
            [
                int(x["year"]),
                st,
                indicator_label("peers_" + st, "zh", rank=ranks.get(x["year"])),
                indicator_label("peers_" + st, "en", rank=ranks.get(x["year"])),
                unit_bi(u) if u else "",
                x["mean"],
                x["p10"],
                x["p50"],
                x["p90"],
            ]
        )
    sheet(
        wb,
        "同类综保区 Peers",
        header,
        rows,
        dict.fromkeys(range(5, 9), "#,##0.000"),
        [8, 22, 30, 36, 14, 14, 14, 14, 14],
    )
