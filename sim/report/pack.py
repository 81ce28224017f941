"""The meeting pack: from saved results folders to charts, HTML, PDF and Excel.

``build_pack([results_dir, ...])`` reads only the files of the folders (it never runs the
model) and writes into ``<first results dir>/report/`` (or ``out``):

* ``report_<lang>.html`` -- self-contained (images and a font subset inlined);
* ``report_<lang>.pdf`` -- A4, paginated, the same content;
* ``summary.xlsx`` -- targets, indicator quantiles by year, monthly fan data, time to target, the
  resolved scenario and the run facts, with Chinese and English column labels;
* ``deck_<lang>.pptx`` -- the 16:9 meeting deck (:mod:`sim.report.deck.pptx`);
* ``charts/<chart>_<lang>.png``, every chart as the HTML, PDF and deck show it; the deck's own
  charts ``charts/slide_*_<lang>.png`` (the PDF is the print version, so no SVG is written).

The first folder is the report's subject; further folders are compared with it target by
target, as paired differences of P(hit) (:mod:`sim.report.document.pairs`). Every file is written atomically.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pandas as pd

from sim.errors import MachineError, UserError
from sim.report.charts.base import PACK_DPI, render, target_label
from sim.report.deck.content import deck_slides, warning_slides
from sim.report.deck.pptx import build_deck
from sim.report.document.compose import build_document
from sim.report.document.excel import build_workbook
from sim.report.document.html import page_chars, render_html, subset_font
from sim.report.document.pairs import pair_table
from sim.report.document.pdf import pdf_chars, render_pdf
from sim.report.document.registry import make_charts
from sim.report.document.schedule import Job, run_jobs
from sim.report.document.sections import scenario_labels
from sim.report.studies.goal_seek import read_goal_seek
from sim.report.texts.formats import ci1, pct1
from sim.report.texts.words import LANGS, text
from sim.results import Results, ResultsError
from sim.store import atomic_write_bytes, atomic_write_text, make_dirs, temp_dir, write_fault

__all__ = ["ResultsError", "build_pack", "make_charts"]


def compare_table(results: list[Results], year: int, lang: str) -> pd.DataFrame:
    """P(hit) of each target of ``year`` (the first folder's targets, weakest first) per scenario."""
    base = results[0]
    s0 = base.summary[base.summary["year"] == year]
    is_all = s0["target_id"].str.startswith("ALL_")
    order = list(s0[~is_all].sort_values("p_hit", kind="stable")["target_id"]) + list(s0[is_all]["target_id"])
    labels = {r["target_id"]: target_label(r, lang, base.resolved) for _, r in s0.iterrows()}
    rows = []
    for name, res in zip(scenario_labels(results), results, strict=True):
        s = res.summary.set_index("target_id")
        for tid in order:
            if tid in s.index:
                r = s.loc[tid]
                rows.append(
                    dict(
                        target_id=tid,
                        label=labels[tid],
                        scenario=name,
                        p_hit=float(r["p_hit"]),
                        ci_low=float(r["ci_low"]),
                        ci_high=float(r["ci_high"]),
                    )
                )
    return pd.DataFrame(rows, columns=["target_id", "label", "scenario", "p_hit", "ci_low", "ci_high"])


def compare_rows(results: list[Results], lang: str) -> list[list[str]]:
    out = []
    names = scenario_labels(results)
    for y in results[0].years:
        t = compare_table(results, y, lang)
        for _tid, d in t.groupby("target_id", sort=False):
            cells = []
            for n in names:
                r = d[d["scenario"] == n]
                x = None if r.empty else r.iloc[0]
                cells.append("–" if x is None else f"{pct1(x['p_hit'])} ({ci1(x['ci_low'], x['ci_high'])})")
            out.append([str(y), d["label"].iloc[0], *cells])
    return out


def _check_langs(langs) -> tuple[str, ...]:
    langs = tuple(langs)
    bad = [x for x in langs if x not in LANGS]
    if bad or not langs:
        raise ValueError(f"unknown language(s) {bad}; expected some of {tuple(LANGS)}")
    return langs


def _write(path: Path, data: bytes | str, written: list[Path]) -> None:
    if isinstance(data, str):
        atomic_write_text(path, data)
    else:
        atomic_write_bytes(path, data)
    written.append(path)


def _charts_job(src, stage: str, lang: str, share: tuple[int, int]):
    """A share of the charts of one language (see :func:`make_charts`), written under ``stage``;
    returns their keys with {"name", "png"} for the documents, and the files written."""
    res, *others = _results(src)
    written: list[Path] = []
    rendered = {}
    for key, fig in make_charts(res, lang, others, share=share):
        data = render(fig, ("png",), PACK_DPI, png_level=1)
        name = f"{key}_{lang}"
        for fmt, b in data.items():
            _write(Path(stage) / "charts" / f"{name}.{fmt}", b, written)
        rendered[key] = {"name": name, "png": data["png"]}
    return rendered, written


def _rendered(charts: dict) -> dict:
    """The charts of a language, key -> {"name", "png"}, from the results of its chart jobs."""
    return {k: v for made, _files in charts.values() for k, v in made.items()}


def _report_job(src, stage: str, lang: str, charts: dict):
    """report_<lang>.html and .pdf from the language's charts (the results of its chart jobs),
    written under ``stage``: the document both show is built once, and the font subset both embed."""
    results = _results(src)
    res, others = results[0], results[1:]
    rows = compare_rows(results, lang) if others else None
    doc = build_document(res, lang, _rendered(charts), others, rows, [pair_table(res, o) for o in others])
    written: list[Path] = []
    font = subset_font("".join(sorted(page_chars(doc) | pdf_chars(doc))))
    _write(Path(stage) / f"report_{lang}.html", render_html(doc, font=font), written)
    _write(Path(stage) / f"report_{lang}.pdf", render_pdf(doc, font=font), written)
    return written


def _deck_job(src, stage: str, lang: str, charts: dict):
    """deck_<lang>.pptx from the language's slide charts (the results of its chart jobs), written
    under ``stage``."""
    res, *others = _results(src)
    rendered = _rendered(charts)
    slides = deck_slides(res, lang, others, rendered, warning_slides(res, res.previous, lang))
    written: list[Path] = []
    _write(
        Path(stage) / f"deck_{lang}.pptx",
        build_deck(slides, lang, rendered, res.run_date, text("report_title", lang, zone=res.zone(lang))),
        written,
    )
    return written


def _load_all(dirs, out: Path) -> list[Results]:
    results = [Results.load(d) for d in dirs]
    for r in results:
        if (r.saved_folder / "charts").resolve() == (out / "charts").resolve():
            r.extra_charts = []  # the pack writes into this folder's charts/: nothing "other" there
    return results


def load_goal_seek(folder: Path) -> dict:
    """A goal-seek folder for the pack, or a one-line ResultsError naming what is missing."""
    try:
        return read_goal_seek(folder)
    except (OSError, ValueError, KeyError) as e:
        raise ResultsError(f"{folder}: not a goal-seek results folder written by `optimise` ({e})") from None


_READ: dict[str, list[Results]] = {}
"""The folders as the pack read them, by pack folder, while its jobs run: a job in this process
or in a worker started by fork (Linux's default) gets the key and finds them here, without a
copy; a worker started otherwise gets the tables themselves (:func:`_source`)."""


def _source(results: list[Results], key: str, workers: int):
    """What the jobs are given to find the results: ``key`` where :data:`_READ` reaches them."""
    method = multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_all_start_methods()[0]
    return key if workers == 1 or method == "fork" else results


def _results(src) -> list[Results]:
    return _READ[src] if isinstance(src, str) else src


def _workbook_job(src, stage: str):
    """summary.xlsx, written under ``stage``."""
    written: list[Path] = []
    _write(Path(stage) / "summary.xlsx", build_workbook(_results(src)), written)
    return written


def _is_pack(entry: Path) -> bool:
    """A file or folder the pack itself writes (anything else in ``out`` belongs to someone else)."""
    return (
        entry.name in ("charts", "summary.xlsx")
        or (entry.name.startswith("report_") and entry.suffix in (".html", ".pdf"))
        or (entry.name.startswith("deck_") and entry.suffix == ".pptx")
    )


def _swap_into_place(stage: Path, final: Path, written: list[Path]) -> list[Path]:
    """Move the pack built in ``stage`` to ``final``; returns the final paths of ``written``.

    A folder holding only an earlier pack is replaced whole (two renames). A folder holding other
    files too (a results folder given as ``--out``) gets the pack's files one by one, each atomic."""
    moved = [final / p.relative_to(stage) for p in written]
    try:
        if final.exists() and not all(_is_pack(e) for e in final.iterdir()):
            for src, dst in zip(written, moved, strict=True):
                make_dirs(dst.parent)
                os.replace(src, dst)
            shutil.rmtree(stage, ignore_errors=True)
            return moved
        old = None
        if final.exists():
            old = temp_dir(final, "old")
            os.replace(final, old / final.name)
        os.replace(stage, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        raise write_fault(final, e) from None
    return moved


def build_pack(
    result_dirs: list[Path],
    langs=("zh", "en"),
    out: Path | None = None,
    *,
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
    goal_seek: Path | None = None,
    previous: Path | None = None,
) -> list[Path]:
    """Build the meeting pack from saved results; returns the files written.

    ``previous``: the results folder of the previous as-of's nowcast run (``run --as-of``): the
    pack and the deck add the early warning (:mod:`sim.report.document.early_warning`).

    ``goal_seek``: the results folder of an ``optimise`` run to show in the pack (its summary,
    the verified package and the cost front), read back, never rerun.

    ``workers``: processes that share the work (default: one per core; 1 builds everything in
    this process). ``progress`` is called with a line of text as parts are done. Raises :class:`ResultsError` (one-line message) when a
    folder is not a usable results folder, and the store's OutputError or DiskError when ``out``
    cannot be written."""
    langs = _check_langs(langs)
    if not result_dirs:
        raise ResultsError("no results folder given")
    first = Path(result_dirs[0])
    out = Path(out) if out is not None else first / "report"
    results = _load_all(result_dirs, out)
    if goal_seek is not None:
        results[0].goal_seek = load_goal_seek(Path(goal_seek))
    if previous is not None:
        results[0].previous = Results.load(previous)
    if workers is None:
        workers = os.cpu_count() or 1
    stage = temp_dir(out, "new")
    try:
        written = _build_all(results, langs, stage, out, workers, progress or (lambda line: None))
        return _swap_into_place(stage, out, written)
    except (UserError, MachineError) as e:  # name the pack's folder, not the temporary one
        raise type(e)(str(e).replace(str(stage), str(out))) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _build_all(results: list[Results], langs, stage: Path, final: Path, workers: int, progress) -> list[Path]:
    """Every file of the pack, written under ``stage`` by jobs on ``workers`` processes
    (:func:`sim.report.document.schedule.run_jobs`): each language's charts in ``workers`` shares; then, as
    soon as a language's charts are drawn, its report (HTML and PDF); the workbook and the decks,
    the shortest jobs, last, to fill the time while the other process finishes."""
    for r in results:
        _ = r.indicators  # read once, here, before any worker starts
    key = str(final)
    common = (_source(results, key, workers), str(stage))
    shares = max(workers, 1)
    charts = {lang: tuple(("charts", lang, k) for k in range(shares)) for lang in langs}
    jobs = [Job(c, _charts_job, (*common, lang, (c[2], shares))) for lang in langs for c in charts[lang]]
    jobs += [Job(("report", lang), _report_job, (*common, lang), charts[lang]) for lang in langs]
    jobs.append(Job(("xlsx",), _workbook_job, common))
    jobs += [Job(("pptx", lang), _deck_job, (*common, lang), charts[lang]) for lang in langs]
    _READ[key] = results
    files: dict = {}
    # Everything alive now (the modules, the results' tables) outlives the pack: the collector
    # leaves it out of its full collections while the charts make their garbage (an eighth of a
    # language's chart time here), in this process and in the workers forked from it.
    gc.freeze()
    try:
        for done, made in run_jobs(jobs, workers):
            files[done] = made[1] if cast(tuple, done)[0] == "charts" else made
            if cast(tuple, done)[0] != "charts":
                progress(f"  meeting pack: {', '.join(p.name for p in made)}")
            elif all(c in files for cs in charts.values() for c in cs):
                progress(f"  meeting pack: {sum(len(files[c]) for cs in charts.values() for c in cs)} chart files")
    finally:
        gc.unfreeze()
        del _READ[key]
    out = []
    for lang in langs:
        out += sorted(p for c in charts[lang] for p in files[c]) + files["report", lang] + files["pptx", lang]
    return out + files["xlsx",]
