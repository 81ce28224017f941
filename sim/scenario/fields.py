"""Field types shared by the scenario's sections: bounded numbers and distributions, modes, months.

Every number a scenario states has a kind with a plausible range and its reason
(:mod:`sim.scenario.ranges`); each alias below is a distribution (:mod:`sim.scenario.distributions`) whose values must lie in
the range of its kind, or a plain number in it. ``Month`` is a "YYYY-MM" string; ``Mode`` a customs mode id. ``Model``
is the frozen base every section derives from (unknown keys rejected).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np
from pydantic import AfterValidator

from sim.config_base import StrictModel
from sim.months import check_month
from sim.scenario.distributions import Dist
from sim.scenario.ranges import RANGES, TAIL
from sim.vocabulary.outcomes import MODES

Model = StrictModel


def plausible_span(d) -> tuple[float, float]:
    """The values a distribution takes: its support, or its (TAIL, 1 - TAIL) quantiles where a tail
    is unbounded."""
    with np.errstate(all="ignore"):  # an absurd parameter overflows here and is refused by the caller
        a, b = d.support
        if not math.isfinite(a):
            a = float(d.ppf(TAIL))
        if not math.isfinite(b):
            b = float(d.ppf(1.0 - TAIL))
    return (a, b) if not (math.isnan(a) or math.isnan(b)) else (math.inf, math.inf)


def _within(lo: float, hi: float):
    def check(d):
        a, b = d.support
        if a < lo or b > hi:
            raise ValueError(f"values must lie in [{lo:g}, {hi:g}], this distribution spans [{a:g}, {b:g}]")
        return d

    return AfterValidator(check)


def _in_range(kind: str):
    r = RANGES[kind]

    def check(d):
        a, b = plausible_span(d)
        if not r.contains(a, b):
            got = f"got {a:g}" if a == b else f"this distribution spans [{a:g}, {b:g}]"
            raise ValueError(r.refusal(got))
        return d

    setattr(check, "kind", kind)  # noqa: B010 - read by sim.scenario.range_docs
    return AfterValidator(check)


def _number_in(kind: str):
    r = RANGES[kind]

    def check(v):
        if not r.contains(float(v)):
            raise ValueError(r.refusal(f"got {v:g}"))
        return v

    setattr(check, "kind", kind)  # noqa: B010 - read by sim.scenario.range_docs
    return AfterValidator(check)


def _positive(d):
    if not d.always_positive:
        raise ValueError(f"values must be > 0, this distribution reaches {d.support[0]:g}")
    return d


NonNeg = Annotated[Dist, _within(0.0, float("inf"))]
Prob = Annotated[Dist, _in_range("share")]
Positive = Annotated[Dist, AfterValidator(_positive)]

# Uncertain values (a number or a distribution), by kind of number (ranges.RANGES gives each range's reason)
Share = Annotated[Dist, _in_range("share")]
Percent = Annotated[Dist, _in_range("percent")]
Sigma = Annotated[Dist, _in_range("sigma")]
Volatility = Annotated[Dist, _in_range("volatility")]
Drift = Annotated[Dist, _in_range("drift")]
Months = Annotated[Dist, _in_range("months")]
SlipMonths = Annotated[Dist, _in_range("slip_months")]
LeadsPerMonth = Annotated[Dist, _in_range("leads_month")]
LeadsPerEvent = Annotated[Dist, _in_range("leads_event")]
HazardPerYear = Annotated[Dist, _in_range("hazard_year")]
CountPerYear = Annotated[Dist, _in_range("count_year")]
CountPerFirmYear = Annotated[Dist, _in_range("count_firm_year")]
OutputRatio = Annotated[Dist, _in_range("output_ratio")]
Elasticity = Annotated[Dist, _in_range("elasticity")]
ZoneYi = Annotated[Dist, _in_range("zone_yi")]
ZoneWanUsd = Annotated[Dist, _in_range("zone_wan_usd")]
FirmWanUsd = Annotated[Dist, _in_range("firm_wan_usd")]
ZonePersons = Annotated[Dist, _in_range("zone_persons")]
FirmPersons = Annotated[Dist, _in_range("firm_persons")]
Firms = Annotated[Dist, _in_range("firms")]
AreaHa = Annotated[Dist, _in_range("area_ha")]
WarehouseKm2 = Annotated[Dist, _in_range("warehouse")]
FirmYi = Annotated[Dist, _in_range("firm_yi"), AfterValidator(_positive)]
WaitMonths = Annotated[Dist, _in_range("months"), AfterValidator(_positive)]
# Plain numbers
ShareNumber = Annotated[float, _number_in("share")]
Multiplier = Annotated[float, _number_in("multiplier")]
AreaHaNumber = Annotated[float, _number_in("area_ha")]
WarehouseNumber = Annotated[float, _number_in("warehouse")]
SpacePerFirm = Annotated[float, _number_in("space_per_firm")]
FencedKm2 = Annotated[float, _number_in("fenced_km2")]
RevenueYi = Annotated[float, _number_in("revenue_yi")]
SeasonalFactor = Annotated[float, _number_in("seasonality")]
MonthsNumber = Annotated[float, _number_in("months")]
CostWan = Annotated[float, _number_in("cost_wan")]
Threshold = Annotated[float, _number_in("threshold")]
Tranches = Annotated[int, _number_in("tranches")]
Year = Annotated[int, _number_in("year")]


if TYPE_CHECKING:
    Mode = str  # a Literal cannot be built from the registry's tuple statically; validated at run time
else:
    Mode = Literal[MODES]

Month = Annotated[str, AfterValidator(check_month)]
