"""The meeting deck (sim/report/deck/pptx.py): 16:9, the named slides, its numbers equal summary.csv,
start -> target from summary.csv's base columns when present, comparisons as paired differences,
the same bytes from the same results, and (slow, where LibreOffice is installed) every slide
renders and is not blank.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Inches
from test_report import LANGS, pack, summary  # noqa: F401  (the session's run and pack)

from sim.report.deck.content import deck_slides, headline_lines
from sim.report.texts.formats import ci0, pct0
from sim.results import Results
from sim.vocabulary.outcomes import RANKING_INDICATORS


def _names(path: Path) -> list[str]:
    return [s.name for s in Presentation(str(path)).slides]


@pytest.mark.parametrize("lang", LANGS)
def test_deck_is_16_9_with_the_named_slides(pack, lang):
    prs = Presentation(str(pack[1] / f"deck_{lang}.pptx"))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    names = [s.name for s in prs.slides]
    assert names[:2] == ["title", "headline"] and names[-1] == "method"
    assert {"group_trade", "group_economy", "rank"} <= set(names)
    assert any(n.startswith("group_projects") for n in names)
    for s in prs.slides:
        if s.name.startswith("group_") or s.name == "rank":
            assert any(sh.shape_type == 13 for sh in s.shapes), f"{s.name}: its chart"  # 13: picture


def _slide_lines(path: Path) -> dict[str, list[str]]:
    """{slide name: its paragraphs, in order}."""
    return {
        s.name: [p.text for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs]
        for s in Presentation(str(path)).slides
    }


def _probability_lines(lines: list[str]) -> list[str]:
    return [x for x in lines if "%" in x and ("P(hit)" in x or "达成概率" in x)]


def _group(indicator: str) -> str:
    """The deck's target groups (trade, rank, projects and leading firms, the rest)."""
    if indicator.startswith("trade_"):
        return "trade"
    if indicator in RANKING_INDICATORS:
        return "rank"
    if indicator.startswith(("done_", "leaders_")) or indicator in ("institutional_innovations", "ftz_replications"):
        return "projects"
    return "economy"


@pytest.mark.parametrize("lang", LANGS)
def test_deck_numbers_equal_summary(pack, summary, lang):
    """Every number the deck states, row by row: the headline slide has one line per active
    total-trade and rank target, in year order, with its P(hit) and interval; the rank slide one
    line per rank target; each group slide its count of targets, likely (>= 80%) and unlikely
    (< 50%) ones, recomputed from summary.csv."""
    slides = _slide_lines(pack[1] / f"deck_{lang}.pptx")
    t = summary[~summary["target_id"].astype(str).str.startswith("ALL_")]

    def rows_match(lines, rows):
        assert len(lines) == len(rows), (lines, list(rows["target_id"]))
        for line, (_, r) in zip(lines, rows.iterrows(), strict=True):
            assert f" {pct0(r['p_hit'])}" in line and ci0(r["ci_low"], r["ci_high"]) in line, (line, r["target_id"])

    head = pd.concat(
        [t[(t["indicator"] == h) & t["active"]].sort_values("year", kind="stable") for h in ("trade_total", "rank")]
    )
    assert len(head) >= 2
    rows_match(_probability_lines(slides["headline"])[: len(head)], head)
    rank = t[t["indicator"].map(_group) == "rank"].sort_values(["indicator", "year"], kind="stable")
    assert len(rank)
    rows_match(_probability_lines(slides["rank"]), rank)
    groups = {name: lines for name, lines in slides.items() if name.startswith("group_")}
    assert groups
    for name, lines in groups.items():
        g, _, year = name.removeprefix("group_").partition("_")
        d = t[(t["indicator"].map(_group) == g) & t["active"]]
        if year:
            d = d[d["year"] == int(year)]
        want = [len(d), int((d["p_hit"] >= 0.8).sum()), int((d["p_hit"] < 0.5).sum())]
        line = next(x for x in lines if "80%" in x)  # the count line (the title comes first)
        nums = [int(x) for x in re.findall(r"(?<![\d.≥<])\d+(?![\d%])", line)]
        assert nums == want, (name, line, want)
    first = next(x for x in slides["headline"] if "2022" in x)
    assert ("进出口总值" if lang == "zh" else "Total trade") in first, "the headline target comes first"


