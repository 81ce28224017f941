"""The sections of the pack's report, each built from a results folder in one language: the
plain-language summary, the target table, plan warnings, assumptions with their sources, run
facts, the peer and ranking tables; and the order and names the sections list things in.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sim.report.charts.base import target_label
from sim.report.document import sources
from sim.report.document.blocks import Table
from sim.report.texts.formats import ci0, ci1, pct0, pct1, value_fmt
from sim.report.texts.growth_words import band_note, band_position, growth_parts, need_per_year
from sim.report.texts.growth_words import pct as growth_pct
from sim.report.texts.key_labels import key_label, value_text
from sim.report.texts.labels import PEER_UNITS, indicator_label, measure_label, unit_label, variant_label
from sim.report.texts.plan_sources import source_text
from sim.report.texts.plan_warnings import warning_text
from sim.report.texts.value_notes import note_text
from sim.report.texts.words import text
from sim.results import Results
from sim.vocabulary.outcomes import RANKING_INDICATORS

GROUPS = ("trade", "economy", "projects", "rank")
"""Target groups: customs trade; industry, investment and enterprises; projects, reforms and
leading firms; the national evaluation (shown on the ``rank`` slide, not as a group slide)."""
MAX_ROWS = 14
"""Most targets on one group slide; a longer group gets one slide per year."""

HEADLINE = ("trade_total", "rank")
"""The plan's headline indicators (total trade, the national rank): first in the summary and the deck."""


def _label(row, lang, res: Results) -> str:
    return target_label(row, lang, res.resolved)


def year_label(row, lang, res: Results) -> str:
    y = int(row["year"])
    return f"{y}年{_label(row, lang, res)}" if lang == "zh" else f"{y} {_label(row, lang, res)}"


def _p(row) -> dict:
    return {"p": pct0(row["p_hit"]), "ci": ci0(row["ci_low"], row["ci_high"])}


def summary_paragraphs(res: Results, lang: str, others: Sequence[Results] = ()) -> list[str]:
    """Plain-language summary from the numbers: per year the headline targets first (total trade,
    national rank), then the weakest, the joint probability; then how much the rank
    rests on the method's unknowns, and what each compared scenario changes most."""
    out = []
    act = res.targets()[res.targets()["active"]]
    sep = "" if lang == "zh" else " "
    for y in res.years:
        d = act[act["year"] == y]
        if d.empty:
            continue
        parts = [
            text(
                "sum_year",
                lang,
                year=y,
                k=len(d),
                likely=int((d["p_hit"] >= 0.8).sum()),
                unlikely=int((d["p_hit"] < 0.5).sum()),
            )
        ]
        head = d[d["indicator"].isin(HEADLINE)]
        for _, r in head.iterrows():
            parts.append(text("sum_headline", lang, label=year_label(r, lang, res), **_p(r)))
            parts.extend(growth_sentence(r, lang, res.years[0] - 1))
        rest = d[~d["target_id"].isin(head["target_id"])].sort_values("p_hit", kind="stable")
        if len(rest):
            parts.append(text("sum_weakest", lang, label=_label(rest.iloc[0], lang, res), **_p(rest.iloc[0])))
        j = res.joint()
        j = j[j["year"] == y]
        if len(j):
            parts.append(text("sum_joint", lang, **_p(j.iloc[0])))
            if j.iloc[0]["p_hit"] < 0.05 and len(d):
                weakest = d.sort_values("p_hit", kind="stable").iloc[0]
                parts.append(text("sum_joint_low", lang, k=len(d), p=_p(weakest)["p"]))
                if res.warnings:
                    parts.append(text("sum_conflict", lang))
        out.append(sep.join(parts))
    out.extend(rank_sensitivity_sentences(res, lang))
    a = res.targets().set_index("target_id", drop=False)
    for o in others:
        b = o.targets().set_index("target_id")
        common = [k for k in a.index if k in b.index and a.loc[k, "active"]]
        if not common:
            continue
        diff = b.loc[common, "p_hit"] - a.loc[common, "p_hit"]
        k = diff.abs().sort_values(ascending=False, kind="stable").index[0]
        key = "sum_compare" if diff[k] > 0 else "sum_compare_lower"
        out.append(
            text(
                key,
                lang,
                base=res.title(lang),
                other=o.title(lang),
                label=year_label(a.loc[k], lang, res),
                p0=pct0(a.loc[k, "p_hit"]),
                p1=pct0(b.loc[k, "p_hit"]),
            )
        )
    out.append(text("sum_basis", lang, n=res.reps, seed=res.seed))
    out.append(text("world_uncertainty", lang))
    return out


