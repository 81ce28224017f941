"""Field types shared by the scenario's sections: bounded distributions, customs modes, months.

``NonNeg``, ``Prob`` and ``Positive`` are distributions (:mod:`sim.scenario.distributions`) whose
support must lie in [0, inf), in [0, 1], or above 0; ``Month`` is a "YYYY-MM" string; ``Mode`` a
customs mode id. ``Model`` is the frozen base every section derives from (unknown keys rejected).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator

from sim.config_base import StrictModel
from sim.months import check_month
from sim.scenario.distributions import Dist
from sim.vocabulary.outcomes import MODES

Model = StrictModel


def _within(lo: float, hi: float):
    def check(d):
        a, b = d.support
        if a < lo or b > hi:
            raise ValueError(f"values must lie in [{lo:g}, {hi:g}], this distribution spans [{a:g}, {b:g}]")
        return d

    return AfterValidator(check)


def _positive(d):
    if not d.always_positive:
        raise ValueError(f"values must be > 0, this distribution reaches {d.support[0]:g}")
    return d


NonNeg = Annotated[Dist, _within(0.0, float("inf"))]
Prob = Annotated[Dist, _within(0.0, 1.0)]
Positive = Annotated[Dist, AfterValidator(_positive)]
if TYPE_CHECKING:
    Mode = str  # a Literal cannot be built from the registry's tuple statically; validated at run time
else:
    Mode = Literal[MODES]

Month = Annotated[str, AfterValidator(check_month)]
