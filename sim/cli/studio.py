"""``studio [SCENARIO]``: the interactive what-if page in the browser (sim/studio/)."""

from __future__ import annotations

import socket
import sys

from sim.cli import options
from sim.cli.types import positive_int, workers
from sim.cli.types import seed as seed_type
from sim.errors import UserError
from sim.studio.app import make_app, serve


def add_parser(sub) -> None:
    s = sub.add_parser("studio", help="move levers in the browser and watch the odds change (what-if studio)")
    options.add_scenario(
        s,
        nargs="?",
        default="scenarios/baseline.toml",
        help="base scenario TOML file (default scenarios/baseline.toml)",
    )
    s.add_argument("--port", type=int, default=8765, help="local port (default 8765; 0: any free port)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--no-browser", action="store_true", help="do not open the browser")
    s.add_argument("--seed", type=seed_type, help="root seed (default: the scenario's run.seed)")
    s.add_argument(
        "--max-reps",
        type=positive_int,
        default=10_000,
        help="replications each what-if refines to (default 10000: about ±1 percentage point)",
    )
    s.add_argument("--workers", type=workers, help="local worker processes (default: all cores)")
    s.add_argument(
        "--results",
        default="results/studio",
        help="where meeting packs are written and the base's replications are kept for the next session (default results/studio)",
    )
    s.add_argument(
        "--scenarios", metavar="DIR", help="where 'Save as scenario' writes (default: the base scenario's folder)"
    )
    s.add_argument("--lang", choices=("zh", "en"), default="zh", help="language the page opens in (default zh)")
    s.add_argument(
        "--base-reps",
        type=positive_int,
        help="replications the base scenario is kept with, grown while the page is idle; the what-if's "
        "P(hit) is anchored on them (default 4 x --max-reps)",
    )
    s.set_defaults(func=studio)


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def studio(args) -> int:
    app = make_app(
        args.scenario,
        args.overrides,
        args.seed,
        args.max_reps,
        args.workers,
        args.results,
        args.lang,
        args.scenarios,
        args.base_reps,
    )
    port = args.port or free_port(args.host)
    with socket.socket() as s:
        if s.connect_ex((args.host, port)) == 0:
            raise UserError(f"--port {port}: something is already listening on {args.host}:{port}; choose another port")
    print(f"studio: http://{args.host}:{port}/  (Ctrl+C stops it)", file=sys.stderr, flush=True)
    serve(app, args.host, port, open_browser=not args.no_browser)
    return 0
