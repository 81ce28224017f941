"""The peer-zone population: calibrated marginals, a Gaussian copula, growth with the macro index.

A peer has a region, a seniority (how long it has operated; the most senior are evaluated when
not every zone is), a mix of customs modes, and one value per peer variable in the calibration
year (the year before the first simulated year). Its values then move with the replication's
shared macro trade index, its own trend and its own noise:

* positive variable: ``x_t = x_0 * m_t ** e * exp(d * t + S_t)``; ``S_t`` is a random walk (or a
  fresh shock each year) of ``N(-s^2/2, s^2)`` steps, so the mean follows the index and trend;
* percent variable: ``logit(x_t / 100) = logit(x_0 / 100) + e * log(m_t) + d * t + S_t``.

Trade's marginal is a kinked lognormal whose three parameters are solved so that the
calibration population (zero noise: each variable exactly on its quantile grid) has the
configured national total and top-5 / top-30 shares; when the shares are ranges, each replication
draws them and solves its own marginal (:func:`trade_quantile`), and the calibration population
takes the middle of each range. Bonded zones evaluated beside the CBZs (:func:`draw_bonded`,
:func:`draw_bonded_raw`) are independent draws from the same marginals and copula. Every other
variable is lognormal (or logit-normal) with a configured median and sigma. Dependence: a
one-factor Gaussian copula (correlation = product of size loadings) with optional pairwise overrides.

Everything here is vectorised numpy, but for the median shifts, mode mix and growth, which are
compiled loops around numpy's exponential (``sim.ranking.peer_kernel``); :func:`prepared` caches
what depends on the config only.
The zero-noise calibration population and its check are in ``sim.ranking.calibration``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import special

from sim.ranking.config import (
    LATENT_COLUMNS,
    PEER_VARIABLES,
    TOP_LARGE,
    TOP_SMALL,
    TRADE_MODES,
    RankingConfig,
    per_config,
)
from sim.ranking.config.peers import PeerVariable, TradeSpec, span
from sim.ranking.config.trade_quantile import TradeQuantile, quantile_grid, solve_trade_quantile
from sim.ranking.peer_kernel import grown, growth_arguments, mode_mix, shift_medians
from sim.ranking.rowsort import flat_order
from sim.ranking.trade_kernel import trade_parameters, trade_parameters_chunk

VALUE_COLUMNS = ("trade_total", *PEER_VARIABLES)
"""Columns of a peer value matrix (seniority is kept apart: it is a latent, not a value)."""

PEER_BASE_COLUMNS = ("trade_total", *TRADE_MODES, *PEER_VARIABLES)
"""Columns of a peer base-variable matrix; equals config.BASE_VARIABLES in order."""


# ----------------------------------------------------------------------------- prepared config


@dataclass
class Prepared:
    """Everything about the peers that depends on the config only (computed once, cached).

    ``trade_q``: trade's quantile function at the middle of the top-share ranges (the calibration)."""

    n: int
    n_cw: int
    trade_q: TradeQuantile
    calibration_shares: tuple[float, float]  # the top-5 / top-30 shares trade_q is solved for
    chol: np.ndarray  # (K, K) Cholesky factor of the latent correlation, K = len(LATENT_COLUMNS)
    z_grid: np.ndarray  # (n,) ascending standard-normal quantile grid
    grids: np.ndarray  # (V, n) ascending calibrated values of each VALUE_COLUMNS row
    percent: np.ndarray  # (V,) bool
    median_t: np.ndarray  # (V,) log median (positive) or logit median (percent); unused for trade
    sigma: np.ndarray  # (V,)
    elasticity: np.ndarray  # (V,)
    drift: np.ndarray  # (V,)
    noise_sd: np.ndarray  # (V,)
    walk: np.ndarray  # (V,) bool
    shares: np.ndarray  # (M, 2) mode shares: column 0 east, column 1 central_west
    mix_sigma: float
    stratified: bool
    cw_template: np.ndarray  # (n,) bool with exactly n_cw True, evenly spread
    pos_rows: np.ndarray = field(init=False)  # indices of positive / percent rows
    pct_rows: np.ndarray = field(init=False)
    half_var: np.ndarray = field(init=False)  # noise_sd ** 2 / 2 (mean correction of log shocks)
    half_var_pos: np.ndarray = field(init=False)  # half_var on positive rows, 0 on percent rows
    value_latent_rows: np.ndarray = field(init=False)  # (V,) row of LATENT_COLUMNS holding each VALUE_COLUMNS row
    median_unc: np.ndarray = field(init=False)  # (V,) sd of the per-replication log/logit shift of each median
    value_pos_rows: np.ndarray = field(init=False)  # positive rows but trade's (which has its own quantile function)


