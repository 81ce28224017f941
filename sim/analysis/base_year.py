"""The starting point a scenario implies: its base-year figures, given or implied, as a table.

``base_year.csv`` has one row per base-year indicator: how the scenario states it (``number``: a
fixed figure, ``range``: a declared distribution, ``observed``: the observations file's months of
the base year, ``implied``: not stated, so what the initial firms' per-firm parameters imply) and the 10/50/90% quantiles and mean over the replications.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.scenario.distributions import Fixed
from sim.vocabulary.outcomes import BASE_PREFIX, indicator_unit

BASE_COLUMNS = ["indicator", "year", "unit", "stated", "given", "mean", "p10", "p50", "p90"]


def base_year_table(ind, sc) -> pd.DataFrame:
    """One row per base-year indicator of a run (``ind``: its Indicators; ``sc``: its scenario)."""
    given = sc.base_year.given()
    observed = sc.observations.base_year if sc.observations is not None else {}
    year = sc.run.years[0] - 1
    rows = []
    for name in ind.names:
        if not name.startswith(BASE_PREFIX):
            continue
        k = name[len(BASE_PREFIX) :]
        v = ind.base(k)
        d = given.get(k)
        stated = (
            "observed" if k in observed else "implied" if d is None else "number" if isinstance(d, Fixed) else "range"
        )
        q = np.percentile(v, [10, 50, 90]) if len(v) else [np.nan] * 3
        rows.append(
            dict(
                indicator=k,
                year=year,
                unit=indicator_unit(k),
                stated=stated,
                given=d.value if isinstance(d, Fixed) else np.nan,
                mean=float(v.mean()) if len(v) else np.nan,
                p10=q[0],
                p50=q[1],
                p90=q[2],
            )
        )
    return pd.DataFrame(rows, columns=BASE_COLUMNS)
