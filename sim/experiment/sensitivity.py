"""``sensitivity SCENARIO``: what moves each target most, uncertainties and levers together.

Two analyses on one scenario, both on the model itself (no surrogate):

1. **Sobol indices** (variance-based, global). Factors are groups of uncertain parameters (all
   parameters of one sector, all project slips, the macro factor...; ``by="parameter"`` makes
   every parameter its own factor), the levers that declare a range in ``[lever_ranges]``, and
   the model's own randomness ("process noise": arrivals, timings, trade noise, peer zones).
   A Saltelli design: two scrambled-Sobol matrices A and B of uniforms (one column per uncertain
   parameter and per ranged lever) and, per factor g, A with g's columns taken from B. The
   uniforms reach the model through ``run_replication(..., u_override=...)`` (every uncertain
   parameter's quantile) and through lever values mapped onto their ranges; the process noise is
   the replication's stream index (A rows use j, B rows n + j). Indices and BCa bootstrap
   intervals come from ``scipy.stats.sobol_indices`` (Saltelli 2010 first order, Jansen total)
   given these outputs. Cost: n (k + 2) replications for k factors.

2. **Tornado** (one at a time). Each ranged lever at its range's low and high end, and the top
   uncertain parameters (screened by rank correlation on the Sobol sample) at their 10% and 90%
   quantiles, each over the same M replications (common random numbers: every other parameter
   keeps the replication's own draw). Swings of P(hit) and of the indicator's median.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.targets import hits_of, proportion_ci, target_specs
from sim.experiment import runner
from sim.experiment.compare import (BLUE, ORANGE, VERMILION, footer, meta_text, new_figure, save_png,
                                    target_text)
from sim.experiment.executors import LocalExecutor
from sim.experiment.levers import Lever, display, from_uniform, ranged, short_label, with_levers
from sim.scenario.loader import LoadedScenario
from sim.scenario.params import uncertain_paths
from sim.vocabulary.parameters import NOISE, group_label, group_of, param_label

U_EPS = 2.0 ** -54          # keeps design uniforms strictly inside (0, 1): quantile functions stay finite
TORNADO_LOW, TORNADO_HIGH = 0.1, 0.9


# ----------------------------------------------------------------------------- labels

def lever_label(lv: Lever, lang: str) -> str:
    return (f"lever: {short_label(lv, 'en')}" if lang == "en" else f"杠杆：{short_label(lv, 'zh')}")


# ----------------------------------------------------------------------------- factors and design

@dataclass(frozen=True)
class Factor:
    id: str                      # group key, "lever:<id>" or "process_noise"
    kind: str                    # "uncertainty", "lever" or "noise"
    columns: tuple[int, ...]     # design columns it owns (empty for noise)


@dataclass
class Design:
    """A Saltelli design: uniforms for A and B and the factor structure."""
    n: int
    paths: list[str]             # uncertain parameters (design columns 0..P-1)
    levers: list[Lever]          # ranged levers (design columns P..P+L-1)
    factors: list[Factor]
    A: np.ndarray                # [n, P + L]
    B: np.ndarray


def varied_paths(sc) -> list[str]:
    """Uncertain parameters that actually vary (fixed values are left out of designs)."""
    return [p for p, d in uncertain_paths(sc) if d.support[0] < d.support[1]]


def make_factors(paths: list[str], levers: list[Lever], by: str = "group", noise: bool = True) -> list[Factor]:
    out: dict[str, list[int]] = {}
    for j, p in enumerate(paths):
        out.setdefault(group_of(p) if by == "group" else p, []).append(j)
    facs = [Factor(k, "uncertainty", tuple(v)) for k, v in out.items()]
    facs += [Factor(f"lever:{lv.id}", "lever", (len(paths) + i,)) for i, lv in enumerate(levers)]
    if noise:
        facs.append(Factor(NOISE, "noise", ()))
    return facs


def saltelli_matrices(n: int, d: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A and B: n x d uniforms each, from one scrambled Sobol sequence of dimension 2d."""
    from scipy.stats import qmc
    eng = qmc.Sobol(d=2 * d, scramble=True, seed=np.random.default_rng(np.random.SeedSequence([seed, 0x5EB01])))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")           # balance warning when n is not a power of 2
        x = eng.random(n)
    x = np.clip(x, U_EPS, 1 - U_EPS)
    return x[:, :d], x[:, d:]


