"""The zero-noise peer population and the check that it reproduces the calibration targets.

Every variable sits exactly on its calibrated quantile grid (trade: the marginal at the middle of
the top-share ranges), ordered with the size factor, regions balanced so each region's trade
matches its share of zones; it reproduces the national total and top-5 / top-30 shares by
construction (:func:`calibration_check` reports target and achieved values).
"""

from __future__ import annotations

import numpy as np

from sim.ranking.config import PEER_VARIABLES, TOP_LARGE, TOP_SMALL, RankingConfig
from sim.ranking.peers import PeerPopulation, prepared, values_from_latent


def _balanced_regions(trade: np.ndarray, n_cw: int) -> np.ndarray:
    """Deterministic regions for the zero-noise population: down the trade ranking, a zone goes to
    the central-west while that region's share of the trade assigned so far is below its share of
    zones (and zones remain for it), so each region's trade matches its count share."""
    n = len(trade)
    target = n_cw / n
    cw = np.zeros(n, bool)
    got = tot = 0.0
    left_cw, left_e = n_cw, n - n_cw
    for i in np.argsort(-trade, kind="stable"):
        tot += trade[i]
        if left_cw and (not left_e or got < target * tot):
            cw[i], got, left_cw = True, got + trade[i], left_cw - 1
        else:
            left_e -= 1
    return cw


def calibration_population(cfg: RankingConfig) -> PeerPopulation:
    """The zero-noise population: every variable exactly on its calibrated quantile grid, ordered
    with the size factor (sign of its loading), regions balanced so each region's trade matches
    its share of zones, mode mix equal to the region's shares. It reproduces the calibration
    targets by construction."""
    p = prepared(cfg)
    sign = np.where(cfg.peers.loadings() >= 0, 1.0, -1.0)
    latent = sign[:, None] * p.z_grid[None, :]
    values = values_from_latent(p, latent, True, p.trade_q)
    cw = _balanced_regions(values[0], p.n_cw)
    return PeerPopulation(
        values=values,
        seniority=latent[1],
        central_west=cw,
        mix=p.shares[:, cw.astype(int)].copy(),
        shift=np.zeros(len(values)),  # no per-replication shift of the medians
    )


def top_share(x: np.ndarray, k: int) -> float:
    x = np.asarray(x, dtype=float)
    return float(np.sort(x)[-k:].sum() / x.sum())


def calibration_check(cfg: RankingConfig) -> dict[str, tuple[float, float]]:
    """Target and achieved value of each calibration target in the zero-noise population (the
    middle of a ranged target)."""
    pop = calibration_population(cfg)
    trade = pop.column("trade_total")
    ps = cfg.peers
    out = {
        "trade_total_yi": (ps.trade.total_yi, float(trade.sum())),
        "top5_share": (ps.trade.shares(0.5)[0], top_share(trade, TOP_SMALL)),
        "top30_share": (ps.trade.shares(0.5)[1], top_share(trade, TOP_LARGE)),
        "n_central_west": (float(ps.n_central_west), float(pop.central_west.sum())),
    }
    for k in PEER_VARIABLES:
        v = ps.variables[k]
        out[f"{k}_median"] = (v.median, float(np.median(pop.column(k))))
    return out
