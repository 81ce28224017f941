"""Runs at scale: chunking, resume after a kill, corrupted chunks, precision stopping, Dask.

Uses the baseline with a shorter horizon-independent setting (few replications per chunk is
not needed: chunk boundaries are fixed at CHUNK_SIZE replications)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.experiment import replication, runner
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "scenarios" / "baseline.toml")
RUN = [sys.executable, str(ROOT / "run_sim.py"), "run", BASELINE]
N = 2 * runner.CHUNK_SIZE + 37  # three chunks, the last one partial


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "run"
    assert main(["run", BASELINE, "--reps", str(N), "--seed", "9", "--out", str(out), "-q", "--no-report"]) == 0
    return out


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        f: (folder / f).read_bytes() for f in ("indicators.csv", "summary.csv", "monthly.csv", "time_to_target.csv")
    }


@pytest.mark.slow
def test_resume_after_sigkill_is_byte_identical(reference, tmp_path):
    """Kill the run at several random moments; rerunning the same command finishes identically."""
    rng = random.Random(12345)
    out = tmp_path / "killed"
    cmd = [*RUN, "--reps", str(N), "--seed", "9", "--out", str(out), "-q", "--no-report", "--workers", "2"]
    for _ in range(3):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(1.5, 6.0))
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert outputs(out) == outputs(reference)


def test_corrupted_and_partial_chunks_are_redone(reference, tmp_path, capsys):
    out = tmp_path / "corrupt"
    args = ["run", BASELINE, "--reps", str(N), "--seed", "9", "--out", str(out), "-q", "--no-report", "--workers", "1"]
    assert main(args) == 0
    chunks = sorted((out / "chunks").glob("*.npz"))
    assert len(chunks) == 3
    data = bytearray(chunks[0].read_bytes())
    data[len(data) // 2] ^= 0xFF  # flip a byte: checksum no longer matches
    chunks[0].write_bytes(bytes(data))
    chunks[1].with_suffix(".sha256").unlink()  # as if killed between data and checksum
    chunks[2].write_bytes(chunks[2].read_bytes()[:100])  # truncated
    capsys.readouterr()
    assert main(args) == 0
    assert "3 partial or corrupted chunk(s) were recomputed" in capsys.readouterr().err
    assert outputs(out) == outputs(reference)


def test_other_seed_or_scenario_in_same_folder_is_refused(reference, tmp_path, capsys):
    out = tmp_path / "mixed"
    assert main(["run", BASELINE, "--reps", "30", "--seed", "9", "--out", str(out), "-q", "--no-report"]) == 0
    before = (out / "indicators.csv").read_bytes()
    assert main(["run", BASELINE, "--reps", "30", "--seed", "10", "--out", str(out), "-q", "--no-report"]) == 2
    assert "different run" in capsys.readouterr().err
    assert (
        main(
            [
                "run",
                BASELINE,
                "--reps",
                "30",
                "--seed",
                "9",
                "--out",
                str(out),
                "-q",
                "--no-report",
                "--set",
                "levers.promotion_events_per_year=5",
            ]
        )
        == 2
    )
    assert "scenario_sha256" in capsys.readouterr().err
    assert (out / "indicators.csv").read_bytes() == before  # nothing lost or mixed


def test_precision_stopping_meets_bound_and_equals_fixed_count(tmp_path, capsys):
    out = tmp_path / "prec"
    assert (
        main(
            [
                "run",
                BASELINE,
                "--precision",
                "0.045",
                "--reps",
                "200",
                "--max-reps",
                "2000",
                "--seed",
                "9",
                "--out",
                str(out),
                "-q",
                "--no-report",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "rule met" in text
    import pandas as pd

    s = pd.read_csv(out / "summary.csv")
    n = int(s["n_reps"].iloc[0])
    active = s[s["active"]]
    assert ((active["ci_high"] - active["ci_low"]) / 2).max() <= 0.045
    assert n % runner.CHUNK_SIZE == 0 and n <= 2000
    fixed = tmp_path / "fixed"
    assert main(["run", BASELINE, "--reps", str(n), "--seed", "9", "--out", str(fixed), "-q", "--no-report"]) == 0
    assert outputs(out) == outputs(fixed)


def test_precision_that_cannot_be_met_stops_at_max(tmp_path, capsys):
    out = tmp_path / "prec_max"
    assert (
        main(
            [
                "run",
                BASELINE,
                "--precision",
                "0.001",
                "--reps",
                "200",
                "--max-reps",
                "400",
                "--seed",
                "9",
                "--out",
                str(out),
                "-q",
                "--no-report",
            ]
        )
        == 0
    )
    assert "not met: stopped at the maximum of 400" in capsys.readouterr().out


def test_failing_replication_names_rep_and_seed(monkeypatch):
    sc = load_scenario(BASELINE).scenario
    real = replication.simulate

    def boom(sc_, params, streams, trace=False):
        if streams.rep == 3:
            raise ValueError("planted failure")
        return real(sc_, params, streams, trace)

    monkeypatch.setattr(replication, "simulate", boom)
    with pytest.raises(runner.ReplicationError, match=r"replication 3 \(seed 5\) failed: ValueError: planted"):
        runner.run_experiment(sc, 5, 5, workers=1, progress=False)


@pytest.mark.slow
def test_dask_local_cluster_equals_local_run(reference, tmp_path):
    distributed = pytest.importorskip("distributed")
    from sim.experiment.executors import DaskExecutor

    sc = load_scenario(BASELINE).scenario
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        ex = DaskExecutor(cluster.scheduler_address)
        try:
            ind = runner.run_experiment(sc, N, 9, executor=ex, progress=False)
        finally:
            ex.close()
    local = runner.run_experiment(sc, N, 9, workers=2, progress=False)
    assert np.array_equal(ind.values, local.values) and np.array_equal(ind.monthly, local.monthly)
    # and the CLI path writes byte-identical files
    out = tmp_path / "dask"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert (
            main(
                [
                    "run",
                    BASELINE,
                    "--reps",
                    str(N),
                    "--seed",
                    "9",
                    "--out",
                    str(out),
                    "-q",
                    "--no-report",
                    "--executor",
                    "dask",
                    "--scheduler",
                    cluster.scheduler_address,
                ]
            )
            == 0
        )
    assert outputs(out) == outputs(reference)


def test_december_time_to_target_equals_p_hit(reference):
    import pandas as pd

    s = pd.read_csv(reference / "summary.csv").set_index("target_id")
    t = pd.read_csv(reference / "time_to_target.csv")
    dec = t[t["month"].str.endswith("-12")]
    checked = 0
    for _, r in dec.iterrows():
        if int(r["month"][:4]) == s.loc[r["target_id"], "year"]:
            assert r["p_reached"] == s.loc[r["target_id"], "p_hit"], r["target_id"]
            checked += 1
    assert checked >= 20
