"""``report RESULTS_DIR [RESULTS_DIR ...] [--lang zh|en|both] [--out DIR] [--goal-seek DIR] [--previous DIR]``:
the meeting pack from saved results.

It reads results folders only (never a scenario, never the model), so it takes no ``--set``.
"""

from __future__ import annotations

from pathlib import Path

from sim.errors import UserError
from sim.report.pack import build_pack

LANG_CHOICES = {"zh": ("zh",), "en": ("en",), "both": ("zh", "en")}


def add_parser(sub) -> None:
    r = sub.add_parser(
        "report",
        help="build the meeting pack (HTML, PDF, Excel, PPTX decks, charts) from saved results",
        description="Build the meeting pack from one or more results folders without re-running the model. "
        "The first folder is the report's subject; further folders are compared with it.",
    )
    r.add_argument("results", nargs="+", metavar="RESULTS_DIR", help="results folder(s) written by `run`")
    r.add_argument(
        "--lang", choices=tuple(LANG_CHOICES), default="both", help="report language: zh, en or both (default both)"
    )
    r.add_argument("--out", metavar="DIR", help="output folder (default: <first RESULTS_DIR>/report)")
    r.add_argument("--goal-seek", metavar="DIR", help="also show a goal seek: the results folder of `optimise`")
    r.add_argument(
        "--previous",
        metavar="DIR",
        help="early warning: the results folder of the previous as-of's `run --as-of` (P now vs then, "
        "traffic lights, what moved)",
    )
    r.set_defaults(func=report)


def report(args) -> int:
    try:
        written = build_pack(
            [Path(p) for p in args.results],
            LANG_CHOICES[args.lang],
            Path(args.out) if args.out else None,
            goal_seek=Path(args.goal_seek) if args.goal_seek else None,
            previous=Path(args.previous) if args.previous else None,
        )
    except OSError as e:
        raise UserError(f"cannot write the report: {e}") from e
    reports = [p for p in written if p.suffix in (".html", ".pdf", ".xlsx", ".pptx")]
    n_charts = sum(1 for p in written if p.parent.name == "charts")
    print(f"report: {', '.join(str(p) for p in reports)} and {n_charts} chart files in {reports[0].parent / 'charts'}")
    return 0
