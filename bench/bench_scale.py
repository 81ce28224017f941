"""Speed and memory figures of the replication engine on this machine (prints figures; never a timed test).

    python bench/bench_scale.py [SCENARIO] [--reps N] [--wall] [--sensitivity] [--memory-reps M] [--smoke]

Prints, for the scenario (default: the baseline):
  * CPU per replication, all in (parameter draws, model, national ranking), and its split, on
    the engine's own path (``run_chunk``); beside it the reference model kept for the equivalence
    test (tests/reference_model: the engine before it was made fast), timed with the model on the
    same rows of the scenario the equivalence test compares them on (the baseline without its
    base-year figures: the reference only knows initial firms drawn per firm);
  * SimPy events per replication;
  * random numbers per replication (addressed uniforms and bulk normals), the batched floor (the
    same numbers drawn in one call per kind) and a replication's ratio to it;
  * with --wall: the wall time of ``run --reps 10000 --no-report`` on every core;
  * with --sensitivity: the wall time of ``sensitivity`` at its defaults;
  * with --memory-reps M: the peak resident memory of ``run --reps M --no-report``.

``--smoke`` runs every CPU figure's code on a handful of replications (a few seconds; the figures
are then rough): the test suite runs it so the script keeps working.

The machine is shared, so every CPU figure is the best of several batches (a batch is interrupted
by other work more often than it is sped up); the wall times are single runs and print the load
average beside them.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import reference_model  # noqa: E402
from test_engine_equivalence import per_firm_baseline  # noqa: E402

from sim.experiment import engine  # noqa: E402
from sim.experiment.replication import layout, params_of_rows, rank_results  # noqa: E402
from sim.model import bookkeeping, simulate, space  # noqa: E402
from sim.model import draws as draws_mod  # noqa: E402
from sim.model.draws import Draws  # noqa: E402
from sim.random import Streams  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402


def best_per_rep(fn, reps: np.ndarray, batches: int) -> float:
    """CPU seconds per replication of ``fn(rep)``: the fastest of ``batches`` batches."""
    best = np.inf
    for part in np.array_split(reps, min(batches, len(reps))):
        t = time.process_time()
        for r in part.tolist():
            fn(r)
        best = min(best, (time.process_time() - t) / len(part))
    return best


def best_per_chunk(fn, reps: np.ndarray, size: int) -> float:
    """CPU seconds per replication of ``fn(reps_of_a_chunk)`` over chunks of ``size``: the fastest chunk."""
    best = np.inf
    for a in range(0, len(reps) - size + 1, size):
        t = time.process_time()
        fn(reps[a : a + size])
        best = min(best, (time.process_time() - t) / size)
    return best


def cpu_figures(sc, seed: int, reps: int, ref_reps: int) -> dict[str, float]:
    """CPU seconds per replication: the engine's split (:func:`split_figures`), then the model and the
    reference model on the per-firm baseline (``ref_reps`` replications)."""
    out = split_figures(sc, seed, reps)
    rows = np.arange(ref_reps)
    ref_sc = per_firm_baseline()
    ref_params = params_of_rows(ref_sc, seed, rows)
    ref_batches = max(2, ref_reps // 10)
    out["model, per-firm baseline"] = best_per_rep(
        lambda r: simulate(ref_sc, ref_params[r], Draws(seed, r)), rows, ref_batches
    )
    out["reference model"] = best_per_rep(
        lambda r: reference_model.simulate(ref_sc, ref_params[r], Streams(seed, r)), rows, ref_batches
    )
    return out


def split_figures(sc, seed: int, reps: int) -> dict[str, float]:
    """CPU seconds per replication of ``reps`` replications: all in on the engine's path
    (``run_chunk``), its parameter draws, the model and the ranking (a chunk's replications together, as
    the engine ranks them), each the best of several batches."""
    lay = layout(sc)
    rows = np.arange(reps)
    params = params_of_rows(sc, seed, rows, lay.paths)
    results = {}
    batches = max(5, reps // 20)
    size = min(engine.CHUNK_SIZE, max(reps // 16, 1))  # 16 chunks: a best of many, as for the other figures
    simulate(sc, params[0], Draws(seed, 0))  # compile and warm caches
    out = {
        "all in (run_chunk)": best_per_chunk(
            lambda rr: engine.run_chunk(
                sc, [(seed, ())], np.zeros(len(rr), int), rr, None, engine.Outputs(), int(rr[0]), int(rr[-1]) + 1
            ),
            rows,
            size,
        ),
        "parameters": best_per_chunk(lambda rr: params_of_rows(sc, seed, rr, lay.paths), rows, size),
        "model": best_per_rep(lambda r: results.__setitem__(r, simulate(sc, params[r], Draws(seed, r))), rows, batches),
    }
    if sc.ranking is not None:
        out["ranking"] = best_per_chunk(  # a chunk's rankings together, as the engine ranks them
            lambda rr: rank_results(sc, [results[r] for r in rr], [Streams(seed, r)("ranking") for r in rr]), rows, size
        )
    return out


def events_per_replication(sc, seed: int, reps: int = 50) -> float:
    """SimPy events scheduled per replication (a counting Environment in place of SimPy's)."""
    count = [0]

    class Counting(simpy.Environment):
        def schedule(self, event, priority=1, delay=0):
            count[0] += 1
            super().schedule(event, priority, delay)

    real = space.simpy.Environment
    space.simpy.Environment = Counting
    try:
        for r, p in enumerate(params_of_rows(sc, seed, np.arange(reps))):
            simulate(sc, p, Draws(seed, r))
    finally:
        space.simpy.Environment = real
    return count[0] / reps


def random_floor(sc, seed: int, reps: int = 50, floor_reps: int = 100) -> tuple[float, float, float]:
    """(addressed uniforms, bulk normals) per replication and the seconds to draw that many in
    one call per kind (same generators)."""
    n = {"uniforms": 0, "normals": 0}
    real_u, real_fm = Draws.uniforms, bookkeeping.firm_months

    def uniforms(self, name, k, *index):
        out = real_u(self, name, k, *index)
        n["uniforms"] += out.size
        return out

    def firm_months(z, sg, served):  # the booked firms' monthly noise, drawn one by one inside the compiled pass
        n["normals"] += (len(z.initial) + int(np.isfinite(served).sum())) * z.H
        return real_fm(z, sg, served)

    Draws.uniforms, bookkeeping.firm_months = uniforms, firm_months
    try:
        for r, p in enumerate(params_of_rows(sc, seed, np.arange(reps))):
            simulate(sc, p, Draws(seed, r))
    finally:
        Draws.uniforms, bookkeeping.firm_months = real_u, real_fm
    nu, nn = n["uniforms"] // reps, n["normals"] // reps
    d = Draws(seed, 0)
    index = np.arange(nu, dtype=np.uint64)[:, None]

    def batched(_):
        draws_mod._addressed(np.uint64(1), index, 1)
        d.generator("floor").standard_normal(nn)

    return nu, nn, best_per_rep(batched, np.arange(floor_reps), 10)


_MEASURE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed_command(argv: list[str]) -> tuple[float, int]:
    """(wall seconds, peak resident memory in MB of its largest process: the run or a worker) of
    ``run_sim.py argv``, run under a fresh measuring process."""
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, sys.executable, str(ROOT / "run_sim.py"), *argv],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return time.perf_counter() - t, int(out.split()[-1]) // 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "baseline.toml"))
    ap.add_argument("--reps", type=int, default=400, help="replications for the CPU figures")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--wall", action="store_true", help="also time run --reps 10000 --no-report")
    ap.add_argument("--sensitivity", action="store_true", help="also time sensitivity at its defaults")
    ap.add_argument("--memory-reps", type=int, default=0, help="also measure peak memory of a run this size")
    ap.add_argument("--smoke", action="store_true", help="a few replications per figure: checks the script runs")
    a = ap.parse_args()
    if a.smoke:
        a.reps, a.wall, a.sensitivity, a.memory_reps = 8, False, False, 0
    ref_reps = 4 if a.smoke else max(50, a.reps // 4)
    small = 3 if a.smoke else 50
    sc = load_scenario(a.scenario).scenario
    cores = os.cpu_count() or 1
    print(
        f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"scenario: {a.scenario}, seed {a.seed}")
    cpu = cpu_figures(sc, a.seed, a.reps, ref_reps)
    for k, v in cpu.items():
        print(f"CPU per replication, {k:26s} {1000 * v:7.2f} ms")
    print(
        f"reference model / model (per-firm baseline, as in tests/test_engine_equivalence.py): "
        f"{cpu['reference model'] / cpu['model, per-firm baseline']:.1f} x"
    )
    print(f"SimPy events per replication: {events_per_replication(sc, a.seed, small):.0f}")
    nu, nn, floor = random_floor(sc, a.seed, small, 20 if a.smoke else 100)
    print(
        f"random numbers per replication: {nu} addressed uniforms, {nn} bulk normals; batched floor "
        f"{1000 * floor:.2f} ms; the model takes {cpu['model'] / floor:.1f} x the floor"
    )
    with tempfile.TemporaryDirectory() as d:
        if a.wall:
            wall, _ = timed_command(["run", a.scenario, "--reps", "10000", "--no-report", "-q", "--out", f"{d}/w"])
            print(
                f"run --reps 10000 --no-report, {cores} cores: {wall:.1f} s wall "
                f"(load average {os.getloadavg()[0]:.1f})"
            )
        if a.sensitivity:
            wall, _ = timed_command(["sensitivity", a.scenario, "-q", "--out", f"{d}/s"])
            print(
                f"sensitivity at its defaults, {cores} cores: {wall:.1f} s wall (load average {os.getloadavg()[0]:.1f})"
            )
        if a.memory_reps:
            _, mb = timed_command(
                ["run", a.scenario, "--reps", str(a.memory_reps), "--no-report", "-q", "--out", f"{d}/m"]
            )
            print(f"peak memory of run --reps {a.memory_reps} --no-report: {mb} MB")


if __name__ == "__main__":
    main()
