"""Composes the pack's report: every block of the document of a results folder in one language,
in reading order (:func:`build_document`), from the sections of :mod:`sim.report.document.sections` and
the charts the pack made.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from sim.report.document import sources
from sim.report.document.blocks import (
    Bullets,
    Document,
    Figure,
    FigureRow,
    Heading,
    PageBreak,
    Para,
    Table,
    figure,
    png_size,
)
from sim.report.document.registry import placed
from sim.report.document.sections import (
    assumption_rows,
    compare_lines,
    growth_notes,
    indicator_order,
    manifest_rows,
    peers_table,
    ranking_table,
    summary_paragraphs,
    target_table,
    warning_items,
    year_label,
)
from sim.report.document.warning_views import warning_blocks
from sim.report.texts.formats import ci1, pct1
from sim.report.texts.labels import indicator_label
from sim.report.texts.plan_sources import source_text
from sim.report.texts.words import text
from sim.results import Results

CHART_SECTIONS = ("overview", "indicators", "ttt", "rank", "compare")
"""The sections that show the registry's charts (:data:`sim.report.document.registry.CHARTS`)."""


def build_document(
    res: Results,
    lang: str,
    charts: dict,
    others: Sequence[Results] = (),
    compare_rows: list | None = None,
    pairs: list | None = None,
) -> Document:
    """All blocks of the report of ``res`` in ``lang``; ``charts`` maps chart keys to
    {"name", "png"} (made by the pack); ``others`` are further results folders to compare, with
    ``pairs`` their paired-difference tables (:func:`sim.report.document.pairs.pair_table`) and
    ``compare_rows`` each scenario's own P(hit), shown only where no difference can be formed."""
    zone = res.zone(lang)
    meta_sc = res.resolved.get("scenario", {})
    title = text("report_title", lang, zone=zone)
    subtitle = text("report_subtitle", lang, scenario=res.title(lang), n=res.reps, seed=res.seed, date=res.run_date)
    B: list = []
    if meta_sc.get("plan"):
        B.append(Para(text("report_plan", lang, plan=source_text(meta_sc["plan"], lang)), "small"))
    if res.description(lang):
        B.append(Para(text("report_desc", lang, desc=res.description(lang)), "small"))

    B.append(Heading(text("sec_summary", lang), 2, "summary"))
    for p in summary_paragraphs(res, lang, others):
        B.append(Para(p, "lead"))

    B.extend(warning_blocks(res, res.previous, lang))

    warns = warning_items(res, lang)
    if warns:
        B.append(Heading(text("sec_warnings", lang), 2, "warnings"))
        B.append(Bullets(warns, "warning"))

    B.append(Heading(text("sec_targets", lang), 2, "targets"))
    B.append(Para(text("intro_targets", lang), "note"))
    B.append(target_table(res, lang))
    B.extend(Para(p, "note") for p in growth_notes(res, lang))

    overview = figures(charts, placed("overview", res, others))
    if overview:
        B.append(Heading(text("sec_overview", lang), 2, "overview"))
        B.append(Para(text("intro_overview", lang), "note"))
        B.extend(overview)

    by_indicator = placed("indicators", res, others)
    ind_blocks = []
    for ind in indicator_order(res):
        figs = figures(charts, [(k, i) for k, i in by_indicator if i == ind])
        if not figs:
            continue
        t = res.targets()
        t = t[t["indicator"] == ind]
        if lang == "zh":
            desc = "；".join(
                f"{year_label(r, lang, res)}：{pct1(r['p_hit'])}（{ci1(r['ci_low'], r['ci_high'])}）"
                for _, r in t.iterrows()
            )
        else:
            desc = "; ".join(
                f"{year_label(r, lang, res)}: {pct1(r['p_hit'])} ({ci1(r['ci_low'], r['ci_high'])})"
                for _, r in t.iterrows()
            )
        ind_blocks += [
            Heading(indicator_label(ind, lang, res.resolved), 3, f"ind-{ind}"),
            Para(desc, "small"),
            FigureRow(figs),
        ]
    if ind_blocks:
        B.append(PageBreak())
        B.append(Heading(text("sec_indicators", lang), 2, "indicators"))
        B.append(Para(text("intro_indicators", lang), "note"))
        B.extend(ind_blocks)

    ttt = figures(charts, placed("ttt", res, others))
    if ttt:
        B.append(PageBreak())
        B.append(Heading(text("sec_ttt", lang), 2, "ttt"))
        B.append(Para(text("intro_ttt", lang), "note"))
        B.extend(ttt)

    ranks = figures(charts, placed("rank", res, others))
    sens = ranking_table(res, lang)
    if ranks or res.peers is not None or sens is not None:
        B.append(PageBreak())
        B.append(Heading(text("sec_rank", lang), 2, "rank"))
        if ranks:
            B.append(Para(text("intro_rank", lang), "note"))
            B.extend(ranks)
        if sens is not None:
            B.append(Heading(text("sec_rank_sens", lang), 3, "rank-sensitivity"))
            B.append(Para(text("intro_rank_sens", lang), "note"))
            B.append(sens)
        if res.peers is not None and len(res.peers.columns):
            B.append(Heading(text("sec_peers", lang), 3, "peers"))
            B.append(Para(text("intro_peers", lang), "note"))
            B.append(peers_table(res.peers, lang))

    if others:
        B.extend(compare_blocks(res, others, lang, charts, compare_rows or [], pairs or []))

    if res.goal_seek is not None:
        B.extend(goal_seek_blocks(res.goal_seek, lang))

    extra = [
        (r, chart_file)
        for r in [res, *others]
        for chart_file in r.extra_charts
        if not (chart_file.stem.endswith(("_zh", "_en")) and not chart_file.stem.endswith("_" + lang))
    ]
    tables = [(r, name) for r in [res, *others] for name in r.extra_tables]
    if extra or tables:
        B.append(Heading(text("sec_other", lang), 2, "other"))
        B.append(Para(text("intro_other", lang), "note"))
        for r, chart_file in extra:
            png = chart_file.read_bytes()
            w, h = png_size(png)
            B.append(Figure(chart_file.stem, png, f"{r.saved_folder.name}/charts/{chart_file.name}", w, h))
        if tables:
            B.append(Bullets([f"{r.saved_folder.name}/{name}.csv" for r, name in tables]))

    B.append(PageBreak())
    B.append(Heading(text("sec_assumptions", lang), 2, "assumptions"))
    file_name = res.manifest.get("scenario_file")
    path = sources.find_scenario_file(file_name, res.saved_folder)
    comments = sources.scenario_comments(path) if path else {}
    file_values = sources.scenario_values(path) if path else {}
    B.append(Para(text("intro_assumptions" if path else "intro_no_sources", lang, file=file_name or "–"), "note"))
    head = [text("col_key", lang), text("col_value", lang), text("col_comment", lang)]
    for sec, key in (("levers", "sec_levers"), ("base_year", "sec_base_year"), ("initial_state", "sec_initial")):
        rows = assumption_rows(res, sec, lang, comments, file_values)
        if rows:
            B.append(Heading(text(key, lang), 3, sec))
            B.append(Table(head, rows, [26, 22, 52], "lll", font_size=7.5))

    B.append(Heading(text("sec_manifest", lang), 2, "manifest"))
    B.append(Para(text("intro_manifest", lang), "note"))
    for r in [res, *others]:
        if others:
            B.append(Heading(r.title(lang), 3))
        rows, literal = manifest_rows(r, lang)
        B.append(
            Table(
                [text("col_fact", lang), text("col_value", lang)],
                rows,
                [25, 75],
                "ll",
                ["literal" if x else "" for x in literal],
                font_size=7.5,
            )
        )
    B.append(Para(f"{text('m_built', lang)}: {_dt.date.today().isoformat()} · {text('figure_files', lang)}", "small"))

    rows = assumption_rows(res, "uncertainties", lang, comments, file_values)
    if rows:
        B.append(PageBreak())
        B.append(Heading(text("sec_uncert", lang), 2, "uncertainties"))
        B.append(Table(head, rows, [30, 30, 40], "lll", font_size=7.0))

    header = f"{zone} · {res.title(lang)} · n={res.reps} · {text('m_seed', lang)} {res.seed}"
    return Document(lang, title, subtitle, B, header, res.run_date)


