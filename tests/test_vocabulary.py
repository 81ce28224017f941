"""The vocabulary registries: outcomes, levers, parameter labels, months and plan warnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sim.analysis.targets import TargetSpec, plan_warnings, scenario_warnings
from sim.experiment.levers import catalogue
from sim.experiment.runner import run_replication
from sim.months import (
    check_month,
    is_month,
    month_at,
    month_end,
    month_labels,
    month_of_end,
    month_offset,
    parse_data_month,
)
from sim.report.texts.key_labels import key_label
from sim.report.texts.labels import indicator_label
from sim.report.texts.plan_warnings import english, render, warning_text
from sim.scenario import load_scenario
from sim.scenario.params import uncertain_paths
from sim.scenario.schema import LeverRanges, Levers, indicator_ids
from sim.vocabulary.levers import LEVERS
from sim.vocabulary.outcomes import (
    BASE_PREFIX,
    FLOW_INDICATORS,
    MODEL_INDICATORS,
    OBSERVABLE,
    OUTCOMES,
    in_vocabulary_order,
    indicator_unit,
)
from sim.vocabulary.parameters import GROUPS, KEYS, group_label, group_of, param_label

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


@pytest.fixture(scope="module")
def base():
    return load_scenario(BASELINE)


# ----------------------------------------------------------------------------- outcomes


def test_every_emitted_indicator_has_an_entry_in_both_languages(base):
    sc = base.scenario
    _, _, res = run_replication(sc, 7, 0)
    units = indicator_ids(sc)
    for name in {*res.yearly, *res.monthly}:
        name = name.removeprefix(BASE_PREFIX)  # a base-year value is one of an indicator
        assert name in units, f"{name}: the model emits it but the scenario's indicator list lacks it"
        zh, en = indicator_label(name, "zh", sc), indicator_label(name, "en", sc)
        assert zh and en and zh != name and en != name, f"{name}: no label"
    for name in MODEL_INDICATORS:
        assert name in res.yearly
    for o in OUTCOMES.values():
        assert o.zh and o.en and o.kind in ("flow", "stock", "yearly") and o.source in ("model", "ranking", "summary")


def test_every_model_indicator_has_a_computation_and_every_computation_an_entry(base):
    """A replication's monthly series are the vocabulary's model indicators, by name and in its
    order, then the scenario's families; a name on one side only fails, naming it."""
    _, _, res = run_replication(base.scenario, 7, 0)
    own = [n for n in res.monthly if not n.startswith(("leaders_", "done_"))]
    assert own == list(MODEL_INDICATORS)
    computed = {k: k for k in MODEL_INDICATORS}
    assert in_vocabulary_order(computed) == list(MODEL_INDICATORS)
    with pytest.raises(ValueError, match=r"no computation for \['fdi_usd'\]"):
        in_vocabulary_order({k: v for k, v in computed.items() if k != "fdi_usd"})
    with pytest.raises(ValueError, match=r"no vocabulary entry .* for \['port_calls'\]"):
        in_vocabulary_order({**computed, "port_calls": "port_calls"})


def test_derived_lists():
    assert set(FLOW_INDICATORS) <= set(MODEL_INDICATORS)
    assert set(OBSERVABLE) <= set(MODEL_INDICATORS)
    assert all(OUTCOMES[i].kind == "flow" for i in FLOW_INDICATORS)
    assert indicator_unit("leaders_x") == "count" and indicator_unit("done_x") == "0/1"
    assert indicator_unit("rank_variant_main") == "rank" and indicator_unit("peers_top5_share") == "share"
    with pytest.raises(KeyError):
        indicator_unit("not_an_indicator")


# ----------------------------------------------------------------------------- levers


def test_every_lever_has_one_registry_entry(base):
    assert list(Levers.model_fields) == list(LEVERS) == list(LeverRanges.model_fields)
    for lv in catalogue(base.scenario):
        groups = [g for g in LEVERS if lv.id == g or lv.id.startswith(g + ".")]
        assert groups == [lv.id.split(".")[0]], lv.id
        d = LEVERS[groups[0]]
        assert lv.definition is d and lv.kind == d.kind and lv.unit == d.unit
        assert lv.allowed == (float(d.low), float(d.high))


def test_schema_takes_lever_bounds_from_the_registry(base):
    from sim.scenario import ScenarioError

    hi = LEVERS["promotion_events_per_year"].high
    load_scenario(BASELINE, [f"levers.promotion_events_per_year={hi:g}"])
    with pytest.raises(ScenarioError):
        load_scenario(BASELINE, [f"levers.promotion_events_per_year={hi + 1:g}"])
    with pytest.raises(ScenarioError):
        load_scenario(BASELINE, [f"levers.infrastructure_funding={LEVERS['infrastructure_funding'].low:g}"])


# ----------------------------------------------------------------------------- parameter labels


def test_every_parameter_and_group_is_labelled_in_both_languages(base):
    sc = base.scenario
    for pair in (*KEYS.values(), *GROUPS.values()):
        assert len(pair) == 2 and all(pair)
    for path, _ in uncertain_paths(sc):
        for lang in ("zh", "en"):
            assert param_label(sc, path, lang) != path, path
            assert group_label(sc, group_of(path), lang) != group_of(path), path
            assert "." not in key_label(path, lang, sc).replace(" · ", ""), path


def test_one_label_for_sensitivity_and_report(base):
    sc = base.scenario
    path = "uncertainties.sectors.processing.rampup_months"
    assert param_label(sc, path, "zh").endswith("：" + KEYS["rampup_months"][0])
    assert key_label(path, "zh", sc).endswith(" · " + KEYS["rampup_months"][0])


