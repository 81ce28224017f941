"""CPU time of the national-evaluation ranking of one replication (prints figures; never a timed test).

    python bench/bench_ranking.py [SCENARIO] [--reps N] [--repeat R] [--seed S] [--profile] [--smoke]

Runs the zone model of N replications once (without the ranking), keeps each replication's
zone indicators, base values and macro index, then times ``sim.ranking.rank_replication`` alone
on them, R times over, each time with fresh generators seeded per replication. Prints ms per
replication, wall and CPU (best and median of the R passes: the best is the least disturbed by
other work on the machine) and a SHA-256 of every output array, so two checkouts can be compared for byte
identity as well as speed. ``--profile`` adds a cProfile of one pass. ``--smoke`` ranks 5
replications twice (a few seconds; the test suite runs it so the script keeps working).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.experiment.replication import run_replication  # noqa: E402
from sim.ranking import rank_replication  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402


def inputs(sc, seed: int, reps: int) -> list[tuple]:
    """(zone, zone_base, macro) of each replication, from the model without its ranking."""
    out = []
    for rep in range(reps):
        res = run_replication(sc, seed, rep, ranking=False, nowcast=False)[2]
        out.append((dict(res.yearly), dict(res.base), np.asarray(res.macro_yearly)))
    return out


def generators(seed: int, reps: int) -> list[np.random.Generator]:
    """One generator per replication, the same on every pass."""
    return [np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(rep,))) for rep in range(reps)]


def one_pass(sc, data: list[tuple], seed: int) -> tuple[float, float, list]:
    """Wall and CPU seconds taken to rank every replication of ``data``, and the outputs."""
    cfg, years = sc.ranking, sc.run.years
    rngs = generators(seed, len(data))
    outs = []
    t0, c0 = time.perf_counter(), time.process_time()
    for (zone, base, macro), rng in zip(data, rngs, strict=True):
        outs.append(rank_replication(cfg, zone, base, years, macro, rng))
    return time.perf_counter() - t0, time.process_time() - c0, outs


def digest(outs: list) -> str:
    """SHA-256 of every output array of every replication, in a fixed order."""
    h = hashlib.sha256()
    for o in outs:
        for group in (o.indicators, o.variants, o.peers):
            for k in sorted(group):
                h.update(k.encode())
                h.update(np.ascontiguousarray(group[k], dtype=float).tobytes())
    return h.hexdigest()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "baseline.toml"))
    ap.add_argument("--reps", type=int, default=200, help="replications ranked per pass")
    ap.add_argument("--repeat", type=int, default=7, help="timed passes")
    ap.add_argument("--seed", type=int, default=20240101)
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one pass")
    ap.add_argument("--smoke", action="store_true", help="5 replications, 2 passes: checks the script runs")
    a = ap.parse_args(argv)
    if a.smoke:
        a.reps, a.repeat = 5, 2

    sc = load_scenario(a.scenario).scenario
    if sc.ranking is None:
        raise SystemExit(f"{a.scenario} has no [ranking] section")
    data = inputs(sc, a.seed, a.reps)
    one_pass(sc, data, a.seed)  # warm the per-config caches
    wall, cpu, outs = [], [], None
    for _ in range(a.repeat):
        w, c, outs = one_pass(sc, data, a.seed)
        wall.append(1e3 * w / a.reps)
        cpu.append(1e3 * c / a.reps)
    print(f"ranking of one replication ({a.reps} replications x {a.repeat} passes, {len(sc.run.years)} years):")
    print(f"  wall ms: best {min(wall):.4f}, median {statistics.median(wall):.4f}")
    print(f"  CPU ms:  best {min(cpu):.4f}, median {statistics.median(cpu):.4f}")
    print(f"outputs sha256 {digest(outs)}")
    if a.profile:
        pr = cProfile.Profile()
        pr.enable()
        one_pass(sc, data, a.seed)
        pr.disable()
        pstats.Stats(pr).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
