"""The one pass over firms x months, compiled with numba.

After the run every firm's trade, output and employment in every month follows from its row alone
(open and exit times, ramp, size, noise). Written as numpy array expressions this pass creates a
dozen [firm, month] temporaries and costs most of a replication; as one compiled loop it makes no
temporaries and is several times faster (README, "Why these libraries"). The same loop draws the
firms' monthly noise from the replication's generator, number by number in [firm, month] order
(numba's ``Generator.standard_normal`` gives numpy's numbers bit for bit), and also gives what
the bookkeeping needs of each firm row besides: the operating firms of each sector at the year
ends (programme counts) and the FDI tranches paid in each month; a second small loop gives the
development rate. The arithmetic is the same as docs/model.md §7.7-7.11 and §7.13 state, term by
term, in the same order as the numpy expressions it replaced, so the results are the same to the
last bit (tests/test_model_kernels.py checks the pass against a plain one).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def firm_months(
    noise,
    open_t,
    exit_t,
    ramp,
    size,
    employees,
    sector,
    origin,
    fdi,
    fdi_t,
    sig,
    damp,
    above_sector,
    ratio,
    threshold,
    cohort_above,
    macro,
    disruption,
    season,
    commodity,
    exposed,
    tranches,
    interval,
):
    """Sector sums of the firms' monthly trade, the month-end stocks, year-end operating firms, FDI.

    Per firm i: ``open_t``, ``exit_t`` (months), ``ramp`` length (0: none), yearly ``size``,
    ``employees`` at full size, ``sector`` index, ``origin`` 0 if it is an initial firm (it
    trades as its sector's cohort, and ``cohort_above`` says, initial firm by initial firm, whether
    it counts toward output above designated size), ``fdi`` paid in ``tranches`` equal parts
    ``interval`` months apart from ``fdi_t``. Per sector: ``sig`` the noise sigma, ``damp`` =
    exp(-sigma^2 / 2) (so the noise factor has mean 1), ``above_sector`` whether it is
    manufacturing, ``ratio`` its output per unit of trade (a later firm counts above designated
    size if its sector is manufacturing and size x ratio >= ``threshold``), ``exposed`` whether it
    trades at the commodity index. Per month: the shared level ``macro`` x ``disruption`` x
    ``season`` (12 calendar months, January first) and ``commodity`` the index. ``noise`` the
    generator of the [firm, month] standard normals, drawn in that order whether or not the firm
    trades that month.

    Returns ``sums`` [4 x sectors, month] (group g = sector, or sectors + sector for the initial
    firms; rows 0..2S-1: each group's trade at the shared level; rows 2S..4S-1: the part of it from
    firms above designated size), ``active`` [month] firms open at some time in the year so far,
    ``staff`` [month] employees at the month end, ``operating`` [sector, year] firms operating at
    each year end, ``paid`` [month] FDI tranches paid."""
    n_sectors = sig.shape[0]
    n_groups = 2 * n_sectors
    n_months = macro.shape[0]
    sums = np.zeros((2 * n_groups, n_months))
    active = np.zeros(n_months)
    staff = np.zeros(n_months)
    operating = np.zeros((n_sectors, n_months // 12))
    paid = np.zeros(n_months)
    k = 0  # initial firms so far
    for i in range(open_t.shape[0]):
        o, e, r, s = open_t[i], exit_t[i], ramp[i], sector[i]
        if origin[i] == 0:
            if k >= cohort_above.shape[0]:
                raise ValueError("more initial firms than the cohort describes")
            g, above = n_sectors + s, cohort_above[k]
            k += 1
        else:
            g, above = s, above_sector[s] and size[i] * ratio[s] >= threshold
        scale = size[i] / 12.0 * damp[s]
        for m in range(n_months):
            z = noise.standard_normal()
            lo = float(m)
            hi = lo + 1.0
            a = max(lo, o)
            b = min(hi, e)
            frac = min(b - a, 1.0)
            if frac > 0.0:
                if r > 0.0:  # ramp evaluated at the middle of the operating part
                    frac *= min(max((0.5 * (a + b) - o) / r, 0.0), 1.0)
                v = frac * np.exp(sig[s] * z) * scale
                sums[g, m] += v
                if above:
                    sums[n_groups + g, m] += v
            if o < hi and e > 12.0 * (m // 12):
                active[m] += 1.0
            if o <= hi and e > hi:
                staff[m] += employees[i] * (min(max((hi - o) / r, 0.0), 1.0) if r > 0.0 else 1.0)
                if m % 12 == 11:
                    operating[s, m // 12] += 1.0
        if fdi[i] > 0.0 and np.isfinite(fdi_t[i]):
            part = fdi[i] / tranches
            for j in range(tranches):
                t = fdi_t[i] + interval * j
                if t >= 0.0 and t < n_months:
                    paid[int(t)] += part
    if k != cohort_above.shape[0]:
        raise ValueError("fewer initial firms than the cohort describes")
    for m in range(n_months):  # the factors shared by a sector and month
        level = macro[m] * disruption[m] * season[m % 12]
        for g in range(n_groups):
            shared = level * commodity[m] if exposed[g % n_sectors] else level
            sums[g, m] *= shared
            sums[n_groups + g, m] *= shared
    return sums, active, staff, operating, paid


@numba.njit(cache=True, nogil=True)
def development_rate(developed0_ha, area_ha, done_t, fenced_ha, n_months):
    """Developed land as % of the fenced area at each month end: the start ``developed0_ha`` plus
    ``area_ha`` of every project done by then (``done_t`` its completion time), added in project
    order."""
    out = np.empty(n_months)
    for m in range(n_months):
        t = m + 1.0
        d = developed0_ha
        for p in range(area_ha.shape[0]):
            d += area_ha[p] * (1.0 if done_t[p] <= t else 0.0)
        out[m] = 100.0 * d / fenced_ha
    return out
