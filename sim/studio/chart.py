"""The studio's chart: the pack's target-probability chart (``sim.report.charts.targets``) with the
base's and the what-if's bars side by side, each with its 95% interval, drawn from the answer table."""

from __future__ import annotations

import datetime

import pandas as pd

from sim.report.charts.base import render
from sim.report.charts.targets import probability_chart
from sim.studio.texts import t

SCREEN_DPI = 100
"""The page shows the chart at its natural size on a screen: 1000 pixels wide."""

_SPEC = ["target_id", "indicator", "year", "op", "threshold", "unit", "active"]


def chart_png(table: pd.DataFrame, scenario, lang: str, zone: str, name: str, seed: int) -> bytes:
    """The chart of an answer table (``sim.studio.answer.answer_table``) as PNG bytes."""
    n_base, n = int(table["n_base"].max()), int(table["n_reps"].max())
    base = table[_SPEC].assign(
        n_reps=n_base, p_hit=table["p_ref"], ci_low=table["p_ref_low"], ci_high=table["p_ref_high"]
    )
    what_if = table[_SPEC].assign(n_reps=n, p_hit=table["p"], ci_low=table["p_low"], ci_high=table["p_high"])
    fig = probability_chart(
        base,
        scenario,
        lang,
        zone=zone,
        scenario_name=name,
        seed=seed,
        run_date=datetime.date.today().isoformat(),
        interval=t("chart_interval", lang, n=n, n_base=n_base),
        what_if=what_if,
    )
    return render(fig, ("png",), dpi=SCREEN_DPI, png_level=1)["png"]
