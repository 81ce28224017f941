"""One replication: draw its parameters, run the model, collect its indicators.

A replication is a pure function of (scenario, root seed, replication index) and, in designed
experiments, of uniform overrides for some parameters. This module knows nothing of chunks,
executors or stores: the experiment engine (``engine.py``) runs many replications with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.data.nowcast import condition
from sim.errors import MachineError
from sim.experiment.finite import check_finite
from sim.model import simulate
from sim.model.bookkeeping import Result
from sim.model.draws import Draws
from sim.random import Streams, parameter_uniforms
from sim.ranking.chunk import rank_chunk
from sim.scenario.base_year import IMPLIED
from sim.scenario.params import draw_rows, uncertain_paths
from sim.scenario.schema import Scenario, indicator_ids, ranking_indicator_ids
from sim.vocabulary.outcomes import BASE_PREFIX

RANK_BATCH = 64
"""Replications ranked together at most (:func:`run_replications`): enough to pay the ranking's
per-call overhead once for many, few enough that its arrays stay a few megabytes."""


class ReplicationError(MachineError, RuntimeError):
    """A replication raised; names the replication and seed so it can be rerun alone."""


@dataclass(frozen=True)
class Layout:
    """Shape of one replication's output.

    ``names``: yearly indicators; ``monthly_names``: the monthly series (a subset of names);
    ``paths``: the uncertain parameters, by key path."""

    years: list[int]
    names: list[str]
    months: int
    monthly_names: list[str]
    paths: list[str]


def layout(sc: Scenario) -> Layout:
    names = list(indicator_ids(sc)) + base_names(sc)
    yearly_only = set(sc.constants.counts) | set(ranking_indicator_ids(sc)) | set(base_names(sc))
    monthly = [n for n in names if n not in yearly_only]
    return Layout(
        years=sc.run.years,
        names=names,
        months=sc.run.horizon_months,
        monthly_names=monthly,
        paths=[p for p, _ in uncertain_paths(sc)],
    )


def base_names(sc: Scenario) -> list[str]:
    """The yearly columns that hold the base year's figures (``base_<indicator>``, the same value
    in every year of a replication; indicators.csv writes them once, as the base year's rows)."""
    ids = list(IMPLIED) + (["fdi_usd"] if sc.base_year.fdi_usd is not None else [])
    return [BASE_PREFIX + k for k in ids]


@dataclass
class Indicators:
    """All replications of a run: yearly ``values[rep, year, indicator]`` and ``monthly[rep, month,
    monthly indicator]``; ``reps`` holds the replication index of each row."""

    reps: np.ndarray
    years: list[int]
    names: list[str]
    values: np.ndarray
    monthly_names: list[str]
    monthly: np.ndarray

    def column(self, indicator: str, year: int) -> np.ndarray:
        return self.values[:, self.years.index(year), self.names.index(indicator)]

    def base(self, indicator: str) -> np.ndarray | None:
        """The base year's value of ``indicator`` in every replication (None if it has none)."""
        name = BASE_PREFIX + indicator
        return self.values[:, 0, self.names.index(name)] if name in self.names else None

    def series(self, indicator: str) -> np.ndarray:
        """[rep, month] of a monthly indicator (float64)."""
        return self.monthly[:, :, self.monthly_names.index(indicator)]


def replication_params(
    sc: Scenario, root: int, rep: int, paths: list[str] | None = None, u_override: dict[str, float] | None = None
) -> dict:
    """Every uncertain parameter's value in replication ``rep``.

    ``u_override`` replaces the uniform number of some parameters (key path -> u in (0, 1)): a
    designed experiment (e.g. a Sobol sample) sets them, the others keep the replication's own."""
    return params_of_rows(sc, root, [rep], paths, [u_override])[0]


def params_of_rows(
    sc: Scenario, root: int, reps, paths: list[str] | None = None, overrides: list | None = None
) -> list[dict]:
    """The parameters of replications ``reps`` (each row's uniform overrides in ``overrides``, or
    None), drawn for all rows at once; row i equals ``replication_params(sc, root, reps[i], ...)``."""
    paths = paths if paths is not None else [p for p, _ in uncertain_paths(sc)]
    u = parameter_uniforms(root, np.asarray(reps, dtype=np.int64), paths)
    col = {p: j for j, p in enumerate(paths)}
    for i, ov in enumerate(overrides or ()):
        if ov:
            unknown = set(ov) - set(col)
            if unknown:
                raise KeyError(f"not uncertain parameters of this scenario: {sorted(unknown)}")
            for p, v in ov.items():
                u[i, col[p]] = v
    return draw_rows(sc, paths, u)


