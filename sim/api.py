"""The public Python API: load a scenario, run it, compare scenarios, save the usual results folder.

What a notebook uses, and what the command line (``sim/cli/run.py``) and the what-if studio
(``sim/studio/``) are thin layers over. Replications always run through the experiment engine
(``sim/experiment/engine.py``); tables come from ``sim/analysis``; files are written by the
results store (``sim/store.py``). ``sim`` re-exports :func:`load_scenario`, :func:`run`,
:func:`compare` and :class:`Results`.

Examples
--------
>>> import sim
>>> sc = sim.load_scenario("scenarios/baseline.toml", overrides={"levers.promotion_events_per_year": 4})
>>> res = sim.run(sc, reps=200, seed=1)
>>> res.summary[["target_id", "p_hit", "ci_low", "ci_high"]]      # doctest: +SKIP
>>> res.save("results/promotion4")                                 # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import tomli_w

from sim import store
from sim.analysis.base_year import base_year_table
from sim.analysis.monthly import fan_table, time_to_target
from sim.analysis.paired import compare_targets
from sim.analysis.ranking import peers_table, ranking_table
from sim.analysis.targets import summarise, target_specs
from sim.chunks import Chunk, MemoryStore
from sim.experiment import compare as _compare
from sim.experiment import engine, runner
from sim.experiment.executors import Executor, LocalExecutor
from sim.report import charts
from sim.report.pack import build_pack
from sim.report.texts.plan_warnings import english
from sim.scenario import LoadedScenario, ScenarioError
from sim.scenario import load_scenario as _load

__all__ = ["Results", "compare", "load_scenario", "override_texts", "run", "write_outputs"]


def override_texts(overrides: Mapping[str, Any] | list[str] | tuple[str, ...] | None) -> list[str]:
    """``{"levers.promotion_events_per_year": 4}`` -> ``["levers.promotion_events_per_year=4"]``.

    Values are written as TOML (strings quoted), so each text means what ``--set`` would."""
    if overrides is None:
        return []
    if isinstance(overrides, (list, tuple)):
        return [str(o) for o in overrides]
    return [f"{k}={tomli_w.dumps({'v': v}).split('=', 1)[1].strip()}" for k, v in overrides.items()]


def load_scenario(path: str | Path, overrides: Mapping[str, Any] | list[str] | None = None) -> LoadedScenario:
    """Read, merge (``extends``), override and validate a scenario file.

    Parameters
    ----------
    path : str or Path
        The scenario TOML file.
    overrides : dict or list of str, optional
        Key path -> value (``{"levers.promotion_events_per_year": 4}``), or ``--set`` texts
        (``["levers.promotion_events_per_year=4"]``).

    Returns
    -------
    LoadedScenario
        The validated scenario (``.scenario``), its file, resolved data and hash.

    Raises
    ------
    ScenarioError
        One message naming the file, the key path and what was expected.
    """
    return _load(path, override_texts(overrides))


def _loaded(sc: LoadedScenario | str | Path) -> LoadedScenario:
    return sc if isinstance(sc, LoadedScenario) else load_scenario(sc)


@dataclass
class Results:
    """Replications of one scenario, with every table of a results folder as a DataFrame.

    Attributes
    ----------
    loaded : LoadedScenario
        The scenario that ran.
    seed : int
        The root seed.
    reps : int
        Replications 0..reps-1.
    raw : Indicators
        The arrays: yearly ``values[rep, year, indicator]`` and ``monthly[rep, month, series]``.
    chunks : MemoryStore
        The computed chunks (reused by a later :func:`run` given this store).
    with_monthly : bool
        Whether the monthly series were computed (``run(..., monthly=False)`` skips them).
    """

    loaded: LoadedScenario
    seed: int
    reps: int
    raw: runner.Indicators
    chunks: MemoryStore = field(repr=False)
    with_monthly: bool = True

    @property
    def summary(self) -> pd.DataFrame:
        """One row per target (P(hit), its 95% simulation-precision interval (Wilson), hits, quantiles,
        the base-year start and the growth it needs), then ``ALL_<year>`` rows."""
        return summarise(self.raw.column, target_specs(self.loaded.scenario), self.raw.years, self.raw.base)

    @property
    def base_year(self) -> pd.DataFrame:
        """The starting point: each base-year figure, how it is stated and its quantiles (base_year.csv)."""
        return base_year_table(self.raw, self.loaded.scenario)

    @property
    def indicators(self) -> pd.DataFrame:
        """Tidy yearly indicators: one row per replication x year x indicator (rep, year, indicator, value)."""
        return store.indicators_long(self.raw.reps, self.raw.years, self.raw.names, self.raw.values)

    @property
    def monthly(self) -> pd.DataFrame:
        """Month-by-month quantiles of every monthly indicator's year-to-date value (monthly.csv)."""
        self._need_monthly("monthly")
        return fan_table(self.raw.series, self.raw.monthly_names, self.loaded.scenario.run.start)

    @property
    def time_to_target(self) -> pd.DataFrame:
        """For each target with a monthly indicator: P(already reached) by each month of its year."""
        self._need_monthly("time_to_target")
        return time_to_target(
            self.raw.series, self.raw.monthly_names, target_specs(self.loaded.scenario), self.loaded.scenario.run.start
        )

    @property
    def ranking(self) -> pd.DataFrame | None:
        """P(rank within the reference) per year and evaluation method; None without a [ranking] section."""
        rk = self.loaded.scenario.ranking
        return None if rk is None else ranking_table(self.raw.column, rk, self.raw.years)

    @property
    def peers(self) -> pd.DataFrame | None:
        """The simulated peer zones per year; None without a [ranking] section."""
        if self.loaded.scenario.ranking is None:
            return None
        return peers_table(self.raw.column, self.raw.names, self.raw.years)

    def _need_monthly(self, what: str) -> None:
        if not self.with_monthly:
            raise ValueError(f"{what} needs the monthly series: run with monthly=True")

    def difference(self, base: Results) -> pd.DataFrame:
        """Paired differences from ``base`` (same seed and replications: common random numbers).

        One row per target of ``base``: both probabilities with intervals, ``diff`` = this minus
        base with Newcombe's paired interval (``diff_low``, ``diff_high``), P(better)..."""
        if base.seed != self.seed or base.reps != self.reps:
            raise ValueError(
                f"paired differences need the same seed and replications (base: seed {base.seed}, "
                f"{base.reps} reps; this: seed {self.seed}, {self.reps} reps)"
            )
        _compare.check_comparable([base.loaded, self.loaded])
        specs = target_specs(base.loaded.scenario)
        mine = {t.target_id: t for t in target_specs(self.loaded.scenario)}
        names = _compare.unique_names([base.loaded, self.loaded])
        return compare_targets(
            _compare.target_values(base.raw, specs),
            _compare.target_values(self.raw, list(mine.values())),
            specs,
            mine,
            *names,
            paired=True,
        )

    def save(self, folder: str | Path, pack: bool = False, progress: Callable[[str], None] | None = None) -> Path:
        """Write the results folder ``run SCENARIO --seed S --reps N --out folder`` writes.

        ``pack=False`` gives the folder of ``run ... --no-report``; ``pack=True`` also builds the
        meeting pack under ``report/`` (zh and en). The files equal the command's byte for byte,
        except what records the moment and the command: the manifest's ``run_date`` and
        ``command``, and the ``.npz`` chunk archives' zip timestamps (hence their ``.sha256``)."""
        self._need_monthly("save")
        out = Path(folder)
        sc = self.loaded.scenario
        ranges = runner.chunk_ranges(self.reps)
        chunks = chunk_store(self.loaded, self.seed, out)
        try:
            for a, b in ranges:  # the command's chunks, whatever chunks this run used
                chunks.save(Chunk(a, b, self.raw.values[a:b], self.raw.monthly[a:b]))
            run_date = write_outputs(self.loaded, self.raw, self.seed, out, chunks, ranges, None, charts_too=not pack)
        finally:
            chunks.close()
        if pack:
            meeting_pack(
                out, sc, self.seed, store.read_csv(out / "summary.csv"), run_date, progress or (lambda s: None)
            )
        return out


