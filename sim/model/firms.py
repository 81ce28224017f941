"""Firms as a table of columns: the initial firms, the signed firms and the firms a replication books.

Each column is a numpy array with one entry per firm, so the model reads and updates every firm
at once (:mod:`sim.model.arrivals`, :mod:`sim.model.space`, :mod:`sim.model.bookkeeping`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from sim.model.drawn import FloatArray

IntArray = npt.NDArray[np.int64]
UIntArray = npt.NDArray[np.uint64]


@dataclass
class Firms:
    """Firms as columns of equal length (numpy arrays): ``sector`` index, ``open_t`` (-inf for
    initial firms), ``exit_t`` (inf if never), full yearly trade ``size`` (亿元), ``ramp``
    length (months), full-size ``employees``, ``space`` held (0 if none), ``leader`` flag (1.0
    for a leader, else 0.0), FDI ``fdi`` (万美元) paid in tranches from ``fdi_t``, and the three
    indices that address their random numbers: ``origin`` (0 initial, 1 lead, 2 leader), ``group``
    (sector or pipeline name id) and ``number`` within it."""

    sector: IntArray
    open_t: FloatArray
    exit_t: FloatArray
    size: FloatArray
    ramp: FloatArray
    employees: FloatArray
    space: FloatArray
    leader: FloatArray
    fdi: FloatArray
    fdi_t: FloatArray
    origin: UIntArray
    group: UIntArray
    number: UIntArray

    def __len__(self) -> int:
        return len(self.open_t)

    def select(self, mask: npt.NDArray[np.bool_]) -> Firms:
        """The firms where ``mask`` is true (their positions found once, not once per column)."""
        rows = np.flatnonzero(mask)
        return Firms(*[column[rows] for column in _columns(self)])

    @staticmethod
    def concat(parts: list[Firms]) -> Firms:
        """The firms of ``parts``, one after the other."""
        return Firms(*map(np.concatenate, zip(*map(_columns, parts), strict=True)))


FIRM_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Firms))
"""The columns of :class:`Firms`, in declaration order."""

_columns = attrgetter(*FIRM_COLUMNS)
"""A table's columns as a tuple, in ``FIRM_COLUMNS`` order (one call, not a look-up per column)."""
