"""Calibration: fit a scenario's declared uncertain parameters to the zone's observed months,
write the calibrated scenario and check it.

The fit, approximate Bayesian computation (ABC), and the fitted distributions it gives are
:mod:`sim.experiment.abc_fit`. This module checks the inputs, writes the calibrated scenario (it
extends the original and replaces the distribution of each parameter it writes;
:func:`sim.scenario.fitted.calibrated_toml`) and checks it: the calibrated scenario and the
original are run, and the observed months are compared with both models' monthly intervals
(``fit.csv``, ``charts/fit_*.png``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim import store
from sim.analysis.abc import correlation_table
from sim.data.nowcast import known_months
from sim.experiment.abc_fit import (
    Calibration,
    CalibrationError,
    abc_smc,
    fitted_paths,
    parameter_table,
    posterior_table,
    simulate_monthly,
)
from sim.months import month_at
from sim.scenario.fitted import calibrated_toml
from sim.scenario.loader import LoadedScenario, load_scenario

# ----------------------------------------------------------------------------- the check


def fit_table(
    table: dict[str, np.ndarray], n_known: int, start: str, names: list[str], prior: np.ndarray, calibrated: np.ndarray
) -> pd.DataFrame:
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
            rows.append(
                [
                    ind,
                    month_at(k, start),
                    float(obs),
                    *pq[:, k],
                    *cq[:, k],
                    bool(pq[0, k] <= obs <= pq[-1, k]),
                    bool(cq[0, k] <= obs <= cq[-1, k]),
                ]
            )
    cols = (
        ["indicator", "month", "observed"]
        + [f"prior_p{str(q).replace('.', '_')}" for q in qs]
        + [f"calibrated_p{str(q).replace('.', '_')}" for q in qs]
        + ["in_prior_95", "in_calibrated_95"]
    )
    return pd.DataFrame(rows, columns=cols)


# ----------------------------------------------------------------------------- the command


@dataclass
class CalibrationResult:
    """What ``calibrate`` fitted and checked; :func:`sim.report.studies.study_outputs.write_calibration`
    writes it to ``out``.

    ``params``: prior vs posterior per fitted parameter (with the ``_fitted`` tables);
    ``posterior``: the weighted particles; ``correlations``: their weighted correlations;
    ``fit``: observed months against both models' monthly quantiles; ``observed``: indicator ->
    observed values by month; ``first`` .. ``as_of``: the observed months used; ``info``: the
    manifest's ``calibration`` section."""

    ls: LoadedScenario
    out: Path
    scenario_out: Path
    seed: int
    params: pd.DataFrame
    posterior: pd.DataFrame
    correlations: pd.DataFrame
    fit: pd.DataFrame
    calibration: Calibration
    observed: dict
    first: str
    as_of: str
    info: dict


def observed_inputs(ls, error: type[Exception], seed: int | None):
    """The scenario's observations and the seed to use (the scenario's unless given); ``error``
    when the scenario has no observations."""
    sc = ls.scenario
    obs = sc.observations
    if obs is None:
        raise error(
            f"{ls.path}: the scenario has no [observations] section; add one that names the "
            f"zone's observations file (docs/data.md)"
        )
    return obs, (sc.run.seed if seed is None else seed)


def run_calibration(
    ls,
    *,
    seed: int | None = None,
    sims: int = 2000,
    rounds: int = 1,
    keep: float = 0.05,
    patterns: list[str] | None = None,
    as_of: str | None = None,
    write: str = "informed",
    check_reps: int = 200,
    out: Path | None = None,
    scenario_out: Path | None = None,
    overrides: list[str] | None = None,
    executor=None,
    progress=None,
    command: str = "",
    log=None,
) -> CalibrationResult:
    """Calibrate a loaded scenario: fit, write the calibrated scenario file, check it; returns the
    result, which :func:`sim.report.studies.study_outputs.write_calibration` writes to its folder.

    Every user-fixable problem raises :class:`CalibrationError` before anything is written;
    ``log(message)``, if given, is called once the inputs are checked."""
    sc = ls.scenario
    obs, seed = observed_inputs(ls, CalibrationError, seed)
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
        log(
            f"{sc.scenario.zone} / {sc.scenario.name}: calibrating {len(paths)} parameter(s) on "
            f"{obs.months()[0]}..{as_of}, {rounds} round(s) of {sims} simulations -> {out}"
        )
    cal = abc_smc(sc, table, n_known, paths, seed, sims, rounds, keep, executor, progress)
    params = parameter_table(sc, cal, write)
    first = obs.months()[0]
    header = [
        f"{sc.scenario.name}_calibrated: {sc.scenario.name} with its uncertain parameters fitted to the zone's",
        f"observed months {first} to {as_of} (observations sha256 {obs.sha256[:12]}...).",
        f"Written by `{command or 'run_sim.py calibrate'}`: ABC, {rounds} round(s) of {sims} "
        f"simulations, {cal.weights.size} particles, seed {seed} (docs/data.md).",
        "Each fitted distribution replaces the original's; everything else comes from the original.",
        "Parameters the data did not inform keep their original distribution (parameters.csv).",
    ]
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
    info = {
        "method": "ABC: rejection"
        + (f" + {rounds - 1} SMC round(s) (Beaumont et al. 2009)" if rounds > 1 else "")
        + ", semi-automatic summaries (Fearnhead & Prangle 2012), quantile tolerance, probit-uniform "
        "parameter space, local-linear regression adjustment (Beaumont et al. 2002)",
        "observations_sha256": obs.sha256,
        "observed_months": [first, as_of],
        "parameters": paths,
        "simulations_per_round": sims,
        "rounds": cal.rounds,
        "keep": keep,
        "check_replications": check_reps,
        "calibrated_scenario": str(scenario_out),
        "calibrated_sha256": cal_ls.sha256,
    }
    res = CalibrationResult(
        ls,
        out,
        scenario_out,
        seed,
        params,
        posterior_table(cal),
        correlation_table(cal),
        fit,
        cal,
        table,
        first,
        as_of,
        info,
    )
    return res


__all__ = [
    "CalibrationResult",
    "correlation_table",
    "fit_table",
    "observed_inputs",
    "run_calibration",
]
