"""Results of a run and of a saved results folder: one type, :class:`Results` (``sim.Results``).

``core.py`` the class; ``files.py`` the folder's files, written and read back; ``run.py`` a run
of one scenario on the engine, as Results (``sim.run``).
"""

from sim.results.core import Results, set_pack_builder
from sim.results.files import ResultsError, chunk_store, run_charts, write_outputs

__all__ = ["Results", "ResultsError", "chunk_store", "run_charts", "set_pack_builder", "write_outputs"]
