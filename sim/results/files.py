"""The files of a results folder: written after a run, read back (never re-running the model).

Required: ``manifest.json`` and ``summary.csv``. Optional, used when present: ``indicators.csv``,
``monthly.csv``, ``time_to_target.csv``, ``peers.csv``, ``ranking.csv``; any other ``*.csv`` of the
folder and any chart of ``charts/`` that the pack does not make itself are shown under "other
results" (this is how outputs of later experiments, e.g. lever comparisons, reach the pack without
changes here). :class:`sim.results.Results` is what the rest of the code uses.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import tomli_w

from sim import store
from sim.analysis.base_year import base_year_table
from sim.analysis.monthly import fan_table, time_to_target
from sim.analysis.ranking import peers_table, ranking_table
from sim.analysis.targets import summarise, target_specs
from sim.errors import UserError
from sim.experiment import runner
from sim.report.texts.plan_warnings import english
from sim.scenario import LoadedScenario

SUMMARY_REQUIRED = [
    "target_id",
    "indicator",
    "year",
    "op",
    "threshold",
    "unit",
    "active",
    "n_reps",
    "hits",
    "p_hit",
    "ci_low",
    "ci_high",
]
OPTIONAL_COLUMNS = {
    "indicators.csv": ["rep", "year", "indicator", "value"],
    "monthly.csv": ["indicator", "month", "p2_5", "p10", "p25", "p50", "p75", "p90", "p97_5"],
    "time_to_target.csv": ["target_id", "month", "n_reps", "p_reached", "ci_low", "ci_high"],
}
KNOWN_FILES = {"summary.csv", "indicators.csv", "monthly.csv", "time_to_target.csv", "peers.csv", "ranking.csv"}
RUN_CHART_PREFIXES = ("p_targets_",)  # charts `run` makes itself (the pack makes them again)


class ResultsError(UserError):
    """A folder that is not a usable results folder; the message names the file and the problem."""


def _read_csv(path: Path, required: list[str], dtype: dict | None = None) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, keep_default_na=True, dtype=dtype)
    except (OSError, ValueError) as e:
        raise ResultsError(f"{path}: cannot read as CSV ({e})") from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ResultsError(f"{path}: missing column(s) {', '.join(missing)}")
    return df


def read_indicators(path: Path) -> pd.DataFrame:
    """indicators.csv in compact types, read in blocks: 100,000 replications make ~18 million rows,
    about 300 MB this way instead of the parser's gigabytes for the whole file at once."""
    from pandas.api.types import union_categoricals

    dtype = {"rep": "int32", "year": "int16", "indicator": "category", "value": "float64"}
    try:
        parts = list(pd.read_csv(path, dtype=dtype, chunksize=1_000_000))
    except (OSError, ValueError) as e:
        raise ResultsError(f"{path}: cannot read as CSV ({e})") from None
    if not parts:
        raise ResultsError(f"{path}: no rows")
    missing = [c for c in OPTIONAL_COLUMNS["indicators.csv"] if c not in parts[0].columns]
    if missing:
        raise ResultsError(f"{path}: missing column(s) {', '.join(missing)}")
    out = pd.DataFrame({c: np.concatenate([p[c].to_numpy() for p in parts]) for c in ("rep", "year", "value")})
    out.insert(2, "indicator", union_categoricals([p["indicator"] for p in parts]))
    return out[["rep", "year", "indicator", "value"]]


def _truthy(v) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in ("true", "1", "yes")
    return bool(v)


@dataclass(frozen=True)
class Folder:
    """What :func:`read_folder` found: the manifest, the tables by name (``summary``, and
    ``monthly``, ``time_to_target``, ``peers``, ``ranking`` or None), other tables and charts."""

    folder: Path
    manifest: dict
    tables: dict[str, pd.DataFrame | None]
    extra_tables: dict[str, Path]
    extra_charts: list[Path]

    @property
    def summary(self) -> pd.DataFrame:
        s = self.tables["summary"]
        assert s is not None  # read_folder refuses a folder without one
        return s


