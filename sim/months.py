"""Month arithmetic: the one place that reads, writes and counts calendar months.

A month is written ``"YYYY-MM"`` (:data:`MONTH_RE` is the one strict pattern). Months of a run
are numbered by their **offset**: 0-based, counted from the scenario's start month
(:func:`month_offset`, inverse :func:`month_at`), so the start month is offset 0.

The model's clock is continuous and counts months elapsed since the start of the run; the end
of the month at offset ``k`` is clock time ``k + 1`` (:func:`month_end`, inverse
:func:`month_of_end`). Plan dates ("done by 2022-12") are such end-of-month times: with a start
of 2022-01, "2022-12" ends at clock time 12.

Data files are read leniently by :func:`parse_data_month` ("2022/3", "2022-03-31" and
spreadsheet dates are accepted); everything the user writes in a scenario or on the command
line must match :data:`MONTH_RE`.
"""

from __future__ import annotations

import datetime as _dt
import re

MONTH_RE = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
"""A month "YYYY-MM": four-digit year, two-digit month 01-12; always used with ``fullmatch``."""

_DATA_MONTH_RE = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?")


def is_month(text: str) -> bool:
    """True if ``text`` is a month "YYYY-MM" (see :data:`MONTH_RE`)."""
    return isinstance(text, str) and bool(MONTH_RE.fullmatch(text))


def check_month(text: str) -> str:
    """``text`` if it is a month "YYYY-MM"; ValueError otherwise (a pydantic validator)."""
    if not MONTH_RE.fullmatch(text):
        raise ValueError(f'expected a month as "YYYY-MM", got {text!r}')
    return text


def _split(month: str) -> tuple[int, int]:
    y, m = month.split("-")
    return int(y), int(m)


def month_offset(month: str, start: str) -> int:
    """0-based offset of ``month`` from the run's ``start``: "2022-03" from "2022-01" -> 2."""
    y, m = _split(month)
    y0, m0 = _split(start)
    return (y - y0) * 12 + (m - m0)


def month_at(offset: int, start: str) -> str:
    """The month "YYYY-MM" at 0-based ``offset`` from ``start`` (inverse of :func:`month_offset`)."""
    y0, m0 = _split(start)
    total = y0 * 12 + (m0 - 1) + int(offset)
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def month_labels(start: str, months: int) -> list[str]:
    """The first ``months`` months of a run, "YYYY-MM" each (offsets 0 .. months - 1)."""
    return [month_at(k, start) for k in range(months)]


def month_end(month: str, start: str) -> int:
    """Model clock time at the end of ``month`` ("2022-12" from "2022-01" -> 12)."""
    return month_offset(month, start) + 1


def month_of_end(time: int, start: str) -> str:
    """The month whose end is clock time ``time`` (inverse of :func:`month_end`)."""
    return month_at(int(time) - 1, start)


def parse_data_month(cell) -> str | None:
    """A data-file month cell as "YYYY-MM", or None if it is not one.

    Lenient, for observation files only: a date or datetime, "YYYY-M", "YYYY/MM", "YYYY.MM", with
    an optional day ("2022-03-31"); surrounding spaces are ignored."""
    if isinstance(cell, (_dt.date, _dt.datetime)):
        return f"{cell.year}-{cell.month:02d}"
    m = _DATA_MONTH_RE.fullmatch("" if cell is None else str(cell).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return f"{m.group(1)}-{int(m.group(2)):02d}"
