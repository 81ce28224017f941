"""Exact: the compiled arrivals (sim/model/arrivals_kernel.py) give the numbers of the numpy
expressions they replaced, bit for bit, on edge cases as well as the model's range."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import special

from sim.experiment.replication import params_of_rows
from sim.model import arrivals, inverse, numpy_sum, signing_kernel
from sim.model.draws import Draws, _unit
from sim.model.firms import FIRM_COLUMNS
from sim.model.spec import spec_of
from sim.model.state import ZoneState
from sim.random import entity_seed
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


def numpy_leaders(z) -> dict[str, np.ndarray]:
    """The signed leader candidates as the numpy expressions of docs/model.md §7.5."""
    pipes = [pl for pl in z.spec.leaders if pl.candidates > 0]
    idx = np.concatenate([np.full(pl.candidates, i) for i, pl in enumerate(pipes)] + [np.zeros(0, int)])
    key = np.array([pl.key for pl in pipes], dtype=np.uint64)[idx]
    number = np.concatenate([np.arange(pl.candidates) for pl in pipes] + [np.zeros(0, int)]).astype(np.uint64)
    par = np.array([z.drawn.leaders[pl.lid] for pl in pipes] + [(0.0,) * 6])[idx]
    u = z.draws.uniforms("leaders", 2, key, number)
    signs = u[:, 1] < par[:, 0]
    need = np.array([pl.need for pl in pipes] + [0.0])[idx]
    n = signs.sum()
    return {
        "t": (u[:, 0] * np.array([pl.window for pl in pipes] + [0.0])[idx])[signs],
        "kind": np.where(need > 0, np.array([pl.kind for pl in pipes] + [0])[idx], -1)[signs],
        "deadline": np.full(n, np.inf),
        "fitout": par[signs, 4],
        "sector": np.array([pl.sector for pl in pipes] + [0])[idx][signs],
        "exit_t": np.full(n, np.inf),
        "size": par[signs, 1],
        "ramp": par[signs, 5],
        "employees": par[signs, 2],
        "space": need[signs],
        "fdi": par[signs, 3],
        "group": key[signs],
        "number": number[signs],
    }


def numpy_signed(z) -> dict[str, np.ndarray]:
    """Every signing of a replication as numpy expressions: the run's leads (counts at the
    month's rate), the leader candidates, the leads of the months before the start (counts at
    the base rates of the sectors open from the start and the year's average promotion)."""
    s, x, d, H = z.spec, z.x, z.draws, z.H
    base = x.lead_rate_per_month
    weights = base / base.sum() if base.sum() > 0 else np.zeros_like(base)
    lam = base * z.lead_mult + s.event_months[np.arange(H) % 12][:, None] * z.drawn.leads_per_event * weights
    counts = inverse.poisson(d.uniforms("lead_counts", 1, np.arange(H)[:, None], s.sector_key[None, :])[..., 0], lam)
    parts = [numpy_leads(z, counts, 0, "leads", False), numpy_leaders(z)]
    P = s.sc.initial_state.pipeline_months
    if P > 0:
        base = base * s.open_now
        weights = base / base.sum() if base.sum() > 0 else np.zeros_like(base)
        lam = np.broadcast_to(base + s.event_months.mean() * z.drawn.leads_per_event * weights, (P, len(base)))
        u = d.uniforms("pipeline_counts", 1, np.arange(P)[:, None], s.sector_key[None, :])[..., 0]
        parts.append(numpy_leads(z, inverse.poisson(u, lam), -P, "pipeline_leads", True))
    cols = {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
    gate = np.array([z.T[g] if g else -np.inf for g in s.gate])
    cols["ready"] = gate[cols["sector"]]
    cols["origin"] = np.concatenate(
        [np.full(len(p["t"]), o, np.uint64) for p, o in zip(parts, (1, 2, 3)[: len(parts)], strict=True)]
    )
    cols["leader"] = (cols["origin"] == 2).astype(float)
    return cols


@pytest.mark.parametrize("name", ["baseline.toml", "leader_drive.toml", "examples/illustrative_small_inland.toml"])
def test_signed_firms_are_the_numpy_expressions_bit_for_bit(name):
    sc = load_scenario(ROOT / "scenarios" / name).scenario
    params = params_of_rows(sc, 5, np.arange(12))
    for r, p in enumerate(params):
        z = ZoneState(spec_of(sc), p, Draws(5, r))
        sg = arrivals.signed_firms(z)
        want = numpy_signed(z)
        got = {c: getattr(sg, c) for c in ("t", "kind", "deadline", "fitout", "ready")}
        got.update({c: getattr(sg.firm, c) for c in FIRM_COLUMNS if c in want})
        assert len(got["t"]) > 0 and got.keys() == want.keys()
        for c, v in want.items():
            assert got[c].dtype == v.dtype and got[c].tobytes() == v.tobytes(), (name, r, c)
        assert not sg.firm.open_t.any() and not sg.firm.fdi_t.any()


def test_the_leads_of_any_counts_are_the_numpy_expressions_bit_for_bit():
    """Means from none to many leads a cell, in the run and before the start."""
    sc = load_scenario(ROOT / "scenarios" / "baseline.toml").scenario
    params = params_of_rows(sc, 5, np.arange(6))
    rng = np.random.default_rng(3)
    for r, p in enumerate(params):
        z = ZoneState(spec_of(sc), p, Draws(5, r))
        S = len(z.spec.sector_ids)
        run, carried = rng.uniform(0, 30) * rng.random((12, S)), rng.uniform(0, 30) * rng.random((7, S))
        run[0] = 0.0
        seeds = np.array([z.draws.seed(k) for k in arrivals.STREAMS], dtype=np.uint64)
        fl, ix, es, n_run = signing_kernel.lead_draws(seeds, run, carried, z.spec.sector_key, z.x.table)
        f, i, u, ea = signing_kernel.signed_columns(
            np.log(fl[:4]), fl, ix, es, n_run, z.x.table, z.spec.need, z.spec.space_kind,
            z.spec.sector_key, np.zeros((0, 5), np.int64), np.zeros((0, 2)), z.draws.seed("leaders"),
            np.zeros((0, 6)), z.done_t, np.full(S, -1),
        )  # fmt: skip
        signing_kernel.lead_sizes(f, np.exp(ea), i[1], u[0], z.x.table)
        key = z.spec.sector_key[None, :]
        counts = [
            inverse.poisson(z.draws.uniforms(name, 1, np.arange(len(lam))[:, None], key)[..., 0], lam)
            for name, lam in (("lead_counts", run), ("pipeline_counts", carried))
        ]
        parts = [
            numpy_leads(z, counts[0], 0, "leads", False),
            numpy_leads(z, counts[1], -len(carried), "pipeline_leads", True),
        ]
        assert len(parts[0]["t"]) > 0 and len(parts[1]["t"]) > 0
        want = {c: np.concatenate([q[c] for q in parts]) for c in parts[0]}
        got = dict(zip(signing_kernel.F_ROWS, f, strict=True))
        got.update(kind=i[0], sector=i[1], group=u[1], number=u[2])
        for c, v in want.items():
            assert got[c].tobytes() == v.astype(got[c].dtype).tobytes(), (r, c)


def test_np_sum_is_numpys_pairwise_sum_bit_for_bit():
    rng = np.random.default_rng(4)
    for n in [*range(300), 1000, 1023, 1025, 4099, 9001]:
        a = rng.lognormal(0, 3, n) * rng.choice([-1.0, 1.0], n)
        assert np.float64(numpy_sum.np_sum(a)).tobytes() == np.float64(a.sum()).tobytes(), n


def test_an_addressed_uniform_is_never_1_so_the_poisson_inverse_ends():
    """The centred top 53 bits round to exactly 1.0 when all are ones (once in 2^53 numbers); the
    Poisson inverse looks for P(N <= k) >= u and would step up for ever at u = 1."""
    top = _unit(np.uint64(2**64 - 1))
    assert 0.0 < top < 1.0
    assert _unit(np.uint64(0)) == 0.5 / 2**53
    assert _unit(np.uint64(2**63)) == 0.5 + 0.5 / 2**53  # an ordinary value: the centred top 53 bits
    assert inverse.poisson(np.array([top]), np.array([3.0]))[0] < 100


def test_the_seeds_of_several_streams_are_each_streams_seed():
    names = (*arrivals.STREAMS, "initial", "opened", "macro")
    for root, rep in [(0, 0), (5, 3), (2**63 + 11, 2**40)]:
        d = Draws(root, rep)
        got = d.seeds(names)
        assert got.dtype == np.uint64
        assert got.tolist() == [int(d.seed(k)) for k in names] == [entity_seed(d.key, k) for k in names]
    assert len(set(Draws(5, 3).seeds(names).tolist())) == len(names)
