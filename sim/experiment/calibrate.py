"""Calibration: fit a scenario's declared uncertain parameters to the zone's observed months.

Method: approximate Bayesian computation (ABC): rejection with a local-linear regression
adjustment (Beaumont, Zhang & Balding 2002, *Genetics* 162) by default, optionally followed by
sequential Monte Carlo rounds (ABC-SMC or population Monte Carlo; Beaumont, Cornuet, Marin &
Robert 2009, *Biometrika* 96(4)). Why ABC: the model's likelihood of a monthly series is
intractable (leads, signings, firm sizes, spells and noise are latent), but a replication is
cheap, exactly reproducible and already driven by one uniform number per parameter. ABC needs
only simulations and a distance, and it works for any declared distribution: particles live in the probit space of those
uniform numbers, z = Φ⁻¹(u), where every prior is a standard normal. A synthetic likelihood
(Wood 2010) would need many simulations per parameter point and roughly Gaussian summaries,
which counts and spells do not give.

1. *Features*: for each observed indicator, each calendar quarter with observed months gives
   one number (flows: the sum of the observed months; stocks: their mean), on the scale
   log(x + c), c a tenth of the indicator's typical simulated value (so zeros are allowed).
2. *Summaries* (semi-automatic ABC; Fearnhead & Prangle 2012, *JRSS B* 74(3)): a ridge
   regression, fitted on the prior simulations of round 0, predicts each fitted parameter
   (probit space) from the features; the predictions are the summaries, one per parameter the
   data inform (cross-validated R² >= ``MIN_R2``). *Distance*: root mean square difference of
   the simulated and observed summaries.
3. *Round 0* (rejection): ``sims`` replications from the prior; the ``keep`` share closest to
   the data are the particles. Parameters not being fitted keep their prior draws (each
   replication's own), so their uncertainty is integrated over. *Round t >= 1* (SMC, only with
   ``rounds > 1``): ``sims`` proposals, each a particle (drawn by weight) whose informed
   parameters are moved by a normal kernel with twice the particles' covariance (the other
   parameters are fresh prior draws); the closest ``keep`` share are kept and weighted by
   prior / proposal density. SMC helps when the data pin a few parameters down much more
   narrowly than the prior; with noisy monthly data and many parameters its weights degenerate
   (``rounds.csv`` shows the effective sample size), so the default is one round. Finally the
   particles' informed parameters are moved by the regression adjustment, which corrects for the
   tolerance.
4. *Fitted distributions*: from the weighted particles, per parameter, in a form the scenario
   schema knows: a beta on the prior's range for bounded priors, a lognormal for lognormal
   priors, a normal (same truncation) for normal priors, a weighted ``choice`` for discrete ones.
   Parameters the data do not inform keep their prior unless ``write="all"``. Parameters are
   drawn independently in a run, so posterior correlations are not carried over (they are
   reported in ``correlations.csv``).
5. *Check*: the calibrated scenario and the original are run, and the observed months are
   compared with both models' monthly intervals (``fit.csv``, ``charts/fit_*.png``).
"""
from __future__ import annotations

import fnmatch
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import special

from sim.data.observations import month_label
from sim.data.nowcast import known_months
from sim.errors import UserError
from sim.indicators import FLOW_INDICATORS
from sim.model import simulate
from sim.random import Streams, parameter_uniforms, stream_id
from sim.scenario.distributions import Choice, LogNormal, Normal, Poisson, _Dist
from sim.scenario.params import uncertain_paths

CHUNK = 40
"""Replications per task shipped to a worker."""

ADJUST_MIN_ESS = 10
"""The regression adjustment needs at least this many effective particles per regression
coefficient; with fewer it would be overconfident, and the particles are left as they are."""

MIN_R2 = 0.05
"""Parameters whose cross-validated R² (share of prior variance the observed months explain)
is below this get no summary in the distance."""


class CalibrationError(UserError, ValueError):
    """A problem the user can fix (no observations, unknown parameter pattern...)."""


# ----------------------------------------------------------------------------- simulation

