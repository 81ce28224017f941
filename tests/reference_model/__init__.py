"""The model as it was before the fast engine: one SimPy process per signed firm, books closed
month by month, draws call by call from named numpy streams.

Kept as the reference implementation of the equivalence test (tests/test_engine_equivalence.py):
the fast engine in sim/model/ must reproduce its distribution of every yearly indicator. It shares
the scenario, the parameter draws and the completion times (sim.model.schedule) with sim/model/;
only the mechanics differ. Not used by the program.
"""

from reference_model.zone import simulate

__all__ = ["simulate"]
