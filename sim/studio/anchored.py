"""The studio's estimate of a what-if's P(hit): the base's, anchored on many replications, plus the
paired difference of the first few (a control variate on common random numbers).

Replication i of the base and of the what-if share every random number, so their hits X_i and
Y_i mostly agree: D_i = Y_i - X_i is 0 for most i when a change is small. The studio keeps N
replications of the base (its cache grows while the page is idle) and runs the what-if's first
n <= N. Then

    P_anchored = mean(X_1..X_N) + mean(D_1..D_n)

is unbiased for P(what-if hits) (E[X] = p_base, E[D] = p_what_if - p_base), and its variance

    Var = Var(X)/N + Var(D)/n + 2 Cov(X, D)/N

is far below the what-if's own Var(Y)/n when the pairs mostly agree (Var(D) small) and N is
large. At n = N it is the what-if's own proportion exactly.

Interval: the MOVER of Zou and Donner (2008, Stat Med 27:1693-1702) for a sum of two correlated
estimates, built from the Wilson interval of the base's proportion (N replications) and
Newcombe's paired interval of the difference (n pairs; Newcombe 1998, Stat Med 17:2635-2650,
method 10), with their correlation estimated from the pairs. Both parts are score intervals, so
the interval keeps its width when few or no pairs disagree (where a plain normal interval would
shrink to nothing). Like every interval of the project, it is a simulation-precision interval:
how exactly these replications pin the probability down under the scenario's assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.analysis.paired import paired_diff_ci
from sim.analysis.targets import CI_LEVEL, proportion_ci


@dataclass(frozen=True)
class Anchored:
    """``p`` with its interval ``low``..``high``; ``se``: its standard error (from the variance
    above); ``n``: what-if replications; ``n_base``: base replications; ``p_base`` with
    ``base_low``..``base_high``: the base's proportion over its N and its Wilson interval;
    ``diff`` with ``diff_low``..``diff_high``: the paired difference of the first n."""

    p: float
    low: float
    high: float
    se: float
    n: int
    n_base: int
    p_base: float
    base_low: float
    base_high: float
    diff: float
    diff_low: float
    diff_high: float


def anchored_p(base_hits: np.ndarray, hits: np.ndarray, level: float = CI_LEVEL) -> Anchored:
    """The anchored estimate of P(what-if hits) from the base's hits of replications 0..N-1 and the
    what-if's of replications 0..n-1 (n <= N; the same replications, common random numbers)."""
    x_all = np.asarray(base_hits, bool)
    y = np.asarray(hits, bool)
    big_n, n = len(x_all), len(y)
    if not 0 < n <= big_n:
        raise ValueError(f"the what-if's replications ({n}) must be 1..the base's ({big_n})")
    x = x_all[:n]
    d = y.astype(float) - x.astype(float)
    k = int(x_all.sum())
    p_base = k / big_n
    d_mean, lo_d, hi_d = paired_diff_ci(x, y, level)
    p = p_base + d_mean
    var_x = p_base * (1 - p_base)
    var_d = float(d.var(ddof=1)) if n > 1 else 0.0
    cov_xd = float(np.cov(x.astype(float), d, ddof=1)[0, 1]) if n > 1 else 0.0
    var = max(var_x / big_n + var_d / n + 2 * cov_xd / big_n, 0.0)
    sd_a, sd_b = math.sqrt(var_x / big_n), math.sqrt(var_d / n)
    r = min(max(cov_xd / big_n / (sd_a * sd_b), -1.0), 1.0) if sd_a > 0 and sd_b > 0 else 0.0
    lo_b, hi_b = proportion_ci(k, big_n, level)
    a_lo, a_hi = p_base - lo_b, hi_b - p_base
    b_lo, b_hi = d_mean - lo_d, hi_d - d_mean
    low = p - math.sqrt(max(a_lo**2 + b_lo**2 + 2 * r * a_lo * b_lo, 0.0))
    high = p + math.sqrt(max(a_hi**2 + b_hi**2 + 2 * r * a_hi * b_hi, 0.0))
    p_shown = min(max(p, 0.0), 1.0)  # a probability, even where few pairs overshoot the base's
    low, high = max(min(low, p_shown), 0.0), min(max(high, p_shown), 1.0)
    return Anchored(p_shown, low, high, math.sqrt(var), n, big_n, p_base, lo_b, hi_b, d_mean, lo_d, hi_d)
