"""No non-finite number becomes a result: the guard every replication passes before it is kept.

A scenario that validates keeps every number in its plausible range (sim/scenario/ranges.py), so
this should never fire; if a combination of values still drives an indicator, a peer statistic or
a score to infinity or NaN, the run stops with one line naming the replication, the quantity and
the parameters that drive it, and nothing of it is written as a result.
"""

from __future__ import annotations

import numpy as np

from sim.errors import UserError

DRIVERS = (
    (("trade", "peers_", "rank", "score", "class_a", "region"), ("macro", "commodity", "trade_", "noise_sigma")),
    (("employees",), ("employees_",)),
    (("fdi",), ("fdi_", "foreign_prob")),
    (("industrial_output",), ("output_ratio", "trade_")),
    (("active_enterprises", "leaders_", "new_"), ("lead_rate", "leads_per_event", "sign_", "exit_rate")),
)
"""Which parameters (key path fragments) drive which indicators (id fragments), for the message."""


class NonFiniteResult(UserError):
    """A replication produced an infinite or undefined number; the scenario's values drive it."""


def check_finite(
    names: list[str], years: list, yearly: np.ndarray, monthly: np.ndarray, rep: int, seed: int, params
) -> None:
    """Raise :class:`NonFiniteResult` when ``yearly`` (year x indicator) or ``monthly`` holds a
    non-finite value (NaN where an indicator is undefined by design is reported too)."""
    if np.isfinite(yearly).all() and np.isfinite(monthly).all():
        return
    if not np.isfinite(yearly).all():
        i, j = np.argwhere(~np.isfinite(yearly))[0]
        what = f"{names[j]} in {years[i]} is {yearly[i, j]}"
        name = names[j]
    else:
        i, j = np.argwhere(~np.isfinite(monthly))[0]
        what, name = f"a monthly series (month {i + 1}) is {monthly[i, j]}", ""
    frags = next((d for ind, d in DRIVERS if any(f in name for f in ind)), ())
    drive = [p for p in (params or {}) if not frags or any(f in p for f in frags)]
    shown = ", ".join(f"{p} = {_num(params[p])}" for p in drive[:6]) or "none uncertain"
    raise NonFiniteResult(
        f"replication {rep} (seed {seed}): {what}; nothing of this run is kept as a result. "
        f"Its parameters that drive it: {shown}; narrow their ranges in the scenario"
    )


def _num(v) -> str:
    try:
        return f"{float(v):.6g}"
    except (TypeError, ValueError):
        return str(v)