def run(
    sc: LoadedScenario | str | Path,
    reps: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    executor: Executor | None = None,
    progress: bool | None = False,
    chunks: MemoryStore | None = None,
    monthly: bool = True,
    chunk_size: int = runner.CHUNK_SIZE,
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
    chunks : MemoryStore, optional
        A store from an earlier run of the same scenario and seed: its chunks are not computed again.
    monthly : bool
        Return the monthly series (False: yearly indicators only, faster; no ``monthly`` table, no ``save``).
    chunk_size : int
        Replications per chunk (the unit a worker computes and ``chunks`` keeps); the results are
        the same whatever it is. Use the same size with the same ``chunks`` store.

    Returns
    -------
    Results
        The tables (``summary``, ``indicators``, ``monthly``, ``ranking``, ``peers``) and ``save()``.
    """
    ls = _loaded(sc)
    reps = int(reps or ls.scenario.run.replications)
    seed = ls.scenario.run.seed if seed is None else int(seed)
    chunks = chunks if chunks is not None else MemoryStore()
    design = engine.replications([ls.scenario], [seed], reps, engine.Outputs(monthly=monthly), chunk_size)
    ind = engine.evaluate(design, executor or LocalExecutor(workers), progress, chunks).indicators()
    return Results(ls, seed, reps, ind, chunks, monthly)


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


# ----------------------------------------------------------------------------- the results folder


def chunk_store(ls: LoadedScenario, seed: int, out: Path) -> store.ChunkStore:
    """The resumable chunk store of a run's results folder (``run.json`` and ``chunks/``)."""
    lay = runner.layout(ls.scenario)
    return store.ChunkStore(
        out,
        {
            "scenario_sha256": ls.sha256,
            "seed": seed,
            "chunk_size": runner.CHUNK_SIZE,
            "indicators": lay.names,
            "monthly": lay.monthly_names,
        },
    )


def write_outputs(ls, ind, seed, out, chunks, ranges, stopping, charts_too=True) -> str:
    """Every output file of a run, each written atomically; charts last (``charts_too``; else the
    meeting pack draws them). Returns the run date."""
    sc = ls.scenario
    targets = target_specs(sc)
    summary = summarise(ind.column, targets, ind.years, ind.base)
    store.write_indicators_csv(out / "indicators.csv", chunks, ranges, ind.years, ind.names)
    store.atomic_write_csv(out / "summary.csv", summary)
    store.atomic_write_csv(out / "base_year.csv", base_year_table(ind, sc))
    store.atomic_write_csv(out / "monthly.csv", fan_table(ind.series, ind.monthly_names, sc.run.start), bom=False)
    store.atomic_write_csv(
        out / "time_to_target.csv", time_to_target(ind.series, ind.monthly_names, targets, sc.run.start)
    )
    if sc.ranking is not None:
        store.atomic_write_csv(out / "peers.csv", peers_table(ind.column, ind.names, ind.years))
        store.atomic_write_csv(out / "ranking.csv", ranking_table(ind.column, sc.ranking, ind.years))
    man = store.manifest(
        scenario_name=sc.scenario.name,
        scenario_file=str(ls.path),
        sha256=ls.sha256,
        seed=seed,
        reps=len(ind.reps),
        resolved=ls.resolved,
        warnings=english(sc),
        extra={"stopping_rule": stopping} if stopping else None,
    )
    store.write_json(out / "manifest.json", man)
    store.atomic_write_text(
        out / "scenario.resolved.toml",
        f"# {sc.scenario.name}: fully resolved (extends and --set applied)\n" + tomli_w.dumps(ls.resolved),
    )
    if charts_too:
        run_charts(out, sc, seed, summary, man["run_date"])
    return man["run_date"]


def run_charts(out: Path, sc, seed, summary, run_date: str) -> None:
    """charts/p_targets_<lang>.png of the results folder."""
    for lang in ("zh", "en"):
        zone = sc.scenario.zone_zh if lang == "zh" else sc.scenario.zone
        fig = charts.probability_chart(
            summary, sc, lang, zone=zone, scenario_name=sc.scenario.name, seed=seed, run_date=run_date
        )
        charts.save(fig, out / "charts" / f"p_targets_{lang}.png")


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
    ``previous``: the previous as-of's results folder, for the early warning."""
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
