"""The report's content, language by language, as a list of blocks that the HTML and PDF
renderers both draw (so the two always say the same thing).

Numbers are formatted here, once: probabilities in the target table with one decimal
(``89.5%``), in the prose as whole percents.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.report import sources
from sim.report.chart_base import target_label
from sim.report.key_labels import key_label, value_text
from sim.report.labels import PEER_UNITS, indicator_label, measure_label, unit_label, variant_label
from sim.report.plan_warnings import warning_text
from sim.report.results import Results
from sim.report.texts import text

# ----------------------------------------------------------------------------- blocks


@dataclass
class Heading:
    text: str
    level: int = 2
    anchor: str = ""


@dataclass
class Para:
    text: str
    cls: str = ""                      # "", "lead", "note", "small"


@dataclass
class Bullets:
    items: list[str]
    cls: str = ""                      # "", "warning"


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    widths: list[float]                # relative column widths
    align: str = ""                    # one letter per column: l / r / c
    row_classes: list[str] = field(default_factory=list)     # "", "inactive", "joint", "group"
    row_attrs: list[dict] = field(default_factory=list)      # HTML data-* attributes per row
    font_size: float = 8.0             # PDF points
    cls: str = ""


@dataclass
class Figure:
    name: str                          # chart file stem, e.g. "fan_trade_total_zh"
    png: bytes
    caption: str
    width_px: int = 0
    height_px: int = 0


@dataclass
class FigureRow:
    figures: list[Figure]


@dataclass
class PageBreak:
    pass


@dataclass
class Document:
    lang: str
    title: str
    subtitle: str
    blocks: list
    header: str = ""                   # running header of PDF pages
    date: str = ""                     # run date, YYYY-MM-DD: the files' creation date, so same run, same bytes


# ----------------------------------------------------------------------------- formatting

def pct1(p: float) -> str:
    return "–" if p != p else f"{p * 100:.1f}%"


def ci1(lo: float, hi: float) -> str:
    return "–" if lo != lo else f"{lo * 100:.1f}–{hi * 100:.1f}%"


def pct0(p: float) -> str:
    return "–" if p != p else f"{p * 100:.0f}%"


def ci0(lo: float, hi: float) -> str:
    return "–" if lo != lo else f"{lo * 100:.0f}–{hi * 100:.0f}%"


def value_fmt(v, unit: str = "") -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "–"
    if v != v:
        return "–"
    if unit in ("count", "persons", "0/1", "rank") or abs(v) >= 100:
        return f"{v:,.0f}" if abs(v - round(v)) < 1e-9 or abs(v) >= 100 else f"{v:,.1f}"
    if abs(v) >= 10:
        return f"{v:,.1f}"
    return f"{v:,.2f}"


def _png_size(png: bytes) -> tuple[int, int]:
    if png[:8] == b"\x89PNG\r\n\x1a\n":
        return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return 0, 0


def figure(charts: dict, key: str, caption: str) -> Figure | None:
    c = charts.get(key)
    if c is None:
        return None
    w, h = _png_size(c["png"])
    return Figure(c["name"], c["png"], caption, w, h)


# ----------------------------------------------------------------------------- sections

def _label(row, lang, res: Results) -> str:
    return target_label(row, lang, res.resolved)


def _year_label(row, lang, res: Results) -> str:
    y = int(row["year"])
    return f"{y}年{_label(row, lang, res)}" if lang == "zh" else f"{y} {_label(row, lang, res)}"


def _p(row) -> dict:
    return {"p": pct0(row["p_hit"]), "ci": ci0(row["ci_low"], row["ci_high"])}


def summary_paragraphs(res: Results, lang: str, others: list[Results] = ()) -> list[str]:
    """Plain-language summary from the numbers: per year the headline targets (total trade,
    national rank), the weakest and the strongest, the joint probability; then how much the rank
    rests on the method's unknowns, and what each compared scenario changes most."""
    out = []
    act = res.targets()[res.targets()["active"]]
    sep = "" if lang == "zh" else " "
    for y in res.years:
        d = act[act["year"] == y]
        if d.empty:
            continue
        parts = [text("sum_year", lang, year=y, k=len(d), likely=int((d["p_hit"] >= 0.8).sum()),
                      unlikely=int((d["p_hit"] < 0.5).sum()))]
        head = d[d["indicator"].isin(["trade_total", "rank"])]
        for _, r in head.iterrows():
            parts.append(text("sum_headline", lang, label=_year_label(r, lang, res), **_p(r)))
        rest = d[~d["target_id"].isin(head["target_id"])].sort_values("p_hit", kind="stable")
        if len(rest):
            parts.append(text("sum_weakest", lang, label=_label(rest.iloc[0], lang, res), **_p(rest.iloc[0])))
        if len(rest) > 1:
            parts.append(text("sum_strongest", lang, label=_label(rest.iloc[-1], lang, res), **_p(rest.iloc[-1])))
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
        out.append(text(key, lang, base=res.scenario_name, other=o.scenario_name,
                        label=_year_label(a.loc[k], lang, res), p0=pct0(a.loc[k, "p_hit"]),
                        p1=pct0(b.loc[k, "p_hit"])))
    out.append(text("sum_basis", lang, n=res.reps, seed=res.seed))
    return out


