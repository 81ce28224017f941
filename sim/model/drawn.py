"""The drawn parameters of one replication, in the typed form the model reads.

:func:`sim.scenario.params.draw_rows` gives each replication a nested dictionary of floats keyed
by the scenario's key paths (``p["uncertainties"]["sectors"]["cbec"]["sign_prob"]``), the form
that crosses process boundaries and is stored. :meth:`Drawn.of` turns it, once per replication,
into named fields: the sectors' parameters as arrays over sector indices (:class:`SectorParams`),
the shared shocks, the leader pipelines and programme counts as small records, and the stated
base-year figures. Field names are the scenario's keys (docs/scenarios.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class SectorParams:
    """The drawn parameters of the sectors (``uncertainties.sectors``), each an array over sector
    indices (``ZoneSpec.sector_ids`` order); ``table`` [parameter, sector] holds them all, in the
    order of ``SECTOR_PARAMS`` (each field is a row of it), for the compiled loops."""

    table: FloatArray = field(repr=False, compare=False)
    lead_rate_per_month: FloatArray
    sign_prob: FloatArray
    sign_delay_months: FloatArray
    max_wait_months: FloatArray
    fitout_months: FloatArray
    rampup_months: FloatArray
    trade_median_yi: FloatArray
    trade_sigma: FloatArray
    noise_sigma: FloatArray
    output_ratio: FloatArray
    employees_median: FloatArray
    employees_sigma: FloatArray
    foreign_prob: FloatArray
    fdi_wan_usd: FloatArray
    exit_rate_per_year: FloatArray

    @classmethod
    def of(cls, sectors: Mapping[str, Mapping[str, float]], sector_ids: Sequence[str]) -> SectorParams:
        """The arrays of ``sectors`` (sector id -> parameter -> value) in the order of ``sector_ids``."""
        rows = np.array([_SECTOR_ROW(sectors[s]) for s in sector_ids], dtype=np.float64)  # [sector, parameter]
        table = rows.reshape(len(sector_ids), len(SECTOR_PARAMS)).T.copy()  # rows: a contiguous array each
        return cls(table, *table)  # the table, then its rows: the fields


SECTOR_PARAMS: tuple[str, ...] = tuple(f.name for f in fields(SectorParams) if f.name != "table")
"""The names of a sector's drawn parameters, in declaration order."""

_SECTOR_ROW = itemgetter(*SECTOR_PARAMS)
"""A sector's drawn parameters (a dictionary) as a tuple in ``SECTOR_PARAMS`` order."""


class Macro(NamedTuple):
    """``uncertainties.macro``: the shared trade factor's log drift a year and monthly sd."""

    growth_per_year: float
    volatility_per_month: float


class Commodity(NamedTuple):
    """``uncertainties.commodity``: the commodity price index's log drift a year and monthly sd."""

    drift_per_year: float
    volatility_per_month: float


class Disruption(NamedTuple):
    """``uncertainties.disruption``: spells a year, mean spell length (months), depth of a spell."""

    spells_per_year: float
    length_months: float
    depth: float


class LeaderParams(NamedTuple):
    """``uncertainties.leaders.<pipeline>``: what a leader candidate of the pipeline is like."""

    sign_prob: float
    trade_yi: float
    employees: float
    fdi_wan_usd: float
    fitout_months: float
    rampup_months: float


class CountRate(NamedTuple):
    """``uncertainties.counts.<count>``: the yearly Poisson rate, a base plus a part per firm."""

    base_per_year: float
    per_firm_per_year: float


class BaseYearDrawn(NamedTuple):
    """``base_year``: ``enterprises`` operating firms by sector id and ``stated`` the figures the
    scenario states (indicator id -> value, in the scenario's field order)."""

    enterprises: Mapping[str, float]
    stated: dict[str, float]


@dataclass(frozen=True, slots=True)
class Drawn:
    """The drawn parameters of one replication (see the module docstring). ``uncertainties`` is
    the section as drawn, for :func:`~sim.model.schedule.completion_times`, which studies also
    call with the dictionary; the free space (``serviced_land_free_ha``, ``warehouse_free_k_m2``)
    and ``developed_area_ha`` (None unless stated) come from ``initial_state``."""

    sectors: SectorParams
    macro: Macro
    commodity: Commodity
    disruption: Disruption
    leads_per_event: float
    leaders: dict[str, LeaderParams]
    counts: dict[str, CountRate]
    base_year: BaseYearDrawn
    serviced_land_free_ha: float
    warehouse_free_k_m2: float
    developed_area_ha: float | None
    uncertainties: Mapping[str, Any]

    @classmethod
    def of(cls, p: Mapping[str, Any], sector_ids: Sequence[str]) -> Drawn:
        """The typed parameters of the drawn dictionary ``p`` (sections ``uncertainties``,
        ``initial_state``, ``base_year``)."""
        u, init, by = p["uncertainties"], p["initial_state"], p["base_year"]
        return cls(
            sectors=SectorParams.of(u["sectors"], sector_ids),
            macro=Macro(**u["macro"]),
            commodity=Commodity(**u["commodity"]),
            disruption=Disruption(**u["disruption"]),
            leads_per_event=u["promotion"]["leads_per_event"],
            leaders={k: LeaderParams(**v) for k, v in u.get("leaders", {}).items()},
            counts={k: CountRate(**v) for k, v in u.get("counts", {}).items()},
            base_year=BaseYearDrawn(
                enterprises=by["enterprises"], stated={k: v for k, v in by.items() if k != "enterprises"}
            ),
            serviced_land_free_ha=init["serviced_land_free_ha"],
            warehouse_free_k_m2=init["warehouse_free_k_m2"],
            developed_area_ha=init.get("developed_area_ha"),
            uncertainties=u,
        )