def read_folder(folder: Path) -> Folder:
    """Read one results folder; raise :class:`ResultsError` with a one-line reason if unusable."""
    if not folder.is_dir():
        raise ResultsError(f"{folder}: no such results folder")
    man_path, sum_path = folder / "manifest.json", folder / "summary.csv"
    for p in (man_path, sum_path):
        if not p.is_file():
            raise ResultsError(f"{folder}: not a results folder (no {p.name}); make one with `run_sim.py run`")
    try:
        manifest = json.loads(man_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ResultsError(f"{man_path}: cannot read as JSON ({e})") from None
    if not isinstance(manifest, dict):
        raise ResultsError(f"{man_path}: expected a JSON object")
    summary = _read_csv(sum_path, SUMMARY_REQUIRED)
    if summary.empty:
        raise ResultsError(f"{sum_path}: no rows")
    summary["active"] = summary["active"].map(_truthy)
    for c in ("source", "note", "unit", "op"):
        if c in summary.columns:
            summary[c] = summary[c].fillna("").astype(str)
        else:
            summary[c] = ""
    summary["target_id"] = summary["target_id"].astype(str)
    tables: dict[str, pd.DataFrame | None] = {"summary": summary}
    for name, key in (("monthly.csv", "monthly"), ("time_to_target.csv", "time_to_target")):
        p = folder / name
        tables[key] = _read_csv(p, OPTIONAL_COLUMNS[name]) if p.is_file() else None
    for key in ("peers", "ranking"):
        p = folder / f"{key}.csv"
        tables[key] = _read_csv(p, []) if p.is_file() else None
    extra_tables = {p.stem: p for p in sorted(folder.glob("*.csv")) if p.name not in KNOWN_FILES}
    chart_dir = folder / "charts"
    extra_charts = (
        [p for p in sorted(chart_dir.glob("*.png")) if not p.name.startswith(RUN_CHART_PREFIXES)]
        if chart_dir.is_dir()
        else []
    )
    return Folder(folder, manifest, tables, extra_tables, extra_charts)


# ----------------------------------------------------------------------------- writing


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


def write_outputs(ls, ind, seed, out, chunks, ranges, stopping, charts_too=True) -> dict:
    """Every output file of a run, each written atomically; charts last (``charts_too``; else the
    meeting pack draws them), drawn in a child process while the tables are written. Returns the
    manifest."""
    sc = ls.scenario
    targets = target_specs(sc)
    summary = summarise(ind.column, targets, ind.years, ind.base)
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
    charts_done = _charts_aside(out, sc, seed, summary, man["run_date"]) if charts_too else None
    try:
        store.write_indicators_csv(out / "indicators.csv", ind.values, ranges, ind.years, ind.names, chunks)
        store.atomic_write_csv(out / "summary.csv", summary)
        store.atomic_write_csv(out / "base_year.csv", base_year_table(ind, sc))
        store.atomic_write_csv(out / "monthly.csv", fan_table(ind.series, ind.monthly_names, sc.run.start), bom=False)
        store.atomic_write_csv(
            out / "time_to_target.csv", time_to_target(ind.series, ind.monthly_names, targets, sc.run.start)
        )
        if sc.ranking is not None:
            store.atomic_write_csv(out / "peers.csv", peers_table(ind.column, ind.names, ind.years))
            store.atomic_write_csv(out / "ranking.csv", ranking_table(ind.column, sc.ranking, ind.years))
        store.write_json(out / "manifest.json", man)
        store.atomic_write_text(
            out / "scenario.resolved.toml",
            f"# {sc.scenario.name}: fully resolved (extends and --set applied)\n" + tomli_w.dumps(ls.resolved),
        )
    finally:
        if charts_done is not None:
            charts_done()
    return man


def _charts_aside(out: Path, sc, seed, summary, run_date: str) -> Callable[[], None]:
    """Start drawing the run's charts in child processes, one per language at once, so they take no
    wall time of their own while the tables are written; returns the function that waits for them
    (and raises what drawing raised). In a process that may not start children (a pool's worker)
    the charts are drawn by that function, in this process."""
    if multiprocessing.current_process().daemon:

        def here() -> None:
            for lang in CHART_LANGS:
                _draw_chart(out, sc, seed, summary, run_date, lang)

        return here
    pool = ProcessPoolExecutor(max_workers=len(CHART_LANGS))
    drawn = [pool.submit(_draw_chart, out, sc, seed, summary, run_date, lang) for lang in CHART_LANGS]

    def wait() -> None:
        try:
            for d in drawn:
                d.result()
        finally:
            pool.shutdown()

    return wait


CHART_LANGS = ("zh", "en")
"""The languages of a run's own charts, ``charts/p_targets_<lang>.png``."""

CHARTS_MODULE = "sim.results.run_charts"
"""The module that draws a run's charts, loaded by name where they are drawn: it imports matplotlib,
which nothing else a run does needs."""


def load_charts() -> None:
    """Import the module that draws a run's charts now: the ``run`` command does it while its
    workers compute, so the processes that draw the charts start with matplotlib loaded."""
    importlib.import_module(CHARTS_MODULE)


def _draw_chart(out: Path, sc, seed, summary, run_date: str, lang: str) -> None:
    """charts/p_targets_<lang>.png (:func:`sim.results.run_charts.run_chart`)."""
    importlib.import_module(CHARTS_MODULE).run_chart(out, sc, seed, summary, run_date, lang)
