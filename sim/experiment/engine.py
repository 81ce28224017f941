"""The experiment engine: every study's replications, run as one design.

A **design** is a table of *points* and *rows*. A point is a scenario variant (a base scenario,
with some lever values applied or as it is) and its root seed; a row is (point, replication
index, uniform overrides of some parameters or none: see ``replication_params``). A design also
says which outputs its rows need (:class:`Outputs`), so a study pays for no output it drops.

:func:`evaluate` runs a design in chunks of consecutive rows of one base scenario, at most
``chunk_size`` each: the boundaries depend only on the design, never on the executor or the
worker count. Chunks go to the executor (``executors.py``) carrying only what their rows need
(the base scenario, the points' roots and lever values, the replication indices and overrides),
are saved in a store as they finish (a :class:`~sim.store.ChunkStore` makes a run resumable) and
are read back in row order, so a design gives the same bytes however it is run, split or resumed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sim.chunks import Chunk, MemoryStore, Store
from sim.experiment.executors import Executor, LocalExecutor
from sim.experiment.levers import with_levers
from sim.experiment.progress import Bar
from sim.experiment.replication import Indicators, Layout, layout, params_of_rows, run_replications, yearly_names
from sim.scenario.loader import LoadedScenario
from sim.scenario.schema import Scenario

Base = LoadedScenario | Scenario
"""A design's base scenario: loaded from its file (lever values can then be applied) or built."""

CHUNK_SIZE = 200
"""Rows per chunk of a run (and of any design that does not ask for another size)."""

FINE_CHUNK = 40
"""Rows per chunk of the studies whose designs hold a few hundred rows: enough chunks to keep
every worker busy."""


@dataclass(frozen=True)
class Outputs:
    """What every row of a design returns. Yearly indicators always; ``monthly``: every monthly
    series of the scenario (True), none (False) or the named ones; ``ranking``: the national
    evaluation's yearly indicators (when the scenario has a [ranking] section); ``nowcast``:
    conditioning on the observed months (when the scenario's observations set ``as_of``)."""

    monthly: bool | tuple[str, ...] = True
    ranking: bool = True
    nowcast: bool = True

    def monthly_names(self, lay: Layout) -> list[str]:
        if self.monthly is True:
            return lay.monthly_names
        return list(self.monthly or ())


@dataclass(frozen=True)
class Point:
    """A scenario variant: ``bases[base]`` with the lever values ``levers`` ((id, number) pairs,
    applied as ``with_levers`` does; the base must then be a LoadedScenario), root seed ``root``."""

    base: int
    root: int
    levers: tuple[tuple[str, float], ...] = ()


@dataclass
class Design:
    """Points and rows. Row i is replication ``rep[i]`` of point ``point[i]`` with uniform
    overrides ``overrides[i]`` (None: the replication's own draws; ``overrides`` None: no row has
    any). Rows of one point keep their order in every result."""

    bases: list[Base]
    points: list[Point]
    point: np.ndarray
    rep: np.ndarray
    overrides: list | None = None
    outputs: Outputs = field(default_factory=Outputs)
    chunk_size: int = CHUNK_SIZE

    def __len__(self) -> int:
        return len(self.rep)

    def chunks(self) -> list[tuple[int, int]]:
        """Row ranges (start, stop): a new chunk at every ``chunk_size`` rows of a run of rows
        with the same base scenario, and wherever the base changes."""
        base = np.array([p.base for p in self.points], int)[self.point] if len(self) else np.zeros(0, int)
        cuts = [0] + [int(i) for i in np.flatnonzero(base[1:] != base[:-1]) + 1] + [len(self)]
        out = []
        for a, b in itertools.pairwise(cuts):
            out += [(s, min(b, s + self.chunk_size)) for s in range(a, b, self.chunk_size)]
        return out

    def layout(self, base: int = 0) -> Layout:
        return layout(scenario_of(self.bases[base]))

    def runner(self) -> Callable[..., Chunk]:
        """The module-level function that computes a chunk from :meth:`task`'s arguments (a design
        of another kind, e.g. a portfolio's, brings its own)."""
        return run_chunk

    def task(self, start: int, stop: int) -> tuple:
        """Arguments of :func:`run_chunk` for rows start..stop-1: only what they need."""
        pts, local = np.unique(self.point[start:stop], return_inverse=True)
        specs = [(self.points[p].root, self.points[p].levers) for p in pts]
        base = self.bases[self.points[pts[0]].base]
        ov = self.overrides[start:stop] if self.overrides is not None else None
        return base, specs, local, self.rep[start:stop], ov, self.outputs, start, stop