def growth_sentence(row, lang: str, base_year: int) -> list[str]:
    """The growth a headline target needs (over the base year and per year), the model's year-on-year
    growth and, for total trade, the need against real zones' growth: one sentence, or none."""
    need = row.get("growth_needed")
    if need is None or need != need:
        return []
    first = text("sum_growth_need", lang, base_year=base_year, need=growth_pct(float(need)))
    first += need_per_year(row, lang, base_year)
    return [text("sum_growth", lang, parts=text("deck_sep", lang).join([first, *growth_parts(row, lang)]))]


def growth_notes(res: Results, lang: str) -> list[str]:
    """Below the target table: what the growth marks mean and the reference band with its size,
    when a total-trade target is set against it."""
    if not any(band_position(r) for _, r in res.summary.iterrows()):
        return []
    return [text("growth_marks", lang), band_note(lang)]


def _growth_cell(row, lang: str) -> str:
    q = [row.get(c) for c in ("yoy_growth_p10", "yoy_growth_p50", "yoy_growth_p90")]
    if any(x is None or x != x for x in q):
        return "–"
    rng = text("growth_cell_range", lang, p10=growth_pct(q[0]), p90=growth_pct(q[2]))
    return f"{growth_pct(q[1])} {rng}"


def _need_cell(row) -> str:
    need = row.get("growth_needed_yearly")
    if need is None or need != need:
        return "–"
    return growth_pct(float(need)) + {"above_all": " ▲▲", "above_band": " ▲"}.get(band_position(row), "")


def target_table(res: Results, lang: str) -> Table:
    cols = [
        text("col_year", lang),
        text("col_target", lang),
        text("col_p", lang),
        text("col_ci", lang),
        text("col_hits", lang),
        text("col_median", lang),
        text("col_range", lang),
        text("col_growth_need", lang),
        text("col_growth", lang),
        text("col_source", lang),
    ]
    rows, classes, attrs = [], [], []
    for y in res.years:
        d = res.summary[res.summary["year"] == y]
        d = pd.concat([d[~d["target_id"].str.startswith("ALL_")], d[d["target_id"].str.startswith("ALL_")]])
        for _, r in d.iterrows():
            joint = r["target_id"].startswith("ALL_")
            label = text("joint_row", lang, year=y) if joint else _label(r, lang, res)
            unit = r.get("unit", "")
            rng = "–" if joint else f"{value_fmt(r.get('p10'), unit)} – {value_fmt(r.get('p90'), unit)}"
            src = "" if joint else source_text(r.get("source", ""), lang)
            rows.append(
                [
                    str(y),
                    label,
                    pct1(r["p_hit"]),
                    ci1(r["ci_low"], r["ci_high"]),
                    f"{int(r['hits'])}/{int(r['n_reps'])}",
                    "–" if joint else value_fmt(r.get("p50"), unit),
                    rng,
                    "–" if joint else _need_cell(r),
                    "–" if joint else _growth_cell(r, lang),
                    src,
                ]
            )
            classes.append("joint" if joint else ("" if r["active"] else "inactive"))
            attrs.append(
                {
                    "target-id": r["target_id"],
                    "p-hit": repr(float(r["p_hit"])),
                    "ci-low": repr(float(r["ci_low"])),
                    "ci-high": repr(float(r["ci_high"])),
                }
            )
    return Table(
        cols,
        rows,
        [4.5, 21, 6, 10, 7, 6, 9.5, 6, 11, 19],
        "llrrrrrrrl",
        classes,
        attrs,
        font_size=7.5,
        cls="targets",
    )


