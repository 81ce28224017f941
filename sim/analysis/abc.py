"""Approximate Bayesian computation: the pure numerics of ``calibrate``.

Summaries of observed months and their distance (semi-automatic ABC; Fearnhead & Prangle 2012),
the SMC perturbation kernel and its mixture density (Beaumont, Cornuet, Marin & Robert 2009),
the local-linear regression adjustment (Beaumont, Zhang & Balding 2002), weighted quantiles and
the fit of a scenario-schema distribution to a weighted posterior sample. Arrays in, arrays (or
distribution tables) out; no model runs. Particles live in probit space z = Φ⁻¹(u), where every
prior is a standard normal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.scenario.distributions import Choice, LogNormal, Normal, Poisson, _Dist
from sim.vocabulary.outcomes import FLOW_INDICATORS

ADJUST_MIN_ESS = 10
"""The regression adjustment needs at least this many effective particles per regression
coefficient; with fewer it would be overconfident, and the particles are left as they are."""

MIN_R2 = 0.05
"""Parameters whose cross-validated R² (share of prior variance the observed months explain)
is below this get no summary in the distance."""


@dataclass
class Summaries:
    """Summaries of the observed months, and the distance between simulated and observed ones.

    *Features*: for each observed indicator, each calendar quarter with observed months gives one
    number (flows: the sum of the observed months; stocks: their mean) on the scale log(x + c),
    c a tenth of the indicator's typical prior value (so zeros are allowed), standardised by the
    prior spread. *Summaries* (semi-automatic ABC, Fearnhead & Prangle 2012, *JRSS B* 74(3)):
    a ridge regression of the fitted parameters (probit space) on the features of the prior
    simulations; its predictions (estimates of the parameters, in prior standard deviations) are
    the summaries, so the distance weighs each feature by how much it tells about a parameter.
    A parameter whose cross-validated R² is below ``MIN_R2`` gets no summary: the data say
    nothing about it and its noise would only blur the distance.

    Fields: ``items`` (indicator, months) per feature; ``observed`` the raw observed features;
    set by :meth:`fit` (absent before it): ``offset`` (c of log(x + c)), ``center`` and
    ``scale`` (prior mean and spread of the transformed features), ``coef`` [1 + feature,
    parameter], ``r2`` (cross-validated R² per parameter) and ``active`` (parameters that get a
    summary)."""

    items: list[tuple[str, np.ndarray]]
    observed: np.ndarray
    offset: np.ndarray = field(init=False, repr=False)
    center: np.ndarray = field(init=False, repr=False)
    scale: np.ndarray = field(init=False, repr=False)
    coef: np.ndarray = field(init=False, repr=False)
    r2: np.ndarray = field(init=False, repr=False)
    active: np.ndarray = field(init=False, repr=False)

    @classmethod
    def of_table(cls, table: dict[str, np.ndarray], n_known: int, block: int = 3) -> Summaries:
        items, obs = [], []
        for ind, ov in table.items():
            o = np.asarray(ov[:n_known], dtype=float)
            idx = np.flatnonzero(~np.isnan(o))
            for q in np.unique(idx // block):
                ms = idx[idx // block == q]
                items.append((ind, ms))
                obs.append(o[ms].sum() if ind in FLOW_INDICATORS else o[ms].mean())
        return cls(items, np.asarray(obs))

    @property
    def indicators(self) -> list[str]:
        return list(dict.fromkeys(i for i, _ in self.items))

    def raw(self, monthly: np.ndarray, names: list[str]) -> np.ndarray:
        """[rep, feature] from monthly[rep, month, name]."""
        cols = []
        for ind, ms in self.items:
            x = monthly[:, ms, names.index(ind)]
            cols.append(x.sum(axis=1) if ind in FLOW_INDICATORS else x.mean(axis=1))
        return np.column_stack(cols) if cols else np.zeros((len(monthly), 0))

    def fit(self, prior_raw: np.ndarray, z: np.ndarray, ridge: float = 1e-3) -> None:
        """Fix the feature transform and the regression from prior simulations and their
        parameters ``z`` [rep, parameter] (probit space)."""
        off = np.empty(len(self.items))
        inds = np.array([i for i, _ in self.items])
        for ind in set(inds):
            sel = inds == ind
            typical = np.median(prior_raw[:, sel])
            if not typical > 0:
                typical = np.mean(np.abs(self.observed[sel]))
            off[sel] = 0.1 * typical if typical > 0 else 1e-6
        self.offset = off
        f = np.log(np.maximum(prior_raw, 0.0) + off)
        self.center = f.mean(axis=0)
        sd = f.std(axis=0)
        self.scale = np.where(sd > 1e-9, sd, 1.0)
        x = np.column_stack([np.ones(len(f)), (f - self.center) / self.scale])

        def solve(xs, zs):
            pen = ridge * len(xs) * np.eye(x.shape[1])
            pen[0, 0] = 0.0
            return np.linalg.solve(xs.T @ xs + pen, xs.T @ zs)

        fold = np.arange(len(x)) % 5
        pred = np.empty_like(z)
        for k in range(5):
            pred[fold == k] = x[fold == k] @ solve(x[fold != k], z[fold != k])
        self.r2 = 1.0 - np.mean((z - pred) ** 2, axis=0) / np.maximum(np.var(z, axis=0), 1e-12)
        self.active = self.r2 >= MIN_R2
        if not self.active.any():
            self.active[:] = True
        self.coef = solve(x, z)

    def summaries(self, raw: np.ndarray) -> np.ndarray:
        f = (np.log(np.maximum(raw, 0.0) + self.offset) - self.center) / self.scale
        return (np.column_stack([np.ones(len(f)), f]) @ self.coef)[:, self.active]

    def distance(self, raw: np.ndarray) -> np.ndarray:
        d = self.summaries(raw) - self.summaries(self.observed[None, :])
        return np.sqrt(np.mean(d**2, axis=1))


def prior_moments(d: _Dist) -> tuple[float, float]:
    """Mean and standard deviation of a distribution, from 4000 evenly spaced quantiles."""
    u = (np.arange(4000) + 0.5) / 4000
    x = np.asarray(d.ppf(u), dtype=float)
    return float(x.mean()), float(x.std())


def weighted_quantile(x: np.ndarray, w: np.ndarray, q) -> np.ndarray:
    """Quantiles ``q`` of sample x with weights w (midpoint rule on the weighted empirical CDF)."""
    o = np.argsort(x, kind="stable")
    x, w = x[o], w[o]
    c = np.cumsum(w) - 0.5 * w
    c /= w.sum()
    return np.interp(q, c, x)


def fit_distribution(prior: _Dist, x: np.ndarray, w: np.ndarray) -> dict:
    """A distribution table (as in a scenario file) fitted to a weighted posterior sample,
    in the prior's family where possible and always within the prior's range."""
    w = w / w.sum()
    mean = float(np.dot(w, x))
    var = float(np.dot(w, (x - mean) ** 2))
    if isinstance(prior, (Poisson, Choice)):
        vals, inv = np.unique(x, return_inverse=True)
        pw = np.bincount(inv, weights=w)
        keep = pw > 1e-4
        return {
            "dist": "choice",
            "values": [float(v) for v in vals[keep]],
            "weights": [round(float(p), 4) for p in pw[keep] / pw[keep].sum()],
        }
    if isinstance(prior, LogNormal):
        lx = np.log(x)
        m = float(np.dot(w, lx))
        s = math.sqrt(max(float(np.dot(w, (lx - m) ** 2)), 1e-12))
        return {"dist": "lognormal", "median": _r(math.exp(m)), "sigma": _r(max(s, 1e-6))}
    lo, hi = prior.support
    if isinstance(prior, Normal) or not (math.isfinite(lo) and math.isfinite(hi)):
        out = {"dist": "normal", "mean": _r(mean), "sd": _r(max(math.sqrt(var), 1e-9))}
        if math.isfinite(lo):
            out["low"] = lo
        if math.isfinite(hi):
            out["high"] = hi
        return out
    m = min(max((mean - lo) / (hi - lo), 1e-6), 1 - 1e-6)
    v = max(var / (hi - lo) ** 2, 1e-12)
    k = max(m * (1 - m) / v - 1.0, 1e-3)
    return {"dist": "beta", "a": _r(max(m * k, 1e-3)), "b": _r(max((1 - m) * k, 1e-3)), "low": lo, "high": hi}


def _r(v: float) -> float:
    """Six significant digits (the values written into a scenario file)."""
    return float(f"{v:.6g}")


def correlation_table(cal) -> pd.DataFrame:
    """Weighted posterior correlations of the fitted parameters (not carried into the scenario);
    ``cal`` holds the particles' ``paths``, ``values`` [particle, parameter] and ``weights``."""
    if len(cal.paths) < 2:
        return pd.DataFrame(columns=["parameter_a", "parameter_b", "correlation"])
    w = cal.weights / cal.weights.sum()
    x = cal.values - w @ cal.values
    cov = (x * w[:, None]).T @ x
    sd = np.sqrt(np.diag(cov))
    rows = []
    for a in range(len(cal.paths)):
        for b in range(a + 1, len(cal.paths)):
            c = cov[a, b] / (sd[a] * sd[b]) if sd[a] > 0 and sd[b] > 0 else 0.0
            rows.append([cal.paths[a], cal.paths[b], float(c)])
    df = pd.DataFrame(rows, columns=["parameter_a", "parameter_b", "correlation"])
    return df.reindex(df["correlation"].abs().sort_values(ascending=False).index).reset_index(drop=True)


