"""Random numbers: one root seed per experiment; every number a pure function of where it is used.

Three mechanisms, all keyed by (root seed, replication, a name whose CRC-32 is its id), so adding
a name never shifts another's numbers and two scenarios run with the same root seed share common
random numbers. Workers receive ``(root, r)``, never generator objects.

* :func:`parameter_uniforms`: one uniform per uncertain parameter, a hash of (root, replication,
  key path); the distribution maps it through its quantile function.
* the model's addressed numbers (:class:`sim.model.draws.Draws`): a stream name plus integer
  indices (a sector, a lead's number within its sector, a month...) give an entity its own seed
  (:func:`entity_seed`); its numbers are the SplitMix64 sequence from that seed. A lead keeps its numbers when another sector's or another
  month's lead count changes, so scenarios compared with the same seed stay aligned entity by
  entity (docs/model.md, "Stochasticity", has the stream map).
* :class:`Streams`: numpy Generators, one per (replication, name), for consumers that draw
  sequentially (the national evaluation's peers).
"""

from __future__ import annotations

import functools
import zlib

import numpy as np

PARAMS_STREAM = "params"


@functools.lru_cache(maxsize=4096)
def stream_id(name: str) -> int:
    """The id of a stream or parameter path: its CRC-32 (kept once computed: a replication asks
    for the same few hundred names every time)."""
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


_GAMMA = np.uint64(0x9E3779B97F4A7C15)


def _mix(z: np.ndarray) -> np.ndarray:
    """The SplitMix64 output mixer (Steele, Lea & Flood 2014): a bijective 64-bit function."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _splitmix64(x: np.ndarray) -> np.ndarray:
    """One SplitMix64 step from state x: the mixer of x + gamma."""
    return _mix(x + _GAMMA)


def mix_int(x: int) -> int:
    """:func:`_mix` of one Python integer (cheaper than a numpy call for a scalar)."""
    x &= _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def splitmix_int(x: int) -> int:
    """:func:`_splitmix64` of one Python integer."""
    return mix_int(x + 0x9E3779B97F4A7C15)


def replication_key(root: int, rep: int) -> int:
    """The 64-bit key of replication ``rep`` under root seed ``root``."""
    return splitmix_int(splitmix_int(int(root) & _M64) ^ (int(rep) & _M64))


def entity_seed(key: int, name: str) -> int:
    """The seed of stream ``name`` in the replication with this key (entities then mix in their
    indices: :class:`sim.model.draws.Draws`)."""
    return splitmix_int(key ^ stream_id(name))


def _unit(bits: np.ndarray) -> np.ndarray:
    """Uniform numbers in the open interval (0, 1) from 64-bit words: the top 53 bits, centred."""
    return ((bits >> np.uint64(11)).astype(np.float64) + 0.5) / 2.0**53


def parameter_uniforms(root: int, rep, paths: list[str] | tuple[str, ...]) -> np.ndarray:
    """The uniform numbers in (0, 1) that drive parameters ``paths`` in replication ``rep``
    (an integer: shape [path]; an array of replications: shape [rep, path]).

    Each value depends only on (root, rep, path): a key mixed from the root seed and the
    replication, xor the path's CRC-32 id, through SplitMix64. So adding a parameter never
    changes another's value, and a scenario that only moves levers sees the same values."""
    reps = np.asarray(rep, dtype=np.int64)
    key = _splitmix64(np.array([int(root) & _M64], dtype=np.uint64))  # arrays wrap silently
    key = _splitmix64(key ^ reps.reshape(-1).astype(np.uint64))
    key = _splitmix64(key ^ np.array([stream_id(PARAMS_STREAM)], dtype=np.uint64))
    ids = np.array([stream_id(p) for p in paths], dtype=np.uint64)
    u = _unit(_splitmix64(_splitmix64(key[:, None] ^ ids[None, :])))
    return u[0] if reps.ndim == 0 else u


def parameter_uniform(root: int, rep: int, path: str) -> float:
    """One parameter's uniform number (see :func:`parameter_uniforms`)."""
    return float(parameter_uniforms(root, rep, [path])[0])