def _to_value(p: Prepared, col: int, z):
    """Map latent z to the value of VALUE_COLUMNS[col] (its quantile function)."""
    if col == 0:
        return p.trade_q(z)
    m, s = p.median_t[col], p.sigma[col]
    return 100.0 * special.expit(m + s * z) if p.percent[col] else np.exp(m + s * z)


def build(cfg: RankingConfig) -> Prepared:
    ps = cfg.peers
    n = ps.n_peers
    t = ps.trade
    calibration = t.shares(0.5)
    trade_q = solve_trade_quantile(n, t.total_yi, *calibration)
    variables = [ps.variables[k] for k in PEER_VARIABLES]
    specs: list[TradeSpec | PeerVariable] = [t, *variables]
    percent = np.array([False] + [v.kind == "percent" for v in variables])
    median_t = np.array(
        [0.0] + [special.logit(v.median / 100) if v.kind == "percent" else np.log(v.median) for v in variables]
    )
    sigma = np.array([0.0] + [v.sigma for v in variables])
    z = quantile_grid(n)
    p = Prepared(
        n=n,
        n_cw=ps.n_central_west,
        trade_q=trade_q,
        calibration_shares=calibration,
        chol=np.linalg.cholesky(ps.correlation_matrix()),
        z_grid=z,
        grids=np.empty((len(VALUE_COLUMNS), n)),
        percent=percent,
        median_t=median_t,
        sigma=sigma,
        elasticity=np.array([v.macro_elasticity for v in specs]),
        drift=np.array([v.drift_per_year for v in specs]),
        noise_sd=np.array([v.noise_sd_per_year for v in specs]),
        walk=np.array([v.noise == "walk" for v in specs]),
        shares=np.array([[ps.mode_shares[r].get(m, 0.0) for r in ("east", "central_west")] for m in TRADE_MODES]),
        mix_sigma=ps.mode_mix_sigma,
        stratified=ps.stratified,
        cw_template=np.diff(np.floor(np.arange(n + 1) * ps.n_central_west / n)).astype(bool),
    )
    for j in range(len(VALUE_COLUMNS)):
        p.grids[j] = _to_value(p, j, z)
    p.pos_rows, p.pct_rows = np.flatnonzero(~percent), np.flatnonzero(percent)
    p.value_pos_rows = p.pos_rows[p.pos_rows > 0]
    p.half_var = 0.5 * p.noise_sd**2
    p.half_var_pos = np.where(percent, 0.0, p.half_var)
    p.value_latent_rows = np.array([LATENT_COLUMNS.index(k) for k in VALUE_COLUMNS])
    p.median_unc = np.array([0.0] + [v.median_uncertainty for v in variables])
    return p


prepared = per_config(build)
"""Cached :func:`build` (keyed on the config object; configs are frozen)."""


def trade_quantile(cfg: RankingConfig, top5: float, top30: float) -> TradeQuantile:
    """Trade's quantile function for the given top-5 / top-30 shares (the calibrated one when
    both equal the middle of their ranges, e.g. when the ranges are single values)."""
    t = cfg.peers.trade
    p = prepared(cfg)
    if (top5, top30) == p.calibration_shares:
        return p.trade_q
    mu, s_body, s_tail, z_kink = trade_parameters(p.z_grid, TOP_LARGE, TOP_SMALL, t.total_yi, top5, top30)
    if np.isnan(mu):  # not solvable: the solve's own message
        return solve_trade_quantile(cfg.peers.n_peers, t.total_yi, top5, top30)
    return TradeQuantile(float(mu), float(s_body), float(s_tail), float(z_kink))


