"""One replication of a portfolio: every zone under the same shared shocks, ranked together.

Seeds. The portfolio's root seed P drives the shared shocks; zone k (k = 0, 1, ... in the order the
portfolio lists them) draws everything of its own from root seed ``P + k`` (mod 2^63), so the first
zone's own seed is P and two zones never share a seed. Shared, drawn once per replication from
P's streams and given to every zone:

* the parameters of the shocks (``uncertainties.macro``, ``.commodity``, ``.disruption``: their
  uniform numbers are P's, and the portfolio file refuses zones whose distributions differ);
* the shock paths: the model's streams ``macro``, ``commodity``, ``disruption_count`` and
  ``disruption_spells`` (:class:`SharedDraws` routes them to P's);
* the national peer population (the ranking's generator is P's, and the zones are ranked in it
  together: :func:`sim.ranking.chunk.rank_zones`).

Everything else (its parameters, arrivals, pipelines, sizes, trade noise, initial firms, its
observed months) is the zone's own, from its own seed: a zone's numbers in a portfolio are the
numbers it has when run alone on seed P + k, apart from the shocks and the rank. A portfolio of
one zone is the zone run alone on seed P, byte for byte.
"""

from __future__ import annotations

import numpy as np

from sim.chunks import Chunk
from sim.experiment.replication import ReplicationError, layout, run_replication, yearly_names
from sim.model.draws import Draws
from sim.portfolio.file import SHARED_PARAMS
from sim.random import Streams, parameter_uniforms
from sim.ranking.chunk import rank_zones
from sim.scenario.params import draw_rows
from sim.scenario.schema import Scenario

SHOCK_STREAMS = frozenset({"macro", "commodity", "disruption_count", "disruption_spells"})
"""The model's streams of the shared shock paths (sim/model/state.py)."""

_SEED_SPACE = 2**63


def zone_seeds(root: int, k: int) -> list[int]:
    """The own root seeds of K zones of a portfolio run on root seed ``root``: root + k (mod 2^63)."""
    return [(int(root) + i) % _SEED_SPACE for i in range(k)]


class SharedDraws(Draws):
    """A zone's addressed random numbers with the shared shocks' streams taken from ``shared``."""

    def __init__(self, root: int, rep: int, shared: Draws):
        super().__init__(root, rep)
        self.shared = shared

    def uniforms(self, name: str, n: int, *index) -> np.ndarray:
        if name in SHOCK_STREAMS:
            return self.shared.uniforms(name, n, *index)
        return super().uniforms(name, n, *index)

    def generator(self, name: str) -> np.random.Generator:
        return self.shared.generator(name) if name in SHOCK_STREAMS else super().generator(name)


def zone_params(sc: Scenario, own: int, shared: int, reps: np.ndarray) -> list[dict]:
    """The drawn parameters of a zone in replications ``reps``: its own uniforms (seed ``own``)
    except the shared shocks' parameters, whose uniforms are the portfolio's (seed ``shared``)."""
    paths = layout(sc).paths
    u = parameter_uniforms(own, reps, paths)
    cols = [j for j, p in enumerate(paths) if p.startswith(SHARED_PARAMS)]
    if cols and own != shared:
        u[:, cols] = parameter_uniforms(shared, reps, [paths[j] for j in cols])
    return draw_rows(sc, paths, u)


def replication(scs: list[Scenario], root: int, rep: int, params: list[dict], ranking: bool = True):
    """[(yearly, monthly)] of every zone in replication ``rep`` of the portfolio with root seed ``root``."""
    seeds = zone_seeds(root, len(scs))
    shared = Draws(root, rep)
    runs = []
    for sc, seed, p in zip(scs, seeds, params, strict=True):
        draws = SharedDraws(seed, rep, shared) if seed != root else shared
        runs.append(run_replication(sc, seed, rep, ranking=False, params=p, draws=draws))
    ranked = ranking and all(sc.ranking is not None for sc in scs)
    ranks = _rank(scs, [r[2] for r in runs], Streams(root, rep)("ranking"), rep, root) if ranked else None
    out = []
    for k, (sc, (y, m, _)) in enumerate(zip(scs, runs, strict=True)):
        lay = layout(sc)
        if ranks is None:
            out.append((y, m))
            continue
        cols = dict(zip(yearly_names(sc, lay, False), y.T, strict=True))
        cols.update(ranks[k])
        out.append((np.array([cols[n] for n in yearly_names(sc, lay, True)], dtype=float).T, m))
    return out


def _rank(scs: list[Scenario], results: list, rng: np.random.Generator, rep: int, root: int) -> list[dict]:
    """Every zone's national evaluation, in one population (as ``rank_zone`` names its columns)."""
    sc0, res0 = scs[0], results[0]
    try:
        outs = rank_zones(
            [sc.ranking for sc in scs],
            [r.yearly for r in results],
            [r.base for r in results],
            sc0.run.years,
            res0.macro_yearly,
            rng,
        )
    except Exception as e:
        raise ReplicationError(f"portfolio replication {rep} (seed {root}) failed: {type(e).__name__}: {e}") from e
    cols = []
    for o in outs:
        ind = dict(o.indicators)
        ind.update({f"rank_variant_{k}": v for k, v in o.variants.items()})
        ind.update({f"peers_{k}": v for k, v in o.peers.items()})
        cols.append(ind)
    return cols


def run_portfolio_chunk(
    scs: list[Scenario], root: int, reps: np.ndarray, ranking: bool, start: int, stop: int
) -> Chunk:
    """Rows start..stop-1 (replications ``reps``) of a portfolio: every zone's yearly columns side by
    side in zone order, then every zone's monthly series (module level, so process pools and Dask
    can ship it)."""
    seeds = zone_seeds(root, len(scs))
    params = [zone_params(sc, s, root, reps) for sc, s in zip(scs, seeds, strict=True)]
    ys, ms = [], []
    for i, r in enumerate(reps.tolist()):
        zones = replication(scs, root, r, [p[i] for p in params], ranking)
        ys.append(np.concatenate([y for y, _ in zones], axis=1))
        ms.append(np.concatenate([m for _, m in zones], axis=1))
    return Chunk(start, stop, np.stack(ys), np.stack(ms))
