"""Progressive answers to a what-if: P(hit) and the paired difference from the base, refined in steps.

A what-if (key path -> value, as ``--set`` takes) is answered in steps of growing replication
counts (:func:`schedule`) on the same root seed as the base, so replication r of the base and of
the what-if share every random number (common random numbers): the what-if's first n
replications equal ``sim.run(what_if, reps=n, seed=seed)``. The base is kept with more
replications than a what-if runs (``base_reps``, grown while the page is idle), and the
what-if's P(hit) shown is the anchored estimate of :mod:`sim.studio.anchored`: the base's P(hit)
over all its replications plus the mean paired difference of the first n, whose interval is far
narrower than the what-if's own for the same n when a change is small. Each scenario keeps its
computed chunks (the base's for the whole session, the last few what-ifs' too): a step only
computes the replications not yet known, and going back to an earlier setting costs nothing.

The chunks of a what-if stream through the worker processes without a pause: every chunk it
will need (the base's first, where a step needs base replications not yet known, then the
what-if's, chunk by chunk) is queued at once, one per worker in flight, and an answer is
computed in this process whenever the replications known reach the next step, while the
workers go on with the next chunks. The worker processes (:class:`JobPool`) start once and
serve every what-if of the page; a new :meth:`WhatIfRunner.submit` cancels the previous what-if
at once (a chunk in flight finishes and is kept). The latest answer is
:attr:`WhatIfRunner.latest`, a :class:`Snapshot`, and ``version`` grows with every new one, for
a page to poll; :attr:`WhatIfRunner.trace` has the time of each chunk and answer
(``bench/bench_studio.py`` prints where the time goes).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pandas as pd

from sim import api
from sim.analysis.targets import widest_half_width
from sim.chunks import Chunk, MemoryStore
from sim.errors import UserError
from sim.experiment import engine
from sim.scenario.loader import with_values
from sim.studio.answer import BaseSide, answer_table, base_side
from sim.studio.kept import base_store
from sim.studio.pool import Cancelled, JobPool

CHUNK = 100
"""Replications per chunk: a new change waits for at most one chunk per worker (about half a second)."""

FIRST_REPS = 2 * CHUNK
"""Replications of the first answer: one chunk per worker on two cores."""

STEP = 4 * CHUNK
"""Replications between two answers after the first (about a second on two cores): an answer
costs this process a few hundredths of a second, and the page redraws its table with each."""

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
"""Replications the base grows by between two answers while the page is idle."""


def schedule(max_reps: int, first: int = FIRST_REPS, step: int = STEP) -> list[int]:
    """Replication counts of the steps: ``first``, then ``step`` more each time, up to ``max_reps``."""
    out = [min(first, max_reps)]
    while out[-1] < max_reps:
        out.append(min(out[-1] + step, max_reps))
    return out


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


class _Known:
    """A scenario's store and the chunk ranges known to be in it (asked once, then remembered)."""

    def __init__(self, store) -> None:
        self.store = store
        self.ranges: set[tuple[int, int]] = set()

    def has(self, a: int, b: int) -> bool:
        if (a, b) not in self.ranges and self.store.has(a, b):
            self.ranges.add((a, b))
        return (a, b) in self.ranges

    def save(self, chunk: Chunk) -> None:
        self.store.save(chunk)
        self.ranges.add((chunk.start, chunk.stop))

    def load(self, a: int, b: int) -> Chunk:
        return self.store.load(a, b)

    def prefix(self, ranges: list[tuple[int, int]]) -> int:
        """Replications 0..k-1 known, k the largest chunk boundary of ``ranges`` so reached."""
        k = 0
        for a, b in ranges:
            if not self.has(a, b):
                break
            k = b
        return k


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
    keep: Path | None = None
    """Where the base's replications are kept for the next session (:mod:`sim.studio.kept`);
    None: in memory only."""

    def __post_init__(self) -> None:
        self.base_reps = max(int(self.base_reps or BASE_FACTOR * self.max_reps), self.max_reps)
        self._base_res: Any = None
        self._side: BaseSide | None = None
        self.base = api.load_scenario(self.path, self.overrides)
        self.seed = self.base.scenario.run.seed if self.seed is None else int(self.seed)
        self.latest: Snapshot | None = None
        self.version = 0
        self.trace: list[tuple[float, int, str, int]] = []
        """(time, job, what, replications): "submitted"; "chunk" of the what-if or "base chunk"
        finished (its last replication + 1); "answer begun" and "answer" published (the what-if's
        replications); time from ``time.perf_counter``, kept for the last few jobs."""
        self._stores: OrderedDict[str, _Known] = OrderedDict()
        self._base_store = _Known(base_store(self.base, self.seed, CHUNK, self.keep))
        self._lock = threading.Lock()
        self._job = 0
        self._cancel: threading.Event | None = None
        self._thread: threading.Thread | None = None
        self._pool = JobPool(self.workers)
        # one replication here first: the worker processes are forked from this one and inherit
        # its compiled kernels instead of loading them again
        api.run(self.base, 1, self.seed, workers=1, monthly=False)
        self._pool.start()  # now, not at the first change, which would wait for it

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
        """Cancel the current what-if and stop the worker processes without waiting (another
        zone's page was opened); the page submits again when it is opened again, and the chunks
        computed so far are kept."""
        with self._lock:
            if self._cancel is not None:
                self._cancel.set()
        self._pool.close(wait_=False)

    def close(self) -> None:
        """Cancel the current what-if and wait for its worker processes to stop."""
        with self._lock:
            if self._cancel is not None:
                self._cancel.set()
            t = self._thread
        if t is not None:
            t.join()
        self._pool.close()
        if hasattr(self._base_store.store, "close"):
            self._base_store.store.close()

    def _store_for(self, sha: str) -> _Known:
        if sha == self.base.sha256:
            return self._base_store
        st = self._stores.pop(sha, None) or _Known(MemoryStore())
        self._stores[sha] = st
        while len(self._stores) > KEPT_WHAT_IFS:
            self._stores.popitem(last=False)
        return st

    def _results(self, ls, n: int, store: _Known):
        """``sim.run(ls, n)``'s Results from chunks all in ``store`` (nothing is computed)."""
        kept = cast(Any, store)  # a Store: has, save, load
        return api.run(ls, n, self.seed, workers=1, chunks=kept, monthly=False, chunk_size=CHUNK)

    def _design(self, ls, n: int) -> engine.Design:
        assert self.seed is not None
        return engine.replications([ls], [self.seed], n, engine.Outputs(monthly=False), CHUNK)

    def _publish(self, snap: Snapshot) -> None:
        with self._lock:
            if snap.job == self._job:
                self.latest = snap
                self.version += 1

    def _plan(self, own: bool) -> list[tuple[int, int]]:
        """The answers of a what-if: (its replications, the base's), in order."""
        assert self.base_reps is not None
        ranges = self._design(self.base, self.base_reps).chunks()
        cached = self._base_store.prefix(ranges)
        steps = schedule(self.max_reps, self.first)
        if own:  # the base itself: what is cached first
            steps = sorted({max(n, cached) for n in steps})
        pairs = [(n, max(n, cached)) for n in steps]
        n_base = pairs[-1][1]
        while n_base < self.base_reps:  # idle: the base grows, and the anchor with it
            n_base = min(n_base + BASE_STEP, self.base_reps)
            pairs.append((n_base if own else steps[-1], n_base))
        return pairs

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
        own = store is self._base_store
        assert self.base_reps is not None
        pairs, base_reps = self._plan(own), self.base_reps
        w_design, b_design = self._design(variant, self.max_reps), self._design(self.base, self.base_reps)
        w_ranges, b_ranges = w_design.chunks(), b_design.chunks()
        tasks: list[tuple[Any, Callable[..., Chunk], tuple]] = []
        queued: set[tuple[int, tuple[int, int]]] = set()

        def need(st: _Known, design: engine.Design, rng: tuple[int, int]) -> None:
            if (id(st), rng) not in queued and not st.has(*rng):
                queued.add((id(st), rng))
                tasks.append((st, design.runner(), design.task(*rng)))

        for n, n_base in pairs:  # chunk by chunk: the base's where missing, then the what-if's
            for i, rng in enumerate(b_ranges):
                if rng[0] >= n_base:
                    break
                need(self._base_store, b_design, rng)
                if not own and i < len(w_ranges) and w_ranges[i][1] <= n:
                    need(store, w_design, w_ranges[i])
        self.trace = [e for e in self.trace if e[1] > job - 3] + [(t0, job, "submitted", 0)]
        res: Any = None
        at = 0  # the pairs answered

        def answer(n: int, n_base: int, last: bool) -> None:
            nonlocal res
            self.trace.append((time.perf_counter(), job, "answer begun", n))
            if self._base_res is None or self._base_res.reps != n_base:
                self._base_res = self._results(self.base, n_base, self._base_store)
                self._side = base_side(self._base_res)
            base = self._base_res
            if res is None or res.reps != n:
                res = base if own and n == n_base else self._results(variant, n, store)
            table = answer_table(base, res, self._side)
            half = widest_half_width(table, "p_low", "p_high")
            now = time.perf_counter()
            if event.is_set():
                raise Cancelled
            self._publish(Snapshot(job, what_if, n, self.max_reps, table, half, now - t0, last, None, n_base))
            self.trace.append((now, job, "answer", n))

        def after(st: _Known | None, chunk: Chunk | None) -> None:
            nonlocal at
            if st is not None and chunk is not None:
                st.save(chunk)
                what = "base chunk" if st is self._base_store else "chunk"
                self.trace.append((time.perf_counter(), job, what, chunk.stop))
            w_known = self._base_store.prefix(b_ranges) if own else store.prefix(w_ranges)
            b_known = self._base_store.prefix(b_ranges)
            ready = at
            while ready < len(pairs) and pairs[ready][0] <= w_known and pairs[ready][1] <= b_known:
                ready += 1
            if ready > at:  # the latest answer the known replications give
                at = ready
                n, n_base = pairs[at - 1]
                answer(n, n_base, at == len(pairs) and n_base >= base_reps)

        try:
            after(None, None)  # what is known already
            self._pool.run(tasks, event, after)
        except Cancelled:
            return
        except UserError as e:
            self._publish(
                Snapshot(job, what_if, 0, self.max_reps, None, float("nan"), time.perf_counter() - t0, True, str(e))
            )
