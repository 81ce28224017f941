"""Base-year statistics as the initial state (sim/model/initial.py, sim/analysis/base_year.py).

Exact tier: the initial firms reproduce every stated base-year figure; the apportioning of firm
counts; summary's base and growth_needed; base_year.csv. Statistical tier: fixing one figure
removes its variance and leaves the others'. Metamorphic tier: more base-year trade never lowers
a replication's trade, so never lowers P(trade targets).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import DATA, scenario
from test_scenario_errors import expect_error, write

from sim.analysis.base_year import base_year_table
from sim.analysis.targets import TargetSpec, summarise, target_specs
from sim.experiment import runner
from sim.experiment.executors import LocalExecutor
from sim.experiment.replication import params_of_rows
from sim.model import simulate
from sim.model.draws import Draws
from sim.model.initial import apportion, firm_totals
from sim.model.spec import spec_of
from sim.model.state import ZoneState
from sim.scenario.loader import load_scenario
from sim.vocabulary.outcomes import MODES

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"


def stated_scenario(patch: dict | None = None):
    """tests/data/tiny_base.toml (tiny.toml with stated base-year figures), ``patch`` merged."""
    return scenario("tiny_base.toml", patch)


def replications(sc, reps: int, seed: int = 5):
    params = params_of_rows(sc, seed, np.arange(reps))
    return params, [simulate(sc, p, Draws(seed, r)) for r, p in enumerate(params)]


# ----------------------------------------------------------------------------- exact


def test_apportion_sums_to_the_total_by_largest_remainder():
    assert apportion(np.array([1, 1, 1]), 10).tolist() == [4, 3, 3]
    assert apportion(np.array([0, 5, 15]), 7).tolist() == [0, 2, 5]
    assert apportion(np.array([0, 0]), 3).tolist() == [0, 0]
    rng = np.random.default_rng(1)
    for _ in range(50):
        w, n = rng.integers(0, 20, 6), int(rng.integers(0, 500))
        a = apportion(w, n)
        assert a.sum() == (n if w.sum() else 0) and (a >= 0).all()
        if w.sum():
            assert np.all(np.abs(a - w / w.sum() * n) < 1)


def test_initial_firms_reproduce_every_stated_figure_exactly():
    sc = stated_scenario()
    params, results = replications(sc, 30)
    for r, (p, res) in enumerate(zip(params, results, strict=True)):
        by = p["base_year"]
        z = ZoneState(spec_of(sc), p, Draws(5, r))
        firms = firm_totals(z.initial, z.cohort, z.spec, z.developed0_ha)  # what the firms add up to
        for k in ("trade_general", "trade_other", "industrial_output", "employees", "development_rate"):
            assert firms[k] == pytest.approx(by[k], rel=1e-12, abs=1e-12), k
            assert res.base[k] == by[k]  # and reported as stated
        assert firms["active_enterprises"] == 20 and res.base["fdi_usd"] == 150
        assert firms["trade_total"] == pytest.approx(sum(firms[f"trade_{m}"] for m in MODES), rel=1e-12)
        # the first months' trade is the base at the start-of-run level: the cohort's mode mix is used
        assert res.base["trade_total"] == pytest.approx(firms["trade_total"], rel=1e-12)
    # an unstated mode is what the drawn firms imply: it varies
    assert np.ptp([r.base["trade_processing"] for r in results]) > 0


def test_without_stated_figures_the_per_firm_mechanism_stays():
    sc = scenario("tiny.toml")
    params, results = replications(sc, 10)
    for p, res in zip(params, results, strict=True):
        n = sum(int(np.floor(v + 0.5)) for v in p["base_year"]["enterprises"].values())
        assert res.base["active_enterprises"] == n


def test_summary_base_and_growth_needed_and_base_year_csv(tmp_path):
    sc = stated_scenario({"base_year": {"trade_general": 4.0}})
    ind = runner.run_experiment(sc, 20, 3, executor=LocalExecutor(1))
    s = summarise(ind.column, target_specs(sc), ind.years, ind.base).set_index("target_id")
    for _tid, r in s.iterrows():
        if r["indicator"] == "trade_general":
            assert r["base"] == 4.0 and r["growth_needed"] == pytest.approx(r["threshold"] / 4.0 - 1)
        if r["indicator"] in ("all_targets",) or r["indicator"].startswith("done_"):
            assert np.isnan(r["base"]) and np.isnan(r["growth_needed"])
    t = base_year_table(ind, sc).set_index("indicator")
    assert t.loc["trade_general", "stated"] == "number" and t.loc["trade_general", "given"] == 4.0
    assert t.loc["industrial_output", "stated"] == "range"
    assert t.loc["trade_processing", "stated"] == "implied"
    assert (t["year"] == sc.run.years[0] - 1).all()


# ----------------------------------------------------------------------------- statistical


def test_fixing_one_figure_removes_its_variance_and_leaves_the_rest():
    free = stated_scenario()
    fixed = stated_scenario({"base_year": {"trade_general": 3.2}})
    R = 400
    _, a = replications(free, R)
    _, b = replications(fixed, R)
    g_free = np.array([r.base["trade_general"] for r in a])
    g_fixed = np.array([r.base["trade_general"] for r in b])
    assert g_fixed.var() == 0 and g_free.var() > 0
    # the others keep their own numbers (addressed by key path), so they are the same values (up to
    # rounding: an unstated mode's trade is rescaled by a / a), not just alike
    for k in ("industrial_output", "trade_processing", "employees", "active_enterprises"):
        assert np.allclose([r.base[k] for r in a], [r.base[k] for r in b], rtol=1e-12, atol=0), k
    # the first-year indicator loses about the variance of its start: Var(Y_free) - Var(Y_fixed)
    # is positive beyond 4 standard errors of the paired difference of squared deviations
    y_free = np.array([r.yearly["trade_general"][0] for r in a])
    y_fixed = np.array([r.yearly["trade_general"][0] for r in b])
    d = (y_free - y_free.mean()) ** 2 - (y_fixed - y_fixed.mean()) ** 2
    assert d.mean() > 4 * d.std(ddof=1) / np.sqrt(R), (d.mean(), d.std(ddof=1) / np.sqrt(R))


# ----------------------------------------------------------------------------- metamorphic


def test_more_base_year_trade_never_lowers_trade_or_its_probabilities():
    # a macro path, so that trade is random and a probability can lie strictly between 0 and 1
    macro = {"growth_per_year": {"dist": "normal", "mean": 0.05, "sd": 0.1}, "volatility_per_month": 0.05}
    lo = stated_scenario({"base_year": {"trade_general": 2.5}, "uncertainties": {"macro": macro}})
    hi = stated_scenario({"base_year": {"trade_general": 4.5}, "uncertainties": {"macro": macro}})
    R = 120
    ia = runner.run_experiment(lo, R, 11, executor=LocalExecutor(1))
    ib = runner.run_experiment(hi, R, 11, executor=LocalExecutor(1))
    for y in lo.run.years:
        for k in ("trade_general", "trade_total"):
            assert np.all(ib.column(k, y) >= ia.column(k, y) - 1e-9), (k, y)
    sa = summarise(ia.column, target_specs(lo), ia.years).set_index("target_id")
    sb = summarise(ib.column, target_specs(hi), ib.years).set_index("target_id")
    trade = [t for t in sa.index if sa.loc[t, "indicator"] in ("trade_general", "trade_total")]
    assert trade and all(sb.loc[t, "p_hit"] >= sa.loc[t, "p_hit"] for t in trade)
    # the scenario's own targets may be (nearly) certain either way; at the median of the lower
    # start the relation can fail, and the probability must rise (trade rises in every replication)
    mid = [
        TargetSpec(f"{k}_{y}", k, y, ">=", float(np.median(ia.column(k, y))), "亿元", "median")
        for y in lo.run.years
        for k in ("trade_general", "trade_total")
        if len(np.unique(ia.column(k, y))) > R // 2  # a random indicator (some are fixed in tiny_base)
    ]
    assert len(mid) >= 2
    ma = summarise(ia.column, mid, ia.years).set_index("target_id")
    mb = summarise(ib.column, mid, ib.years).set_index("target_id")
    for t in ma.index[~ma.index.str.startswith("ALL_")]:
        assert 0.4 <= ma.loc[t, "p_hit"] <= 0.6, t
        assert mb.loc[t, "p_hit"] > ma.loc[t, "p_hit"], (t, ma.loc[t, "p_hit"], mb.loc[t, "p_hit"])


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "patch, words",
    [
        ("[base_year]\ntrade_cbec = 3\n", ("base_year.trade_cbec", "no sector")),
        ("[base_year]\ndevelopment_rate = 30\n[initial_state]\ndeveloped_area_ha = 5\n", ("exactly one",)),
        ("[base_year]\ndevelopment_rate = 130\n", ("base_year.development_rate", "[0, 100]")),
        ("[base_year]\ntrade_total = 30\n", ("base_year", "trade_total")),
    ],
)
def test_bad_base_year_figures_are_named(tmp_path, capsys, patch, words):
    p = write(tmp_path, "bad.toml", f'extends = "{(DATA / "tiny_base.toml").as_posix()}"\n' + patch)
    expect_error(capsys, ["validate", str(p)], *words)


def test_baseline_starts_below_every_2022_target_it_states():
    """The plan calls its 2022 figures 力争 targets of 大幅增长: the baseline's start lies below each."""
    sc = load_scenario(str(BASELINE)).scenario
    given = sc.base_year.given()
    for t in target_specs(sc):
        if t.year == 2022 and t.indicator in given:
            assert given[t.indicator].support[1] < t.threshold, t.target_id


