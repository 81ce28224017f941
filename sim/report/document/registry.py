"""The pack's charts, declared once: each kind with what one chart of it is about, how it is drawn
from a results folder, and where it goes (a section of the HTML and PDF report, a deck slide).

The pack draws every chart listed here (:func:`make_charts`), the report places each in its
section (:func:`placed`) and the deck on its slide (:func:`slide_charts`); nothing else names a
chart key. A new chart is its function (tables in, a Figure out, in ``sim/report/charts/``) and
one :class:`Chart` entry in :data:`CHARTS`; a new section or slide also needs its words in
``compose.py`` or ``deck/content.py``.

A chart's key is its kind's ``name``, followed by ``_<item>`` when the kind has one chart per
item (an indicator, a year, a target group, the number of a compared folder); its files are
``charts/<key>_<lang>.png``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from sim.report.charts.base import ChartMeta, target_label
from sim.report.charts.slides import group_chart, paired_chart
from sim.report.charts.targets import probability_chart, time_to_target_chart
from sim.report.charts.values import exceedance_chart, fan_chart, rank_chart
from sim.report.document.pairs import pair_table
from sim.report.document.sections import group_parts, indicator_order, year_label
from sim.report.texts.labels import short_indicator_label
from sim.report.texts.words import text
from sim.results import Results
from sim.vocabulary.outcomes import FLOW_INDICATORS, OUTCOMES, RANKING_INDICATORS

Item = str | int | None
"""What one chart of a kind is about; None for a kind drawn once."""

RANK_INDICATORS = tuple(i for i in RANKING_INDICATORS if OUTCOMES[i].unit == "rank")
"""The zone's national and regional rank (charted as distributions of places)."""


@dataclass(frozen=True)
class Chart:
    """One kind of pack chart.

    ``items(res, others)``: the items to draw, in order (only those the folder has data for);
    ``draw(res, others, lang, meta, item)``: the Figure, or None when there is nothing to show;
    ``section``: the id of the report section (HTML and PDF) that shows it, "" for none;
    ``slide``: the key of the deck slide that shows it (``{item}`` filled in), "" for none."""

    name: str
    items: Callable[[Results, Sequence[Results]], Iterable[Item]]
    draw: Callable[[Results, Sequence[Results], str, ChartMeta, Item], Figure | None]
    section: str = ""
    slide: str = ""

    def key(self, item: Item) -> str:
        """The chart's key (its files are ``charts/<key>_<lang>.png``)."""
        return self.name if item is None else f"{self.name}_{item}"

    def keys(self, res: Results, others: Sequence[Results]) -> list[tuple[str, Item]]:
        """(key, item) of every chart of this kind for ``res``, in order."""
        return [(self.key(i), i) for i in self.items(res, others)]


def chart_meta(res: Results, lang: str) -> ChartMeta:
    """The footnote facts every chart of ``res`` carries."""
    return ChartMeta(res.zone(lang), res.title(lang), res.reps, res.seed, res.run_date, res.interval(lang))


# ----------------------------------------------------------------------------- items


def _once(res: Results, others: Sequence[Results]) -> list[Item]:
    return [None]


_SPLIT: dict[int, tuple[pd.DataFrame, dict]] = {}
"""indicators.csv split by indicator, by the id of the table (held, so the id stays its own): the
charts' items and drawings ask for one indicator's values about fifty times a language."""


def _values_of(res: Results, name: str):
    ind = res.indicators
    if ind is None:
        return None
    held = _SPLIT.get(id(ind))
    if held is None or held[0] is not ind:
        if len(_SPLIT) >= 4:
            _SPLIT.clear()
        parts = {k: d[["year", "value"]] for k, d in ind.groupby("indicator", sort=False, observed=True)}
        held = _SPLIT[id(ind)] = (ind, parts)
    values = held[1].get(name)
    return ind.iloc[:0][["year", "value"]] if values is None else values


def _with_values(res: Results, others: Sequence[Results]) -> list[Item]:
    return [n for n in indicator_order(res) if (v := _values_of(res, n)) is not None and len(v)]


def _with_months(res: Results, others: Sequence[Results]) -> list[Item]:
    m = res.monthly
    return [] if m is None else [n for n in indicator_order(res) if (m["indicator"] == n).any()]


def _ttt_targets(res: Results, year: int):
    """The targets of ``year`` that time_to_target.csv has (none without the file)."""
    t = res.targets()
    have = set() if res.ttt is None else set(res.ttt["target_id"])
    return t[(t["year"] == year) & t["target_id"].isin(have)]


def _ttt_years(res: Results, others: Sequence[Results]) -> list[Item]:
    return [y for y in res.years if len(_ttt_targets(res, y))]


def _ranks(res: Results, others: Sequence[Results]) -> list[Item]:
    return [n for n in RANK_INDICATORS if (v := _values_of(res, n)) is not None and len(v)]


def _groups(res: Results, others: Sequence[Results]) -> list[Item]:
    return [g for g, _ in group_parts(res)]


def _compared(res: Results, others: Sequence[Results]) -> list[Item]:
    return list(range(1, len(others) + 1))


def _national_rank(res: Results, others: Sequence[Results]) -> list[Item]:
    return [None] if "rank" in _ranks(res, others) else []


# ----------------------------------------------------------------------------- drawing


