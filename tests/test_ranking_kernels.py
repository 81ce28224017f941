"""The compiled scoring normalises exactly as sim.ranking.scoring does, ties and edge cases included.

The baseline's replications (tests/test_ranking_equivalence.py) rarely hold equal values; here rows
are made with ties, constant rows, rows without a positive value, negative values and "lower is
better" flags, and every rule of the compiled kernel is compared with ``normalise_rows``."""

from __future__ import annotations

import numpy as np
import pytest

from sim.ranking.kernels import PERCENTILE, RULE_CODES, _at_rank, _bits, _normalise, _percentile, _ranks
from sim.ranking.scoring import RULES, normalise_rows


def rows() -> np.ndarray:
    rng = np.random.default_rng(11)
    n = 37
    return np.vstack(
        [
            rng.standard_normal(n),
            rng.integers(0, 4, n).astype(float),  # many ties
            np.full(n, 2.5),  # constant
            -np.abs(rng.standard_normal(n)),  # no positive value
            np.where(rng.random(n) < 0.3, 0.0, rng.lognormal(size=n)),  # zeros tie at the bottom
            np.r_[-0.0, 0.0, rng.standard_normal(n - 2)],  # signed zeros are equal
        ]
    )


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("lower", [False, True])
def test_every_rule_matches_numpy(rule, lower):
    x = rows()
    want = normalise_rows(x, rule, np.full(len(x), lower))
    got = np.empty_like(x)
    for k, row in enumerate(x):
        if RULE_CODES[rule] == PERCENTILE:
            key = np.sort(_keys(row, lower))
            _percentile(key, row, lower, got[k])
        else:
            _normalise(row, RULE_CODES[rule], lower, got[k])
    assert np.array_equal(got, want), (rule, lower, np.argwhere(got != want)[:5])


def _keys(row: np.ndarray, lower: bool) -> np.ndarray:
    """Sort keys as sim.ranking.kernels.table_into builds them."""

    v = (-row if lower else row) + 0.0
    key = v.view(np.int64).copy()
    key[key < 0] ^= np.int64(0x7FFFFFFFFFFFFFFF)
    low = np.int64((1 << _bits(len(row))) - 1)
    return (key & ~low) | np.arange(len(row))


def test_a_wrong_tie_rule_would_be_seen():
    """Ties sharing the lower position instead of the mean differ from numpy's rule on these rows."""
    x = rows()[1]
    want = normalise_rows(x[None], "percentile", np.zeros(1, bool))[0]
    order = np.argsort(x, kind="stable")
    lowest = np.empty_like(x)
    for i, u in enumerate(order):
        lowest[u] = np.searchsorted(x[order], x[u]) / (len(x) - 1) if i else 0.0
    assert not np.array_equal(lowest, want)


def test_ranks_of_several_zones_in_one_table():
    """Zones are columns like any other: a peer tied with a zone ranks below it, a zone tied with a
    zone listed before it ranks below that one, boards count only units on the zone's board, and the
    reference rank's unit is the same for every zone."""
    # units 0..3 peers, 4 and 5 zones (listed 5 first, then 4); one job
    scores = np.array([[9.0, 5.0, 5.0, 1.0, 5.0, 5.0]])
    table = np.arange(6, dtype=float)[None] * 10
    ev = np.arange(6)
    boards = np.array([[True, False, True, True, True, True], [True, True, True, True, True, True]])
    ranks, regional, own, trade_at, score_at = _ranks(table, scores, ev, np.array([5, 4]), boards, np.array([1, 7]))
    assert ranks[:, 0].tolist() == [2, 3]  # zone 5: only peer 0 above; zone 4: peer 0 and zone 5 (tied, listed first)
    assert regional.tolist() == [2, 3]
    assert own.tolist() == [5.0, 5.0]
    assert trade_at[0] == 0.0 and score_at[0] == 9.0  # rank 1 is peer 0
    assert np.isnan(trade_at[1]) and np.isnan(score_at[1])  # rank 7 of 6 units


def test_the_unit_at_a_reference_place_is_the_sorts():
    """_at_rank selects the unit in place r (0: the highest score) without sorting when its score is
    unique: the sort's unit; with ties or NaN it is the sort's own answer."""
    for row in rows():
        for r in (0, 5, len(row) - 1):
            got = _at_rank(row, r)
            assert row[got] == -np.sort(-row)[r]  # a unit with the r-th highest score
            if np.count_nonzero(row == row[got]) == 1:
                assert got == np.argsort(-row)[r]
    with_nan = np.r_[0.3, np.nan, 0.9, 0.1]
    assert _at_rank(with_nan, 0) == np.argsort(-with_nan)[0] == 2
    assert _at_rank(np.array([0.2, 0.7, 0.4]), 1) == 2
