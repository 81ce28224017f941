"""Scripts that cannot rot: every ``bench/*.py`` runs in its ``--smoke`` mode and prints its figures.

A smoke run goes through the script's real code path on a handful of replications (seconds, not
minutes), in a subprocess from the repository root as a person would start it. It checks that
the script exits 0 and printed the lines that carry its figures; the figures themselves are not
judged (this is a check that the script works, never a timed test).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

EXPECTED: dict[str, list[str]] = {
    "bad_inputs.py": ["value ", "set ", "encoding ", "all "],
    "bench_optimise.py": ["goal seek:", "wall time:", "Goal seek on"],
    "bench_portfolio.py": [
        "five single runs: wall ms/replication",
        "five-zone portfolio: wall ms/replication",
        "portfolio / five single runs:",
    ],
    "bench_pack.py": [
        "process start-up:",
        "whole pack",
        "timeline of one build",
        "stages of one build",
        "[en] PDF",
        "Excel",
    ],
    "bench_ranking.py": ["wall ms: best", "CPU ms:  best", "outputs sha256"],
    "bench_scale.py": [
        "CPU per replication, all in (run_chunk)",
        "reference model / model",
        "SimPy events per replication:",
        "random numbers per replication:",
    ],
    "bench_studio.py": ["base scenario:", "200 replications at", "first answer for all targets:"],
    "speed_table.py": [
        "CPU per replication, all in:",
        "batched random-number floor:",
        "run --reps 200 --no-report, ",
        "its main process alone",
        "importing the run command: ",
        "studio",
        "meeting pack (a 20-replication tiny run)",
    ],
    "outputs_identical.py": ["recorded 5 digests", "5 reference digests, 0 differ/missing/new"],
    "build_national_facts.py": ["rows built; matches scenarios/national_facts.csv"],
    "mutations.py": ["1 mutations: 1 caught"],
    "reference_growth.py": ["zone-years built; matches reference_growth.csv"],
    "reference_class.py": ["zone-years, 20 replications each", "mean quantile"],
}
"""Script -> text its smoke run must print (the lines that carry its figures)."""

NEEDS_SHARED_FACTS = {"build_national_facts.py", "reference_growth.py"}
"""Scripts that rebuild the project's tables from the shared facts (``../shared/data`` beside the
checkout, as CI lays it out); without that folder they cannot run and are skipped with the reason."""
SHARED_FACTS = next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data" / "facts_by_year.csv").exists()), None
)


def test_every_bench_script_has_a_smoke_test():
    assert sorted(p.name for p in (ROOT / "bench").glob("*.py")) == sorted(EXPECTED)


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_bench_script_smoke(script):
    if script in NEEDS_SHARED_FACTS and SHARED_FACTS is None:
        pytest.skip(f"{script} rebuilds tables from the shared facts, and no shared/data folder is beside the checkout")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    missing = [s for s in EXPECTED[script] if s not in done.stdout]
    assert not missing, f"{script} --smoke did not print {missing}:\n{done.stdout[-3000:]}"
