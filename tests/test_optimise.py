"""Goal seek (``optimise``): lever costs, goals, the cost front, the search and its verification.

The search is checked on ``tests/data/tiny_goal.toml``, whose optimum is known in closed form:
each of k e-commerce leader candidates signs with probability 1/2, so P(at least one) = 1 - 2^-k
and the goal ``anchor_2023 >= 0.8`` is first met at k = 3 (cost 20); the other searched lever
moves nothing the goal counts.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import expect_error

from sim.analysis.front import cheapest_feasible, closest, cost_front, margins
from sim.cli import main
from sim.experiment import optimise as opt
from sim.experiment.executors import LocalExecutor
from sim.report.studies.goal_seek import read_goal_seek, summary_text, write_goal_seek
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.levers import LeverCosts
from sim.vocabulary.levers import LEVERS

ROOT = Path(__file__).resolve().parents[1]
GOAL = ROOT / "tests" / "data" / "tiny_goal.toml"
TINY = ROOT / "tests" / "data" / "tiny.toml"
BASELINE = ROOT / "scenarios" / "baseline.toml"


def test_lever_costs_cover_every_lever_kind():
    assert set(LeverCosts.model_fields) == set(LEVERS) | {"budget"}
    sc = load_scenario(BASELINE).scenario
    assert all(sc.lever_costs.unit(g) > 0 for g in LEVERS)


@pytest.mark.parametrize(
    "override", ["lever_costs.per_event=3", "lever_costs.project_month=-1", "lever_costs.budget=-5"]
)
def test_lever_costs_are_validated(override):
    with pytest.raises(ScenarioError, match="lever_costs"):
        load_scenario(GOAL, [override])


def test_dials_cover_the_effort_side_of_each_range_and_cost_adds_up():
    ls = load_scenario(GOAL)
    ds = {d.lever.id: d for d in opt.dials(ls)}
    assert set(ds) == {"leader_candidates.anchor", "milestone_month.late"}
    a, m = ds["leader_candidates.anchor"], ds["milestone_month.late"]
    assert (a.start, a.step, a.steps) == (1, 1, 4)
    assert (m.start, m.step, m.steps) == (24, -1, 6)  # from the plan's 2023-12 back to 2023-06
    assert opt.package_cost([a, m], [3, 22]) == 2 * 10 + 2 * 2
    assert opt.package_cost([a, m], [1, 24]) == 0


def test_baseline_searches_at_least_six_levers():
    assert len(opt.dials(load_scenario(BASELINE))) >= 6


def test_goal_parsing():
    ls = load_scenario(GOAL)
    assert opt.parse_goal("anchor_2023>=0.8", ls) == opt.Goal("anchor_2023", 0.8)
    assert opt.parse_goal(" trade_2023 >= 0.25 ", ls) == opt.Goal("trade_2023", 0.25)


@pytest.mark.parametrize(
    "extra,fragment",
    [
        (["--goal", "anchor_2023=0.8"], "expected TARGET_ID>=PROBABILITY"),
        (["--goal", "nope_2023>=0.8"], "not a target"),
        (["--goal", "anchor_2023>=1.2"], "strictly between 0 and 1"),
        (["--goal", "anchor_2023>=0"], "strictly between 0 and 1"),
        (["--goal", "anchor_2023>=0.8", "--budget", "-3"], "--budget"),
        (["--goal", "anchor_2023>=0.8", "--verify-seed", "7"], "must differ"),
        (["--goal", "anchor_2023>=0.8", "--levers", "promotion_events_per_year"], "--levers"),
    ],
)
def test_bad_input_exits_2_in_one_line(capsys, tmp_path, extra, fragment):
    expect_error(capsys, ["optimise", str(GOAL), *extra, "--out", str(tmp_path / "o"), "-q"], fragment)


def test_a_scenario_without_costs_is_refused(capsys, tmp_path):
    expect_error(
        capsys,
        ["optimise", str(TINY), "--goal", "trade_2023>=0.5", "--out", str(tmp_path / "o"), "-q"],
        "[lever_costs]",
    )


def test_front_is_monotone_and_choices_follow_margins():
    rng = np.random.default_rng(3)
    cost = rng.integers(0, 20, 200).astype(float)
    p = rng.uniform(size=(200, 2))
    m = margins(p, np.array([0.6, 0.7]))
    f = cost_front(cost, m)
    assert np.all(np.diff(cost[f]) >= 0) and np.all(np.diff(m[f]) > 0)
    for i in set(range(len(cost))) - set(f.tolist()):  # every candidate off the front is dominated by one on it
        assert any(cost[j] <= cost[i] and m[j] >= m[i] for j in f)
    best = cheapest_feasible(cost, m)
    assert m[best] >= 0 and cost[best] == cost[m >= 0].min()
    assert cheapest_feasible(cost, m - 10) is None
    assert m[closest(cost, m)] == m.max()


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    ls = load_scenario(GOAL)
    roots = []
    real = opt.evaluate

    def spy(design, *a, **k):
        roots.extend({p.root for p in design.points})
        return real(design, *a, **k)

    opt.evaluate = spy
    try:
        g = opt.optimise(
            ls,
            [opt.Goal("anchor_2023", 0.8)],
            reps=400,
            seed=7,
            trials=14,
            verify_reps=1000,
            verify_seed=8,
            executor=LocalExecutor(2),
            progress=False,
        )
    finally:
        opt.evaluate = real
    out = tmp_path_factory.mktemp("goal")
    write_goal_seek(g, out, langs=("en",))
    return g, out, roots


@pytest.mark.slow
def test_search_finds_the_closed_form_optimum(found):
    g, _, _ = found
    assert g.feasible and g.holds
    assert g.package() == {"leader_candidates.anchor": 3.0, "milestone_month.late": 24.0}
    assert g.trials.loc[g.chosen, "cost"] == 20
    ev = g.trials[g.trials["evaluated"]]
    exact = 1 - 0.5 ** ev["leader_candidates.anchor__num"]
    assert np.all(np.abs(ev["p__anchor_2023"] - exact) < 4 * np.sqrt(exact * (1 - exact) / g.reps))
    v = g.verified.iloc[0]
    assert v["ci_low"] <= 0.875 <= v["ci_high"]
    assert "The cheapest package found" in summary_text(g, "en") and "最低成本组合" in summary_text(g, "zh")


@pytest.mark.slow
def test_verification_uses_a_disjoint_seed(found):
    g, _, roots = found
    assert roots[-1] == g.verify_seed == 8 and set(roots[:-1]) == {g.seed} == {7}


@pytest.mark.slow
def test_front_of_the_search_is_monotone(found):
    _g, out, _ = found
    front = pd.read_csv(out / "pareto.csv")
    assert np.all(np.diff(front["cost"]) >= 0) and np.all(np.diff(front["p__anchor_2023"]) > 0)
    assert {"ci_low__anchor_2023", "ci_high__anchor_2023"} <= set(front.columns)


@pytest.mark.slow
def test_written_scenario_validates_and_reproduces_the_verification(found, capsys):
    g, out, _ = found
    rec = out / "recommended.toml"
    assert main(["validate", str(rec)]) == 0
    assert main(["run", str(rec), "--workers", "2", "-q", "--no-report", "--out", str(out / "run")]) == 0
    s = pd.read_csv(out / "run" / "summary.csv").set_index("target_id")
    v = g.verified.iloc[0]
    assert s.loc["anchor_2023", "n_reps"] == v["n_reps"] and s.loc["anchor_2023", "hits"] == v["hits"]


@pytest.mark.slow
def test_a_written_folder_reads_back_for_the_pack(found):
    g, out, _ = found
    got = read_goal_seek(out)
    assert (
        got["summary"]["en"].startswith("Goal seek")
        and got["verification"]["hits"].iloc[0] == g.verified["hits"].iloc[0]
    )
    assert got["charts"]["en"].is_file() and got["manifest"]["experiment"] == "optimise"


@pytest.mark.slow
def test_the_pack_shows_a_goal_seek_in_both_languages(tmp_path, capsys):
    """`report --goal-seek DIR` puts the goal seek's summary and verified odds in each language's report;
    a folder that is not a goal seek is refused in one line before anything is built."""
    gs, run = tmp_path / "gs", tmp_path / "run"
    assert (
        main(
            [
                "optimise",
                str(GOAL),
                "--goal",
                "anchor_2023>=0.8",
                "--trials",
                "4",
                "--reps",
                "50",
                "--verify-reps",
                "100",
                "--out",
                str(gs),
                "-q",
            ]
        )
        == 0
    )
    assert main(["run", str(GOAL), "--reps", "20", "--out", str(run), "--no-report", "-q"]) == 0
    assert main(["report", str(run), "--goal-seek", str(gs)]) == 0
    v = pd.read_csv(gs / "verification.csv")
    for lang, heading in (("en", "Goal seek: the cheapest package"), ("zh", "目标搜索：达到目标的最低成本组合")):
        html = (run / "report" / f"report_{lang}.html").read_text(encoding="utf-8")
        first = (gs / f"summary_{lang}.txt").read_text(encoding="utf-8").split("\n")[0]
        assert heading in html and escape(first.split(":")[0].split("：")[0]) in html
        assert f"{100 * v['p_hit'].iloc[0]:.1f}%" in html
    capsys.readouterr()
    expect_error(capsys, ["report", str(run), "--goal-seek", str(run)], "not a goal-seek results folder")
    expect_error(
        capsys,
        ["run", str(GOAL), "--reps", "5", "--out", str(tmp_path / "x"), "--goal-seek", str(run)],
        "not a goal-seek results folder",
    )
    assert not (tmp_path / "x").exists()
