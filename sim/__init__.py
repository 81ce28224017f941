"""zonesim: a discrete-event Monte Carlo model of a comprehensive bonded zone (综合保税区)."""
__version__ = "0.1.0"