def test_headline_shows_start_to_target_when_summary_has_base(pack, tmp_path):
    run_dir, _ = pack
    d = tmp_path / "with_base"
    d.mkdir()
    shutil.copyfile(run_dir / "manifest.json", d / "manifest.json")
    s = pd.read_csv(run_dir / "summary.csv")
    s["base"] = np.where(s["indicator"] == "trade_total", 80.0, np.nan)  # a start of exactly 80
    s["growth_needed"] = s["threshold"] / s["base"] - 1
    s.to_csv(d / "summary.csv", index=False)
    res = Results.load(d)
    zh, en = headline_lines(res, "zh"), headline_lines(res, "en")
    assert "从2021年的 80 亿元 到 106 亿元，需增长 +32%" in zh[0]
    assert "from 80 (100M CNY) in 2021 to 106 (100M CNY): needs +32%" in en[0]
    assert "+150%" in en[1]
    assert not any("2021" in x for x in en[2:]), "no base for the rank: no start shown"
    old = tmp_path / "without_base"  # a results folder from before the base year
    old.mkdir()
    shutil.copyfile(run_dir / "manifest.json", old / "manifest.json")
    s.drop(columns=["base", "growth_needed"]).to_csv(old / "summary.csv", index=False)
    plain = headline_lines(Results.load(old), "en")
    assert not any("needs" in x for x in plain), "no base columns: no start -> target"


def test_compared_folder_gives_paired_difference_slide(pack, tmp_path):
    """A second folder on the same replications (same seed and count) with 2023 trade 10% higher:
    the compare slide counts what moved beyond simulation precision; paired difference >= 0."""
    from sim.report.document.pairs import pair_table
    from sim.report.pack import build_pack

    run_dir, _ = pack
    b = tmp_path / "more_trade"
    shutil.copytree(run_dir, b, ignore=shutil.ignore_patterns("report", "charts", "chunks"))
    m = json.loads((b / "manifest.json").read_text(encoding="utf-8"))
    m["scenario"] = "more_trade"
    (b / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    ind = pd.read_csv(b / "indicators.csv")
    up = ind["indicator"].isin(["trade_total"]) & (ind["year"] == 2023)
    ind.loc[up, "value"] *= 1.10
    ind.to_csv(b / "indicators.csv", index=False)
    tab = pair_table(Results.load(run_dir), Results.load(b))
    row = tab.set_index("target_id").loc["trade_total_2023"]
    assert bool(row["paired"]) and row["diff"] > 0 and row["diff_high"] > row["diff"]
    assert (tab.drop(columns="paired").set_index("target_id").drop("trade_total_2023")["diff"] == 0).all()
    out = tmp_path / "cmp"
    build_pack([run_dir, b], langs=("en",), out=out, workers=1)
    names = _names(out / "deck_en.pptx")
    assert "compare_1" in names
    slide = next(s for s in Presentation(str(out / "deck_en.pptx")).slides if s.name == "compare_1")
    text = " ".join(p.text for sh in slide.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs)
    assert "same replications (paired)" in text and "within it" in text
    assert (out / "charts" / "slide_pair_1_en.png").is_file()


def test_same_results_same_deck_bytes(pack, tmp_path):
    from sim.report.deck.pptx import build_deck

    res = Results.load(pack[0])
    slides = deck_slides(res, "zh")
    a = build_deck(slides, "zh", {}, res.run_date, "t")
    b = build_deck(deck_slides(res, "zh"), "zh", {}, res.run_date, "t")
    assert a == b


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed: the deck is not rendered")
@pytest.mark.parametrize("lang", LANGS)
def test_every_slide_renders_and_is_not_blank(pack, tmp_path, lang):
    import pypdfium2 as pdfium

    deck = pack[1] / f"deck_{lang}.pptx"
    subprocess.run(
        [
            _soffice(),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = pdfium.PdfDocument(str(tmp_path / f"deck_{lang}.pdf"))
    assert len(pdf) == len(_names(deck))
    for i in range(len(pdf)):
        img = np.asarray(pdf[i].render(scale=0.5).to_pil().convert("L"))
        assert img.shape[1] > img.shape[0] * 1.7, "16:9"
        assert (img < 200).mean() > 0.01, f"slide {i + 1} is blank"
