"""The one pass over firms x months, compiled with numba.

After the run every firm's trade, output and employment in every month follows from its row alone
(open and exit times, ramp, size, noise). Written as numpy array expressions this pass creates a
dozen [firm, month] temporaries and costs most of a replication; as one compiled loop it makes no
temporaries and is several times faster (README, "Why these libraries"). The arithmetic is the
same as docs/model.md §7.7-7.10 states, term by term.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def firm_months(open_t, exit_t, ramp, scale, sig, sector, above, employees, eps, n_sectors):
    """Sector sums of the firms' monthly trade, and the month-end stocks.

    Per firm i: ``open_t``, ``exit_t`` (months), ``ramp`` length (0: none), ``scale`` its yearly
    size / 12 x exp(-sigma^2 / 2) (so the noise factor has mean 1), ``sig`` its sector's noise
    sigma, ``sector`` index, ``above`` whether it counts toward output above designated size,
    ``employees`` at full size; ``eps`` [firm, month] standard normals of its monthly noise.

    Returns ``sums`` [2 x sectors, month] (rows 0..S-1: trade of each sector before the shared
    level; rows S..2S-1: the part of it from firms above designated size), ``active`` [month]
    firms open at some time in the year so far, ``staff`` [month] employees at the month end."""
    n_months = eps.shape[1]
    sums = np.zeros((2 * n_sectors, n_months))
    active = np.zeros(n_months)
    staff = np.zeros(n_months)
    for i in range(open_t.shape[0]):
        o, e, r, s = open_t[i], exit_t[i], ramp[i], sector[i]
        for m in range(n_months):
            lo = float(m)
            hi = lo + 1.0
            a = max(lo, o)
            b = min(hi, e)
            frac = min(b - a, 1.0)
            if frac > 0.0:
                if r > 0.0:  # ramp evaluated at the middle of the operating part
                    frac *= min(max((0.5 * (a + b) - o) / r, 0.0), 1.0)
                v = frac * np.exp(sig[i] * eps[i, m]) * scale[i]
                sums[s, m] += v
                if above[i]:
                    sums[n_sectors + s, m] += v
            if o < hi and e > 12.0 * (m // 12):
                active[m] += 1.0
            if o <= hi and e > hi:
                staff[m] += employees[i] * (min(max((hi - o) / r, 0.0), 1.0) if r > 0.0 else 1.0)
    return sums, active, staff
