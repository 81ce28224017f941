"""One replication of the zone: SimPy processes and zone state.

Pure: no I/O, no pandas, no plotting. ``simulate(scenario, params, streams)`` depends only on
its arguments. Time is in months (continuous; t = 0 is the start of the first month, t = 12
the end of its year). The processes:

* ``_item``          an infrastructure project or policy milestone: waits for its
                     dependencies and its (delayed) date, then applies its effects;
* ``_lead_source``   month by month, Poisson leads per sector (base rate x effects, plus
                     leads brought by promotion events), each started as a ``_lead``;
* ``_lead``          a lead's life: sign or drop, wait for space (SimPy Container, with a
                     deadline), fit out, wait for a required milestone, open;
* ``_leader``        a leading-enterprise candidate (龙头): signs or not within a window;
* ``_bookkeeping``   at each month end: trade, output, employees by vectorised maths over the
                     operating-firm table; exits release space; at year end counts.

Operating firms are rows of a table (lists turned into arrays at month end), not processes:
once open, a firm's life is fully described by its open and exit times, so it needs no events.
See docs/model.md for the equations.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import simpy

from sim.model.schedule import completion_times
from sim.scenario.schema import Scenario
from sim.vocabulary.outcomes import FLOW_INDICATORS, MODES

INF = float("inf")


@dataclass
class Result:
    """Output of one replication."""
    years: list[int]
    yearly: dict[str, np.ndarray]            # indicator -> value per year
    monthly: dict[str, np.ndarray]           # flow indicator -> value per month
    log: list[tuple[float, str, str]] = field(default_factory=list)   # (t, event, detail), if traced
    base: dict[str, float] = field(default_factory=dict)    # the year before the start (initial firms)
    macro_yearly: np.ndarray | None = None                   # mean macro factor per year (1 = start level)


class FirstFitContainer(simpy.Container):
    """A Container that serves waiting requests first-fit instead of strictly in order.

    SimPy's Container stops at the first request it cannot serve, so one large request (a
    leader waiting for 15 ha) would block every smaller one behind it even with land free.
    Here every waiting request is tried, in arrival order, whenever space is returned."""

    def _do_get(self, event) -> bool:
        super()._do_get(event)
        return True


class _Firms:
    """Table of opened firms (initial, new and leaders): one numpy row per column, grown by doubling.

    A firm's whole operating life is given by its row (open and exit times), so it needs no
    SimPy process once its open time is known."""

    COLS = ("sector", "open_t", "exit_t", "size", "ramp", "employees", "space", "leader")

    def __init__(self, capacity: int = 1024):
        self.n = 0
        self.data = np.zeros((len(self.COLS), capacity))
        self.released = np.zeros(capacity, dtype=bool)     # space already given back

    def add(self, k: int = 1, **cols):
        """Append k rows; each column is an array of length k or a scalar (broadcast)."""
        if self.n + k > self.data.shape[1]:
            cap = max(2 * self.data.shape[1], self.n + k)
            self.data = np.pad(self.data, ((0, 0), (0, cap - self.data.shape[1])))
            self.released = np.pad(self.released, (0, cap - len(self.released)))
        for i, c in enumerate(self.COLS):
            self.data[i, self.n:self.n + k] = cols[c]
        self.n += k

    def arrays(self):
        """Column views of the first n rows (valid until the next add)."""
        return {c: self.data[i, :self.n] for i, c in enumerate(self.COLS)}

    def __len__(self):
        return self.n


class ZoneModel:
    def __init__(self, sc: Scenario, p: dict, streams, trace: bool = False):
        self.sc, self.p, self.streams, self.trace = sc, p, streams, trace
        c, u = sc.constants, p["uncertainties"]
        self.H = sc.run.horizon_months
        self.years = sc.run.years
        self.env = simpy.Environment()
        self.log: list[tuple[float, str, str]] = []
        self.sector_ids = list(c.sectors)
        self.sidx = {s: i for i, s in enumerate(self.sector_ids)}
        self.su = [u["sectors"][s] for s in self.sector_ids]
        self.shares = np.array([[c.sectors[s].mode_shares.get(m, 0.0) for m in MODES]
                                for s in self.sector_ids])
        self.noise_sigma = np.array([x["noise_sigma"] for x in self.su])
        self.output_ratio = np.array([x["output_ratio"] for x in self.su])
        self.manufacturing = np.array([c.sectors[s].manufacturing for s in self.sector_ids])
        self.commodity = np.array([c.sectors[s].commodity_exposed for s in self.sector_ids])
        self.space_kind_arr = np.array([c.sectors[s].space for s in self.sector_ids])

        init = p["initial_state"]
        self.land = FirstFitContainer(self.env, init=init["serviced_land_free_ha"])
        self.warehouse = FirstFitContainer(self.env, init=init["warehouse_free_k_m2"])
        # 开发率 counts land made buildable (七通一平) or built on; occupancy moves land between
        # the two and leaves the rate unchanged, so only initial land and projects move it.
        self.developed0_ha = init["developed_area_ha"] + init["serviced_land_free_ha"]
        self.done = {k: self.env.event() for k in (*c.projects, *c.milestones)}
        self.T = completion_times(sc, u)
        self.lead_mult, self.trade_mult = self._effect_tables()
        self.firms = _Firms()
        self.fdi: list[tuple[float, float]] = []        # (time, 万美元)
        self.leaders_signed: dict[str, list[float]] = {k: [] for k in c.leaders}
        self.lost = {"no_sign": 0, "no_space": 0}

        self._shock_paths()

    # ------------------------------------------------------------------ helpers
    def _note(self, event: str, detail: str) -> None:
        if self.trace:
            self.log.append((round(self.env.now, 9), event, detail))

    def _container(self, kind):
        return self.land if kind == "land" else self.warehouse

    def _shock_paths(self):
        """Shared monthly factors: macro trade index, commodity prices, disruption spells."""
        u, H = self.p["uncertainties"], self.H
        t_mid = np.arange(H) + 0.5
        mac, com, dis = u["macro"], u["commodity"], u["disruption"]
        eps = self.streams("macro").standard_normal(H)
        self.macro = np.exp(mac["growth_per_year"] * t_mid / 12
                            + mac["volatility_per_month"] * (np.cumsum(eps) - 0.5 * eps))
        eps = self.streams("commodity").standard_normal(H)
        self.commodity_index = np.exp(com["drift_per_year"] * t_mid / 12
                                      + com["volatility_per_month"] * (np.cumsum(eps) - 0.5 * eps))
        g = self.streams("disruption")
        n = g.poisson(dis["spells_per_year"] * H / 12)
        onsets = g.uniform(0, H, n)
        lengths = g.exponential(dis["length_months"], n) if dis["length_months"] > 0 else np.zeros(n)
        covered = np.zeros(H)
        for a, b in zip(onsets, onsets + lengths):
            lo, hi = np.arange(H), np.arange(H) + 1.0
            covered = np.maximum(covered, np.clip(np.minimum(hi, b) - np.maximum(lo, a), 0, 1))
        depth = min(dis["depth"], self.sc.constants.max_disruption_depth)
        self.disruption = 1.0 - depth * covered
        self.spells = list(zip(onsets.tolist(), lengths.tolist()))

    # ------------------------------------------------------------------ infrastructure & milestones
    def _effect_tables(self):
        """Lead-rate multipliers [month, sector] and trade multipliers [month, mode]: an item's
        effect applies to month m when it is done by the start of that month (T <= m)."""
        c = self.sc.constants
        months = np.arange(self.H)
        lead = np.ones((self.H, len(self.sector_ids)))
        trade = np.ones((self.H, len(MODES)))
        for iid, spec in {**c.projects, **c.milestones}.items():
            on = months >= self.T[iid]
            for s, f in spec.lead_rate_multiplier.items():
                lead[on, self.sidx[s]] *= f
            for mode, f in spec.trade_multiplier.items():
                trade[on, MODES.index(mode)] *= f
        return lead, trade

    def _developed_ha(self, t: float) -> float:
        """Serviced or built land at time t: the start plus every project done by t."""
        return self.developed0_ha + sum(p.serviced_land_ha + p.footprint_ha
                                        for pid, p in self.sc.constants.projects.items() if self.T[pid] <= t)

    def _item(self, kind: str, iid: str, spec):
        """At its completion time, a project puts its land and warehouse space on offer; either
        kind releases the firms waiting for it."""
        yield self.env.timeout(self.T[iid])
        if kind == "project":
            if spec.serviced_land_ha > 0:
                yield self.land.put(spec.serviced_land_ha)
            if spec.warehouse_k_m2 > 0:
                yield self.warehouse.put(spec.warehouse_k_m2)
        self._note(f"{kind}_done", iid)
        self.done[iid].succeed()

    # ------------------------------------------------------------------ enterprises
    def _lead_source(self):
        """Leads month by month: Poisson counts with the month's rate, uniform times within it.

        Each lead's signing decision, signing delay and fit-out time are drawn on arrival. A
        signed firm that needs no space and waits for no pending milestone cannot be held up by
        anything, so its open time is known at once and it joins the firm table directly; the
        others become ``_signed`` processes that compete for space or wait for the milestone."""
        lv = self.sc.levers
        base = np.array([x["lead_rate_per_month"] for x in self.su])
        weights = base / base.sum() if base.sum() > 0 else np.zeros_like(base)
        per_event = self.p["uncertainties"]["promotion"]["leads_per_event"]
        n_ev = lv.promotion_events_per_year
        # events evenly spread over each year: event k of a year falls in month floor((k + .5) * 12 / n)
        event_months = np.zeros(12, int)
        for k in range(n_ev):
            event_months[int((k + 0.5) * 12 / n_ev)] += 1
        c = self.sc.constants
        for m in range(self.H):
            for i, s in enumerate(self.sector_ids):
                lam = base[i] * self.lead_mult[m, i] + event_months[m % 12] * per_event * weights[i]
                if lam <= 0:
                    continue
                g = self.streams(f"arrivals:{s}")
                n = g.poisson(lam)
                if n == 0:
                    continue
                x = self.su[i]
                arrive = np.sort(g.uniform(m, m + 1, n))
                signs = g.random(n) < x["sign_prob"]
                delay = g.exponential(x["sign_delay_months"], n) if x["sign_delay_months"] > 0 else np.zeros(n)
                fitout = g.exponential(x["fitout_months"], n) if x["fitout_months"] > 0 else np.zeros(n)
                self.lost["no_sign"] += int(n - signs.sum())
                t_sign, fitout = arrive[signs] + delay[signs], fitout[signs]
                if not len(t_sign):
                    continue
                spec = c.sectors[s]
                gate = spec.requires_milestone
                if (spec.space != "none" and spec.space_per_firm > 0) or (gate and self.T[gate] > m):
                    attrs = zip(t_sign.tolist(), fitout.tolist(), *(a.tolist() for a in self._firm_attributes(s, len(t_sign))))
                    for a in attrs:
                        self.env.process(self._signed(s, *a))
                else:
                    self._open_now_known(s, t_sign, fitout)
            if event_months[m % 12]:
                self._note("promotion", f"month {m + 1}: {event_months[m % 12]} event(s)")
            yield self.env.timeout(1.0)

    def _firm_attributes(self, s: str, n: int):
        """Size, employees, FDI and exit time (relative to opening) of n new firms of sector s."""
        x = self.su[self.sidx[s]]
        g = self.streams(f"firms:{s}")
        foreign = g.random(n) < x["foreign_prob"]
        fdi = g.exponential(x["fdi_wan_usd"], n) * foreign if x["fdi_wan_usd"] > 0 else np.zeros(n)
        size = x["trade_median_yi"] * np.exp(x["trade_sigma"] * g.standard_normal(n))
        employees = x["employees_median"] * np.exp(x["employees_sigma"] * g.standard_normal(n))
        rate = x["exit_rate_per_year"]
        exit_rel = g.exponential(12.0 / rate, n) if rate > 0 else np.full(n, INF)
        return fdi, size, employees, exit_rel

    def _pay_fdi(self, t0, fdi) -> None:
        """FDI of each firm is paid in equal tranches from t0 (when the firm has its space)."""
        c = self.sc.constants
        t0, fdi = np.atleast_1d(t0), np.atleast_1d(fdi)
        paying = fdi > 0
        if paying.any():
            k = c.fdi_tranches
            times = t0[paying, None] + c.fdi_tranche_interval_months * np.arange(k)
            self.fdi.extend(zip(times.ravel().tolist(), np.repeat(fdi[paying] / k, k).tolist()))

    def _open_now_known(self, s: str, t_sign: np.ndarray, fitout: np.ndarray) -> None:
        fdi, size, employees, exit_rel = self._firm_attributes(s, len(t_sign))
        self._pay_fdi(t_sign, fdi)
        open_t = t_sign + fitout
        self.firms.add(len(t_sign), sector=self.sidx[s], open_t=open_t, exit_t=open_t + exit_rel, size=size,
                       ramp=self.su[self.sidx[s]]["rampup_months"], employees=employees, space=0.0, leader=0.0)
        if self.trace:
            self.log.extend((round(float(t), 9), "signed", s) for t in t_sign)
            self.log.extend((round(float(t), 9), "opened", s) for t in open_t)

    def _signed(self, s: str, t_sign: float, fitout: float, fdi: float, size: float, employees: float,
                exit_rel: float):
        """A signed firm that needs space (waits at most max_wait_months) or a pending milestone."""
        x = self.su[self.sidx[s]]
        yield self.env.timeout(t_sign - self.env.now)
        self._note("signed", s)
        spec = self.sc.constants.sectors[s]
        need = spec.space_per_firm if spec.space != "none" else 0.0
        if need > 0:
            req = self._container(spec.space).get(need)
            got = yield req | self.env.timeout(x["max_wait_months"])
            if req not in got:
                req.cancel()
                self.lost["no_space"] += 1
                self._note("lost_no_space", s)
                return
        self._pay_fdi(self.env.now, fdi)
        yield from self._fit_out_and_open(s, fitout, dict(size=size, employees=employees, exit_rel=exit_rel,
                                                          ramp=x["rampup_months"], space=need, leader=0.0))

    def _fit_out_and_open(self, s, fitout, attrs, label=None):
        if fitout > 0:
            yield self.env.timeout(fitout)
        gate = self.sc.constants.sectors[s].requires_milestone
        if gate and not self.done[gate].triggered:
            self._note("waits_for", f"{s}:{gate}")
            yield self.done[gate]
        now = self.env.now
        self.firms.add(sector=self.sidx[s], open_t=now, exit_t=now + attrs["exit_rel"], size=attrs["size"],
                       ramp=attrs["ramp"], employees=attrs["employees"], space=attrs["space"],
                       leader=attrs["leader"])
        self._note("opened", label or s)

    def _leader(self, lid: str, k: int):
        spec = self.sc.constants.leaders[lid]
        lu = self.p["uncertainties"]["leaders"][lid]
        g = self.streams(f"leaders:{lid}:{k}")
        t_sign = g.uniform(0, spec.window_months)
        signs = g.random() < lu["sign_prob"]
        if not signs:
            return
        yield self.env.timeout(t_sign)
        self.leaders_signed[lid].append(self.env.now)
        self._note("leader_signed", lid)
        kind = self.sc.constants.sectors[spec.sector].space
        need = spec.space_per_firm if kind != "none" else 0.0
        if need > 0:                              # a leader waits for space as long as it takes
            yield self._container(kind).get(need)
        self._pay_fdi(self.env.now, lu["fdi_wan_usd"])
        yield from self._fit_out_and_open(
            spec.sector, lu["fitout_months"],
            dict(size=lu["trade_yi"], employees=lu["employees"], exit_rel=INF, ramp=lu["rampup_months"],
                 space=need, leader=1.0), label=f"leader:{lid}")

    def _seed_initial_firms(self):
        init = self.p["initial_state"]["enterprises"]
        for s in self.sector_ids:
            x = self.su[self.sidx[s]]
            g = self.streams(f"initial:{s}")
            n = int(np.floor(init[s] + 0.5))       # round half up
            if n == 0:
                continue
            size = x["trade_median_yi"] * np.exp(x["trade_sigma"] * g.standard_normal(n))
            emp = x["employees_median"] * np.exp(x["employees_sigma"] * g.standard_normal(n))
            ex = (g.exponential(12.0 / x["exit_rate_per_year"], n) if x["exit_rate_per_year"] > 0
                  else np.full(n, INF))
            spec = self.sc.constants.sectors[s]
            space = spec.space_per_firm if spec.space != "none" else 0.0
            self.firms.add(n, sector=self.sidx[s], open_t=-INF, exit_t=ex, size=size, ramp=0.0, employees=emp,
                           space=space, leader=0.0)

    # ------------------------------------------------------------------ monthly bookkeeping
    def _bookkeeping(self, out):
        c = self.sc.constants
        season = np.asarray(c.seasonality)
        noise_g = self.streams("trade_noise")
        for m in range(self.H):
            yield self.env.timeout(1.0)           # now = m + 1: end of month m
            f = self.firms.arrays()
            sec = f["sector"].astype(int)
            lo, hi = float(m), float(m + 1)
            frac = np.clip(np.minimum(hi, f["exit_t"]) - np.maximum(lo, f["open_t"]), 0.0, 1.0)
            mid = 0.5 * (np.maximum(lo, f["open_t"]) + np.minimum(hi, f["exit_t"]))
            with np.errstate(divide="ignore", invalid="ignore"):
                ramp = np.where(f["ramp"] > 0, np.clip((mid - f["open_t"]) / f["ramp"], 0, 1), 1.0)
            sig = self.noise_sigma[sec]
            noise = np.exp(sig * noise_g.standard_normal(len(sec)) - 0.5 * sig ** 2)
            level = self.macro[m] * self.disruption[m] * season[m % 12]
            com = np.where(self.commodity[sec], self.commodity_index[m], 1.0)
            trade = f["size"] / 12.0 * frac * ramp * noise * com * level
            n_sec = len(self.sector_ids)
            out["trade_by_mode"][m] = (np.bincount(sec, weights=trade, minlength=n_sec) @ self.shares) * self.trade_mult[m]
            above = self.manufacturing[sec] & (f["size"] * self.output_ratio[sec] >= c.above_size_revenue_yi)
            out["industrial_output"][m] = float(np.bincount(sec, weights=trade * above, minlength=n_sec)
                                                @ self.output_ratio)
            self._month_end(m, f, sec, out)
            if (m + 1) % 12 == 0:
                self._year_end((m + 1) // 12 - 1, f, sec, out)
            # exits during this month give their space back (one put per kind of space)
            leaving = (f["exit_t"] > lo) & (f["exit_t"] <= hi) & (f["space"] > 0) & ~self.firms.released[:len(sec)]
            if leaving.any():
                self.firms.released[:len(sec)] |= leaving
                for kind in ("land", "warehouse"):
                    amount = float(f["space"][leaving & (self.space_kind_arr[sec] == kind)].sum())
                    if amount > 0:
                        yield self._container(kind).put(amount)

    def _month_end(self, m: int, f, sec, out):
        """Stocks at the end of month m: firms active so far this year, employees, development."""
        t1 = float(m + 1)
        t0 = 12.0 * (m // 12)
        active = (f["open_t"] < t1) & (f["exit_t"] > t0)
        operating = (f["open_t"] <= t1) & (f["exit_t"] > t1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ramp = np.where(f["ramp"] > 0, np.clip((t1 - f["open_t"]) / f["ramp"], 0, 1), 1.0)
        out["active_enterprises"][m] = int(active.sum())
        out["employees"][m] = float(np.sum(f["employees"] * ramp * operating))
        out["development_rate"][m] = 100.0 * self._developed_ha(t1) / (self.sc.constants.fenced_area_km2 * 100)

    def _year_end(self, yi: int, f, sec, out):
        """Programme counts of the year: Poisson, with a rate that grows with operating firms."""
        t1 = 12.0 * (yi + 1)
        operating = (f["open_t"] <= t1) & (f["exit_t"] > t1)
        for k, spec in self.sc.constants.counts.items():
            cu = self.p["uncertainties"]["counts"][k]
            n_firms = sum(int(np.sum(operating & (sec == self.sidx[s]))) for s in spec.per_firm_sectors)
            lam = cu["base_per_year"] + cu["per_firm_per_year"] * n_firms
            out[f"count:{k}"][yi] = self.streams(f"counts:{k}").poisson(lam)
        self._note("year_end", str(self.years[yi]))

    # ------------------------------------------------------------------ run
    def run(self) -> Result:
        c, lv = self.sc.constants, self.sc.levers
        self._seed_initial_firms()
        for pid, spec in c.projects.items():
            self.env.process(self._item("project", pid, spec))
        for mid, spec in c.milestones.items():
            self.env.process(self._item("milestone", mid, spec))
        for lid in c.leaders:
            for k in range(lv.leader_candidates[lid]):
                self.env.process(self._leader(lid, k))
        self.env.process(self._lead_source())
        ny, H = len(self.years), self.H
        out = {"trade_by_mode": np.zeros((H, len(MODES))), "industrial_output": np.zeros(H),
               "active_enterprises": np.zeros(H), "employees": np.zeros(H), "development_rate": np.zeros(H),
               **{f"count:{k}": np.zeros(ny) for k in c.counts}}
        self.env.process(self._bookkeeping(out))
        self.env.run(until=self.H + 1e-9)
        return self._result(out)

    def _result(self, out) -> Result:
        """Monthly series (flows per month; stocks at month end) and yearly indicators.

        A flow's yearly value is the sum of its months; a stock's is its December value, so the
        year-to-date value of every indicator in December equals its yearly value."""
        c, ny, H = self.sc.constants, len(self.years), self.H
        ends = np.arange(1, H + 1, dtype=float)
        mo = {f"trade_{m}": out["trade_by_mode"][:, j] for j, m in enumerate(MODES)}
        mo["trade_total"] = out["trade_by_mode"].sum(axis=1)
        mo["industrial_output"] = out["industrial_output"]
        fdi = np.zeros(H)
        for t, amount in self.fdi:
            if 0 <= t < H:
                fdi[int(t)] += amount
        mo["fdi_usd"] = fdi
        for k in ("active_enterprises", "employees", "development_rate"):
            mo[k] = out[k]
        business = [k for k, m in c.milestones.items() if m.business_type]
        mo["new_business_types"] = np.array([sum(self.T[k] <= e for k in business) for e in ends],
                                            dtype=float)
        for lid, times in self.leaders_signed.items():
            mo[f"leaders_{lid}"] = np.array([sum(t <= e for t in times) for e in ends], dtype=float)
        for k in (*c.projects, *c.milestones):
            mo[f"done_{k}"] = (self.T[k] <= ends).astype(float)
        yearly = {}
        for k, v in mo.items():
            by_year = v.reshape(ny, 12)
            yearly[k] = by_year.sum(axis=1) if k in FLOW_INDICATORS else by_year[:, -1]
        for k in c.counts:
            yearly[k] = out[f"count:{k}"]
        log = sorted((e for e in self.log if e[0] <= H), key=lambda e: e[0])   # nothing after the horizon
        return Result(years=list(self.years), yearly=yearly, monthly=mo, log=log,
                      base=self._base_year(), macro_yearly=self.macro.reshape(ny, 12).mean(axis=1))

    def _base_year(self) -> dict[str, float]:
        """The zone in the year before the start, as the initial firms describe it: their full-size
        trade by mode (seasonality averages 1, macro level 1) and their count."""
        f = self.firms.arrays()
        init = f["open_t"] == -INF
        sec = f["sector"][init].astype(int)
        by_mode = np.bincount(sec, weights=f["size"][init], minlength=len(self.sector_ids)) @ self.shares
        base = {f"trade_{m}": float(v) for m, v in zip(MODES, by_mode)}
        base["trade_total"] = float(by_mode.sum())
        base["active_enterprises"] = float(init.sum())
        return base


def simulate(sc: Scenario, params: dict, streams, trace: bool = False) -> Result:
    """Run one replication: scenario + drawn parameters + random streams -> indicators."""
    return ZoneModel(sc, params, streams, trace=trace).run()
