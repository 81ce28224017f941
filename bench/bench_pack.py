"""How long the meeting pack takes, and where the time goes (prints figures; never a timed test).

    python bench/bench_pack.py [RESULTS_DIR] [--repeat N] [--no-stages] [--smoke]

RESULTS_DIR is a stored results folder (default /tmp/pack_bench_run; make one with
``run_sim.py run scenarios/baseline.toml --reps 1000 --seed 1 --no-report --out /tmp/pack_bench_run``).
Prints:
  * process start-up: a bare interpreter, and one that imports the pack (what every command and
    every worker process pays before its first chart);
  * the whole pack as the ``report`` command builds it (a child process, default workers), wall
    time of each of ``--repeat`` builds, and how many times each results file was opened;
  * the stages of one build in this process with one worker: reading the results, each chart
    (drawing, PNG, SVG) per language, the document, HTML and PDF per language with their font
    subsetting (the subset a language's HTML and PDF share, and fpdf2's own of it), the Excel
    workbook, and the results files opened by it.
  * the timeline of one build with the default workers: each process's jobs (a language's share
    of the charts, a report, a deck, the workbook) with their start, end and CPU seconds, and how
    long each process idled while another still worked (the split of the work between processes).
Stages are timed by wrapping the pack's functions from outside; nothing in ``sim/`` knows about it.
``--smoke`` does all of it once, in English only, on a results folder of 20 replications of the
test suite's tiny zone (tests/data/tiny.toml) made for the purpose (seconds, not minutes; the
test suite runs it so the script keeps working).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OPEN_LOG = "ZONESIM_BENCH_OPEN_LOG"
"""Environment variable: file to which the child process appends each results file it opens."""

CHILD = f"""
import os, sys
log, folder = os.environ["{OPEN_LOG}"], os.path.realpath(sys.argv[1])
def hook(event, args):
    if event == "open" and isinstance(args[0], str) and "r" in str(args[1] or "r"):
        p = os.path.realpath(args[0])
        if os.path.dirname(p) == folder:
            with open(log, "a") as f:
                f.write(os.path.basename(p) + "\\n")
sys.addaudithook(hook)
sys.path.insert(0, {str(ROOT)!r})
from sim.cli import main
sys.argv = ["run_sim.py", "report", *sys.argv[1:]]
raise SystemExit(main())
"""


def _wall(argv: list[str], env=None, cpu: list | None = None) -> float:
    """Wall seconds of a child process; its CPU seconds (all its processes) appended to ``cpu``."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
    return wall


