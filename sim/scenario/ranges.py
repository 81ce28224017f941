"""The plausible range of every kind of number a scenario states, each with its reason.

A range is wide enough for any real comprehensive bonded zone (the largest trade some 5,000亿元 a
year, the largest a few thousand firms) and narrow enough that no value inside it can overflow the
model (no rate, size or sigma whose draws reach infinity or exhaust memory). The schema declares
each field's kind once (:mod:`sim.scenario.fields`); ``validate`` refuses anything outside its
range with the range and the reason in the message, and docs/scenarios.md lists the table.

An uncertain value must keep its whole support inside the range; for a distribution with an
unbounded tail (normal, lognormal) the range applies to its central 1 - 2e-6 of probability
(the 0.0001% and 99.9999% quantiles), which bounds the rarest draw of a replication too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    """Allowed values of one kind of number: [low, high] (``low_open``: low itself excluded)."""

    low: float
    high: float
    unit: str
    reason: str
    low_open: bool = False

    def text(self) -> str:
        if self.low_open:
            return f"> {self.low:g} and <= {self.high:g} {self.unit}".rstrip()
        return f"in [{self.low:g}, {self.high:g}] {self.unit}".rstrip()

    def contains(self, a: float, b: float | None = None) -> bool:
        b = a if b is None else b
        if not (math.isfinite(a) and math.isfinite(b)):
            return False
        above = a > self.low if self.low_open else a >= self.low
        return above and b <= self.high

    def refusal(self, got: str) -> str:
        return f"expected a value {self.text()} ({self.reason}), {got}"


TAIL = 1e-6
"""Quantiles (TAIL, 1 - TAIL) where the range of a distribution with an unbounded tail is checked."""

RANGES: dict[str, Range] = {
    "share": Range(0, 1, "", "a probability or a share of a whole"),
    "percent": Range(0, 100, "%", "a percentage of a whole"),
    "sigma": Range(0, 3, "", "sd of a logarithm: 3 puts one firm in twenty above 140 x the median"),
    "volatility": Range(
        0, 0.5, "a month", "monthly sd of a logarithm: 0.5 is a 65% swing a month, ten times any month seen"
    ),
    "drift": Range(-2, 2, "a year", "yearly change of a logarithm: from x0.14 to x7.4 in one year"),
    "months": Range(0, 240, "months", "20 years, longer than any plan (at most 10 years) with its slips"),
    "slip_months": Range(-120, 240, "months", "from 10 years early to 20 years late, beyond any plan's horizon"),
    "leads_month": Range(0, 1000, "leads a month", "12,000 leads a year, ten times the busiest zone's promotion"),
    "leads_event": Range(0, 1000, "leads", "one event bringing more than a thousand leads has never been seen"),
    "hazard_year": Range(0, 12, "a year", "a yearly hazard of 12 is one event a month for every firm or the zone"),
    "count_year": Range(0, 10000, "a year", "ten thousand a year, more than the whole country's zones produce"),
    "count_firm_year": Range(0, 100, "a year per firm", "a hundred a year per firm, beyond any programme"),
    "zone_yi": Range(0, 100000, "亿元", "ten times the largest zone's yearly trade (some 5,000亿元)"),
    "firm_yi": Range(0, 10000, "亿元 a year", "one firm trading more than 1万亿元 a year has never been seen"),
    "zone_wan_usd": Range(0, 1e7, "万美元", "1,000亿美元 a year, more than the whole country's FDI in zones"),
    "firm_wan_usd": Range(0, 1e6, "万美元", "100亿美元 paid in by one firm"),
    "zone_persons": Range(0, 1e7, "persons", "ten million employees, more than any city district"),
    "firm_persons": Range(0, 1e6, "persons", "a million employees, more than the largest factory"),
    "firms": Range(0, 100000, "enterprises", "a hundred thousand, a hundred times the largest zone's"),
    "output_ratio": Range(0, 100, "yuan per yuan of trade", "output a hundred times trade, beyond any manufacturer"),
    "multiplier": Range(0, 100, "x", "a factor of a hundred on a rate or on trade, beyond any policy's effect"),
    "elasticity": Range(0, 10, "", "funding elasticity of delay: 10 makes half the funding take 1,000 x longer"),
    "area_ha": Range(0, 100000, "ha", "1,000 km2, a hundred times the largest fenced area"),
    "warehouse": Range(0, 100000, "1000 m2", "100 km2 of warehouses, beyond any zone"),
    "space_per_firm": Range(0, 10000, "ha or 1000 m2", "100 km2 for one firm, beyond any zone"),
    "fenced_km2": Range(0, 1000, "km2", "a hundred times the largest fenced area (some 10 km2)", low_open=True),
    "seasonality": Range(0, 12, "x", "a month's trade at most the whole year's (12 x the monthly mean)"),
    "revenue_yi": Range(0, 1000, "亿元", "a size threshold above any firm's revenue in a zone"),
    "tranches": Range(1, 120, "tranches", "one a month for ten years"),
    "cost_wan": Range(0, 1e8, "万元", "1万亿元, more than any zone's budget"),
    "threshold": Range(-1e9, 1e9, "", "beyond any indicator a zone's model produces"),
    "rank": Range(1, 1000, "", "a place in the national ranking, which evaluates fewer than 200 zones"),
    "year": Range(1990, 2100, "", "a calendar year of a plan"),
    "fallback": Range(0, 1e9, "", "a zone's yearly statistic, beyond any real zone's"),
}
"""Every kind of number with its range and reason (docs/scenarios.md, section Ranges)."""

LIMITS = {
    "targets": 500,
    "sectors": 50,
    "projects": 300,
    "milestones": 300,
    "leaders": 100,
    "counts": 50,
    "zones": 200,
    "replications": 100000,
    "horizon_months": 120,
    "choice_values": 1000,
}
"""Most entries a scenario may hold of each kind: a real plan has tens of targets and projects;
100,000 replications pin a probability to ±0.3 points (more is a typo, not a study); a plan runs
at most ten years; a portfolio lists at most 200 zones (the country has about 170 comprehensive bonded zones). Each bounds the memory and time one run can ask for."""