def _chunk_monthly(sc, seed: int, reps: list[int], u_list: list[dict] | None, names: list[str]):
    """Monthly series [rep, month, name] of some replications: no nowcast, no ranking."""
    from sim.experiment.runner import ReplicationError, layout, replication_params
    lay = layout(sc)
    out = np.empty((len(reps), sc.run.horizon_months, len(names)))
    for j, r in enumerate(reps):
        try:
            p = replication_params(sc, seed, r, lay.paths, u_list[j] if u_list else None)
            res = simulate(sc, p, Streams(seed, r))
        except Exception as e:
            raise ReplicationError(f"replication {r} (seed {seed}) failed: {type(e).__name__}: {e}") from e
        for k, n in enumerate(names):
            out[j, :, k] = res.monthly[n]
    return reps[0], out


def simulate_monthly(sc, seed: int, reps: list[int], names: list[str], u_list: list[dict] | None = None,
                     executor=None, bar=None) -> np.ndarray:
    """[rep, month, name] monthly series of replications ``reps`` (in that order), unconditioned.

    ``u_list[i]`` sets the uniform numbers of some parameters of replication ``reps[i]``."""
    from sim.experiment.executors import LocalExecutor
    executor = executor or LocalExecutor(1)
    tasks, pos = [], {}
    for a in range(0, len(reps), CHUNK):
        rs = list(reps[a:a + CHUNK])
        tasks.append((sc, seed, rs, u_list[a:a + CHUNK] if u_list else None, names))
        pos[rs[0]] = a
    out = np.empty((len(reps), sc.run.horizon_months, len(names)))
    for first, arr in executor.map_unordered(_chunk_monthly, tasks):
        a = pos[first]
        out[a:a + len(arr)] = arr
        if bar is not None:
            bar.update(len(arr))
    return out


# ----------------------------------------------------------------------------- summaries and distance

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
    nothing about it and its noise would only blur the distance."""
    items: list[tuple[str, np.ndarray]]                 # (indicator, months of the feature)
    observed: np.ndarray                                 # raw observed features
    offset: np.ndarray = field(default=None)            # c of log(x + c), per feature
    center: np.ndarray = field(default=None)
    scale: np.ndarray = field(default=None)             # prior spread of the transformed features
    coef: np.ndarray = field(default=None)              # [1 + feature, parameter]
    r2: np.ndarray = field(default=None)                # cross-validated R² per parameter
    active: np.ndarray = field(default=None)            # parameters that get a summary

    @classmethod
    def of_table(cls, table: dict[str, np.ndarray], n_known: int, block: int = 3) -> "Summaries":
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
        return np.sqrt(np.mean(d ** 2, axis=1))


# ----------------------------------------------------------------------------- parameters

def fitted_paths(sc, patterns: list[str] | None) -> list[str]:
    """Uncertain (non-fixed) parameters matching the glob patterns (default: all of them)."""
    cand = [p for p, d in uncertain_paths(sc) if getattr(d, "dist", "fixed") != "fixed"]
    if not patterns:
        return cand
    out = []
    allp = [p for p, _ in uncertain_paths(sc)]
    for pat in patterns:
        hit = [p for p in cand if fnmatch.fnmatchcase(p, pat)]
        if not hit:
            fixed = [p for p in allp if fnmatch.fnmatchcase(p, pat)]
            why = (f"it matches only fixed values ({', '.join(fixed[:3])}{'...' if len(fixed) > 3 else ''}): give "
                   f"them a distribution to fit them" if fixed else
                   "it matches no uncertain parameter (key paths look like uncertainties.sectors.<id>.sign_prob)")
            raise CalibrationError(f"--params {pat}: {why}")
        out.extend(p for p in hit if p not in out)
    return out


def _dist_of(sc, path: str) -> _Dist:
    return dict(uncertain_paths(sc))[path]


def _prior_moments(d: _Dist) -> tuple[float, float]:
    u = (np.arange(4000) + 0.5) / 4000
    x = np.asarray(d.ppf(u), dtype=float)
    return float(x.mean()), float(x.std())


def weighted_quantile(x: np.ndarray, w: np.ndarray, q) -> np.ndarray:
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
        return {"dist": "choice", "values": [float(v) for v in vals[keep]],
                "weights": [round(float(p), 4) for p in pw[keep] / pw[keep].sum()]}
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
    return float(f"{v:.6g}")


def as_dist(table: dict) -> _Dist:
    from pydantic import TypeAdapter

    from sim.scenario.distributions import Dist
    return TypeAdapter(Dist).validate_python(table)


def dist_text(d) -> str:
    """Short description of a distribution table or object, e.g. ``triangular(1, 2, 4)``."""
    t = d if isinstance(d, dict) else (d.model_dump(by_alias=True) if hasattr(d, "model_dump") else {"value": d})
    if not isinstance(t, dict):
        return f"{t:g}"
    args = ", ".join(f"{k}={_fmt(v)}" for k, v in t.items() if k != "dist")
    return f"{t.get('dist', 'fixed')}({args})"


def _fmt(v):
    if isinstance(v, list):
        return "[" + ", ".join(_fmt(x) for x in v[:6]) + (", ..." if len(v) > 6 else "") + "]"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


# ----------------------------------------------------------------------------- ABC

@dataclass
class Calibration:
    paths: list[str]
    z: np.ndarray                    # particles in probit space [particle, parameter]
    weights: np.ndarray
    distances: np.ndarray
    values: np.ndarray               # parameter values [particle, parameter]
    rounds: list[dict]
    summaries: Summaries
    total_sims: int


def _kernel_chol(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Cholesky factor of the perturbation covariance: twice the weighted particle covariance
    (full when there are at least 4 particles per parameter, else diagonal)."""
    n, d = z.shape
    mu = w @ z
    dz = z - mu
    cov = 2.0 * (dz * w[:, None]).T @ dz / max(1.0 - np.sum(w ** 2), 1e-12)
    if n < 4 * d:
        cov = np.diag(np.diag(cov))
    cov += np.eye(d) * 1e-6
    return np.linalg.cholesky(cov)


