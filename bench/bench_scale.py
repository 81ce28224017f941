"""Speed and memory figures of a scenario on this machine (prints figures; never a timed test).

    python bench/bench_scale.py [SCENARIO] [--reps N] [--memory-reps M]

Prints, for the scenario:
  * replications per second with 1 worker and with all cores (the real runner, chunks and all);
  * SimPy events per replication;
  * where one replication's time goes: the SimPy engine (cProfile, by file), random draws (the
    floor below) and the model's own bookkeeping (numpy maths, Python code: the rest);
  * the random-number floor: the draws one replication makes, replayed with the same
    generator and sizes, and the ratio of a replication's time to it;
  * with --memory-reps M: the peak resident memory of a full `run_sim.py run` of M replications
    (child process, resource.getrusage), e.g. --memory-reps 100000.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.experiment import runner  # noqa: E402
from sim.model.zone import ZoneModel  # noqa: E402
from sim.random import Streams  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402


class RecordingStreams(Streams):
    """Streams whose generators record every draw (method and size), to replay them later."""

    def __init__(self, root, rep, calls):
        super().__init__(root, rep)
        self.calls = calls

    def __call__(self, name):
        g = super().__call__(name)
        calls = self.calls

        class Rec:
            def __getattr__(self, meth):
                f = getattr(g, meth)

                def wrapped(*a, **kw):
                    calls.append((meth, a, kw))
                    return f(*a, **kw)
                return wrapped
        return Rec()


def rng_floor(sc, seed: int, reps: int) -> tuple[float, int]:
    """Seconds per replication spent only making its random draws, and draw calls per replication."""
    lay = runner.layout(sc)
    recorded = []
    for r in range(reps):
        calls = []
        ZoneModel(sc, runner.replication_params(sc, seed, r, lay.paths), RecordingStreams(seed, r, calls)).run()
        recorded.append(calls)
    t = time.perf_counter()
    for r, calls in enumerate(recorded):
        streams = Streams(seed, r)
        for meth, a, kw in calls:
            getattr(streams("replay"), meth)(*a, **kw)
    return (time.perf_counter() - t) / reps, int(np.mean([len(c) for c in recorded]))


def events_per_replication(sc, seed: int, reps: int = 20) -> float:
    lay = runner.layout(sc)
    total = 0
    for r in range(reps):
        m = ZoneModel(sc, runner.replication_params(sc, seed, r, lay.paths), Streams(seed, r))
        m.run()
        total += next(m.env._eid)          # SimPy's running event counter
    return total / reps


def simpy_share(sc, seed: int, reps: int) -> float:
    """Share of a replication's time inside SimPy's own code (cProfile, by file)."""
    prof = cProfile.Profile()
    prof.enable()
    runner.run_experiment(sc, reps, seed, workers=1, progress=False)
    prof.disable()
    stats = pstats.Stats(prof).stats
    total = sum(v[2] for v in stats.values())
    return sum(v[2] for (file, _, _), v in stats.items() if "simpy" in file) / total


def peak_memory_mb(scenario: str, reps: int) -> float:
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, str(ROOT / "run_sim.py"), "run", scenario, "--reps", str(reps),
                        "--out", d, "-q"], check=True, stdout=subprocess.DEVNULL)
    # ru_maxrss of children: the largest child (the run's main process or a worker), in kB on Linux
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "baseline.toml"))
    ap.add_argument("--reps", type=int, default=1000, help="replications for the speed figures")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--memory-reps", type=int, default=0, help="also measure peak memory of a run this size")
    a = ap.parse_args()
    sc = load_scenario(a.scenario).scenario
    cores = os.cpu_count() or 1
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}")
    print(f"scenario: {a.scenario}, seed {a.seed}")
    runner.run_experiment(sc, 3, a.seed, workers=1, progress=False)      # warm caches
    per_rep = {}
    for w in sorted({1, cores}):
        t = time.perf_counter()
        runner.run_experiment(sc, a.reps, a.seed, workers=w, progress=False)
        dt = time.perf_counter() - t
        per_rep[w] = dt / a.reps
        print(f"workers={w}: {a.reps / dt:7.1f} replications/s ({a.reps} in {dt:.1f} s); "
              f"10,000 replications would take {10000 * dt / a.reps:.0f} s")
    print(f"SimPy events per replication: {events_per_replication(sc, a.seed):.0f}")
    floor, n_calls = rng_floor(sc, a.seed, 50)
    one = per_rep[1]
    simpy = simpy_share(sc, a.seed, 100)
    draws = floor / one      # numpy's Cython generators are invisible to cProfile: use the replayed floor
    print(f"time per replication: SimPy engine {simpy:.0%}, random draws {draws:.0%}, model bookkeeping "
          f"(numpy maths, Python code) {1 - simpy - draws:.0%}")
    print(f"random-number floor: {1000 * floor:.2f} ms per replication ({n_calls} draw calls); "
          f"a replication takes {1000 * one:.1f} ms = {one / floor:.1f} x the floor")
    if a.memory_reps:
        print(f"peak memory of `run --reps {a.memory_reps}`: {peak_memory_mb(a.scenario, a.memory_reps):.0f} MB")


if __name__ == "__main__":
    main()