def ab_matrix(A: np.ndarray, B: np.ndarray, columns: tuple[int, ...]) -> np.ndarray:
    """A with the given columns taken from B (a factor's 'radial' step)."""
    M = A.copy()
    if columns:
        M[:, list(columns)] = B[:, list(columns)]
    return M


def sobol_from_outputs(f_A: np.ndarray, f_B: np.ndarray, f_AB: np.ndarray, level: float = 0.95,
                       n_resamples: int = 999) -> dict[str, np.ndarray]:
    """First-order and total indices with BCa bootstrap intervals (scipy.stats.sobol_indices).

    ``f_A``, ``f_B``: [n, s] outputs; ``f_AB``: [k, n, s]. Returns arrays [s, k]; outputs with no
    variance get NaN (nothing to apportion)."""
    n, s = f_A.shape
    k = f_AB.shape[0]
    keys = ("S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high")
    out = {key: np.full((s, k), np.nan) for key in keys}
    var = np.var(np.concatenate([f_A, f_B]), axis=0)
    live = np.flatnonzero(var > 1e-12 * (1 + np.abs(np.concatenate([f_A, f_B])).max(axis=0) ** 2))
    if not len(live):
        return out
    res = stats.sobol_indices(func={"f_A": f_A[:, live].T, "f_B": f_B[:, live].T,
                                    "f_AB": np.moveaxis(f_AB[:, :, live], 1, 2)}, n=n)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        boot = res.bootstrap(confidence_level=level, n_resamples=n_resamples)
    s1, st = np.atleast_2d(res.first_order), np.atleast_2d(res.total_order)
    out["S1"][live], out["ST"][live] = s1, st
    out["S1_low"][live] = np.atleast_2d(boot.first_order.confidence_interval.low)
    out["S1_high"][live] = np.atleast_2d(boot.first_order.confidence_interval.high)
    out["ST_low"][live] = np.atleast_2d(boot.total_order.confidence_interval.low)
    out["ST_high"][live] = np.atleast_2d(boot.total_order.confidence_interval.high)
    for key in ("S1", "ST"):        # a factor that never changes the output: a degenerate bootstrap, index exactly 0
        for side in ("_low", "_high"):
            bad = np.isnan(out[key + side]) & np.isfinite(out[key])
            out[key + side][bad] = out[key][bad]
    return out


# ----------------------------------------------------------------------------- evaluation (workers)

_SCENARIOS: dict = {}


def _scenario_for(ls: LoadedScenario, lever_ids: tuple[str, ...], values: tuple[float, ...]):
    """The scenario with these lever values (cached per worker; built and validated once)."""
    if not lever_ids:
        return ls.scenario
    key = (ls.sha256, lever_ids, values)
    sc = _SCENARIOS.get(key)
    if sc is None:
        if len(_SCENARIOS) > 64:
            _SCENARIOS.clear()
        sc = _SCENARIOS[key] = with_levers(ls, dict(zip(lever_ids, values))).scenario
    return sc


def evaluate_rows(ls: LoadedScenario, root: int, lever_ids: tuple[str, ...], cells: list[tuple[int, int]],
                  first: int, rows: list[tuple], paths: list[str] | None = None) -> tuple[int, np.ndarray]:
    """Run rows (rep, u_override, lever values); return (first, values[row, target cell]).

    ``u_override`` is None (the replication's own parameters), a dict path -> u, or an array of
    uniforms for ``paths`` (a design row). ``cells``: (year index, indicator index) of each output."""
    lay = runner.layout(ls.scenario)
    out = np.empty((len(rows), len(cells)))
    yi = np.array([c[0] for c in cells], int)
    ii = np.array([c[1] for c in cells], int)
    for k, (rep, override, lev) in enumerate(rows):
        if isinstance(override, np.ndarray):
            override = dict(zip(paths, override.tolist()))
        sc = _scenario_for(ls, lever_ids, tuple(lev))
        yearly, _, _ = runner.run_replication(sc, root, rep, lay, u_override=override)
        out[k] = yearly[yi, ii]
    return first, out


