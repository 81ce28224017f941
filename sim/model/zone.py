"""One replication of the zone: its state set up, the competition for space run, its indicators assembled.

Pure: no I/O, no pandas, no plotting. ``simulate(scenario, params, draws)`` depends only on its
arguments. Time is in months (continuous; t = 0 is the start of the first month, t = 12 the end
of its year). The parts, each in its own module:

* :mod:`sim.model.spec`         the scenario as arrays, once per scenario;
* :mod:`sim.model.schedule`     completion times of projects and milestones, from the parameters;
* :mod:`sim.model.drawn`        the drawn parameters in typed form, per-sector ones as arrays;
* :mod:`sim.model.firms`        firms as a table of columns;
* :mod:`sim.model.state`        the zone at t = 0: sector parameters, effect tables, shock paths,
                                the initial firms;
* :mod:`sim.model.arrivals`     every lead and leader candidate that signs, drawn up front;
* :mod:`sim.model.space`        when each signed firm gets its space (SimPy: the events that
                                return space);
* :mod:`sim.model.bookkeeping`  the monthly and yearly indicators, one pass over firms x months;
* :mod:`sim.model.trace`        the event log, when asked for.

See docs/model.md for the equations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.model.arrivals import signed_firms
from sim.model.bookkeeping import Result, result
from sim.model.draws import Draws
from sim.model.space import space_times
from sim.model.spec import spec_of
from sim.model.state import ZoneState
from sim.model.trace import event_log
from sim.scenario.schema import Scenario


def simulate(sc: Scenario, params: Mapping[str, Any], draws: Draws, trace: bool = False) -> Result:
    """Run one replication: scenario + drawn parameters + random numbers -> indicators."""
    z = ZoneState(spec_of(sc), params, draws)
    sg = signed_firms(z)
    served = space_times(z, sg)
    log = event_log(z, sg, served) if trace else []
    return result(z, sg, served, log)