def trade_quantiles(cfg: RankingConfig, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`trade_quantile` at the shares of each concentration uniform ``u[b]`` (the trade
    section's ``shares``), for B replications at once: (calibrated (B,): it is the calibrated one,
    parameters (B, 4): mu, s_body, s_tail, z_kink)."""
    t = cfg.peers.trade
    p = prepared(cfg)
    s5, s30 = span(t.top5_share), span(t.top30_share)
    top5 = s5.low + u * (s5.high - s5.low)  # Span.at, elementwise
    top30 = s30.low + u * (s30.high - s30.low)
    calibrated = (top5 == p.calibration_shares[0]) & (top30 == p.calibration_shares[1])
    q = np.empty((len(u), 4))
    q[calibrated] = p.trade_q.mu, p.trade_q.s_body, p.trade_q.s_tail, p.trade_q.z_kink
    own = np.flatnonzero(~calibrated)
    if own.size:
        q[own] = trade_parameters_chunk(p.z_grid, TOP_LARGE, TOP_SMALL, t.total_yi, top5[own], top30[own])
        for b in own[np.isnan(q[own, 0])]:  # not solvable compiled: the solve's result, or its own message
            tq = solve_trade_quantile(cfg.peers.n_peers, t.total_yi, float(top5[b]), float(top30[b]))
            q[b] = tq.mu, tq.s_body, tq.s_tail, tq.z_kink
    return calibrated, q


# ----------------------------------------------------------------------------- population


@dataclass
class PeerPopulation:
    """Peers in the calibration year. Arrays are variable-major: one row per variable."""

    values: np.ndarray  # (V, n) rows VALUE_COLUMNS
    seniority: np.ndarray  # (n,) latent; larger = longer in operation
    central_west: np.ndarray  # (n,) bool
    mix: np.ndarray  # (M, n) share of each peer's trade by mode (TRADE_MODES); columns sum to 1
    shift: np.ndarray  # (V,) this replication's log (percent: logit) shift of each median

    def column(self, name: str) -> np.ndarray:
        """Values of one variable across peers."""
        return self.values[VALUE_COLUMNS.index(name)]


def values_from_latent(p: Prepared, latent: np.ndarray, stratified: bool, trade_q: TradeQuantile) -> np.ndarray:
    """latent (K, n) rows LATENT_COLUMNS -> values (V, n); the seniority row is dropped. Trade
    follows ``trade_q``; stratified: each row takes exactly its grid of n quantiles."""
    lat = latent[p.value_latent_rows]
    if stratified:
        grids = p.grids
        if trade_q is not p.trade_q:
            grids = grids.copy()
            grids[0] = trade_q(p.z_grid)
        out = np.empty(lat.size)
        out[flat_order(np.argsort(lat, axis=1))] = grids.ravel()  # numpy's vectorised argsort
        return out.reshape(lat.shape)
    out = np.empty_like(lat)
    out[0] = trade_q(lat[0])
    pos, pct = p.value_pos_rows, p.pct_rows
    out[pos] = np.exp(p.median_t[pos, None] + p.sigma[pos, None] * lat[pos])  # rows at once: as _to_value
    out[pct] = 100.0 * special.expit(p.median_t[pct, None] + p.sigma[pct, None] * lat[pct])
    return out


@dataclass
class RawDraws:
    """The random numbers of one peer population, before they become values (see :func:`draw_raw`)."""

    latent: np.ndarray  # (K, n) copula draws, rows LATENT_COLUMNS
    mix_z: np.ndarray  # (M, n) standard normals of the mode-mix multipliers
    central_west: np.ndarray  # (n,) bool region of each peer
    shift: np.ndarray  # (V,) log (percent: logit) shift of each median (bonded zones: none, they take the CBZs')


def draw_raw(p: Prepared, rng: np.random.Generator) -> RawDraws:
    """The random numbers of one CBZ peer population, in a fixed order: copula, mode mix, regions,
    median shifts."""
    latent = p.chol @ rng.standard_normal((len(LATENT_COLUMNS), p.n))
    mix_z = rng.standard_normal((len(TRADE_MODES), p.n))
    cw = p.cw_template[rng.permutation(p.n)]
    return RawDraws(latent, mix_z, cw, p.median_unc * rng.standard_normal(len(VALUE_COLUMNS)))


def _shift_medians(p: Prepared, values: np.ndarray, shift: np.ndarray) -> None:
    """Move every median by the replication's ``shift`` (log scale; percent rows on the logit scale), in place."""
    shift_medians(values, np.exp(shift), shift, p.percent)


def _mix(p: Prepared, cw: np.ndarray, mix_z: np.ndarray) -> np.ndarray:
    """(M, n) mode mix: the region's shares times a lognormal multiplier, renormalised."""
    s = p.mix_sigma
    mix = np.exp(s * mix_z - 0.5 * s * s)
    mode_mix(cw, p.shares, mix)
    return mix


def build_population(
    cfg: RankingConfig, raw: RawDraws, trade_q: TradeQuantile | None = None, bonded: RawDraws | None = None
) -> PeerPopulation:
    """The CBZ peer population of ``raw`` with trade's marginal ``trade_q`` (default: the calibrated
    one), followed by the bonded zones of ``bonded`` (:func:`draw_bonded_raw`) if any: the same
    values as :func:`joined` of it and :func:`draw_bonded`, their shifts and mixes worked out at once."""
    p = prepared(cfg)
    tq = trade_q or p.trade_q
    values = values_from_latent(p, raw.latent, p.stratified, tq)
    seniority, cw, mix_z = raw.latent[1], raw.central_west, raw.mix_z
    if bonded is not None:
        values = np.concatenate([values, values_from_latent(p, bonded.latent, False, tq)], axis=1)
        seniority = np.concatenate([seniority, bonded.latent[1]])
        cw = np.concatenate([cw, bonded.central_west])
        mix_z = np.concatenate([mix_z, bonded.mix_z], axis=1)
    _shift_medians(p, values, raw.shift)
    return PeerPopulation(values=values, seniority=seniority, central_west=cw, mix=_mix(p, cw, mix_z), shift=raw.shift)


def draw_population(
    cfg: RankingConfig, rng: np.random.Generator, trade_q: TradeQuantile | None = None
) -> PeerPopulation:
    """One random CBZ peer population (:func:`draw_raw`, then :func:`build_population`)."""
    return build_population(cfg, draw_raw(prepared(cfg), rng), trade_q)


def draw_bonded(
    cfg: RankingConfig, rng: np.random.Generator, n: int, trade_q: TradeQuantile, shift: np.ndarray
) -> PeerPopulation:
    """``n`` bonded zones: independent draws from the CBZ marginals (trade from ``trade_q``) and
    copula, the CBZ peers' median ``shift``, in the east (draw order: copula, then mode mix)."""
    p = prepared(cfg)
    b = draw_bonded_raw(p, rng, n)
    values = values_from_latent(p, b.latent, False, trade_q)
    _shift_medians(p, values, shift)
    return PeerPopulation(
        values=values,
        seniority=b.latent[1],
        central_west=b.central_west,
        mix=_mix(p, b.central_west, b.mix_z),
        shift=shift,
    )


def draw_bonded_raw(p: Prepared, rng: np.random.Generator, n: int) -> RawDraws:
    """The random numbers of ``n`` bonded zones, in the east (draw order: copula, then mode mix)."""
    latent = p.chol @ rng.standard_normal((len(LATENT_COLUMNS), n))
    mix_z = rng.standard_normal((len(TRADE_MODES), n))
    return RawDraws(latent, mix_z, np.zeros(n, bool), np.zeros(0))


def joined(a: PeerPopulation, b: PeerPopulation) -> PeerPopulation:
    """The peers of ``a`` followed by those of ``b`` (``a``'s median shift)."""
    return PeerPopulation(
        values=np.concatenate([a.values, b.values], axis=1),
        seniority=np.concatenate([a.seniority, b.seniority]),
        central_west=np.concatenate([a.central_west, b.central_west]),
        mix=np.concatenate([a.mix, b.mix], axis=1),
        shift=a.shift,
    )


_NO_NOISE = np.zeros((0, 0, 0))


def grow(
    cfg: RankingConfig, values0: np.ndarray, macro_index, eps: np.ndarray | None, out: np.ndarray | None = None
) -> np.ndarray:
    """Peer values in each simulated year: (T, V, n) from calibration-year values (V, n).

    ``macro_index[t]`` is the shared index in simulated year t (1 in the calibration year);
    ``eps`` (T, V, n) standard normals, or None for zero noise; ``out``: where to write them.
    The arithmetic is :mod:`sim.ranking.peer_kernel`'s, around one numpy exponential."""
    p = prepared(cfg)
    m = np.asarray(macro_index, dtype=float)
    shape = (len(m), *values0.shape)
    shock, argument = np.empty(shape), np.empty(shape)
    # mean correction on positive rows only (half_var_pos is 0 elsewhere); walk rows accumulate
    noise = _NO_NOISE if eps is None else eps
    trend = growth_arguments(
        np.log(m), p.elasticity, p.drift, noise, p.noise_sd, p.half_var_pos, p.walk, shock, argument
    )
    if out is None:
        out = np.empty(shape)
    grown(values0, shock, np.exp(argument, out=argument), trend, p.percent, out)
    return out


def base_table(mix: np.ndarray, values: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Peer base variables (..., PEER_BASE_COLUMNS, n) from values (..., V, n): trade split by mode
    with the mode mix ``mix`` (..., M, n) (a population's ``mix``; leading axes broadcast).

    ``out``: where to write them (same shape), e.g. part of a larger array."""
    if out is None:
        out = np.empty((*values.shape[:-2], len(PEER_BASE_COLUMNS), values.shape[-1]))
    m = len(TRADE_MODES)
    trade = values[..., :1, :]
    out[..., :1, :] = trade
    np.multiply(trade, mix, out=out[..., 1 : 1 + m, :])
    out[..., 1 + m :, :] = values[..., 1:, :]
    return out