def warning_items(res: Results, lang: str) -> list[str]:
    return [warning_text(w, lang, res.resolved)[0] for w in res.warnings]


def assumption_rows(res: Results, section: str, lang: str, comments: dict, file_values: dict) -> list[list[str]]:
    data = res.resolved.get(section) or {}
    rows = []
    for path, v in sources.flatten(data, section + "."):
        c = note_text(sources.comment_for(comments, path), lang) if comments else ""
        if c and file_values:
            fv = sources.lookup(file_values, path)
            if fv is not None and fv != v:
                c = f"{c} {text('source_changed', lang)}"
        rows.append([key_label(path.split(".", 1)[1], lang, res.resolved), value_text(v, lang), c])
    return rows


def manifest_rows(res: Results, lang: str) -> tuple[list[list[str]], list[bool]]:
    """The run facts as (fact, value) rows, and per row whether its value is literal (a path,
    command, hash or version list, shown as it is in either language)."""
    m = res.manifest
    vers = m.get("versions") or {}
    rows = [
        (text("m_zone", lang), res.zone(lang), False),
        (text("m_scenario", lang), res.title(lang), False),
        (text("m_file", lang), str(m.get("scenario_file", "–")), True),
        (text("m_sha", lang), str(m.get("scenario_sha256", "–")), True),
        (text("m_seed", lang), str(m.get("seed", "–")), False),
        (text("m_reps", lang), str(m.get("replications", "–")), False),
        (text("m_date", lang), str(m.get("run_date", "–")), False),
        (text("m_command", lang), str(m.get("command", "–")), True),
        (text("m_commit", lang), str(m.get("git_commit", "–")), True),
        (text("m_versions", lang), ", ".join(f"{k} {v}" for k, v in vers.items()) or "–", True),
        (text("m_interval", lang), text("interval_named", lang, method=res.interval(lang)), False),
    ]
    if m.get("stopping_rule"):
        rows.append((text("m_stopping", lang), str(m["stopping_rule"]), True))
    rows.append((text("m_folder", lang), str(res.folder), True))
    return [[a, b] for a, b, _ in rows], [c for _, _, c in rows]


def _peer_value(v, unit: str) -> str:
    if unit == "share":
        return pct1(float(v))
    return value_fmt(v, unit)


def peers_table(peers: pd.DataFrame, lang: str, max_rows: int = 60) -> Table:
    if {"year", "statistic", "mean", "p10", "p50", "p90"} <= set(peers.columns):
        rows = []
        ranks = {r["year"]: r["p50"] for _, r in peers.iterrows() if r["statistic"] == "reference_rank"}
        for _, r in peers.iterrows():
            stat = str(r["statistic"])
            unit = PEER_UNITS.get(stat, "")
            lab = indicator_label("peers_" + stat, lang, rank=ranks.get(r["year"]))
            if unit and unit != "share":
                lab += f"（{unit_label(unit, lang)}）" if lang == "zh" else f" ({unit_label(unit, lang)})"
            rows.append([str(r["year"]), lab, *[_peer_value(r[c], unit) for c in ("mean", "p10", "p50", "p90")]])
        cols = [
            text("col_year", lang),
            text("col_statistic", lang),
            text("col_mean", lang),
            text("col_p10", lang),
            text("col_median", lang),
            text("col_p90", lang),
        ]
        return Table(cols, rows, [6, 40, 13, 13, 13, 13], "llrrrr", font_size=7.5)
    d = peers.head(max_rows)
    rows = [
        [value_fmt(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v) for v in r]
        for r in d.itertuples(index=False)
    ]
    if len(peers) > max_rows:
        rows.append([text("more_rows", lang, n=len(peers) - max_rows)] + [""] * (len(d.columns) - 1))
    return Table(
        [str(c) for c in d.columns], rows, [1.0] * len(d.columns), "l" + "r" * (len(d.columns) - 1), font_size=7.0
    )


RANKING_REQUIRED = {"year", "measure", "variant", "p", "ci_low", "ci_high"}


