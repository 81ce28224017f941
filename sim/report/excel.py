"""``summary.xlsx``: the target table, indicator quantiles by year, monthly fan data, time to
target and the resolved scenario, one sheet each, with Chinese and English column labels and
units in the headers (openpyxl)."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from sim.report import sources
from sim.report.chart_base import target_label
from sim.report.key_labels import key_label, value_text
from sim.report.labels import PEER_UNITS, indicator_label, interval_label, measure_label, unit_label, variant_label
from sim.report.plan_warnings import warning_text
from sim.report.reproducible import fixed_zip, run_datetime
from sim.report.results import Results
from sim.rounding import significant
from sim.vocabulary.outcomes import FLOW_INDICATORS, indicator_unit

QUANTILES = (5, 10, 25, 50, 75, 90, 95)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F0")
PCT = "0.0%"
VALUE = "#,##0.00"
"""Indicator values: two decimals on screen, the full number in the cell."""


def _bi(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def _sheet(
    wb: Workbook,
    title: str,
    header: list[str],
    rows,
    formats: dict[int, str] | None = None,
    widths: list[int] | None = None,
):
    ws = wb.create_sheet(title[:31])
    ws.append(header)
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for r in rows:
        ws.append([_cell(v) for v in r])
    for j, fmt in (formats or {}).items():
        for row in ws.iter_rows(min_row=2, min_col=j + 1, max_col=j + 1):
            for c in row:
                c.number_format = fmt
    for j, w in enumerate(widths or [16] * len(header)):
        ws.column_dimensions[get_column_letter(j + 1)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    return ws


def _cell(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return None if v != v else significant(float(v))  # written for people (sim/rounding.py)
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    return v


def _unit_of(res: Results, indicator: str) -> str:
    t = res.summary[res.summary["indicator"] == indicator]
    if len(t) and t["unit"].iloc[0]:
        return str(t["unit"].iloc[0])
    try:
        return indicator_unit(indicator)
    except KeyError:
        return ""


def _unit_bi(unit: str) -> str:
    zh, en = unit_label(unit, "zh"), unit_label(unit, "en")
    return zh if zh == en else f"{zh} / {en}"


def targets_sheet(wb, res: Results):
    header = [
        "target_id",
        _bi("指标", "Indicator (zh)"),
        "Indicator (en)",
        _bi("目标", "Target (zh)"),
        "Target (en)",
        _bi("年份", "Year"),
        _bi("比较", "Comparison"),
        _bi("阈值（单位见下一列）", "Threshold (in the unit column)"),
        _bi("单位", "Unit"),
        _bi("计入联合概率", "In joint probability"),
        _bi("重复次数", "Replications"),
        _bi("达成次数", "Hits"),
        _bi("达成概率 [%]", "P(hit) [%]"),
        _bi("95%模拟精度区间下限 [%]", "95% simulation-precision low [%]"),
        _bi("95%模拟精度区间上限 [%]", "95% simulation-precision high [%]"),
        _bi("均值 [单位列]", "Mean [unit column]"),
        _bi("10%分位 [单位列]", "P10 [unit column]"),
        _bi("中位数 [单位列]", "Median [unit column]"),
        _bi("90%分位 [单位列]", "P90 [unit column]"),
        _bi("规划出处", "Plan source"),
        _bi("说明", "Note"),
    ]
    rows = []
    for _, r in res.summary.iterrows():
        rows.append(
            [
                r["target_id"],
                indicator_label(r["indicator"], "zh", res.resolved),
                indicator_label(r["indicator"], "en", res.resolved),
                target_label(r, "zh", res.resolved),
                target_label(r, "en", res.resolved),
                int(r["year"]),
                r["op"],
                r["threshold"],
                _unit_bi(r["unit"]) if r["unit"] else "",
                bool(r["active"]),
                int(r["n_reps"]),
                int(r["hits"]),
                r["p_hit"],
                r["ci_low"],
                r["ci_high"],
                r.get("mean"),
                r.get("p10"),
                r.get("p50"),
                r.get("p90"),
                r.get("source", ""),
                r.get("note", ""),
            ]
        )
    _sheet(
        wb,
        "目标 Targets",
        header,
        rows,
        {7: VALUE, 12: PCT, 13: PCT, 14: PCT, 15: VALUE, 16: VALUE, 17: VALUE, 18: VALUE},
        [28, 22, 24, 34, 38, 8, 8, 12, 10, 10, 10, 9, 11, 11, 11, 12, 12, 12, 12, 50, 40],
    )


def quantile_table(ind: pd.DataFrame) -> pd.DataFrame:
    """Mean, sd and quantiles of every indicator by year, across replications (descriptive)."""
    g = ind.groupby(["indicator", "year"], sort=False)["value"]
    q = g.quantile([p / 100 for p in QUANTILES]).unstack()
    q.columns = [f"p{p}" for p in QUANTILES]
    out = pd.concat(
        [
            g.size().rename("n"),
            g.mean().rename("mean"),
            g.std().rename("sd"),
            g.min().rename("min"),
            q,
            g.max().rename("max"),
        ],
        axis=1,
    ).reset_index()
    return out


def quantiles_sheet(wb, res: Results):
    ind = res.indicators
    if ind is None:
        return
    q = quantile_table(ind)
    header = (
        [
            _bi("指标代码", "Indicator id"),
            _bi("指标（单位）", "Indicator (unit), zh"),
            "Indicator (unit), en",
            _bi("单位", "Unit"),
            _bi("年份", "Year"),
            _bi("重复次数", "Replications"),
            _bi("均值 [单位列]", "Mean [unit column]"),
            _bi("标准差 [单位列]", "SD [unit column]"),
            _bi("最小值", "Min"),
        ]
        + [_bi(f"{p}%分位", f"P{p}") for p in QUANTILES]
        + [_bi("最大值", "Max")]
    )
    rows = []
    for _, r in q.iterrows():
        u = _unit_of(res, r["indicator"])
        zh = (
            f"{indicator_label(r['indicator'], 'zh', res.resolved)}（{unit_label(u, 'zh')}）"
            if u
            else indicator_label(r["indicator"], "zh", res.resolved)
        )
        en = (
            f"{indicator_label(r['indicator'], 'en', res.resolved)} ({unit_label(u, 'en')})"
            if u
            else indicator_label(r["indicator"], "en", res.resolved)
        )
        rows.append(
            [
                r["indicator"],
                zh,
                en,
                _unit_bi(u) if u else "",
                int(r["year"]),
                int(r["n"]),
                r["mean"],
                r["sd"],
                r["min"],
                *[r[f"p{p}"] for p in QUANTILES],
                r["max"],
            ]
        )
    fm = dict.fromkeys(range(6, 6 + 3 + len(QUANTILES) + 1), VALUE)
    _sheet(wb, "年度分位数 Quantiles", header, rows, fm, [24, 30, 34, 12, 8, 10] + [12] * (4 + len(QUANTILES)))


def monthly_sheet(wb, res: Results):
    m = res.monthly
    if m is None:
        return
    qcols = [c for c in m.columns if c not in ("indicator", "month")]
    header = [
        _bi("指标代码", "Indicator id"),
        _bi("指标（单位）", "Indicator (unit), zh"),
        "Indicator (unit), en",
        _bi("单位", "Unit"),
        _bi("口径", "Basis"),
        _bi("月份", "Month"),
    ] + [_bi(f"{c} [单位列]", f"{c} [unit column]") for c in qcols]
    rows = []
    for ind, d in m.groupby("indicator", sort=False):
        u = _unit_of(res, ind)
        basis = _bi("当年累计", "year to date") if ind in FLOW_INDICATORS else _bi("月末值", "end of month")
        zh = indicator_label(ind, "zh", res.resolved) + (f"（{unit_label(u, 'zh')}）" if u else "")
        en = indicator_label(ind, "en", res.resolved) + (f" ({unit_label(u, 'en')})" if u else "")
        for _, r in d.iterrows():
            rows.append([ind, zh, en, _unit_bi(u) if u else "", basis, r["month"], *[r[c] for c in qcols]])
    _sheet(
        wb,
        "逐月分布 Monthly fan",
        header,
        rows,
        dict.fromkeys(range(6, 6 + len(qcols)), VALUE),
        [22, 30, 34, 12, 22, 10] + [12] * len(qcols),
    )


def ttt_sheet(wb, res: Results):
    t = res.ttt
    if t is None:
        return
    s = res.summary.set_index("target_id")
    header = [
        "target_id",
        _bi("目标", "Target (zh)"),
        "Target (en)",
        _bi("月份", "Month"),
        _bi("重复次数", "Replications"),
        _bi("已达标概率 [%]", "P(already reached) [%]"),
        _bi("95%模拟精度区间下限 [%]", "95% simulation-precision low [%]"),
        _bi("95%模拟精度区间上限 [%]", "95% simulation-precision high [%]"),
    ]
    rows = []
    for _, r in t.iterrows():
        tid = r["target_id"]
        row = s.loc[tid].to_dict() | {"target_id": tid} if tid in s.index else None
        rows.append(
            [
                tid,
                target_label(row, "zh", res.resolved) if row else tid,
                target_label(row, "en", res.resolved) if row else tid,
                r["month"],
                int(r["n_reps"]),
                r["p_reached"],
                r["ci_low"],
                r["ci_high"],
            ]
        )
    _sheet(wb, "达标时间 Time to target", header, rows, {5: PCT, 6: PCT, 7: PCT}, [30, 34, 38, 10, 10, 14, 14, 14])


def scenario_sheet(wb, res: Results):
    path = sources.find_scenario_file(res.manifest.get("scenario_file"), res.folder)
    comments = sources.scenario_comments(path) if path else {}
    header = [
        _bi("键路径", "Key path"),
        _bi("参数", "Parameter (zh)"),
        "Parameter (en)",
        _bi("取值", "Value (zh)"),
        "Value (en)",
        _bi("来源（情景文件注释）", "Source (scenario file comment)"),
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
                sources.comment_for(comments, path_),
            ]
        )
    _sheet(wb, "情景 Scenario", header, rows, None, [48, 40, 44, 36, 36, 80])


def manifest_sheet(wb, results: list[Results]):
    header = [_bi("结果文件夹", "Results folder"), _bi("项目", "Item"), _bi("取值", "Value")]
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
    _sheet(wb, "运行信息 Run facts", header, rows, None, [40, 22, 120])


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
        _bi("情景", "Scenario"),
        _bi("结果文件夹", "Results folder"),
        "target_id",
        _bi("年份", "Year"),
        _bi("目标", "Target (zh)"),
        "Target (en)",
        _bi("计入联合概率", "In joint probability"),
        _bi("重复次数", "Replications"),
        _bi("达成概率 [%]", "P(hit) [%]"),
        _bi("95%模拟精度区间下限 [%]", "95% simulation-precision low [%]"),
        _bi("95%模拟精度区间上限 [%]", "95% simulation-precision high [%]"),
    ]
    _sheet(
        wb, "情景对比 Comparison", header, rows, {8: PCT, 9: PCT, 10: PCT}, [16, 36, 30, 8, 34, 38, 10, 10, 11, 11, 11]
    )


def _in_format(wb, table: pd.DataFrame | None, required: tuple[str, ...], title: str) -> bool:
    """True when ``table`` has the columns its formatted sheet needs; otherwise it is written as it
    is (when present) and False says the formatted sheet is skipped."""
    if table is None:
        return False
    if not set(required) <= set(table.columns):
        raw_sheet(wb, title, table)
        return False
    return True


def ranking_sheet(wb, res: Results):
    r = res.ranking
    if not _in_format(wb, r, ("year", "measure", "variant", "p", "ci_low", "ci_high"), "排名 Ranking"):
        return
    header = [
        _bi("年份", "Year"),
        _bi("指标", "Measure (zh)"),
        "Measure (en)",
        "variant",
        _bi("评估方法假设", "Method assumption (zh)"),
        "Method assumption (en)",
        _bi("重复次数", "Replications"),
        _bi("概率 [%]", "P [%]"),
        _bi("95%模拟精度区间下限 [%]", "95% simulation-precision low [%]"),
        _bi("95%模拟精度区间上限 [%]", "95% simulation-precision high [%]"),
        _bi("名次10%分位 [名]", "Rank P10 [rank]"),
        _bi("名次中位数 [名]", "Rank median [rank]"),
        _bi("名次90%分位 [名]", "Rank P90 [rank]"),
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
    _sheet(
        wb, "排名 Ranking", header, rows, {7: PCT, 8: PCT, 9: PCT}, [8, 16, 18, 18, 36, 44, 10, 11, 11, 11, 12, 12, 12]
    )


def peers_sheet(wb, res: Results):
    p = res.peers
    if not _in_format(wb, p, ("year", "statistic", "mean", "p10", "p50", "p90"), "同类综保区 Peers"):
        return
    header = [
        _bi("年份", "Year"),
        "statistic",
        _bi("统计量", "Statistic (zh)"),
        "Statistic (en)",
        _bi("单位", "Unit"),
        _bi("均值 [单位列]", "Mean [unit column]"),
        _bi("10%分位 [单位列]", "P10 [unit column]"),
        _bi("中位数 [单位列]", "Median [unit column]"),
        _bi("90%分位 [单位列]", "P90 [unit column]"),
    ]
    rows = []
    for _, x in p.iterrows():
        st = str(x["statistic"])
        u = PEER_UNITS.get(st, "")
        rows.append(
            [
                int(x["year"]),
                st,
                indicator_label("peers_" + st, "zh"),
                indicator_label("peers_" + st, "en"),
                _unit_bi(u) if u else "",
                x["mean"],
                x["p10"],
                x["p50"],
                x["p90"],
            ]
        )
    _sheet(
        wb,
        "同类综保区 Peers",
        header,
        rows,
        dict.fromkeys(range(5, 9), "#,##0.000"),
        [8, 22, 30, 36, 14, 14, 14, 14, 14],
    )


def raw_sheet(wb, title: str, df: pd.DataFrame, max_rows: int = 200_000):
    d = df.head(max_rows)
    _sheet(wb, title, [str(c) for c in d.columns], d.itertuples(index=False), None, [16] * len(d.columns))


def build_workbook(results: list[Results]) -> bytes:
    res = results[0]
    wb = Workbook()
    wb.remove(wb.active)
    targets_sheet(wb, res)
    quantiles_sheet(wb, res)
    monthly_sheet(wb, res)
    ttt_sheet(wb, res)
    scenario_sheet(wb, res)
    manifest_sheet(wb, results)
    if len(results) > 1:
        compare_sheet(wb, results)
    ranking_sheet(wb, res)
    peers_sheet(wb, res)
    used = {ws.title for ws in wb.worksheets}
    for r in results:
        for name, p in r.extra_tables.items():
            title = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "table"
            k = 2
            while title in used:
                title = f"{title[:28]}_{k}"
                k += 1
            used.add(title)
            try:
                raw_sheet(wb, title, pd.read_csv(p))
            except (OSError, ValueError):
                continue
    wb.properties.title = f"{res.zone('en')} / {res.scenario_name}"
    wb.properties.creator = "zonesim"
    when = run_datetime(res.run_date)
    wb.properties.created = wb.properties.modified = when.replace(tzinfo=None)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()  # Workbook.save would stamp the current time as 'modified'
    return fixed_zip(buf.getvalue(), when)
