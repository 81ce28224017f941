"""Render a :class:`~sim.report.document.blocks.Document` as an A4 PDF with fpdf2 (pure Python).

The bundled CJK font (Noto Sans CJK SC from the mplfonts wheel) is embedded, subset by fpdf2
(from the pack's own subset of the page's characters when it is given one, :func:`render_pdf`),
so the PDF needs no system library and no browser. Pages carry a running header and
"page x of y"; tables repeat their header row across pages; text is black or dark grey and
highlighted rows use light fills, so a grey print stays readable. Paragraphs and list items are
broken into lines here (:func:`kinsoku_lines`, as are headings and the table cells that
:mod:`sim.report.document.pdf_tables` draws): Chinese between characters by the rules of Chinese
typesetting, English at spaces; a chart taller than a page continues on the next, cut where a row
of the image is blank (:func:`image_slices`). A closing line (a paragraph that ends a section
after a table) stays on the page of the table's last rows, never alone on a page of its own
(:func:`render_pdf`).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF, image_parsing
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import TTFFont
from PIL import Image

from sim.report.document.blocks import (
    Bullets,
    Document,
    Figure,
    FigureRow,
    Heading,
    PageBreak,
    Para,
    Table,
    document_text,
)
from sim.report.document.pdf_images import image_slices, image_source
from sim.report.document.pdf_tables import draw_table, kinsoku_lines
from sim.report.document.reproducible import run_datetime
from sim.report.texts.fonts import cjk_font_path
from sim.report.texts.words import text

FONT = "cjk"
BLUE = (0, 114, 178)
INK = (26, 26, 26)
GREY = (90, 90, 90)
FILL = {"inactive": (238, 238, 238), "joint": (250, 232, 220), "head": (226, 234, 242)}
MARGIN = 15
KEEP_WITH_LINE = 20.0
"""Millimetres of its table that a closing line takes with it when it must go to a new page (a
few rows under the repeated header), so the page does not hold the line alone."""
BULLET = "•"


def pdf_chars(doc: Document) -> set[str]:
    """The characters the PDF of ``doc`` draws: its texts, the page footer with any page numbers,
    the list bullet and printable ASCII."""
    footer = text("page", doc.lang, page="0123456789", pages="")
    return set(document_text(doc) + footer + BULLET) | {chr(c) for c in range(32, 127)}


class _PDF(FPDF):
    def __init__(self, doc: Document, font_path: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc = doc
        self.set_margins(MARGIN, MARGIN + 3, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 2)
        self.add_font(FONT, "", font_path)
        # the embedded subset keeps the whole font's bounding boxes (see html.subset_font): fpdf2
        # would recompute them from the outline of every glyph kept, most of the font's time here
        font = self.fonts[FONT]
        if isinstance(font, TTFFont):
            font.ttfont.recalcBBoxes = False

        self.set_title(doc.title)
        self.set_author("zonesim")
        self.set_creator("zonesim meeting pack")
        self.set_lang("zh-CN" if doc.lang == "zh" else "en")
        self.alias_nb_pages("{nb}")

    @property
    def wrap(self):
        # texts come broken into lines (kinsoku_lines); fpdf2 breaks a line only if one still overflows
        return WrapMode.WORD

    def header(self):
        if self.page_no() == 1:
            return
        self.set_font(FONT, size=7.5)
        self.set_text_color(*GREY)
        self.set_xy(MARGIN, 7)
        self.cell(0, 4, self.doc.header, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(200, 200, 200)
        self.line(MARGIN, 12, self.w - MARGIN, 12)
        self.set_y(MARGIN + 3)
        self.set_text_color(*INK)

    def footer(self):
        self.set_y(-11)
        self.set_font(FONT, size=7.5)
        self.set_text_color(*GREY)
        self.cell(0, 4, text("page", self.doc.lang, page=self.page_no(), pages="{nb}"), align="C")
        self.set_text_color(*INK)

    def _lines(self, text: str) -> str:
        """``text`` broken into lines by :func:`kinsoku_lines` for the space a ``multi_cell`` of
        width 0 gives it here: to the right margin, less fpdf2's cell margin on either side."""
        width = self.w - self.r_margin - self.get_x() - 2 * self.c_margin
        return kinsoku_lines(text, width, self.measure())

    def measure(self):
        """A string's width in the current font and size, as :meth:`get_string_width` gives it for
        this document's text (one font, no character spacing, stretching or text shaping) from the
        font's advance widths, without the fragment objects it builds for every call."""
        font = self.current_font
        if self.char_spacing or self.font_stretching != 100 or self.text_shaping or not isinstance(font, TTFFont):
            return self.get_string_width
        widths, size, k = font.cw, self.font_size_pt, self.k

        def width(s: str) -> float:
            return sum(widths[ord(c)] for c in s) * size * 0.001 / k

        return width

    # ---- blocks
    def put_heading(self, b: Heading):
        size = {1: 18, 2: 14, 3: 11.5}.get(b.level, 11)
        need = 30 if b.level == 2 else 22
        if self.get_y() > self.h - MARGIN - need:
            self.add_page()
        self.ln(4 if b.level == 2 else 2.5)
        self.set_font(FONT, size=size)
        self.set_text_color(*(BLUE if b.level <= 2 else INK))
        self.multi_cell(0, size * 0.5, self._lines(b.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=self.wrap)
        if b.level == 2:
            y = self.get_y() + 0.8
            self.set_draw_color(*BLUE)
            self.set_line_width(0.5)
            self.line(MARGIN, y, self.w - MARGIN, y)
            self.set_line_width(0.2)
            self.ln(2.5)
        else:
            self.ln(1)
        self.set_text_color(*INK)

    def put_para(self, b: Para):
        size, colour = {"lead": (10.5, INK), "note": (8.5, GREY), "small": (8, GREY)}.get(b.cls, (9.5, INK))
        self.set_font(FONT, size=size)
        self.set_text_color(*colour)
        self.multi_cell(
            0, size * 0.5, self._lines(b.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=self.wrap, align="L"
        )
        self.ln(1.5)
        self.set_text_color(*INK)

    def put_bullets(self, b: Bullets):
        self.set_font(FONT, size=9)
        for item in b.items:
            if b.cls == "warning":
                self.set_fill_color(*FILL["joint"])
            self.set_x(MARGIN + 2)
            self.cell(4, 4.6, BULLET)
            self.multi_cell(
                0,
                4.6,
                self._lines(item),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
                wrapmode=self.wrap,
                align="L",
                fill=b.cls == "warning",
            )
            self.ln(1)
        self.ln(1)

    def para_height(self, b: Para) -> float:
        """Height (mm) :meth:`put_para` takes for ``b`` from the left margin."""
        size = {"lead": 10.5, "note": 8.5, "small": 8}.get(b.cls, 9.5)
        self.set_font(FONT, size=size)
        x = self.get_x()
        self.set_x(self.l_margin)
        n = self._lines(b.text).count("\n") + 1
        self.set_x(x)
        return n * size * 0.5 + 1.5

    def put_table(self, t: Table, reserve: float = 0.0):
        """``t``, its header repeated on every page; ``reserve`` mm are kept free at the foot of
        each page it fills (for a closing line that must stay with its last row)."""
        margin = self.b_margin
        self.set_auto_page_break(True, margin=margin + reserve)
        self._table(t)
        self.set_auto_page_break(True, margin=margin)
        self.ln(3)

    def _table(self, t: Table):
        self.set_font(FONT, size=t.font_size)
        self.set_draw_color(180, 180, 180)
        self.set_text_color(*INK)
        draw_table(self, t, self.measure(), FILL)

    def put_image(self, f: Figure, max_h: float | None = None):
        full_w = self.w - 2 * MARGIN
        page_h = self.h - 2 * MARGIN - 12
        if max_h is None and f.width_px and f.height_px / f.width_px * full_w > page_h * 1.15:
            rows = int(page_h / full_w * f.width_px)
            for piece in image_slices(f.png, rows):
                w_px, h_px = Image.open(io.BytesIO(piece)).size
                h = h_px / w_px * full_w
                if self.get_y() + h > self.h - MARGIN - 4:
                    self.add_page()
                src = image_source(self, piece)
                self.image(src, x=MARGIN, y=self.get_y(), w=full_w, h=h, alt_text=f.caption or f.name)
                self.set_y(self.get_y() + h + 2)
            return
        w, h = _image_size(self, f, max_h)
        if self.get_y() + h > self.h - MARGIN - 4:
            self.add_page()
        x = (self.w - w) / 2
        self.image(image_source(self, f.png), x=x, y=self.get_y(), w=w, h=h, alt_text=f.caption or f.name)
        self.set_y(self.get_y() + h + 2)
        if f.caption:
            self.put_para(Para(f.caption, "small"))


def _image_size(pdf: FPDF, f: Figure, max_h: float | None = None) -> tuple[float, float]:
    """Width and height (mm) of a figure: the text width, or less to fit ``max_h`` / the page."""
    w = pdf.w - 2 * MARGIN
    ratio = (f.height_px / f.width_px) if f.width_px else 0.6
    h = w * ratio
    limit = max_h or (pdf.h - 2 * MARGIN - 12)
    if h > limit:  # tall figure: fit the height
        h = limit
        w = h / ratio
    return w, h


def _image_height(pdf: FPDF, f: Figure, max_h: float | None = None) -> float:
    return _image_size(pdf, f, max_h)[1]


class _Orphan(Exception):
    """A closing line would open a page of its own: lay the document out again with ``reserve``
    mm kept free under the table (block ``table``) that precedes it."""

    def __init__(self, table: int, reserve: float):
        super().__init__(table, reserve)
        self.table, self.reserve = table, reserve


def _closing(blocks: list, i: int) -> bool:
    """Block ``i`` is a closing line: a paragraph after a table that ends a section."""
    return (
        isinstance(blocks[i], Para)
        and i > 0
        and isinstance(blocks[i - 1], Table)
        and (i + 1 == len(blocks) or isinstance(blocks[i + 1], PageBreak))
    )


IMAGE_ZLIB_LEVEL = 1
"""zlib level of the charts fpdf2 embeds (it decodes each PNG and compresses its pixels again; its
default, 6, took about a tenth of the pack's time for a PDF a few percent smaller)."""


def render_pdf(doc: Document, font: bytes | None = None) -> bytes:
    """The PDF of ``doc``. Laid out once; where a closing line would fall alone on a new page,
    laid out again with room for it kept under the table before it (each such table once).

    ``font``: the bundled font already subset to (at least) :func:`pdf_chars`, when the caller
    shares one subset between the HTML and the PDF (fpdf2 then reads and subsets a font of a few
    hundred glyphs rather than the whole CJK font); by default the whole font file."""
    reserve: dict[int, float] = {}
    level = image_parsing.SETTINGS.compression_level
    image_parsing.SETTINGS.compression_level = IMAGE_ZLIB_LEVEL
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = cjk_font_path()
            if font is not None:  # fpdf2 reads fonts from files
                path = str(Path(tmp) / "subset.otf")
                Path(path).write_bytes(font)
            while True:
                try:
                    return _render(doc, reserve, path)
                except _Orphan as o:
                    reserve[o.table] = o.reserve
    finally:
        image_parsing.SETTINGS.compression_level = level


def _render(doc: Document, reserve: dict[int, float], font_path: str) -> bytes:
    pdf = _PDF(doc, font_path)
    pdf.set_creation_date(run_datetime(doc.date))
    pdf.add_page()
    pdf.set_font(FONT, size=19)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(0, 9, pdf._lines(doc.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=pdf.wrap)
    pdf.set_font(FONT, size=10)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 5, pdf._lines(doc.subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=pdf.wrap)
    pdf.set_text_color(*INK)
    pdf.ln(2)
    blocks = doc.blocks
    for i, b in enumerate(blocks):
        if isinstance(b, Heading):
            # keep a heading with the first figure that follows it (within two blocks)
            nxt = next((x for x in blocks[i + 1 : i + 3] if isinstance(x, (Figure, FigureRow))), None)
            if nxt is not None:
                f = nxt.figures[0] if isinstance(nxt, FigureRow) else nxt
                h = min(
                    _image_height(pdf, f, (pdf.h - 2 * MARGIN) / 2 - 8 if isinstance(nxt, FigureRow) else None),
                    pdf.h - 2 * MARGIN - 30,
                )
                if pdf.get_y() + 25 + h > pdf.h - MARGIN - 4:
                    pdf.add_page()
            pdf.put_heading(b)
        elif isinstance(b, Para):
            if _closing(blocks, i) and i - 1 not in reserve:
                h = pdf.para_height(b)
                if pdf.will_page_break(h):
                    raise _Orphan(i - 1, h + 3.5 + KEEP_WITH_LINE)  # with the gap after the table
            pdf.put_para(b)
        elif isinstance(b, Bullets):
            pdf.put_bullets(b)
        elif isinstance(b, Table):
            pdf.put_table(b, reserve.get(i, 0.0))
        elif isinstance(b, FigureRow):
            # on A4 portrait the pair stacks: each half a page
            for f in b.figures:
                pdf.put_image(f, max_h=(pdf.h - 2 * MARGIN) / 2 - 8)
        elif isinstance(b, Figure):
            pdf.put_image(b)
        elif isinstance(b, PageBreak):
            pdf.add_page()
    data = bytes(pdf.output())
    font = pdf.fonts[FONT]
    if isinstance(font, TTFFont) and font.missing_glyphs and font_path != cjk_font_path():
        # a character the whole font lacks is missing either way; any other must be in the subset
        whole = TTFont(cjk_font_path(), lazy=True).getBestCmap()
        lost = sorted(chr(c) for c in font.missing_glyphs if c in whole)
        if lost:
            raise ValueError(f"the PDF draws characters its font subset lacks (see pdf_chars): {lost}")
    return data
