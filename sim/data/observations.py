"""Observed monthly statistics of the zone: file format, validation, and the scenario section.

An observations file (CSV or Excel ``.xlsx``) has one row per month and indicator::

    month,indicator,value,unit,source,note
    2022-01,trade_total,8.4,亿元,customs monthly bulletin,

``month``, ``indicator``, ``value`` and ``unit`` are required; ``source`` and ``note`` are
optional and ignored by the model. Lines whose first cell starts with ``#`` are comments.
Flows (trade, output, FDI) are the month's own amount, not the year-to-date sum; stocks
(active enterprises, employees, development rate) are the value at the end of the month.
docs/data.md is the user documentation.

A scenario points to its file with an ``[observations]`` section (:class:`ObservationsConfig`).
The scenario loader reads and validates the file when the scenario is loaded
(:func:`sim.scenario.observed.attach`), and puts the file's sha256 and its validated values into
the resolved scenario, so a run is a pure function of the resolved scenario and its results
folder changes identity when the data change.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from pathlib import Path

import numpy as np
from pydantic import Field, field_validator, model_validator

from sim.config_base import StrictModel
from sim.data.rows import ObservationError
from sim.data.rows import csv_rows as _csv_rows
from sim.data.rows import excel_rows as _excel_rows
from sim.months import is_month, month_at, month_offset, parse_data_month
from sim.store import atomic_write_bytes
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

_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")


# ----------------------------------------------------------------------------- scenario section


class ObservationsConfig(StrictModel):
    """The ``[observations]`` section of a scenario (documented in docs/data.md)."""

    file: str = Field(
        "",
        validate_default=True,
        description="Observations file (CSV or .xlsx), relative to the scenario file that names it.",
    )
    as_of: str | None = Field(
        None,
        description=(
            'Nowcast month "YYYY-MM" (or "latest": the last observed month). Observed months up to it are fixed '
            "at their values and every replication continues from the observed level. Unset: the data are "
            "loaded (for calibrate and backtest) but runs are not conditioned on them."
        ),
    )
    window_months: int = Field(
        3,
        ge=1,
        le=12,
        description=("Flows: the observed/simulated ratio is taken over the last this-many observed months."),
    )
    max_ratio: float = Field(
        5.0,
        gt=1,
        description=(
            "A ratio above this (or below its inverse), or one that cannot be formed because a side is 0, "
            "is replaced by an additive shift (docs/model.md 7.14)."
        ),
    )
    warning_on_track: float = Field(
        0.7,
        gt=0,
        lt=1,
        description=("Early warning (report --previous): a target whose P(hit) is at least this is on track (green)."),
    )
    warning_at_risk: float = Field(
        0.4,
        gt=0,
        lt=1,
        description=(
            "Early warning: at least this (and below warning_on_track) is at risk (amber); below it, off track (red)."
        ),
    )
    sha256: str = Field("", description="Written by the loader: sha256 of the file's bytes.")
    base_year: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Written by the loader: the base-year figures the file's months of the base year state (they "
            "replace the scenario's [base_year] entries; docs/data.md)."
        ),
    )
    values: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description=("Written by the loader: the validated observations, indicator -> month -> value."),
    )

    @field_validator("file")
    @classmethod
    def _file(cls, v):
        if not v.strip():
            raise ValueError(
                'missing: name the observations file, e.g. file = "observed.csv" (see docs/data.md); '
                "--as-of and observations.as_of need it"
            )
        return v

    @model_validator(mode="after")
    def _lights(self):
        if not self.warning_at_risk < self.warning_on_track:
            raise ValueError(
                f"warning_at_risk ({self.warning_at_risk:g}) must be below warning_on_track ({self.warning_on_track:g})"
            )
        return self

    @field_validator("as_of")
    @classmethod
    def _as_of(cls, v):
        if v is not None and v != "latest" and not is_month(v):
            raise ValueError(f'expected a month "YYYY-MM" or "latest", got {v!r}')
        return v

    @field_validator("values")
    @classmethod
    def _values(cls, v):
        for ind, by_month in v.items():
            if ind not in OBSERVABLE:
                raise ValueError(f"unknown observable indicator {ind!r}; expected one of {list(OBSERVABLE)}")
            for m, x in by_month.items():
                if not is_month(m):
                    raise ValueError(f'{ind}: expected months "YYYY-MM", got {m!r}')
                if not math.isfinite(x) or x < 0:
                    raise ValueError(f"{ind}.{m}: expected a finite value >= 0, got {x!r}")
        return v

    def months(self) -> list[str]:
        """Every observed month, sorted."""
        return sorted({m for by in self.values.values() for m in by})

    def as_of_month(self) -> str | None:
        """The nowcast month, with "latest" resolved to the last observed month."""
        if self.as_of == "latest":
            ms = self.months()
            return ms[-1] if ms else None
        return self.as_of

    def table(self, start: str, months: int) -> dict[str, np.ndarray]:
        """indicator -> values[month] over the run's months (NaN where not observed)."""
        return table_of(self.values, start, months)