def ranking_table(res: Results, lang: str) -> Table | None:
    """ranking.csv: P(rank <= N) and P(class A) under the main method and each method variant."""
    r = res.ranking
    if r is None or not set(r.columns) >= RANKING_REQUIRED:
        return None
    rows = []
    for _, x in r.iterrows():
        q = "–"
        if {"rank_p10", "rank_p50", "rank_p90"} <= set(r.columns):
            q = " / ".join(value_fmt(x[c], "rank") for c in ("rank_p10", "rank_p50", "rank_p90"))
        rows.append(
            [
                str(x["year"]),
                measure_label(str(x["measure"]), lang),
                variant_label(str(x["variant"]), lang, str(x.get("description", "") or "")),
                f"{pct1(x['p'])} ({ci1(x['ci_low'], x['ci_high'])})",
                q,
            ]
        )
    cols = [
        text("col_year", lang),
        text("col_measure", lang),
        text("col_variant", lang),
        text("col_p_ci", lang),
        text("col_rank_q", lang),
    ]
    return Table(cols, rows, [6, 16, 42, 20, 16], "lllrr", font_size=7.5)


def rank_sensitivity_sentences(res: Results, lang: str) -> list[str]:
    r = res.ranking
    if r is None or not set(r.columns) >= RANKING_REQUIRED:
        return []
    out = []
    for (y, m), d in r[r["measure"].astype(str).str.startswith("rank")].groupby(["year", "measure"], sort=True):
        if len(d) < 2:
            continue
        main = d[d["variant"] == "main"]
        out.append(
            text(
                "sum_rank_sens",
                lang,
                year=y,
                measure=measure_label(str(m), lang),
                lo=pct0(d["p"].min()),
                hi=pct0(d["p"].max()),
                main=pct0(main["p"].iloc[0]) if len(main) else "–",
            )
        )
    return out


def compare_lines(tab: pd.DataFrame, lang: str, other: str, ref: str) -> list[str]:
    """What the paired intervals support, and no more: how many targets move beyond simulation
    precision in either direction; the rest are within it."""
    up = int((tab["diff_low"] > 0).sum())
    down = int((tab["diff_high"] < 0).sum())
    paired = bool(tab["paired"].iloc[0])
    lines = [text("deck_pair_counts", lang, other=other, ref=ref, up=up, down=down, same=len(tab) - up - down)]
    lines.append(text("deck_pair_paired" if paired else "deck_pair_indep", lang))
    return lines


def group_of(indicator: str) -> str:
    """The target group of an indicator (see :data:`GROUPS`)."""
    if indicator.startswith("trade_"):
        return "trade"
    if indicator in RANKING_INDICATORS:
        return "rank"
    if indicator.startswith(("done_", "leaders_")) or indicator in ("institutional_innovations", "ftz_replications"):
        return "projects"
    return "economy"


def group_parts(res: Results) -> list[tuple[str, pd.DataFrame]]:
    """(slide key suffix, summary rows) of every group slide, rows by year then weakest first."""
    t = res.targets().copy()
    t["group"] = t["indicator"].map(group_of)
    out = []
    for g in GROUPS[:-1]:
        d = t[t["group"] == g].sort_values(["year", "p_hit"], kind="stable")
        if d.empty:
            continue
        if len(d) <= MAX_ROWS:
            out.append((g, d))
        else:
            out += [(f"{g}_{y}", e) for y, e in d.groupby("year", sort=True)]
    return out


def indicator_order(res: Results) -> list[str]:
    """Indicators with a non-binary target, in summary order (rank indicators apart)."""
    t = res.targets()
    t = t[(t["unit"] != "0/1") & ~t["indicator"].isin(["rank", "rank_regional"])]
    return list(dict.fromkeys(t["indicator"]))


def scenario_labels(results: list[Results]) -> list[str]:
    """Names that tell the compared results apart: scenario names, else folder names."""
    names = [r.scenario_name for r in results]
    if len(set(names)) < len(names):
        names = [r.saved_folder.name for r in results]
    if len(set(names)) < len(names):
        names = [f"{n} ({k + 1})" for k, n in enumerate(names)]
    return names
