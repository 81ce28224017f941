"""Row-wise argsort of small float tables: ``np.argsort(x, axis=1)``, found faster.

numpy sorts plain numbers much faster than it argsorts them. So each value is mapped to an
integer with the same order (its IEEE-754 bit pattern, negatives reflected; -0.0 is first made
+0.0, which it equals), the lowest bits of that integer are replaced by the value's position in
its row, and the integers are sorted: the low bits of the sorted integers are the order. Values
whose remaining high bits agree would be ordered by position instead of by value; that is
checked on the sorted integers. When every row holds distinct high bits (hence distinct values)
and no NaN (a NaN makes the minimum NaN), the order found is the only one that sorts the rows,
so it is exactly numpy's; otherwise (equal or nearly equal values, NaN) the rows are argsorted
by numpy itself. Either way the result is numpy's, bit for bit.
"""

from __future__ import annotations

import functools
from typing import Literal

import numpy as np

_LOW63 = np.int64(0x7FFFFFFFFFFFFFFF)


@functools.lru_cache(maxsize=64)
def flat_offsets(k: int, n: int) -> np.ndarray:
    """(k, 1) offset of each row's start in a flattened C-ordered (k, n) array (read-only)."""
    a = np.arange(0, k * n, n, dtype=np.int64)[:, None]
    a.flags.writeable = False
    return a


@functools.lru_cache(maxsize=64)
def positions(k: int, n: int, scale: float = 1.0) -> np.ndarray:
    """0, 1, ..., n - 1 (as floats) times ``scale``, repeated for k rows, flattened (read-only)."""
    a = np.tile(np.arange(n, dtype=float) * scale, k)
    a.flags.writeable = False
    return a


@functools.lru_cache(maxsize=64)
def _arange(n: int) -> np.ndarray:
    """0, 1, ..., n - 1 as int64 (read-only)."""
    a = np.arange(n, dtype=np.int64)
    a.flags.writeable = False
    return a


def argsort_rows(x: np.ndarray, kind: Literal["quicksort", "stable"] | None = None) -> tuple[np.ndarray, bool]:
    """(``np.argsort(x, axis=1, kind=kind)`` of a 2-D float64 array, distinct): ``distinct`` is True
    when every row was shown to hold distinct non-NaN values (then every sort gives this order);
    False when values may be equal or NaN (the order then comes from np.argsort itself)."""
    k, n = x.shape
    if k and n > 1 and not np.isnan(x.min()):
        bits = (n - 1).bit_length()
        low = np.int64((1 << bits) - 1)
        key = (x + 0.0).view(np.int64)  # + 0.0: -0.0 becomes +0.0, which it equals
        key ^= (key >> 63) & _LOW63
        key &= ~low
        key |= _arange(n)
        key.sort(axis=1)
        high = key >> bits
        if (high[:, 1:] > high[:, :-1]).all():
            key &= low
            return key, True
    return np.argsort(x, axis=1, kind=kind), False


def flat_order(order: np.ndarray) -> np.ndarray:
    """Indices into the flattened array of the (k, n) row-wise ``order``: x.ravel()[flat] is
    x sorted along each row, flattened."""
    k, n = order.shape
    return (order + flat_offsets(k, n)).ravel()
