"""National performance evaluation (综合保税区发展绩效评估): peer zones, score, rank.

:func:`rank_replication` places the zone of one replication among a simulated peer population
in every simulated (data) year and scores all of them under the year's evaluation method and
under each sensitivity variant. The peers are drawn from the replication's own generator and
grow with the replication's macro index, so the zone's rank is correlated with its outcome.
See docs/model.md, section "Ranking".
"""

from __future__ import annotations

from sim.ranking.calibration import calibration_check, calibration_population, top_share
from sim.ranking.chunk import rank_replication
from sim.ranking.config import RankingConfig
from sim.ranking.evaluate import INDICATORS, PEER_STATS, RankOutput
from sim.ranking.peers import PeerPopulation, draw_population
from sim.ranking.scoring import normalise, rank_of, score_table

__all__ = [
    "INDICATORS",
    "PEER_STATS",
    "PeerPopulation",
    "RankOutput",
    "RankingConfig",
    "calibration_check",
    "calibration_population",
    "draw_population",
    "normalise",
    "rank_of",
    "rank_replication",
    "score_table",
    "top_share",
]
