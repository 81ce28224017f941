"""The SimPy processes of one replication: what moves the zone's state during the run.

* :func:`item`         an infrastructure project or policy milestone: at its completion time
                       (known before the run) puts a project's space into the containers and
                       releases the firms waiting for the item;
* :func:`lead_source`  month by month, Poisson leads per sector (base rate x lead-rate
                       multiplier, plus leads brought by promotion events); a signed lead that
                       can be held up by nothing joins the firm table at once, the others start
                       a :func:`signed` process;
* :func:`signed`       a signed firm's wait for space (with a deadline), fit-out, wait for a
                       required milestone, opening;
* :func:`leader`       a leading-enterprise candidate (龙头): signs or not within a window,
                       then waits for space without a deadline, fits out and opens;
* :func:`month_ends`   at each month end: closes the month's books (:mod:`sim.model.bookkeeping`),
                       then the month's exits give their space back.

:func:`start` starts them all in their fixed order. Every function takes the zone's state
(:class:`~sim.model.state.ZoneState`) as its first argument.
"""

from __future__ import annotations

import numpy as np

from reference_model.bookkeeping import Books
from reference_model.state import INF, ZoneState


def start(z: ZoneState, books: Books) -> None:
    """Start every process, in the order that fixes same-instant event order: projects, then
    milestones (file order), leader candidates, the lead source, the month ends."""
    c, lv = z.sc.constants, z.sc.levers
    for pid, spec in c.projects.items():
        z.env.process(item(z, "project", pid, spec))
    for mid, spec in c.milestones.items():
        z.env.process(item(z, "milestone", mid, spec))
    for lid in c.leaders:
        for k in range(lv.leader_candidates[lid]):
            z.env.process(leader(z, lid, k))
    z.env.process(lead_source(z))
    z.env.process(month_ends(z, books))


def item(z: ZoneState, kind: str, iid: str, spec):
    """At its completion time, a project puts its land and warehouse space on offer; either
    kind releases the firms waiting for it."""
    yield z.env.timeout(z.T[iid])
    if kind == "project":
        if spec.serviced_land_ha > 0:
            yield z.land.put(spec.serviced_land_ha)
        if spec.warehouse_k_m2 > 0:
            yield z.warehouse.put(spec.warehouse_k_m2)
    z.note(f"{kind}_done", iid)
    z.done[iid].succeed()


def lead_source(z: ZoneState):
    """Leads month by month: Poisson counts with the month's rate, uniform times within it.

    Each lead's signing decision, signing delay and fit-out time are drawn on arrival. A
    signed firm that needs no space and waits for no pending milestone cannot be held up by
    anything, so its open time is known at once and it joins the firm table directly; the
    others become :func:`signed` processes that compete for space or wait for the milestone."""
    lv = z.sc.levers
    base = np.array([x["lead_rate_per_month"] for x in z.su])
    weights = base / base.sum() if base.sum() > 0 else np.zeros_like(base)
    per_event = z.p["uncertainties"]["promotion"]["leads_per_event"]
    n_ev = lv.promotion_events_per_year
    # events evenly spread over each year: event k of a year falls in month floor((k + .5) * 12 / n)
    event_months = np.zeros(12, int)
    for k in range(n_ev):
        event_months[int((k + 0.5) * 12 / n_ev)] += 1
    c = z.sc.constants
    for m in range(z.H):
        for i, s in enumerate(z.sector_ids):
            lam = base[i] * z.lead_mult[m, i] + event_months[m % 12] * per_event * weights[i]
            if lam <= 0:
                continue
            g = z.streams(f"arrivals:{s}")
            n = g.poisson(lam)
            if n == 0:
                continue
            x = z.su[i]
            arrive = np.sort(g.uniform(m, m + 1, n))
            signs = g.random(n) < x["sign_prob"]
            delay = g.exponential(x["sign_delay_months"], n) if x["sign_delay_months"] > 0 else np.zeros(n)
            fitout = g.exponential(x["fitout_months"], n) if x["fitout_months"] > 0 else np.zeros(n)
            z.lost["no_sign"] += int(n - signs.sum())
            t_sign, fitout = arrive[signs] + delay[signs], fitout[signs]
            if not len(t_sign):
                continue
            spec = c.sectors[s]
            gate = spec.requires_milestone
            if (spec.space != "none" and spec.space_per_firm > 0) or (gate and z.T[gate] > m):
                attrs = zip(
                    t_sign.tolist(),
                    fitout.tolist(),
                    *(a.tolist() for a in _firm_attributes(z, s, len(t_sign))),
                    strict=True,
                )
                for a in attrs:
                    z.env.process(signed(z, s, *a))
            else:
                _open_now_known(z, s, t_sign, fitout)
        if event_months[m % 12]:
            z.note("promotion", f"month {m + 1}: {event_months[m % 12]} event(s)")
        yield z.env.timeout(1.0)


def _firm_attributes(z: ZoneState, s: str, n: int):
    """Size, employees, FDI and exit time (relative to opening) of n new firms of sector s."""
    x = z.su[z.sidx[s]]
    g = z.streams(f"firms:{s}")
    foreign = g.random(n) < x["foreign_prob"]
    fdi = g.exponential(x["fdi_wan_usd"], n) * foreign if x["fdi_wan_usd"] > 0 else np.zeros(n)
    size = x["trade_median_yi"] * np.exp(x["trade_sigma"] * g.standard_normal(n))
    employees = x["employees_median"] * np.exp(x["employees_sigma"] * g.standard_normal(n))
    rate = x["exit_rate_per_year"]
    exit_rel = g.exponential(12.0 / rate, n) if rate > 0 else np.full(n, INF)
    return fdi, size, employees, exit_rel


