"""The indicators of one replication, computed after the run in one pass over firms x months.

Once every firm's opening and exit times are known, its trade, output and employment in each
month follow without any event: the month's operating fraction and ramp, its own monthly noise,
the shared level. Flows (trade by customs mode, industrial output, FDI) and stocks (active
enterprises, employees), and the firms operating at each year end that the programme counts
read, come from one compiled pass over firms x months that also draws the firms' noise
(:mod:`sim.model.kernels`); the development rate, business types, leaders and deadlines follow
from the completion times; the monthly series become yearly indicators (:class:`Result`). What
the bookkeeping reads of a scenario as arrays is built once per scenario (:func:`books_of`).
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
from sim.model.firms import Firms
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


class FirmMonths(NamedTuple):
    """What the pass over firms x months gives (:func:`firm_months`)."""

    trade_by_mode: np.ndarray
    """[month, mode] trade by customs mode (亿元)."""
    industrial_output: np.ndarray
    """[month] output above designated size (亿元)."""
    active_enterprises: np.ndarray
    """[month] firms operating at some time in the year so far."""
    employees: np.ndarray
    """[month] employees at the month end."""
    fdi_usd: np.ndarray
    """[month] FDI paid (万美元)."""
    operating: np.ndarray
    """[sector, year] firms operating at the year end."""


def firm_months(z: ZoneState, f: Firms) -> FirmMonths:
    """Trade by customs mode [month, mode], industrial output [month], the month-end stocks
    (active enterprises so far this year, employees), FDI paid [month] and the firms operating at
    each year end [sector, year], §7.7-7.9, §7.11, §7.13.

    A firm's trade in month m is size / 12 x operating fraction x ramp x noise x level_m
    (x the commodity index if its sector is exposed); the pass over firms x months
    (:func:`~sim.model.kernels.firm_months`) sums it by group (a sector's initial firms, its
    cohort, apart from its later firms: §5.1), and the groups' mode shares and output ratios are
    applied to the sums. Each firm's FDI is paid in equal tranches from the time it had its space."""
    s, x = z.spec, z.x
    c = s.sc.constants
    S2 = 2 * len(s.sector_ids)
    sig = x.noise_sigma
    sums, active, staff, operating, paid = kernels.firm_months(
        z.draws.generator("trade_noise"),
        f.open_t,
        f.exit_t,
        f.ramp,
        f.size,
        f.employees,
        f.sector,
        f.origin,
        f.fdi,
        f.fdi_t,
        sig,
        np.exp(-0.5 * sig**2),
        np.asarray(s.manufacturing, dtype=bool),
        x.output_ratio,
        float(c.above_size_revenue_yi),
        np.asarray(z.cohort.above, dtype=bool),
        z.macro,
        z.disruption,
        s.season,
        z.commodity_index,
        np.asarray(s.commodity_exposed, dtype=bool),
        int(c.fdi_tranches),
        float(c.fdi_tranche_interval_months),
    )
    return FirmMonths(
        trade_by_mode=(sums[:S2].T @ np.concatenate([s.shares, z.cohort.shares])) * z.trade_mult,
        industrial_output=np.concatenate([x.output_ratio, z.cohort.output_ratio]) @ sums[S2:],
        active_enterprises=active,
        employees=staff,
        fdi_usd=paid,
        operating=operating,
    )


def programme_counts(z: ZoneState, operating: np.ndarray) -> dict[str, np.ndarray]:
    """Yearly programme counts: Poisson with a rate that grows with the firms operating at the
    year end (``operating`` [sector, year], :func:`firm_months`), §7.13."""
    b = books_of(z.spec)
    if not b.counts:
        return {}
    cu = z.drawn.counts
    base = np.array([cu[k].base_per_year for k in b.counts])
    per_firm = np.array([cu[k].per_firm_per_year for k in b.counts])
    lam = base[:, None] + per_firm[:, None] * (b.count_members @ operating)
    u = z.draws.uniforms("counts", len(z.spec.years), b.count_keys)
    return dict(zip(b.counts, inverse.poisson(u, lam).astype(float), strict=True))


