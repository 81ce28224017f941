"""``run SCENARIO``: run replications and write a results folder (and, unless told not to, the meeting pack).

A thin layer over the public API: ``sim.load_scenario``, ``sim.run`` into the folder's chunk store
(``sim.api.chunk_store``: a rerun resumes), ``Results.save``, then ``sim.api.meeting_pack``. It
imports them from their own modules, and the meeting pack (``meeting.py``) and a portfolio file's
run (``province.py``) by name only when it needs them: ``run --no-report`` loads neither the pack's
libraries nor the portfolio's."""

from __future__ import annotations

import gc
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from sim import cli, store
from sim.analysis.growth import band_applies
from sim.analysis.targets import widest_half_width
from sim.cli import options
from sim.cli.types import month_or_latest, open_interval, positive_int
from sim.errors import UserError
from sim.experiment import runner
from sim.portfolio.file import is_portfolio_file
from sim.report.texts.growth_words import band_note, growth_parts, need_per_year
from sim.report.texts.plan_warnings import english
from sim.results import Results, chunk_store
from sim.results.files import load_charts
from sim.results.run import run as run_scenario
from sim.scenario import load_scenario


def add_parser(sub) -> None:
    r = sub.add_parser("run", help="run replications and write a results folder")
    options.add_scenario(r)
    options.add_reps(r)
    options.add_replication_options(r, out_help="results folder (default: results/<scenario>__seed<S>__n<N>)")
    r.add_argument(
        "--precision",
        type=open_interval(0, 0.5),
        metavar="HALF_WIDTH",
        help="add batches of replications until every active target's 95%% interval half-width "
        "is at most this (e.g. 0.01); --reps then sets the batch size",
    )
    r.add_argument("--max-reps", type=positive_int, help="upper limit for --precision (default 100000)")
    r.add_argument(
        "--as-of",
        type=month_or_latest,
        metavar="YYYY-MM",
        help="nowcast: fix the observed months up to this one (or 'latest') and continue from them; "
        "same as --set observations.as_of=YYYY-MM (docs/data.md)",
    )
    r.add_argument(
        "--no-report",
        action="store_true",
        help="skip the meeting pack (HTML, PDF, Excel, charts in zh and en) under <results>/report/",
    )
    r.add_argument(
        "--goal-seek",
        metavar="DIR",
        help="show a goal seek in the meeting pack: the results folder of `optimise` (checked before the run starts)",
    )
    r.add_argument(
        "--previous",
        metavar="DIR",
        help="early warning in the meeting pack: the results folder of the "
        "previous as-of's run (with --as-of; checked before the run)",
    )
    r.set_defaults(func=run)