def _log_kernel_mix(znew: np.ndarray, z: np.ndarray, w: np.ndarray, chol: np.ndarray) -> np.ndarray:
    """log Σ_j w_j N(znew_i; z_j, Σ) for every new particle."""
    d = z.shape[1]
    logdet = 2.0 * np.sum(np.log(np.diag(chol)))
    out = np.empty(len(znew))
    for i in range(0, len(znew), 256):
        diff = znew[i:i + 256, None, :] - z[None, :, :]
        sol = np.linalg.solve(chol, diff.reshape(-1, d).T).T.reshape(diff.shape)
        q = np.sum(sol ** 2, axis=2)
        lk = -0.5 * q - 0.5 * logdet - 0.5 * d * math.log(2 * math.pi) + np.log(w)[None, :]
        m = lk.max(axis=1, keepdims=True)
        out[i:i + 256] = (m + np.log(np.exp(lk - m).sum(axis=1, keepdims=True)))[:, 0]
    return out


def abc_smc(sc, table: dict[str, np.ndarray], n_known: int, paths: list[str], seed: int, sims: int = 1000,
            rounds: int = 1, keep: float = 0.05, executor=None, progress=None, adjust: bool = True) -> Calibration:
    """Fit ``paths`` to the observed months before ``n_known`` (see the module docstring)."""
    from sim.experiment.runner import _progress
    summ = Summaries.of_table(table, n_known)
    if not summ.items:
        raise CalibrationError("no observed months to calibrate on")
    names = summ.indicators
    d = len(paths)
    n_keep = max(2, int(round(keep * sims)))
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream_id("calibrate"),)))
    dists = [_dist_of(sc, p) for p in paths]
    history = []
    with _progress(sims * rounds, progress) as bar:
        reps = list(range(sims))
        u0 = np.array([parameter_uniforms(seed, r, paths) for r in reps])
        raw = summ.raw(simulate_monthly(sc, seed, reps, names, None, executor, bar), names)
        summ.fit(raw, special.ndtri(u0))
        dist = summ.distance(raw)
        best = np.argsort(dist, kind="stable")[:n_keep]
        z = special.ndtri(u0[best])
        w = np.full(n_keep, 1.0 / n_keep)
        dz, kept_raw = dist[best], raw[best]
        history.append(_round_info(0, sims, dz, w))
        act = np.flatnonzero(summ.active)          # informed parameters: moved by the kernel
        rest = np.flatnonzero(~summ.active)        # the others: each replication's own prior draw
        for t in range(1, rounds):
            za = z[:, act]
            chol = _kernel_chol(za, w)
            pick = rng.choice(n_keep, size=sims, p=w)
            znew = np.empty((sims, d))
            znew[:, act] = za[pick] + rng.standard_normal((sims, len(act))) @ chol.T
            reps = list(range(t * sims, (t + 1) * sims))
            if len(rest):
                znew[:, rest] = special.ndtri(np.array([parameter_uniforms(seed, r, [paths[j] for j in rest])
                                                        for r in reps]))
            unew = np.clip(special.ndtr(znew[:, act]), 1e-12, 1 - 1e-12)
            u_list = [dict(zip([paths[j] for j in act], row.tolist())) for row in unew]
            raw = summ.raw(simulate_monthly(sc, seed, reps, names, u_list, executor, bar), names)
            dist = summ.distance(raw)
            best = np.argsort(dist, kind="stable")[:n_keep]
            zb = znew[best]
            # prior / proposal density, over the moved parameters only (the others are prior draws)
            logw = -0.5 * np.sum(zb[:, act] ** 2, axis=1) - _log_kernel_mix(zb[:, act], za, w, chol)
            w = np.exp(logw - logw.max())
            w /= w.sum()
            z, dz, kept_raw = zb, dist[best], raw[best]
            history.append(_round_info(t, sims, dz, w))
    ds = summ.summaries(kept_raw) - summ.summaries(summ.observed[None, :])
    if adjust:
        adj = _regression_adjust(z[:, act], w, dz, ds)
        if adj is not None:
            z = z.copy()
            z[:, act], w = adj
            history.append({"round": "adjusted", "simulations": 0, "kept": n_keep, "epsilon": float(dz.max()),
                            "median_distance": float(np.median(dz)), "ess": float(1.0 / np.sum(w ** 2))})
    u = special.ndtr(z)
    values = np.column_stack([np.asarray(dd.ppf(u[:, j]), dtype=float) for j, dd in enumerate(dists)]) \
        if d else np.zeros((n_keep, 0))
    return Calibration(paths, z, w, dz, values, history, summ, sims * rounds)


