"""The ``report`` sub-command: ``run_sim.py report RESULTS_DIR [RESULTS_DIR ...] [--lang zh|en|both] [--out DIR]``.

``sim/cli.py`` adds it with :func:`add_report_parser` and dispatches to :func:`report_main`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

LANG_CHOICES = {"zh": ("zh",), "en": ("en",), "both": ("zh", "en")}


def add_report_parser(subparsers) -> argparse.ArgumentParser:
    r = subparsers.add_parser(
        "report", help="build the meeting pack (HTML, PDF, Excel, charts) from saved results",
        description="Build the meeting pack from one or more results folders without re-running the model. "
                    "The first folder is the report's subject; further folders are compared with it.")
    r.add_argument("results", nargs="+", metavar="RESULTS_DIR", help="results folder(s) written by `run`")
    r.add_argument("--lang", choices=tuple(LANG_CHOICES), default="both",
                   help="report language: zh, en or both (default both)")
    r.add_argument("--out", metavar="DIR", help="output folder (default: <first RESULTS_DIR>/report)")
    return r


def report_main(args) -> int:
    from sim.report.pack import build_pack
    from sim.report.results import ResultsError
    try:
        written = build_pack([Path(p) for p in args.results], LANG_CHOICES[args.lang],
                             Path(args.out) if args.out else None)
    except ResultsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: cannot write the report: {e}", file=sys.stderr)
        return 2
    out = written[0].parent if written else None
    reports = [p for p in written if p.suffix in (".html", ".pdf", ".xlsx")]
    n_charts = sum(1 for p in written if p.parent.name == "charts")
    if out is not None and out.name == "charts":
        out = out.parent
    print(f"report: {', '.join(str(p) for p in reports)} and {n_charts} chart files in {reports[0].parent / 'charts'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (``python -m sim.report.cli RESULTS_DIR ...``)."""
    p = argparse.ArgumentParser(prog="report")
    sub = p.add_subparsers(dest="command", required=True)
    add_report_parser(sub)
    return report_main(p.parse_args(["report", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":
    raise SystemExit(main())
