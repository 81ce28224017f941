"""The ``[base_year]`` section: the zone's own statistics for the year before the start.

A planner holds the zone's yearly statistics (customs trade by mode, output above designated
size, FDI, active enterprises, employees, the development rate), not per-firm size medians. This
section takes them in those terms, keyed by the indicator ids of ``indicators.csv``; each is a
number or a declared distribution, drawn once per replication like every uncertain parameter.
The model builds its initial firms so that their totals equal the drawn values exactly
(:mod:`sim.model.initial`); a figure left out is implied by the per-firm parameters of
``uncertainties.sectors`` instead. ``enterprises`` (operating enterprises by sector) is required.
"""

from __future__ import annotations

from pydantic import Field

from sim.scenario.fields import Firms, Model, Percent, ZonePersons, ZoneWanUsd, ZoneYi
from sim.scenario.ranges import LIMITS
from sim.vocabulary.outcomes import TRADE_COMPONENTS

BASE_FIGURES = (
    *TRADE_COMPONENTS,
    "industrial_output",
    "fdi_usd",
    "active_enterprises",
    "employees",
    "development_rate",
)
"""The indicators a base year may state (trade_total is the sum of the modes, so it is not one)."""

IMPLIED = ("trade_total", *TRADE_COMPONENTS, "industrial_output", "active_enterprises", "employees", "development_rate")
"""The base-year indicators every replication reports (``base_<id>``), given or implied; FDI
only when given (the model's FDI is paid by firms that establish during the run)."""


class BaseYear(Model):
    trade_processing: ZoneYi | None = Field(None, description="Processing trade in the base year, 亿元.")
    trade_bonded_logistics: ZoneYi | None = Field(None, description="Bonded-logistics trade in the base year, 亿元.")
    trade_general: ZoneYi | None = Field(None, description="General trade in the base year, 亿元.")
    trade_cbec: ZoneYi | None = Field(None, description="Cross-border e-commerce trade in the base year, 亿元.")
    trade_other: ZoneYi | None = Field(None, description="Trade under other customs modes in the base year, 亿元.")
    industrial_output: ZoneYi | None = Field(
        None,
        description=(
            "Industrial output above designated size in the base year, 亿元; carried by the initial "
            "manufacturing firms in proportion to their trade."
        ),
    )
    fdi_usd: ZoneWanUsd | None = Field(
        None,
        description=(
            "Actual FDI in the base year, 万美元: shown as the start of the FDI targets; it does not drive the "
            "model, whose FDI is paid by firms that establish during the run."
        ),
    )
    active_enterprises: Firms | None = Field(
        None,
        description=(
            "Operating enterprises at the end of the base year; the sector counts of `enterprises` are then "
            "shares, apportioned to this total (largest remainder)."
        ),
    )
    employees: ZonePersons | None = Field(
        None, description="Employees of the zone's firms at the end of the base year."
    )
    development_rate: Percent | None = Field(
        None,
        description=(
            "Fenced-area development rate at the end of the base year, % (replaces "
            "initial_state.developed_area_ha: give one of the two)."
        ),
    )
    enterprises: dict[str, Firms] = Field(
        max_length=LIMITS["sectors"], description="Operating enterprises at the end of the base year, by sector."
    )

    def given(self) -> dict[str, object]:
        """The figures the scenario states, id -> distribution."""
        return {k: getattr(self, k) for k in BASE_FIGURES if getattr(self, k) is not None}


def check_base_year(by: BaseYear, constants, initial_state) -> None:
    """Checks that span sections: each stated figure must have firms to carry it whatever the draws."""
    sectors = constants.sectors
    sure = {sid for sid, d in by.enterprises.items() if d.support[0] >= 0.5}  # at least one firm (rounded)
    for mode in TRADE_COMPONENTS:
        d = getattr(by, mode)
        if d is not None and d.support[1] > 0:
            carriers = [sid for sid, s in sectors.items() if s.mode_shares.get(mode.removeprefix("trade_"), 0) > 0]
            if not set(carriers) & sure:
                raise ValueError(
                    f"base_year.{mode}: can be positive, but no sector trading in that mode ({', '.join(carriers) or 'none'})"
                    f" is sure to have an operating firm at the start (base_year.enterprises lower bound >= 1)"
                )
    if (
        by.industrial_output is not None
        and by.industrial_output.support[1] > 0
        and not {sid for sid, s in sectors.items() if s.manufacturing} & sure
    ):
        raise ValueError(
            "base_year.industrial_output: can be positive, but no manufacturing sector is sure to "
            "have an operating firm at the start (base_year.enterprises lower bound >= 1)"
        )
    for key in ("employees", "active_enterprises"):
        d = getattr(by, key)
        if d is not None and d.support[1] > 0 and not sure:
            raise ValueError(
                f"base_year.{key}: can be positive, but no sector is sure to have an operating firm "
                f"at the start (base_year.enterprises lower bound >= 1)"
            )
    if (by.development_rate is None) == (initial_state.developed_area_ha is None):
        raise ValueError(
            "base_year.development_rate / initial_state.developed_area_ha: give exactly one of the two "
            "(the development rate at the end of the base year, or the developed land in ha)"
        )
