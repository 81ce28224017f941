"""Read a saved results folder (never re-runs the model).

Required: ``manifest.json`` and ``summary.csv``. Optional, used when present: ``indicators.csv``,
``monthly.csv``, ``time_to_target.csv``, ``peers.csv``; any other ``*.csv`` of the folder and any
chart of ``charts/`` that the pack does not make itself are shown under "other results" (this is
how outputs of later experiments, e.g. lever comparisons, reach the pack without changes here).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.report.texts.key_labels import scenario_names
from sim.report.texts.labels import interval_label

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


def _read_indicators(path: Path) -> pd.DataFrame:
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


@dataclass
class Results:
    folder: Path
    manifest: dict
    summary: pd.DataFrame
    monthly: pd.DataFrame | None = None
    ttt: pd.DataFrame | None = None
    peers: pd.DataFrame | None = None
    ranking: pd.DataFrame | None = None
    extra_tables: dict[str, Path] = field(default_factory=dict)
    extra_charts: list[Path] = field(default_factory=list)
    goal_seek: dict | None = None
    previous: Results | None = None
    """The previous as-of's results folder, for the early warning (sim.report.early_warning)."""

    # ---- facts
    @property
    def resolved(self) -> dict:
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
        return str(self.manifest.get("scenario") or self.resolved.get("scenario", {}).get("name") or self.folder.name)

    @property
    def seed(self):
        return self.manifest.get("seed", "?")

    @property
    def reps(self) -> int:
        r = self.manifest.get("replications")
        return int(r) if r is not None else int(self.summary["n_reps"].max())

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

    # ---- large table, read on first use
    @cached_property
    def indicators(self) -> pd.DataFrame | None:
        """The simulated years' rows of indicators.csv (its base-year rows, the start, are in
        base_year.csv and are left out here, so no chart or comparison mixes them in)."""
        p = self.folder / "indicators.csv"
        if not p.is_file():
            return None
        d = _read_indicators(p)
        return d[d["year"].isin(self.years)].reset_index(drop=True)

    def targets(self) -> pd.DataFrame:
        """Target rows of summary.csv (without the ALL_<year> joint rows)."""
        s = self.summary
        return s[~s["target_id"].astype(str).str.startswith("ALL_")]

    def joint(self) -> pd.DataFrame:
        s = self.summary
        return s[s["target_id"].astype(str).str.startswith("ALL_")]


def load_results(folder: str | Path) -> Results:
    """Read one results folder; raise :class:`ResultsError` with a one-line reason if unusable."""
    folder = Path(folder)
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
    res = Results(folder=folder, manifest=manifest, summary=summary)
    for name, attr in (("monthly.csv", "monthly"), ("time_to_target.csv", "ttt")):
        p = folder / name
        if p.is_file():
            setattr(res, attr, _read_csv(p, OPTIONAL_COLUMNS[name]))
    if (folder / "peers.csv").is_file():
        res.peers = _read_csv(folder / "peers.csv", [])
    if (folder / "ranking.csv").is_file():
        res.ranking = _read_csv(folder / "ranking.csv", [])
    for p in sorted(folder.glob("*.csv")):
        if p.name not in KNOWN_FILES:
            res.extra_tables[p.stem] = p
    charts = folder / "charts"
    if charts.is_dir():
        res.extra_charts = [p for p in sorted(charts.glob("*.png")) if not p.name.startswith(RUN_CHART_PREFIXES)]
    return res
