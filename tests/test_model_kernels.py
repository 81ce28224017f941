"""The compiled pass over firms x months gives what docs/model.md §7.7-7.11 and §7.13 state, bit for bit.

The reference below is the pass written plainly: the [firm, month] noise drawn by numpy in one call
(``standard_normal((firms, months))``, the generator's numbers in row order), every term in
Python floats in the order the docs give it. The compiled pass draws its noise number by number
from numba's copy of numpy's generator inside the loop; it must give the same bits, on firm tables
with the edge cases the model produces: initial firms open since -inf, firms that never exit,
openings and exits on month boundaries, ramps longer than the horizon, FDI starting before the
start, after the horizon or not at all (0), signed firms that never had space (left out).

The series of a replication (:func:`sim.model.kernels.series`) are checked the same way against
numpy: the array expressions they replaced, whose sums (over modes, over a year's months) they
must reproduce to the bit."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sim.model.kernels as K
from sim.model.kernels import development_rate, firm_months, series

H, S, TRANCHES, INTERVAL = 24, 3, 4, 6.0


def firm_table(seed: int, n_initial: int = 9, n_later: int = 31) -> dict:
    """Initial firms (open since -inf) and later, signed ones: when each had its space (``served``,
    inf: never), its fit-out, the earliest it may open (``ready``) and its lifetime (``life``)."""
    rng = np.random.default_rng(seed)
    n = n_initial + n_later
    served = rng.uniform(-2, H + 2, n_later)
    fitout = rng.choice([0.0, 0.7, 3.0], n_later)
    ready = np.where(rng.random(n_later) < 0.3, rng.uniform(0, H, n_later), -np.inf)
    served[:4], fitout[:4], ready[:4] = [0.0, 5.0, 11.0, 12.0], 0.0, -np.inf  # open on month and year boundaries
    served[4:7] = np.inf  # never had space: not booked
    served[-3:] = [-20.0, H + 0.5, 3.0]  # FDI from before the start, after the horizon
    life = rng.exponential(20, n)
    life[::5] = np.inf
    exit_t = life[:n_initial].copy()  # initial firms: the lifetime runs from 0
    exit_t[1] = 12.0  # an initial firm exiting at a year end
    fdi = np.where(rng.random(n) < 0.4, rng.uniform(10, 500, n), 0.0)
    fdi[-3:] = 100.0
    return dict(
        open_t=np.full(n_initial, -np.inf),
        exit_t=exit_t,
        served=served,
        fitout=fitout,
        ready=ready,
        life=life[n_initial:],
        ramp=np.r_[np.zeros(n_initial), rng.choice([0.0, 0.5, 3.0, 40.0], n_later)],
        size=rng.lognormal(0, 1, n),
        employees=rng.lognormal(4, 1, n),
        sector=rng.integers(0, S, n).astype(np.int64),
        origin=np.r_[np.zeros(n_initial), rng.integers(1, 3, n_later)].astype(np.uint64),
        fdi=fdi,
        fdi_t=np.zeros(n_initial),
        n_initial=n_initial,
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


def booked(t: dict) -> dict:
    """The firms the pass books, one table: the initial ones, then the later ones that had their
    space, opening at max(served + fitout, ready) and exiting a lifetime later, their FDI paid from
    ``served``."""
    k, got = t["n_initial"], np.isfinite(t["served"])
    later_open = np.maximum(t["served"] + t["fitout"], t["ready"])[got]
    keep = np.r_[np.ones(k, bool), got]
    out = {c: t[c][keep] for c in ("ramp", "size", "employees", "sector", "origin", "fdi")}
    out["open_t"] = np.r_[t["open_t"], later_open]
    out["exit_t"] = np.r_[t["exit_t"], later_open + t["life"][got]]
    out["fdi_t"] = np.r_[t["fdi_t"], t["served"][got]]
    return out


def reference(t: dict, eps: np.ndarray) -> tuple:
    """§7.7-7.9, §7.11 and the year-end counts of §7.13, term by term in plain Python."""
    t = {**t, **booked(t)}
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
    k = t["n_initial"]
    return firm_months(
        gen,
        (
            t["open_t"],
            t["exit_t"],
            *(t[c][:k] for c in ("ramp", "size", "employees", "sector", "origin", "fdi")),
            t["fdi_t"],
        ),
        (
            *(t[c] for c in ("served", "fitout", "ready", "life")),
            *(t[c][k:] for c in ("ramp", "size", "employees", "sector", "origin", "fdi")),
        ),
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
    eps = np.random.Generator(np.random.PCG64(seed)).standard_normal((len(booked(t)["open_t"]), H))
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
    b.standard_normal((len(booked(t)["open_t"]), H))
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


def numpy_series(a: dict) -> tuple:
    """The monthly series, yearly values, yearly mean macro factor and count rates as numpy
    computes them (the model's former array expressions)."""
    ends = np.arange(1, H + 1, dtype=float)
    trade = a["trade"] * a["trade_mult"]
    done = a["done_t"][:, None] <= ends[None, :]
    rows = []
    for k, j in zip(a["kind"], a["index"], strict=True):
        rows.append(
            {
                K.MODE: lambda j=j: trade[:, j],
                K.TOTAL: lambda: trade.sum(axis=1),
                K.OUTPUT: lambda: a["output"],
                K.FDI: lambda: a["paid"],
                K.ACTIVE: lambda: a["active"],
                K.STAFF: lambda: a["staff"],
                K.DEVELOPMENT: lambda: development_rate(
                    a["developed0_ha"], a["area_ha"], a["done_t"][a["area_item"]], a["fenced_ha"], H
                ),
                K.BUSINESS: lambda: done[a["is_business"]].sum(axis=0),
                K.LEADERS: lambda j=j: (
                    a["t"][(a["origin"] == 2) & (a["group"] == a["leader_key"][j])] <= ends[:, None]
                ).sum(axis=1),
                K.DONE: lambda j=j: done[j],
            }[k]()
        )
    out = np.array(rows, dtype=float)
    by_year = out.reshape(len(out), H // 12, 12)
    values = np.where(a["is_flow"][:, None], by_year.sum(axis=2), by_year[:, :, -1])
    lam = a["base"][:, None] + a["per_firm"][:, None] * (a["members"] @ a["operating"])
    return out, values, a["macro"].reshape(H // 12, 12).sum(axis=1) / 12, lam


@pytest.mark.parametrize("seed", [1, 2])
def test_series_equal_numpy_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    n_items, n_signed = 6, 40
    kind = np.array(
        [
            K.TOTAL,
            *[K.MODE] * 5,
            K.OUTPUT,
            K.FDI,
            K.DEVELOPMENT,
            K.ACTIVE,
            K.STAFF,
            K.BUSINESS,
            K.LEADERS,
            K.LEADERS,
            *[K.DONE] * n_items,
        ]
    )
    index = np.array([0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 1, *range(n_items)])
    a = dict(
        kind=kind,
        index=index,
        is_flow=np.isin(kind, [K.TOTAL, K.MODE, K.OUTPUT, K.FDI]),
        trade=rng.lognormal(0, 2, (H, 5)),
        trade_mult=rng.uniform(0.9, 1.3, (H, 5)),
        output=rng.lognormal(0, 2, H),
        paid=rng.lognormal(0, 2, H),
        active=rng.integers(0, 99, H).astype(float),
        staff=rng.lognormal(5, 1, H),
        done_t=np.r_[rng.uniform(0, H + 6, n_items - 2), 12.0, np.inf],
        is_business=rng.random(n_items) < 0.5,
        developed0_ha=37.3,
        area_ha=rng.uniform(1, 30, 4),
        area_item=np.array([0, 2, 3, 5]),
        fenced_ha=881.0,
        leader_key=np.array([11, 22], dtype=np.uint64),
        t=np.r_[rng.uniform(0, H + 3, n_signed - 1), 12.0],
        origin=rng.integers(1, 4, n_signed).astype(np.uint64),
        group=rng.choice(np.array([11, 22, 33], dtype=np.uint64), n_signed),
        macro=rng.lognormal(0, 0.3, H),
        base=np.array([1.5, 0.0]),
        per_firm=np.array([0.02, 0.3]),
        members=np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]]),
        operating=rng.integers(0, 400, (3, H // 12)).astype(float),
    )
    want = numpy_series(a)
    got = series(*a.values())
    for name, w, g in zip(("series", "values", "macro_yearly", "lam"), want, got, strict=True):
        assert g.shape == w.shape, name
        assert np.array_equal(g.view(np.uint64), w.view(np.uint64)), f"{name} differs from numpy's"
    assert want[0][12].max() > 0 and want[0][-1].max() == 0, "leaders counted, an item never done"
