"""Rewrite the golden files: the only way they change.

    python tests/golden/regenerate.py          # rewrite every golden file
    python tests/golden/regenerate.py --check  # exit 1 and print the diff if any file would change

A golden file holds the yearly indicators of one replication (scenario, seed, rep) of a test
scenario, exactly as ``sim.model.simulate`` returns them with the runner's parameter draws.
tests/test_model_exact.py compares a fresh run with these files (rtol 1e-12). When a model change
moves them on purpose, run this script and commit the new files together with the change, saying
why the numbers moved.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"

# golden file -> (scenario file in tests/data, root seed, replication)
GOLDEN = {
    "tiny_seed7.json": ("tiny.toml", 7, 0),
    "tiny_leads_seed7.json": ("tiny_leads.toml", 7, 0),
}


def compute(scenario_file: str, seed: int, rep: int) -> dict:
    """Yearly indicators of one replication, as plain JSON data."""
    from sim.experiment.runner import replication_params
    from sim.model import simulate
    from sim.model.draws import Draws
    from sim.scenario import load_scenario

    sc = load_scenario(DATA / scenario_file).scenario
    res = simulate(sc, replication_params(sc, seed, rep), Draws(seed, rep))
    return {
        "scenario": scenario_file,
        "seed": seed,
        "rep": rep,
        "years": list(res.years),
        # floats are written with repr, which round-trips exactly
        "indicators": {k: [float(x) for x in np.asarray(v, dtype=float)] for k, v in sorted(res.yearly.items())},
    }


def diff(golden: dict, fresh: dict, rtol: float = 1e-12) -> list[str]:
    """Human-readable differences between a golden record and a fresh one (empty if equal)."""
    out = []
    for key in ("scenario", "seed", "rep", "years"):
        if golden.get(key) != fresh.get(key):
            out.append(f"{key}: golden {golden.get(key)!r}, now {fresh.get(key)!r}")
    g, f = golden.get("indicators", {}), fresh["indicators"]
    for k in sorted(set(g) - set(f)):
        out.append(f"{k}: in the golden file but no longer produced")
    for k in sorted(set(f) - set(g)):
        out.append(f"{k}: produced now but not in the golden file ({f[k]})")
    for k in sorted(set(g) & set(f)):
        a, b = np.asarray(g[k], float), np.asarray(f[k], float)
        if a.shape != b.shape:
            out.append(f"{k}: golden has {a.size} years, now {b.size}")
            continue
        for i in np.flatnonzero(~np.isclose(b, a, rtol=rtol, atol=0.0, equal_nan=True)):
            year = fresh["years"][i] if i < len(fresh["years"]) else i
            rel = abs(b[i] - a[i]) / abs(a[i]) if a[i] else float("inf")
            out.append(f"{k} {year}: golden {float(a[i])!r}, now {float(b[i])!r} (relative change {rel:.3g})")
    return out


def write(path: Path, record: dict) -> None:
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only report differences, write nothing")
    args = ap.parse_args(argv)
    changed = 0
    for name, (scenario_file, seed, rep) in GOLDEN.items():
        path = HERE / name
        fresh = compute(scenario_file, seed, rep)
        old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        d = diff(old, fresh) if old is not None else ["(new file)"]
        if d:
            changed += 1
            print(f"{name}:\n  " + "\n  ".join(d))
            if not args.check:
                write(path, fresh)
        else:
            print(f"{name}: unchanged")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))  # run from a clone without installing
    sys.exit(main())
