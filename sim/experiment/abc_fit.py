"""The ABC fit of ``calibrate``: particles of a scenario's uncertain parameters that come close
to the zone's observed months, and the fitted distributions they give.

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

:mod:`sim.experiment.calibrate` writes the calibrated scenario and checks it; the numerics are
:mod:`sim.analysis.abc`.
"""

from __future__ import annotations

import fnmatch
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from sim.analysis.abc import (
    MIN_R2,
    Summaries,
    closest,
    fit_distribution,
    importance_weights,
    perturb,
    prior_moments,
    regression_adjust,
    round_info,
    weighted_quantile,
)
from sim.errors import UserError
from sim.experiment.engine import Outputs, evaluate, rows_design
from sim.experiment.progress import Bar
from sim.random import parameter_uniforms, stream_id
from sim.scenario.distributions import _Dist
from sim.scenario.fitted import as_dist, dist_text
from sim.scenario.params import uncertain_paths


class CalibrationError(UserError, ValueError):
    """A problem the user can fix (no observations, unknown parameter pattern...)."""


# ----------------------------------------------------------------------------- simulation


def simulate_monthly(
    sc,
    seed: int,
    reps: list[int],
    names: list[str],
    u_list: list[dict] | None = None,
    executor=None,
    bar: Bar | None = None,
) -> np.ndarray:
    """[rep, month, name] monthly series of replications ``reps`` (in that order), unconditioned
    and without the national evaluation (an engine design with those outputs only).

    ``u_list[i]`` sets the uniform numbers of some parameters of replication ``reps[i]``."""
    rows = [(r, u_list[j] if u_list else None, ()) for j, r in enumerate(reps)]
    design = rows_design(sc, seed, rows, Outputs(monthly=tuple(names), ranking=False, nowcast=False))
    return evaluate(design, executor, bar if bar is not None else False).monthly()


# ----------------------------------------------------------------------------- parameters


def fitted_paths(sc, patterns: list[str] | None) -> list[str]:
    """Uncertain (non-fixed) parameters matching the glob patterns (default: all of them)."""
    cand = [p for p, d in uncertain_paths(sc) if getattr(d, "dist", "fixed") != "fixed"]
    if not patterns:
        return cand
    out: list[str] = []
    allp = [p for p, _ in uncertain_paths(sc)]
    for pat in patterns:
        hit = [p for p in cand if fnmatch.fnmatchcase(p, pat)]
        if not hit:
            fixed = [p for p in allp if fnmatch.fnmatchcase(p, pat)]
            why = (
                f"it matches only fixed values ({', '.join(fixed[:3])}{'...' if len(fixed) > 3 else ''}): give "
                f"them a distribution to fit them"
                if fixed
                else "it matches no uncertain parameter (key paths look like uncertainties.sectors.<id>.sign_prob)"
            )
            raise CalibrationError(f"--params {pat}: {why}")
        out.extend(p for p in hit if p not in out)
    return out


def _dist_of(sc, path: str) -> _Dist:
    return dict(uncertain_paths(sc))[path]


# ----------------------------------------------------------------------------- ABC


@dataclass
class Calibration:
    paths: list[str]
    z: np.ndarray  # particles in probit space [particle, parameter]
    weights: np.ndarray
    distances: np.ndarray
    values: np.ndarray  # parameter values [particle, parameter]
    rounds: list[dict]
    summaries: Summaries
    total_sims: int


