"""The indicators of one replication, computed after the run in one pass over firms x months.

Once every firm's opening and exit times are known, its trade, output and employment in each
month follow without any event: the month's operating fraction and ramp, its own monthly noise,
the shared level. Flows (trade by customs mode, industrial output) and stocks (active
enterprises, employees) come from one compiled pass over firms x months
(:mod:`sim.model.kernels`); FDI, the development rate and the programme counts are small array
expressions; the monthly series become yearly indicators
(:class:`Result`). See docs/model.md, §3 and §7.7-7.13.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

import sim.model.initial as initial
import sim.model.inverse as inverse
import sim.model.kernels as kernels
from sim.model.firms import Firms
from sim.model.spec import name_id
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


def firm_months(z: ZoneState, f: Firms) -> dict[str, np.ndarray]:
    """Trade by customs mode [month, mode], industrial output [month] and the month-end stocks
    (active enterprises so far this year, employees, development rate), §7.7-7.10.

    A firm's trade in month m is size / 12 x operating fraction x ramp x noise x level_m
    (x the commodity index if its sector is exposed); the pass over firms x months
    (:func:`~sim.model.kernels.firm_months`) sums the firm factors by group (a sector's initial
    firms, its cohort, apart from its later firms: §5.1), and the factors shared by a sector and
    month, its mode shares and output ratio, are applied to the sums."""
    s, x, H = z.spec, z.x, z.H
    S = len(s.sector_ids)
    sig = x.noise_sigma[f.sector]
    ratio = x.output_ratio
    at_start = f.origin == 0
    group = f.sector + S * at_start  # initial firms trade as their sector's cohort
    above = s.manufacturing[f.sector] & (f.size * ratio[f.sector] >= s.sc.constants.above_size_revenue_yi)
    above[at_start] = z.cohort.above
    eps = z.draws.generator("trade_noise").standard_normal((len(f), H))
    sums, active, staff = kernels.firm_months(
        f.open_t.astype(float),
        f.exit_t.astype(float),
        f.ramp.astype(float),
        f.size / 12.0 * np.exp(-0.5 * sig**2),
        sig.astype(float),
        group.astype(np.int64),
        above,
        f.employees.astype(float),
        eps,
        2 * S,
    )
    level = z.macro * z.disruption * s.season[np.arange(H) % 12]
    shared = level[None, :] * np.where(s.commodity_exposed[:, None], z.commodity_index[None, :], 1.0)
    shared = np.vstack([shared, shared])
    trade, output = sums[: 2 * S] * shared, sums[2 * S :] * shared
    shares = np.vstack([s.shares, z.cohort.shares])
    area = s.sc.constants.fenced_area_km2 * 100
    return {
        "trade_by_mode": (trade.T @ shares) * z.trade_mult,
        "industrial_output": np.concatenate([ratio, z.cohort.output_ratio]) @ output,
        "active_enterprises": active,
        "employees": staff,
        "development_rate": 100.0 * z.developed_ha(np.arange(1, H + 1, dtype=float)) / area,
    }


def fdi_by_month(z: ZoneState, f: Firms) -> np.ndarray:
    """FDI paid in each month: each firm's FDI in equal tranches from the time it had its space."""
    c = z.spec.sc.constants
    paying = (f.fdi > 0) & np.isfinite(f.fdi_t)
    times = f.fdi_t[paying, None] + c.fdi_tranche_interval_months * np.arange(c.fdi_tranches)
    amounts = np.repeat(f.fdi[paying] / c.fdi_tranches, c.fdi_tranches)
    t = times.ravel()
    inside = (t >= 0) & (t < z.H)
    return np.bincount(t[inside].astype(int), weights=amounts[inside], minlength=z.H)[: z.H]


def programme_counts(z: ZoneState, f: Firms) -> dict[str, np.ndarray]:
    """Yearly programme counts: Poisson with a rate that grows with operating firms (§7.13)."""
    s = z.spec
    ny = len(s.years)
    t1 = 12.0 * np.arange(1, ny + 1)
    operating = (f.open_t[:, None] <= t1) & (f.exit_t[:, None] > t1)
    per_sector = np.zeros((len(s.sector_ids), ny))
    np.add.at(per_sector, f.sector, operating.astype(float))
    ids = list(s.count_sectors)
    if not ids:
        return {}
    cu = z.drawn.counts
    lam = np.array(
        [cu[k].base_per_year + cu[k].per_firm_per_year * per_sector[s.count_sectors[k]].sum(axis=0) for k in ids]
    )
    u = z.draws.uniforms("counts", ny, np.array([name_id(k) for k in ids], dtype=np.uint64))
    n = inverse.poisson(u, lam).astype(float)
    return dict(zip(ids, n, strict=True))


def result(z: ZoneState, f: Firms, leaders_signed: dict[str, np.ndarray], log: list) -> Result:
    """Monthly series (flows per month; stocks at month end) and yearly indicators.

    A flow's yearly value is the sum of its months; a stock's is its December value, so the
    year-to-date value of every indicator in December equals its yearly value."""
    s, H = z.spec, z.H
    ny = len(s.years)
    ends = np.arange(1, H + 1, dtype=float)
    fm = firm_months(z, f)
    done = np.array([z.T[k] for k in s.items])[:, None] <= ends[None, :]
    leaders = [(np.sort(t)[None, :] <= ends[:, None]).sum(axis=1) for t in leaders_signed.values()]
    by_name = {  # every model indicator of the vocabulary, by name; stacked in the vocabulary's order
        **{f"trade_{m}": fm["trade_by_mode"][:, i] for i, m in enumerate(MODES)},
        "trade_total": fm["trade_by_mode"].sum(axis=1),
        "industrial_output": fm["industrial_output"],
        "fdi_usd": fdi_by_month(z, f),
        "active_enterprises": fm["active_enterprises"],
        "employees": fm["employees"],
        "development_rate": fm["development_rate"],
        "new_business_types": done[s.is_business].sum(axis=0),
    }
    series = np.vstack([*in_vocabulary_order(by_name), *leaders, done]).astype(float)
    names = s.series
    by_year = series.reshape(len(names), ny, 12)
    values = np.where(s.is_flow[:, None], by_year.sum(axis=2), by_year[:, :, -1])
    yearly = dict(zip(names, values, strict=True))
    yearly.update(programme_counts(z, f))
    return Result(
        years=list(s.years),
        yearly=yearly,
        monthly=dict(zip(names, series, strict=True)),
        log=log,
        base=base_year(z),
        macro_yearly=z.macro.reshape(ny, 12).mean(axis=1),
    )


def base_year(z: ZoneState) -> dict[str, float]:
    """The zone in the year before the start, as the initial firms describe it
    (:func:`~sim.model.initial.base_year_values`)."""
    return initial.base_year_values(z.initial, z.cohort, z.spec, z.developed0_ha, z.drawn.base_year)
