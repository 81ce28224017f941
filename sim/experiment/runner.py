"""``run``: replications 0..N-1 of one scenario, a fixed count or until precise enough.

A run is the simplest design of the experiment engine (``engine.py``): one point, rows 0..N-1,
chunks of ``CHUNK_SIZE`` replications. With a :class:`~sim.store.ChunkStore`, each chunk is
saved as it finishes and a rerun only computes the chunks that are missing or corrupt. Precision
stopping adds whole batches of chunks, so its result equals a fixed-count run with the count
reached. The names of one replication (``layout``, ``run_replication``...) are re-exported from
``replication.py``. The command line and notebooks run through :func:`sim.run`, which builds on
this module; :func:`run_experiment` is the bare arrays, for the tests and studies of the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from sim.chunks import MemoryStore
from sim.experiment import engine
from sim.experiment.engine import CHUNK_SIZE
from sim.experiment.executors import Executor, LocalExecutor
from sim.experiment.progress import Bar
from sim.experiment.replication import (
    Indicators,
    Layout,
    ReplicationError,
    layout,
    rank_zone,
    replication_params,
    run_replication,
)
from sim.scenario.schema import Scenario

__all__ = [
    "CHUNK_SIZE",
    "MAX_REPS",
    "Indicators",
    "Layout",
    "MemoryStore",
    "ReplicationError",
    "StoppingRule",
    "batch_size",
    "chunk_ranges",
    "layout",
    "rank_zone",
    "replication_params",
    "run_experiment",
    "run_replication",
    "run_until_precise",
]


def chunk_ranges(reps: int, size: int = CHUNK_SIZE) -> list[tuple[int, int]]:
    """The chunks of replications 0..reps-1 (those of a run's design)."""
    return [(a, min(reps, a + size)) for a in range(0, reps, size)]


def run_experiment(
    sc: Scenario,
    reps: int,
    seed: int,
    workers: int | None = None,
    progress: bool | None = None,
    executor: Executor | None = None,
    store=None,
) -> Indicators:
    """Run replications 0..reps-1 with root seed ``seed`` (default executor: local processes)."""
    executor = executor or LocalExecutor(workers)
    return engine.evaluate(engine.replications([sc], [seed], reps), executor, progress, store).indicators()


MAX_REPS = 100_000
"""The most replications precision stopping runs unless told otherwise."""


@dataclass(frozen=True)
class StoppingRule:
    """Add batches until every active target's 95% interval half-width is at most ``half_width``."""

    half_width: float
    max_reps: int
    batch: int

    def describe(self, reached: int, met: bool) -> str:
        verdict = "met" if met else f"not met: stopped at the maximum of {self.max_reps} replications"
        return (
            f"precision stopping: batches of {self.batch} replications until every active target's 95% "
            f"interval half-width <= {self.half_width:g}; {reached} replications; rule {verdict}"
        )


def run_until_precise(
    sc: Scenario,
    seed: int,
    rule: StoppingRule,
    half_width_of: Callable[[Indicators], float],
    workers: int | None = None,
    progress: bool | None = None,
    executor: Executor | None = None,
    store=None,
) -> tuple[Indicators, bool]:
    """Precision-based stopping. The result equals a fixed-count run with the count reached."""
    executor = executor or LocalExecutor(workers)
    store = store if store is not None else MemoryStore()
    n = min(rule.batch, rule.max_reps)
    with Bar(rule.max_reps, progress) as bar:
        while True:
            ind = engine.evaluate(engine.replications([sc], [seed], n), executor, bar, store).indicators()
            met = half_width_of(ind) <= rule.half_width
            if met or n >= rule.max_reps:
                break
            n = min(n + rule.batch, rule.max_reps)
    return ind, met


def batch_size(requested: int | None) -> int:
    """Batches are whole chunks so that stopping points fall on chunk boundaries."""
    b = requested or 5 * CHUNK_SIZE
    return max(CHUNK_SIZE, math.ceil(b / CHUNK_SIZE) * CHUNK_SIZE)
