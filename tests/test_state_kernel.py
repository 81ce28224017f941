"""The compiled loops of the state at t = 0 (sim/model/state_kernel.py) against the numpy
expressions they replace, bit for bit, on random inputs and on the edges (items done before the
start or never, a spell past the horizon, nan parameters, a sector with no ramp-up)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import special

import sim.model.state_kernel as state_kernel
from sim.experiment.replication import params_of_rows
from sim.model import initial, inverse
from sim.model.drawn import Drawn
from sim.model.draws import Draws
from sim.model.spec import spec_of
from sim.scenario import load_scenario
from sim.vocabulary.outcomes import MODES

ROOT = Path(__file__).resolve().parents[1]

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


def numpy_initial(spec, x, by, draws):
    """The initial firms and their cohort as the numpy expressions of docs/model.md §3.1."""
    n = initial.sector_counts(spec, by)
    sec = np.repeat(np.arange(len(n)), n)
    number = (np.arange(len(sec)) - np.repeat(np.cumsum(n) - n, n)).astype(np.uint64)
    key = spec.sector_key[sec]
    u = draws.uniforms("initial", 3, key, number)
    size = inverse.lognormal(u[:, 0], x.trade_median_yi[sec], x.trade_sigma[sec])
    employees = inverse.lognormal(u[:, 1], x.employees_median[sec], x.employees_sigma[sec])
    lifetime = inverse.lifetime(u[:, 2], x.exit_rate_per_year[sec])
    pipeline = spec.sc.initial_state.pipeline_months > 0 and len(sec) > 0
    uo = draws.uniforms("opened", 2, key, number) if pipeline else np.empty((0, 2))
    seen, shown = state_kernel.opened(
        uo, sec, n, x.lead_rate_per_month, x.sign_prob, spec.open_now, x.rampup_months, size, pipeline
    )
    stated = by.stated
    implied = (shown @ spec.shares).tolist()
    c = np.array(
        [
            (stated[f"trade_{m}"] / v if v > 0 else 0.0) if f"trade_{m}" in stated else 1.0
            for m, v in zip(MODES, implied, strict=True)
        ]
    )
    weighted = spec.shares * c[None, :]
    a = weighted.sum(axis=1)
    shares = np.where(a[:, None] > 0, weighted / np.where(a > 0, a, 1.0)[:, None], spec.shares)
    size = size * a[sec]
    ratio = x.output_ratio.astype(float)
    manuf = spec.manufacturing[sec]
    if "industrial_output" in stated:
        above = manuf.copy()
        carried = float((size * seen * ratio[sec])[above].sum())
        out_ratio = ratio * (stated["industrial_output"] / carried if carried > 0 else 0.0)
    else:
        above = manuf & (size * ratio[sec] >= spec.sc.constants.above_size_revenue_yi)
        out_ratio = ratio
    if "employees" in stated and employees.sum() > 0:
        employees = employees * (stated["employees"] / employees.sum())
    firm = dict(sector=sec, size=size, employees=employees, exit_t=lifetime, group=key, number=number)
    firm.update(open_t=np.full(len(sec), -np.inf), space=spec.need[sec], origin=np.zeros(len(sec), np.uint64))
    firm.update({k: np.zeros(len(sec)) for k in ("ramp", "leader", "fdi", "fdi_t")})
    return firm, dict(shares=shares, output_ratio=out_ratio, above=above, seen=seen)


@pytest.mark.parametrize(
    "path",
    [
        "scenarios/baseline.toml",
        "scenarios/examples/illustrative_small_inland.toml",
        "tests/data/tiny.toml",  # no figure stated, no pipeline
        "tests/data/tiny_base.toml",
    ],
)
def test_initial_firms_are_the_numpy_expressions_bit_for_bit(path):
    sc = load_scenario(ROOT / path).scenario
    spec = spec_of(sc)
    for r, p in enumerate(params_of_rows(sc, 3, np.arange(8))):
        d = Drawn.of(p, spec.sector_ids)
        firms, cohort = initial.initial_firms(spec, d.sectors, d.base_year, Draws(3, r))
        want_firm, want_cohort = numpy_initial(spec, d.sectors, d.base_year, Draws(3, r))
        assert len(firms) > 0
        for k, v in want_firm.items():
            got = getattr(firms, k)
            assert got.dtype == v.dtype and got.tobytes() == v.tobytes(), (path, r, k)
        for k, v in want_cohort.items():
            got = getattr(cohort, k)
            assert got.dtype == v.dtype and got.tobytes() == v.tobytes(), (path, r, k)


def test_shock_logs_and_spells_are_the_numpy_expressions():
    H = 36
    t_mid = np.arange(H) + 0.5
    for _ in range(20):
        um, uc = RNG.random(H), RNG.random(H)
        mac, com = tuple(RNG.normal(0, 0.1, 2)), tuple(RNG.normal(0, 0.1, 2))
        u, rate = float(RNG.random()), float(RNG.uniform(0, 6))
        logs, n = state_kernel.shock_logs(t_mid, um, uc, mac, com, u, rate)
        assert same(logs[0], state_kernel.log_path(t_mid, special.ndtri(um), *mac))
        assert same(logs[1], state_kernel.log_path(t_mid, special.ndtri(uc), *com))
        assert n == inverse.poisson(u, rate)
        spell = RNG.random((int(RNG.integers(1, 5)), 2))
        length, depth = float(RNG.uniform(0, 4)), float(RNG.uniform(0, 1))
        factor, onsets, lengths = state_kernel.spells(H, spell, np.log(spell[:, 1]), length, depth)
        assert same(onsets, H * spell[:, 0]) and same(lengths, inverse.exponential(spell[:, 1], length))
        assert same(factor, state_kernel.disruption(H, H * spell[:, 0], H * spell[:, 0] + lengths, depth))