def run_rows(ls, root, lever_ids, cells, rows, executor, chunk: int = 48, bar=None,
             paths: list[str] | None = None) -> np.ndarray:
    args = [(ls, root, tuple(lever_ids), cells, a, rows[a:a + chunk], paths) for a in range(0, len(rows), chunk)]
    out = np.empty((len(rows), len(cells)))
    for first, vals in executor.map_unordered(evaluate_rows, args):
        out[first:first + len(vals)] = vals
        if bar is not None:
            bar.update(len(vals))
    return out


def target_cells(ls: LoadedScenario, targets) -> list[tuple[int, int]]:
    lay = runner.layout(ls.scenario)
    return [(lay.years.index(t.year), lay.names.index(t.indicator)) for t in targets]


# ----------------------------------------------------------------------------- the experiment

@dataclass
class Sensitivity:
    ls: LoadedScenario
    seed: int
    n: int
    by: str
    design: Design
    targets: list
    sobol: pd.DataFrame                  # target x output (value|hit) x factor
    tornado: pd.DataFrame                # target x factor x side
    screening: pd.DataFrame              # parameter x target |rank correlation|
    tornado_reps: int
    evaluations: int
    outputs: dict = field(default_factory=dict)   # raw design outputs (for design.npz)


def sobol_rows(design: Design, levers: list[Lever]) -> tuple[list, list[str]]:
    """Evaluation rows for A, B and every AB_g, in that order."""
    n, P = design.n, len(design.paths)

    def rows_of(M, reps):
        out = []
        lev_vals = [from_uniform(lv, M[:, P + i]) for i, lv in enumerate(levers)]
        for j in range(n):
            lev = tuple(float(v[j]) for v in lev_vals)
            out.append((int(reps[j]), M[j, :P].copy(), lev))
        return out
    ra, rb = np.arange(n), n + np.arange(n)
    rows = rows_of(design.A, ra) + rows_of(design.B, rb)
    for f in design.factors:
        rows += rows_of(ab_matrix(design.A, design.B, f.columns), rb if f.kind == "noise" else ra)
    return rows


def run_sensitivity(ls: LoadedScenario, n: int, seed: int, by: str = "group", tornado_reps: int = 100,
                    top: int = 10, executor=None, progress: bool | None = None,
                    n_resamples: int = 999) -> Sensitivity:
    from sim.experiment.compare import _Bar
    sc = ls.scenario
    executor = executor or LocalExecutor()
    targets = [t for t in target_specs(sc)]
    cells = target_cells(ls, targets)
    levers = ranged(sc)
    paths = varied_paths(sc)
    facs = make_factors(paths, levers, by)
    A, B = saltelli_matrices(n, len(paths) + len(levers), seed)
    design = Design(n, paths, levers, facs, A, B)
    rows = sobol_rows(design, levers)
    lever_ids = tuple(lv.id for lv in levers)

    # tornado rows are known once screening is done; count them for the bar up front
    n_torn = (len(levers) + top) * 2 * tornado_reps + tornado_reps
    bar = _Bar(len(rows) + n_torn, progress)
    try:
        Y = run_rows(ls, seed, lever_ids, cells, rows, executor, bar=bar, paths=paths)
        k = len(facs)
        f_A, f_B = Y[:n], Y[n:2 * n]
        f_AB = Y[2 * n:].reshape(k, n, len(targets))
        sobol = _sobol_table(sc, targets, facs, levers, f_A, f_B, f_AB, n_resamples)
        screening = _screen(sc, targets, paths, np.vstack([A, B])[:, :len(paths)], np.vstack([f_A, f_B]))
        tornado = _tornado(ls, seed, targets, cells, levers, screening, top, tornado_reps, executor, bar)
    finally:
        bar.close()
    return Sensitivity(ls, seed, n, by, design, targets, sobol, tornado, screening, tornado_reps,
                       len(rows) + n_torn, {"f_A": f_A, "f_B": f_B, "f_AB": f_AB})


