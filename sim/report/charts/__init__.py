"""The pack's chart set in one namespace: every chart kind the meeting pack draws, with the
footnote facts (:class:`ChartMeta`) and the output (:func:`render`, :func:`save`) they share.

The charts live in :mod:`sim.report.charts.targets` (P(hit) of the targets),
:mod:`sim.report.charts.values` (an indicator's values) and :mod:`sim.report.charts.base` (look and
output); the pack and the ``run`` command draw through this module.
"""

from __future__ import annotations

from sim.report.charts.base import ChartMeta, render, save, target_label
from sim.report.charts.targets import probability_chart, time_to_target_chart
from sim.report.charts.values import exceedance_chart, fan_chart, rank_chart

__all__ = [
    "ChartMeta",
    "exceedance_chart",
    "fan_chart",
    "probability_chart",
    "rank_chart",
    "render",
    "save",
    "target_label",
    "time_to_target_chart",
]
