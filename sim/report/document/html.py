"""Render a :class:`~sim.report.document.blocks.Document` as one self-contained HTML file.

Images are inlined as base64 PNG, and the bundled CJK font is inlined too, subset to the
characters the page uses (fontTools, which matplotlib already depends on), so the page looks the
same on a machine without Chinese fonts and needs no network. A small script records on
``<body>`` how many images decoded (``data-images-ok`` / ``data-images-broken``), which the tests
read back from a headless browser.
"""

from __future__ import annotations

import base64
import html
import io

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
from sim.report.texts.fonts import cjk_font_path
from sim.report.texts.words import text

CSS = """
@font-face { font-family: "ZonesimCJK"; src: url(data:font/otf;base64,{font}) format("opentype"); }
:root { --blue: #0072B2; --ink: #1a1a1a; --grey: #666; --line: #d0d0d0; }
* { box-sizing: border-box; }
body { font-family: "ZonesimCJK", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       sans-serif; color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 24px 28px 60px;
       line-height: 1.55; font-size: 15px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; color: var(--blue); }
h2 { font-size: 20px; margin: 34px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--blue); }
h3 { font-size: 16.5px; margin: 24px 0 6px; }
p.subtitle { color: var(--grey); margin: 0 0 10px; }
p.lead { font-size: 16px; margin: 6px 0 10px; }
p.note { color: #444; font-size: 13.5px; margin: 4px 0 10px; }
p.small { color: #444; font-size: 13px; margin: 2px 0 6px; }
ul.warning { border-left: 4px solid #D55E00; background: #fdf3ec; padding: 10px 14px 10px 32px; }
ul.warning li { margin: 4px 0; }
nav.toc { font-size: 13.5px; columns: 2; background: #f4f7fa; padding: 10px 16px; border: 1px solid var(--line); }
nav.toc a { color: var(--blue); text-decoration: none; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0 16px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; }
th { background: #e9eff5; text-align: left; position: sticky; top: 0; }
td.r { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.c { text-align: center; }
tr.inactive td { color: #555; background: #f1f1f1; font-style: italic; }
tr.joint td { font-weight: bold; background: #fbeee6; }
figure { margin: 10px 0 18px; break-inside: avoid; }
figure img { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 12.5px; color: var(--grey); }
div.figrow { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(460px, 100%), 1fr)); gap: 12px; }
tr.light-green td:last-child { color: #00734f; font-weight: bold; }
tr.light-amber td:last-child { color: #9a6a00; font-weight: bold; }
tr.light-red td:last-child { color: #b34a00; font-weight: bold; }
td.literal { color: #444; }
@media (max-width: 640px) {
  body { padding: 12px 12px 40px; font-size: 15px; }
  nav.toc { columns: 1; }
  table { display: block; overflow-x: auto; font-size: 12.5px; }
  th, td { min-width: 4.5em; }
  td:nth-child(2) { min-width: 11em; }
  th { position: static; }
}
footer { margin-top: 40px; font-size: 12px; color: var(--grey); border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-before: auto; }
  div.pagebreak { break-after: page; }
  th { position: static; }
}
"""

SCRIPT = """
window.addEventListener('load', function () {
  var ok = 0, bad = 0;
  document.querySelectorAll('img').forEach(function (im) {
    if (im.complete && im.naturalWidth > 0) { ok++; } else { bad++; console.error('image failed: ' + im.alt); }
  });
  document.body.setAttribute('data-images-ok', ok);
  document.body.setAttribute('data-images-broken', bad);
  document.body.setAttribute('data-page-overflow', document.documentElement.scrollWidth > window.innerWidth + 1);
});
"""


def _e(s) -> str:
    return html.escape(str(s), quote=True)


def _figure(f: Figure) -> str:
    b64 = base64.b64encode(f.png).decode("ascii")
    alt = f.caption or f.name
    size = f' width="{f.width_px}" height="{f.height_px}"' if f.width_px else ""
    cap = f"<figcaption>{_e(f.caption)}</figcaption>" if f.caption else ""
    return (
        f'<figure id="fig-{_e(f.name)}"><img src="data:image/png;base64,{b64}" alt="{_e(alt)}"'
        f'{size} data-chart="{_e(f.name)}">{cap}</figure>'
    )


