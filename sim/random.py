"""Random streams: one root seed per experiment, one stream per (replication, purpose).

Replication ``r``'s stream named ``name`` is
``default_rng(SeedSequence(root, spawn_key=(r, stream_id(name))))``, where ``stream_id`` is a
CRC-32 of the name. Ids are fixed by the name alone, so adding a stream never shifts the
others, and two scenarios run with the same root seed share common random numbers stream by
stream. Workers receive ``(root, r)``, never Generator objects.

Uncertain parameters get one uniform number each, from their own seed sequence keyed by the
parameter's key path; the distribution maps it through its quantile function.
"""
from __future__ import annotations

import zlib

import numpy as np

PARAMS_STREAM = "params"


def stream_id(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """Lazily created, cached generators for one replication."""

    def __init__(self, root: int, rep: int):
        self.root, self.rep = int(root), int(rep)
        self._cache: dict[str, np.random.Generator] = {}

    def __call__(self, name: str) -> np.random.Generator:
        g = self._cache.get(name)
        if g is None:
            ss = np.random.SeedSequence(self.root, spawn_key=(self.rep, stream_id(name)))
            g = self._cache[name] = np.random.default_rng(ss)
        return g


def parameter_uniform(root: int, rep: int, path: str) -> float:
    """The uniform number in (0, 1) that drives parameter ``path`` in replication ``rep``."""
    ss = np.random.SeedSequence(int(root), spawn_key=(int(rep), stream_id(PARAMS_STREAM), stream_id(path)))
    hi, lo = ss.generate_state(2, np.uint32)
    k = ((int(hi) << 32) | int(lo)) >> 11           # 53 random bits
    return (k + 0.5) / 2.0 ** 53
