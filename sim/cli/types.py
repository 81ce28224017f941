"""Validating argparse ``type=`` functions shared by every sub-command.

A bad option value ends in argparse's one-line usage error and exit code 2.
"""

from __future__ import annotations

import argparse

from sim.months import is_month


def positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if v <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {v}")
    return v


def seed(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {v}")
    return v


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
