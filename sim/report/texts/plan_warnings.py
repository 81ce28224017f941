"""Plan warnings (:class:`sim.analysis.targets.PlanWarning`) written out in Chinese or English.

The English text is what manifest.json keeps and the console prints (indicator ids, plan
sources as written). A report reads the manifest's English text back: :func:`warning_text` finds
the record of the resolved scenario whose English text it is and writes that record in the
report's language, with indicator names and plan sources in that language (both packs).
"""

from __future__ import annotations

from sim.analysis.targets import PlanWarning, scenario_warnings
from sim.report.texts.labels import indicator_label, unit_label
from sim.report.texts.plan_sources import source_text
from sim.report.texts.words import text


def render(w: PlanWarning, lang: str, scenario=None, report: bool = False) -> str:
    """One warning in ``lang``; ``scenario`` (object or resolved dict) names the indicators.
    English with ``report`` False is the console's and the manifest's text (ids, sources as written)."""
    en = lang == "en" and not report

    def name(indicator):
        return indicator if en else indicator_label(indicator, lang, scenario)

    if w.kind in ("modes_over", "modes_under"):
        total, parts = w.targets[0], w.targets[1:]
        s = w.mode_sum
        names = " + ".join(
            f"{p.indicator.removeprefix('trade_') if en else name(p.indicator)} {p.threshold:g}" for p in parts
        )
        return text(
            f"warn_{w.kind}",
            lang,
            year=w.year,
            parts=names,
            sum=f"{s:g}",
            total=f"{total.threshold:g}",
            unit=total.unit if en else unit_label(total.unit, lang),
            diff=f"{abs(s - total.threshold):g}",
        )

    def src(t):
        return t.source if en else source_text(t.source, lang)

    a, b = w.targets
    active = [t for t in (a, b) if t.active]
    if len(active) == 1:
        which = text("warn_alt_one", lang, act=f"{active[0].threshold:g}")
    else:
        which = text("warn_alt_both" if active else "warn_alt_none", lang)
    return text(
        "warn_alt",
        lang,
        year=w.year,
        indicator=name(a.indicator),
        a=f"{b.threshold:g}",
        a_src=src(b),
        b=f"{a.threshold:g}",
        b_src=src(a),
        which=which,
    )


def english(scenario) -> list[str]:
    """The plan warnings of a scenario (object or resolved dict) in English, as manifest.json and
    the console write them."""
    return [render(w, "en") for w in scenario_warnings(scenario)]


def warning_text(warning: str, lang: str, scenario=None) -> tuple[str, bool]:
    """A plan warning of the manifest in ``lang``; returns (text, translated).

    English: the manifest's own text. Otherwise the warning of ``scenario`` (object or resolved
    dict) with this English text, in ``lang``; a warning the scenario does not produce is returned
    as it is, marked as original text."""
    for w in scenario_warnings(scenario) if scenario is not None else []:
        if render(w, "en") == warning:
            return render(w, lang, scenario, report=True), True
    if lang == "en":
        return warning, True
    return f"{text('warn_original', lang)}{warning}", False
