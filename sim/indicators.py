"""Indicator vocabulary shared by the model, the analysis and the reports.

Indicators are yearly outputs of one replication. Their ids and units are model structure,
not zone data, so they live here; labels for charts live in ``sim/report/labels.py``.
"""

MODES = ("processing", "bonded_logistics", "general", "cbec", "other")
"""Customs modes (贸易方式) the model splits trade into; trade_total is their sum."""

_UNITS = {
    "trade_total": "亿元",
    **{f"trade_{m}": "亿元" for m in MODES},
    "industrial_output": "亿元",
    "fdi_usd": "万美元",
    "development_rate": "%",
    "active_enterprises": "count",
    "employees": "persons",
    "new_business_types": "count",
}


def indicator_unit(indicator: str) -> str:
    """Unit of a built-in indicator (scenario-defined ones carry their own)."""
    if indicator.startswith("leaders_"):
        return "count"
    if indicator.startswith("done_"):
        return "0/1"
    return _UNITS[indicator]


TRADE_COMPONENTS = tuple(f"trade_{m}" for m in MODES)
"""trade_total is by construction the sum of these."""

FLOW_INDICATORS = ("trade_total", *TRADE_COMPONENTS, "industrial_output", "fdi_usd")
"""Indicators summed over months into a year; every other monthly indicator is a stock read at
the end of the month (for active_enterprises: firms active at any time so far this year)."""
