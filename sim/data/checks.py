"""The checks of an observations file's rows: columns, months, units, values, duplicates, trade sums.

:func:`validate_rows` turns the cells of a file (read by :mod:`sim.data.rows`) into indicator ->
month -> value, or raises :class:`ObservationError` naming the row and the reason of the first
problem (and how many more there are); :func:`validate_values` checks values already read the
same way. :mod:`sim.data.observations` reads the file and holds the scenario section.
"""

from __future__ import annotations

import math
import re

from sim.data.rows import ObservationError
from sim.months import month_at, month_offset, parse_data_month
from sim.vocabulary.outcomes import OBSERVABLE, TRADE_COMPONENTS, indicator_unit

REQUIRED_COLUMNS = ("month", "indicator", "value", "unit")
OPTIONAL_COLUMNS = ("source", "note")

UNIT_ALIASES = {
    "亿元": ("亿元", "100m_cny"),
    "万美元": ("万美元", "10k_usd"),
    "%": ("%", "percent"),
    "count": ("count", "家", "个"),
    "persons": ("persons", "人"),
}
"""Accepted spellings of each indicator unit (the first is the canonical one)."""

PLAUSIBLE_MAX = {"亿元": 1e5, "万美元": 1e7, "count": 1e6, "persons": 1e8, "%": 100.0}
"""Largest value a zone's month can plausibly have, by unit (a zone, not a country: China's whole
monthly foreign trade is a few 10,000 亿元). A value above it is a typing or unit error."""

TRADE_TOLERANCE = 0.01
"""Relative tolerance of trade_total against the sum of the customs modes in the same month."""

NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")
"""A number as a cell may write it: optional sign, thousands separators, decimals, exponent."""

BASE_MONTHS = 12
"""Months before the start a file may hold: those of the base year, which state its figures
(:func:`sim.scenario.observed.split_base_year`)."""


def _blank(c) -> bool:
    return c is None or (isinstance(c, str) and not c.strip())


def cell_text(c) -> str:
    """A cell as stripped text ("" for an empty cell)."""
    return "" if c is None else str(c).strip()


def _parse_value(c) -> float | str:
    """A float, or the reason it is not one."""
    if isinstance(c, bool):
        return f"value {c!r} is not a number"
    if isinstance(c, (int, float)):
        v = float(c)
    else:
        s = cell_text(c)
        if not s:
            return "missing value"
        if not NUMBER_RE.match(s) or s in ("+", "-", "."):
            return f"value {s!r} is not a number"
        v = float(s.replace(",", ""))
    if not math.isfinite(v):
        return f"value {c!r} is not a finite number"
    return v


def _observable_hint(ind: str) -> str:
    if ind == "new_business_types" or ind.startswith(("leaders_", "done_")):
        return (
            f"indicator {ind!r} cannot be observed: it counts events (completions, signings); enter "
            f"what already happened in the scenario instead (e.g. a project's month and a slip of 0; "
            f"see docs/data.md)"
        )
    return f"unknown indicator {ind!r}; observable indicators are {', '.join(OBSERVABLE)}"


