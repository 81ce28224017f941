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
   given these outputs, and from the same bootstrap resamples whether adjacent ranks of the total
   indices are resolved (:func:`sim.analysis.sobol.rank_order`). Cost: n (k + 2) replications
   for k factors.

2. **Tornado** (one at a time). Each ranged lever at its range's low and high end, every
   base-year figure and the top other uncertain parameters (screened by rank correlation on the
   Sobol sample) at their 10% and 90% quantiles, each over the same M replications (common random numbers: every other parameter
   keeps the replication's own draw). Swings of P(hit) and of the indicator's median.

The estimators are :mod:`sim.analysis.sobol` and :mod:`sim.analysis.tornado`; the results
folder is written by :func:`sim.report.studies.study_outputs.write_sensitivity` and the console text
made by :func:`sim.report.studies.console.format_sensitivity`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.sobol import (
    RANK_KEYS,
    ab_matrix,
    saltelli_matrices,
    screen_parameters,
    sobol_from_outputs,
    top_parameters,
)
from sim.analysis.targets import hits_of, proportion_ci, target_specs
from sim.analysis.tornado import TORNADO_HIGH, TORNADO_LOW
from sim.experiment import runner
from sim.experiment.engine import Outputs, evaluate, rows_design
from sim.experiment.executors import LocalExecutor
from sim.experiment.levers import Lever, display, find, from_uniform, ranged, short_label
from sim.experiment.progress import Bar
from sim.scenario.loader import LoadedScenario
from sim.scenario.params import uncertain_paths
from sim.vocabulary.parameters import NOISE, group_label, group_of, param_label

BASE_YEAR = "base_year."
"""Key prefix of the base-year figures: each is in the tornado, so its worth is reported."""


# ----------------------------------------------------------------------------- labels


def lever_label(lv: Lever, lang: str) -> str:
    return f"lever: {short_label(lv, 'en')}" if lang == "en" else f"杠杆：{short_label(lv, 'zh')}"


# ----------------------------------------------------------------------------- factors and design


@dataclass(frozen=True)
class Factor:
    id: str  # group key, "lever:<id>" or "process_noise"
    kind: str  # "uncertainty", "lever" or "noise"
    columns: tuple[int, ...]  # design columns it owns (empty for noise)


@dataclass
class Design:
    """A Saltelli design: uniforms for A and B and the factor structure."""

    n: int
    paths: list[str]  # uncertain parameters (design columns 0..P-1)
    levers: list[Lever]  # ranged levers (design columns P..P+L-1)
    factors: list[Factor]
    A: np.ndarray  # [n, P + L]
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


# ----------------------------------------------------------------------------- evaluation


def _overrides(ov: np.ndarray | dict[str, float] | None, paths: list[str] | None) -> dict[str, float] | None:
    """A row's uniform overrides as path -> u (an array holds the uniforms of ``paths``)."""
    if not isinstance(ov, np.ndarray):
        return ov
    if paths is None:
        raise ValueError("rows of uniform arrays need the paths they are for")
    return dict(zip(paths, ov.tolist(), strict=True))


def evaluate_design(
    ls: LoadedScenario,
    root: int,
    lever_ids: tuple[str, ...],
    cells: list[tuple[int, int]],
    rows: list[tuple],
    executor,
    bar,
    paths: list[str] | None = None,
) -> np.ndarray:
    """values[row, target cell] of rows (rep, u_override, lever values), through the engine.

    ``u_override`` is None (the replication's own parameters), a dict path -> u, or an array of
    uniforms for ``paths`` (a design row). ``cells``: (year index, indicator index) of each output."""
    spec = [(rep, _overrides(ov, paths), tuple(zip(lever_ids, lev, strict=True))) for rep, ov, lev in rows]
    return evaluate(rows_design(ls, root, spec, Outputs(monthly=False)), executor, bar).values(cells)


def target_cells(ls: LoadedScenario, targets) -> list[tuple[int, int]]:
    lay = runner.layout(ls.scenario)
    return [(lay.years.index(t.year), lay.names.index(t.indicator)) for t in targets]


# ----------------------------------------------------------------------------- the experiment


@dataclass
class Sensitivity:
    """A sensitivity study's result: its design, its tables and the raw design outputs."""

    ls: LoadedScenario
    seed: int
    n: int
    by: str
    design: Design
    targets: list
    sobol: pd.DataFrame  # target x output (value|hit) x factor, with the ST rank order
    tornado: pd.DataFrame  # target x factor x side
    screening: pd.DataFrame  # parameter x target |rank correlation|
    tornado_reps: int
    evaluations: int
    outputs: dict = field(default_factory=dict)  # raw design outputs (for design.npz)

    def factor_name(self, fid: str, kind: str, lang: str) -> str:
        """Readable name of a tornado factor (``lever:<id>`` or an uncertain parameter's path)."""
        sc = self.ls.scenario
        if kind == "lever":
            return lever_label(find(sc, fid.removeprefix("lever:")), lang)
        return param_label(sc, fid, lang)


def sobol_rows(design: Design, levers: list[Lever]) -> list[tuple[int, np.ndarray, tuple[float, ...]]]:
    """Evaluation rows for A, B and every AB_g, in that order: (replication, uniforms of the
    paths, lever values)."""
    n, P = design.n, len(design.paths)

    def rows_of(M: np.ndarray, reps: np.ndarray) -> list[tuple[int, np.ndarray, tuple[float, ...]]]:
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


def by_setting(rows: list[tuple]) -> np.ndarray:
    """An evaluation order of design rows that keeps the rows of one lever setting together (stable,
    settings in order of first appearance). A row's outputs depend only on its own setting,
    replication and overrides, so the order changes no number; it lets a worker build each
    scenario variant once for all the rows that share it (A's lever values recur in every
    uncertainty factor's and the noise factor's rows)."""
    first: dict[tuple, int] = {}
    return np.argsort([first.setdefault(lev, len(first)) for _, _, lev in rows], kind="stable")


def run_sensitivity(
    ls: LoadedScenario,
    n: int,
    seed: int,
    by: str = "group",
    tornado_reps: int = 100,
    top: int = 10,
    executor=None,
    progress: bool | None = None,
    n_resamples: int = 999,
) -> Sensitivity:
    sc = ls.scenario
    executor = executor or LocalExecutor()
    targets = list(target_specs(sc))
    cells = target_cells(ls, targets)
    levers = ranged(sc)
    paths = varied_paths(sc)
    facs = make_factors(paths, levers, by)
    A, B = saltelli_matrices(n, len(paths) + len(levers), seed)
    design = Design(n, paths, levers, facs, A, B)
    rows = sobol_rows(design, levers)
    lever_ids = tuple(lv.id for lv in levers)

    # tornado rows are known once screening is done; count them for the bar up front. Every
    # base-year figure is in the tornado (what entering it is worth), plus the top other parameters.
    figures = [p for p in paths if p.startswith(BASE_YEAR)]
    n_torn = (len(levers) + top + len(figures)) * 2 * tornado_reps + tornado_reps
    with Bar(len(rows) + n_torn, progress) as bar:
        order = by_setting(rows)
        Y = np.empty((len(rows), len(cells)))
        Y[order] = evaluate_design(ls, seed, lever_ids, cells, [rows[i] for i in order], executor, bar, paths)
        k = len(facs)
        f_A, f_B = Y[:n], Y[n : 2 * n]
        f_AB = Y[2 * n :].reshape(k, n, len(targets))
        sobol = _sobol_table(sc, targets, facs, levers, f_A, f_B, f_AB, n_resamples, seed)
        screening = screen_parameters(targets, paths, np.vstack([A, B])[:, : len(paths)], np.vstack([f_A, f_B]))
        others = screening[~screening["parameter"].str.startswith(BASE_YEAR)]
        tornado = _tornado(
            ls, seed, targets, cells, levers, top_parameters(others, top) + figures, tornado_reps, executor, bar
        )
    return Sensitivity(
        ls,
        seed,
        n,
        by,
        design,
        targets,
        sobol,
        tornado,
        screening,
        tornado_reps,
        len(rows) + n_torn,
        {"f_A": f_A, "f_B": f_B, "f_AB": f_AB},
    )


def _sobol_table(sc, targets, facs, levers, f_A, f_B, f_AB, n_resamples, seed: int) -> pd.DataFrame:
    frames = []
    for output in ("value", "hit"):
        if output == "hit":
            conv = [lambda v, t=t: hits_of(v, t.op, t.threshold).astype(float) for t in targets]
            tA = np.column_stack([c(f_A[:, i]) for i, c in enumerate(conv)])
            tB = np.column_stack([c(f_B[:, i]) for i, c in enumerate(conv)])
            tAB = np.stack(
                [np.column_stack([c(f_AB[g, :, i]) for i, c in enumerate(conv)]) for g in range(f_AB.shape[0])]
            )
        else:
            tA, tB, tAB = f_A, f_B, f_AB
        r = sobol_from_outputs(tA, tB, tAB, n_resamples=n_resamples, seed=seed)
        for i, t in enumerate(targets):
            for g, f in enumerate(facs):
                frames.append(
                    dict(
                        **t.columns(),
                        output=output,
                        factor=f.id,
                        kind=f.kind,
                        label_en=_label(sc, f, levers, "en"),
                        label_zh=_label(sc, f, levers, "zh"),
                        n_parameters=len(f.columns) if f.kind == "uncertainty" else (1 if f.kind == "lever" else 0),
                        S1=r["S1"][i, g],
                        S1_low=r["S1_low"][i, g],
                        S1_high=r["S1_high"][i, g],
                        ST=r["ST"][i, g],
                        ST_low=r["ST_low"][i, g],
                        ST_high=r["ST_high"][i, g],
                        output_sd=float(np.std(np.concatenate([tA[:, i], tB[:, i]]))),
                        **{key: r[key][i, g] for key in RANK_KEYS},
                    )
                )
    table = pd.DataFrame(frames)
    return table.astype({"ST_rank": "Int64", "ST_next_resolved": "boolean", "ST_rank_resolved": "boolean"})


def _label(sc, f: Factor, levers, lang):
    if f.kind == "lever":
        lv = next(lv for lv in levers if f"lever:{lv.id}" == f.id)
        return lever_label(lv, lang)
    if f.kind == "noise":
        return group_label(sc, NOISE, lang)
    if "." in f.id and f.id != group_of(f.id):  # a single parameter (by="parameter")
        return param_label(sc, f.id, lang)
    return group_label(sc, f.id, lang)


def _tornado(ls, seed, targets, cells, levers, params, M, executor, bar) -> pd.DataFrame:
    sc = ls.scenario
    start = sc.run.start
    lever_ids = tuple(lv.id for lv in levers)
    base_lev = tuple(lv.baseline for lv in levers)
    specs: list[tuple[str, str, str, dict[str, float] | None, tuple[float, ...]]] = [("base", "", "", None, base_lev)]
    for lv in levers:
        for side, v in (("low", lv.range[0]), ("high", lv.range[1])):
            lev = tuple(v if o.id == lv.id else o.baseline for o in levers)
            specs.append((f"lever:{lv.id}", side, display(lv, v, start), None, lev))
    for p in params:
        dist = dict(uncertain_paths(sc))[p]
        for side, u in (("low", TORNADO_LOW), ("high", TORNADO_HIGH)):
            v = float(dist.ppf(u))
            specs.append((p, side, f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}", {p: u}, base_lev))
    rows = [(r, ov, lev) for (_, _, _, ov, lev) in specs for r in range(M)]
    Y = evaluate_design(ls, seed, lever_ids, cells, rows, executor, bar)
    out = []
    for s_i, (fid, side, setting, _, _) in enumerate(specs):
        block = Y[s_i * M : (s_i + 1) * M]
        for i, t in enumerate(targets):
            h = hits_of(block[:, i], t.op, t.threshold)
            lo, hi = proportion_ci(int(h.sum()), M)
            kind = "base" if fid == "base" else ("lever" if fid.startswith("lever:") else "uncertainty")
            out.append(
                dict(
                    **t.columns(),
                    factor=fid,
                    kind=kind,
                    side=side,
                    setting=setting,
                    n_reps=M,
                    p_hit=h.mean(),
                    ci_low=lo,
                    ci_high=hi,
                    median=float(np.median(block[:, i])),
                    mean=float(block[:, i].mean()),
                )
            )
    return pd.DataFrame(out)


def default_out(ls: LoadedScenario, seed: int, n: int, by: str) -> Path:
    return Path("results") / (
        f"sensitivity__{ls.scenario.scenario.name}__seed{seed}__n{n}" + ("" if by == "group" else f"__by{by}")
    )
