"""The cells of an observations file, row by row: CSV (UTF-8 or GBK) or an Excel sheet.

Strict: a quote left open or a quoted cell running over lines is an error naming its row (it
would otherwise swallow the rest of the file). :mod:`sim.data.checks` validates the cells.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from sim.errors import UserError


class ObservationError(UserError, ValueError):
    """A problem with an observations file; the message names the file, the row and the reason."""


def decode(data: bytes) -> str:
    """The text of a UTF-8 (BOM or not) or GBK/GB18030 file; UTF-16 and binary files are refused."""
    if b"\x00" in data:
        raise ObservationError("not a text file (UTF-16 or binary): save it as UTF-8 CSV, or as .xlsx")
    for enc in ("utf-8-sig", "gb18030"):  # Excel on a Chinese system saves CSV as GBK
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ObservationError("cannot decode the file: save it as UTF-8 (or GBK) CSV")


def csv_rows(data: bytes) -> list[tuple[int, list[Any]]]:
    """(line number, cells) of every record; a quote left open is an error naming its row."""
    text = decode(data)
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    first = 1
    try:
        for cells in reader:
            if reader.line_num != first:
                raise ObservationError(
                    f"row {first}: a quoted cell runs over {reader.line_num - first + 1} "
                    f'lines (a " left open?); quote marks must pair within one row'
                )
            rows.append((first, cells))
            first = reader.line_num + 1
    except csv.Error as e:
        raise ObservationError(f'row {first}: malformed CSV ({e}; a " left open?)') from None
    return rows


def excel_rows(path: Path) -> list[tuple[int, list[Any]]]:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise ObservationError("reading Excel files needs the openpyxl package (pip install openpyxl)") from None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ObservationError(f"cannot read the Excel file ({type(e).__name__}: {e})") from None
    try:
        ws = wb["observations"] if "observations" in wb.sheetnames else wb.worksheets[0]
        return [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        wb.close()
