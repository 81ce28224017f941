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
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.monthly import year_to_date
from sim.analysis.targets import hits_of, proportion_ci
from sim.data.nowcast import condition_series, known_months
from sim.data.observations import OBSERVABLE, month_label, month_number
from sim.errors import UserError
from sim.indicators import FLOW_INDICATORS
from sim.random import stream_id

LEVELS = (50, 80, 95)
PIT_BINS = 10


class BacktestError(UserError, ValueError):
    """A problem the user can fix (bad cut-off, no later observations...)."""


def observed_ytd(ov: np.ndarray, indicator: str) -> np.ndarray:
    """Observed year-to-date values (NaN where a month of the year so far is missing)."""
    if indicator not in FLOW_INDICATORS:
        return ov.copy()
    out = np.full(len(ov), np.nan)
    for y0 in range(0, len(ov), 12):
        seg = ov[y0:y0 + 12]
        c = np.cumsum(seg)                  # NaN propagates from the first missing month on
        out[y0:y0 + 12] = c
    return out


def crps_ensemble(x: np.ndarray, y: float) -> float:
    """CRPS of the empirical distribution of ensemble x at observation y."""
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    i = np.arange(1, n + 1)
    spread = 2.0 * np.sum((2 * i - n - 1) * x) / n ** 2        # E|X - X'|
    return float(np.mean(np.abs(x - y)) - 0.5 * spread)


def check_cutoffs(cutoffs: list[str], table: dict[str, np.ndarray], start: str, months: int, horizon: int) -> None:
    first, last = month_label(0, start), month_label(months - 1, start)
    observed = sorted(month_label(k, start) for k in
                      set().union(*[set(np.flatnonzero(~np.isnan(v)).tolist()) for v in table.values()]))
    for c in cutoffs:
        k = month_number(c, start)
        if not 0 <= k < months:
            raise BacktestError(f"--cutoffs {c}: outside the scenario's months {first} to {last}")
        if not observed or c < observed[0]:
            raise BacktestError(f"--cutoffs {c}: before the first observed month "
                                f"{observed[0] if observed else '(none)'}: nothing to start from")
        later = [m for m in observed if c < m <= month_label(min(k + horizon, months - 1), start)]
        if not later:
            raise BacktestError(f"--cutoffs {c}: no observation in the {horizon} month(s) after it to compare with "
                                f"(last observed month: {observed[-1]})")


def evaluate(table: dict[str, np.ndarray], sims: np.ndarray, names: list[str], cutoffs: list[str], start: str,
             horizon: int = 12, window_months: int = 3, max_ratio: float = 5.0, seed: int = 0,
             targets=()) -> tuple[pd.DataFrame, pd.DataFrame]:
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
                lo, hi = np.mean(x < y), np.mean(x <= y)
                pit = float(lo + rng.random() * (hi - lo))
                q = np.percentile(x, [25, 75, 10, 90, 2.5, 97.5])
                crps, crps0 = crps_ensemble(x, y), crps_ensemble(f0[:, m], y)
                rows.append([c, ind, month_label(m, start), m - k + 1, float(y), float(x.mean()), *q.tolist(),
                             pit, bool(q[0] <= y <= q[1]), bool(q[2] <= y <= q[3]), bool(q[4] <= y <= q[5]),
                             crps, crps0])
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
            trows.append([c, t.target_id, t.indicator, t.year, t.op, t.threshold, float(y), hit, p, (p - hit) ** 2,
                          p0, (p0 - hit) ** 2])
    points = pd.DataFrame(rows, columns=[
        "cutoff", "indicator", "month", "horizon_months", "observed", "mean", "p25", "p75", "p10", "p90",
        "p2_5", "p97_5", "pit", "in50", "in80", "in95", "crps", "crps_unconditioned"])
    tdf = pd.DataFrame(trows, columns=[
        "cutoff", "target_id", "indicator", "year", "op", "threshold", "observed", "hit", "p_hit", "brier",
        "p_hit_unconditioned", "brier_unconditioned"])
    return points, tdf