def _regression_adjust(z: np.ndarray, w: np.ndarray, dz: np.ndarray, ds: np.ndarray):
    """Local-linear regression adjustment (Beaumont, Zhang & Balding 2002, *Genetics* 162):
    weight the particles by an Epanechnikov kernel of their distance, regress the parameters
    (probit space) on the summaries' deviations from the observed ones, and move every particle
    to where its regression line meets the observed summaries."""
    eps = dz.max() * (1 + 1e-6) if dz.max() > 0 else 1.0
    kw = w * (1.0 - (dz / eps) ** 2)
    if not kw.sum() > 0 or 1.0 / np.sum((kw / kw.sum()) ** 2) < ADJUST_MIN_ESS * (ds.shape[1] + 1):
        return None                               # too few effective particles for a trustworthy regression
    kw = kw / kw.sum()
    x = np.column_stack([np.ones(len(ds)), ds])
    xtw = x.T * kw
    beta = np.linalg.solve(xtw @ x + 1e-9 * np.eye(x.shape[1]), xtw @ z)
    return z - ds @ beta[1:], kw


def _round_info(t, sims, dz, w) -> dict:
    return {"round": t, "simulations": sims, "kept": len(dz), "epsilon": float(dz.max()),
            "median_distance": float(np.median(dz)), "ess": float(1.0 / np.sum(w ** 2))}


# ----------------------------------------------------------------------------- results

def parameter_table(sc, cal: Calibration, write: str = "informed") -> pd.DataFrame:
    """Prior vs posterior per fitted parameter, the fitted distribution and whether it is written."""
    rows = []
    ess = 1.0 / np.sum((cal.weights / cal.weights.sum()) ** 2)
    for j, path in enumerate(cal.paths):
        prior = _dist_of(sc, path)
        pm, ps = _prior_moments(prior)
        x, w = cal.values[:, j], cal.weights
        mean = float(np.dot(w, x) / w.sum())
        sd = float(math.sqrt(max(np.dot(w, (x - mean) ** 2) / w.sum(), 0.0)))
        q = weighted_quantile(x, w, [0.025, 0.05, 0.5, 0.95, 0.975])
        fitted = fit_distribution(prior, x, w)
        fd = as_dist(fitted)
        shrink = 1.0 - sd / ps if ps > 0 else 0.0
        moved = abs(mean - pm) / ps if ps > 0 else 0.0
        rel = sd / ps if ps > 0 else 1.0      # Monte Carlo errors: shrink ~rel/sqrt(2 ESS), shift ~rel/sqrt(ESS)
        r2 = float(cal.summaries.r2[j])
        informed = bool(r2 >= MIN_R2 and ((shrink >= 0.1 and shrink >= 2 * rel / math.sqrt(2 * ess))
                                          or (moved >= 0.25 and moved >= 2 * rel / math.sqrt(ess))))
        rows.append({
            "parameter": path, "r2_cv": r2, "prior": dist_text(prior), "prior_mean": pm, "prior_sd": ps,
            "prior_q2_5": float(prior.ppf(0.025)), "prior_q97_5": float(prior.ppf(0.975)),
            "post_mean": mean, "post_sd": sd, "post_q2_5": q[0], "post_q5": q[1], "post_q50": q[2],
            "post_q95": q[3], "post_q97_5": q[4], "shrinkage": shrink, "shift_in_prior_sd": moved,
            "informed": informed, "written": informed or write == "all", "fitted": dist_text(fitted),
            "fitted_q2_5": float(fd.ppf(0.025)), "fitted_q97_5": float(fd.ppf(0.975)),
            "_fitted": fitted,
        })
    return pd.DataFrame(rows)


