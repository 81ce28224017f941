"""Random streams: one root seed per experiment, one stream per (replication, purpose).

Replication ``r``'s stream named ``name`` is
``default_rng(SeedSequence(root, spawn_key=(r, stream_id(name))))``, where ``stream_id`` is a
CRC-32 of the name. Ids are fixed by the name alone, so adding a stream never shifts the
others, and two scenarios run with the same root seed share common random numbers stream by
stream. Workers receive ``(root, r)``, never Generator objects.

Uncertain parameters get one uniform number each, a hash of (root, replication, key path)
(:func:`parameter_uniforms`); the distribution maps it through its quantile function.
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


_M64 = (1 << 64) - 1


def _splitmix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 output function (Steele, Lea & Flood 2014): a bijective 64-bit mixer."""
    x = (x + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(_M64)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def parameter_uniforms(root: int, rep: int, paths: list[str] | tuple[str, ...]) -> np.ndarray:
    """The uniform numbers in (0, 1) that drive parameters ``paths`` in replication ``rep``.

    Each value depends only on (root, rep, path): a key mixed from the root seed and the
    replication, xor the path's CRC-32 id, through SplitMix64. So adding a parameter never
    changes another's value, and a scenario that only moves levers sees the same values."""
    with np.errstate(over="ignore"):
        key = _splitmix64(np.array([int(root) & _M64], dtype=np.uint64))
        key = _splitmix64(key ^ np.uint64(int(rep) & _M64))
        key = _splitmix64(key ^ np.uint64(stream_id(PARAMS_STREAM)))
        ids = np.array([stream_id(p) for p in paths], dtype=np.uint64)
        bits = _splitmix64(_splitmix64(key ^ ids))
    return ((bits >> np.uint64(11)).astype(np.float64) + 0.5) / 2.0 ** 53


def parameter_uniform(root: int, rep: int, path: str) -> float:
    """One parameter's uniform number (see :func:`parameter_uniforms`)."""
    return float(parameter_uniforms(root, rep, [path])[0])
