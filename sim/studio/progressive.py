"""Progressive answers to a what-if: P(hit) and the paired difference from the base, refined in steps.

A what-if (key path -> value, as ``--set`` takes) is answered in steps of growing replication
counts (:func:`schedule`), each through :func:`sim.api.run` on the same root seed, so replication
r of the base and of the what-if share every random number (common random numbers): the
what-if's first n replications equal ``sim.run(what_if, reps=n, seed=seed)``. The base is kept
with more replications than a what-if runs (``base_reps``, grown while the page is idle), and
the what-if's P(hit) shown is the anchored estimate of :mod:`sim.studio.anchored`: the base's
P(hit) over all its replications plus the mean paired difference of the first n, whose interval
is far narrower than the what-if's own for the same n when a change is small. Each scenario
keeps its computed chunks (the base's for the whole session, the last few what-ifs' too): a step
only computes the replications not yet known, and going back to an earlier setting costs nothing.

One what-if runs at a time, in a background thread whose chunks run in worker processes
(:class:`JobPool`, kept for all the steps of a what-if); a new :meth:`WhatIfRunner.submit` cancels the previous one at its next finished
chunk. The latest answer is :attr:`WhatIfRunner.latest`, a :class:`Snapshot`, and ``version``
grows with every new one, for a page to poll.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim import api
from sim.analysis.targets import widest_half_width
from sim.chunks import MemoryStore
from sim.errors import UserError
from sim.scenario.loader import with_values
from sim.studio.answer import answer_table

CHUNK = 100
"""Replications per chunk: a new change waits for at most one chunk per worker (about half a second)."""

FIRST_REPS = 2 * CHUNK
"""Replications of the first answer: one chunk per worker on two cores."""

SETTLE_S = 0.2
"""Seconds a what-if waits before it starts: a slider dragged or a number typed digit by digit
sends several changes in a row, and only the last one is worth computing."""

KEPT_WHAT_IFS = 8
"""What-ifs whose computed chunks are kept (besides the base's)."""

BASE_FACTOR = 4
"""The base is kept with this many times a what-if's replications (``base_reps`` by default): at
40,000 replications a base P(hit) of one half is known to ±0.5 points, leaving most of a ±1
point goal to the paired difference of the what-if's first replications."""

BASE_STEP = 20 * CHUNK
"""Replications the base grows by in each step while the page is idle."""


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


class JobPool:
    """The worker processes of one what-if: started at its first step that needs them and kept for
    all its steps (``LocalExecutor`` starts a pool for every run, so every step paid the processes'
    start-up while the page waited). At most two chunks per worker are in flight; when the caller
    stops taking results (a newer what-if), the chunks not started are cancelled."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None

    def map_unordered(self, fn: Callable[..., Any], args: Iterable[tuple]) -> Iterator[Any]:
        args = list(args)
        if self.workers == 1 or len(args) <= 1:
            for a in args:
                yield fn(*a)
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=self.workers)
        pending: set[Future] = set()
        try:
            while args or pending:
                while args and len(pending) < 2 * self.workers:
                    pending.add(self.pool.submit(fn, *args.pop(0)))
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    yield f.result()
        finally:
            for f in pending:
                f.cancel()

    def close(self) -> None:
        """Stop the processes (after the chunks they are computing)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class Snapshot:
    """One answer. ``job``: the what-if's number (1, 2, ... in submission order); ``what_if``: its
    changes; ``reps``: the what-if's replications behind it; ``max_reps``: where they stop;
    ``table``: one row per target of the base (:func:`sim.studio.answer.answer_table`: ``p_ref``
    the base's P(hit) over ``n_base`` replications, ``p`` the what-if's anchored P(hit) with
    ``p_low``/``p_high``, ``diff`` the paired difference with ``diff_low``/``diff_high``, the
    target's value quantiles and growth); ``half_width``: the widest 95% half-width of an active
    target's anchored P(hit); ``elapsed_s``: seconds since the what-if was submitted; ``done``:
    nothing left to refine (``max_reps`` and the base's ``base_reps`` reached); ``error``: why the
    what-if cannot run (an invalid scenario), then ``table`` is None; ``n_base``: the base's
    replications behind ``p_ref`` and the anchor."""

    job: int
    what_if: dict
    reps: int
    max_reps: int
    table: pd.DataFrame | None
    half_width: float
    elapsed_s: float
    done: bool
    error: str | None = None
    n_base: int = 0


@dataclass
class WhatIfRunner:
    """What-ifs of one base scenario (``path`` with ``overrides``) on root seed ``seed``: each runs
    up to ``max_reps`` replications; the base up to ``base_reps`` (default ``BASE_FACTOR`` times
    ``max_reps``)."""

    path: Path
    overrides: list[str] = field(default_factory=list)
    seed: int | None = None
    max_reps: int = 10_000
    workers: int | None = None
    first: int = FIRST_REPS
    base_reps: int | None = None

    def __post_init__(self) -> None:
        self.base_reps = max(int(self.base_reps or BASE_FACTOR * self.max_reps), self.max_reps)
        self._base_res: Any = None
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

    def pause(self) -> None:
        """Cancel the current what-if without waiting (another zone's page was opened); the page
        submits again when it is opened again, and the chunks computed so far are kept."""
        with self._lock:
            if self._cancel is not None:
                self._cancel.set()

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

    def _run(self, ls, n: int, store: MemoryStore, ex):
        return api.run(ls, n, self.seed, executor=ex, chunks=store, monthly=False, chunk_size=CHUNK)

    def _base(self, n: int, ex):
        """The base's Results over ``n`` replications (kept: the next step asks for it again)."""
        if self._base_res is None or self._base_res.reps != n:
            self._base_res = self._run(self.base, n, self._base_store, ex)
        return self._base_res

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
        pool = JobPool(self.workers)
        ex = _Cancellable(pool, event)
        own = store is self._base_store
        res: Any = None

        def answer(n_base: int, n: int, last: bool) -> None:
            nonlocal res
            base = self._base(n_base, ex)
            if res is None or res.reps != n:
                res = base if own and n == n_base else self._run(variant, n, store, ex)
            table = answer_table(base, res)
            half = widest_half_width(table, "p_low", "p_high")
            elapsed = time.perf_counter() - t0
            self._publish(Snapshot(job, what_if, n, self.max_reps, table, half, elapsed, last, None, n_base))

        assert self.base_reps is not None
        try:
            cached = self._base_res.reps if self._base_res is not None else 0
            steps = schedule(self.max_reps, self.first)
            if own:  # the base itself: what is cached first
                steps = sorted({max(n, cached) for n in steps})
            last = steps[-1]
            for n in steps:
                n_base = max(n, cached)
                answer(n_base, n, n == last and n_base >= self.base_reps)
            while n_base < self.base_reps:  # idle: the base grows, and the anchor with it
                n_base = min(n_base + BASE_STEP, self.base_reps)
                answer(n_base, n_base if own else last, n_base >= self.base_reps)
        except Cancelled:
            return
        except UserError as e:
            self._publish(
                Snapshot(job, what_if, 0, self.max_reps, None, float("nan"), time.perf_counter() - t0, True, str(e))
            )
        finally:
            pool.close()
