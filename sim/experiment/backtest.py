"""Backtest: how trustworthy were past nowcasts?

For each cut-off month c, the nowcast that ``run --as-of c`` would have made (observed months up
to c fixed, every replication continued from the observed level; docs/model.md 7.14) is compared
with what was observed later. The compared quantity is the one the fan chart and the targets use:
the year-to-date value of each observed indicator (flows summed from January; stocks as they are)
at every later observed month up to ``horizon`` months after the cut-off.

Scores, per compared value y and forecast ensemble x_1..x_n:

* PIT (probability integral transform) ``F(y)``, randomised between F(y-) and F(y) where the
  ensemble has ties; uniform on [0, 1] when the forecasts are calibrated;
* coverage of the central 50/80/95% intervals (quantiles of the ensemble);
* CRPS (continuous ranked probability score, a proper score; lower is better, in the
  indicator's unit), ``mean|x - y| - mean|x - x'| / 2``, and its skill against the
  unconditioned forecast (the same replications without the observations): 1 - CRPS / CRPS₀;
* for each active target whose year-end value was observed: the nowcast P(hit) at each earlier
  cut-off, the outcome and the Brier score.

One set of replications serves every cut-off: the conditioning is a pure function of a
replication's monthly series (``sim.data.nowcast.condition_series``), so conditioning stored
series equals running the nowcast. Scores of one indicator at successive months are correlated,
so the Wilson intervals on coverage are narrower than the evidence warrants.

The scores are :mod:`sim.analysis.scores`'; the results folder is written by
:func:`sim.report.studies.study_outputs.write_backtest`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.monthly import year_to_date
from sim.analysis.scores import coverage_table, crps_ensemble, pit_histogram, randomised_pit, score_table
from sim.analysis.targets import hits_of, target_specs
from sim.data.nowcast import condition_series, known_months
from sim.errors import UserError
from sim.experiment import engine
from sim.experiment.calibrate import observed_inputs
from sim.months import month_at, month_offset
from sim.random import stream_id
from sim.scenario.loader import LoadedScenario
from sim.vocabulary.outcomes import FLOW_INDICATORS, OBSERVABLE


class BacktestError(UserError, ValueError):
    """A problem the user can fix (bad cut-off, no later observations...)."""


def observed_ytd(ov: np.ndarray, indicator: str) -> np.ndarray:
    """Observed year-to-date values (NaN where a month of the year so far is missing)."""
    if indicator not in FLOW_INDICATORS:
        return ov.copy()
    out = np.full(len(ov), np.nan)
    for y0 in range(0, len(ov), 12):
        seg = ov[y0 : y0 + 12]
        c = np.cumsum(seg)  # NaN propagates from the first missing month on
        out[y0 : y0 + 12] = c
    return out


def check_cutoffs(cutoffs: list[str], table: dict[str, np.ndarray], start: str, months: int, horizon: int) -> None:
    first, last = month_at(0, start), month_at(months - 1, start)
    observed = sorted(
        month_at(k, start) for k in set().union(*[set(np.flatnonzero(~np.isnan(v)).tolist()) for v in table.values()])
    )
    for c in cutoffs:
        k = month_offset(c, start)
        if not 0 <= k < months:
            raise BacktestError(f"--cutoffs {c}: outside the scenario's months {first} to {last}")
        if not observed or c < observed[0]:
            raise BacktestError(
                f"--cutoffs {c}: before the first observed month "
                f"{observed[0] if observed else '(none)'}: nothing to start from"
            )
        later = [m for m in observed if c < m <= month_at(min(k + horizon, months - 1), start)]
        if not later:
            raise BacktestError(
                f"--cutoffs {c}: no observation in the {horizon} month(s) after it to compare with "
                f"(last observed month: {observed[-1]})"
            )


def evaluate(
    table: dict[str, np.ndarray],
    sims: np.ndarray,
    names: list[str],
    cutoffs: list[str],
    start: str,
    horizon: int = 12,
    window_months: int = 3,
    max_ratio: float = 5.0,
    seed: int = 0,
    targets=(),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score the nowcast at each cut-off against the later observations.

    ``table``: indicator -> observed values[month] (NaN = not observed); ``sims``: unconditioned
    monthly series [rep, month, name]. Returns (points, targets) tables."""
    months = sims.shape[1]
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream_id("backtest_pit"),)))
    monthly = {n: sims[:, :, j] for j, n in enumerate(names)}
    rows, trows = [], []
    for c in cutoffs:
        k = known_months(c, start, months)
        cond = condition_series(monthly, table, k, window_months, max_ratio)
        for ind, ov in table.items():
            if ind not in monthly:
                continue
            fc = year_to_date(cond.get(ind, monthly[ind]), ind)
            f0 = year_to_date(monthly[ind], ind)
            oy = observed_ytd(np.asarray(ov, dtype=float), ind)
            for m in range(k, min(months, k + horizon)):
                y = oy[m]
                if np.isnan(y):
                    continue
                x = fc[:, m]
                pit = randomised_pit(x, y, rng.random())
                q = np.percentile(x, [25, 75, 10, 90, 2.5, 97.5])
                crps, crps0 = crps_ensemble(x, y), crps_ensemble(f0[:, m], y)
                rows.append(
                    [
                        c,
                        ind,
                        month_at(m, start),
                        m - k + 1,
                        float(y),
                        float(x.mean()),
                        *q.tolist(),
                        pit,
                        bool(q[0] <= y <= q[1]),
                        bool(q[2] <= y <= q[3]),
                        bool(q[4] <= y <= q[5]),
                        crps,
                        crps0,
                    ]
                )
        for t in targets:
            if t.indicator not in table or t.indicator not in monthly:
                continue
            e = (t.year - int(start[:4])) * 12 + 11
            if not k - 1 < e < months:
                continue
            y = observed_ytd(np.asarray(table[t.indicator], dtype=float), t.indicator)[e]
            if np.isnan(y):
                continue
            x = year_to_date(cond.get(t.indicator, monthly[t.indicator]), t.indicator)[:, e]
            x0 = year_to_date(monthly[t.indicator], t.indicator)[:, e]
            p, p0 = float(hits_of(x, t.op, t.threshold).mean()), float(hits_of(x0, t.op, t.threshold).mean())
            hit = int(hits_of(np.array([y]), t.op, t.threshold)[0])
            trows.append(
                [
                    c,
                    t.target_id,
                    t.indicator,
                    t.year,
                    t.op,
                    t.threshold,
                    float(y),
                    hit,
                    p,
                    (p - hit) ** 2,
                    p0,
                    (p0 - hit) ** 2,
                ]
            )
    points = pd.DataFrame(
        rows,
        columns=[
            "cutoff",
            "indicator",
            "month",
            "horizon_months",
            "observed",
            "mean",
            "p25",
            "p75",
            "p10",
            "p90",
            "p2_5",
            "p97_5",
            "pit",
            "in50",
            "in80",
            "in95",
            "crps",
            "crps_unconditioned",
        ],
    )
    tdf = pd.DataFrame(
        trows,
        columns=[
            "cutoff",
            "target_id",
            "indicator",
            "year",
            "op",
            "threshold",
            "observed",
            "hit",
            "p_hit",
            "brier",
            "p_hit_unconditioned",
            "brier_unconditioned",
        ],
    )
    return points, tdf


