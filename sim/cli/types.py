"""Validating argparse ``type=`` functions shared by every sub-command.

A bad option value ends in argparse's one-line usage error and exit code 2.
"""

from __future__ import annotations

import argparse

from sim.months import is_month
from sim.scenario.ranges import LIMITS

MOST = LIMITS["replications"]
"""Largest count any option accepts (replications, simulations, trials...): a request beyond it
would hold more in memory than a run may (docs/scenarios.md, Limits)."""
MOST_WORKERS = 256
"""Largest number of local worker processes: far above any machine's cores, below a fork bomb."""
MOST_SEED = 2**63 - 1
"""Largest root seed, as in a scenario's run.seed."""


def _whole(text: str, low: int, high: int) -> int:
    what = f"a whole number in [{low}, {high:,}]"
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    if not low <= v <= high:
        raise argparse.ArgumentTypeError(f"expected {what}, got {v}")
    return v


def positive_int(text: str) -> int:
    """A count: a whole number from 1 to MOST."""
    return _whole(text, 1, MOST)


def workers(text: str) -> int:
    """A number of local worker processes, 1 to MOST_WORKERS."""
    return _whole(text, 1, MOST_WORKERS)


def seed(text: str) -> int:
    return _whole(text, 0, MOST_SEED)


def open_interval(lo: float, hi: float, what: str = "a number"):
    """A type accepting a float strictly between lo and hi."""

    def parse(text: str) -> float:
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what} in ({lo:g}, {hi:g}), got {text!r}") from None
        if not lo < v < hi:
            raise argparse.ArgumentTypeError(f"expected {what} in ({lo:g}, {hi:g}), got {v:g}")
        return v

    return parse


def month_or_latest(text: str) -> str:
    if text != "latest" and not is_month(text):
        raise argparse.ArgumentTypeError(f'expected a month "YYYY-MM" or "latest", got {text!r}')
    return text
