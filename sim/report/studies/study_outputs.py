"""Results folders of the studies: one writer per study (its CSV tables, manifest and charts).

Each writer takes the study's result object (``compare``, ``sweep``, ``sensitivity``,
``discover``, ``calibrate``, ``backtest``; see the modules of :mod:`sim.experiment`) and the
folder, and writes through :mod:`sim.store` and the chart modules; the lever studies' writers
return the chart files written.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from sim import store
from sim.analysis.tornado import TORNADO_HIGH, TORNADO_LOW, base_year_worth, headline_targets, lever_ranking
from sim.experiment.levers import display
from sim.report.charts.base import save
from sim.report.studies.chart_style import meta_text, save_png
from sim.report.studies.charts_data import backtest_chart, fit_chart, observed_units
from sim.report.studies.charts_discover import discover_chart
from sim.report.studies.charts_levers import (
    difference_chart,
    response_chart,
    responsive_targets,
    sobol_chart,
    tornado_chart,
)
from sim.report.texts.plan_warnings import english


def _manifest(out: Path, ls, seed: int, reps: int, extra: dict) -> dict:
    """Write ``manifest.json`` of a one-scenario study (no plan warnings) and return it."""
    man = store.manifest(
        scenario_name=ls.scenario.scenario.name,
        scenario_file=str(ls.path),
        sha256=ls.sha256,
        seed=seed,
        reps=reps,
        resolved=ls.resolved,
        warnings=[],
        extra=extra,
    )
    store.write_json(out / "manifest.json", man)
    return man


def _lever_ranges(levers, start: str) -> dict:
    """Each lever's declared range, as the manifest states it."""
    return {lv.id: [display(lv, lv.range[0], start), display(lv, lv.range[1], start)] for lv in levers}


def write_compare(c, out: Path, langs=("en", "zh")) -> list[Path]:
    store.atomic_write_csv(out / "compare.csv", c.table)
    store.atomic_write_csv(out / "summary.csv", c.summaries)
    store.atomic_write_csv(out / "target_values.csv", c.values)
    ref = c.loaded[0]
    man = store.manifest(
        scenario_name=" vs ".join(c.names),
        scenario_file=str(ref.path),
        sha256=ref.sha256,
        seed=c.seeds[0],
        reps=c.reps,
        resolved=ref.resolved,
        warnings=english(ref.scenario),
        extra={
            "experiment": "compare",
            "reference": c.names[0],
            "paired_by_replication": c.paired,
            "seeds": c.seeds,
            "difference_interval": (
                "Newcombe hybrid score interval for paired proportions (1998, method 10), 95%"
                if c.paired
                else "Newcombe hybrid score interval, independent samples, 95%"
            ),
            "scenarios": [
                {"name": n, "file": str(ls.path), "sha256": ls.sha256, "seed": s, "resolved": ls.resolved}
                for n, ls, s in zip(c.names, c.loaded, c.seeds, strict=True)
            ],
        },
    )
    store.write_json(out / "manifest.json", man)
    written: list[Path] = []
    for lang in langs:
        seed_txt = c.seeds[0] if c.paired else f"{c.seeds[0]}–{c.seeds[-1]}"
        fig = difference_chart(
            c.table,
            ref.scenario,
            lang,
            meta_text(ref.scenario, c.names, c.reps, seed_txt, man["run_date"], lang, paired=c.paired),
        )
        p = out / "charts" / f"differences_{lang}.png"
        save_png(fig, p)
        written.append(p)
    return written


