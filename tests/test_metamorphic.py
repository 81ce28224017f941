"""Metamorphic tier: how outputs must move when inputs move, and what must not move at all.

Common random numbers: every random number of a replication has an address (stream, entity, k;
sim/model/draws.py), so every uncertain parameter, every cell of lead counts and every lead's own
numbers are the same in two variants of a scenario run with the same seed, entity by entity.

Which relations hold replication by replication (asserted per rep) and which only in
expectation (asserted on paired means, 4 SE) follows from reading sim/model/ (arrivals.py,
space.py, schedule.py, bookkeeping.py):

* per replication: identical output for the same seed (and whatever the worker count); the
  done time of every project/milestone is non-increasing in infrastructure_funding (the slip's
  uniform is shared and ``funded_due`` is monotone; dependencies take a max of monotone times);
  trade scales linearly with firm sizes (sizes never feed back into events); a disruption can
  only remove between 0 and ``depth`` of a month's trade (its stream is separate); zero leads
  leave exactly the initial firms.
* in expectation only: more promotion events raise the Poisson mean of every (month, sector)
  cell, and each cell's count is the inverse transform of its own uniform (sim/model/inverse.py),
  so no cell gets fewer leads and every lead keeps its own numbers; but the extra signed firms
  compete for serviced land and warehouse space (a firm still waiting at its deadline is lost:
  space.py), so one extra firm can take the space two later ones needed, and the monthly trade
  noise is drawn as one block over all firms (bookkeeping.py), so an extra firm shifts the
  noise of the others: a single replication can end with fewer firms or less trade.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import mean_se, params, reps_for_several_chunks, run_experiment, scenario, simulate_rep

from sim.scenario.loader import deep_merge
from sim.vocabulary.outcomes import BASE_PREFIX

SECTORS = ("make", "shop", "svc")


def leads(patch: dict | None = None):
    return scenario("tiny_leads.toml", patch)


def done_times(log) -> dict[str, float]:
    return {d: t for t, e, d in log if e in ("project_done", "milestone_done")}


# ------------------------------------------------------------------------------ promotion


@pytest.mark.slow
@pytest.mark.parametrize("setting", ["uncontended", "contended"])
def test_more_promotion_never_lowers_expected_entries(setting):
    # Paired comparison over R reps with common random numbers: d_r = N_r(more) - N_r(fewer), where
    # N = active_enterprises of the last year (every firm that opened and had not exited before
    # that year). "Never lowers": mean(d) >= -4 SE(d), SE = sd(d) / sqrt(R).
    if setting == "uncontended":
        # svc only (no space, no gate, no exits, no signing or fit-out delay, so every signed lead
        # opens at arrival): k events a year add k x H/12 x E[leads_per_event] x E[sign_prob] firms in
        # expectation, so here the paired increase must also match that closed form.
        base = {
            "base_year": {"enterprises": {"make": 0, "shop": 0, "svc": 0}},
            "levers": {"leader_candidates": {"anchor": 0, "big": 0}},
            "uncertainties": {
                "sectors": {
                    "make": {"lead_rate_per_month": 0},
                    "shop": {"lead_rate_per_month": 0},
                    "svc": {"exit_rate_per_year": 0, "sign_delay_months": 0, "fitout_months": 0},
                }
            },
        }
    else:
        # tiny_leads as is: land and warehouse shortages (leads lost), exits, the cbec gate, leaders,
        # signing and fit-out delays (leads of late events may not open by the horizon).
        base = {}
    R = 150
    events = [0, 2, 6]
    scs = {k: leads(deep_merge(base, {"levers": {"promotion_events_per_year": k}}, {}, "<test>")) for k in events}
    n = {
        k: np.array([simulate_rep(scs[k], seed=13, rep=r).yearly["active_enterprises"][-1] for r in range(R)])
        for k in events
    }
    u = scs[0].uncertainties
    per_event = u.promotion.leads_per_event.mean() * u.sectors["svc"].sign_prob.mean()
    for lo, hi in itertools.pairwise(events):
        m, se = mean_se(n[hi] - n[lo])
        assert m >= -4 * se, f"{setting}: {hi} events/yr give {m:.2f} fewer firms than {lo} on average (SE {se:.2f})"
        if setting == "uncontended":
            expect = (hi - lo) * 2 * per_event  # H = 24 months = 2 years of events
            assert abs(m - expect) <= 4 * se, (
                f"{hi} vs {lo} events/yr: +{m:.2f} firms, expected +{expect:.2f} (SE {se:.2f})"
            )
            assert m - 4 * se > 0, f"more promotion should add firms: {m:.2f} +- {se:.2f}"


# ------------------------------------------------------------------------------ zero entry


def test_zero_leads_leaves_only_initial_firms():
    # No leads, no promotion, no leader candidates: the firms of every year are the initial ones
    # (whose number is itself drawn: svc is triangular 6..14), all active in the first year, some
    # gone in the second (exits are on), and no lead or leader events at all.
    sc = leads(
        {
            "levers": {"promotion_events_per_year": 0, "leader_candidates": {"anchor": 0, "big": 0}},
            "uncertainties": {"sectors": {s: {"lead_rate_per_month": 0} for s in SECTORS}},
        }
    )
    seen = set()
    for r in range(30):
        res = simulate_rep(sc, seed=17, rep=r, trace=True)
        init = sum(round(v) for v in params(sc, 17, r)["base_year"]["enterprises"].values())
        seen.add(init)
        assert res.yearly["active_enterprises"][0] == init, r
        assert res.yearly["active_enterprises"][1] <= init, r
        assert not [
            x
            for x in res.log
            if x[1] in ("signed", "opened", "lost_no_space", "leader_signed", "waits_for", "promotion")
        ], r
        assert np.all(res.yearly["trade_cbec"] == 0)  # shop has no initial firms
        assert np.all(res.yearly["leaders_anchor"] == 0) and np.all(res.yearly["leaders_big"] == 0)
    assert len(seen) > 1, "the initial count should vary across replications"


def test_no_cbec_trade_without_its_milestone():
    # The supervision site is planned for 2030: shop (cross-border e-commerce) leads sign and fit out,
    # the anchor leader signs, all wait for the site, and no cbec trade ever happens.
    sc = leads({"levers": {"milestone_month": {"site": "2030-01"}}})
    waited = 0
    for r in range(30):
        res = simulate_rep(sc, seed=19, rep=r, trace=True)
        assert np.all(res.monthly["trade_cbec"] == 0), r
        np.testing.assert_array_equal(res.yearly["done_site"], [0, 0])
        assert not [x for x in res.log if x[1] == "opened" and x[2] in ("shop", "leader:anchor")], r
        waited += sum(1 for x in res.log if x[1:] == ("waits_for", "shop:site"))
    assert waited > 0, "shop firms must have been ready and waiting, or the test shows nothing"


# ------------------------------------------------------------------------------ seeds and workers


def test_same_seed_same_output():
    sc = leads()
    a = run_experiment(sc, 12, seed=99)
    b = run_experiment(sc, 12, seed=99)
    assert a.names == b.names and a.years == b.years
    assert np.array_equal(a.values, b.values)
    assert simulate_rep(sc, 99, 5, trace=True).log == simulate_rep(sc, 99, 5, trace=True).log


def test_different_seeds_differ():
    sc = leads()
    a = run_experiment(sc, 12, seed=99).values
    b = run_experiment(sc, 12, seed=100).values
    names = run_experiment(sc, 1, seed=99).names
    t = names.index("trade_total")
    assert not np.array_equal(a, b)
    assert np.all(a[:, :, t] != b[:, :, t]), "every replication's trade should change with the seed"
    # and different replications of one seed differ from each other
    assert len(np.unique(a[:, -1, t])) == len(a)


@pytest.mark.slow
def test_one_worker_equals_two_workers():
    # enough replications for the runner to cut at least three chunks, so the two workers finish
    # them out of order and the runner must put them back in replication order
    sc = leads()
    reps = reps_for_several_chunks()
    one = run_experiment(sc, reps, seed=5, workers=1, small_chunks=True)
    two = run_experiment(sc, reps, seed=5, workers=2, small_chunks=True)
    assert one.values.shape == (reps, 2, len(one.names))
    assert np.array_equal(one.values, two.values)
    assert np.array_equal(np.asarray(one.reps), np.arange(reps)) and np.array_equal(
        np.asarray(two.reps), np.arange(reps)
    )
    # and both equal the replications run one by one (order and content)
    for r in (0, reps // 2, reps - 1):
        res = simulate_rep(sc, 5, r)
        y = {**res.yearly, **{BASE_PREFIX + k: np.full(len(res.years), v) for k, v in res.base.items()}}
        np.testing.assert_array_equal(two.values[r], np.column_stack([y[n] for n in two.names]))


# ------------------------------------------------------------------------------ funding


def test_more_funding_never_makes_a_project_later():
    # elasticity and every slip are drawn (tiny_leads), shared across the three funding levels
    fundings = [0.5, 1.0, 2.0]
    scs = [leads({"levers": {"infrastructure_funding": f}}) for f in fundings]
    items = [*scs[0].constants.projects, *scs[0].constants.milestones]
    projects = list(scs[0].constants.projects)
    strictly_earlier = 0
    for r in range(40):
        runs = [simulate_rep(sc, seed=23, rep=r, trace=True) for sc in scs]
        done = [done_times(res.log) for res in runs]
        for (lo, hi), (rlo, rhi) in zip(itertools.pairwise(done), itertools.pairwise(runs), strict=True):
            for k in items:
                t_lo, t_hi = lo.get(k, np.inf), hi.get(k, np.inf)
                assert t_hi <= t_lo + 1e-9, f"rep {r}: {k} done at {t_hi} with more funding, {t_lo} with less"
                assert np.all(rhi.yearly[f"done_{k}"] >= rlo.yearly[f"done_{k}"]), (r, k)
            strictly_earlier += sum(hi.get(k, np.inf) < lo.get(k, np.inf) - 1e-9 for k in projects)
    assert strictly_earlier > 0, "funding should move some project dates, or the test shows nothing"


# ------------------------------------------------------------------------------ scaling and shocks


def test_trade_scales_with_firm_sizes():
    # doubling every firm's size (and the above-size threshold) doubles every trade flow and the
    # industrial output in every replication, and changes nothing else
    base = leads()
    u = base.uncertainties
    patch = {
        "constants": {"above_size_revenue_yi": 2 * base.constants.above_size_revenue_yi},
        "uncertainties": {
            "sectors": {s: {"trade_median_yi": 2 * u.sectors[s].trade_median_yi.value} for s in SECTORS},
            "leaders": {
                k: {
                    "trade_yi": {
                        "dist": "lognormal",
                        "median": 2 * u.leaders[k].trade_yi.median,
                        "sigma": u.leaders[k].trade_yi.sigma,
                    }
                }
                for k in ("anchor", "big")
            },
        },
    }
    big = leads(patch)
    for r in range(15):
        a, b = simulate_rep(base, 29, r).yearly, simulate_rep(big, 29, r).yearly
        for k in a:
            if k.startswith("trade_") or k == "industrial_output":
                np.testing.assert_allclose(b[k], 2 * a[k], rtol=1e-10, atol=1e-12, err_msg=f"rep {r} {k}")
            else:
                np.testing.assert_array_equal(b[k], a[k], err_msg=f"rep {r} {k}")


@pytest.mark.parametrize("depth, cap", [(0.4, 1.0), (0.9, 0.5)])
def test_disruption_removes_at_most_its_depth(depth, cap):
    # same seed with and without disruption spells: the disruption stream is separate, so each
    # month's trade with spells is between (1 - min(depth, cap)) and 1 times the trade without.
    calm = leads({"uncertainties": {"disruption": {"spells_per_year": 0}}})
    rough = leads(
        {
            "constants": {"max_disruption_depth": cap},
            "uncertainties": {"disruption": {"spells_per_year": 2.0, "depth": depth, "length_months": 2.0}},
        }
    )
    hit = full = 0
    d = min(depth, cap)
    for r in range(15):
        a, b = simulate_rep(calm, 31, r).monthly["trade_total"], simulate_rep(rough, 31, r).monthly["trade_total"]
        assert np.all(b <= a * (1 + 1e-12)), r
        assert np.all(b >= a * (1 - d) * (1 - 1e-12)), r
        hit += int(np.any(b < a * (1 - 1e-9)))
        full += int(np.sum(np.isclose(b, a * (1 - d), rtol=1e-9)))  # months wholly inside a spell
    assert hit > 0 and full > 0, "spells at 2 a year should disrupt some months fully"
