"""How scenario problems reach the user: the error class and the spelling of paths in messages.

A scenario or zone file is checked whole before anything runs, and every problem found is
reported at once: :class:`ScenarioError` carries one line per problem (``file: key.path: what
was expected``); a single problem is one line, several are a count followed by one indented
line each, so a planner fixes them all in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from sim.errors import UserError

T = TypeVar("T")

MAX_LISTED = 50
"""Most problems listed in one message (a file with more has a structural mistake to fix first)."""


class ScenarioError(UserError):
    """A problem with a scenario file or override that the user can fix.

    ``problems`` holds one line per problem; the message is that line when there is one, else a
    count and every problem on its own indented line."""

    def __init__(self, message: str = "", problems: Iterable[str] | None = None):
        lines = list(dict.fromkeys(problems if problems is not None else [message]))  # same problem once
        self.problems = lines
        super().__init__(_text(lines))

    @classmethod
    def of(cls, errors: Iterable[ScenarioError]) -> ScenarioError:
        """One error holding every problem of ``errors``."""
        return cls(problems=[p for e in errors for p in e.problems])


def _text(lines: list[str]) -> str:
    if len(lines) <= 1:
        return lines[0] if lines else ""
    shown = lines[:MAX_LISTED]
    more = f"\n  ... and {len(lines) - MAX_LISTED} more" if len(lines) > MAX_LISTED else ""
    return f"{len(lines)} problems; fix them all, then try again:\n  " + "\n  ".join(shown) + more


class Collector:
    """Gathers problems so a check goes on after the first one and reports them all.

    ``run(fn, ...)`` calls ``fn`` and keeps a :class:`ScenarioError` it raises (returning None);
    ``raise_if_any()`` raises one error holding everything gathered."""

    def __init__(self) -> None:
        self.errors: list[ScenarioError] = []

    def add(self, error: ScenarioError) -> None:
        self.errors.append(error)

    def run(self, fn: Callable[..., T], *args, **kwargs) -> T | None:
        try:
            return fn(*args, **kwargs)
        except ScenarioError as e:
            self.errors.append(e)
            return None

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ScenarioError.of(self.errors)


def display_path(path: str | Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
