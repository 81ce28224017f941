"""``discover SCENARIO --target ID``: readable rules for the conditions under which a target is missed."""

from __future__ import annotations

import sys
import time

from sim.cli import options
from sim.cli.console import done
from sim.cli.types import positive_int
from sim.errors import UserError
from sim.experiment import discover as di
from sim.experiment.levers import ranged
from sim.report.studies.study_outputs import write_discover
from sim.scenario import load_scenario


def add_parser(sub) -> None:
    d = sub.add_parser("discover", help="readable rules for the conditions under which a target is missed")
    options.add_scenario(d, help="scenario TOML file")
    d.add_argument("--target", required=True, help="target id, e.g. trade_total_2023")
    d.add_argument(
        "--fixed-levers",
        action="store_true",
        help="keep levers at the scenario's values (default: draw ranged levers over their ranges)",
    )
    d.add_argument("--rules", type=positive_int, default=3, help="at most this many rules (default 3)")
    d.add_argument("--max-conditions", type=positive_int, default=3, help="conditions per rule (default 3)")
    options.add_reps(d, "replications (default 2000)", default=2000)
    options.add_replication_options(d)
    d.set_defaults(func=discover)


def discover(args) -> int:
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    if args.target not in sc.targets:
        raise UserError(f"--target {args.target}: not a target of {ls.path}; expected one of {', '.join(sc.targets)}")
    reps = args.reps
    seed = options.seed_of(args, sc)
    vary = not args.fixed_levers
    out = options.out_or(args, di.default_out(ls, args.target, seed, reps, vary))
    with options.executor(args) as (ex, where):
        if not args.quiet:
            lv = ranged(sc) if vary else []
            print(
                f"{sc.scenario.zone} / {sc.scenario.name}: {reps} replications, seed {seed}, "
                f"{len(lv)} lever(s) drawn over their ranges, {where} -> {out}",
                file=sys.stderr,
            )
        t0 = time.time()
        d = di.run_discover(
            ls,
            args.target,
            reps,
            seed,
            vary,
            ex,
            options.progress(args),
            n_rules=args.rules,
            max_dims=args.max_conditions,
        )
    charts = write_discover(d, out)
    print()
    print("\n".join(d.texts))
    done(out, charts, t0)
    return 0
