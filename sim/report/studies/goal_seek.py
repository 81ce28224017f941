"""The results folder of a goal seek (``optimise``) and its plain-language summary in zh and en.

:func:`write_goal_seek` writes ``trials.csv`` (every candidate), ``pareto.csv`` (the cost front:
each goal's P with its interval), ``verification.csv`` (the chosen package on fresh
replications), ``recommended.toml`` (the package as a scenario that extends the base, checked by
loading it), ``summary_en.txt`` / ``summary_zh.txt`` (:func:`summary_text`), ``manifest.json``
and ``charts/front_{en,zh}.png`` (:func:`sim.report.studies.charts_goal.front_chart`), following the
conventions of :mod:`sim.report.studies.study_outputs`; :func:`read_goal_seek` reads a folder back for a pack.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import optuna
import tomli_w

from sim import store
from sim.experiment.levers import display, short_label, toml_value
from sim.report.studies.chart_style import meta_text, save_png, target_text
from sim.report.studies.charts_goal import front_chart
from sim.scenario.loader import load_scenario, parse_override


def goal_label(sc, target_id: str, lang: str) -> str:
    t = sc.targets[target_id]
    return target_text(
        sc,
        dict(target_id=target_id, indicator=t.indicator, year=t.year, op=t.op, threshold=t.threshold, unit=t.unit),
        lang,
    )


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


def _money(x: float, lang: str) -> str:
    return f"{x:,.0f}万元" if lang == "en" else f"{x:.0f}万元"


def package_text(g, trial: int, lang: str) -> str:
    """The levers a candidate moves beyond the plan, e.g. "Investment-promotion events a year 4 (plan 2)"."""
    row, start = g.trials.loc[trial], g.ls.scenario.run.start
    parts = []
    for d in g.dials:
        v = row[f"{d.lever.id}__num"]
        if d.effort(v) > 1e-9:
            plan = display(d.lever, d.lever.baseline, start)
            parts.append(
                f"{short_label(d.lever, lang)} {display(d.lever, v, start)}"
                + (f"（计划 {plan}）" if lang == "zh" else f" (plan {plan})")
            )
    if not parts:
        return "按计划，不加任何杠杆" if lang == "zh" else "the plan as it is (no lever beyond it)"
    return ("；" if lang == "zh" else "; ").join(parts)


def _goal_lines(g, lang: str) -> list[str]:
    sc, out = g.ls.scenario, []
    for _, r in g.verified.iterrows():
        p = f"{_pct(r['p_hit'])} ({_pct(r['ci_low'])}–{_pct(r['ci_high'])})"
        if lang == "zh":
            verdict = "达到" if r["holds"] else "未达到"
            where = {"above the level": "高于", "below the level": "低于"}.get(r["interval"], "跨越")
            out.append(
                f"  - {goal_label(sc, r['target_id'], lang)}：{p}，目标 {_pct(r['level'])}：样本外{verdict}"
                f"（区间{where}目标）"
            )
        else:
            verdict = "holds" if r["holds"] else "does not hold"
            out.append(
                f"  - {goal_label(sc, r['target_id'], lang)}: {p}, goal {_pct(r['level'])}: {verdict} "
                f"out of sample (interval {r['interval']})"
            )
    return out


def summary_text(g, lang: str = "en") -> str:
    """What the search found, in plain words: the package, its cost, each goal's verified P."""
    sc, n_trials = g.ls.scenario, len(g.trials)
    row = g.trials.loc[g.chosen]
    pack, cost = package_text(g, g.chosen, lang), _money(row["cost"], lang)
    lines = []
    if lang == "zh":
        lines.append(
            f"目标搜索：情景“{sc.scenario.name}”，{len(g.dials)} 个杠杆，{n_trials} 个候选组合 × {g.reps} 次重复"
            f"（同一随机数，种子 {g.seed}）" + (f"，预算 {_money(g.budget, lang)}" if g.budget is not None else "")
        )
        if g.feasible:
            lines.append(
                f"找到的最低成本组合：{pack}；计划之外成本 {cost}。在 {g.verify_reps} 次新的重复（种子 {g.verify_seed}）下："
            )
        else:
            best = g.trials[f"p__{g.binding}"].max()
            lines.append(
                f"在杠杆范围内没有任何组合能同时达到所有目标。约束最紧的目标：{goal_label(sc, g.binding, lang)}，"
                f"搜索中最高概率 {_pct(best)}。最接近的组合：{pack}；成本 {cost}。在 {g.verify_reps} 次新的重复"
                f"（种子 {g.verify_seed}）下："
            )
        lines += _goal_lines(g, lang)
        lines.append(
            "区间为 95% Wilson 区间，表示模拟精度（重复次数越多越窄），不是园区前景的不确定性——后者已体现在概率本身。"
        )
        if g.feasible:
            lines.append(
                "样本外检验："
                + (
                    "所有目标均达到。"
                    if g.holds
                    else "有目标未达到：搜索时的估计偏乐观，可增加 --reps 或 --trials 后重试。"
                )
            )
    else:
        lines.append(
            f"Goal seek on '{sc.scenario.name}': {len(g.dials)} levers, {n_trials} candidates x {g.reps} "
            f"replications (common random numbers, seed {g.seed})"
            + (f", budget {_money(g.budget, lang)}" if g.budget is not None else "")
        )
        if g.feasible:
            lines.append(
                f"The cheapest package found: {pack}; costing {cost} beyond the plan. On {g.verify_reps} "
                f"fresh replications (seed {g.verify_seed}) it gives:"
            )
        else:
            best = g.trials[f"p__{g.binding}"].max()
            lines.append(
                f"No package within the lever ranges meets every goal. The goal that binds: "
                f"{goal_label(sc, g.binding, lang)}, best P reached in the search {_pct(best)}. "
                f"The closest package: {pack}; costing {cost}. On {g.verify_reps} fresh replications "
                f"(seed {g.verify_seed}) it gives:"
            )
        lines += _goal_lines(g, lang)
        lines.append(
            "Intervals are 95% Wilson intervals of simulation precision (more replications narrow them), not "
            "the uncertainty of the zone's future, which P itself holds."
        )
        if g.feasible:
            lines.append(
                "Out of sample: "
                + (
                    "every goal holds."
                    if g.holds
                    else "a goal does not hold: the search's estimate was optimistic; try more --reps or --trials."
                )
            )
    return "\n".join(lines)


