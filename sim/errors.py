"""The two kinds of failure the command line reports in one line, without a traceback.

:class:`UserError` is anything the person running the command can fix (a bad scenario, data
file, option or results folder): exit code 2. :class:`MachineError` is a fault of the machine
or its surroundings (no space left, an unreachable cluster): exit code 1. Every module raises a
subclass of one of them; ``sim.cli`` catches both in one place.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; the message names the file, key or option and what was expected."""

    exit_code = 2


class MachineError(Exception):
    """A fault of the machine or its surroundings, not of the input; the message says what failed."""

    exit_code = 1
