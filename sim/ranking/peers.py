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
configured national total and top-5 / top-30 shares. Every other variable is lognormal (or
logit-normal) with a configured median and sigma. Dependence: a one-factor Gaussian copula
(correlation = product of size loadings) with optional pairwise overrides.

Everything here is vectorised numpy; :func:`prepared` caches what depends on the config only.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from sim.ranking.config import (LATENT_COLUMNS, PEER_VARIABLES, TOP_LARGE, TOP_SMALL, TRADE_MODES, RankingConfig,
                                per_config)
from sim.ranking.config.trade_quantile import TradeQuantile, quantile_grid, solve_trade_quantile

VALUE_COLUMNS = ("trade_total", *PEER_VARIABLES)
"""Columns of a peer value matrix (seniority is kept apart: it is a latent, not a value)."""

PEER_BASE_COLUMNS = ("trade_total", *TRADE_MODES, *PEER_VARIABLES)
"""Columns of a peer base-variable matrix; equals config.BASE_VARIABLES in order."""


# ----------------------------------------------------------------------------- prepared config

@dataclass
class Prepared:
    """Everything about the peers that depends on the config only (computed once, cached)."""
    n: int
    n_cw: int
    trade_q: TradeQuantile
    chol: np.ndarray            # (K, K) Cholesky factor of the latent correlation, K = len(LATENT_COLUMNS)
    z_grid: np.ndarray          # (n,) ascending standard-normal quantile grid
    grids: np.ndarray           # (V, n) ascending calibrated values of each VALUE_COLUMNS row
    percent: np.ndarray         # (V,) bool
    median_t: np.ndarray        # (V,) log median (positive) or logit median (percent); unused for trade
    sigma: np.ndarray           # (V,)
    elasticity: np.ndarray      # (V,)
    drift: np.ndarray           # (V,)
    noise_sd: np.ndarray        # (V,)
    walk: np.ndarray            # (V,) bool
    shares: np.ndarray          # (M, 2) mode shares: column 0 east, column 1 central_west
    mix_sigma: float
    stratified: bool
    cw_template: np.ndarray     # (n,) bool with exactly n_cw True, evenly spread
    pos_rows: np.ndarray = None     # indices of positive / percent / walk rows
    pct_rows: np.ndarray = None
    walk_rows: np.ndarray = None
    half_var: np.ndarray = None     # noise_sd ** 2 / 2 (mean correction of log shocks)
    median_unc: np.ndarray = None   # (V,) sd of the per-replication log/logit shift of each median


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
    trade_q = solve_trade_quantile(n, t.total_yi, t.top5_share, t.top30_share)
    specs = [t] + [ps.variables[k] for k in PEER_VARIABLES]
    percent = np.array([False] + [ps.variables[k].kind == "percent" for k in PEER_VARIABLES])
    median_t = np.array([0.0] + [special.logit(v.median / 100) if v.kind == "percent" else np.log(v.median)
                                 for v in specs[1:]])
    sigma = np.array([0.0] + [v.sigma for v in specs[1:]])
    z = quantile_grid(n)
    p = Prepared(
        n=n, n_cw=ps.n_central_west, trade_q=trade_q,
        chol=np.linalg.cholesky(ps.correlation_matrix()), z_grid=z, grids=np.empty((len(VALUE_COLUMNS), n)),
        percent=percent, median_t=median_t, sigma=sigma,
        elasticity=np.array([v.macro_elasticity for v in specs]),
        drift=np.array([v.drift_per_year for v in specs]),
        noise_sd=np.array([v.noise_sd_per_year for v in specs]),
        walk=np.array([v.noise == "walk" for v in specs]),
        shares=np.array([[ps.mode_shares[r].get(m, 0.0) for r in ("east", "central_west")] for m in TRADE_MODES]),
        mix_sigma=ps.mode_mix_sigma, stratified=ps.stratified,
        cw_template=np.diff(np.floor(np.arange(n + 1) * ps.n_central_west / n)).astype(bool))
    for j in range(len(VALUE_COLUMNS)):
        p.grids[j] = _to_value(p, j, z)
    p.pos_rows, p.pct_rows = np.flatnonzero(~percent), np.flatnonzero(percent)
    p.walk_rows = np.flatnonzero(p.walk)
    p.half_var = 0.5 * p.noise_sd ** 2
    p.median_unc = np.array([0.0] + [v.median_uncertainty for v in specs[1:]])
    return p


prepared = per_config(build)
"""Cached :func:`build` (keyed on the config object; configs are frozen)."""


# ----------------------------------------------------------------------------- population

@dataclass
class PeerPopulation:
    """Peers in the calibration year. Arrays are variable-major: one row per variable."""
    values: np.ndarray          # (V, n) rows VALUE_COLUMNS
    seniority: np.ndarray       # (n,) latent; larger = longer in operation
    central_west: np.ndarray    # (n,) bool
    mix: np.ndarray             # (M, n) share of each peer's trade by mode (TRADE_MODES); columns sum to 1

    def column(self, name: str) -> np.ndarray:
        """Values of one variable across peers."""
        return self.values[VALUE_COLUMNS.index(name)]


def _values_from_latent(p: Prepared, latent: np.ndarray, stratified: bool) -> np.ndarray:
    """latent (K, n) rows LATENT_COLUMNS -> values (V, n); the seniority row is dropped."""
    lat = np.delete(latent, 1, axis=0)
    out = np.empty_like(lat)
    if stratified:
        out[np.arange(lat.shape[0])[:, None], np.argsort(lat, axis=1)] = p.grids
        return out
    for j in range(lat.shape[0]):
        out[j] = _to_value(p, j, lat[j])
    return out


