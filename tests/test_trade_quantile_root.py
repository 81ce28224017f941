"""The scenario loader's root finder is scipy's brentq step for step (exact tier): the same root,
to the last bit, as ``scipy.optimize.brentq`` on the trade quantile's own gap functions and on
functions that exercise interpolation, extrapolation and bisection."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize

from sim.ranking.config.trade_quantile import TOP_LARGE, TOP_SMALL, brentq, quantile_grid, solve_trade_quantile

FUNCTIONS = [
    (lambda x: x**3 - 2 * x - 5, 2.0, 3.0),
    (lambda x: math.cos(x) - x, 0.0, 1.0),
    (lambda x: math.exp(x) - 10.0, 0.0, 5.0),
    (lambda x: math.copysign(abs(x - 0.3) ** 0.2, x - 0.3), 0.0, 1.0),  # steep at its root: bisections
    (lambda x: math.atan(50 * (x - 0.77)), -3.0, 2.0),
    (lambda x: x - 0.5, 0.0, 1.0),
]


@pytest.mark.parametrize("k", range(len(FUNCTIONS)))
@pytest.mark.parametrize("xtol", [1e-13, 2e-12, 1e-6])
def test_same_root_as_scipy(k, xtol):
    f, a, b = FUNCTIONS[k]
    assert brentq(f, a, b, xtol=xtol) == optimize.brentq(f, a, b, xtol=xtol)


def test_same_roots_on_the_trade_gaps():
    """The two solves of every (top-5, top-30) pair of a grid: the tail and body gaps as
    solve_trade_quantile builds them, root by root."""
    z = quantile_grid(170)
    z_k = 0.5 * (z[-TOP_LARGE - 1] + z[-TOP_LARGE])
    top, rest = z[-TOP_LARGE:] - z_k, z[:-TOP_LARGE] - z_k
    seen = 0
    for top30 in np.linspace(0.45, 0.9, 7):
        for top5 in np.linspace(0.12, 0.4, 7):
            ratio = top5 / top30

            def tail(s, ratio=ratio):
                w = np.exp(s * top)
                return w[-TOP_SMALL:].sum() / w.sum() - ratio

            if tail(0.0) > 0 or tail(64.0) < 0:
                continue
            s_tail = brentq(tail, 0.0, 64.0, xtol=1e-13)
            assert s_tail == optimize.brentq(tail, 0.0, 64.0, xtol=1e-13)
            a = np.exp(s_tail * top).sum()

            def body(s, a=a, top30=top30):
                return a / (a + np.exp(s * rest).sum()) - top30

            if body(0.0) > 0 or body(64.0) < 0:
                continue
            assert brentq(body, 0.0, 64.0, xtol=1e-13) == optimize.brentq(body, 0.0, 64.0, xtol=1e-13)
            seen += 1
    assert seen >= 20


def test_no_sign_change_is_refused():
    with pytest.raises(ValueError, match="different signs"):
        brentq(lambda x: x * x + 1, -1.0, 1.0, xtol=1e-12)


def test_the_solve_still_meets_its_targets():
    q = solve_trade_quantile(170, 80_000.0, 0.3, 0.7)
    v = np.sort(q(quantile_grid(170)))
    assert v.sum() == pytest.approx(80_000.0, rel=1e-12)
    assert v[-TOP_SMALL:].sum() / v[-TOP_LARGE:].sum() == pytest.approx(0.3 / 0.7, abs=1e-10)
    assert v[-TOP_LARGE:].sum() / v.sum() == pytest.approx(0.7, abs=1e-10)