def recommended_scenario(g, out: Path) -> str:
    """The chosen package as a scenario file extending the base (with the command's --set values)."""
    sc, start = g.ls.scenario, g.ls.scenario.run.start
    data: dict = {}
    for text in g.overrides:
        keys, value = parse_override(text)
        node = data
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    data["scenario"] = {
        **data.get("scenario", {}),
        "name": f"{sc.scenario.name}_goal",
        "description": "Cheapest package found by optimise for "
        + ", ".join(f"{x.target_id}>={x.level:g}" for x in g.goals),
    }
    data["run"] = {**data.get("run", {}), "seed": g.verify_seed, "replications": g.verify_reps}
    for lid, v in g.package().items():
        node = data.setdefault("levers", {})
        keys = lid.split(".")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        lv = next(d.lever for d in g.dials if d.lever.id == lid)
        node[keys[-1]] = toml_value(lv, v, start)
    rel = os.path.relpath(Path(g.ls.path).resolve(), out.resolve()).replace(os.sep, "/")
    head = [
        "# Written by `run_sim.py optimise`: the package "
        + ("meeting every goal" if g.feasible else "closest to the goals (none meets them all)"),
        f"# cost beyond the plan: {g.trials.loc[g.chosen, 'cost']:,.0f} 万元; [run] gives the verification's",
        "# seed and replications, so `run_sim.py run` on this file reproduces verification.csv.",
        "",
    ]
    return "\n".join(head) + tomli_w.dumps({"extends": rel, **data})


def write_goal_seek(g, out: Path, langs=("en", "zh")) -> list[Path]:
    sc = g.ls.scenario
    store.atomic_write_csv(out / "trials.csv", g.trials)
    store.atomic_write_csv(out / "pareto.csv", g.front)
    store.atomic_write_csv(out / "verification.csv", g.verified)
    store.atomic_write_text(out / "recommended.toml", recommended_scenario(g, out))
    load_scenario(out / "recommended.toml")  # it must validate
    texts = {lang: summary_text(g, lang) for lang in ("en", "zh")}
    for lang, t in texts.items():
        store.atomic_write_text(out / f"summary_{lang}.txt", t + "\n")
    start = sc.run.start
    man = store.manifest(
        scenario_name=sc.scenario.name,
        scenario_file=str(g.ls.path),
        sha256=g.ls.sha256,
        seed=g.seed,
        reps=g.reps,
        resolved=g.ls.resolved,
        warnings=[],
        extra={
            "experiment": "optimise",
            "goals": {x.target_id: x.level for x in g.goals},
            "levers_searched": {
                d.lever.id: [display(d.lever, d.value(0), start), display(d.lever, d.value(d.steps), start)]
                for d in g.dials
            },
            "lever_unit_costs_wan_yuan": {d.lever.id: d.unit_cost for d in g.dials},
            "budget": g.budget,
            "candidates": len(g.trials),
            "replications_per_candidate": g.reps,
            "optimiser": f"optuna {optuna.__version__} TPESampler (multivariate, constraints_func), "
            f"sampler seed {g.sampler_seed}",
            "common_random_numbers": "every candidate uses the same seed and replications 0..N-1",
            "verification": {
                "seed": g.verify_seed,
                "replications": g.verify_reps,
                "trial": int(g.trials.loc[g.chosen, "trial"]),
            },
            "feasible": g.feasible,
            "binding_goal": g.binding,
        },
    )
    store.write_json(out / "manifest.json", man)
    written = []
    for lang in langs:
        meta = meta_text(
            sc,
            [sc.scenario.name],
            None,
            g.seed,
            man["run_date"],
            lang,
            paired=True,
            runs=(
                f"{len(g.trials)} 个候选 × {g.reps} 次重复；验证 {g.verify_reps} 次（种子 {g.verify_seed}）"
                if lang == "zh"
                else f"{len(g.trials)} candidates x {g.reps} replications; "
                f"verified on {g.verify_reps} (seed {g.verify_seed})"
            ),
        )
        p = out / "charts" / f"front_{lang}.png"
        save_png(front_chart(g, lang, meta, [goal_label(sc, x.target_id, lang) for x in g.goals]), p)
        written.append(p)
    return written


def read_goal_seek(folder: Path) -> dict:
    """What a meeting pack needs to show a goal seek, read back from its results folder (the pack never
    reruns it): ``summary`` (lang -> text), ``verification`` and ``front`` (tables), ``charts``
    (lang -> PNG path), ``recommended`` (path of the package's scenario) and ``manifest``."""
    folder = Path(folder)
    return {
        "summary": {lang: (folder / f"summary_{lang}.txt").read_text(encoding="utf-8") for lang in ("en", "zh")},
        "verification": store.read_csv(folder / "verification.csv"),
        "front": store.read_csv(folder / "pareto.csv"),
        "charts": {lang: folder / "charts" / f"front_{lang}.png" for lang in ("en", "zh")},
        "recommended": folder / "recommended.toml",
        "manifest": json.loads((folder / "manifest.json").read_text(encoding="utf-8")),
    }
