"""Cost per replication of a five-zone portfolio against five single runs (prints figures; never a timed test).

    python bench/bench_portfolio.py [--reps N] [--repeat R] [--seed S] [--smoke]

Five zones: the three illustrative zones of ``scenarios/examples/province_demo.toml`` and two more
copies of them under other names (written to a temporary folder), all ranked. Runs, in this
process (one worker, so the figures are CPU of the model, not of process start-up):

* each zone alone, N replications (``sim.run``: its model, its own ranking among its peers);
* the five together, N replications (``sim.run_portfolio``: every zone's model, one ranking of
  the five among the peers).

and prints wall and CPU ms per replication (best of R passes), the portfolio's cost against the
sum of the five single runs, and the cost of one zone in the portfolio. ``--smoke``: 6
replications, one pass (seconds; the test suite runs it so the script keeps working).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sim  # noqa: E402
from sim.experiment.executors import LocalExecutor  # noqa: E402
from sim.portfolio import load_portfolio  # noqa: E402

EX = ROOT / "scenarios" / "examples"
ZONES = ["port", "border", "inland", "port", "border"]


def write_zones(folder: Path) -> Path:
    """Five zone files (two of them renamed copies) and a portfolio file listing them."""
    names = []
    for i, kind in enumerate(ZONES):
        text = (EX / f"illustrative_province_{kind}.toml").read_text(encoding="utf-8")
        name = f"illustrative_province_{kind}" + (f"_{i}" if i >= 3 else "")
        text = text.replace(f'name = "illustrative_province_{kind}"', f'name = "{name}"')
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
        names.append(f"{name}.toml")
    pf = folder / "five.toml"
    listed = ", ".join(f'"{n}"' for n in names)
    pf.write_text(f'[portfolio]\nname_zh = "五区"\nname_en = "five zones"\nzones = [{listed}]\n', encoding="utf-8")
    return pf


def timed(fn) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def best(fn, repeat: int) -> tuple[float, float]:
    runs = [timed(fn) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=202601)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args(argv)
    reps, repeat = (6, 1) if args.smoke else (args.reps, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        pf = load_portfolio(write_zones(Path(tmp)))
        ex = LocalExecutor(1)
        # warm-up: compile the model's kernels and cache the ranking plans
        sim.run_portfolio(pf, 2, args.seed, executor=ex)
        for z in pf.zones:
            sim.run(z, reps=2, seed=args.seed, executor=ex)
        singles = []
        for k, z in enumerate(pf.zones):
            w, c = best(lambda z=z, k=k: sim.run(z, reps=reps, seed=args.seed + k, executor=ex), repeat)
            singles.append((w, c))
            print(f"single run {z.name}: wall ms/replication {1000 * w / reps:.2f}, CPU {1000 * c / reps:.2f}")
        w5, c5 = best(lambda: sim.run_portfolio(pf, reps, args.seed, executor=ex), repeat)
    ws, cs = sum(s[0] for s in singles), sum(s[1] for s in singles)
    print(f"\n{reps} replications, best of {repeat} pass(es), one worker, in this process")
    print(f"five single runs: wall ms/replication {1000 * ws / reps:.2f}, CPU {1000 * cs / reps:.2f}")
    print(f"five-zone portfolio: wall ms/replication {1000 * w5 / reps:.2f}, CPU {1000 * c5 / reps:.2f}")
    print(f"portfolio / five single runs: wall {w5 / ws:.2f}, CPU {c5 / cs:.2f}")
    print(f"per zone in the portfolio: CPU ms/replication {1000 * c5 / reps / len(ZONES):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
