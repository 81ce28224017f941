"""``levers [SCENARIO] [--set ...] [--csv FILE]``: print the lever catalogue of a scenario."""

from __future__ import annotations

from sim import store
from sim.cli import options
from sim.experiment.levers import format_catalogue, table
from sim.scenario import load_scenario

DEFAULT_SCENARIO = "scenarios/baseline.toml"


def add_parser(sub) -> None:
    lv = sub.add_parser("levers", help="print the lever catalogue of a scenario")
    options.add_scenario(lv, nargs="?", default=DEFAULT_SCENARIO, help=f"scenario TOML (default {DEFAULT_SCENARIO})")
    lv.add_argument("--csv", metavar="FILE", help="also write the catalogue as CSV")
    lv.set_defaults(func=levers)


def levers(args) -> int:
    ls = load_scenario(args.scenario, args.overrides)
    print(format_catalogue(ls.scenario, str(ls.path)))
    if args.csv:
        store.atomic_write_csv(args.csv, table(ls.scenario))
        print(f"catalogue written to {args.csv}")
    return 0
