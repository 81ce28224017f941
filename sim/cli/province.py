"""Portfolio files on the command line: ``run`` and ``compare`` given a file with a ``[portfolio]``
table come here (several zones in one run, docs/model.md "Several zones"); ``validate`` checks
one itself (without loading the engine and the pack).

Not a command of its own: ``run.py`` and ``compare.py`` hand a portfolio file over."""

from __future__ import annotations

import sys
from pathlib import Path

from sim import api, store
from sim.cli import options
from sim.errors import UserError
from sim.portfolio.file import is_portfolio_file, load_portfolio
from sim.portfolio.results import PortfolioResults
from sim.portfolio.run import identity

__all__ = ["compare", "is_portfolio_file", "refuse", "run"]

UNSUPPORTED = {
    "overrides": "--set",
    "precision": "--precision",
    "max_reps": "--max-reps",
    "as_of": "--as-of",
    "goal_seek": "--goal-seek",
    "previous": "--previous",
    "independent": "--independent",
}


def refuse(args, path: str) -> None:
    given = [flag for key, flag in UNSUPPORTED.items() if getattr(args, key, None)]
    if given:
        raise UserError(
            f"{path}: {', '.join(given)} apply to one zone's scenario, not to a portfolio file; "
            "set them in the zone files the portfolio lists"
        )


def _run(pf, reps: int, seed: int, args, out: Path | None) -> PortfolioResults:
    with options.executor(args, local="{n} local worker(s)") as (executor, where):
        if not args.quiet:
            print(
                f"{pf.name}: {len(pf.zones)} zones, {reps} replications, seed {seed}, {where} -> {out}", file=sys.stderr
            )
        chunks = store.ChunkStore(out, identity(pf, seed)) if out is not None else None
        try:
            return api.run_portfolio(pf, reps, seed, executor=executor, progress=options.progress(args), chunks=chunks)
        finally:
            if chunks is not None:
                chunks.close()


def run(args) -> int:
    refuse(args, args.scenario)
    pf = load_portfolio(args.scenario)
    reps = args.reps or pf.replications
    seed = pf.seed if args.seed is None else args.seed
    out = options.out_or(args, Path("results") / f"{pf.name}__seed{seed}__n{reps}")
    res = _run(pf, reps, seed, args, out)
    say = (lambda line: None) if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    res.save(out, pack=False, say=say)
    print_results(res, out)
    if not args.no_report:
        sys.stdout.flush()
        api.portfolio_pack(out, pf, say, workers=1 if args.executor == "dask" else None)
    return 0


def _pct(p: float, lo: float, hi: float) -> str:
    return f"{p:7.1%}  [{lo:6.1%}, {hi:6.1%}]"


def print_results(res: PortfolioResults, out: Path) -> None:
    """Every zone's targets and the joint outcomes, each P(hit) with its interval."""
    pf = res.portfolio
    print(f"\n{pf.name_en}: {len(pf.zones)} zones, {res.reps} replications, seed {res.seed}")
    for k, z in enumerate(pf.zones):
        s = res.zone_summary(k)
        print(f"\n{z.name} (own seed {res.seeds[k]})")
        print(f"  {'target':36s} {'P(hit)':>7s}  {'95% precision':>16s}")
        for _, r in s.iterrows():
            print(f"  {r['target_id']:36s} {_pct(r['p_hit'], r['ci_low'], r['ci_high'])}")
    print(f"\njoint outcomes (portfolio.csv)\n  {'year':4s} {'event':36s} {'P':>7s}  {'95% precision':>16s}")
    for _, r in res.joint.iterrows():
        print(f"  {r['year']:<4d} {r['event']:36s} {_pct(r['p_hit'], r['ci_low'], r['ci_high'])}")
    print(
        f"\n'95% precision' is the simulation-precision interval (Wilson): how exactly {res.reps} replications pin "
        "each probability down under the zones' assumptions. The zones share the macro, commodity and disruption "
        "shocks and one national ranking; each zone's own numbers come from its own seed."
    )
    print(
        f"results: {out}/ (portfolio.csv, zone_targets.csv, province_totals.csv, zone_misses.csv, correlation.csv, one folder per zone)"
    )


def compare(args) -> int:
    if len(args.scenarios) != 2 or not all(is_portfolio_file(p) for p in args.scenarios):
        raise UserError("comparing portfolios takes exactly two portfolio files (the first is the reference)")
    refuse(args, args.scenarios[0])
    a, b = (load_portfolio(p) for p in args.scenarios)
    reps = args.reps or a.replications
    seed = a.seed if args.seed is None else args.seed
    out = options.out_or(args, Path("results") / f"compare__{a.name}__{b.name}__seed{seed}__n{reps}")
    ra = _run(a, reps, seed, args, None)
    rb = _run(b, reps, seed, args, None)
    table = rb.difference(ra)
    store.atomic_write_csv(out / "compare_portfolio.csv", table)
    print(f"\n{b.name} vs {a.name}: {reps} replications each, seed {seed}, common random numbers (paired)")
    print(f"  {'year':4s} {'event':36s} {'P ref':>7s} {'P':>7s} {'difference':>11s}  95% interval (Newcombe, paired)")
    for _, r in table.iterrows():
        print(
            f"  {r['year']:<4d} {r['event']:36s} {r['p_ref']:7.1%} {r['p']:7.1%} {r['diff']:+11.1%}  "
            f"[{r['diff_low']:+.1%}, {r['diff_high']:+.1%}]"
        )
    print(f"results: {out / 'compare_portfolio.csv'}")
    return 0
