"""Exact: the compiled arrivals (sim/model/arrivals_kernel.py) give the numbers of the numpy
expressions they replaced, bit for bit, on edge cases as well as the model's range."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from sim.model import inverse

TOP = 1 - 2.0**-53
"""The largest uniform below 1 (at u = 1 no finite quantile exists)."""


def vectorised_poisson(u: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """The Poisson inverse transform as numpy expressions: the normal approximation, then every
    cell stepped up while P(N <= k) < u and down while P(N <= k - 1) >= u (scipy's pdtr)."""
    u, lam = np.broadcast_arrays(np.asarray(u, dtype=float), np.asarray(lam, dtype=float))
    with np.errstate(invalid="ignore"):
        k = np.maximum(np.floor(lam + np.sqrt(lam) * special.ndtri(u)), 0.0)
    pos = lam > 0
    k = np.where(pos, k, 0.0)
    while (up := pos & (special.pdtr(k, lam) < u)).any():
        k = k + up
    while (down := pos & (k > 0) & (special.pdtr(np.maximum(k - 1, 0), lam) >= u)).any():
        k = k - down
    return k.astype(np.int64)


def cases(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Rates from 0 (and negative) through tiny to 1e6, uniforms near 0 and 1 and exactly at a
    value of the cumulative distribution (where the quantile changes)."""
    rng = np.random.default_rng(seed)
    lam = np.concatenate(
        [
            10 ** rng.uniform(-300, 6, n),
            rng.uniform(0, 60, n),
            rng.choice([0.0, -1.0, 5e-324, 1e-300, 1e-9, 0.5, 1.0, 30.0, 1e3, 1e6], n),
        ]
    )
    u = rng.uniform(0, 1, lam.size)
    edge = rng.random(lam.size) < 0.2
    u[edge] = rng.choice([0.5 / 2**53, 1e-300, 1e-12, 1 - 1e-12, TOP], edge.sum())
    k = np.floor(np.maximum(lam, 0) * rng.uniform(0.5, 1.5, lam.size))
    cdf = special.pdtr(k, np.maximum(lam, 0))
    at = (rng.random(lam.size) < 0.2) & (cdf > 0) & (cdf < 1)
    u[at] = cdf[at]
    return u, lam


@pytest.mark.parametrize("seed", [0, 1])
def test_poisson_is_the_vectorised_quantile_bit_for_bit(seed):
    u, lam = cases(seed, 3000)
    got = inverse.poisson(u, lam)
    assert got.dtype == np.int64 and np.array_equal(got, vectorised_poisson(u, lam))
    # it is the quantile: P(N <= k) >= u and P(N <= k - 1) < u wherever the rate is positive
    pos = lam > 0
    assert (special.pdtr(got[pos], lam[pos]) >= u[pos]).all()
    k1 = got[pos] > 0
    assert (special.pdtr(got[pos][k1] - 1, lam[pos][k1]) < u[pos][k1]).all()
    assert (got[~pos] == 0).all()


def test_poisson_scalar_and_broadcast_forms_agree():
    u, lam = cases(2, 200)
    whole = inverse.poisson(u, lam)
    one = [inverse.poisson(float(a), float(b)) for a, b in zip(u, lam, strict=True)]
    assert all(type(k) is int for k in one) and one == whole.tolist()
    grid = np.array([[0.1, 0.5, TOP]])
    rates = np.array([[0.0], [2.5], [40.0]])
    assert np.array_equal(inverse.poisson(grid, rates), vectorised_poisson(grid, rates))
    assert np.array_equal(inverse.poisson(grid, 7.0), vectorised_poisson(grid, 7.0))
