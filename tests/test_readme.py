"""The README's examples run as written, so the README cannot rot.

Every ``run_sim.py`` command line in the README (fenced code blocks and inline code) is parsed
with the real command-line parser and its scenarios are loaded with its ``--set`` overrides
(which reads any observations file it names). ``validate`` and ``levers`` run as written; the
run, calibrate, backtest and optimise examples run with their sizes made tiny by appended options.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from sim.cli import build_parser, main
from sim.portfolio import is_portfolio_file, load_portfolio
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

TINY = {
    "run": ["--reps", "10", "--workers", "1", "-q", "--no-report"],
    "calibrate": ["--sims", "60", "--rounds", "1", "--keep", "0.2", "--check-reps", "10", "--workers", "1", "-q"],
    "backtest": ["--reps", "10", "--workers", "1", "-q"],
    "optimise": ["--workers", "1", "-q"],
}
"""Options appended to an example to make it cheap (argparse keeps the last value of an option)."""


def readme_commands() -> list[list[str]]:
    """argv (after run_sim.py) of every example; placeholders in capitals (HOST, DIR) are skipped."""
    text = README.read_text(encoding="utf-8")
    lines = re.findall(r"^(?:\.venv/bin/)?python run_sim\.py (.+)$", text, flags=re.M)
    lines += re.findall(r"`(?:\.venv/bin/)?python run_sim\.py ([^`]+)`", text)
    out = []
    for line in lines:
        argv = shlex.split(line.split("  #")[0].split(" # ")[0])
        if argv and not any(re.search(r"\b[A-Z]{3,}\b", a) for a in argv):
            out.append(argv)
    return out


COMMANDS = readme_commands()


def _id(argv):
    return " ".join(argv)[:70]


def test_readme_has_examples():
    names = {a[0] for a in COMMANDS}
    assert {"run", "validate", "calibrate", "backtest", "compare", "sweep", "sensitivity", "levers"} <= names, names


@pytest.mark.parametrize("argv", COMMANDS, ids=_id)
def test_readme_example_parses_and_loads(argv, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    args = build_parser().parse_args(argv)
    overrides = list(getattr(args, "overrides", []) or [])
    if getattr(args, "as_of", None):
        overrides.append(f'observations.as_of="{args.as_of}"')
    scenarios = getattr(args, "scenarios", None) or [args.scenario]
    for s in scenarios:
        assert (ROOT / s).is_file(), f"{s} named in README.md does not exist"
        if is_portfolio_file(s):
            load_portfolio(s)
        else:
            load_scenario(s, overrides)
    if argv[0] in ("validate", "levers"):
        assert main(argv) == 0, capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("argv", [a for a in COMMANDS if a[0] in TINY], ids=_id)
def test_readme_example_runs(argv, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(ROOT)
    code = main([*argv, *TINY[argv[0]], "--out", str(tmp_path / "out")])
    assert code == 0, capsys.readouterr().err
