"""The public Python API: load a scenario, run it, compare scenarios, save the usual results folder.

What a notebook uses, and what the command line (``sim/cli/run.py``) and the what-if studio
(``sim/studio/``) are thin layers over. Replications always run through the experiment engine
(``sim/experiment/engine.py``); tables come from ``sim/analysis``; files are written by the
results store (``sim/store.py``) through :class:`Results` (``sim/results/``), the one results type,
which also reads a saved folder back (``Results.load``). ``sim`` re-exports :func:`load_scenario`
(the scenario loader's own), :func:`run`, :func:`compare` and :class:`Results`.

Examples
--------
>>> import sim
>>> sc = sim.load_scenario("scenarios/baseline.toml", overrides={"levers.promotion_events_per_year": 4})
>>> res = sim.run(sc, reps=200, seed=1)
>>> res.summary[["target_id", "p_hit", "ci_low", "ci_high"]]      # doctest: +SKIP
>>> res.save("results/promotion4")                                 # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sim import store
from sim.analysis.targets import summarise, target_specs, widest_half_width
from sim.chunks import MemoryStore
from sim.experiment import compare as _compare
from sim.experiment import engine, runner
from sim.experiment.executors import Executor, LocalExecutor
from sim.report.pack import build_pack
from sim.results import Results, chunk_store, run_charts, set_pack_builder
from sim.scenario import LoadedScenario, ScenarioError, load_scenario

__all__ = ["Results", "chunk_store", "compare", "load_scenario", "meeting_pack", "run"]


def _loaded(sc: LoadedScenario | str | Path) -> LoadedScenario:
    return sc if isinstance(sc, LoadedScenario) else load_scenario(sc)


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
    ls = _loaded(sc)
    seed = ls.scenario.run.seed if seed is None else int(seed)
    chunks = chunks if chunks is not None else MemoryStore()
    executor = executor or LocalExecutor(workers)
    if precision is None:
        if max_reps is not None:
            raise ScenarioError("max_reps only applies with precision")
        reps = int(reps or ls.scenario.run.replications)
        design = engine.replications([ls.scenario], [seed], reps, engine.Outputs(monthly=monthly), chunk_size)
        ind = engine.evaluate(design, executor, progress, chunks).indicators()
        return Results(ls, seed, reps, ind, chunks, monthly)
    if not monthly or chunk_size != runner.CHUNK_SIZE:
        raise ValueError(
            "precision stopping runs whole chunks of the monthly series (monthly=True, chunk_size default)"
        )
    rule = runner.StoppingRule(precision, max_reps or runner.MAX_REPS, runner.batch_size(reps))
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


def compare(
    reference: LoadedScenario | str | Path,
    *others: LoadedScenario | str | Path,
    reps: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    independent: bool = False,
    progress: bool | None = False,
) -> pd.DataFrame:
    """Scenarios against the reference on common random numbers, as ``compare A B ...`` does.

    Returns
    -------
    DataFrame
        One row per (scenario, target): ``p_ref``, ``p`` with intervals, the paired difference
        ``diff`` with ``diff_low``/``diff_high`` (Newcombe), P(better), mean difference...
    """
    loaded = [_loaded(s) for s in (reference, *others)]
    if len(loaded) < 2:
        raise ScenarioError("compare needs at least two scenarios")
    ref = loaded[0].scenario
    seed = ref.run.seed if seed is None else int(seed)
    c = _compare.compare(
        loaded,
        int(reps or ref.run.replications),
        seed,
        LocalExecutor(workers),
        independent=independent,
        progress=progress,
    )
    return c.table


# ----------------------------------------------------------------------------- the meeting pack


def meeting_pack(
    out: Path,
    sc,
    seed,
    summary,
    run_date: str,
    say: Callable[[str], None],
    workers: int | None = None,
    goal_seek: Path | None = None,
    previous: Path | None = None,
) -> list[Path]:
    """The meeting pack of a results folder (``report/``, zh and en); the folder's own charts are
    the pack's (the same figure, drawn once), or drawn here if the pack could not be built.
    ``goal_seek``: an ``optimise`` results folder to show; ``previous``: the previous as-of's
    results folder, for the early warning. What ``Results.save(folder, pack=True)`` calls."""
    say("\nbuilding the meeting pack (zh, en) ...")
    try:
        written = build_pack(
            [out], langs=("zh", "en"), workers=workers, progress=say, goal_seek=goal_seek, previous=previous
        )
    except Exception:
        run_charts(out, sc, seed, summary, run_date)
        raise
    for lang in ("zh", "en"):
        name = f"p_targets_{lang}.png"
        store.atomic_write_bytes(out / "charts" / name, next(p for p in written if p.name == name).read_bytes())
    say(f"meeting pack: {out / 'report'}/")
    return written


set_pack_builder(meeting_pack)
