"""Fault tests: a swapped chunk, two runs into one folder, a full disk, an unusable ``--out``,
an unreachable Dask scheduler and an interrupted meeting pack.

Each fault must give one line and an exit code (2 for what the user can fix, 1 otherwise), no
traceback, and leave nothing a later run would trust: the next run completes and its results
equal those of an undisturbed run.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import DATA, expect_error

from sim import store
from sim.chunks import Chunk
from sim.cli import main

pytestmark = pytest.mark.fuzz

TINY = str(DATA / "tiny.toml")
ROOT = Path(__file__).resolve().parents[1]
IDENT = {"scenario_sha256": "a" * 64, "seed": 1, "chunk_size": 200, "indicators": ["x"], "monthly": ["m"]}


def _one_line(capsys, code_wanted: int, argv, *fragments) -> str:
    return expect_error(capsys, argv, *fragments, code=code_wanted)


def _chunk(start, stop, fill) -> Chunk:
    n = stop - start
    return Chunk(start, stop, np.full((n, 2, 1), fill, float), np.full((n, 24, 1), fill, float))


def _run(out, *extra, reps=20):
    return ["run", TINY, "--reps", str(reps), "--workers", "1", "-q", "--no-report", "--out", str(out), *extra]


# ----------------------------------------------------------------------------- chunks


def test_chunk_copied_over_another_range_is_recomputed(tmp_path):
    s = store.ChunkStore(tmp_path, IDENT)
    s.save(_chunk(0, 200, 1.0))
    s.save(_chunk(200, 400, 2.0))
    s.close()
    d = tmp_path / "chunks"
    for suffix in (".npz", ".sha256"):  # a valid chunk and its sidecar under another range's name
        shutil.copy(d / f"reps_00000000_00000200{suffix}", d / f"reps_00000200_00000400{suffix}")
    s = store.ChunkStore(tmp_path, IDENT)
    assert s.has(0, 200)
    assert not s.has(200, 400)
    assert s.redone == ["reps_00000200_00000400.npz"]
    assert not (d / "reps_00000200_00000400.npz").exists()


def test_chunk_of_another_run_is_recomputed(tmp_path):
    other = store.ChunkStore(tmp_path / "other", {**IDENT, "seed": 2})
    other.save(_chunk(0, 200, 1.0))
    other.close()
    s = store.ChunkStore(tmp_path / "mine", IDENT)
    for suffix in (".npz", ".sha256"):
        shutil.copy(tmp_path / "other" / "chunks" / f"reps_00000000_00000200{suffix}", s.dir)
    assert not s.has(0, 200)


@pytest.mark.slow
def test_swapped_chunk_end_to_end(tmp_path, capsys):
    ref, out = tmp_path / "ref", tmp_path / "out"
    assert main(_run(ref, reps=400)) == 0
    assert main(_run(out, reps=400)) == 0
    d = out / "chunks"
    for suffix in (".npz", ".sha256"):
        shutil.copy(d / f"reps_00000000_00000200{suffix}", d / f"reps_00000200_00000400{suffix}")
    capsys.readouterr()
    assert main(_run(out, reps=400)) == 0
    assert "1 partial or corrupted chunk(s) were recomputed" in capsys.readouterr().err
    assert (out / "summary.csv").read_bytes() == (ref / "summary.csv").read_bytes()
    assert (out / "indicators.csv").read_bytes() == (ref / "indicators.csv").read_bytes()


# ----------------------------------------------------------------------------- one run per folder


def test_second_run_into_a_busy_folder_is_refused(tmp_path, capsys):
    holder = store.ChunkStore(tmp_path, IDENT)
    try:
        _one_line(capsys, 2, _run(tmp_path), "another run is writing into this folder")
    finally:
        holder.close()
    assert json.loads((tmp_path / "run.json").read_text(encoding="utf-8")) == IDENT  # the holder's, untouched
    assert not (tmp_path / "summary.csv").exists()


def test_second_process_is_refused(tmp_path, capsys):
    code = (
        "import sys, time; from sim.store import ChunkStore; "
        f"s = ChunkStore(sys.argv[1], {IDENT!r}); print('held', flush=True); time.sleep(60)"
    )
    p = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "held"
        _one_line(capsys, 2, _run(tmp_path), "another run is writing into this folder")
    finally:
        p.kill()
        p.wait()
    assert not (tmp_path / "summary.csv").exists()


# ----------------------------------------------------------------------------- full disk, unusable --out


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 64 KiB tmpfs (needs root and mount rights), else skip."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip("cannot mount a tmpfs here; test_full_disk_simulated covers the fault")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _no_leftovers(folder: Path) -> None:
    """No temporary file, and every chunk on disk is one the store accepts."""
    assert not list(folder.rglob("*.tmp")), list(folder.rglob("*.tmp"))
    for side in folder.rglob("*.sha256"):
        npz = side.with_suffix(".npz")
        assert npz.exists() and side.read_text().strip() == store._sha256(npz.read_bytes())


@pytest.mark.slow
def test_full_disk_tmpfs(small_tmpfs, tmp_path, capsys):
    ref, out = tmp_path / "ref", small_tmpfs / "out"
    assert main(_run(ref)) == 0
    capsys.readouterr()
    _one_line(capsys, 1, _run(out), "No space left on device")
    _no_leftovers(out)
    subprocess.run(["mount", "-o", "remount,size=16m", str(small_tmpfs)], check=True)
    assert main(_run(out)) == 0
    assert (out / "summary.csv").read_bytes() == (ref / "summary.csv").read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("fail_at", [1, 4])
def test_full_disk_simulated(tmp_path, capsys, monkeypatch, fail_at):
    ref, out = tmp_path / "ref", tmp_path / "out"
    assert main(_run(ref)) == 0
    capsys.readouterr()
    calls = {"n": 0}
    real = os.fsync

    def fsync(fd):
        calls["n"] += 1
        if calls["n"] >= fail_at:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(store.os, "fsync", fsync)
    _one_line(capsys, 1, _run(out), "No space left on device")
    monkeypatch.setattr(store.os, "fsync", real)
    _no_leftovers(out)
    assert main(_run(out)) == 0
    assert (out / "summary.csv").read_bytes() == (ref / "summary.csv").read_bytes()


def test_out_is_a_file(tmp_path, capsys):
    f = tmp_path / "afile"
    f.write_text("keep me")
    _one_line(capsys, 2, _run(f), "afile", "--out")
    _one_line(capsys, 2, _run(f / "sub"), "afile", "--out")
    assert f.read_text() == "keep me"


def test_out_under_proc(capsys):
    _one_line(capsys, 2, _run("/proc/zonesim_nowhere"), "/proc/zonesim_nowhere", "--out")


def test_out_on_read_only_disk(small_tmpfs, capsys):
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    _one_line(capsys, 2, _run(small_tmpfs / "out"), "Read-only file system", "--out")


def test_out_on_read_only_disk_simulated(tmp_path, capsys, monkeypatch):
    """The read-only disk where nothing can be mounted: every folder made under ``ro`` fails with
    EROFS, as on a read-only mount (test_out_on_read_only_disk does it for real)."""
    ro = tmp_path / "ro"
    ro.mkdir()
    real = os.mkdir

    def mkdir(path, *a, **k):
        if Path(path).resolve().is_relative_to(ro):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real(path, *a, **k)

    monkeypatch.setattr(os, "mkdir", mkdir)
    _one_line(capsys, 2, _run(ro / "out"), "Read-only file system", "--out")
    assert not any(ro.iterdir())


@pytest.mark.slow
def test_unreachable_scheduler_fails_fast(tmp_path, capsys):
    pytest.importorskip("distributed")
    t0 = time.monotonic()
    _one_line(
        capsys,
        1,
        _run(tmp_path / "out", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"),
        "tcp://127.0.0.1:1",
        "no Dask scheduler answered",
    )
    assert time.monotonic() - t0 < 20
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------- the meeting pack


def _pack_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_interrupted_or_full_pack_keeps_the_old_one(tmp_path, capsys, monkeypatch):
    import sim.report.pack as pack
    from sim.report.pack import build_pack

    out = tmp_path / "run"
    assert main(_run(out)) == 0
    build_pack([out], langs=("en",), workers=1)
    before = _pack_bytes(out / "report")
    assert any(k.endswith(".pdf") for k in before)

    def interrupted(doc, **_):
        raise KeyboardInterrupt

    monkeypatch.setattr(pack, "render_pdf", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_pack([out], langs=("en",), workers=1)
    assert _pack_bytes(out / "report") == before
    assert not [p.name for p in out.iterdir() if p.name.startswith(".report.")]

    def full(doc, **_):
        raise store.write_fault(out / "report" / "report_en.pdf", OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(pack, "render_pdf", full)
    capsys.readouterr()
    _one_line(capsys, 1, ["report", str(out), "--lang", "en"], "No space left on device")
    assert _pack_bytes(out / "report") == before
    assert not [p.name for p in out.iterdir() if p.name.startswith(".report.")]


def test_smaller_run_into_a_larger_runs_folder_leaves_no_stale_chunk(tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["run", TINY, "--reps", "12", "--workers", "1", "--out", str(out), "--no-report", "-q"]) == 0
    assert main(["run", TINY, "--reps", "5", "--workers", "1", "--out", str(out), "--no-report", "-q"]) == 0
    assert sorted(p.name for p in (out / "chunks").glob("reps_*")) == [
        "reps_00000000_00000005.npz",
        "reps_00000000_00000005.sha256",
    ]
    reps = {line.split(",")[0] for line in (out / "indicators.csv").read_text().splitlines()[1:]}
    assert reps == {str(r) for r in range(5)}


def test_non_finite_indicator_stops_the_run_naming_replication_quantity_and_drivers():
    from sim.errors import UserError
    from sim.experiment.finite import NonFiniteResult, check_finite

    yearly = np.array([[1.0, np.inf]])
    params = {"uncertainties.macro.volatility_per_month": 0.3, "uncertainties.sectors.a.sign_prob": 0.5}
    with pytest.raises(NonFiniteResult) as e:
        check_finite(["employees", "trade_total"], [2022], yearly, np.zeros((12, 0)), 7, 42, params)
    msg = str(e.value)
    assert isinstance(e.value, UserError) and e.value.exit_code == 2
    assert "replication 7 (seed 42)" in msg and "trade_total in 2022 is inf" in msg
    assert "uncertainties.macro.volatility_per_month" in msg and "sign_prob" not in msg
    check_finite(["x"], [2022], np.ones((1, 1)), np.ones((12, 1)), 0, 1, {})  # finite: passes
