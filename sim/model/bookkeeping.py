"""The indicators of one replication, computed after the run in one pass over firms x months.

Once every firm's opening and exit times are known, its trade, output and employment in each
month follow without any event: the month's operating fraction and ramp, its own monthly noise,
the shared level. Flows (trade by customs mode, industrial output, FDI) and stocks (active
enterprises, employees), and the firms operating at each year end that the programme counts
read, come from one compiled pass over firms x months that also draws the firms' noise
(:mod:`sim.model.kernels`); the development rate, business types, leaders and deadlines follow
from the completion times; the monthly series become yearly indicators (:class:`Result`), all in
a second compiled call. What the bookkeeping reads of a scenario as arrays is built once per
scenario (:func:`books_of`).
See docs/model.md, §3 and §7.7-7.13.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

import sim.model.initial as initial
import sim.model.inverse as inverse
import sim.model.kernels as kernels
from sim.memo import per_object
from sim.model.arrivals import Signed
from sim.model.spec import ZoneSpec, name_id
from sim.model.state import ZoneState
from sim.vocabulary.outcomes import MODES, in_vocabulary_order


@dataclass
class Result:
    """Output of one replication.

    ``years`` the calendar years; ``yearly`` indicator -> value per year; ``monthly`` indicator
    -> value per month (flows per month, stocks at month end); ``log`` the events as
    (t, event, detail), if traced; ``base`` the year before the start, as the initial firms
    describe it; ``macro_yearly`` the mean macro factor per year (1 = start level)."""

    years: list[int]
    yearly: dict[str, np.ndarray]
    monthly: dict[str, np.ndarray]
    log: list[tuple[float, str, str]] = field(default_factory=list)
    base: dict[str, float] = field(default_factory=dict)
    macro_yearly: np.ndarray | None = None


def firm_months(z: ZoneState, sg: Signed, served: np.ndarray) -> tuple[np.ndarray, ...]:
    """Trade by customs mode [month, mode] before the items' multipliers, industrial output
    [month], the month-end stocks (active enterprises so far this year, employees), FDI paid
    [month] and the firms operating at each year end [sector, year], §7.7-7.9, §7.11, §7.13, of
    the initial firms and the signed firms that had their space (``served`` finite).

    A firm's trade in month m is size / 12 x operating fraction x ramp x noise x level_m
    (x the commodity index if its sector is exposed); the pass over firms x months
    (:func:`~sim.model.kernels.firm_months`) sums it by group (a sector's initial firms, its
    cohort, apart from its later firms: §5.1), and the groups' mode shares and output ratios are
    applied to the sums. A signed firm opens at max(space + fit-out, ready) and exits a lifetime
    later; its FDI is paid in equal tranches from the time it had its space."""
    s, x, b = z.spec, z.x, books_of(z.spec)
    init, f = z.initial, sg.firm
    sig = x.noise_sigma
    sums, active, staff, operating, paid = kernels.firm_months(
        z.draws.generator("trade_noise"),
        (
            init.open_t,
            init.exit_t,
            init.ramp,
            init.size,
            init.employees,
            init.sector,
            init.origin,
            init.fdi,
            init.fdi_t,
        ),
        (served, sg.fitout, sg.ready, f.exit_t, f.ramp, f.size, f.employees, f.sector, f.origin, f.fdi),
        sig,
        np.exp(-0.5 * sig**2),
        b.manufacturing,
        x.output_ratio,
        b.threshold,
        z.cohort.above,
        z.macro,
        z.disruption,
        s.season,
        z.commodity_index,
        b.exposed,
        b.tranches,
        b.interval,
    )
    S2 = 2 * len(s.sector_ids)
    trade = sums[:S2].T @ np.concatenate([s.shares, z.cohort.shares])
    output = np.concatenate([x.output_ratio, z.cohort.output_ratio]) @ sums[S2:]
    return trade, output, active, staff, paid, operating


class Books(NamedTuple):
    """What the bookkeeping reads of a scenario, as arrays (:func:`books_of`)."""

    kind: np.ndarray
    """Each monthly series' kind (``ZoneSpec.series`` order; :func:`sim.model.kernels.series`)."""
    which: np.ndarray
    """Its customs mode, pipeline or item index."""
    counts: list[str]
    """The programme counts' ids."""
    count_keys: np.ndarray
    """Their name ids, the index of their random numbers."""
    count_members: np.ndarray
    """[count, sector] how many times a sector's operating firms enter the count's rate (whole
    numbers, so the firms are summed exactly in any order)."""
    project_area: np.ndarray
    """Each project's developed area (ha), in ``ZoneSpec.project_area`` order."""
    project_item: np.ndarray
    """Each project's index in ``ZoneSpec.items``."""
    leader_key: np.ndarray
    """Each pipeline's name id (its leaders' ``Firms.group``)."""
    fenced_ha: float
    """The fenced area (ha)."""
    manufacturing: np.ndarray
    """[sector] whether it is manufacturing (its later firms may count above designated size)."""
    exposed: np.ndarray
    """[sector] whether it trades at the commodity index."""
    threshold: float
    """Yearly revenue above which a firm counts as above designated size (亿元)."""
    tranches: int
    """FDI tranches per firm."""
    interval: float
    """Months between a firm's FDI tranches."""


