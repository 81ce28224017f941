"""TOML scenario -> validated, frozen Scenario (schema, inheritance, --set overrides, targets)."""

from sim.scenario.loader import LoadedScenario, ScenarioError, load_scenario
from sim.scenario.schema import Scenario

__all__ = ["LoadedScenario", "Scenario", "ScenarioError", "load_scenario"]
