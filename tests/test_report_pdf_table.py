"""The PDF's tables as drawn cell by cell (sim.report.document.pdf): fills only where a row is
highlighted, the header row on every page a table fills, every cell's text kept."""

from __future__ import annotations

import numpy as np
import pytest

from sim.report.document import pdf
from sim.report.document.blocks import Bullets, Document, Heading, Table
from sim.report.document.pdf_tables import CELL_PAD

pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 not installed: cannot read the PDF")

SCALE = 2.0  # pixels per PDF point


def _doc(n: int = 70) -> Document:
    rows = [[f"fact {i}", " ".join([f"value {i}"] + ["word"] * (i % 9))] for i in range(n)]
    classes = ["joint" if i in (5, 52) else "inactive" if i == 7 else "" for i in range(n)]
    table = Table(["Item", "Value"], rows, [25, 75], "lr", classes, font_size=7.5)
    # a warning list before the table sets a fill colour, which must not reach its plain rows
    return Document("en", "T", "S", [Bullets(["a warning"], "warning"), Heading("Facts", 2), table], "header", "")


def _row_colour(d, name: str) -> tuple[int, int, int]:
    """RGB of the table's background level with ``name``, in the blank right part of the first
    column (a quarter of the width; its texts are short and left-aligned)."""
    for i in range(len(d)):
        page = d[i]
        tp = page.get_textpage()
        found = tp.search(name, match_whole_word=True).get_next()
        if found is None:
            continue
        _left, bottom, _right, top = tp.get_charbox(found[0])
        img = np.asarray(page.render(scale=SCALE).to_pil().convert("RGB"))
        width, height = page.get_size()
        x = (pdf.MARGIN + 0.9 * 0.25 * (width * 25.4 / 72 - 2 * pdf.MARGIN)) * 72 / 25.4 * SCALE
        y = (height - (top + bottom) / 2) * SCALE
        return tuple(int(c) for c in img[round(y), round(x)])
    raise AssertionError(f"{name!r} not found in the PDF")


def test_only_highlighted_rows_are_filled():
    d = pdfium.PdfDocument(pdf.render_pdf(_doc()))
    assert len(d) >= 2, "the table no longer runs over a page: add rows"
    assert _row_colour(d, "fact 5") == pdf.FILL["joint"]
    assert _row_colour(d, "fact 52") == pdf.FILL["joint"]  # on a later page, under the repeated header
    assert _row_colour(d, "fact 7") == pdf.FILL["inactive"]
    for plain in ("fact 4", "fact 6", "fact 8", "fact 51", "fact 60"):
        assert _row_colour(d, plain) == (255, 255, 255), plain
    assert _row_colour(d, "Item") == pdf.FILL["head"]


def test_header_on_every_page_and_every_cell_kept():
    doc = _doc()
    d = pdfium.PdfDocument(pdf.render_pdf(doc))
    texts = [d[i].get_textpage().get_text_range() for i in range(len(d))]
    assert len(texts) >= 2
    for i, s in enumerate(texts):
        assert "Item" in s and "Value" in s, f"page {i + 1} has no header row"
    words = " ".join(texts).split()
    table = doc.blocks[2]
    for row in table.rows:
        for cell in row:
            for w in cell.split():
                assert w in words


def test_texts_sit_one_padding_inside_their_borders():
    """A left-aligned text starts, a right-aligned one ends, one padding inside the table's border."""
    d = pdfium.PdfDocument(pdf.render_pdf(_doc(3)))
    page = d[0]
    tp = page.get_textpage()
    width, _ = page.get_size()
    pad = CELL_PAD * 72 / 25.4
    index, count = tp.search("value 0", match_whole_word=True).get_next()
    assert width - pdf.MARGIN * 72 / 25.4 - tp.get_charbox(index + count - 1)[2] == pytest.approx(pad, abs=0.8)
    index, _count = tp.search("fact 0", match_whole_word=True).get_next()
    assert tp.get_charbox(index)[0] - pdf.MARGIN * 72 / 25.4 == pytest.approx(pad, abs=0.8)


def test_a_shared_font_subset_must_hold_what_the_pdf_draws():
    """The pack gives the PDF the HTML's font subset: a subset of pdf_chars() draws the same text
    as the whole font; one without a character the PDF draws is refused, not drawn as boxes."""
    from sim.report.document.html import subset_font

    doc = _doc(4)
    full = pdfium.PdfDocument(pdf.render_pdf(doc))[0].get_textpage().get_text_range()
    chars = "".join(sorted(pdf.pdf_chars(doc)))
    shared = pdfium.PdfDocument(pdf.render_pdf(doc, font=subset_font(chars)))[0].get_textpage().get_text_range()
    assert shared == full
    with pytest.raises(ValueError, match="pdf_chars"):
        pdf.render_pdf(doc, font=subset_font(chars.replace("v", "")))
