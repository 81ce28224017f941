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
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.targets import hits_of, target_specs
from sim.experiment.compare import BLUE, GREY, VERMILION, footer, meta_text, new_figure, save_png, target_text
from sim.experiment.executors import LocalExecutor
from sim.experiment.levers import Lever, display, from_uniform, ranged, short_label
from sim.experiment.sensitivity import run_rows, target_cells, varied_paths
from sim.months import month_end, month_of_end
from sim.random import parameter_uniforms
from sim.scenario.loader import LoadedScenario, ScenarioError
from sim.scenario.params import uncertain_paths
from sim.vocabulary.parameters import param_label


# ----------------------------------------------------------------------------- PRIM (pure)

@dataclass
class Box:
    lower: np.ndarray            # per column; -inf = unrestricted
    upper: np.ndarray            # per column; +inf = unrestricted

    def contains(self, X: np.ndarray) -> np.ndarray:
        return np.all((X >= self.lower) & (X <= self.upper), axis=1)

    def restricted(self) -> list[int]:
        return [j for j in range(len(self.lower)) if np.isfinite(self.lower[j]) or np.isfinite(self.upper[j])]

    def copy(self) -> "Box":
        return Box(self.lower.copy(), self.upper.copy())


def box_stats(box: Box, X: np.ndarray, y: np.ndarray) -> dict:
    inside = box.contains(X)
    n_in, hits_in, total = int(inside.sum()), int(y[inside].sum()), int(y.sum())
    return dict(mass=n_in / len(y) if len(y) else np.nan, density=hits_in / n_in if n_in else np.nan,
                coverage=hits_in / total if total else np.nan, n_in=n_in)


def prim_trajectory(X: np.ndarray, y: np.ndarray, alpha: float = 0.05, min_mass: float = 0.05) -> list[Box]:
    """Peeling trajectory: boxes from the whole space down to ``min_mass`` of the data."""
    n, d = X.shape
    box = Box(np.full(d, -np.inf), np.full(d, np.inf))
    inside = np.ones(n, bool)
    traj = [box.copy()]
    while inside.sum() > max(min_mass * n, 2):
        best = None
        xi, yi = X[inside], y[inside]
        m = len(yi)
        for j in range(d):
            col = xi[:, j]
            lo_q, hi_q = np.quantile(col, [alpha, 1 - alpha])
            for side, keep in (("lower", col > lo_q if lo_q > col.min() else col > col.min()),
                               ("upper", col < hi_q if hi_q < col.max() else col < col.max())):
                k = int(keep.sum())
                if k == m or k < max(min_mass * n, 2):
                    continue
                dens = yi[keep].mean()
                # the largest density wins; among equals the smallest peel
                score = (dens, k)
                if best is None or score > best[0]:
                    best = (score, j, side, keep)
        if best is None:
            break
        _, j, side, keep = best
        col = xi[:, j]
        if side == "lower":
            box.lower[j] = col[keep].min()
        else:
            box.upper[j] = col[keep].max()
        idx = np.flatnonzero(inside)
        inside[idx[~keep]] = False
        traj.append(box.copy())
    return traj


def choose_box(traj: list[Box], X: np.ndarray, y: np.ndarray) -> tuple[int, Box]:
    """The box along the trajectory with the best balance of lift and coverage: the harmonic mean
    of coverage and the normalised density (density - base) / (1 - base), which is 0 for the whole
    space and 1 for a box holding every miss and nothing else."""
    base = float(y.mean()) if len(y) else 0.0
    best, best_i = -1.0, 0
    for i, b in enumerate(traj):
        s = box_stats(b, X, y)
        if s["n_in"] == 0 or not s["coverage"] or base >= 1:
            continue
        lift = max((s["density"] - base) / (1 - base), 0.0)
        f1 = 2 * lift * s["coverage"] / (lift + s["coverage"]) if lift + s["coverage"] > 0 else 0.0
        if f1 > best + 1e-12:
            best, best_i = f1, i
    return best_i, traj[best_i].copy()


