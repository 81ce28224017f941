"""The meeting pack of ``run``: what ``run.py`` hands over when a pack is wanted.

Not a command of its own. ``run.py`` loads this module by name (``sim.cli.load``) only when the
run builds a pack or shows a goal seek in one, so that ``run --no-report`` starts without the
pack's libraries (charts, PDF, Excel, slides, the goal seek's optimiser).
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim import api
from sim.report.pack import load_goal_seek

__all__ = ["build", "check_goal_seek"]


def check_goal_seek(folder: Path) -> None:
    """Refuse, before the run starts, a --goal-seek folder the pack could not show."""
    load_goal_seek(folder)


def build(out: Path, sc, seed, summary, run_date: str, args) -> None:
    """The meeting pack, after the answer is on the screen."""
    say = (lambda line: None) if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    sys.stdout.flush()
    api.meeting_pack(
        out,
        sc,
        seed,
        summary,
        run_date,
        say,
        workers=1 if args.executor == "dask" else None,
        goal_seek=Path(args.goal_seek) if args.goal_seek else None,
        previous=Path(args.previous) if args.previous else None,
    )
