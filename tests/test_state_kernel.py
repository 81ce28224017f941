"""The compiled loops of the state at t = 0 (sim/model/state_kernel.py) against the numpy
expressions they replace, bit for bit, on random inputs and on the edges (items done before the
start or never, a spell past the horizon, nan parameters, a sector with no ramp-up)."""

from __future__ import annotations

import numpy as np
import pytest

import sim.model.state_kernel as state_kernel

RNG = np.random.default_rng(20261206)


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal to the last bit (nan where nan)."""
    return (
        a.shape == b.shape
        and np.array_equal(np.isnan(a), np.isnan(b))
        and a[~np.isnan(a)].tobytes() == b[~np.isnan(b)].tobytes()
    )


def test_initial_index_is_repeat_and_arange():
    n = np.array([3, 0, 5, 1], dtype=np.int64)
    key = np.array([11, 22, 33, 44], dtype=np.uint64)
    sec, number, k = state_kernel.initial_index(n, key)
    want = np.repeat(np.arange(len(n)), n)
    assert np.array_equal(sec, want) and sec.dtype == want.dtype
    assert np.array_equal(number, (np.arange(len(want)) - np.repeat(np.cumsum(n) - n, n)).astype(np.uint64))
    assert number.dtype == np.uint64 and np.array_equal(k, key[want])
    with pytest.raises(ValueError):
        state_kernel.initial_index(np.array([2, -1], dtype=np.int64), key[:2])


@pytest.mark.parametrize("pipeline", [True, False])
def test_opened_is_the_numpy_share_and_bincount(pipeline):
    S, N = 5, 400
    n = np.array([0, 150, 100, 100, 50], dtype=np.int64)
    sec = np.repeat(np.arange(S), n)
    lead_rate, sign_prob = RNG.uniform(0, 20, S), RNG.uniform(0, 1, S)
    sign_prob[4] = np.nan  # a nan probability: no firm of the sector is an opener
    open_now = np.array([True, True, False, True, True])
    rampup = np.array([3.0, 0.0, 6.0, 2.5, 4.0])  # sector 1 opens at full size at once
    size = RNG.lognormal(0, 1, N)
    u = RNG.random((N, 2))
    seen, shown = state_kernel.opened(u, sec, n, lead_rate, sign_prob, open_now, rampup, size, pipeline)
    if pipeline:
        p = np.minimum(1.0, 12.0 * lead_rate * sign_prob * open_now / np.maximum(n, 1))[sec]
        months, ramp = 12.0 * u[:, 1], rampup[sec]
        part = np.where(months >= ramp, months - ramp / 2, months**2 / (2 * np.maximum(ramp, 1e-9)))
        want = np.where(u[:, 0] < p, part / 12.0, 1.0)
        assert (want < 1).sum() > 50  # the case is exercised
    else:
        want = np.ones(N)
    assert same(seen, want)
    assert same(shown, np.bincount(sec, weights=size * want, minlength=S))


def test_effect_table_is_the_masked_product():
    H, S = 30, 4
    done_t = np.array([-2.0, 0.0, 3.5, 7.0, 29.2, 31.0, np.inf, np.nan, 12.0])
    item = RNG.integers(0, len(done_t), 40)
    column = RNG.integers(0, S, 40)
    factor = RNG.uniform(0.5, 1.7, 40)
    want = np.ones((H, S))
    months = np.arange(H)
    for i, j, f in zip(item, column, factor, strict=True):
        want[months >= done_t[i], j] *= f
    got = state_kernel.effect_table(H, S, done_t, item, column, factor)
    assert same(got, want) and len(np.unique(got)) > 5


def test_log_path_is_the_cumulative_sum_expression():
    H = 120
    t_mid = np.arange(H) + 0.5
    eps = RNG.standard_normal(H)
    g, v = 0.0731, 0.0213
    want = g * t_mid / 12 + v * (np.cumsum(eps) - 0.5 * eps)
    assert same(state_kernel.log_path(t_mid, eps, g, v), want)


@pytest.mark.parametrize("nan_end", [False, True])
def test_disruption_is_the_clipped_cover(nan_end):
    H = 36
    onset = np.array([3.3, 10.0, 10.5, 34.9, 0.2])
    length = np.array([2.4, 0.7, 4.0, 5.0, 0.05])
    if nan_end:
        length[1] = np.nan
    lo = np.arange(H)
    end = onset + length
    covered = np.clip(np.minimum(lo + 1.0, end[:, None]) - np.maximum(lo, onset[:, None]), 0, 1)
    want = 1.0 - 0.37 * covered.max(axis=0)
    got = state_kernel.disruption(H, onset, end, 0.37)
    assert same(got, want)
    assert np.isnan(got).all() if nan_end else (got < 1).sum() > 5  # a nan spell covers every month with nan
