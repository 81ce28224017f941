"""Who signs, and when: the leads of every month and sector and the leader candidates, drawn up front.

Nothing here waits for an event, so all of it is drawn before the run, in a few vectorised
calls (docs/model.md §7.3-7.5):

* leads: a Poisson count per (month, sector) with the month's rate (base rate x lead-rate
  multiplier, plus the leads of the month's promotion events), each count the inverse transform
  of the cell's own uniform; lead j of a sector draws nine numbers of its own (arrival within the
  month, signing, signing delay, fit-out, foreign, FDI, size, employees, lifetime);
* leader candidates: candidate k of a pipeline signs or not at a uniform time within the window.

The result is the table of signed firms (:class:`Signed`), each with the time it starts looking
for space; :mod:`sim.model.space` then finds when each gets its space.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import sim.model.inverse as inverse
from sim.model.drawn import LeaderParams
from sim.model.firms import Firms
from sim.model.spec import NO_SPACE, name_id
from sim.model.state import ZoneState

LEAD, LEADER, PIPELINE = 1, 2, 3
"""``Firms.origin`` of a signed lead, of a leader and of a lead of the months before the start."""

_Part = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, Firms]
"""Signing times, space kinds, deadlines, fit-out months and the firms of one kind of signing."""


@dataclass
class Signed:
    """Signed firms, in no particular order: ``t`` signing time, ``kind`` space-kind code
    (``NO_SPACE`` if none is needed), ``deadline`` last moment it still takes space (inf for
    leaders), ``fitout`` months from space to ready, and ``firm`` its attributes as a
    :class:`~sim.model.state.Firms` table whose open, exit and FDI times are filled once its
    space is known (``exit_t`` holds the lifetime meanwhile); ``ready`` the earliest it may open:
    its sector's required milestone's completion (-inf if none)."""

    t: np.ndarray
    kind: np.ndarray
    deadline: np.ndarray
    fitout: np.ndarray
    firm: Firms
    ready: np.ndarray


def signed_firms(z: ZoneState) -> Signed:
    """Every lead and leader candidate of the run that signs (see the module docstring)."""
    leads = _leads(z)
    leaders = _leaders(z)
    parts = [p for p in (leads, leaders, _pipeline(z)) if p is not None]
    firm = Firms.concat([p[4] for p in parts])
    gate = np.array([z.T[g] if g else -np.inf for g in z.spec.gate])
    return Signed(
        t=np.concatenate([p[0] for p in parts]),
        kind=np.concatenate([p[1] for p in parts]),
        deadline=np.concatenate([p[2] for p in parts]),
        fitout=np.concatenate([p[3] for p in parts]),
        firm=firm,
        ready=gate[firm.sector],
    )


def lead_rates(z: ZoneState) -> np.ndarray:
    """[month, sector] Poisson mean of the month's leads."""
    s, x = z.spec, z.x
    base = x.lead_rate_per_month
    weights = base / base.sum() if base.sum() > 0 else np.zeros_like(base)
    per_event = z.drawn.leads_per_event
    events = s.event_months[np.arange(z.H) % 12]
    return base * z.lead_mult + events[:, None] * per_event * weights


def _leads(z: ZoneState) -> _Part:
    s, x, d = z.spec, z.x, z.draws
    S, H = len(s.sector_ids), z.H
    lam = lead_rates(z)
    counts = inverse.poisson(d.uniforms("lead_counts", 1, np.arange(H)[:, None], s.sector_key[None, :])[..., 0], lam)
    per_sector = counts.sum(axis=0)
    flat = counts.T.ravel()  # sector-major: the leads of a sector in month order
    sec = np.repeat(np.repeat(np.arange(S), H), flat)
    month = np.repeat(np.tile(np.arange(H), S), flat)
    number = np.arange(len(sec)) - np.repeat(np.cumsum(per_sector) - per_sector, per_sector)
    u = d.uniforms("leads", 9, s.sector_key[sec], number)
    signs = u[:, 1] < x.sign_prob[sec]
    u, sec, number = u[signs], sec[signs], number[signs]
    t = month[signs] + u[:, 0] + inverse.exponential(u[:, 2], x.sign_delay_months[sec])
    firm = _signed_firms(z, u, sec, number, LEAD)
    kind = np.where(s.need[sec] > 0, s.space_kind[sec], NO_SPACE)
    return t, kind, t + x.max_wait_months[sec], inverse.exponential(u[:, 3], x.fitout_months[sec]), firm


