"""Console lines several sub-commands print the same way."""

from __future__ import annotations

import time
from pathlib import Path


def done(out: Path, charts: list[Path], started: float) -> None:
    """The closing lines of a study: its results folder, the elapsed time and each chart."""
    print(f"\nresults: {out}/ ({time.time() - started:.0f} s)")
    for p in charts:
        print(f"  chart: {p}")
