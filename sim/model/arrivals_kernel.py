"""Compiled loops of the arrivals: the Poisson inverse transform, and SciPy's quantiles for compiled code.

The Poisson quantile was a sequence of small numpy calls per replication (every month and
sector's count); as a numba loop it makes the same numbers without the per-call overhead. It and
the normal quantiles of :mod:`sim.model.signing_kernel` use SciPy's own compiled ``pdtr`` and
``ndtri`` (the functions ``scipy.special.cython_special`` exports, the same C code the
``scipy.special`` ufuncs run), and every other operation is the numpy expression's, in its
order, so every number keeps its bits. Nothing here calls ``exp`` or ``log``: numpy's vectorised
versions may differ from the C library's in the last bit, so the callers take those from numpy
(:mod:`sim.model.arrivals`, :mod:`sim.model.inverse`).
"""

from __future__ import annotations

import math
from typing import Any

import llvmlite.binding as llvm
import numba
import numpy as np
from numba import types
from numba.extending import get_cython_function_address

llvm.add_symbol("zonesim_scipy_pdtr", get_cython_function_address("scipy.special.cython_special", "pdtr"))
llvm.add_symbol("zonesim_scipy_ndtri", get_cython_function_address("scipy.special.cython_special", "ndtri"))
_pdtr: Any = types.ExternalFunction("zonesim_scipy_pdtr", types.float64(types.float64, types.float64))
"""P(N <= k) of a Poisson N with mean m: ``scipy.special.pdtr(k, m)`` (the symbol is resolved by
name in every process, so the compiled code can be cached)."""
_ndtri: Any = types.ExternalFunction("zonesim_scipy_ndtri", types.float64(types.float64))
"""The standard normal quantile: ``scipy.special.ndtri(u)``."""


@numba.njit(cache=True, nogil=True)
def poisson_many(u, lam):
    """The smallest k with P(N <= k) >= u for a Poisson N with mean ``lam`` (0 if lam <= 0), for
    each pair of two flat arrays of equal length, as int64: the normal approximation
    floor(lam + sqrt(lam) x ndtri(u)) (0 if negative), then steps up while P(N <= k) < u and down
    while P(N <= k - 1) >= u, the same operations in the same order as the vectorised algorithm
    of :func:`sim.model.inverse.poisson`.

    P(N <= k) is ``pdtr(k, lam)``, a pure function of its arguments, so it is computed once per
    (k, lam) of a call and kept in a table (open addressing, 8 slots a pair up to 65536 slots,
    filled to half at most): the months of a sector often share a mean and their quantiles lie
    close."""
    n = u.shape[0]
    size = 16
    while size < 8 * n and size < 65536:
        size *= 2
    mask = size - 1
    key_k, key_lam, value = np.empty(size), np.empty(size), np.empty(size)
    taken = np.zeros(size, np.bool_)
    entries = 0
    out = np.empty(n, np.int64)
    for c in range(n):
        m, uc = lam[c], u[c]
        if not m > 0.0:
            out[c] = 0
            continue
        k = np.floor(m + np.sqrt(m) * _ndtri(uc))
        if k < 0.0:
            k = 0.0
        up = True  # first up while P(N <= k) < u, then down while P(N <= k - 1) >= u
        while up or k > 0.0:
            x = k if up else k - 1.0
            frac, exp = math.frexp(m)  # the mean's mantissa and exponent: distinct means, distinct bits
            h = np.uint64(frac * 9007199254740992.0) ^ (np.uint64(exp + 1100) << np.uint64(53))
            h = (h ^ np.uint64(min(x, 1e18))) * np.uint64(0x9E3779B97F4A7C15)
            i = np.int64((h ^ (h >> np.uint64(29))) & np.uint64(mask))
            while taken[i] and not (key_k[i] == x and key_lam[i] == m):
                i = (i + 1) & mask
            if taken[i]:
                v = value[i]
            else:
                v = _pdtr(x, m)
                if 2 * entries < mask:
                    taken[i] = True
                    key_k[i], key_lam[i], value[i] = x, m, v
                    entries += 1
            if up:
                if v < uc:
                    k += 1.0
                else:
                    up = False
            elif v >= uc:
                k -= 1.0
            else:
                break
        out[c] = np.int64(k)
    return out


@numba.njit(cache=True, nogil=True)
def poisson_one(u, lam):
    """:func:`poisson_many` of one uniform and mean."""
    return poisson_many(np.full(1, u), np.full(1, lam))[0]
