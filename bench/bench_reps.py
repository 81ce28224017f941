"""Replications per second of a scenario on this machine (prints figures; not a test).

    python bench/bench_reps.py [SCENARIO] [--reps N]

Runs N replications with 1 worker and with all cores, and reports replications per second,
milliseconds per replication and the SimPy events one replication schedules.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.experiment.runner import replication_params, run_experiment  # noqa: E402
from sim.model.zone import ZoneModel  # noqa: E402
from sim.random import Streams  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402


def events_per_replication(sc, seed: int, reps: int = 20) -> float:
    total = 0
    for r in range(reps):
        m = ZoneModel(sc, replication_params(sc, seed, r), Streams(seed, r))
        m.run()
        total += next(m.env._eid)          # SimPy's running event counter
    return total / reps


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default="scenarios/baseline.toml")
    ap.add_argument("--reps", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    sc = load_scenario(a.scenario).scenario
    cores = os.cpu_count() or 1
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}")
    print(f"scenario: {a.scenario}, {a.reps} replications, seed {a.seed}")
    print(f"SimPy events per replication: {events_per_replication(sc, a.seed):.0f}")
    for w in sorted({1, cores}):
        t = time.perf_counter()
        run_experiment(sc, a.reps, a.seed, workers=w, progress=False)
        dt = time.perf_counter() - t
        print(f"workers={w}: {a.reps / dt:8.1f} replications/s  ({1000 * dt / a.reps * w:6.1f} ms per "
              f"replication per worker, {dt:.1f} s wall)")


if __name__ == "__main__":
    main()
