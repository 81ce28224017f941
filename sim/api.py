"""The public Python API: load a scenario, run it, compare scenarios, save the usual results folder.

What a notebook uses, and what the command line (``sim/cli/run.py``) and the what-if studio
(``sim/studio/``) are thin layers over. Replications always run through the experiment engine
(``sim/experiment/engine.py``; :func:`run` itself is ``sim/results/run.py``'s, so that the command
line's ``run`` reaches it without the meeting pack's imports); tables come from ``sim/analysis``;
files are written by the results store (``sim/store.py``) through :class:`Results` (``sim/results/``), the one results type,
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
from sim.chunks import MemoryStore
from sim.experiment import compare as _compare
from sim.experiment import runner
from sim.experiment.executors import Executor, LocalExecutor
from sim.portfolio.file import Portfolio, load_portfolio
from sim.portfolio.results import PortfolioResults
from sim.portfolio.run import run as _run_portfolio
from sim.report.pack import build_pack
from sim.report.province import build_province_pack
from sim.results import Results, chunk_store, set_pack_builder
from sim.results.run import count as _count
from sim.results.run import loaded as _loaded
from sim.results.run import run
from sim.results.run_charts import run_charts
from sim.scenario import LoadedScenario, ScenarioError, load_scenario
from sim.scenario.ranges import LIMITS

__all__ = [
    "PortfolioResults",
    "Results",
    "chunk_store",
    "compare",
    "load_portfolio",
    "load_scenario",
    "meeting_pack",
    "portfolio_pack",
    "run",
    "run_portfolio",
]


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
        _count("reps", ref.run.replications if reps is None else reps),
        seed,
        LocalExecutor(workers),
        independent=independent,
        progress=progress,
    )
    return c.table


# ----------------------------------------------------------------------------- several zones


def run_portfolio(
    pf: Portfolio | str | Path,
    reps: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    executor: Executor | None = None,
    progress: bool | None = False,
    chunks: MemoryStore | store.ChunkStore | None = None,
    chunk_size: int = runner.CHUNK_SIZE,
) -> PortfolioResults:
    """Run replications 0..reps-1 of every zone of a portfolio together (docs/model.md, "Several zones").

    Parameters
    ----------
    pf : Portfolio or path
        The portfolio (from :func:`load_portfolio`, or a file with a ``[portfolio]`` table).
    reps, seed : int, optional
        Replications and the portfolio's root seed (default: the file's, else its first zone's).
        The shared shocks and the national peers come from ``seed``; zone k's own numbers from
        ``seed + k``.
    workers, executor, progress, chunks, chunk_size
        As for :func:`run`; the results are the same whatever the workers, executor or chunking.

    Returns
    -------
    PortfolioResults
        Every zone's replications (``zone_summary(k)``), the joint tables (``joint``, ``totals``,
        ``misses``, ``correlation``), ``difference(base)`` and ``save(folder)``.
    """
    p = pf if isinstance(pf, Portfolio) else load_portfolio(pf)
    n = p.replications if reps is None else reps
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= LIMITS["replications"]:
        raise ScenarioError(f"reps: expected a whole number in [1, {LIMITS['replications']:,}], got {n!r}")
    return _run_portfolio(
        p,
        n,
        p.seed if seed is None else int(seed),
        executor or LocalExecutor(workers),
        progress,
        chunks,
        chunk_size,
    )


def portfolio_pack(out: Path, pf: Portfolio, say: Callable[[str], None], workers: int | None = None) -> list[Path]:
    """The meeting packs of a saved portfolio folder: each zone's own (in its folder) and the
    province pack (``report/``: joint outcomes, zone x target, k of N, the totals' fan)."""
    written: list[Path] = []
    for z in pf.zones:
        sub = Path(out) / z.name
        res = Results.load(sub)
        written += meeting_pack(sub, z.scenario, res.seed, res.summary, res.run_date, say, workers=workers)
    say("\nbuilding the province pack (zh, en) ...")
    written += build_province_pack(out)
    say(f"province pack: {Path(out) / 'report'}/")
    return written


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
