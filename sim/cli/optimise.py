"""``optimise SCENARIO --goal ID>=P [--goal ...] [--budget X]``: the cheapest package of levers
reaching every goal, searched on common random numbers and verified on fresh replications."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sim.cli import options
from sim.cli.console import done
from sim.cli.types import positive_int
from sim.cli.types import seed as seed_type
from sim.errors import UserError
from sim.experiment import optimise as opt
from sim.report.studies.goal_seek import summary_text, write_goal_seek
from sim.scenario import load_scenario


def add_parser(sub) -> None:
    o = sub.add_parser("optimise", help="goal seek: the cheapest package of levers reaching every goal's probability")
    options.add_scenario(o, help="scenario TOML file with [lever_ranges] and [lever_costs]")
    o.add_argument(
        "--goal",
        action="append",
        required=True,
        metavar="ID>=P",
        help="a target id (as `run` reports it) and the probability it must reach, e.g. "
        "trade_total_2023>=0.8; repeat for several goals",
    )
    o.add_argument("--budget", type=float, help="most a package may cost, 万元 (default: lever_costs.budget, if any)")
    o.add_argument("--levers", help="comma-separated lever ids to search (default: every lever with a range)")
    o.add_argument("--trials", type=positive_int, default=80, help="candidate packages tried (default 80)")
    options.add_reps(o, "replications per candidate in the search (default 200)", default=200)
    o.add_argument(
        "--verify-reps", type=positive_int, default=1000, help="fresh replications of the chosen package (default 1000)"
    )
    o.add_argument(
        "--verify-seed",
        type=seed_type,
        help="root seed of the verification (default: the search seed + 1; must differ from it)",
    )
    options.add_replication_options(o)
    o.set_defaults(func=optimise)


def optimise(args) -> int:
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    goals = [opt.parse_goal(t, ls) for t in args.goal]
    if args.budget is not None and not args.budget >= 0:
        raise UserError(f"--budget {args.budget:g}: expected an amount in 万元 >= 0")
    if len({g.target_id for g in goals}) < len(goals):
        raise UserError("--goal: a target is given twice")
    seed = options.seed_of(args, sc)
    verify_seed = seed + 1 if args.verify_seed is None else args.verify_seed
    ids = [t.strip() for t in args.levers.split(",") if t.strip()] if args.levers else None
    out = options.out_or(args, Path("results") / opt.default_out(ls, goals, seed, args.reps))
    with options.executor(args) as (ex, where):
        n = len(opt.dials(ls, ids))
        if not args.quiet:
            print(
                f"{sc.scenario.zone} / {sc.scenario.name}: goal seek over {n} levers, {args.trials} candidates x "
                f"{args.reps} replications (seed {seed}), verified on {args.verify_reps} (seed {verify_seed}), "
                f"{where} -> {out}",
                file=sys.stderr,
            )
        t0 = time.time()
        g = opt.optimise(
            ls,
            goals,
            args.reps,
            seed,
            args.trials,
            args.verify_reps,
            verify_seed,
            args.budget,
            ids,
            executor=ex,
            progress=options.progress(args),
            overrides=tuple(args.overrides),
        )
    charts = write_goal_seek(g, out)
    print(summary_text(g, "en"))
    print()
    print(summary_text(g, "zh"))
    print(f"\nrecommended scenario: {out / 'recommended.toml'}")
    done(out, charts, t0)
    return 0