def _books(s: ZoneSpec) -> Books:
    S, c = len(s.sector_ids), s.sc.constants
    K = kernels
    computed = {  # every model indicator of the vocabulary: its kind of series (kernels.series)
        **{f"trade_{m}": (K.MODE, i) for i, m in enumerate(MODES)},
        "trade_total": (K.TOTAL, 0),
        "industrial_output": (K.OUTPUT, 0),
        "fdi_usd": (K.FDI, 0),
        "active_enterprises": (K.ACTIVE, 0),
        "employees": (K.STAFF, 0),
        "development_rate": (K.DEVELOPMENT, 0),
        "new_business_types": (K.BUSINESS, 0),
    }
    rows = [
        *in_vocabulary_order(computed),
        *((K.LEADERS, p) for p in range(len(s.leaders))),
        *((K.DONE, i) for i in range(len(s.items))),
    ]
    if len(rows) != len(s.series):
        raise ValueError("the monthly series and their computations differ in number")
    counts = list(s.count_sectors)
    members = [np.bincount(s.count_sectors[k], minlength=S) for k in counts]
    return Books(
        kind=np.array([k for k, _ in rows], dtype=np.int64),
        which=np.array([i for _, i in rows], dtype=np.int64),
        counts=counts,
        count_keys=np.array([name_id(k) for k in counts], dtype=np.uint64),
        count_members=np.array(members, dtype=float).reshape(len(counts), S),
        project_area=np.array(list(s.project_area.values()), dtype=float),
        project_item=np.array([s.items.index(p) for p in s.project_area], dtype=np.int64),
        leader_key=np.array([pl.key for pl in s.leaders], dtype=np.uint64),
        fenced_ha=float(c.fenced_area_km2 * 100),
        manufacturing=np.asarray(s.manufacturing, dtype=bool),
        exposed=np.asarray(s.commodity_exposed, dtype=bool),
        threshold=float(c.above_size_revenue_yi),
        tranches=int(c.fdi_tranches),
        interval=float(c.fdi_tranche_interval_months),
    )


books_of = per_object(_books)
"""The :class:`Books` of a :class:`~sim.model.spec.ZoneSpec`, built once per spec object (the
model builds a spec once per scenario object and never changes it, so the object is the key)."""


def result(z: ZoneState, sg: Signed, served: np.ndarray, log: list) -> Result:
    """Monthly series (flows per month; stocks at month end) and yearly indicators of the initial
    firms and the signed firms ``sg`` (``served`` when each had its space, inf if never).

    A flow's yearly value is the sum of its months; a stock's is its December value, so the
    year-to-date value of every indicator in December equals its yearly value. The series and
    their yearly values come from one compiled call (:func:`~sim.model.kernels.series`) in the
    order of ``ZoneSpec.series``."""
    s, b = z.spec, books_of(z.spec)
    trade, output, active, staff, paid, operating = firm_months(z, sg, served)
    cu = z.drawn.counts
    f = sg.firm
    monthly, values, macro_yearly, lam = kernels.series(
        b.kind,
        b.which,
        s.is_flow,
        trade,
        z.trade_mult,
        output,
        paid,
        active,
        staff,
        z.done_t,
        s.is_business,
        float(z.developed0_ha),
        b.project_area,
        b.project_item,
        b.fenced_ha,
        b.leader_key,
        sg.t,
        f.origin,
        f.group,
        z.macro,
        np.array([cu[k].base_per_year for k in b.counts], dtype=float),
        np.array([cu[k].per_firm_per_year for k in b.counts], dtype=float),
        b.count_members,
        operating,
    )
    yearly = dict(zip(s.series, values, strict=True))
    if b.counts:  # yearly programme counts: Poisson with a rate that grows with the firms operating (§7.13)
        u = z.draws.uniforms("counts", len(s.years), b.count_keys)
        yearly.update(zip(b.counts, inverse.poisson(u, lam).astype(float), strict=True))
    return Result(
        years=list(s.years),
        yearly=yearly,
        monthly=dict(zip(s.series, monthly, strict=True)),
        log=log,
        base=initial.base_year_values(z.initial, z.cohort, s, z.developed0_ha, z.drawn.base_year),
        macro_yearly=macro_yearly,
    )
