"""zonesim: a discrete-event Monte Carlo model of a comprehensive bonded zone (综合保税区).

The public API (``sim/api.py``) is what a notebook uses::

    import sim
    sc = sim.load_scenario("scenarios/baseline.toml", overrides={"levers.promotion_events_per_year": 4})
    res = sim.run(sc, reps=1000, seed=1)
    res.summary, res.indicators, res.monthly, res.ranking, res.peers
    res.save("results/what_if")
    sim.compare(sim.load_scenario("scenarios/baseline.toml"), sc, reps=1000, seed=1)
    pf = sim.run_portfolio("scenarios/examples/province_demo.toml", reps=1000)  # several zones together
    pf.joint, pf.zone_summary(0), pf.save("results/province")

Its names are resolved on first use, so that ``import sim.cli.validate`` and the worker
processes do not load the engine, the analysis and the charts they do not need.
"""

import importlib

__version__ = "0.1.0"
__all__ = ["PortfolioResults", "Results", "compare", "load_portfolio", "load_scenario", "run", "run_portfolio"]


def __getattr__(name: str):
    if name in __all__:
        return getattr(importlib.import_module("sim.api"), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
