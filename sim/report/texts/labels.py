"""Chinese and English labels of what the model measures: indicators, units, thresholds and
comparisons, ranking measures and method variants, interval methods; and :data:`TABLES`, every
label table of the pack (checked by ``tests/test_report.py``).

Built-in indicators are labelled here; scenario-defined ones (projects, milestones, leader
pipelines, programme counts) take their ``name_zh`` / ``name_en`` from the scenario
(:mod:`sim.report.texts.key_labels`). Every entry is a ``(zh, en)`` pair. The fixed texts are
:mod:`sim.report.texts.words`'; the scenario's keys and values are labelled in :mod:`sim.report.texts.key_labels`.

``scenario`` arguments accept a validated :class:`sim.scenario.Scenario`, the resolved scenario
dict of a manifest, or ``None``.
"""

from __future__ import annotations

import re

from sim.ranking.config.fill import rank_of_year
from sim.report.texts.key_labels import DIST_PARAMS, DISTS, UNITS, entity_name, key_label, scenario_names
from sim.report.texts.words import LANGS, TEXT, pick, text
from sim.vocabulary.outcomes import OUTCOMES, PEER_STATISTICS
from sim.vocabulary.parameters import KEYS

INDICATORS = {k: (o.zh, o.en) for k, o in OUTCOMES.items()}
"""Names of the outcomes with a fixed id (sim.vocabulary.outcomes)."""


# The simulated peer population (peers.csv statistics, indicators peers_<statistic>).
PEER_STATS = {k: (p.zh, p.en) for k, p in PEER_STATISTICS.items()}
PEER_UNITS = {k: p.unit for k, p in PEER_STATISTICS.items()}

# Variants of the evaluation method (ranking.csv, indicators rank_variant_<id>).
VARIANTS = {
    "main": ("主方法（各方法按概率抽取，默认归一化）", "main method (drawn by probability, default normalisation)"),
    "norm_min_max": ("归一化改为最小-最大法", "min-max normalisation instead of percentile rank"),
    "norm_share_of_max": ("归一化改为占最大值比例", "share-of-maximum normalisation instead of percentile rank"),
    "split_15_5": ("最后20分按辐射15分、创新5分分配", "last 20 points split 15 radiation / 5 innovation"),
    "split_5_15": ("最后20分按辐射5分、创新15分分配", "last 20 points split 5 radiation / 15 innovation"),
    "method_eval2020": ("各年均采用2020年4月试行方法", "the April 2020 trial method for every data year"),
    "method_eval2024": ("各年均采用2024年1月新方法", "the January 2024 method for every data year"),
}

TABLES = (INDICATORS, UNITS, TEXT, KEYS, DISTS, DIST_PARAMS, PEER_STATS, VARIANTS)


def unit_label(unit: str, lang: str) -> str:
    return pick(UNITS.get(unit, (unit, unit)), lang)


def variant_label(variant: str, lang: str, description: str = "") -> str:
    if variant in VARIANTS:
        return pick(VARIANTS[variant], lang)
    return description or variant


def measure_label(measure: str, lang: str) -> str:
    """ranking.csv measures: "rank<=60", "class_a"."""
    m = re.match(r"^(board_)?rank\s*(<=|<)\s*(\d+)$", measure)
    if m:
        return text("measure_board_rank" if m[1] else "measure_rank", lang, op=op_text(m[2]), n=m[3])
    if measure == "class_a":
        return indicator_label("class_a", lang)
    return measure


def ordinal_rank(rank: int | None, lang: str) -> str:
    """ "80th" / "80": a rank as the peer-statistic labels name it (``{rank}``); without a rank, the words."""
    if rank is None:
        return "参照" if lang == "zh" else "at the reference rank"
    n = int(rank)
    if lang == "zh":
        return str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _reference_rank(scenario, year: int | None = None) -> int | None:
    """The reference rank a label names: of ``year`` when given, else the scenario's one rank (None
    when its data years differ)."""
    r = scenario.get("ranking") if isinstance(scenario, dict) else getattr(scenario, "ranking", None)
    if r is None:
        return None
    ref = r.get("reference_rank") if isinstance(r, dict) else r.reference_rank
    if isinstance(ref, dict):  # a rank per data year
        if year is not None:
            return rank_of_year({int(y): v for y, v in ref.items()}, int(year))
        return next(iter(ref.values())) if len(set(ref.values())) == 1 else None
    return ref


