"""Replications: draw parameters, run the model, collect indicators; serial or in processes.

A replication is a pure function of (scenario, root seed, replication index), so results are
identical whatever the number of workers or the chunking: chunks are merged in replication order.
"""
from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from sim.model import simulate
from sim.random import Streams, parameter_uniform
from sim.scenario.params import draw, uncertain_paths
from sim.scenario.schema import Scenario, indicator_ids


@dataclass
class Indicators:
    """values[rep, year, indicator] for replications ``reps``."""
    reps: np.ndarray
    years: list[int]
    names: list[str]
    values: np.ndarray

    def column(self, indicator: str, year: int) -> np.ndarray:
        return self.values[:, self.years.index(year), self.names.index(indicator)]


class ReplicationError(RuntimeError):
    """A replication raised; names the replication and seed so it can be rerun alone."""


def replication_params(sc: Scenario, root: int, rep: int) -> dict:
    u = {path: parameter_uniform(root, rep, path) for path, _ in uncertain_paths(sc)}
    return draw(sc, u)


def run_replication(sc: Scenario, root: int, rep: int, names: list[str], trace: bool = False):
    """Indicator matrix [year, indicator] of one replication (and the model Result)."""
    try:
        res = simulate(sc, replication_params(sc, root, rep), Streams(root, rep), trace=trace)
    except Exception as e:        # re-raised with what is needed to reproduce it
        raise ReplicationError(f"replication {rep} (seed {root}) failed: {type(e).__name__}: {e}") from e
    return np.column_stack([res.yearly[n] for n in names]), res


def run_chunk(sc: Scenario, root: int, reps: range, names: list[str]) -> np.ndarray:
    return np.stack([run_replication(sc, root, r, names)[0] for r in reps])


def indicator_names(sc: Scenario) -> list[str]:
    return list(indicator_ids(sc))


def _chunks(n: int, size: int):
    return [range(i, min(n, i + size)) for i in range(0, n, size)]


def run_experiment(sc: Scenario, reps: int, seed: int, workers: int | None = None,
                   progress: bool | None = None, chunk_size: int = 25) -> Indicators:
    """Run ``reps`` replications with root seed ``seed`` on ``workers`` processes (default: all cores)."""
    names = indicator_names(sc)
    workers = workers or os.cpu_count() or 1
    chunks = _chunks(reps, chunk_size)
    bar = _progress(reps, progress)
    results: list[np.ndarray] = [None] * len(chunks)
    if workers == 1:
        for i, ch in enumerate(chunks):
            results[i] = run_chunk(sc, seed, ch, names)
            bar.update(len(ch))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futs = {pool.submit(run_chunk, sc, seed, ch, names): i for i, ch in enumerate(chunks)}
            from concurrent.futures import as_completed
            for fut in as_completed(futs):
                i = futs[fut]
                results[i] = fut.result()
                bar.update(len(chunks[i]))
    bar.close()
    values = np.concatenate(results) if results else np.zeros((0, len(sc.run.years), len(names)))
    return Indicators(reps=np.arange(reps), years=sc.run.years, names=names, values=values)


class _NoBar:
    def update(self, n):
        pass

    def close(self):
        pass


def _progress(total: int, enabled: bool | None):
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return _NoBar()
    from tqdm import tqdm
    return tqdm(total=total, unit="rep", desc="replications", smoothing=0.1)