def table_of(values: dict[str, dict[str, float]], start: str, months: int) -> dict[str, np.ndarray]:
    out = {}
    for ind in OBSERVABLE:
        if ind not in values:
            continue
        a = np.full(months, np.nan)
        for m, v in values[ind].items():
            k = month_offset(m, start)
            if 0 <= k < months:
                a[k] = v
        out[ind] = a
    return out


# ----------------------------------------------------------------------------- reading


def _blank(c) -> bool:
    return c is None or (isinstance(c, str) and not c.strip())


def _text(c) -> str:
    return "" if c is None else str(c).strip()


def _parse_value(c) -> float | str:
    """A float, or the reason it is not one."""
    if isinstance(c, bool):
        return f"value {c!r} is not a number"
    if isinstance(c, (int, float)):
        v = float(c)
    else:
        s = _text(c)
        if not s:
            return "missing value"
        if not _NUMBER_RE.match(s) or s in ("+", "-", "."):
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


BASE_MONTHS = 12
"""Months before the start a file may hold: those of the base year, which state its figures
(:func:`sim.scenario.observed.split_base_year`)."""


def read_observations(
    path: str | Path, start: str, months: int, display: str | None = None
) -> tuple[dict[str, dict[str, float]], str]:
    """Read and validate an observations file for a run of ``months`` months from ``start``.

    Returns (indicator -> month -> value, sha256 of the file). Raises :class:`ObservationError`
    naming the file, the row and the reason of the first problem (and how many more there are)."""
    path = Path(path)
    name = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ObservationError(f"{name}: observations file not found") from None
    except OSError as e:
        raise ObservationError(f"{name}: cannot read ({e.strerror})") from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            rows = _csv_rows(data)
        elif suffix in (".xlsx", ".xlsm"):
            rows = _excel_rows(path)
        elif suffix == ".xls":
            raise ObservationError("old .xls files are not read: save the sheet as .xlsx or CSV")
        else:
            raise ObservationError(f"expected a .csv or .xlsx file, got {suffix or 'no extension'!r}")
        values = _validate_rows(rows, start, months)
    except ObservationError as e:
        raise ObservationError(f"{name}: {e}") from None
    return values, hashlib.sha256(data).hexdigest()


def _validate_rows(rows, start: str, months: int) -> dict[str, dict[str, float]]:
    rows = [(n, r) for n, r in rows if not all(_blank(c) for c in r) and not _text(r[0]).startswith("#")]
    if not rows:
        raise ObservationError("no header row: expected columns month, indicator, value, unit")
    head_n, head = rows[0]
    cols = [_text(c).lower() for c in head]
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
        ind = _text(cell(r, "indicator"))
        if not ind:
            errors.append(f"row {n}: missing indicator")
            continue
        if ind not in OBSERVABLE:
            errors.append(f"row {n}: {_observable_hint(ind)}")
            continue
        month = parse_data_month(cell(r, "month"))
        if month is None:
            errors.append(f'row {n}: month {_text(cell(r, "month"))!r} is not a month "YYYY-MM"')
            continue
        k = month_offset(month, start)
        if not -BASE_MONTHS <= k < months:
            errors.append(
                f"row {n}: month {month} is outside the base year and the scenario's months, {first} to {last}"
            )
            continue
        unit = _text(cell(r, "unit"))
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
    return _validate_rows(rows, start, months)


def describe(cfg: ObservationsConfig) -> str:
    """One line saying how much was read: values (one per data row), indicators and months."""
    ms = cfg.months()
    n = sum(len(by) for by in cfg.values.values())
    span = f", {ms[0]} to {ms[-1]}" if ms else ""
    return f"observations: {n} rows read from {cfg.file} ({len(cfg.values)} indicators{span})"


def csv_to_xlsx(csv_path: str | Path, xlsx_path: str | Path) -> None:
    """Write a CSV observations file as an Excel workbook (sheet "observations"), numbers as numbers,
    comment lines kept. Used for the shipped template and in tests."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "observations"
    for _, cells in _csv_rows(Path(csv_path).read_bytes()):
        comment = bool(cells) and _text(cells[0]).startswith("#")
        ws.append(
            [
                float(c.replace(",", "")) if not comment and c.strip() and _NUMBER_RE.match(c.strip()) else c
                for c in cells
            ]
        )
        if comment:
            ws.cell(ws.max_row, 1).font = Font(italic=True, color="808080")
    for col, width in zip("ABCDEF", (10, 26, 12, 10, 24, 40), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(xlsx_path, buf.getvalue())
