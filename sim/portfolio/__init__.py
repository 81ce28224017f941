"""Several zones in one run: a province's zones under shared shocks, ranked together.

A portfolio file (:mod:`sim.portfolio.file`) lists zone files and the province's own targets.
One replication draws the shared shocks once and runs every zone with its own random numbers
(:mod:`sim.portfolio.replication`), ranks them in one national population, and the engine runs
the replications (:func:`sim.portfolio.run.run`); the joint outcomes are pure tables
(:mod:`sim.portfolio.joint`) written beside every zone's usual folder (:mod:`sim.portfolio.results`).

Names are resolved on first use, so that reading a portfolio file (``validate``) loads neither
the engine's results nor the charts.
"""

import importlib

__all__ = ["Portfolio", "PortfolioResults", "ProvinceTarget", "is_portfolio_file", "load_portfolio", "save"]

_WHERE = {
    "Portfolio": "sim.portfolio.file",
    "ProvinceTarget": "sim.portfolio.file",
    "is_portfolio_file": "sim.portfolio.file",
    "load_portfolio": "sim.portfolio.file",
    "PortfolioResults": "sim.portfolio.results",
    "save": "sim.portfolio.results",
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'sim.portfolio' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
