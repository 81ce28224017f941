"""The ``[constants]`` and ``[initial_state]`` sections: what the zone is and the space it starts with.

Constants are fixed facts and model structure (sectors, projects, milestones, leader pipelines,
yearly counts); the initial state is the zone's free space at the start, whose values may be
uncertain (its statistics are in ``[base_year]``, :mod:`sim.scenario.base_year`).
Cross-references between ids are checked by the whole scenario (:mod:`sim.scenario.schema`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from sim.scenario.fields import (
    AreaHa,
    AreaHaNumber,
    FencedKm2,
    Mode,
    Model,
    MonthsNumber,
    Multiplier,
    RevenueYi,
    SeasonalFactor,
    ShareNumber,
    SpacePerFirm,
    Tranches,
    WarehouseKm2,
    WarehouseNumber,
)
from sim.scenario.ranges import LIMITS


class SectorSpec(Model):
    name_en: str
    name_zh: str
    space: Literal["land", "warehouse", "none"] = Field(
        description="Space a firm of this sector needs: serviced land (ha), warehouse (1000 m2) or none."
    )
    space_per_firm: SpacePerFirm = Field(description="Space one firm takes, in ha (land) or 1000 m2 (warehouse).")
    manufacturing: bool = Field(description="Counts toward industrial output above designated size.")
    commodity_exposed: bool = Field(False, description="Trade moves with the commodity price index.")
    requires_milestone: str = Field("", description="Milestone id that must have happened before a firm operates.")
    mode_shares: dict[Mode, ShareNumber] = Field(description="Share of the firm's trade by customs mode; sums to 1.")

    @model_validator(mode="after")
    def _shares(self):
        if any(v < 0 for v in self.mode_shares.values()):
            raise ValueError("mode_shares: must be >= 0")
        s = sum(self.mode_shares.values())
        if abs(s - 1.0) > 1e-6:
            raise ValueError(f"mode_shares: must sum to 1, they sum to {s:g}")
        return self


class Effects(Model):
    lead_rate_multiplier: dict[str, Multiplier] = Field(
        default_factory=dict, description="Sector id -> factor on its lead rate once this happens."
    )
    trade_multiplier: dict[Mode, Multiplier] = Field(
        default_factory=dict, description="Customs mode -> factor on every firm's trade in it once this happens."
    )

    @model_validator(mode="after")
    def _positive(self):
        for group in ("lead_rate_multiplier", "trade_multiplier"):
            for k, v in getattr(self, group).items():
                if v < 0:
                    raise ValueError(f"{group}.{k}: must be >= 0, got {v}")
        return self


class ProjectSpec(Effects):
    name_en: str
    name_zh: str
    plan_task: int = Field(ge=1, le=99, description="Task number in section 二 of the plan.")
    depends_on: list[str] = Field(default_factory=list, description="Projects that must finish first.")
    serviced_land_ha: AreaHaNumber = Field(0.0, description="Serviced land (ha) released for enterprises.")
    footprint_ha: AreaHaNumber = Field(0.0, description="Land the works themselves develop (ha).")
    warehouse_k_m2: WarehouseNumber = Field(0.0, description="Warehouse capacity added (1000 m2).")


class MilestoneSpec(Effects):
    name_en: str
    name_zh: str
    plan_task: int = Field(ge=1, le=99, description="Task number in section 二 of the plan.")
    depends_on: list[str] = Field(default_factory=list, description="Projects or milestones that must happen first.")
    business_type: bool = Field(False, description="Counts as a new business type (新业态) once launched.")


class LeaderSpec(Model):
    name_en: str
    name_zh: str
    plan_task: int = Field(ge=1, le=99, description="Task number in section 二 of the plan.")
    sector: str = Field(description="Sector whose trade mix and space rules the leader follows.")
    window_months: int = Field(gt=0, le=240, description="Months from the start within which a candidate may sign.")
    space_per_firm: SpacePerFirm = Field(description="Space a leader takes (unit of its sector's space).")


class CountSpec(Model):
    name_en: str
    name_zh: str
    plan_task: int = Field(ge=1, le=99, description="Task number in section 二 of the plan.")
    unit: str = Field("count")
    per_firm_sectors: list[str] = Field(
        default_factory=list, description="Sectors whose operating firms add to the yearly rate."
    )


class Constants(Model):
    fenced_area_km2: FencedKm2 = Field(description="Fenced (customs-supervised) area, km2.")
    above_size_revenue_yi: RevenueYi = Field(description="Yearly revenue threshold of 规上 industry, 亿元.")
    seasonality: list[SeasonalFactor] = Field(
        min_length=12, max_length=12, description="Monthly trade multipliers, January first; mean 1."
    )
    fdi_tranches: Tranches = Field(description="FDI of a foreign firm is paid in this many tranches.")
    fdi_tranche_interval_months: MonthsNumber = Field(description="Months between FDI tranches.")
    max_disruption_depth: float = Field(1.0, gt=0, le=1, description="Cap on the fractional drop of trade in a spell.")
    sectors: dict[str, SectorSpec] = Field(min_length=1, max_length=LIMITS["sectors"])
    projects: dict[str, ProjectSpec] = Field(default_factory=dict, max_length=LIMITS["projects"])
    milestones: dict[str, MilestoneSpec] = Field(default_factory=dict, max_length=LIMITS["milestones"])
    leaders: dict[str, LeaderSpec] = Field(default_factory=dict, max_length=LIMITS["leaders"])
    counts: dict[str, CountSpec] = Field(default_factory=dict, max_length=LIMITS["counts"])

    @model_validator(mode="after")
    def _season(self):
        if any(v < 0 for v in self.seasonality):
            raise ValueError("seasonality: multipliers must be >= 0")
        m = sum(self.seasonality) / 12
        if abs(m - 1.0) > 0.01:
            raise ValueError(f"seasonality: must average 1 (it scales yearly sizes), averages {m:.3f}")
        return self


class InitialState(Model):
    developed_area_ha: AreaHa | None = Field(
        None,
        description=(
            "Developed (built or occupied) land at the start, ha, not counting the free serviced land; "
            "or give base_year.development_rate instead."
        ),
    )
    serviced_land_free_ha: AreaHa = Field(description="Serviced land ready but not yet taken, ha.")
    warehouse_free_k_m2: WarehouseKm2 = Field(description="Warehouse space free at the start, 1000 m2.")
    pipeline_months: int = Field(
        0,
        ge=0,
        le=36,
        description=(
            "Months before the start in which leads arrived at the sectors' base lead rates; those of "
            "their firms not yet open at the start (signed, waiting, fitting out) are the pipeline the "
            "zone carries into its first year (docs/model.md §5.2). 0: no pipeline."
        ),
    )
