"""The firms operating at the start, built so that their totals are the base year's figures.

Each initial firm draws its relative size, employees and lifetime from its own numbers
(``initial`` stream, index (sector, firm)), as a firm of its sector would (the per-firm
parameters of ``uncertainties.sectors``). Where ``[base_year]`` states a figure, the firms are then
scaled to it exactly:

* trade of customs mode k: every initial firm's trade in k is multiplied by c_k = B_k / (what the
  drawn sizes imply in k). A firm's trade and mode mix follow: its size becomes
  size x a_s with a_s = sum_k share[s, k] c_k, and the initial firms of sector s trade with the
  mode shares share[s, k] c_k / a_s (their own *cohort*; firms arriving later keep the sector's);
* industrial output: carried by the initial manufacturing firms in proportion to their trade,
  output = size x output_ratio x c_out with c_out making the total equal the figure;
* employees: scaled by one factor to the figure;
* active enterprises: the sector counts are shares of that total (largest remainder);
* development rate: developed land = rate x fenced area.

A figure not stated is what the drawn firms imply (docs/model.md §3.1). See
:func:`base_year_values` for the figures a replication reports.

With a pipeline (``initial_state.pipeline_months`` > 0: the zone received leads before the start,
docs/model.md §5.2), some initial firms opened during the base year and traded only part of it:
each is one with its sector's yearly openings over its firms as probability, opening at a uniform
time of the year and ramping up as an entrant does; ``Cohort.seen`` is the share of a full year's
trade each firm showed in the base year (1 for the others). The stated flows (trade, output) are
what the firms showed, so the scaling uses size x seen, and from the start every firm trades at
its full size: the first year carries the rest of the base year's openers (their catch-up).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

import sim.model.initial_kernel as kernel
from sim.model.drawn import BaseYearDrawn, SectorParams
from sim.model.draws import Draws
from sim.model.firms import Firms
from sim.model.spec import ZoneSpec
from sim.vocabulary.outcomes import MODES

_TRADE = tuple(f"trade_{m}" for m in MODES)
"""The base-year keys of trade by customs mode, in ``MODES`` order."""

_STREAMS = ("initial", "opened")
"""The streams of the initial firms' numbers: size, employees and lifetime; opening in the base year."""

_STATED = (*_TRADE, "industrial_output", "employees")
"""The base-year figures the initial firms are scaled to when stated, in :func:`~sim.model.initial_kernel.cohort`'s order."""


@dataclass
class Cohort:
    """How the initial firms of each sector trade: ``shares`` [sector, mode] their mode mix and
    ``output_ratio`` [sector] their output per unit of trade; ``above`` [firm] whether a firm counts
    toward output above designated size."""

    shares: np.ndarray
    output_ratio: np.ndarray
    above: np.ndarray
    seen: np.ndarray


def apportion(weights: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to ``weights`` summing to ``total`` (largest remainder; ties to the
    earlier entry)."""
    w = np.asarray(weights, dtype=float)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(len(w), dtype=np.int64)
    q = w / w.sum() * total
    n = np.floor(q).astype(np.int64)
    order = np.argsort(-(q - n), kind="stable")
    n[order[: total - int(n.sum())]] += 1
    return n


def sector_counts(spec: ZoneSpec, by: BaseYearDrawn) -> npt.NDArray[np.int64]:
    """Operating firms by sector: the drawn counts rounded half up, or, when the base year states
    active enterprises, those counts as shares of the rounded total."""
    n = np.array([math.floor(by.enterprises[k] + 0.5) for k in spec.sector_ids], dtype=np.int64)
    if "active_enterprises" in by.stated:
        n = apportion(n, math.floor(by.stated["active_enterprises"] + 0.5))
    return n


def initial_firms(spec: ZoneSpec, x: SectorParams, by: BaseYearDrawn, draws: Draws) -> tuple[Firms, Cohort]:
    """(the initial firms, their :class:`Cohort`): ``by`` the drawn base-year figures (the stated
    ones only, plus ``enterprises``), ``x`` the sector parameters. Each firm's size, employees and
    lifetime (its own numbers, ``initial`` stream) and the share of a full year's trade it
    showed in the base year (module docstring): 1, or for a base-year opener (probability: the
    sector's expected openings a year, lead rate x 12 x signing probability, over its firms; its
    numbers of the ``opened`` stream) the year's trade of a firm opening at a uniform time and
    ramping up linearly over the sector's ramp-up months. Then the scaling to the stated
    figures (module docstring). Compiled loops around numpy's exponentials, logarithms and the
    product by the mode shares (:mod:`sim.model.initial_kernel`), in the numpy expressions' order."""
    n = sector_counts(spec, by)
    pipeline = spec.sc.initial_state.pipeline_months > 0
    seeds = draws.seeds(_STREAMS)
    sec, ids, fl = kernel.initial_draws(seeds, n, spec.sector_key, x.table, pipeline)
    f, shown = kernel.initial_columns(
        np.exp(fl[:2]), np.log(fl[2]), fl, sec, n, x.table, spec.open_now, spec.need, pipeline
    )
    stated = by.stated
    shares, out_ratio, above = kernel.cohort(
        f,
        sec,
        shown @ spec.shares,  # by mode, as shown
        spec.shares,
        np.array([stated.get(k, 0.0) for k in _STATED], dtype=float),
        np.array([k in stated for k in _STATED]),
        x.table,
        spec.manufacturing,
        float(spec.sc.constants.above_size_revenue_yi),
    )
    open_t, lifetime, size, employees, space, zeros, seen = f
    group, number = ids
    firms = Firms(
        sec,
        open_t,
        lifetime,
        size,
        zeros,
        employees,
        space,
        zeros,
        zeros,
        zeros,
        np.zeros(len(sec), np.uint64),
        group,
        number,
    )
    return firms, Cohort(shares=shares, output_ratio=out_ratio, above=above, seen=seen)


def base_year_values(
    init: Firms, cohort: Cohort, spec: ZoneSpec, developed0_ha: float, by: BaseYearDrawn
) -> dict[str, float]:
    """The zone in the base year as its initial firms describe it, at the start-of-run level
    (seasonality averages 1, macro level 1, noise mean 1): trade by mode and in total, output,
    active enterprises, employees, the development rate; FDI only when stated. A stated figure is
    reported as stated (the firms' totals equal it up to rounding, tests/test_base_year.py)."""
    return {
        **firm_totals(init, cohort, spec, developed0_ha),
        **{k: float(v) for k, v in by.stated.items()},
    }


def firm_totals(init: Firms, cohort: Cohort, spec: ZoneSpec, developed0_ha: float) -> dict[str, float]:
    """The base-year figures the initial firms add up to (see :func:`base_year_values`)."""
    S = len(spec.sector_ids)
    shown = init.size * cohort.seen
    by_mode = np.bincount(init.sector, weights=shown, minlength=S) @ cohort.shares
    base = {f"trade_{m}": float(v) for m, v in zip(MODES, by_mode, strict=True)}
    base["trade_total"] = float(by_mode.sum())
    base["industrial_output"] = float((shown * cohort.output_ratio[init.sector])[cohort.above].sum())
    base["active_enterprises"] = float(len(init))
    base["employees"] = float(init.employees.sum())
    base["development_rate"] = 100.0 * developed0_ha / (spec.sc.constants.fenced_area_km2 * 100)
    return base
