"""Do the commands still write the same bytes? A guard for refactoring.

    python bench/outputs_identical.py record DIR     # run every command, keep outputs + digests in DIR
    python bench/outputs_identical.py check DIR      # run them again, compare with DIR/digests.json
    python bench/outputs_identical.py --smoke        # record and check validate and levers in a temp folder

Every command of ``run_sim.py`` runs once at a small size with a fixed seed and fixed workers;
each file it writes and its console text are hashed. ``check`` prints every file that differs,
is missing or is new, and exits 1 if any does. Every command runs in the same fixed folder
(``WORK``) with git hidden, so the command line and the commit recorded in manifests and packs
are the same for both modes; what still changes from run to run is blanked before hashing:
elapsed seconds in console text. (The pack's PDF, Excel, SVG and HTML files carry the run date,
not the current time: sim/report/document/reproducible.py.)
Run ``record`` on the commit before a restructuring and ``check`` after it (same day: chart
footers carry the run date). ``--smoke`` records and checks two quick commands (validate, levers)
in a temporary folder of its own: a few seconds, which the test suite runs so the script keeps working.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(tempfile.gettempdir()) / "zonesim_outputs_identical"
BASE = "scenarios/baseline.toml"
OBS = ["--set", "observations.file=scenarios/observations_template.csv"]
W = ["--workers", "2", "-q"]

# name -> argv after run_sim.py; "{out}" is the command's own output folder
COMMANDS: dict[str, list[str]] = {
    "run": ["run", BASE, "--reps", "240", "--seed", "5", "--out", "{out}", *W],
    "report": ["report", "{run}", "--out", "{out}"],
    "nowcast": [
        "run",
        BASE,
        "--reps",
        "200",
        "--seed",
        "5",
        "--out",
        "{out}",
        "--no-report",
        "--as-of",
        "2022-03",
        *OBS,
        *W,
    ],
    "validate": ["validate", BASE],
    "levers": ["levers", BASE, "--csv", "{out}/levers.csv"],
    "compare": [
        "compare",
        BASE,
        "scenarios/promotion_push.toml",
        "scenarios/early_cbec.toml",
        "--reps",
        "200",
        "--seed",
        "5",
        "--out",
        "{out}",
        *W,
    ],
    "sweep": [
        "sweep",
        BASE,
        "--lever",
        "promotion_events_per_year=1:4:1",
        "--reps",
        "100",
        "--seed",
        "5",
        "--out",
        "{out}",
        *W,
    ],
    "sensitivity": ["sensitivity", BASE, "--n", "8", "--tornado-reps", "20", "--seed", "5", "--out", "{out}", *W],
    "discover": [
        "discover",
        BASE,
        "--target",
        "trade_total_2023",
        "--reps",
        "400",
        "--seed",
        "5",
        "--out",
        "{out}",
        *W,
    ],
    "calibrate": [
        "calibrate",
        BASE,
        *OBS,
        "--sims",
        "200",
        "--rounds",
        "2",
        "--keep",
        "0.1",
        "--check-reps",
        "40",
        "--seed",
        "5",
        "--out",
        "{out}",
        *W,
    ],
    "backtest": [
        "backtest",
        BASE,
        *OBS,
        "--reps",
        "60",
        "--cutoffs",
        "2022-01,2022-02",
        "--horizon",
        "2",
        "--seed",
        "5",
        "--out",
        "{out}",
        *W,
    ],
}


def _text(s: str, outs: dict[str, Path]) -> str:
    for name, p in outs.items():
        s = s.replace(str(p), f"<{name}>")
    s = re.sub(r"\d+(\.\d+)? ?s\b", "<secs>", s)
    return s


_LOCK = None


def run_all(only: list[str] | None) -> dict[str, str]:
    """Run the commands in WORK (one caller at a time on this machine: WORK is locked)."""
    WORK.parent.mkdir(parents=True, exist_ok=True)
    global _LOCK
    _LOCK = open(str(WORK) + ".lock", "w")  # noqa: SIM115 - held until this process exits
    fcntl.flock(_LOCK, fcntl.LOCK_EX)
    workdir = WORK
    if workdir.exists():
        shutil.rmtree(workdir)
    digests: dict[str, str] = {}
    outs = {name: workdir / name for name in COMMANDS}
    env = dict(os.environ, PYTHONHASHSEED="0", GIT_DIR=str(workdir / "no-git"))
    for name, argv in COMMANDS.items():
        if only and name not in only:
            continue
        out = outs[name]
        out.mkdir(parents=True, exist_ok=True)
        args = [a.replace("{out}", str(out)).replace("{run}", str(outs["run"])) for a in argv]
        r = subprocess.run([sys.executable, "run_sim.py", *args], cwd=ROOT, capture_output=True, text=True, env=env)
        print(f"{name:12s} exit {r.returncode}", flush=True)
        digests[f"{name}/<exit>"] = str(r.returncode)
        digests[f"{name}/<stdout>"] = hashlib.sha256(_text(r.stdout, outs).encode()).hexdigest()
        (out / "_stdout.txt").write_text(_text(r.stdout, outs))
        (out / "_stderr.txt").write_text(r.stderr)
        for f in sorted(out.rglob("*")):
            if f.is_file() and not f.name.startswith("_std") and "chunks" not in f.parts:
                rel = f.relative_to(workdir).as_posix()
                digests[rel] = hashlib.sha256(f.read_bytes()).hexdigest()
    return digests


def record(folder: Path, only: list[str] | None) -> int:
    d = run_all(only)
    if only and (folder / "digests.json").exists():  # re-record some commands, keep the others
        old = json.loads((folder / "digests.json").read_text())
        d = {**{k: v for k, v in old.items() if k.split("/")[0] not in only}, **d}
        for name in only:
            shutil.rmtree(folder / name, ignore_errors=True)
            shutil.copytree(WORK / name, folder / name)
    else:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(WORK, folder)
    (folder / "digests.json").write_text(json.dumps(d, indent=1, sort_keys=True))
    print(f"recorded {len(d)} digests in {folder}/digests.json")
    return 0


def check(folder: Path, only: list[str] | None) -> int:
    ref = json.loads((folder / "digests.json").read_text())
    new = run_all(only)
    if only:
        ref = {k: v for k, v in ref.items() if k.split("/")[0] in only}
    bad = 0
    for k in sorted(set(ref) | set(new)):
        if k not in new:
            print(f"MISSING  {k}")
        elif k not in ref:
            print(f"NEW      {k}")
        elif ref[k] != new[k]:
            print(f"DIFFERS  {k}")
            if k.endswith(("<stdout>", ".csv", ".txt", ".toml", ".json", ".md")):
                name = k.split("/")[0]
                f = "_stdout.txt" if k.endswith("<stdout>") else k.split("/", 1)[1]
                old, cur = folder / name / f, WORK / name / f
                if old.exists() and cur.exists():
                    subprocess.run(["diff", str(old), str(cur)], check=False)
        else:
            continue
        bad += 1
    print(f"{len(ref)} reference digests, {bad} differ/missing/new")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", nargs="?", choices=("record", "check"))
    ap.add_argument("dir", nargs="?", type=Path)
    ap.add_argument("--only", help="comma-separated command names (default: all)")
    ap.add_argument("--smoke", action="store_true", help="record and check validate and levers in a temporary folder")
    a = ap.parse_args()
    only = a.only.split(",") if a.only else None
    if a.smoke:  # in a folder of its own, so it never touches a record or check under way in WORK
        global WORK
        with tempfile.TemporaryDirectory() as tmp:
            WORK, only = Path(tmp) / "work", ["validate", "levers"]
            return record(Path(tmp) / "ref", only) or check(Path(tmp) / "ref", only)
    if a.mode is None or a.dir is None:
        ap.error("MODE and DIR are needed (or --smoke)")
    return (record if a.mode == "record" else check)(a.dir, only)


if __name__ == "__main__":
    sys.exit(main())
