"""Observed data of the zone: monthly statistics in (``observations``), year-to-date nowcast
(``nowcast``). Calibration and backtests that use them live in ``sim/experiment``."""

from sim.data.observations import OBSERVABLE, ObservationError, ObservationsConfig, read_observations

__all__ = ["OBSERVABLE", "ObservationError", "ObservationsConfig", "read_observations"]