class Books(NamedTuple):
    """What the bookkeeping reads of a scenario, as arrays (:func:`books_of`)."""

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


def _books(s: ZoneSpec) -> Books:
    S = len(s.sector_ids)
    counts = list(s.count_sectors)
    members = [np.bincount(s.count_sectors[k], minlength=S) for k in counts]
    return Books(
        counts=counts,
        count_keys=np.array([name_id(k) for k in counts], dtype=np.uint64),
        count_members=np.array(members, dtype=float).reshape(len(counts), S),
        project_area=np.array(list(s.project_area.values()), dtype=float),
        project_item=np.array([s.items.index(p) for p in s.project_area], dtype=np.int64),
    )


books_of = per_object(_books)
"""The :class:`Books` of a :class:`~sim.model.spec.ZoneSpec`, built once per spec object (the
model builds a spec once per scenario object and never changes it, so the object is the key)."""


def result(z: ZoneState, f: Firms, leaders_signed: dict[str, np.ndarray], log: list) -> Result:
    """Monthly series (flows per month; stocks at month end) and yearly indicators.

    A flow's yearly value is the sum of its months; a stock's is its December value, so the
    year-to-date value of every indicator in December equals its yearly value."""
    s, H = z.spec, z.H
    ny = len(s.years)
    ends = np.arange(1, H + 1, dtype=float)
    fm = firm_months(z, f)
    done_t = np.array([z.T[k] for k in s.items], dtype=float)
    done = done_t[:, None] <= ends[None, :]
    leaders = [(t <= ends[:, None]).sum(axis=1) for t in leaders_signed.values()]
    by_name = {  # every model indicator of the vocabulary, by name; stacked in the vocabulary's order
        **{f"trade_{m}": fm.trade_by_mode[:, i] for i, m in enumerate(MODES)},
        "trade_total": fm.trade_by_mode.sum(axis=1),
        "industrial_output": fm.industrial_output,
        "fdi_usd": fm.fdi_usd,
        "active_enterprises": fm.active_enterprises,
        "employees": fm.employees,
        "development_rate": development_rate(z, done_t),
        "new_business_types": done[s.is_business].sum(axis=0),
    }
    series = np.concatenate([np.array([*in_vocabulary_order(by_name), *leaders], dtype=float), done], dtype=float)
    names = s.series
    by_year = series.reshape(len(names), ny, 12)
    values = np.where(s.is_flow[:, None], by_year.sum(axis=2), by_year[:, :, -1])
    yearly = dict(zip(names, values, strict=True))
    yearly.update(programme_counts(z, fm.operating))
    return Result(
        years=list(s.years),
        yearly=yearly,
        monthly=dict(zip(names, series, strict=True)),
        log=log,
        base=base_year(z),
        macro_yearly=z.macro.reshape(ny, 12).sum(axis=1) / 12,  # the mean, as np.mean computes it
    )


def development_rate(z: ZoneState, done_t: np.ndarray) -> np.ndarray:
    """Developed land as % of the fenced area at each month end (§7.10): the start plus every
    project done by then (``done_t`` the completion times of ``ZoneSpec.items``), the projects
    added in scenario order (:func:`~sim.model.kernels.development_rate`)."""
    b = books_of(z.spec)
    fenced_ha = z.spec.sc.constants.fenced_area_km2 * 100
    return kernels.development_rate(
        float(z.developed0_ha), b.project_area, done_t[b.project_item], float(fenced_ha), z.H
    )


def base_year(z: ZoneState) -> dict[str, float]:
    """The zone in the year before the start, as the initial firms describe it
    (:func:`~sim.model.initial.base_year_values`)."""
    return initial.base_year_values(z.initial, z.cohort, z.spec, z.developed0_ha, z.drawn.base_year)