def abc_smc(
    sc,
    table: dict[str, np.ndarray],
    n_known: int,
    paths: list[str],
    seed: int,
    sims: int = 1000,
    rounds: int = 1,
    keep: float = 0.05,
    executor=None,
    progress=None,
    adjust: bool = True,
) -> Calibration:
    """Fit ``paths`` to the observed months before ``n_known`` (see the module docstring)."""
    summ = Summaries.of_table(table, n_known)
    if not summ.items:
        raise CalibrationError("no observed months to calibrate on")
    names = summ.indicators
    d = len(paths)
    n_keep = max(2, round(keep * sims))
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream_id("calibrate"),)))
    dists = [_dist_of(sc, p) for p in paths]
    history = []
    with Bar(sims * rounds, progress) as bar:
        reps = list(range(sims))
        u0 = np.array([parameter_uniforms(seed, r, paths) for r in reps])
        raw = summ.raw(simulate_monthly(sc, seed, reps, names, None, executor, bar), names)
        summ.fit(raw, special.ndtri(u0))
        dist = summ.distance(raw)
        best = closest(dist, n_keep)
        z = special.ndtri(u0[best])
        w = np.full(n_keep, 1.0 / n_keep)
        dz, kept_raw = dist[best], raw[best]
        history.append(round_info(0, sims, dz, w))
        act = np.flatnonzero(summ.active)  # informed parameters: moved by the kernel
        rest = np.flatnonzero(~summ.active)  # the others: each replication's own prior draw
        for t in range(1, rounds):
            za = z[:, act]
            znew = np.empty((sims, d))
            znew[:, act], chol = perturb(za, w, sims, rng)
            reps = list(range(t * sims, (t + 1) * sims))
            if len(rest):
                znew[:, rest] = special.ndtri(
                    np.array([parameter_uniforms(seed, r, [paths[j] for j in rest]) for r in reps])
                )
            unew = np.clip(special.ndtr(znew[:, act]), 1e-12, 1 - 1e-12)
            u_list = [dict(zip([paths[j] for j in act], row.tolist(), strict=True)) for row in unew]
            raw = summ.raw(simulate_monthly(sc, seed, reps, names, u_list, executor, bar), names)
            dist = summ.distance(raw)
            best = closest(dist, n_keep)
            zb = znew[best]
            # prior / proposal density, over the moved parameters only (the others are prior draws)
            w = importance_weights(zb[:, act], za, w, chol)
            z, dz, kept_raw = zb, dist[best], raw[best]
            history.append(round_info(t, sims, dz, w))
    ds = summ.summaries(kept_raw) - summ.summaries(summ.observed[None, :])
    if adjust:
        adj = regression_adjust(z[:, act], w, dz, ds)
        if adj is not None:
            z = z.copy()
            z[:, act], w = adj
            history.append(
                {
                    "round": "adjusted",
                    "simulations": 0,
                    "kept": n_keep,
                    "epsilon": float(dz.max()),
                    "median_distance": float(np.median(dz)),
                    "ess": float(1.0 / np.sum(w**2)),
                }
            )
    u = special.ndtr(z)
    values = (
        np.column_stack([np.asarray(dd.ppf(u[:, j]), dtype=float) for j, dd in enumerate(dists)])
        if d
        else np.zeros((n_keep, 0))
    )
    return Calibration(paths, z, w, dz, values, history, summ, sims * rounds)


# ----------------------------------------------------------------------------- results


def parameter_table(sc, cal: Calibration, write: str = "informed") -> pd.DataFrame:
    """Prior vs posterior per fitted parameter, the fitted distribution and whether it is written."""
    rows = []
    ess = 1.0 / np.sum((cal.weights / cal.weights.sum()) ** 2)
    for j, path in enumerate(cal.paths):
        prior = _dist_of(sc, path)
        pm, ps = prior_moments(prior)
        x, w = cal.values[:, j], cal.weights
        mean = float(np.dot(w, x) / w.sum())
        sd = float(math.sqrt(max(np.dot(w, (x - mean) ** 2) / w.sum(), 0.0)))
        q = weighted_quantile(x, w, [0.025, 0.05, 0.5, 0.95, 0.975])
        fitted = fit_distribution(prior, x, w)
        fd = as_dist(fitted)
        shrink = 1.0 - sd / ps if ps > 0 else 0.0
        moved = abs(mean - pm) / ps if ps > 0 else 0.0
        rel = sd / ps if ps > 0 else 1.0  # Monte Carlo errors: shrink ~rel/sqrt(2 ESS), shift ~rel/sqrt(ESS)
        r2 = float(cal.summaries.r2[j])
        informed = bool(
            r2 >= MIN_R2
            and (
                (shrink >= 0.1 and shrink >= 2 * rel / math.sqrt(2 * ess))
                or (moved >= 0.25 and moved >= 2 * rel / math.sqrt(ess))
            )
        )
        rows.append(
            {
                "parameter": path,
                "r2_cv": r2,
                "prior": dist_text(prior),
                "prior_mean": pm,
                "prior_sd": ps,
                "prior_q2_5": float(prior.ppf(0.025)),
                "prior_q97_5": float(prior.ppf(0.975)),
                "post_mean": mean,
                "post_sd": sd,
                "post_q2_5": q[0],
                "post_q5": q[1],
                "post_q50": q[2],
                "post_q95": q[3],
                "post_q97_5": q[4],
                "shrinkage": shrink,
                "shift_in_prior_sd": moved,
                "informed": informed,
                "written": informed or write == "all",
                "fitted": dist_text(fitted),
                "fitted_q2_5": float(fd.ppf(0.025)),
                "fitted_q97_5": float(fd.ppf(0.975)),
                "_fitted": fitted,
            }
        )
    return pd.DataFrame(rows)


def posterior_table(cal: Calibration) -> pd.DataFrame:
    df = pd.DataFrame(cal.values, columns=cal.paths)
    df.insert(0, "weight", cal.weights)
    df.insert(1, "distance", cal.distances)
    return df


__all__ = [
    "Calibration",
    "CalibrationError",
    "abc_smc",
    "fitted_paths",
    "parameter_table",
    "posterior_table",
    "simulate_monthly",
]