def draw_population(cfg: RankingConfig, rng: np.random.Generator) -> PeerPopulation:
    """One random peer population (draw order is fixed: copula, mode mix, regions, median shifts)."""
    p = prepared(cfg)
    latent = p.chol @ rng.standard_normal((len(LATENT_COLUMNS), p.n))
    mix_z = rng.standard_normal((len(TRADE_MODES), p.n))
    cw = p.cw_template[rng.permutation(p.n)]
    shift = p.median_unc * rng.standard_normal(len(VALUE_COLUMNS))
    values = _values_from_latent(p, latent, p.stratified)
    pos, pct = p.pos_rows, p.pct_rows
    values[pos] *= np.exp(shift[pos])[:, None]
    if len(pct):
        v = np.clip(values[pct], 1e-12, 100 - 1e-12) / 100.0
        values[pct] = 100.0 * special.expit(special.logit(v) + shift[pct][:, None])
    s = p.mix_sigma
    mix = p.shares[:, cw.astype(int)] * np.exp(s * mix_z - 0.5 * s * s)
    mix /= mix.sum(axis=0)
    return PeerPopulation(values=values, seniority=latent[1], central_west=cw, mix=mix)


def _balanced_regions(trade: np.ndarray, n_cw: int) -> np.ndarray:
    """Deterministic regions for the zero-noise population: down the trade ranking, a zone goes to
    the central-west while that region's share of the trade assigned so far is below its share of
    zones (and zones remain for it), so each region's trade matches its count share."""
    n = len(trade)
    target = n_cw / n
    cw = np.zeros(n, bool)
    got = tot = 0.0
    left_cw, left_e = n_cw, n - n_cw
    for i in np.argsort(-trade, kind="stable"):
        tot += trade[i]
        if left_cw and (not left_e or got < target * tot):
            cw[i], got, left_cw = True, got + trade[i], left_cw - 1
        else:
            left_e -= 1
    return cw


def calibration_population(cfg: RankingConfig) -> PeerPopulation:
    """The zero-noise population: every variable exactly on its calibrated quantile grid, ordered
    with the size factor (sign of its loading), regions balanced so each region's trade matches
    its share of zones, mode mix equal to the region's shares. It reproduces the calibration
    targets by construction."""
    p = prepared(cfg)
    sign = np.where(cfg.peers.loadings() >= 0, 1.0, -1.0)
    latent = sign[:, None] * p.z_grid[None, :]
    values = _values_from_latent(p, latent, True)
    cw = _balanced_regions(values[0], p.n_cw)
    return PeerPopulation(values=values, seniority=latent[1], central_west=cw,
                          mix=p.shares[:, cw.astype(int)].copy())


def grow(cfg: RankingConfig, values0: np.ndarray, macro_index, eps: np.ndarray | None) -> np.ndarray:
    """Peer values in each simulated year: (T, V, n) from calibration-year values (V, n).

    ``macro_index[t]`` is the shared index in simulated year t (1 in the calibration year);
    ``eps`` (T, V, n) standard normals, or None for zero noise."""
    p = prepared(cfg)
    m = np.asarray(macro_index, dtype=float)
    T = len(m)
    pos, pct = p.pos_rows, p.pct_rows
    trend = np.log(m)[:, None] * p.elasticity + np.arange(1.0, T + 1)[:, None] * p.drift     # (T, V)
    shock = np.zeros((T,) + values0.shape) if eps is None else p.noise_sd[:, None] * eps
    if eps is not None:
        shock[:, pos] -= p.half_var[pos][:, None]
        w = p.walk_rows
        for t in range(1, T):                     # random walk: shocks accumulate
            shock[t, w] += shock[t - 1, w]
    out = np.empty((T,) + values0.shape)
    out[:, pos] = values0[pos] * np.exp(trend[:, pos, None] + shock[:, pos])
    if len(pct):
        lvl0 = special.logit(np.clip(values0[pct], 1e-12, 100 - 1e-12) / 100.0)
        out[:, pct] = 100.0 * special.expit(lvl0 + trend[:, pct, None] + shock[:, pct])
    return out


def base_table(pop: PeerPopulation, values: np.ndarray) -> np.ndarray:
    """Peer base variables (..., PEER_BASE_COLUMNS, n) from values (..., V, n): trade split by mode."""
    trade = values[..., :1, :]
    return np.concatenate([trade, trade * pop.mix, values[..., 1:, :]], axis=-2)


# ----------------------------------------------------------------------------- calibration check

def top_share(x: np.ndarray, k: int) -> float:
    x = np.asarray(x, dtype=float)
    return float(np.sort(x)[-k:].sum() / x.sum())


def calibration_check(cfg: RankingConfig) -> dict[str, tuple[float, float]]:
    """Target and achieved value of each calibration target in the zero-noise population."""
    pop = calibration_population(cfg)
    trade = pop.column("trade_total")
    ps = cfg.peers
    out = {
        "trade_total_yi": (ps.trade.total_yi, float(trade.sum())),
        "top5_share": (ps.trade.top5_share, top_share(trade, TOP_SMALL)),
        "top30_share": (ps.trade.top30_share, top_share(trade, TOP_LARGE)),
        "n_central_west": (float(ps.n_central_west), float(pop.central_west.sum())),
    }
    for k in PEER_VARIABLES:
        v = ps.variables[k]
        out[f"{k}_median"] = (v.median, float(np.median(pop.column(k))))
    return out
