"""The compiled pass over firms x months gives what docs/model.md §7.7-7.11 and §7.13 state, bit for bit.

The reference below is the pass written plainly: the [firm, month] noise drawn by numpy in one call
(``standard_normal((firms, months))``, the generator's numbers in row order), every term in
Python floats in the order the docs give it. The compiled pass draws its noise number by number
from numba's copy of numpy's generator inside the loop; it must give the same bits, on firm tables
with the edge cases the model produces: initial firms open since -inf, firms that never exit,
openings and exits on month boundaries, ramps longer than the horizon, FDI starting before the
start, after the horizon, never (inf) or not at all (0)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.model.kernels import development_rate, firm_months

H, S, TRANCHES, INTERVAL = 24, 3, 4, 6.0


def firm_table(seed: int, n_initial: int = 9, n_later: int = 31) -> dict:
    rng = np.random.default_rng(seed)
    n = n_initial + n_later
    open_t = np.r_[np.full(n_initial, -np.inf), rng.uniform(-2, H + 2, n_later)]
    open_t[n_initial : n_initial + 4] = [0.0, 5.0, 11.0, 12.0]  # on month and year boundaries
    life = rng.exponential(20, n)
    life[::5] = np.inf
    exit_t = life.copy()  # initial firms: the lifetime runs from 0
    exit_t[n_initial:] += open_t[n_initial:]
    exit_t[1] = 12.0  # an initial firm exiting at a year end
    ramp = np.r_[np.zeros(n_initial), rng.choice([0.0, 0.5, 3.0, 40.0], n_later)]
    fdi = np.where(rng.random(n) < 0.4, rng.uniform(10, 500, n), 0.0)
    fdi_t = np.r_[np.zeros(n_initial), open_t[n_initial:] - rng.uniform(0, 8, n_later)]
    fdi_t[-3:] = [np.inf, -20.0, H + 0.5]
    fdi[-3:] = 100.0
    return dict(
        open_t=open_t,
        exit_t=exit_t,
        ramp=ramp,
        size=rng.lognormal(0, 1, n),
        employees=rng.lognormal(4, 1, n),
        sector=rng.integers(0, S, n).astype(np.int64),
        origin=np.r_[np.zeros(n_initial), rng.integers(1, 3, n_later)].astype(np.uint64),
        fdi=fdi,
        fdi_t=fdi_t,
        sig=np.array([0.0, 0.3, 0.8]),
        above_sector=np.array([True, False, True]),
        ratio=np.array([0.9, 0.4, 1.3]),
        threshold=0.8,
        cohort_above=rng.random(n_initial) < 0.5,
        macro=rng.lognormal(0, 0.1, H),
        disruption=np.where(rng.random(H) < 0.2, 0.7, 1.0),
        season=rng.uniform(0.8, 1.2, 12),
        commodity=rng.lognormal(0, 0.2, H),
        exposed=np.array([False, True, False]),
    )


def reference(t: dict, eps: np.ndarray) -> tuple:
    """§7.7-7.9, §7.11 and the year-end counts of §7.13, term by term in plain Python."""
    n = len(t["open_t"])
    sums = np.zeros((4 * S, H))
    active, staff, operating, paid = np.zeros(H), np.zeros(H), np.zeros((S, H // 12)), np.zeros(H)
    damp = np.exp(-0.5 * t["sig"] ** 2)  # numpy's exp, as the model computes it (its last bit can differ from libm's)
    k = 0
    for i in range(n):
        o, e, r, s = (float(t[c][i]) for c in ("open_t", "exit_t", "ramp", "sector"))
        s = int(s)
        if t["origin"][i] == 0:
            g, above = S + s, bool(t["cohort_above"][k])
            k += 1
        else:
            g, above = s, bool(t["above_sector"][s]) and t["size"][i] * t["ratio"][s] >= t["threshold"]
        sig = float(t["sig"][s])
        scale = float(t["size"][i]) / 12.0 * damp[s]
        for m in range(H):
            a, b = max(float(m), o), min(m + 1.0, e)
            frac = min(b - a, 1.0)
            if frac > 0:
                if r > 0:
                    frac *= min(max((0.5 * (a + b) - o) / r, 0.0), 1.0)
                v = frac * math.exp(sig * eps[i, m]) * scale
                sums[g, m] += v
                if above:
                    sums[2 * S + g, m] += v
            if o < m + 1 and e > 12 * (m // 12):
                active[m] += 1
            if o <= m + 1 < e:
                staff[m] += t["employees"][i] * (min(max((m + 1 - o) / r, 0.0), 1.0) if r > 0 else 1.0)
                if (m + 1) % 12 == 0:
                    operating[s, m // 12] += 1
        if t["fdi"][i] > 0 and math.isfinite(t["fdi_t"][i]):
            for j in range(TRANCHES):
                when = t["fdi_t"][i] + INTERVAL * j
                if 0 <= when < H:
                    paid[int(when)] += t["fdi"][i] / TRANCHES
    for m in range(H):
        level = t["macro"][m] * t["disruption"][m] * t["season"][m % 12]
        for g in range(2 * S):
            shared = level * t["commodity"][m] if t["exposed"][g % S] else level
            sums[g, m] *= shared
            sums[2 * S + g, m] *= shared
    return sums, active, staff, operating, paid


def compiled(t: dict, gen: np.random.Generator) -> tuple:
    return firm_months(
        gen,
        *(t[c] for c in ("open_t", "exit_t", "ramp", "size", "employees", "sector", "origin", "fdi", "fdi_t")),
        t["sig"],
        np.exp(-0.5 * t["sig"] ** 2),
        *(t[c] for c in ("above_sector", "ratio", "threshold", "cohort_above", "macro", "disruption", "season")),
        t["commodity"],
        t["exposed"],
        TRANCHES,
        INTERVAL,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compiled_pass_equals_the_plain_one_bit_for_bit(seed):
    t = firm_table(seed)
    eps = np.random.Generator(np.random.PCG64(seed)).standard_normal((len(t["open_t"]), H))
    want = reference(t, eps)
    got = compiled(t, np.random.Generator(np.random.PCG64(seed)))
    names = ("sums", "active", "staff", "operating", "paid")
    for name, w, g in zip(names, want, got, strict=True):
        assert g.shape == w.shape, name
        assert np.array_equal(g.view(np.uint64), w.view(np.uint64)), f"{name} differs from the plain pass"
    assert want[0][:S].sum() > 0 and want[0][2 * S :].sum() > 0 and want[4].sum() > 0, "the table exercises every part"


def test_compiled_pass_draws_one_number_per_firm_month():
    """The generator is left where numpy's [firm, month] draw leaves it: the noise of a firm does
    not depend on whether it trades that month."""
    t = firm_table(4)
    a, b = np.random.Generator(np.random.PCG64(9)), np.random.Generator(np.random.PCG64(9))
    compiled(t, a)
    b.standard_normal((len(t["open_t"]), H))
    assert a.random() == b.random()


def test_a_cohort_that_does_not_match_the_initial_firms_is_refused():
    t = firm_table(5)
    t["cohort_above"] = t["cohort_above"][:-1]
    with pytest.raises(ValueError, match="more initial firms than the cohort"):
        compiled(t, np.random.Generator(np.random.PCG64(0)))


def test_development_rate_adds_the_projects_done_by_each_month_end():
    # 40 ha at the start of a 2 km2 (200 ha) fence; projects of 10 ha done at t = 3 (month 3's end
    # counts it), 20 ha at t = 3.5 (from month 4's end), 5 ha never
    got = development_rate(40.0, np.array([10.0, 20.0, 5.0]), np.array([3.0, 3.5, np.inf]), 200.0, 6)
    assert got.tolist() == [20.0, 20.0, 25.0, 35.0, 35.0, 35.0]