def _pay_fdi(z: ZoneState, t0, fdi) -> None:
    """FDI of each firm is paid in equal tranches from t0 (when the firm has its space)."""
    c = z.sc.constants
    t0, fdi = np.atleast_1d(t0), np.atleast_1d(fdi)
    paying = fdi > 0
    if paying.any():
        k = c.fdi_tranches
        times = t0[paying, None] + c.fdi_tranche_interval_months * np.arange(k)
        z.fdi.extend(zip(times.ravel().tolist(), np.repeat(fdi[paying] / k, k).tolist(), strict=True))


def _open_now_known(z: ZoneState, s: str, t_sign: np.ndarray, fitout: np.ndarray) -> None:
    """Signed firms that nothing can hold up: they join the firm table at once, opening at
    signing + fit-out."""
    fdi, size, employees, exit_rel = _firm_attributes(z, s, len(t_sign))
    _pay_fdi(z, t_sign, fdi)
    open_t = t_sign + fitout
    z.firms.add(
        len(t_sign),
        sector=z.sidx[s],
        open_t=open_t,
        exit_t=open_t + exit_rel,
        size=size,
        ramp=z.su[z.sidx[s]]["rampup_months"],
        employees=employees,
        space=0.0,
        leader=0.0,
    )
    if z.trace:
        z.log.extend((round(float(t), 9), "signed", s) for t in t_sign)
        z.log.extend((round(float(t), 9), "opened", s) for t in open_t)


def signed(
    z: ZoneState, s: str, t_sign: float, fitout: float, fdi: float, size: float, employees: float, exit_rel: float
):
    """A signed firm that needs space (waits at most max_wait_months) or a pending milestone."""
    x = z.su[z.sidx[s]]
    yield z.env.timeout(t_sign - z.env.now)
    z.note("signed", s)
    spec = z.sc.constants.sectors[s]
    need = spec.space_per_firm if spec.space != "none" else 0.0
    if need > 0:
        req = z.container(spec.space).get(need)
        got = yield req | z.env.timeout(x["max_wait_months"])
        if req not in got:
            req.cancel()
            z.lost["no_space"] += 1
            z.note("lost_no_space", s)
            return
    _pay_fdi(z, z.env.now, fdi)
    yield from _fit_out_and_open(
        z,
        s,
        fitout,
        dict(size=size, employees=employees, exit_rel=exit_rel, ramp=x["rampup_months"], space=need, leader=0.0),
    )


def _fit_out_and_open(z: ZoneState, s, fitout, attrs, label=None):
    """Fit out, wait for the sector's required milestone if it is pending, then open."""
    if fitout > 0:
        yield z.env.timeout(fitout)
    gate = z.sc.constants.sectors[s].requires_milestone
    if gate and not z.done[gate].triggered:
        z.note("waits_for", f"{s}:{gate}")
        yield z.done[gate]
    now = z.env.now
    z.firms.add(
        sector=z.sidx[s],
        open_t=now,
        exit_t=now + attrs["exit_rel"],
        size=attrs["size"],
        ramp=attrs["ramp"],
        employees=attrs["employees"],
        space=attrs["space"],
        leader=attrs["leader"],
    )
    z.note("opened", label or s)


def leader(z: ZoneState, lid: str, k: int):
    """Candidate k of leader pipeline lid: signs or not at a uniform time within the window; a
    signed leader waits for space as long as it takes, fits out, opens and never exits."""
    spec = z.sc.constants.leaders[lid]
    lu = z.p["uncertainties"]["leaders"][lid]
    g = z.streams(f"leaders:{lid}:{k}")
    t_sign = g.uniform(0, spec.window_months)
    signs = g.random() < lu["sign_prob"]
    if not signs:
        return
    yield z.env.timeout(t_sign)
    z.leaders_signed[lid].append(z.env.now)
    z.note("leader_signed", lid)
    kind = z.sc.constants.sectors[spec.sector].space
    need = spec.space_per_firm if kind != "none" else 0.0
    if need > 0:
        yield z.container(kind).get(need)
    _pay_fdi(z, z.env.now, lu["fdi_wan_usd"])
    yield from _fit_out_and_open(
        z,
        spec.sector,
        lu["fitout_months"],
        dict(
            size=lu["trade_yi"],
            employees=lu["employees"],
            exit_rel=INF,
            ramp=lu["rampup_months"],
            space=need,
            leader=1.0,
        ),
        label=f"leader:{lid}",
    )


def month_ends(z: ZoneState, books: Books):
    """At each month end (t = m + 1): close the month's books, then give back the space of the
    firms whose exit time falls in (m, m + 1], one put per kind of space (waking waiting firms)."""
    for m in range(z.H):
        yield z.env.timeout(1.0)
        f = z.firms.arrays()
        sec = f["sector"].astype(int)
        books.close_month(m, f, sec)
        lo, hi = float(m), float(m + 1)
        leaving = (f["exit_t"] > lo) & (f["exit_t"] <= hi) & (f["space"] > 0) & ~z.firms.released[: len(sec)]
        if leaving.any():
            z.firms.released[: len(sec)] |= leaving
            for kind in ("land", "warehouse"):
                amount = float(f["space"][leaving & (z.space_kind[sec] == kind)].sum())
                if amount > 0:
                    yield z.container(kind).put(amount)
