"""Calibration (ABC): known parameters are recovered from synthetic history made by the model.

The synthetic zone is tests/data/tiny_leads.toml with three parameters fixed at known values and
every other one fixed too (leaders off), so the history is one replication of a known model.
The scenario being calibrated declares the same three as uncertain, with wide priors.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import scenario
from test_data_nowcast import write_obs

from sim.analysis.abc import fit_distribution
from sim.cli import main
from sim.experiment import runner
from sim.experiment.abc_fit import abc_smc, fitted_paths, parameter_table
from sim.experiment.executors import LocalExecutor
from sim.scenario import load_scenario
from sim.scenario.distributions import Beta, Choice, LogNormal, Normal, Poisson, Triangular
from sim.scenario.fitted import as_dist, calibrated_toml
from sim.scenario.loader import deep_merge

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny_leads.toml"

TRUE = {
    "uncertainties.macro.growth_per_year": 0.10,
    "uncertainties.sectors.svc.lead_rate_per_month": 5.5,
    "uncertainties.sectors.make.trade_median_yi": 1.5,
}

PRIOR = {
    "uncertainties": {
        "macro": {"growth_per_year": {"dist": "normal", "mean": 0.05, "sd": 0.15}},
        "sectors": {
            "svc": {
                "lead_rate_per_month": {"dist": "uniform", "low": 1, "high": 8},
                "sign_prob": 0.5,
                "exit_rate_per_year": 0.15,
            },
            "make": {
                "lead_rate_per_month": 1.0,
                "sign_prob": 0.4,
                "trade_median_yi": {"dist": "uniform", "low": 0.5, "high": 3.0},
            },
            "shop": {"lead_rate_per_month": 2.0},
        },
        "disruption": {"spells_per_year": 0.0, "length_months": 1.0, "depth": 0.3},
        "promotion": {"leads_per_event": 4},
        "commodity": {"drift_per_year": 0.0},
        "funding_delay_elasticity": 0.5,
        "project_delay_months": {"road": 1, "park": 1, "wall": 0, "early": 0},
        "milestone_delay_months": {"site": 1, "late": 0},
        "leaders": {k: {"sign_prob": 0.5, "trade_yi": 5, "fitout_months": 2} for k in ("anchor", "big")},
    },
    "base_year": {"enterprises": {"svc": 10}},
    "levers": {"leader_candidates": {"anchor": 0, "big": 0}},
}
OBSERVED = ("trade_total", "trade_processing", "active_enterprises", "employees")


def _fix(values: dict) -> dict:
    out: dict = {}
    for path, v in values.items():
        node = out
        keys = path.split(".")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = v
    return out


def synthetic_history(seed: int = 1003) -> dict[str, np.ndarray]:
    truth = scenario("tiny_leads.toml", deep_merge(PRIOR, _fix(TRUE), {}, "test"))
    _, _, res = runner.run_replication(truth, seed, 0)
    return {k: res.monthly[k].astype(float).copy() for k in OBSERVED}


# ----------------------------------------------------------------------------- fast: fitted forms


def test_fitted_distributions_keep_the_prior_family_and_range():
    rng = np.random.default_rng(1)
    w = np.ones(400)
    x = rng.normal(4.0, 0.3, 400).clip(2, 6)
    d = fit_distribution(Triangular(dist="triangular", low=2, mode=4, high=6), x, w)
    assert d["dist"] == "beta" and (d["low"], d["high"]) == (2, 6)
    b = as_dist(d)
    assert isinstance(b, Beta) and abs(b.mean() - x.mean()) < 1e-3
    d = fit_distribution(LogNormal(dist="lognormal", median=6, sigma=0.5), np.exp(rng.normal(2, 0.1, 400)), w)
    assert d["dist"] == "lognormal" and abs(np.log(d["median"]) - 2) < 0.03
    d = fit_distribution(Normal(dist="normal", mean=0, sd=1, low=0), np.abs(rng.normal(1, 0.2, 400)), w)
    assert d["dist"] == "normal" and d["low"] == 0 and "high" not in d
    d = fit_distribution(Poisson(dist="poisson", mean=3), np.array([2.0, 3.0, 3.0, 5.0]), np.ones(4))
    assert d == {"dist": "choice", "values": [2.0, 3.0, 5.0], "weights": [0.25, 0.5, 0.25]}
    assert isinstance(as_dist(d), Choice)


def test_parameter_patterns():
    sc = scenario("tiny_leads.toml", PRIOR)
    assert fitted_paths(sc, None) == list(fitted_paths(sc, ["*"]))
    assert fitted_paths(sc, ["uncertainties.sectors.*"]) == [
        "uncertainties.sectors.make.trade_median_yi",
        "uncertainties.sectors.svc.lead_rate_per_month",
    ]
    from sim.experiment.abc_fit import CalibrationError

    with pytest.raises(CalibrationError, match="only fixed values"):
        fitted_paths(sc, ["uncertainties.sectors.make.sign_prob"])
    with pytest.raises(CalibrationError, match="matches no uncertain parameter"):
        fitted_paths(sc, ["nothing.*"])


# ----------------------------------------------------------------------------- slow: recovery


@pytest.mark.slow
def test_known_parameters_lie_inside_the_fitted_intervals():
    prior = scenario("tiny_leads.toml", PRIOR)
    table = synthetic_history()
    cal = abc_smc(
        prior, table, 24, list(TRUE), seed=5, sims=1000, rounds=1, keep=0.05, executor=LocalExecutor(2), progress=False
    )
    params = parameter_table(prior, cal).set_index("parameter")
    for path, v in TRUE.items():
        r = params.loc[path]
        assert r["fitted_q2_5"] <= v <= r["fitted_q97_5"], (path, v, r["fitted"])
        assert r["post_q2_5"] <= v <= r["post_q97_5"], (path, v)
        assert r["post_sd"] < r["prior_sd"], path  # every parameter learned something
    lead = params.loc["uncertainties.sectors.svc.lead_rate_per_month"]
    assert lead["shrinkage"] > 0.5 and lead["r2_cv"] > 0.8  # counts of firms pin the lead rate down
    assert params["written"].all()


@pytest.mark.slow
def test_calibrate_command_writes_a_scenario_that_extends_the_original(tmp_path, capsys):
    import tomli_w

    table = synthetic_history()
    write_obs(tmp_path / "obs.csv", table)
    data = deep_merge(load_scenario(TINY).resolved, PRIOR, {}, "test")
    data.pop("extends", None)
    (tmp_path / "prior.toml").write_text(tomli_w.dumps(data) + '\n[observations]\nfile = "obs.csv"\n', encoding="utf-8")
    out = tmp_path / "cal"
    argv = [
        "calibrate",
        str(tmp_path / "prior.toml"),
        "--sims",
        "600",
        "--workers",
        "2",
        "--out",
        str(out),
        "--check-reps",
        "40",
        "--seed",
        "3",
        "-q",
        "--set",
        "uncertainties.sectors.shop.sign_prob=0.5",
    ]
    assert main(argv) == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert "calibrated scenario:" in printed
    for f in (
        "parameters.csv",
        "posterior.csv",
        "correlations.csv",
        "rounds.csv",
        "fit.csv",
        "manifest.json",
        "charts/fit_zh.png",
        "charts/fit_en.png",
        "tiny_leads_calibrated.toml",
    ):
        assert (out / f).is_file(), f
    cal = load_scenario(out / "tiny_leads_calibrated.toml")
    assert cal.resolved["extends"] == "../prior.toml"
    assert cal.scenario.scenario.name == "tiny_leads_calibrated"
    assert cal.scenario.uncertainties.sectors["shop"].sign_prob.value == 0.5  # --set carried over
    assert cal.scenario.observations.values  # data inherited
    written = pd.read_csv(out / "parameters.csv")
    lead = written.set_index("parameter").loc["uncertainties.sectors.svc.lead_rate_per_month"]
    assert lead["written"]
    d = cal.scenario.uncertainties.sectors["svc"].lead_rate_per_month
    assert d.dist == "beta" and d.support == (1.0, 8.0)
    fit = pd.read_csv(out / "fit.csv")
    assert set(fit["indicator"]) == set(OBSERVED) and len(fit) == 24 * len(OBSERVED)
    assert fit.groupby("indicator")["in_calibrated_95"].mean()["active_enterprises"] >= 0.75


def test_calibrate_user_errors_write_nothing(tmp_path, capsys):
    out = tmp_path / "cal"
    assert main(["calibrate", str(TINY), "--out", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "no [observations] section" in err and "Traceback" not in err
    write_obs(tmp_path / "obs.csv", {"trade_total": np.ones(3)})
    (tmp_path / "sc.toml").write_text(
        f'extends = "{TINY.as_posix()}"\n[observations]\nfile = "obs.csv"\n', encoding="utf-8"
    )
    assert main(["calibrate", str(tmp_path / "sc.toml"), "--params", "foo.*", "--out", str(out), "-q"]) == 2
    assert "--params foo.*" in capsys.readouterr().err
    assert (
        main(
            ["calibrate", str(tmp_path / "sc.toml"), "--scenario-out", str(tmp_path / "x.txt"), "--out", str(out), "-q"]
        )
        == 2
    )
    assert "expected a .toml" in capsys.readouterr().err
    assert not out.exists()


def test_calibrated_toml_is_valid_toml_with_comments(tmp_path):
    import tomllib

    sc = scenario("tiny_leads.toml", PRIOR)
    params = pd.DataFrame(
        [
            {
                "parameter": "uncertainties.sectors.svc.lead_rate_per_month",
                "written": True,
                "post_mean": 5.0,
                "post_q2_5": 4.0,
                "post_q97_5": 6.0,
                "prior": "uniform(1, 8)",
                "_fitted": {"dist": "beta", "a": 3.0, "b": 2.0, "low": 1.0, "high": 8.0},
            }
        ]
    )
    text = calibrated_toml(sc, TINY, tmp_path / "c.toml", params, ["levers.promotion_events_per_year=3"], ["hi"])
    data = tomllib.loads(text)
    assert data["uncertainties"]["sectors"]["svc"]["lead_rate_per_month"]["dist"] == "beta"
    assert data["levers"]["promotion_events_per_year"] == 3
    assert "# posterior mean 5" in text and text.startswith("# hi")
