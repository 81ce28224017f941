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

When a firm gets its space its opening and exit times follow: open at max(space + fit-out, the
required milestone's completion), exit a lifetime later; the month end after its exit is when its
space comes back.
"""

from __future__ import annotations

import math

import numpy as np
import simpy

from sim.model.arrivals import Signed
from sim.model.spec import NO_SPACE, SPACE_KINDS
from sim.model.state import ZoneState


class Market:
    """First-fit market of one kind of space. ``level`` free space; the requests (the signed
    firms that need this kind, in signing order; ``rows`` their rows in the signed table) are
    settled up to an instant by :meth:`settle` and retried after space comes back by :meth:`put`."""

    def __init__(self, z: ZoneState, sg: Signed, kind: int, level: float, release: np.ndarray, served: np.ndarray):
        self.level = float(level)
        rows = np.flatnonzero(sg.kind == kind)
        rows = rows[np.argsort(sg.t[rows], kind="stable")]
        self.rows = rows.tolist()  # request i of this market is signed firm rows[i]
        self.t, self.need = sg.t[rows].tolist(), sg.firm.space[rows].tolist()
        self.deadline, self.ready = sg.deadline[rows].tolist(), sg.ready[rows].tolist()
        self.life, self.fitout = sg.firm.exit_t[rows].tolist(), sg.fitout[rows].tolist()
        self.release, self.served, self.H = release, served, z.H
        self.next = 0
        self.waiting: list[int] = []
        self.smallest = math.inf

    def settle(self, now: float) -> None:
        """Requests signed at or before ``now``, in signing order: served at once if the space is
        free, else they join the waiting list."""
        t, n = self.t, len(self.t)
        while self.next < n and t[self.next] <= now:
            i = self.next
            self.next += 1
            if self.need[i] <= self.level + 1e-12:
                self._serve(i, t[i])
            else:
                self.waiting.append(i)
                self.smallest = min(self.smallest, self.need[i])

    def put(self, now: float, amount: float) -> None:
        """Space comes back at ``now``: waiting requests past their deadline are lost, the others
        are served first-fit in signing order (nothing to try unless space came back and the
        smallest waiting request now fits)."""
        self.level += amount
        if amount <= 0 or self.smallest > self.level + 1e-12:
            return
        keep = []
        for i in self.waiting:
            if self.deadline[i] < now:
                continue
            if self.need[i] <= self.level + 1e-12:
                self._serve(i, now)
            else:
                keep.append(i)
        self.waiting = keep
        self.smallest = min((self.need[i] for i in keep), default=math.inf)

    def _serve(self, i: int, now: float) -> None:
        self.level -= self.need[i]
        self.served[self.rows[i]] = now
        exit_t = max(now + self.fitout[i], self.ready[i]) + self.life[i]
        if exit_t <= self.H:
            self.release[math.ceil(exit_t)] += self.need[i]


def space_times(z: ZoneState, sg: Signed) -> np.ndarray:
    """When each signed firm has its space (its signing time if it needs none; inf if it never
    gets it within the horizon, or is lost)."""
    s, H = z.spec, z.H
    served = np.where(sg.kind == NO_SPACE, sg.t, np.inf)
    if not (sg.kind != NO_SPACE).any():
        return served
    env = simpy.Environment()
    free = {"land": z.land0, "warehouse": z.warehouse0}
    markets, releases = [], []
    for code, kind in enumerate(SPACE_KINDS):
        release = np.zeros(H + 1)
        init = z.initial
        held = (init.space > 0) & (s.space_kind[init.sector] == code) & (init.exit_t <= H)
        np.add.at(release, np.ceil(init.exit_t[held]).astype(int), init.space[held])
        markets.append(Market(z, sg, code, free[kind], release, served))
        releases.append(release)

    def project_done(pid):
        def back(_):
            for code, amount in enumerate((s.project_land[pid], s.project_warehouse[pid])):
                if amount > 0:
                    markets[code].settle(env.now)
                    markets[code].put(env.now, amount)

        return back

    def month_end(m):
        def back(_):
            for mk, rel in zip(markets, releases, strict=True):
                mk.settle(env.now)
                mk.put(env.now, float(rel[m]))

        return back

    for pid in s.project_land:  # file order: same-instant completions put in that order
        if (s.project_land[pid] > 0 or s.project_warehouse[pid] > 0) and z.T[pid] <= H:
            env.timeout(z.T[pid]).callbacks.append(project_done(pid))
    for m in range(1, H + 1):
        env.timeout(float(m)).callbacks.append(month_end(m))
    env.run()
    return served
