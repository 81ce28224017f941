"""One language per pack: no Chinese in the English HTML, PDF and deck (but the plan's words
quoted in 「」), no Latin words in the Chinese ones (but units, allowed acronyms, numbers, file
names); literal material (run facts) is left out, the assumption tables' notes are checked. Also the safe
wording: "< 0.5%" rather than "0%", and the interval named as simulation precision.
"""

from __future__ import annotations

import re

import pytest
from language_check import deck_text, document_text, html_text, leaks
from test_report import LANGS, pack  # noqa: F401  (the session's run and pack)

from sim.report.document.blocks import Table
from sim.report.document.compose import build_document
from sim.report.texts.formats import ci0, pct0
from sim.report.texts.plan_sources import source_text
from sim.report.texts.words import text
from sim.results import Results


@pytest.mark.parametrize("lang", LANGS)
def test_html_in_one_language(pack, lang):
    bad = leaks(html_text((pack[1] / f"report_{lang}.html").read_text(encoding="utf-8")), lang)
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("lang", LANGS)
def test_report_document_in_one_language(pack, lang):
    """The document both HTML and PDF draw, block by block (the PDF's text is this text)."""
    doc = build_document(Results.load(pack[0]), lang, {})
    bad = leaks(document_text(doc), lang)
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("lang", LANGS)
def test_deck_in_one_language(pack, lang):
    bad = leaks(deck_text(pack[1] / f"deck_{lang}.pptx"), lang)
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("lang", LANGS)
def test_assumption_notes_in_one_language(pack, lang):
    """The notes of the assumption tables are checked like any text (no longer left out as
    literal): an English scenario comment shown in the Chinese report fails here."""
    doc = build_document(Results.load(pack[0]), lang, {})
    col = text("col_comment", lang)
    notes = [r[-1] for b in doc.blocks if isinstance(b, Table) and b.columns[-1] == col for r in b.rows]
    assert sum(bool(n) for n in notes) > 20
    bad = leaks("\n".join(notes), lang)
    assert not bad, "\n".join(bad[:20])
    assert not leaks("附件第16项“每年至少组织1次联合招商活动”", "zh")
    assert leaks('annex 16 "每年至少组织1次联合招商活动"; assumption: 2 actually held', "zh")


def test_the_check_catches_leaks():
    assert leaks("情景 baseline", "zh") and leaks("Scenario 基准", "en") and leaks("bonded_logistics 110", "zh")
    assert not leaks("附件第3项：进出口总值（见 summary.csv，CBZ）", "zh")
    assert not leaks("annex item 3: 「进出口总值 2022年力争实现106亿元」", "en")


def test_plan_sources_in_each_language():
    src = "plan 一 / annex 1: 综合排名力争进入全国前60位 (the plan sets it for 2023; 2022 shows the way there)"
    assert source_text(src, "zh") == "方案第一部分、附件第1项：综合排名力争进入全国前60位"
    assert source_text(src, "en") == (
        "plan part 1 / annex item 1: 「综合排名力争进入全国前60位」 "
        "(the plan sets it for 2023; 2022 shows the way there)"
    )
    assert (
        source_text("annex 14: 新增引进2家 (plan 二.6: 2－3家)", "zh")
        == "附件第14项：新增引进2家（方案第二部分第6项：2－3家）"
    )


def test_small_probabilities_are_never_zero():
    assert pct0(0.0) == "< 0.5%" and pct0(0.004) == "< 0.5%" and pct0(1.0) == "> 99.5%" and pct0(0.5) == "50%"
    assert ci0(0.0, 0.0037) == "0.0–0.4%" and ci0(0.2, 0.31) == "20–31%"


@pytest.mark.parametrize("lang", LANGS)
def test_interval_named_as_simulation_precision(pack, lang):
    page = html_text((pack[1] / f"report_{lang}.html").read_text(encoding="utf-8"))
    deck = deck_text(pack[1] / f"deck_{lang}.pptx")
    word = "模拟精度区间" if lang == "zh" else "simulation-precision interval"
    for t in (page, deck):
        assert word in t
        assert ("置信区间" not in t) if lang == "zh" else not re.search(r"\b95% interval\b", t)
    where = "现实的不确定性" if lang == "zh" else "The world's uncertainty"
    assert where in page and where in deck
