"""The public Python API (sim/api.py): its objects and tables, and ``Results.save`` against the CLI.

``res.save(dir)`` must write the folder ``run ... --no-report --out dir`` writes, byte for byte,
except what records the moment and the command (the manifest's ``run_date`` and ``command``, the
zip timestamps inside the ``.npz`` chunk archives and so their ``.sha256`` sidecars): those are
compared by content instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.targets import proportion_ci
from sim.cli import main
from sim.scenario.loader import with_values

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "scenarios" / "baseline.toml")
REPS, SEED = 24, 3


@pytest.fixture(scope="module")
def res():
    return sim.run(sim.load_scenario(BASELINE), reps=REPS, seed=SEED, workers=2)


def test_import_sim_exposes_the_api():
    for name in ("load_scenario", "run", "compare", "Results"):
        assert name in dir(sim) and callable(getattr(sim, name))
    with pytest.raises(AttributeError):
        _ = sim.no_such_name


def test_results_tables(res):
    assert isinstance(res, sim.Results) and res.reps == REPS and res.seed == SEED
    s = res.summary
    assert {"target_id", "p_hit", "ci_low", "ci_high", "n_reps"} <= set(s.columns)
    assert (s["n_reps"] == REPS).all() and np.allclose(s["p_hit"], s["hits"] / s["n_reps"])
    for _, r in s.iterrows():  # the interval is the Wilson interval of hits / n
        assert (r["ci_low"], r["ci_high"]) == pytest.approx(proportion_ci(int(r["hits"]), int(r["n_reps"])))
    assert s.set_index("target_id").loc["trade_total_2022", "base"] > 0  # the start is in the summary
    ind = res.indicators
    assert list(ind.columns) == ["rep", "year", "indicator", "value"]
    assert sorted(ind["rep"].unique()) == list(range(REPS))
    assert {"indicator", "month", "p50"} <= set(res.monthly.columns)
    assert isinstance(res.ranking, pd.DataFrame) and isinstance(res.peers, pd.DataFrame)
    assert len(res.time_to_target)


def test_overrides_as_a_dict_mean_what_set_means():
    a = sim.load_scenario(
        BASELINE, overrides={"levers.promotion_events_per_year": 4, "levers.milestone_month.cbec_site": "2022-03"}
    )
    b = sim.load_scenario(
        BASELINE, overrides=["levers.promotion_events_per_year=4", 'levers.milestone_month.cbec_site="2022-03"']
    )
    assert a.sha256 == b.sha256 and a.scenario.levers.promotion_events_per_year == 4


def test_bad_override_is_a_scenario_error():
    with pytest.raises(sim.api.ScenarioError, match="promotion_events_per_year"):
        sim.load_scenario(BASELINE, overrides={"levers.promotion_events_per_year": -1})


def test_one_loader_one_results_type():
    """One ``load_scenario`` (the loader's own, re-exported) and one ``Results`` (what the API
    returns and what the meeting pack reads a folder with)."""
    import sim.results
    import sim.scenario

    assert sim.load_scenario is sim.scenario.load_scenario
    assert sim.Results is sim.results.Results
    assert "Parameters" in (sim.load_scenario.__doc__ or "") and "save" in (sim.Results.__doc__ or "")


def test_values_are_applied_typed_and_leave_the_base_unchanged():
    base = sim.load_scenario(BASELINE)
    before = json.dumps(base.resolved, sort_keys=True, default=str)
    new = with_values(base, {"levers.promotion_events_per_year": np.int64(4), "base_year.employees": 9000.0})
    by_text = sim.load_scenario(BASELINE, ["levers.promotion_events_per_year=4", "base_year.employees=9000.0"])
    assert new.sha256 == by_text.sha256 and new.scenario.levers.promotion_events_per_year == 4
    assert json.dumps(base.resolved, sort_keys=True, default=str) == before
    with pytest.raises(sim.api.ScenarioError, match=r"levers\.promotion_events_per_year=-1"):
        with_values(base, {"levers.promotion_events_per_year": -1})


def test_a_saved_folder_reads_back_as_the_same_results(res, tmp_path):
    back = sim.Results.load(res.save(tmp_path / "r"))
    pd.testing.assert_frame_equal(
        back.summary[["target_id", "hits", "n_reps"]], res.summary[["target_id", "hits", "n_reps"]]
    )
    assert back.reps == res.reps and back.seed == res.seed and back.scenario_name == res.scenario_name
    assert back.indicators is not None
    pd.testing.assert_frame_equal(
        back.indicators.astype({"indicator": str}), res.indicators.astype({"indicator": str}), check_dtype=False
    )
    assert sorted(back.indicators["year"].unique()) == back.years  # the start is in base_year
    assert back.time_to_target is not None and back.monthly is not None


def test_same_seed_same_summary_whatever_the_workers(res):
    one = sim.run(BASELINE, reps=REPS, seed=SEED, workers=1, monthly=False)
    pd.testing.assert_frame_equal(one.summary, res.summary)
    with pytest.raises(ValueError, match="monthly"):
        one.save("unused")


def test_compare_and_difference_agree():
    base = sim.load_scenario(BASELINE)
    what_if = sim.load_scenario(BASELINE, overrides={"levers.promotion_events_per_year": 6})
    table = sim.compare(base, what_if, reps=REPS, seed=SEED, workers=1)
    a, b = (sim.run(s, reps=REPS, seed=SEED, workers=1, monthly=False) for s in (base, what_if))
    pd.testing.assert_frame_equal(b.difference(a), table)
    with pytest.raises(ValueError, match="same seed"):
        b.difference(sim.run(base, reps=REPS, seed=SEED + 1, workers=1, monthly=False))


def _files(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


def test_save_writes_the_cli_folder_byte_for_byte(res, tmp_path):
    cli = tmp_path / "cli"
    assert (
        main(
            [
                "run",
                BASELINE,
                "--reps",
                str(REPS),
                "--seed",
                str(SEED),
                "--workers",
                "2",
                "--out",
                str(cli),
                "-q",
                "--no-report",
            ]
        )
        == 0
    )
    api = res.save(tmp_path / "api")
    a, b = _files(cli), _files(api)
    assert sorted(a) == sorted(b)
    for name in a:
        if name == "manifest.json":
            ma, mb = (json.loads(p.read_text(encoding="utf-8")) for p in (a[name], b[name]))
            for k in ("command", "run_date"):
                ma.pop(k), mb.pop(k)
            assert ma == mb
        elif name.endswith(".npz"):
            with np.load(a[name]) as za, np.load(b[name]) as zb:
                assert sorted(za.files) == sorted(zb.files)
                for k in za.files:
                    assert np.array_equal(za[k], zb[k]), (name, k)
        elif not name.endswith(".sha256"):
            assert a[name].read_bytes() == b[name].read_bytes(), name


def test_save_is_the_same_whatever_the_chunks_of_the_run(res, tmp_path):
    small = sim.run(BASELINE, reps=REPS, seed=SEED, workers=2, chunk_size=5)
    a, b = _files(res.save(tmp_path / "a")), _files(small.save(tmp_path / "b"))
    assert sorted(a) == sorted(b)
    for name in a:
        if name.endswith((".csv", ".toml", ".png", "run.json")):
            assert a[name].read_bytes() == b[name].read_bytes(), name


def test_saved_folder_resumes_in_the_cli(res, tmp_path):
    """A saved folder is a complete run: the CLI finds every chunk and recomputes none."""
    out = res.save(tmp_path / "api")
    r = subprocess.run(
        [
            sys.executable,
            "run_sim.py",
            "run",
            BASELINE,
            "--reps",
            str(REPS),
            "--seed",
            str(SEED),
            "--workers",
            "1",
            "--out",
            str(out),
            "--no-report",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert r.returncode == 0, r.stderr
    assert "recomputed" not in r.stderr


@pytest.mark.slow
def test_example_script_runs():
    r = subprocess.run(
        [sys.executable, "examples/what_if.py", "40"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "trade_total_2022" in r.stdout and "summary.csv" in r.stdout
