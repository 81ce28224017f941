"""``backtest SCENARIO``: score past nowcasts against the months observed later (docs/data.md)."""

from __future__ import annotations

import argparse

from sim.cli import options
from sim.cli.types import positive_int
from sim.experiment.backtest import BacktestError, run_backtest
from sim.months import is_month
from sim.report.studies.console import print_backtest
from sim.report.studies.study_outputs import write_backtest
from sim.scenario import load_scenario


def _months(text: str) -> list[str]:
    out = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in out if not is_month(t)]
    if not out or bad:
        raise argparse.ArgumentTypeError(f'expected months "YYYY-MM" separated by commas, got {text!r}')
    return out


def add_parser(sub) -> None:
    b = sub.add_parser(
        "backtest",
        help="score past nowcasts against what was observed later",
        description="At each cut-off, nowcast with the observed months up to it and compare with "
        "the months observed later: PIT histogram, 50/80/95%% interval coverage, CRPS "
        "(docs/data.md).",
    )
    options.add_scenario(b, help="scenario TOML file with an [observations] section")
    options.add_reps(b)
    options.add_replication_options(b)
    b.add_argument(
        "--cutoffs",
        type=_months,
        metavar="YYYY-MM,...",
        help="cut-off months, comma-separated (default: every third observed month except the last)",
    )
    b.add_argument(
        "--horizon", type=positive_int, default=12, help="months after each cut-off that are compared (default 12)"
    )
    b.set_defaults(func=backtest)


def _default_cutoffs(obs) -> list[str]:
    months = obs.months()
    return months[2:-1:3] or months[:-1][-1:]


def backtest(args) -> int:
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    if sc.observations is None:
        raise BacktestError(
            f"{ls.path}: the scenario has no [observations] section; add one that names the "
            f"zone's observations file (docs/data.md)"
        )
    cutoffs = args.cutoffs or _default_cutoffs(sc.observations)
    if not cutoffs:
        raise BacktestError("--cutoffs: the observations cover too few months for a backtest; give cut-offs")
    with options.executor(args) as (ex, _):
        res = run_backtest(
            ls,
            cutoffs,
            reps=options.reps_of(args, sc),
            seed=options.seed_of(args, sc),
            horizon=args.horizon,
            out=options.out_or(args, None),
            executor=ex,
            progress=options.progress(args),
            log=options.log(args),
        )
    write_backtest(res)
    print_backtest(res, args.quiet)
    return 0
