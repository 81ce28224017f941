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

from sim.model.numpy_sum import block


@numba.njit(cache=True, nogil=True)
def firm_months(
    noise,
    initial,
    later,
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

    The firms are the initial ones, then the later ones that had their space, in row order.
    ``initial`` = (``open_t``, ``exit_t``, ``ramp``, ``size``, ``employees``, ``sector``,
    ``origin``, ``fdi``, ``fdi_t``) per firm: open and exit times (months), ``ramp`` length (0:
    none), yearly ``size``, ``employees`` at full size, ``sector`` index, ``origin`` 0 if it is
    an initial firm (it trades as its sector's cohort, and ``cohort_above`` says, initial firm by
    initial firm, whether it counts toward output above designated size), ``fdi`` paid in
    ``tranches`` equal parts ``interval`` months apart from ``fdi_t``. ``later`` = (``served``,
    ``fitout``, ``ready``, ``life``, ``ramp``, ``size``, ``employees``, ``sector``, ``origin``,
    ``fdi``) per signed firm: when it had its space (inf: never, it is left out), its fit-out
    months, the earliest it may open and its lifetime; it opens at max(served + fitout, ready),
    exits a lifetime later and pays its FDI from ``served``. Per sector: ``sig`` the noise sigma,
    ``damp`` = exp(-sigma^2 / 2) (so the noise factor has mean 1), ``above_sector`` whether it is
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
    i_open, i_exit, i_ramp, i_size, i_staff, i_sector, i_origin, i_fdi, i_fdi_t = initial
    served, fitout, ready, life, l_ramp, l_size, l_staff, l_sector, l_origin, l_fdi = later
    n_initial = i_open.shape[0]
    for i in range(n_initial + served.shape[0]):
        if i < n_initial:
            o, e, r, size, full, s = i_open[i], i_exit[i], i_ramp[i], i_size[i], i_staff[i], i_sector[i]
            origin, fdi, fdi_t = i_origin[i], i_fdi[i], i_fdi_t[i]
        else:
            j = i - n_initial
            fdi_t = served[j]
            if not np.isfinite(fdi_t):
                continue
            o = max(fdi_t + fitout[j], ready[j])
            e, r, size, full, s = o + life[j], l_ramp[j], l_size[j], l_staff[j], l_sector[j]
            origin, fdi = l_origin[j], l_fdi[j]
        if origin == 0:
            if k >= cohort_above.shape[0]:
                raise ValueError("more initial firms than the cohort describes")
            g, above = n_sectors + s, cohort_above[k]
            k += 1
        else:
            g, above = s, above_sector[s] and size * ratio[s] >= threshold
        scale = size / 12.0 * damp[s]
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
                staff[m] += full * (min(max((hi - o) / r, 0.0), 1.0) if r > 0.0 else 1.0)
                if m % 12 == 11:
                    operating[s, m // 12] += 1.0
        if fdi > 0.0 and np.isfinite(fdi_t):
            part = fdi / tranches
            for j in range(tranches):
                t = fdi_t + interval * j
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


MODE, TOTAL, OUTPUT, FDI, ACTIVE, STAFF, DEVELOPMENT, BUSINESS, LEADERS, DONE = range(10)
"""What a monthly series is (``kind`` of :func:`series`): trade in one customs mode, total trade,
output above designated size, FDI paid, active enterprises, employees, the development rate,
business types open, a pipeline's leaders signed, an item done."""


@numba.njit(cache=True, nogil=True)
def series(
    kind,
    index,
    is_flow,
    trade,
    trade_mult,
    output,
    paid,
    active,
    staff,
    done_t,
    is_business,
    developed0_ha,
    area_ha,
    area_item,
    fenced_ha,
    leader_key,
    t,
    origin,
    group,
    macro,
    base,
    per_firm,
    members,
    operating,
):
    """Every monthly series of a replication, its yearly values, the yearly mean macro factor and
    the programme counts' yearly rates, in one pass.

    Row r of ``series`` [row, month] is of ``kind[r]`` (module constants) with ``index[r]`` its
    customs mode, pipeline or item: trade in a mode is ``trade`` [month, mode] x ``trade_mult``;
    total trade the modes' sum, added in mode order; output, FDI, active enterprises and
    employees are ``output``, ``paid``, ``active`` and ``staff``; an item is done (1) at a month
    end at or after ``done_t``; business types open count the done items of ``is_business``;
    the development rate is :func:`development_rate`'s (``area_ha`` of project ``p`` done at
    ``done_t[area_item[p]]``); a pipeline's leaders are the signed rows (``t``, ``origin``,
    ``group``) of origin 2 (a leader) and group ``leader_key[p]`` signed by the month end.

    ``values`` [row, year]: a flow's (``is_flow``) sum of its twelve months, a stock's December;
    the sum of twelve months and the yearly mean of ``macro`` add as numpy's pairwise sum does
    (:func:`~sim.model.numpy_sum.block`: eight partial sums, then the last four months in order), so they are numpy's ``sum`` to the
    bit. ``lam`` [count, year] is ``base`` + ``per_firm`` x the firms operating at the year end
    (``operating`` [sector, year]) of the sectors ``members`` [count, sector] counts (whole
    numbers: their sum is exact in any order)."""
    n_months = active.shape[0]
    n_years = n_months // 12
    out = np.zeros((kind.shape[0], n_months))
    for r in range(kind.shape[0]):
        k, j = kind[r], index[r]
        row = out[r]
        if k == MODE:
            for m in range(n_months):
                row[m] = trade[m, j] * trade_mult[m, j]
        elif k == TOTAL:
            for m in range(n_months):
                v = trade[m, 0] * trade_mult[m, 0]
                for c in range(1, trade.shape[1]):
                    v += trade[m, c] * trade_mult[m, c]
                row[m] = v
        elif k == OUTPUT:
            row[:] = output
        elif k == FDI:
            row[:] = paid
        elif k == ACTIVE:
            row[:] = active
        elif k == STAFF:
            row[:] = staff
        elif k == DEVELOPMENT:
            row[:] = development_rate(developed0_ha, area_ha, done_t[area_item], fenced_ha, n_months)
        elif k == BUSINESS:
            for i in range(done_t.shape[0]):
                if is_business[i]:
                    for m in range(n_months):
                        if done_t[i] <= m + 1.0:
                            row[m] += 1.0
        elif k == LEADERS:
            for i in range(t.shape[0]):
                if origin[i] == 2 and group[i] == leader_key[j]:
                    for m in range(n_months):
                        if t[i] <= m + 1.0:
                            row[m] += 1.0
        elif k == DONE:
            for m in range(n_months):
                row[m] = 1.0 if done_t[j] <= m + 1.0 else 0.0
    values = np.empty((kind.shape[0], n_years))
    for r in range(kind.shape[0]):
        for y in range(n_years):
            values[r, y] = block(out[r], 12 * y, 12) if is_flow[r] else out[r, 12 * y + 11]
    macro_yearly = np.empty(n_years)
    for y in range(n_years):
        macro_yearly[y] = block(macro, 12 * y, 12) / 12
    lam = np.empty((base.shape[0], n_years))
    for c in range(base.shape[0]):
        for y in range(n_years):
            n = 0.0
            for s in range(members.shape[1]):
                n += members[c, s] * operating[s, y]
            lam[c, y] = base[c] + per_firm[c] * n
    return out, values, macro_yearly, lam


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
