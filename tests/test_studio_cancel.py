"""The studio's cancellation, observed: after a new change the old what-if publishes nothing.

The page shows only the latest job's answers (``WhatIfRunner.latest`` keeps the newest job's
snapshots), so a what-if that kept running after it was replaced would not show on the page; it
would only hold the workers and delay the answer the planner is waiting for. This test watches
every snapshot a job tries to publish, not only those the page keeps: the change is submitted at
the moment the first what-if publishes its first answer (from inside that publication, so there is
no race), and from then on the first job must publish nothing, while the second answers with
exactly ``sim.run`` on the same seed (its own proportion, ``p_own``).
"""

from __future__ import annotations

import threading
import time

import numpy as np
from conftest import DATA

import sim
from sim.studio.progressive import WhatIfRunner

SCENARIO = DATA / "tiny_leads.toml"
SEED, FIRST, MAX = 3, 100, 1000


def test_a_new_change_stops_the_old_what_if_publishing():
    r = WhatIfRunner(SCENARIO, seed=SEED, max_reps=MAX, workers=1, first=FIRST)
    seen: list[tuple[int, int]] = []  # (job, reps) of every snapshot a job publishes, kept or not
    jobs: dict[str, int] = {}
    second_answered = threading.Event()
    publish = r._publish

    def watch(snap):
        seen.append((snap.job, snap.reps))
        if snap.job == jobs.get("first") and "second" not in jobs:
            jobs["second"] = r.submit({"levers.promotion_events_per_year": 1})
        publish(snap)
        if snap.job == jobs.get("second"):
            second_answered.set()

    r._publish = watch
    try:
        jobs["first"] = r.submit({"levers.promotion_events_per_year": 4})
        assert second_answered.wait(180), seen
        time.sleep(0.5)  # time for a job that was not stopped to publish its next step
    finally:
        r.close()
    first, second = jobs["first"], jobs["second"]
    assert [s for s in seen if s[0] == first] == [(first, FIRST)], seen  # one answer, then nothing
    assert (second, FIRST) in seen
    s = r.latest
    assert s.job == second and s.error is None and s.reps >= FIRST
    what_if = sim.load_scenario(SCENARIO, overrides={"levers.promotion_events_per_year": 1})
    res = sim.run(what_if, reps=s.reps, seed=SEED, workers=1, monthly=False)
    p = res.summary.set_index("target_id")["p_hit"]
    assert np.array_equal(s.table["p_own"].to_numpy(), p[s.table["target_id"]].to_numpy())
