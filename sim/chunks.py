"""Chunks: the unit in which replications are computed, stored and merged.

A chunk holds the outputs of consecutive rows ``start..stop-1`` of an experiment design (for a
plain run, rows are replications). It knows nothing of how it was computed, so the results
store (``sim/store.py``) and the experiment engine (``sim/experiment/engine.py``) both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass
class Chunk:
    """Outputs of design rows ``start..stop-1``.

    ``yearly``: float64 [row, year, yearly indicator]; ``monthly``: float64 [row, month, monthly
    indicator] (zero columns when the design asks for no monthly series)."""

    start: int
    stop: int
    yearly: np.ndarray
    monthly: np.ndarray


class Store(Protocol):
    """Where an experiment's chunks are kept: in memory (:class:`MemoryStore`) or in a results
    folder (:class:`sim.store.ChunkStore`)."""

    def has(self, start: int, stop: int) -> bool: ...

    def save(self, chunk: Chunk) -> None: ...

    def load(self, start: int, stop: int) -> Chunk: ...


class MemoryStore:
    """Keeps chunks in memory (runs without a results folder, e.g. from a notebook)."""

    def __init__(self) -> None:
        self.chunks: dict[tuple[int, int], Chunk] = {}

    def has(self, start: int, stop: int) -> bool:
        return (start, stop) in self.chunks

    def save(self, chunk: Chunk) -> None:
        self.chunks[(chunk.start, chunk.stop)] = chunk

    def load(self, start: int, stop: int) -> Chunk:
        return self.chunks[(start, stop)]
