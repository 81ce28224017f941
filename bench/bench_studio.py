"""The studio's goals: the first answer for all targets <= 1 s, and every P(hit) within ±1
percentage point <= 10 s, from the lever change (on 2 cores).

Measured on the what-if runner the page polls (sim/studio/progressive.py), after the base
scenario's replications are cached as they are once the studio has been open a while (the base
is kept with ``--base-reps`` replications, by default 4 x ``--max-reps``); the page adds its poll
interval (0.2 s) and a render. The P(hit) shown for a what-if is the anchored estimate (the
base's over all its replications plus the paired difference of the what-if's first n;
sim/studio/anchored.py), and "within ±1 point" is the widest 95% half-width of an active target's
anchored P(hit). Prints one line per answer: replications, seconds since the change, widest
half-width of the anchored P(hit), of the what-if's own proportion and of the paired difference,
then the two figures with the load average.

    python bench/bench_studio.py [--max-reps 10000] [--base-reps 40000] [--workers 2] [--keep DIR] [--to-max] [--json] [--smoke]

``--keep DIR`` keeps the base's replications in DIR as the studio keeps them in
``<results>/base`` (sim/studio/kept.py): a second run on the same code starts from them instead
of computing the base again (the figures after the change are the same either way).
After the figures it prints where the what-if's time went, from the runner's trace: the wait
before the first chunk (the settling delay and the chunks of the previous job still in flight),
the chunks' throughput against the workers' serial cost, and this process's time computing
answers.

``--to-max`` keeps refining to ``--max-reps`` after the goal is met (default: stop there).
``--json`` ends with one line ``{"first_answer_s": ..., "within_1pt_s": ... or null, "reps": ...,
"load": ...}``: ``reps`` is the what-if's replications behind the ±1 point answer (or the last
answer's if it was not reached), ``load`` the 1-minute load average at the end.
``--smoke`` stops at the first answer (200 replications on a base of 400) on one worker (a few
seconds; the test suite runs it so the script keeps working).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from sim.analysis.targets import widest_half_width
from sim.studio.progressive import SETTLE_S, WhatIfRunner

ROOT = Path(__file__).resolve().parents[1]


def stages(trace: list[tuple[float, int, str, int]], job: int, workers: int) -> None:
    """Where job ``job``'s time went, from :attr:`WhatIfRunner.trace`."""
    ev = [e for e in trace if e[1] == job]
    t0 = next(t for t, _, what, _ in ev if what == "submitted")
    chunks = [(t - t0, n) for t, _, what, n in ev if what.endswith("chunk")]
    begun = [t for t, _, what, _ in ev if what == "answer begun"]
    done = [t for t, _, what, _ in ev if what == "answer"]
    spent = sum(b - a for a, b in zip(begun, done, strict=False))
    if not chunks:
        print("stages: every replication was known already")
        return
    first, last = chunks[0][0], chunks[-1][0]
    n_chunks = len(chunks)
    rate = (n_chunks - 1) / (last - first) if n_chunks > 1 and last > first else float("nan")
    print(
        f"stages: submitted -> first chunk back {first:.2f} s (settling {SETTLE_S} s, then one chunk per worker); "
        f"{n_chunks} chunks ({sum(1 for e in ev if e[2] == 'base chunk')} of them the base's) back at "
        f"{rate:.2f} chunks/s over {last - first:.1f} s ({workers} workers); "
        f"{len(done)} answers took this process {spent:.2f} s ({1000 * spent / max(len(done), 1):.0f} ms each)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "baseline.toml"))
    ap.add_argument("--max-reps", type=int, default=10_000)
    ap.add_argument("--base-reps", type=int, help="base replications (default 4 x --max-reps)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", help="keep the base's replications in this folder across runs")
    ap.add_argument("--to-max", action="store_true", help="refine to --max-reps after the goal is met")
    ap.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    ap.add_argument("--smoke", action="store_true", help="200 replications on a base of 400, 1 worker")
    args = ap.parse_args()
    if args.smoke:
        args.max_reps, args.base_reps, args.workers = 200, 400, 1
    r = WhatIfRunner(
        Path(args.scenario),
        max_reps=args.max_reps,
        workers=args.workers,
        base_reps=args.base_reps,
        keep=Path(args.keep) if args.keep else None,
    )
    t0 = time.perf_counter()
    r.submit({})
    r.wait()
    print(
        f"base scenario: {r.base_reps} replications cached in {time.perf_counter() - t0:.1f} s "
        f"({args.workers} workers, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})"
    )
    sc = r.base.scenario
    what_if = {
        "levers.milestone_month.cbec_site": "2022-03",
        "levers.promotion_events_per_year": sc.levers.promotion_events_per_year + 2,
    }
    print(f"what-if: {what_if}")
    cpu0, own0 = r._pool.cpu_s(), time.process_time()
    r.submit(what_if)
    seen, first, precise, reps = 0, None, None, 0
    while True:
        s = r.latest
        if s is not None and r.version != seen and s.job == 2:
            seen = r.version
            own = widest_half_width(s.table, "p_own_low", "p_own_high")
            d_half = widest_half_width(s.table, "diff_low", "diff_high")
            print(
                f"  {s.reps:6d} replications at {s.elapsed_s:6.2f} s (base {s.n_base}): P(hit) ±{100 * s.half_width:.2f} pp "
                f"(on its own ±{100 * own:.2f}), paired difference ±{100 * d_half:.2f} pp"
            )
            first = first or s.elapsed_s
            if precise is None:
                reps = s.reps
                if s.half_width <= 0.01:
                    precise = s.elapsed_s
            if s.done or (precise is not None and not args.to_max) or args.smoke:
                break
        time.sleep(0.02)
    cpu, own_cpu = r._pool.cpu_s() - cpu0, time.process_time() - own0
    r.close()
    stages(r.trace, 2, args.workers)
    if args.workers > 1:
        print(
            f"CPU over the what-if: workers {cpu:.1f} s ({1000 * cpu / max(reps, 1):.1f} ms a replication), "
            f"this process {own_cpu:.1f} s (answers, feeding the workers)"
        )
    load = os.getloadavg()[0]
    print(
        f"first answer for all targets: {first:.2f} s (goal <= 1 s); every P(hit) within ±1 pp: "
        + (f"{precise:.1f} s (goal <= 10 s)" if precise is not None else f"not reached by {args.max_reps} replications")
        + f"; load {load:.1f}"
    )
    if args.json:
        print(json.dumps({"first_answer_s": first, "within_1pt_s": precise, "reps": reps, "load": load}))


if __name__ == "__main__":
    main()