def figures(charts: dict, keys: list) -> list[Figure]:
    """The Figures of the charts made among ``keys`` ((key, item) pairs), in order."""
    return [f for key, _ in keys if (f := figure(charts, key, ""))]


def compare_blocks(res: Results, others: Sequence[Results], lang: str, charts: dict, rows: list, pairs: list) -> list:
    """The comparison section: per compared folder its paired differences (chart and table) and
    what they support; folders without replications to pair get each scenario's own P(hit),
    with no claim about the difference."""
    B = [PageBreak(), Heading(text("sec_compare", lang), 2, "compare"), Para(text("intro_compare", lang), "note")]
    for k, (o, tab) in enumerate(zip(others, pairs, strict=True), 1):
        B.append(Heading(text("deck_compare_title", lang, other=o.title(lang), ref=res.title(lang)), 3))
        if not len(tab):
            B.append(Para(text("compare_no_pairs", lang), "note"))
            continue
        B.extend(Para(x, "lead") for x in compare_lines(tab, lang, o.title(lang), res.title(lang)))
        B.extend(figures(charts, [(key, i) for key, i in placed("compare", res, others) if i == k]))
        body = [
            [
                str(r["year"]),
                year_label(r, lang, res),
                f"{pct1(r['p_ref'])} ({ci1(r['p_ref_low'], r['p_ref_high'])})",
                f"{pct1(r['p'])} ({ci1(r['p_low'], r['p_high'])})",
                f"{r['diff'] * 100:+.1f}",
                f"{r['diff_low'] * 100:+.1f} – {r['diff_high'] * 100:+.1f}",
            ]
            for _, r in tab.iterrows()
        ]
        B.append(
            Table(
                [
                    text("col_year", lang),
                    text("col_target", lang),
                    res.title(lang),
                    o.title(lang),
                    text("col_diff", lang),
                    text("col_diff_ci", lang),
                ],
                body,
                [6, 32, 15, 15, 10, 16],
                "llrrrr",
                font_size=7.5,
            )
        )
    if rows and not any(len(t) for t in pairs):
        names = [r.title(lang) for r in [res, *others]]
        B.append(
            Table(
                [text("col_year", lang), text("col_target", lang), *names],
                rows,
                [5.5, 30, *([12] * len(names))],
                "ll" + "r" * len(names),
                font_size=7.5,
            )
        )
    return B


