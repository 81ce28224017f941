"""Several zones in one run: a province's zones under shared shocks, ranked together.

A portfolio file (:mod:`sim.portfolio.file`) lists zone files and the province's own targets.
One replication draws the shared shocks once and runs every zone with its own random numbers
(:mod:`sim.portfolio.replication`), ranks them in one national population, and the engine runs
the replications (:mod:`sim.portfolio.run`); the joint outcomes are pure tables
(:mod:`sim.portfolio.joint`) written beside every zone's usual folder (:mod:`sim.portfolio.results`).
"""

from __future__ import annotations

from sim.portfolio.file import Portfolio, ProvinceTarget, is_portfolio_file, load_portfolio
from sim.portfolio.results import PortfolioResults, save
from sim.portfolio.run import run

__all__ = ["Portfolio", "PortfolioResults", "ProvinceTarget", "is_portfolio_file", "load_portfolio", "run", "save"]
