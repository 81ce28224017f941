"""The what-if page (Shiny for Python) and how it is served on this machine.

The sidebar holds one control per lever and per editable base-year figure
(``controls.py``), a 中文 / English switch, "Save as scenario" and "Build meeting pack". Each change
submits the what-if to a :class:`~sim.studio.progressive.WhatIfRunner`, which cancels the previous
one; the page polls its latest answer and shows, per target, the base's and the what-if's P(hit)
with their intervals and the paired difference, with the replication count and the widest
interval as they refine. Shiny serves its scripts and styles from the installed package, and the
page's Chinese font is a subset of the bundled Noto Sans CJK served from a local folder: nothing
is fetched from the internet.
"""

from __future__ import annotations

import base64
import html
import tempfile
from pathlib import Path

from shiny import App, reactive, render, run_app, ui

from sim.analysis.targets import target_specs
from sim.report.document.html import subset_font
from sim.report.texts.growth_texts import GROWTH_TEXT
from sim.report.texts.growth_words import band_note, band_position
from sim.scenario import ScenarioError
from sim.studio import actions
from sim.studio.controls import Control, changes, controls
from sim.studio.growth_cells import growth_cell
from sim.studio.progressive import WhatIfRunner
from sim.studio.texts import LANGS, all_chinese, t, target_label

CSS = """
@font-face { font-family: "ZonesimCJK"; src: url("assets/cjk.otf") format("opentype"); }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "ZonesimCJK", sans-serif; }
.zs-wrap { overflow-x: auto; }
.zs-table { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
.zs-table th, .zs-table td { padding: 4px 6px; border-bottom: 1px solid #e5e5e5; vertical-align: middle; }
.zs-table td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.zs-bar { position: relative; height: 10px; min-width: 90px; background: #f1f3f5; border-radius: 2px; }
.zs-bar .band { position: absolute; top: 0; height: 10px; background: #a5c8ef; }
.zs-bar .p { position: absolute; top: -2px; width: 2px; height: 14px; background: #1b4f8a; }
.zs-up { color: #1a7f37; } .zs-down { color: #c62828; } .zs-flat { color: #6c757d; }
.zs-inactive { color: #8a8a8a; }
.zs-table td.zs-growth { white-space: normal; min-width: 7rem; }
.zs-table td.zs-growth .ci { display: block; }
.zs-need { display: block; font-size: 0.75rem; color: #6c757d; }
.zs-need.zs-above_band { color: #b26a00; } .zs-need.zs-above_all { color: #c62828; font-weight: 600; }
#zs-status { margin: 0.25rem 0 0.75rem; color: #333; }
.zs-msg { margin-top: 0.5rem; font-size: 0.85rem; overflow-wrap: anywhere; }
.zs-chart img { max-width: 100%; height: auto; }
@media (max-width: 1400px) {
  .zs-table .ci { display: block; font-size: 0.75rem; color: #6c757d; }
}
@media (max-width: 576px) {
  .zs-table { font-size: 0.8rem; }
  .zs-table .zs-barcol { display: none; }
  .zs-table td.num { white-space: normal; }
  .zs-table .ci { display: block; font-size: 0.7rem; color: #6c757d; }
}
"""


def _control_input(c: Control, lang: str):
    if c.kind == "month":
        return ui.input_select(c.input_id, c.label(lang), list(c.choices), selected=c.value)
    if c.kind == "factor":
        return ui.input_slider(c.input_id, c.label(lang), c.low, c.high, c.value, step=c.step)
    return ui.input_numeric(c.input_id, c.label(lang), c.value, min=c.low, max=c.high, step=c.step)


def _update_label(c: Control, lang: str) -> None:
    if c.kind == "month":
        ui.update_select(c.input_id, label=c.label(lang))
    elif c.kind == "factor":
        ui.update_slider(c.input_id, label=c.label(lang))
    else:
        ui.update_numeric(c.input_id, label=c.label(lang))


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _signed(x: float) -> str:
    return f"{100 * x:+.1f}"