def _sobol_table(sc, targets, facs, levers, f_A, f_B, f_AB, n_resamples) -> pd.DataFrame:
    frames = []
    for output in ("value", "hit"):
        if output == "hit":
            conv = [lambda v, t=t: hits_of(v, t.op, t.threshold).astype(float) for t in targets]
            tA = np.column_stack([c(f_A[:, i]) for i, c in enumerate(conv)])
            tB = np.column_stack([c(f_B[:, i]) for i, c in enumerate(conv)])
            tAB = np.stack([np.column_stack([c(f_AB[g, :, i]) for i, c in enumerate(conv)])
                            for g in range(f_AB.shape[0])])
        else:
            tA, tB, tAB = f_A, f_B, f_AB
        r = sobol_from_outputs(tA, tB, tAB, n_resamples=n_resamples)
        for i, t in enumerate(targets):
            for g, f in enumerate(facs):
                frames.append(dict(
                    target_id=t.target_id, indicator=t.indicator, year=t.year, op=t.op, threshold=t.threshold,
                    unit=t.unit, active=t.active, output=output, factor=f.id, kind=f.kind,
                    label_en=_label(sc, f, levers, "en"), label_zh=_label(sc, f, levers, "zh"),
                    n_parameters=len(f.columns) if f.kind == "uncertainty" else (1 if f.kind == "lever" else 0),
                    S1=r["S1"][i, g], S1_low=r["S1_low"][i, g], S1_high=r["S1_high"][i, g],
                    ST=r["ST"][i, g], ST_low=r["ST_low"][i, g], ST_high=r["ST_high"][i, g],
                    output_sd=float(np.std(np.concatenate([tA[:, i], tB[:, i]])))))
    return pd.DataFrame(frames)


def _label(sc, f: Factor, levers, lang):
    if f.kind == "lever":
        lv = next(lv for lv in levers if f"lever:{lv.id}" == f.id)
        return lever_label(lv, lang)
    if f.kind == "noise":
        return group_label(sc, NOISE, lang)
    if "." in f.id and f.id != group_of(f.id):          # a single parameter (by="parameter")
        return param_label(sc, f.id, lang)
    return group_label(sc, f.id, lang)


def _screen(sc, targets, paths, U, Y) -> pd.DataFrame:
    """|Spearman correlation| of each parameter's uniform with each active target's indicator."""
    ranks_u = np.apply_along_axis(stats.rankdata, 0, U)
    rows = []
    for i, t in enumerate(targets):
        if not t.active:
            continue
        y = Y[:, i]
        if np.ptp(y) == 0:
            continue
        ry = stats.rankdata(y)
        ry = (ry - ry.mean()) / ry.std()
        ru = (ranks_u - ranks_u.mean(0)) / ranks_u.std(0)
        rho = (ru * ry[:, None]).mean(0)
        rows += [dict(target_id=t.target_id, parameter=p, abs_rank_corr=abs(float(r)), rank_corr=float(r))
                 for p, r in zip(paths, rho)]
    return pd.DataFrame(rows, columns=["target_id", "parameter", "abs_rank_corr", "rank_corr"])


def top_parameters(screening: pd.DataFrame, top: int) -> list[str]:
    """The ``top`` parameters with the largest rank correlation with any active target."""
    if screening.empty:
        return []
    s = screening.groupby("parameter")["abs_rank_corr"].max().sort_values(ascending=False)
    return list(s.index[:top])


def _tornado(ls, seed, targets, cells, levers, screening, top, M, executor, bar) -> pd.DataFrame:
    sc = ls.scenario
    start = sc.run.start
    params = top_parameters(screening, top)
    lever_ids = tuple(lv.id for lv in levers)
    base_lev = tuple(lv.baseline for lv in levers)
    specs = [("base", "", "", None, base_lev)]
    for lv in levers:
        for side, v in (("low", lv.range[0]), ("high", lv.range[1])):
            lev = tuple(v if o.id == lv.id else o.baseline for o in levers)
            specs.append((f"lever:{lv.id}", side, display(lv, v, start), None, lev))
    for p in params:
        dist = dict(uncertain_paths(sc))[p]
        for side, u in (("low", TORNADO_LOW), ("high", TORNADO_HIGH)):
            specs.append((p, side, f"{float(dist.ppf(u)):.4g}", {p: u}, base_lev))
    rows = [(r, ov, lev) for (_, _, _, ov, lev) in specs for r in range(M)]
    Y = run_rows(ls, seed, lever_ids, cells, rows, executor, bar=bar)
    out = []
    for s_i, (fid, side, setting, _, _) in enumerate(specs):
        block = Y[s_i * M:(s_i + 1) * M]
        for i, t in enumerate(targets):
            h = hits_of(block[:, i], t.op, t.threshold)
            lo, hi = proportion_ci(int(h.sum()), M)
            kind = "base" if fid == "base" else ("lever" if fid.startswith("lever:") else "uncertainty")
            out.append(dict(target_id=t.target_id, indicator=t.indicator, year=t.year, op=t.op,
                            threshold=t.threshold, unit=t.unit, active=t.active, factor=fid, kind=kind,
                            side=side, setting=setting, n_reps=M, p_hit=h.mean(), ci_low=lo, ci_high=hi,
                            median=float(np.median(block[:, i])), mean=float(block[:, i].mean())))
    return pd.DataFrame(out)