def scenario_of(base: Base) -> Scenario:
    return base.scenario if isinstance(base, LoadedScenario) else base


def replications(
    scenarios: list[Base], roots: list[int], reps: int, outputs: Outputs | None = None, chunk_size: int = CHUNK_SIZE
) -> Design:
    """Replications 0..reps-1 of every scenario (scenario i with root seed ``roots[i]``)."""
    n = len(scenarios)
    return Design(
        list(scenarios),
        [Point(i, int(roots[i])) for i in range(n)],
        np.repeat(np.arange(n), reps),
        np.tile(np.arange(reps), n),
        None,
        outputs or Outputs(),
        chunk_size,
    )


def rows_design(
    base: Base, root: int, rows: list[tuple], outputs: Outputs | None = None, chunk_size: int = FINE_CHUNK
) -> Design:
    """One base scenario, rows (rep, overrides or None, lever values as (id, number) pairs);
    rows with the same lever values share a point."""
    points: dict[tuple, int] = {}
    idx = [points.setdefault(tuple(lev), len(points)) for _, _, lev in rows]
    ov = [o for _, o, _ in rows]
    return Design(
        [base],
        [Point(0, int(root), lev) for lev in points],
        np.asarray(idx, int),
        np.asarray([r for r, _, _ in rows], int),
        ov if any(o for o in ov) else None,
        outputs or Outputs(),
        chunk_size,
    )


_VARIANTS: dict[tuple, Scenario] = {}
"""Scenarios with lever values applied, kept per worker process: a study sends the same point in
many chunks, and building and validating a variant costs more than a few replications."""


def _variant(base: Base, lev: tuple) -> Scenario:
    if not lev:
        return scenario_of(base)
    if not isinstance(base, LoadedScenario):
        raise TypeError("lever values apply to a scenario loaded from its file")
    key = (getattr(base, "sha256", id(base)), tuple(lev))
    sc = _VARIANTS.get(key)
    if sc is None:
        if len(_VARIANTS) >= 64:
            _VARIANTS.clear()
        sc = _VARIANTS[key] = with_levers(base, dict(lev)).scenario
    return sc


def run_chunk(
    base: Base,
    specs: list[tuple],
    local: np.ndarray,
    reps: np.ndarray,
    overrides: list | None,
    outputs: Outputs,
    start: int,
    stop: int,
) -> Chunk:
    """Rows start..stop-1 of a design (module level so process pools and Dask can ship it)."""
    scs = [_variant(base, tuple(lev)) for _, lev in specs]
    lay = layout(scs[0])
    names = outputs.monthly_names(lay)
    params: list = [None] * len(reps)
    for k in np.unique(local):  # every point's parameters in one vectorised draw
        rows = np.flatnonzero(local == k)
        drawn = params_of_rows(
            scs[k], specs[k][0], reps[rows], lay.paths, [overrides[j] for j in rows] if overrides else None
        )
        for j, p in zip(rows.tolist(), drawn, strict=True):
            params[j] = p
    ys: list = [None] * len(reps)
    ms: list = [None] * len(reps)
    for k in np.unique(local):  # each point's replications together (their rankings in one pass)
        rows = np.flatnonzero(local == k)
        done = run_replications(
            scs[k],
            specs[k][0],
            reps[rows].tolist(),
            lay,
            [params[j] for j in rows],
            ranking=outputs.ranking,
            nowcast=outputs.nowcast,
            monthly_names=names,
        )
        for j, (y, m) in zip(rows.tolist(), done, strict=True):
            ys[j], ms[j] = y, m
    return Chunk(start, stop, np.stack(ys), np.stack(ms))


