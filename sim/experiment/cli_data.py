"""Command line of the observed-data commands: ``calibrate`` and ``backtest`` (docs/data.md).

``add_data_parsers(subparsers)`` adds them to the main parser; ``data_main(args)`` runs one and
returns its exit code, or None when the command is not one of these. User-fixable problems print
one message and return 2, before anything is written.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli_types import MONTH as _MONTH
from sim.cli_types import month_or_latest as _month
from sim.cli_types import open_interval
from sim.cli_types import positive_int as _positive_int
from sim.cli_types import seed as _seed

COMMANDS = ("calibrate", "backtest")
_share = open_interval(0, 1)


def _months(text: str) -> list[str]:
    out = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in out if not _MONTH.fullmatch(t)]
    if not out or bad:
        raise argparse.ArgumentTypeError(f'expected months "YYYY-MM" separated by commas, got {text!r}')
    return out


def add_data_parsers(sub) -> None:
    def common(sp):
        sp.add_argument("scenario", help="scenario TOML file with an [observations] section")
        sp.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE",
                        help="override one scenario value (repeatable)")
        sp.add_argument("--seed", type=_seed, help="root seed (default: the scenario's run.seed)")
        sp.add_argument("--workers", type=_positive_int, help="worker processes (default: all cores)")
        sp.add_argument("--out", help="results folder")
        sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar and a shorter report")

    c = sub.add_parser("calibrate", help="fit the uncertain parameters to the observed months (ABC)",
                       description="Fit the scenario's uncertain parameters to its observed months by approximate "
                                   "Bayesian computation (ABC) and write a calibrated scenario that extends "
                                   "it, with fit diagnostics (docs/data.md).")
    common(c)
    c.add_argument("--params", action="append", default=[], metavar="PATTERN",
                   help="key paths to fit, glob patterns, comma-separated or repeated "
                        "(e.g. 'uncertainties.macro.*,uncertainties.sectors.*.sign_prob'); "
                        "default: every uncertain one")
    c.add_argument("--sims", type=_positive_int, default=2000, help="simulations per round (default 2000)")
    c.add_argument("--rounds", type=_positive_int, default=1,
                   help="1 = rejection ABC (default); more adds sequential Monte Carlo (ABC-SMC) rounds")
    c.add_argument("--keep", type=_share, default=0.05, help="share of each round kept as particles (default 0.05)")
    c.add_argument("--as-of", type=_month, metavar="YYYY-MM",
                   help="use the observed months up to this one (default: the scenario's as_of, else all)")
    c.add_argument("--write", choices=("informed", "all"), default="informed",
                   help="which fitted parameters the calibrated scenario sets: those the data informed "
                        "(default) or all")
    c.add_argument("--check-reps", type=_positive_int, default=200,
                   help="replications of the original and calibrated scenarios for the fit check (default 200)")
    c.add_argument("--scenario-out", metavar="FILE.toml",
                   help="where to write the calibrated scenario (default: inside the results folder)")

    b = sub.add_parser("backtest", help="score past nowcasts against what was observed later",
                       description="At each cut-off, nowcast with the observed months up to it and compare with "
                                   "the months observed later: PIT histogram, 50/80/95%% interval coverage, CRPS "
                                   "(docs/data.md).")
    common(b)
    b.add_argument("--cutoffs", type=_months, metavar="YYYY-MM,...",
                   help="cut-off months, comma-separated (default: every third observed month except the last)")
    b.add_argument("--reps", type=_positive_int, help="replications (default: the scenario's run.replications)")
    b.add_argument("--horizon", type=_positive_int, default=12,
                   help="months after each cut-off that are compared (default 12)")


def data_main(args) -> int | None:
    if getattr(args, "command", None) not in COMMANDS:
        return None
    from sim.experiment.backtest import BacktestError
    from sim.experiment.calibrate import CalibrationError
    try:
        return _calibrate(args) if args.command == "calibrate" else _backtest(args)
    except (CalibrationError, BacktestError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


def _log(message: str) -> None:
    print(message, file=sys.stderr)


def _executor(args):
    from sim.experiment.executors import LocalExecutor
    return LocalExecutor(args.workers)


def _calibrate(args) -> int:
    from sim.experiment.calibrate import run_calibration
    from sim.experiment.runner import ReplicationError
    from sim.scenario import load_scenario

    ls = load_scenario(args.scenario, args.overrides)
    patterns = [p.strip() for text in args.params for p in text.split(",") if p.strip()]
    try:
        res = run_calibration(ls, seed=args.seed, sims=args.sims, rounds=args.rounds, keep=args.keep,
                              patterns=patterns, as_of=args.as_of, write=args.write, check_reps=args.check_reps,
                              out=Path(args.out) if args.out else None,
                              scenario_out=Path(args.scenario_out) if args.scenario_out else None,
                              overrides=args.overrides, executor=_executor(args),
                              progress=False if args.quiet else None,
                              command="run_sim.py " + " ".join(sys.argv[1:]) if sys.argv[1:] else "",
                              log=None if args.quiet else _log)
    except ReplicationError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    p = res["params"]
    last = res["calibration"].rounds[-1]
    print(f"\nABC on {res['first']}..{res['as_of']}: {len(p)} parameter(s), {res['calibration'].total_sims} "
          f"simulations, {last['kept']} particles (effective {last['ess']:.0f}), "
          f"final distance <= {last['epsilon']:.3g}")
    shown = p if not args.quiet else p[p["written"]]
    if len(shown):
        print(f"\n{'parameter':58s} {'prior mean [95%]':>26s}  {'posterior mean [95%]':>26s}  written")
        for _, r in shown.iterrows():
            pr = f"{r['prior_mean']:.4g} [{r['prior_q2_5']:.3g}, {r['prior_q97_5']:.3g}]"
            po = f"{r['post_mean']:.4g} [{r['post_q2_5']:.3g}, {r['post_q97_5']:.3g}]"
            print(f"{r['parameter']:58s} {pr:>26s}  {po:>26s}  {'yes' if r['written'] else 'no (not informed)'}")
    if last["ess"] < 20:
        print(f"warning: the effective number of particles is only {last['ess']:.0f}; use more --sims "
              f"(or --rounds 1)", file=sys.stderr)
    corr = res["correlations"]
    wp = set(p.loc[p["written"], "parameter"])
    strong = corr[(corr["correlation"].abs() >= 0.5) & corr["parameter_a"].isin(wp) & corr["parameter_b"].isin(wp)]
    for _, r in strong.head(3).iterrows():
        print(f"note: {r['parameter_a']} and {r['parameter_b']} are correlated in the posterior "
              f"({r['correlation']:+.2f}); the calibrated scenario draws them independently, so its runs are "
              f"somewhat wider than the posterior (correlations.csv)")
    fit = res["fit"]
    if len(fit):
        print(f"\nobserved months inside the 95% monthly interval: original {fit['in_prior_95'].mean():.0%}, "
              f"calibrated {fit['in_calibrated_95'].mean():.0%} ({len(fit)} values)")
    print(f"calibrated scenario: {res['scenario_out']}")
    print(f"results: {res['out']}/ (parameters.csv, posterior.csv, correlations.csv, rounds.csv, fit.csv, "
          f"charts/fit_*.png, manifest.json)")
    return 0


def _default_cutoffs(obs) -> list[str]:
    months = obs.months()
    return months[2:-1:3] or months[:-1][-1:]


def _backtest(args) -> int:
    from sim.experiment.backtest import BacktestError, run_backtest
    from sim.experiment.runner import ReplicationError
    from sim.scenario import load_scenario

    ls = load_scenario(args.scenario, args.overrides)
    obs = ls.scenario.observations
    if obs is None:
        raise BacktestError(f"{ls.path}: the scenario has no [observations] section; add one that names the "
                            f"zone's observations file (docs/data.md)")
    cutoffs = args.cutoffs or _default_cutoffs(obs)
    if not cutoffs:
        raise BacktestError("--cutoffs: the observations cover too few months for a backtest; give cut-offs")
    try:
        res = run_backtest(ls, cutoffs, reps=args.reps, seed=args.seed, horizon=args.horizon,
                           out=Path(args.out) if args.out else None, executor=_executor(args),
                           progress=False if args.quiet else None, log=None if args.quiet else _log)
    except ReplicationError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    cov, pit, sc = res["coverage"], res["points"]["pit"], res["scores"]
    print(f"\n{len(res['points'])} later observed values (year to date) compared")
    print(f"{'interval':>9s} {'coverage':>9s}  {'95% interval':>15s}")
    for _, r in cov.iterrows():
        print(f"{r['nominal']:9.0%} {r['coverage']:9.1%}  [{r['ci_low']:6.1%}, {r['ci_high']:6.1%}]")
    print(f"PIT mean {pit.mean():.2f} (0.50 if calibrated), sd {pit.std():.2f} (0.29)")
    if not args.quiet:
        print(f"\n{'indicator':28s} {'n':>4s} {'CRPS':>10s} {'skill':>7s}")
        for _, r in sc.iterrows():
            print(f"{r['indicator']:28s} {r['n']:4d} {r['crps']:10.4g} {r['crps_skill']:7.2f}")
    t = res["targets"]
    if len(t):
        print(f"targets with an observed outcome: mean Brier score {t['brier'].mean():.3f} "
              f"(without observations {t['brier_unconditioned'].mean():.3f})")
    print(f"results: {res['out']}/ (backtest.csv, coverage.csv, pit_histogram.csv, scores.csv, targets.csv, "
          f"charts/backtest_*.png, manifest.json)")
    return 0
