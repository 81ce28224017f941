"""The zone of one replication at t = 0: everything that can be known before the run.

From the scenario's arrays (:class:`~sim.model.spec.ZoneSpec`), the drawn parameters and the
replication's addressed random numbers (:class:`~sim.model.draws.Draws`): the sectors' parameters as
arrays, the completion times of projects and milestones and the effect tables they imply, the
shared shock paths and the initial firms. Computed once, in vectorised form, so no effect depends
on the order of events at one instant; what depends on the scenario alone is read from its arrays,
and the short loops run compiled (:mod:`sim.model.state_kernel`, :mod:`sim.model.initial_kernel`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

import sim.model.initial as initial
import sim.model.state_kernel as state_kernel
from sim.model.drawn import Drawn, FloatArray
from sim.model.draws import Draws
from sim.model.firms import Firms
from sim.model.spec import ZoneSpec
from sim.vocabulary.outcomes import MODES


class ZoneState:
    """One replication's zone at t = 0.

    ``spec`` the scenario's arrays; ``p`` the drawn parameters as
    :func:`~sim.scenario.params.draw_rows` gives them (``uncertainties``, ``initial_state``,
    ``base_year``), read once into ``drawn`` (:class:`~sim.model.drawn.Drawn`); ``draws`` the
    replication's random numbers. Set up from them: ``H`` horizon in months; ``x`` the sector
    parameters as arrays over sectors (:class:`~sim.model.drawn.SectorParams`); ``T`` item id ->
    completion time and ``done_t`` the same times in ``spec.items`` order; ``lead_mult``
    [month, sector] and ``trade_mult`` [month, mode] multipliers; ``land0`` / ``warehouse0``
    free space and ``developed0_ha`` developed land at the start; shared monthly paths
    ``macro``, ``commodity_index``, ``disruption`` and the disruption ``spells`` as (onset,
    length); ``initial`` the firms operating at the start."""

    def __init__(self, spec: ZoneSpec, p: Mapping[str, Any], draws: Draws):
        self.spec, self.draws = spec, draws
        self.drawn = d = Drawn.of(p, spec.sector_ids)
        self.H = spec.H
        self.x = d.sectors
        self.land0 = d.serviced_land_free_ha
        self.warehouse0 = d.warehouse_free_k_m2
        self.developed0_ha = _developed0_ha(d, spec.sc.constants.fenced_area_km2)
        self.T = spec.plan.times(d.uncertainties)
        self.done_t = np.array([self.T[i] for i in spec.items], dtype=float)
        self.lead_mult, self.trade_mult = self._effect_tables()
        self._shock_paths()
        self.initial = self._initial_firms()

    def _effect_tables(self) -> tuple[FloatArray, FloatArray]:
        """Lead-rate multipliers [month, sector] and trade multipliers [month, mode]: an item's
        effect applies to month m when it is done by the start of that month (T <= m); the
        factors of a cell multiply in the order of the effects
        (:func:`~sim.model.state_kernel.effect_table`)."""
        s, H = self.spec, self.H
        lead = state_kernel.effect_table(H, len(s.sector_ids), self.done_t, *s.lead_effect_arrays)
        trade = state_kernel.effect_table(H, len(MODES), self.done_t, *s.trade_effect_arrays)
        return lead, trade

    def _shock_paths(self) -> None:
        """Shared monthly factors: macro trade index, commodity prices, disruption spells. Their
        numbers come through ``draws.uniforms`` (a portfolio's zones share them); the loops run
        compiled (:func:`~sim.model.state_kernel.shock_logs`,
        :func:`~sim.model.state_kernel.spells`), numpy takes the exponentials and logarithms."""
        H, d, s = self.H, self.draws, self.spec
        mac, com, dis = self.drawn.macro, self.drawn.commodity, self.drawn.disruption
        logs, n = state_kernel.shock_logs(
            s.t_mid,
            d.uniforms("macro", H),
            d.uniforms("commodity", H),
            (float(mac.growth_per_year), float(mac.volatility_per_month)),
            (float(com.drift_per_year), float(com.volatility_per_month)),
            float(d.uniforms("disruption_count", 1)[0]),
            float(dis.spells_per_year * H / 12),
        )
        self.macro, self.commodity_index = np.exp(logs)
        depth = float(min(dis.depth, s.sc.constants.max_disruption_depth))
        if n == 0:
            self.disruption = np.full(H, 1.0 - depth * 0.0)
            self.spells = []
            return
        spell = d.uniforms("disruption_spells", 2, np.arange(n))
        self.disruption, onsets, lengths = state_kernel.spells(
            H, spell, np.log(spell[:, 1]), float(dis.length_months), depth
        )
        self.spells = list(zip(onsets.tolist(), lengths.tolist(), strict=True))

    def _initial_firms(self) -> Firms:
        """The firms operating at the start (:mod:`sim.model.initial`): fully ramped, open since
        -inf, holding space that is already occupied (not free)."""
        firms, self.cohort = initial.initial_firms(self.spec, self.x, self.drawn.base_year, self.draws)
        return firms


def _developed0_ha(d: Drawn, fenced_area_km2: float) -> float:
    """Developed land at the start, ha: the base year's development rate of the fenced area if
    stated, else the stated developed area plus the free serviced land (the scenario states
    exactly one of the two, :func:`~sim.scenario.base_year.check_base_year`)."""
    rate = d.base_year.stated.get("development_rate")
    if rate is not None:
        return rate / 100 * fenced_area_km2 * 100
    if d.developed_area_ha is None:
        raise ValueError("initial_state.developed_area_ha or base_year.development_rate must be given")
    return d.developed_area_ha + d.serviced_land_free_ha
