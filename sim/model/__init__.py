"""The zone model: one replication as SimPy processes over the zone's state; pure: no I/O, no
pandas, no plotting. ``simulate`` is the entry point; ``completion_times`` is read by studies too."""
from sim.model.bookkeeping import Result
from sim.model.schedule import completion_times
from sim.model.zone import ZoneModel, simulate

__all__ = ["Result", "ZoneModel", "completion_times", "simulate"]
