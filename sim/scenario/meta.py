"""The ``[scenario]`` and ``[run]`` sections: the scenario's names and its run settings."""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.scenario.fields import Model, Month
from sim.scenario.ranges import LIMITS


class ScenarioMeta(Model):
    name: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        description="Short scenario name (letters, digits, _ . -; used in result folder names).",
    )
    zone: str = Field(description="Zone name in English.")
    zone_zh: str = Field(description="Zone name in Chinese.")
    name_zh: str = Field(
        "",
        description="The scenario's title in Chinese, for the meeting pack (default: the name); "
        "a scenario that extends another sets its own.",
    )
    name_en: str = Field("", description="The scenario's title in English, for the meeting pack (default: the name).")
    description: str = Field("", description="What this scenario is for (English).")
    description_zh: str = Field("", description="What this scenario is for, in Chinese (the Chinese pack's text).")
    plan: str = Field("", description="The plan document the targets and levers come from.")


class Run(Model):
    start: Month = Field(description='First simulated month, "YYYY-01" (a January).')
    horizon_months: int = Field(gt=0, le=120, description="Months simulated; a multiple of 12.")
    replications: int = Field(
        gt=0, le=LIMITS["replications"], description="Default number of replications (at most 100,000)."
    )
    seed: int = Field(ge=0, le=2**63 - 1, description="Root seed of all random streams.")

    @model_validator(mode="after")
    def _whole_years(self):
        if not self.start.endswith("-01"):
            raise ValueError(
                f'start: must be a January ("YYYY-01") so indicators are calendar years, got {self.start!r}'
            )
        if self.horizon_months % 12:
            raise ValueError(f"horizon_months: must be a multiple of 12, got {self.horizon_months}")
        return self

    @property
    def years(self) -> list[int]:
        y0 = int(self.start[:4])
        return list(range(y0, y0 + self.horizon_months // 12))