def coverage_table(points: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for lv in LEVELS:
        col = points[f"in{lv}"]
        n, k = len(col), int(col.sum())
        lo, hi = proportion_ci(k, n)
        rows.append([lv / 100, n, k, k / n if n else float("nan"), lo, hi])
    return pd.DataFrame(rows, columns=["nominal", "n", "covered", "coverage", "ci_low", "ci_high"])


def pit_histogram(points: pd.DataFrame, bins: int = PIT_BINS) -> pd.DataFrame:
    edges = np.linspace(0, 1, bins + 1)
    counts, _ = np.histogram(points["pit"], bins=edges)
    n = max(len(points), 1)
    return pd.DataFrame({"bin_low": edges[:-1], "bin_high": edges[1:], "count": counts,
                         "share": counts / n, "expected_share": np.full(bins, 1.0 / bins)})


def score_table(points: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for ind, d in points.groupby("indicator", sort=False):
        c, c0 = d["crps"].mean(), d["crps_unconditioned"].mean()
        rows.append([ind, len(d), c, c0, 1 - c / c0 if c0 > 0 else float("nan"), d["pit"].mean(),
                     d["in50"].mean(), d["in80"].mean(), d["in95"].mean()])
    return pd.DataFrame(rows, columns=["indicator", "n", "crps", "crps_unconditioned", "crps_skill", "pit_mean",
                                       "coverage50", "coverage80", "coverage95"])


def backtest_chart(pit: pd.DataFrame, coverage: pd.DataFrame, scores: pd.DataFrame, lang: str, title: str,
                   scenario=None):
    """PIT histogram, interval coverage against nominal, CRPS skill per indicator."""
    import matplotlib.pyplot as plt

    from sim.report.fonts import use_cjk_font
    from sim.report.labels import short_indicator_label
    use_cjk_font()
    t = {"zh": ("PIT 直方图（校准良好时应平坦）", "PIT", "占比", "区间覆盖率", "名义覆盖率",
                "实际覆盖率",
                "CRPS 技能（相对未用观测的预测）", "均匀分布"),
         "en": ("PIT histogram (flat when calibrated)", "PIT", "share", "interval coverage", "nominal",
                "observed", "CRPS skill vs the forecast without observations", "uniform")}[lang]
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.4))
    ax = axes[0]
    ax.bar(pit["bin_low"], pit["share"], width=pit["bin_high"] - pit["bin_low"], align="edge",
           color="#6BAED6", edgecolor="white")
    ax.axhline(1.0 / len(pit), color="black", linestyle="--", linewidth=1, label=t[7])
    ax.set_xlim(0, 1)
    ax.set_xlabel(t[1])
    ax.set_ylabel(t[2])
    ax.set_title(t[0], fontsize=10, loc="left")
    ax.legend(fontsize=8)
    ax = axes[1]
    nom = coverage["nominal"].to_numpy(dtype=float)
    cov = coverage["coverage"].to_numpy(dtype=float)
    err = np.clip(np.vstack([cov - coverage["ci_low"].to_numpy(dtype=float),
                             coverage["ci_high"].to_numpy(dtype=float) - cov]), 0, None)
    ax.plot([0, 1], [0, 1], color="#999999", linewidth=1)
    ax.errorbar(nom, cov, yerr=err, fmt="o", color="#08519C", capsize=3)
    for a, b in zip(nom, cov):
        ax.annotate(f"{b:.0%}", (a, b), textcoords="offset points", xytext=(6, -10), fontsize=8)
    ax.set_xlim(0.3, 1.0)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(t[4])
    ax.set_ylabel(t[5])
    ax.set_title(t[3], fontsize=10, loc="left")
    ax.grid(alpha=0.3)
    ax = axes[2]
    labels = [short_indicator_label(i, lang, scenario) for i in scores["indicator"]]
    sk = scores["crps_skill"].to_numpy(dtype=float)
    ax.barh(np.arange(len(sk)), sk, color=np.where(sk >= 0, "#31A354", "#DE2D26"))
    ax.set_yticks(np.arange(len(sk)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_title(t[6], fontsize=10, loc="left")
    ax.grid(axis="x", alpha=0.3)
    fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig


def run_backtest(ls, cutoffs: list[str], *, reps: int | None = None, seed: int | None = None, horizon: int = 12,
                 out: Path | None = None, executor=None, progress=None, log=None) -> dict:
    """Backtest a loaded scenario at the given cut-offs and write the results folder.

    Every user-fixable problem raises :class:`BacktestError` before anything is written;
    ``log(message)``, if given, is called once the inputs are checked."""
    from sim import store
    from sim.analysis.targets import target_specs
    from sim.experiment.calibrate import simulate_monthly
    from sim.experiment.runner import _progress
    from sim.report import charts

    sc = ls.scenario
    obs = sc.observations
    if obs is None:
        raise BacktestError(f"{ls.path}: the scenario has no [observations] section; add one that names the "
                            f"zone's observations file (docs/data.md)")
    seed = sc.run.seed if seed is None else seed
    reps = reps or sc.run.replications
    months = sc.run.horizon_months
    table = obs.table(sc.run.start, months)
    cutoffs = sorted(dict.fromkeys(cutoffs))
    check_cutoffs(cutoffs, table, sc.run.start, months, horizon)
    out = Path(out) if out else Path("results") / f"{sc.scenario.name}__backtest__seed{seed}__n{reps}"
    if log:
        log(f"{sc.scenario.zone} / {sc.scenario.name}: backtest at {', '.join(cutoffs)}, {reps} replications -> {out}")
    names = list(OBSERVABLE)
    with _progress(reps, progress) as bar:
        sims = simulate_monthly(sc, seed, list(range(reps)), names, None, executor, bar)
    targets = [t for t in target_specs(sc) if t.active]
    points, tdf = evaluate(table, sims, names, cutoffs, sc.run.start, horizon, obs.window_months, obs.max_ratio,
                           seed, targets)
    cov, pit, scores = coverage_table(points), pit_histogram(points), score_table(points)
    store.atomic_write_csv(out / "backtest.csv", points)
    store.atomic_write_csv(out / "coverage.csv", cov)
    store.atomic_write_csv(out / "pit_histogram.csv", pit)
    store.atomic_write_csv(out / "scores.csv", scores)
    store.atomic_write_csv(out / "targets.csv", tdf)
    for lang in ("zh", "en"):
        title = {"zh": f"{sc.scenario.zone_zh}：回测（截止月 {', '.join(cutoffs)}；{reps} 次重复）",
                 "en": f"{sc.scenario.zone}: backtest (cut-offs {', '.join(cutoffs)}; {reps} replications)"}[lang]
        charts.save(backtest_chart(pit, cov, scores, lang, title, sc), out / "charts" / f"backtest_{lang}.png")
    info = {"cutoffs": cutoffs, "horizon_months": horizon, "observations_sha256": obs.sha256,
            "compared_values": len(points), "quantity": "year-to-date value of each observed indicator"}
    man = store.manifest(scenario_name=sc.scenario.name, scenario_file=str(ls.path), sha256=ls.sha256, seed=seed,
                         reps=reps, resolved=ls.resolved, warnings=[], extra={"backtest": info})
    store.write_json(out / "manifest.json", man)
    return {"out": out, "points": points, "coverage": cov, "pit": pit, "scores": scores, "targets": tdf}
