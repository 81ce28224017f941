"""Random streams, replications, executors (and later: stopping rules, compare/sweep/sensitivity)."""
from sim.experiment.runner import Indicators, ReplicationError, run_experiment, run_replication

__all__ = ["Indicators", "ReplicationError", "run_experiment", "run_replication"]
