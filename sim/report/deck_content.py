"""What the deck says, slide by slide, in one language: each slide's name, title, lines and chart
(:func:`deck_slides`), and the slide charts it shows (:func:`slide_charts`). The PPTX itself is
drawn by :mod:`sim.report.deck`.

Named slides, in order: ``title``; ``headline`` (the plan's headline targets: start -> target
where summary.csv has ``base``/``growth_needed``, P with its simulation-precision interval);
``group_<group>`` (or ``group_<group>_<year>`` when a group is too long for one slide), one per
target group of :data:`GROUPS`; ``warning`` (early warning, when a previous as-of is given);
``compare_<k>`` (paired differences against the k-th compared folder); ``rank``; ``method``
(what the interval is, where the world's uncertainty is, the run facts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sim.report import charts as ch
from sim.report.chart_base import ChartMeta
from sim.report.charts_slides import group_chart, paired_chart
from sim.report.document import ci0, pct0
from sim.report.labels import threshold_text
from sim.report.pairs import pair_table
from sim.report.sections import HEADLINE, rank_sensitivity_sentences, year_label
from sim.report.texts import text
from sim.results import Results
from sim.vocabulary.outcomes import RANKING_INDICATORS

GROUPS = ("trade", "economy", "projects", "rank")
"""Target groups: customs trade; industry, investment and enterprises; projects, reforms and
leading firms; the national evaluation (shown on the ``rank`` slide, not as a group slide)."""
MAX_ROWS = 14
"""Most targets on one group slide; a longer group gets one slide per year."""


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


def group_of(indicator: str) -> str:
    """The target group of an indicator (see :data:`GROUPS`)."""
    if indicator.startswith("trade_"):
        return "trade"
    if indicator in RANKING_INDICATORS:
        return "rank"
    if indicator.startswith(("done_", "leaders_")) or indicator in ("institutional_innovations", "ftz_replications"):
        return "projects"
    return "economy"


def _group_parts(res: Results) -> list[tuple[str, pd.DataFrame]]:
    """(slide key suffix, summary rows) of every group slide, rows by year then weakest first."""
    t = res.targets().copy()
    t["group"] = t["indicator"].map(group_of)
    out = []
    for g in GROUPS[:-1]:
        d = t[t["group"] == g].sort_values(["year", "p_hit"], kind="stable")
        if d.empty:
            continue
        if len(d) <= MAX_ROWS:
            out.append((g, d))
        else:
            out += [(f"{g}_{y}", e) for y, e in d.groupby("year", sort=True)]
    return out


def _meta(res: Results, lang: str) -> ChartMeta:
    return ChartMeta(res.zone(lang), res.title(lang), res.reps, res.seed, res.run_date, res.interval(lang))


def slide_charts(res: Results, lang: str, others: list[Results] = (), want=lambda key: True):
    """The deck's charts of one language: yields (key, Figure) for each key ``want`` accepts."""
    meta = _meta(res, lang)
    for g, d in _group_parts(res):
        if want(f"slide_group_{g}"):
            labels = [year_label(r, lang, res) for _, r in d.iterrows()]
            yield f"slide_group_{g}", group_chart(d, labels, lang, meta)
    for k, o in enumerate(others, 1):
        if want(f"slide_pair_{k}"):
            tab = pair_table(res, o)
            if len(tab):
                labels = [year_label(r, lang, res) for _, r in tab.iterrows()]
                yield (
                    f"slide_pair_{k}",
                    paired_chart(
                        tab,
                        labels,
                        lang,
                        meta,
                        paired=bool(tab["paired"].iloc[0]),
                        other=o.title(lang),
                        ref=res.title(lang),
                    ),
                )
    ind = res.indicators
    if ind is not None and want("slide_rank"):
        v = ind[ind["indicator"] == "rank"][["year", "value"]]
        if len(v):
            t = res.targets()
            yield (
                "slide_rank",
                ch.rank_chart(v, t[t["indicator"] == "rank"], "rank", lang, meta, res.resolved, slide=True),
            )


def start_to_target(row, lang: str, res: Results) -> str:
    """ "from X in <base year> to <threshold>: needs +Z%" when summary.csv has ``base`` and
    ``growth_needed`` for the row, else ""."""
    base, growth = row.get("base"), row.get("growth_needed")
    if base is None or base != base or growth is None or growth != growth:
        return ""
    start = str(res.resolved.get("run", {}).get("start", "")) or f"{int(row['year'])}"
    return text(
        "deck_from_to",
        lang,
        base_year=int(start[:4]) - 1,
        base=threshold_text(round(float(base), 1), row["unit"], lang),
        target=threshold_text(row["threshold"], row["unit"], lang),
        growth=f"{float(growth) * 100:+.0f}%",
    )


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


def compare_lines(tab: pd.DataFrame, lang: str, other: str, ref: str) -> list[str]:
    """What the paired intervals support, and no more: how many targets move beyond simulation
    precision in either direction; the rest are within it."""
    up = int((tab["diff_low"] > 0).sum())
    down = int((tab["diff_high"] < 0).sum())
    paired = bool(tab["paired"].iloc[0])
    lines = [text("deck_pair_counts", lang, other=other, ref=ref, up=up, down=down, same=len(tab) - up - down)]
    lines.append(text("deck_pair_paired" if paired else "deck_pair_indep", lang))
    return lines


def deck_slides(
    res: Results, lang: str, others: list[Results] = (), charts: dict = (), warning: list[Slide] = ()
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
            note=text("interval_meaning", lang),
        )
    )
    for g, d in _group_parts(res):
        key = f"slide_group_{g}"
        name, _, year = g.partition("_")
        title = text(f"group_{name}", lang)
        title = text("group_year", lang, group=title, year=year) if year else title
        slides.append(
            Slide(
                f"group_{g}",
                title,
                _group_lines(d, lang),
                key if key in charts else "",
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
                    f"slide_pair_{k}" if f"slide_pair_{k}" in charts else "",
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
                "slide_rank" if "slide_rank" in charts else "",
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
    return slides
