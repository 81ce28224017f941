"""A scenario value's note in the reader's language (sim.report.texts.value_notes): the Chinese
note of a "zh:" comment, else the English comment's plan citations in Chinese; the English note
with the plan's words in 「」. Neither language lets the other's words through."""

from __future__ import annotations

from language_check import leaks

from sim.report.document.sources import toml_comments
from sim.report.texts.value_notes import note_text, split_note

PROMOTION = 'annex 16 "每年至少组织1次联合招商活动"; assumption: 2 actually held (1 joint + 1 own)'


def test_a_zh_comment_is_the_chinese_note():
    doc = "[levers]\n# zh: 附件第16项；假设实际举办2次\nevents = 2   # annex 16; assumption: 2 held\n"
    c = toml_comments(doc)["levers.events"]
    assert split_note(c) == ("annex 16; assumption: 2 held", "附件第16项；假设实际举办2次")
    assert note_text(c, "zh") == "附件第16项；假设实际举办2次"
    assert note_text(c, "en") == "annex item 16; assumption: 2 held"


def test_without_a_chinese_note_the_citation_alone_in_chinese():
    assert note_text(PROMOTION, "zh") == "附件第16项“每年至少组织1次联合招商活动”；假设（依据详见英文版报告）"
    assert note_text('annex 17 "至2023年底"', "zh") == "附件第17项“至2023年底”"
    assert note_text('plan 二.6 "2－3家": pursue three', "zh") == "方案第二部分第6项“2－3家”（依据详见英文版报告）"
    assert note_text("assumption", "zh") == "假设"
    assert note_text("mild seasonality of customs data", "zh") == "依据详见英文版报告"
    assert note_text("", "zh") == ""


def test_english_note_quotes_the_plan_words():
    assert note_text(PROMOTION, "en") == (
        "annex item 16 「每年至少组织1次联合招商活动」; assumption: 2 actually held (1 joint + 1 own)"
    )
    assert note_text("a +10% stretch gives 96亿. Hence more", "en") == "a +10% stretch gives 「96亿」. Hence more"


def test_every_note_of_the_baseline_in_one_language():
    from pathlib import Path

    from sim.report.document.sources import scenario_comments

    root = Path(__file__).resolve().parents[1]
    for path, c in scenario_comments(root / "scenarios" / "baseline.toml").items():
        for lang in ("zh", "en"):
            assert not leaks(note_text(c, lang), lang), (path, lang, note_text(c, lang))
