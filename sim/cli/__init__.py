"""The command line: ``python run_sim.py COMMAND ...`` (or ``zonesim COMMAND ...``).

``main(argv) -> int`` builds the parser from :data:`COMMANDS` (one module per sub-command, each
with ``add_parser(subparsers)`` that sets ``func``), runs the chosen command and is the one place
that turns a failure into a one-line message: a :class:`~sim.errors.UserError` exits 2, a
:class:`~sim.errors.MachineError` exits 1, both without a traceback. A new sub-command is a new
module here with ``add_parser()`` and a line in :data:`COMMANDS`.
"""
from __future__ import annotations

import argparse
import os
import sys

from sim.cli import (backtest, calibrate, compare, discover, levers, report, run, sensitivity, sweep,
                     validate)
from sim.errors import MachineError, UserError

COMMANDS = [run, validate, report, levers, compare, sweep, sensitivity, discover, calibrate, backtest]
"""The sub-command modules, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="run_sim.py", description=(
        "Monte Carlo model of a comprehensive bonded zone: probability of hitting each plan target."))
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (UserError, MachineError) as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:                 # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")
        return 0
    except KeyboardInterrupt:
        print("interrupted; files already written are complete", file=sys.stderr)
        return 130
