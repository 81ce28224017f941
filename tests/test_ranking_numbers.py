"""The ranking table's probabilities on ranks exactly at the reference rank (sim.analysis.ranking).

``ranking_table`` is a pure function of the yearly columns; here the columns are written by hand,
with ranks below, on and above the reference, so "rank <= 60" is checked where it differs from
"rank < 60", for the main method and for a variant, with the Wilson interval of each row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest
from test_planner_numbers import wilson

from sim.analysis.ranking import ranking_table


@dataclass
class _Variant:
    description: str


@dataclass
class _Method:
    boards: int


@dataclass
class _Ranking:
    reference_rank: int = 60
    class_a_share: float = 0.1
    variants: dict = field(default_factory=lambda: {"lenient": _Variant("a lenient reading")})
    methods: dict = field(default_factory=lambda: {"m1": _Method(2), "m2": _Method(3)})

    def method_weights(self, year):
        return {"m1": 0.5, "m2": 0.5}

    def reference_rank_in(self, year):
        return self.reference_rank


RANKS = np.array([1, 58, 59, 60, 60, 61, 62, 100], dtype=float)
VARIANT = np.array([60, 60, 60, 61, 61, 40, 80, 59], dtype=float)
CLASS_A = np.array([1, 0, 0, 0, 0, 0, 0, 0], dtype=float)
BOARD = np.array([1, 30, 59, 60, 61, 61, 20, 70], dtype=float)  # never above the national rank


def _column(indicator, year):
    return {"rank": RANKS, "rank_variant_lenient": VARIANT, "class_a": CLASS_A, "rank_regional": BOARD}[indicator]


def test_rank_at_the_reference_counts_as_a_hit():
    t = ranking_table(_column, _Ranking(), [2022]).set_index(["measure", "variant"])
    main = t.loc[("rank<=60", "main")]
    assert main["n_reps"] == 8 and main["p"] == 5 / 8  # 1, 58, 59, 60, 60
    assert (main["ci_low"], main["ci_high"]) == pytest.approx(wilson(5, 8), abs=1e-9)
    var = t.loc[("rank<=60", "lenient")]
    assert var["p"] == 5 / 8 and var["description"] == "a lenient reading"  # 60, 60, 60, 40, 59
    ca = t.loc[("class_a", "main")]
    assert ca["p"] == 1 / 8
    board = t.loc[("board_rank<=60", "main")]
    assert board["p"] == 5 / 8  # 1, 30, 59, 60, 20: the board rank exactly at 60 counts too
    assert (main["rank_p10"], main["rank_p50"], main["rank_p90"]) == pytest.approx(
        tuple(np.percentile(RANKS, [10, 50, 90]))
    )


def test_class_a_includes_the_zone_exactly_at_the_cutoff():
    """Class A is rank <= floor(share x evaluated zones). The last-placed zone (test_ranking's
    vanishing zone) with a share of 1 ranks exactly at the cutoff, n, and is in class A."""
    from test_ranking import ZONE, make_cfg, run

    def edit(d):
        d["zone"].update(accepted_area_share_pct=1e-6, offsets={})
        for m in d["methods"].values():
            m["deduction"].update(prob_per_year=0.0)
        d["class_a_share"] = 1.0

    last = make_cfg(edit)
    tiny = {k: np.array([1e-6, 1e-12]) for k in ZONE}  # falling: both years' growth is -100%
    for seed in range(3):
        out = run(last, tiny, seed=seed)
        np.testing.assert_array_equal(out.indicators["rank"], out.peers["n_evaluated"])
        np.testing.assert_array_equal(out.indicators["class_a"], 1.0)
