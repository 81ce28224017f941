"""The reference band of yearly trade growth is computed from the table shipped as data
(scenarios/catalogue/reference_growth.csv), and every row of that table carries its source."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.growth import REFERENCE_GROWTH, band_of, reference_band, reference_table


def test_band_is_computed_from_the_table():
    t = reference_table()
    b = reference_band()
    g = np.sort(t["growth"].to_numpy(float))
    assert b.n == len(t) and b.zones == t["scope"].nunique() and b.single == int((t["kind"] == "zone").sum())
    assert b.low == pytest.approx(np.quantile(g, 0.1)) and b.high == pytest.approx(np.quantile(g, 0.9))
    assert (b.lowest, b.highest) == (g[0], g[-1])
    assert (b.first, b.last) == (int(t["year"].min()), int(t["year"].max()))


def test_changing_the_table_changes_the_band(tmp_path):
    """The band is data: a row more moves it, and a scenario-independent copy of the file gives it."""
    t = reference_table()
    extra = pd.concat([t, t.iloc[[0]].assign(scope="X综合保税区", kind="zone", year=2030, growth=5.0)])
    assert band_of(extra).highest == 5.0 and band_of(extra).n == len(t) + 1
    p = tmp_path / "r.csv"
    extra.to_csv(p, index=False)
    assert band_of(reference_table(p)) == band_of(extra)


def test_every_row_has_a_source_and_a_plausible_growth():
    t = reference_table()
    assert t["source_url"].str.startswith("http").all()
    assert (t.loc[t["basis"] == "previous_year", "previous_source_url"].str.startswith("http")).all()
    assert t["kind"].isin(["zone", "province_total", "national_total"]).all()
    assert ((t["growth"] > -1) & (t["growth"] < 5)).all()
    assert REFERENCE_GROWTH.read_text(encoding="utf-8").startswith("# Observed yearly")


def test_position_of_a_growth():
    b = reference_band()
    assert b.position(b.highest + 0.01) == "above_all"
    assert b.position((b.high + b.highest) / 2) in ("above_band", "above_all")
    assert b.position(b.median) == "in_band"
    assert b.position(b.low - 0.01) == "below_band"
    assert b.position(float("nan")) == ""


def test_terminal_line_gives_growth_and_band():
    from sim.cli.run import _growth_text

    b = reference_band()
    row = {
        "indicator": "trade_total",
        "year": 2023,
        "threshold": 200.0,
        "base": 80.0,
        "growth_needed": 1.5,
        "yoy_growth_p10": -0.04,
        "yoy_growth_p50": 0.12,
        "yoy_growth_p90": 0.35,
    }
    row["growth_needed_yearly"] = b.highest + 0.1  # above every observed zone-year
    line = _growth_text(row, 2021)
    assert "needs +150%" in line and f"({b.highest + 0.1:+.0%} a year)" in line
    assert "median year-on-year growth +12% (10–90%: -4% to +35%)" in line
    assert f"the growth needed a year is more than any real zone has shown (highest {b.highest:+.0%})" in line
    row.update(indicator="active_enterprises", year=2022)
    line = _growth_text(row, 2021)
    assert "a year" not in line.split(";")[0] and "real zone" not in line
