"""Regional boards of the national evaluation: which units share the zone's board.

The 2020 method ranks on two boards (east; central, west and north-east), the 2024 method on three
(east; central; west and north-east). The peers carry a two-region flag; under three boards the
first ``round(peers.west_northeast_share x count)`` central-west CBZ peers by index are on the west
and north-east board, the rest on the central one. Regions are a random permutation and a peer's
values do not depend on its index, so these are a random subset, and no random number is drawn for
it (the draws of a two-board configuration are unchanged).
"""

from __future__ import annotations

import numpy as np

from sim.ranking.config import RankingConfig

BOARD_INDEX = {"east": 0, "central": 1, "west_northeast": 2}
"""Board -> its code in the three-board ranking."""


def board_masks(cfg: RankingConfig, central_west: np.ndarray, n_cbz: int) -> tuple[np.ndarray, np.ndarray]:
    """(two-board, three-board) masks over the units (peers, then the zone last, always True): True
    where a unit is on the zone's board. ``central_west``: the peers' region flags (CBZ peers first,
    ``n_cbz`` of them, then the bonded zones). One replication, one zone of :func:`chunk_board_masks`."""
    two, three = chunk_board_masks([cfg], central_west[None], n_cbz)
    return two[0, 0], three[0, 0]


def chunk_board_masks(cfgs: list[RankingConfig], central_west: np.ndarray, n_cbz: int) -> tuple[np.ndarray, np.ndarray]:
    """(two-board, three-board) masks, each (B, K, units), of K zones ranked together in each of B
    replications (``central_west`` (B, peers): each replication's region flags, CBZ peers first,
    ``n_cbz`` of them, then the bonded zones). A peer is on zone k's board when its region is the
    zone's (two boards), or its board is (three: the first ``round(west_northeast_share x count)``
    central-west CBZ peers by index on the west and north-east board, the rest on the central one);
    zone j is on zone k's board when their regions (two boards) or their boards (three) are the
    same; a zone is always on its own."""
    B, n_all = central_west.shape
    K = len(cfgs)
    two = np.empty((B, K, n_all + K), bool)
    three = np.empty((B, K, n_all + K), bool)
    cw = central_west[:, :n_cbz]
    place = np.cumsum(cw, axis=1)  # a central-west CBZ peer's place among them, counted from 1
    count = cw.sum(axis=1)
    for k, ck in enumerate(cfgs):
        np.equal(central_west, ck.zone.region == "central_west", out=two[:, k, :n_all])
        first = np.array([round(ck.peers.west_northeast_share * int(c)) for c in count])
        west = np.zeros((B, n_all), bool)
        west[:, :n_cbz] = cw & (place <= first[:, None])
        board = BOARD_INDEX.get(ck.zone.board or "", -1)
        np.equal(np.where(central_west, np.where(west, 2, 1), 0), board, out=three[:, k, :n_all])
        two[:, k, n_all:] = [j == k or c.zone.region == ck.zone.region for j, c in enumerate(cfgs)]
        three[:, k, n_all:] = [
            j == k or (c.zone.board is not None and c.zone.board == ck.zone.board) for j, c in enumerate(cfgs)
        ]
    return two, three
