"""Command line: ``python run_sim.py run|validate SCENARIO ...``.

``main(argv) -> int``. Problems the user can fix (bad scenario, bad override, bad option)
print one message and return 2, without a traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sim.scenario import ScenarioError, load_scenario


def _positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if v <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {v}")
    return v


def _seed(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {v}")
    return v


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="run_sim.py", description=(
        "Monte Carlo model of a comprehensive bonded zone: probability of hitting each plan target."))
    sub = p.add_subparsers(dest="command", required=True)

    def scenario_args(sp):
        sp.add_argument("scenario", help="scenario TOML file, e.g. scenarios/baseline.toml")
        sp.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE",
                        help="override one scenario value (repeatable), e.g. --set levers.promotion_events_per_year=4")

    r = sub.add_parser("run", help="run replications and write a results folder")
    scenario_args(r)
    r.add_argument("--reps", type=_positive_int, help="replications (default: the scenario's run.replications)")
    r.add_argument("--seed", type=_seed, help="root seed (default: the scenario's run.seed)")
    r.add_argument("--workers", type=_positive_int, help="worker processes (default: all cores)")
    r.add_argument("--out", help="results folder (default: results/<scenario>__seed<S>__n<N>)")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar and a shorter report")

    v = sub.add_parser("validate", help="check a scenario file and print what it contains")
    scenario_args(v)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "run":
            return _run(args)
    except ScenarioError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:                 # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")
        return 0
    except KeyboardInterrupt:
        print("interrupted; files already written are complete", file=sys.stderr)
        return 130
    return 1


def _validate(args) -> int:
    from sim.analysis.targets import plan_warnings, target_specs
    from sim.scenario.params import uncertain_paths
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    n_unc = sum(1 for _, d in uncertain_paths(sc) if getattr(d, "dist", "fixed") != "fixed")
    print(f"{ls.path}: valid scenario {sc.scenario.name!r} ({sc.scenario.zone})")
    print(f"  years {sc.run.years}, {sc.run.replications} replications by default, seed {sc.run.seed}")
    print(f"  {len(sc.constants.sectors)} sectors, {len(sc.constants.projects)} projects, "
          f"{len(sc.constants.milestones)} milestones, {n_unc} uncertain parameters, "
          f"{len(sc.targets)} targets ({sum(t.active for t in sc.targets.values())} active)")
    for w in plan_warnings(target_specs(sc), _alternatives(sc)):
        print(f"  warning: {w}")
    return 0


def _alternatives(sc) -> dict[str, str]:
    return {k: t.alternative_of for k, t in sc.targets.items() if t.alternative_of}


def _run(args) -> int:
    import datetime as dt

    import tomli_w

    from sim import store
    from sim.analysis.targets import plan_warnings, summarise, target_specs
    from sim.experiment.runner import ReplicationError, run_experiment
    from sim.report import charts

    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    reps = args.reps or sc.run.replications
    seed = sc.run.seed if args.seed is None else args.seed
    out = Path(args.out) if args.out else store.default_dir("results", sc.scenario.name, seed, reps)
    workers = args.workers or os.cpu_count() or 1
    if not args.quiet:
        print(f"{sc.scenario.zone} / {sc.scenario.name}: {reps} replications, seed {seed}, "
              f"{workers} worker(s) -> {out}", file=sys.stderr)
    try:
        ind = run_experiment(sc, reps, seed, workers=workers, progress=None if not args.quiet else False)
    except ReplicationError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1

    targets = target_specs(sc)
    summary = summarise(ind.column, targets, ind.years)
    warnings = plan_warnings(targets, _alternatives(sc))
    out.mkdir(parents=True, exist_ok=True)
    store.atomic_write_csv(out / "indicators.csv", store.indicators_long(ind.reps, ind.years, ind.names, ind.values))
    store.atomic_write_csv(out / "summary.csv", summary)
    man = store.manifest(scenario_name=sc.scenario.name, scenario_file=str(ls.path), sha256=ls.sha256,
                         seed=seed, reps=reps, resolved=ls.resolved, warnings=warnings)
    store.write_json(out / "manifest.json", man)
    store.atomic_write_text(out / "scenario.resolved.toml",
                            f"# {sc.scenario.name}: fully resolved (extends and --set applied)\n"
                            + tomli_w.dumps(ls.resolved))
    run_date = man["run_date"]
    for lang in ("zh", "en"):
        zone = sc.scenario.zone_zh if lang == "zh" else sc.scenario.zone
        fig = charts.probability_chart(summary, sc, lang, zone=zone, scenario_name=sc.scenario.name,
                                       seed=seed, run_date=run_date)
        charts.save(fig, out / "charts" / f"p_targets_{lang}.png")
    _print_summary(summary, warnings, reps, out, args.quiet)
    return 0


def _print_summary(summary, warnings, reps, out, quiet) -> None:
    import numpy as np
    if not quiet:
        print(f"\n{'target':38s} {'P(hit)':>7s}  {'95% interval':>15s}")
        for _, r in summary.iterrows():
            flag = "" if r["active"] else "  (inactive alternative)"
            print(f"{r['target_id']:38s} {r['p_hit']:7.1%}  [{r['ci_low']:6.1%}, {r['ci_high']:6.1%}]{flag}")
        for w in warnings:
            print(f"warning: {w}")
    half = float(np.max((summary["ci_high"] - summary["ci_low"]) / 2))
    print(f"\n{reps} replications: widest 95% interval is ±{half:.1%}. For about ±1 percentage point use "
          f"--reps 10000 (the half-width shrinks as 1/sqrt(reps)).")
    print(f"results: {out}/ (summary.csv, indicators.csv, manifest.json, charts/)")
