"""End-to-end: a baseline run writes the documented folder; outputs are reproducible."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "scenarios" / "baseline.toml")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "base"
    assert (
        main(["run", BASELINE, "--reps", "24", "--seed", "3", "--workers", "2", "--out", str(out), "-q", "--no-report"])
        == 0
    )
    return out


def test_folder_contents(run_dir):
    for f in (
        "manifest.json",
        "scenario.resolved.toml",
        "indicators.csv",
        "summary.csv",
        "charts/p_targets_zh.png",
        "charts/p_targets_en.png",
    ):
        assert (run_dir / f).is_file(), f
    m = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    for k in ("scenario", "scenario_sha256", "seed", "replications", "versions", "git_commit", "resolved_scenario"):
        assert k in m
    assert m["seed"] == 3 and m["replications"] == 24
    assert len(m["scenario_sha256"]) == 64


def test_summary_has_every_target_and_joint_rows(run_dir):
    from sim.scenario import load_scenario

    sc = load_scenario(BASELINE).scenario
    s = pd.read_csv(run_dir / "summary.csv")
    assert set(sc.targets) <= set(s["target_id"])
    assert {"ALL_2022", "ALL_2023"} <= set(s["target_id"])
    for col in (
        "target_id",
        "indicator",
        "year",
        "op",
        "threshold",
        "unit",
        "source",
        "n_reps",
        "hits",
        "p_hit",
        "ci_low",
        "ci_high",
        "mean",
        "p10",
        "p50",
        "p90",
    ):
        assert col in s.columns
    assert (s["n_reps"] == 24).all()
    assert ((s["ci_low"] <= s["p_hit"]) & (s["p_hit"] <= s["ci_high"])).all()


def test_summary_matches_indicators(run_dir):
    """p_hit recomputed from indicators.csv equals the summary (the two files agree)."""
    ind = pd.read_csv(run_dir / "indicators.csv")
    s = pd.read_csv(run_dir / "summary.csv").set_index("target_id")
    r = s.loc["trade_total_2023"]
    v = ind[(ind.indicator == "trade_total") & (ind.year == 2023)]["value"]
    assert r["hits"] == int((v > 200).sum())
    assert abs(r["mean"] - v.mean()) <= 5e-6 * max(1, abs(v.mean()))  # summary.csv: six significant digits


def test_indicators_long_format(run_dir):
    ind = pd.read_csv(run_dir / "indicators.csv")
    assert list(ind.columns) == ["rep", "year", "indicator", "value"]
    assert not ind.duplicated(["rep", "year", "indicator"]).any()
    assert ind["rep"].nunique() == 24


def test_same_seed_same_bytes_any_worker_count(run_dir, tmp_path):
    out1 = tmp_path / "w1"
    assert (
        main(
            ["run", BASELINE, "--reps", "24", "--seed", "3", "--workers", "1", "--out", str(out1), "-q", "--no-report"]
        )
        == 0
    )
    assert (out1 / "indicators.csv").read_bytes() == (run_dir / "indicators.csv").read_bytes()
    assert (out1 / "summary.csv").read_bytes() == (run_dir / "summary.csv").read_bytes()


def test_other_seed_differs(run_dir, tmp_path):
    out = tmp_path / "s4"
    assert (
        main(["run", BASELINE, "--reps", "24", "--seed", "4", "--workers", "1", "--out", str(out), "-q", "--no-report"])
        == 0
    )
    assert (out / "indicators.csv").read_bytes() != (run_dir / "indicators.csv").read_bytes()


def test_common_random_numbers_across_scenarios(tmp_path):
    """A lever change leaves the drawn uncertainties of every replication untouched."""
    from sim.experiment.runner import replication_params
    from sim.scenario import load_scenario

    a = load_scenario(BASELINE).scenario
    b = load_scenario(ROOT / "scenarios" / "promotion_push.toml").scenario
    for rep in range(3):
        assert replication_params(a, 11, rep) == replication_params(b, 11, rep)


def test_ranking_outputs(run_dir):
    """The baseline's national evaluation: rank per replication and year, rank targets, peers and
    the method-sensitivity table."""
    ind = pd.read_csv(run_dir / "indicators.csv")
    rank = ind[ind.indicator == "rank"]
    assert len(rank) == 24 * 2
    evaluated = ind[ind.indicator == "peers_n_evaluated"].groupby("year")["value"].first()
    for y, r in rank.groupby("year"):
        assert r["value"].between(1, evaluated[y]).all()  # 1..N+1 with N peers evaluated
    s = pd.read_csv(run_dir / "summary.csv").set_index("target_id")
    assert s.loc["rank_2023", "op"] == "<=" and s.loc["rank_2023", "threshold"] == 60
    peers = pd.read_csv(run_dir / "peers.csv")
    assert {"trade_p50", "top5_share", "top30_share", "trade_at_reference_rank", "score_at_reference_rank"} <= set(
        peers["statistic"]
    )
    rk = pd.read_csv(run_dir / "ranking.csv")
    assert {"main", "norm_min_max", "method_eval2024"} <= set(rk["variant"])
    assert {"rank<=60", "class_a"} <= set(rk["measure"])
    main = rk[(rk.variant == "main") & (rk.measure == "rank<=60")].set_index("year")
    assert main.loc[2023, "p"] == s.loc["rank_2023", "p_hit"]


def test_rank_moves_with_the_zone_in_the_same_replication():
    """Replications where the zone trades more rank better on average (rank is not independent
    of the zone's own outcome)."""
    from scipy import stats

    from sim.experiment.runner import run_experiment
    from sim.scenario import load_scenario

    sc = load_scenario(BASELINE).scenario
    ind = run_experiment(sc, 200, 21, workers=1, progress=False)
    rho, p = stats.spearmanr(ind.column("trade_total", 2023), ind.column("rank", 2023))
    assert rho < -0.3 and p < 1e-4


@pytest.mark.slow
def test_run_builds_the_meeting_pack_by_default(tmp_path):
    out = tmp_path / "with_pack"
    assert main(["run", BASELINE, "--reps", "20", "--seed", "3", "--out", str(out), "-q"]) == 0
    for lang in ("zh", "en"):
        for f in (f"report_{lang}.html", f"report_{lang}.pdf", f"charts/p_targets_{lang}.png"):
            assert (out / "report" / f).is_file(), f
    assert (out / "report" / "summary.xlsx").is_file()