# ----------------------------------------------------------------------------- observations


def _observations(tmp_path, rows: list[str]):
    p = tmp_path / "obs.csv"
    p.write_text("month,indicator,value,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def test_a_complete_base_year_in_the_observations_states_its_figures(tmp_path):
    rows = [f"2021-{m:02d},trade_general,{3.0 + m / 10:g},亿元" for m in range(1, 13)]
    rows += ["2021-06,employees,9000,persons", "2021-12,employees,9800,persons", "2022-01,trade_general,4.1,亿元"]
    p = _observations(tmp_path, rows)
    ls = load_scenario(str(BASELINE), [f'observations.file="{p.as_posix()}"'])
    sc = ls.scenario
    assert sc.base_year.trade_general.value == pytest.approx(36 + 7.8)  # the 12 months' sum
    assert sc.base_year.employees.value == 9800  # a stock: its December
    assert sc.observations.base_year == {"trade_general": pytest.approx(43.8), "employees": 9800.0}
    assert list(sc.observations.values["trade_general"]) == ["2022-01"]  # the run's months only
    ind = runner.run_experiment(sc, 4, 1, executor=LocalExecutor(1))
    t = base_year_table(ind, sc).set_index("indicator")
    assert t.loc["trade_general", "stated"] == "observed" and t.loc["trade_general", "p50"] == pytest.approx(43.8)


@pytest.mark.parametrize(
    "rows, words",
    [
        (["2021-11,trade_general,3,亿元", "2021-12,trade_general,3,亿元"], ("trade_general", "2 of the 12 months")),
        (["2021-06,employees,9000,persons"], ("employees", "2021-12")),
        (["2021-12,trade_total,40,亿元"], ("trade_total", "cannot state")),
        (["2020-12,trade_general,3,亿元"], ("2020-12", "outside the base year")),
    ],
)
def test_an_incomplete_base_year_in_the_observations_is_named(tmp_path, capsys, rows, words):
    p = _observations(tmp_path, [*rows, "2022-01,trade_general,4,亿元"])
    expect_error(capsys, ["validate", str(BASELINE), "--set", f'observations.file="{p.as_posix()}"'], "obs.csv", *words)
