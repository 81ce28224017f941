"""The outcome registry: every indicator the model, the ranking or the summary reports, once.

An outcome has an id, a unit, a kind and a Chinese and English name. Kinds:

* ``"flow"``: the month's own amount; a year's value is the sum of its months (trade, output, FDI);
* ``"stock"``: read at the end of the month, the year's value at the end of December (for
  ``active_enterprises``: firms active at any time so far this year);
* ``"yearly"``: computed once a year only (the national evaluation, the joint-target row).

``source`` says who produces it: ``"model"`` (every replication, monthly), ``"ranking"`` (the
national evaluation of a scenario with a ``[ranking]`` section) or ``"summary"`` (a row of
summary.csv, not a model output). Families named by a prefix (``leaders_<pipeline>``,
``done_<project or milestone>``, ``rank_variant_<variant>``, ``peers_<statistic>``) take their
unit from :func:`indicator_unit`; their names come from the scenario (sim/report/texts/labels.py).
Scenario-defined programme counts carry their own unit and names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

MODES = ("processing", "bonded_logistics", "general", "cbec", "other")
"""Customs modes (贸易方式) the model splits trade into; trade_total is their sum."""


@dataclass(frozen=True)
class Outcome:
    """One indicator: ``id``, ``unit`` (a key of sim.report.texts.labels.UNITS), ``kind`` (flow, stock
    or yearly), ``zh`` / ``en`` names and ``source`` (model, ranking or summary)."""

    id: str
    unit: str
    kind: str
    zh: str
    en: str
    source: str = "model"


_MODE_NAMES = {
    "processing": ("加工贸易进出口值", "Processing trade"),
    "bonded_logistics": ("保税物流进出口值", "Bonded-logistics trade"),
    "general": ("一般贸易进出口值", "General trade"),
    "cbec": ("跨境电商进出口额", "Cross-border e-commerce"),
    "other": ("其他贸易方式进出口值", "Other trade modes"),
}

OUTCOMES: dict[str, Outcome] = {
    o.id: o
    for o in (
        Outcome("trade_total", "亿元", "flow", "进出口总值", "Total trade"),
        *(Outcome(f"trade_{m}", "亿元", "flow", *_MODE_NAMES[m]) for m in MODES),
        Outcome("industrial_output", "亿元", "flow", "规上工业总产值", "Industrial output (above size)"),
        Outcome("fdi_usd", "万美元", "flow", "实际利用外资", "Actual FDI"),
        Outcome("development_rate", "%", "stock", "围网面积开发率", "Fenced-area development rate"),
        Outcome("active_enterprises", "count", "stock", "年度活跃企业数", "Active enterprises"),
        Outcome("employees", "persons", "stock", "年度从业人数", "Employees"),
        Outcome("new_business_types", "count", "stock", "新业态数", "New business types"),
        Outcome("all_targets", "", "yearly", "当年全部目标同时达成", "All targets of the year", "summary"),
        Outcome("rank", "rank", "yearly", "全国绩效评估排名", "National evaluation rank", "ranking"),
        Outcome("rank_regional", "rank", "yearly", "区域绩效评估排名", "Regional evaluation rank", "ranking"),
        Outcome("eval_score", "points", "yearly", "绩效评估得分", "Evaluation score", "ranking"),
        Outcome("class_a", "0/1", "yearly", "评为A类", "Rated class A", "ranking"),
    )
}
"""Every outcome with a fixed id, in report order."""


@dataclass(frozen=True)
class PeerStatistic:
    """A statistic of the simulated peer population (peers.csv; indicator ``peers_<id>``)."""

    id: str
    unit: str
    zh: str
    en: str


PEER_STATISTICS: dict[str, PeerStatistic] = {
    p.id: p
    for p in (
        PeerStatistic("trade_p10", "亿元", "同类综保区进出口总值10%分位", "Peer-zone trade, 10th percentile"),
        PeerStatistic("trade_p50", "亿元", "同类综保区进出口总值中位数", "Peer-zone trade, median"),
        PeerStatistic("trade_p90", "亿元", "同类综保区进出口总值90%分位", "Peer-zone trade, 90th percentile"),
        PeerStatistic("top5_share", "share", "前5名占全国综保区进出口比重", "Top-5 share of national CBZ trade"),
        PeerStatistic("top30_share", "share", "前30名占全国综保区进出口比重", "Top-30 share of national CBZ trade"),
        PeerStatistic("reference_rank", "rank", "参照名次（排名目标）", "Reference rank (the rank target)"),
        PeerStatistic(
            "trade_at_reference_rank", "亿元", "第{rank}名综保区的进出口总值", "Trade of the zone ranked {rank}"
        ),
        PeerStatistic(
            "score_at_reference_rank",
            "points",
            "第{rank}名综保区的评估得分",
            "Evaluation score of the zone ranked {rank}",
        ),
        PeerStatistic("n_evaluated", "count", "参评综保区数量", "Zones evaluated"),
        PeerStatistic("trade_total_national", "亿元", "全国综保区进出口总值", "National CBZ trade"),
    )
}
"""Peer statistics in the order the ranking computes them (trade_at_reference_rank /
score_at_reference_rank describe the zone holding ranking.reference_rank, the rank target, which
reference_rank reports; ``{rank}`` in a label is that rank)."""


def _ids(**match) -> tuple[str, ...]:
    return tuple(o.id for o in OUTCOMES.values() if all(getattr(o, k) == v for k, v in match.items()))


MODEL_INDICATORS = _ids(source="model")
"""Built-in indicators of every replication (scenario-defined ones are added per scenario), in
the order the model stacks its monthly series."""


def in_vocabulary_order(computed: Mapping[str, T]) -> list[T]:
    """The model's computations (indicator -> series) in the order of :data:`MODEL_INDICATORS`.

    A new model indicator is its entry in :data:`OUTCOMES` plus its computation; this fails,
    naming them, on an indicator without a computation or a computation without an entry."""
    missing = [k for k in MODEL_INDICATORS if k not in computed]
    unknown = [k for k in computed if k not in MODEL_INDICATORS]
    if missing or unknown:
        raise ValueError(
            f"model indicators and their computations differ: no computation for {missing}, "
            f"no vocabulary entry (sim/vocabulary/outcomes.py) for {unknown}"
        )
    return [computed[k] for k in MODEL_INDICATORS]


BASE_PREFIX = "base_"
"""Prefix of the yearly columns that hold an indicator's base-year value (``base_trade_total``...)."""

TRADE_COMPONENTS = tuple(f"trade_{m}" for m in MODES)
"""trade_total is by construction the sum of these."""

FLOW_INDICATORS = _ids(kind="flow")
"""Indicators summed over months into a year; every other monthly indicator is a stock read at
the end of the month (for active_enterprises: firms active at any time so far this year)."""

RANKING_INDICATORS = _ids(source="ranking")
"""Yearly indicators of the national evaluation of the zone (keys of RankOutput.indicators)."""

OBSERVABLE = (*FLOW_INDICATORS, "active_enterprises", "employees", "development_rate")
"""Indicators an observations file may contain (in the order they are processed)."""


def indicator_unit(indicator: str) -> str:
    """Unit of a built-in indicator or family member; KeyError for anything else (scenario-defined
    programme counts carry their own unit)."""
    if indicator.startswith("leaders_"):
        return "count"
    if indicator.startswith("done_"):
        return "0/1"
    if indicator.startswith("rank_variant_"):
        return "rank"
    if indicator.startswith("peers_") and indicator.removeprefix("peers_") in PEER_STATISTICS:
        return PEER_STATISTICS[indicator.removeprefix("peers_")].unit
    return OUTCOMES[indicator].unit