def evaluate(
    design: Design, executor: Executor | None = None, progress: Bar | bool | None = None, store: Store | None = None
) -> Evaluation:
    """Run every row of ``design`` that ``store`` (default: in memory) does not hold yet.

    ``executor``: default local processes on every core. ``progress``: a :class:`Bar` shared
    with other designs, or whether to show one (None: on a terminal)."""
    executor = executor or LocalExecutor()
    own = store is None  # a fresh store holds nothing a shared bar has counted before
    if store is None:
        store = MemoryStore()
    chunks = design.chunks()
    todo = [c for c in chunks if not store.has(*c)]
    bar = progress if isinstance(progress, Bar) else Bar(len(design), progress)
    try:
        for a, b in sorted(set(chunks) - set(todo)):
            bar.done((id(store), a, b), b - a)
        for chunk in executor.map_unordered(design.runner(), [design.task(a, b) for a, b in todo]):
            store.save(chunk)
            if own:
                bar.update(chunk.stop - chunk.start)
            else:
                bar.done((id(store), chunk.start, chunk.stop), chunk.stop - chunk.start)
    finally:
        if bar is not progress:
            bar.close()
    return Evaluation(design, store, chunks)


@dataclass
class Evaluation:
    """A design's results, read from its store on demand one chunk at a time."""

    design: Design
    store: Store
    chunks: list[tuple[int, int]]

    def indicators(self, point: int = 0) -> Indicators:
        """The rows of one point, in row order."""
        d = self.design
        mask = d.point == point
        lay = d.layout(d.points[point].base)
        yearly, monthly = self._gather(mask)
        return Indicators(
            reps=d.rep[mask],
            years=lay.years,
            names=self.yearly_names(d.points[point].base),
            values=yearly,
            monthly_names=d.outputs.monthly_names(lay),
            monthly=monthly,
        )

    def yearly_names(self, base: int = 0) -> list[str]:
        return yearly_names(scenario_of(self.design.bases[base]), self.design.layout(base), self.design.outputs.ranking)

    def values(self, cells: list[tuple[int, int]]) -> np.ndarray:
        """[row, cell] of yearly values, a cell being (year index, indicator index)."""
        return self.yearly()[:, [c[0] for c in cells], [c[1] for c in cells]]

    def yearly(self) -> np.ndarray:
        """[row, year, yearly indicator] of every row (a design on one base scenario)."""
        return self._gather(np.ones(len(self.design), bool))[0]

    def monthly(self) -> np.ndarray:
        """[row, month, monthly series] of every row (a design on one base scenario)."""
        return self._gather(np.ones(len(self.design), bool))[1]

    def _gather(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Preallocated arrays of the selected rows, filled one chunk at a time (memory: the
        result plus one chunk)."""
        bases = {self.design.points[p].base for p in np.unique(self.design.point[mask])}
        if len(bases) > 1:
            raise ValueError("rows of several base scenarios have no common layout; read them point by point")
        b = bases.pop() if bases else 0
        lay = self.design.layout(b)
        n = int(mask.sum())
        yearly = np.empty((n, len(lay.years), len(self.yearly_names(b))))
        monthly = np.empty((n, lay.months, len(self.design.outputs.monthly_names(lay))))
        i = 0
        for a, c in self.chunks:
            m = mask[a:c]
            k = int(m.sum())
            if not k:
                continue
            ch = self.store.load(a, c)
            if k == c - a:
                yearly[i : i + k], monthly[i : i + k] = ch.yearly, ch.monthly
            else:
                yearly[i : i + k], monthly[i : i + k] = ch.yearly[m], ch.monthly[m]
            i += k
        return yearly, monthly