def write_sweep(s, out: Path, targets: list[str] | None = None, langs=("en", "zh")) -> list[Path]:
    store.atomic_write_csv(out / "sweep.csv", s.table)
    store.atomic_write_csv(out / "reach.csv", s.reach)
    store.atomic_write_csv(out / "points.csv", s.points)
    store.atomic_write_csv(out / "target_values.csv", s.values)
    start = s.base.scenario.run.start
    man = _manifest(
        out,
        s.base,
        s.seed,
        s.reps,
        {
            "experiment": "sweep",
            "target_probability": s.level,
            "levers": {lv.id: [display(lv, v, start) for v in g] for lv, g in zip(s.levers, s.grids, strict=True)},
            "points": len(s.points),
            "replications_per_point": s.reps,
            "common_random_numbers": "every point uses the same seed and replications 0..N-1",
        },
    )
    targets = targets or responsive_targets(s.table)
    written: list[Path] = []
    if not targets:
        return written
    for lang in langs:
        fig = response_chart(
            s.table,
            s.reach,
            s.levers,
            targets,
            s.level,
            s.base.scenario,
            lang,
            meta_text(
                s.base.scenario,
                [s.base.scenario.scenario.name],
                s.reps,
                s.seed,
                man["run_date"],
                lang,
                paired=True,
                runs=(
                    f"{len(s.points)} 个网格点，每点 {s.reps} 次重复"
                    if lang == "zh"
                    else f"{len(s.points)} grid points x {s.reps} replications"
                ),
            ),
        )
        p = out / "charts" / f"response_{lang}.png"
        save_png(fig, p)
        written.append(p)
    return written


def write_sensitivity(res, out: Path, targets: list[str] | None = None, langs=("en", "zh")) -> list[Path]:
    sc = res.ls.scenario
    store.atomic_write_csv(out / "sobol.csv", res.sobol)
    store.atomic_write_csv(out / "tornado.csv", res.tornado)
    store.atomic_write_csv(out / "screening.csv", res.screening)
    store.atomic_write_csv(out / "levers.csv", lever_ranking(res))
    worth = base_year_worth(res)
    worth.insert(1, "label_en", [res.factor_name(f, "uncertainty", "en") for f in worth["figure"]])
    worth.insert(2, "label_zh", [res.factor_name(f, "uncertainty", "zh") for f in worth["figure"]])
    store.atomic_write_csv(out / "base_year_worth.csv", worth)
    d = res.design
    fac = pd.DataFrame(
        [
            dict(
                factor=f.id,
                kind=f.kind,
                n_columns=len(f.columns),
                parameters=";".join(
                    d.paths[c] if c < len(d.paths) else f"lever:{d.levers[c - len(d.paths)].id}" for c in f.columns
                ),
            )
            for f in d.factors
        ]
    )
    store.atomic_write_csv(out / "factors.csv", fac)
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        A=d.A,
        B=d.B,
        paths=np.array(d.paths),
        levers=np.array([lv.id for lv in d.levers]),
        targets=np.array([t.target_id for t in res.targets]),
        **res.outputs,
    )
    store.atomic_write_bytes(out / "design.npz", buf.getvalue())
    man = _manifest(
        out,
        res.ls,
        res.seed,
        res.evaluations,
        {
            "experiment": "sensitivity",
            "sobol_base_sample": res.n,
            "factors": len(d.factors),
            "factor_grouping": res.by,
            "sobol_evaluations": res.n * (len(d.factors) + 2),
            "tornado_replications_per_setting": res.tornado_reps,
            "sobol_method": "Saltelli 2010 first order, Jansen total order (scipy.stats.sobol_indices); "
            "95% BCa bootstrap intervals",
            "rank_order": "factors ranked by ST per target and output (ST_rank); adjacent ranks separated when the 95% "
            "percentile interval of the difference of their ST over the same bootstrap resamples lies "
            "above 0 (ST_next_resolved), a rank resolved when separated from both neighbours "
            "(ST_rank_resolved); ST_rank_share: share of resamples giving the factor its rank. "
            "Simulation precision of the estimates at this base sample, not uncertainty about the zone",
            "design": "scrambled Sobol A and B matrices; process noise = stream index (A: j, B: n + j)",
            "tornado": f"levers at their declared range ends; uncertain parameters at their "
            f"{TORNADO_LOW:.0%}/{TORNADO_HIGH:.0%} quantiles; others as drawn (common random numbers)",
            "lever_ranges": _lever_ranges(d.levers, sc.run.start),
        },
    )
    heads = targets or headline_targets(res)
    written: list[Path] = []
    for lang in langs:
        k = len(res.design.factors)
        runs = (
            f"Sobol 基样本 n={res.n}（{res.n * (k + 2)} 次运行，{k} 个因子）；龙卷风图每设定 {res.tornado_reps} 次重复"
            if lang == "zh"
            else f"Sobol base sample n={res.n} ({res.n * (k + 2)} runs, {k} factors); "
            f"tornado {res.tornado_reps} replications per setting"
        )
        meta = meta_text(sc, [sc.scenario.name], None, res.seed, man["run_date"], lang, runs=runs)
        if heads:
            p = out / "charts" / f"sobol_{lang}.png"
            save_png(sobol_chart(res.sobol, heads, sc, lang, meta), p)
            written.append(p)
            p = out / "charts" / f"tornado_{lang}.png"
            save_png(tornado_chart(res.tornado, heads, sc, lang, meta, name_of=res.factor_name), p)
            written.append(p)
    return written


