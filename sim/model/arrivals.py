"""Who signs, and when: the leads of every month and sector and the leader candidates, drawn up front.

Nothing here waits for an event, so all of it is drawn before the run (docs/model.md §7.3-7.5):

* leads: a Poisson count per (month, sector) with the month's rate (base rate x lead-rate
  multiplier, plus the leads of the month's promotion events), each count the inverse transform
  of the cell's own uniform; lead j of a sector draws nine numbers of its own (arrival within the
  month, signing, signing delay, fit-out, foreign, FDI, size, employees, lifetime);
* leader candidates: candidate k of a pipeline signs or not at a uniform time within the window;
* the leads of the months before the start (docs/model.md §5.2), drawn as the run's are.

All of it is a few calls (:mod:`sim.model.signing_kernel`): the compiled Poisson means, the
compiled draw of every lead's count and numbers up to the arguments of their logarithms, numpy's
logarithms, the compiled columns of the signed firms (leader candidates drawn there) with the
arguments of the kept leads' exponentials, numpy's exponentials and the compiled sizes. What the scenario fixes (the leader candidates, the sectors'
required milestones) is laid out once per scenario.

The result is the table of signed firms (:class:`Signed`), each with the time it starts looking
for space; :mod:`sim.model.space` then finds when each gets its space.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

import sim.model.signing_kernel as kernel
from sim.memo import per_object
from sim.model.drawn import LeaderParams
from sim.model.firms import Firms
from sim.model.signing_kernel import LEAD, LEADER, PIPELINE
from sim.model.spec import NO_SPACE, ZoneSpec, name_id
from sim.model.state import ZoneState

__all__ = ["LEAD", "LEADER", "PIPELINE", "Signed", "signed_firms"]

STREAMS = ("lead_counts", "leads", "pipeline_counts", "pipeline_leads", "leaders")
"""The streams of the signings: the run's lead counts and leads, the counts and leads of the
months before the start, the leader candidates (docs/model.md, "Stochasticity")."""

if LeaderParams._fields != kernel.LEADER_ROWS:
    raise ImportError("signing_kernel.LEADER_ROWS must list LeaderParams' fields in order")


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
    s, x, d, lay = z.spec, z.x, z.draws, _layout(z.spec)
    run, carried = _means(z)
    seeds = d.seeds(STREAMS)
    fl, ix, es, n_run = kernel.lead_draws(seeds, run, carried, s.sector_key, x.table)
    lu = z.drawn.leaders
    par = np.array([lu[lid] for lid in lay.lids], dtype=float) if lay.lids else _NO_LEADERS
    f, i, u, ea = kernel.signed_columns(
        np.log(fl[:4]),
        fl,
        ix,
        es,
        n_run,
        x.table,
        s.need,
        s.space_kind,
        s.sector_key,
        lay.cand,
        lay.cand_f,
        seeds[4],
        par,
        z.done_t,
        lay.gate,
    )
    kernel.lead_sizes(f, np.exp(ea), i[1], u[0], x.table)
    t, deadline, fitout, lifetime, size, ramp, employees, space, leader, fdi, ready, zeros = f
    kind, sector = i
    origin, group, number = u
    firm = Firms(sector, zeros, lifetime, size, ramp, employees, space, leader, fdi, zeros, origin, group, number)
    return Signed(t, kind, deadline, fitout, firm, ready)


def _means(z: ZoneState) -> tuple[np.ndarray, np.ndarray]:
    """[month, sector] Poisson means of the leads of the run and of the months before the start
    (:func:`~sim.model.signing_kernel.lead_means`)."""
    s, lay = z.spec, _layout(z.spec)
    return kernel.lead_means(
        z.x.table,
        z.lead_mult,
        s.event_months,
        float(z.drawn.leads_per_event),
        lay.pipeline,
        s.open_now,
        lay.events_mean,
    )


class _Layout(NamedTuple):
    """What the signings read of a scenario, once per :class:`~sim.model.spec.ZoneSpec`: ``lids``
    the leader pipelines pursuing some candidates; one row per candidate k of each, ``cand``
    (its pipeline's place in ``lids``, sector, space kind or ``NO_SPACE`` if it needs none, the
    pipeline's name id and k: its numbers' address) and ``cand_f`` (signing window, space need);
    ``gate`` [sector] the position in ``spec.items`` of the milestone its firms wait for (-1 if
    none); ``pipeline`` the months before the start whose leads are carried into the run and
    ``events_mean`` the promotion events of an average month."""

    lids: list[str]
    cand: np.ndarray
    cand_f: np.ndarray
    gate: np.ndarray
    pipeline: int
    events_mean: float


def _layout_of(spec: ZoneSpec) -> _Layout:
    pipes = [pl for pl in spec.leaders if pl.candidates > 0]
    cand = [
        (i, pl.sector, pl.kind if pl.need > 0 else NO_SPACE, name_id(pl.lid), k)
        for i, pl in enumerate(pipes)
        for k in range(pl.candidates)
    ]
    cand_f = [(pl.window, pl.need) for pl in pipes for _ in range(pl.candidates)]
    return _Layout(
        lids=[pl.lid for pl in pipes],
        cand=np.array(cand, dtype=np.int64).reshape(-1, 5),
        cand_f=np.array(cand_f, dtype=float).reshape(-1, 2),
        gate=np.array([spec.items.index(g) if g else -1 for g in spec.gate], dtype=np.int64),
        pipeline=int(spec.sc.initial_state.pipeline_months),
        events_mean=float(spec.event_months.mean()),
    )


_layout = per_object(_layout_of)

_NO_LEADERS = np.empty((0, len(LeaderParams._fields)))
"""The leader parameters of a scenario without leader candidates."""
