"""``sweep SCENARIO --lever ID=VALUES [--lever ...]``: P(hit) of every target over a grid of one or two levers."""

from __future__ import annotations

import argparse
import sys
import time

from sim.cli import options
from sim.cli.console import done
from sim.cli.types import open_interval
from sim.errors import UserError
from sim.experiment import sweep as sw
from sim.experiment.levers import Lever, find, parse_grid
from sim.report.studies.console import format_reach
from sim.report.studies.study_outputs import write_sweep
from sim.scenario import load_scenario


def _lever_spec(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected ID=v1,v2,... or ID=lo:hi:step, got {text!r}")
    k, v = text.split("=", 1)
    if not k.strip() or not v.strip():
        raise argparse.ArgumentTypeError(f"expected ID=v1,v2,... or ID=lo:hi:step, got {text!r}")
    return k.strip(), v.strip()


def add_parser(sub) -> None:
    s = sub.add_parser("sweep", help="P(hit) of every target over a grid of one or two levers")
    options.add_scenario(s, help="scenario TOML file")
    s.add_argument(
        "--lever",
        action="append",
        type=_lever_spec,
        required=True,
        metavar="ID=VALUES",
        help="lever and values: ID=v1,v2,... or ID=lo:hi:step (months as YYYY-MM, step in months); "
        "give --lever twice for a two-lever grid. IDs: run `levers`",
    )
    s.add_argument(
        "--target-prob",
        type=open_interval(0, 1, "a probability"),
        default=0.8,
        help="probability level to reach (default 0.8)",
    )
    options.add_targets(s, "comma-separated target ids to chart (default: the most responsive)")
    options.add_reps(s, "replications per grid point (default: the scenario's run.replications)")
    options.add_replication_options(s)
    s.set_defaults(func=sweep)


def sweep(args) -> int:
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    if len(args.lever) > 2:
        raise UserError("--lever: at most two levers (a grid of one or two levers)")
    levers: list[Lever] = []
    grids: list[list[float]] = []
    for lid, spec in args.lever:
        lv = find(sc, lid)
        if lv.id in [x.id for x in levers]:
            raise UserError(f"--lever {lid}: given twice")
        levers.append(lv)
        grids.append(parse_grid(lv, spec, sc.run.start))
    targets = options.targets_of(args, ls)
    reps = options.reps_of(args, sc)
    seed = options.seed_of(args, sc)
    out = options.out_or(args, sw.default_out(ls, levers, grids, seed, reps))
    n_pts = 1
    for g in grids:
        n_pts *= len(g)
    with options.executor(args) as (ex, where):
        if not args.quiet:
            print(
                f"{sc.scenario.zone} / {sc.scenario.name}: sweep of {' x '.join(lv.id for lv in levers)} "
                f"({n_pts} points x {reps} replications, seed {seed}, {where}) -> {out}",
                file=sys.stderr,
            )
        t0 = time.time()
        s = sw.sweep(ls, levers, grids, reps, seed, args.target_prob, ex, progress=options.progress(args))
    charts = write_sweep(s, out, targets)
    print(format_reach(s))
    done(out, charts, t0)
    return 0
