"""The studio's worker processes: one pool for a page's whole session, fed chunk by chunk.

A what-if's chunks stream through :class:`JobPool`; a newer what-if cancels the older one at
once, and the chunks the older one has in flight are still kept in their stores.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from sim.chunks import Chunk


class Cancelled(Exception):
    """The what-if was replaced by a newer one."""


def _ready() -> int:
    return os.getpid()


class JobPool:
    """The worker processes of a page: started with it and kept for every what-if (a pool started per what-if made each change wait for the processes'
    start-up). They are forked from this process after its first replication, so they inherit
    its compiled kernels. One chunk per worker is in flight: a chunk waiting in a process's
    queue could not be withdrawn, and a new change would wait for it."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the processes (when there is more than one worker) and wait until they are up."""
        if self.workers > 1:
            self._started()

    def cpu_s(self) -> float:
        """CPU seconds the worker processes have used so far (Linux; NaN elsewhere)."""
        pool = self.pool
        procs = list(getattr(pool, "_processes", None) or {}) if pool is not None else []
        total = 0.0
        try:
            for pid in procs:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return float("nan")
        return total

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:
            if self.pool is None:
                self.pool = ProcessPoolExecutor(max_workers=self.workers)
                wait([self.pool.submit(_ready) for _ in range(self.workers)])
            return self.pool

    def run(
        self,
        tasks: list[tuple[Any, Callable[..., Chunk], tuple]],
        event: threading.Event,
        after: Callable[[Any, Chunk], None],
    ) -> None:
        """Compute ``tasks`` ((store, function, arguments), in order), calling ``after(store,
        chunk)`` for each finished chunk once the next one is under way. Raises
        :class:`Cancelled` as soon as ``event`` is set; the chunks in flight are then saved in
        their stores when they finish."""
        if self.workers == 1:
            for st, fn, args in tasks:
                if event.is_set():
                    raise Cancelled
                after(st, fn(*args))
            return
        pool = self._started()
        pending: dict[Future, Any] = {}
        queue = list(reversed(tasks))

        def fill() -> None:
            while queue and len(pending) < self.workers:
                st, fn, args = queue[-1]
                try:
                    pending[pool.submit(fn, *args)] = st
                except RuntimeError:  # the pool was stopped (the page was left)
                    raise Cancelled from None
                queue.pop()

        try:
            while queue or pending:
                if event.is_set():
                    raise Cancelled
                fill()
                done, _ = wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
                finished = [(pending.pop(f), f.result()) for f in done]
                fill()  # the workers go on first
                for st, chunk in finished:
                    after(st, chunk)
        except Cancelled:
            for f, st in pending.items():
                f.add_done_callback(functools.partial(_keep, st))
            raise

    def close(self, wait_: bool = True) -> None:
        """Stop the processes (after the chunks they are computing when ``wait_``)."""
        with self._lock:
            pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=wait_, cancel_futures=True)


def _keep(store, f: Future) -> None:
    """Save a chunk that finished after its what-if was cancelled (going back to it is then free)."""
    if not f.cancelled() and f.exception() is None:
        store.save(f.result())
