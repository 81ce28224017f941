"""Results folder: deterministic names, atomic writes, manifest.

Every file is written to a temporary name in the same folder and renamed into place, so a
crash or a kill never leaves a half-written file and never destroys an earlier good one. A
folder that cannot be written raises :class:`OutputError` (the user picks another); a full or
failing disk raises :class:`DiskError`. One run at a time writes into a folder (a lock file).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import hashlib
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
from filelock import FileLock, Timeout

from sim.chunks import Chunk
from sim.errors import MachineError, UserError
from sim.rounding import for_people
from sim.vocabulary.outcomes import BASE_PREFIX

PACKAGES = ("zonesim", "numpy", "scipy", "simpy", "pandas", "matplotlib", "pydantic", "tomli-w", "tqdm")


class OutputError(UserError):
    """A results or report folder that cannot be written: a file, no permission, a read-only disk."""


class DiskError(MachineError):
    """The disk is full or failed while writing; what was already written is complete."""


_MACHINE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG}


def write_fault(path: str | Path, e: OSError) -> UserError | MachineError:
    """The one-line error for an OSError met while writing ``path``."""
    why = e.strerror or str(e)
    if e.errno in _MACHINE_ERRNOS:
        return DiskError(
            f"{path}: cannot write ({why}); free some space and run again (files already written are complete and kept)"
        )
    if isinstance(e, (FileExistsError, NotADirectoryError)):
        why = f"{why}: a file is in the way of a folder"
    return OutputError(f"{path}: cannot write ({why}); choose another output folder (--out)")


def make_dirs(path: str | Path) -> None:
    """``mkdir -p`` that raises :func:`write_fault`'s error instead of an OSError."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise write_fault(path, e) from None


def temp_dir(beside: str | Path, tag: str) -> Path:
    """A new hidden folder next to ``beside`` (same disk, so it can be renamed into its place)."""
    beside = Path(beside)
    make_dirs(beside.parent)
    try:
        d = Path(tempfile.mkdtemp(dir=beside.parent, prefix=f".{beside.name}.{tag}-"))
        os.chmod(d, 0o777 & ~_umask())  # mkdtemp creates 0700; use the usual mode
    except OSError as e:
        raise write_fault(beside, e) from None
    return d


def default_dir(root: str | Path, scenario: str, seed: int, reps: int) -> Path:
    return Path(root) / f"{scenario}__seed{seed}__n{reps}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with _atomic(path, "wb") as f:
        f.write(data)


