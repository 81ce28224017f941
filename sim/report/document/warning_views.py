"""The early warning (:mod:`sim.report.document.early_warning`) in words, in one language: its
lines (:func:`move_lines`, :func:`break_lines`, :func:`intro_line`) and the report's section
(:func:`warning_blocks`). The deck's two slides (:func:`sim.report.deck.content.warning_slides`)
are made from the same lines, so both say the same thing.
"""

from __future__ import annotations

from sim.report.document.blocks import Bullets, Heading, Para, Table
from sim.report.document.early_warning import as_of, band_breaks, rules_of, target_moves
from sim.report.document.sections import HEADLINE, year_label
from sim.report.texts.formats import ci0, ci1, pct0, pct1, value_fmt
from sim.report.texts.labels import indicator_label, threshold_text
from sim.report.texts.words import text
from sim.results import Results


def intro_line(now: Results, lang: str) -> str:
    """What the lights mean: the thresholds of green and amber, and the band."""
    r = rules_of(now)
    return text("ew_intro", lang, green=pct0(r.on_track), amber=pct0(r.at_risk), band=text("ew_band", lang))


def move_lines(now: Results, then: Results, lang: str) -> list[tuple[str, str]]:
    """(line, light) per target, headline targets first, then by the size of the change."""
    d = target_moves(now, then)
    d["order"] = [0 if i in HEADLINE else 1 for i in d["indicator"]]
    d["size"] = -d["change"].abs()
    d = d.sort_values(["order", "size", "year"], kind="stable")
    return [
        (
            text(
                "ew_line",
                lang,
                label=year_label(r, lang, now),
                then=pct0(r["p_then"]),
                now=pct0(r["p_now"]),
                ci=ci0(r["ci_low"], r["ci_high"]),
                change=text("ew_change", lang, d=100 * r["change"]),
                light=text(f"light_{r['light_now']}", lang),
            ),
            r["light_now"],
        )
        for _, r in d.iterrows()
    ]


def break_lines(now: Results, then: Results, lang: str) -> list[str]:
    """One line per newly observed month that left the previous run's band."""
    units = dict(zip(now.summary["indicator"], now.summary["unit"], strict=True))
    out = []
    for _, b in band_breaks(now, then).iterrows():
        unit = units.get(b["indicator"], "")
        out.append(
            text(
                "ew_break",
                lang,
                indicator=indicator_label(b["indicator"], lang, now.resolved),
                month=b["month"],
                value=threshold_text(round(float(b["value"]), 2), unit, lang),
                side=text(f"ew_{b['side']}", lang),
                band=text("ew_band", lang),
                low=value_fmt(b["low"], unit),
                high=value_fmt(b["high"], unit),
            )
        )
    return out


def warning_blocks(now: Results, then: Results | None, lang: str) -> list:
    """The report's early-warning section: every target's P then and now with its light, and
    every newly observed month that left the band."""
    if then is None:
        return []
    d = target_moves(now, then)
    rows = [
        [
            str(r["year"]),
            year_label(r, lang, now),
            pct1(r["p_then"]),
            f"{pct1(r['p_now'])} ({ci1(r['ci_low'], r['ci_high'])})",
            text("ew_change", lang, d=100 * r["change"]),
            text(f"light_{r['light_now']}", lang),
        ]
        for _, r in d.iterrows()
    ]
    title = text("ew_title", lang, now=as_of(now) or "–", then=as_of(then) or "–")
    blocks = [
        Heading(text("sec_warning", lang), 2, "early-warning"),
        Para(title, "lead"),
        Para(intro_line(now, lang), "note"),
        Table(
            [
                text("col_year", lang),
                text("col_target", lang),
                text("col_then", lang),
                text("col_now", lang),
                text("col_change", lang),
                text("col_light", lang),
            ],
            rows,
            [6, 44, 11, 11, 14, 14],
            "llrrrl",
            [f"light-{r['light_now']}" for _, r in d.iterrows()],
            font_size=7.5,
        ),
    ]
    breaks = break_lines(now, then, lang)
    blocks.append(Bullets(breaks) if breaks else Para(text("ew_no_breaks", lang, band=text("ew_band", lang)), "note"))
    return blocks
