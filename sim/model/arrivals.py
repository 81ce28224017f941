"""Who signs, and when: the leads of every month and sector and the leader candidates, drawn up front.

Nothing here waits for an event, so all of it is drawn before the run, in a few calls per kind
of signing (docs/model.md §7.3-7.5):

* leads: a Poisson count per (month, sector) with the month's rate (base rate x lead-rate
  multiplier, plus the leads of the month's promotion events), each count the inverse transform
  of the cell's own uniform; lead j of a sector draws nine numbers of its own (arrival within the
  month, signing, signing delay, fit-out, foreign, FDI, size, employees, lifetime);
* leader candidates: candidate k of a pipeline signs or not at a uniform time within the window.

A kind of leads (those of the run, those of the months before the start) is a handful of calls:
its counts, the compiled expansion of the counts into leads, their numbers, the compiled choice
of those that sign, numpy's logarithms and exponentials of their draws, and the compiled columns
of their firms (:mod:`sim.model.arrivals_kernel`); the scenario's leader candidates are listed
once per scenario.

The result is the table of signed firms (:class:`Signed`), each with the time it starts looking
for space; :mod:`sim.model.space` then finds when each gets its space.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

import sim.model.arrivals_kernel as kernel
import sim.model.inverse as inverse
from sim.memo import per_object
from sim.model.drawn import LeaderParams
from sim.model.firms import Firms
from sim.model.spec import NO_SPACE, ZoneSpec, name_id
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
    s, d = z.spec, z.draws
    lam = lead_rates(z)
    counts = inverse.poisson(d.uniforms("lead_counts", 1, np.arange(z.H)[:, None], s.sector_key[None, :])[..., 0], lam)
    return _signed_leads(z, counts, 0, "leads", LEAD)


def _signed_leads(z: ZoneState, counts: np.ndarray, first: int, stream: str, origin: int) -> _Part:
    """The leads of ``counts`` [month, sector] (months from ``first``) that sign, each drawing
    nine numbers of stream ``stream`` (arrival within the month, signing, signing delay, fit-out,
    foreign, FDI, size, employees, lifetime) by (sector, number within the sector), and their
    firms, of ``origin``, not yet open. The leads of the months before the start (``PIPELINE``)
    keep only those not open at the start (:func:`_pipeline`)."""
    s, x = z.spec, z.x
    sec, month, key, number = kernel.lead_rows(counts, s.sector_key)
    u = z.draws.uniforms(stream, 9, key, number)
    rows, logs, exps = kernel.signing(u, sec, x.sign_prob, x.trade_sigma, x.employees_sigma)
    table = np.array([getattr(x, k) for k in kernel.X_ROWS])
    fl, kind, sec, group, number = kernel.signed_columns(
        rows,
        u,
        sec,
        month,
        key,
        number,
        np.log(logs),
        np.exp(exps),
        first,
        origin == PIPELINE,
        table,
        s.need,
        s.space_kind,
    )
    t, deadline, fitout, lifetime, size, ramp, employees, space, fdi = fl
    zeros = np.zeros(len(sec))
    firm = Firms(
        sector=sec,
        open_t=zeros,
        exit_t=lifetime,
        size=size,
        ramp=ramp,
        employees=employees,
        space=space,
        leader=zeros,
        fdi=fdi,
        fdi_t=zeros,
        origin=np.full(len(sec), origin, np.uint64),
        group=group,
        number=number,
    )
    return t, kind, deadline, fitout, firm


class _Candidates(NamedTuple):
    """The leader candidates of a scenario, one entry per candidate k of each pipeline pursuing
    some (fixed by the scenario, so computed once per :class:`~sim.model.spec.ZoneSpec`):
    ``lids`` the pipelines and ``idx`` each candidate's among them, ``key`` its pipeline's name id
    and ``number`` k (its numbers' address), the pipeline's signing ``window``, ``sector``, space
    ``need`` and space ``kind`` (``NO_SPACE`` if it needs none)."""

    lids: list[str]
    idx: np.ndarray
    key: np.ndarray
    number: np.ndarray
    window: np.ndarray
    sector: np.ndarray
    need: np.ndarray
    kind: np.ndarray


def _candidates_of(spec: ZoneSpec) -> _Candidates | None:
    pipes = [pl for pl in spec.leaders if pl.candidates > 0]
    if not pipes:
        return None
    idx = np.concatenate([np.full(pl.candidates, i) for i, pl in enumerate(pipes)])
    need = np.array([pl.need for pl in pipes])[idx]
    return _Candidates(
        lids=[pl.lid for pl in pipes],
        idx=idx,
        key=np.array([name_id(pl.lid) for pl in pipes], dtype=np.uint64)[idx],
        number=np.concatenate([np.arange(pl.candidates) for pl in pipes]).astype(np.uint64),
        window=np.array([pl.window for pl in pipes])[idx],
        sector=np.array([pl.sector for pl in pipes], int)[idx],
        need=need,
        kind=np.where(need > 0, np.array([pl.kind for pl in pipes])[idx], NO_SPACE),
    )


_candidates = per_object(_candidates_of)


def _leaders(z: ZoneState) -> _Part | None:
    """Candidate k of a pipeline signs when its number 1 falls below the pipeline's drawn signing
    probability, at its number 0 x the window; its firm is the pipeline's drawn leader."""
    c = _candidates(z.spec)
    if c is None:
        return None
    u = z.draws.uniforms("leaders", 2, c.key, c.number)
    lu = z.drawn.leaders
    par = np.array([[getattr(lu[lid], k) for k in LeaderParams._fields] for lid in c.lids])[c.idx]
    signs = u[:, 1] < par[:, _FIELD["sign_prob"]]
    t = (u[:, 0] * c.window)[signs]
    par = par[signs]
    n = len(t)
    zeros, never = np.zeros(n), np.full(n, np.inf)
    firm = Firms(
        sector=c.sector[signs],
        open_t=zeros,
        exit_t=never,
        size=par[:, _FIELD["trade_yi"]],
        ramp=par[:, _FIELD["rampup_months"]],
        employees=par[:, _FIELD["employees"]],
        space=c.need[signs],
        leader=np.ones(n),
        fdi=par[:, _FIELD["fdi_wan_usd"]],
        fdi_t=zeros,
        origin=np.full(n, LEADER, np.uint64),
        group=c.key[signs],
        number=c.number[signs],
    )
    return t, c.kind[signs], never, par[:, _FIELD["fitout_months"]], firm


_FIELD = {k: j for j, k in enumerate(LeaderParams._fields)}
"""The column of each of a leader's drawn parameters in :func:`_leaders`' table."""


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
    return _signed_leads(z, counts, -P, "pipeline_leads", PIPELINE)
