"""Sub-commands ``levers``, ``compare``, ``sweep``, ``sensitivity`` and ``discover`` of run_sim.py.

``add_lever_parsers(subparsers)`` adds them to the main parser; ``lever_main(args)`` runs one and
returns its exit code, or None when the command is not one of these. Problems the user can fix
raise :class:`ScenarioError` (the main CLI prints one line and returns 2).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sim.cli_types import open_interval
from sim.cli_types import positive_int as _positive_int
from sim.cli_types import seed as _seed
from sim.scenario import ScenarioError, load_scenario

_probability = open_interval(0, 1, "a probability")
COMMANDS = ("levers", "compare", "sweep", "sensitivity", "discover")
DEFAULT_SCENARIO = "scenarios/baseline.toml"


def _lever_spec(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected ID=v1,v2,... or ID=lo:hi:step, got {text!r}")
    k, v = text.split("=", 1)
    if not k.strip() or not v.strip():
        raise argparse.ArgumentTypeError(f"expected ID=v1,v2,... or ID=lo:hi:step, got {text!r}")
    return k.strip(), v.strip()


def _common(sp, reps_help: str):
    sp.add_argument("--reps", type=_positive_int, help=reps_help)
    sp.add_argument("--seed", type=_seed, help="root seed (default: the scenario's run.seed)")
    sp.add_argument("--workers", type=_positive_int, help="worker processes (default: all cores)")
    sp.add_argument("--out", help="results folder (default: a name under results/ built from the inputs)")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar and a shorter report")


def add_lever_parsers(sub) -> None:
    lv = sub.add_parser("levers", help="print the lever catalogue of a scenario")
    lv.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, help=f"scenario TOML (default {DEFAULT_SCENARIO})")
    lv.add_argument("--csv", metavar="FILE", help="also write the catalogue as CSV")

    c = sub.add_parser("compare", help="compare scenarios on common random numbers (paired differences)")
    c.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="two or more scenario files; the first is the reference")
    _common(c, "replications per scenario (default: the first scenario's run.replications)")
    c.add_argument("--independent", action="store_true",
                   help="give each scenario its own seed and unpaired intervals (to see what common random numbers gain)")

    s = sub.add_parser("sweep", help="P(hit) of every target over a grid of one or two levers")
    s.add_argument("scenario", help="scenario TOML file")
    s.add_argument("--lever", action="append", type=_lever_spec, required=True, metavar="ID=VALUES",
                   help="lever and values: ID=v1,v2,... or ID=lo:hi:step (months as YYYY-MM, step in months); "
                        "give --lever twice for a two-lever grid. IDs: run `levers`")
    s.add_argument("--target-prob", type=_probability, default=0.8,
                   help="probability level to reach (default 0.8)")
    s.add_argument("--targets", help="comma-separated target ids to chart (default: the most responsive)")
    s.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE",
                   help="override a scenario value before sweeping (repeatable)")
    _common(s, "replications per grid point (default: the scenario's run.replications)")

    e = sub.add_parser("sensitivity", help="Sobol indices and a tornado chart over uncertainties and ranged levers")
    e.add_argument("scenario", help="scenario TOML file")
    e.add_argument("--n", type=_positive_int, default=256,
                   help="Sobol base sample (default 256; a power of 2; cost n x (factors + 2) replications)")
    e.add_argument("--by", choices=("group", "parameter"), default="group",
                   help="factors: groups of parameters (default) or every parameter alone (costly)")
    e.add_argument("--tornado-reps", type=_positive_int, default=100,
                   help="replications per tornado setting (default 100)")
    e.add_argument("--top", type=int, default=10,
                   help="uncertain parameters in the tornado, chosen by rank correlation (default 10)")
    e.add_argument("--targets", help="comma-separated target ids to chart (default: the most uncertain four)")
    e.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE",
                   help="override a scenario value (repeatable)")
    e.add_argument("--seed", type=_seed, help="root seed (default: the scenario's run.seed)")
    e.add_argument("--workers", type=_positive_int, help="worker processes (default: all cores)")
    e.add_argument("--out", help="results folder")
    e.add_argument("-q", "--quiet", action="store_true", help="no progress bar and a shorter report")

    d = sub.add_parser("discover", help="readable rules for the conditions under which a target is missed")
    d.add_argument("scenario", help="scenario TOML file")
    d.add_argument("--target", required=True, help="target id, e.g. trade_total_2023")
    d.add_argument("--fixed-levers", action="store_true",
                   help="keep levers at the scenario's values (default: draw ranged levers over their ranges)")
    d.add_argument("--rules", type=_positive_int, default=3, help="at most this many rules (default 3)")
    d.add_argument("--max-conditions", type=_positive_int, default=3, help="conditions per rule (default 3)")
    d.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE",
                   help="override a scenario value (repeatable)")
    _common(d, "replications (default 2000)")


def lever_main(args) -> int | None:
    cmd = getattr(args, "command", None)
    if cmd not in COMMANDS:
        return None
    return {"levers": _levers, "compare": _compare, "sweep": _sweep, "sensitivity": _sensitivity,
            "discover": _discover}[cmd](args)


def _executor(args):
    from sim.experiment.executors import LocalExecutor
    return LocalExecutor(args.workers)


def _progress(args):
    return False if args.quiet else None


def _split(text: str | None) -> list[str] | None:
    return [t.strip() for t in text.split(",") if t.strip()] if text else None


def _check_targets(sc, ids: list[str] | None, path) -> None:
    for t in ids or []:
        if t not in sc.targets:
            raise ScenarioError(f"--targets {t}: not a target of {path}; expected one of {', '.join(sc.targets)}")


def _done(out: Path, charts: list[Path], started: float) -> None:
    print(f"\nresults: {out}/ ({time.time() - started:.0f} s)")
    for p in charts:
        print(f"  chart: {p}")


# ----------------------------------------------------------------------------- levers

def _levers(args) -> int:
    from sim.experiment.levers import format_catalogue, table
    ls = load_scenario(args.scenario)
    print(format_catalogue(ls.scenario, str(ls.path)))
    if args.csv:
        from sim import store
        store.atomic_write_csv(args.csv, table(ls.scenario))
        print(f"catalogue written to {args.csv}")
    return 0


# ----------------------------------------------------------------------------- compare

def _compare(args) -> int:
    from sim.experiment import compare as cmp
    if len(args.scenarios) < 2:
        raise ScenarioError("compare needs at least two scenario files (the first is the reference)")
    loaded = [load_scenario(p) for p in args.scenarios]
    ref = loaded[0].scenario
    reps = args.reps or ref.run.replications
    seed = ref.run.seed if args.seed is None else args.seed
    names = cmp.unique_names(loaded)
    out = Path(args.out) if args.out else cmp.default_out(names, seed, reps, args.independent)
    ex = _executor(args)
    if not args.quiet:
        how = "independent seeds" if args.independent else "common random numbers (same seed)"
        print(f"{ref.scenario.zone}: {' vs '.join(names)}, {reps} replications each, seed {seed}, {how}, "
              f"{ex.workers} worker(s) -> {out}", file=sys.stderr)
    t0 = time.time()
    c = cmp.compare(loaded, reps, seed, ex, independent=args.independent, progress=_progress(args))
    charts = cmp.write_compare(c, out)
    print(cmp.format_comparison(c))
    _done(out, charts, t0)
    return 0


# ----------------------------------------------------------------------------- sweep

def _sweep(args) -> int:
    from sim.experiment import sweep as sw
    from sim.experiment.levers import find, parse_grid
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    if len(args.lever) > 2:
        raise ScenarioError("--lever: at most two levers (a grid of one or two levers)")
    levers, grids = [], []
    for lid, spec in args.lever:
        lv = find(sc, lid)
        if lv.id in [x.id for x in levers]:
            raise ScenarioError(f"--lever {lid}: given twice")
        levers.append(lv)
        grids.append(parse_grid(lv, spec, sc.run.start))
    targets = _split(args.targets)
    _check_targets(sc, targets, ls.path)
    reps = args.reps or sc.run.replications
    seed = sc.run.seed if args.seed is None else args.seed
    out = Path(args.out) if args.out else sw.default_out(ls, levers, grids, seed, reps)
    ex = _executor(args)
    n_pts = 1
    for g in grids:
        n_pts *= len(g)
    if not args.quiet:
        print(f"{sc.scenario.zone} / {sc.scenario.name}: sweep of {' x '.join(lv.id for lv in levers)} "
              f"({n_pts} points x {reps} replications, seed {seed}, {ex.workers} worker(s)) -> {out}", file=sys.stderr)
    t0 = time.time()
    s = sw.sweep(ls, levers, grids, reps, seed, args.target_prob, ex, progress=_progress(args))
    charts = sw.write_sweep(s, out, targets)
    print(sw.format_reach(s))
    _done(out, charts, t0)
    return 0


# ----------------------------------------------------------------------------- sensitivity

def _sensitivity(args) -> int:
    from sim.experiment import sensitivity as se
    from sim.experiment.levers import ranged
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    targets = _split(args.targets)
    _check_targets(sc, targets, ls.path)
    if args.top < 0:
        raise ScenarioError("--top: expected a whole number >= 0")
    seed = sc.run.seed if args.seed is None else args.seed
    out = Path(args.out) if args.out else se.default_out(ls, seed, args.n, args.by)
    ex = _executor(args)
    paths = se.varied_paths(sc)
    levers = ranged(sc)
    k = len(se.make_factors(paths, levers, args.by))
    n_sobol = args.n * (k + 2)
    n_torn = (len(levers) + args.top) * 2 * args.tornado_reps + args.tornado_reps
    if args.n & (args.n - 1):
        print(f"note: --n {args.n} is not a power of 2; the Sobol sequence is best balanced at 128, 256, 512...",
              file=sys.stderr)
    if not args.quiet:
        print(f"{sc.scenario.zone} / {sc.scenario.name}: {k} factors ({len(levers)} ranged levers, "
              f"{len(paths)} uncertain parameters{' in groups' if args.by == 'group' else ''}, process noise); "
              f"{n_sobol} Sobol + {n_torn} tornado replications, seed {seed}, {ex.workers} worker(s) -> {out}",
              file=sys.stderr)
    t0 = time.time()
    res = se.run_sensitivity(ls, args.n, seed, args.by, args.tornado_reps, args.top, ex, _progress(args))
    charts = se.write_sensitivity(res, out, targets)
    print(se.format_sensitivity(res, targets))
    print(f"\nSobol intervals shrink as 1/sqrt(n): for intervals about half as wide use --n {4 * args.n} "
          f"(about 4x the time); --tornado-reps {4 * args.tornado_reps} does the same for the tornado.")
    _done(out, charts, t0)
    return 0


# ----------------------------------------------------------------------------- discover

def _discover(args) -> int:
    from sim.experiment import discover as di
    from sim.experiment.levers import ranged
    ls = load_scenario(args.scenario, args.overrides)
    sc = ls.scenario
    if args.target not in sc.targets:
        raise ScenarioError(f"--target {args.target}: not a target of {ls.path}; expected one of "
                            f"{', '.join(sc.targets)}")
    reps = args.reps or 2000
    seed = sc.run.seed if args.seed is None else args.seed
    vary = not args.fixed_levers
    out = Path(args.out) if args.out else di.default_out(ls, args.target, seed, reps, vary)
    ex = _executor(args)
    if not args.quiet:
        lv = ranged(sc) if vary else []
        print(f"{sc.scenario.zone} / {sc.scenario.name}: {reps} replications, seed {seed}, "
              f"{len(lv)} lever(s) drawn over their ranges, {ex.workers} worker(s) -> {out}", file=sys.stderr)
    t0 = time.time()
    d = di.run_discover(ls, args.target, reps, seed, vary, ex, _progress(args), n_rules=args.rules,
                        max_dims=args.max_conditions)
    charts = di.write_discover(d, out)
    print()
    print("\n".join(d.texts))
    _done(out, charts, t0)
    return 0