def prune(box: Box, X: np.ndarray, y: np.ndarray, max_dims: int = 3, tol: float = 0.02) -> Box:
    """Drop restrictions that barely matter: while one can go with the density falling at most
    ``tol`` (or two standard errors of the density, if larger) below the chosen box's, or while
    more than ``max_dims`` remain, drop the one whose removal costs the least density (a readable
    rule names two or three conditions, not twenty, and none that only fits noise)."""
    box = box.copy()
    ref = box_stats(box, X, y)["density"]
    while box.restricted():
        dims = box.restricted()
        cand = []
        for j in dims:
            b = box.copy()
            b.lower[j], b.upper[j] = -np.inf, np.inf
            st = box_stats(b, X, y)
            cand.append((st["density"], -j, b, st["n_in"]))
        dens, _, b, n_in = max(cand, key=lambda c: (c[0], c[1]))
        se = math.sqrt(max(dens * (1 - dens), 1e-12) / max(n_in, 1))
        if dens >= ref - max(tol, 2 * se):
            box = b
        elif len(dims) > max_dims:
            box, ref = b, dens              # forced: the rule must stay readable
        else:
            break
    return box


def find_rules(X: np.ndarray, y: np.ndarray, n_rules: int = 3, alpha: float = 0.05, min_mass: float = 0.05,
               max_dims: int = 3, min_lift: float = 1.2) -> list[tuple[Box, list[Box], int]]:
    """Up to ``n_rules`` boxes, each found on the runs the earlier ones leave out (covering).

    Returns (pruned box, its peeling trajectory, chosen step) per rule."""
    out = []
    left = np.ones(len(y), bool)
    base = y.mean() if len(y) else 0
    for _ in range(n_rules):
        Xl, yl = X[left], y[left]
        if yl.sum() < 5 or yl.sum() == len(yl):
            break
        traj = prim_trajectory(Xl, yl, alpha, min_mass)
        i, box = choose_box(traj, Xl, yl)
        box = prune(box, Xl, yl, max_dims)
        s = box_stats(box, X, y)
        if not box.restricted() or s["n_in"] == 0 or s["density"] < min_lift * base:
            break
        out.append((box, traj, i))
        left &= ~box.contains(X)
    return out


# ----------------------------------------------------------------------------- experiments table

@dataclass
class Feature:
    column: str                  # column name in the experiments table
    label_en: str
    label_zh: str
    kind: str                    # "number", "percent", "month_index" (lever) or "month_time" (due time)


_PERCENT_KEYS = ("growth_per_year", "drift_per_year", "sign_prob", "foreign_prob", "depth", "exit_rate_per_year")


def _features(sc, paths: list[str], levers: list[Lever]) -> list[Feature]:
    out = []
    for lv in levers:
        en, zh = short_label(lv, "en"), short_label(lv, "zh")
        out.append(Feature(f"lever:{lv.id}", en, zh, "month_index" if lv.kind == "month" else "number"))
    c = sc.constants
    for kind, items in (("project", c.projects), ("milestone", c.milestones)):
        for iid, spec in items.items():
            out.append(Feature(f"due:{iid}", f"{spec.name_en}: due (planned month + slip)",
                               f"{spec.name_zh}预计完成（计划+延期）", "month_time"))
    for p in paths:
        if p.startswith(("uncertainties.project_delay_months.", "uncertainties.milestone_delay_months.")):
            continue                            # folded into the due times above
        key = p.split(".")[-1]
        out.append(Feature(p, param_label(sc, p, "en"), param_label(sc, p, "zh"),
                           "percent" if key in _PERCENT_KEYS else "number"))
    return out


