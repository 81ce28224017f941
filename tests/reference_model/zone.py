"""One replication of the zone: its state set up, its processes run, its indicators assembled.

Pure: no I/O, no pandas, no plotting. ``simulate(scenario, params, streams)`` depends only on
its arguments. Time is in months (continuous; t = 0 is the start of the first month, t = 12
the end of its year). The parts, each in its own module:

* :mod:`sim.model.schedule`     completion times of projects and milestones, from the parameters;
* :mod:`sim.model.state`        the zone at t = 0 (:class:`~sim.model.state.ZoneState`): space
                                containers, firm table with the initial firms, effect tables,
                                developed area, shared shock paths;
* :mod:`sim.model.processes`    the SimPy processes that move it;
* :mod:`sim.model.bookkeeping`  month-end flows and stocks, and the yearly and monthly indicators.

See docs/model.md for the equations.
"""

from __future__ import annotations

from reference_model.bookkeeping import Books, Result
from reference_model.processes import start
from reference_model.state import ZoneState
from sim.scenario.schema import Scenario


class ZoneModel(ZoneState):
    """A replication ready to run: the zone's state at t = 0 (:class:`ZoneState`) plus :meth:`run`."""

    def run(self) -> Result:
        """Start the processes, run the SimPy environment to the horizon, assemble the indicators."""
        books = Books(self)
        start(self, books)
        self.env.run(until=self.H + 1e-9)
        return books.result()


def simulate(sc: Scenario, params: dict, streams, trace: bool = False) -> Result:
    """Run one replication: scenario + drawn parameters + random streams -> indicators."""
    return ZoneModel(sc, params, streams, trace=trace).run()
