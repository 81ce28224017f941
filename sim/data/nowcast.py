"""Year-to-date nowcast: one replication conditioned on the months already observed.

Each replication is simulated as usual; then, for every observed indicator (docs/model.md 7.14):

1. the observed months up to ``as_of`` take their observed values;
2. every other month of that indicator (the future, and any unobserved gap) is the replication's
   own value times ``r = obs / S``, the ratio of the observed to the simulated level at the end of
   the observed period: for flows the sums over the last ``window_months`` observed months, for
   stocks the last observed month. The replication thus keeps its own growth, seasonality and
   shocks, but continues from where the zone actually is;
3. when the ratio cannot be formed (a side is 0) or is extreme (outside
   [1/``max_ratio``, ``max_ratio``]), the level is shifted instead: ``(obs - S)`` per month is
   added (flows: per month of the window), never below 0;
4. trade stays consistent: trade_total is the sum of the customs modes. Unobserved modes share
   the observed total (in proportion to their simulated values); without an observed total, the
   total is the sum of the modes;
5. yearly indicators are recomputed from the adjusted months (flows: sum, stocks: December).

Pure functions of arrays: no I/obs, no randomness. ``condition_series`` works on arrays of shape
``[..., month]`` so a backtest can condition many replications at once.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sim.data.observations import ObservationsConfig
from sim.months import month_end
from sim.vocabulary.outcomes import FLOW_INDICATORS, TRADE_COMPONENTS


def known_months(as_of: str, start: str, months: int) -> int:
    """Number of run months up to and including ``as_of`` (0..months)."""
    return int(np.clip(month_end(as_of, start), 0, months))


def condition_series(
    monthly: Mapping[str, np.ndarray],
    observed: Mapping[str, np.ndarray],
    n_known: int,
    window_months: int = 3,
    max_ratio: float = 5.0,
) -> dict[str, np.ndarray]:
    """Adjusted copies of the monthly series that observations touch.

    ``monthly``: indicator -> simulated values[..., month]; ``observed``: indicator ->
    values[month] with NaN where not observed; only months ``< n_known`` are used. Returns
    indicator -> adjusted values[..., month] for every observed indicator (and the trade series
    kept consistent with them); other indicators are left out (unchanged)."""
    out: dict[str, np.ndarray] = {}
    fixed: dict[str, np.ndarray] = {}  # indicator -> mask of months fixed at observed values
    for ind, ov in observed.items():
        if ind not in monthly:
            continue
        o = np.asarray(ov, dtype=float).copy()
        o[n_known:] = np.nan
        idx = np.flatnonzero(~np.isnan(o))
        if not len(idx):
            continue
        s = np.asarray(monthly[ind], dtype=float)
        flow = ind in FLOW_INDICATORS
        win = idx[-window_months:] if flow else idx[-1:]
        obs = o[win].sum()
        S = s[..., win].sum(axis=-1)
        adj = _continue(s, obs, S, len(win), max_ratio)
        if ind == "development_rate":
            adj = np.minimum(adj, 100.0)
        adj[..., idx] = o[idx]
        out[ind] = adj
        mask = np.zeros(s.shape[-1], dtype=bool)
        mask[idx] = True
        fixed[ind] = mask
    trade = ("trade_total", *TRADE_COMPONENTS)
    if any(k in out for k in trade) and all(k in monthly for k in trade):
        _reconcile_trade(out, monthly, fixed)
    return out


def _continue(s: np.ndarray, obs: float, S: np.ndarray, per: int, max_ratio: float) -> np.ndarray:
    """s scaled by obs/S where that ratio is usable, else shifted by (obs - S)/per; never below 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(S > 0, obs / np.where(S > 0, S, 1.0), np.inf)
    scale = (obs > 0) & (S > 0) & (r <= max_ratio) & (r >= 1.0 / max_ratio)
    scaled = s * np.where(scale, r, 1.0)[..., None]
    shifted = s + ((obs - S) / per)[..., None]
    return np.maximum(np.where(scale[..., None], scaled, shifted), 0.0)


def _reconcile_trade(out: dict, monthly: Mapping[str, np.ndarray], fixed: dict) -> None:
    modes = list(TRADE_COMPONENTS)
    obs_modes = [m for m in modes if m in out]
    unobs = [m for m in modes if m not in out]
    if "trade_total" in out:
        total = out["trade_total"]
        known = sum((out[m] for m in obs_modes), np.zeros_like(total))
        residual = np.maximum(total - known, 0.0)
        if unobs:
            base = sum(np.asarray(monthly[m], dtype=float) for m in unobs)
            pos = base > 0
            factor = np.where(pos, residual / np.where(pos, base, 1.0), 0.0)
            for m in unobs:
                out[m] = np.asarray(monthly[m], dtype=float) * factor
            sink = "trade_other" if "trade_other" in unobs else unobs[-1]
            out[sink] = out[sink] + np.where(pos, 0.0, residual)
        modes_sum = sum(out[m] for m in modes)
        # observed months keep the observed total; elsewhere the total is the sum of the modes
        out["trade_total"] = np.where(fixed["trade_total"], total, modes_sum)
    else:
        out["trade_total"] = sum((out[m] if m in out else np.asarray(monthly[m], dtype=float)) for m in modes)


def condition(result, observations: ObservationsConfig, as_of: str, start: str) -> None:
    """Condition one replication's model Result on the observations up to ``as_of`` (in place).

    ``as_of`` may be "latest" (the last observed month). Monthly series of the observed
    indicators (and the trade series that must add up with them) are replaced; their yearly
    values are recomputed from the months: flows sum, stocks take December."""
    if as_of == "latest":
        observed = observations.months()
        if not observed:
            return
        as_of = observed[-1]
    months = len(result.monthly["trade_total"])
    n_known = known_months(as_of, start, months)
    new = condition_series(
        result.monthly, observations.table(start, months), n_known, observations.window_months, observations.max_ratio
    )
    n_years = len(result.years)
    for name, v in new.items():
        result.monthly[name] = v
        by_year = v.reshape(n_years, 12)
        result.yearly[name] = by_year.sum(axis=1) if name in FLOW_INDICATORS else by_year[:, -1].copy()
