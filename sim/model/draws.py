"""The model's random numbers: every number addressed by (replication, stream, entity, k).

``Draws(root, rep)`` serves one replication. A stream name and integer indices name an entity
(lead j of a sector, month m of the lead counts, candidate k of a pipeline...); the entity's seed
mixes the replication key, the name's CRC-32 and each index in turn through SplitMix64, and its
k-th number is the SplitMix64 output at seed + (k + 1) x gamma (:func:`sim.random.entity_seed`).
So a number depends only on its address: another sector's extra lead, a longer horizon or one
more parameter shifts nothing else, and two scenarios run with the same seed see the same
numbers entity by entity (docs/model.md, "Stochasticity", has the stream map). The mixing runs
as one compiled loop per call (numba); it is the same integer arithmetic as ``sim.random``'s. A
compiled loop that uses its entities' numbers as it goes (the signings, the initial firms) takes
its streams' seeds (:meth:`Draws.seeds`) and draws with :func:`entity` and :func:`number`, so it
draws only the numbers it needs and in the loop that needs them.
Bulk numbers that need no address (the monthly trade noise of every firm) come from a PCG64
generator seeded with the stream's seed (:meth:`Draws.generator`): several times cheaper per
number.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from scipy import special

from sim.random import entity_seed, replication_key, stream_id

_GAMMA = np.uint64(0x9E3779B97F4A7C15)


@numba.njit(cache=True, nogil=True)
def _mix(z):
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@numba.njit(cache=True, nogil=True, inline="always")
def entity(h, index):
    """An entity's seed with one more index mixed in: xor, then a SplitMix64 step. An entity
    addressed by (i, j) in a stream of seed s has seed ``entity(entity(s, i), j)``."""
    return _mix((h ^ index) + _GAMMA)


@numba.njit(cache=True, nogil=True, inline="always")
def number(h, k):
    """Number k of the entity of seed ``h``: the mixer of h + (k + 1) gamma, top 53 bits, centred."""
    return _unit(_mix(h + np.uint64(k + 1) * _GAMMA))


@numba.njit(cache=True, nogil=True)
def _addressed(seed, index, n):
    """[entity, k] uniforms in (0, 1): entity i's seed is ``seed`` with each of ``index[i]``
    mixed in (:func:`entity`); its number k is :func:`number`."""
    out = np.empty((index.shape[0], n))
    for i in range(index.shape[0]):
        h = seed
        for j in range(index.shape[1]):
            h = entity(h, index[i, j])
        for k in range(n):
            out[i, k] = number(h, k)
    return out


@numba.njit(cache=True, nogil=True)
def _stream_seeds(key, ids):
    """The seeds of the streams of name ids ``ids`` in the replication of key ``key``:
    :func:`sim.random.entity_seed` of each, the id mixed into the key as an index is."""
    out = np.empty(ids.shape[0], np.uint64)
    for i in range(ids.shape[0]):
        out[i] = entity(key, ids[i])
    return out


@numba.njit(cache=True, nogil=True)
def _addressed_one(seed, index, n):
    """:func:`_addressed` of entities named by one index each (a flat array)."""
    out = np.empty((index.shape[0], n))
    for i in range(index.shape[0]):
        h = entity(seed, index[i])
        for k in range(n):
            out[i, k] = number(h, k)
    return out


@numba.njit(cache=True, nogil=True)
def _unit(bits):
    """A uniform in (0, 1) from 64 random bits: the top 53, centred. When all 53 are ones the
    centred value rounds to exactly 1.0 (once in 2^53 numbers), where an inverse transform never
    ends; that one value is taken as the largest double below 1."""
    u = (float(bits >> np.uint64(11)) + 0.5) / 9007199254740992.0
    return u if u < 1.0 else 0.9999999999999999


_NO_INDEX = np.zeros((1, 0), dtype=np.uint64)

_stream_id_arrays: dict[tuple[str, ...], np.ndarray] = {}
"""The CRC-32s of tuples of stream names, as arrays, computed once per process."""


class Draws:
    """Addressed random numbers of one replication (see the module docstring).

    ``uniforms(name, n, *index)`` returns an array of shape ``broadcast(index).shape + (n,)``:
    entry ``[..., k]`` is number k of the entity at that index in stream ``name``. ``seed(name)``
    is the stream's seed, for the compiled loops that draw the numbers of their entities
    themselves (:func:`entity`, :func:`number`; :mod:`sim.model.signing_kernel`)."""

    def __init__(self, root: int, rep: int):
        self.root, self.rep = int(root), int(rep)
        self.key = replication_key(root, rep)
        self._seeds: dict[str, np.uint64] = {}

    def seed(self, name: str) -> np.uint64:
        """The seed of stream ``name`` in this replication."""
        seed = self._seeds.get(name)
        if seed is None:
            seed = self._seeds[name] = np.uint64(entity_seed(self.key, name))
        return seed

    def seeds(self, names: tuple[str, ...]) -> np.ndarray:
        """The seeds of streams ``names`` (:meth:`seed` of each) in one compiled call. These are
        the replication's own streams: a subclass that routes a stream's numbers elsewhere
        overrides :meth:`uniforms` (the shared shocks of :mod:`sim.portfolio.replication`), and
        only streams it leaves alone are read through their seeds."""
        ids = _stream_id_arrays.get(names)
        if ids is None:
            ids = _stream_id_arrays[names] = np.array([stream_id(k) for k in names], dtype=np.uint64)
        return _stream_seeds(np.uint64(self.key), ids)

    def uniforms(self, name: str, n: int, *index) -> np.ndarray:
        """n uniforms in (0, 1) per entity."""
        seed = self.seed(name)
        n = int(n)
        if not index:
            return _addressed(seed, _NO_INDEX, n).reshape(n)
        if len(index) == 1:  # one index per entity: no table of index tuples to build
            a = np.asarray(index[0], dtype=np.uint64)
            return _addressed_one(seed, a.ravel(), n).reshape((*a.shape, n))
        arrays = [np.asarray(ix, dtype=np.uint64) for ix in index]
        # the entities' index tuples as rows, the indices broadcast against each other
        shape = np.broadcast(*arrays).shape
        flat = np.empty((math.prod(shape), len(arrays)), dtype=np.uint64)
        rows = flat.reshape((*shape, len(arrays)))
        for j, a in enumerate(arrays):
            rows[..., j] = a
        return _addressed(seed, flat, n).reshape((*shape, n))

    def normals(self, name: str, n: int, *index) -> np.ndarray:
        """Standard normals by inverse transform of :meth:`uniforms`."""
        return special.ndtri(self.uniforms(name, n, *index))

    def generator(self, name: str) -> np.random.Generator:
        """A numpy Generator (PCG64) seeded with the stream's seed, for bulk draws."""
        return np.random.Generator(np.random.PCG64(entity_seed(self.key, name)))
