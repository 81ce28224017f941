"""Observed monthly statistics of the zone: file format, reading a file, and the scenario section.

An observations file (CSV or Excel ``.xlsx``) has one row per month and indicator::

    month,indicator,value,unit,source,note
    2022-01,trade_total,8.4,亿元,customs monthly bulletin,

``month``, ``indicator``, ``value`` and ``unit`` are required; ``source`` and ``note`` are
optional and ignored by the model. Lines whose first cell starts with ``#`` are comments.
Flows (trade, output, FDI) are the month's own amount, not the year-to-date sum; stocks
(active enterprises, employees, development rate) are the value at the end of the month.
docs/data.md is the user documentation.

The rows are read by :mod:`sim.data.rows` and checked by :mod:`sim.data.checks`.

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
from pathlib import Path

import numpy as np
from pydantic import Field, field_validator, model_validator

from sim.config_base import StrictModel
from sim.data.checks import NUMBER_RE, cell_text, validate_rows
from sim.data.rows import ObservationError
from sim.data.rows import csv_rows as _csv_rows
from sim.data.rows import excel_rows as _excel_rows
from sim.months import is_month, month_offset
from sim.store import atomic_write_bytes
from sim.vocabulary.outcomes import OBSERVABLE

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
        values = validate_rows(rows, start, months)
    except ObservationError as e:
        raise ObservationError(f"{name}: {e}") from None
    return values, hashlib.sha256(data).hexdigest()


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
        comment = bool(cells) and cell_text(cells[0]).startswith("#")
        ws.append(
            [
                float(c.replace(",", "")) if not comment and c.strip() and NUMBER_RE.match(c.strip()) else c
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
