"""The zone's state in one replication, set up at t = 0 from the scenario and the drawn parameters.

Everything the processes (:mod:`sim.model.processes`) move and the bookkeeping
(:mod:`sim.model.bookkeeping`) reads lives here: the SimPy environment, the two space
containers, the firm table, the completion times and the effect tables derived from them, the
shared shock paths and the initial firms. What can be known before the run is computed here,
once, so no effect depends on the order of events at the same instant.
"""

from __future__ import annotations

import numpy as np
import simpy

from sim.model.schedule import completion_times
from sim.scenario.schema import Scenario
from sim.vocabulary.outcomes import MODES

INF = float("inf")


class FirstFitContainer(simpy.Container):
    """A Container that serves waiting requests first-fit instead of strictly in order.

    SimPy's Container stops at the first request it cannot serve, so one large request (a
    leader waiting for 15 ha) would block every smaller one behind it even with land free.
    Here every waiting request is tried, in arrival order, whenever space is returned."""

    def _do_get(self, event) -> bool:
        super()._do_get(event)
        return True


class FirmTable:
    """Table of opened firms (initial, new and leaders): one numpy row per column, grown by doubling.

    A firm's whole operating life is given by its row (open and exit times), so it needs no
    SimPy process once its open time is known. Columns (``COLS``): sector index, open time
    (-inf for initial firms), exit time (inf if never), full yearly trade size (亿元), ramp-up
    length (months), full-size employees, space held (ha or 1000 m², 0 if none), leader flag
    (1.0 or 0.0). ``released[i]`` is True once row i's space has been given back."""

    COLS = ("sector", "open_t", "exit_t", "size", "ramp", "employees", "space", "leader")

    def __init__(self, capacity: int = 1024):
        self.n = 0
        self.data = np.zeros((len(self.COLS), capacity))
        self.released = np.zeros(capacity, dtype=bool)

    def add(self, k: int = 1, **cols):
        """Append k rows; each column is an array of length k or a scalar (broadcast)."""
        if self.n + k > self.data.shape[1]:
            cap = max(2 * self.data.shape[1], self.n + k)
            self.data = np.pad(self.data, ((0, 0), (0, cap - self.data.shape[1])))
            self.released = np.pad(self.released, (0, cap - len(self.released)))
        for i, c in enumerate(self.COLS):
            self.data[i, self.n : self.n + k] = cols[c]
        self.n += k

    def arrays(self):
        """Column views of the first n rows (valid until the next add)."""
        return {c: self.data[i, : self.n] for i, c in enumerate(self.COLS)}

    def __len__(self):
        return self.n


