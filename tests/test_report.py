"""The meeting pack (sim/report): content equals the saved results, both languages complete, no
glyph warnings, the HTML loads in a real headless browser, the PDF pages render, Excel sheets.

One small baseline run and one pack are made per test session (shared between pytest-xdist
workers through a lock file), then every test reads them.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import string
import subprocess
import warnings
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.report.texts import labels, plan_warnings
from sim.report.texts.formats import ci0, ci1, pct0, pct1
from sim.report.texts.growth_words import pct as growth_pct
from sim.report.texts.plan_sources import source_text

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "scenarios" / "baseline.toml")
REPS, SEED = 60, 11
LANGS = ("zh", "en")


# ----------------------------------------------------------------------------- shared fixtures


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _run_argv(out: Path) -> list[str]:
    """`run` arguments for the fixture; a flag that turns the run's own pack off is used when the
    run command has one (the pack is built here, explicitly)."""
    from sim.cli import build_parser

    argv = ["run", BASELINE, "--reps", str(REPS), "--seed", str(SEED), "--workers", "2", "--out", str(out), "-q"]
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    opts = [o for a in sub.choices["run"]._actions for o in a.option_strings]
    off = [o for o in opts if o.startswith("--no") and ("report" in o or "pack" in o)]
    return argv + off[:1]


@pytest.fixture(scope="session")
def pack(tmp_path_factory):
    """(results folder, pack folder) of a small baseline run; built once per session."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = tmp_path_factory.getbasetemp().parent / "report_pack"  # shared by the workers
    else:
        base = tmp_path_factory.mktemp("report_pack")
    run_dir, out = base / "run", base / "pack"
    with _locked(base / ".lock"):
        if not (base / "done").exists():
            from sim.cli import main

            assert main(_run_argv(run_dir)) == 0
            from sim.experiment import engine, runner

            def no_model(*a, **k):
                raise AssertionError("the report must not run the model")

            with pytest.MonkeyPatch.context() as mp:
                for name in ("run_experiment", "run_until_precise"):
                    if hasattr(runner, name):
                        mp.setattr(runner, name, no_model)
                mp.setattr(engine, "evaluate", no_model)
                assert main(["report", str(run_dir), "--out", str(out)]) == 0
            (base / "done").write_text("ok")
    return run_dir, out


@pytest.fixture(scope="session")
def summary(pack):
    return pd.read_csv(pack[0] / "summary.csv")


