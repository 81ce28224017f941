"""``calibrate SCENARIO``: fit the uncertain parameters to the observed months by ABC (docs/data.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from sim.cli import options
from sim.cli.types import month_or_latest, open_interval, positive_int
from sim.experiment.calibrate import run_calibration
from sim.report.studies.console import print_calibration
from sim.report.studies.study_outputs import write_calibration
from sim.scenario import load_scenario


def add_parser(sub) -> None:
    c = sub.add_parser(
        "calibrate",
        help="fit the uncertain parameters to the observed months (ABC)",
        description="Fit the scenario's uncertain parameters to its observed months by approximate "
        "Bayesian computation (ABC) and write a calibrated scenario that extends "
        "it, with fit diagnostics (docs/data.md).",
    )
    options.add_scenario(c, help="scenario TOML file with an [observations] section")
    options.add_replication_options(c)
    c.add_argument(
        "--params",
        action="append",
        default=[],
        metavar="PATTERN",
        help="key paths to fit, glob patterns, comma-separated or repeated "
        "(e.g. 'uncertainties.macro.*,uncertainties.sectors.*.sign_prob'); "
        "default: every uncertain one",
    )
    c.add_argument("--sims", type=positive_int, default=2000, help="simulations per round (default 2000)")
    c.add_argument(
        "--rounds",
        type=positive_int,
        default=1,
        help="1 = rejection ABC (default); more adds sequential Monte Carlo (ABC-SMC) rounds",
    )
    c.add_argument(
        "--keep", type=open_interval(0, 1), default=0.05, help="share of each round kept as particles (default 0.05)"
    )
    c.add_argument(
        "--as-of",
        type=month_or_latest,
        metavar="YYYY-MM",
        help="use the observed months up to this one (default: the scenario's as_of, else all)",
    )
    c.add_argument(
        "--write",
        choices=("informed", "all"),
        default="informed",
        help="which fitted parameters the calibrated scenario sets: those the data informed (default) or all",
    )
    c.add_argument(
        "--check-reps",
        type=positive_int,
        default=200,
        help="replications of the original and calibrated scenarios for the fit check (default 200)",
    )
    c.add_argument(
        "--scenario-out",
        metavar="FILE.toml",
        help="where to write the calibrated scenario (default: inside the results folder)",
    )
    c.set_defaults(func=calibrate)


def calibrate(args) -> int:
    ls = load_scenario(args.scenario, args.overrides)
    patterns = [p.strip() for text in args.params for p in text.split(",") if p.strip()]
    with options.executor(args) as (ex, _):
        res = run_calibration(
            ls,
            seed=options.seed_of(args, ls.scenario),
            sims=args.sims,
            rounds=args.rounds,
            keep=args.keep,
            patterns=patterns,
            as_of=args.as_of,
            write=args.write,
            check_reps=args.check_reps,
            out=options.out_or(args, None),
            scenario_out=Path(args.scenario_out) if args.scenario_out else None,
            overrides=args.overrides,
            executor=ex,
            progress=options.progress(args),
            command="run_sim.py " + " ".join(sys.argv[1:]) if sys.argv[1:] else "",
            log=options.log(args),
        )
    write_calibration(res)
    print_calibration(res, args.quiet)
    return 0
