"""Count how the command line answers a fixed set of bad inputs.

    cd CHECKOUT && python /path/to/bench/bad_inputs.py [--smoke]

Runs ``sim.cli.main(["validate", ...])`` in process, with the ``sim`` of the working directory,
on every bad scenario value, ``--set`` value, encoding, nesting and observation file the fuzz
tier draws from, every bad zone file of tests/test_fuzz_zone.py and every bad portfolio file of
tests/test_fuzz_portfolio.py (all of them, not a sample); then ``run`` (4 replications) on the
absurd values that once validated and broke or spoiled a run, and every bad command line of
tests/test_fuzz_cli.py. Prints a table, per kind of input: cases tried, clean exit 2 (one message
naming file and key, no traceback), argparse usage blocks (exit 2, naming the option),
tracebacks, accepted (exit 0: a silent acceptance), wrong results (a run that exits 0 with a
non-finite or blank statistic in summary.csv), other exit codes. ``--smoke`` tries the first two
cases of each kind (a few seconds; the test suite runs it so the script keeps working).
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.getcwd())
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.setrecursionlimit(1000)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import test_fuzz as F  # noqa: E402
import test_fuzz_cli as C  # noqa: E402
import test_fuzz_portfolio as P  # noqa: E402
import test_fuzz_zone as Z  # noqa: E402
import tomli_w  # noqa: E402

TINY = F.DATA / "tiny.toml"
WORK = Path(tempfile.mkdtemp(prefix="zonesim_bad_"))


def attempt(argv) -> str:
    """The outcome of one command line (tests/test_fuzz_zone.py's classes), a run that exits 0 checked
    for a wrong result."""
    result, _ = Z.attempt(argv)
    return (wrong_result(argv) or "accepted") if result == "accepted" else result


def wrong_result(argv) -> str:
    """ "wrong result" when a run exited 0 with a non-finite or blank statistic, else ""."""
    if argv[0] != "run":
        return ""
    summary = Path(argv[argv.index("--out") + 1]) / "summary.csv"
    if not summary.exists():
        return "wrong result"
    table = pd.read_csv(summary, encoding="utf-8-sig")
    table = table[~table["target_id"].str.startswith("ALL_")]  # joint rows have no indicator statistics
    stats = table[["p_hit", "ci_low", "ci_high", "mean", "p10", "p50", "p90"]].to_numpy(dtype=float)
    return "" if np.isfinite(stats).all() else "wrong result"


def cases():
    for group, values in ((F.NUMBERS, NUM), (F.TEXTS, TXT), (F.FLAGS, FLG)):
        for path in group:
            for v in values:
                yield "value", path, v
    for path, values in F.OUT_OF_RANGE:
        for v in values:
            yield "value", path, v
    for path in F.NUMBERS:
        for raw in SET_RAW:
            yield "set", path, raw
    for enc in ENC:
        for parent in (False, True):
            yield "encoding", enc, parent
    for depth in (50, 500, 1000, 5000):
        for kind in ("[", "{a = ", "table"):
            yield "deep", depth, kind
    for i in range(len(F.OBS_ROWS)):
        for kind in OBS_KINDS:
            yield "obs", i, kind
    yield "extends_empty", None, None
    yield "set_extends", None, None
    for i in range(len(Z.CASES)):
        yield "zone", i, None
    for key in RUN_ABSURD:
        yield "run", key, None
    for i in range(len(C.CASES)):
        yield "cli", i, None
    for i in range(len(P.CASES)):
        yield "portfolio", i, None


NUM = [float("nan"), float("inf"), float("-inf"), True, False, "200", "", "1e3", [1.0], {"a": 1}]
TXT = [1, 2.5, True, float("nan"), [], {"a": "b"}]
FLG = [1, 0, "yes", "true", float("nan")]
SET_RAW = ["nan", "inf", "-inf", "true", "false", '"200"', "yes", "[1, 2]", "{a = 1}", "2023-01-01"]
ENC = ["gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "binary"]
RUN_ABSURD = [
    "base_year.trade_processing.high=1e308",
    "uncertainties.sectors.logistics.trade_sigma=1e308",
    "constants.projects.fifth_street.lead_rate_multiplier.logistics=1e308",
    "uncertainties.macro.volatility_per_month=1e308",
    "uncertainties.macro.volatility_per_month=30",
    "uncertainties.sectors.logistics.lead_rate_per_month=1e9",
    "no_patents",
]
"""--set values on the baseline that once passed validate and broke or spoiled a run; ``no_patents``:
the baseline without its patents count, which the national evaluation scores (no fallback)."""


def without_patents() -> Path:
    """The baseline fully resolved, less its patents count and the targets on it."""
    from sim.scenario import load_scenario

    data = copy.deepcopy(load_scenario(BASELINE).resolved)
    data.pop("extends", None)
    for sec in ("constants", "uncertainties"):
        data[sec]["counts"].pop("patents")
    data["targets"] = {k: t for k, t in data["targets"].items() if t["indicator"] != "patents"}
    f = WORK / "no_patents.toml"
    f.write_text(tomli_w.dumps(data), encoding="utf-8")
    return f


BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
OBS_KINDS = F.OBS_KINDS


def argv_of(kind, a, b):
    if kind == "value":
        f = WORK / "v.toml"
        f.write_text(tomli_w.dumps(F._mutated(a, b)), encoding="utf-8")
        return ["validate", str(f)]
    if kind == "set":
        key, raw = ".".join(a), b
        if any(p.isdigit() for p in a):
            key, raw = ".".join(a[:-1]), "[" + ", ".join([b] * 12) + "]"
        return ["validate", str(TINY), "--set", f"{key}={raw}"]
    if kind == "encoding":
        text = TINY.read_text(encoding="utf-8").replace("Test zone", "Test zone é")
        data = b"\x00\x01\x02\xff" * 64 if a == "binary" else text.encode(a, errors="replace")
        bad = WORK / f"enc_{a}.toml"
        bad.write_bytes(data)
        if not b:
            return ["validate", str(bad)]
        child = WORK / "enc_child.toml"
        child.write_text(f'extends = "{bad.name}"\n', encoding="utf-8")
        return ["validate", str(child)]
    if kind == "deep":
        text = TINY.read_text(encoding="utf-8")
        if b == "table":
            text = text.replace("[run]", "[run]\n" + ".".join(["x"] * a) + " = 1", 1)
        else:
            close = "]" if b == "[" else "}"
            text = text.replace("seed = 7", f"seed = {b * a}1{close * a}", 1)
        f = WORK / "deep.toml"
        f.write_text(text, encoding="utf-8")
        return ["validate", str(f)]
    if kind == "obs":
        f = WORK / "obs.csv"
        f.write_text("\n".join([F.OBS_HEADER, *F._apply(F.OBS_ROWS, a, b)]) + "\n", encoding="utf-8")
        return ["validate", str(TINY), "--set", f"observations.file={f}"]
    if kind == "extends_empty":
        f = WORK / "e.toml"
        f.write_text('extends = ""\n', encoding="utf-8")
        return ["validate", str(f)]
    if kind == "zone":
        _, label, content = Z.CASES[a]
        return ["validate", str(Z.write(label, content))]
    if kind == "cli":
        return C.CASES[a]
    if kind == "portfolio":
        _, label, content = P.CASES[a]
        return ["validate", str(P.write(label, content))]
    if kind == "run":
        out = WORK / "run"
        shutil.rmtree(out, ignore_errors=True)
        return [
            "run",
            str(BASELINE),
            "--set",
            a,
            "--reps",
            "4",
            "--workers",
            "1",
            "--out",
            str(out),
            "--no-report",
            "-q",
        ]
    return ["validate", str(TINY), "--set", "extends=nosuch.toml"]


def main_() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="the first two cases of each kind: checks the script runs")
    smoke = ap.parse_args().smoke
    counts: dict[str, dict[str, int]] = {}
    for kind, a, b in cases():
        if smoke and sum(counts.get(kind, {}).values()) >= 2:
            continue
        r = attempt(argv_of(kind, a, b))
        counts.setdefault(kind, {}).setdefault(r, 0)
        counts[kind][r] += 1
    print_table(counts)


COLUMNS = ("clean", "usage", "traceback", "accepted", "wrong result")
"""Outcomes counted: clean exit 2 (one message naming file and key), argparse's usage block (exit 2, names the
option), a traceback, a silent acceptance (exit 0), a wrong result (a run that exits 0 with a non-finite or blank
statistic); any other exit code gets a column of its own."""


def print_table(counts: dict[str, dict[str, int]]) -> None:
    others = sorted({r for c in counts.values() for r in c} - set(COLUMNS))
    cols = [*COLUMNS, *others]
    print(f"{'input kind':14s} {'cases':>6s} " + " ".join(f"{c:>12s}" for c in cols))
    rows = [*counts.items(), ("all", {c: sum(k.get(c, 0) for k in counts.values()) for c in cols})]
    for kind, c in rows:
        print(f"{kind:14s} {sum(c.values()):6d} " + " ".join(f"{c.get(col, 0):12d}" for col in cols))


if __name__ == "__main__":
    main_()
