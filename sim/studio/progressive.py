"""Progressive answers to a what-if: P(hit) and the paired difference from the base, refined in steps.

A what-if (key path -> value, as ``--set`` takes) is answered in steps of growing replication
counts (:func:`schedule`), each through :func:`sim.api.run` on the same root seed, so replication
r of the base and of the what-if share every random number (common random numbers), and the
answer at N replications is exactly ``sim.run(what_if, reps=N, seed=seed)``. Each scenario keeps
its computed chunks (the base's for the whole session, the last few what-ifs' too): a step only
computes the replications not yet known, and going back to an earlier setting costs nothing.

One what-if runs at a time, in a background thread whose chunks run in worker processes
(``LocalExecutor``); a new :meth:`WhatIfRunner.submit` cancels the previous one at its next finished
chunk. The latest answer is :attr:`WhatIfRunner.latest`, a :class:`Snapshot`, and ``version``
grows with every new one, for a page to poll.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim import api
from sim.analysis.targets import widest_half_width
from sim.chunks import MemoryStore
from sim.errors import UserError
from sim.experiment.executors import LocalExecutor
from sim.scenario.loader import with_values
from sim.studio.growth_cells import with_growth

CHUNK = 100
"""Replications per chunk: a new change waits for at most one chunk per worker (about half a second)."""

FIRST_REPS = 2 * CHUNK
"""Replications of the first answer: one chunk per worker on two cores."""

SETTLE_S = 0.2
"""Seconds a what-if waits before it starts: a slider dragged or a number typed digit by digit
sends several changes in a row, and only the last one is worth computing."""

KEPT_WHAT_IFS = 8
"""What-ifs whose computed chunks are kept (besides the base's)."""


def schedule(max_reps: int, first: int = FIRST_REPS, step: int = 8 * CHUNK) -> list[int]:
    """Replication counts of the steps: ``first``, then ``step`` more each time, up to ``max_reps``."""
    out = [min(first, max_reps)]
    while out[-1] < max_reps:
        out.append(min(out[-1] + step, max_reps))
    return out


class Cancelled(Exception):
    """The what-if was replaced by a newer one."""


class _Cancellable:
    """An executor that stops handing back chunks once ``event`` is set (the chunks already
    finished are kept by the store; those in flight finish and are dropped)."""

    def __init__(self, inner, event: threading.Event):
        self.inner, self.event = inner, event

    def map_unordered(self, fn, args):
        if self.event.is_set():
            raise Cancelled
        for r in self.inner.map_unordered(fn, args):
            yield r
            if self.event.is_set():
                raise Cancelled


@dataclass(frozen=True)
class Snapshot:
    """One answer. ``job``: the what-if's number (1, 2, ... in submission order); ``what_if``: its
    changes; ``reps``: replications behind it; ``max_reps``: where it stops; ``table``: one row per
    target of the base (``sim.analysis.paired.compare_targets``: ``p_ref`` the base's P(hit), ``p``
    the what-if's with ``p_low``/``p_high``, ``diff`` with ``diff_low``/``diff_high``; and the
    what-if's ``indicator``, ``growth_needed_yearly`` and ``yoy_growth_p10/p50/p90`` of summary.csv);
    ``half_width``: the widest 95% half-width of an active target's P(hit); ``elapsed_s``: seconds
    since the what-if was submitted; ``done``: ``max_reps`` reached; ``error``: why the what-if
    cannot run (an invalid scenario), then ``table`` is None."""

    job: int
    what_if: dict
    reps: int
    max_reps: int
    table: pd.DataFrame | None
    half_width: float
    elapsed_s: float
    done: bool
    error: str | None = None


@dataclass
class WhatIfRunner:
    """What-ifs of one base scenario (``path`` with ``overrides``) on root seed ``seed``."""

    path: Path
    overrides: list[str] = field(default_factory=list)
    seed: int | None = None
    max_reps: int = 10_000
    workers: int | None = None
    first: int = FIRST_REPS

    def __post_init__(self) -> None:
        self.base = api.load_scenario(self.path, self.overrides)
        self.seed = self.base.scenario.run.seed if self.seed is None else int(self.seed)
        self.latest: Snapshot | None = None
        self.version = 0
        self._stores: OrderedDict[str, MemoryStore] = OrderedDict()
        self._base_store = MemoryStore()
        self._lock = threading.Lock()
        self._job = 0
        self._cancel: threading.Event | None = None
        self._thread: threading.Thread | None = None
        # one replication here first: the worker processes are forked from this one and inherit
        # its compiled kernels instead of loading them again for every step
        api.run(self.base, 1, self.seed, workers=1, monthly=False)

    def load(self, what_if: dict[str, Any]):
        """The what-if as a validated scenario (raises ScenarioError with the key path at fault)."""
        return with_values(self.base, what_if)

    def submit(self, what_if: dict[str, Any]) -> int:
        """Start answering ``what_if`` (cancelling the previous one); returns its job number."""
        with self._lock:
            self._job += 1
            if self._cancel is not None:
                self._cancel.set()
            self._cancel = event = threading.Event()
            prev = self._thread
            self._thread = threading.Thread(
                target=self._work, args=(self._job, dict(what_if), event, prev, time.perf_counter()), daemon=True
            )
            self._thread.start()
            return self._job

    def wait(self, timeout: float | None = None) -> Snapshot | None:
        """Wait for the current what-if to finish (tests and benchmarks)."""
        t = self._thread
        if t is not None:
            t.join(timeout)
        return self.latest

    def close(self) -> None:
        """Cancel the current what-if and wait for its worker processes to stop."""
        with self._lock:
            if self._cancel is not None:
                self._cancel.set()
            t = self._thread
        if t is not None:
            t.join()

    def _store_for(self, sha: str) -> MemoryStore:
        if sha == self.base.sha256:
            return self._base_store
        st = self._stores.pop(sha, None) or MemoryStore()
        self._stores[sha] = st
        while len(self._stores) > KEPT_WHAT_IFS:
            self._stores.popitem(last=False)
        return st

    def _publish(self, snap: Snapshot) -> None:
        with self._lock:
            if snap.job == self._job:
                self.latest = snap
                self.version += 1

    def _work(self, job: int, what_if: dict, event: threading.Event, prev, t0: float) -> None:
        if event.wait(SETTLE_S):
            return
        if prev is not None:
            prev.join()
        if event.is_set():
            return
        try:
            variant = self.load(what_if)
        except UserError as e:
            self._publish(
                Snapshot(job, what_if, 0, self.max_reps, None, float("nan"), time.perf_counter() - t0, True, str(e))
            )
            return
        store = self._store_for(variant.sha256)
        ex = _Cancellable(LocalExecutor(self.workers), event)
        try:
            for n in schedule(self.max_reps, self.first):
                base = api.run(
                    self.base, n, self.seed, executor=ex, chunks=self._base_store, monthly=False, chunk_size=CHUNK
                )
                res = (
                    base
                    if store is self._base_store
                    else api.run(variant, n, self.seed, executor=ex, chunks=store, monthly=False, chunk_size=CHUNK)
                )
                table = with_growth(res.difference(base), res.targets())
                half = widest_half_width(table, "p_low", "p_high")
                self._publish(
                    Snapshot(job, what_if, n, self.max_reps, table, half, time.perf_counter() - t0, n >= self.max_reps)
                )
        except Cancelled:
            return
        except UserError as e:
            self._publish(
                Snapshot(job, what_if, 0, self.max_reps, None, float("nan"), time.perf_counter() - t0, True, str(e))
            )
