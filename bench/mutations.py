"""Do the tests notice when the behaviour breaks? Named mutations of sim/, each run against its tests.

    python bench/mutations.py                      # every mutation against the current tests
    python bench/mutations.py --tests-from REV     # the same, with tests/ as it was at commit REV
    python bench/mutations.py --only joint_any     # some of them (repeat --only)
    python bench/mutations.py --list               # names, files and the tests each runs
    python bench/mutations.py --smoke              # one mutation, quickly

Each mutation is one deliberate mistake in the planner's numbers (the interval, the comparisons,
the joint probability, quantiles), the model's common random numbers, the ranking or the studio:
a (file, old text, new text) patch applied to a temporary copy of the checkout. The old text is
matched with any whitespace between its tokens, so formatting does not stop a patch applying; a
patch that no longer applies is reported as "stale", never as caught. The copy runs the fast test
files listed for the mutation (``pytest -x -q``, ``-m "not slow"``, the copy's own ``sim`` first on
the path) and the mutation is "caught" if they fail, "survived" if they pass. Prints one line a
mutation and the counts; exits 1 if any survived or is stale.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    why: str


PLANNER = ("tests/test_planner_numbers.py", "tests/test_run_outputs.py", "tests/test_api.py")
RANKING = ("tests/test_ranking_numbers.py", "tests/test_ranking.py", "tests/test_ranking_uncertainty.py")

MUTATIONS = [
    Mutation(
        "wilson_to_wald",
        "sim/analysis/targets.py",
        "return float(ci.low), float(ci.high)",
        "p = hits / n; h = 1.959963984540054 * (p * (1 - p) / n) ** 0.5; return max(0.0, p - h), min(1.0, p + h)",
        PLANNER,
        "the Wald interval instead of Wilson's",
    ),
    Mutation(
        "ci_level_90",
        "sim/analysis/targets.py",
        "CI_LEVEL = 0.95",
        "CI_LEVEL = 0.90",
        PLANNER,
        "a 90% interval labelled 95%",
    ),
    Mutation(
        "joint_any",
        "sim/analysis/targets.py",
        "joint[t.year] & h",
        "joint[t.year] | h",
        PLANNER,
        "ALL_<year> as 'any target' instead of 'all'",
    ),
    Mutation(
        "joint_with_inactive",
        "sim/analysis/targets.py",
        "if t.active:\n            joint[t.year]",
        "if True:\n            joint[t.year]",
        PLANNER,
        "inactive targets counted in the joint probability",
    ),
    Mutation(
        "op_ge_strict",
        "sim/analysis/targets.py",
        '">=": operator.ge',
        '">=": operator.gt',
        PLANNER,
        "'>=' compared as '>'",
    ),
    Mutation(
        "op_gt_loose",
        "sim/analysis/targets.py",
        '">": operator.gt',
        '">": operator.ge',
        PLANNER,
        "'>' compared as '>='",
    ),
    Mutation(
        "op_le_strict",
        "sim/analysis/targets.py",
        '"<=": operator.le',
        '"<=": operator.lt',
        PLANNER,
        "'<=' compared as '<'",
    ),
    Mutation(
        "op_lt_loose",
        "sim/analysis/targets.py",
        '"<": operator.lt',
        '"<": operator.le',
        PLANNER,
        "'<' compared as '<='",
    ),
    Mutation(
        "p90_is_p80",
        "sim/analysis/targets.py",
        "np.percentile(v, [10, 50, 90])",
        "np.percentile(v, [10, 50, 80])",
        PLANNER,
        "the 90% quantile column holds the 80% one",
    ),
    Mutation(
        "growth_needed_inverted",
        "sim/analysis/targets.py",
        "need = thr / base - 1",
        "need = base / thr - 1",
        PLANNER,
        "the growth a target needs over the base year, inverted",
    ),
    Mutation(
        "lead_counts_sequential",
        "sim/model/arrivals.py",
        'counts = inverse.poisson(d.uniforms("lead_counts", 1, np.arange(z.H)[:, None], s.sector_key[None, :])[..., 0], lam)',
        "counts = np.random.default_rng([d.root, d.rep]).poisson(lam)",
        ("tests/test_crn_process.py", "tests/test_metamorphic.py", "tests/test_model_exact.py"),
        "lead counts from one sequential stream: common random numbers broken at the process level",
    ),
    Mutation(
        "lead_numbers_shared",
        "sim/model/arrivals.py",
        "u = z.draws.uniforms(stream, 9, key, number)",
        "u = z.draws.uniforms(stream, 9, np.zeros_like(key), np.arange(len(key)))",
        ("tests/test_crn_process.py", "tests/test_metamorphic.py", "tests/test_model_exact.py"),
        "a lead's numbers indexed by its place among all leads, not within its sector",
    ),
    Mutation(
        "rank_le_strict",
        "sim/analysis/ranking.py",
        'row(f"rank<={ref}", "main", main, r <= ref, r)',
        'row(f"rank<={ref}", "main", main, r < ref, r)',
        RANKING,
        "P(rank <= 60) computed as P(rank < 60)",
    ),
    Mutation(
        "method_mixture_dropped",
        "sim/ranking/chunk.py",
        'np.searchsorted(yp.cum_weights, d.u[:, 3 + t], side="right")',
        'np.searchsorted(yp.cum_weights, 0.0 * d.u[:, 3 + t], side="right")',
        RANKING,
        "the evaluation method no longer drawn per replication",
    ),
    Mutation(
        "class_a_strict",
        "sim/ranking/chunk.py",
        "class_a = ranks[:, :, 0] <= np.floor(",
        "class_a = ranks[:, :, 0] < np.floor(",
        RANKING,
        "class A one place short",
    ),
    Mutation(
        "promotion_lever_ignored",
        "sim/model/spec.py",
        "n_ev = lv.promotion_events_per_year",
        "n_ev = 0",
        ("tests/test_levers.py", "tests/test_metamorphic.py"),
        "the promotion lever ignored",
    ),
    Mutation(
        "studio_no_cancel",
        "sim/studio/progressive.py",
        "if self._cancel is not None:\n                self._cancel.set()\n            self._cancel = event",
        "self._cancel = event",
        ("tests/test_studio_cancel.py", "tests/test_studio.py"),
        "a new what-if no longer cancels the previous one",
    ),
]


def loose(text: str) -> re.Pattern:
    """``text`` as a pattern: its tokens in order, any whitespace (or none) between them, and an
    optional trailing comma before a closing bracket (what a formatter adds or removes)."""
    tokens = re.findall(r"\w+|[^\w\s]", text)
    parts = []
    for tok in tokens:
        if tok in ")]}":
            parts.append(r",?\s*" + re.escape(tok))
        else:
            parts.append(r"\s*" + re.escape(tok))
    return re.compile("".join(parts).removeprefix(r"\s*"))


def apply(root: Path, m: Mutation) -> str | None:
    """Patch the copy; the original text (to restore), or None if the patch does not apply once."""
    f = root / m.path
    src = f.read_text(encoding="utf-8")
    found = list(loose(m.old).finditer(src))
    if len(found) != 1:
        return None
    a, b = found[0].span()
    f.write_text(src[:a] + m.new + src[b:], encoding="utf-8")
    return src


def copy_checkout(tests_from: str | None) -> Path:
    dst = Path(tempfile.mkdtemp(prefix="zonesim_mut_")) / "repo"
    ignore = shutil.ignore_patterns(".git", ".venv", "results", "__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")
    shutil.copytree(ROOT, dst, ignore=ignore)
    if tests_from:
        shutil.rmtree(dst / "tests")
        tar = subprocess.run(["git", "-C", str(ROOT), "archive", tests_from, "tests"], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(dst)], input=tar.stdout, check=True)
    return dst


def run_tests(root: Path, tests: tuple[str, ...], workers: int) -> tuple[str, float]:
    files = [t for t in tests if (root / t).is_file()]
    if not files:
        return "survived (no test file)", 0.0
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow", *files]
    # -x stops at the first failure; under pytest-xdist that stop is an interruption (exit 2), which
    # would read as an error, so with several workers every test runs instead
    cmd += ["-n", str(workers)] if workers > 1 else ["-x"]
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("CI", None)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode == 0:
        return "survived", dt
    if r.returncode == 1:
        return "caught", dt
    return f"error (pytest exit {r.returncode})", dt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", default=[], help="run this mutation (repeatable)")
    ap.add_argument("--tests-from", help="take tests/ from this git revision (the 'before' count)")
    ap.add_argument("--workers", type=int, default=1, help="pytest-xdist workers per mutation")
    ap.add_argument("--list", action="store_true", help="list the mutations and stop")
    ap.add_argument("--smoke", action="store_true", help="one mutation, to check the script runs")
    a = ap.parse_args(argv)
    chosen = [m for m in MUTATIONS if not a.only or m.name in a.only]
    unknown = set(a.only) - {m.name for m in MUTATIONS}
    if unknown:
        ap.error(f"no mutation named {', '.join(sorted(unknown))}")
    if a.smoke:
        chosen = [next(m for m in MUTATIONS if m.name == "class_a_strict")]
    if a.list:
        for m in chosen:
            print(f"{m.name:24s} {m.path:28s} {m.why}\n{'':24s} tests: {' '.join(m.tests)}")
        return 0
    root = copy_checkout(a.tests_from)
    counts: dict[str, int] = {}
    try:
        for m in chosen:
            original = apply(root, m)
            if original is None:
                result, dt = "stale (the patch does not apply once)", 0.0
            else:
                try:
                    result, dt = run_tests(root, m.tests, a.workers)
                finally:
                    (root / m.path).write_text(original, encoding="utf-8")
            key = result.split(" ")[0]
            counts[key] = counts.get(key, 0) + 1
            print(f"{m.name:24s} {result:10s} {dt:6.1f} s  {m.why}", flush=True)
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
    print(f"{len(chosen)} mutations: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    return 0 if set(counts) <= {"caught"} else 1


if __name__ == "__main__":
    raise SystemExit(main())