def _signed_firms(z: ZoneState, u: np.ndarray, sec: np.ndarray, number: np.ndarray, origin: int) -> Firms:
    """The firms of signed leads (ordinary or of the pipeline before the start) from their uniforms ``u``
    (columns 4-8: foreign, FDI, size, employees, lifetime), by sector ``sec``, not yet open."""
    s, x = z.spec, z.x
    foreign = u[:, 4] < x.foreign_prob[sec]
    n = len(sec)
    return Firms(
        sector=sec,
        open_t=np.zeros(n),
        exit_t=inverse.lifetime(u[:, 8], x.exit_rate_per_year[sec]),
        size=inverse.lognormal(u[:, 6], x.trade_median_yi[sec], x.trade_sigma[sec]),
        ramp=x.rampup_months[sec],
        employees=inverse.lognormal(u[:, 7], x.employees_median[sec], x.employees_sigma[sec]),
        space=s.need[sec],
        leader=np.zeros(n),
        fdi=inverse.exponential(u[:, 5], x.fdi_wan_usd[sec]) * foreign,
        fdi_t=np.zeros(n),
        origin=np.full(n, origin, np.uint64),
        group=s.sector_key[sec],
        number=number.astype(np.uint64),
    )


def _leaders(z: ZoneState) -> _Part | None:
    pipes = [pl for pl in z.spec.leaders if pl.candidates > 0]
    if not pipes:
        return None
    lu = z.drawn.leaders
    idx = np.concatenate([np.full(pl.candidates, i) for i, pl in enumerate(pipes)])
    number = np.concatenate([np.arange(pl.candidates) for pl in pipes])
    key = np.array([name_id(pl.lid) for pl in pipes], dtype=np.uint64)
    u = z.draws.uniforms("leaders", 2, key[idx], number)
    col = {k: np.array([getattr(lu[pl.lid], k) for pl in pipes])[idx] for k in LeaderParams._fields}
    signs = u[:, 1] < col["sign_prob"]
    t = (u[:, 0] * np.array([pl.window for pl in pipes])[idx])[signs]
    idx, number, col = idx[signs], number[signs], {k: v[signs] for k, v in col.items()}
    n = len(idx)
    need = np.array([pl.need for pl in pipes])[idx]
    kind = np.where(need > 0, np.array([pl.kind for pl in pipes])[idx], NO_SPACE)
    firm = Firms(
        sector=np.array([pl.sector for pl in pipes], int)[idx],
        open_t=np.zeros(n),
        exit_t=np.full(n, np.inf),
        size=col["trade_yi"],
        ramp=col["rampup_months"],
        employees=col["employees"],
        space=need,
        leader=np.ones(n),
        fdi=col["fdi_wan_usd"],
        fdi_t=np.zeros(n),
        origin=np.full(n, LEADER, np.uint64),
        group=key[idx],
        number=number.astype(np.uint64),
    )
    return t, kind, np.full(n, np.inf), col["fitout_months"], firm


def _pipeline(z: ZoneState) -> _Part | None:
    """The firms the zone carries into its first year (docs/model.md §5.2): leads of the
    ``initial_state.pipeline_months`` months before the start, at the sectors' base lead rates and
    the year's average promotion, each signing, delay and fit-out drawn as a lead's (streams of
    their own). A firm that would have opened before the start is in the base year already and is
    dropped; one still fitting out at the start holds the space it took (no competition for it)
    and opens after its remaining fit-out; one that signs after the start looks for space as any
    lead does."""
    P = z.spec.sc.initial_state.pipeline_months
    if P <= 0:
        return None
    s, x, d = z.spec, z.x, z.draws
    S = len(s.sector_ids)
    open_now = np.array([not g for g in s.gate])  # a business type still to launch has no pipeline
    base = x.lead_rate_per_month * open_now
    weights = base / base.sum() if base.sum() > 0 else np.zeros_like(base)
    events = s.event_months.mean() * z.drawn.leads_per_event * weights
    lam = np.broadcast_to(base + events, (P, S))
    counts = inverse.poisson(
        d.uniforms("pipeline_counts", 1, np.arange(P)[:, None], s.sector_key[None, :])[..., 0], lam
    )
    per_sector = counts.sum(axis=0)
    flat = counts.T.ravel()
    sec = np.repeat(np.repeat(np.arange(S), P), flat)
    month = np.repeat(np.tile(np.arange(P) - P, S), flat)
    number = np.arange(len(sec)) - np.repeat(np.cumsum(per_sector) - per_sector, per_sector)
    u = d.uniforms("pipeline_leads", 9, s.sector_key[sec], number)
    signs = u[:, 1] < x.sign_prob[sec]
    u, sec, number = u[signs], sec[signs], number[signs]
    t = month[signs] + u[:, 0] + inverse.exponential(u[:, 2], x.sign_delay_months[sec])
    fitout = inverse.exponential(u[:, 3], x.fitout_months[sec])
    under_way = t + fitout > 0  # not yet open at the start
    u, sec, number, t, fitout = u[under_way], sec[under_way], number[under_way], t[under_way], fitout[under_way]
    before = t < 0  # signed before the start: its space is taken, the rest of its fit-out remains
    firm = _signed_firms(z, u, sec, number, PIPELINE)
    kind = np.where(before | (s.need[sec] <= 0), NO_SPACE, s.space_kind[sec])
    deadline = np.where(before, np.inf, t + x.max_wait_months[sec])
    return np.maximum(t, 0.0), kind, deadline, np.where(before, t + fitout, fitout), firm
