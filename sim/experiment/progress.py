"""The one progress bar of every study: replications done, with rate and time left.

Shown on standard error, only when it is a terminal unless asked for (``enabled=True``); a
study that evaluates several designs passes one bar to each so the user sees a single bar.
"""

from __future__ import annotations

import sys
from typing import Literal

from tqdm import tqdm


class Bar:
    """Counts finished rows; ``done(key, n)`` counts a chunk once however often it is reported
    (a resumed or growing run meets its earlier chunks again)."""

    def __init__(self, total: int, enabled: bool | None = None):
        if enabled is None:
            enabled = sys.stderr.isatty()
        self._bar = (
            tqdm(total=total, unit="rep", desc="replications", smoothing=0.1, file=sys.stderr) if enabled else None
        )
        self._seen: set = set()

    def update(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def done(self, key, n: int) -> None:
        if key not in self._seen:
            self._seen.add(key)
            self.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, *exc: object) -> Literal[False]:
        self.close()
        return False