def kernel_chol(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Cholesky factor of the perturbation covariance: twice the weighted particle covariance
    (full when there are at least 4 particles per parameter, else diagonal)."""
    n, d = z.shape
    mu = w @ z
    dz = z - mu
    cov = 2.0 * (dz * w[:, None]).T @ dz / max(1.0 - np.sum(w**2), 1e-12)
    if n < 4 * d:
        cov = np.diag(np.diag(cov))
    cov += np.eye(d) * 1e-6
    return np.linalg.cholesky(cov)


def log_kernel_mix(znew: np.ndarray, z: np.ndarray, w: np.ndarray, chol: np.ndarray) -> np.ndarray:
    """log Σ_j w_j N(znew_i; z_j, Σ) for every new particle."""
    d = z.shape[1]
    logdet = 2.0 * np.sum(np.log(np.diag(chol)))
    out = np.empty(len(znew))
    for i in range(0, len(znew), 256):
        diff = znew[i : i + 256, None, :] - z[None, :, :]
        sol = np.linalg.solve(chol, diff.reshape(-1, d).T).T.reshape(diff.shape)
        q = np.sum(sol**2, axis=2)
        lk = -0.5 * q - 0.5 * logdet - 0.5 * d * math.log(2 * math.pi) + np.log(w)[None, :]
        m = lk.max(axis=1, keepdims=True)
        out[i : i + 256] = (m + np.log(np.exp(lk - m).sum(axis=1, keepdims=True)))[:, 0]
    return out


def regression_adjust(z: np.ndarray, w: np.ndarray, dz: np.ndarray, ds: np.ndarray):
    """Local-linear regression adjustment (Beaumont, Zhang & Balding 2002, *Genetics* 162):
    weight the particles by an Epanechnikov kernel of their distance, regress the parameters
    (probit space) on the summaries' deviations from the observed ones, and move every particle
    to where its regression line meets the observed summaries."""
    eps = dz.max() * (1 + 1e-6) if dz.max() > 0 else 1.0
    kw = w * (1.0 - (dz / eps) ** 2)
    if not kw.sum() > 0 or 1.0 / np.sum((kw / kw.sum()) ** 2) < ADJUST_MIN_ESS * (ds.shape[1] + 1):
        return None  # too few effective particles for a trustworthy regression
    kw = kw / kw.sum()
    x = np.column_stack([np.ones(len(ds)), ds])
    xtw = x.T * kw
    beta = np.linalg.solve(xtw @ x + 1e-9 * np.eye(x.shape[1]), xtw @ z)
    return z - ds @ beta[1:], kw


def round_info(t, sims, dz, w) -> dict:
    """One row of ``rounds.csv``: round t's simulations, kept particles, tolerance and ESS."""
    return {
        "round": t,
        "simulations": sims,
        "kept": len(dz),
        "epsilon": float(dz.max()),
        "median_distance": float(np.median(dz)),
        "ess": float(1.0 / np.sum(w**2)),
    }


def closest(dist: np.ndarray, n_keep: int) -> np.ndarray:
    """Rejection step: indices of the ``n_keep`` simulations closest to the data (ties by order)."""
    return np.argsort(dist, kind="stable")[:n_keep]


def perturb(za: np.ndarray, w: np.ndarray, sims: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """SMC proposal: ``sims`` particles drawn by weight from ``za`` [particle, parameter] and moved
    by the normal kernel; returns (proposals, the kernel's Cholesky factor)."""
    chol = kernel_chol(za, w)
    pick = rng.choice(len(za), size=sims, p=w)
    return za[pick] + rng.standard_normal((sims, za.shape[1])) @ chol.T, chol


def importance_weights(zb: np.ndarray, za: np.ndarray, w: np.ndarray, chol: np.ndarray) -> np.ndarray:
    """Normalised SMC weights of kept proposals ``zb``: standard-normal prior over the kernel
    mixture built on the previous particles ``za`` with weights ``w``."""
    logw = -0.5 * np.sum(zb**2, axis=1) - log_kernel_mix(zb, za, w, chol)
    w = np.exp(logw - logw.max())
    return w / w.sum()