def goal_seek_blocks(g: dict, lang: str) -> list:
    """The goal-seek section: the summary in the report's language, the verified package's odds
    (each with its simulation-precision interval) and the cost front."""
    blocks = [
        PageBreak(),
        Heading(text("sec_goal_seek", lang), 2, "goal-seek"),
        Para(text("intro_goal_seek", lang), "note"),
    ]
    blocks += [Para(p.strip(), "lead") for p in g["summary"][lang].split("\n\n") if p.strip()]
    v = g["verification"]
    rows = [
        [
            str(r["target_id"]),
            pct1(r["p_hit"]),
            ci1(r["ci_low"], r["ci_high"]),
            pct1(r["level"]),
            text("gs_holds" if r["holds"] else "gs_fails", lang),
        ]
        for _, r in v.iterrows()
    ]
    blocks.append(
        Table(
            [
                text("col_target", lang),
                text("col_p", lang),
                text("col_ci", lang),
                text("gs_level", lang),
                text("gs_verdict", lang),
            ],
            rows,
            [34, 14, 22, 14, 16],
            "lrrrl",
            font_size=7.5,
        )
    )
    png = g["charts"][lang]
    if png.is_file():
        data = png.read_bytes()
        w, h = png_size(data)
        blocks.append(Figure(f"goal_front_{lang}", data, f"{png.parent.parent.name}/charts/{png.name}", w, h))
    return blocks
