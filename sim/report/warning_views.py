"""The early warning (:mod:`sim.report.early_warning`) in words, in one language: the deck's two
slides (:func:`warning_slides`) and the report's section (:func:`warning_blocks`), from the same
lines, so both say the same thing.
"""

from __future__ import annotations

from sim.report.deck_content import Slide
from sim.report.document import Bullets, Heading, Para, Table, ci0, ci1, pct0, pct1, value_fmt
from sim.report.early_warning import as_of, band_breaks, rules_of, target_moves
from sim.report.labels import indicator_label, threshold_text
from sim.report.sections import HEADLINE, year_label
from sim.report.texts import text
from sim.results import Results

MAX_LINES = 9
"""Most lines on a warning slide (the report lists all)."""


def _intro(now: Results, lang: str) -> str:
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
        Slide("warning", title, lines, note=_intro(now, lang), lights=lights),
        Slide("warning_moves", text("ew_moves_title", lang, now=as_of(now) or "–"), _cut(breaks, lang)),
    ]


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
        Para(_intro(now, lang), "note"),
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
