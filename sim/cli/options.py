"""The option groups the sub-commands share, and the helpers that read them.

Each group is declared once here: the scenario positional with ``--set``; ``--reps``; the options
of every command that runs replications (``--seed``, ``--workers``, ``--executor``/``--scheduler``,
``--out``, ``-q``). The helpers resolve what the options leave open (the seed, the replications,
the results folder) and build the executor, so no command writes these fallbacks itself.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import overload

from sim.cli.types import positive_int, workers
from sim.cli.types import seed as seed_type
from sim.errors import UserError
from sim.experiment.executors import DaskExecutor, Executor, LocalExecutor


def add_scenario(
    sp, nargs: str | None = None, help: str = "scenario TOML file, e.g. scenarios/baseline.toml", **kw
) -> None:
    """The scenario positional (``nargs="+"`` for several: ``args.scenarios``) and ``--set``."""
    if nargs == "+":
        sp.add_argument("scenarios", nargs="+", metavar="SCENARIO", help=help)
    else:
        sp.add_argument("scenario", nargs=nargs, help=help, **kw)
    sp.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY.PATH=VALUE",
        help="override one scenario value (repeatable), e.g. --set levers.promotion_events_per_year=4",
    )


def add_reps(sp, help: str = "replications (default: the scenario's run.replications)", default=None) -> None:
    sp.add_argument("--reps", type=positive_int, default=default, help=help)


def add_replication_options(
    sp, out_help: str = "results folder (default: a name under results/ built from the inputs)"
) -> None:
    """Options of every command that runs replications: seed, where they run, results folder, quiet."""
    sp.add_argument("--seed", type=seed_type, help="root seed (default: the scenario's run.seed)")
    sp.add_argument("--workers", type=workers, help="local worker processes (default: all cores)")
    sp.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local processes (default) or a Dask distributed cluster",
    )
    sp.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://host:8786")
    sp.add_argument("--out", help=out_help)
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar and a shorter report")


def add_targets(sp, help: str) -> None:
    sp.add_argument("--targets", help=help)


def targets_of(args, ls) -> list[str] | None:
    """The ids of ``--targets`` (comma-separated), each checked against the scenario; None if not given."""
    ids = [t.strip() for t in args.targets.split(",") if t.strip()] if args.targets else None
    for t in ids or []:
        if t not in ls.scenario.targets:
            raise UserError(
                f"--targets {t}: not a target of {ls.path}; expected one of {', '.join(ls.scenario.targets)}"
            )
    return ids


def seed_of(args, sc) -> int:
    """``--seed``, else the scenario's ``run.seed``."""
    return sc.run.seed if args.seed is None else args.seed


def reps_of(args, sc) -> int:
    """``--reps``, else the scenario's ``run.replications``."""
    return args.reps or sc.run.replications


@overload
def out_or(args, default: Path) -> Path: ...


@overload
def out_or(args, default: None) -> Path | None: ...


def out_or(args, default: Path | None) -> Path | None:
    """``--out`` as a path, else ``default``."""
    return Path(args.out) if args.out else default


def progress(args) -> bool | None:
    """The ``progress`` argument of the experiment functions: off with ``-q``, else automatic."""
    return False if args.quiet else None


def log(args):
    """A function printing a line to stderr, or None with ``-q``."""
    return None if args.quiet else _log


def _log(message: str) -> None:
    print(message, file=sys.stderr)


@contextmanager
def executor(
    args, local: str = "{n} worker(s)", meanwhile: Callable[[], object] | None = None
) -> Iterator[tuple[Executor, str]]:
    """(executor, where it runs for the header line) from ``--executor``/``--scheduler``/``--workers``.

    ``local`` formats the local case from the worker count ``n``; ``meanwhile``: what this process
    does while local workers compute (:class:`~sim.experiment.executors.LocalExecutor`). A Dask
    client is closed on exit."""
    if args.executor != "dask":
        local_ex = LocalExecutor(args.workers, meanwhile)
        yield local_ex, local.format(n=local_ex.workers)
        return
    if not args.scheduler:
        raise UserError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    dask_ex = DaskExecutor(args.scheduler)
    try:
        yield dask_ex, f"Dask cluster {args.scheduler}"
    finally:
        dask_ex.close()
