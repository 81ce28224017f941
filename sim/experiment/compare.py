"""``compare A.toml B.toml [C.toml ...]``: scenarios side by side on common random numbers.

Every scenario runs replications 0..N-1 with the same root seed, so replication r of each
scenario shares every uncertain parameter and random stream; differences are paired by
replication (sim/analysis/paired.py). The first scenario is the reference. ``independent=True``
gives each scenario its own seed (seed + index) and unpaired intervals: the comparison that
shows how much common random numbers narrow a difference's interval.

Also home of :func:`run_many` (many scenarios' chunks through one executor, used by ``sweep``)
and the chart helpers shared by the lever experiments (tables in, Figure out).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.paired import compare_targets
from sim.analysis.targets import TargetSpec, summarise, target_specs
from sim.experiment import runner
from sim.experiment.executors import LocalExecutor
from sim.scenario.loader import LoadedScenario, ScenarioError

# Okabe-Ito colour-blind-safe palette
BLUE, ORANGE, GREEN, GREY, VERMILION, SKY, PURPLE = ("#0072B2", "#E69F00", "#009E73", "#999999", "#D55E00",
                                                      "#56B4E9", "#CC79A7")
PALETTE = [BLUE, VERMILION, GREEN, ORANGE, PURPLE, SKY, "#000000", GREY]


# ----------------------------------------------------------------------------- running

def _scenario_chunk(i: int, sc, seed: int, start: int, stop: int):
    """Chunk of scenario ``i`` (module level so process pools can ship it)."""
    return i, runner.run_chunk(sc, seed, start, stop)


class _Bar:
    def __init__(self, total, enabled):
        if enabled is None:
            enabled = sys.stderr.isatty()
        self.bar = None
        if enabled:
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="rep", desc="replications", smoothing=0.1, file=sys.stderr)

    def update(self, n):
        if self.bar is not None:
            self.bar.update(n)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def run_many(scenarios: list, seeds: list[int], reps: int, executor=None, progress: bool | None = None):
    """Replications 0..reps-1 of every scenario (scenario i with root seed ``seeds[i]``).

    All chunks go through one executor, so a pool is started once. Each scenario's result equals
    ``runner.run_experiment(sc, reps, seed)`` exactly: same chunks, same seeds."""
    executor = executor or LocalExecutor()
    ranges = runner.chunk_ranges(reps)
    stores = [runner.MemoryStore() for _ in scenarios]
    args = [(i, sc, seeds[i], a, b) for i, sc in enumerate(scenarios) for a, b in ranges]
    bar = _Bar(reps * len(scenarios), progress)
    try:
        for i, chunk in executor.map_unordered(_scenario_chunk, args):
            stores[i].save(chunk)
            bar.update(chunk.stop - chunk.start)
    finally:
        bar.close()
    return [runner.collect(sc, ranges, st) for sc, st in zip(scenarios, stores)]


def target_values(ind, targets: list[TargetSpec]) -> dict[str, np.ndarray]:
    """target id -> per-replication value of its indicator in its year."""
    return {t.target_id: np.asarray(ind.column(t.indicator, t.year), float) for t in targets}


# ----------------------------------------------------------------------------- compare

@dataclass
class Comparison:
    loaded: list[LoadedScenario]
    names: list[str]
    seeds: list[int]
    reps: int
    paired: bool
    table: pd.DataFrame                 # one row per (scenario vs reference, target)
    summaries: pd.DataFrame             # each scenario's own summary, with a 'scenario' column
    values: pd.DataFrame                # rep, scenario, one column per target (indicator values)


def unique_names(loaded: list[LoadedScenario]) -> list[str]:
    names, seen = [], {}
    for ls in loaded:
        n = ls.scenario.scenario.name
        seen[n] = seen.get(n, 0) + 1
        names.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return names


def check_comparable(loaded: list[LoadedScenario]) -> None:
    ref = loaded[0].scenario.run
    for ls in loaded[1:]:
        r = ls.scenario.run
        if (r.start, r.horizon_months) != (ref.start, ref.horizon_months):
            raise ScenarioError(f"{ls.path}: run.start/horizon_months ({r.start}, {r.horizon_months}) differ from "
                                f"the reference {loaded[0].path} ({ref.start}, {ref.horizon_months}); "
                                f"scenarios compared must simulate the same months")


def compare(loaded: list[LoadedScenario], reps: int, seed: int, executor=None, independent: bool = False,
            progress: bool | None = None) -> Comparison:
    if len(loaded) < 2:
        raise ScenarioError("compare needs at least two scenarios")
    check_comparable(loaded)
    names = unique_names(loaded)
    seeds = [seed + i if independent else seed for i in range(len(loaded))]
    inds = run_many([ls.scenario for ls in loaded], seeds, reps, executor, progress)
    specs = [target_specs(ls.scenario) for ls in loaded]
    vals = [target_values(ind, sp) for ind, sp in zip(inds, specs)]
    tables, sums, frames = [], [], []
    for i, (ls, ind, sp, v) in enumerate(zip(loaded, inds, specs, vals)):
        s = summarise(ind.column, sp, ind.years)
        s.insert(0, "scenario", names[i])
        sums.append(s)
        f = pd.DataFrame(v)
        f.insert(0, "scenario", names[i])
        f.insert(0, "rep", ind.reps)
        frames.append(f)
        if i:
            tables.append(compare_targets(vals[0], v, specs[0], {t.target_id: t for t in sp},
                                          names[0], names[i], paired=not independent))
    return Comparison(loaded, names, seeds, reps, not independent, pd.concat(tables, ignore_index=True),
                      pd.concat(sums, ignore_index=True), pd.concat(frames, ignore_index=True))


def default_out(names: list[str], seed: int, reps: int, independent: bool) -> Path:
    return Path("results") / (f"compare__{'__'.join(names)}__seed{seed}__n{reps}"
                              + ("__independent" if independent else ""))


def write_compare(c: Comparison, out: Path, langs=("en", "zh")) -> list[Path]:
    from sim import store
    from sim.analysis.targets import plan_warnings
    store.atomic_write_csv(out / "compare.csv", c.table)
    store.atomic_write_csv(out / "summary.csv", c.summaries)
    store.atomic_write_csv(out / "target_values.csv", c.values)
    ref = c.loaded[0]
    man = store.manifest(
        scenario_name=" vs ".join(c.names), scenario_file=str(ref.path), sha256=ref.sha256, seed=c.seeds[0],
        reps=c.reps, resolved=ref.resolved,
        warnings=plan_warnings(target_specs(ref.scenario),
                               {k: t.alternative_of for k, t in ref.scenario.targets.items() if t.alternative_of}),
        extra={"experiment": "compare", "reference": c.names[0], "paired_by_replication": c.paired,
               "seeds": c.seeds,
               "difference_interval": ("Newcombe hybrid score interval for paired proportions (1998, method 10), 95%"
                                       if c.paired else "Newcombe hybrid score interval, independent samples, 95%"),
               "scenarios": [{"name": n, "file": str(ls.path), "sha256": ls.sha256, "seed": s,
                              "resolved": ls.resolved} for n, ls, s in zip(c.names, c.loaded, c.seeds)]})
    store.write_json(out / "manifest.json", man)
    written = []
    for lang in langs:
        seed_txt = c.seeds[0] if c.paired else f"{c.seeds[0]}–{c.seeds[-1]}"
        fig = difference_chart(c.table, ref.scenario, lang, meta_text(ref.scenario, c.names, c.reps, seed_txt,
                                                                        man["run_date"], lang, paired=c.paired))
        p = out / "charts" / f"differences_{lang}.png"
        save_png(fig, p)
        written.append(p)
    return written


def format_comparison(c: Comparison, only_active: bool = True) -> str:
    lines = []
    t = c.table
    for name in c.names[1:]:
        d = t[t["scenario"] == name]
        if only_active:
            d = d[d["active"]]
        lines.append(f"\n{name} vs {c.names[0]} ({c.reps} replications, "
                     f"{'paired on common random numbers' if c.paired else 'independent seeds'})")
        lines.append(f"{'target':36s} {'P(' + c.names[0][:10] + ')':>14s} {'P(' + name[:10] + ')':>14s} "
                     f"{'difference [95% interval]':>28s} {'P(better) [95% interval]':>26s} {'P(same)':>7s}")
        for _, r in d.iterrows():
            sig = "*" if (r["diff_low"] > 0 or r["diff_high"] < 0) else " "
            better = (f"{r['p_better']:6.0%} [{r['p_better_low']:4.0%}, {r['p_better_high']:4.0%}]"
                      if pd.notna(r["p_better"]) else "     -")
            same = f"{r['p_eq']:7.0%}" if pd.notna(r["p_eq"]) else "      -"
            lines.append(f"{r['target_id']:36s} {r['p_ref']:14.1%} {r['p']:14.1%} "
                         f"{100 * r['diff']:+7.1f} pp [{100 * r['diff_low']:+6.1f}, {100 * r['diff_high']:+6.1f}]{sig}"
                         f" {better} {same}")
    lines.append("\n* the difference's interval excludes 0. P(better): share of replications where the "
                 "scenario's indicator beats the reference's (higher, or lower for <= targets). P(same): "
                 "share where the two are equal (ties, e.g. a target neither scenario moves); ties are "
                 "neither better nor worse.")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- chart helpers (shared)

def meta_text(sc, names: list[str], reps, seed, date: str, lang: str, paired: bool | None = None,
              extra: str = "", runs: str | None = None) -> str:
    """The footer every lever chart carries: zone, scenarios, replications, seed, date."""
    zone = f"{sc.scenario.zone_zh} ({sc.scenario.zone})" if lang == "zh" else f"{sc.scenario.zone} ({sc.scenario.zone_zh})"
    pair = ""
    if paired is not None:
        pair = ("；同一随机数（按重复配对）" if paired else "；独立随机种子") if lang == "zh" else \
               ("; common random numbers (paired by replication)" if paired else "; independent seeds")
    if runs is None:
        runs = f"每情景 {reps} 次重复" if lang == "zh" else f"{reps} replications each"
    if lang == "zh":
        return f"{zone}｜情景：{'、'.join(names)}｜{runs}｜种子 {seed}{pair}｜{date}{extra}"
    return f"{zone} | scenarios: {', '.join(names)} | {runs} | seed {seed}{pair} | {date}{extra}"


def target_text(sc, row, lang: str) -> str:
    """Short label of a target row (indicator, year, comparison, threshold)."""
    from sim.report.labels import indicator_label, unit_label
    if str(row["target_id"]).startswith("ALL_"):
        return indicator_label("all_targets", lang) + f" {row['year']}"
    lab = indicator_label(row["indicator"], lang, sc)
    op = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}.get(row["op"], row["op"])
    unit, thr = row["unit"], f"{float(row['threshold']):g}"
    if unit == "0/1":
        return f"{lab} {row['year']}"
    if unit == "%":
        return f"{lab} {row['year']} {op} {thr}%"
    if unit in ("count", "persons", "rank", "") and lang == "en":
        return f"{lab} {row['year']} {op} {thr}"
    return f"{lab} {row['year']} {op} {thr} {unit_label(unit, lang)}".rstrip()


def new_figure(w, h, **kw):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sim.report.fonts import use_cjk_font
    use_cjk_font()
    fig, axes = plt.subplots(figsize=(w, h), layout="constrained", **kw)
    fig.get_layout_engine().set(rect=(0.012, 0, 0.985, 1))     # CJK labels are measured a little short
    return fig, axes


def footer(fig, text: str) -> None:
    """The meta lines at the bottom (wrapped to the figure's width); the layout keeps a strip free."""
    import textwrap
    width = max(40, int(fig.get_figwidth() * 17))           # about 17 characters per inch at 7 pt
    sep = "｜" if "｜" in text else " | "
    lines, line = [], ""
    for part in text.split(sep):
        cand = f"{line}{sep}{part}" if line else part
        if len(cand) > width and line:
            lines.append(line)
            line = part
        else:
            line = cand
    lines.append(line)
    wrapped = "\n".join(textwrap.fill(l, width) for l in lines)
    fig.supxlabel(wrapped, fontsize=7, color="#444444", x=0.01, ha="left")


def save_png(fig, path: Path) -> None:
    import io

    import matplotlib.pyplot as plt

    from sim.store import atomic_write_bytes
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=130)
    plt.close(fig)
    atomic_write_bytes(path, buf.getvalue())


