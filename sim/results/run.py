"""A run of one scenario on the experiment engine, as :class:`Results`: :func:`run`, the public
``sim.run`` (re-exported by :mod:`sim.api`).

Here rather than in ``sim/api.py`` so that the command line's ``run`` reaches it without the
public API's other imports (the meeting pack's charts, PDF, Excel and slides, the portfolio):
``run --no-report`` needs none of them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim import store
from sim.analysis.targets import summarise, target_specs, widest_half_width
from sim.chunks import MemoryStore
from sim.experiment import engine, runner
from sim.experiment.executors import Executor, LocalExecutor
from sim.results.core import Results
from sim.scenario import LoadedScenario, ScenarioError, load_scenario
from sim.scenario.ranges import LIMITS

__all__ = ["count", "loaded", "run"]


def loaded(sc: LoadedScenario | str | Path) -> LoadedScenario:
    """A scenario as given, or loaded from its file."""
    return sc if isinstance(sc, LoadedScenario) else load_scenario(sc)


def count(name: str, value) -> int:
    """A replication count the API was given: a whole number in [1, LIMITS["replications"]] (more would hold
    more in memory than a run may; docs/scenarios.md, Limits)."""
    most = LIMITS["replications"]
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 1 <= value <= most:
        raise ScenarioError(f"{name}: expected a whole number in [1, {most:,}], got {value!r}")
    return int(value)


def run(
    sc: LoadedScenario | str | Path,
    reps: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    executor: Executor | None = None,
    progress: bool | None = False,
    chunks: MemoryStore | store.ChunkStore | None = None,
    monthly: bool = True,
    chunk_size: int = runner.CHUNK_SIZE,
    precision: float | None = None,
    max_reps: int | None = None,
) -> Results:
    """Run replications 0..reps-1 of a scenario on the experiment engine.

    Parameters
    ----------
    sc : LoadedScenario or path
        The scenario (from :func:`load_scenario`, or a file).
    reps, seed : int, optional
        Replications and root seed (default: the scenario's ``run.replications`` and ``run.seed``).
    workers : int, optional
        Local worker processes (default: all cores); ignored when ``executor`` is given.
    executor : Executor, optional
        Where chunks run (``LocalExecutor``, ``DaskExecutor``).
    progress : bool, optional
        Show a progress bar (None: on a terminal).
    chunks : MemoryStore or ChunkStore, optional
        A store from an earlier run of the same scenario and seed: its chunks are not computed again
        (:func:`chunk_store` gives a results folder's, which saves each chunk as it finishes: an
        interrupted run resumes).
    monthly : bool
        Return the monthly series (False: yearly indicators only, faster; no ``monthly`` table, no ``save``).
    chunk_size : int
        Replications per chunk (the unit a worker computes and ``chunks`` keeps); the results are
        the same whatever it is. Use the same size with the same ``chunks`` store.
    precision : float, optional
        Add batches of ``reps`` replications (whole chunks; default 1000) until every active
        target's 95% interval half-width is at most this, or ``max_reps`` (default 100000) are
        run; the result equals a fixed-count run of the count reached (``Results.stopping`` says
        how it ended).

    Returns
    -------
    Results
        The tables (``summary``, ``indicators``, ``monthly``, ``ranking``, ``peers``) and ``save()``.
    """
    ls = loaded(sc)
    seed = ls.scenario.run.seed if seed is None else int(seed)
    chunks = chunks if chunks is not None else MemoryStore()
    executor = executor or LocalExecutor(workers)
    if precision is None:
        if max_reps is not None:
            raise ScenarioError("max_reps only applies with precision")
        reps = count("reps", ls.scenario.run.replications if reps is None else reps)
        design = engine.replications([ls.scenario], [seed], reps, engine.Outputs(monthly=monthly), chunk_size)
        ind = engine.evaluate(design, executor, progress, chunks).indicators()
        return Results(ls, seed, reps, ind, chunks, monthly)
    if not monthly or chunk_size != runner.CHUNK_SIZE:
        raise ValueError(
            "precision stopping runs whole chunks of the monthly series (monthly=True, chunk_size default)"
        )
    rule = runner.StoppingRule(
        precision,
        count("max_reps", runner.MAX_REPS if max_reps is None else max_reps),
        runner.batch_size(None if reps is None else count("reps", reps)),
    )
    sc_ = ls.scenario
    ind, met = runner.run_until_precise(
        sc_,
        seed,
        rule,
        lambda i: widest_half_width(summarise(i.column, target_specs(sc_), i.years)),
        progress=progress,
        executor=executor,
        store=chunks,
    )
    return Results(ls, seed, len(ind.reps), ind, chunks, stopping=rule.describe(len(ind.reps), met))