def validate_rows(rows, start: str, months: int) -> dict[str, dict[str, float]]:
    """indicator -> month -> value from (row number, cells) rows, header first, for a run of
    ``months`` months from ``start``; the first problem raises :class:`ObservationError`."""
    rows = [(n, r) for n, r in rows if not all(_blank(c) for c in r) and not cell_text(r[0]).startswith("#")]
    if not rows:
        raise ObservationError("no header row: expected columns month, indicator, value, unit")
    head_n, head = rows[0]
    cols = [cell_text(c).lower() for c in head]
    for c in REQUIRED_COLUMNS:
        if c not in cols:
            raise ObservationError(
                f"row {head_n}: missing column {c!r}; expected columns "
                f"{', '.join(REQUIRED_COLUMNS)} (optional: {', '.join(OPTIONAL_COLUMNS)})"
            )
    for c in cols:
        if c and c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            raise ObservationError(
                f"row {head_n}: unknown column {c!r}; expected columns "
                f"{', '.join(REQUIRED_COLUMNS)} (optional: {', '.join(OPTIONAL_COLUMNS)})"
            )
        if c and cols.count(c) > 1:
            raise ObservationError(f"row {head_n}: column {c!r} appears twice")
    idx = {c: cols.index(c) for c in REQUIRED_COLUMNS}
    width = max(i for i, c in enumerate(cols) if c) + 1
    first, last = month_at(-BASE_MONTHS, start), month_at(months - 1, start)
    errors: list[str] = []
    values: dict[str, dict[str, float]] = {}
    seen: dict[tuple[str, str], int] = {}
    row_of: dict[tuple[str, str], int] = {}

    def cell(r, c):
        i = idx[c]
        return r[i] if i < len(r) else None

    for n, r in rows[1:]:
        used = max((i + 1 for i, c in enumerate(r) if not _blank(c)), default=0)
        if used > width or len(r) < width:
            errors.append(
                f"row {n}: {max(used, len(r)) if used > width else len(r)} cells, the header "
                f"(row {head_n}) has {width}; every row needs one cell per column (quote a "
                f"cell that holds a comma)"
            )
            continue
        ind = cell_text(cell(r, "indicator"))
        if not ind:
            errors.append(f"row {n}: missing indicator")
            continue
        if ind not in OBSERVABLE:
            errors.append(f"row {n}: {_observable_hint(ind)}")
            continue
        month = parse_data_month(cell(r, "month"))
        if month is None:
            errors.append(f'row {n}: month {cell_text(cell(r, "month"))!r} is not a month "YYYY-MM"')
            continue
        k = month_offset(month, start)
        if not -BASE_MONTHS <= k < months:
            errors.append(
                f"row {n}: month {month} is outside the base year and the scenario's months, {first} to {last}"
            )
            continue
        unit = cell_text(cell(r, "unit"))
        want = indicator_unit(ind)
        if unit not in UNIT_ALIASES[want]:
            errors.append(
                f"row {n}: unit {unit!r} is wrong for {ind}, which is measured in {want!r} "
                f"(accepted: {', '.join(UNIT_ALIASES[want])})"
            )
            continue
        v = _parse_value(cell(r, "value"))
        if isinstance(v, str):
            errors.append(f"row {n}: {v} ({ind}, {month})")
            continue
        if v < 0:
            errors.append(f"row {n}: negative value {v:g} for {ind} ({month}), which cannot be negative")
            continue
        if ind == "development_rate" and v > 100:
            errors.append(f"row {n}: development_rate {v:g}% ({month}) is above 100% of the fenced area")
            continue
        if v > PLAUSIBLE_MAX[want]:
            errors.append(
                f"row {n}: {ind} {v:g} {want} ({month}) is implausibly large for one zone's month "
                f"(at most {PLAUSIBLE_MAX[want]:g}); check the number and its unit"
            )
            continue
        key = (ind, month)
        if key in seen:
            errors.append(f"row {n}: duplicates row {seen[key]} ({ind}, {month})")
            continue
        seen[key] = n
        row_of[key] = n
        values.setdefault(ind, {})[month] = v
    if not errors:
        errors.extend(_trade_consistency(values, row_of))
    if errors:
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise ObservationError(errors[0] + more)
    if not values:
        raise ObservationError("no observations: every row is empty or a comment")
    return {ind: dict(sorted(values[ind].items())) for ind in OBSERVABLE if ind in values}


def _trade_consistency(values, row_of) -> list[str]:
    """trade_total must not be below the customs modes observed in the same month, and must equal
    their sum when all five are observed."""
    errs = []
    for month, total in sorted(values.get("trade_total", {}).items()):
        present = [m for m in TRADE_COMPONENTS if month in values.get(m, {})]
        if not present:
            continue
        s = sum(values[m][month] for m in present)
        tol = TRADE_TOLERANCE * max(total, s) + 1e-9
        n = row_of[("trade_total", month)]
        if s > total + tol:
            errs.append(
                f"row {n}: trade_total {total:g} ({month}) is less than the customs modes observed "
                f"that month ({', '.join(present)}: {s:g}); trade_total is their sum"
            )
        elif len(present) == len(TRADE_COMPONENTS) and abs(s - total) > tol:
            errs.append(
                f"row {n}: trade_total {total:g} ({month}) differs from the sum of the five customs "
                f"modes ({s:g}) by more than {TRADE_TOLERANCE:.0%}"
            )
    return errs


def validate_values(values: dict[str, dict[str, float]], start: str, months: int) -> dict[str, dict[str, float]]:
    """Validate values already read (indicator -> month -> value), as the rows of a file would be.

    Used for the copy a resolved scenario embeds; a problem raises :class:`ObservationError` with
    "row 0" as its row."""
    rows = [(0, ["month", "indicator", "value", "unit"])] + [
        (0, [m, ind, v, indicator_unit(ind)]) for ind, by in values.items() for m, v in by.items()
    ]
    return validate_rows(rows, start, months)