def tornado_swings(tornado: pd.DataFrame, target_id: str) -> pd.DataFrame:
    """One row per factor: low and high P(hit) and median, swings, sorted by |P swing| then |median swing|."""
    d = tornado[(tornado["target_id"] == target_id) & (tornado["factor"] != "base")]
    lo = d[d["side"] == "low"].set_index("factor")
    hi = d[d["side"] == "high"].set_index("factor")
    w = pd.DataFrame({"kind": lo["kind"], "setting_low": lo["setting"], "setting_high": hi["setting"],
                      "p_low": lo["p_hit"], "p_high": hi["p_hit"], "median_low": lo["median"],
                      "median_high": hi["median"]})
    w["p_swing"] = w["p_high"] - w["p_low"]
    w["median_swing"] = w["median_high"] - w["median_low"]
    w["abs_p"] = w["p_swing"].abs()
    w["abs_m"] = w["median_swing"].abs()
    return w.sort_values(["abs_p", "abs_m"], ascending=False).drop(columns=["abs_p", "abs_m"])


def headline_targets(res: Sensitivity, k: int = 4) -> list[str]:
    """Active outcome targets where a lever matters most: base P(hit) between 10% and 90% (so it can
    move), ranked by the largest total Sobol index of any lever on the target's indicator. Deadline
    targets (0/1: done by year end) are left out: their own date lever decides them by construction."""
    b = res.tornado[(res.tornado["factor"] == "base") & res.tornado["active"] & (res.tornado["unit"] != "0/1")
                    & ~res.tornado["target_id"].str.startswith("ALL_")]
    open_ = set(b[(b["p_hit"] >= 0.1) & (b["p_hit"] <= 0.9)]["target_id"])
    v = res.sobol[(res.sobol["output"] == "value") & res.sobol["target_id"].isin(open_) & res.sobol["ST"].notna()]
    if v.empty:
        return list(b.assign(s=b["p_hit"] * (1 - b["p_hit"])).sort_values("s", ascending=False)["target_id"][:k])
    lev = v[v["kind"] == "lever"].groupby("target_id")["ST"].max().sort_values(ascending=False)
    return list(lev.index[:k])


def lever_ranking(res: Sensitivity) -> pd.DataFrame:
    """One row per ranged lever: its largest tornado swing of P(hit) (percentage points, the unit
    planners decide in) and its largest total Sobol index over active outcome targets' indicators,
    each with the target where it happens; sorted by the swing. Deadline targets (unit 0/1) are
    left out: a date lever decides its own deadline by construction."""
    v = res.sobol[(res.sobol["output"] == "value") & (res.sobol["kind"] == "lever") & res.sobol["active"]
                  & res.sobol["ST"].notna() & (res.sobol["unit"] != "0/1")]
    t = res.tornado[(res.tornado["kind"] == "lever") & res.tornado["active"] & (res.tornado["unit"] != "0/1")]
    rows = []
    for fid, g in v.groupby("factor"):
        top = g.sort_values("ST", ascending=False).iloc[0]
        lo = t[(t["factor"] == fid) & (t["side"] == "low")].set_index("target_id")["p_hit"]
        hi = t[(t["factor"] == fid) & (t["side"] == "high")].set_index("target_id")["p_hit"]
        sw = (hi - lo).dropna()
        j = sw.abs().idxmax() if len(sw) else ""
        rows.append(dict(lever=fid.removeprefix("lever:"), label_en=top["label_en"], label_zh=top["label_zh"],
                         max_ST=top["ST"], max_ST_low=top["ST_low"], max_ST_high=top["ST_high"],
                         max_ST_target=top["target_id"], targets_ST_over_0_05=int((g["ST"] > 0.05).sum()),
                         max_p_swing=float(sw[j]) if j else np.nan, max_p_swing_target=j))
    if not rows:
        return pd.DataFrame(rows)
    out = pd.DataFrame(rows)
    out["abs_swing"] = out["max_p_swing"].abs()
    return (out.sort_values(["abs_swing", "max_ST"], ascending=False).drop(columns="abs_swing")
            .reset_index(drop=True))


