"""Experiments: the engine that runs designs of replications (engine.py), its executors, and the
studies that build designs (run, compare, sweep, sensitivity, discover, calibrate, backtest)."""

from sim.experiment.runner import Indicators, ReplicationError, run_experiment, run_replication

__all__ = ["Indicators", "ReplicationError", "run_experiment", "run_replication"]
