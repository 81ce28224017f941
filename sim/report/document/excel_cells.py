"""The cells of ``summary.xlsx``: bilingual headers, a formatted sheet (bold shaded header,
number formats, widths, frozen first row, filter), cell values, units, and a table written as it
is."""

from __future__ import annotations

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sim.report.texts.labels import (
    unit_label,
)
from sim.results import Results
from sim.rounding import significant
from sim.vocabulary.outcomes import indicator_unit

QUANTILES = (5, 10, 25, 50, 75, 90, 95)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F0")
PCT = "0.0%"
VALUE = "#,##0.00"
"""Indicator values: two decimals on screen, the full number in the cell."""


def bi(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def sheet(
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
        ws.append([cell_value(v) for v in r])
    for j, fmt in (formats or {}).items():
        for row in ws.iter_rows(min_row=2, min_col=j + 1, max_col=j + 1):
            for c in row:
                c.number_format = fmt
    for j, w in enumerate(widths or [16] * len(header)):
        ws.column_dimensions[get_column_letter(j + 1)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
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