def _table(t: Table) -> str:
    out = [
        f'<table class="{_e(t.cls)}"><thead><tr>'
        + "".join(f"<th>{_e(c)}</th>" for c in t.columns)
        + "</tr></thead><tbody>"
    ]
    for i, row in enumerate(t.rows):
        cls = t.row_classes[i] if i < len(t.row_classes) else ""
        attrs = t.row_attrs[i] if i < len(t.row_attrs) else {}
        a = "".join(f' data-{_e(k)}="{_e(v)}"' for k, v in attrs.items())
        out.append(f'<tr class="{_e(cls)}"{a}>')
        for j, cell in enumerate(row):
            al = t.align[j] if j < len(t.align) else "l"
            lit = " literal" if j in t.literal_cols else ""
            out.append(f'<td class="{al}{lit}">{_e(cell)}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _blocks(doc: Document) -> list[str]:
    out = []
    for b in doc.blocks:
        if isinstance(b, Heading):
            anchor = f' id="{_e(b.anchor)}"' if b.anchor else ""
            out.append(f"<h{b.level}{anchor}>{_e(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            out.append(f'<p class="{_e(b.cls)}">{_e(b.text)}</p>')
        elif isinstance(b, Bullets):
            out.append(f'<ul class="{_e(b.cls)}">' + "".join(f"<li>{_e(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            out.append(_table(b))
        elif isinstance(b, FigureRow):
            out.append('<div class="figrow">' + "".join(_figure(f) for f in b.figures) + "</div>")
        elif isinstance(b, Figure):
            out.append(_figure(b))
        elif isinstance(b, PageBreak):
            out.append('<div class="pagebreak"></div>')
    return out


def _toc(doc: Document) -> str:
    items = [b for b in doc.blocks if isinstance(b, Heading) and b.level == 2 and b.anchor]
    return (
        '<nav class="toc"><strong>'
        + _e(text("toc", doc.lang))
        + "</strong>"
        + "".join(f'<a href="#{_e(h.anchor)}">{_e(h.text)}</a>' for h in items)
        + "</nav>"
    )


def subset_font(chars: str) -> bytes:
    """The bundled CJK font reduced to ``chars`` (OpenType/CFF bytes).

    The font's bounding boxes and extremes (head, hhea, vhea, the CFF FontBBox) stay the whole
    font's rather than being recomputed from every kept glyph's outline, which took more than half
    of the subsetting: they still bound the subset, and browsers place lines by the ascender and
    descender, which subsetting keeps either way."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # same subset, same bytes
    font = TTFont(cjk_font_path(), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    opts = subset.Options()
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def page_chars(doc: Document) -> set[str]:
    """The characters the page of ``doc`` shows: its texts, the contents' title and printable ASCII."""
    return set(document_text(doc) + text("toc", doc.lang)) | {chr(c) for c in range(32, 127)}


def render_html(doc: Document, embed_font: bool = True, font: bytes | None = None) -> str:
    """The page of ``doc``. ``font``: the bundled font already subset to (at least) :func:`page_chars`,
    when the caller shares one subset between the HTML and the PDF; by default it is made here."""
    body = "\n".join(_blocks(doc))
    head = f'<h1>{_e(doc.title)}</h1><p class="subtitle">{_e(doc.subtitle)}</p>'
    footer = f"<footer>{_e(doc.header)}</footer>"
    css = CSS
    if embed_font:
        if font is None:
            font = subset_font("".join(sorted(page_chars(doc))))
        css = css.replace("{font}", base64.b64encode(font).decode("ascii"))
    else:
        css = css.split("\n", 2)[2]
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if doc.lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{_e(doc.title)}</title>\n'
        f"<style>{css}</style>\n<script>{SCRIPT}</script>\n</head>\n<body>\n{head}\n{_toc(doc)}\n{body}\n"
        f"{footer}\n</body>\n</html>\n"
    )
