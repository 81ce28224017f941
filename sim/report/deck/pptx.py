"""The meeting deck: the slides of :mod:`sim.report.deck.content` drawn as a 16:9 PPTX
(python-pptx) that PowerPoint and WPS open as they are.

Text is real slide text (searchable, editable, checked against summary.csv by the tests), in
the Office theme's fonts with a Chinese face named for East Asian characters; charts are the
PNGs of :mod:`sim.report.charts.slides`, placed at their own size. The file is reproducible:
every date in it (document properties, zip members) is the run date.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from sim.report.charts.base import SLIDE_SIZE
from sim.report.deck.content import Slide
from sim.report.document.reproducible import fixed_zip, run_datetime

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.45)
EA_FONT = {"zh": "Microsoft YaHei", "en": "Microsoft YaHei"}
"""East Asian face of every run: installed with Office and WPS; LibreOffice substitutes a CJK font."""
LATIN_FONT = {"zh": "Microsoft YaHei", "en": "Calibri"}
TEXT_LANG = {"zh": "zh-CN", "en": "en-GB"}
"""Language of every run: PowerPoint, WPS and LibreOffice break lines by it (Chinese between
characters with its kinsoku rules, English at spaces); the deck inserts no line breaks of its own."""
DARK, MUTED, ACCENT = RGBColor(0x1A, 0x1A, 0x1A), RGBColor(0x55, 0x55, 0x55), RGBColor(0x00, 0x72, 0xB2)
LIGHTS = {"green": RGBColor(0x00, 0x9E, 0x73), "amber": RGBColor(0xE6, 0x9F, 0x00), "red": RGBColor(0xD5, 0x5E, 0x00)}


def _run_font(run, lang: str, size: float, colour: RGBColor = DARK, bold: bool = False) -> None:
    f = run.font
    f.size, f.bold, f.name = Pt(size), bold, LATIN_FONT[lang]
    f.color.rgb = colour
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", TEXT_LANG[lang])
    for tag in ("a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            rpr.append(el)
        el.set("typeface", EA_FONT[lang])


def _text_box(
    slide,
    left,
    top,
    width,
    height,
    lines: list[str],
    lang: str,
    size: float,
    colour: RGBColor = DARK,
    bold: bool = False,
    space: float = 6,
):
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    for i, line in enumerate(lines):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.space_after = Pt(space)
        run = para.add_run()
        run.text = line
        _run_font(run, lang, size, colour, bold)
    return box


def _title(slide, s: Slide, lang: str) -> None:
    _text_box(slide, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.7), [s.title], lang, 28, ACCENT, True)


def _picture(slide, png: bytes, top, bottom) -> None:
    """The chart between ``top`` and ``bottom``, centred, at its own size or smaller to fit."""
    w_in, h_in = SLIDE_SIZE
    scale = min(1.0, (bottom - top) / Inches(h_in))
    w, h = int(Inches(w_in) * scale), int(Inches(h_in) * scale)
    slide.shapes.add_picture(io.BytesIO(png), int((WIDTH - w) / 2), top, w, h)


def _lit_lines(slide, s: Slide, lang: str, top) -> None:
    """Lines with a coloured disc before each (its traffic light)."""
    step = Inches(0.5)
    for i, (line, light) in enumerate(zip(s.lines, s.lights, strict=True)):
        y = top + i * step
        if light in LIGHTS:
            disc = slide.shapes.add_shape(MSO_SHAPE.OVAL, MARGIN, y + Inches(0.08), Inches(0.26), Inches(0.26))
            disc.fill.solid()
            disc.fill.fore_color.rgb = LIGHTS[light]
            disc.line.fill.background()
        _text_box(slide, MARGIN + Inches(0.4), y, WIDTH - 2 * MARGIN - Inches(0.4), step, [line], lang, 15, space=0)


def _draw(prs, s: Slide, lang: str, charts: dict) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    slide.name = s.key
    if s.key == "title":
        _text_box(slide, MARGIN, Inches(2.3), WIDTH - 2 * MARGIN, Inches(1.4), [s.title], lang, 36, ACCENT, True)
        _text_box(
            slide, MARGIN, Inches(3.9), WIDTH - 2 * MARGIN, Inches(2.5), [x for x in s.lines if x], lang, 18, MUTED
        )
        return
    _title(slide, s, lang)
    png = charts.get(s.chart, {}).get("png") if s.chart else None
    if png:
        _text_box(slide, MARGIN, Inches(0.95), WIDTH - 2 * MARGIN, Inches(0.5), s.lines, lang, 14, MUTED, space=0)
        top = Inches(1.05 + 0.34 * len(s.lines))
        _picture(slide, png, top, HEIGHT - Inches(0.55 if s.note else 0.15))
    elif s.lights:
        _lit_lines(slide, s, lang, Inches(1.25))
    else:
        size = 20 if len(s.lines) <= 5 else 16
        _text_box(slide, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(5.4), s.lines, lang, size, space=14)
    if s.note:
        _text_box(slide, MARGIN, HEIGHT - Inches(0.5), WIDTH - 2 * MARGIN, Inches(0.4), [s.note], lang, 10, MUTED)


def build_deck(slides: list[Slide], lang: str, charts: dict, run_date: str, title: str) -> bytes:
    """The PPTX bytes of ``slides``; ``charts`` maps chart keys to {"png": bytes}."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(WIDTH), Emu(HEIGHT)
    for s in slides:
        _draw(prs, s, lang, charts)
    when = run_datetime(run_date).replace(tzinfo=None)
    cp = prs.core_properties
    cp.title, cp.author, cp.last_modified_by, cp.revision = title, "zonesim", "zonesim", 1
    cp.created = cp.modified = cp.last_printed = when
    cp.language = "zh-CN" if lang == "zh" else "en-GB"
    buf = io.BytesIO()
    prs.save(buf)
    return fixed_zip(buf.getvalue(), when)
