"""The what-if page (Shiny for Python) and how it is served on this machine.

The sidebar holds the zone picker (``zones.py``), one control per lever and per editable
base-year figure (``controls.py``), a 中文 / English switch, "Save as scenario" and "Build meeting
pack". Each change submits the what-if to a :class:`~sim.studio.progressive.WhatIfRunner`, which
cancels the previous one; the page polls its latest answer and shows the changes by their labels,
then per target (``table.py``, biggest moves first) the base's and the what-if's anchored P(hit)
with their intervals, the paired difference, the what-if's median value with its 10-90% range and
the growth it needs, and below it the pack's probability chart of base and what-if
(``chart.py``), redrawn as the answer refines. Shiny serves its scripts and styles from the
installed package, and the page's Chinese font is a subset of the bundled Noto Sans CJK served
from a local folder: nothing is fetched from the internet.
"""

from __future__ import annotations

import base64
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs

from shiny import App, reactive, render, run_app, ui
from starlette.applications import Starlette

from sim import api
from sim.analysis.targets import target_specs, widest_half_width
from sim.report.document.html import subset_font
from sim.report.texts.growth_texts import GROWTH_TEXT
from sim.report.texts.growth_words import band_note
from sim.scenario import ScenarioError
from sim.studio import actions
from sim.studio.chart import chart_png
from sim.studio.controls import Control, changes, controls
from sim.studio.progressive import WhatIfRunner
from sim.studio.style import CSS
from sim.studio.table import results_table
from sim.studio.texts import LANGS, all_chinese, t, target_label
from sim.studio.zones import Zone, studio_app, zone_files

CHART_EVERY_S = 2.0
"""Seconds at least between redraws of the live chart while a what-if refines."""


def chart_due(s, drawn: dict, now: float) -> bool:
    """Whether the live chart is worth drawing for answer ``s``, given the last one drawn
    (``drawn``: its job, reps, n_base and time; updated when so): a new what-if's first answer and
    the last answer always; while refining, once the what-if's or the base's replications have
    doubled (its intervals are then visibly narrower: about 1/sqrt(2)) and ``CHART_EVERY_S`` have
    passed. A redraw costs this process over half a second of CPU, which the worker processes
    need on a two-core machine: drawn every 2 s, the chart took more of it than the answers."""
    if s is None or s.table is None:
        return False
    due = (
        s.job != drawn.get("job")
        or (s.done and not drawn.get("done"))
        or (
            now - drawn.get("t", 0.0) >= CHART_EVERY_S
            and (s.reps >= 2 * drawn.get("reps", 0) or s.n_base >= 2 * drawn.get("n_base", 0))
        )
    )
    if due:
        drawn.update(job=s.job, reps=s.reps, n_base=s.n_base, t=now, done=s.done)
    return due


PICK_JS = "window.location.href = this.value"
"""The zone picker opens the chosen zone's page."""


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