def target_table(res: Results, lang: str) -> Table:
    cols = [text("col_year", lang), text("col_target", lang), text("col_p", lang), text("col_ci", lang),
            text("col_hits", lang), text("col_median", lang), text("col_range", lang), text("col_source", lang)]
    rows, classes, attrs = [], [], []
    for y in res.years:
        d = res.summary[res.summary["year"] == y]
        d = pd.concat([d[~d["target_id"].str.startswith("ALL_")], d[d["target_id"].str.startswith("ALL_")]])
        for _, r in d.iterrows():
            joint = r["target_id"].startswith("ALL_")
            label = text("joint_row", lang, year=y) if joint else _label(r, lang, res)
            unit = r.get("unit", "")
            rng = "–" if joint else f"{value_fmt(r.get('p10'), unit)} – {value_fmt(r.get('p90'), unit)}"
            src = r.get("note", "") if joint else r.get("source", "")
            if joint:
                src = ""
            rows.append([str(y), label, pct1(r["p_hit"]), ci1(r["ci_low"], r["ci_high"]),
                         f"{int(r['hits'])}/{int(r['n_reps'])}", "–" if joint else value_fmt(r.get("p50"), unit),
                         rng, src])
            classes.append("joint" if joint else ("" if r["active"] else "inactive"))
            attrs.append({"target-id": r["target_id"], "p-hit": repr(float(r["p_hit"])),
                          "ci-low": repr(float(r["ci_low"])), "ci-high": repr(float(r["ci_high"]))})
    return Table(cols, rows, [5.5, 29, 7, 11, 8, 7, 11, 22], "llrrrrrl", classes, attrs, font_size=7.5,
                 cls="targets")


def warning_items(res: Results, lang: str) -> list[str]:
    return [warning_text(w, lang, res.resolved)[0] for w in res.warnings]


def assumption_rows(res: Results, section: str, lang: str, comments: dict, file_values: dict) -> list[list[str]]:
    data = res.resolved.get(section) or {}
    rows = []
    for path, v in sources.flatten(data, section + "."):
        c = sources.comment_for(comments, path) if comments else ""
        if c and file_values:
            fv = sources.lookup(file_values, path)
            if fv is not None and fv != v:
                c = f"{c} {text('source_changed', lang)}"
        rows.append([key_label(path.split(".", 1)[1], lang, res.resolved), value_text(v, lang), c])
    return rows