def difference_chart(table: pd.DataFrame, sc, lang: str, meta: str, only_active: bool = True):
    """Horizontal bars: P(hit) difference of each scenario vs the reference, with its interval,
    one panel per scenario, targets sorted by year then by the first scenario's difference."""
    d = table[table["active"]] if only_active else table
    scen = list(dict.fromkeys(d["scenario"]))
    ref = d["reference"].iloc[0]
    first = d[d["scenario"] == scen[0]].sort_values(["year", "diff"], ascending=[True, False])
    order = list(first["target_id"])
    n_t = len(order)
    fig, axes = new_figure(4.2 + 3.3 * len(scen), 1.6 + 0.24 * n_t, ncols=len(scen), sharey=True, squeeze=False)
    pos = np.arange(n_t)
    for k, (ax, name) in enumerate(zip(axes[0], scen)):
        e = d[d["scenario"] == name].set_index("target_id").reindex(order)
        diff = 100 * e["diff"].to_numpy()
        lo, hi = 100 * e["diff_low"].to_numpy(), 100 * e["diff_high"].to_numpy()
        col = [GREEN if l > 0 else VERMILION if h < 0 else GREY for l, h in zip(lo, hi)]
        ax.barh(pos, diff, color=col, height=0.65, alpha=0.85)
        ax.errorbar(diff, pos, xerr=np.vstack([diff - lo, hi - diff]), fmt="none", ecolor="black",
                    elinewidth=0.9, capsize=2)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)
        title = (f"{name} − {ref}：达成概率之差" if lang == "zh" else f"{name} − {ref}: difference in P(hit)")
        ax.set_title(title, fontsize=10, loc="left")
        ax.set_xlabel("百分点（95% 区间）" if lang == "zh" else "percentage points (95% interval)")
        years = e["year"].to_numpy()
        for j in range(1, n_t):
            if years[j] != years[j - 1]:
                ax.axhline(j - 0.5, color="#666666", linewidth=0.6, linestyle="--")
    rows = first.reset_index(drop=True)
    axes[0, 0].set_yticks(pos, [target_text(sc, r, lang) for _, r in rows.iterrows()], fontsize=7.5)
    axes[0, 0].invert_yaxis()
    paired = bool(d["paired"].iloc[0])
    note = ("绿：区间高于 0；红：低于 0；灰：区间含 0" if lang == "zh"
            else "green: interval above 0; red: below 0; grey: interval includes 0")
    if lang == "zh":
        head = "情景比较：配对差值（Newcombe 配对区间）" if paired else "情景比较：独立样本差值（Newcombe 区间）"
    else:
        head = ("Scenario comparison: paired differences (Newcombe interval for paired proportions)" if paired
                else "Scenario comparison: independent samples (Newcombe interval)")
    fig.suptitle(f"{head}\n{note}", fontsize=10, x=0.01, ha="left")
    footer(fig, meta)
    return fig
