"""One results type: the replications of one scenario and every table of its results folder.

A :class:`Results` comes from a run (:func:`sim.run`: the arrays in memory, tables computed from
them) or from a saved folder (:meth:`Results.load`, which never re-runs the model: the tables are
read from its files). The public API re-exports it as ``sim.Results``; the meeting pack reads
every folder through it. Writing a folder is :meth:`Results.save` (files in
:mod:`sim.results.files`); building the meeting pack on top is the interface's
(:func:`sim.api.meeting_pack`), since the pack itself reads folders through this class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from sim import store
from sim.analysis.base_year import base_year_table
from sim.analysis.monthly import fan_table, time_to_target
from sim.analysis.paired import compare_targets
from sim.analysis.ranking import peers_table, ranking_table
from sim.analysis.targets import summarise, target_specs
from sim.chunks import Chunk
from sim.experiment import compare as _compare
from sim.experiment import runner
from sim.report.texts.key_labels import scenario_names
from sim.report.texts.labels import interval_label
from sim.results.files import ResultsError, chunk_store, read_folder, read_indicators, write_outputs
from sim.scenario import LoadedScenario

__all__ = ["Results", "ResultsError"]

PackBuilder = Callable[..., object]
"""Builds the meeting pack of a saved folder: ``(folder, scenario, seed, summary, run_date, say)``."""

_pack_builder: list[PackBuilder] = []


def set_pack_builder(build: PackBuilder) -> None:
    """Register what ``save(..., pack=True)`` calls: :mod:`sim.api` does, on import. The pack reads
    folders through :class:`Results`, so this module cannot import the pack itself."""
    _pack_builder[:] = [build]


@dataclass(eq=False)
class Results:
    """Replications of one scenario, with every table of a results folder as a DataFrame.

    From a run (:func:`sim.run`) or read back from a saved folder (:meth:`load`).

    Attributes
    ----------
    loaded : LoadedScenario or None
        The scenario that ran (None for a folder read back: its scenario is ``resolved``).
    seed : int
        The root seed.
    reps : int
        Replications 0..reps-1.
    raw : Indicators or None
        The arrays of a run: yearly ``values[rep, year, indicator]`` and ``monthly[rep, month,
        series]`` (None for a folder read back).
    chunks : MemoryStore or ChunkStore
        The computed chunks (reused by a later :func:`sim.run` given this store).
    with_monthly : bool
        Whether the monthly series were computed (``run(..., monthly=False)`` skips them).
    stopping : str or None
        The precision stopping rule and whether it was met (``run(..., precision=...)``).
    folder : Path or None
        The results folder it was saved to or read from.
    manifest : dict
        The folder's ``manifest.json`` (empty until saved).
    extra_tables, extra_charts
        Any other ``*.csv`` of the folder and any chart of ``charts/`` the pack does not make
        itself: shown under "other results" (how outputs of later experiments reach the pack).
    goal_seek, previous
        A goal seek and the previous as-of's results, for the meeting pack.
    """

    loaded: LoadedScenario | None
    seed: Any
    reps: int
    raw: runner.Indicators | None = field(default=None, repr=False)
    chunks: Any = field(default=None, repr=False)
    with_monthly: bool = True
    stopping: str | None = None
    folder: Path | None = None
    manifest: dict = field(default_factory=dict, repr=False)
    extra_tables: dict[str, Path] = field(default_factory=dict, repr=False)
    extra_charts: list[Path] = field(default_factory=list, repr=False)
    goal_seek: dict | None = field(default=None, repr=False)
    previous: Results | None = field(default=None, repr=False)
    read: dict[str, pd.DataFrame | None] = field(default_factory=dict, repr=False)
    """The tables read from a saved folder, by name (empty for a run)."""

    @property
    def saved_folder(self) -> Path:
        """The folder these results were saved to or read from (:class:`ResultsError` if none)."""
        if self.folder is None:
            raise ResultsError("these results are not saved in a folder yet (Results.save writes one)")
        return self.folder

    @classmethod
    def load(cls, folder: str | Path) -> Results:
        """Read one results folder (never re-runs the model); :class:`ResultsError` with a one-line
        reason if it is unusable. Required: ``manifest.json`` and ``summary.csv``; optional, used
        when present: ``indicators.csv``, ``monthly.csv``, ``time_to_target.csv``, ``peers.csv``,
        ``ranking.csv``."""
        f = read_folder(Path(folder))
        man, summary = f.manifest, f.summary
        reps = man.get("replications")
        return cls(
            loaded=None,
            seed=man.get("seed", "?"),
            reps=int(reps) if reps is not None else int(summary["n_reps"].max()),
            folder=f.folder,
            manifest=man,
            extra_tables=f.extra_tables,
            extra_charts=f.extra_charts,
            read=f.tables,
        )

    # ---- the tables
    @property
    def summary(self) -> pd.DataFrame:
        """One row per target (P(hit), its 95% simulation-precision interval (Wilson), hits, quantiles,
        the base-year start and the growth it needs), then ``ALL_<year>`` rows."""
        if self.raw is None:
            summary = self.read["summary"]
            assert summary is not None  # a folder without one is refused by load()
            return summary
        sc = self._scenario.scenario
        return summarise(self.raw.column, target_specs(sc), self.raw.years, self.raw.base)

    @property
    def base_year(self) -> pd.DataFrame | None:
        """The starting point: each base-year figure, how it is stated and its quantiles (base_year.csv)."""
        if self.raw is None:
            p = self.extra_tables.get("base_year")
            return None if p is None else pd.read_csv(p)
        return base_year_table(self.raw, self._scenario.scenario)

    @cached_property
    def indicators(self) -> pd.DataFrame | None:
        """Tidy yearly indicators of the simulated years: one row per replication x year x indicator
        (rep, year, indicator, value). The base year's rows of indicators.csv, the start, are left
        out, so no chart or comparison mixes them in (they are summed up in ``base_year``). None
        for a folder without indicators.csv."""
        if self.raw is not None:
            d = store.indicators_long(self.raw.reps, self.raw.years, self.raw.names, self.raw.values)
        else:
            assert self.folder is not None
            p = self.folder / "indicators.csv"
            if not p.is_file():
                return None
            d = read_indicators(p)
        return d[d["year"].isin(self.years)].reset_index(drop=True)

    @property
    def monthly(self) -> pd.DataFrame | None:
        """Month-by-month quantiles of every monthly indicator's year-to-date value (monthly.csv)."""
        if self.raw is None:
            return self.read.get("monthly")
        self._need_monthly("monthly")
        return fan_table(self.raw.series, self.raw.monthly_names, self._scenario.scenario.run.start)

    @property
    def time_to_target(self) -> pd.DataFrame | None:
        """For each target with a monthly indicator: P(already reached) by each month of its year."""
        if self.raw is None:
            return self.read.get("time_to_target")
        self._need_monthly("time_to_target")
        sc = self._scenario.scenario
        return time_to_target(self.raw.series, self.raw.monthly_names, target_specs(sc), sc.run.start)

    @property
    def ttt(self) -> pd.DataFrame | None:
        """:attr:`time_to_target` (the meeting pack's name for it)."""
        return self.time_to_target

    @property
    def ranking(self) -> pd.DataFrame | None:
        """P(rank within the reference) per year and evaluation method; None without a [ranking] section."""
        if self.raw is None:
            return self.read.get("ranking")
        rk = self._scenario.scenario.ranking
        return None if rk is None else ranking_table(self.raw.column, rk, self.raw.years)

    @property
    def peers(self) -> pd.DataFrame | None:
        """The simulated peer zones per year; None without a [ranking] section."""
        if self.raw is None:
            return self.read.get("peers")
        if self._scenario.scenario.ranking is None:
            return None
        return peers_table(self.raw.column, self.raw.names, self.raw.years)

    def targets(self) -> pd.DataFrame:
        """Target rows of the summary (without the ALL_<year> joint rows)."""
        s = self.summary
        return s[~s["target_id"].astype(str).str.startswith("ALL_")]

    def joint(self) -> pd.DataFrame:
        """The ALL_<year> rows of the summary: every active target of the year at once."""
        s = self.summary
        return s[s["target_id"].astype(str).str.startswith("ALL_")]

    # ---- facts about the scenario and the run
    @property
    def resolved(self) -> dict:
        """The fully resolved scenario data (``extends`` and overrides applied)."""
        if self.loaded is not None:
            return self.loaded.resolved
        return self.manifest.get("resolved_scenario") or {}

    @property
    def names(self):
        return scenario_names(self.resolved)

    def zone(self, lang: str) -> str:
        meta = self.resolved.get("scenario", {})
        zh, en = meta.get("zone_zh"), meta.get("zone")
        return (zh or en or "?") if lang == "zh" else (en or zh or "?")

    def title(self, lang: str) -> str:
        """The scenario's title in ``lang`` (``name_zh`` / ``name_en``), else its name (also when the
        manifest names the run differently from its resolved scenario)."""
        meta = self.resolved.get("scenario", {})
        if meta.get("name") not in (None, self.scenario_name):
            return self.scenario_name
        return str(meta.get(f"name_{lang}") or self.scenario_name)

    def description(self, lang: str) -> str:
        """The scenario's description in ``lang`` ("" when the file gives none in that language)."""
        meta = self.resolved.get("scenario", {})
        return str(meta.get("description_zh" if lang == "zh" else "description") or "")

    @property
    def scenario_name(self) -> str:
        name = self.manifest.get("scenario") or self.resolved.get("scenario", {}).get("name")
        return str(name or (self.folder.name if self.folder else "?"))

    @property
    def run_date(self) -> str:
        return str(self.manifest.get("run_date", "?"))

    def interval(self, lang: str) -> str:
        return interval_label(self.manifest.get("interval_method", ""), lang)

    @property
    def warnings(self) -> list[str]:
        return [str(w) for w in self.manifest.get("warnings", []) or []]

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.summary["year"].unique())

    # ---- what a run can do
    @property
    def _scenario(self) -> LoadedScenario:
        if self.loaded is None:
            raise ValueError(f"{self.folder}: a results folder read back has its tables, not the run's arrays")
        return self.loaded

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
        mine_ls, base_ls = self._scenario, base._scenario
        assert self.raw is not None and base.raw is not None
        _compare.check_comparable([base_ls, mine_ls])
        specs = target_specs(base_ls.scenario)
        mine = {t.target_id: t for t in target_specs(mine_ls.scenario)}
        base_name, name = _compare.unique_names([base_ls, mine_ls])
        return compare_targets(
            _compare.target_values(base.raw, specs),
            _compare.target_values(self.raw, list(mine.values())),
            specs,
            mine,
            base_name,
            name,
            paired=True,
        )

    def save(
        self, folder: str | Path, pack: bool = False, progress: Callable[[str], None] | None = None, charts: bool = True
    ) -> Path:
        """Write the results folder ``run SCENARIO --seed S --reps N --out folder`` writes.

        ``pack=False`` gives the folder of ``run ... --no-report``; ``pack=True`` also builds the
        meeting pack under ``report/`` (zh and en). The files equal the command's byte for byte,
        except what records the moment and the command: the manifest's ``run_date`` and
        ``command``, and the ``.npz`` chunk archives' zip timestamps (hence their ``.sha256``).
        ``charts=False`` leaves the folder's charts to a meeting pack built afterwards."""
        self._need_monthly("save")
        ls, raw = self._scenario, self.raw
        assert raw is not None
        out = Path(folder)
        ranges = runner.chunk_ranges(self.reps)
        own = isinstance(self.chunks, store.ChunkStore) and self.chunks.folder.resolve() == out.resolve()
        chunks = self.chunks if own else chunk_store(ls, self.seed, out)
        try:
            if not own:  # the command's chunks, whatever chunks this run used
                for a, b in ranges:
                    chunks.save(Chunk(a, b, raw.values[a:b], raw.monthly[a:b]))
            self.manifest = write_outputs(
                ls, raw, self.seed, out, chunks, ranges, self.stopping, charts_too=charts and not pack
            )
        finally:
            chunks.close()
        self.folder = out
        if pack:
            if not _pack_builder:
                raise RuntimeError("the meeting pack is built through the public API: import sim")
            summary = store.read_csv(out / "summary.csv")
            _pack_builder[0](out, ls.scenario, self.seed, summary, self.run_date, progress or (lambda s: None))
        return out
