"""The ``[ranking.zone]`` part of the ranking section: the zone's own inputs to the national evaluation.

They come from the zone's scenario (baseline.toml's last section) or zone file, never from the
methods file, which is the same for every zone (sim.ranking.config.fill).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.config_base import StrictModel
from sim.ranking.config.variables import ZONE_MODEL_VARIABLES, Board, Region

Model = StrictModel


class ZoneSpec(Model):
    region: Region = Field(
        description="Region the zone is ranked in: 'east' or 'central_west' "
        "(central, western and north-eastern provinces)."
    )
    area_km2: float = Field(gt=0, description="Area the per-area indicators divide by (fenced area), km2.")
    accepted_area_share_pct: float = Field(
        gt=0, le=100, description="Share of the approved area that has passed customs acceptance, %."
    )
    board: Board | None = Field(
        None,
        description="Board of a three-board ranking (east, central, west_northeast); from the province "
        "(scenarios/province_boards.csv). Required when a method ranks on three boards.",
    )
    province_trade_yi: float = Field(
        gt=0,
        description="Foreign trade of the zone's province in the "
        "calibration year, 亿元; grows like the peers' province_trade.",
    )
    offsets: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Added to the zone model's output before scoring, for stock the model does not track "
            "(e.g. business types running before the first simulated year). Must be >= 0."
        ),
    )
    fallback: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Value used when the zone model does not produce a base variable in this scenario. Without "
            "an entry, a missing variable is an error (never a silent zero)."
        ),
    )

    @model_validator(mode="after")
    def _keys(self):
        for name, d in (("offsets", self.offsets), ("fallback", self.fallback)):
            bad = sorted(set(d) - set(ZONE_MODEL_VARIABLES))
            if bad:
                raise ValueError(f"{name}: unknown variable(s) {bad}; expected some of {list(ZONE_MODEL_VARIABLES)}")
        nonnegative(
            self.offsets, "offsets", "a negative offset could reverse the direction of the zone's own indicator"
        )
        return self


def nonnegative(values: dict[str, float], what: str, why: str) -> None:
    neg = sorted(k for k, v in values.items() if v < 0)
    if neg:
        raise ValueError(f"{what}: {neg} must be >= 0 ({why})")
