"""``discover SCENARIO --target ID``: which combinations of uncertainties and levers lead to a miss.

Scenario discovery in the manner of Bryant & Lempert (2010): run many replications with the
levers that declare a range drawn over it (each replication its own lever values; the scenario's
values with ``fixed_levers``), collect an experiments table - one row per replication: every
varied uncertain parameter's value, the lever values, and when each project and milestone is due
(planned month + slip) - and find boxes of that input space where the target is missed much more
often than overall, with PRIM (Friedman & Fisher 1999): peel the box a few percent at a time
along whichever edge raises the miss rate most, keep the trajectory, choose the box with the best
balance of density (share of the box's runs that miss) and coverage (share of all misses inside
the box), then drop the restrictions that do not matter. Further rules are found on the runs the
earlier rules leave out. Rules are fitted on two thirds of the replications and checked on the
other third, so a rule that only fits noise shows itself.

PRIM itself is :mod:`sim.analysis.prim`; the rule sentences are :mod:`sim.analysis.rule_text`'s and
the results folder is written by :func:`sim.report.studies.study_outputs.write_discover`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.prim import box_stats, find_rules
from sim.analysis.rule_text import condition_text, rule_texts
from sim.analysis.targets import hits_of, target_specs
from sim.experiment.executors import LocalExecutor
from sim.experiment.levers import Lever, from_uniform, ranged, short_label
from sim.experiment.replication import replication_params
from sim.experiment.sensitivity import evaluate_design, target_cells, varied_paths
from sim.model import completion_times
from sim.random import parameter_uniforms
from sim.scenario.loader import LoadedScenario, ScenarioError
from sim.scenario.params import uncertain_paths
from sim.vocabulary.parameters import param_label

# ----------------------------------------------------------------------------- experiments table


@dataclass
class Feature:
    column: str  # column name in the experiments table
    label_en: str
    label_zh: str
    kind: str  # "number", "percent", "month_index" (lever) or "month_time" (due time)


_PERCENT_KEYS = ("growth_per_year", "drift_per_year", "sign_prob", "foreign_prob", "depth", "exit_rate_per_year")


def _features(sc, paths: list[str], levers: list[Lever]) -> list[Feature]:
    out = []
    for lv in levers:
        en, zh = short_label(lv, "en"), short_label(lv, "zh")
        out.append(Feature(f"lever:{lv.id}", en, zh, "month_index" if lv.kind == "month" else "number"))
    c = sc.constants
    for _kind, items in (("project", c.projects), ("milestone", c.milestones)):
        for iid, spec in items.items():
            out.append(
                Feature(
                    f"due:{iid}",
                    f"{spec.name_en}: due (planned month + slip)",
                    f"{spec.name_zh}预计完成（计划+延期）",
                    "month_time",
                )
            )
    for p in paths:
        if p.startswith(("uncertainties.project_delay_months.", "uncertainties.milestone_delay_months.")):
            continue  # folded into the due times above
        key = p.split(".")[-1]
        out.append(
            Feature(
                p, param_label(sc, p, "en"), param_label(sc, p, "zh"), "percent" if key in _PERCENT_KEYS else "number"
            )
        )
    return out


def experiments_table(ls: LoadedScenario, reps: int, seed: int, levers: list[Lever]) -> tuple[pd.DataFrame, list]:
    """Inputs of replications 0..reps-1: lever values (drawn over their ranges from each
    replication's own uniforms), varied parameter values and due times (the model's completion
    times, dependencies included); and the evaluation rows."""
    sc = ls.scenario
    paths = varied_paths(sc)
    all_paths = [p for p, _ in uncertain_paths(sc)]
    lever_paths = [f"lever_ranges.{lv.id}" for lv in levers]
    recs, rows = [], []
    for r in range(reps):
        params = replication_params(sc, seed, r, all_paths)
        rec: dict[str, object] = {"rep": r}
        lev: list[float] = []
        if levers:
            ul = parameter_uniforms(seed, r, lever_paths)
            for lv, x in zip(levers, ul, strict=True):
                v = float(from_uniform(lv, x))
                lev.append(v)
                rec[f"lever:{lv.id}"] = v
        vals = {p: functools.reduce(dict.__getitem__, p.split("."), params) for p in paths}
        lv_now = {lv.id: v for lv, v in zip(levers, lev, strict=True)}
        planned = {
            k.split(".", 1)[1]: v for k, v in lv_now.items() if k.startswith(("project_month.", "milestone_month."))
        }
        due = completion_times(sc, params["uncertainties"], planned, lv_now.get("infrastructure_funding"))
        for iid in (*sc.constants.projects, *sc.constants.milestones):
            rec[f"due:{iid}"] = due[iid]
        rec.update(vals)
        recs.append(rec)
        rows.append((r, None, tuple(lev)))
    return pd.DataFrame(recs), rows


# ----------------------------------------------------------------------------- the experiment


@dataclass
class Discovery:
    ls: LoadedScenario
    target_id: str
    reps: int
    seed: int
    levers: list[Lever]
    experiments: pd.DataFrame
    features: list[Feature]
    miss: np.ndarray
    rules: pd.DataFrame  # one row per rule
    conditions: pd.DataFrame  # one row per rule x restriction
    trajectory: pd.DataFrame  # first rule's peeling trajectory
    outcome: str = "miss"  # "hit" when no miss rule exists and most runs miss
    texts: list[str] = field(default_factory=list)


def run_discover(
    ls: LoadedScenario,
    target_id: str,
    reps: int,
    seed: int,
    vary_levers: bool = True,
    executor=None,
    progress: bool | None = None,
    n_rules: int = 3,
    max_dims: int = 3,
    alpha: float = 0.05,
    min_mass: float = 0.05,
) -> Discovery:
    sc = ls.scenario
    specs = {t.target_id: t for t in target_specs(sc)}
    if target_id not in specs:
        raise ScenarioError(f"--target {target_id}: not a target of {ls.path}; expected one of {', '.join(specs)}")
    levers = ranged(sc) if vary_levers else []
    exp, rows = experiments_table(ls, reps, seed, levers)
    targets = list(specs.values())
    cells = target_cells(ls, targets)
    Y = evaluate_design(ls, seed, tuple(lv.id for lv in levers), cells, rows, executor or LocalExecutor(), progress)
    for i, t in enumerate(targets):
        exp[f"value:{t.target_id}"] = Y[:, i]
    t = specs[target_id]
    miss = ~hits_of(exp[f"value:{target_id}"].to_numpy(), t.op, t.threshold)
    exp["miss"] = miss.astype(int)
    return analyse(ls, target_id, reps, seed, levers, exp, miss, n_rules, max_dims, alpha, min_mass)


def screen_features(exp: pd.DataFrame, feats: list[Feature], y: np.ndarray, train: np.ndarray, k: int) -> list[Feature]:
    """The ``k`` inputs most associated with a miss on the training runs (|Spearman correlation|).

    PRIM peels greedily; among a hundred candidate inputs some always look good by chance, so it
    peels only the inputs that matter on their own (a rule may still combine them)."""
    if k <= 0 or len(feats) <= k:
        return feats
    from scipy import stats

    yt = y[train]
    score = []
    for f in feats:
        x = exp[f.column].to_numpy(float)[train]
        r = stats.spearmanr(x, yt)[0] if np.ptp(x) > 0 and np.ptp(yt) > 0 else 0.0
        score.append(0.0 if not np.isfinite(r) else abs(r))
    keep = sorted(np.argsort(score)[::-1][:k])
    return [feats[j] for j in keep]


def analyse(
    ls, target_id, reps, seed, levers, exp, miss, n_rules=3, max_dims=3, alpha=0.05, min_mass=0.05, screen: int = 12
) -> Discovery:
    """PRIM rules on an experiments table (no model runs: usable on a saved table)."""
    sc = ls.scenario
    feats = [
        f for f in _features(sc, varied_paths(sc), levers) if f.column in exp.columns and exp[f.column].nunique() > 1
    ]
    y = miss.astype(float)
    train = (exp["rep"].to_numpy() % 3) != 0
    feats = screen_features(exp, feats, y, train, screen)
    X = exp[[f.column for f in feats]].to_numpy(float)
    rules, conds = [], []
    traj_rows = []
    found = find_rules(X[train], y[train], n_rules, alpha, min_mass, max_dims) if 0 < y.sum() < len(y) else []
    outcome = "miss"
    if not found and 0.5 < y.mean() < 1:
        # a target missed in most runs: say instead what the runs that hit it have in common
        outcome, y = "hit", 1.0 - y
        found = find_rules(X[train], y[train], n_rules, alpha, min_mass, max_dims)
    for k, (box, traj, chosen) in enumerate(found, start=1):
        s_all, s_tr, s_te = (
            box_stats(box, X, y),
            box_stats(box, X[train], y[train]),
            box_stats(box, X[~train], y[~train]),
        )
        parts_en, parts_zh = [], []
        for j in box.restricted():
            f = feats[j]
            en, zh = condition_text(f, box.lower[j], box.upper[j], X[:, j], sc.run.start)
            parts_en.append(en)
            parts_zh.append(zh)
            conds.append(
                dict(
                    rule=k,
                    column=f.column,
                    label_en=f.label_en,
                    lower=box.lower[j],
                    upper=box.upper[j],
                    text_en=en,
                    text_zh=zh,
                )
            )
        rules.append(
            dict(
                rule=k,
                target_id=target_id,
                conditions=" and ".join(parts_en),
                conditions_zh="且".join(parts_zh),
                density=s_all["density"],
                coverage=s_all["coverage"],
                mass=s_all["mass"],
                n_runs=s_all["n_in"],
                density_train=s_tr["density"],
                coverage_train=s_tr["coverage"],
                density_test=s_te["density"],
                coverage_test=s_te["coverage"],
                outcome=outcome,
                base_rate=y.mean(),
            )
        )
        if k == 1:
            for i, b in enumerate(traj):
                st = box_stats(b, X[train], y[train])
                traj_rows.append(dict(step=i, chosen=i == chosen, n_restricted=len(b.restricted()), **st))
    out = Discovery(
        ls,
        target_id,
        reps,
        seed,
        levers,
        exp,
        feats,
        miss,
        pd.DataFrame(rules),
        pd.DataFrame(conds),
        pd.DataFrame(traj_rows),
        outcome=outcome,
    )
    out.texts = rule_texts(out)
    return out


def default_out(ls: LoadedScenario, target_id: str, seed: int, reps: int, vary: bool) -> Path:
    return Path("results") / (
        f"discover__{ls.scenario.scenario.name}__{target_id}__seed{seed}__n{reps}" + ("" if vary else "__fixed_levers")
    )
