"""The studio's anchored estimate of a what-if's P(hit) (sim/studio/anchored.py): its closed-form
intervals equal the project's, its standard error is the estimator's spread, its interval covers,
and on the model it agrees with the what-if's own run within standard errors."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import sim
from sim.analysis.targets import hits_of, proportion_ci, target_specs
from sim.studio.anchored import anchored_p
from sim.studio.answer import answer_table

TRIALS = 600
BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"


def _pairs(rng, p_base: float, up: float, down: float, big_n: int, n: int):
    """Base hits of ``big_n`` replications and the what-if's of the first ``n``: a base miss turns
    into a hit with probability ``up / (1 - p_base)``, a base hit into a miss with ``down / p_base``
    (so P(what-if hits) = p_base + up - down)."""
    x = rng.random(big_n) < p_base
    v = rng.random(n)
    y = np.where(x[:n], v >= down / p_base, v < up / (1 - p_base))
    return x, y


def test_at_n_equal_to_the_base_it_is_the_what_ifs_own_proportion():
    rng = np.random.default_rng(6)
    x, y = _pairs(rng, 0.3, 0.05, 0.02, 2000, 2000)
    a = anchored_p(x, y)
    assert a.p == pytest.approx(y.mean(), abs=1e-12) and a.n == a.n_base == 2000
    assert a.p_base == pytest.approx(x.mean()) and a.diff == pytest.approx(y.mean() - x.mean())
    with pytest.raises(ValueError):
        anchored_p(x[:100], y[:200])


@pytest.mark.parametrize(
    "p_base, up, down, big_n, n",
    [
        (0.5, 0.04, 0.01, 10_000, 400),  # a lever that moves a coin-flip target
        (0.5, 0.002, 0.0, 4000, 200),  # almost nothing moves: few or no discordant pairs
        (0.06, 0.01, 0.0, 4000, 200),  # a rare target
        (0.3, 0.1, 0.02, 1000, 100),  # a big change, few replications
    ],
)
def test_standard_error_is_the_spread_and_the_interval_covers(p_base, up, down, big_n, n):
    """Over TRIALS independent simulations: the mean of the estimate is p_what_if (bias within 4
    standard errors of the mean), the mean of its stated standard error is the spread of the
    estimates (within 4 standard errors of a standard deviation, 1/sqrt(2 TRIALS) relative), and
    the 95% interval covers p_what_if at least 95% less 4 standard errors of a coverage rate."""
    rng = np.random.default_rng(7)
    truth = p_base + up - down
    est, se, cover = [], [], 0
    for _ in range(TRIALS):
        x, y = _pairs(rng, p_base, up, down, big_n, n)
        a = anchored_p(x, y)
        est.append(a.p)
        se.append(a.se)
        cover += a.low <= truth <= a.high
        assert a.low <= a.p <= a.high
    spread = float(np.std(est, ddof=1))
    assert abs(np.mean(est) - truth) <= 4 * spread / math.sqrt(TRIALS)
    if spread > 0.002:  # the standard error is estimated from discordant pairs: checked where there are some
        assert abs(np.mean(se) / spread - 1) <= 4 / math.sqrt(2 * TRIALS)
    assert cover / TRIALS >= 0.95 - 4 * math.sqrt(0.95 * 0.05 / TRIALS)


def test_far_narrower_than_the_what_ifs_own_interval_for_a_small_change():
    rng = np.random.default_rng(8)
    x, y = _pairs(rng, 0.5, 0.01, 0.0, 40_000, 1000)
    a = anchored_p(x, y)
    lo, hi = proportion_ci(int(y.sum()), len(y))
    assert (a.high - a.low) < 0.5 * (hi - lo)
    x, y = _pairs(rng, 0.5, 0.0, 0.0, 40_000, 200)  # no pair disagrees: the interval keeps a width
    a = anchored_p(x, y)
    assert a.high - a.low > 0.01


@pytest.mark.slow
def test_on_the_model_it_agrees_with_the_what_ifs_own_run():
    """The anchored estimate from 300 what-if replications on a base of 3000 against the what-if's
    own 3000: every target within z standard errors of their difference, z for a 1% family-wise
    rate over the targets (Bonferroni); the own run's replications include the anchored ones, so
    the variance of the difference is at most the sum used here."""
    what_if = {"levers.promotion_events_per_year": 5, "levers.milestone_month.cbec_site": "2022-03"}
    base = sim.run(BASELINE, reps=3000, seed=21, workers=2, monthly=False)
    ls = sim.load_scenario(BASELINE, overrides=what_if)
    own = sim.run(ls, reps=3000, seed=21, workers=2, monthly=False)
    part = sim.run(ls, reps=300, seed=21, workers=2, monthly=False)
    table = answer_table(base, part).set_index("target_id")
    specs = target_specs(ls.scenario)
    z = stats.norm.ppf(1 - 0.01 / (2 * len(specs)))
    moved = 0
    for t in specs:
        y = hits_of(np.asarray(own.raw.column(t.indicator, t.year), float), t.op, t.threshold)
        p_own, se_own = y.mean(), math.sqrt(y.mean() * (1 - y.mean()) / len(y))
        row = table.loc[t.target_id]
        assert row["p_own"] == pytest.approx(y[:300].mean())
        assert abs(row["p"] - p_own) <= z * math.hypot(row["p_se"], se_own) + 1e-12, t.target_id
        moved += abs(row["diff"]) > 0
    assert moved >= 5  # the change moves several targets: the test compares something
