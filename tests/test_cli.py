"""The command registry: shared options on every command, and one place that reports failures.

Every command takes ``--set``; every command that runs replications takes ``--executor dask``;
a :class:`UserError` raised anywhere exits 2 with one line, a :class:`MachineError` exits 1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import expect_error

from sim.cli import COMMANDS, build_parser, main
from sim.errors import MachineError, UserError
from sim.experiment import compare as cmp
from sim.experiment import engine, runner

ROOT = Path(__file__).resolve().parents[1]
BASE = str(ROOT / "scenarios" / "baseline.toml")
OTHERS = [str(ROOT / "scenarios" / f"{n}.toml") for n in ("promotion_push", "early_cbec")]
OBS = ["--set", f"observations.file={ROOT / 'scenarios' / 'observations_template.csv'}"]

# the smallest arguments of each command that takes a scenario
SCENARIO_COMMANDS = {
    "run": ["run", BASE, "--no-report"],
    "validate": ["validate", BASE],
    "levers": ["levers", BASE],
    "compare": ["compare", BASE, *OTHERS],
    "sweep": ["sweep", BASE, "--lever", "promotion_events_per_year=1,2"],
    "sensitivity": ["sensitivity", BASE],
    "discover": ["discover", BASE, "--target", "trade_total_2023"],
    "calibrate": ["calibrate", BASE, *OBS],
    "backtest": ["backtest", BASE, *OBS, "--cutoffs", "2022-02,2022-03"],
    "optimise": ["optimise", BASE, "--goal", "trade_total_2023>=0.8"],
    "studio": ["studio", BASE, "--no-browser"],
}
REPLICATION_COMMANDS = ["run", "compare", "sweep", "sensitivity", "discover", "calibrate", "backtest", "optimise"]


def test_registry_lists_every_command():
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    assert set(sub.choices) == set(SCENARIO_COMMANDS) | {"report", "new-zone"}
    assert len(COMMANDS) == len(sub.choices)


@pytest.mark.parametrize("name", SCENARIO_COMMANDS)
def test_every_command_takes_set_and_names_a_bad_key(capsys, tmp_path, name):
    argv = [*SCENARIO_COMMANDS[name], "--set", "nope.key=1"]
    expect_error(capsys, argv + (["--out", str(tmp_path / "out")] if name in REPLICATION_COMMANDS else []), "nope.key")
    assert not (tmp_path / "out").exists()  # a rejected scenario writes nothing (where --out applies)


def test_compare_applies_set_to_every_scenario(monkeypatch, capsys):
    seen = []

    def stop(loaded, *a, **k):
        seen.extend(ls.scenario.levers.promotion_events_per_year for ls in loaded)
        raise UserError("stopped before running")

    monkeypatch.setattr(cmp, "compare", stop)
    expect_error(
        capsys,
        ["compare", BASE, *OTHERS, "--set", "levers.promotion_events_per_year=5", "-q"],
        "stopped before running",
    )
    assert seen == [5, 5, 5]


@pytest.mark.parametrize("name", REPLICATION_COMMANDS)
def test_replication_commands_take_dask(name):
    args = build_parser().parse_args(
        [*SCENARIO_COMMANDS[name], "--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786"]
    )
    assert (args.executor, args.scheduler) == ("dask", "tcp://127.0.0.1:8786")


@pytest.mark.parametrize("name", REPLICATION_COMMANDS)
def test_dask_without_scheduler_is_one_line_before_anything_runs(capsys, tmp_path, name):
    expect_error(
        capsys, [*SCENARIO_COMMANDS[name], "--executor", "dask", "--out", str(tmp_path / "out")], "--scheduler ADDRESS"
    )
    assert not (tmp_path / "out").exists()


class _Planted(UserError):
    pass


def test_user_error_anywhere_exits_2_with_one_line(monkeypatch, capsys, tmp_path):
    def boom(*a, **k):
        raise _Planted("planted: fix the input")

    monkeypatch.setattr("sim.cli.levers.format_catalogue", boom)
    expect_error(capsys, ["levers", BASE], "error: planted: fix the input")
    monkeypatch.setattr(engine, "evaluate", boom)  # the run goes through sim.run, on the engine
    expect_error(
        capsys, ["run", BASE, "--reps", "2", "-q", "--no-report", "--out", str(tmp_path / "r")], "error: planted"
    )


def test_machine_error_and_failing_replication_exit_1_with_one_line(monkeypatch, capsys, tmp_path):
    def failing(*a, **k):
        raise runner.ReplicationError("replication 3 (seed 5) failed: ValueError: planted")

    monkeypatch.setattr(engine, "evaluate", failing)
    assert issubclass(runner.ReplicationError, MachineError)
    assert main(["run", BASE, "--reps", "4", "-q", "--no-report", "--out", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert err == "error: replication 3 (seed 5) failed: ValueError: planted\n"


@pytest.mark.slow
def test_compare_on_a_dask_cluster_writes_the_same_bytes(tmp_path):
    distributed = pytest.importorskip("distributed")
    argv = ["compare", BASE, OTHERS[0], "--reps", "8", "--seed", "3", "-q"]
    assert main([*argv, "--workers", "1", "--out", str(tmp_path / "local")]) == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert (
            main(
                [*argv, "--executor", "dask", "--scheduler", cluster.scheduler_address, "--out", str(tmp_path / "dask")]
            )
            == 0
        )
    for f in ("compare.csv", "summary.csv", "target_values.csv"):
        assert (tmp_path / "dask" / f).read_bytes() == (tmp_path / "local" / f).read_bytes(), f


def test_a_named_command_loads_only_its_own_module():
    """`validate` starts without the charts, the pack or another command's module."""
    import subprocess
    import sys

    code = (
        f"import sys; from sim.cli import main; main(['validate', {BASE!r}]); "
        "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'sim.cli.', 'sim.report'))))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    loaded = r.stdout.strip().splitlines()[-1]
    assert "sim.cli.validate" in loaded
    for other in ("matplotlib", "sim.report.pack", "sim.report.chart", "sim.cli.run", "sim.cli.sensitivity"):
        assert f"'{other}" not in loaded, loaded


def test_a_what_if_by_set_gets_its_own_default_folder(tmp_path, monkeypatch):
    """run --set must not write into (or be refused by) the scenario's own default folder."""
    monkeypatch.chdir(tmp_path)
    tiny = str(Path(__file__).resolve().parent / "data" / "tiny.toml")
    assert main(["run", tiny, "--reps", "5", "--workers", "1", "-q", "--no-report"]) == 0
    assert (
        main(
            [
                "run",
                tiny,
                "--reps",
                "5",
                "--workers",
                "1",
                "-q",
                "--no-report",
                "--set",
                "levers.promotion_events_per_year=3",
            ]
        )
        == 0
    )
    folders = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert len(folders) == 2 and folders[0].endswith("__n5") and "__n5__set" in folders[1], folders


def test_run_without_a_pack_loads_none_of_the_packs_libraries(tmp_path):
    """``run --no-report`` starts without matplotlib and scipy.optimize (it loads the charts' library
    while its workers compute) and never loads the meeting pack's libraries (PDF, Excel, slides, the
    goal seek's optimiser) nor scipy.stats: the run's own process is part of every run's time."""
    start = ("matplotlib", "scipy.optimize")
    heavy = (
        "scipy.stats",
        "scipy.optimize",
        "fpdf",
        "openpyxl",
        "xlsxwriter",
        "pptx",
        "optuna",
        "sim.report.pack",
        "sim.portfolio.results",
    )
    code = (
        "import sys; import sim.cli.run; "
        f"print(sorted(m for m in {start!r} if m in sys.modules)); "
        "from sim.cli import main; "
        "main(['run', 'scenarios/baseline.toml', '--reps', '4', '--workers', '1', '--no-report', '-q', "
        "'--out', sys.argv[1]]); "
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "[]" and lines[-1] == "[]", lines
    assert (tmp_path / "out" / "indicators.csv").is_file()
    for lang in ("zh", "en"):
        assert (tmp_path / "out" / "charts" / f"p_targets_{lang}.png").stat().st_size > 10_000
