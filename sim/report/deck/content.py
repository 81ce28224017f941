"""What the deck says, slide by slide, in one language: each slide's name, title, lines and chart
(:func:`deck_slides`; the chart on a slide is the one :mod:`sim.report.document.registry` places
there), and the early-warning slides (:func:`warning_slides`). The PPTX itself is drawn by
:mod:`sim.report.deck.pptx`.

Named slides, in order: ``title``; ``headline`` (the plan's headline targets: start -> target
where summary.csv has ``base``/``growth_needed``, P with its simulation-precision interval);
``group_<group>`` (or ``group_<group>_<year>`` when a group is too long for one slide), one per
target group of :data:`sim.report.document.sections.GROUPS`; ``warning`` (early warning, when a previous as-of is given);
``compare_<k>`` (paired differences against the k-th compared folder); ``rank``; ``method``
(what the interval is, where the world's uncertainty is, the run facts).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import pandas as pd

from sim.report.document.early_warning import as_of
from sim.report.document.pairs import pair_table
from sim.report.document.registry import slide_charts
from sim.report.document.sections import (
    HEADLINE,
    compare_lines,
    group_of,
    group_parts,
    rank_sensitivity_sentences,
    year_label,
)
from sim.report.document.warning_views import break_lines, intro_line, move_lines
from sim.report.texts.formats import ci0, pct0
from sim.report.texts.growth_words import band_note, band_position, growth_parts, need_per_year
from sim.report.texts.labels import threshold_text
from sim.report.texts.words import text
from sim.results import Results

MAX_LINES = 9
"""Most lines on a warning slide (the report lists all)."""


@dataclass
class Slide:
    """One slide: ``key`` its name (also the PPTX slide's name), ``title``, ``lines`` (bullets),
    ``chart`` the key of its slide chart (or ""), ``note`` small print at the bottom, ``light``
    per line a traffic light ("green", "amber", "red") or "" (the early-warning slide)."""

    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    chart: str = ""
    note: str = ""
    lights: list[str] = field(default_factory=list)


def start_to_target(row, lang: str, res: Results) -> str:
    """ "from X in <base year> to <threshold>: needs +Z%" when summary.csv has ``base`` and
    ``growth_needed`` for the row, else ""."""
    base, growth = row.get("base"), row.get("growth_needed")
    if base is None or base != base or growth is None or growth != growth:
        return ""
    start = str(res.resolved.get("run", {}).get("start", "")) or f"{int(row['year'])}"
    base_year = int(start[:4]) - 1
    move = text(
        "deck_from_to",
        lang,
        base_year=base_year,
        base=threshold_text(round(float(base), 1), row["unit"], lang),
        target=threshold_text(row["threshold"], row["unit"], lang),
        growth=f"{float(growth) * 100:+.0f}%",
    )
    return text("deck_sep", lang).join([move + need_per_year(row, lang, base_year), *growth_parts(row, lang)])


def _headline_note(res: Results, lang: str) -> str:
    """The interval's meaning, and the reference band of real zones' growth when a headline
    total-trade target is set against it."""
    note = text("interval_meaning", lang)
    if any(band_position(r) for _, r in res.targets().iterrows()):
        note += ("" if lang == "zh" else " ") + band_note(lang)
    return note


def headline_lines(res: Results, lang: str) -> list[str]:
    """One line per headline target (total trade and the national rank of each year)."""
    t = res.targets()
    t = pd.concat([t[(t["indicator"] == h) & t["active"]].sort_values("year", kind="stable") for h in HEADLINE])
    out = []
    for _, r in t.iterrows():
        line = text(
            "deck_headline", lang, label=year_label(r, lang, res), p=pct0(r["p_hit"]), ci=ci0(r["ci_low"], r["ci_high"])
        )
        move = start_to_target(r, lang, res)
        out.append(f"{line}{text('deck_sep', lang)}{move}" if move else line)
    return out


def _group_lines(d: pd.DataFrame, lang: str) -> list[str]:
    act = d[d["active"]]
    return [
        text(
            "deck_group_line",
            lang,
            k=len(act),
            likely=int((act["p_hit"] >= 0.8).sum()),
            unlikely=int((act["p_hit"] < 0.5).sum()),
        )
    ]


def deck_slides(
    res: Results, lang: str, others: Sequence[Results] = (), charts: Collection[str] = (), warning: Sequence[Slide] = ()
) -> list[Slide]:
    """Every slide of the deck of ``res`` in ``lang``; ``charts`` holds the slide charts made
    (a slide whose chart is missing keeps its text); ``warning``: the early-warning slides."""
    zone = res.zone(lang)
    slides = [
        Slide(
            "title",
            text("report_title", lang, zone=zone),
            [
                text("deck_subtitle", lang, scenario=res.title(lang), n=res.reps, seed=res.seed, date=res.run_date),
                res.description(lang),
            ],
        )
    ]
    slides.append(
        Slide(
            "headline",
            text("deck_headline_title", lang, zone=zone),
            headline_lines(res, lang),
            note=_headline_note(res, lang),
        )
    )
    for g, d in group_parts(res):
        name, _, year = g.partition("_")
        title = text(f"group_{name}", lang)
        title = text("group_year", lang, group=title, year=year) if year else title
        slides.append(
            Slide(
                f"group_{g}",
                title,
                _group_lines(d, lang),
                note=text("interval_meaning", lang),
            )
        )
    slides.extend(warning)
    for k, o in enumerate(others, 1):
        tab = pair_table(res, o)
        if len(tab):
            slides.append(
                Slide(
                    f"compare_{k}",
                    text("deck_compare_title", lang, other=o.title(lang), ref=res.title(lang)),
                    compare_lines(tab, lang, o.title(lang), res.title(lang)),
                )
            )
    rank = res.targets()
    rank = rank[rank["indicator"].map(group_of) == "rank"].sort_values(["indicator", "year"], kind="stable")
    if len(rank):
        lines = [
            text(
                "deck_headline",
                lang,
                label=year_label(r, lang, res),
                p=pct0(r["p_hit"]),
                ci=ci0(r["ci_low"], r["ci_high"]),
            )
            for _, r in rank.iterrows()
        ]
        slides.append(
            Slide(
                "rank",
                text("sec_rank", lang),
                lines,
                note=" ".join(rank_sensitivity_sentences(res, lang)),
            )
        )
    slides.append(
        Slide(
            "method",
            text("deck_method_title", lang),
            [
                text("interval_meaning", lang),
                text("world_uncertainty", lang),
                text("sum_basis", lang, n=res.reps, seed=res.seed),
            ],
        )
    )
    shown = slide_charts(res, others)  # each slide's chart, as the chart registry places it
    for s in slides:
        s.chart = s.chart or (shown[s.key] if shown.get(s.key) in charts else "")
    return slides


def _cut(lines: list, lang: str) -> list:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[: MAX_LINES - 1], text("ew_more", lang, n=len(lines) - MAX_LINES + 1)]


def warning_slides(now: Results, then: Results | None, lang: str) -> list[Slide]:
    """The slides ``warning`` (targets with their lights) and ``warning_moves`` (what moved);
    none without a previous folder."""
    if then is None:
        return []
    moves = _cut(move_lines(now, then, lang), lang)
    lines = [m if isinstance(m, str) else m[0] for m in moves]
    lights = [("" if isinstance(m, str) else m[1]) for m in moves]
    title = text("ew_title", lang, now=as_of(now) or "–", then=as_of(then) or "–")
    breaks = break_lines(now, then, lang) or [text("ew_no_breaks", lang, band=text("ew_band", lang))]
    return [
        Slide("warning", title, lines, note=intro_line(now, lang), lights=lights),
        Slide("warning_moves", text("ew_moves_title", lang, now=as_of(now) or "–"), _cut(breaks, lang)),
    ]
