"""``validate SCENARIO [--set ...]``: check a scenario file and print what it contains."""

from __future__ import annotations

from sim.cli import options
from sim.data.observations import describe as describe_observations
from sim.errors import UserError
from sim.portfolio.file import is_portfolio_file, load_portfolio
from sim.portfolio.replication import zone_seeds
from sim.report.texts.plan_warnings import english
from sim.scenario import load_scenario
from sim.scenario.params import uncertain_paths


def add_parser(sub) -> None:
    v = sub.add_parser("validate", help="check a scenario file and print what it contains")
    options.add_scenario(v)
    v.set_defaults(func=validate)


def validate(args) -> int:
    if is_portfolio_file(args.scenario):
        return validate_portfolio(args)
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


def validate_portfolio(args) -> int:
    """A portfolio file: its zones (each checked as a zone file), seeds and province targets."""
    if args.overrides:
        raise UserError(f"{args.scenario}: --set applies to one zone's scenario, not to a portfolio file")
    pf = load_portfolio(args.scenario)
    print(f"{pf.path}: valid portfolio {pf.name!r} ({pf.name_en}), {len(pf.zones)} zones")
    print(f"  years {pf.years}, {pf.replications} replications by default, seed {pf.seed}")
    for k, (z, s) in enumerate(zip(pf.zones, zone_seeds(pf.seed, len(pf.zones)), strict=True)):
        print(f"  zone {k}: {z.name} ({z.path}), own seed {s}, {len(z.scenario.targets)} targets")
    for t in pf.targets:
        print(f"  province target: {t.indicator} {t.year} >= {t.threshold:g}")
    return 0
