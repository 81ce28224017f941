"""The province pack of a portfolio's results folder: joint outcomes, zone x target, k of N, totals.

``build_province_pack(folder)`` reads only the folder's files (``portfolio.csv`` and the other
joint tables, ``manifest.json`` and each zone's results folder; it never runs the model) and
writes ``<folder>/report/``: ``province_<lang>.html`` and ``.pdf``, ``deck_<lang>.pptx`` (16:9),
and its charts ``charts/<chart>_<lang>.png`` (the zone x target grid of P(hit), the k-of-N chart,
the fan of the zones' total trade), in Chinese and English. Each zone's own pack is in its folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sim.report.charts.base import PACK_DPI, render, target_label
from sim.report.deck.content import Slide
from sim.report.deck.pptx import build_deck
from sim.report.document.blocks import Document, Heading, Para, Table, figure
from sim.report.document.html import render_html
from sim.report.document.pdf import render_pdf
from sim.report.province.charts import k_of_n_chart, totals_fan_chart, zone_target_chart
from sim.report.province.words import say
from sim.report.texts.formats import ci1, pct1, value_fmt
from sim.report.texts.labels import indicator_label, threshold_text
from sim.results import Results, ResultsError
from sim.store import atomic_write_bytes, atomic_write_text
from sim.vocabulary.outcomes import OUTCOMES

__all__ = ["build_province_pack"]

LANGS = ("zh", "en")


def _read(folder: Path, name: str) -> pd.DataFrame:
    p = folder / f"{name}.csv"
    if not p.is_file():
        raise ResultsError(f"{folder}: not a portfolio results folder (no {p.name})")
    return pd.read_csv(p)


class _Folder:
    """A portfolio folder as the pack reads it."""

    def __init__(self, folder: Path):
        self.folder = folder
        try:
            self.manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            self.info = self.manifest["portfolio"]
        except (OSError, ValueError, KeyError) as e:
            raise ResultsError(f"{folder}: not a portfolio results folder (manifest.json: {e})") from None
        self.joint = _read(folder, "portfolio")
        self.targets = _read(folder, "zone_targets")
        self.totals = _read(folder, "province_totals")
        self.monthly = _read(folder, "province_monthly")
        self.misses = _read(folder, "zone_misses")
        self.corr = _read(folder, "correlation")
        self.zones = {k: Results.load(folder / k) for k in self.info["zones"]}

    def name(self, lang: str) -> str:
        return str(self.info["name_zh" if lang == "zh" else "name_en"])

    def zone(self, key: str, lang: str) -> str:
        return self.zones[key].zone(lang)

    def event(self, row, lang: str) -> str:
        ev = str(row["event"])
        if ev.startswith("zones_in_rank_ge_"):
            return say("ev_rank", lang, k=ev.removeprefix("zones_in_rank_ge_"))
        if ev == "all_zones_trade_target":
            return say("ev_trade", lang)
        if ev == "all_zones_all_targets":
            return say("ev_all", lang)
        ind = ev.removeprefix("province_")
        if ind == "zones_in_rank":
            return say("ev_province_rank", lang, threshold=f"{float(row['threshold']):g}")
        unit = OUTCOMES[ind].unit if ind in OUTCOMES else ""
        return say(
            "ev_province",
            lang,
            label=indicator_label(ind, lang),
            threshold=threshold_text(row["threshold"], unit, lang),
        )

    def foot(self, lang: str, shows: str) -> str:
        """The charts' footnote; ``shows``: what their marks are ("bars", "grid" or "spread")."""
        m = self.manifest
        what = say(f"shows_{shows}", lang)
        return say(
            "footer", lang, name=self.name(lang), n=m["replications"], seed=m["seed"], date=m["run_date"], shows=what
        )


