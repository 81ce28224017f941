"""Line breaking for Chinese, English and mixed text, shared by the PDF, the deck and the charts.

Chinese is broken between characters, English at spaces, with the usual rules of Chinese
typesetting (kinsoku):

- no line begins with closing punctuation (:data:`NO_LINE_START`: ，。、；：？！）」』”’》〉】%… and
  their Latin counterparts);
- no line ends with opening punctuation (:data:`NO_LINE_END`: （「『“‘《〈【 and their Latin
  counterparts), nor with a comparison sign, so "≥ 106" stays on one line;
- a Latin word or number ("2–4%", "20220208", "national_cbz_trade_growth") is never split, and
  two Latin words only at a space between them.

So "2%（2–4%）" may break only before "（", and "（2–4%）。" is one piece. A piece wider than a
whole line is cut where it must (between characters), so no text is ever lost.

Widths come from ``measure`` (a string's width in any unit): the PDF passes the font's, the
charts :func:`columns` (a CJK character two columns, any other one).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

NO_LINE_START = frozenset("，。、；：？！）」』”’》〉】〕〗｝］％…‥·,.;:!?)]}%‰")
"""Characters that may not begin a line: closing punctuation, Chinese and Latin."""
NO_LINE_END = frozenset("（「『“‘《〈【〔〖｛［([{≥≤<>=≈≠＜＞＝±")
"""Characters that may not end a line: opening punctuation, and comparison signs (so that a sign
stays with the number it compares: "≥ 106", "< 0.5%")."""

_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_PUNCT = "\u2014\u2026\u2018\u2019\u201c\u201d"
"""Dashes, ellipses and curly quotes: pieces of their own in Chinese, kept in the word in English."""
_ATOM = re.compile(rf"\s*(?:[{_CJK}]|[{_PUNCT}]|[^\s{_CJK}{_PUNCT}]+)")
_IS_CJK = re.compile(rf"[{_CJK}]")


def columns(s: str) -> int:
    """Width of ``s`` in columns: two for a wide (CJK) character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _may_break(a: str, b: str) -> bool:
    """Whether a line may end after atom ``a`` and the next begin with atom ``b``."""
    head = b.lstrip()
    if not head or head[0] in NO_LINE_START or a[-1] in NO_LINE_END:
        return False
    if a[-1] == head[0] and a[-1] in "\u2014\u2026":  # "——" and "……" are one mark
        return False
    if b[0].isspace():
        return True
    # no space between: only where a CJK character is on either side
    return bool(_IS_CJK.match(a[-1]) or _IS_CJK.match(head[0]))


def _pieces(para: str) -> list[str]:
    """``para`` as the pieces between which a line may end (each with its leading space)."""
    out: list[str] = []
    for atom in _ATOM.findall(para):
        if out and not _may_break(out[-1], atom):
            out[-1] += atom
        else:
            out.append(atom)
    return out


def _cut(piece: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """A piece wider than ``width`` cut into lines between characters (the last one still open)."""
    lines, cur = [], ""
    for c in piece:
        if cur and measure(cur + c) > width:
            if c in NO_LINE_START and len(cur) > 1:  # the character before goes down with it
                lines.append(cur[:-1])
                cur = cur[-1] + c
            else:
                lines.append(cur)
                cur = c
        else:
            cur += c
    return [*lines, cur]


def break_lines(text: str, width: float, measure: Callable[[str], float] = columns) -> list[str]:
    """``text`` as lines no wider than ``width`` by ``measure``, broken by the rules of the module
    docstring; a newline in ``text`` always ends a line. Spaces at a break are dropped. A
    paragraph does not end on a line of one character ("个" under "≥ 2"): the piece before it
    goes down too when the line can take it."""
    out: list[str] = []
    for para in text.split("\n"):
        lines: list[list[str]] = [[]]
        for piece in _pieces(para):
            if lines[-1] and measure(("".join(lines[-1]) + piece).strip()) > width:
                lines.append([])
            if measure(("".join(lines[-1]) + piece).strip()) > width:  # wider than a line
                *full, rest = _cut(piece.strip(), width, measure)
                lines[-1:] = [[x] for x in full] + [[rest]]
            else:
                lines[-1].append(piece)
        if len(lines) > 1 and len(lines[-2]) > 1 and len(lines[-1]) == 1 and _widow(lines[-1][0]):
            moved = lines[-2][-1] + lines[-1][0]
            if measure(moved.strip()) <= width:
                lines[-2:] = [lines[-2][:-1], [moved]]
        out.extend("".join(x).strip() if i else "".join(x).rstrip() for i, x in enumerate(lines))
    return out


def _widow(piece: str) -> bool:
    """One CJK character (with any closing punctuation after it) alone on a paragraph's last line."""
    core = piece.strip().rstrip("".join(NO_LINE_START))
    return len(core) == 1 and bool(_IS_CJK.match(core))


def wrap(text: str, width: float, measure: Callable[[str], float] = columns) -> str:
    """:func:`break_lines` joined by newlines."""
    return "\n".join(break_lines(text, width, measure))