def run_replication(
    sc: Scenario,
    root: int,
    rep: int,
    lay: Layout | None = None,
    trace: bool = False,
    u_override: dict[str, float] | None = None,
    *,
    ranking: bool = True,
    nowcast: bool = True,
    monthly_names: list[str] | None = None,
    params: dict | None = None,
    draws: Draws | None = None,
):
    """(yearly[year, indicator], monthly[month, indicator], model Result) of one replication.

    ``params``: its drawn parameters when the caller has drawn them (:func:`params_of_rows`),
    else they are drawn here (with ``u_override``).

    ``nowcast``: condition on the scenario's observations when it sets ``as_of`` (docs/model.md
    7.14); ``ranking``: add the national evaluation's yearly indicators when the scenario has a
    [ranking] section (without it the yearly columns are ``lay.names`` less the ranking ones);
    ``monthly_names``: the monthly columns (default: ``lay.monthly_names``); ``draws``: the model's
    random numbers (default ``Draws(root, rep)``; a portfolio routes the shared shocks' streams)."""
    lay = lay or layout(sc)
    res, params = _simulated(sc, root, rep, lay, params, u_override, nowcast, draws, trace)
    if ranking and sc.ranking is not None:
        res.yearly.update(rank_zone(sc, res, Streams(root, rep)("ranking")))
    return (*_rows(sc, lay, res, rep, root, params, ranking, monthly_names), res)


def run_replications(
    sc: Scenario,
    root: int,
    reps: list[int],
    lay: Layout,
    params: list[dict],
    *,
    ranking: bool = True,
    nowcast: bool = True,
    monthly_names: list[str] | None = None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(yearly, monthly) of replications ``reps`` (their drawn ``params``), each equal to
    :func:`run_replication`'s: the replications are simulated one by one and their national
    evaluations ranked together (:func:`rank_results`), which is cheaper than one at a time."""
    runs = [_simulated(sc, root, r, lay, p, None, nowcast, None, False) for r, p in zip(reps, params, strict=True)]
    if ranking and sc.ranking is not None:
        for a in range(0, len(runs), RANK_BATCH):
            part = runs[a : a + RANK_BATCH]
            ranked = rank_results(
                sc, [res for res, _ in part], [Streams(root, r)("ranking") for r in reps[a : a + RANK_BATCH]]
            )
            for (res, _), ind in zip(part, ranked, strict=True):
                res.yearly.update(ind)
    return [_rows(sc, lay, res, r, root, p, ranking, monthly_names) for (res, p), r in zip(runs, reps, strict=True)]


def _simulated(sc: Scenario, root: int, rep: int, lay: Layout, params, u_override, nowcast: bool, draws, trace: bool):
    """(model Result with the base year's columns among its yearly series, drawn parameters) of one replication."""
    try:
        if params is None:
            params = replication_params(sc, root, rep, lay.paths, u_override)
        res = simulate(sc, params, draws or Draws(root, rep), trace=trace)
        if nowcast and sc.observations is not None and sc.observations.as_of:
            condition(res, sc.observations, sc.observations.as_of, sc.run.start)
    except Exception as e:  # re-raised with what is needed to reproduce it
        raise ReplicationError(f"replication {rep} (seed {root}) failed: {type(e).__name__}: {e}") from e
    base = np.repeat(np.array(list(res.base.values()), dtype=float)[:, None], len(lay.years), axis=1)
    res.yearly.update(zip([BASE_PREFIX + k for k in res.base], base, strict=True))  # each its own row
    return res, params


def _rows(sc: Scenario, lay: Layout, res: Result, rep: int, root: int, params, ranking: bool, monthly_names):
    """(yearly[year, indicator], monthly[month, indicator]) of a finished replication, checked finite."""
    names = yearly_names(sc, lay, ranking)
    yearly = np.array([res.yearly[n] for n in names], dtype=float).T
    mnames = lay.monthly_names if monthly_names is None else monthly_names
    monthly = (
        np.array([res.monthly[n] for n in mnames], dtype=float).T if mnames else np.empty((sc.run.horizon_months, 0))
    )
    check_finite(names, lay.years, yearly, monthly, rep, root, params)
    return yearly, monthly


def yearly_names(sc: Scenario, lay: Layout, ranking: bool = True) -> list[str]:
    """The yearly columns of a replication, with or without the national evaluation's."""
    if ranking:
        return lay.names
    drop = set(ranking_indicator_ids(sc))
    return [n for n in lay.names if n not in drop]


def rank_zone(sc: Scenario, res: Result, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The zone's national evaluation in each year of one replication, as yearly indicators."""
    return rank_results(sc, [res], [rng])[0]


def rank_results(sc: Scenario, results: list[Result], rngs: list[np.random.Generator]) -> list[dict[str, np.ndarray]]:
    """:func:`rank_zone` of each replication (its model result, its ranking generator), ranked
    together (:func:`sim.ranking.chunk.rank_chunk`): each the same as alone."""
    if sc.ranking is None or any(res.macro_yearly is None for res in results):
        raise ValueError("ranking a zone needs the scenario's [ranking] section and the run's macro factor")
    outs = rank_chunk(
        [sc.ranking],
        [[res.yearly] for res in results],
        [[res.base] for res in results],
        sc.run.years,
        [res.macro_yearly for res in results],
        rngs,
    )
    inds = []
    for (out,) in outs:
        ind = dict(out.indicators)
        ind.update({f"rank_variant_{k}": v for k, v in out.variants.items()})
        ind.update({f"peers_{k}": v for k, v in out.peers.items()})
        inds.append(ind)
    return inds