def manifest_rows(res: Results, lang: str) -> list[list[str]]:
    m = res.manifest
    vers = m.get("versions") or {}
    rows = [
        (text("m_zone", lang), res.zone(lang)),
        (text("m_scenario", lang), res.scenario_name),
        (text("m_file", lang), str(m.get("scenario_file", "–"))),
        (text("m_sha", lang), str(m.get("scenario_sha256", "–"))),
        (text("m_seed", lang), str(m.get("seed", "–"))),
        (text("m_reps", lang), str(m.get("replications", "–"))),
        (text("m_date", lang), str(m.get("run_date", "–"))),
        (text("m_command", lang), str(m.get("command", "–"))),
        (text("m_commit", lang), str(m.get("git_commit", "–"))),
        (text("m_versions", lang), ", ".join(f"{k} {v}" for k, v in vers.items()) or "–"),
        (text("m_interval", lang), str(m.get("interval_method", "–"))),
    ]
    if m.get("stopping_rule"):
        rows.append((text("m_stopping", lang), str(m["stopping_rule"])))
    rows.append((text("m_folder", lang), str(res.folder)))
    return [list(r) for r in rows]


def _peer_value(v, unit: str) -> str:
    if unit == "share":
        return pct1(float(v))
    return value_fmt(v, unit)


def _peers_table(peers: pd.DataFrame, lang: str, max_rows: int = 60) -> Table:
    if {"year", "statistic", "mean", "p10", "p50", "p90"} <= set(peers.columns):
        rows = []
        for _, r in peers.iterrows():
            stat = str(r["statistic"])
            unit = PEER_UNITS.get(stat, "")
            lab = indicator_label("peers_" + stat, lang)
            if unit and unit != "share":
                lab += f"（{unit_label(unit, lang)}）" if lang == "zh" else f" ({unit_label(unit, lang)})"
            rows.append([str(r["year"]), lab, *[_peer_value(r[c], unit) for c in ("mean", "p10", "p50", "p90")]])
        cols = [text("col_year", lang), text("col_statistic", lang), text("col_mean", lang), text("col_p10", lang),
                text("col_median", lang), text("col_p90", lang)]
        return Table(cols, rows, [6, 40, 13, 13, 13, 13], "llrrrr", font_size=7.5)
    d = peers.head(max_rows)
    rows = [[value_fmt(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v) for v in r]
            for r in d.itertuples(index=False)]
    if len(peers) > max_rows:
        rows.append([text("more_rows", lang, n=len(peers) - max_rows)] + [""] * (len(d.columns) - 1))
    return Table([str(c) for c in d.columns], rows, [1.0] * len(d.columns), "l" + "r" * (len(d.columns) - 1),
                 font_size=7.0)


RANKING_REQUIRED = {"year", "measure", "variant", "p", "ci_low", "ci_high"}


def ranking_table(res: Results, lang: str) -> Table | None:
    """ranking.csv: P(rank <= N) and P(class A) under the main method and each method variant."""
    r = res.ranking
    if r is None or not RANKING_REQUIRED <= set(r.columns):
        return None
    rows = []
    for _, x in r.iterrows():
        q = "–"
        if {"rank_p10", "rank_p50", "rank_p90"} <= set(r.columns):
            q = " / ".join(value_fmt(x[c], "rank") for c in ("rank_p10", "rank_p50", "rank_p90"))
        rows.append([str(x["year"]), measure_label(str(x["measure"]), lang),
                     variant_label(str(x["variant"]), lang, str(x.get("description", "") or "")),
                     f"{pct1(x['p'])} ({ci1(x['ci_low'], x['ci_high'])})", q])
    cols = [text("col_year", lang), text("col_measure", lang), text("col_variant", lang),
            text("col_p_ci", lang), text("col_rank_q", lang)]
    return Table(cols, rows, [6, 16, 42, 20, 16], "lllrr", font_size=7.5)


def rank_sensitivity_sentences(res: Results, lang: str) -> list[str]:
    r = res.ranking
    if r is None or not RANKING_REQUIRED <= set(r.columns):
        return []
    out = []
    for (y, m), d in r[r["measure"].astype(str).str.startswith("rank")].groupby(["year", "measure"], sort=True):
        if len(d) < 2:
            continue
        main = d[d["variant"] == "main"]
        out.append(text("sum_rank_sens", lang, year=y, measure=measure_label(str(m), lang), lo=pct0(d["p"].min()),
                        hi=pct0(d["p"].max()), main=pct0(main["p"].iloc[0]) if len(main) else "–"))
    return out