def page_app(
    path: str | Path,
    overrides: list[str] | None = None,
    seed: int | None = None,
    max_reps: int = 10_000,
    workers: int | None = None,
    results: str | Path = "results/studio",
    lang: str = "zh",
    save_dir: str | Path | None = None,
    zones: list[Zone] | None = None,
    here: str = "/",
    base_reps: int | None = None,
) -> tuple[App, WhatIfRunner]:
    """The studio's Shiny app for one base scenario (raises ScenarioError if it is invalid), and
    its what-if runner. ``zones``: the zone picker's choices, ``here`` the href of this one.

    One what-if runner serves the app: the studio is a local page for one planner, and every tab
    open on it shows the latest what-if."""
    probe = WhatIfRunner(
        Path(path), list(overrides or []), seed, max_reps, workers, base_reps=base_reps, keep=Path(results) / "base"
    )
    base = probe.base
    ctrls = controls(base)
    by_key = {c.key: c for c in ctrls}
    specs = {s.target_id: s for s in target_specs(base.scenario)}
    assets = Path(tempfile.mkdtemp(prefix="zonesim-studio-"))
    chars = all_chinese(
        [c.label("zh") for c in ctrls]
        + [target_label(s, "zh", base.scenario) for s in specs.values()]
        + [base.scenario.scenario.zone_zh, band_note("zh"), *(zh for zh, _ in GROWTH_TEXT.values()), "▲–—→"]
    )
    zones = zones or []
    chars = all_chinese([chars, *(z.name_zh for z in zones)])
    (assets / "cjk.otf").write_bytes(subset_font(chars))

    def sidebar(lang_: str):
        levers = [_control_input(c, lang_) for c in ctrls if c.section == "levers"]
        others = [_control_input(c, lang_) for c in ctrls if c.section != "levers"]
        return ui.sidebar(
            ui.input_radio_buttons("lang", None, LANGS, selected=lang_, inline=True),
            *([ui.output_ui("zone_picker")] if len(zones) > 1 else []),
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
        ui.div(ui.output_ui("live_chart"), class_="zs-chart"),
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

        def zone_name(lg: str) -> str:
            return base.scenario.scenario.zone_zh if lg == "zh" else base.scenario.scenario.zone

        def change_text(what_if: dict, lg: str) -> str:
            return "; ".join(
                f"{by_key[k].label(lg)}: {by_key[k].value} → {v}" if k in by_key else f"{k} = {v}"
                for k, v in what_if.items()
            )

        def what_if() -> dict:
            return changes(ctrls, {c.input_id: input[c.input_id]() for c in ctrls})

        @reactive.effect
        def _submit():
            runner.submit(what_if())

        @reactive.effect
        def _lang_from_address():  # the zone picker opens a page in the language of the one left
            with reactive.isolate():
                query = input[".clientdata_url_search"]() or ""
            want = parse_qs(query.lstrip("?")).get("lang", [""])[0]
            if want in LANGS and want != lang:
                ui.update_radio_buttons("lang", selected=want)

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
            return f"{t('title', lang_())} · {zone_name(lang_())}"

        @render.ui
        def zone_picker():
            lg = lang_()
            options = [
                ui.tags.option(z.name(lg), value=f"{z.href}?lang={lg}", selected="selected" if z.href == here else None)
                for z in zones
            ]
            return ui.div(
                ui.tags.label(t("zone", lg), **{"for": "zs-zone"}, class_="form-label"),
                ui.tags.select(*options, id="zs-zone", class_="form-select form-select-sm", onchange=PICK_JS),
                class_="mb-2",
            )

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
            changed = t("changes", lg) + change_text(s.what_if, lg) if s.what_if else t("no_change", lg)
            return ui.div(
                ui.div(
                    t(
                        "status" if s.what_if else "status_base",
                        lg,
                        reps=s.reps,
                        max=s.max_reps if s.what_if else runner.base_reps,
                        n_base=s.n_base,
                        half=100 * s.half_width,
                        secs=s.elapsed_s,
                    ),
                    f" · {state}",
                ),
                ui.div(changed, class_="small text-muted"),
                id="zs-status",
                data_reps=str(s.reps),
                data_n_base=str(s.n_base),
                data_done="1" if s.done else "0",
                data_job=str(s.job),
            )

        @render.ui
        def answer():
            s = snapshot()
            if s is None or s.table is None:
                return ui.div()
            lg = lang_()
            own = t("own_widest", lg, half=100 * widest_half_width(s.table, "p_own_low", "p_own_high"))
            return ui.TagList(
                ui.HTML(results_table(s.table, specs, base.scenario, lg)),
                ui.p(t("crn", lg, n=s.reps, n_base=s.n_base, own=own), class_="small text-muted", id="zs-crn"),
            )

        drawn: dict = {}
        chart_key = {"version": 0}

        def chart_version() -> int:
            s = runner.latest
            if chart_due(s, drawn, time.perf_counter()):
                chart_key["version"] += 1
                chart_key["snapshot"] = s
            return chart_key["version"]

        @reactive.poll(chart_version, 0.25)
        def chart_snapshot():
            return chart_key.get("snapshot")

        @render.ui
        def live_chart():
            s, lg = chart_snapshot(), lang_()
            if s is None or s.table is None:
                return ui.div()
            t0 = time.perf_counter()
            png = chart_png(s.table, base.scenario, lg, zone_name(lg), base.name, runner.seed)
            data = base64.b64encode(png).decode("ascii")
            return ui.img(
                src=f"data:image/png;base64,{data}",
                id="zs-live-chart",
                alt=t("chart_alt", lg),
                data_reps=str(s.reps),
                data_n_base=str(s.n_base),
                data_lang=lg,
                data_draw_s=f"{time.perf_counter() - t0:.2f}",
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

    return App(page, server, static_assets={"/assets": str(assets)}), probe


def make_app(
    path: str | Path,
    overrides: list[str] | None = None,
    seed: int | None = None,
    max_reps: int = 10_000,
    workers: int | None = None,
    results: str | Path = "results/studio",
    lang: str = "zh",
    save_dir: str | Path | None = None,
    base_reps: int | None = None,
) -> Starlette:
    """The studio: the page of the base scenario at ``/`` and one per zone file found under its
    folder at ``/zone/<name>/`` (``sim.studio.zones``), with the zone picker on each. Raises
    ScenarioError if the base scenario is invalid; a broken zone file shows its reason when picked."""
    base = api.load_scenario(Path(path), list(overrides or []))
    zones = zone_files(Path(path), base.scenario.scenario.zone_zh, base.scenario.scenario.zone)

    def build(z: Zone):
        own = z.href == "/"
        return page_app(
            z.path if not own else path,
            overrides if own else None,
            seed if own else None,
            max_reps,
            workers,
            results,
            lang,
            save_dir,
            zones,
            z.href,
            base_reps,
        )

    return studio_app(zones, build)


def serve(app: App | Starlette, host: str, port: int, open_browser: bool) -> None:
    """Serve the page until interrupted (and open it in the browser unless told not to)."""
    # shiny sets run_app to None only under Pyodide (in the browser), where the studio never runs
    assert run_app is not None
    run_app(app, host=host, port=port, launch_browser=open_browser, log_level="warning", app_dir=None, dev_mode=False)