@dataclass
class BacktestResult:
    """What ``backtest`` scored; :func:`sim.report.studies.study_outputs.write_backtest` writes it to ``out``.

    ``points``: one row per compared value (see :func:`evaluate`); ``coverage``, ``pit``,
    ``scores``: its tables (:mod:`sim.analysis.scores`); ``targets``: nowcast P(hit) of observed
    target outcomes; ``info``: the manifest's ``backtest`` section."""

    ls: LoadedScenario
    out: Path
    cutoffs: list[str]
    reps: int
    seed: int
    points: pd.DataFrame
    coverage: pd.DataFrame
    pit: pd.DataFrame
    scores: pd.DataFrame
    targets: pd.DataFrame
    info: dict


def run_backtest(
    ls,
    cutoffs: list[str],
    *,
    reps: int | None = None,
    seed: int | None = None,
    horizon: int = 12,
    out: Path | None = None,
    executor=None,
    progress=None,
    log=None,
) -> BacktestResult:
    """Backtest a loaded scenario at the given cut-offs; returns the result, which
    :func:`sim.report.studies.study_outputs.write_backtest` writes to its folder.

    Every user-fixable problem raises :class:`BacktestError` before anything is written;
    ``log(message)``, if given, is called once the inputs are checked."""
    sc = ls.scenario
    obs, seed = observed_inputs(ls, BacktestError, seed)
    reps = reps or sc.run.replications
    months = sc.run.horizon_months
    table = obs.table(sc.run.start, months)
    cutoffs = sorted(dict.fromkeys(cutoffs))
    check_cutoffs(cutoffs, table, sc.run.start, months, horizon)
    out = Path(out) if out else Path("results") / f"{sc.scenario.name}__backtest__seed{seed}__n{reps}"
    if log:
        log(f"{sc.scenario.zone} / {sc.scenario.name}: backtest at {', '.join(cutoffs)}, {reps} replications -> {out}")
    names = list(OBSERVABLE)
    design = engine.replications(
        [sc], [seed], reps, engine.Outputs(monthly=tuple(names), ranking=False, nowcast=False), engine.FINE_CHUNK
    )
    sims = engine.evaluate(design, executor, progress).monthly()
    targets = [t for t in target_specs(sc) if t.active]
    points, tdf = evaluate(
        table, sims, names, cutoffs, sc.run.start, horizon, obs.window_months, obs.max_ratio, seed, targets
    )
    info = {
        "cutoffs": cutoffs,
        "horizon_months": horizon,
        "observations_sha256": obs.sha256,
        "compared_values": len(points),
        "quantity": "year-to-date value of each observed indicator",
    }
    res = BacktestResult(
        ls,
        out,
        cutoffs,
        reps,
        seed,
        points,
        coverage_table(points),
        pit_histogram(points),
        score_table(points),
        tdf,
        info,
    )
    return res
