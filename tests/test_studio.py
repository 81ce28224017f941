"""The studio's parts without a browser: controls, saved what-ifs and progressive answers (cancelling: test_studio_cancel.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiment.levers import lever_ids
from sim.scenario import ScenarioError
from sim.studio import actions
from sim.studio.answer import answer_table
from sim.studio.controls import EDITABLE_SECTIONS, changes, controls, section_controls
from sim.studio.growth_cells import growth_cell
from sim.studio.progressive import WhatIfRunner, schedule
from sim.studio.table import ranked, value_cell
from sim.studio.zones import zone_files

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


@pytest.fixture(scope="module")
def base():
    return sim.load_scenario(BASELINE)


def test_a_control_for_every_lever_within_its_range(base):
    cs = {c.key: c for c in controls(base)}
    assert [k.removeprefix("levers.") for k in cs if k.startswith("levers.")] == lever_ids(base.scenario)
    ev = cs["levers.promotion_events_per_year"]
    assert ev.kind == "count" and ev.step == 1 and ev.low == 0 and ev.value == 2
    assert cs["levers.infrastructure_funding"].kind == "factor" and cs["levers.infrastructure_funding"].low > 0
    site = cs["levers.milestone_month.cbec_site"]
    assert site.kind == "month" and site.value in site.choices and "2022-03" in site.choices


def test_every_base_year_figure_gets_a_box_that_states_it(base):
    """Every figure of [base_year], a number or a range, gets a box showing its median; typing a
    number states the figure, leaving the median keeps the range."""
    keys = {c.key: c for c in section_controls(base, EDITABLE_SECTIONS)}
    want = {f"base_year.{k}" for k in base.scenario.base_year.given()} | {
        f"base_year.enterprises.{s}" for s in base.scenario.base_year.enterprises
    }
    assert set(keys) == want
    general = keys["base_year.trade_general"]
    assert general.value == pytest.approx(base.scenario.base_year.trade_general.ppf(0.5), abs=1e-4)
    assert "26–50" in general.label("en") and "一般贸易" in general.label("zh")
    values = {c.input_id: c.value for c in keys.values()}
    assert changes(list(keys.values()), values) == {}
    values[general.input_id] = "55"
    assert changes(list(keys.values()), values) == {"base_year.trade_general": 55}
    sim.load_scenario(BASELINE, {"base_year.trade_general": 55})  # a valid what-if


def test_changes_are_only_what_differs(base):
    cs = controls(base)
    ids = {c.key: c.input_id for c in cs}
    values = {c.input_id: c.value for c in cs}
    assert changes(cs, values) == {}
    values[ids["levers.promotion_events_per_year"]] = 4
    values[ids["levers.milestone_month.cbec_site"]] = "2022-03"
    values[ids["levers.infrastructure_funding"]] = None  # a box being typed in: ignored
    assert changes(cs, values) == {"levers.promotion_events_per_year": 4, "levers.milestone_month.cbec_site": "2022-03"}


def test_save_as_scenario_extends_the_base_with_only_the_changes(base, tmp_path):
    what_if = {"levers.promotion_events_per_year": 4, "levers.milestone_month.cbec_site": "2022-03"}
    path = actions.save_scenario(base, "early_site", what_if, tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "extends = " in text and 'cbec_site = "2022-03"' in text and "infrastructure_funding" not in text
    saved = sim.load_scenario(path)
    same = sim.load_scenario(
        BASELINE,
        overrides={
            **what_if,
            "scenario.name": "early_site",
            "scenario.description": saved.scenario.scenario.description,
        },
    )
    assert saved.scenario.model_dump(exclude={"extends"}) == same.scenario.model_dump(exclude={"extends"})
    with pytest.raises(ScenarioError, match="name"):
        actions.save_scenario(base, "../x", what_if, tmp_path)
    with pytest.raises(ScenarioError, match="nothing changed"):
        actions.save_scenario(base, "same", {}, tmp_path)


def test_schedule_grows_to_the_maximum():
    assert schedule(2000) == [200, 600, 1000, 1400, 1800, 2000]
    assert schedule(300) == [200, 300] and schedule(150) == [150]


@pytest.mark.slow
def test_progressive_answer_equals_sim_run_after_a_change():
    """The answer after two quick changes is the second's: its own proportion and paired difference
    equal sim.run's, the shown P(hit) is the anchored estimate on the base's replications, and the
    base grows to base_reps while idle; that the first stops publishing is observed in
    tests/test_studio_cancel.py."""
    r = WhatIfRunner(BASELINE, seed=11, max_reps=600, workers=2, first=200, base_reps=1000)
    try:
        first = r.submit({"levers.promotion_events_per_year": 6})
        what_if = {"levers.promotion_events_per_year": 5, "levers.milestone_month.cbec_site": "2022-03"}
        second = r.submit(what_if)
        s = r.wait(300)
        assert second == first + 1 and s.job == second and s.done and s.reps == 600 and s.error is None
        assert s.n_base == 1000 and (s.table["n_base"] == 1000).all() and (s.table["n_reps"] == 600).all()
        res = sim.run(sim.load_scenario(BASELINE, overrides=what_if), reps=600, seed=11, workers=1, monthly=False)
        p = res.summary.set_index("target_id")["p_hit"]
        assert np.array_equal(s.table["p_own"].to_numpy(), p[s.table["target_id"]].to_numpy())
        ref = sim.run(BASELINE, reps=1000, seed=11, workers=1, monthly=False)
        expected = answer_table(ref, res)
        pd.testing.assert_frame_equal(s.table, expected)
        paired = res.difference(sim.run(BASELINE, reps=600, seed=11, workers=1, monthly=False)).set_index("target_id")
        for col in ("diff", "diff_low", "diff_high"):
            assert np.allclose(s.table[col], paired.loc[s.table["target_id"], col], atol=1e-12)
        base_p = ref.summary.set_index("target_id").loc[s.table["target_id"], "p_hit"].to_numpy()
        assert np.allclose(s.table["p"], np.clip(base_p + s.table["diff"], 0, 1), atol=1e-12)
        summary = res.summary.set_index("target_id").loc[s.table["target_id"]]
        for col in ("base", "growth_needed", "growth_needed_yearly", "yoy_growth_p10", "yoy_growth_p50", "p10", "p50"):
            assert np.array_equal(s.table[col].to_numpy(), summary[col].to_numpy(), equal_nan=True), col
        r.submit({"levers.promotion_events_per_year": -1})
        bad = r.wait(60)
        assert bad.error and "promotion_events_per_year" in bad.error and bad.table is None
    finally:
        r.close()


def _table(diffs: list[float]) -> pd.DataFrame:
    rows = []
    for i, d in enumerate(diffs):
        rows.append(
            dict(
                target_id=f"t{i}",
                indicator="trade_general",
                year=2023,
                op=">=",
                threshold=100.0,
                unit="亿元",
                active=True,
                n_reps=200,
                n_base=800,
                p_ref=0.4,
                p_ref_low=0.37,
                p_ref_high=0.43,
                p=0.4 + d,
                p_low=0.35 + d,
                p_high=0.45 + d,
                p_own=0.4 + d,
                diff=d,
                diff_low=d - 0.02,
                diff_high=d + 0.02,
                p10=70.0,
                p50=88.5,
                p90=120.0,
                growth_needed_yearly=0.12,
            )
        )
    return pd.DataFrame(rows)


YOY = {"yoy_growth_p10": 0.02, "yoy_growth_p50": 0.1, "yoy_growth_p90": 0.2}


def test_the_biggest_moves_come_first_with_the_value_beside_them():
    t = _table([0.01, -0.08, 0.0, 0.05, -0.01])
    assert list(ranked(t)["target_id"]) == ["t1", "t3", "t0", "t4", "t2"]  # ties keep the targets' order
    cell = value_cell(t.iloc[0].to_dict(), "en")
    assert "88.5" in cell and "70.0 to 120" in cell and "needs +12% a year" in cell
    assert "年均需 +12%" in value_cell(t.iloc[0].to_dict(), "zh")
    assert value_cell({**t.iloc[0].to_dict(), "unit": "0/1"}, "en").endswith(">–</td>")
    total = {**t.iloc[0].to_dict(), "indicator": "trade_total"}  # its growth column says the need
    assert "needs" not in value_cell(total, "en") and "needs +12% a year" in growth_cell({**total, **YOY}, "en")


def test_zone_picker_offers_every_zone_file():
    zones = zone_files(BASELINE, "钦州综合保税区", "Qinzhou CBZ")
    assert zones[0].href == "/" and zones[0].path == BASELINE.resolve()
    found = {z.path.name: z for z in zones[1:]}
    examples = sorted(p.name for p in (ROOT / "scenarios" / "examples").glob("illustrative_*.toml"))
    assert examples and all(name in found for name in examples)
    hub = found["illustrative_port_hub.toml"]
    assert hub.href == "/zone/illustrative_port_hub/" and "港口" in hub.name("zh") and "port" in hub.name("en")
    assert all(z.path.name != "early_cbec.toml" for z in zones)  # a what-if of the baseline, not a zone file


def _get(app, path: str) -> tuple[int, str]:
    """GET ``path`` from an ASGI app, without a server: (status, body)."""
    import anyio

    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"localhost")],
        "server": ("localhost", 80),
        "client": ("127.0.0.1", 1),
    }
    anyio.run(app, scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body.decode("utf-8")


def test_a_broken_zone_file_shows_its_reason(tmp_path):
    """The picker offers every file with a [zone] table; one that does not load answers with its
    one-line reason instead of a page, and the base's page is unaffected."""
    from sim.studio.app import make_app

    base = tmp_path / "base.toml"
    base.write_text((ROOT / "tests" / "data" / "tiny.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.toml").write_text('[zone]\nname_zh = "坏"\nfenced_area_km2 = "big"\n', encoding="utf-8")
    app = make_app(base, max_reps=100, workers=1, results=tmp_path / "results")
    status, text = _get(app, "/zone/broken/")
    assert status == 400 and "broken.toml" in text and "Traceback" not in text
    status, text = _get(app, "/")
    assert status == 200 and "zs-status" in text


def test_the_live_chart_is_redrawn_when_its_intervals_have_visibly_narrowed():
    """A new what-if's first answer and the last are drawn; in between only once the replications
    have doubled and CHART_EVERY_S have passed (each redraw takes the page's process over half a
    second of CPU that the workers need)."""
    from types import SimpleNamespace

    from sim.studio.app import CHART_EVERY_S, chart_due

    def snap(job, reps, done=False, n_base=40_000):
        return SimpleNamespace(job=job, reps=reps, n_base=n_base, done=done, table=pd.DataFrame())

    drawn: dict = {}
    seq = [
        (snap(1, 200), 0.0, True),
        (snap(1, 600), CHART_EVERY_S / 2, False),  # doubled, too soon
        (snap(1, 1000), CHART_EVERY_S * 1.2, True),
        (snap(1, 1400), CHART_EVERY_S * 3, False),  # not doubled
        (snap(1, 2200), CHART_EVERY_S * 3.1, True),
        (snap(1, 2600, done=True), CHART_EVERY_S * 3.2, True),  # the last answer
        (snap(1, 2600, done=True), CHART_EVERY_S * 9, False),
        (snap(2, 200), CHART_EVERY_S * 9.1, True),  # a new what-if
        (snap(2, 200, n_base=80_000), CHART_EVERY_S * 11, True),  # the base doubled
    ]
    assert [chart_due(s, drawn, t) for s, t, _ in seq] == [want for _, _, want in seq]
    assert not chart_due(None, drawn, 99.0)
