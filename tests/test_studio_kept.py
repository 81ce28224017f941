"""The base's replications kept on disk across studio sessions (sim/studio/kept.py): a second
session on the same scenario, seed and code computes none of them again and answers with the same
table; a damaged chunk is computed again, never used; changed code uses a folder of its own."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import DATA

from sim.studio import kept
from sim.studio.progressive import WhatIfRunner

SCENARIO = DATA / "tiny.toml"
SEED, MAX, BASE = 5, 200, 400


def _session(folder):
    """One session's base answer: (its table, the base chunks it computed)."""
    r = WhatIfRunner(SCENARIO, seed=SEED, max_reps=MAX, workers=1, base_reps=BASE, keep=folder)
    try:
        r.submit({})
        s = r.wait(300)
    finally:
        r.close()
    assert s is not None and s.done and s.n_base == BASE and s.table is not None
    return s.table, [n for _, _, what, n in r.trace if what == "base chunk"]


def test_a_second_session_computes_no_base_replication_again(tmp_path):
    table, computed = _session(tmp_path)
    assert computed and max(computed) == BASE
    again, computed_again = _session(tmp_path)
    assert computed_again == []
    pd.testing.assert_frame_equal(again, table)
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    chunk = folder / "chunks" / "reps_00000100_00000200.npz"
    chunk.write_bytes(chunk.read_bytes()[:-10])  # damaged: its sha256 no longer matches
    repaired, redone = _session(tmp_path)
    assert redone == [200]
    pd.testing.assert_frame_equal(repaired, table)
    ref, _ = _session(None)  # kept in memory only: the same answer
    pd.testing.assert_frame_equal(ref, table)


def test_changed_code_uses_a_folder_of_its_own_and_old_folders_go(tmp_path, monkeypatch):
    _session(tmp_path)
    first = {p.name for p in tmp_path.iterdir()}
    for i in range(kept.KEEP + 1):
        monkeypatch.setattr(kept, "code_fingerprint", lambda i=i: str(i) * 64)
        _, computed = _session(tmp_path)
        assert max(computed) == BASE  # nothing of another code's replications is used
    names = {p.name for p in tmp_path.iterdir()}
    assert len(names) == kept.KEEP and not first & names
    assert any(n.endswith("__" + str(kept.KEEP) * 12) for n in names)


def test_the_fingerprint_follows_the_versions(monkeypatch):
    before = kept.code_fingerprint()
    assert len(before) == 64 and kept.code_fingerprint() == before
    kept.code_fingerprint.cache_clear()
    monkeypatch.setattr(kept.store, "versions", lambda: {"python": "0"})
    try:
        assert kept.code_fingerprint() != before
    finally:
        kept.code_fingerprint.cache_clear()


@pytest.mark.parametrize("blocked", ["file", "busy"])
def test_a_folder_it_cannot_use_leaves_the_base_in_memory(tmp_path, blocked):
    from sim import api

    ls = api.load_scenario(SCENARIO)
    if blocked == "file":
        (tmp_path / "base").write_text("not a folder")
        assert type(kept.base_store(ls, SEED, 100, tmp_path / "base")).__name__ == "MemoryStore"
    else:
        held = kept.base_store(ls, SEED, 100, tmp_path)
        try:
            assert type(held).__name__ == "ChunkStore"
            assert type(kept.base_store(ls, SEED, 100, tmp_path)).__name__ == "MemoryStore"
        finally:
            held.close()
