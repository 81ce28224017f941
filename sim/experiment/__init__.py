"""Random streams, replications, executors, stopping rule (and later: compare / sweep / sensitivity)."""
from sim.experiment.runner import Indicators, ReplicationError, run_experiment, run_replication

__all__ = ["Indicators", "ReplicationError", "run_experiment", "run_replication"]
