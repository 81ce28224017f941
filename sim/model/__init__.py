"""The zone model: one replication from its drawn parameters and random numbers to its indicators;
SimPy runs the competition for space. Pure: no I/O, no pandas, no plotting. ``simulate`` is the
entry point; ``completion_times`` is read by studies too."""

from sim.model.bookkeeping import Result
from sim.model.schedule import completion_times
from sim.model.zone import simulate

__all__ = ["Result", "completion_times", "simulate"]