def results_table(table, specs: dict, scenario, lang: str) -> str:
    """The answer as an HTML table; each row carries its target id and full-precision numbers."""
    head = (
        f"<tr><th>{t('target', lang)}</th><th>{t('base', lang)}</th><th>{t('what_if', lang)}</th>"
        f"<th class='zs-barcol'></th><th>{t('difference', lang)}</th><th>{t('growth', lang)}</th></tr>"
    )
    rows = []
    for r in table.itertuples():
        label = html.escape(target_label(specs[r.target_id], lang, scenario))
        cls = "" if r.active else " class='zs-inactive'"
        if not r.active:
            label += t("inactive", lang)
        tone = "zs-flat" if r.diff_low <= 0 <= r.diff_high else ("zs-up" if r.diff > 0 else "zs-down")
        bar = (
            f"<div class='zs-bar'><div class='band' style='left:{100 * r.p_low:.1f}%;"
            f"width:{100 * (r.p_high - r.p_low):.1f}%'></div><div class='p' style='left:{100 * r.p:.1f}%'></div></div>"
        )
        rows.append(
            f"<tr{cls} data-target='{r.target_id}' data-p='{r.p:.10f}' data-p-ref='{r.p_ref:.10f}' "
            f"data-diff='{r.diff:.10f}' data-n='{r.n_reps}'><td>{label}</td>"
            f"<td class='num'>{_pct(r.p_ref)}<span class='ci'> [{_pct(r.p_ref_low)}, {_pct(r.p_ref_high)}]</span></td>"
            f"<td class='num'>{_pct(r.p)}<span class='ci'> [{_pct(r.p_low)}, {_pct(r.p_high)}]</span></td>"
            f"<td class='zs-barcol'>{bar}</td><td class='num {tone}'>{_signed(r.diff)}"
            f"<span class='ci'> [{_signed(r.diff_low)}, {_signed(r.diff_high)}]</span></td>"
            f"{growth_cell(r._asdict(), lang)}</tr>"
        )
    notes = ""
    if "indicator" in table.columns and any(band_position(r._asdict()) for r in table.itertuples()):
        notes = f"<p class='small text-muted zs-band'>{html.escape(t('growth_marks', lang))} {html.escape(band_note(lang))}</p>"
    return f"<div class='zs-wrap'><table class='zs-table'>{head}{''.join(rows)}</table></div>{notes}"


