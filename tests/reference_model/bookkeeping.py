"""Month-end bookkeeping of one replication and the assembly of its indicators (:class:`Result`).

At each month end the operating-firm table is read as arrays and the month's flows (trade by
customs mode, industrial output) and stocks (active enterprises, employees, development rate)
are computed in vectorised form; at each year end, the programme counts are drawn. After the
run the monthly series become monthly and yearly indicators. See docs/model.md, §3 and §7.7-7.13.
"""

from __future__ import annotations

import numpy as np

from reference_model.state import INF, ZoneState
from sim.model.bookkeeping import Result
from sim.vocabulary.outcomes import FLOW_INDICATORS, MODES


class Books:
    """The monthly record of one replication, filled month end by month end.

    ``out`` holds, per month, ``trade_by_mode`` [month, mode], ``industrial_output``,
    ``active_enterprises``, ``employees`` and ``development_rate``, and per year ``count:<k>``
    for each programme count."""

    def __init__(self, z: ZoneState):
        self.z = z
        c, ny, H = z.sc.constants, len(z.years), z.H
        self.season = np.asarray(c.seasonality)
        self.noise_g = z.streams("trade_noise")
        self.out = {
            "trade_by_mode": np.zeros((H, len(MODES))),
            "industrial_output": np.zeros(H),
            "active_enterprises": np.zeros(H),
            "employees": np.zeros(H),
            "development_rate": np.zeros(H),
            **{f"count:{k}": np.zeros(ny) for k in c.counts},
        }

    def close_month(self, m: int, f, sec) -> None:
        """Record month m, given the firm table's columns ``f`` and sector indices ``sec``: its
        flows, its end-of-month stocks and, at a year end, the year's programme counts."""
        z, out, c = self.z, self.out, self.z.sc.constants
        lo, hi = float(m), float(m + 1)
        frac = np.clip(np.minimum(hi, f["exit_t"]) - np.maximum(lo, f["open_t"]), 0.0, 1.0)
        mid = 0.5 * (np.maximum(lo, f["open_t"]) + np.minimum(hi, f["exit_t"]))
        with np.errstate(divide="ignore", invalid="ignore"):
            ramp = np.where(f["ramp"] > 0, np.clip((mid - f["open_t"]) / f["ramp"], 0, 1), 1.0)
        sig = z.noise_sigma[sec]
        noise = np.exp(sig * self.noise_g.standard_normal(len(sec)) - 0.5 * sig**2)
        level = z.macro[m] * z.disruption[m] * self.season[m % 12]
        com = np.where(z.commodity_exposed[sec], z.commodity_index[m], 1.0)
        trade = f["size"] / 12.0 * frac * ramp * noise * com * level
        n_sec = len(z.sector_ids)
        out["trade_by_mode"][m] = (np.bincount(sec, weights=trade, minlength=n_sec) @ z.shares) * z.trade_mult[m]
        above = z.manufacturing[sec] & (f["size"] * z.output_ratio[sec] >= c.above_size_revenue_yi)
        out["industrial_output"][m] = float(np.bincount(sec, weights=trade * above, minlength=n_sec) @ z.output_ratio)
        self._stocks(m, f)
        if (m + 1) % 12 == 0:
            self._counts((m + 1) // 12 - 1, f, sec)

    def _stocks(self, m: int, f) -> None:
        """Stocks at the end of month m: firms active so far this year, employees, development."""
        z, out = self.z, self.out
        t1 = float(m + 1)
        t0 = 12.0 * (m // 12)
        active = (f["open_t"] < t1) & (f["exit_t"] > t0)
        operating = (f["open_t"] <= t1) & (f["exit_t"] > t1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ramp = np.where(f["ramp"] > 0, np.clip((t1 - f["open_t"]) / f["ramp"], 0, 1), 1.0)
        out["active_enterprises"][m] = int(active.sum())
        out["employees"][m] = float(np.sum(f["employees"] * ramp * operating))
        out["development_rate"][m] = 100.0 * z.developed_ha(t1) / (z.sc.constants.fenced_area_km2 * 100)

    def _counts(self, yi: int, f, sec) -> None:
        """Programme counts of year yi: Poisson, with a rate that grows with operating firms."""
        z = self.z
        t1 = 12.0 * (yi + 1)
        operating = (f["open_t"] <= t1) & (f["exit_t"] > t1)
        for k, spec in z.sc.constants.counts.items():
            cu = z.p["uncertainties"]["counts"][k]
            n_firms = sum(int(np.sum(operating & (sec == z.sidx[s]))) for s in spec.per_firm_sectors)
            lam = cu["base_per_year"] + cu["per_firm_per_year"] * n_firms
            self.out[f"count:{k}"][yi] = z.streams(f"counts:{k}").poisson(lam)
        z.note("year_end", str(z.years[yi]))

    def result(self) -> Result:
        """Monthly series (flows per month; stocks at month end) and yearly indicators.

        A flow's yearly value is the sum of its months; a stock's is its December value, so the
        year-to-date value of every indicator in December equals its yearly value."""
        z, out = self.z, self.out
        c, ny, H = z.sc.constants, len(z.years), z.H
        ends = np.arange(1, H + 1, dtype=float)
        mo = {f"trade_{m}": out["trade_by_mode"][:, j] for j, m in enumerate(MODES)}
        mo["trade_total"] = out["trade_by_mode"].sum(axis=1)
        mo["industrial_output"] = out["industrial_output"]
        fdi = np.zeros(H)
        for t, amount in z.fdi:
            if 0 <= t < H:
                fdi[int(t)] += amount
        mo["fdi_usd"] = fdi
        for k in ("active_enterprises", "employees", "development_rate"):
            mo[k] = out[k]
        business = [k for k, m in c.milestones.items() if m.business_type]
        mo["new_business_types"] = np.array([sum(z.T[k] <= e for k in business) for e in ends], dtype=float)
        for lid, times in z.leaders_signed.items():
            mo[f"leaders_{lid}"] = np.array([sum(t <= e for t in times) for e in ends], dtype=float)
        for k in (*c.projects, *c.milestones):
            mo[f"done_{k}"] = (z.T[k] <= ends).astype(float)
        yearly = {}
        for k, v in mo.items():
            by_year = v.reshape(ny, 12)
            yearly[k] = by_year.sum(axis=1) if k in FLOW_INDICATORS else by_year[:, -1]
        for k in c.counts:
            yearly[k] = out[f"count:{k}"]
        log = sorted((e for e in z.log if e[0] <= H), key=lambda e: e[0])  # nothing after the horizon
        return Result(
            years=list(z.years),
            yearly=yearly,
            monthly=mo,
            log=log,
            base=base_year(z),
            macro_yearly=z.macro.reshape(ny, 12).mean(axis=1),
        )


def base_year(z: ZoneState) -> dict[str, float]:
    """The zone in the year before the start, as the initial firms describe it: their full-size
    trade by mode (seasonality averages 1, macro level 1) and their count."""
    f = z.firms.arrays()
    init = f["open_t"] == -INF
    sec = f["sector"][init].astype(int)
    by_mode = np.bincount(sec, weights=f["size"][init], minlength=len(z.sector_ids)) @ z.shares
    base = {f"trade_{m}": float(v) for m, v in zip(MODES, by_mode, strict=True)}
    base["trade_total"] = float(by_mode.sum())
    base["active_enterprises"] = float(init.sum())
    return base
