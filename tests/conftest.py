"""Shared helpers for the model test tiers (exact, statistical, metamorphic).

Test scenarios live in tests/data/ and never extend scenarios/, so edits to the baseline cannot
break them. ``scenario(name, patch)`` loads one and deep-merges a patch (a nested dict, merged
key by key like ``extends``) before validation, so a test states only what it changes.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path

import numpy as np
import pytest

from sim.experiment import runner
from sim.model import simulate
from sim.model.draws import Draws
from sim.scenario.loader import deep_merge, load_scenario, validate_data

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
GOLDEN = TESTS / "golden"


def scenario(name: str = "tiny.toml", patch: dict | None = None):
    """Validated Scenario from tests/data/<name>, with ``patch`` deep-merged first."""
    path = DATA / name
    if not patch:
        return load_scenario(path).scenario
    # resolve ``extends`` through the real loader, then merge the patch on the resolved data
    base = load_scenario(path).resolved
    data = deep_merge(base, patch, {}, "<test patch>")
    return validate_data(data, path).scenario


def params(sc, seed: int, rep: int) -> dict:
    """The drawn parameters of one replication (what the runner passes to the model)."""
    return runner.replication_params(sc, seed, rep)


def simulate_rep(sc, seed: int = 7, rep: int = 0, trace: bool = False):
    """One replication through the public model entry point: sim.model.simulate."""
    return simulate(sc, params(sc, seed, rep), Draws(seed, rep), trace=trace)


def yearly(sc, reps: int, seed: int = 1, indicators: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
    """{indicator: array[rep, year]} over replications 0..reps-1, serial, in this process."""
    out: dict[str, list] = {}
    for r in range(reps):
        y = simulate_rep(sc, seed, r).yearly
        for k in indicators or y:
            out.setdefault(k, []).append(y[k])
    return {k: np.asarray(v, dtype=float) for k, v in out.items()}


def run_experiment(sc, reps: int, seed: int, workers: int = 1, small_chunks: bool = False):
    """sim.experiment.runner.run_experiment without a progress bar.

    ``small_chunks`` asks for several chunks: with a ``chunk_size`` argument it passes a small one,
    otherwise (fixed ``CHUNK_SIZE`` boundaries) the caller must ask for more than CHUNK_SIZE reps."""
    kw = {}
    if small_chunks and "chunk_size" in inspect.signature(runner.run_experiment).parameters:
        kw["chunk_size"] = 4
    return runner.run_experiment(sc, reps, seed, workers=workers, progress=False, **kw)


def reps_for_several_chunks(small: int = 30) -> int:
    """A replication count that the runner splits into at least three chunks."""
    if "chunk_size" in inspect.signature(runner.run_experiment).parameters:
        return small
    return 2 * runner.CHUNK_SIZE + 7


def mean_se(x) -> tuple[float, float]:
    """Sample mean and its standard error (sample sd / sqrt(n))."""
    x = np.asarray(x, dtype=float)
    return float(x.mean()), float(x.std(ddof=1) / np.sqrt(len(x)))


@pytest.fixture
def tiny():
    return scenario("tiny.toml")


def expect_error(capsys, argv, *fragments, code: int = 2) -> str:
    """Run the CLI; assert exit ``code`` (2: the user's to fix) with one stderr line, no traceback,
    containing every fragment."""
    from sim.cli import main

    got = main(argv)
    err = capsys.readouterr().err
    assert got == code, err
    assert "Traceback" not in err
    assert err.count("\n") == 1, f"expected one line, got:\n{err}"
    for f in fragments:
        assert f in err, f"{f!r} not in {err!r}"
    return err


# ----------------------------------------------------------------------------- tiers that must run in CI

MUST_RUN = {
    "browser": (
        "tests/test_studio_browser.py",
        "tests/test_report.py::test_html_loads_in_headless_browser",
        "tests/test_report.py::test_pdf_pages_render_and_are_not_blank",
    ),
    "deck": ("tests/test_pack_deck.py",),
    "fault": ("tests/test_faults.py",),
}
"""Tests that skip where a tool is missing (chromium, LibreOffice, mount rights, Dask): marked with
their tier here, and under ``CI`` a skip of any of them fails the run with its reason, so a
failed install cannot turn a tier off silently. Elsewhere they skip, and ``-rs`` prints why."""


def _tier(nodeid: str) -> str | None:
    return next((t for t, prefixes in MUST_RUN.items() if nodeid.startswith(prefixes)), None)


def pytest_collection_modifyitems(config, items):
    for item in items:
        tier = _tier(item.nodeid)
        if tier:
            item.add_marker(getattr(pytest.mark, tier))


def _skip_reason(rep) -> str:
    lr = rep.longrepr
    return str(lr[2] if isinstance(lr, tuple) and len(lr) == 3 else lr).removeprefix("Skipped: ")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    tier = next((t for t in MUST_RUN if item.get_closest_marker(t)), None)
    if os.environ.get("CI") and rep.skipped and tier and not hasattr(rep, "wasxfail"):
        rep.outcome = "failed"
        rep.longrepr = f"the {tier} tier must run under CI, but was skipped: {_skip_reason(rep)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A whole module skipped at import (``importorskip``) under CI: a collection error."""
    outcome = yield
    rep = outcome.get_result()
    tier = _tier(rep.nodeid)
    if os.environ.get("CI") and rep.skipped and tier:
        rep.outcome = "failed"
        rep.longrepr = f"the {tier} tier must run under CI, but was skipped: {_skip_reason(rep)}"