def experiments_table(ls: LoadedScenario, reps: int, seed: int, levers: list[Lever]) -> tuple[pd.DataFrame, list]:
    """Inputs of replications 0..reps-1: lever values (drawn over their ranges from each
    replication's own uniforms), varied parameter values and due times; and the evaluation rows."""
    from sim.model.zone import funded_due
    sc = ls.scenario
    start = sc.run.start
    paths = varied_paths(sc)
    dists = dict(uncertain_paths(sc))
    lever_paths = [f"lever_ranges.{lv.id}" for lv in levers]
    recs, rows = [], []
    for r in range(reps):
        u = parameter_uniforms(seed, r, paths)
        rec = {"rep": r}
        lev = []
        if levers:
            ul = parameter_uniforms(seed, r, lever_paths)
            for lv, x in zip(levers, ul):
                v = float(from_uniform(lv, x))
                lev.append(v)
                rec[f"lever:{lv.id}"] = v
        vals = {p: float(dists[p].ppf(x)) for p, x in zip(paths, u)}
        lv_now = {lv.id: v for lv, v in zip(levers, lev)}
        funding = lv_now.get("infrastructure_funding", sc.levers.infrastructure_funding)
        el = vals.get("uncertainties.funding_delay_elasticity",
                      float(dists["uncertainties.funding_delay_elasticity"].ppf(0.5)))
        for kind, items, month_of in (("project", sc.constants.projects, sc.levers.project_month),
                                      ("milestone", sc.constants.milestones, sc.levers.milestone_month)):
            for iid in items:
                lid = f"{kind}_month.{iid}"
                planned = lv_now.get(lid)
                if planned is None:
                    planned = month_end(month_of[iid], start)
                dpath = f"uncertainties.{kind}_delay_months.{iid}"
                slip = vals.get(dpath, float(dists[dpath].ppf(0.5)))
                rec[f"due:{iid}"] = (funded_due(planned, slip, funding, el) if kind == "project"
                                     else max(planned + slip, 0.0))
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
    rules: pd.DataFrame                         # one row per rule
    conditions: pd.DataFrame                    # one row per rule x restriction
    trajectory: pd.DataFrame                    # first rule's peeling trajectory
    outcome: str = "miss"                       # "hit" when no miss rule exists and most runs miss
    texts: list[str] = field(default_factory=list)


def run_discover(ls: LoadedScenario, target_id: str, reps: int, seed: int, vary_levers: bool = True,
                 executor=None, progress: bool | None = None, n_rules: int = 3, max_dims: int = 3,
                 alpha: float = 0.05, min_mass: float = 0.05) -> Discovery:
    from sim.experiment.compare import _Bar
    sc = ls.scenario
    specs = {t.target_id: t for t in target_specs(sc)}
    if target_id not in specs:
        raise ScenarioError(f"--target {target_id}: not a target of {ls.path}; expected one of "
                            f"{', '.join(specs)}")
    levers = ranged(sc) if vary_levers else []
    exp, rows = experiments_table(ls, reps, seed, levers)
    targets = list(specs.values())
    cells = target_cells(ls, targets)
    bar = _Bar(reps, progress)
    try:
        Y = run_rows(ls, seed, tuple(lv.id for lv in levers), cells, rows, executor or LocalExecutor(), bar=bar)
    finally:
        bar.close()
    for i, t in enumerate(targets):
        exp[f"value:{t.target_id}"] = Y[:, i]
    t = specs[target_id]
    miss = ~hits_of(exp[f"value:{target_id}"].to_numpy(), t.op, t.threshold)
    exp["miss"] = miss.astype(int)
    return analyse(ls, target_id, reps, seed, levers, exp, miss, n_rules, max_dims, alpha, min_mass)


def screen_features(exp: pd.DataFrame, feats: list[Feature], y: np.ndarray, train: np.ndarray,
                    k: int) -> list[Feature]:
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


def analyse(ls, target_id, reps, seed, levers, exp, miss, n_rules=3, max_dims=3, alpha=0.05,
            min_mass=0.05, screen: int = 12) -> Discovery:
    """PRIM rules on an experiments table (no model runs: usable on a saved table)."""
    sc = ls.scenario
    feats = [f for f in _features(sc, varied_paths(sc), levers) if f.column in exp.columns
             and exp[f.column].nunique() > 1]
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
        s_all, s_tr, s_te = (box_stats(box, X, y), box_stats(box, X[train], y[train]),
                             box_stats(box, X[~train], y[~train]))
        parts_en, parts_zh = [], []
        for j in box.restricted():
            f = feats[j]
            en, zh = condition_text(f, box.lower[j], box.upper[j], X[:, j], sc.run.start)
            parts_en.append(en)
            parts_zh.append(zh)
            conds.append(dict(rule=k, column=f.column, label_en=f.label_en, lower=box.lower[j], upper=box.upper[j],
                              text_en=en, text_zh=zh))
        rules.append(dict(rule=k, target_id=target_id, conditions=" and ".join(parts_en),
                          conditions_zh="且".join(parts_zh),
                          density=s_all["density"], coverage=s_all["coverage"], mass=s_all["mass"],
                          n_runs=s_all["n_in"], density_train=s_tr["density"], coverage_train=s_tr["coverage"],
                          density_test=s_te["density"], coverage_test=s_te["coverage"], outcome=outcome,
                          base_rate=y.mean()))
        if k == 1:
            for i, b in enumerate(traj):
                st = box_stats(b, X[train], y[train])
                traj_rows.append(dict(step=i, chosen=i == chosen, n_restricted=len(b.restricted()), **st))
    out = Discovery(ls, target_id, reps, seed, levers, exp, feats, miss, pd.DataFrame(rules),
                    pd.DataFrame(conds), pd.DataFrame(traj_rows), outcome=outcome)
    out.texts = rule_texts(out)
    return out


