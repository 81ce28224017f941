"""Goal seek: the cheapest package of levers whose probabilities reach every goal.

A **goal** is a target of the scenario and a probability level (``trade_total_2023>=0.8``). A
**package** sets each searched lever somewhere between the scenario's own value and the end of its
``[lever_ranges]`` range that means more effort (more events, funding or candidates; earlier
months): goal seek looks for what to add to the plan, so doing less than the plan is not searched.
Its **cost** is the sum over levers of ``[lever_costs]``'s unit cost of its kind times the effort
beyond the scenario's value (months: brought forward).

The search is a sample-average approximation on common random numbers: every candidate is
evaluated by the engine (:func:`~sim.experiment.engine.evaluate`) on the same replications
0..N-1 with the same root seed, so two candidates differ only by their levers. Optuna's TPE
sampler (seeded, so the search is reproducible) proposes candidates in batches (one engine design
each) and minimises the cost under one constraint per goal, level - P <= 0 (and cost <= budget; a candidate
over budget is not simulated);
the plan itself and the package with every lever at full effort are tried first. The cheapest
candidate meeting every goal is then re-run on fresh replications (a different root seed, its own
count), which reports each goal's P with its Wilson interval and whether it holds out of sample.
When no candidate meets every goal, the one closest to doing so is verified instead and the goal
that binds is named. The results folder is written by :mod:`sim.report.studies.goal_seek`.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import optuna
import pandas as pd

from sim.analysis.front import cheapest_feasible, closest, cost_front, margins
from sim.analysis.targets import hits_of, proportion_ci, target_specs
from sim.experiment.engine import FINE_CHUNK, Outputs, evaluate, rows_design
from sim.experiment.levers import Lever, display, ranged
from sim.experiment.progress import Bar
from sim.scenario.loader import LoadedScenario, ScenarioError
from sim.scenario.schema import ranking_indicator_ids

FUNDING_STEP = 0.05
"""Grid of the funding factor in the search (counts and months move in whole steps)."""

BATCH = 8
"""Candidates proposed and evaluated together (one engine design)."""

_GOAL = re.compile(r"^\s*([A-Za-z0-9_]+)\s*>=\s*([0-9.eE+-]+)\s*$")


@dataclass(frozen=True)
class Goal:
    """A target id of the scenario and the probability ``level`` its P(hit) must reach."""

    target_id: str
    level: float


def parse_goal(text: str, ls: LoadedScenario) -> Goal:
    """``ID>=P`` with ID a target of the scenario and 0 < P < 1."""
    m = _GOAL.match(text)
    if not m:
        raise ScenarioError(f"--goal {text}: expected TARGET_ID>=PROBABILITY, e.g. trade_total_2023>=0.8")
    tid, raw = m.groups()
    if tid not in ls.scenario.targets:
        raise ScenarioError(
            f"--goal {text}: {tid!r} is not a target of {ls.path}; expected one of {', '.join(ls.scenario.targets)}"
        )
    try:
        level = float(raw)
    except ValueError:
        raise ScenarioError(f"--goal {text}: {raw!r} is not a probability") from None
    if not 0 < level < 1:
        raise ScenarioError(f"--goal {text}: the level must be strictly between 0 and 1, got {raw}")
    return Goal(tid, level)


@dataclass(frozen=True)
class Dial:
    """A searched lever: ``steps`` + 1 values from the least effort ``start`` (the scenario's value,
    or its range's end when the value lies outside the range) by ``step`` towards more effort;
    ``unit_cost``: 万元 per unit of effort beyond the scenario's value ``lever.baseline``."""

    lever: Lever
    start: float
    step: float
    steps: int
    unit_cost: float

    def value(self, k: int) -> float:
        return round(self.start + self.step * k, 10)

    def effort(self, value: float) -> float:
        """Effort beyond the scenario's value (events, funding units, months earlier, candidates)."""
        d = value - self.lever.baseline
        return d if self.lever.more_is_effort else -d


def dials(ls: LoadedScenario, ids: list[str] | None = None) -> list[Dial]:
    """The levers searched: those with a range reaching beyond the scenario's value on the effort side."""
    sc = ls.scenario
    if sc.lever_costs is None:
        raise ScenarioError(
            f"{ls.path}: optimise needs a [lever_costs] section (the cost of each kind of lever; docs/scenarios.md)"
        )
    out = []
    for lv in ranged(sc):
        if lv.range is None or (ids is not None and lv.id not in ids):
            continue
        lo, hi = lv.range
        step = FUNDING_STEP if lv.kind == "factor" else 1.0
        if lv.more_is_effort:
            start, end = max(lo, lv.baseline), hi
        else:
            start, end = min(hi, lv.baseline), lo
        steps = int(np.floor(abs(end - start) / step + 1e-9))
        if steps > 0:
            out.append(
                Dial(lv, start, step if lv.more_is_effort else -step, steps, sc.lever_costs.unit(lv.definition.group))
            )
    if ids is not None:
        known = {d.lever.id for d in out}
        for i in ids:
            if i not in known:
                raise ScenarioError(
                    f"--levers {i}: not a lever with a [lever_ranges] range beyond the scenario's value; "
                    f"expected one of {', '.join(lv.id for lv in ranged(sc))}"
                )
    return out


def package_cost(ds: list[Dial], values: list[float]) -> float:
    """万元 of a package (one value per dial)."""
    return float(sum(d.unit_cost * d.effort(v) for d, v in zip(ds, values, strict=True)))


@dataclass
class GoalSeek:
    """A search and its verification. ``trials``: one row per candidate (trial, evaluated, each
    lever's value, cost, each goal's hits/p/ci_low/ci_high, margin, feasible); ``front``: the rows
    of the cost front; ``chosen``: the trial verified (the cheapest feasible, else the closest);
    ``verified``: one row per goal on the fresh replications; ``binding``: the goal furthest
    below its level at the chosen package when none is feasible, else None; ``overrides``: the
    ``--set`` values the base was loaded with (the written scenario repeats them)."""

    ls: LoadedScenario
    goals: list[Goal]
    dials: list[Dial]
    reps: int
    seed: int
    verify_reps: int
    verify_seed: int
    budget: float | None
    sampler_seed: int
    trials: pd.DataFrame
    front: pd.DataFrame
    chosen: int
    feasible: bool
    verified: pd.DataFrame
    binding: str | None
    overrides: tuple[str, ...] = ()

    def package(self) -> dict[str, float]:
        """Lever id -> numeric value of the chosen package."""
        row = self.trials.loc[self.chosen]
        return {d.lever.id: float(row[f"{d.lever.id}__num"]) for d in self.dials}

    @property
    def holds(self) -> bool:
        return bool(self.verified["holds"].all())


def _outputs(ls: LoadedScenario, goals: list[Goal]) -> Outputs:
    rank = set(ranking_indicator_ids(ls.scenario))
    return Outputs(monthly=False, ranking=any(ls.scenario.targets[g.target_id].indicator in rank for g in goals))


def _hits(ev, point: int, specs: dict, goals: list[Goal]) -> list[int]:
    ind = ev.indicators(point)
    return [
        int(
            hits_of(
                ind.column(specs[g.target_id].indicator, specs[g.target_id].year),
                specs[g.target_id].op,
                specs[g.target_id].threshold,
            ).sum()
        )
        for g in goals
    ]


def _evaluate(ls, seed, reps, packages: list[tuple], goals, executor, bar) -> list[list[int]]:
    """Hits of every goal for each package ((id, value) pairs), on replications 0..reps-1."""
    rows = [(r, None, lev) for lev in packages for r in range(reps)]
    ev = evaluate(rows_design(ls, seed, rows, _outputs(ls, goals), FINE_CHUNK), executor, bar)
    specs = {t.target_id: t for t in target_specs(ls.scenario)}
    order = list(dict.fromkeys(packages))
    return [_hits(ev, order.index(lev), specs, goals) for lev in packages]


def optimise(
    ls: LoadedScenario,
    goals: list[Goal],
    reps: int,
    seed: int,
    trials: int,
    verify_reps: int,
    verify_seed: int,
    budget: float | None = None,
    lever_ids: list[str] | None = None,
    sampler_seed: int | None = None,
    executor=None,
    progress: bool | None = None,
    overrides: tuple[str, ...] = (),
) -> GoalSeek:
    if verify_seed == seed:
        raise ScenarioError(f"--verify-seed {verify_seed}: must differ from the search seed (fresh replications)")
    ds = dials(ls, lever_ids)
    if not ds:
        raise ScenarioError(
            f"{ls.path}: no lever has a [lever_ranges] range beyond the scenario's value; nothing to search"
        )
    if budget is None:
        costs_of = ls.scenario.lever_costs  # present: dials() checked
        budget = costs_of.budget if costs_of is not None else None
    sampler_seed = seed if sampler_seed is None else sampler_seed
    levels = np.array([g.level for g in goals])
    ids = [d.lever.id for d in ds]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        sampler = optuna.samplers.TPESampler(
            seed=sampler_seed, n_startup_trials=min(10, max(2, trials // 4)), multivariate=True
        )
        study = optuna.create_study(direction="minimize", sampler=sampler)
    study.enqueue_trial(dict.fromkeys(ids, 0))
    study.enqueue_trial({i: d.steps for i, d in zip(ids, ds, strict=True)})
    cache: dict[tuple, list[int]] = {}
    records: list[tuple[int, tuple, float, list[int] | None]] = []
    bar = Bar(trials * reps + verify_reps, progress)
    try:
        while len(records) < trials:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                batch = [study.ask() for _ in range(min(BATCH, trials - len(records)))]
                ks = [[t.suggest_int(i, 0, d.steps) for i, d in zip(ids, ds, strict=True)] for t in batch]
            vals = [[d.value(k) for d, k in zip(ds, kk, strict=True)] for kk in ks]
            costs = [package_cost(ds, v) for v in vals]
            packs = [tuple(zip(ids, v, strict=True)) for v in vals]
            todo = list(
                dict.fromkeys(
                    p for p, c in zip(packs, costs, strict=True) if p not in cache and (budget is None or c <= budget)
                )
            )
            for p, hits in zip(
                todo, _evaluate(ls, seed, reps, todo, goals, executor, bar) if todo else [], strict=True
            ):
                cache[p] = hits
            bar.update(reps * (len(batch) - len(todo)))
            for t, p, c in zip(batch, packs, costs, strict=True):
                h = cache.get(p) if (budget is None or c <= budget) else None
                pr = np.array(h) / reps if h is not None else np.full(len(goals), np.nan)
                for g, x in zip(goals, levels - pr if h is not None else np.ones(len(goals)), strict=True):
                    t.set_constraint(f"goal {g.target_id}", float(x))
                if budget is not None:
                    t.set_constraint("budget", c - budget)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                    study.tell(t, c)
                records.append((t.number, p, c, h))
        table = _trial_table(ls, ds, goals, reps, records)
        ev_rows = table[table["evaluated"]]
        p = ev_rows[[f"p__{g.target_id}" for g in goals]].to_numpy()
        marg = margins(p, levels)
        cost = ev_rows["cost"].to_numpy()
        best = cheapest_feasible(cost, marg)
        feasible = best is not None
        chosen = int(ev_rows.index[best if feasible else closest(cost, marg)])
        front = table.loc[ev_rows.index[cost_front(cost, marg)]].reset_index(drop=True)
        pack = records[chosen][1]
        hv = _evaluate(ls, verify_seed, verify_reps, [pack], goals, executor, bar)[0]
    finally:
        bar.close()
    verified = _verified(goals, hv, verify_reps)
    binding = None
    if not feasible:
        row = table.loc[chosen]
        binding = min(goals, key=lambda g: row[f"p__{g.target_id}"] - g.level).target_id
    return GoalSeek(
        ls,
        goals,
        ds,
        reps,
        seed,
        verify_reps,
        verify_seed,
        budget,
        sampler_seed,
        table,
        front,
        chosen,
        feasible,
        verified,
        binding,
        tuple(overrides),
    )


def _trial_table(ls, ds, goals, reps, records) -> pd.DataFrame:
    start = ls.scenario.run.start
    rows = []
    for number, pack, cost, h in records:
        row = {"trial": number, "evaluated": h is not None}
        for d, (_, v) in zip(ds, pack, strict=True):
            row[d.lever.id] = display(d.lever, v, start)
            row[f"{d.lever.id}__num"] = v
        row["cost"] = cost
        for g, k in zip(goals, h or [None] * len(goals), strict=True):
            lo, hi = proportion_ci(k, reps) if k is not None else (np.nan, np.nan)
            row.update(
                {
                    f"hits__{g.target_id}": k if k is not None else np.nan,
                    f"p__{g.target_id}": k / reps if k is not None else np.nan,
                    f"ci_low__{g.target_id}": lo,
                    f"ci_high__{g.target_id}": hi,
                }
            )
        p = np.array([[row[f"p__{g.target_id}"] for g in goals]])
        row["margin"] = float(margins(p, np.array([g.level for g in goals]))[0]) if h is not None else np.nan
        row["feasible"] = bool(h is not None and row["margin"] >= 0)
        rows.append(row)
    return pd.DataFrame(rows)


def _verified(goals: list[Goal], hits: list[int], n: int) -> pd.DataFrame:
    rows = []
    for g, k in zip(goals, hits, strict=True):
        lo, hi = proportion_ci(k, n)
        rows.append(
            dict(
                target_id=g.target_id,
                level=g.level,
                n_reps=n,
                hits=k,
                p_hit=k / n,
                ci_low=lo,
                ci_high=hi,
                holds=k / n >= g.level,
                interval=(
                    "above the level" if lo >= g.level else "below the level" if hi < g.level else "straddles the level"
                ),
            )
        )
    return pd.DataFrame(rows)


def default_out(ls: LoadedScenario, goals: list[Goal], seed: int, reps: int) -> str:
    tag = "+".join(f"{g.target_id}{g.level:g}" for g in goals)
    return f"optimise__{ls.scenario.scenario.name}__{tag}__seed{seed}__n{reps}"
