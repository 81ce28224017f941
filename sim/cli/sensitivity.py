"""``sensitivity SCENARIO``: Sobol indices and a tornado chart over uncertainties and ranged levers."""

from __future__ import annotations

import sys
import time

from sim.cli import options
from sim.cli.console import done
from sim.cli.types import positive_int
from sim.errors import UserError
from sim.experiment import sensitivity as se
from sim.experiment.levers import ranged
from sim.report.studies.console import format_sensitivity
from sim.report.studies.study_outputs import write_sensitivity
from sim.scenario import load_scenario


def add_parser(sub) -> None:
    e = sub.add_parser("sensitivity", help="Sobol indices and a tornado chart over uncertainties and ranged levers")
    options.add_scenario(e, help="scenario TOML file")
    e.add_argument(
        "--n",
        type=positive_int,
        default=256,
        help="Sobol base sample (default 256; a power of 2; cost n x (factors + 2) replications; "
        "a larger n narrows the intervals as 1/sqrt(n) and separates more ranks)",
    )
    e.add_argument(
        "--by",
        choices=("group", "parameter"),
        default="group",
        help="factors: groups of parameters (default) or every parameter alone (costly)",
    )
    e.add_argument(
        "--tornado-reps", type=positive_int, default=100, help="replications per tornado setting (default 100)"
    )
    e.add_argument(
        "--top",
        type=int,
        default=10,
        help="uncertain parameters in the tornado, chosen by rank correlation (default 10)",
    )
    options.add_targets(e, "comma-separated target ids to chart (default: the most uncertain four)")
    options.add_replication_options(e)
    e.set_defaults(func=sensitivity)


def sensitivity(args) -> int:
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    targets = options.targets_of(args, ls)
    if args.top < 0:
        raise UserError("--top: expected a whole number >= 0")
    seed = options.seed_of(args, sc)
    out = options.out_or(args, se.default_out(ls, seed, args.n, args.by))
    paths = se.varied_paths(sc)
    levers = ranged(sc)
    k = len(se.make_factors(paths, levers, args.by))
    n_sobol = args.n * (k + 2)
    n_torn = (len(levers) + args.top) * 2 * args.tornado_reps + args.tornado_reps
    if args.n & (args.n - 1):
        print(
            f"note: --n {args.n} is not a power of 2; the Sobol sequence is best balanced at 128, 256, 512...",
            file=sys.stderr,
        )
    with options.executor(args) as (ex, where):
        if not args.quiet:
            print(
                f"{sc.scenario.zone} / {sc.scenario.name}: {k} factors ({len(levers)} ranged levers, "
                f"{len(paths)} uncertain parameters{' in groups' if args.by == 'group' else ''}, process noise); "
                f"{n_sobol} Sobol + {n_torn} tornado replications, seed {seed}, {where} -> {out}",
                file=sys.stderr,
            )
        t0 = time.time()
        res = se.run_sensitivity(ls, args.n, seed, args.by, args.tornado_reps, args.top, ex, options.progress(args))
    charts = write_sensitivity(res, out, targets)
    print(format_sensitivity(res, targets))
    print(
        f"\nSobol intervals shrink as 1/sqrt(n): for intervals about half as wide, and more ranks separated, "
        f"use --n {4 * args.n} (about 4x the time); --tornado-reps {4 * args.tornado_reps} does the same for "
        f"the tornado."
    )
    done(out, charts, t0)
    return 0
