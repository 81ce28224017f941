"""The pipeline a zone carries into its first year (docs/model.md §5.2, ``initial_state.pipeline_months``).

Exact: no pipeline (0) is the model without one, byte for byte; the run's own leads draw the same
numbers with or without a pipeline; no pipeline firm was open before the start, one signed before
the start needs no free space, and a sector whose business type is still to launch has none.
Statistical: a pipeline raises the first year's mean trade growth (more than 4 standard errors).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import params, scenario, simulate_rep

from sim.model.arrivals import LEAD, PIPELINE, signed_firms
from sim.model.draws import Draws
from sim.model.spec import NO_SPACE, spec_of
from sim.model.state import ZoneState


def _signed(sc, rep: int):
    return signed_firms(ZoneState(spec_of(sc), params(sc, 7, rep), Draws(7, rep)))


def test_no_pipeline_is_the_model_without_one():
    a = scenario("tiny_leads.toml")
    b = scenario("tiny_leads.toml", {"initial_state": {"pipeline_months": 0}})
    for rep in range(3):
        ya, yb = simulate_rep(a, rep=rep).yearly, simulate_rep(b, rep=rep).yearly
        assert all(np.array_equal(ya[k], yb[k]) for k in ya)


def test_the_runs_own_leads_are_the_same_with_a_pipeline():
    a = scenario("tiny_leads.toml")
    b = scenario("tiny_leads.toml", {"initial_state": {"pipeline_months": 24}})
    for rep in range(3):
        sa, sb = _signed(a, rep), _signed(b, rep)
        la, lb = sa.firm.origin == LEAD, sb.firm.origin == LEAD
        assert np.array_equal(sa.t[la], sb.t[lb]) and np.array_equal(sa.firm.size[la], sb.firm.size[lb])
        assert (sb.firm.origin == PIPELINE).sum() > 0


def test_pipeline_firms_are_under_way_at_the_start():
    sc = scenario("tiny_leads.toml", {"initial_state": {"pipeline_months": 24}})
    gated = [i for i, g in enumerate(spec_of(sc).gate) if g]
    seen_before = 0
    for rep in range(5):
        sg = _signed(sc, rep)
        p = sg.firm.origin == PIPELINE
        assert np.all(sg.t[p] >= 0)  # signed before the start: looking from the start, not earlier
        assert np.all(sg.t[p] + sg.fitout[p] > 0)  # nobody open before the start
        before = p & (sg.kind == NO_SPACE) & np.isinf(sg.deadline)
        seen_before += before.sum()
        assert np.all(sg.t[before] == 0)
        assert not np.isin(sg.firm.sector[p], gated).any()
    assert seen_before > 0


def test_a_pipeline_raises_first_year_growth():
    reps = 150
    growth = {}
    for months in (0, 24):
        sc = scenario("tiny_leads.toml", {"initial_state": {"pipeline_months": months}})
        g = []
        for rep in range(reps):
            r = simulate_rep(sc, seed=3, rep=rep)
            g.append(r.yearly["trade_total"][0] / r.base["trade_total"] - 1)
        growth[months] = np.asarray(g)
    d = growth[24] - growth[0]  # paired: same replications, same draws of everything else
    assert d.mean() > 4 * d.std(ddof=1) / np.sqrt(reps), (growth[0].mean(), growth[24].mean())


def test_base_year_openers_show_part_of_a_year_and_the_figures_stay_exact():
    """With a pipeline some initial firms opened during the base year (seen < 1); the stated
    base-year flows are what the firms showed, so the totals still equal the stated figures; without
    one every firm showed a full year."""
    from sim.model.initial import firm_totals

    leads = {"sectors": {"make": {"lead_rate_per_month": 0.5}, "svc": {"lead_rate_per_month": 1.0}}}
    sc = scenario("tiny_base.toml", {"initial_state": {"pipeline_months": 24}, "uncertainties": leads})
    none = scenario("tiny_base.toml", {"uncertainties": leads})
    for rep in range(3):
        z = ZoneState(spec_of(sc), params(sc, 7, rep), Draws(7, rep))
        assert (z.cohort.seen < 1).any() and np.all((z.cohort.seen > 0) & (z.cohort.seen <= 1))
        got = firm_totals(z.initial, z.cohort, z.spec, z.developed0_ha)
        for k, v in z.drawn.base_year.stated.items():
            if k.startswith("trade_") or k == "industrial_output":
                assert got[k] == pytest.approx(v, rel=1e-9), k
        z0 = ZoneState(spec_of(none), params(none, 7, rep), Draws(7, rep))
        assert np.all(z0.cohort.seen == 1)
