"""Replications: draw parameters, run the model, collect indicators, in chunks.

A replication is a pure function of (scenario, root seed, replication index). Replications are
grouped in chunks of fixed boundaries (``CHUNK_SIZE``), whatever the worker count, executor or
total, so results are identical however a run is split, stopped or resumed: chunks are merged in
replication order. With a :class:`~sim.store.ChunkStore`, each chunk is saved as it finishes and
a rerun only computes the chunks that are missing or corrupt.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from sim.errors import MachineError
from sim.experiment.executors import Executor, LocalExecutor
from sim.model import simulate
from sim.random import Streams, parameter_uniforms
from sim.scenario.params import draw, uncertain_paths
from sim.scenario.schema import Scenario, indicator_ids, ranking_indicator_ids

CHUNK_SIZE = 200
"""Replications per chunk. Fixed, so chunk boundaries never depend on how a run is executed."""


class ReplicationError(MachineError, RuntimeError):
    """A replication raised; names the replication and seed so it can be rerun alone."""


@dataclass(frozen=True)
class Layout:
    """Shape of one replication's output."""
    years: list[int]
    names: list[str]                  # yearly indicators
    months: int
    monthly_names: list[str]          # monthly series (subset of names)
    paths: list[str]                  # uncertain parameters, by key path


def layout(sc: Scenario) -> Layout:
    names = list(indicator_ids(sc))
    yearly_only = set(sc.constants.counts) | set(ranking_indicator_ids(sc))
    monthly = [n for n in names if n not in yearly_only]
    return Layout(years=sc.run.years, names=names, months=sc.run.horizon_months, monthly_names=monthly,
                  paths=[p for p, _ in uncertain_paths(sc)])


@dataclass
class Chunk:
    start: int
    stop: int
    yearly: np.ndarray                # [rep, year, indicator] float64
    monthly: np.ndarray               # [rep, month, monthly indicator] float64


@dataclass
class Indicators:
    """All replications of a run: yearly values[rep, year, indicator] and monthly series."""
    reps: np.ndarray
    years: list[int]
    names: list[str]
    values: np.ndarray
    monthly_names: list[str]
    monthly: np.ndarray

    def column(self, indicator: str, year: int) -> np.ndarray:
        return self.values[:, self.years.index(year), self.names.index(indicator)]

    def series(self, indicator: str) -> np.ndarray:
        """[rep, month] of a monthly indicator (float64)."""
        return self.monthly[:, :, self.monthly_names.index(indicator)]


def replication_params(sc: Scenario, root: int, rep: int, paths: list[str] | None = None,
                       u_override: dict[str, float] | None = None) -> dict:
    """Every uncertain parameter's value in replication ``rep``.

    ``u_override`` replaces the uniform number of some parameters (key path -> u in (0, 1)): a
    designed experiment (e.g. a Sobol sample) sets them, the others keep the replication's own."""
    paths = paths if paths is not None else [p for p, _ in uncertain_paths(sc)]
    u = dict(zip(paths, parameter_uniforms(root, rep, paths).tolist()))
    if u_override:
        unknown = set(u_override) - set(u)
        if unknown:
            raise KeyError(f"not uncertain parameters of this scenario: {sorted(unknown)}")
        u.update(u_override)
    return draw(sc, u)


def run_replication(sc: Scenario, root: int, rep: int, lay: Layout | None = None, trace: bool = False,
                    u_override: dict[str, float] | None = None):
    """(yearly[year, indicator], monthly[month, indicator], model Result) of one replication."""
    lay = lay or layout(sc)
    try:
        params = replication_params(sc, root, rep, lay.paths, u_override)
        res = simulate(sc, params, Streams(root, rep), trace=trace)
        if sc.observations is not None and sc.observations.as_of:     # nowcast (docs/model.md 7.14)
            from sim.data.nowcast import condition
            condition(res, sc.observations, sc.observations.as_of, sc.run.start)
    except Exception as e:        # re-raised with what is needed to reproduce it
        raise ReplicationError(f"replication {rep} (seed {root}) failed: {type(e).__name__}: {e}") from e
    if sc.ranking is not None:
        res.yearly.update(rank_zone(sc, res, Streams(root, rep)("ranking")))
    yearly = np.column_stack([res.yearly[n] for n in lay.names])
    monthly = np.column_stack([res.monthly[n] for n in lay.monthly_names])
    return yearly, monthly, res


def rank_zone(sc: Scenario, res, rng) -> dict[str, np.ndarray]:
    """The zone's national evaluation in each year of one replication, as yearly indicators."""
    from sim.ranking import rank_replication
    out = rank_replication(sc.ranking, res.yearly, res.base, sc.run.years, res.macro_yearly, rng)
    ind = dict(out.indicators)
    ind.update({f"rank_variant_{k}": v for k, v in out.variants.items()})
    ind.update({f"peers_{k}": v for k, v in out.peers.items()})
    return ind