def indicator_label(indicator: str, lang: str, scenario=None, rank: int | None = None, year: int | None = None) -> str:
    """Label of an indicator; scenario-defined ones need the scenario (object or resolved dict).
    ``rank``: the reference rank a peer statistic names (default: the scenario's, of ``year`` when given)."""
    if indicator in INDICATORS:
        return pick(INDICATORS[indicator], lang)
    if indicator.startswith("peers_") and indicator.removeprefix("peers_") in PEER_STATS:
        label = pick(PEER_STATS[indicator.removeprefix("peers_")], lang)
        if "{rank}" in label:
            n = rank if rank is not None else _reference_rank(scenario, year)
            label = label.replace("{rank}", ordinal_rank(n, lang))
            if n is None:
                label = label.replace("第参照名", "参照名次").replace("ranked at", "at")
        return label
    if indicator.startswith("rank_variant_"):
        return text("rank_variant", lang, variant=variant_label(indicator.removeprefix("rank_variant_"), lang))
    sc = scenario_names(scenario)
    c = sc.constants if sc is not None else None
    if c is not None:
        if indicator.startswith("done_"):
            k = indicator.removeprefix("done_")
            spec = c.projects.get(k) or c.milestones.get(k)
            if spec:
                return text("done_by", lang, name=entity_name(spec, lang))
        if indicator.startswith("leaders_") and indicator.removeprefix("leaders_") in c.leaders:
            return text("leaders", lang, name=entity_name(c.leaders[indicator.removeprefix("leaders_")], lang))
        if indicator in c.counts:
            return entity_name(c.counts[indicator], lang)
    return indicator


def short_indicator_label(indicator: str, lang: str, scenario=None) -> str:
    """Like :func:`indicator_label` without the "(done by year end)" style suffixes (for titles)."""
    sc = scenario_names(scenario)
    c = sc.constants if sc is not None else None
    if c is not None and indicator.startswith("done_"):
        k = indicator.removeprefix("done_")
        spec = c.projects.get(k) or c.milestones.get(k)
        if spec:
            return entity_name(spec, lang)
    return indicator_label(indicator, lang, scenario)


def interval_label(method: str, lang: str) -> str:
    """Short name of the manifest's interval method."""
    m = (method or "").lower()
    if m.startswith("wilson"):
        return text("ci_wilson", lang)
    if "clopper" in m:
        return text("ci_cp", lang)
    return method or text("ci_wilson", lang)


def threshold_text(threshold: float, unit: str, lang: str) -> str:
    """A target threshold with its unit: "106 亿元", "106 (100M CNY)", "90%", "20 个" / "20"."""
    v = f"{float(threshold):g}"
    if unit == "%":
        return f"{v}%"
    if lang == "en":
        if unit in ("count", "persons", "rank", "0/1", ""):
            return v
        return f"{v} ({unit_label(unit, lang)})"
    u = unit_label(unit, lang)
    return f"{v} {u}".rstrip()


def op_text(op: str) -> str:
    return {">=": "≥", ">": ">", "<=": "≤", "<": "<"}.get(op, op)


__all__ = [
    "DISTS",
    "DIST_PARAMS",
    "INDICATORS",
    "KEYS",
    "LANGS",
    "PEER_STATS",
    "PEER_UNITS",
    "TABLES",
    "TEXT",
    "UNITS",
    "VARIANTS",
    "indicator_label",
    "interval_label",
    "key_label",
    "measure_label",
    "op_text",
    "scenario_names",
    "short_indicator_label",
    "text",
    "threshold_text",
    "unit_label",
    "variant_label",
]