def posterior_table(cal: Calibration) -> pd.DataFrame:
    df = pd.DataFrame(cal.values, columns=cal.paths)
    df.insert(0, "weight", cal.weights)
    df.insert(1, "distance", cal.distances)
    return df


def correlation_table(cal: Calibration) -> pd.DataFrame:
    """Weighted posterior correlations of the fitted parameters (not carried into the scenario)."""
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


def _toml_scalar(v) -> str:
    import tomli_w
    return tomli_w.dumps({"v": v}).strip()[4:]


def _inline(table: dict) -> str:
    return "{ " + ", ".join(f"{k} = {_toml_scalar(v)}" for k, v in table.items()) + " }"


def calibrated_toml(sc, original: Path, out_file: Path, params: pd.DataFrame, overrides: list[str],
                    header: list[str]) -> str:
    """Text of the calibrated scenario: ``extends`` the original, sets the fitted distributions."""
    from sim.scenario.loader import parse_override
    rel = os.path.relpath(Path(original).resolve(), Path(out_file).resolve().parent)
    name = f"{sc.scenario.name}_calibrated"
    tree: dict = {"scenario": {"name": (name, "the original scenario's name + _calibrated"),
                               "description": (f"{sc.scenario.name} with uncertain parameters fitted to the "
                                               f"observed months (ABC)", "")}}
    for text in overrides:
        keys, value = parse_override(text)
        node = tree
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        if keys == ["observations", "file"] and not Path(str(value)).is_absolute():
            value = Path(os.path.relpath(Path.cwd() / str(value), Path(out_file).resolve().parent)).as_posix()
        node[keys[-1]] = (value, f"--set {text} given to calibrate")
    for _, r in params[params["written"]].iterrows():
        keys = r["parameter"].split(".")
        node = tree
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        note = (f"posterior mean {r['post_mean']:.4g}, 95% [{r['post_q2_5']:.4g}, {r['post_q97_5']:.4g}]; "
                f"prior {r['prior']}")
        node[keys[-1]] = (r["_fitted"], note)
    lines = [f"# {line}" for line in header]
    lines += [f"extends = {_toml_scalar(Path(rel).as_posix())}   # the scenario that was calibrated", ""]

    def emit(node: dict, prefix: str):
        leaves = [(k, v) for k, v in node.items() if isinstance(v, tuple)]
        tables = [(k, v) for k, v in node.items() if not isinstance(v, tuple)]
        if leaves:
            if prefix:
                lines.append(f"[{prefix}]")
            for k, (v, note) in leaves:
                val = _inline(v) if isinstance(v, dict) else _toml_scalar(v)
                lines.append(f"{k} = {val}" + (f"   # {note}" if note else ""))
            lines.append("")
        for k, v in tables:
            emit(v, f"{prefix}.{k}" if prefix else k)

    emit(tree, "")
    return "\n".join(lines).rstrip() + "\n"


