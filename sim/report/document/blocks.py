"""The report's document model: the blocks that the HTML and PDF renderers both draw (so the
two always say the same thing). Their numbers are formatted by :mod:`sim.report.texts.formats`.

The pack's document is composed in
:mod:`sim.report.document.compose` from the sections of :mod:`sim.report.document.sections`.
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


def document_text(doc: Document) -> str:
    """Every text of ``doc`` that either renderer draws: its title, subtitle and running header,
    and each block's words (headings, paragraphs, list items, table headers and cells, captions)."""
    parts = [doc.title, doc.subtitle, doc.header]
    for b in doc.blocks:
        if isinstance(b, (Heading, Para)):
            parts.append(b.text)
        elif isinstance(b, Bullets):
            parts += b.items
        elif isinstance(b, Table):
            parts += [str(c) for c in b.columns]
            parts += [str(c) for row in b.rows for c in row]
        elif isinstance(b, Figure):
            parts.append(b.caption)
        elif isinstance(b, FigureRow):
            parts += [f.caption for f in b.figures]
    return "\n".join(parts)


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
