"""The workbook's cells as written (sim.report.document.excel_cells): texts stay texts, numbers
and truth values keep their type and format, NaN is an empty cell, the header row is styled and
frozen, the filter covers the table."""

from __future__ import annotations

import io
import math

import numpy as np
from openpyxl import load_workbook

from sim.report.document.excel_cells import PCT, new_workbook, sheet


def _book(rows, formats=None):
    buf = io.BytesIO()
    wb = new_workbook(buf)
    sheet(wb, "T" * 40, ["a", "b", "c"], rows, formats, [10, 20, 30])
    wb.close()
    return load_workbook(io.BytesIO(buf.getvalue()))


def test_texts_stay_texts_and_numbers_keep_their_type():
    rows = [
        ["=SUM(B2:B3)", np.int64(3), np.float64(0.25)],
        ["https://example.org/plan", True, math.nan],
        ["+86 12", np.bool_(False), 1.23456789],
    ]
    wb = _book(rows, {2: PCT})
    assert wb.sheetnames == ["T" * 31]
    ws = wb.active
    got = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert got[0] == ["=SUM(B2:B3)", 3, 0.25]
    assert ws["A2"].data_type == "s", "a text that starts with = became a formula"
    assert got[1][:2] == ["https://example.org/plan", True] and got[1][2] is None
    assert ws["A3"].hyperlink is None, "a web address became a link"
    assert got[2][0] == "+86 12" and got[2][1] is False
    assert ws["C2"].number_format == PCT and ws["C4"].number_format == PCT
    assert ws["B2"].number_format == "General"


def test_header_styled_frozen_and_filtered():
    ws = _book([[1, 2, 3], [4, 5, 6]]).active
    head = ws["A1"]
    assert head.value == "a" and head.font.b and head.fill.fgColor.rgb.endswith("DCE6F0")
    assert head.alignment.wrap_text and head.alignment.vertical == "top"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:C3"
    assert ws.column_dimensions["C"].width >= 30
