"""Every figure of the engine's speed table in one command (prints figures; never a timed test).

    python bench/speed_table.py [SCENARIO] [--reps N] [--run-reps 10000] [--pack-reps 1000] [--smoke]

Prints, for the scenario (default: the baseline), each figure with the load average beside every
wall time (the machine may be shared: read a wall time together with its load):

* CPU per replication, all in (the engine's ``run_chunk``) and its split into parameters, model,
  ranking and the rest (all in less the three), from ``bench/bench_scale.py``;
* ``run --reps 10000 --no-report`` on every core: wall time, CPU of all its processes, and the main
  process's own part, measured as a rerun into the finished folder (every chunk is stored, so the
  rerun only starts, imports, reads the chunks back and writes the results files), and the part of
  that which is starting Python and importing the run command (``python -c "import sim.cli.run"``);
* the studio's first answer and its time to every P(hit) within ±1 point, from
  ``bench/bench_studio.py --json`` (one JSON line ``{"first_answer_s", "within_1pt_s", "reps"}``);
* the meeting pack of a ``--pack-reps`` run, from ``bench/bench_pack.py`` (wall and CPU);
* the batched random-number floor (the model's numbers drawn in one call per kind), from
  ``bench/bench_scale.py``.

A figure that cannot be measured is printed as "not measured" with the reason, never guessed.
``--smoke`` runs every step small (8 replications for the CPU figures, a 200-replication run, the
studio's and the pack's own smoke modes): seconds, not minutes; the test suite runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_scale import random_floor, split_figures  # noqa: E402

from sim.scenario import load_scenario  # noqa: E402


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f}"


def child(argv: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of it and its processes, the finished process) of ``argv``."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime, done


def failed(done: subprocess.CompletedProcess) -> str:
    last = (done.stderr.strip().splitlines() or ["no message"])[-1]
    return f"exit {done.returncode}: {last}"


def cpu_rows(scenario: str, reps: int) -> list[str]:
    sc = load_scenario(scenario).scenario
    cpu = split_figures(sc, 1, reps)
    ms = {k: 1000 * v for k, v in cpu.items()}
    rest = ms["all in (run_chunk)"] - ms["parameters"] - ms["model"] - ms.get("ranking", 0.0)
    nu, nn, floor = random_floor(sc, 1, min(reps, 50), 20 if reps < 50 else 100)
    return [
        f"CPU per replication, all in: {ms['all in (run_chunk)']:.2f} ms (parameters {ms['parameters']:.2f}, "
        f"model {ms['model']:.2f}, ranking {ms.get('ranking', 0.0):.2f}, the rest {rest:.2f}); "
        f"best of several batches of {reps} replications, {load()}",
        f"batched random-number floor: {1000 * floor:.3f} ms ({nu} addressed uniforms and {nn} normals a "
        f"replication, drawn in one call per kind); {load()}",
    ]


def run_rows(scenario: str, reps: int, folder: Path) -> list[str]:
    argv = [sys.executable, "run_sim.py", "run", scenario, "--reps", str(reps), "--no-report", "-q"]
    argv += ["--out", str(folder)]
    wall, cpu, done = child(argv)
    if done.returncode:
        return [f"run --reps {reps} --no-report: not measured ({failed(done)})"]
    first = f"run --reps {reps} --no-report, {os.cpu_count()} cores: {wall:.1f} s wall ({load()}), {cpu:.1f} s CPU"
    wall2, cpu2, done = child(argv)
    if done.returncode:
        return [first, f"its main process alone: not measured ({failed(done)})"]
    wall3, cpu3, done = child([sys.executable, "-c", "import sim.cli.run"])
    imports = f"{wall3:.1f} s wall, {cpu3:.1f} s CPU" if not done.returncode else f"not measured ({failed(done)})"
    return [
        first,
        f"  its main process alone (a rerun into the finished folder: start, imports, reading the chunks, "
        f"writing every file): {wall2:.1f} s wall ({load()}), {cpu2:.1f} s CPU; of which starting Python and "
        f"importing the run command: {imports}",
    ]


def studio_rows(smoke: bool) -> list[str]:
    argv = [sys.executable, "bench/bench_studio.py", "--json", *(["--smoke"] if smoke else [])]
    wall, _, done = child(argv)
    if done.returncode:
        return [f"studio: not measured (bench/bench_studio.py --json: {failed(done)})"]
    lines = [ln for ln in done.stdout.splitlines() if ln.lstrip().startswith("{")]
    try:
        fig = json.loads(lines[-1])
        first, precise, reps = fig["first_answer_s"], fig["within_1pt_s"], fig["reps"]
    except (IndexError, ValueError, KeyError, TypeError) as e:
        return [f"studio: not measured (bench/bench_studio.py --json printed no figures line: {type(e).__name__})"]
    within = f"{precise:.1f} s" if precise is not None else f"not reached by {reps} replications"
    return [
        f"studio, first answer: {first:.2f} s; every P(hit) within ±1 point: {within} ({load()}; the script's "
        f"own run took {wall:.0f} s)"
    ]


PACK = re.compile(r"whole pack.*?\(best ([\d.]+) s\); CPU of all its processes ([\d.]+) s")


def pack_rows(scenario: str, reps: int, folder: Path, smoke: bool) -> list[str]:
    if smoke:
        argv = [sys.executable, "bench/bench_pack.py", "--smoke"]
    else:
        made = [sys.executable, "run_sim.py", "run", scenario, "--reps", str(reps), "--seed", "1", "--no-report"]
        _, _, done = child([*made, "-q", "--out", str(folder)])
        if done.returncode:
            return [f"meeting pack: not measured (its {reps}-replication run: {failed(done)})"]
        argv = [sys.executable, "bench/bench_pack.py", str(folder), "--repeat", "1", "--no-stages"]
    _, _, done = child(argv)
    m = PACK.search(done.stdout)
    if done.returncode or m is None:
        why = failed(done) if done.returncode else "no 'whole pack' line in its output"
        return [f"meeting pack: not measured (bench/bench_pack.py: {why})"]
    what = "a 20-replication tiny run" if smoke else f"{reps} replications"
    return [f"meeting pack ({what}): {float(m[1]):.1f} s wall ({load()}), {float(m[2]):.1f} s CPU of all its processes"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="scenarios/baseline.toml")
    ap.add_argument("--reps", type=int, default=400, help="replications for the CPU figures")
    ap.add_argument("--run-reps", type=int, default=10_000, help="replications of the timed run")
    ap.add_argument("--pack-reps", type=int, default=1000, help="replications of the pack's results folder")
    ap.add_argument("--smoke", action="store_true", help="every step small: checks the script runs")
    a = ap.parse_args()
    if a.smoke:
        a.reps, a.run_reps = 8, 200
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}; {load()}; scenario {a.scenario}")
    show(cpu_rows(a.scenario, a.reps))
    with tempfile.TemporaryDirectory() as tmp:
        show(run_rows(a.scenario, a.run_reps, Path(tmp) / "run"))
        show(studio_rows(a.smoke))
        show(pack_rows(a.scenario, a.pack_reps, Path(tmp) / "pack_run", a.smoke))


def show(rows: list[str]) -> None:
    for r in rows:
        print(r, flush=True)


if __name__ == "__main__":
    main()
