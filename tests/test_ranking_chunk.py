"""Exact: a chunk of replications ranked together (sim.ranking.chunk.rank_chunk, as the engine ranks
them) gives each replication the same ranks and statistics, to the last bit, as ranking it alone,
whatever the chunk holds: bonded zones or none, drawn or fixed trade shares, stratified peers or
not, one zone or several ranked together."""

from __future__ import annotations

import numpy as np
import pytest
from test_ranking import YEARS, ZONE, ZONE_BASE, make_cfg

from sim.ranking.chunk import rank_chunk, rank_zones
from sim.ranking.peers import prepared, trade_quantile, trade_quantiles


def _fixed_shares(d):
    d["peers"]["trade"].update(top5_share=0.33, top30_share=0.70)


CASES = {
    "the baseline's peers": lambda d: None,
    "no bonded zones, fixed trade shares": lambda d: (d["peers"].update(bonded_zones=0), _fixed_shares(d)),
    "peers not stratified": lambda d: d["peers"].update(stratified=False),
    "four bonded zones always": lambda d: d["peers"].update(bonded_zones=4),
}


def _zone(j: int, k: int = 0) -> dict:
    """Replication j's outcome for zone k: each replication and zone its own values."""
    f = 0.5 + 0.13 * j + 0.4 * k
    return {name: v * f * (1 + 0.01 * i) for i, (name, v) in enumerate(ZONE.items())}


def _same(a, b) -> None:
    for part in ("indicators", "variants", "peers"):
        x, y = getattr(a, part), getattr(b, part)
        assert list(x) == list(y)
        for key in x:
            np.testing.assert_array_equal(x[key], y[key], err_msg=f"{part}.{key}")
            assert x[key].tobytes() == y[key].tobytes(), f"{part}.{key}"  # same bits (NaNs and signs too)


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("n_zones", [1, 2])
def test_a_chunk_ranks_each_replication_as_alone(case, n_zones):
    cfg = make_cfg(CASES[case])
    cfgs = (
        [cfg]
        if n_zones == 1
        else [cfg, make_cfg(lambda d: (CASES[case](d), d["zone"].update(region="east", board="east")))]
    )
    reps = range(7)
    zones = [[_zone(j, k) for k in range(n_zones)] for j in reps]
    bases = [[ZONE_BASE] * n_zones for _ in reps]
    macros = [np.array([1.0 + 0.03 * j, 1.05 + 0.02 * j]) for j in reps]
    together = rank_chunk(cfgs, zones, bases, YEARS, macros, [np.random.default_rng(100 + j) for j in reps])
    for j in reps:
        alone = rank_zones(cfgs, zones[j], bases[j], YEARS, macros[j], np.random.default_rng(100 + j))
        assert len(together[j]) == n_zones
        for a, b in zip(together[j], alone, strict=True):
            _same(a, b)
    # and the replications differ (the chunk does not hand one replication's numbers to another)
    assert not np.array_equal(together[0][0].peers["trade_p50"], together[1][0].peers["trade_p50"])


def test_a_bad_macro_index_is_named():
    cfg = make_cfg(lambda d: None)
    with pytest.raises(ValueError, match=r"macro_index has shape \(3,\); expected \(2,\)"):
        rank_chunk([cfg], [[ZONE]], [[ZONE_BASE]], YEARS, [np.ones(3)], [np.random.default_rng(1)])


def test_a_chunks_trade_quantiles_are_each_replications():
    """The trade marginals solved for a chunk at once are those of each replication alone, the
    calibrated one (the middle of the ranges) included."""
    cfg = make_cfg(lambda d: None)
    u = np.r_[0.5, np.random.default_rng(3).random(9)]
    calibrated, q = trade_quantiles(cfg, u)
    assert calibrated.tolist() == [True] + [False] * 9
    for b, ub in enumerate(u):
        tq = trade_quantile(cfg, *cfg.peers.trade.shares(ub))
        assert calibrated[b] == (tq is prepared(cfg).trade_q)
        assert q[b].tolist() == [tq.mu, tq.s_body, tq.s_tail, tq.z_kink]
