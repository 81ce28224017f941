"""How scenario problems reach the user: the error class and the spelling of paths in messages."""

from __future__ import annotations

from pathlib import Path

from sim.errors import UserError


class ScenarioError(UserError):
    """A problem with a scenario file or override that the user can fix."""


def display_path(path: str | Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
