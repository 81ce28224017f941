"""``validate SCENARIO [--set ...]``: check a scenario file and print what it contains."""

from __future__ import annotations

from sim.cli import options, province
from sim.data.observations import describe as describe_observations
from sim.report.texts.plan_warnings import english
from sim.scenario import load_scenario
from sim.scenario.params import uncertain_paths


def add_parser(sub) -> None:
    v = sub.add_parser("validate", help="check a scenario file and print what it contains")
    options.add_scenario(v)
    v.set_defaults(func=validate)


def validate(args) -> int:
    if province.is_portfolio_file(args.scenario):
        return province.validate(args)
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    n_unc = sum(1 for _, d in uncertain_paths(sc) if getattr(d, "dist", "fixed") != "fixed")
    print(f"{ls.path}: valid scenario {sc.scenario.name!r} ({sc.scenario.zone})")
    print(f"  years {sc.run.years}, {sc.run.replications} replications by default, seed {sc.run.seed}")
    print(
        f"  {len(sc.constants.sectors)} sectors, {len(sc.constants.projects)} projects, "
        f"{len(sc.constants.milestones)} milestones, {n_unc} uncertain parameters, "
        f"{len(sc.targets)} targets ({sum(t.active for t in sc.targets.values())} active)"
    )
    if sc.observations is not None:
        print(f"  {describe_observations(sc.observations)}")
    for w in english(sc):
        print(f"  warning: {w}")
    return 0
