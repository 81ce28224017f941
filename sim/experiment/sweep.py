"""``sweep SCENARIO --lever ID=v1,v2,... [--lever ID2=...]``: how much of a lever is needed.

Each grid point is a new validated scenario (the base with the lever values applied, as
``--set levers.<id>=<value>`` would make it), run with the same seed and replication count, so
points share common random numbers and each point equals a separate ``run`` of that scenario.

For every target (and every value of the second lever) the table ``reach.csv`` gives the
least-effort grid value whose P(hit) reaches the chosen level, with its uncertainty: the grid
values between the first point whose interval's upper end reaches the level ("plausibly from")
and the first whose lower end does ("surely from"). Least effort means the smallest count or
funding, or the latest month.
"""
from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.targets import summarise, target_specs
from sim.experiment.compare import (PALETTE, footer, meta_text, new_figure, save_png, target_text)
from sim.experiment.engine import Outputs, evaluate, replications
from sim.experiment.levers import Lever, display, short_label, with_levers
from sim.scenario.loader import LoadedScenario


@dataclass
class Sweep:
    base: LoadedScenario
    levers: list[Lever]
    grids: list[list[float]]
    reps: int
    seed: int
    level: float
    points: pd.DataFrame          # point, lever value columns
    table: pd.DataFrame           # one row per point x target
    reach: pd.DataFrame           # one row per target (x second-lever value)
    values: pd.DataFrame          # rep, point, one column per target


def sweep(ls: LoadedScenario, levers: list[Lever], grids: list[list[float]], reps: int, seed: int,
          level: float = 0.8, executor=None, progress: bool | None = None) -> Sweep:
    start = ls.scenario.run.start
    combos = list(itertools.product(*grids))
    scs = [with_levers(ls, dict(zip([lv.id for lv in levers], c))) for c in combos]
    ev = evaluate(replications([s.scenario for s in scs], [seed] * len(scs), reps, Outputs(monthly=False)),
                  executor, progress)
    inds = [ev.indicators(i) for i in range(len(scs))]
    specs = target_specs(ls.scenario)
    pts, rows, frames = [], [], []
    for k, (c, s, ind) in enumerate(zip(combos, scs, inds)):
        p = {"point": k}
        for lv, v in zip(levers, c):
            p[lv.id] = display(lv, v, start)
            p[f"{lv.id}__num"] = v
        pts.append(p)
        summ = summarise(ind.column, target_specs(s.scenario), ind.years)
        for key, val in reversed(list(p.items())):
            summ.insert(0, key, val)
        rows.append(summ)
        f = pd.DataFrame({t.target_id: ind.column(t.indicator, t.year) for t in specs})
        f.insert(0, "point", k)
        f.insert(0, "rep", ind.reps)
        frames.append(f)
    table = pd.concat(rows, ignore_index=True)
    return Sweep(ls, levers, grids, reps, seed, level, pd.DataFrame(pts), table,
                 reach_table(table, levers, level, start), pd.concat(frames, ignore_index=True))


