"""SimPy processes and zone state; pure: no I/O, no pandas, no plotting."""
from sim.model.zone import Result, completion_times, simulate

__all__ = ["Result", "completion_times", "simulate"]
