"""``summary.xlsx``: the target table, indicator quantiles by year, monthly fan data, time to
target and the resolved scenario, one sheet each, with Chinese and English column labels and
units in the headers (xlsxwriter, :func:`sim.report.document.excel_cells.new_workbook`)."""

from __future__ import annotations

import io

import pandas as pd

from sim.report.charts.base import target_label
from sim.report.document.excel_cells import (
    PCT,
    QUANTILES,
    VALUE,
    bi,
    new_workbook,
    raw_sheet,
    sheet,
    unit_bi,
    unit_of,
)
from sim.report.document.excel_context import compare_sheet, manifest_sheet, peers_sheet, ranking_sheet, scenario_sheet
from sim.report.document.reproducible import fixed_zip, run_datetime
from sim.report.texts.labels import (
    indicator_label,
    unit_label,
)
from sim.results import Results
from sim.vocabulary.outcomes import FLOW_INDICATORS


def targets_sheet(wb, res: Results):
    header = [
        "target_id",
        bi("指标", "Indicator (zh)"),
        "Indicator (en)",
        bi("目标", "Target (zh)"),
        "Target (en)",
        bi("年份", "Year"),
        bi("比较", "Comparison"),
        bi("阈值（单位见下一列）", "Threshold (in the unit column)"),
        bi("单位", "Unit"),
        bi("计入联合概率", "In joint probability"),
        bi("重复次数", "Replications"),
        bi("达成次数", "Hits"),
        bi("达成概率 [%]", "P(hit) [%]"),
        bi("95%模拟精度区间下限 [%]", "95% simulation-precision low [%]"),
        bi("95%模拟精度区间上限 [%]", "95% simulation-precision high [%]"),
        bi("均值 [单位列]", "Mean [unit column]"),
        bi("10%分位 [单位列]", "P10 [unit column]"),
        bi("中位数 [单位列]", "Median [unit column]"),
        bi("90%分位 [单位列]", "P90 [unit column]"),
        bi("规划出处", "Plan source"),
        bi("说明", "Note"),
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
                unit_bi(r["unit"]) if r["unit"] else "",
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
    sheet(
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
            bi("指标代码", "Indicator id"),
            bi("指标（单位）", "Indicator (unit), zh"),
            "Indicator (unit), en",
            bi("单位", "Unit"),
            bi("年份", "Year"),
            bi("重复次数", "Replications"),
            bi("均值 [单位列]", "Mean [unit column]"),
            bi("标准差 [单位列]", "SD [unit column]"),
            bi("最小值", "Min"),
        ]
        + [bi(f"{p}%分位", f"P{p}") for p in QUANTILES]
        + [bi("最大值", "Max")]
    )
    rows = []
    for _, r in q.iterrows():
        u = unit_of(res, r["indicator"])
        zh_label, en_label = (
            indicator_label(r["indicator"], lg, res.resolved, year=int(r["year"])) for lg in ("zh", "en")
        )
        zh = f"{zh_label}（{unit_label(u, 'zh')}）" if u else zh_label
        en = f"{en_label} ({unit_label(u, 'en')})" if u else en_label
        rows.append(
            [
                r["indicator"],
                zh,
                en,
                unit_bi(u) if u else "",
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
    sheet(wb, "年度分位数 Quantiles", header, rows, fm, [24, 30, 34, 12, 8, 10] + [12] * (4 + len(QUANTILES)))


def monthly_sheet(wb, res: Results):
    m = res.monthly
    if m is None:
        return
    qcols = [c for c in m.columns if c not in ("indicator", "month")]
    header = [
        bi("指标代码", "Indicator id"),
        bi("指标（单位）", "Indicator (unit), zh"),
        "Indicator (unit), en",
        bi("单位", "Unit"),
        bi("口径", "Basis"),
        bi("月份", "Month"),
    ] + [bi(f"{c} [单位列]", f"{c} [unit column]") for c in qcols]
    rows = []
    for ind, d in m.groupby("indicator", sort=False):
        u = unit_of(res, ind)
        basis = bi("当年累计", "year to date") if ind in FLOW_INDICATORS else bi("月末值", "end of month")
        zh = indicator_label(ind, "zh", res.resolved) + (f"（{unit_label(u, 'zh')}）" if u else "")
        en = indicator_label(ind, "en", res.resolved) + (f" ({unit_label(u, 'en')})" if u else "")
        for _, r in d.iterrows():
            rows.append([ind, zh, en, unit_bi(u) if u else "", basis, r["month"], *[r[c] for c in qcols]])
    sheet(
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
        bi("目标", "Target (zh)"),
        "Target (en)",
        bi("月份", "Month"),
        bi("重复次数", "Replications"),
        bi("已达标概率 [%]", "P(already reached) [%]"),
        bi("95%模拟精度区间下限 [%]", "95% simulation-precision low [%]"),
        bi("95%模拟精度区间上限 [%]", "95% simulation-precision high [%]"),
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
    sheet(wb, "达标时间 Time to target", header, rows, {5: PCT, 6: PCT, 7: PCT}, [30, 34, 38, 10, 10, 14, 14, 14])


def build_workbook(results: list[Results]) -> bytes:
    res = results[0]
    buf = io.BytesIO()
    wb = new_workbook(buf)
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
    used = {ws.get_name().lower() for ws in wb.worksheets()}  # Excel's sheet names ignore case
    for r in results:
        for name, p in r.extra_tables.items():
            title = "".join(ch for ch in name if ch not in "[]:*?/\\").strip("'")[:31] or "table"
            k = 2
            while title.lower() in used:
                title = f"{title[:28]}_{k}"
                k += 1
            try:
                table = pd.read_csv(p)
            except (OSError, ValueError):
                continue
            used.add(title.lower())
            raw_sheet(wb, title, table)
    when = run_datetime(res.run_date)
    wb.set_properties(
        {
            "title": f"{res.zone('en')} / {res.scenario_name}",
            "author": "zonesim",
            "created": when.replace(tzinfo=None),  # also the 'modified' date: same run, same bytes
        }
    )
    wb.close()
    return fixed_zip(buf.getvalue(), when)
