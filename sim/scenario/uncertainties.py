"""The ``[uncertainties]`` section: what nobody controls, as declared distributions."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.distributions import Fixed
from sim.scenario.fields import (
    CountPerFirmYear,
    CountPerYear,
    Drift,
    Elasticity,
    FirmPersons,
    FirmWanUsd,
    FirmYi,
    HazardPerYear,
    LeadsPerEvent,
    LeadsPerMonth,
    Model,
    Months,
    OutputRatio,
    Prob,
    Sigma,
    SlipMonths,
    Volatility,
    WaitMonths,
)
from sim.scenario.ranges import LIMITS


class SectorUncertainty(Model):
    lead_rate_per_month: LeadsPerMonth = Field(description="Leads a month without promotion events.")
    sign_prob: Prob = Field(description="Probability a lead signs.")
    sign_delay_months: Months = Field(description="Mean months from lead to signing (exponential).")
    max_wait_months: WaitMonths = Field(description="Months a signed firm waits for space before it is lost.")
    fitout_months: Months = Field(description="Mean fit-out months after space is found (exponential).")
    rampup_months: Months = Field(description="Months from opening to full size (linear ramp).")
    trade_median_yi: FirmYi = Field(description="Median yearly trade of a firm at full size, 亿元.")
    trade_sigma: Sigma = Field(description="Between-firm sd of log yearly trade.")
    noise_sigma: Sigma = Field(description="Month-to-month sd of log trade.")
    output_ratio: OutputRatio = Field(description="Yearly output (revenue) per yuan of trade.")
    employees_median: FirmPersons = Field(description="Median employees of a firm at full size.")
    employees_sigma: Sigma = Field(description="Between-firm sd of log employees.")
    foreign_prob: Prob = Field(description="Probability a new firm is foreign-invested.")
    fdi_wan_usd: FirmWanUsd = Field(description="Mean FDI paid in by a foreign firm, 万美元 (exponential).")
    exit_rate_per_year: HazardPerYear = Field(description="Yearly exit hazard of an operating firm.")


class Macro(Model):
    growth_per_year: Drift = Field(description="Drift of the log shared trade factor a year.")
    volatility_per_month: Volatility = Field(description="Monthly sd of the log shared trade factor.")


class Commodity(Model):
    drift_per_year: Drift = Field(description="Drift of the log commodity price index a year.")
    volatility_per_month: Volatility = Field(description="Monthly sd of the log commodity price index.")


class Disruption(Model):
    spells_per_year: HazardPerYear = Field(description="Rate of disruption spells (Poisson) a year.")
    length_months: Months = Field(description="Mean spell length, months (exponential).")
    depth: Prob = Field(description="Fractional drop of all trade during a spell.")


class Promotion(Model):
    leads_per_event: LeadsPerEvent = Field(
        description="Extra leads one promotion event brings (Poisson mean), split by sector lead rates."
    )


class LeaderUncertainty(Model):
    sign_prob: Prob = Field(description="Probability a candidate signs within its window.")
    trade_yi: FirmYi = Field(description="Yearly trade of a leader at full size, 亿元.")
    employees: FirmPersons = Field(description="Employees of a leader at full size.")
    fdi_wan_usd: FirmWanUsd = Field(description="FDI a leader pays in, 万美元 (0 if domestic).")
    fitout_months: Months = Field(description="Months from signing and finding space to opening.")
    rampup_months: Months = Field(description="Months from opening to full size.")


class CountUncertainty(Model):
    base_per_year: CountPerYear = Field(description="Yearly Poisson rate independent of firms.")
    per_firm_per_year: CountPerFirmYear = Field(
        default_factory=lambda: Fixed(value=0.0), description="Yearly rate per operating firm of the listed sectors."
    )


class Uncertainties(Model):
    macro: Macro
    commodity: Commodity
    disruption: Disruption
    promotion: Promotion
    funding_delay_elasticity: Elasticity = Field(
        description="A project's time to completion (planned month + slip) scales as funding ** -elasticity."
    )
    sectors: dict[str, SectorUncertainty] = Field(max_length=LIMITS["sectors"])
    project_delay_months: dict[str, SlipMonths] = Field(
        default_factory=dict, description="Slip past the planned month (negative = early), months."
    )
    milestone_delay_months: dict[str, SlipMonths] = Field(
        default_factory=dict, description="Slip past the planned month (negative = early), months."
    )
    leaders: dict[str, LeaderUncertainty] = Field(default_factory=dict)
    counts: dict[str, CountUncertainty] = Field(default_factory=dict)
