"""Competition for space: when each signed firm gets its land or warehouse space, run with SimPy.

Space comes back only at a few instants: when a project completes (its serviced land and
warehouse space) and at month ends (the space of the month's exits). Those are the SimPy events.
Between two of them free space only shrinks, so a waiting firm can be served only at one of them:
firms that sign in between are settled in signing order when the next event comes (a firm takes
space at its signing time if enough is free, else it waits), then the event puts its space back
and the waiting firms are tried first-fit in signing order (a large request that does not fit
does not block smaller ones behind it). A waiting firm whose deadline has passed is lost. This
gives exactly what one process per firm waiting on a container would, at the cost of the events
that return space (docs/model.md §2 "Space", §7.4).

When a firm gets its space its opening and exit times follow: open at max(space + fit-out,
the required milestone's completion), exit a lifetime later; the month end after its exit is
when its space comes back.

A month end that gives no space back, and would settle no firm whose space comes back at it or
before, changes nothing: its firms are settled at the next event with the same times and the
same free space. So each month end schedules the next one that can change something
(:func:`sim.model.space_kernel.next_month_end`) rather than all of them being scheduled at the
start. The work of each event, per request, is one compiled call
(:func:`sim.model.space_kernel.event`).
"""

from __future__ import annotations

import numpy as np
import simpy

import sim.model.space_kernel as kernel
from sim.model.arrivals import Signed
from sim.model.spec import NO_SPACE, SPACE_KINDS
from sim.model.state import ZoneState

_MONTH_END = np.zeros(0)
"""``amounts`` of a month-end event (a project's event passes the space it adds to each market)."""


def space_times(z: ZoneState, sg: Signed) -> np.ndarray:
    """When each signed firm has its space (its signing time if it needs none; inf if it never
    gets it within the horizon, or is lost)."""
    s, H, K = z.spec, z.H, len(SPACE_KINDS)
    served = np.where(sg.kind == NO_SPACE, sg.t, np.inf)
    if not (sg.kind != NO_SPACE).any():
        return served
    free = {"land": z.land0, "warehouse": z.warehouse0}
    level = np.array([float(free[kind]) for kind in SPACE_KINDS])
    f, init = sg.firm, z.initial
    req, ints, ist, fs = kernel.markets(sg.kind, sg.t, f.space, sg.deadline, sg.ready, f.exit_t, sg.fitout, level)
    release = kernel.initial_release(s.space_kind[init.sector], init.space, init.exit_t, K, H)
    projects = [
        (z.T[pid], np.array([s.project_land[pid], s.project_warehouse[pid]], float))
        for pid in s.project_land  # file order: same-instant completions put in that order
        if (s.project_land[pid] > 0 or s.project_warehouse[pid] > 0) and z.T[pid] <= H
    ]
    ptimes = np.sort(np.array([t for t, _ in projects], float))
    env = simpy.Environment()

    def project_done(amounts):
        def back(_):
            kernel.event(req, ints, ist, fs, release, served, ptimes, env.now, amounts)

        return back

    def month_end(_):
        nxt = kernel.event(req, ints, ist, fs, release, served, ptimes, env.now, _MONTH_END)
        if nxt:
            env.timeout(nxt - env.now).callbacks.append(month_end)

    for t, amounts in projects:
        env.timeout(t).callbacks.append(project_done(amounts))
    first = kernel.next_month_end(req, ist, release, ptimes, 0, False)
    if first:
        env.timeout(float(first)).callbacks.append(month_end)
    env.run()
    return served
