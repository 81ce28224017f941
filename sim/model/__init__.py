"""SimPy processes and zone state; pure: no I/O, no pandas, no plotting."""
from sim.model.schedule import completion_times
from sim.model.zone import Result, simulate

__all__ = ["Result", "completion_times", "simulate"]
