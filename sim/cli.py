"""Command line: ``python run_sim.py run|validate SCENARIO ...``.

``main(argv) -> int``. Problems the user can fix (bad scenario, bad override, bad option)
print one message and return 2, without a traceback.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from sim.cli_types import month_or_latest, open_interval, positive_int
from sim.cli_types import seed as seed_type
from sim.data.observations import describe as describe_observations
from sim.errors import MachineError, UserError
from sim.scenario import ScenarioError, load_scenario


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
    r.add_argument("--reps", type=positive_int, help="replications (default: the scenario's run.replications)")
    r.add_argument("--seed", type=seed_type, help="root seed (default: the scenario's run.seed)")
    r.add_argument("--workers", type=positive_int, help="worker processes (default: all cores)")
    r.add_argument("--out", help="results folder (default: results/<scenario>__seed<S>__n<N>)")
    r.add_argument("--precision", type=open_interval(0, 0.5), metavar="HALF_WIDTH",
                   help="add batches of replications until every active target's 95%% interval half-width "
                        "is at most this (e.g. 0.01); --reps then sets the batch size")
    r.add_argument("--max-reps", type=positive_int, help="upper limit for --precision (default 100000)")
    r.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local processes (default) or a Dask distributed cluster")
    r.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://host:8786")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar and a shorter report")
    r.add_argument("--as-of", type=month_or_latest, metavar="YYYY-MM",
                   help="nowcast: fix the observed months up to this one (or 'latest') and continue from them; "
                        "same as --set observations.as_of=YYYY-MM (docs/data.md)")

    r.add_argument("--no-report", action="store_true",
                   help="skip the meeting pack (HTML, PDF, Excel, charts in zh and en) under <results>/report/")

    v = sub.add_parser("validate", help="check a scenario file and print what it contains")
    scenario_args(v)
    from sim.report.cli import add_report_parser
    add_report_parser(sub)
    from sim.experiment.cli_data import add_data_parsers
    add_data_parsers(sub)
    from sim.experiment.cli_levers import add_lever_parsers
    add_lever_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "run":
            return _run(args)
        if args.command == "report":
            from sim.report.cli import report_main
            return report_main(args)
        from sim.experiment.cli_data import data_main
        code = data_main(args)
        if code is not None:
            return code
        from sim.experiment.cli_levers import lever_main
        code = lever_main(args)
        if code is not None:
            return code
    except ScenarioError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except (UserError, MachineError) as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:                 # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")
        return 0
    except KeyboardInterrupt:
        print("interrupted; files already written are complete", file=sys.stderr)
        return 130
    return 1


def _validate(args) -> int:
    from sim.scenario.params import uncertain_paths
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    n_unc = sum(1 for _, d in uncertain_paths(sc) if getattr(d, "dist", "fixed") != "fixed")
    print(f"{ls.path}: valid scenario {sc.scenario.name!r} ({sc.scenario.zone})")
    print(f"  years {sc.run.years}, {sc.run.replications} replications by default, seed {sc.run.seed}")
    print(f"  {len(sc.constants.sectors)} sectors, {len(sc.constants.projects)} projects, "
          f"{len(sc.constants.milestones)} milestones, {n_unc} uncertain parameters, "
          f"{len(sc.targets)} targets ({sum(t.active for t in sc.targets.values())} active)")
    if sc.observations is not None:
        print(f"  {describe_observations(sc.observations)}")
    for w in _warnings(sc):
        print(f"  warning: {w}")
    return 0


def _run(args) -> int:
    from sim import store
    from sim.experiment import runner
    from sim.experiment.executors import DaskExecutor, LocalExecutor

    if args.as_of:
        args.overrides = [*args.overrides, f'observations.as_of="{args.as_of}"']
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    seed = sc.run.seed if args.seed is None else args.seed
    if args.precision is not None:
        max_reps = args.max_reps or 100_000
        rule = runner.StoppingRule(args.precision, max_reps, runner.batch_size(args.reps))
        default = f"{sc.scenario.name}__seed{seed}__prec{args.precision:g}_max{max_reps}"
    else:
        if args.max_reps:
            print("error: --max-reps only applies with --precision", file=sys.stderr)
            return 2
        reps = args.reps or sc.run.replications
        default = f"{sc.scenario.name}__seed{seed}__n{reps}"
    if sc.observations is not None and sc.observations.as_of:
        default += f"__asof{sc.observations.as_of_month()}"
    out = Path(args.out) if args.out else Path("results") / default
    if args.executor == "dask":
        if not args.scheduler:
            print("error: --executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)", file=sys.stderr)
            return 2
        executor = DaskExecutor(args.scheduler)
        where = f"Dask cluster {args.scheduler}"
    else:
        executor = LocalExecutor(args.workers)
        where = f"{executor.workers} local worker(s)"
    lay = runner.layout(sc)
    try:
        chunks = store.ChunkStore(out, {"scenario_sha256": ls.sha256, "seed": seed, "chunk_size": runner.CHUNK_SIZE,
                                        "indicators": lay.names, "monthly": lay.monthly_names})
    except store.StoreMismatch as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    how = (f"until every interval is within ±{args.precision:g} (at most {rule.max_reps} replications)"
           if args.precision is not None else f"{reps} replications")
    if not args.quiet:
        print(f"{sc.scenario.zone} / {sc.scenario.name}: {how}, seed {seed}, {where} -> {out}", file=sys.stderr)
    progress = False if args.quiet else None
    stopping = None
    try:
        if args.precision is not None:
            ind, met = runner.run_until_precise(
                sc, seed, rule, lambda i: _max_half_width(sc, i), progress=progress, executor=executor, store=chunks)
            reps = len(ind.reps)
            stopping = rule.describe(reps, met)
        else:
            ind = runner.run_experiment(sc, reps, seed, progress=progress, executor=executor, store=chunks)
    except runner.ReplicationError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        if hasattr(executor, "close"):
            executor.close()
    if chunks.redone:
        print(f"note: {len(chunks.redone)} partial or corrupted chunk(s) were recomputed", file=sys.stderr)
    _write_outputs(ls, ind, seed, out, chunks, runner.chunk_ranges(reps), stopping)
    del ind          # the pack reads the saved files; its worker processes must not inherit the arrays
    gc.collect()
    if not args.no_report:
        from sim.report.pack import build_pack
        if not args.quiet:
            print("building the meeting pack (zh, en) ...", file=sys.stderr)
        build_pack([out], langs=("zh", "en"), workers=1 if args.executor == "dask" else None)
    summary = store.read_csv(out / "summary.csv")
    _print_summary(summary, _warnings(sc), reps, out, args.quiet, stopping, pack=not args.no_report)
    return 0


def _warnings(sc) -> list[str]:
    from sim.report.plan_warnings import english
    return english(sc)


def _max_half_width(sc, ind) -> float:
    from sim.analysis.targets import summarise, target_specs
    s = summarise(ind.column, [t for t in target_specs(sc) if t.active], ind.years)
    return float(((s["ci_high"] - s["ci_low"]) / 2).max())


def _write_outputs(ls, ind, seed, out, chunks, ranges, stopping) -> None:
    """Every output file of a run, each written atomically; charts last."""
    import tomli_w

    from sim import store
    from sim.analysis.monthly import fan_table, time_to_target
    from sim.analysis.targets import summarise, target_specs
    from sim.report import charts

    sc = ls.scenario
    targets = target_specs(sc)
    summary = summarise(ind.column, targets, ind.years)
    store.write_indicators_csv(out / "indicators.csv", chunks, ranges, ind.years, ind.names)
    store.atomic_write_csv(out / "summary.csv", summary)
    store.atomic_write_csv(out / "monthly.csv", fan_table(ind.series, ind.monthly_names, sc.run.start))
    store.atomic_write_csv(out / "time_to_target.csv",
                           time_to_target(ind.series, ind.monthly_names, targets, sc.run.start))
    if sc.ranking is not None:
        from sim.analysis.ranking import peers_table, ranking_table
        store.atomic_write_csv(out / "peers.csv", peers_table(ind.column, ind.names, ind.years))
        store.atomic_write_csv(out / "ranking.csv", ranking_table(ind.column, sc.ranking, ind.years))
    man = store.manifest(scenario_name=sc.scenario.name, scenario_file=str(ls.path), sha256=ls.sha256,
                         seed=seed, reps=len(ind.reps), resolved=ls.resolved, warnings=_warnings(sc),
                         extra={"stopping_rule": stopping} if stopping else None)
    store.write_json(out / "manifest.json", man)
    store.atomic_write_text(out / "scenario.resolved.toml",
                            f"# {sc.scenario.name}: fully resolved (extends and --set applied)\n"
                            + tomli_w.dumps(ls.resolved))
    for lang in ("zh", "en"):
        zone = sc.scenario.zone_zh if lang == "zh" else sc.scenario.zone
        fig = charts.probability_chart(summary, sc, lang, zone=zone, scenario_name=sc.scenario.name,
                                       seed=seed, run_date=man["run_date"])
        charts.save(fig, out / "charts" / f"p_targets_{lang}.png")


def _print_summary(summary, warnings, reps, out, quiet, stopping=None, pack=True) -> None:
    import numpy as np
    if not quiet:
        print(f"\n{'target':38s} {'P(hit)':>7s}  {'95% interval':>15s}")
        for _, r in summary.iterrows():
            flag = "" if r["active"] else "  (inactive alternative)"
            print(f"{r['target_id']:38s} {r['p_hit']:7.1%}  [{r['ci_low']:6.1%}, {r['ci_high']:6.1%}]{flag}")
        for w in warnings:
            print(f"warning: {w}")
    half = float(np.max((summary["ci_high"] - summary["ci_low"]) / 2))
    if stopping:
        print(f"\n{stopping}")
    print(f"\n{reps} replications: widest 95% interval is ±{half:.1%}. For about ±1 percentage point use "
          f"--reps 10000 or --precision 0.01 (the half-width shrinks as 1/sqrt(reps)).")
    pack_note = "; meeting pack in report/" if pack else ""
    print(f"results: {out}/ (summary.csv, indicators.csv, manifest.json, charts/{pack_note})")
