"""A target's plan source (summary.csv's ``source``, e.g. "plan 一 / annex 1: 综合排名力争进入全国前60位
(the plan sets it for 2023)") in one language: the references translated ("附件第1项" / "annex
item 1", "方案第一部分" / "plan part 1"), the plan's words quoted in Chinese (in 「」 in English, with
the target's English label beside it as the gloss), and the scenario author's English asides kept in English only (asides of
numbers alone, such as dates, in both).
"""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3400-\u9fff]")
NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
_REF = re.compile(r"(annex|plan)\s+([一二三四五六七八九十]+|\d+)(?:\.(\d+))?")
_ASIDE = re.compile(r"\s*\(([^()]*)\)")


def _ref(m: re.Match, lang: str) -> str:
    kind, part, task = m[1], m[2], m[3]
    if kind == "annex":
        return f"附件第{part}项" if lang == "zh" else f"annex item {part}"
    if lang == "zh":
        return f"方案第{part}部分" + (f"第{task}项" if task else "")
    n = NUMERALS.get(part, part)
    return f"plan part {n}" + (f", task {task}" if task else "")


def _refs(s: str, lang: str) -> str:
    out = _REF.sub(lambda m: _ref(m, lang), s)
    return out.replace(" / ", "、" if lang == "zh" else " / ")


def _quote(s: str, lang: str) -> str:
    """Plan words: as they are in Chinese, in 「」 in English."""
    s = s.strip()
    if not s or lang == "zh" or not CJK.search(s):
        return s
    return f"「{s}」"


def _part(s: str, lang: str) -> str:
    """ "refs: words" or words alone."""
    head, sep, rest = s.partition(":")
    if sep and _REF.search(head):
        colon = "：" if lang == "zh" else ": "
        return f"{_refs(head.strip(), lang)}{colon}{_quote(rest, lang)}" if rest.strip() else _refs(head.strip(), lang)
    if _REF.fullmatch(s.strip()):
        return _refs(s.strip(), lang)
    return _quote(s, lang)


def source_text(src: str, lang: str) -> str:
    """``src`` in ``lang``."""
    src = str(src or "").strip()
    if not src:
        return ""
    asides = _ASIDE.findall(src)
    main = _ASIDE.sub("", src).strip()
    out = _part(main, lang)
    for a in asides:
        if CJK.search(a) or _REF.search(a):
            t = _part(a, lang)
            out += f"（{t}）" if lang == "zh" else f" ({t})"
        elif lang == "en" or not re.search(r"[A-Za-z]", a):
            out += f" ({a})"
    return out


def plan_refs(s: str, lang: str) -> list[str]:
    """The plan references of ``s`` ("annex 16", "plan 二.18") in ``lang``, in order."""
    return [_ref(m, lang) for m in _REF.finditer(str(s or ""))]


def with_refs(s: str, lang: str) -> str:
    """``s`` with its plan references ("annex 16", "plan 二.18") written in ``lang``."""
    return _REF.sub(lambda m: _ref(m, lang), str(s or ""))
