"""The cells of ``summary.xlsx``: bilingual headers, a formatted sheet (bold shaded header,
number formats, widths, frozen first row, filter), cell values, units, and a table written as it
is. Written by xlsxwriter (:func:`new_workbook`): every text is written as text (never read as a
formula, a number or a link), NaN as an empty cell."""

from __future__ import annotations

import numpy as np
import pandas as pd
from xlsxwriter import Workbook

from sim.report.texts.labels import (
    unit_label,
)
from sim.results import Results
from sim.rounding import significant
from sim.vocabulary.outcomes import indicator_unit

QUANTILES = (5, 10, 25, 50, 75, 90, 95)
HEAD = {"bold": True, "bg_color": "#DCE6F0", "text_wrap": True, "valign": "top"}
"""The header row's cells: bold on a light blue, wrapped, at the top of the cell."""
PCT = "0.0%"
VALUE = "#,##0.00"
"""Indicator values: two decimals on screen, the full number in the cell."""


def bi(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def new_workbook(buf) -> Workbook:
    """A workbook written into ``buf`` (a binary file) when closed: texts stay texts (a comment
    that starts with "=" or holds a web address is not turned into a formula or a link), and a
    non-finite number becomes Excel's error value rather than a broken file."""
    return Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
        },
    )


def sheet(
    wb: Workbook,
    title: str,
    header: list[str],
    rows,
    formats: dict[int, str] | None = None,
    widths: list[int] | None = None,
):
    ws = wb.add_worksheet(title[:31])
    ws.write_row(0, 0, header, wb.add_format(HEAD))
    columns = {j: wb.add_format({"num_format": fmt}) for j, fmt in (formats or {}).items()}
    n = 0
    for n, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            v = cell_value(v)
            if v is not None:
                ws.write(n, j, v, columns.get(j))
    for j, w in enumerate(widths or [16] * len(header)):
        ws.set_column(j, j, w)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, n, max(len(header) - 1, 0))
    return ws


def cell_value(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return None if v != v else significant(float(v))  # written for people (sim/rounding.py)
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    return v


def unit_of(res: Results, indicator: str) -> str:
    t = res.summary[res.summary["indicator"] == indicator]
    if len(t) and t["unit"].iloc[0]:
        return str(t["unit"].iloc[0])
    try:
        return indicator_unit(indicator)
    except KeyError:
        return ""


def unit_bi(unit: str) -> str:
    zh, en = unit_label(unit, "zh"), unit_label(unit, "en")
    return zh if zh == en else f"{zh} / {en}"


def in_format(wb, table: pd.DataFrame | None, required: tuple[str, ...], title: str) -> bool:
    """True when ``table`` has the columns its formatted sheet needs; otherwise it is written as it
    is (when present) and False says the formatted sheet is skipped."""
    if table is None:
        return False
    if not set(required) <= set(table.columns):
        raw_sheet(wb, title, table)
        return False
    return True


def raw_sheet(wb, title: str, df: pd.DataFrame, max_rows: int = 200_000):
    d = df.head(max_rows)
    sheet(wb, title, [str(c) for c in d.columns], d.itertuples(index=False), None, [16] * len(d.columns))
