"""What the model needs of a scenario, as arrays: computed once per scenario, read by every replication.

A :class:`ZoneSpec` holds the scenario's structure (sectors, projects, milestones, leader
pipelines, programme counts) and its levers in the form the replication's vectorised code reads:
per-sector arrays, the promotion calendar, the item effects as (item, index, factor) lists.
:func:`spec_of` builds it the first time a scenario object is seen and keeps it, so a chunk of
replications pays for it once.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from sim.memo import per_object
from sim.model.schedule import Plan, plan_of
from sim.scenario.schema import Scenario
from sim.vocabulary.outcomes import FLOW_INDICATORS, MODEL_INDICATORS, MODES

SPACE_KINDS = ("land", "warehouse")
"""The kinds of space firms compete for, in the order of ``ZoneSpec.space_kind`` codes 0 and 1."""

NO_SPACE = -1
"""``ZoneSpec.space_kind`` of a sector whose firms need no space."""


def name_id(name: str) -> int:
    """A stable integer id of a name (its CRC-32): the index under which its random numbers are drawn."""
    return zlib.crc32(name.encode("utf-8"))


@dataclass(frozen=True)
class Leaders:
    """One leader pipeline: its id, ``sector`` index, ``candidates`` pursued (lever), ``window``
    months to sign, space ``need``, its ``kind`` code (see ``SPACE_KINDS``) and ``key`` the name
    id of its id (:func:`name_id`, its leaders' ``Firms.group``)."""

    lid: str
    sector: int
    candidates: int
    window: float
    need: float
    kind: int
    key: np.uint64


@dataclass
class ZoneSpec:
    """The scenario as arrays. Per sector index (file order): ``shares`` [sector, mode],
    ``manufacturing`` and ``commodity_exposed`` flags, ``space_kind`` code (``NO_SPACE`` or an
    index into ``SPACE_KINDS``), ``need`` space per firm (0 if none), ``gate`` the required
    milestone id or "" and ``sector_ids``' name ids ``sector_key`` (random-number indices).
    ``event_months`` promotion events falling in each calendar month (12 entries);
    ``lead_effects`` / ``trade_effects`` (item id, sector or mode index, factor);
    ``project_land`` / ``project_warehouse`` / ``project_area`` per project id; ``leaders`` the
    pipelines; ``count_sectors`` count id -> sector indices whose firms raise its rate; ``items``
    projects then milestones and ``is_business`` which are business types; ``series`` the
    monthly series a replication returns, in order, and ``is_flow`` which are flows. Read by
    every replication: ``plan`` the completion schedule's per-scenario part
    (:class:`~sim.model.schedule.Plan`), ``t_mid`` the months' midpoints, ``open_now`` the
    sectors open from the start (no required milestone), ``lead_effect_arrays`` / ``trade_effect_arrays`` the effects as
    arrays (the item's position in ``items``, the index, the factor)."""

    sc: Scenario
    H: int
    years: list[int]
    sector_ids: list[str]
    shares: np.ndarray
    manufacturing: np.ndarray
    commodity_exposed: np.ndarray
    space_kind: np.ndarray
    need: np.ndarray
    gate: list[str]
    sector_key: np.ndarray
    season: np.ndarray
    event_months: np.ndarray
    lead_effects: list[tuple[str, int, float]]
    trade_effects: list[tuple[str, int, float]]
    project_land: dict[str, float]
    project_warehouse: dict[str, float]
    project_area: dict[str, float]
    leaders: list[Leaders]
    count_sectors: dict[str, np.ndarray]
    items: list[str]
    is_business: np.ndarray
    series: list[str]
    is_flow: np.ndarray
    plan: Plan
    t_mid: np.ndarray
    open_now: np.ndarray
    lead_effect_arrays: tuple[np.ndarray, np.ndarray, np.ndarray]
    trade_effect_arrays: tuple[np.ndarray, np.ndarray, np.ndarray]


def build(sc: Scenario) -> ZoneSpec:
    """The arrays of scenario ``sc`` (see :class:`ZoneSpec`)."""
    c, lv = sc.constants, sc.levers
    ids = list(c.sectors)
    sidx = {s: i for i, s in enumerate(ids)}
    kind = np.array([SPACE_KINDS.index(c.sectors[s].space) if c.sectors[s].space != "none" else NO_SPACE for s in ids])
    need = np.array([c.sectors[s].space_per_firm if k != NO_SPACE else 0.0 for s, k in zip(ids, kind, strict=True)])
    n_ev = lv.promotion_events_per_year
    events = np.zeros(12, int)
    for k in range(n_ev):  # events evenly spread: event k falls in month floor((k + .5) * 12 / n)
        events[int((k + 0.5) * 12 / n_ev)] += 1
    items = {**c.projects, **c.milestones}
    leaders = []
    for lid, spec in c.leaders.items():
        k = SPACE_KINDS.index(c.sectors[spec.sector].space) if c.sectors[spec.sector].space != "none" else NO_SPACE
        leaders.append(
            Leaders(
                lid,
                sidx[spec.sector],
                lv.leader_candidates[lid],
                float(spec.window_months),
                spec.space_per_firm if k != NO_SPACE else 0.0,
                k,
                np.uint64(name_id(lid)),
            )
        )
    item_ids = [*c.projects, *c.milestones]
    lead_effects = [(i, sidx[s], f) for i, spec in items.items() for s, f in spec.lead_rate_multiplier.items()]
    trade_effects = [(i, MODES.index(m), f) for i, spec in items.items() for m, f in spec.trade_multiplier.items()]
    series = [*MODEL_INDICATORS, *(f"leaders_{lid}" for lid in c.leaders), *(f"done_{k}" for k in item_ids)]
    return ZoneSpec(
        sc=sc,
        H=sc.run.horizon_months,
        years=list(sc.run.years),
        sector_ids=ids,
        shares=np.array([[c.sectors[s].mode_shares.get(m, 0.0) for m in MODES] for s in ids]),
        manufacturing=np.array([c.sectors[s].manufacturing for s in ids]),
        commodity_exposed=np.array([c.sectors[s].commodity_exposed for s in ids]),
        space_kind=kind,
        need=need,
        gate=[c.sectors[s].requires_milestone for s in ids],
        sector_key=np.array([name_id(s) for s in ids], dtype=np.uint64),
        season=np.asarray(c.seasonality, dtype=float),
        event_months=events,
        lead_effects=lead_effects,
        trade_effects=trade_effects,
        project_land={p: s.serviced_land_ha for p, s in c.projects.items()},
        project_warehouse={p: s.warehouse_k_m2 for p, s in c.projects.items()},
        project_area={p: s.serviced_land_ha + s.footprint_ha for p, s in c.projects.items()},
        leaders=leaders,
        count_sectors={k: np.array([sidx[s] for s in spec.per_firm_sectors], int) for k, spec in c.counts.items()},
        items=item_ids,
        is_business=np.array([i in c.milestones and c.milestones[i].business_type for i in item_ids], dtype=bool),
        series=series,
        is_flow=np.array([n in FLOW_INDICATORS for n in series], dtype=bool),
        plan=plan_of(sc),
        t_mid=np.arange(sc.run.horizon_months) + 0.5,
        open_now=np.array([not c.sectors[s].requires_milestone for s in ids], dtype=bool),
        lead_effect_arrays=_effect_arrays(lead_effects, item_ids),
        trade_effect_arrays=_effect_arrays(trade_effects, item_ids),
    )


def _effect_arrays(
    effects: list[tuple[str, int, float]], item_ids: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(item position in ``item_ids``, index, factor) of each effect, as three arrays."""
    return (
        np.array([item_ids.index(i) for i, _, _ in effects], dtype=np.int64),
        np.array([j for _, j, _ in effects], dtype=np.int64),
        np.array([f for _, _, f in effects], dtype=float),
    )


spec_of = per_object(build)
"""The :class:`ZoneSpec` of a scenario, built once per scenario object."""
