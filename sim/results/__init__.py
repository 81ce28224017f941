"""Results of a run and of a saved results folder: one type, :class:`Results` (``sim.Results``).

``core.py`` the class; ``files.py`` the folder's files, written and read back; ``run_charts.py``
the run's own charts (loaded by name, in the processes that draw them: it imports matplotlib);
``run.py`` a run of one scenario on the engine, as Results (``sim.run``).
"""

from sim.results.core import Results, set_pack_builder
from sim.results.files import ResultsError, chunk_store, write_outputs

__all__ = ["Results", "ResultsError", "chunk_store", "set_pack_builder", "write_outputs"]