def default_out(ls: LoadedScenario, seed: int, n: int, by: str) -> Path:
    return Path("results") / (f"sensitivity__{ls.scenario.scenario.name}__seed{seed}__n{n}"
                              + ("" if by == "group" else f"__by{by}"))


def write_sensitivity(res: Sensitivity, out: Path, targets: list[str] | None = None,
                      langs=("en", "zh")) -> list[Path]:
    from sim import store
    sc = res.ls.scenario
    store.atomic_write_csv(out / "sobol.csv", res.sobol)
    store.atomic_write_csv(out / "tornado.csv", res.tornado)
    store.atomic_write_csv(out / "screening.csv", res.screening)
    store.atomic_write_csv(out / "levers.csv", lever_ranking(res))
    d = res.design
    fac = pd.DataFrame([dict(factor=f.id, kind=f.kind, n_columns=len(f.columns),
                             parameters=";".join(d.paths[c] if c < len(d.paths) else f"lever:{d.levers[c - len(d.paths)].id}"
                                                 for c in f.columns)) for f in d.factors])
    store.atomic_write_csv(out / "factors.csv", fac)
    import io
    buf = io.BytesIO()
    np.savez_compressed(buf, A=d.A, B=d.B, paths=np.array(d.paths), levers=np.array([lv.id for lv in d.levers]),
                        targets=np.array([t.target_id for t in res.targets]), **res.outputs)
    store.atomic_write_bytes(out / "design.npz", buf.getvalue())
    man = store.manifest(
        scenario_name=sc.scenario.name, scenario_file=str(res.ls.path), sha256=res.ls.sha256, seed=res.seed,
        reps=res.evaluations, resolved=res.ls.resolved, warnings=[],
        extra={"experiment": "sensitivity", "sobol_base_sample": res.n, "factors": len(d.factors),
               "factor_grouping": res.by, "sobol_evaluations": res.n * (len(d.factors) + 2),
               "tornado_replications_per_setting": res.tornado_reps,
               "sobol_method": "Saltelli 2010 first order, Jansen total order (scipy.stats.sobol_indices); "
                               "95% BCa bootstrap intervals",
               "design": "scrambled Sobol A and B matrices; process noise = stream index (A: j, B: n + j)",
               "tornado": f"levers at their declared range ends; uncertain parameters at their "
                          f"{TORNADO_LOW:.0%}/{TORNADO_HIGH:.0%} quantiles; others as drawn (common random numbers)",
               "lever_ranges": {lv.id: [display(lv, lv.range[0], sc.run.start), display(lv, lv.range[1], sc.run.start)]
                                for lv in d.levers}})
    store.write_json(out / "manifest.json", man)
    heads = targets or headline_targets(res)
    written = []
    for lang in langs:
        k = len(res.design.factors)
        runs = (f"Sobol 基样本 n={res.n}（{res.n * (k + 2)} 次运行，{k} 个因子）；龙卷风图每设定 {res.tornado_reps} 次重复"
                if lang == "zh" else f"Sobol base sample n={res.n} ({res.n * (k + 2)} runs, {k} factors); "
                f"tornado {res.tornado_reps} replications per setting")
        meta = meta_text(sc, [sc.scenario.name], None, res.seed, man["run_date"], lang, runs=runs)
        if heads:
            p = out / "charts" / f"sobol_{lang}.png"
            save_png(sobol_chart(res.sobol, heads, sc, lang, meta), p)
            written.append(p)
            p = out / "charts" / f"tornado_{lang}.png"
            save_png(tornado_chart(res.tornado, heads, sc, lang, meta), p)
            written.append(p)
    return written