# ----------------------------------------------------------------------------- months


@pytest.mark.parametrize("start", ["2022-01", "2021-07", "1999-12"])
def test_months_round_trip(start):
    for k in range(-30, 130):
        m = month_at(k, start)
        assert is_month(m) and month_offset(m, start) == k
        assert month_of_end(month_end(m, start), start) == m and month_end(m, start) == k + 1
    assert month_labels(start, 14) == [month_at(k, start) for k in range(14)]
    assert month_at(0, start) == start


def test_month_text_is_strict_and_data_cells_lenient():
    assert month_offset("2022-12", "2022-01") == 11 and month_end("2022-12", "2022-01") == 12
    for bad in ("2022-1", "2022-13", "2022-00", "22-01", "2022-01\n", " 2022-01", "2022/01"):
        assert not is_month(bad)
        with pytest.raises(ValueError):
            check_month(bad)
    assert check_month("2022-03") == "2022-03"
    for cell, want in (
        ("2022-3", "2022-03"),
        (" 2022/03 ", "2022-03"),
        ("2022.03.31", "2022-03"),
        (dt.date(2022, 3, 31), "2022-03"),
        (dt.datetime(2022, 3, 1), "2022-03"),
        ("2022-13", None),
        ("March 2022", None),
        (None, None),
    ):
        assert parse_data_month(cell) == want


# ----------------------------------------------------------------------------- plan warnings


def test_baseline_warnings_as_before(base):
    ws = scenario_warnings(base.scenario)
    assert [w.kind for w in ws] == ["modes_over", "modes_over", "alternative"]
    assert (
        english(base.scenario)
        == english(base.resolved)
        == [
            "2022: the customs-mode targets add up to more than the total-trade target (processing 15 + "
            "bonded_logistics 50 + general 70 + cbec 10 = 145 亿元 > 106 亿元); total trade is the sum of the modes, "
            "so hitting every mode target overshoots the total by 39 亿元 and the total target adds nothing.",
            "2023: the customs-mode targets add up to more than the total-trade target (processing 17 + "
            "bonded_logistics 110 + general 81 + cbec 20 = 228 亿元 > 200 亿元); total trade is the sum of the modes, "
            "so hitting every mode target overshoots the total by 28 亿元 and the total target adds nothing.",
            "2023 trade_bonded_logistics: the plan gives two figures, 110 (plan 一: 保税物流货物进出口总值超过110亿元) "
            "and 60 (annex 5: 保税物流 2023年力争实现60亿元); 110 is active here and the other is reported but left "
            "out of the joint probability.",
        ]
    )
    zh = [warning_text(t, "zh", base.resolved) for t in english(base.scenario)]
    assert all(ok for _, ok in zh)
    assert zh[2][0] == (
        "2023年保税物流进出口值：规划给出两个数值，110（方案第一部分：保税物流货物进出口总值超过110亿元）和 60"
        "（附件第5项：保税物流 2023年力争实现60亿元）；本次运行采用 110，另一数值照常报告，但不计入联合概率。"
    )
    en = warning_text(english(base.scenario)[2], "en", base.resolved)[0]
    assert en.startswith("2023 Bonded-logistics trade: the plan gives two figures, 110 (plan part 1: 「保税物流货物")
    assert zh[0][0].startswith(
        "2022年：各贸易方式目标之和超过进出口总值目标（加工贸易进出口值 15 + 保税物流进出口值 50 + "
    )
    assert [render(w, "zh", base.scenario) for w in ws] == [t for t, _ in zh]


def test_other_warning_kinds():
    T = {
        "tot": ("trade_total", 300.0, "亿元", "plan A", True),
        "gen": ("trade_general", 120.5, "亿元", "plan B", True),
        "cbec": ("trade_cbec", 30.0, "亿元", "plan C", True),
        "emp_a": ("employees", 5000.0, "persons", "annex 1", True),
        "emp_b": ("employees", 6000.0, "persons", "plan D", True),
        "fdi_a": ("fdi_usd", 1.5, "万美元", "annex 2", False),
        "fdi_b": ("fdi_usd", 2.0, "万美元", "plan E", False),
    }
    specs = [TargetSpec(k, ind, 2024, ">=", thr, u, src, act) for k, (ind, thr, u, src, act) in T.items()]
    ws = plan_warnings(specs, {"emp_a": "emp_b", "fdi_a": "fdi_b"})
    assert [render(w, "en") for w in ws] == [
        "2024: the customs-mode targets add up to less than the total-trade target (general 120.5 + cbec 30 = "
        "150.5 亿元 < 300 亿元); even with every mode target just met, 149.5 亿元 more must come from other modes "
        "or from overshooting.",
        "2024 employees: the plan gives two figures, 6000 (plan D) and 5000 (annex 1); both are active here.",
        "2024 fdi_usd: the plan gives two figures, 2 (plan E) and 1.5 (annex 2); neither is active here.",
    ]
    assert [render(w, "zh") for w in ws] == [
        "2024年：各贸易方式目标之和低于进出口总值目标（一般贸易进出口值 120.5 + 跨境电商进出口额 30 = 150.5亿元 < 300亿元）；"
        "即使各方式目标恰好达成，仍需其他贸易方式或超额完成补足 149.5亿元。",
        "2024年年度从业人数：规划给出两个数值，6000（plan D）和 5000（附件第1项）；两个数值均计入。",
        "2024年实际利用外资：规划给出两个数值，2（plan E）和 1.5（附件第2项）；两个数值均未计入。",
    ]
    assert warning_text("something else", "zh", None) == ("（原文）something else", False)
