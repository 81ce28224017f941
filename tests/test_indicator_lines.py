"""indicators.csv is written without pandas, byte for byte what pandas' to_csv wrote."""

from __future__ import annotations

import io

import numpy as np

from sim.store import indicator_lines, indicators_long
from sim.vocabulary.outcomes import BASE_PREFIX


def _pandas_text(reps, years, names, values) -> str:
    f = io.StringIO()
    indicators_long(reps, years, names, values).to_csv(f, index=False, header=False, lineterminator="\n")
    return f.getvalue()


def test_the_same_bytes_as_pandas_on_awkward_numbers():
    rng = np.random.default_rng(3)
    names = [
        f"{BASE_PREFIX}trade_total",
        "trade_total",
        "rank",
        "peers_trade_at_reference_rank",
        f"{BASE_PREFIX}fdi_usd",
    ]
    years = [2022, 2023]
    values = rng.lognormal(size=(40, 2, len(names))) * 10.0 ** rng.integers(-9, 20, size=(40, 2, len(names)))
    awkward = [0.0, -0.0, 1e16, 9999999999999998.0, 1e-5, 0.0001, 5e-324, np.nan, np.inf, -3.0, 0.1 + 0.2, 60.0]
    values.reshape(-1)[: len(awkward)] = awkward
    reps = np.arange(1000, 1040)
    assert indicator_lines(reps, years, names, values) == _pandas_text(reps, years, names, values)


def test_rows_are_rep_major_with_the_base_year_first():
    names = ["a", f"{BASE_PREFIX}b"]
    values = np.array([[[1.5, 7.0], [2.5, 7.0]], [[3.0, 8.0], [4.0, 8.0]]])
    assert indicator_lines(np.array([5, 6]), [2022, 2023], names, values) == (
        "5,2021,b,7.0\n5,2022,a,1.5\n5,2023,a,2.5\n6,2021,b,8.0\n6,2022,a,3.0\n6,2023,a,4.0\n"
    )


def test_repeated_values_keep_their_own_text():
    """Values that repeat, 0.0 beside -0.0 (equal, different text), NaN among numbers and a name
    with a per-cent sign give pandas' bytes."""
    names = ["done_x", "share_%", f"{BASE_PREFIX}firms"]
    years = [2022, 2023, 2024]
    rng = np.random.default_rng(8)
    values = rng.choice([0.0, -0.0, 1.0, 2.5, np.nan, 1e-7], size=(30, 3, len(names)))
    reps = np.arange(30)
    text = indicator_lines(reps, years, names, values)
    assert text == _pandas_text(reps, years, names, values)
    assert ",-0.0\n" in text and ",0.0\n" in text and ",\n" in text and "share_%," in text