def reach_table(table: pd.DataFrame, levers: list[Lever], level: float, start: str) -> pd.DataFrame:
    """Least-effort value of the first lever reaching ``level``, per target and second-lever value."""
    lv = levers[0]
    others = levers[1:]
    group_cols = ["target_id"] + [o.id for o in others]
    rows = []
    for key, g in table.groupby(group_cols, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        g = g.sort_values(f"{lv.id}__num", ascending=lv.more_is_effort)      # least effort first
        v = g[f"{lv.id}__num"].to_numpy()
        p, lo, hi = g["p_hit"].to_numpy(), g["ci_low"].to_numpy(), g["ci_high"].to_numpy()

        def first(mask):
            i = np.flatnonzero(mask)
            return int(i[0]) if len(i) else None
        i_est, i_plaus, i_sure = first(p >= level), first(hi >= level), first(lo >= level)
        row = dict(zip(group_cols, key))
        row.update(indicator=g["indicator"].iloc[0], year=g["year"].iloc[0], active=bool(g["active"].iloc[0]),
                   level=level, lever=lv.id)
        fmt = (lambda i: display(lv, v[i], start) if i is not None else "")
        row.update(reached_at=fmt(i_est), plausibly_from=fmt(i_plaus), surely_from=fmt(i_sure),
                   p_at_least_effort=p[0], p_at_most_effort=p[-1])
        best = int(np.argmax(p))
        if i_plaus is None:
            verdict = (f"not reached: best P(hit) {p[best]:.0%} at {fmt(best)}; "
                       f"every interval stays below {level:.0%}")
        elif i_est is None:
            verdict = (f"not reached on the grid (best {p[best]:.0%} at {fmt(best)}), though the 95% interval "
                       f"reaches {level:.0%} from {fmt(i_plaus)}")
        else:
            word = "latest month" if not lv.more_is_effort else "smallest value"
            verdict = f"{word} reaching {level:.0%}: {fmt(i_est)}"
            if i_est == 0:
                verdict += " (already the least-effort value tried)"
            if i_sure is not None and i_plaus == i_sure:
                verdict += "; interval above the level there"
            elif i_sure is not None:
                verdict += f"; uncertain between {fmt(i_plaus)} and {fmt(i_sure)} (the 95% interval straddles the level)"
            else:
                verdict += f"; uncertain from {fmt(i_plaus)} on (no grid point's interval is wholly above the level)"
        row["moves"] = bool(np.ptp(p) > 0)
        row["verdict"] = verdict
        rows.append(row)
    return pd.DataFrame(rows)


def default_out(ls: LoadedScenario, levers: list[Lever], grids, seed: int, reps: int) -> Path:
    h = hashlib.sha1(repr([(lv.id, g) for lv, g in zip(levers, grids)]).encode()).hexdigest()[:6]
    ids = "+".join(lv.id for lv in levers)
    return Path("results") / f"sweep__{ls.scenario.scenario.name}__{ids}__{h}__seed{seed}__n{reps}"


def responsive_targets(table: pd.DataFrame, k: int = 9) -> list[str]:
    """Active targets whose P(hit) moves most over the grid (the joint rows excluded)."""
    t = table[table["active"] & ~table["target_id"].str.startswith("ALL_")]
    span = t.groupby("target_id")["p_hit"].agg(lambda x: x.max() - x.min())
    span = span[span > 0].sort_values(ascending=False)
    return list(span.index[:k])


def write_sweep(s: Sweep, out: Path, targets: list[str] | None = None, langs=("en", "zh")) -> list[Path]:
    from sim import store
    store.atomic_write_csv(out / "sweep.csv", s.table)
    store.atomic_write_csv(out / "reach.csv", s.reach)
    store.atomic_write_csv(out / "points.csv", s.points)
    store.atomic_write_csv(out / "target_values.csv", s.values)
    start = s.base.scenario.run.start
    man = store.manifest(
        scenario_name=s.base.scenario.scenario.name, scenario_file=str(s.base.path), sha256=s.base.sha256,
        seed=s.seed, reps=s.reps, resolved=s.base.resolved, warnings=[],
        extra={"experiment": "sweep", "target_probability": s.level,
               "levers": {lv.id: [display(lv, v, start) for v in g] for lv, g in zip(s.levers, s.grids)},
               "points": len(s.points), "replications_per_point": s.reps,
               "common_random_numbers": "every point uses the same seed and replications 0..N-1"})
    store.write_json(out / "manifest.json", man)
    targets = targets or responsive_targets(s.table)
    written = []
    if not targets:
        return written
    for lang in langs:
        fig = response_chart(s.table, s.reach, s.levers, targets, s.level, s.base.scenario, lang,
                             meta_text(s.base.scenario, [s.base.scenario.scenario.name], s.reps, s.seed,
                                       man["run_date"], lang, paired=True,
                                       runs=(f"{len(s.points)} 个网格点，每点 {s.reps} 次重复" if lang == "zh" else
                                             f"{len(s.points)} grid points x {s.reps} replications")))
        p = out / "charts" / f"response_{lang}.png"
        save_png(fig, p)
        written.append(p)
    return written


def lever_label(lv: Lever, lang: str) -> str:
    return f"{short_label(lv, lang)}（{lv.id}）" if lang == "zh" else f"{short_label(lv, lang)} ({lv.id})"


def response_chart(table: pd.DataFrame, reach: pd.DataFrame, levers: list[Lever], targets: list[str],
                   level: float, sc, lang: str, meta: str):
    """P(hit) against the first lever with its 95% band, one panel per target, one line per value
    of the second lever; the chosen probability level dashed."""
    start = sc.run.start
    lv = levers[0]
    n = len(targets)
    ncol = min(3, n)
    nrow = int(np.ceil(n / ncol))
    fig, axes = new_figure(4.3 * ncol, 1.2 + 2.9 * nrow, nrows=nrow, ncols=ncol, squeeze=False, sharex=True)
    x_all = sorted(table[f"{lv.id}__num"].unique())
    second = levers[1] if len(levers) > 1 else None
    series = ([(None, table)] if second is None else
              [(v, table[table[f"{second.id}__num"] == v]) for v in sorted(table[f"{second.id}__num"].unique())])
    for k, tid in enumerate(targets):
        ax = axes[k // ncol, k % ncol]
        for j, (v2, d) in enumerate(series):
            d = d[d["target_id"] == tid].sort_values(f"{lv.id}__num")
            x = d[f"{lv.id}__num"].to_numpy()
            col = PALETTE[j % len(PALETTE)]
            lab = None if second is None else f"{short_label(second, lang)} = {display(second, v2, start)}"
            ax.plot(x, d["p_hit"], marker="o", ms=3, color=col, label=lab, linewidth=1.4)
            ax.fill_between(x, d["ci_low"], d["ci_high"], color=col, alpha=0.18, linewidth=0)
        ax.axhline(level, color=ORANGE_LINE, linestyle="--", linewidth=1)
        ax.set_ylim(-0.02, 1.02)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"], fontsize=8)
        row = table[table["target_id"] == tid].iloc[0]
        ax.set_title(target_text(sc, row, lang), fontsize=8.5, loc="left")
        ax.grid(alpha=0.3)
        if second is None:
            r = reach[reach["target_id"] == tid]
            if len(r) and r["reached_at"].iloc[0]:
                xv = _num_of(lv, r["reached_at"].iloc[0], start)
                ax.axvline(xv, color="#555555", linestyle=":", linewidth=1)
        if second is not None and k == 0:
            ax.legend(fontsize=7, loc="best")
    for k in range(n, nrow * ncol):
        axes[k // ncol, k % ncol].set_visible(False)
    ticks = x_all if len(x_all) <= 10 else x_all[::int(np.ceil(len(x_all) / 10))]
    for c in range(ncol):                       # the lowest panel of each column carries the axis
        r = max(r for r in range(nrow) if r * ncol + c < n)
        ax = axes[r, c]
        ax.xaxis.set_tick_params(labelbottom=True)
        ax.set_xticks(ticks, [display(lv, t, start) for t in ticks], fontsize=7.5,
                      rotation=30 if lv.kind == "month" else 0)
        ax.set_xlabel(lever_label(lv, lang), fontsize=8.5)
    for r in range(nrow):
        axes[r, 0].set_ylabel("达成概率 P" if lang == "zh" else "P(hit)", fontsize=8.5)
    title = (f"杠杆响应：达成概率及 95% 区间（虚线 = {level:.0%}，点线 = 最少投入即达到的网格值）" if lang == "zh" else
             f"Lever response: P(hit) with 95% band (dashed = {level:.0%}; dotted = least-effort grid value reaching it)")
    fig.suptitle(title, fontsize=10, x=0.01, ha="left")
    footer(fig, meta)
    return fig


ORANGE_LINE = "#E69F00"


def _num_of(lv: Lever, text: str, start: str) -> float:
    from sim.experiment.levers import parse_value
    return parse_value(lv, text, start)


def format_reach(s: Sweep, only_active: bool = True) -> str:
    r = s.reach[s.reach["active"]] if only_active else s.reach
    lines = [f"\nLeast effort reaching P(hit) >= {s.level:.0%} along {s.levers[0].id} "
             f"({len(s.points)} grid points, {s.reps} replications each, seed {s.seed}):"]
    extra = [lv.id for lv in s.levers[1:]]
    span = s.table.groupby("target_id")["p_hit"].agg(lambda x: x.max() - x.min())
    order = {t: i for i, t in enumerate(dict.fromkeys(s.table["target_id"]))}
    r = r.assign(_o=r["target_id"].map(order)).sort_values("_o", kind="stable")
    still = []
    for tid, g in r.groupby("target_id", sort=False):
        if span.get(tid, 0) == 0:
            still.append(f"{tid} ({g['p_at_least_effort'].iloc[0]:.0%})")
            continue
        for _, row in g.iterrows():
            at = "".join(f" [{e} = {row[e]}]" for e in extra)
            lines.append(f"  {row['target_id']:34s}{at} {row['verdict']}")
    if still:
        lines.append(f"P(hit) does not move over this grid for: {', '.join(still)}")
    return "\n".join(lines)
