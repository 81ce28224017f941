"""The variables of the national evaluation: what every zone has a value of, and the copula's columns.

A base variable is a yearly value every zone has: the zone takes most from its model output
(``ZONE_MODEL_VARIABLES``), a few from ``[ranking.zone]`` (``ZONE_CONFIG_VARIABLES``); the peers
take all of them from the peer population.
"""

from __future__ import annotations

from typing import Literal

from sim.vocabulary.outcomes import MODES

Region = Literal["east", "central_west"]
"""Region a zone is ranked in: the east, or the central, western and north-eastern provinces."""

Board = Literal["east", "central", "west_northeast"]
"""Board of the three-board ranking of the 2024 method: east; central; west and north-east."""

TRADE_MODES = tuple(f"trade_{m}" for m in MODES)

ZONE_MODEL_VARIABLES = (
    "trade_total",
    *TRADE_MODES,
    "industrial_output",
    "fdi_usd",
    "development_rate",
    "active_enterprises",
    "employees",
    "new_business_types",
    "institutional_innovations",
    "ftz_replications",
    "patents",
    "high_tech_firms",
)
"""Base variables the zone takes from its own model output (one value per simulated year)."""

ZONE_CONFIG_VARIABLES = ("area_km2", "accepted_area_share", "province_trade")
"""Base variables the zone takes from ``[ranking.zone]`` (the model does not produce them)."""

BASE_VARIABLES = ZONE_MODEL_VARIABLES + ZONE_CONFIG_VARIABLES

PEER_VARIABLES = tuple(v for v in BASE_VARIABLES if v not in ("trade_total", *TRADE_MODES))
"""Peer variables drawn from their own marginal (trade and its modes are handled apart)."""

LATENT_COLUMNS = ("trade_total", "seniority", *PEER_VARIABLES)
"""Columns of the Gaussian copula, in this order."""
