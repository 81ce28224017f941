"""``compare A.toml B.toml [C.toml ...]``: scenarios side by side on common random numbers.

Every scenario runs replications 0..N-1 with the same root seed, so replication r of each
scenario shares every uncertain parameter and random stream; differences are paired by
replication (sim/analysis/paired.py). The first scenario is the reference. ``independent=True``
gives each scenario its own seed (seed + index) and unpaired intervals: the comparison that
shows how much common random numbers narrow a difference's interval.

The scenarios are the points of one engine design (``engine.py``), so a pool is started once.
The results folder is written by :func:`sim.report.studies.study_outputs.write_compare`, the console
text made by :func:`sim.report.studies.console.format_comparison`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.paired import compare_targets
from sim.analysis.targets import TargetSpec, summarise, target_specs
from sim.experiment.engine import Outputs, evaluate, replications
from sim.scenario.loader import LoadedScenario, ScenarioError

# ----------------------------------------------------------------------------- running


def target_values(ind, targets: list[TargetSpec]) -> dict[str, np.ndarray]:
    """target id -> per-replication value of its indicator in its year."""
    return {t.target_id: np.asarray(ind.column(t.indicator, t.year), float) for t in targets}


# ----------------------------------------------------------------------------- compare


@dataclass
class Comparison:
    loaded: list[LoadedScenario]
    names: list[str]
    seeds: list[int]
    reps: int
    paired: bool
    table: pd.DataFrame  # one row per (scenario vs reference, target)
    summaries: pd.DataFrame  # each scenario's own summary, with a 'scenario' column
    values: pd.DataFrame  # rep, scenario, one column per target (indicator values)


def unique_names(loaded: list[LoadedScenario]) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for ls in loaded:
        n = ls.scenario.scenario.name
        seen[n] = seen.get(n, 0) + 1
        names.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return names


def check_comparable(loaded: list[LoadedScenario]) -> None:
    ref = loaded[0].scenario.run
    for ls in loaded[1:]:
        r = ls.scenario.run
        if (r.start, r.horizon_months) != (ref.start, ref.horizon_months):
            raise ScenarioError(
                f"{ls.path}: run.start/horizon_months ({r.start}, {r.horizon_months}) differ from "
                f"the reference {loaded[0].path} ({ref.start}, {ref.horizon_months}); "
                f"scenarios compared must simulate the same months"
            )


def compare(
    loaded: list[LoadedScenario],
    reps: int,
    seed: int,
    executor=None,
    independent: bool = False,
    progress: bool | None = None,
) -> Comparison:
    if len(loaded) < 2:
        raise ScenarioError("compare needs at least two scenarios")
    check_comparable(loaded)
    names = unique_names(loaded)
    seeds = [seed + i if independent else seed for i in range(len(loaded))]
    design = replications([ls.scenario for ls in loaded], seeds, reps, Outputs(monthly=False))
    ev = evaluate(design, executor, progress)
    inds = [ev.indicators(i) for i in range(len(loaded))]
    specs = [target_specs(ls.scenario) for ls in loaded]
    vals = [target_values(ind, sp) for ind, sp in zip(inds, specs, strict=True)]
    tables, sums, frames = [], [], []
    for i, (_ls, ind, sp, v) in enumerate(zip(loaded, inds, specs, vals, strict=True)):
        s = summarise(ind.column, sp, ind.years, ind.base)
        s.insert(0, "scenario", names[i])
        sums.append(s)
        f = pd.DataFrame(v)
        f.insert(0, "scenario", names[i])
        f.insert(0, "rep", ind.reps)
        frames.append(f)
        if i:
            tables.append(
                compare_targets(
                    vals[0], v, specs[0], {t.target_id: t for t in sp}, names[0], names[i], paired=not independent
                )
            )
    return Comparison(
        loaded,
        names,
        seeds,
        reps,
        not independent,
        pd.concat(tables, ignore_index=True),
        pd.concat(sums, ignore_index=True),
        pd.concat(frames, ignore_index=True),
    )


def default_out(names: list[str], seed: int, reps: int, independent: bool) -> Path:
    return Path("results") / (
        f"compare__{'__'.join(names)}__seed{seed}__n{reps}" + ("__independent" if independent else "")
    )