def _fmt(f: Feature, v: float, start: str, lang: str = "en") -> str:
    if f.kind == "percent":
        return f"{100 * v:.1f}%"
    if f.kind == "month_index":
        return month_of_end(int(round(v)), start)
    if f.kind == "month_time":
        m = month_of_end(int(math.ceil(v - 1e-9)) if v > 0 else 1, start)
        return f"{m} (month {v:.1f})" if lang == "en" else f"{m}（第 {v:.1f} 月）"
    a = abs(v)
    return f"{v:.3g}" if a < 1000 else f"{v:,.0f}"


def condition_text(f: Feature, lo: float, hi: float, col: np.ndarray, start: str) -> tuple[str, str]:
    """Plain words for one restriction: "<label> below x", "above x" or "between x and y"."""
    has_lo = np.isfinite(lo) and lo > col.min()
    has_hi = np.isfinite(hi) and hi < col.max()
    late = f.kind in ("month_index", "month_time")
    if has_lo and has_hi and lo == hi:
        return f"{f.label_en} equal to {_fmt(f, lo, start)}", f"{f.label_zh}等于{_fmt(f, lo, start, 'zh')}"
    if has_lo and has_hi:
        return (f"{f.label_en} between {_fmt(f, lo, start)} and {_fmt(f, hi, start)}",
                f"{f.label_zh}介于{_fmt(f, lo, start, 'zh')}与{_fmt(f, hi, start, 'zh')}之间")
    if has_lo:
        w = "no earlier than" if late else "at least"
        return f"{f.label_en} {w} {_fmt(f, lo, start)}", f"{f.label_zh}不低于{_fmt(f, lo, start, 'zh')}"
    if has_hi:
        w = "no later than" if late else "at most"
        return f"{f.label_en} {w} {_fmt(f, hi, start)}", f"{f.label_zh}不高于{_fmt(f, hi, start, 'zh')}"
    return f"{f.label_en} (any)", f"{f.label_zh}（任意）"


def rule_texts(d: Discovery) -> list[str]:
    base = d.miss.mean()
    out = [f"{d.target_id} is missed in {base:.0%} of {len(d.miss)} runs overall "
           f"({'levers drawn over their declared ranges' if d.levers else 'levers at the scenario values'})."]
    if d.rules.empty:
        out.append("No rule found: no box of at most a few conditions makes a miss (or, for a target missed "
                   "in most runs, a hit) clearly more frequent than overall; the outcome is spread thinly "
                   "over many inputs and the model's own randomness.")
        return out
    if d.outcome == "hit":
        out.append(f"No box concentrates the misses (they are the rule rather than the exception), so the rules "
                   f"say what the {1 - base:.0%} of runs that hit {d.target_id} have in common.")
    verb, what = ("misses", "misses") if d.outcome == "miss" else ("hits", "hits")
    for _, r in d.rules.iterrows():
        out.append(f"Rule {r['rule']}: {verb} {d.target_id} in {r['density']:.0%} of runs where {r['conditions']}. "
                   f"These runs are {r['mass']:.0%} of all runs and hold {r['coverage']:.0%} of the {what} "
                   f"(checked on held-out runs: density {r['density_test']:.0%}, coverage {r['coverage_test']:.0%}).")
    return out


def default_out(ls: LoadedScenario, target_id: str, seed: int, reps: int, vary: bool) -> Path:
    return Path("results") / (f"discover__{ls.scenario.scenario.name}__{target_id}__seed{seed}__n{reps}"
                              + ("" if vary else "__fixed_levers"))


