"""Results folder: deterministic names, atomic writes, manifest.

Every file is written to a temporary name in the same folder and renamed into place, so a
crash or a kill never leaves a half-written file and never destroys an earlier good one.
"""
from __future__ import annotations

import datetime as _dt
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

PACKAGES = ("zonesim", "numpy", "scipy", "simpy", "pandas", "matplotlib", "pydantic", "tomli-w", "tqdm")


def default_dir(root: str | Path, scenario: str, seed: int, reps: int) -> Path:
    return Path(root) / f"{scenario}__seed{seed}__n{reps}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())          # mkstemp creates 0600; use the usual mode
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_csv(path: str | Path, df: pd.DataFrame) -> None:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    atomic_write_text(path, buf.getvalue())


def indicators_long(reps: np.ndarray, years: list[int], names: list[str], values: np.ndarray) -> pd.DataFrame:
    """values[rep, year, indicator] -> tidy rows rep,year,indicator,value (rep-major order)."""
    n_r, n_y, n_i = values.shape
    return pd.DataFrame({
        "rep": np.repeat(reps, n_y * n_i),
        "year": np.tile(np.repeat(np.asarray(years), n_i), n_r),
        "indicator": np.tile(np.asarray(names, dtype=object), n_r * n_y),
        "value": values.reshape(-1),
    })


def read_indicators(path: str | Path) -> pd.DataFrame:
    return pd.read_csv(path)


def git_commit() -> str:
    try:
        here = Path(__file__).resolve().parent
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "") if out.returncode == 0 else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def versions() -> dict[str, str]:
    v = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            v[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            v[p] = "not installed"
    return v


def manifest(*, scenario_name: str, scenario_file: str, sha256: str, seed: int, reps: int,
             resolved: dict, warnings: list[str], extra: dict | None = None) -> dict:
    return {
        "scenario": scenario_name,
        "scenario_file": scenario_file,
        "scenario_sha256": sha256,
        "seed": seed,
        "replications": reps,
        "run_date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d"),
        "command": " ".join(sys.argv),
        "git_commit": git_commit(),
        "versions": versions(),
        "interval_method": "Wilson score interval, 95% (scipy.stats.binomtest)",
        "warnings": warnings,
        **(extra or {}),
        "resolved_scenario": resolved,
    }


def write_json(path: str | Path, obj) -> None:
    atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    raise TypeError(f"cannot serialise {type(o).__name__}")
