"""Backtest: scores of past nowcasts. When the model is true they are calibrated; when it is
deliberately wrong, they are not.

"Model true": the observed histories are replications of the same scenario (with its parameter
uncertainty) under another seed. Then the nowcast is calibrated by construction: for an indicator
the forecast is O x S_future / S_window and the truth is O x T_future / T_window, and the two
ratios have the same distribution (docs/model.md 7.14). "Model wrong": the histories come from a
zone whose trade grows by 60% a year while the scenario says about 5%.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import scenario
from scipy import stats
from test_data_nowcast import write_obs

from sim.analysis.scores import coverage_table, crps_ensemble, score_table
from sim.cli import main
from sim.data.observations import OBSERVABLE
from sim.experiment.abc_fit import simulate_monthly
from sim.experiment.backtest import evaluate, observed_ytd
from sim.experiment.executors import LocalExecutor

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny_leads.toml"
NAMES = list(OBSERVABLE)
WATCHED = ("trade_total", "active_enterprises", "employees")
CUTOFFS = ["2022-03", "2022-06", "2022-09", "2022-12"]


def test_crps_matches_the_normal_closed_form():
    x = stats.norm.ppf((np.arange(20000) + 0.5) / 20000)
    for y in (-1.3, 0.0, 0.7, 2.5):
        exact = y * (2 * stats.norm.cdf(y) - 1) + 2 * stats.norm.pdf(y) - 1 / np.sqrt(np.pi)
        assert crps_ensemble(x, y) == pytest.approx(exact, abs=1e-3)
    assert crps_ensemble(np.array([2.0, 2.0]), 2.0) == 0.0


def test_observed_year_to_date_needs_every_month_so_far():
    v = np.array([1.0, 2.0, np.nan, 4.0] + [1.0] * 20)
    ytd = observed_ytd(v, "trade_total")
    assert ytd[1] == 3.0 and np.isnan(ytd[2]) and np.isnan(ytd[11])
    assert ytd[12] == 1.0 and ytd[23] == 12.0
    assert np.array_equal(observed_ytd(v, "employees"), v, equal_nan=True)


def _histories(sc, seed: int, n: int) -> np.ndarray:
    return simulate_monthly(sc, seed, list(range(n)), NAMES, None, LocalExecutor(2))


def _backtest_points(truths: np.ndarray, ensemble: np.ndarray) -> pd.DataFrame:
    pts = []
    for i in range(len(truths)):
        table = {n: truths[i, :, NAMES.index(n)] for n in WATCHED}
        p, _ = evaluate(table, ensemble, NAMES, CUTOFFS, "2022-01", horizon=12, seed=i)
        pts.append(p)
    return pd.concat(pts, ignore_index=True)


@pytest.fixture(scope="module")
def ensemble():
    return _histories(scenario("tiny_leads.toml"), seed=1, n=300)


def test_coverage_near_nominal_when_the_model_is_true(ensemble):
    truths = _histories(scenario("tiny_leads.toml"), seed=99, n=40)
    pts = _backtest_points(truths, ensemble)
    cov = coverage_table(pts).set_index("nominal")["coverage"]
    assert abs(cov[0.5] - 0.5) < 0.06 and abs(cov[0.8] - 0.8) < 0.06 and abs(cov[0.95] - 0.95) < 0.04, cov
    assert abs(pts["pit"].mean() - 0.5) < 0.05
    hist = np.histogram(pts["pit"], bins=5, range=(0, 1))[0] / len(pts)
    assert hist.min() > 0.15 and hist.max() < 0.25, hist  # roughly flat
    scores = score_table(pts).set_index("indicator")
    assert (scores["crps_skill"] > 0).all()  # observations help every indicator
    assert scores.loc["trade_total", "crps_skill"] > 0.3


def test_coverage_clearly_off_when_the_model_is_wrong(ensemble):
    wrong = scenario("tiny_leads.toml", {"uncertainties": {"macro": {"growth_per_year": 0.8}}})
    pts = _backtest_points(_histories(wrong, seed=99, n=40), ensemble)
    trade = pts[pts["indicator"] == "trade_total"]
    cov = coverage_table(trade).set_index("nominal")["coverage"]
    assert cov[0.5] < 0.35 and cov[0.8] < 0.6 and cov[0.95] < 0.85, cov
    assert trade["pit"].mean() > 0.7  # the zone beats the forecast


def test_backtest_command(tmp_path, capsys):
    truth = _histories(scenario("tiny_leads.toml"), seed=7, n=1)[0]
    write_obs(tmp_path / "obs.csv", {n: truth[:, NAMES.index(n)] for n in WATCHED})
    sc = tmp_path / "sc.toml"
    sc.write_text(f'extends = "{TINY.as_posix()}"\n[observations]\nfile = "obs.csv"\n', encoding="utf-8")
    out = tmp_path / "bt"
    assert (
        main(
            [
                "backtest",
                str(sc),
                "--cutoffs",
                "2022-03,2022-06",
                "--reps",
                "60",
                "--workers",
                "1",
                "--out",
                str(out),
                "-q",
            ]
        )
        == 0
    ), capsys.readouterr().err
    text = capsys.readouterr().out
    assert "80%" in text and "PIT mean" in text
    for f in (
        "backtest.csv",
        "coverage.csv",
        "pit_histogram.csv",
        "scores.csv",
        "targets.csv",
        "manifest.json",
        "charts/backtest_zh.png",
        "charts/backtest_en.png",
    ):
        assert (out / f).is_file(), f
    pts = pd.read_csv(out / "backtest.csv")
    assert set(pts["cutoff"]) == {"2022-03", "2022-06"}
    assert pts["horizon_months"].min() == 1 and pts["horizon_months"].max() == 12
    t = pd.read_csv(out / "targets.csv")
    assert set(t["target_id"]) == {"trade_2023"} and t["hit"].isin([0, 1]).all()
    # default cut-offs: every third observed month except the last
    assert main(["backtest", str(sc), "--reps", "20", "--workers", "1", "--out", str(tmp_path / "b2"), "-q"]) == 0
    assert set(pd.read_csv(tmp_path / "b2" / "backtest.csv")["cutoff"]) == {
        "2022-03",
        "2022-06",
        "2022-09",
        "2022-12",
        "2023-03",
        "2023-06",
        "2023-09",
    }


@pytest.mark.parametrize(
    "cutoffs,fragment",
    [
        ("2021-12", "outside the scenario's months"),
        ("2023-12", "no observation in the 12 month(s) after it"),
        ("2022-13", None),
    ],
)
def test_backtest_bad_cutoffs_write_nothing(tmp_path, capsys, cutoffs, fragment):
    write_obs(tmp_path / "obs.csv", {"trade_total": np.ones(24)})
    sc = tmp_path / "sc.toml"
    sc.write_text(f'extends = "{TINY.as_posix()}"\n[observations]\nfile = "obs.csv"\n', encoding="utf-8")
    out = tmp_path / "bt"
    if fragment is None:  # malformed month: argparse's own message, exit 2
        with pytest.raises(SystemExit) as e:
            main(["backtest", str(sc), "--cutoffs", cutoffs, "--out", str(out)])
        assert e.value.code == 2
    else:
        assert main(["backtest", str(sc), "--cutoffs", cutoffs, "--out", str(out), "-q"]) == 2
        err = capsys.readouterr().err
        assert fragment in err and "Traceback" not in err and err.count("\n") == 1
    assert not out.exists()
