"""The untranslated-text check of the meeting pack, shared by its tests.

English outputs may hold no Chinese character except inside 「」 (the plan's words, quoted);
Chinese outputs may hold no Latin word except units, the acronyms and proper names of
:data:`ALLOWED`, numbers, and file names or paths. Literal material (run facts such as the
command line, the scenario file's comments quoted as written) is left out by the caller.
"""

from __future__ import annotations

import html
import re

from pptx import Presentation

from sim.report.document.blocks import Bullets, Heading, Para, Table

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff60]")
QUOTED = re.compile(r"「[^」]*」")
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
FILES = re.compile(r"[\w.\-]*/[\w./\-]*|[\w\-]+\.(?:csv|toml|xlsx|png|svg|pdf|html|pptx|json)\b")
ALLOWED = {
    "CBZ",
    "FDI",
    "PPTX",
    "PNG",
    "SVG",
    "PDF",
    "HTML",
    "CSV",
    "Excel",
    "SHA",
    "Wilson",
    "Clopper-Pearson",
    "Newcombe",
    "git",
    "n",
    "P",
    "x",
    "km",
    "ha",
    "A",
    "B",
    "a",
    "b",
    "PERT",
    "Beta",
    "VAT",
    "R",
    "D",
    "FTZ",
}
"""Latin words a Chinese output may hold: acronyms, method names, symbols."""


def html_text(page: str) -> str:
    """The visible text of an HTML page, without literal rows and cells."""
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<tr class="literal".*?</tr>', " ", page, flags=re.S)
    page = re.sub(r'<td class="[^"]*literal">.*?</td>', " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", "\n", page)
    return html.unescape(page)


def leaks(text: str, lang: str) -> list[str]:
    """Lines of ``text`` in the wrong language (see the module docstring)."""
    out = []
    for line in text.splitlines():
        if lang == "en":
            if CJK.search(QUOTED.sub("", line)):
                out.append(line.strip())
        else:
            bad = [w for w in WORD.findall(FILES.sub(" ", line)) if w not in ALLOWED]
            if bad:
                out.append(f"{bad[0]!r} in {line.strip()[:160]}")
    return out


def document_text(doc) -> str:
    """Every text of a report Document (sim.report.document) but its literal cells and rows."""
    parts = [doc.title, doc.subtitle, doc.header]
    for b in doc.blocks:
        if isinstance(b, (Heading, Para)):
            parts.append(b.text)
        elif isinstance(b, Bullets):
            parts.extend(b.items)
        elif isinstance(b, Table):
            parts.append(" ".join(b.columns))
            for i, row in enumerate(b.rows):
                if i < len(b.row_classes) and b.row_classes[i] == "literal":
                    continue
                parts.append(" ".join(c for j, c in enumerate(row) if j not in b.literal_cols))
    return "\n".join(parts)


def deck_text(path) -> str:
    """Every text of a PPTX deck, one paragraph a line."""
    lines = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines.extend(p.text for p in shape.text_frame.paragraphs)
    return "\n".join(lines)
