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

from sim.chunks import Chunk
from sim.errors import UserError

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


def read_csv(path: str | Path) -> pd.DataFrame:
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


# ----------------------------------------------------------------------------- chunks (resumable runs)

class StoreMismatch(UserError):
    """The folder holds results of another scenario, seed or layout: never mixed."""


class ChunkStore:
    """Finished chunks of a run, one ``.npz`` each with a sha256 sidecar, under ``<folder>/chunks``.

    ``run.json`` records what the chunks belong to (scenario hash, seed, chunk size, indicator
    layout); opening the folder for anything else raises :class:`StoreMismatch`. A chunk counts
    only if its sidecar exists and matches its bytes, so a partial or corrupted chunk (from a kill
    or a disk fault) is detected, removed and computed again, never used."""

    def __init__(self, folder: str | Path, identity: dict):
        self.folder = Path(folder)
        self.dir = self.folder / "chunks"
        self.identity = identity
        ident_path = self.folder / "run.json"
        if ident_path.exists():
            try:
                old = json.loads(ident_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = None
            if old is not None and old != identity:
                diff = [k for k in identity if old.get(k) != identity[k]]
                raise StoreMismatch(
                    f"{self.folder}: holds results of a different run (differs in: {', '.join(diff)}); "
                    f"use another --out folder or delete this one")
        self.dir.mkdir(parents=True, exist_ok=True)
        write_json(ident_path, identity)
        self.redone: list[str] = []

    def _path(self, start, stop) -> Path:
        return self.dir / f"reps_{start:08d}_{stop:08d}.npz"

    def has(self, start: int, stop: int) -> bool:
        p = self._path(start, stop)
        side = p.with_suffix(".sha256")
        if not p.exists() and not side.exists():
            return False
        try:
            ok = side.read_text().strip() == _sha256(p.read_bytes())
            if ok:
                with np.load(p) as z:
                    ok = {"yearly", "monthly"} <= set(z.files) and len(z["yearly"]) == stop - start
        except (OSError, ValueError, EOFError):
            ok = False
        if not ok:
            self.redone.append(p.name)
            for q in (p, side):
                q.unlink(missing_ok=True)
        return ok

    def save(self, chunk: Chunk) -> None:
        buf = io.BytesIO()
        np.savez(buf, yearly=chunk.yearly, monthly=chunk.monthly)
        data = buf.getvalue()
        p = self._path(chunk.start, chunk.stop)
        atomic_write_bytes(p, data)
        atomic_write_text(p.with_suffix(".sha256"), _sha256(data) + "\n")

    def load(self, start: int, stop: int) -> Chunk:
        with np.load(self._path(start, stop)) as z:
            return Chunk(start, stop, z["yearly"], z["monthly"])


def _sha256(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()


def write_indicators_csv(path: str | Path, store, ranges, years, names) -> None:
    """Stream every chunk's rows into indicators.csv (one chunk in memory at a time), atomically."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write("rep,year,indicator,value\n")
            for a, b in ranges:
                c = store.load(a, b)
                indicators_long(np.arange(a, b), years, names, c.yearly).to_csv(
                    f, index=False, header=False, lineterminator="\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