def run(args) -> int:
    if is_portfolio_file(args.scenario):
        return cli.load("province").run(args)
    what_if = list(args.overrides)
    if args.as_of:
        args.overrides = [*args.overrides, f'observations.as_of="{args.as_of}"']
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    if args.goal_seek:
        if args.no_report:
            raise UserError("--goal-seek shows a goal seek in the meeting pack; it cannot go with --no-report")
        cli.load("meeting").check_goal_seek(Path(args.goal_seek))
    if args.previous:
        if args.no_report:
            raise UserError("--previous adds the early warning to the meeting pack; it cannot go with --no-report")
        Results.load(Path(args.previous))
    seed = options.seed_of(args, sc)
    if args.precision is not None:
        max_reps = args.max_reps or runner.MAX_REPS
        reps = args.reps  # the batch size
        default = f"{sc.scenario.name}__seed{seed}__prec{args.precision:g}_max{max_reps}"
        how = f"until every interval is within ±{args.precision:g} (at most {max_reps} replications)"
    else:
        if args.max_reps:
            raise UserError("--max-reps only applies with --precision")
        reps = options.reps_of(args, sc)
        default = f"{sc.scenario.name}__seed{seed}__n{reps}"
        how = f"{reps} replications"
    if sc.observations is not None and sc.observations.as_of:
        default += f"__asof{sc.observations.as_of_month()}"
    if what_if:  # a what-if by --set gets its own folder, never the scenario's own
        default += "__set" + hashlib.sha256("\n".join(what_if).encode()).hexdigest()[:8]
    out = options.out_or(args, Path("results") / default)
    with options.executor(args, local="{n} local worker(s)", meanwhile=_after_the_run(args)) as (executor, where):
        chunks = chunk_store(ls, seed, out)  # each chunk saved as it finishes: a rerun resumes
        if not args.quiet:
            print(f"{sc.scenario.zone} / {sc.scenario.name}: {how}, seed {seed}, {where} -> {out}", file=sys.stderr)
        res = run_scenario(
            ls,
            reps,
            seed,
            executor=executor,
            progress=options.progress(args),
            chunks=chunks,
            precision=args.precision,
            max_reps=args.max_reps if args.precision is not None else None,
        )
    if chunks.redone:
        print(f"note: {len(chunks.redone)} partial or corrupted chunk(s) were recomputed", file=sys.stderr)
    res.save(out, charts=args.no_report)
    reps, stopping, run_date = res.reps, res.stopping, res.run_date
    del res
    if not args.no_report:
        gc.collect()  # the pack reads the saved files; its worker processes must not inherit the arrays
    summary = store.read_csv(out / "summary.csv")
    _print_summary(
        summary, english(sc), reps, out, args.quiet, stopping, pack=not args.no_report, base_year=sc.run.years[0] - 1
    )
    if not args.no_report:
        cli.load("meeting").build(out, sc, seed, summary, run_date, args)
    return 0


def _after_the_run(args) -> Callable[[], object]:
    """What this process loads while its workers compute: the libraries of what follows the run,
    the run's own charts or the meeting pack (which draws the charts itself)."""
    if args.no_report:
        return load_charts
    return lambda: cli.load("meeting")


def _growth_text(r, base_year: int) -> str:
    """ "from X in 2021 to Y: needs +Z%" for a target whose indicator has a base-year value."""
    base, g = r.get("base"), r.get("growth_needed")
    if base is None or not np.isfinite(base):
        return ""
    if not np.isfinite(g):
        return f"   from {_num(base)} in {base_year} (a new business) to {_num(r['threshold'])}"
    line = f"   from {_num(base)} in {base_year} to {_num(r['threshold'])}: needs {g:+.0%}"
    line += need_per_year(r, "en", base_year)
    return "; ".join([line, *growth_parts(r, "en")])


def _num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}" if abs(v) < 10 else f"{v:.4g}"


def _print_summary(summary, warnings, reps, out, quiet, stopping=None, pack=True, base_year: int = 0) -> None:
    if not quiet:
        print(f"\n{'target':38s} {'P(hit)':>7s}  {'95% precision':>15s}   {'start -> target: growth needed':s}")
        for _, r in summary.iterrows():
            flag = "" if r["active"] else "  (inactive alternative)"
            print(
                f"{r['target_id']:38s} {r['p_hit']:7.1%}  [{r['ci_low']:6.1%}, {r['ci_high']:6.1%}]"
                f"{_growth_text(r, base_year)}{flag}"
            )
        print(
            f"\n'95% precision' is the simulation-precision interval: how exactly {reps} replications pin each "
            f"probability down under the scenario's assumptions, not the uncertainty of the world, which is in "
            f"the spread of the replications (base_year.csv, indicators.csv) and in the assumptions themselves."
        )
        if summary["indicator"].map(band_applies).any():
            print(f"\n{band_note('en')}")
        for w in warnings:
            print(f"warning: {w}")
    half = widest_half_width(summary)
    if stopping:
        print(f"\n{stopping}")
    print(
        f"\n{reps} replications: widest 95% simulation-precision interval is ±{half:.1%}. For about ±1 percentage point use "
        f"--reps 10000 or --precision 0.01 (the half-width shrinks as 1/sqrt(reps))."
    )
    pack_note = "; meeting pack in report/" if pack else ""
    print(f"results: {out}/ (summary.csv, indicators.csv, manifest.json, charts/{pack_note})")
