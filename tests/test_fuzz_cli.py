"""Fuzz tier for command lines: every bad command line is refused before anything runs.

Each case is a command line a planner might mistype: an unknown command, a missing or absent
file, a count that is negative, not a number or beyond what a run may hold in memory, a seed
beyond the scenario's range, an option value outside its choices, an output folder that cannot be
one. Each must exit 2 with one ``error:`` line (or argparse's usage line and its ``error:`` line),
no traceback, nothing written. ``bench/bad_inputs.py`` counts the same cases.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_fuzz_zone import attempt

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parents[1]
T = str(ROOT / "tests" / "data" / "tiny.toml")
HUGE = str(10**11)

CASES: list[list[str]] = [
    ["nosuch"],
    [],
    ["run"],
    ["run", "nosuch.toml"],
    ["run", str(ROOT / "scenarios")],
    *(["run", T, "--reps", v] for v in ("-1", "abc", "0", "1e9", "2.5", HUGE)),
    *(["run", T, "--workers", v] for v in ("0", "-3", "many", "100000")),
    *(["run", T, "--seed", v] for v in ("-1", "1e400", str(2**70))),
    *(["run", T, "--precision", v] for v in ("0", "nan", "2", "-0.1")),
    *(["run", T, "--precision", "0.01", "--max-reps", v] for v in ("-5", HUGE)),
    ["run", T, "--as-of", "2022-13"],
    ["run", T, "--as-of", "latest"],
    ["run", T, "--executor", "mpi"],
    ["run", T, "--out", "/dev/null/x"],
    ["run", T, "--out", str(ROOT / "README.md")],
    ["run", T, "--previous", "/nonexistent"],
    ["run", T, "--goal-seek", "/nonexistent"],
    *(["run", T, "--set", v] for v in ("noequals", "=3", "a..b=3", "levers.x=", "run.replications=[")),
    ["report", "/nonexistent"],
    ["report", str(ROOT / "README.md")],
    ["compare", T],
    ["compare", T, "nosuch.toml"],
    ["compare", T, T, "--reps", HUGE],
    ["sweep", T],
    ["sweep", T, "--lever", "nosuch"],
    ["sensitivity", T, "--reps", "-4"],
    ["optimise", T, "--goal", "x"],
    ["optimise", T, "--goal", "trade_2023>=0.8", "--trials", HUGE],
    ["studio", "nosuch.toml"],
    ["studio", T, "--workers", "0"],
    ["new-zone"],
    ["new-zone", str(ROOT / "README.md")],
    ["new-zone", "x.toml", "--lang", "fr"],
    ["levers", "nosuch.toml"],
    ["validate"],
    ["calibrate", T],
    ["calibrate", T, "--sims", HUGE],
    ["backtest", T],
    ["discover", T, "--target", "nosuch"],
]
"""Bad command lines, each refused before it reads much more than its arguments."""


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(a[:1] + a[2:])[:60] or "empty" for a in CASES])
def test_bad_command_line_is_refused_before_it_runs(argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a refused run must not leave a results folder behind
    result, err = attempt(argv)
    assert result in ("clean", "usage"), f"{argv}: {result}\n{err}"
    assert not os.listdir(tmp_path), f"{argv} wrote {os.listdir(tmp_path)}"