class ZoneState:
    """One replication's zone at t = 0 and as the processes move it.

    Inputs: ``sc`` the scenario, ``p`` the drawn parameters (``uncertainties``,
    ``initial_state``), ``streams`` the replication's random streams, ``trace`` whether to keep
    an event log. Set up from them:

    * ``H`` horizon in months; ``years`` the calendar years; ``env`` the SimPy environment;
    * ``log`` the event log, (t, event, detail) tuples, filled only if ``trace``;
    * ``sector_ids`` sectors in file order, ``sidx`` sector id -> index, ``su`` each sector's
      drawn uncertainties; per sector index: ``shares`` [sector, mode] customs-mode shares,
      ``noise_sigma``, ``output_ratio``, ``manufacturing`` and ``commodity_exposed`` flags,
      ``space_kind`` ("land", "warehouse" or "none");
    * ``land`` free serviced land (ha) and ``warehouse`` free warehouse space (1000 m²);
    * ``developed0_ha`` land developed at the start: built on or serviced (开发率 counts both,
      so occupancy moving land between them leaves the rate unchanged);
    * ``done`` item id -> SimPy event, triggered at the item's completion;
    * ``T`` item id -> completion time (:func:`~sim.model.schedule.completion_times`);
    * ``lead_mult`` [month, sector] lead-rate and ``trade_mult`` [month, mode] trade multipliers;
    * ``firms`` the firm table, with the initial firms already in it;
    * ``fdi`` FDI tranches as (time, amount in 万美元); ``leaders_signed`` pipeline id -> signing
      times; ``lost`` leads lost for want of signing or of space;
    * shared monthly paths: ``macro`` trade factor, ``commodity_index``, ``disruption`` factor,
      and ``spells`` the disruption spells as (onset, length).
    """

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
        self.shares = np.array([[c.sectors[s].mode_shares.get(m, 0.0) for m in MODES] for s in self.sector_ids])
        self.noise_sigma = np.array([x["noise_sigma"] for x in self.su])
        self.output_ratio = np.array([x["output_ratio"] for x in self.su])
        self.manufacturing = np.array([c.sectors[s].manufacturing for s in self.sector_ids])
        self.commodity_exposed = np.array([c.sectors[s].commodity_exposed for s in self.sector_ids])
        self.space_kind = np.array([c.sectors[s].space for s in self.sector_ids])

        init = p["initial_state"]
        self.land = FirstFitContainer(self.env, init=init["serviced_land_free_ha"])
        self.warehouse = FirstFitContainer(self.env, init=init["warehouse_free_k_m2"])
        self.developed0_ha = init["developed_area_ha"] + init["serviced_land_free_ha"]
        self.done = {k: self.env.event() for k in (*c.projects, *c.milestones)}
        self.T = completion_times(sc, u)
        self.lead_mult, self.trade_mult = self._effect_tables()
        self.firms = FirmTable()
        self.fdi: list[tuple[float, float]] = []
        self.leaders_signed: dict[str, list[float]] = {k: [] for k in c.leaders}
        self.lost = {"no_sign": 0, "no_space": 0}

        self._shock_paths()
        self._seed_initial_firms()

    def note(self, event: str, detail: str) -> None:
        """Log an event at the current time, if tracing."""
        if self.trace:
            self.log.append((round(self.env.now, 9), event, detail))

    def container(self, kind):
        """The container of a kind of space ("land" or "warehouse")."""
        return self.land if kind == "land" else self.warehouse

    def developed_ha(self, t: float) -> float:
        """Serviced or built land at time t: the start plus every project done by t."""
        return self.developed0_ha + sum(
            p.serviced_land_ha + p.footprint_ha for pid, p in self.sc.constants.projects.items() if self.T[pid] <= t
        )

    def _shock_paths(self):
        """Shared monthly factors: macro trade index, commodity prices, disruption spells."""
        u, H = self.p["uncertainties"], self.H
        t_mid = np.arange(H) + 0.5
        mac, com, dis = u["macro"], u["commodity"], u["disruption"]
        eps = self.streams("macro").standard_normal(H)
        self.macro = np.exp(
            mac["growth_per_year"] * t_mid / 12 + mac["volatility_per_month"] * (np.cumsum(eps) - 0.5 * eps)
        )
        eps = self.streams("commodity").standard_normal(H)
        self.commodity_index = np.exp(
            com["drift_per_year"] * t_mid / 12 + com["volatility_per_month"] * (np.cumsum(eps) - 0.5 * eps)
        )
        g = self.streams("disruption")
        n = g.poisson(dis["spells_per_year"] * H / 12)
        onsets = g.uniform(0, H, n)
        lengths = g.exponential(dis["length_months"], n) if dis["length_months"] > 0 else np.zeros(n)
        covered = np.zeros(H)
        for a, b in zip(onsets, onsets + lengths, strict=True):
            lo, hi = np.arange(H), np.arange(H) + 1.0
            covered = np.maximum(covered, np.clip(np.minimum(hi, b) - np.maximum(lo, a), 0, 1))
        depth = min(dis["depth"], self.sc.constants.max_disruption_depth)
        self.disruption = 1.0 - depth * covered
        self.spells = list(zip(onsets.tolist(), lengths.tolist(), strict=True))

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

    def _seed_initial_firms(self):
        """The firms operating at the start: fully ramped, open since -inf, holding space that is
        already occupied (not taken from the containers)."""
        init = self.p["base_year"]["enterprises"]
        for s in self.sector_ids:
            x = self.su[self.sidx[s]]
            g = self.streams(f"initial:{s}")
            n = int(np.floor(init[s] + 0.5))  # round half up
            if n == 0:
                continue
            size = x["trade_median_yi"] * np.exp(x["trade_sigma"] * g.standard_normal(n))
            emp = x["employees_median"] * np.exp(x["employees_sigma"] * g.standard_normal(n))
            ex = g.exponential(12.0 / x["exit_rate_per_year"], n) if x["exit_rate_per_year"] > 0 else np.full(n, INF)
            spec = self.sc.constants.sectors[s]
            space = spec.space_per_firm if spec.space != "none" else 0.0
            self.firms.add(
                n,
                sector=self.sidx[s],
                open_t=-INF,
                exit_t=ex,
                size=size,
                ramp=0.0,
                employees=emp,
                space=space,
                leader=0.0,
            )
