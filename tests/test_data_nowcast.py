"""Year-to-date nowcast (docs/model.md 7.14): observed months fixed, the future continues from them.

Exact tier: the conditioning of hand-made series. Metamorphic tier: no observations leaves a run
byte for byte unchanged; observed months of the fans are the observed values; a higher observed
year to date raises the probability of a year-end target and a lower one lowers it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis.monthly import year_to_date
from sim.cli import main
from sim.data.nowcast import condition, condition_series, known_months
from sim.experiment import runner
from sim.model import Result
from sim.months import month_at
from sim.scenario import load_scenario
from sim.vocabulary.outcomes import TRADE_COMPONENTS, indicator_unit

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny_leads.toml"
NAN = np.nan


def write_obs(path: Path, table: dict[str, np.ndarray], start: str = "2022-01") -> Path:
    rows = ["month,indicator,value,unit"]
    for ind, v in table.items():
        rows += [
            f"{month_at(k, start)},{ind},{float(x)!r},{indicator_unit(ind)}" for k, x in enumerate(v) if not np.isnan(x)
        ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def scenario_file(tmp_path: Path, table, extra: str = "", name: str = "sc.toml") -> Path:
    write_obs(tmp_path / "obs.csv", table)
    p = tmp_path / name
    p.write_text(f'extends = "{TINY.as_posix()}"\n\n[observations]\nfile = "obs.csv"\n{extra}', encoding="utf-8")
    return p


# ----------------------------------------------------------------------------- exact: the conditioning


def test_flows_fixed_then_scaled_by_the_window_ratio():
    s = np.arange(1.0, 25.0)  # simulated 1, 2, ..., 24
    o = np.full(24, NAN)
    o[:6] = 2 * s[:6] + np.array([0, 0, 0, 1, 0, -1])  # months 4..6 sum to 2 * (4 + 5 + 6)
    out = condition_series({"industrial_output": s}, {"industrial_output": o}, n_known=6, window_months=3)
    v = out["industrial_output"]
    assert np.array_equal(v[:6], o[:6])
    assert np.allclose(v[6:], 2 * s[6:])
    assert set(out) == {"industrial_output"}


def test_only_months_up_to_as_of_are_used():
    s = np.ones(24)
    o = np.full(24, 3.0)
    v = condition_series({"fdi_usd": s}, {"fdi_usd": o}, n_known=2, window_months=3)["fdi_usd"]
    assert np.allclose(v, 3.0)  # months 3.. are scaled (ratio 3), not overwritten
    o2 = o.copy()
    o2[2:] = 100.0  # later observations change nothing
    assert np.array_equal(condition_series({"fdi_usd": s}, {"fdi_usd": o2}, 2)["fdi_usd"], v)


def test_stocks_use_the_last_observed_month_and_gaps_are_scaled():
    s = np.linspace(100, 123, 24)
    o = np.full(24, NAN)
    o[[0, 2]] = [50.0, 51.0]  # month 1 is a gap
    v = condition_series({"employees": s}, {"employees": o}, n_known=5)["employees"]
    r = 51.0 / s[2]
    assert v[0] == 50.0 and v[2] == 51.0
    assert np.allclose(v[[1, 3, 4, 23]], s[[1, 3, 4, 23]] * r)


def test_additive_shift_when_the_ratio_is_unusable():
    s = np.zeros(24)
    s[10:] = 1.0  # the business starts later in this replication
    o = np.full(24, NAN)
    o[:3] = [0.3, 0.3, 0.3]  # ... but it already trades
    v = condition_series({"trade_cbec": s}, {"trade_cbec": o}, 3)["trade_cbec"]
    assert np.allclose(v[3:10], 0.3) and np.allclose(v[10:], 1.3)
    # observed zero while the replication trades: the level is removed, never below zero
    v = condition_series({"trade_cbec": np.full(24, 2.0)}, {"trade_cbec": np.where(np.arange(24) < 3, 0.0, NAN)}, 3)[
        "trade_cbec"
    ]
    assert np.allclose(v, 0.0)
    # a ratio beyond max_ratio (here 100) is also a shift
    v = condition_series(
        {"trade_cbec": np.full(24, 0.01)}, {"trade_cbec": np.where(np.arange(24) < 3, 1.0, NAN)}, 3, max_ratio=5
    )["trade_cbec"]
    assert np.allclose(v[3:], 1.0)


def test_development_rate_never_above_100():
    v = condition_series(
        {"development_rate": np.full(24, 60.0)}, {"development_rate": np.where(np.arange(24) < 1, 99.0, NAN)}, 1
    )["development_rate"]
    assert v.max() == 99.0 and np.all(v <= 100)


def test_trade_stays_the_sum_of_the_modes():
    rng = np.random.default_rng(3)
    sim = {m: rng.uniform(0.5, 2.0, 24) for m in TRADE_COMPONENTS}
    sim["trade_total"] = sum(sim[m] for m in TRADE_COMPONENTS)
    months = np.arange(24)
    # total observed only: every mode shares it, and the observed months keep the observed total
    o = {"trade_total": np.where(months < 4, 20.0, NAN)}
    out = condition_series(sim, o, 4)
    assert set(out) == {"trade_total", *TRADE_COMPONENTS}
    assert np.allclose(sum(out[m] for m in TRADE_COMPONENTS), out["trade_total"])
    assert np.all(out["trade_total"][:4] == 20.0)
    # one mode observed, total not: the total is the sum of the (adjusted) modes
    o = {"trade_general": np.where(months < 4, 5.0, NAN)}
    out = condition_series(sim, o, 4)
    assert set(out) == {"trade_general", "trade_total"}
    assert np.allclose(out["trade_total"], sum(out.get(m, sim[m]) for m in TRADE_COMPONENTS))
    # both: the unobserved modes fill the rest of the observed total
    o = {"trade_total": np.where(months < 4, 20.0, NAN), "trade_general": np.where(months < 4, 5.0, NAN)}
    out = condition_series(sim, o, 4)
    assert np.allclose(out["trade_general"][:4], 5.0)
    rest = sum(out[m] for m in TRADE_COMPONENTS if m != "trade_general")
    assert np.allclose(rest[:4], 15.0)
    assert np.allclose(sum(out[m] for m in TRADE_COMPONENTS), out["trade_total"])


def test_condition_recomputes_yearly_values_and_works_on_many_replications():
    from sim.data.observations import ObservationsConfig

    s = np.arange(1.0, 25.0)
    res = Result(
        years=[2022, 2023],
        yearly={
            "industrial_output": np.array([78.0, 222.0]),
            "employees": np.array([12.0, 24.0]),
            "trade_total": np.zeros(2),
        },
        monthly={"industrial_output": s.copy(), "employees": s.copy(), "trade_total": np.zeros(24)},
    )
    cfg = ObservationsConfig(
        file="x.csv", values={"industrial_output": {"2022-01": 2.0, "2022-02": 4.0}, "employees": {"2022-02": 4.0}}
    )
    condition(res, cfg, "latest", "2022-01")
    assert np.allclose(res.monthly["industrial_output"], 2 * s)
    assert np.allclose(res.yearly["industrial_output"], (2 * s).reshape(2, 12).sum(axis=1))
    assert np.allclose(res.yearly["employees"], [24.0, 48.0])
    # the same on a [rep, month] block
    many = condition_series(
        {"industrial_output": np.vstack([s, 2 * s])}, {"industrial_output": np.where(np.arange(24) < 2, 2 * s, NAN)}, 2
    )["industrial_output"]
    assert np.allclose(many[0], 2 * s) and np.allclose(many[1], 2 * s)
    assert known_months("2022-06", "2022-01", 24) == 6 and known_months("2030-01", "2022-01", 24) == 24


# ----------------------------------------------------------------------------- metamorphic: runs


def _truth(reps=1, seed=4321):
    sc = load_scenario(TINY).scenario
    out = []
    for r in range(reps):
        _, _, res = runner.run_replication(sc, seed, r)
        out.append(res)
    return out


def test_no_observations_leaves_the_run_unchanged(tmp_path):
    """An [observations] section without as_of conditions nothing: outputs are byte for byte equal."""
    truth = _truth()[0]
    sc_obs = scenario_file(tmp_path, {"trade_total": truth.monthly["trade_total"][:6]})
    base, with_obs = tmp_path / "base", tmp_path / "obs"
    args = ["--reps", "30", "--seed", "5", "--workers", "1", "-q", "--no-report"]
    assert main(["run", str(TINY), "--out", str(base), *args]) == 0
    assert main(["run", str(sc_obs), "--out", str(with_obs), *args]) == 0
    for f in ("indicators.csv", "summary.csv", "monthly.csv", "time_to_target.csv"):
        assert (base / f).read_bytes() == (with_obs / f).read_bytes(), f
    # and the in-memory results equal a run of the scenario without the section
    a = runner.run_experiment(load_scenario(TINY).scenario, 12, 5, workers=1, progress=False)
    b = runner.run_experiment(load_scenario(sc_obs).scenario, 12, 5, workers=1, progress=False)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.monthly, b.monthly)


def test_observed_months_of_the_fan_are_the_observed_values(tmp_path, monkeypatch):
    truth = _truth()[0]
    table = {k: truth.monthly[k] for k in ("trade_total", "active_enterprises", "employees")}
    sc = scenario_file(tmp_path, table)
    out = tmp_path / "runs"
    out.mkdir()
    monkeypatch.chdir(out)
    assert main(["run", str(sc), "--reps", "40", "--workers", "1", "-q", "--no-report", "--as-of", "2022-06"]) == 0
    folder = out / "results" / "tiny_leads__seed7__n40__asof2022-06"  # the folder name says as of when
    fan = pd.read_csv(folder / "monthly.csv")
    qcols = [c for c in fan.columns if c.startswith("p")] + ["mean"]
    for ind, v in table.items():
        ytd = year_to_date(v[None, :], ind)[0]
        d = fan[fan["indicator"] == ind].reset_index(drop=True)
        for k in range(6):
            # monthly.csv is written for people, to six significant digits (sim/rounding.py)
            assert np.allclose(d.loc[k, qcols].to_numpy(dtype=float), ytd[k], rtol=5e-6, atol=0), (ind, k)
        assert d.loc[6, "p97_5"] > d.loc[6, "p2_5"]  # the future is uncertain again
    ind = pd.read_csv(folder / "indicators.csv")
    m = pd.read_csv(folder / "monthly.csv")
    dec = m[(m["indicator"] == "trade_total") & (m["month"] == "2022-12")]["mean"].iloc[0]
    yearly = ind[(ind["indicator"] == "trade_total") & (ind["year"] == 2022)]["value"].mean()
    # yearly = sum of the adjusted months (monthly.csv carries six significant digits: sim/rounding.py)
    assert dec == pytest.approx(yearly, rel=5e-6)


@pytest.mark.slow
def test_probability_moves_with_the_observed_year_to_date(tmp_path):
    """The same months observed higher (lower) than typical raise (lower) P(year-end target)."""
    base_sc = load_scenario(TINY).scenario
    plain = runner.run_experiment(base_sc, 150, 11, workers=1, progress=False)
    typical = np.median(plain.series("trade_total"), axis=0)
    threshold = float(np.median(plain.column("trade_total", 2022)))
    p = {}
    for label, factor in (("low", 0.6), ("high", 1.6)):
        folder = tmp_path / label
        folder.mkdir()
        obs = {"trade_total": np.where(np.arange(24) < 6, typical * factor, NAN)}
        extra = (
            'as_of = "2022-06"\n\n[targets.trade_2022]\nindicator = "trade_total"\nyear = 2022\nop = ">="\n'
            f'threshold = {threshold!r}\nunit = "亿元"\nsource = "test"\n'
        )
        ls = load_scenario(scenario_file(folder, obs, extra))
        ind = runner.run_experiment(ls.scenario, 150, 11, workers=1, progress=False)
        x = ind.column("trade_total", 2022)
        p[label] = float(np.mean(x >= threshold))
        ytd = year_to_date(ind.series("trade_total"), "trade_total")[:, 5]
        assert np.allclose(ytd, np.cumsum(typical[:6] * factor)[-1])  # every replication starts from it
    p_plain = float(np.mean(plain.column("trade_total", 2022) >= threshold))
    assert p["low"] < p_plain - 0.2
    assert p["high"] > p_plain + 0.2
    assert p["low"] < 0.2 < 0.8 < p["high"]


def test_results_folder_of_a_plain_run_refuses_a_nowcast(tmp_path, capsys):
    truth = _truth()[0]
    sc = scenario_file(tmp_path, {"trade_total": truth.monthly["trade_total"][:6]})
    out = tmp_path / "out"
    assert main(["run", str(sc), "--reps", "4", "--workers", "1", "--out", str(out), "-q", "--no-report"]) == 0
    capsys.readouterr()
    assert (
        main(
            [
                "run",
                str(sc),
                "--reps",
                "4",
                "--workers",
                "1",
                "--out",
                str(out),
                "-q",
                "--no-report",
                "--as-of",
                "2022-03",
            ]
        )
        == 2
    )
    assert "different run" in capsys.readouterr().err