def _cells(f: _Folder, lang: str) -> pd.DataFrame:
    """zone, year, target label, P(hit) and interval of every active target of every zone."""
    rows = []
    for key, res in f.zones.items():
        t = res.targets()
        for _, r in t[t["active"]].iterrows():
            rows.append(
                {
                    "zone": f.zone(key, lang),
                    "year": int(r["year"]),
                    "target": f"{target_label(r, lang, res.resolved)} ({say('year_n', lang, year=int(r['year']))})",
                    "p_hit": float(r["p_hit"]),
                    "ci_low": float(r["ci_low"]),
                    "ci_high": float(r["ci_high"]),
                }
            )
    return pd.DataFrame(rows, columns=["zone", "year", "target", "p_hit", "ci_low", "ci_high"])


def _charts(f: _Folder, lang: str) -> dict[str, dict]:
    out = {}
    name = f.name(lang)
    cells = _cells(f, lang).sort_values(["year"], kind="stable")
    figs = {"province_zones": zone_target_chart(cells, lang, say("chart_zones", lang, name=name), f.foot(lang, "grid"))}
    k = f.joint[f.joint["event"].str.startswith("zones_in_rank_ge_")]
    if len(k):
        figs["province_k_of_n"] = k_of_n_chart(k, lang, say("chart_k", lang, name=name), f.foot(lang, "bars"))
    trade = [(int(t["year"]), float(t["threshold"])) for t in f.info["targets"] if t["indicator"] == "trade_total"]
    figs["province_totals"] = totals_fan_chart(
        f.monthly, trade, lang, say("chart_fan", lang, name=name), f.foot(lang, "spread")
    )
    for key, fig in figs.items():
        out[key] = {"name": f"{key}_{lang}", "png": render(fig, ("png",), PACK_DPI, png_level=1)["png"]}
    return out


def _p(r) -> str:
    return f"{pct1(r['p_hit'])} ({ci1(r['ci_low'], r['ci_high'])})"


def _document(f: _Folder, lang: str, charts: dict) -> Document:
    n = f.manifest["replications"]
    blocks: list = [Heading(say("sec_joint", lang), 2, "joint"), Para(say("lead", lang), "lead")]
    blocks.append(
        Table(
            [say("col_year", lang), say("col_event", lang), say("col_p", lang)],
            [[str(r["year"]), f.event(r, lang), _p(r)] for _, r in f.joint.iterrows()],
            [1, 5, 2.5],
            "llr",
        )
    )
    blocks.append(Para(say("precision", lang, n=n), "note"))

    def fig(key: str, caption: str) -> None:
        x = figure(charts, key, caption)
        if x is not None:
            blocks.append(x)

    if "province_k_of_n" in charts:
        blocks.append(Heading(say("sec_k", lang), 2, "k_of_n"))
        fig("province_k_of_n", say("chart_k", lang, name=f.name(lang)))
    blocks.append(Heading(say("sec_zones", lang), 2, "zones"))
    fig("province_zones", say("chart_zones", lang, name=f.name(lang)))
    cells = _cells(f, lang)
    blocks.append(
        Table(
            [say("col_zone", lang), say("col_year", lang), say("col_target", lang), say("col_p", lang)],
            [[r["zone"], str(r["year"]), r["target"], _p(r)] for _, r in cells.iterrows()],
            [3, 1, 4, 2.5],
            "lllr",
        )
    )
    blocks.append(Heading(say("sec_totals", lang), 2, "totals"))
    fig("province_totals", say("chart_fan", lang, name=f.name(lang)))
    blocks.append(
        Table(
            [say("col_year", lang), say("col_indicator", lang), say("col_quantiles", lang)],
            [
                [
                    str(r["year"]),
                    _indicator(r["indicator"], lang),
                    f"{value_fmt(r['p50'])} ({value_fmt(r['p10'])}–{value_fmt(r['p90'])})",
                ]
                for _, r in f.totals.iterrows()
            ],
            [1, 4, 3],
            "llr",
        )
    )
    if len(f.misses):
        blocks += [Heading(say("sec_misses", lang), 2, "misses"), Para(say("misses_note", lang), "note")]
        rows = []
        for _, r in f.misses.iterrows():
            ev = f.joint[(f.joint["year"] == r["year"]) & (f.joint["event"] == r["event"])]
            label = f.event(ev.iloc[0], lang) if len(ev) else str(r["event"])
            cell = f"{pct1(r['p_zone_missed'])} ({ci1(r['ci_low'], r['ci_high'])})"
            rows.append([str(r["year"]), label, f.zone(r["zone"], lang), cell, pct1(r["share_of_misses"])])
        cols = [say(k, lang) for k in ("col_year", "col_event", "col_zone", "col_missed", "col_share")]
        blocks.append(Table(cols, rows, [1, 4, 3, 2.5, 1.5], "lllrr"))
    if len(f.corr):
        blocks += [Heading(say("sec_corr", lang), 2, "correlation"), Para(say("corr_note", lang), "note")]
        rows = [
            [
                str(r["year"]),
                _indicator(r["indicator"], lang),
                f"{f.zone(r['zone_a'], lang)} / {f.zone(r['zone_b'], lang)}",
                "–" if r["corr"] != r["corr"] else f"{r['corr']:.2f} ({r['ci_low']:.2f}–{r['ci_high']:.2f})",
            ]
            for _, r in f.corr.iterrows()
        ]
        cols = [say(k, lang) for k in ("col_year", "col_indicator", "col_pair", "col_corr")]
        blocks.append(Table(cols, rows, [1, 2.5, 5, 2.5], "lllr"))
    title = say("title", lang, name=f.name(lang))
    return Document(
        lang, title, say("subtitle", lang, n=len(f.zones)), blocks, header=title, date=f.manifest["run_date"]
    )