def write_discover(d, out: Path, langs=("en", "zh")) -> list[Path]:
    sc = d.ls.scenario
    store.atomic_write_csv(out / "experiments.csv", d.experiments)
    store.atomic_write_csv(out / "rules.csv", d.rules)
    store.atomic_write_csv(out / "conditions.csv", d.conditions)
    store.atomic_write_csv(out / "trajectory.csv", d.trajectory)
    store.atomic_write_text(out / "rules.txt", "\n".join(d.texts) + "\n")
    man = _manifest(
        out,
        d.ls,
        d.seed,
        d.reps,
        {
            "experiment": "discover",
            "target": d.target_id,
            "levers_varied": _lever_ranges(d.levers, sc.run.start),
            "method": "PRIM peeling (alpha 0.05, min mass 0.05), box chosen by F1 of density and coverage, "
            "restrictions pruned to at most 3; fitted on replications with rep % 3 != 0, "
            "checked on rep % 3 == 0",
            "rules": d.texts,
        },
    )
    written: list[Path] = []
    if d.rules.empty:
        return written
    for lang in langs:
        meta = meta_text(sc, [sc.scenario.name], d.reps, d.seed, man["run_date"], lang)
        p = out / "charts" / f"discover_{lang}.png"
        save_png(discover_chart(d, lang, meta), p)
        written.append(p)
    return written


def write_calibration(res) -> None:
    """``res``: a calibrate result; its folder ``res.out`` gets the tables, the fit charts and the
    manifest (the calibrated scenario file is written before its check runs)."""
    sc, out = res.ls.scenario, res.out
    store.atomic_write_csv(out / "parameters.csv", res.params.drop(columns=["_fitted"]))
    store.atomic_write_csv(out / "posterior.csv", res.posterior)
    store.atomic_write_csv(out / "correlations.csv", res.correlations)
    store.atomic_write_csv(out / "rounds.csv", pd.DataFrame(res.calibration.rounds))
    store.atomic_write_csv(out / "fit.csv", res.fit)
    for lang in ("zh", "en"):
        title = {
            "zh": f"{sc.scenario.zone_zh}：观测值与模型月度区间（原情景 / 校准后）",
            "en": f"{sc.scenario.zone}: observed months vs monthly model intervals (original / calibrated)",
        }[lang]
        save(fit_chart(res.fit, lang, title, sc, observed_units(res.observed)), out / "charts" / f"fit_{lang}.png")
    _manifest(out, res.ls, res.seed, res.calibration.total_sims, {"calibration": res.info})


def write_backtest(res) -> None:
    """``res``: a backtest result; its folder ``res.out`` gets the score tables, the charts and the manifest."""
    sc, out, cutoffs = res.ls.scenario, res.out, res.cutoffs
    store.atomic_write_csv(out / "backtest.csv", res.points)
    store.atomic_write_csv(out / "coverage.csv", res.coverage)
    store.atomic_write_csv(out / "pit_histogram.csv", res.pit)
    store.atomic_write_csv(out / "scores.csv", res.scores)
    store.atomic_write_csv(out / "targets.csv", res.targets)
    for lang in ("zh", "en"):
        title = {
            "zh": f"{sc.scenario.zone_zh}：回测（截止月 {', '.join(cutoffs)}；{res.reps} 次重复）",
            "en": f"{sc.scenario.zone}: backtest (cut-offs {', '.join(cutoffs)}; {res.reps} replications)",
        }[lang]
        save(
            backtest_chart(res.pit, res.coverage, res.scores, lang, title, sc), out / "charts" / f"backtest_{lang}.png"
        )
    _manifest(out, res.ls, res.seed, res.reps, {"backtest": res.info})
