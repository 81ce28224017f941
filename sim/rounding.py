"""Numbers written for people: each float to the digits that mean something.

A planner opens summary.csv, base_year.csv, the study tables and summary.xlsx in a spreadsheet;
``0.39999999999999997`` there is float noise, not information. Every float written to such a
table keeps ``DIGITS`` significant digits: finer than anything the model can resolve (a
probability from 100,000 replications is known to about ±0.003, money to well under 0.1%) and
finer than every figure the meeting pack shows, so nothing a reader uses is lost. The raw
per-replication tables (indicators.csv and the chunk files) and the API's in-memory tables keep
full precision; only what is written for people is rounded, at writing.
"""

from __future__ import annotations

import math

import pandas as pd

DIGITS = 6
"""Significant digits of every float written for people."""


def significant(x: float, digits: int = DIGITS) -> float:
    """``x`` to ``digits`` significant digits (non-finite values unchanged)."""
    if not math.isfinite(x) or x == 0:
        return x
    return float(f"{x:.{digits}g}")


def for_people(df: pd.DataFrame, digits: int = DIGITS) -> pd.DataFrame:
    """A copy of ``df`` with every float column at ``digits`` significant digits."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col].dtype):
            out[col] = [significant(float(x), digits) for x in out[col].to_numpy(dtype=float)]
    return out
