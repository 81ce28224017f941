"""Declared distributions: quantile functions, analytic means, bounds and validation.

Every uncertainty is drawn as ``dist.ppf(u)`` with one uniform ``u`` per replication, so ppf is
the sampler. Its sample mean over many uniforms must match ``dist.mean()``; the tolerance is
4 standard errors, SE = sample sd / sqrt(n) (a correct implementation fails a single check with
probability ~6e-5; the uniforms come from a fixed seed, so the test is deterministic).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import mean_se, scenario
from pydantic import TypeAdapter, ValidationError
from scipy import stats

from sim.model.draws import Draws
from sim.random import _GAMMA, _mix, _splitmix64, _unit, entity_seed, parameter_uniform, replication_key
from sim.scenario.distributions import Beta, Choice, Dist, Fixed, LogNormal, Normal, Pert, Poisson, Triangular, Uniform

DIST = TypeAdapter(Dist)
N = 200_000


def dist(**kw):
    """A distribution as written in a scenario file (inline table or bare number)."""
    return DIST.validate_python(kw)


@pytest.fixture(scope="module")
def uniforms():
    return np.random.default_rng(20240611).random(N)


CASES = {
    "uniform": dict(dist="uniform", low=-2, high=5),
    "triangular": dict(dist="triangular", low=1, mode=2, high=6),
    "triangular_mode_at_low": dict(dist="triangular", low=0, mode=0, high=3),
    "triangular_mode_at_high": dict(dist="triangular", low=0, mode=3, high=3),
    "normal": dict(dist="normal", mean=0.05, sd=0.06),
    "normal_truncated": dict(dist="normal", mean=1.0, sd=2.0, low=0.0, high=3.0),
    "normal_one_sided": dict(dist="normal", mean=0.0, sd=1.0, low=0.5),
    "lognormal": dict(dist="lognormal", median=6, sigma=0.6),
    "beta": dict(dist="beta", a=2, b=5),
    "beta_scaled": dict(dist="beta", a=3, b=3, low=10, high=20),
    "pert": dict(dist="pert", low=-4, mode=1, high=12),
    "pert_lamb": dict(dist="pert", low=0, mode=1, high=10, lamb=2),
    "poisson": dict(dist="poisson", mean=3.7),
    "choice": dict(dist="choice", values=[1, 2, 10]),
    "choice_weighted": dict(dist="choice", values=[0, 5, 7], weights=[1, 0, 3]),
}


@pytest.mark.parametrize("name", CASES)
def test_ppf_sample_mean_matches_analytic_mean(name, uniforms):
    d = dist(**CASES[name])
    x = d.ppf(uniforms)
    assert x.shape == uniforms.shape and np.all(np.isfinite(x))
    m, se = mean_se(x)
    assert se > 0
    assert abs(m - d.mean()) <= 4 * se, f"{name}: sample mean {m:.6g} vs mean() {d.mean():.6g} (SE {se:.3g})"


# Independent oracles: scipy's own distributions with the same parameters.
ORACLES = {
    "uniform": lambda: stats.uniform(loc=-2, scale=7),
    "triangular": lambda: stats.triang(c=(2 - 1) / (6 - 1), loc=1, scale=5),
    "normal": lambda: stats.norm(0.05, 0.06),
    "normal_truncated": lambda: stats.truncnorm((0 - 1) / 2, (3 - 1) / 2, loc=1, scale=2),
    "lognormal": lambda: stats.lognorm(s=0.6, scale=6),
    "beta_scaled": lambda: stats.beta(3, 3, loc=10, scale=10),
    # PERT(low, mode, high, lamb=4) is Beta(1 + 4 (mode-low)/r, 1 + 4 (high-mode)/r) on [low, high]
    "pert": lambda: stats.beta(1 + 4 * 5 / 16, 1 + 4 * 11 / 16, loc=-4, scale=16),
    "poisson": lambda: stats.poisson(3.7),
}


@pytest.mark.parametrize("name", ORACLES)
def test_ppf_equals_scipy_quantiles(name):
    u = np.linspace(0.001, 0.999, 999)
    np.testing.assert_allclose(dist(**CASES[name]).ppf(u), ORACLES[name]().ppf(u), rtol=1e-9, atol=1e-12)


def test_choice_frequencies_match_weights(uniforms):
    # each value's frequency is a binomial proportion: SE = sqrt(p (1 - p) / n)
    d = dist(**CASES["choice_weighted"])
    x = d.ppf(uniforms)
    for v, p in zip([0, 5, 7], [0.25, 0.0, 0.75], strict=True):
        freq = np.mean(x == v)
        assert abs(freq - p) <= 4 * math.sqrt(p * (1 - p) / N) + 1e-12, (v, freq, p)


@pytest.mark.parametrize(
    "name",
    [
        "uniform",
        "triangular",
        "triangular_mode_at_low",
        "triangular_mode_at_high",
        "pert",
        "pert_lamb",
        "beta_scaled",
        "normal_truncated",
    ],
)
def test_bounded_distributions_stay_in_bounds(name, uniforms):
    spec = CASES[name]
    d = dist(**spec)
    lo, hi = spec.get("low", 0.0), spec.get("high", 1.0)
    edges = np.array([0.0, 1e-15, 1 - 1e-15, 1.0])
    x = d.ppf(np.concatenate([uniforms, edges]))
    assert x.min() >= lo and x.max() <= hi
    assert d.ppf(0.0) == pytest.approx(lo, abs=1e-9) and d.ppf(1.0) == pytest.approx(hi, abs=1e-9)
    assert d.support == pytest.approx((lo, hi), abs=1e-9)
    assert np.all(np.diff(d.ppf(np.linspace(0, 1, 1001))) >= -1e-12), "ppf must be non-decreasing"


def test_lognormal_is_positive_and_median_is_median(uniforms):
    d = dist(**CASES["lognormal"])
    assert d.always_positive
    x = d.ppf(uniforms)
    assert x.min() > 0
    assert d.ppf(0.5) == pytest.approx(6.0)
    # the sample median of n draws has SE ~ 1 / (2 f(m) sqrt(n)) in u; test on the u scale
    assert abs(np.mean(x <= 6.0) - 0.5) <= 4 * math.sqrt(0.25 / N)


def test_poisson_is_integer_valued_and_finite_at_one():
    d = dist(**CASES["poisson"])
    x = d.ppf(np.linspace(0, 1, 101))
    assert np.all(x == np.round(x)) and np.all(np.isfinite(x))
    assert dist(dist="poisson", mean=0).ppf(np.array([0.3, 0.9])).tolist() == [0.0, 0.0]


def test_bare_number_is_fixed():
    for v in (3, 2.5, -1, 0):
        d = DIST.validate_python(v)
        assert isinstance(d, Fixed) and d.value == v and d.mean() == v
        assert d.ppf(0.123) == v
        assert np.all(d.ppf(np.array([0.1, 0.9])) == v)
        assert d.support == (v, v)


def test_bare_numbers_in_a_scenario_file_are_fixed(tiny):
    s = tiny.uncertainties.sectors["make"]
    assert isinstance(s.trade_median_yi, Fixed) and s.trade_median_yi.value == 1.2
    assert isinstance(tiny.uncertainties.project_delay_months["wall"], Fixed)
    assert tiny.uncertainties.project_delay_months["wall"].value == -1.5


def test_tables_become_their_distribution_classes():
    assert isinstance(dist(**CASES["uniform"]), Uniform)
    assert isinstance(dist(**CASES["triangular"]), Triangular)
    assert isinstance(dist(**CASES["normal"]), Normal)
    assert isinstance(dist(**CASES["lognormal"]), LogNormal)
    assert isinstance(dist(**CASES["beta"]), Beta)
    assert isinstance(dist(**CASES["pert"]), Pert)
    assert isinstance(dist(**CASES["poisson"]), Poisson)
    assert isinstance(dist(**CASES["choice"]), Choice)


@pytest.mark.parametrize(
    "bad",
    [
        dict(dist="triangular", low=3, mode=2, high=5),  # low > mode
        dict(dist="triangular", low=1, mode=6, high=5),  # mode > high
        dict(dist="triangular", low=2, mode=2, high=2),  # degenerate
        dict(dist="pert", low=3, mode=2, high=5),
        dict(dist="pert", low=1, mode=6, high=5),
        dict(dist="pert", low=1, mode=2, high=5, lamb=0),
        dict(dist="uniform", low=5, high=1),
        dict(dist="normal", mean=0, sd=0),
        dict(dist="normal", mean=0, sd=-1),
        dict(dist="normal", mean=0, sd=1, low=2, high=1),
        dict(dist="lognormal", median=0, sigma=1),
        dict(dist="lognormal", median=1, sigma=0),
        dict(dist="beta", a=0, b=1),
        dict(dist="beta", a=1, b=1, low=1, high=1),
        dict(dist="poisson", mean=-1),
        dict(dist="choice", values=[]),
        dict(dist="choice", values=[1, 2], weights=[1]),
        dict(dist="choice", values=[1, 2], weights=[-1, 2]),
        dict(dist="choice", values=[1, 2], weights=[0, 0]),
        dict(dist="gamma", shape=2),  # unknown kind
        dict(dist="uniform", low=0, high=1, mode=0.5),  # unknown key
        dict(low=0, high=1),  # no 'dist'
        dict(dist="uniform", low=0),  # missing key
    ],
)
def test_invalid_distributions_are_rejected(bad):
    with pytest.raises(ValidationError):
        DIST.validate_python(bad)


@pytest.mark.parametrize("bad", [True, "3", None])
def test_non_numbers_are_rejected(bad):
    with pytest.raises(ValidationError):
        DIST.validate_python(bad)


@pytest.mark.parametrize(
    "key, value",
    [
        ("sign_prob", dict(dist="uniform", low=0.5, high=1.2)),  # a probability above 1
        ("lead_rate_per_month", dict(dist="normal", mean=2, sd=1)),  # can be negative
        ("max_wait_months", 0),  # must be > 0
        ("trade_median_yi", dict(dist="uniform", low=0, high=1)),  # reaches 0
    ],
)
def test_scenario_rejects_distributions_outside_a_fields_range(key, value):
    from sim.scenario import ScenarioError

    with pytest.raises(ScenarioError, match=key):
        scenario("tiny.toml", {"uncertainties": {"sectors": {"make": {key: value}}}})


def test_parameter_uniforms_are_uniform_and_distinct():
    # u for one path over many replications: mean 1/2 (SE from the sample sd) and inside (0, 1)
    u = np.array([parameter_uniform(11, r, "uncertainties.x") for r in range(4000)])
    assert u.min() > 0 and u.max() < 1
    m, se = mean_se(u)
    assert abs(m - 0.5) <= 4 * se
    # different paths and different roots give different numbers; same arguments the same number
    assert parameter_uniform(11, 0, "a") != parameter_uniform(11, 0, "b")
    assert parameter_uniform(11, 0, "a") != parameter_uniform(12, 0, "a")
    assert parameter_uniform(11, 0, "a") == parameter_uniform(11, 0, "a")


def test_parameter_uniforms_are_independent_across_paths_and_reps():
    # Kolmogorov-Smirnov against U(0, 1), and no linear dependence between two paths of one
    # replication or one path of consecutive replications: under independence the sample Pearson
    # correlation of n pairs has SE ~ 1 / sqrt(n).
    n = 4000
    a = np.array([parameter_uniform(3, r, "uncertainties.sectors.make.sign_prob") for r in range(n + 1)])
    b = np.array([parameter_uniform(3, r, "uncertainties.sectors.make.sign_delay_months") for r in range(n + 1)])
    assert stats.kstest(a, "uniform").pvalue > 1e-4 and stats.kstest(b, "uniform").pvalue > 1e-4
    for x, y in ((a, b), (a[:-1], a[1:]), (b[:-1], b[1:])):
        assert abs(np.corrcoef(x, y)[0, 1]) <= 4 / math.sqrt(len(x))


def test_model_draws_are_the_documented_splitmix64_sequence():
    """Exact: the compiled mixing of sim.model.draws gives, bit for bit, what docs/model.md §4 states
    with sim.random's numpy SplitMix64: entity seed = splitmix(seed ^ index) per index, number k =
    mixer(seed + (k + 1) gamma), top 53 bits centred."""
    d = Draws(11, 3)
    a = np.array([5, 7, 2**40], dtype=np.uint64)
    b = np.array([0, 1, 9], dtype=np.uint64)
    got = d.uniforms("leads", 4, a, b)
    h = _splitmix64(_splitmix64(np.full(3, entity_seed(replication_key(11, 3), "leads"), dtype=np.uint64) ^ a) ^ b)
    want = _unit(_mix(h[:, None] + np.arange(1, 5, dtype=np.uint64) * _GAMMA))
    assert np.array_equal(got, want)
    assert ((got > 0) & (got < 1)).all() and len(np.unique(got)) == got.size
