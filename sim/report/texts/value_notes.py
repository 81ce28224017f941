"""A scenario value's note in the reader's language, for the pack's assumption tables.

Notes come from the scenario file's comments (:mod:`sim.report.document.sources`). A comment
written ``zh: ...`` (on the key's line or on the lines right above it) is the value's Chinese note;
every other comment is English. So a value may carry both::

    # zh: 附件第16项“每年至少组织1次联合招商活动”；假设实际举办2次
    promotion_events_per_year = 2   # annex 16 "每年至少组织1次联合招商活动"; assumption: 2 actually held

The English pack shows the English note, its Chinese words (the plan's) in 「」; the Chinese pack shows the Chinese note, and where a
value has none, what of the English comment can be said in Chinese without translating prose:
its plan citations (:func:`sim.report.texts.plan_sources.plan_refs`, with the plan's own words in
“”), "假设" for an assumption, "事实数据" for a figure from the facts tables, and a pointer to the
English report for the reasoning. No English word reaches the Chinese pack.
"""

from __future__ import annotations

import re

from sim.report.texts.plan_sources import CJK, plan_refs, with_refs

ZH = re.compile(r"^zh\s*[:：]\s*")
_QUOTED = re.compile(r"\"([^\"]*)\"")
_LATIN = re.compile(r"[A-Za-z]{2,}")
_CJK_RUN = re.compile(
    r"「[^」]*」|[\w\-－.]*[\u3400-\u9fff\u3000-\u303f\uff01-\uff60][\w\-－.\u3400-\u9fff\u3000-\u303f\uff01-\uff60]*"
)


def split_note(comment: str) -> tuple[str, str]:
    """(English, Chinese) parts of a joined comment: its ``zh:`` segments are the Chinese."""
    en, zh = [], []
    for seg in (s.strip() for s in str(comment or "").split(";")):
        if not seg:
            continue
        if ZH.match(seg):
            zh.append(ZH.sub("", seg))
        else:
            en.append(seg)
    return "; ".join(en), "；".join(zh)


def _said_in_chinese(en: str) -> str:
    """What of an English comment can be shown in Chinese (see the module docstring)."""
    parts: list[str] = []
    prose = False
    for seg in (s.strip() for s in en.split(";")):
        refs = plan_refs(seg, "zh")
        words = [q.strip() for q in _QUOTED.findall(seg) if CJK.search(q) and not _LATIN.search(q)]
        bits: list[str] = []
        if re.search(r"\bassumption", seg, re.I):
            bits.append("假设")
        if re.match(r"facts?\b", seg, re.I) or "facts_" in seg:
            bits.append("事实数据")
        if refs:
            bits.append("、".join(refs) + "".join(f"“{w}”" for w in words))
        elif words:
            bits.append("规划原文" + "".join(f"“{w}”" for w in words))
        rest = _QUOTED.sub("", seg)
        rest = re.sub(
            r"\b(?:annex|plan)\s+[一二三四五六七八九十\d.]+|\bassumptions?\b|\bfacts?\b", "", rest, flags=re.I
        )
        prose = prose or bool(_LATIN.search(rest))
        parts.extend(b for b in bits if b not in parts)
    out = "；".join(parts)
    if prose:
        out += "（依据详见英文版报告）" if out else "依据详见英文版报告"
    return out


def _quoted_in_english(en: str) -> str:
    """An English comment with its Chinese words (the plan's, or a unit such as 亿) in 「」."""
    en = _QUOTED.sub(lambda m: f"「{m[1]}」" if CJK.search(m[1]) else m[0], with_refs(en, "en"))
    return _CJK_RUN.sub(_quote_run, en)


def _quote_run(m: re.Match) -> str:
    run = m[0]
    if run.startswith("「"):
        return run
    core = run.rstrip(".")
    return f"「{core}」{run[len(core) :]}"


def note_text(comment: str, lang: str) -> str:
    """A value's note in ``lang`` from its scenario-file comment (see the module docstring)."""
    en, zh = split_note(comment)
    if lang == "en":
        return _quoted_in_english(en)
    return zh or _said_in_chinese(en)