def run_chunk(sc: Scenario, root: int, start: int, stop: int) -> Chunk:
    """Replications start..stop-1 (module-level so process pools and Dask can ship it)."""
    lay = layout(sc)
    ys, ms = [], []
    for r in range(start, stop):
        y, m, _ = run_replication(sc, root, r, lay)
        ys.append(y)
        ms.append(m)
    return Chunk(start, stop, np.stack(ys), np.stack(ms))


def chunk_ranges(reps: int, size: int = CHUNK_SIZE) -> list[tuple[int, int]]:
    return [(a, min(reps, a + size)) for a in range(0, reps, size)]


class MemoryStore:
    """Keeps chunks in memory (runs without a results folder, e.g. from a notebook)."""

    def __init__(self):
        self.chunks: dict[tuple[int, int], Chunk] = {}

    def has(self, start, stop):
        return (start, stop) in self.chunks

    def save(self, chunk: Chunk):
        self.chunks[(chunk.start, chunk.stop)] = chunk

    def load(self, start, stop) -> Chunk:
        return self.chunks[(start, stop)]


def _compute(sc, seed, ranges, store, executor: Executor, bar) -> None:
    todo = [r for r in ranges if not store.has(*r)]
    bar.update(sum(b - a for a, b in ranges) - sum(b - a for a, b in todo))
    for chunk in executor.map_unordered(run_chunk, [(sc, seed, a, b) for a, b in todo]):
        store.save(chunk)
        bar.update(chunk.stop - chunk.start)


def collect(sc: Scenario, ranges: Iterable[tuple[int, int]], store) -> Indicators:
    """All chunks of ``ranges`` in replication order, loaded one at a time into preallocated
    arrays (memory: the result plus one chunk)."""
    lay = layout(sc)
    ranges = list(ranges)
    n = sum(b - a for a, b in ranges)
    values = np.empty((n, len(lay.years), len(lay.names)))
    monthly = np.empty((n, lay.months, len(lay.monthly_names)))
    i = 0
    for a, b in ranges:
        c = store.load(a, b)
        values[i:i + b - a], monthly[i:i + b - a] = c.yearly, c.monthly
        i += b - a
    first = ranges[0][0] if ranges else 0
    return Indicators(reps=np.arange(first, first + n), years=lay.years, names=lay.names, values=values,
                      monthly_names=lay.monthly_names, monthly=monthly)


def run_experiment(sc: Scenario, reps: int, seed: int, workers: int | None = None,
                   progress: bool | None = None, executor: Executor | None = None, store=None) -> Indicators:
    """Run replications 0..reps-1 with root seed ``seed`` (default executor: local processes)."""
    executor = executor or LocalExecutor(workers)
    store = store if store is not None else MemoryStore()
    ranges = chunk_ranges(reps)
    with _progress(reps, progress) as bar:
        _compute(sc, seed, ranges, store, executor, bar)
    return collect(sc, ranges, store)


@dataclass(frozen=True)
class StoppingRule:
    """Add batches until every active target's 95% interval half-width is at most ``half_width``."""
    half_width: float
    max_reps: int
    batch: int

    def describe(self, reached: int, met: bool) -> str:
        verdict = ("met" if met else f"not met: stopped at the maximum of {self.max_reps} replications")
        return (f"precision stopping: batches of {self.batch} replications until every active target's 95% "
                f"interval half-width <= {self.half_width:g}; {reached} replications; rule {verdict}")


def run_until_precise(sc: Scenario, seed: int, rule: StoppingRule, half_width_of: Callable[[Indicators], float],
                      workers: int | None = None, progress: bool | None = None,
                      executor: Executor | None = None, store=None) -> tuple[Indicators, bool]:
    """Precision-based stopping. The result equals a fixed-count run with the count reached."""
    executor = executor or LocalExecutor(workers)
    store = store if store is not None else MemoryStore()
    n = min(rule.batch, rule.max_reps)
    with _progress(rule.max_reps, progress) as bar:
        while True:
            ranges = chunk_ranges(n)
            _compute(sc, seed, ranges, store, executor, bar)
            ind = collect(sc, ranges, store)
            met = half_width_of(ind) <= rule.half_width
            if met or n >= rule.max_reps:
                return ind, met
            n = min(n + rule.batch, rule.max_reps)


def batch_size(requested: int | None) -> int:
    """Batches are whole chunks so that stopping points fall on chunk boundaries."""
    b = requested or 5 * CHUNK_SIZE
    return max(CHUNK_SIZE, int(math.ceil(b / CHUNK_SIZE)) * CHUNK_SIZE)


class _NoBar:
    def update(self, n):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def _progress(total: int, enabled: bool | None):
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return _NoBar()
    from tqdm import tqdm
    return tqdm(total=total, unit="rep", desc="replications", smoothing=0.1, file=sys.stderr)
