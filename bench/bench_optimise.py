"""Wall time of a goal seek on this machine (prints figures; never a timed test).

    python bench/bench_optimise.py [SCENARIO] [--trials N] [--reps N] [--verify-reps N] [--workers W] [--smoke]

Runs ``run_sim.py optimise`` on the scenario (default: the baseline) with two goals
(``trade_total_2023>=0.8`` and ``rank_2023>=0.8``) over every lever with a range (at least six
on the baseline), at the command's defaults unless told otherwise, and prints the wall time, the
number of levers and candidates, the load average and what the search found. The goal is at most
10 minutes on 2 cores. ``--smoke`` tries 3 candidates of 20 replications, verified on 40, on one
worker (a few seconds; the test suite runs it so the script keeps working).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOALS = ["--goal", "trade_total_2023>=0.8", "--goal", "rank_2023>=0.8"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "baseline.toml"))
    ap.add_argument("--trials", type=int, default=80)
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--verify-reps", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--smoke", action="store_true", help="3 candidates x 20 replications: checks the script runs")
    a = ap.parse_args()
    if a.smoke:
        a.trials, a.reps, a.verify_reps, a.workers = 3, 20, 40, 1
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "goal"
        argv = [
            sys.executable,
            str(ROOT / "run_sim.py"),
            "optimise",
            a.scenario,
            *GOALS,
            "--trials",
            str(a.trials),
            "--reps",
            str(a.reps),
            "--verify-reps",
            str(a.verify_reps),
            "--workers",
            str(a.workers),
            "-q",
            "--out",
            str(out),
        ]
        t0 = time.time()
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
        wall = time.time() - t0
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return done.returncode
        n_levers = len(json.loads((out / "manifest.json").read_text())["levers_searched"])
    print(
        f"goal seek: {n_levers} levers, 2 goals, {a.trials} candidates x {a.reps} replications, "
        f"verified on {a.verify_reps}, {a.workers} workers"
    )
    print(f"wall time: {wall:.0f} s (goal: <= 600 s on 2 cores); load average {os.getloadavg()[0]:.1f}")
    print(done.stdout.split("\n\n")[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
