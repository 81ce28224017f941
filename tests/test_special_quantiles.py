"""The run's statistics without ``scipy.stats``: the same bits as scipy.stats gave them.

A run's main process does not import ``scipy.stats`` (its import parses every distribution's
docstring: most of a second). The Wilson interval, the t and normal quantiles, the truncated
normal's mean and the Poisson quantile are computed from ``scipy.special`` in scipy.stats' own
steps; each is compared here, bit for bit, with the scipy.stats call it replaces.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy import stats

from sim.analysis.paired import mean_diff_ci
from sim.analysis.targets import proportion_ci
from sim.scenario.distributions import Normal, Poisson


def test_wilson_interval_is_scipys_binomtest_bit_for_bit():
    ns = [1, 2, 3, 7, 10, 24, 40, 199, 200, 240, 1000, 4096, 10_000, 99_999, 100_000]
    for n, level in itertools.product(ns, [0.5, 0.8, 0.9, 0.95, 0.99]):
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n} & set(range(n + 1))):
            ci = stats.binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
            assert proportion_ci(k, n, level) == (float(ci.low), float(ci.high)), (k, n, level)


def test_wilson_interval_refuses_more_hits_than_trials():
    try:
        proportion_ci(5, 4)
    except ValueError as e:
        assert "5 of 4" in str(e)
    else:
        raise AssertionError("5 hits of 4 trials gave an interval")


def test_t_interval_uses_scipys_t_quantile():
    rng = np.random.default_rng(2)
    for n in (2, 3, 5, 30, 241):
        a, b = rng.normal(size=n), rng.normal(size=n) + 0.3
        for paired, level in itertools.product((True, False), (0.9, 0.95)):
            m, lo, _ = mean_diff_ci(a, b, paired, level)
            if paired:
                d = b - a
                se, df = float(d.std(ddof=1) / np.sqrt(n)), n - 1
            else:
                va, vb = a.var(ddof=1) / n, b.var(ddof=1) / n
                se = float(np.sqrt(va + vb))
                df = (va + vb) ** 2 / (va**2 / (n - 1) + vb**2 / (n - 1))
            assert lo == m - stats.t.ppf(0.5 + level / 2, df) * se


def test_truncated_normal_mean_is_scipys_truncnorm_mean():
    cases = 0
    for m, sd, lo, hi in itertools.product(
        [0.0, 1.5, -3.0, 100.0], [0.1, 1.0, 7.0], [None, -5.0, 0.0, 2.0, 40.0, 99.0], [None, 3.0, 50.0, 101.0, 200.0]
    ):
        if lo is not None and hi is not None and not lo < hi:
            continue
        bounds = {k: v for k, v in (("low", lo), ("high", hi)) if v is not None}
        d = Normal(dist="normal", mean=m, sd=sd, **bounds)
        a, b = (d.low - m) / sd, (d.high - m) / sd
        with np.errstate(all="ignore"):  # scipy's higher moments warn in the far tails; the mean is fine
            ref = float(stats.truncnorm.mean(a, b, loc=m, scale=sd))
        assert d.mean() == ref, (m, sd, lo, hi)
        cases += 1
    assert cases > 250  # far tails on both sides, one-sided and two-sided truncation


def test_poisson_quantile_is_scipys_poisson_ppf():
    u = np.random.default_rng(1).random(100_000)
    u[:4] = [0.0, 1.0, 0.5, 1e-300]
    for mu in (1e-6, 0.3, 1.0, 4.2, 17.0, 250.0, 1e4):
        p = Poisson(dist="poisson", mean=mu)
        ref = stats.poisson.ppf(np.clip(u, 1e-300, 1.0 - 1e-12), mu)
        assert np.array_equal(p.ppf(u), ref), mu
        assert p.ppf(0.3) == stats.poisson.ppf(0.3, mu) and np.ndim(p.ppf(0.3)) == 0