def write_discover(d: Discovery, out: Path, langs=("en", "zh")) -> list[Path]:
    from sim import store
    sc = d.ls.scenario
    store.atomic_write_csv(out / "experiments.csv", d.experiments)
    store.atomic_write_csv(out / "rules.csv", d.rules)
    store.atomic_write_csv(out / "conditions.csv", d.conditions)
    store.atomic_write_csv(out / "trajectory.csv", d.trajectory)
    store.atomic_write_text(out / "rules.txt", "\n".join(d.texts) + "\n")
    man = store.manifest(
        scenario_name=sc.scenario.name, scenario_file=str(d.ls.path), sha256=d.ls.sha256, seed=d.seed,
        reps=d.reps, resolved=d.ls.resolved, warnings=[],
        extra={"experiment": "discover", "target": d.target_id,
               "levers_varied": {lv.id: [display(lv, lv.range[0], sc.run.start), display(lv, lv.range[1], sc.run.start)]
                                 for lv in d.levers},
               "method": "PRIM peeling (alpha 0.05, min mass 0.05), box chosen by F1 of density and coverage, "
                         "restrictions pruned to at most 3; fitted on replications with rep % 3 != 0, "
                         "checked on rep % 3 == 0",
               "rules": d.texts})
    store.write_json(out / "manifest.json", man)
    written = []
    if d.rules.empty:
        return written
    for lang in langs:
        meta = meta_text(sc, [sc.scenario.name], d.reps, d.seed, man["run_date"], lang)
        p = out / "charts" / f"discover_{lang}.png"
        save_png(discover_chart(d, lang, meta), p)
        written.append(p)
    return written


