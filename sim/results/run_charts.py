"""A run's own charts: ``charts/p_targets_<lang>.png`` of its results folder.

Apart from :mod:`sim.results.files` because it imports matplotlib (through :mod:`sim.report.charts`),
which writing a run's tables does not need: a run draws its charts in child processes, one per
language at once, and those load this module by name (:data:`sim.results.files.CHARTS_MODULE`), so
the run's own process never pays for matplotlib.
"""

from __future__ import annotations

from pathlib import Path

from sim.report import charts
from sim.results.files import CHART_LANGS


def run_chart(out: Path, sc, seed, summary, run_date: str, lang: str) -> None:
    """charts/p_targets_<lang>.png of the results folder ``out``."""
    zone = sc.scenario.zone_zh if lang == "zh" else sc.scenario.zone
    fig = charts.probability_chart(
        summary, sc, lang, zone=zone, scenario_name=sc.scenario.name, seed=seed, run_date=run_date
    )
    charts.save(fig, out / "charts" / f"p_targets_{lang}.png")


def run_charts(out: Path, sc, seed, summary, run_date: str) -> None:
    """charts/p_targets_<lang>.png of the results folder, every language, in this process."""
    for lang in CHART_LANGS:
        run_chart(out, sc, seed, summary, run_date, lang)
