"""Common random numbers at the level of the model's processes, not only its drawn parameters.

Two lever variants of one seed share every random number that the lever does not reach: replication
by replication, the leads of the sectors and months the lever leaves alone sign at the same instants,
and the firms it does not touch open, wait and are lost at the same instants. Each test names the
lever, what it touches, and compares everything else exactly, in the event log of
``sim.model.simulate`` (tests/data/tiny_leads.toml: every random mechanism on).

Paired differences (``compare``, the studio, the tornado) are only as precise as this sharing:
if the lead counts were drawn from one sequential stream, a lever that changes the rate of one
sector in some months would move every later count of every sector.
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from conftest import scenario, simulate_rep

REPS, SEED = 20, 41


@cache
def _variant(patch: str):
    return scenario("tiny_leads.toml", json.loads(patch))


def _logs(patch_a: dict, patch_b: dict, rep: int):
    a = simulate_rep(_variant(json.dumps(patch_a)), SEED, rep, trace=True)
    b = simulate_rep(_variant(json.dumps(patch_b)), SEED, rep, trace=True)
    return a, b


def _done(log, item: str) -> float:
    return next((t for t, e, d in log if e in ("project_done", "milestone_done") and d == item), float("inf"))


def _about(detail: str, sector: str) -> bool:
    return detail == sector or detail.startswith(f"{sector}:")


@pytest.mark.parametrize("rep", range(REPS))
def test_a_lead_rate_change_in_one_sector_leaves_every_other_lead_and_firm_alone(rep):
    """Lever: the month of the "early" works, whose completion doubles the lead rate of sector
    svc. It touches svc's leads from the earlier of the two completions on, and nothing else: the
    leads and firms of make and shop, the leaders, every other project and milestone, and svc's
    leads before that month are the same in both variants."""
    a, b = _logs(
        {"levers": {"project_month": {"early": "2022-01"}}}, {"levers": {"project_month": {"early": "2022-10"}}}, rep
    )
    t_a, t_b = _done(a.log, "early"), _done(b.log, "early")
    assert t_a < t_b  # the lever did move the works
    untouched = [(t, e, d) for t, e, d in a.log if d != "early" and not _about(d, "svc")]
    assert untouched == [(t, e, d) for t, e, d in b.log if d != "early" and not _about(d, "svc")]
    assert any(e == "signed" for _, e, _ in untouched)  # there is something to compare
    cut = int(t_a)  # the last whole month before the rate changes in either variant
    early_svc_a = [(t, e) for t, e, d in a.log if d == "svc" and e == "signed" and t < cut]
    assert early_svc_a == [(t, e) for t, e, d in b.log if d == "svc" and e == "signed" and t < cut]
    for k in ("visits", "leaders_anchor", "leaders_big", "done_road", "done_site", "development_rate"):
        assert list(a.yearly[k]) == list(b.yearly[k]), k


MAKE_LEVER = {"constants": {"projects": {"early": {"lead_rate_multiplier": {"svc": 1.0, "make": 2.0}}}}}


@pytest.mark.parametrize("rep", range(REPS))
def test_a_lead_rate_change_in_the_first_sector_leaves_the_later_sectors_alone(rep):
    """The same lever made to double the lead rate of make, the first sector, instead: every
    signing of shop and svc (the sectors after it) and of the leaders is the same, so a lead's
    numbers are its own sector's, not its place among all leads."""
    early_a = {"levers": {"project_month": {"early": "2022-01"}}, **MAKE_LEVER}
    early_b = {"levers": {"project_month": {"early": "2022-10"}}, **MAKE_LEVER}
    a, b = _logs(early_a, early_b, rep)

    def signed(log):
        return [(t, e, d) for t, e, d in log if (e == "signed" and d != "make") or e == "leader_signed"]

    assert signed(a.log) == signed(b.log) and any(d == "svc" for _, _, d in signed(a.log))
    cut = int(_done(a.log, "early"))
    make_a = [t for t, e, d in a.log if (e, d) == ("signed", "make") and t < cut]
    assert make_a == [t for t, e, d in b.log if (e, d) == ("signed", "make") and t < cut]


@pytest.mark.parametrize("rep", range(REPS))
def test_a_faster_build_leaves_every_lead_alone(rep):
    """Lever: infrastructure funding. It moves completions (and so space and openings), and
    through the "early" works svc's lead rate, but no other lead: every signing of make, shop and
    the leaders, and svc's before the works, is the same, at the same instant."""
    a, b = _logs({"levers": {"infrastructure_funding": 1.0}}, {"levers": {"infrastructure_funding": 2.0}}, rep)
    cut = int(min(_done(a.log, "early"), _done(b.log, "early")))

    def signed(log):
        return [(t, e, d) for t, e, d in log if e in ("signed", "leader_signed") and (d != "svc" or t < cut)]

    assert signed(a.log) == signed(b.log) and signed(a.log)


@pytest.mark.parametrize("rep", range(REPS))
def test_more_leader_candidates_keep_the_first_ones(rep):
    """Lever: candidates of the "big" pipeline, 2 -> 4. Candidate k draws its own numbers, so the
    first two sign (or not) at the same instants; every lead and the other pipeline are untouched."""
    a, b = _logs({"levers": {"leader_candidates": {"big": 2}}}, {"levers": {"leader_candidates": {"big": 4}}}, rep)
    big_a = [t for t, e, d in a.log if e == "leader_signed" and d == "big"]
    big_b = [t for t, e, d in b.log if e == "leader_signed" and d == "big"]
    assert set(big_a) <= set(big_b)

    def others(log):
        return [(t, e, d) for t, e, d in log if e == "signed" or (e == "leader_signed" and d != "big")]

    assert others(a.log) == others(b.log)


def test_the_levers_change_something():
    """The variants above differ somewhere (else the equalities would hold trivially)."""
    diff = {"svc": 0, "big": 0, "built": 0, "make": 0}
    for rep in range(REPS):
        a, b = _logs(
            {"levers": {"project_month": {"early": "2022-01"}}},
            {"levers": {"project_month": {"early": "2022-10"}}},
            rep,
        )
        diff["svc"] += [x for x in a.log if x[2] == "svc"] != [x for x in b.log if x[2] == "svc"]
        a, b = _logs({"levers": {"leader_candidates": {"big": 2}}}, {"levers": {"leader_candidates": {"big": 4}}}, rep)
        diff["big"] += a.yearly["leaders_big"][-1] != b.yearly["leaders_big"][-1]
        a, b = _logs({"levers": {"infrastructure_funding": 1.0}}, {"levers": {"infrastructure_funding": 2.0}}, rep)
        diff["built"] += _done(a.log, "road") != _done(b.log, "road")
        a, b = _logs(
            {"levers": {"project_month": {"early": "2022-01"}}, **MAKE_LEVER},
            {"levers": {"project_month": {"early": "2022-10"}}, **MAKE_LEVER},
            rep,
        )
        diff["make"] += [x for x in a.log if x[1:] == ("signed", "make")] != [
            x for x in b.log if x[1:] == ("signed", "make")
        ]
    assert diff["svc"] >= REPS // 2 and diff["make"] >= REPS // 2, diff
    assert diff["big"] >= 3 and diff["built"] >= REPS // 2, diff
