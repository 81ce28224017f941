"""Policy levers: catalogue, paired intervals, sweeps, Sobol machinery, PRIM rules, CLI.

Statistical checks use synthetic cases with a known answer (paired proportions, the Ishigami
function, a planted rule); model checks use the baseline with a handful of replications.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.paired import independent_diff_ci, paired_diff_ci, phi_paired
from sim.analysis.sobol import saltelli_matrices
from sim.cli import main
from sim.experiment import runner
from sim.experiment.executors import LocalExecutor
from sim.experiment.levers import catalogue, find, parse_grid, ranged, toml_value, with_levers
from sim.experiment.sensitivity import Design, by_setting, make_factors, sobol_rows, varied_paths
from sim.months import month_end, month_of_end
from sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


@pytest.fixture(scope="module")
def base():
    return load_scenario(BASELINE)


# ----------------------------------------------------------------------------- catalogue


def test_catalogue_covers_every_lever_key(base):
    sc = base.scenario
    ids = {lv.id for lv in catalogue(sc)}
    want = {
        "promotion_events_per_year",
        "infrastructure_funding",
        *(f"project_month.{k}" for k in sc.levers.project_month),
        *(f"milestone_month.{k}" for k in sc.levers.milestone_month),
        *(f"leader_candidates.{k}" for k in sc.levers.leader_candidates),
    }
    assert ids == want
    for lv in catalogue(sc):
        assert lv.plan_task, f"{lv.id} has no plan task"
        assert lv.moves and lv.meaning


@pytest.mark.parametrize(
    "lid,value",
    [
        ("promotion_events_per_year", 5),
        ("infrastructure_funding", 1.3),
        ("milestone_month.cbec_site", "2022-09"),
        ("project_month.logistics_park", "2022-11"),
        ("leader_candidates.cbec", 4),
    ],
)
def test_with_levers_equals_set_override(base, lid, value):
    """Applying a lever makes exactly the scenario `--set levers.<id>=<value>` makes."""
    lv = find(base.scenario, lid)
    num = month_end(value, base.scenario.run.start) if lv.kind == "month" else float(value)
    mine = with_levers(base, {lid: num})
    theirs = load_scenario(BASELINE, [f"levers.{lid}={value}"])
    assert mine.sha256 == theirs.sha256
    assert toml_value(lv, num, base.scenario.run.start) == value


def test_months_round_trip():
    for m in ("2021-12", "2022-01", "2022-12", "2023-06", "2024-01"):
        assert month_of_end(month_end(m, "2022-01"), "2022-01") == m
    assert month_end("2022-12", "2022-01") == 12


def test_grids(base):
    sc = base.scenario
    assert parse_grid(find(sc, "promotion_events_per_year"), "1:6:1", sc.run.start) == [1, 2, 3, 4, 5, 6]
    assert parse_grid(find(sc, "infrastructure_funding"), "1.2,0.8", sc.run.start) == [0.8, 1.2]
    cbec = find(sc, "milestone_month.cbec_site")
    assert [month_of_end(v, sc.run.start) for v in parse_grid(cbec, "2022-03:2022-12:3", sc.run.start)] == [
        "2022-03",
        "2022-06",
        "2022-09",
        "2022-12",
    ]
    for bad in ("1.5,2", "a,b", "3:1:1", "1:6:0"):
        with pytest.raises(ScenarioError):
            parse_grid(find(sc, "promotion_events_per_year"), bad, sc.run.start)
    with pytest.raises(ScenarioError):
        parse_grid(cbec, "2022-3", sc.run.start)
    with pytest.raises(ScenarioError):
        find(sc, "promotion")


def test_declared_ranges_are_used(base):
    r = {lv.id: lv.range for lv in ranged(base.scenario)}
    assert r["promotion_events_per_year"] == (1.0, 6.0)
    assert r["milestone_month.cbec_site"] == (3.0, 12.0)


def test_lever_range_errors(capsys):
    for setting, fragment in (
        ("lever_ranges.milestone_month.cbec_site.low=3", "expected months"),
        ("lever_ranges.leader_candidates.cbec.high=2.5", "whole numbers"),
        ("lever_ranges.infrastructure_funding.high=9", "allowed values"),
        ('lever_ranges.project_month.nope={low="2022-01",high="2022-02"}', "unknown id"),
    ):
        assert main(["validate", str(BASELINE), "--set", setting]) == 2
        err = capsys.readouterr().err
        assert fragment in err and "lever_ranges" in err and "Traceback" not in err


def test_levers_doc_covers_all_21_tasks(base):
    """docs/levers.md lists every task of section 二 and every lever of the baseline."""
    doc = (ROOT / "docs" / "levers.md").read_text(encoding="utf-8")
    tasks = {int(m) for m in re.findall(r"^\| (\d{1,2}) \|", doc, flags=re.M)}
    assert tasks >= set(range(1, 22))
    for lv in catalogue(base.scenario):
        assert f"`{lv.id}`" in doc, lv.id


# ----------------------------------------------------------------------------- paired intervals


def _paired_sample(rng, n, pa, pb, rho):
    """Binary pairs from a Gaussian copula with latent correlation rho."""
    z = rng.standard_normal((n, 3))
    x = math.sqrt(rho) * z[:, 0] + math.sqrt(1 - rho) * z[:, 1]
    y = math.sqrt(rho) * z[:, 0] + math.sqrt(1 - rho) * z[:, 2]
    return x < stats.norm.ppf(pa), y < stats.norm.ppf(pb)


def test_paired_interval_covers_the_true_difference():
    """Over many simulated paired datasets with a known difference, Newcombe's paired interval
    covers it about 95% of the time (between 93% and 97.5% with 1500 datasets)."""
    rng = np.random.default_rng(2024)
    pa, pb, n, m = 0.40, 0.46, 200, 1500
    cover, widths_p, widths_i = 0, [], []
    for _ in range(m):
        a, b = _paired_sample(rng, n, pa, pb, 0.85)
        _, lo, hi = paired_diff_ci(a, b)
        cover += lo <= pb - pa <= hi
        widths_p.append(hi - lo)
        _, lo_i, hi_i = independent_diff_ci(a, b)
        widths_i.append(hi_i - lo_i)
    assert 0.93 <= cover / m <= 0.975, cover / m
    # positive correlation (what common random numbers create) narrows the interval a lot
    assert np.mean(widths_p) < 0.7 * np.mean(widths_i)


def test_independent_interval_covers_the_true_difference():
    rng = np.random.default_rng(7)
    pa, pb, n, m = 0.2, 0.3, 150, 600
    cover = 0
    for _ in range(m):
        a, b = rng.random(n) < pa, rng.random(n) < pb
        _, lo, hi = independent_diff_ci(a, b)
        cover += lo <= pb - pa <= hi
    assert 0.92 <= cover / m <= 0.98


def test_paired_interval_properties():
    rng = np.random.default_rng(1)
    a, b = _paired_sample(rng, 300, 0.3, 0.5, 0.8)
    d, lo, hi = paired_diff_ci(a, b)
    d2, lo2, hi2 = paired_diff_ci(b, a)
    assert d == pytest.approx(-d2) and lo == pytest.approx(-hi2) and hi == pytest.approx(-lo2)
    assert lo < d < hi and lo >= -1 and hi <= 1
    same = rng.random(100) < 0.5
    d, lo, hi = paired_diff_ci(same, same)  # identical outcomes: no difference, small interval
    assert d == 0 and lo < 0 < hi and hi - lo < 0.1
    assert phi_paired(10, 0, 0, 10) > 0.8 and phi_paired(0, 5, 5, 0) < 0
    assert phi_paired(10, 0, 0, 0) == 0.0  # a zero margin


# ----------------------------------------------------------------------------- Sobol machinery


def _ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def _ishigami_indices(a=7.0, b=0.1):
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_sobol_machinery_on_ishigami():
    """Our Saltelli design and scipy's estimators recover the analytic Ishigami indices within
    their bootstrap intervals; a grouped factor {x1, x3} gets the closed group index."""
    from sim.analysis.sobol import ab_matrix, saltelli_matrices, sobol_from_outputs

    n = 2048
    A, B = saltelli_matrices(n, 3, seed=11)
    f = lambda u: _ishigami(-np.pi + 2 * np.pi * u)  # noqa: E731
    groups = [(0,), (1,), (2,)]
    f_AB = np.stack([f(ab_matrix(A, B, g))[:, None] for g in groups])
    r = sobol_from_outputs(f(A)[:, None], f(B)[:, None], f_AB, n_resamples=499)
    s1, st = _ishigami_indices()
    for j in range(3):
        assert r["S1_low"][0, j] <= s1[j] <= r["S1_high"][0, j], (j, r["S1"][0, j], s1[j])
        assert r["ST_low"][0, j] <= st[j] <= r["ST_high"][0, j], (j, r["ST"][0, j], st[j])
    # grouped: factor {x1, x3} and factor {x2}
    g = [(0, 2), (1,)]
    f_AB = np.stack([f(ab_matrix(A, B, gg))[:, None] for gg in g])
    r = sobol_from_outputs(f(A)[:, None], f(B)[:, None], f_AB, n_resamples=499)
    closed13 = s1[0] + s1[2] + (st[2])  # V1 + V3 + V13 over V (x3 acts only with x1)
    assert r["S1_low"][0, 0] <= closed13 <= r["S1_high"][0, 0]
    assert r["ST_low"][0, 1] <= st[1] <= r["ST_high"][0, 1]


def test_constant_output_gets_no_indices():
    from sim.analysis.sobol import sobol_from_outputs

    n = 64
    f = np.ones((n, 1))
    r = sobol_from_outputs(f, f, np.ones((2, n, 1)), n_resamples=50)
    assert np.isnan(r["S1"]).all()


def test_factor_groups(base):
    from sim.experiment.sensitivity import make_factors, varied_paths
    from sim.vocabulary.parameters import group_of

    sc = base.scenario
    paths = varied_paths(sc)
    assert group_of("uncertainties.sectors.cbec.sign_prob") == "uncertainties.sectors.cbec"
    assert group_of("uncertainties.macro.growth_per_year") == "uncertainties.macro"
    assert group_of("base_year.enterprises.processing") == "base_year"
    facs = make_factors(paths, ranged(sc))
    cols = sorted(c for f in facs for c in f.columns)
    assert cols == list(range(len(paths) + len(ranged(sc))))  # every column in exactly one factor
    assert facs[-1].kind == "noise"


def test_sobol_rows_evaluated_by_lever_setting(base):
    """The evaluation order keeps each lever setting's rows together (A's settings recur in every
    uncertainty and noise factor's block) and is a permutation of the design's rows."""
    sc = base.scenario
    paths, levers = varied_paths(sc), ranged(sc)
    facs = make_factors(paths, levers)
    A, B = saltelli_matrices(4, len(paths) + len(levers), seed=1)
    rows = sobol_rows(Design(4, paths, levers, facs, A, B), levers)
    order = by_setting(rows)
    assert sorted(order.tolist()) == list(range(len(rows)))
    settings = [rows[i][2] for i in order]
    runs = sum(1 for a, b in itertools.pairwise(settings) if a != b) + 1
    # settings: A's, B's and each lever factor's (a whole-number lever from B may repeat A's value)
    assert runs == len(set(settings)) <= 4 * (2 + len(levers))


def test_design_rows_are_identical_for_any_worker_count(base):
    from sim.analysis.targets import target_specs
    from sim.experiment.engine import Outputs, evaluate, rows_design
    from sim.experiment.sensitivity import target_cells

    cells = target_cells(base, target_specs(base.scenario))
    lv = ranged(base.scenario)[:2]
    rows = [
        (
            r,
            {"uncertainties.macro.growth_per_year": 0.1 + 0.1 * r} if r % 2 else None,
            tuple((x.id, x.range[r % 2]) for x in lv),
        )
        for r in range(6)
    ]
    design = rows_design(base, 5, rows, Outputs(monthly=False), chunk_size=2)
    one = evaluate(design, LocalExecutor(1), False).values(cells)
    two = evaluate(design, LocalExecutor(2), False).values(cells)
    assert np.array_equal(one, two)
    # a row without overrides and with the scenario's lever values is the plain replication
    plain = evaluate(rows_design(base, 5, [(3, None, ())]), LocalExecutor(1), False).values(cells)
    y, _, _ = runner.run_replication(base.scenario, 5, 3)
    assert np.array_equal(plain[0], y[[c[0] for c in cells], [c[1] for c in cells]])


# ----------------------------------------------------------------------------- sweep


def test_sweep_points_equal_separate_runs(base):
    """Each grid point equals a separate run of the scenario with that lever value, same seed."""
    from sim.experiment.sweep import sweep

    sc = base.scenario
    lv = find(sc, "milestone_month.cbec_site")
    grid = [month_end("2022-03", sc.run.start), month_end("2022-09", sc.run.start)]
    s = sweep(base, [lv], [grid], reps=12, seed=31, level=0.5, executor=LocalExecutor(1), progress=False)
    for month in ("2022-03", "2022-09"):
        ls = load_scenario(BASELINE, [f"levers.milestone_month.cbec_site={month}"])
        ind = runner.run_experiment(ls.scenario, 12, 31, workers=1, progress=False)
        point = s.points[s.points[lv.id] == month]["point"].iloc[0]
        vals = s.values[s.values["point"] == point]
        for t in ("trade_cbec_2022", "trade_total_2023", "rank_2023"):
            spec = sc.targets[t]
            assert np.array_equal(vals[t].to_numpy(), ind.column(spec.indicator, spec.year))
        row = s.table[(s.table["point"] == point) & (s.table["target_id"] == "trade_cbec_2023")].iloc[0]
        spec = sc.targets["trade_cbec_2023"]
        assert row["hits"] == int(np.sum(ind.column(spec.indicator, spec.year) >= spec.threshold))


def test_reach_table_logic(base):
    import pandas as pd

    from sim.experiment.sweep import reach_table

    sc = base.scenario
    lv = find(sc, "promotion_events_per_year")
    rows = []
    for v, p, lo, hi in ((1, 0.5, 0.4, 0.6), (2, 0.75, 0.65, 0.85), (3, 0.82, 0.72, 0.9), (4, 0.9, 0.84, 0.95)):
        rows.append(
            dict(
                target_id="t",
                indicator="x",
                year=2023,
                active=True,
                p_hit=p,
                ci_low=lo,
                ci_high=hi,
                **{lv.id: str(v), f"{lv.id}__num": float(v)},
            )
        )
    r = reach_table(pd.DataFrame(rows), [lv], 0.8, sc.run.start).iloc[0]
    assert (r["reached_at"], r["plausibly_from"], r["surely_from"]) == ("3", "2", "4")
    # months: least effort is the latest month
    m = find(sc, "milestone_month.cbec_site")
    rows = [
        dict(
            target_id="t",
            indicator="x",
            year=2023,
            active=True,
            p_hit=p,
            ci_low=p - 0.05,
            ci_high=p + 0.05,
            **{m.id: month_of_end(k, sc.run.start), f"{m.id}__num": float(k)},
        )
        for k, p in ((3, 0.95), (6, 0.9), (9, 0.7), (12, 0.3))
    ]
    r = reach_table(pd.DataFrame(rows), [m], 0.8, sc.run.start).iloc[0]
    assert r["reached_at"] == "2022-06"
    rows = [
        dict(
            target_id="t",
            indicator="x",
            year=2023,
            active=True,
            p_hit=0.1,
            ci_low=0.05,
            ci_high=0.2,
            **{lv.id: "1", f"{lv.id}__num": 1.0},
        )
    ]
    assert reach_table(pd.DataFrame(rows), [lv], 0.8, sc.run.start).iloc[0]["verdict"].startswith("not reached")


# ----------------------------------------------------------------------------- discover


def test_prim_recovers_a_planted_rule():
    """Misses are planted where x0 < 0.3 and x2 > 0.6 (90% there, 5% elsewhere) among 8 inputs."""
    from sim.analysis.prim import box_stats, find_rules

    rng = np.random.default_rng(3)
    n = 3000
    X = rng.random((n, 8))
    inside = (X[:, 0] < 0.3) & (X[:, 2] > 0.6)
    y = np.where(inside, rng.random(n) < 0.9, rng.random(n) < 0.05).astype(float)
    rules = find_rules(X, y)
    box = rules[0][0]
    assert box.restricted() == [0, 2]
    assert box.upper[0] == pytest.approx(0.3, abs=0.04) and box.lower[2] == pytest.approx(0.6, abs=0.04)
    s = box_stats(box, X, y)
    assert s["density"] > 0.8 and s["coverage"] > 0.6


def test_prim_finds_nothing_in_noise():
    from sim.analysis.prim import find_rules

    rng = np.random.default_rng(5)
    X = rng.random((2000, 5))
    y = (rng.random(2000) < 0.3).astype(float)
    rules = find_rules(X, y, min_lift=1.5)
    assert not rules


def test_condition_text():
    from sim.analysis.rule_text import condition_text
    from sim.experiment.discover import Feature

    col = np.linspace(0, 10, 11)
    f = Feature("x", "macro growth", "宏观增长", "percent")
    assert condition_text(f, -np.inf, 0.02, col / 100, "2022-01")[0] == "macro growth at most 2.0%"
    m = Feature("due:site", "site due", "场地", "month_time")
    assert condition_text(m, 6.4, np.inf, col, "2022-01")[0] == "site due no earlier than 2022-07 (month 6.4)"


# ----------------------------------------------------------------------------- CLI


def test_levers_command(capsys):
    assert main(["levers"]) == 0
    out = capsys.readouterr().out
    assert "milestone_month.cbec_site" in out and "task 11" in out and "docs/levers.md" in out


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["sweep", str(BASELINE), "--lever", "nope=1,2"], "unknown lever"),
        (["sweep", str(BASELINE), "--lever", "promotion_events_per_year=1.5"], "whole number"),
        (["sweep", str(BASELINE), "--lever", "promotion_events_per_year=99"], "outside the allowed"),
        (["compare", str(BASELINE)], "at least two"),
        (["discover", str(BASELINE), "--target", "nope"], "not a target"),
        (["sensitivity", str(BASELINE), "--targets", "nope"], "not a target"),
    ],
)
def test_lever_command_errors(capsys, argv, fragment):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_compare_sweep_cli_smoke(tmp_path, capsys):
    out = tmp_path / "cmp"
    assert (
        main(
            [
                "compare",
                str(BASELINE),
                str(ROOT / "scenarios" / "promotion_push.toml"),
                "--reps",
                "8",
                "--workers",
                "1",
                "-q",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    for f in (
        "compare.csv",
        "summary.csv",
        "target_values.csv",
        "manifest.json",
        "charts/differences_en.png",
        "charts/differences_zh.png",
    ):
        assert (out / f).exists(), f
    text = capsys.readouterr().out
    assert "promotion_push vs baseline" in text
    out = tmp_path / "sweep"
    assert (
        main(
            [
                "sweep",
                str(BASELINE),
                "--lever",
                "leader_candidates.processing=1,4",
                "--reps",
                "8",
                "--workers",
                "1",
                "-q",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    for f in ("sweep.csv", "reach.csv", "manifest.json", "charts/response_en.png"):
        assert (out / f).exists(), f
    assert "leaders_processing_2023" in capsys.readouterr().out


@pytest.mark.slow
def test_sensitivity_discover_cli_smoke(tmp_path, capsys):
    out = tmp_path / "sens"
    assert (
        main(
            [
                "sensitivity",
                str(BASELINE),
                "--n",
                "4",
                "--tornado-reps",
                "3",
                "--top",
                "2",
                "--workers",
                "2",
                "-q",
                "--out",
                str(out),
                "--targets",
                "trade_total_2023,rank_2023",
            ]
        )
        == 0
    )
    for f in (
        "sobol.csv",
        "tornado.csv",
        "screening.csv",
        "factors.csv",
        "design.npz",
        "manifest.json",
        "charts/sobol_en.png",
        "charts/tornado_zh.png",
    ):
        assert (out / f).exists(), f
    text = capsys.readouterr().out
    assert "--n 16" in text and "rank order (95% bootstrap)" in text
    assert {"ST_rank", "ST_rank_share", "ST_next_resolved", "ST_rank_resolved"} <= set(
        pd.read_csv(out / "sobol.csv").columns
    )
    out = tmp_path / "disc"
    assert (
        main(
            [
                "discover",
                str(BASELINE),
                "--target",
                "leaders_processing_2023",
                "--reps",
                "90",
                "--workers",
                "2",
                "-q",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "leaders_processing_2023 is missed in" in text
    for f in ("experiments.csv", "rules.csv", "rules.txt", "manifest.json"):
        assert (out / f).exists(), f
