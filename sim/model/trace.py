"""The event log of one replication, written after the run from what the run decided.

Events (t, event, detail), in time order; at one instant, completions of projects and milestones
come first (in dependency order), then signings, losses, waits, openings and year ends:

* ``project_done`` / ``milestone_done`` an item's completion;
* ``promotion`` the month's promotion events (at the month's start);
* ``signed`` a lead signs (detail: sector); ``leader_signed`` a leader candidate signs;
* ``lost_no_space`` a signed firm's deadline passed without space;
* ``waits_for`` a firm ready after fit-out waits for its required milestone ("sector:milestone");
* ``opened`` a firm opens (sector, or "leader:<pipeline>");
* ``year_end`` the end of a simulated year.

Nothing after the horizon is logged.
"""

from __future__ import annotations

import numpy as np

from sim.model.arrivals import LEADER, Signed
from sim.model.spec import name_id
from sim.model.state import ZoneState

ORDER = {
    "project_done": 0,
    "milestone_done": 0,
    "promotion": 1,
    "signed": 2,
    "leader_signed": 2,
    "lost_no_space": 3,
    "waits_for": 4,
    "opened": 5,
    "year_end": 6,
}
"""Rank of each event within one instant."""


def event_log(z: ZoneState, sg: Signed, served: np.ndarray) -> list[tuple[float, str, str]]:
    """The log of a run: ``sg`` the signed firms, ``served`` when each got its space (inf:
    never); each opens at max(space + fit-out, ready)."""
    s, H = z.spec, z.H
    open_t = np.maximum(served + sg.fitout, sg.ready)
    c = s.sc.constants
    ev: list[tuple[float, int, int, str, str]] = []

    def add(t, event, detail, seq=0):
        if t <= H:
            ev.append((round(float(t), 9), ORDER[event], seq, event, detail))

    for seq, iid in enumerate(z.T):  # T is filled dependencies first
        add(z.T[iid], "project_done" if iid in c.projects else "milestone_done", iid, seq)
    for m in range(H):
        if s.event_months[m % 12]:
            add(m, "promotion", f"month {m + 1}: {s.event_months[m % 12]} event(s)")
    lid_of = {name_id(pl.lid): pl.lid for pl in s.leaders}
    ready = sg.ready
    for i in range(len(sg.t)):
        sector = s.sector_ids[sg.firm.sector[i]]
        if sg.firm.origin[i] == LEADER:
            lid = lid_of[int(sg.firm.group[i])]
            label = f"leader:{lid}"
            add(sg.t[i], "leader_signed", lid)
        else:
            label = sector
            add(sg.t[i], "signed", sector)
        if not np.isfinite(served[i]):
            add(sg.deadline[i], "lost_no_space", sector)
            continue
        if served[i] + sg.fitout[i] < ready[i]:
            add(served[i] + sg.fitout[i], "waits_for", f"{sector}:{s.gate[sg.firm.sector[i]]}")
        add(open_t[i], "opened", label)
    for yi, year in enumerate(s.years):
        add(12.0 * (yi + 1), "year_end", str(year))
    ev.sort(key=lambda e: e[:3])
    return [(t, e, d) for t, _, _, e, d in ev]