def _indicator(ind: str, lang: str) -> str:
    return say("zones_in_rank", lang) if ind == "zones_in_rank" else indicator_label(ind, lang)


def _slides(f: _Folder, lang: str, charts: dict) -> list[Slide]:
    n = f.manifest["replications"]
    # the province's own targets first, then at least one zone within its rank target, then every zone's targets
    order = f.joint.assign(
        _o=f.joint["event"].map(
            lambda e: (
                0 if e.startswith("province_") else 1 if e == "zones_in_rank_ge_1" else 2 if e.startswith("all_") else 3
            )
        )
    ).sort_values(["_o", "year"], kind="stable")
    top = [f"{say('year_n', lang, year=r['year'])}  {f.event(r, lang)}: {_p(r)}" for _, r in order.iterrows()]
    slides = [
        Slide(
            "title",
            say("title", lang, name=f.name(lang)),
            [say("subtitle", lang, n=len(f.zones)), f.manifest["run_date"]],
        ),
        Slide("joint", say("slide_joint", lang), top[:9], note=say("precision", lang, n=n)),
    ]
    if "province_k_of_n" in charts:
        slides.append(Slide("k_of_n", say("slide_k", lang), [], "province_k_of_n", say("precision", lang, n=n)))
    slides.append(Slide("zones", say("slide_zones", lang), [], "province_zones", say("shows_grid", lang)))
    slides.append(Slide("totals", say("slide_totals", lang), [], "province_totals"))
    return slides


def build_province_pack(folder: str | Path, langs=LANGS) -> list[Path]:
    """Write ``<folder>/report/`` for a portfolio's results folder; returns the files written."""
    folder = Path(folder)
    f = _Folder(folder)
    out = folder / "report"
    written: list[Path] = []
    for lang in langs:
        charts = _charts(f, lang)
        for c in charts.values():
            p = out / "charts" / f"{c['name']}.png"
            atomic_write_bytes(p, c["png"])
            written.append(p)
        doc = _document(f, lang, charts)
        html, pdf = out / f"province_{lang}.html", out / f"province_{lang}.pdf"
        atomic_write_text(html, render_html(doc))
        atomic_write_bytes(pdf, render_pdf(doc))
        written += [html, pdf]
        p = out / f"deck_{lang}.pptx"
        atomic_write_bytes(p, build_deck(_slides(f, lang, charts), lang, charts, f.manifest["run_date"], f.name(lang)))
        written.append(p)
    return written