def _p_targets(res: Results, others: Sequence[Results], lang: str, meta: ChartMeta, item: Item) -> Figure:
    return probability_chart(
        res.summary,
        res.resolved,
        lang,
        zone=meta.zone,
        scenario_name=res.title(lang),
        seed=res.seed,
        run_date=res.run_date,
        interval=meta.interval,
    )


def _unit(res: Results, name: str) -> tuple:
    t = res.targets()
    t = t[t["indicator"] == name]
    return t, str(t["unit"].iloc[0]) if len(t) else ""


def _exceedance(res: Results, others: Sequence[Results], lang: str, meta: ChartMeta, item: Item) -> Figure:
    name = str(item)
    t, unit = _unit(res, name)
    return exceedance_chart(_values_of(res, name), t, name, lang, meta, res.resolved, unit)


def _fan(res: Results, others: Sequence[Results], lang: str, meta: ChartMeta, item: Item) -> Figure | None:
    name = str(item)
    t, unit = _unit(res, name)
    months = res.monthly
    if months is None:
        return None
    m = months[months["indicator"] == name]
    return fan_chart(m, t, name, lang, meta, res.resolved, unit, cumulative=name in FLOW_INDICATORS)


def _ttt(res: Results, others: Sequence[Results], lang: str, meta: ChartMeta, item: Item) -> Figure:
    year = int(item or 0)
    t = _ttt_targets(res, year)
    labels = {}
    for _, r in t.iterrows():
        lab = target_label(r.to_dict() | {"active": True}, lang, res.resolved)
        if not r["active"]:
            lab += text("inactive_short", lang)
        if r["unit"] == "0/1":
            lab = short_indicator_label(r["indicator"], lang, res.resolved)
        labels[r["target_id"]] = lab
    p = dict(zip(t["target_id"], zip(t["p_hit"], t["ci_low"], t["ci_high"], strict=True), strict=True))
    return time_to_target_chart(res.ttt, labels, p, year, lang, meta)


def _rank(res: Results, others: Sequence[Results], lang: str, meta: ChartMeta, item: Item) -> Figure:
    name = str(item)
    t, _ = _unit(res, name)
    return rank_chart(_values_of(res, name), t, name, lang, meta, res.resolved)


def _group(res: Results, others: Sequence[Results], lang: str, meta: ChartMeta, item: Item) -> Figure:
    d = dict(group_parts(res))[str(item)]
    return group_chart(d, [year_label(r, lang, res) for _, r in d.iterrows()], lang, meta)


def _pair(res: Results, others: Sequence[Results], lang: str, meta: ChartMeta, item: Item) -> Figure | None:
    o = others[int(item or 0) - 1]
    tab = pair_table(res, o)
    if not len(tab):
        return None
    labels = [year_label(r, lang, res) for _, r in tab.iterrows()]
    paired = bool(tab["paired"].iloc[0])
    return paired_chart(tab, labels, lang, meta, paired=paired, other=o.title(lang), ref=res.title(lang))


def _slide_rank(res: Results, others: Sequence[Results], lang: str, meta: ChartMeta, item: Item) -> Figure:
    t, _ = _unit(res, "rank")
    return rank_chart(_values_of(res, "rank"), t, "rank", lang, meta, res.resolved, slide=True)


# ----------------------------------------------------------------------------- the registry

CHARTS: tuple[Chart, ...] = (
    Chart("p_targets", _once, _p_targets, section="overview"),
    Chart("exceedance", _with_values, _exceedance, section="indicators"),
    Chart("fan", _with_months, _fan, section="indicators"),
    Chart("ttt", _ttt_years, _ttt, section="ttt"),
    Chart("rank", _ranks, _rank, section="rank"),
    Chart("slide_group", _groups, _group, slide="group_{item}"),
    Chart("slide_pair", _compared, _pair, section="compare", slide="compare_{item}"),
    Chart("slide_rank", _national_rank, _slide_rank, slide="rank"),
)
"""Every chart of the pack, in drawing order."""


def kind_of(key: str) -> Chart | None:
    """The kind of chart a key names (the longest matching name), or None."""
    found = [c for c in CHARTS if key == c.name or key.startswith(c.name + "_")]
    return max(found, key=lambda c: len(c.name), default=None)


def make_charts(
    res: Results, lang: str, others: Sequence[Results] = (), only=None, share: tuple[int, int] = (0, 1)
) -> Iterator[tuple[str, Figure]]:
    """Every chart of the pack for one language: yields (key, Figure), one figure at a time.

    ``only``: a collection of chart keys to make (default: all). ``share`` = (k, n): of those,
    only the k-th, (k+n)-th, ... in order, so that n jobs share the charts of a language."""
    meta = chart_meta(res, lang)
    n = 0
    for chart in CHARTS:
        for key, item in chart.keys(res, others):
            if only is not None and key not in only:
                continue
            n += 1
            if (n - 1) % share[1] != share[0]:
                continue
            fig = chart.draw(res, others, lang, meta, item)
            if fig is not None:
                yield key, fig


def placed(section: str, res: Results, others: Sequence[Results] = ()) -> list[tuple[str, Item]]:
    """(key, item) of every chart the report shows in ``section``, in order."""
    return [k for c in CHARTS if c.section == section for k in c.keys(res, others)]


def slide_charts(res: Results, others: Sequence[Results] = ()) -> dict[str, str]:
    """The chart key of each deck slide that shows one: slide key -> chart key."""
    return {c.slide.format(item=i): k for c in CHARTS if c.slide for k, i in c.keys(res, others)}