def discover_chart(d: Discovery, lang: str, meta: str):
    """Left: the first rule's two main conditions, runs coloured by miss/hit, the box drawn.
    Right: the peeling trajectory (coverage against density), the chosen box marked."""
    sc = d.ls.scenario
    start = sc.run.start
    fig, (ax, ax2) = new_figure(12.5, 5.6, ncols=2, gridspec_kw={"width_ratios": [1.25, 1]})
    c = d.conditions[d.conditions["rule"] == 1]
    cols = list(c["column"])
    feats = {f.column: f for f in d.features}
    if len(cols) == 1:
        others = [f.column for f in d.features if f.column != cols[0]]
        cols.append(others[0])
    fx, fy = feats[cols[0]], feats[cols[1]]
    x, y = d.experiments[fx.column].to_numpy(float), d.experiments[fy.column].to_numpy(float)
    rng = np.random.default_rng(0)                 # jitter whole-number columns so points do not overlap
    xj = x + (rng.uniform(-0.25, 0.25, len(x)) if d.experiments[fx.column].nunique() < 12 else 0)
    yj = y + (rng.uniform(-0.25, 0.25, len(y)) if d.experiments[fy.column].nunique() < 12 else 0)
    m = d.miss
    ax.scatter(xj[~m], yj[~m], s=5, color=BLUE, alpha=0.35, label="hit" if lang == "en" else "达成")
    ax.scatter(xj[m], yj[m], s=5, color=VERMILION, alpha=0.5, label="miss" if lang == "en" else "未达成")
    rr = c.set_index("column")
    lo_x = rr["lower"].get(fx.column, -np.inf)
    hi_x = rr["upper"].get(fx.column, np.inf)
    lo_y = rr["lower"].get(fy.column, -np.inf) if fy.column in rr.index else -np.inf
    hi_y = rr["upper"].get(fy.column, np.inf) if fy.column in rr.index else np.inf
    bx0, bx1 = (lo_x if np.isfinite(lo_x) else x.min()), (hi_x if np.isfinite(hi_x) else x.max())
    by0, by1 = (lo_y if np.isfinite(lo_y) else y.min()), (hi_y if np.isfinite(hi_y) else y.max())
    if d.experiments[fx.column].nunique() < 12:          # whole numbers: the box spans the jittered columns
        bx0, bx1 = bx0 - 0.3, bx1 + 0.3
    if d.experiments[fy.column].nunique() < 12:
        by0, by1 = by0 - 0.3, by1 + 0.3
    from matplotlib.patches import Rectangle
    ax.add_patch(Rectangle((bx0, by0), bx1 - bx0, by1 - by0, fill=False, edgecolor="black", linewidth=1.6))
    lab = (lambda f: f.label_en) if lang == "en" else (lambda f: f.label_zh)
    ax.set_xlabel(lab(fx), fontsize=8.5)
    ax.set_ylabel(lab(fy), fontsize=8.5)
    for f, setter, axis in ((fx, ax.set_xticks, "x"), (fy, ax.set_yticks, "y")):
        if f.kind in ("month_index", "month_time"):
            vals = d.experiments[f.column]
            ticks = np.arange(math.floor(vals.min()), math.ceil(vals.max()) + 1)
            step = max(1, int(math.ceil(len(ticks) / 8)))
            ticks = ticks[::step]
            lab_t = [month_of_end(int(t), start) if f.kind == "month_index" else month_of_end(max(int(t), 1), start)
                     for t in ticks]
            setter(ticks, lab_t, fontsize=7, **({"rotation": 30} if axis == "x" else {}))
    r1 = d.rules.iloc[0]
    ax.legend(fontsize=7.5, loc="best", markerscale=2)
    import textwrap
    hit = d.outcome == "hit"
    if lang == "zh":
        head = (f"规则 1：框内{'达成' if hit else '未达成'}率 {r1['density']:.0%}，覆盖全部{'达成' if hit else '未达成'}的 "
                f"{r1['coverage']:.0%}")
        cond = textwrap.fill(r1["conditions_zh"], 48)
    else:
        head = (f"Rule 1: {r1['density']:.0%} of runs in the box {'hit' if hit else 'miss'}; "
                f"it holds {r1['coverage']:.0%} of the {'hits' if hit else 'misses'}")
        cond = textwrap.fill(r1["conditions"], 95)
    ax.set_title(f"{head}\n{cond}", fontsize=8.5, loc="left")
    t = d.trajectory
    ax2.plot(t["coverage"], t["density"], marker="o", ms=2.5, color=GREY, linewidth=1)
    ch = t[t["chosen"]]
    ax2.scatter(ch["coverage"], ch["density"], s=60, color=VERMILION, zorder=3,
                label="chosen (before pruning)" if lang == "en" else "所选框（修剪前）")
    ax2.axhline(d.rules.iloc[0]["base_rate"], color="black", linestyle=":", linewidth=1)
    word_en, word_zh = ("hit", "达成") if hit else ("miss", "未达成")
    ax2.set_xlabel(f"coverage: share of all {'hits' if hit else 'misses'} in the box" if lang == "en" else f"覆盖率：框内{word_zh}占全部{word_zh}", fontsize=8.5)
    ax2.set_ylabel(f"density: share of the box's runs that {word_en}" if lang == "en"
                   else f"密度：框内运行的{word_zh}比例", fontsize=8.5)
    ax2.set_xlim(0, 1.02)
    ax2.set_ylim(0, 1.02)
    ax2.grid(alpha=0.3)
    ax2.legend(fontsize=7.5, loc="lower left")
    ax2.set_title(f"PRIM peeling trajectory (training runs); dotted = overall {word_en} rate" if lang == "en" else
                  f"PRIM 剥离轨迹（训练样本）；点线 = 总体{word_zh}率", fontsize=9, loc="left")
    row = {"target_id": d.target_id, **{k: v for k, v in _target_row(sc, d.target_id).items()}}
    tgt = target_text(sc, row, lang)
    lever_note = ("levers drawn over their declared ranges" if d.levers else "levers fixed") if lang == "en" else \
        ("杠杆在声明范围内抽样" if d.levers else "杠杆固定")
    fig.suptitle((f"情景发现：何时{'达成' if hit else '未达成'} {tgt}（{lever_note}）" if lang == "zh"
                  else f"Scenario discovery: when is '{tgt}' {'hit' if hit else 'missed'}? ({lever_note})"),
                 fontsize=10.5, x=0.01, ha="left")
    footer(fig, meta)
    return fig


def _target_row(sc, tid):
    t = sc.targets[tid]
    return dict(indicator=t.indicator, year=t.year, op=t.op, threshold=t.threshold, unit=t.unit)
