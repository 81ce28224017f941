"""The base's replications kept on disk from one studio session to the next.

Opening the studio on a base computes its replications up to ``base_reps`` (40,000 by default:
minutes of both cores) before a what-if's P(hit) is anchored on all of them; kept on disk, the
next session on the same base starts where the last one stopped. They are kept in
``<results>/base/<scenario>__seed<seed>__<scenario sha256>__<code>/``, a resumable chunk store
(:class:`sim.store.ChunkStore`: each chunk checked against its sha256 before it is used), and
only for the same scenario file, seed and code: ``<code>`` is the sha256 of the source and data
files a replication depends on and of the versions of the packages the model computes with
(:func:`code_fingerprint`), so a changed model
never anchors a what-if on replications it would no longer give (the what-if and the base must
share every random number and every line of the model for their paired difference to mean
anything). The :data:`KEEP` most recently used folders are kept; older ones are deleted.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from pathlib import Path

from sim import store
from sim.chunks import MemoryStore
from sim.experiment import runner

KEEP = 4
"""Base folders kept under ``<results>/base`` (about 40 MB each at 40,000 replications)."""

PACKAGES = ("numba",)
"""Packages whose version may change the numbers a replication gives, besides those a results
folder's manifest records (``sim.store.versions``)."""


ABOVE = ("report", "results", "portfolio", "cli", "studio")
"""Subpackages of ``sim`` above the experiment engine (tests/test_structure.py keeps the layers):
no replication's numbers depend on them, so changing them keeps the base's replications."""


@functools.cache
def code_fingerprint() -> str:
    """sha256 of the source files (path and bytes) a replication's numbers depend on: every file
    of the ``sim`` package but those of :data:`ABOVE`, the data files the model reads by path
    (``scenarios/*.csv``, the evaluation methods, the catalogue of defaults), and the versions of
    Python and of the packages the model computes with."""
    root = Path(__file__).resolve().parents[1]
    scenarios = root.parent / "scenarios"
    files = [
        p
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.relative_to(root).parts[0] not in ABOVE
    ]
    files += [
        *scenarios.glob("*.csv"),
        scenarios / "evaluation_methods.toml",
        scenarios / "catalogue" / "defaults.toml",
    ]
    h = hashlib.sha256()
    for p in sorted(f for f in files if f.is_file()):
        h.update(p.relative_to(root.parent).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    h.update(repr(sorted({**store.versions(), **{k: _version(k) for k in PACKAGES}}.items())).encode())
    return h.hexdigest()


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def base_store(ls, seed: int, chunk_size: int, folder: Path | None):
    """The store of the base's chunks: on disk under ``folder`` (see the module), or in memory
    when ``folder`` is None or cannot be used (another studio holds it, or it cannot be
    written: the studio then works as before, without keeping them)."""
    if folder is None:
        return MemoryStore()
    code = code_fingerprint()
    here = Path(folder) / f"{ls.name}__seed{seed}__{ls.sha256[:12]}__{code[:12]}"
    lay = runner.layout(ls.scenario)
    identity = {
        "scenario_sha256": ls.sha256,
        "seed": seed,
        "chunk_size": chunk_size,
        "indicators": lay.names,
        "monthly": [],
        "code": code,
    }
    try:
        kept = store.ChunkStore(here, identity)
        os.utime(here)
    except (store.FolderBusy, store.StoreMismatch, store.OutputError, store.DiskError, OSError):
        return MemoryStore()
    _prune(Path(folder), here)
    return kept


def _prune(folder: Path, here: Path) -> None:
    """Delete all but the :data:`KEEP` most recently used base folders (never ``here``)."""
    try:
        others = [p for p in folder.iterdir() if p.is_dir() and p != here and (p / "run.json").exists()]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for p in others[KEEP - 1 :]:
        shutil.rmtree(p, ignore_errors=True)