def make_app(
    path: str | Path,
    overrides: list[str] | None = None,
    seed: int | None = None,
    max_reps: int = 10_000,
    workers: int | None = None,
    results: str | Path = "results/studio",
    lang: str = "zh",
    save_dir: str | Path | None = None,
) -> App:
    """The studio's Shiny app for one base scenario (raises ScenarioError if it is invalid).

    One what-if runner serves the app: the studio is a local page for one planner, and every tab
    open on it shows the latest what-if."""
    probe = WhatIfRunner(Path(path), list(overrides or []), seed, max_reps, workers)
    base = probe.base
    ctrls = controls(base)
    specs = {s.target_id: s for s in target_specs(base.scenario)}
    assets = Path(tempfile.mkdtemp(prefix="zonesim-studio-"))
    chars = all_chinese(
        [c.label("zh") for c in ctrls]
        + [target_label(s, "zh", base.scenario) for s in specs.values()]
        + [base.scenario.scenario.zone_zh, band_note("zh"), *(zh for zh, _ in GROWTH_TEXT.values()), "▲–—"]
    )
    (assets / "cjk.otf").write_bytes(subset_font(chars))

    def sidebar(lang_: str):
        levers = [_control_input(c, lang_) for c in ctrls if c.section == "levers"]
        others = [_control_input(c, lang_) for c in ctrls if c.section != "levers"]
        return ui.sidebar(
            ui.input_radio_buttons("lang", None, LANGS, selected=lang_, inline=True),
            ui.h6(ui.output_text("levers_title")),
            *levers,
            *([ui.h6(ui.output_text("base_year_title")), *others] if others else []),
            ui.hr(),
            ui.input_text("save_name", ui.output_text("save_name_label"), f"{base.name}_whatif"),
            ui.input_action_button("save", t("save", lang_), class_="btn-outline-primary btn-sm"),
            ui.input_action_button("pack", t("pack", lang_), class_="btn-outline-secondary btn-sm"),
            ui.output_ui("message"),
            width=360,
            open="desktop",
        )

    page = ui.page_sidebar(
        sidebar(lang),
        ui.head_content(ui.tags.style(CSS)),
        ui.h4(ui.output_text("title")),
        ui.output_ui("status"),
        ui.output_ui("answer"),
        ui.div(ui.output_ui("chart"), class_="zs-chart"),
        window_title=t("title", "en"),
        lang="zh-CN" if lang == "zh" else "en",
    )

    def server(input, output, session):
        runner = probe  # one planner: every open tab shows (and moves) the same what-if
        pack = {"job": None}
        note = reactive.value("")

        def lang_() -> str:
            return input.lang() or lang

        def what_if() -> dict:
            return changes(ctrls, {c.input_id: input[c.input_id]() for c in ctrls})

        @reactive.effect
        def _submit():
            runner.submit(what_if())

        @reactive.effect
        @reactive.event(input.lang, ignore_init=True)
        def _relabel():
            for c in ctrls:
                _update_label(c, lang_())
            ui.update_action_button("save", label=t("save", lang_()))
            ui.update_action_button("pack", label=t("pack", lang_()))

        @reactive.poll(lambda: runner.version, 0.2)
        def snapshot():
            return runner.latest

        @reactive.poll(lambda: (id(pack["job"]), pack["job"].state if pack["job"] else None), 0.5)
        def pack_state():
            return pack["job"]

        @render.text
        def title():
            return f"{t('title', lang_())} · {base.scenario.scenario.zone_zh if lang_() == 'zh' else base.scenario.scenario.zone}"

        @render.text
        def levers_title():
            return t("levers", lang_())

        @render.text
        def base_year_title():
            return t("base_year", lang_())

        @render.text
        def save_name_label():
            return t("save_name", lang_())

        @render.ui
        def status():
            s, lg = snapshot(), lang_()
            if s is None:
                return ui.div(t("waiting", lg), id="zs-status", data_reps="0", data_done="0")
            if s.error:
                return ui.div(
                    ui.strong(t("invalid", lg)),
                    s.error,
                    id="zs-status",
                    class_="text-danger",
                    data_reps="0",
                    data_done="1",
                    data_error="1",
                    data_job=str(s.job),
                )
            state = t("finished", lg) if s.done else t("refining", lg)
            changed = (
                t("changes", lg) + ", ".join(f"{k.removeprefix('levers.')} = {v}" for k, v in s.what_if.items())
                if s.what_if
                else t("no_change", lg)
            )
            return ui.div(
                ui.div(
                    t("status", lg, reps=s.reps, max=s.max_reps, half=100 * s.half_width, secs=s.elapsed_s),
                    f" · {state}",
                ),
                ui.div(changed, class_="small text-muted"),
                id="zs-status",
                data_reps=str(s.reps),
                data_done="1" if s.done else "0",
                data_job=str(s.job),
            )

        @render.ui
        def answer():
            s = snapshot()
            if s is None or s.table is None:
                return ui.div()
            return ui.TagList(
                ui.HTML(results_table(s.table, specs, base.scenario, lang_())),
                ui.p(t("crn", lang_()), class_="small text-muted"),
            )

        @reactive.effect
        @reactive.event(input.save)
        def _save():
            try:
                p = actions.save_scenario(base, input.save_name().strip(), what_if(), save_dir)
                note.set(t("saved", lang_(), path=p))
            except ScenarioError as e:
                note.set(t("invalid", lang_()) + str(e) if what_if() else t("save_needs_change", lang_()))

        @reactive.effect
        @reactive.event(input.pack)
        def _pack():
            s = runner.latest
            try:
                variant = runner.load(what_if())
            except ScenarioError as e:
                note.set(t("invalid", lang_()) + str(e))
                return
            reps = s.reps if s is not None and s.reps else runner.first
            pack["job"] = actions.start_pack(variant, reps, runner.seed, Path(results), workers)

        @render.ui
        def message():
            job, lg = pack_state(), lang_()
            lines = [note()]
            if job is not None:
                lines.append(
                    {
                        "running": t("pack_running", lg, reps=job.reps),
                        "done": t("pack_done", lg, path=job.folder / "report"),
                        "failed": t("pack_failed", lg, error=job.error),
                    }[job.state]
                )
            return ui.div(*[ui.div(x) for x in lines if x], class_="zs-msg", id="zs-message")

        @render.ui
        def chart():
            job = pack_state()
            if job is None or job.state != "done":
                return ui.div()
            data = base64.b64encode(job.chart[lang_()].read_bytes()).decode("ascii")
            return ui.img(src=f"data:image/png;base64,{data}", id="zs-pack-chart", alt=t("pack", lang_()))

    return App(page, server, static_assets={"/assets": str(assets)})


def serve(app: App, host: str, port: int, open_browser: bool) -> None:
    """Serve the page until interrupted (and open it in the browser unless told not to)."""
    # shiny sets run_app to None only under Pyodide (in the browser), where the studio never runs
    assert run_app is not None
    run_app(app, host=host, port=port, launch_browser=open_browser, log_level="warning", app_dir=None)
