"""The national trade statistics of a replication's peers, each simulated year.

The quantiles of the CBZ peers' trade (the bonded zones left out, as the national CBZ statistics
leave them out) and the top-5 and top-30 shares of national CBZ trade with the zone among them
(``peers_*`` yearly indicators).
"""

from __future__ import annotations

import functools

import numpy as np

from sim.ranking.config import TOP_LARGE, TOP_SMALL

TRADE_QUANTILES = (0.1, 0.5, 0.9)
"""Quantiles of the peers' trade reported as peers trade_p10, trade_p50, trade_p90."""


@functools.lru_cache(maxsize=16)
def _quantile_points(n: int) -> tuple[list[int], list[int], np.ndarray]:
    """The sorted positions below and above each of TRADE_QUANTILES among ``n`` values and the
    fraction of the way between them (np.quantile's linear rule)."""
    h = [q * (n - 1) for q in TRADE_QUANTILES]
    lo = [int(x) for x in h]
    frac = np.array([x - i for x, i in zip(h, lo, strict=True)])
    frac.flags.writeable = False
    return lo, [min(i + 1, n - 1) for i in lo], frac


def trade_statistics(trade: np.ndarray, n: int, peers: dict) -> None:
    """Fill the trade statistics of ``peers`` from (..., T, n + K) trade of the CBZ peers and the
    zones (last), any leading axes (replications) kept: the national CBZ statistics leave the bonded
    zones out."""
    peer_sorted = np.sort(trade[..., :n], axis=-1)
    lo, hi, frac = _quantile_points(n)
    below = peer_sorted[..., lo]
    qs = below + frac * (peer_sorted[..., hi] - below)  # np.quantile, linear
    for j, k in enumerate(("trade_p10", "trade_p50", "trade_p90")):
        peers[k] = qs[..., j]
    national = np.sort(trade, axis=-1)[..., ::-1]  # largest first, each year
    tot = national.sum(axis=-1)
    peers["top5_share"] = national[..., :TOP_SMALL].sum(axis=-1) / tot
    peers["top30_share"] = national[..., :TOP_LARGE].sum(axis=-1) / tot
    peers["trade_total_national"] = tot
