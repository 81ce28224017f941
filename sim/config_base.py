"""The one base of every model a scenario file is validated against.

Frozen, unknown keys rejected, and strict: a boolean is not a number, a string is not a number
or a boolean, and every number is finite (NaN and ±inf are refused). Each model input's allowed
range is then declared once, on its field (``Field(ge=..., le=...)``) or in its model's
validator, so a bad value stops at validation, with its key path, before anything runs.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

STRICT = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)
"""The configuration every scenario model uses (see the module docstring)."""


class StrictModel(BaseModel):
    """Base of the scenario's models: frozen, unknown keys rejected, strict and finite types."""

    model_config = STRICT
