"""compare reports P(B = A) beside P(B > A): a target the two scenarios share is a tie, not a loss."""

from __future__ import annotations

import numpy as np

from sim.analysis.paired import COMPARE_COLUMNS, compare_targets
from sim.analysis.targets import TargetSpec


def _t(tid="t", op=">="):
    return TargetSpec(tid, "trade_total", 2023, op, 10.0, "亿元", "test")


def test_identical_values_are_ties():
    v = np.linspace(5, 15, 50)
    row = compare_targets({"t": v}, {"t": v.copy()}, [_t()], {"t": _t()}, "A", "B").iloc[0]
    assert row["p_eq"] == 1.0 and row["p_gt"] == 0.0 and row["p_better"] == 0.0
    assert row["p_eq_low"] > 0.92 and row["p_eq_high"] == 1.0  # Wilson, 50 of 50: [0.929, 1]


def test_shares_add_up():
    rng = np.random.default_rng(1)
    a = rng.integers(0, 3, 200).astype(float)
    b = rng.integers(0, 3, 200).astype(float)
    row = compare_targets({"t": a}, {"t": b}, [_t(op="<=")], {"t": _t(op="<=")}, "A", "B").iloc[0]
    assert np.isclose(row["p_gt"] + row["p_lt"] + row["p_eq"], 1.0)
    assert row["p_eq"] == np.mean(a == b)
    assert row["p_better"] == row["p_lt"]  # lower is better for a <= target
    assert "p_eq" in COMPARE_COLUMNS


def test_independent_seeds_have_no_tie_share():
    v = np.ones(20)
    row = compare_targets({"t": v}, {"t": v}, [_t()], {"t": _t()}, "A", "B", paired=False).iloc[0]
    assert np.isnan(row["p_eq"])