class _Rows(HTMLParser):
    """Rows of the target table (tr with data-target-id) and the lead paragraphs."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, dict] = {}
        self.lead: list[str] = []
        self.body: dict = {}
        self._tr = None
        self._cell = None
        self._p = None
        self.n_img = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-target-id" in a:
            self._tr = {"attrs": a, "cells": []}
            self.rows[a["data-target-id"]] = self._tr
        elif tag == "td" and self._tr is not None:
            self._cell = ""
        elif tag == "p" and a.get("class") == "lead":
            self._p = ""
        elif tag == "img":
            self.n_img += 1
        elif tag == "body":
            self.body = a

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._tr["cells"].append(self._cell)
            self._cell = None
        elif tag == "tr":
            self._tr = None
        elif tag == "p" and self._p is not None:
            self.lead.append(self._p)
            self._p = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._p is not None:
            self._p += data


def _parse(path: Path) -> _Rows:
    p = _Rows()
    p.feed(path.read_text(encoding="utf-8"))
    return p


# ----------------------------------------------------------------------------- files


def test_pack_has_every_file(pack):
    _, out = pack
    for lang in LANGS:
        for name in (f"report_{lang}.html", f"report_{lang}.pdf"):
            assert (out / name).stat().st_size > 10_000, name
        for chart in ("p_targets", "exceedance_trade_total", "fan_trade_total", "ttt_2022", "ttt_2023"):
            assert (out / "charts" / f"{chart}_{lang}.png").stat().st_size > 5_000, (chart, lang)
    assert (out / "summary.xlsx").stat().st_size > 10_000
    assert not list((out / "charts").glob("*.svg")), "the pack writes PNG only (the PDF is the print version)"
    assert not list(out.rglob("*.tmp")), "no temporary file may be left behind"


def test_rank_outputs_shown_when_the_run_has_them(pack):
    run_dir, out = pack
    ind = pd.read_csv(run_dir / "indicators.csv", usecols=["indicator"])
    if "rank" not in set(ind["indicator"]):
        pytest.skip("this run has no rank indicator")
    assert (out / "charts" / "rank_rank_zh.png").is_file()
    html = (out / "report_en.html").read_text(encoding="utf-8")
    assert 'id="rank"' in html
    if (run_dir / "ranking.csv").is_file():
        r = pd.read_csv(run_dir / "ranking.csv")
        for _, x in r.iterrows():
            assert f"{pct1(x['p'])} ({ci1(x['ci_low'], x['ci_high'])})" in html


# ----------------------------------------------------------------------------- content = summary.csv


@pytest.mark.parametrize("lang", LANGS)
def test_html_target_table_equals_summary(pack, summary, lang):
    rows = _parse(pack[1] / f"report_{lang}.html").rows
    assert set(rows) == set(summary["target_id"]), "every target (and joint row) appears once"
    for _, r in summary.iterrows():
        row = rows[r["target_id"]]
        cells = [c.strip() for c in row["cells"]]
        assert cells[0] == str(r["year"])
        assert cells[2] == pct1(r["p_hit"])
        assert cells[3] == ci1(r["ci_low"], r["ci_high"])
        assert cells[4] == f"{r['hits']}/{r['n_reps']}"
        assert float(row["attrs"]["data-p-hit"]) == r["p_hit"]
        assert float(row["attrs"]["data-ci-low"]) == r["ci_low"]
        assert float(row["attrs"]["data-ci-high"]) == r["ci_high"]
        if not r["target_id"].startswith("ALL_"):
            assert source_text(r["source"], lang) == cells[9], "the plan source in the report's language"
            if r["yoy_growth_p50"] == r["yoy_growth_p50"]:  # the growth columns, from summary.csv's
                need = r["growth_needed_yearly"]
                assert cells[7].startswith(growth_pct(need)) if need == need else cells[7] == "–"
                assert cells[8].startswith(f"{growth_pct(r['yoy_growth_p50'])} ")
                assert growth_pct(r["yoy_growth_p10"]) in cells[8] and growth_pct(r["yoy_growth_p90"]) in cells[8]
            else:
                assert cells[8] == "–"


@pytest.mark.parametrize("lang", LANGS)
def test_summary_paragraph_quotes_the_numbers(pack, summary, lang):
    lead = " ".join(_parse(pack[1] / f"report_{lang}.html").lead)
    for y in sorted(summary["year"].unique()):
        d = summary[(summary["year"] == y) & summary["active"] & ~summary["target_id"].str.startswith("ALL_")]
        weakest = d.sort_values("p_hit", kind="stable")
        weakest = weakest[~weakest["indicator"].isin(["trade_total", "rank"])].iloc[0]
        assert f"{pct0(weakest['p_hit'])}" in lead and ci0(weakest["ci_low"], weakest["ci_high"]) in lead
        total = d[d["indicator"] == "trade_total"]
        if len(total):
            t = total.iloc[0]
            assert f"{pct0(t['p_hit'])}" in lead and ci0(t["ci_low"], t["ci_high"]) in lead
        joint = summary[summary["target_id"] == f"ALL_{y}"].iloc[0]
        assert ci0(joint["ci_low"], joint["ci_high"]) in lead
    assert str(REPS) in lead and str(SEED) in lead


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_text_has_every_probability(pack, summary, lang):
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 not installed: cannot read the PDF text")
    doc = pdfium.PdfDocument(str(pack[1] / f"report_{lang}.pdf"))
    txt = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    txt = re.sub(r"\s+", "", txt)
    for _, r in summary.iterrows():
        assert pct1(r["p_hit"]) in txt and ci1(r["ci_low"], r["ci_high"]) in txt, r["target_id"]
    m = json.loads((pack[0] / "manifest.json").read_text(encoding="utf-8"))
    assert m["scenario_sha256"] in txt


def test_warnings_and_manifest_facts_in_both_languages(pack):
    m = json.loads((pack[0] / "manifest.json").read_text(encoding="utf-8"))
    assert m["warnings"], "the baseline plan has known inconsistencies"
    for lang in LANGS:
        html = (pack[1] / f"report_{lang}.html").read_text(encoding="utf-8")
        for w in m["warnings"]:
            t, ok = plan_warnings.warning_text(w, lang, m["resolved_scenario"])
            assert ok, f"warning not translated to {lang}: {w}"
            assert _esc(t) in html
        for fact in (m["scenario_sha256"], m["git_commit"], str(m["seed"]), m["versions"]["numpy"]):
            assert _esc(str(fact)) in html


def _esc(s: str) -> str:
    import html

    return html.escape(s, quote=True)


def test_assumptions_list_levers_with_sources(pack):
    m = json.loads((pack[0] / "manifest.json").read_text(encoding="utf-8"))
    html = (pack[1] / "report_en.html").read_text(encoding="utf-8")
    html_zh = (pack[1] / "report_zh.html").read_text(encoding="utf-8") if "zh" in LANGS else ""
    from sim.report.document.sources import comment_for, flatten, scenario_comments
    from sim.report.texts.value_notes import note_text

    comments = scenario_comments(ROOT / m["scenario_file"])
    for path, _v in flatten(m["resolved_scenario"]["levers"], "levers."):
        assert _esc(labels.key_label(path.split(".", 1)[1], "en", m["resolved_scenario"])) in html
        c = comment_for(comments, path)
        assert c, f"{path} has no source comment in the scenario file"
        assert _esc(note_text(c, "en")) in html
        if html_zh:  # the Chinese note, or the citation in Chinese
            assert _esc(note_text(c, "zh")) in html_zh


# ----------------------------------------------------------------------------- translations


def test_every_label_has_both_languages_and_the_same_placeholders():
    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
    for table in labels.TABLES:
        for key, pair in table.items():
            assert isinstance(pair, tuple) and len(pair) == len(labels.LANGS), key
            if key:  # the "" unit is empty on purpose
                assert all(isinstance(x, str) and x.strip() for x in pair), key
            assert fields(pair[0]) == fields(pair[1]), f"{key}: placeholders differ between zh and en"


def test_every_indicator_unit_and_key_of_the_run_is_translated(pack):
    run_dir, _ = pack
    m = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    sc = m["resolved_scenario"]
    names = set(pd.read_csv(run_dir / "indicators.csv", usecols=["indicator"])["indicator"])
    s = pd.read_csv(run_dir / "summary.csv", keep_default_na=False)
    for ind in names | set(s["indicator"]):
        for lang in LANGS:
            assert labels.indicator_label(ind, lang, sc) != ind, f"indicator {ind!r} has no {lang} label"
    for u in set(s["unit"]):
        assert u in labels.UNITS, f"unit {u!r} has no label"
    from sim.report.document.sources import flatten

    entity_ids = {
        k for g in ("sectors", "projects", "milestones", "leaders", "counts") for k in (sc["constants"].get(g) or {})
    }
    for sec in ("levers", "initial_state", "uncertainties"):
        for path, _ in flatten(sc[sec], sec + "."):
            for part in path.split(".")[1:]:
                assert part in labels.KEYS or part in entity_ids, f"{path}: {part!r} has no label"
    for _path, v in flatten(sc["uncertainties"]):
        if isinstance(v, dict) and "dist" in v:
            assert v["dist"] in labels.DISTS
            assert all(k in labels.DIST_PARAMS for k in v if k != "dist")


def test_zh_report_has_no_english_template_text(pack):
    html = (pack[1] / "report_zh.html").read_text(encoding="utf-8")
    html = re.sub(r"data:[^\"]+", "", html)
    for key, (zh, en) in labels.TEXT.items():
        for piece in re.split(r"\{[^}]*\}", en):
            piece = piece.strip(" .:;,()|")
            if len(piece) >= 14 and piece != zh:
                assert _esc(piece) not in html, f"English text of {key!r} in the Chinese report: {piece!r}"


# ----------------------------------------------------------------------------- charts


def test_chart_builders_emit_no_glyph_warning(pack):
    """Every chart kind in both languages, drawn to PNG and SVG, with every target label."""
    from sim.report import charts as ch
    from sim.report.pack import make_charts
    from sim.results import Results

    res = Results.load(pack[0])
    other = Results.load(pack[0])
    other.manifest = {**other.manifest, "scenario": "copy"}
    wanted = (
        "p_targets",
        "exceedance_trade_total",
        "fan_fdi_usd",
        "ttt_2022",
        "ttt_2023",
        "rank_rank",
        "slide_group_trade",
        "slide_pair_1",
        "slide_rank",
    )
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        for lang in LANGS:
            made = []
            for key, fig in make_charts(res, lang, [other], only=wanted):
                made.append(key)
                ch.render(fig, ("png",), dpi=60)  # glyphs are looked up when the text is drawn
            assert set(made) >= set(wanted) - {"rank_rank", "slide_rank", "slide_pair_1"}
    bad = [str(w.message) for w in rec if "Glyph" in str(w.message) or "missing from font" in str(w.message)]
    assert not bad, bad[:3]


def test_chart_pngs_are_not_blank(pack):
    """Every chart of the pack, in both languages, has dark ink on a fair share of its area, and
    the two languages give the same set of charts."""
    from PIL import Image

    names = {
        lang: sorted(p.name.removesuffix(f"_{lang}.png") for p in (pack[1] / "charts").glob(f"*_{lang}.png"))
        for lang in LANGS
    }
    assert names["zh"] and names["zh"] == names["en"], names
    for lang in LANGS:
        for name in names[lang]:
            a = np.asarray(Image.open(pack[1] / "charts" / f"{name}_{lang}.png").convert("L"))
            assert a.min() < 100 and (a < 250).mean() > 0.02, (name, lang)


def test_every_chart_the_pack_writes_is_in_the_registry(pack):
    """A PNG in the pack's charts/ that the chart registry does not declare for these results
    would be drawn but never placed: the registry must know every chart the pack writes."""
    from sim.report.document.registry import CHARTS, kind_of
    from sim.results import Results

    res = Results.load(pack[0])
    declared = {key for c in CHARTS for key, _ in c.keys(res, [])}
    written = {re.sub(r"_(zh|en)$", "", p.stem) for p in (pack[1] / "charts").glob("*.png")}
    assert written, "the pack wrote no chart"
    assert sorted(written - declared) == []
    assert all(kind_of(k) is not None for k in written) and kind_of("no_such_chart") is None


def test_registry_places_charts_only_where_the_report_and_deck_show_them(pack):
    """Each declared section is one the report composes, each declared slide one the deck makes."""
    from sim.report.deck.content import deck_slides
    from sim.report.document.compose import CHART_SECTIONS
    from sim.report.document.registry import CHARTS, slide_charts
    from sim.results import Results

    assert {c.section for c in CHARTS} - {""} <= set(CHART_SECTIONS)
    res = Results.load(pack[0])
    made = {re.sub(r"_(zh|en)$", "", p.stem): {} for p in (pack[1] / "charts").glob("*.png")}
    slides = {s.key for s in deck_slides(res, "en", [], made)}
    assert sorted(set(slide_charts(res)) - slides) == []


# ----------------------------------------------------------------------------- a real browser


def _chromium() -> str | None:
    for c in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "/usr/bin/chromium"):
        p = shutil.which(c) or (c if os.path.isfile(c) and os.access(c, os.X_OK) else None)
        if p:
            return p
    return None


def _browser(exe: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    return subprocess.run([exe, *flags, *args], capture_output=True, timeout=120)


@pytest.mark.parametrize("lang", LANGS)
def test_html_loads_in_headless_browser(pack, tmp_path, lang):
    exe = _chromium()
    if exe is None:
        pytest.skip("no chromium found: install Debian's chromium (CI does) to check the HTML in a browser")
    page = pack[1] / f"report_{lang}.html"
    url = page.resolve().as_uri()
    dom = _browser(exe, tmp_path / "dom", "--dump-dom", url)
    out = dom.stdout.decode("utf-8", "replace")
    body = re.search(r"<body[^>]*>", out)
    assert body, f"no DOM from the browser: {dom.stderr.decode(errors='replace')[-500:]}"
    n_img = _parse(page).n_img
    assert f'data-images-ok="{n_img}"' in body.group(0), body.group(0)
    assert 'data-images-broken="0"' in body.group(0)
    err = dom.stderr.decode("utf-8", "replace")
    bad = [
        ln
        for ln in err.splitlines()
        if ("CONSOLE" in ln or "Uncaught" in ln or "ERR_FILE" in ln or "Failed to load" in ln) and "dbus" not in ln
    ]
    assert not bad, bad[:5]
    if lang == "zh":
        shot = tmp_path / "report_zh.png"
        r = _browser(exe, tmp_path / "shot", f"--screenshot={shot}", "--window-size=1280,2000", url)
        assert shot.is_file(), r.stderr.decode(errors="replace")[-500:]
        from PIL import Image

        a = np.asarray(Image.open(shot).convert("L"))
        assert (a < 200).mean() > 0.01, "the screenshot is blank"
        keep = pack[1].parent / "report_zh_screenshot.png"  # kept for a person to look at
        shutil.copyfile(shot, keep)
    phone = _browser(exe, tmp_path / "phone", "--window-size=390,844", "--dump-dom", url).stdout.decode(
        "utf-8", "replace"
    )
    body = re.search(r"<body[^>]*>", phone)
    assert body and 'data-page-overflow="false"' in body.group(0), "at phone width only tables scroll, not the page"


# ----------------------------------------------------------------------------- PDF pages


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_pages_render_and_are_not_blank(pack, lang):
    """Every page renders (A4 portrait) and carries content of its own beyond the running header
    and the page-number footer: ink in the body area, and (with pypdfium2) a line of text or an
    image there. A short last page of a section passes; a page with nothing but the header fails,
    however the content happens to be paginated."""
    path = pack[1] / f"report_{lang}.pdf"
    header_mm, footer_mm = 13, 12  # the running header and its rule, the page number (sim/report/document/pdf.py)
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c
    except ImportError:
        pdfium = None
    body_content = None  # per page: text characters and images inside the body area (pypdfium2 only)
    if pdfium is not None:
        doc = pdfium.PdfDocument(str(path))
        n = len(doc)
        pages = [np.asarray(doc[i].render(scale=0.5).to_pil().convert("L")) for i in range(n)]
        body_content = []
        for i in range(n):
            page = doc[i]
            mm = 72 / 25.4
            top, bottom = page.get_height() - header_mm * mm, footer_mm * mm  # PDF y runs upwards
            tp = page.get_textpage()
            chars = 0
            for k in range(tp.count_rects()):
                left, low, right, high = tp.get_rect(k)
                if low >= bottom and high <= top:
                    chars += len(tp.get_text_bounded(left, low, right, high).strip())
            images = 0
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                bounds = getattr(obj, "get_bounds", None) or obj.get_pos  # pypdfium2 5 / 4
                _left, low, _right, high = bounds()
                images += high > bottom and low < top
            body_content.append((chars, images))
    elif shutil.which("pdftoppm"):
        import tempfile

        from PIL import Image

        with tempfile.TemporaryDirectory() as d:
            subprocess.run(["pdftoppm", "-r", "36", "-png", str(path), f"{d}/p"], check=True)
            pages = [np.asarray(Image.open(p).convert("L")) for p in sorted(Path(d).glob("p*.png"))]
        n = len(pages)
    else:
        pytest.skip("no PDF renderer: pip install pypdfium2 or apt-get install poppler-utils")
    assert n >= 8
    for i, a in enumerate(pages):
        assert a.shape[0] > a.shape[1], "A4 portrait"
        px_per_mm = a.shape[0] / 297
        body = a[round(header_mm * px_per_mm) : a.shape[0] - round(footer_mm * px_per_mm)]
        ink_rows = int((body < 200).any(axis=1).sum())  # rows of the body with something drawn
        assert ink_rows >= 3, f"page {i + 1} is blank: nothing drawn below the running header"
        if body_content is not None:
            chars, images = body_content[i]
            assert chars or images, f"page {i + 1} holds no text or image below the running header"


def test_pdf_closing_line_never_alone_on_a_page(monkeypatch):
    """A table that fills its page to the foot, then a closing line before a page break: the line
    goes over with the table's last rows, not alone under the running header. (Without the rule
    this very document puts the line alone on a page, so the case is really exercised.)"""
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 not installed: cannot read the PDF text")
    from sim.report.document import pdf
    from sim.report.document.blocks import Document, Heading, PageBreak, Para, Table

    rows = [[f"fact {i}", f"value {i}"] for i in range(43)]
    blocks = [Heading("Facts", 2), Table(["Item", "Value"], rows, [25, 75], "ll", font_size=7.5)]
    doc = Document("en", "T", "S", [*blocks, Para("CLOSING LINE", "small"), PageBreak(), Heading("Next", 2)], "h", "")

    def alone(data: bytes) -> list[int]:
        d = pdfium.PdfDocument(data)
        texts = [d[i].get_textpage().get_text_range() for i in range(len(d))]
        return [i + 1 for i, s in enumerate(texts) if "CLOSING LINE" in s and "fact" not in s]

    assert alone(pdf.render_pdf(doc)) == []
    monkeypatch.setattr(pdf, "_closing", lambda blocks, i: False)
    assert alone(pdf.render_pdf(doc)) != [], "the document no longer puts the line alone: pick another row count"


# ----------------------------------------------------------------------------- Excel


def test_workbook_sheets_labels_and_numbers(pack, summary):
    from openpyxl import load_workbook

    wb = load_workbook(pack[1] / "summary.xlsx", read_only=True)
    names = wb.sheetnames
    for want in ("目标 Targets", "年度分位数 Quantiles", "逐月分布 Monthly fan", "情景 Scenario"):
        assert want in names
    ws = wb["目标 Targets"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    assert any("达成概率" in h and "P(hit)" in h and "[%]" in h for h in head)
    i_id, i_p = head.index("target_id"), next(i for i, h in enumerate(head) if "P(hit)" in h)
    got = {r[i_id]: r[i_p] for r in rows[1:]}
    for _, r in summary.iterrows():
        assert got[r["target_id"]] == pytest.approx(r["p_hit"])
    q = list(wb["年度分位数 Quantiles"].iter_rows(values_only=True))
    assert any("亿元" in str(c) for r in q[1:5] for c in r), "units shown with the indicators"
    sc = list(wb["情景 Scenario"].iter_rows(values_only=True))
    assert any(r[0] == "levers.promotion_events_per_year" and r[5] for r in sc), "lever with its source"


# ----------------------------------------------------------------------------- CLI and errors


def _report(argv: list[str]) -> int:
    from sim.cli import main

    return main(["report", *argv])


def test_bad_folder_is_one_line_and_exit_2(tmp_path, capsys):
    assert _report([str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err and "nope" in err
    (tmp_path / "empty").mkdir()
    assert _report([str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert "not a results folder" in err and err.count("\n") == 1


def test_broken_summary_names_file_and_column(pack, tmp_path, capsys):
    d = tmp_path / "broken"
    d.mkdir()
    shutil.copyfile(pack[0] / "manifest.json", d / "manifest.json")
    pd.read_csv(pack[0] / "summary.csv").drop(columns=["p_hit"]).to_csv(d / "summary.csv", index=False)
    assert _report([str(d)]) == 2
    err = capsys.readouterr().err
    assert "summary.csv" in err and "p_hit" in err and err.count("\n") == 1


def test_comparison_of_two_folders_and_missing_optional_files(pack, tmp_path):
    """Two folders give the comparison section; folders with only summary.csv and manifest.json
    (no indicators, monthly or time-to-target tables) still give a complete, shorter pack."""
    from sim.report.pack import build_pack

    run_dir, _ = pack
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        d.mkdir()
        for f in ("summary.csv", "manifest.json"):
            shutil.copyfile(run_dir / f, d / f)
    m = json.loads((b / "manifest.json").read_text(encoding="utf-8"))
    m["scenario"] = "what_if"
    (b / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    s = pd.read_csv(b / "summary.csv")
    s["p_hit"] = (s["p_hit"] + 0.1).clip(upper=1.0)
    s.to_csv(b / "summary.csv", index=False)
    # outputs the pack does not know (e.g. of a later experiment) are shown as they are
    pd.DataFrame({"lever": ["promotion"], "S1": [0.2]}).to_csv(a / "sensitivity.csv", index=False)
    (a / "charts").mkdir()
    shutil.copyfile(pack[1] / "charts" / "p_targets_en.png", a / "charts" / "tornado_en.png")
    out = tmp_path / "cmp"
    written = build_pack([a, b], langs=("en",), out=out, workers=1)
    assert out / "report_en.html" in written and out / "report_en.pdf" in written and out / "summary.xlsx" in written
    assert not list((out / "charts").glob("slide_pair_*")), "no indicators.csv: no paired difference to draw"
    assert not list((out / "charts").glob("fan_*")), "no monthly.csv: no fan chart"
    html = (out / "report_en.html").read_text(encoding="utf-8")
    assert 'id="compare"' in html and "what_if" in html
    assert 'id="other"' in html and "sensitivity.csv" in html and 'data-chart="tornado_en"' in html
    from openpyxl import load_workbook

    sheets = load_workbook(out / "summary.xlsx", read_only=True).sheetnames
    assert "情景对比 Comparison" in sheets and "sensitivity" in sheets


def test_toml_comments_are_read_with_their_keys():
    from sim.report.document.sources import comment_for, toml_comments

    c = toml_comments(
        '# top\n[a]\n# about x\n# continued\nx = 1  # trailing\ny = "#not" # real\n\n'
        "[b.c]\nz = [1,\n 2]  # multi\nw = 3\n"
    )
    assert c["a.x"] == "about x continued; trailing"
    assert c["a.y"] == "real"
    assert c["b.c.z"] == "multi"
    assert comment_for(c, "a.q") == c["a"] and "top" in c["a"]
    assert comment_for(c, "b.c.w") == ""


def test_chart_png_is_matplotlibs_picture_in_rgb():
    """The pack's PNG (RGB where every pixel is opaque, for speed) has exactly the pixels
    matplotlib's own PNG has; a figure with see-through pixels keeps its alpha channel."""
    import io

    import matplotlib.pyplot as plt
    from PIL import Image

    from sim.report.charts.base import render

    def picture(transparent: bool):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.barh([0, 1], [0.3, 0.7], color="#0072B2")
        ax.set_title("进出口总值 2023 ≥ 200 亿元")
        if transparent:
            fig.patch.set_alpha(0.0)
        return fig

    for transparent in (False, True):
        fig = picture(transparent)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=80)
        want = np.asarray(Image.open(buf).convert("RGBA"))
        img = Image.open(io.BytesIO(render(fig, ("png",), dpi=80)["png"]))
        assert img.mode == ("RGBA" if transparent else "RGB")
        assert np.array_equal(np.asarray(img.convert("RGBA")), want)