def startup(tries: int = 3) -> None:
    py = sys.executable
    bare = min(_wall([py, "-c", "pass"]) for _ in range(tries))
    pack = min(
        _wall([py, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); import sim.report.pack"])
        for _ in range(tries)
    )
    print(f"process start-up: interpreter {bare:.2f} s; interpreter + imports of the pack {pack:.2f} s")


def end_to_end(results: Path, repeat: int, langs: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "opens.txt"
        times, cpu = [], []
        for _i in range(repeat):
            log.write_text("")
            env = dict(os.environ, **{OPEN_LOG: str(log)})
            argv = [sys.executable, "-c", CHILD, str(results), "--out", str(Path(tmp) / "pack")]
            if len(langs) == 1:
                argv += ["--lang", langs[0]]
            times.append(_wall(argv, env, cpu))
        opens = Counter(log.read_text().split())
    print(
        f"whole pack (`report`, default workers, {os.cpu_count()} cores): "
        + ", ".join(f"{t:.1f} s" for t in times)
        + f"  (best {min(times):.1f} s); CPU of all its processes "
        + ", ".join(f"{c:.1f} s" for c in cpu)
        + f"; load average now {os.getloadavg()[0]:.2f}"
    )
    print("  results files opened per build: " + (", ".join(f"{k} x{v}" for k, v in sorted(opens.items())) or "none"))


# ----------------------------------------------------------------------------- stages in this process


class Stages:
    """Inclusive wall time per stage; ``where`` is the (language, chart) being built."""

    def __init__(self):
        self.t = defaultdict(float)
        self.lang = "-"
        self.chart = None
        self.stack: list[str] = []
        self.opens = Counter()

    @contextlib.contextmanager
    def on(self, key):
        self.stack.append(key[-1] if isinstance(key, tuple) else key)
        t = time.perf_counter()
        try:
            yield
        finally:
            self.t[key] += time.perf_counter() - t
            self.stack.pop()

    def wrap(self, owner, name, key):
        fn = getattr(owner, name)
        stages = self

        def timed(*a, **k):
            kk = key(a, k) if callable(key) else key
            with stages.on(kk):
                return fn(*a, **k)

        setattr(owner, name, timed)


def stages(results: Path, all_charts: bool, langs: tuple[str, ...]) -> None:
    import fpdf
    import matplotlib.figure
    from fontTools import subset
    from fontTools.ttLib import TTFont

    import sim.report.pack as pack
    import sim.results.files as res_mod
    from sim.results import Results

    S = Stages()
    folder = os.path.realpath(results)

    def hook(event, args):
        if event == "open" and isinstance(args[0], str) and os.path.dirname(os.path.realpath(args[0])) == folder:
            S.opens[os.path.basename(args[0])] += 1

    sys.addaudithook(hook)

    S.wrap(Results, "load", "read results (manifest, summary, monthly, ...)")
    S.wrap(res_mod, "read_indicators", "read results: indicators.csv")
    for mod, name, kind in ((pack, "render_html", "HTML"), (pack, "render_pdf", "PDF")):
        fn = getattr(mod, name)

        def renderer(doc, *a, _fn=fn, _kind=kind, **k):
            S.lang = doc.lang
            with S.on((doc.lang, _kind)):
                return _fn(doc, *a, **k)

        setattr(mod, name, renderer)
    S.wrap(pack, "build_workbook", ("-", "Excel"))
    document = pack.build_document

    def build_document(res, lang, *a, **k):
        S.lang = lang
        with S.on((lang, "document")):
            return document(res, lang, *a, **k)

    pack.build_document = build_document
    S.wrap(pack, "subset_font", lambda a, k: (S.lang, "font subset"))  # one per language, for HTML and PDF

    def font_key(a, k):
        return (S.lang, (S.stack[-1] if S.stack else "?") + ": font subsetting")

    S.wrap(subset.Subsetter, "subset", font_key)
    S.wrap(TTFont, "save", font_key)
    S.wrap(fpdf.FPDF, "add_font", lambda a, k: (S.lang, "PDF: font loading"))

    make = pack.make_charts

    def make_charts(res, lang, *a, **k):
        S.lang = lang
        it = make(res, lang, *a, **k)
        while True:
            t = time.perf_counter()
            try:
                key, fig = next(it)
            except StopIteration:
                return
            S.chart = key
            S.t[(lang, "chart", key, "draw")] += time.perf_counter() - t
            yield key, fig

    pack.make_charts = make_charts
    savefig = matplotlib.figure.Figure.savefig

    def timed_savefig(self, fname, *a, format=None, **k):
        fmt = format or str(fname).rsplit(".", 1)[-1]
        with S.on((S.lang, "chart", S.chart, fmt)):
            return savefig(self, fname, *a, format=format, **k)

    matplotlib.figure.Figure.savefig = timed_savefig
    from sim.report.charts import base as chart_base

    png = chart_base._png  # the pack's PNGs are drawn and encoded here, not through savefig

    def timed_png(fig, *a, **k):
        with S.on((S.lang, "chart", S.chart, "png")):
            return png(fig, *a, **k)

    chart_base._png = timed_png

    with tempfile.TemporaryDirectory() as tmp:
        t, c = time.perf_counter(), time.process_time()
        pack.build_pack([results], langs, out=Path(tmp) / "pack", workers=1)
        total, cpu = time.perf_counter() - t, time.process_time() - c
    _print_stages(S, total, cpu, all_charts)


def _print_stages(S: Stages, total: float, cpu: float, all_charts: bool) -> None:
    print(f"\nstages of one build in this process, 1 worker: {total:.1f} s in all (CPU {cpu:.1f} s)")
    read = sum(v for k, v in S.t.items() if isinstance(k, str) and k.startswith("read results"))
    print(f"  read results {read:.2f} s (indicators.csv {S.t['read results: indicators.csv']:.2f} s)")
    langs = sorted({k[0] for k in S.t if isinstance(k, tuple) and k[0] != "-"})
    for lang in langs:
        charts = sorted({k[2] for k in S.t if isinstance(k, tuple) and k[0] == lang and k[1] == "chart"})
        cols = defaultdict(float)
        rows = []
        for c in charts:
            parts = {f: S.t.get((lang, "chart", c, f), 0.0) for f in ("draw", "png", "svg")}
            for f, v in parts.items():
                cols[f] += v
            rows.append((c, parts))
        in_charts = sum(cols.values())
        print(
            f"  [{lang}] {len(charts)} charts {in_charts:.1f} s: drawing {cols['draw']:.1f} s, "
            f"PNG {cols['png']:.1f} s, SVG {cols['svg']:.1f} s"
        )
        for c, parts in sorted(rows, key=lambda r: -sum(r[1].values()))[: None if all_charts else 8]:
            print(f"      {c:40s} " + "  ".join(f"{f} {v:5.2f}" for f, v in parts.items()))
        print(f"  [{lang}] document (the blocks both renderers draw) {S.t.get((lang, 'document'), 0.0):.2f} s")
        for kind in ("HTML", "PDF"):
            sub = S.t.get((lang, f"{kind}: font subsetting"), 0.0)
            extra = f", font loading {S.t.get((lang, 'PDF: font loading'), 0.0):.2f} s" if kind == "PDF" else ""
            print(f"  [{lang}] {kind} {S.t.get((lang, kind), 0.0):.2f} s (font subsetting {sub:.2f} s{extra})")
        print(f"  [{lang}] font subset shared by HTML and PDF {S.t.get((lang, 'font subset'), 0.0):.2f} s")
    print(f"  Excel {S.t.get(('-', 'Excel'), 0.0):.2f} s")
    print("  results files opened: " + (", ".join(f"{k} x{v}" for k, v in sorted(S.opens.items())) or "none"))


JOBS = ("_charts_job", "_report_job", "_deck_job", "_workbook_job")


def timeline(results: Path, langs: tuple[str, ...]) -> None:
    """One build with the default workers, its jobs wrapped to log (process, job, start, end, CPU)."""
    import functools
    import json

    import sim.report.pack as pack

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "jobs.jsonl"
        t0 = time.perf_counter()
        originals = {name: getattr(pack, name) for name in JOBS}

        def wrapped(name, fn):
            @functools.wraps(fn)  # the pool pickles the job by its name: the wrapper answers to it
            def job(*args):
                start, cpu = time.perf_counter(), time.process_time()
                out = fn(*args)
                what = "/".join(str(a) for a in args[2:4] if not isinstance(a, dict))
                row = [os.getpid(), f"{name.strip('_')[:-4]} {what}".strip(), start - t0, time.perf_counter() - t0]
                with open(log, "a") as f:
                    f.write(json.dumps([*row, time.process_time() - cpu]) + "\n")
                return out

            return job

        for name, fn in originals.items():
            setattr(pack, name, wrapped(name, fn))
        try:
            pack.build_pack([results], langs, out=Path(tmp) / "pack")
        finally:
            for name, fn in originals.items():
                setattr(pack, name, fn)
        total = time.perf_counter() - t0
        rows = [json.loads(line) for line in log.read_text().splitlines()]
    print(f"\ntimeline of one build, default workers: {total:.1f} s; load average now {os.getloadavg()[0]:.2f}")
    first, last = min(r[2] for r in rows), max(r[3] for r in rows)
    print(f"  before the first job (reading the results, starting the workers) {first:.2f} s")
    for k, pid in enumerate(sorted({r[0] for r in rows})):
        mine = sorted((r for r in rows if r[0] == pid), key=lambda r: r[2])
        busy = sum(r[3] - r[2] for r in mine)
        cpu = sum(r[4] for r in mine)
        print(f"  process {k + 1}: jobs {busy:.1f} s (CPU {cpu:.1f} s), idle {last - first - busy:.1f} s")
        for _pid, job, start, end, c in mine:
            print(f"      {start:6.2f} -> {end:6.2f}  CPU {c:5.2f}  {job}")


def measure(
    results: Path, repeat: int, with_stages: bool, all_charts: bool, langs: tuple[str, ...], tries: int = 3
) -> int:
    """Print the figures of the pack of ``results`` in ``langs``; 2 when it is not a results folder."""
    if not (results / "summary.csv").is_file():
        print(
            f"{results}: not a results folder; make one with\n  run_sim.py run scenarios/baseline.toml "
            f"--reps 1000 --seed 1 --no-report --out {results} -q",
            file=sys.stderr,
        )
        return 2
    print(f"meeting pack of {results}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    startup(tries)
    end_to_end(results, repeat, langs)
    timeline(results, langs)
    if with_stages:
        stages(results, all_charts, langs)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", nargs="?", type=Path, default=Path("/tmp/pack_bench_run"))
    ap.add_argument("--repeat", type=int, default=2, help="whole-pack builds to time (default 2)")
    ap.add_argument("--no-stages", action="store_true", help="skip the stage breakdown")
    ap.add_argument("--charts", action="store_true", help="every chart's times (default: the 8 slowest)")
    ap.add_argument(
        "--smoke", action="store_true", help="once, English only, on a tiny made-up run: checks the script runs"
    )
    a = ap.parse_args()
    if not a.smoke:
        return measure(a.results, a.repeat, not a.no_stages, a.charts, ("zh", "en"))
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "tiny"
        tiny = ["run", "tests/data/tiny.toml", "--reps", "20", "--seed", "1", "--workers", "1", "--no-report", "-q"]
        subprocess.run(
            [sys.executable, "run_sim.py", *tiny, "--out", str(results)],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return measure(results, 1, True, a.charts, ("en",), tries=1)


if __name__ == "__main__":
    sys.exit(main())
