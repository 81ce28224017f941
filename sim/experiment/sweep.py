"""``sweep SCENARIO --lever ID=v1,v2,... [--lever ID2=...]``: how much of a lever is needed.

Each grid point is a new validated scenario (the base with the lever values applied, as
``--set levers.<id>=<value>`` would make it), run with the same seed and replication count, so
points share common random numbers and each point equals a separate ``run`` of that scenario.

For every target (and every value of the second lever) the table ``reach.csv`` gives the
least-effort grid value whose P(hit) reaches the chosen level, with its uncertainty: the grid
values between the first point whose interval's upper end reaches the level ("plausibly from")
and the first whose lower end does ("surely from"). Least effort means the smallest count or
funding, or the latest month. The results folder is written by
:func:`sim.report.studies.study_outputs.write_sweep`, the console text made by
:func:`sim.report.studies.console.format_reach`.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.targets import summarise, target_specs
from sim.experiment.engine import Outputs, evaluate, replications
from sim.experiment.levers import Lever, display, with_levers
from sim.scenario.loader import LoadedScenario


@dataclass
class Sweep:
    base: LoadedScenario
    levers: list[Lever]
    grids: list[list[float]]
    reps: int
    seed: int
    level: float
    points: pd.DataFrame  # point, lever value columns
    table: pd.DataFrame  # one row per point x target
    reach: pd.DataFrame  # one row per target (x second-lever value)
    values: pd.DataFrame  # rep, point, one column per target


def sweep(
    ls: LoadedScenario,
    levers: list[Lever],
    grids: list[list[float]],
    reps: int,
    seed: int,
    level: float = 0.8,
    executor=None,
    progress: bool | None = None,
) -> Sweep:
    start = ls.scenario.run.start
    combos = list(itertools.product(*grids))
    scs = [with_levers(ls, dict(zip([lv.id for lv in levers], c, strict=True))) for c in combos]
    ev = evaluate(
        replications([s.scenario for s in scs], [seed] * len(scs), reps, Outputs(monthly=False)), executor, progress
    )
    inds = [ev.indicators(i) for i in range(len(scs))]
    specs = target_specs(ls.scenario)
    pts, rows, frames = [], [], []
    for k, (c, s, ind) in enumerate(zip(combos, scs, inds, strict=True)):
        p: dict[str, object] = {"point": k}
        for lv, v in zip(levers, c, strict=True):
            p[lv.id] = display(lv, v, start)
            p[f"{lv.id}__num"] = v
        pts.append(p)
        summ = summarise(ind.column, target_specs(s.scenario), ind.years, ind.base)
        for key, val in reversed(list(p.items())):
            summ.insert(0, key, val)
        rows.append(summ)
        f = pd.DataFrame({t.target_id: ind.column(t.indicator, t.year) for t in specs})
        f.insert(0, "point", k)
        f.insert(0, "rep", ind.reps)
        frames.append(f)
    table = pd.concat(rows, ignore_index=True)
    return Sweep(
        ls,
        levers,
        grids,
        reps,
        seed,
        level,
        pd.DataFrame(pts),
        table,
        reach_table(table, levers, level, start),
        pd.concat(frames, ignore_index=True),
    )


def reach_table(table: pd.DataFrame, levers: list[Lever], level: float, start: str) -> pd.DataFrame:
    """Least-effort value of the first lever reaching ``level``, per target and second-lever value."""
    lv = levers[0]
    others = levers[1:]
    group_cols = ["target_id"] + [o.id for o in others]
    rows = []
    for key, g in table.groupby(group_cols, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        g = g.sort_values(f"{lv.id}__num", ascending=lv.more_is_effort)  # least effort first
        v = g[f"{lv.id}__num"].to_numpy()
        p, lo, hi = g["p_hit"].to_numpy(), g["ci_low"].to_numpy(), g["ci_high"].to_numpy()

        def first(mask):
            i = np.flatnonzero(mask)
            return int(i[0]) if len(i) else None

        i_est, i_plaus, i_sure = first(p >= level), first(hi >= level), first(lo >= level)
        row = dict(zip(group_cols, key, strict=True))
        row.update(
            indicator=g["indicator"].iloc[0],
            year=g["year"].iloc[0],
            active=bool(g["active"].iloc[0]),
            level=level,
            lever=lv.id,
        )

        def fmt(i, v=v):
            return display(lv, v[i], start) if i is not None else ""

        row.update(
            reached_at=fmt(i_est),
            plausibly_from=fmt(i_plaus),
            surely_from=fmt(i_sure),
            p_at_least_effort=p[0],
            p_at_most_effort=p[-1],
        )
        best = int(np.argmax(p))
        if i_plaus is None:
            verdict = f"not reached: best P(hit) {p[best]:.0%} at {fmt(best)}; every interval stays below {level:.0%}"
        elif i_est is None:
            verdict = (
                f"not reached on the grid (best {p[best]:.0%} at {fmt(best)}), though the 95% interval "
                f"reaches {level:.0%} from {fmt(i_plaus)}"
            )
        else:
            word = "latest month" if not lv.more_is_effort else "smallest value"
            verdict = f"{word} reaching {level:.0%}: {fmt(i_est)}"
            if i_est == 0:
                verdict += " (already the least-effort value tried)"
            if i_sure is not None and i_plaus == i_sure:
                verdict += "; interval above the level there"
            elif i_sure is not None:
                verdict += (
                    f"; uncertain between {fmt(i_plaus)} and {fmt(i_sure)} (the 95% interval straddles the level)"
                )
            else:
                verdict += f"; uncertain from {fmt(i_plaus)} on (no grid point's interval is wholly above the level)"
        row["moves"] = bool(np.ptp(p) > 0)
        row["verdict"] = verdict
        rows.append(row)
    return pd.DataFrame(rows)


def default_out(ls: LoadedScenario, levers: list[Lever], grids, seed: int, reps: int) -> Path:
    h = hashlib.sha1(repr([(lv.id, g) for lv, g in zip(levers, grids, strict=True)]).encode()).hexdigest()[:6]
    ids = "+".join(lv.id for lv in levers)
    return Path("results") / f"sweep__{ls.scenario.scenario.name}__{ids}__{h}__seed{seed}__n{reps}"
