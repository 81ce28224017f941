"""The command line: ``python run_sim.py COMMAND ...`` (or ``zonesim COMMAND ...``).

``main(argv) -> int`` builds the parser from :data:`COMMANDS` (one module per sub-command, each
with ``add_parser(subparsers)`` that sets ``func``), runs the chosen command and is the one place
that turns a failure into a one-line message: a :class:`~sim.errors.UserError` exits 2, a
:class:`~sim.errors.MachineError` exits 1, both without a traceback. A new sub-command is a new
module here with ``add_parser()`` and a line in :data:`COMMANDS`.

When the command is named, only its module is imported (``validate`` need not load the charts
and the engine; that halves its start-up); otherwise, e.g. for ``--help``, all of them are. A
command that needs a heavy part only on some of its paths loads that part's module the same way,
by name, when it takes that path (:func:`load`: ``run`` loads the meeting pack's libraries only
for a pack, and the portfolio's only for a portfolio file). Nothing imports ``sim.cli``, so
importing its modules by name cannot hide an import cycle.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from types import ModuleType

from sim.errors import MachineError, UserError

COMMANDS = (
    "run",
    "validate",
    "report",
    "levers",
    "compare",
    "sweep",
    "sensitivity",
    "discover",
    "calibrate",
    "backtest",
    "optimise",
    "studio",
    "new_zone",
)
"""The sub-command modules of this package, in the order ``--help`` lists them."""


def load(name: str) -> ModuleType:
    """The module ``sim.cli.<name>``, imported now (a command's, or a part a command hands over to)."""
    return importlib.import_module(f"sim.cli.{name}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every sub-command, or with ``only`` that one."""
    p = argparse.ArgumentParser(
        prog="run_sim.py",
        description=("Monte Carlo model of a comprehensive bonded zone: probability of hitting each plan target."),
    )
    sub = p.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        if only is None or name == only:
            load(name).add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv[0] if argv and argv[0] in COMMANDS else None).parse_args(argv)
    try:
        return args.func(args)
    except (UserError, MachineError) as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until the process exits
        return 0
    except KeyboardInterrupt:
        print("interrupted; files already written are complete", file=sys.stderr)
        return 130