def fit_table(table: dict[str, np.ndarray], n_known: int, start: str, names: list[str], prior: np.ndarray,
              calibrated: np.ndarray) -> pd.DataFrame:
    """Observed months vs the monthly 2.5/10/50/90/97.5% quantiles of both models."""
    qs = [2.5, 10, 50, 90, 97.5]
    rows = []
    for ind, ov in table.items():
        j = names.index(ind)
        pq = np.percentile(prior[:, :, j], qs, axis=0)
        cq = np.percentile(calibrated[:, :, j], qs, axis=0)
        for k in range(len(ov)):
            obs = ov[k] if k < n_known else np.nan
            if np.isnan(obs):
                continue
            rows.append([ind, month_label(k, start), float(obs), *pq[:, k], *cq[:, k],
                         bool(pq[0, k] <= obs <= pq[-1, k]), bool(cq[0, k] <= obs <= cq[-1, k])])
    cols = (["indicator", "month", "observed"] + [f"prior_p{str(q).replace('.', '_')}" for q in qs]
            + [f"calibrated_p{str(q).replace('.', '_')}" for q in qs] + ["in_prior_95", "in_calibrated_95"])
    return pd.DataFrame(rows, columns=cols)


def fit_chart(fit: pd.DataFrame, lang: str, title: str, scenario=None, units: dict | None = None):
    """Observed points against the original (grey) and calibrated (blue) 80% and 95% monthly bands."""
    import matplotlib.pyplot as plt

    from sim.report.fonts import use_cjk_font
    from sim.report.labels import indicator_label, unit_label
    use_cjk_font()
    inds = list(dict.fromkeys(fit["indicator"]))
    ncol = 2 if len(inds) > 1 else 1
    nrow = math.ceil(len(inds) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(6.2 * ncol, 3.1 * nrow + 0.6), squeeze=False)
    lab = {"zh": ("原情景 95%", "校准后 80%", "校准后 95%", "观测值"),
           "en": ("original 95%", "calibrated 80%", "calibrated 95%", "observed")}[lang]
    for ax, ind in zip(axes.flat, inds):
        d = fit[fit["indicator"] == ind]
        x = np.arange(len(d))
        ax.fill_between(x, d["prior_p2_5"], d["prior_p97_5"], color="#DDDDDD", label=lab[0], step="mid")
        ax.fill_between(x, d["calibrated_p2_5"], d["calibrated_p97_5"], color="#C6DBEF", label=lab[2], step="mid")
        ax.fill_between(x, d["calibrated_p10"], d["calibrated_p90"], color="#6BAED6", label=lab[1], step="mid")
        ax.plot(x, d["observed"], "o", color="black", markersize=3.5, label=lab[3])
        u = (units or {}).get(ind, "")
        ax.set_title(indicator_label(ind, lang, scenario) + (f" ({unit_label(u, lang)})" if u else ""),
                     fontsize=10, loc="left")
        step = max(1, len(d) // 6)
        ax.set_xticks(x[::step], list(d["month"])[::step], fontsize=8)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(inds):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=8, loc="best")
    fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    return fig


def observed_units(table) -> dict[str, str]:
    from sim.indicators import indicator_unit
    return {k: indicator_unit(k) for k in table}


# ----------------------------------------------------------------------------- the command

