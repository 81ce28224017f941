"""Line breaking of Chinese, English and mixed text (sim.report.texts.linebreak): exact lines for
given strings and widths, the kinsoku rules, and Latin words and numbers kept whole."""

from __future__ import annotations

import itertools

import pytest

from sim.report.document.blocks import Table
from sim.report.document.pdf_tables import CELL_PAD, EPS, column_widths
from sim.report.texts.linebreak import NO_LINE_END, NO_LINE_START, break_lines, columns, wrap


def test_columns_count_wide_characters_twice():
    assert columns("ab") == 2
    assert columns("中文") == 4
    assert columns("8%（3–20%）") == 2 + 2 + 5 + 2


def test_chinese_breaks_between_characters():
    assert break_lines("规划目标之间存在不一致", 8) == ["规划目标", "之间存在", "不一致"]


def test_english_breaks_at_spaces_only():
    assert break_lines("one two three four five six", 9) == ["one two", "three", "four five", "six"]
    # a word wider than the line is cut where it must be
    assert break_lines("common-random numbers", 10) == ["common-ran", "dom", "numbers"]


def test_closing_punctuation_never_starts_a_line():
    # 。 would start the second line: the character before it goes down with it
    assert break_lines("中文中文中文中文。", 12) == ["中文中文中文", "中文。"]
    assert break_lines("中文中文中文中文中文中文。", 12) == ["中文中文中文", "中文中文", "中文。"]
    # ”）。 cannot start a line, so 示 goes down with them
    assert break_lines("见“提示”）。后", 10) == ["见“提", "示”）。后"]


def test_opening_punctuation_never_ends_a_line():
    assert break_lines("概率为（0.0–9%）", 10) == ["概率为", "（0.0–9%）"]
    assert break_lines("一二三《书名》", 8) == ["一二三", "《书名》"]


def test_a_percentage_and_its_interval():
    # the interval is one piece; the only break is before its opening bracket
    assert break_lines("2%（2–4%）", 100) == ["2%（2–4%）"]
    assert break_lines("2%（2–4%）", 10) == ["2%（2–4%）"]
    assert break_lines("2%（2–4%）", 9) == ["2%", "（2–4%）"]
    assert break_lines("达成概率 8%（3–20%）。最难达成", 20) == ["达成概率 8%", "（3–20%）。最难达成"]
    assert break_lines("达成概率 8%（3–20%）。最难达成", 22) == ["达成概率 8%（3–20%）。", "最难达成"]


def test_numbers_and_latin_words_in_chinese_stay_whole():
    assert break_lines("随机种子 20220208；括号", 12) == ["随机种子", "20220208；", "括号"]
    assert break_lines("见 national_cbz_trade_growth 一项", 30) == ["见 national_cbz_trade_growth", "一项"]
    assert break_lines("进出口值 ≥ 106 亿元", 9) == ["进出口值", "≥ 106", "亿元"]


def test_no_single_character_last_line():
    # "个" alone under "≥ 2": the piece before it goes down with it
    assert break_lines("加工贸易龙头企业（累计引进）≥ 2 个", 33) == ["加工贸易龙头企业（累计引进）", "≥ 2 个"]
    assert break_lines("中文中文中文。", 12) == ["中文中文", "中文。"]


def test_comparison_sign_stays_with_its_number():
    lines = break_lines("概率为 < 0.5%", 9)
    assert lines == ["概率为", "< 0.5%"]


def test_spaces_at_a_break_are_dropped_and_newlines_kept():
    assert break_lines("ab cd\n\nef", 3) == ["ab", "cd", "", "ef"]
    assert wrap("one two", 3) == "one\ntwo"


def test_mixed_english_with_chinese_quoted():
    assert break_lines("the plan says 「至2023年底」 here", 16) == ["the plan says", "「至2023年底」", "here"]


def test_dash_and_ellipsis_pairs_are_not_split():
    assert break_lines("一二——三", 5) == ["一二", "——三"]
    assert break_lines("等等……好", 5) == ["等", "等……", "好"]  # … cannot start a line either


@pytest.mark.parametrize(
    "s",
    [
        "2022年：18 个目标中，1 个很可能达成（≥80%），9 个达成概率低于50%。2022年进出口总值 ≥ 106 亿元：达成概率 8%（3–20%）。",
        "联合概率需要18个目标同时达成，不会高于最难目标的 < 0.5%。此外，规划目标之间存在不一致（见“提示”）。",
        "On 40 replications (seed 20220208); the intervals in brackets are 95% simulation-precision intervals.",
    ],
)
@pytest.mark.parametrize("width", [12, 20, 31, 47, 80])
def test_rules_hold_and_nothing_is_lost(s, width):
    lines = break_lines(s, width)
    assert all(columns(x) <= width for x in lines)
    assert "".join(lines).replace(" ", "") == s.replace(" ", "")
    for a, b in itertools.pairwise(lines):
        assert b[0] not in NO_LINE_START, (a, b)
        assert a[-1] not in NO_LINE_END, (a, b)


def test_measure_may_be_any_width_function():
    assert break_lines("中文中文", 2.0, lambda s: len(s) * 1.0) == ["中文", "中文"]


def test_no_pdf_column_is_narrower_than_its_widest_figure():
    """A figure such as "589/1000" in a narrow column would be cut into "589/100" and "0" (two
    misleading numbers): the column takes the width it needs from the wide ones, the table's
    width is kept, and CJK text (which may break anywhere) asks for no width."""
    t = Table(
        columns=["Year", "Target", "Hits"],
        rows=[["2022", "Total trade ≥ 106 亿元进出口总值", "589/1000"], ["2023", "规模以上工业总产值", "11/1000"]],
        widths=[1, 20, 1],
    )
    measure = len  # one millimetre a character
    w = column_widths(t, 50.0, measure)
    pad = 2 * CELL_PAD + EPS
    assert sum(w) == pytest.approx(50.0)
    assert w[2] >= len("589/1000") + pad - 1e-9
    assert w[0] >= len("2022") + pad - 1e-9
    assert w[1] >= len("Target") + pad - 1e-9
    # already wide enough: the relative widths stand as they are
    assert column_widths(t, 1000.0, measure) == pytest.approx([1000 / 22, 20000 / 22, 1000 / 22])