def indicator_order(res: Results) -> list[str]:
    """Indicators with a non-binary target, in summary order (rank indicators apart)."""
    t = res.targets()
    t = t[(t["unit"] != "0/1") & ~t["indicator"].isin(["rank", "rank_regional"])]
    return list(dict.fromkeys(t["indicator"]))


# ----------------------------------------------------------------------------- the document

def build_document(res: Results, lang: str, charts: dict, others: list[Results] = (),
                   compare_rows: list | None = None) -> Document:
    """All blocks of the report of ``res`` in ``lang``; ``charts`` maps chart keys to
    {"name", "png"} (made by the pack); ``others`` are further results folders to compare."""
    zone = res.zone(lang)
    meta_sc = res.resolved.get("scenario", {})
    title = text("report_title", lang, zone=zone)
    subtitle = text("report_subtitle", lang, scenario=res.scenario_name, n=res.reps, seed=res.seed, date=res.run_date)
    B: list = []
    if meta_sc.get("plan"):
        B.append(Para(text("report_plan", lang, plan=meta_sc["plan"]), "small"))
    if meta_sc.get("description"):
        B.append(Para(text("report_desc", lang, desc=meta_sc["description"]), "small"))

    B.append(Heading(text("sec_summary", lang), 2, "summary"))
    for p in summary_paragraphs(res, lang, others):
        B.append(Para(p, "lead"))

    warns = warning_items(res, lang)
    if warns:
        B.append(Heading(text("sec_warnings", lang), 2, "warnings"))
        B.append(Bullets(warns, "warning"))

    B.append(Heading(text("sec_targets", lang), 2, "targets"))
    B.append(Para(text("intro_targets", lang), "note"))
    B.append(target_table(res, lang))

    f = figure(charts, "p_targets", "")
    if f:
        B.append(Heading(text("sec_overview", lang), 2, "overview"))
        B.append(Para(text("intro_overview", lang), "note"))
        B.append(f)

    inds = indicator_order(res)
    ind_blocks = []
    for ind in inds:
        figs = [x for x in (figure(charts, f"exceedance_{ind}", ""), figure(charts, f"fan_{ind}", "")) if x]
        if not figs:
            continue
        t = res.targets()
        t = t[t["indicator"] == ind]
        if lang == "zh":
            desc = "；".join(f"{_year_label(r, lang, res)}：{pct1(r['p_hit'])}（{ci1(r['ci_low'], r['ci_high'])}）"
                            for _, r in t.iterrows())
        else:
            desc = "; ".join(f"{_year_label(r, lang, res)}: {pct1(r['p_hit'])} ({ci1(r['ci_low'], r['ci_high'])})"
                             for _, r in t.iterrows())
        ind_blocks += [Heading(indicator_label(ind, lang, res.resolved), 3, f"ind-{ind}"), Para(desc, "small"),
                       FigureRow(figs)]
    if ind_blocks:
        B.append(PageBreak())
        B.append(Heading(text("sec_indicators", lang), 2, "indicators"))
        B.append(Para(text("intro_indicators", lang), "note"))
        B.extend(ind_blocks)

    ttt = [figure(charts, f"ttt_{y}", "") for y in res.years]
    ttt = [x for x in ttt if x]
    if ttt:
        B.append(PageBreak())
        B.append(Heading(text("sec_ttt", lang), 2, "ttt"))
        B.append(Para(text("intro_ttt", lang), "note"))
        B.extend(ttt)

    ranks = [figure(charts, f"rank_{k}", "") for k in ("rank", "rank_regional")]
    ranks = [x for x in ranks if x]
    sens = ranking_table(res, lang)
    if ranks or res.peers is not None or sens is not None:
        B.append(PageBreak())
        B.append(Heading(text("sec_rank", lang), 2, "rank"))
        if ranks:
            B.append(Para(text("intro_rank", lang), "note"))
            B.extend(ranks)
        if sens is not None:
            B.append(Heading(text("sec_rank_sens", lang), 3, "rank-sensitivity"))
            B.append(Para(text("intro_rank_sens", lang), "note"))
            B.append(sens)
        if res.peers is not None and len(res.peers.columns):
            B.append(Heading(text("sec_peers", lang), 3, "peers"))
            B.append(Para(text("intro_peers", lang), "note"))
            B.append(_peers_table(res.peers, lang))

    if others:
        B.append(PageBreak())
        B.append(Heading(text("sec_compare", lang), 2, "compare"))
        seeds = {str(r.seed) for r in [res, *others]}
        B.append(Para(text("intro_compare", lang) + ("" if len(seeds) == 1 else " " + text("intro_compare_seed", lang)),
                      "note"))
        for y in res.years:
            f = figure(charts, f"compare_{y}", "")
            if f:
                B.append(f)
        if compare_rows:
            names = scenario_labels([res, *others])
            cols = [text("col_year", lang), text("col_target", lang), *names]
            B.append(Table(cols, compare_rows, [5.5, 30, *([12] * len(names))], "ll" + "r" * len(names),
                           font_size=7.5))

    extra = [(r, p) for r in [res, *others] for p in r.extra_charts
             if not (p.stem.endswith(("_zh", "_en")) and not p.stem.endswith("_" + lang))]
    tables = [(r, name) for r in [res, *others] for name in r.extra_tables]
    if extra or tables:
        B.append(Heading(text("sec_other", lang), 2, "other"))
        B.append(Para(text("intro_other", lang), "note"))
        for r, p in extra:
            png = p.read_bytes()
            w, h = _png_size(png)
            B.append(Figure(p.stem, png, f"{r.folder.name}/charts/{p.name}", w, h))
        if tables:
            B.append(Bullets([f"{r.folder.name}/{name}.csv" for r, name in tables]))

    B.append(PageBreak())
    B.append(Heading(text("sec_assumptions", lang), 2, "assumptions"))
    file_name = res.manifest.get("scenario_file")
    path = sources.find_scenario_file(file_name, res.folder)
    comments = sources.scenario_comments(path) if path else {}
    file_values = sources.scenario_values(path) if path else {}
    B.append(Para(text("intro_assumptions" if path else "intro_no_sources", lang, file=file_name or "–"), "note"))
    head = [text("col_key", lang), text("col_value", lang), text("col_comment", lang)]
    for sec, key in (("levers", "sec_levers"), ("initial_state", "sec_initial")):
        rows = assumption_rows(res, sec, lang, comments, file_values)
        if rows:
            B.append(Heading(text(key, lang), 3, sec))
            B.append(Table(head, rows, [26, 22, 52], "lll", font_size=7.5))

    B.append(Heading(text("sec_manifest", lang), 2, "manifest"))
    B.append(Para(text("intro_manifest", lang), "note"))
    for r in [res, *others]:
        if others:
            B.append(Heading(r.scenario_name, 3))
        B.append(Table([text("col_fact", lang), text("col_value", lang)], manifest_rows(r, lang), [25, 75], "ll",
                       font_size=7.5))
    B.append(Para(f"{text('m_built', lang)}: {_dt.date.today().isoformat()} · {text('figure_files', lang)}", "small"))

    rows = assumption_rows(res, "uncertainties", lang, comments, file_values)
    if rows:
        B.append(PageBreak())
        B.append(Heading(text("sec_uncert", lang), 2, "uncertainties"))
        B.append(Table(head, rows, [30, 30, 40], "lll", font_size=7.0))

    header = f"{zone} · {res.scenario_name} · n={res.reps} · seed {res.seed}"
    return Document(lang, title, subtitle, B, header, res.run_date)


def scenario_labels(results: list[Results]) -> list[str]:
    """Names that tell the compared results apart: scenario names, else folder names."""
    names = [r.scenario_name for r in results]
    if len(set(names)) < len(names):
        names = [Path(r.folder).name for r in results]
    if len(set(names)) < len(names):
        names = [f"{n} ({k + 1})" for k, n in enumerate(names)]
    return names
