"""Exact: the compiled arrivals (sim/model/arrivals_kernel.py) give the numbers of the numpy
expressions they replaced, bit for bit, on edge cases as well as the model's range."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import special

from sim.experiment.replication import params_of_rows
from sim.model import arrivals, inverse
from sim.model.draws import Draws, _unit
from sim.model.firms import FIRM_COLUMNS
from sim.model.spec import spec_of
from sim.model.state import ZoneState
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]

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


def numpy_leads(z, counts: np.ndarray, first: int, stream: str, carried: bool) -> dict[str, np.ndarray]:
    """The signed leads of ``counts`` as the numpy expressions of docs/model.md §7.4 and §5.2."""
    s, x, d = z.spec, z.x, z.draws
    M, S = counts.shape
    per_sector = counts.sum(axis=0)
    sec = np.repeat(np.repeat(np.arange(S), M), counts.T.ravel())
    month = np.repeat(np.tile(np.arange(M) + first, S), counts.T.ravel())
    number = np.arange(len(sec)) - np.repeat(np.cumsum(per_sector) - per_sector, per_sector)
    u = d.uniforms(stream, 9, s.sector_key[sec], number)
    signs = u[:, 1] < x.sign_prob[sec]
    u, sec, number = u[signs], sec[signs], number[signs]
    t = month[signs] + u[:, 0] + inverse.exponential(u[:, 2], x.sign_delay_months[sec])
    fitout = inverse.exponential(u[:, 3], x.fitout_months[sec])
    before = np.zeros(len(t), bool)
    if carried:
        keep = t + fitout > 0
        u, sec, number, t, fitout = u[keep], sec[keep], number[keep], t[keep], fitout[keep]
        before = t < 0
    no_space = before | ~(s.need[sec] > 0)
    return {
        "t": np.maximum(t, 0.0) if carried else t,
        "kind": np.where(no_space, -1, s.space_kind[sec]),
        "deadline": np.where(before, np.inf, t + x.max_wait_months[sec]),
        "fitout": np.where(before, t + fitout, fitout),
        "sector": sec,
        "exit_t": inverse.lifetime(u[:, 8], x.exit_rate_per_year[sec]),
        "size": inverse.lognormal(u[:, 6], x.trade_median_yi[sec], x.trade_sigma[sec]),
        "ramp": x.rampup_months[sec],
        "employees": inverse.lognormal(u[:, 7], x.employees_median[sec], x.employees_sigma[sec]),
        "space": s.need[sec],
        "fdi": inverse.exponential(u[:, 5], x.fdi_wan_usd[sec]) * (u[:, 4] < x.foreign_prob[sec]),
        "group": s.sector_key[sec],
        "number": number.astype(np.uint64),
    }


@pytest.mark.parametrize("carried", [False, True])
def test_signed_leads_are_the_numpy_expressions_bit_for_bit(carried):
    sc = load_scenario(ROOT / "scenarios" / "baseline.toml").scenario
    params = params_of_rows(sc, 5, np.arange(12))
    rng = np.random.default_rng(3)
    for r, p in enumerate(params):
        z = ZoneState(spec_of(sc), p, Draws(5, r))
        counts = rng.poisson(rng.uniform(0, 30), (12, len(z.spec.sector_ids)))
        first = -12 if carried else 0
        got = arrivals._signed_leads(z, counts, first, "leads", arrivals.PIPELINE if carried else arrivals.LEAD)
        want = numpy_leads(z, counts, first, "leads", carried)
        cols = dict(zip(("t", "kind", "deadline", "fitout"), got[:4], strict=True))
        cols.update({c: getattr(got[4], c) for c in FIRM_COLUMNS if c in want})
        assert len(cols["t"]) > 0 and cols.keys() == want.keys()
        for c, v in want.items():
            assert cols[c].dtype == v.dtype and cols[c].tobytes() == v.tobytes(), (r, c)


def test_an_addressed_uniform_is_never_1_so_the_poisson_inverse_ends():
    """The centred top 53 bits round to exactly 1.0 when all are ones (once in 2^53 numbers); the
    Poisson inverse looks for P(N <= k) >= u and would step up for ever at u = 1."""
    top = _unit(np.uint64(2**64 - 1))
    assert 0.0 < top < 1.0
    assert _unit(np.uint64(0)) == 0.5 / 2**53
    assert _unit(np.uint64(2**63)) == 0.5 + 0.5 / 2**53  # an ordinary value: the centred top 53 bits
    assert inverse.poisson(np.array([top]), np.array([3.0]))[0] < 100
