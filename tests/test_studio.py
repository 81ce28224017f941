"""The studio's parts without a browser: controls, saved what-ifs and progressive answers (cancelling: test_studio_cancel.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sim
from sim.experiment.levers import lever_ids
from sim.scenario import ScenarioError
from sim.studio import actions
from sim.studio.controls import EDITABLE_SECTIONS, changes, controls, section_controls
from sim.studio.growth_cells import with_growth
from sim.studio.progressive import WhatIfRunner, schedule

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


@pytest.fixture(scope="module")
def base():
    return sim.load_scenario(BASELINE)


def test_a_control_for_every_lever_within_its_range(base):
    cs = {c.key: c for c in controls(base)}
    assert [k.removeprefix("levers.") for k in cs if k.startswith("levers.")] == lever_ids(base.scenario)
    ev = cs["levers.promotion_events_per_year"]
    assert ev.kind == "count" and ev.step == 1 and ev.low == 0 and ev.value == 2
    assert cs["levers.infrastructure_funding"].kind == "factor" and cs["levers.infrastructure_funding"].low > 0
    site = cs["levers.milestone_month.cbec_site"]
    assert site.kind == "month" and site.value in site.choices and "2022-03" in site.choices


def test_every_base_year_figure_gets_a_box_that_states_it(base):
    """Every figure of [base_year], a number or a range, gets a box showing its median; typing a
    number states the figure, leaving the median keeps the range."""
    keys = {c.key: c for c in section_controls(base, EDITABLE_SECTIONS)}
    want = {f"base_year.{k}" for k in base.scenario.base_year.given()} | {
        f"base_year.enterprises.{s}" for s in base.scenario.base_year.enterprises
    }
    assert set(keys) == want
    general = keys["base_year.trade_general"]
    assert general.value == pytest.approx(base.scenario.base_year.trade_general.ppf(0.5), abs=1e-4)
    assert "26–50" in general.label("en") and "一般贸易" in general.label("zh")
    values = {c.input_id: c.value for c in keys.values()}
    assert changes(list(keys.values()), values) == {}
    values[general.input_id] = "55"
    assert changes(list(keys.values()), values) == {"base_year.trade_general": 55}
    sim.load_scenario(BASELINE, {"base_year.trade_general": 55})  # a valid what-if


def test_changes_are_only_what_differs(base):
    cs = controls(base)
    ids = {c.key: c.input_id for c in cs}
    values = {c.input_id: c.value for c in cs}
    assert changes(cs, values) == {}
    values[ids["levers.promotion_events_per_year"]] = 4
    values[ids["levers.milestone_month.cbec_site"]] = "2022-03"
    values[ids["levers.infrastructure_funding"]] = None  # a box being typed in: ignored
    assert changes(cs, values) == {"levers.promotion_events_per_year": 4, "levers.milestone_month.cbec_site": "2022-03"}


def test_save_as_scenario_extends_the_base_with_only_the_changes(base, tmp_path):
    what_if = {"levers.promotion_events_per_year": 4, "levers.milestone_month.cbec_site": "2022-03"}
    path = actions.save_scenario(base, "early_site", what_if, tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "extends = " in text and 'cbec_site = "2022-03"' in text and "infrastructure_funding" not in text
    saved = sim.load_scenario(path)
    same = sim.load_scenario(
        BASELINE,
        overrides={
            **what_if,
            "scenario.name": "early_site",
            "scenario.description": saved.scenario.scenario.description,
        },
    )
    assert saved.scenario.model_dump(exclude={"extends"}) == same.scenario.model_dump(exclude={"extends"})
    with pytest.raises(ScenarioError, match="name"):
        actions.save_scenario(base, "../x", what_if, tmp_path)
    with pytest.raises(ScenarioError, match="nothing changed"):
        actions.save_scenario(base, "same", {}, tmp_path)


def test_schedule_grows_to_the_maximum():
    assert schedule(2000) == [200, 1000, 1800, 2000]
    assert schedule(300) == [200, 300] and schedule(150) == [150]


@pytest.mark.slow
def test_progressive_answer_equals_sim_run_after_a_change():
    """The answer after two quick changes is the second's, equal to sim.run; that the first stops
    publishing is observed in tests/test_studio_cancel.py."""
    r = WhatIfRunner(BASELINE, seed=11, max_reps=600, workers=2, first=200)
    try:
        first = r.submit({"levers.promotion_events_per_year": 6})
        what_if = {"levers.promotion_events_per_year": 5, "levers.milestone_month.cbec_site": "2022-03"}
        second = r.submit(what_if)
        s = r.wait(300)
        assert second == first + 1 and s.job == second and s.done and s.reps == 600 and s.error is None
        res = sim.run(sim.load_scenario(BASELINE, overrides=what_if), reps=600, seed=11, workers=1, monthly=False)
        p = res.summary.set_index("target_id")["p_hit"]
        assert np.array_equal(s.table["p"].to_numpy(), p[s.table["target_id"]].to_numpy())
        ref = sim.run(BASELINE, reps=600, seed=11, workers=1, monthly=False)
        assert s.table.equals(with_growth(res.difference(ref), res.targets()))
        g = res.summary.set_index("target_id").loc[s.table["target_id"], "yoy_growth_p50"].to_numpy()
        assert np.array_equal(s.table["yoy_growth_p50"].to_numpy(), g, equal_nan=True)
        r.submit({"levers.promotion_events_per_year": -1})
        bad = r.wait(60)
        assert bad.error and "promotion_events_per_year" in bad.error and bad.table is None
    finally:
        r.close()
