"""numpy's summation of float arrays, compiled: the same additions in the same order, so the same bits.

A compiled loop that adds plainly differs from numpy's ``sum`` in the last bits: numpy adds a
contiguous run of more than 7 numbers in eight running sums combined pairwise, and halves runs
longer than 128 first. :func:`np_sum` is ``a.sum()`` of a flat array; :func:`block` a run of at
most 128 (a year's twelve months, for instance), as numpy adds it (tests/test_arrivals_kernel.py
checks both against numpy for lengths 0 to 9001).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def np_sum(a):
    """``a.sum()`` of a flat float array as numpy adds it: 0.0 plus the pairwise sum, whose
    halving (at a multiple of 8) runs here on a stack of its own, not by recursion (a recursive
    compiled function cannot be cached)."""
    n = a.shape[0]
    if n <= 128:
        return 0.0 + block(a, 0, n)
    lo, size, left = np.empty(64, np.int64), np.empty(64, np.int64), np.empty(64)
    has_left = np.zeros(64, np.bool_)
    lo[0], size[0], d = 0, n, 0
    while True:
        while size[d] > 128:  # down the first halves
            half = size[d] // 2
            half -= half % 8
            lo[d + 1], size[d + 1], has_left[d + 1] = lo[d], half, False
            d += 1
        v = block(a, lo[d], size[d])
        while True:  # up: a first half waits for its second, a second completes its parent
            if d == 0:
                return 0.0 + v
            d -= 1
            if has_left[d]:
                v = left[d] + v
                continue
            has_left[d], left[d] = True, v
            half = size[d] // 2
            half -= half % 8
            lo[d + 1], size[d + 1], has_left[d + 1] = lo[d] + half, size[d] - half, False
            d += 1
            break


@numba.njit(cache=True, nogil=True)
def block(a, lo, n):
    """numpy's pairwise summation of ``a[lo:lo + n]``, n <= 128: plainly below 8 terms, else 8
    running sums, then the rest."""
    if n < 8:
        res = -0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - n % 8:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res
