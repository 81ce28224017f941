"""The PDF's tables: column widths that keep every figure whole, and the table drawn cell by cell.

fpdf2's ``table()`` broke every cell's text into lines again (its own line breaker, fragment by
fragment), a second or more of each PDF; the cells' lines are broken here already
(:func:`kinsoku_lines`), so each is simply placed.
"""

from __future__ import annotations

from fpdf import FPDF

from sim.report.document.blocks import Table
from sim.report.texts.linebreak import break_lines

CELL_PAD = 0.8
"""Millimetres of padding inside a table cell."""
EPS = 0.01
"""Millimetres kept short of the line so that fpdf2, measuring the same lines, breaks none again."""


def kinsoku_lines(text: str, width: float, measure) -> str:
    """``text`` with line breaks so that every line fits ``width`` by ``measure`` (a string's
    width), broken by the Chinese and English rules of :func:`sim.report.texts.linebreak.break_lines`."""
    return "\n".join(break_lines(text, width - EPS, measure))


def column_widths(t: Table, full: float, measure) -> list[float]:
    """Widths (mm) of ``t``'s columns: its relative widths scaled to ``full``, but no column narrower
    than its widest word without a space or a CJK character (a figure such as "589/1000" or
    "55.8–61.9%"), which a line break would cut into two misleading numbers. The width a column
    needs is taken, in proportion, from the columns that have more than they need."""
    need = [
        max((measure(w) + 2 * CELL_PAD + EPS for cell in cells for w in str(cell).split() if not _cjk(w)), default=0.0)
        for cells in zip(t.columns, *t.rows, strict=True)
    ]
    widths = [w / sum(t.widths) * full for w in t.widths]
    for _ in widths:  # each round fixes at least one more column at its need
        short = [i for i, w in enumerate(widths) if w < need[i] - 1e-9]
        if not short:
            break
        free = [i for i in range(len(widths)) if i not in short and widths[i] > need[i]]
        if not free:
            break
        lack = sum(need[i] - widths[i] for i in short)
        spare = sum(widths[i] - need[i] for i in free)
        given = min(lack, spare)  # all the lack if the spare covers it, else all the spare
        for i in free:
            widths[i] -= given / spare * (widths[i] - need[i])
        for i in short:
            widths[i] += given / lack * (need[i] - widths[i])
    return widths


def _cjk(word: str) -> bool:
    return any("\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in word)


def draw_table(pdf: FPDF, t: Table, measure, fills: dict[str, tuple[int, int, int]]) -> None:
    """``t`` from the left margin to the right in ``pdf``'s current font and colours, ``measure``
    giving a string's width in it; ``fills`` the colour of the header ("head") and of each
    highlighted row class. Drawn cell by cell: each cell a bordered box (filled for the header and for
    highlighted rows) with its text, broken by :func:`kinsoku_lines`, one line at a time, at the
    places fpdf2's ``table()`` put them (padding :data:`CELL_PAD`, lines of ``font_size`` x 0.48
    mm, top-aligned). A row that does not fit above the page's foot goes to the next page under
    the header row again, and the header never stands alone at the foot of a page."""
    widths = column_widths(t, pdf.w - pdf.l_margin - pdf.r_margin, measure)
    xs = [pdf.l_margin + sum(widths[:j]) for j in range(len(widths))]
    align = t.align or "l" * len(t.columns)
    line_h = t.font_size * 0.48
    # baseline of a line below its top, as fpdf2's cells place it (font_size in mm here)
    baseline = 0.5 * line_h + 0.3 * pdf.font_size

    def lay(cells) -> tuple[list[list[tuple[str, float]]], float]:
        laid = []
        for c, w in zip(cells, widths, strict=True):
            text = kinsoku_lines(str(c), w - 2 * CELL_PAD, measure)
            laid.append([(line, measure(line)) for line in text.split("\n")] if text else [])
        return laid, max((len(lines) for lines in laid if lines), default=0) * line_h + 2 * CELL_PAD

    def draw(laid, height: float, fill) -> None:
        y = pdf.get_y()
        if fill is not None:
            pdf.set_fill_color(*fill)
        for x, w, a, lines in zip(xs, widths, align, laid, strict=True):
            pdf.rect(x, y, w, height, style="DF" if fill is not None else "D")
            for k, (line, width) in enumerate(lines):
                if a == "r":
                    left = x + w - CELL_PAD - width
                elif a == "c":
                    left = x + (w - width) / 2
                else:
                    left = x + CELL_PAD
                pdf.text(left, y + CELL_PAD + k * line_h + baseline, line)
        pdf.ln(height)

    head, head_h = lay(t.columns)
    rows = [lay(r) for r in t.rows]
    if rows and pdf.will_page_break(head_h + rows[0][1]):
        pdf.add_page()
    draw(head, head_h, fills["head"])
    for i, (laid, height) in enumerate(rows):
        if pdf.will_page_break(height):
            pdf.add_page()
            draw(head, head_h, fills["head"])
        cls = t.row_classes[i] if i < len(t.row_classes) else ""
        draw(laid, height, fills.get(cls))