class _atomic:
    """``with _atomic(path, mode) as f``: write a temporary file, fsync it, rename it into place;
    on any failure remove it and raise (an OSError as :func:`write_fault`'s error)."""

    def __init__(self, path: str | Path, mode: str):
        self.path, self.mode, self.tmp = Path(path), mode, None

    def __enter__(self):
        make_dirs(self.path.parent)
        try:
            fd, self.tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
            kw = {"encoding": "utf-8", "newline": ""} if "b" not in self.mode else {}
            self.f = os.fdopen(fd, self.mode, **kw)
        except OSError as e:
            self._discard()
            raise write_fault(self.path, e) from None
        return self.f

    def __exit__(self, kind, exc, tb):
        try:
            if kind is None:
                self.f.flush()
                os.fsync(self.f.fileno())
            self.f.close()
            if kind is None:
                os.chmod(self.tmp, 0o666 & ~_umask())  # mkstemp creates 0600; use the usual mode
                os.replace(self.tmp, self.path)
                return False
        except OSError as e:
            self._discard()
            raise write_fault(self.path, e) from None
        except BaseException:
            self._discard()
            raise
        self._discard()
        if isinstance(exc, OSError):
            raise write_fault(self.path, exc) from None
        return False

    def _discard(self):
        if self.tmp and os.path.exists(self.tmp):
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_csv(path: str | Path, df: pd.DataFrame, bom: bool = True, raw: bool = False) -> None:
    """``df`` as CSV, atomically, in UTF-8 with a byte-order mark by default (so that Excel on
    Chinese Windows opens it without garbling the Chinese; pandas and the csv module read it as
    usual). ``bom=False`` for the large machine-read tables (monthly.csv; indicators.csv is
    written by :func:`write_indicators_csv`), which stay plain UTF-8. Floats are written for
    people (:func:`sim.rounding.for_people`) unless ``raw``."""
    buf = io.StringIO()
    (df if raw else for_people(df)).to_csv(buf, index=False, lineterminator="\n")
    atomic_write_bytes(path, (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"))


def _long_rows(years: list[int], names: list[str], values: np.ndarray) -> tuple[np.ndarray, list[int], list[str]]:
    """(values [rep, row of a replication], year and indicator of each row) of :func:`indicators_long`."""
    base = [j for j, n in enumerate(names) if n.startswith(BASE_PREFIX)]
    rest = [j for j, n in enumerate(names) if not n.startswith(BASE_PREFIX)]
    per_rep = np.hstack([values[:, 0, base], values[:, :, rest].reshape(values.shape[0], -1)])
    ys = [years[0] - 1] * len(base) + [y for y in years for _ in rest]
    return per_rep, ys, [names[j][len(BASE_PREFIX) :] for j in base] + [names[j] for _ in years for j in rest]


def indicators_long(reps: np.ndarray, years: list[int], names: list[str], values: np.ndarray) -> pd.DataFrame:
    """values[rep, year, indicator] -> tidy rows rep,year,indicator,value (rep-major order).

    The base-year columns (``base_<indicator>``, equal in every year) become one row per
    replication each, year = the year before the first, named by their indicator, ahead of the
    replication's other rows."""
    per_rep, ys, ids = _long_rows(years, names, values)
    n_r, k = per_rep.shape
    return pd.DataFrame(
        {
            "rep": np.repeat(reps, k),
            "year": np.tile(np.asarray(ys, dtype=np.int64), n_r),
            "indicator": np.tile(np.asarray(ids, dtype=object), n_r),
            "value": per_rep.reshape(-1),
        }
    )


def indicator_lines(reps: np.ndarray, years: list[int], names: list[str], values: np.ndarray) -> str:
    """The rows of :func:`indicators_long` as CSV text, byte for byte what pandas' ``to_csv`` writes
    for them (a float as its shortest round-trip text, ``repr``, which is numpy's and pandas'; NaN
    as an empty field), formatted without building a table: about three times faster."""
    per_rep, ys, ids = _long_rows(years, names, values)
    middles = [f",{y},{i}," for y, i in zip(ys, ids, strict=True)]
    k = len(middles)
    flat = per_rep.ravel()
    text = list(map(repr, flat.tolist()))
    for i in np.flatnonzero(np.isnan(flat)).tolist():
        text[i] = ""
    out = []
    for i, r in enumerate(np.asarray(reps).tolist()):
        rs = str(r)
        out.append("".join([rs + m + v + "\n" for m, v in zip(middles, text[i * k : (i + 1) * k], strict=True)]))
    return "".join(out)


def read_csv(path: str | Path) -> pd.DataFrame:
    return pd.read_csv(path)


def git_commit() -> str:
    try:
        here = Path(__file__).resolve().parent
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], check=False, cwd=here, capture_output=True, text=True, timeout=5
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            check=False,
            cwd=here,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
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


def manifest(
    *,
    scenario_name: str,
    scenario_file: str,
    sha256: str,
    seed: int,
    reps: int,
    resolved: dict,
    warnings: list[str],
    extra: dict | None = None,
) -> dict:
    return {
        "scenario": scenario_name,
        "scenario_file": scenario_file,
        "scenario_sha256": sha256,
        "seed": seed,
        "replications": reps,
        "run_date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d"),
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


class FolderBusy(UserError):
    """Another run is writing into the same results folder."""


class ChunkStore:
    """Finished chunks of a run, one ``.npz`` each with a sha256 sidecar, under ``<folder>/chunks``.

    ``run.json`` records what the chunks belong to (scenario hash, seed, chunk size, indicator
    layout); opening the folder for anything else raises :class:`StoreMismatch`. Each chunk also
    carries its own range and the run's identity, so a chunk copied over another range's name (or
    from another run) is caught. A chunk counts only if its sidecar matches its bytes and its
    contents match its name and the run, so a partial, corrupted or misplaced chunk is detected,
    removed and computed again, never used. The store holds ``chunks/.lock`` while it is open:
    a second run into the same folder is refused with :class:`FolderBusy`."""

    def __init__(self, folder: str | Path, identity: dict):
        self.folder = Path(folder)
        self.dir = self.folder / "chunks"
        self.identity = identity
        self.run_id = _sha256(json.dumps(identity, sort_keys=True).encode())
        make_dirs(self.folder)
        make_dirs(self.dir)
        self._lock = FileLock(self.dir / ".lock")
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise FolderBusy(
                f"{self.folder}: another run is writing into this folder; wait for it to "
                f"finish or use another --out folder"
            ) from None
        except OSError as e:
            raise write_fault(self.dir / ".lock", e) from None
        ident_path = self.folder / "run.json"
        if ident_path.exists():
            try:
                old = json.loads(ident_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = None
            if old is not None and old != identity:
                self.close()
                diff = [k for k in identity if old.get(k) != identity[k]]
                raise StoreMismatch(
                    f"{self.folder}: holds results of a different run (differs in: {', '.join(diff)}); "
                    f"use another --out folder or delete this one"
                )
        write_json(ident_path, identity)
        self.redone: list[str] = []

    def close(self) -> None:
        """Release the folder's lock (also released when the store is dropped or the process ends)."""
        self._lock.release()

    def _path(self, start, stop) -> Path:
        return self.dir / f"reps_{start:08d}_{stop:08d}.npz"

    def _label(self, start: int, stop: int) -> str:
        return json.dumps({"start": start, "stop": stop, "run": self.run_id}, sort_keys=True)

    def has(self, start: int, stop: int) -> bool:
        p = self._path(start, stop)
        side = p.with_suffix(".sha256")
        if not p.exists() and not side.exists():
            return False
        try:
            ok = side.read_text().strip() == _sha256(p.read_bytes())
            if ok:
                with np.load(p) as z:
                    ok = (
                        {"yearly", "monthly", "label"} <= set(z.files)
                        and len(z["yearly"]) == stop - start
                        and str(z["label"]) == self._label(start, stop)
                    )
        except (OSError, ValueError, EOFError):
            ok = False
        if not ok:
            self.redone.append(p.name)
            for q in (p, side):
                q.unlink(missing_ok=True)
        return ok

    def save(self, chunk: Chunk) -> None:
        buf = io.BytesIO()
        np.savez(buf, yearly=chunk.yearly, monthly=chunk.monthly, label=np.array(self._label(chunk.start, chunk.stop)))
        data = buf.getvalue()
        p = self._path(chunk.start, chunk.stop)
        atomic_write_bytes(p, data)
        atomic_write_text(p.with_suffix(".sha256"), _sha256(data) + "\n")

    def keep_only(self, ranges) -> list[str]:
        """Delete every chunk file that is not one of ``ranges`` (a smaller run into the folder of a
        larger one leaves no stale chunk behind); returns the names removed."""
        keep = {self._path(a, b).name for a, b in ranges}
        keep |= {Path(n).with_suffix(".sha256").name for n in keep}
        gone = []
        for p in sorted(self.dir.glob("reps_*")):
            if p.name not in keep and p.suffix in (".npz", ".sha256"):
                p.unlink(missing_ok=True)
                gone.append(p.name)
        return gone

    def load(self, start: int, stop: int) -> Chunk:
        with np.load(self._path(start, stop)) as z:
            if "label" in z.files and str(z["label"]) != self._label(start, stop):
                raise StoreMismatch(f"{self._path(start, stop)}: holds another range or run; run again to recompute it")
            return Chunk(start, stop, z["yearly"], z["monthly"])


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_indicators_csv(path: str | Path, values: np.ndarray, ranges, years, names, store=None) -> None:
    """Replications' rows into indicators.csv, atomically, one chunk's text at a time, from the run's
    ``values[rep, year, indicator]`` (rows in replication order; not read back from the chunks)."""
    with _atomic(path, "w") as f:
        f.write("rep,year,indicator,value\n")
        for a, b in ranges:
            f.write(indicator_lines(np.arange(a, b), years, names, values[a:b]))
    if isinstance(store, ChunkStore):  # the folder now holds this run alone: no stale chunk of a larger one
        store.keep_only(ranges)