def sobol_chart(sobol: pd.DataFrame, targets: list[str], sc, lang: str, meta: str, top: int = 12):
    """Per headline target: first-order and total Sobol indices of its indicator with 95% intervals."""
    n = len(targets)
    fig, axes = new_figure(6.2 * min(n, 2), 1.0 + 4.1 * math.ceil(n / 2), nrows=math.ceil(n / 2),
                           ncols=min(n, 2), squeeze=False)
    for k, tid in enumerate(targets):
        ax = axes[k // 2, k % 2]
        d = sobol[(sobol["target_id"] == tid) & (sobol["output"] == "value")].sort_values("ST", ascending=False)
        d = d.head(top).iloc[::-1]
        pos = np.arange(len(d))
        lab = d["label_en" if lang == "en" else "label_zh"].tolist()
        for off, col, key, name in ((0.19, BLUE, "ST", "总效应 ST" if lang == "zh" else "total ST"),
                                    (-0.19, ORANGE, "S1", "一阶 S1" if lang == "zh" else "first order S1")):
            v = d[key].to_numpy()
            err = np.vstack([np.clip(v - d[f"{key}_low"].to_numpy(), 0, None),
                             np.clip(d[f"{key}_high"].to_numpy() - v, 0, None)])
            ax.barh(pos + off, v, height=0.36, color=col, label=name)
            ax.errorbar(v, pos + off, xerr=err, fmt="none", ecolor="black", elinewidth=0.8, capsize=1.5)
        colors = [VERMILION if kd == "lever" else ("#555555" if kd == "noise" else "black") for kd in d["kind"]]
        ax.set_yticks(pos, lab, fontsize=7.5)
        for tl, c in zip(ax.get_yticklabels(), colors):
            tl.set_color(c)
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_xlim(-0.05, 1.05)
        ax.grid(axis="x", alpha=0.3)
        row = sobol[sobol["target_id"] == tid].iloc[0]
        ax.set_title(target_text(sc, row, lang), fontsize=9, loc="left")
        if k == 0:
            ax.legend(fontsize=7.5, loc="lower right")
        ax.set_xlabel("方差份额" if lang == "zh" else "share of the indicator's variance", fontsize=8)
    for k in range(n, axes.size):
        axes[k // 2, k % 2].set_visible(False)
    title = ("Sobol 全局敏感性：指标方差来自哪里（红色 = 杠杆）" if lang == "zh" else
             "Sobol global sensitivity: where each indicator's variance comes from (red = lever)")
    fig.suptitle(title, fontsize=10.5, x=0.01, ha="left")
    footer(fig, meta)
    return fig


def tornado_chart(tornado: pd.DataFrame, targets: list[str], sc, lang: str, meta: str, top: int = 12):
    """Per headline target: P(hit) and the indicator's median at each factor's low and high
    setting, one at a time, bars from low to high around the base value."""
    from sim.report.labels import unit_label
    n = len(targets)
    fig, axes = new_figure(13, 1.0 + 4.0 * n, nrows=n, ncols=2, squeeze=False)
    for k, tid in enumerate(targets):
        w = tornado_swings(tornado, tid)
        moving = w[(w["p_swing"] != 0) | (w["median_swing"] != 0)]
        w = (moving if len(moving) else w).head(top).iloc[::-1]        # factors that move nothing are left out
        base = tornado[(tornado["target_id"] == tid) & (tornado["factor"] == "base")].iloc[0]
        labels = []
        for fid, r in w.iterrows():
            if r["kind"] == "lever":
                lv_id = fid.removeprefix("lever:")
                name = lever_label(_lever_by_id(sc, lv_id), lang)
            else:
                name = param_label(sc, fid, lang)
            labels.append(f"{name}  [{r['setting_low']} → {r['setting_high']}]")
        pos = np.arange(len(w))
        for j, (lo_key, hi_key, b, fmt) in enumerate((("p_low", "p_high", base["p_hit"], "pct"),
                                                      ("median_low", "median_high", base["median"], "num"))):
            ax = axes[k, j]
            lo, hi = w[lo_key].to_numpy(), w[hi_key].to_numpy()
            left = np.minimum(lo, hi)
            col = [VERMILION if kd == "lever" else BLUE for kd in w["kind"]]
            ax.barh(pos, np.maximum(hi - lo, 0) + np.maximum(lo - hi, 0), left=left, color=col, alpha=0.8,
                    height=0.6)
            ax.scatter(hi, pos, marker="|", color="black", s=60, zorder=3)
            ax.axvline(b, color="black", linewidth=0.9)
            ax.set_ylim(len(w) - top - 0.5, len(w) - 0.5)     # same bar height whatever the count
            ax.grid(axis="x", alpha=0.3)
            if j == 0:
                ax.set_yticks(pos, labels, fontsize=7)
                ax.set_xlim(-0.02, 1.02)
                ax.set_xticks([0, .25, .5, .75, 1], ["0%", "25%", "50%", "75%", "100%"], fontsize=8)
                ax.set_xlabel("达成概率 P（| = 高设定）" if lang == "zh" else "P(hit)  (| marks the high setting)",
                              fontsize=8)
            else:
                ax.set_yticks(pos, [""] * len(pos))
                thr = float(base["threshold"])
                ax.axvline(thr, color=ORANGE, linestyle="--", linewidth=1)
                ax.set_xlabel((f"指标中位数（{unit_label(base['unit'], lang)}；橙色虚线 = 目标）" if lang == "zh" else
                               f"median of the indicator ({unit_label(base['unit'], lang)}; dashed = target)"),
                              fontsize=8)
            ttl = target_text(sc, base, lang)
            ax.set_title(ttl if j == 0 else ("中位数" if lang == "zh" else "median"), fontsize=9, loc="left")
    title = ("龙卷风图：逐一改变因子（其余照常抽样，共同随机数）；红 = 杠杆（取值范围两端），蓝 = 不确定参数（10%/90% 分位）"
             if lang == "zh" else
             "Tornado: one factor at a time (others drawn as usual, common random numbers); "
             "red = lever (range ends), blue = uncertain parameter (10%/90% quantiles)")
    fig.suptitle(title, fontsize=9.5, x=0.01, ha="left")
    footer(fig, meta)
    return fig


def _lever_by_id(sc, lid):
    from sim.experiment.levers import catalogue
    return next(lv for lv in catalogue(sc) if lv.id == lid)


def format_sensitivity(res: Sensitivity, targets: list[str] | None = None, top: int = 6) -> str:
    sc = res.ls.scenario
    lines = ["\nWhich lever matters most: each ranged lever's largest one-at-a-time swing of P(hit) over its "
             "range (tornado) and its largest total Sobol index (share of an indicator's variance it drives, "
             "with interactions), over the outcome targets (deadline targets left out):"]
    for _, r in lever_ranking(res).iterrows():
        swing = (f"{100 * r['max_p_swing']:+4.0f} pp on {r['max_p_swing_target']:26s}"
                 if pd.notna(r["max_p_swing"]) else f"{'-':33s}")
        lines.append(f"  {r['lever']:34s} swing {swing} ST {r['max_ST']:4.2f} "
                     f"[{r['max_ST_low']:4.2f}, {r['max_ST_high']:4.2f}] on {r['max_ST_target']}")
    heads = targets or headline_targets(res)
    for tid in heads:
        d = res.sobol[(res.sobol["target_id"] == tid) & (res.sobol["output"] == "value")]
        d = d[d["ST"] > 0.01].sort_values("ST", ascending=False).head(top)
        lines.append(f"\n{tid}: largest total Sobol indices of its indicator (95% bootstrap interval)")
        for _, r in d.iterrows():
            lines.append(f"  {r['label_en'][:62]:62s} ST {r['ST']:5.2f} [{r['ST_low']:5.2f}, {r['ST_high']:5.2f}]"
                         f"   S1 {r['S1']:5.2f} [{r['S1_low']:5.2f}, {r['S1_high']:5.2f}]")
        w = tornado_swings(res.tornado, tid).head(4)
        base = res.tornado[(res.tornado["target_id"] == tid) & (res.tornado["factor"] == "base")].iloc[0]
        lines.append(f"  tornado (P(hit) {base['p_hit']:.0%} as drawn; {res.tornado_reps} replications per setting):")
        for fid, r in w.iterrows():
            name = (lever_label(_lever_by_id(sc, fid.removeprefix("lever:")), "en") if r["kind"] == "lever"
                    else param_label(sc, fid, "en"))
            lines.append(f"    {name[:60]:60s} {r['setting_low']:>8s} -> {r['setting_high']:<8s} "
                         f"P {r['p_low']:4.0%} -> {r['p_high']:4.0%} ({100 * r['p_swing']:+.0f} pp)")
    return "\n".join(lines)
