"""``compare SCENARIO SCENARIO [...]``: scenarios on common random numbers (paired differences).

``--set`` applies to every scenario compared."""

from __future__ import annotations

import sys
import time

from sim.cli import options, province
from sim.cli.console import done
from sim.errors import UserError
from sim.experiment import compare as cmp
from sim.report.studies.console import format_comparison
from sim.report.studies.study_outputs import write_compare
from sim.scenario import load_scenario


def add_parser(sub) -> None:
    c = sub.add_parser("compare", help="compare scenarios on common random numbers (paired differences)")
    options.add_scenario(
        c, nargs="+", help="two or more scenario files; the first is the reference (--set applies to each)"
    )
    options.add_reps(c, "replications per scenario (default: the first scenario's run.replications)")
    options.add_replication_options(c)
    c.add_argument(
        "--independent",
        action="store_true",
        help="give each scenario its own seed and unpaired intervals (to see what common random numbers gain)",
    )
    c.set_defaults(func=compare)


def compare(args) -> int:
    if any(province.is_portfolio_file(p) for p in args.scenarios):
        return province.compare(args)
    if len(args.scenarios) < 2:
        raise UserError("compare needs at least two scenario files (the first is the reference)")
    loaded = [load_scenario(p, args.overrides) for p in args.scenarios]
    ref = loaded[0].scenario
    reps = options.reps_of(args, ref)
    seed = options.seed_of(args, ref)
    names = cmp.unique_names(loaded)
    out = options.out_or(args, cmp.default_out(names, seed, reps, args.independent))
    with options.executor(args) as (ex, where):
        if not args.quiet:
            how = "independent seeds" if args.independent else "common random numbers (same seed)"
            print(
                f"{ref.scenario.zone}: {' vs '.join(names)}, {reps} replications each, seed {seed}, {how}, "
                f"{where} -> {out}",
                file=sys.stderr,
            )
        t0 = time.time()
        c = cmp.compare(loaded, reps, seed, ex, independent=args.independent, progress=options.progress(args))
    charts = write_compare(c, out)
    print(format_comparison(c))
    done(out, charts, t0)
    return 0