def run_calibration(ls, *, seed: int | None = None, sims: int = 2000, rounds: int = 1, keep: float = 0.05,
                    patterns: list[str] | None = None, as_of: str | None = None, write: str = "informed",
                    check_reps: int = 200, out: Path | None = None, scenario_out: Path | None = None,
                    overrides: list[str] | None = None, executor=None, progress=None, command: str = "",
                    log=None) -> dict:
    """Calibrate a loaded scenario and write the results folder; returns what was done.

    Every user-fixable problem raises :class:`CalibrationError` before anything is written;
    ``log(message)``, if given, is called once the inputs are checked."""
    from sim import store
    from sim.scenario.loader import load_scenario

    sc = ls.scenario
    obs = sc.observations
    if obs is None:
        raise CalibrationError(f"{ls.path}: the scenario has no [observations] section; add one that names the "
                               f"zone's observations file (docs/data.md)")
    seed = sc.run.seed if seed is None else seed
    months = sc.run.horizon_months
    as_of = as_of or obs.as_of_month() or obs.months()[-1]
    if as_of == "latest":
        as_of = obs.months()[-1]
    n_known = known_months(as_of, sc.run.start, months)
    table = obs.table(sc.run.start, months)
    if not any((~np.isnan(v[:n_known])).any() for v in table.values()):
        raise CalibrationError(f"--as-of {as_of}: no observed month up to it (first observed: {obs.months()[0]})")
    if not 0 < keep < 1:
        raise CalibrationError(f"--keep must lie in (0, 1), got {keep:g}")
    paths = fitted_paths(sc, patterns)
    if not paths:
        raise CalibrationError(f"{ls.path}: the scenario declares no uncertain parameter (every value is fixed)")
    out = Path(out) if out else Path("results") / f"{sc.scenario.name}__calibrate__seed{seed}__n{sims}x{rounds}"
    scenario_out = Path(scenario_out) if scenario_out else out / f"{sc.scenario.name}_calibrated.toml"
    if scenario_out.suffix != ".toml":
        raise CalibrationError(f"--scenario-out {scenario_out}: expected a .toml file name")

    if log:
        log(f"{sc.scenario.zone} / {sc.scenario.name}: calibrating {len(paths)} parameter(s) on "
            f"{obs.months()[0]}..{as_of}, {rounds} round(s) of {sims} simulations -> {out}")
    cal = abc_smc(sc, table, n_known, paths, seed, sims, rounds, keep, executor, progress)
    params = parameter_table(sc, cal, write)
    first = obs.months()[0]
    header = [f"{sc.scenario.name}_calibrated: {sc.scenario.name} with its uncertain parameters fitted to the zone's",
              f"observed months {first} to {as_of} (observations sha256 {obs.sha256[:12]}...).",
              f"Written by `{command or 'run_sim.py calibrate'}`: ABC, {rounds} round(s) of {sims} "
              f"simulations, {cal.weights.size} particles, seed {seed} (docs/data.md).",
              "Each fitted distribution replaces the original's; everything else comes from the original.",
              "Parameters the data did not inform keep their original distribution (parameters.csv)."]
    text = calibrated_toml(sc, Path(ls.path), scenario_out, params, list(overrides or []), header)
    store.atomic_write_text(scenario_out, text)
    try:
        cal_ls = load_scenario(scenario_out)
    except Exception:
        scenario_out.unlink(missing_ok=True)
        raise
    names = list(table)
    reps = list(range(check_reps))
    prior_m = simulate_monthly(sc, seed, reps, names, None, executor)
    cal_m = simulate_monthly(cal_ls.scenario, seed, reps, names, None, executor)
    fit = fit_table(table, n_known, sc.run.start, names, prior_m, cal_m)

    store.atomic_write_csv(out / "parameters.csv", params.drop(columns=["_fitted"]))
    store.atomic_write_csv(out / "posterior.csv", posterior_table(cal))
    corr = correlation_table(cal)
    store.atomic_write_csv(out / "correlations.csv", corr)
    store.atomic_write_csv(out / "rounds.csv", pd.DataFrame(cal.rounds))
    store.atomic_write_csv(out / "fit.csv", fit)
    from sim.report import charts
    for lang in ("zh", "en"):
        title = {"zh": f"{sc.scenario.zone_zh}：观测值与模型月度区间（原情景 / 校准后）",
                 "en": f"{sc.scenario.zone}: observed months vs monthly model intervals (original / calibrated)"}[lang]
        charts.save(fit_chart(fit, lang, title, sc, observed_units(table)), out / "charts" / f"fit_{lang}.png")
    info = {"method": "ABC: rejection" + (f" + {rounds - 1} SMC round(s) (Beaumont et al. 2009)" if rounds > 1 else "")
                      + ", semi-automatic summaries (Fearnhead & Prangle 2012), quantile tolerance, probit-uniform "
                        "parameter space, local-linear regression adjustment (Beaumont et al. 2002)",
            "observations_sha256": obs.sha256, "observed_months": [first, as_of], "parameters": paths,
            "simulations_per_round": sims, "rounds": cal.rounds, "keep": keep, "check_replications": check_reps,
            "calibrated_scenario": str(scenario_out), "calibrated_sha256": cal_ls.sha256}
    man = store.manifest(scenario_name=sc.scenario.name, scenario_file=str(ls.path), sha256=ls.sha256, seed=seed,
                         reps=cal.total_sims, resolved=ls.resolved, warnings=[], extra={"calibration": info})
    store.write_json(out / "manifest.json", man)
    return {"out": out, "scenario_out": scenario_out, "params": params, "fit": fit, "calibration": cal,
            "correlations": corr,
            "as_of": as_of, "first": first}


__all__ = ["CalibrationError", "Calibration", "abc_smc", "fitted_paths", "fit_distribution", "parameter_table",
           "posterior_table", "correlation_table", "calibrated_toml", "fit_table", "fit_chart", "simulate_monthly",
           "run_calibration"]
