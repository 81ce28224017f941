"""The competition for space (``sim.model.space``) against its rule stated plainly.

``space_times`` schedules a month end only where it can change something and does the work of
each event in a compiled kernel. ``plain_space_times`` below is the rule as docs/model.md §3
states it, in plain Python: one SimPy event per project that adds space and per month end, all
scheduled at the start; each settles the firms signed since the previous event in signing order
(served at their signing time if the space is free, else waiting), then puts its space back and
tries the waiting firms first-fit in signing order, dropping those past their deadline.

The two must give the same bits on replications of the baseline and of tiny_leads.toml, and on
the same replications made harder for the skipping of month ends: lifetimes and fit-outs so short
that a firm's space comes back at the month end after it took it (or before the event that
settles it), scarce space, projects completing at whole months (with a month end at the same
instant, and at 0) or mid-month while firms wait, signings at 0 and beyond the horizon.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
import simpy
from conftest import params, scenario

from sim.model.arrivals import signed_firms
from sim.model.draws import Draws
from sim.model.space import space_times
from sim.model.spec import NO_SPACE, spec_of
from sim.model.state import ZoneState
from sim.scenario import load_scenario

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"


def plain_space_times(z, sg) -> np.ndarray:
    """docs/model.md §3, "The SimPy part", event by event in plain Python."""
    s, H = z.spec, z.H
    served = np.where(sg.kind == NO_SPACE, sg.t, np.inf)
    env = simpy.Environment()
    markets = []
    for code, level in enumerate((z.land0, z.warehouse0)):
        release = [0.0] * (H + 1)
        init = z.initial
        for i in range(len(init.space)):
            if init.space[i] > 0 and s.space_kind[init.sector[i]] == code and init.exit_t[i] <= H:
                release[math.ceil(init.exit_t[i])] += init.space[i]
        rows = sorted(np.flatnonzero(sg.kind == code).tolist(), key=lambda r: sg.t[r])  # stable: ties in row order
        markets.append({"level": float(level), "release": release, "rows": rows, "next": 0, "waiting": []})

    def serve(mk, r, now):
        mk["level"] -= sg.firm.space[r]
        served[r] = now
        exit_t = max(now + sg.fitout[r], sg.ready[r]) + sg.firm.exit_t[r]
        if exit_t <= H:
            mk["release"][math.ceil(exit_t)] += sg.firm.space[r]

    def settle(mk, now):
        while mk["next"] < len(mk["rows"]) and sg.t[mk["rows"][mk["next"]]] <= now:
            r = mk["rows"][mk["next"]]
            mk["next"] += 1
            if sg.firm.space[r] <= mk["level"] + 1e-12:
                serve(mk, r, sg.t[r])
            else:
                mk["waiting"].append(r)

    def put(mk, now, amount):
        mk["level"] += amount
        if amount <= 0:
            return
        keep = []
        for r in mk["waiting"]:
            if sg.deadline[r] < now:
                continue
            if sg.firm.space[r] <= mk["level"] + 1e-12:
                serve(mk, r, now)
            else:
                keep.append(r)
        mk["waiting"] = keep

    def project_done(pid):
        def back(_):
            for mk, amount in zip(markets, (s.project_land[pid], s.project_warehouse[pid]), strict=True):
                if amount > 0:
                    settle(mk, env.now)
                    put(mk, env.now, amount)

        return back

    def month_end(m):
        def back(_):
            for mk in markets:
                settle(mk, env.now)
                put(mk, env.now, mk["release"][m])

        return back

    for pid in s.project_land:
        if (s.project_land[pid] > 0 or s.project_warehouse[pid] > 0) and z.T[pid] <= H:
            env.timeout(z.T[pid]).callbacks.append(project_done(pid))
    for m in range(1, H + 1):
        env.timeout(float(m)).callbacks.append(month_end(m))
    env.run()
    return served


def short_lives(z, sg, rng):
    """Lifetimes and fit-outs of days: space comes back in the month it was taken."""
    n = len(sg.t)
    firm = dataclasses.replace(sg.firm, exit_t=sg.firm.exit_t * rng.uniform(0, 0.02, n))
    return z, dataclasses.replace(sg, firm=firm, fitout=sg.fitout * 0.01)


def scarce_short(z, sg, rng):
    """Scarce space, lives of days and projects mid-month: firms wait and are served at project
    events, their space coming back at the next month end."""
    z, sg = short_lives(z, sg, rng)
    z.land0, z.warehouse0 = 0.05 * z.land0, 0.05 * z.warehouse0
    z.T = {k: float(rng.uniform(0, z.H)) for k in z.T}
    return z, sg


def whole_months(z, sg, rng):
    """Signings, exits and projects on whole months (projects at 0 too): events at one instant."""
    firm = dataclasses.replace(sg.firm, exit_t=np.floor(sg.firm.exit_t * 0.05))
    z.T = {k: float(rng.integers(0, z.H + 1)) for k in z.T}
    return z, dataclasses.replace(sg, t=np.floor(sg.t), firm=firm, fitout=np.round(sg.fitout))


def late_and_zero(z, sg, rng):
    """Signings beyond the horizon and at 0, space a tenth of the draw's."""
    t = sg.t * 1.3
    t[::7] = 0.0
    z.land0, z.warehouse0 = 0.1 * z.land0, 0.1 * z.warehouse0
    return z, dataclasses.replace(sg, t=t)


@pytest.mark.parametrize("name, reps", [("baseline", 12), ("tiny_leads.toml", 30)])
@pytest.mark.parametrize("variant", [None, short_lives, scarce_short, whole_months, late_and_zero])
def test_space_times_is_the_plain_rule(name, reps, variant):
    sc = scenario(name) if name.endswith(".toml") else load_scenario(BASELINE).scenario
    rng = np.random.default_rng(2026)
    waited = served_at_event = 0
    for rep in range(reps):
        z = ZoneState(spec_of(sc), params(sc, 5, rep), Draws(5, rep))
        sg = signed_firms(z)
        if variant is not None:
            z, sg = variant(z, sg, rng)
        want = plain_space_times(z, sg)
        got = space_times(z, sg)
        assert got.tobytes() == want.tobytes(), (
            f"{name} rep {rep} {getattr(variant, '__name__', '')}: rows {np.flatnonzero(got != want)[:5]} "
            f"got {got[got != want][:3]}, the plain rule {want[got != want][:3]}"
        )
        needs = sg.kind != NO_SPACE
        waited += int((want[needs] != sg.t[needs]).sum())
        served_at_event += int((np.isfinite(want) & (want != sg.t)).sum())
    # the cases exercise waiting and serving at events, not only firms served at once
    assert waited > 0 and served_at_event > 0
