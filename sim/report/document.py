"""The report's document model: the blocks that the HTML and PDF renderers both draw (so the
two always say the same thing), and the formatting of the numbers in them.

Numbers are formatted here, once: probabilities in the target table with one decimal
(``89.5%``), in the prose as whole percents. The pack's document is composed in
:mod:`sim.report.compose` from the sections of :mod:`sim.report.sections`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ----------------------------------------------------------------------------- blocks


@dataclass
class Heading:
    """A section heading: its ``text``, ``level`` (2 section, 3 subsection) and HTML ``anchor``."""

    text: str
    level: int = 2
    anchor: str = ""


@dataclass
class Para:
    """A paragraph; ``cls`` is its style: "", "lead", "note" or "small"."""

    text: str
    cls: str = ""


@dataclass
class Bullets:
    """A bulleted list; ``cls`` is "" or "warning"."""

    items: list[str]
    cls: str = ""


@dataclass
class Table:
    """A table. ``widths``: relative column widths; ``align``: one letter per column (l / r / c);
    ``row_classes``: per row "", "inactive", "joint", "group" or "literal" (run facts shown as
    they are: paths, commands, hashes); ``row_attrs``: HTML data-* attributes per row;
    ``font_size``: PDF points; ``literal_cols``: columns quoted as written (the scenario file's
    comments), in the author's language whatever the report's."""

    columns: list[str]
    rows: list[list[str]]
    widths: list[float]
    align: str = ""
    row_classes: list[str] = field(default_factory=list)
    row_attrs: list[dict] = field(default_factory=list)
    font_size: float = 8.0
    cls: str = ""
    literal_cols: tuple[int, ...] = ()


@dataclass
class Figure:
    """A chart: ``name`` is its file stem (e.g. "fan_trade_total_zh"), ``png`` its bytes, the
    pixel size read from the PNG."""

    name: str
    png: bytes
    caption: str
    width_px: int = 0
    height_px: int = 0


@dataclass
class FigureRow:
    """Figures side by side."""

    figures: list[Figure]


@dataclass
class PageBreak:
    """A new page (PDF); nothing in HTML but a section boundary."""


@dataclass
class Document:
    """The report in one language: ``blocks`` in order, ``header`` the running header of PDF
    pages, ``date`` the run date (YYYY-MM-DD), the files' creation date, so same run, same bytes."""

    lang: str
    title: str
    subtitle: str
    blocks: list
    header: str = ""
    date: str = ""


# ----------------------------------------------------------------------------- formatting


def pct1(p: float) -> str:
    """A probability with one decimal: "89.5%" (the target table)."""
    return "–" if p != p else f"{p * 100:.1f}%"


def ci1(lo: float, hi: float) -> str:
    """An interval with one decimal: "85.1–92.3%"."""
    return "–" if lo != lo else f"{lo * 100:.1f}–{hi * 100:.1f}%"


def pct0(p: float) -> str:
    """A probability as a whole percent: "90%" (the prose and the charts); never "0%" or "100%",
    which a planner would repeat as impossible or certain: "< 0.5%" and "> 99.5%" instead."""
    if p != p:
        return "–"
    if p < 0.005:
        return "< 0.5%"
    if p > 0.995:
        return "> 99.5%"
    return f"{p * 100:.0f}%"


def _bound(x: float) -> str:
    """An interval bound in whole percents, with one decimal within 1 point of 0% or 100%."""
    return f"{x * 100:.1f}" if x < 0.01 or x > 0.99 else f"{x * 100:.0f}"


def ci0(lo: float, hi: float) -> str:
    """An interval in whole percents: "85–92%"; "0.0–0.4%" near the ends (never "0–0%")."""
    return "–" if lo != lo else f"{_bound(lo)}–{_bound(hi)}%"


def value_fmt(v, unit: str = "") -> str:
    """An indicator value: whole numbers for counts and large values, else one or two decimals."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "–"
    if v != v:
        return "–"
    if unit in ("count", "persons", "0/1", "rank") or abs(v) >= 100:
        return f"{v:,.0f}" if abs(v - round(v)) < 1e-9 or abs(v) >= 100 else f"{v:,.1f}"
    if abs(v) >= 10:
        return f"{v:,.1f}"
    return f"{v:,.2f}"


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels of PNG bytes; (0, 0) for anything else."""
    if png[:8] == b"\x89PNG\r\n\x1a\n":
        return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return 0, 0


def figure(charts: dict, key: str, caption: str) -> Figure | None:
    """The chart ``key`` of ``charts`` ({"name", "png"} by key) as a Figure; None when absent."""
    c = charts.get(key)
    if c is None:
        return None
    w, h = png_size(c["png"])
    return Figure(c["name"], c["png"], caption, w, h)
