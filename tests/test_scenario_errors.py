"""CLI tier: every user-caused scenario problem exits 2 with one message naming file and key."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import expect_error

from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


def write(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


def child(tmp_path, body, name="whatif.toml"):
    """A what-if scenario extending the real baseline."""
    return write(tmp_path, name, f'extends = "{BASELINE.as_posix()}"\n' + textwrap.dedent(body))


def test_baseline_is_valid(capsys):
    assert main(["validate", str(BASELINE)]) == 0
    out = capsys.readouterr().out
    assert "valid scenario 'baseline'" in out
    assert "warning:" in out  # the plan's own inconsistencies are stated


def test_malformed_toml(tmp_path, capsys):
    p = write(tmp_path, "bad.toml", "[run\nseed = 1\n")
    expect_error(capsys, ["validate", str(p)], "bad.toml", "malformed TOML")


def test_unknown_key(tmp_path, capsys):
    p = child(tmp_path, "[levers]\npromotion_event_per_year = 3\n")
    expect_error(capsys, ["validate", str(p)], "whatif.toml", "levers.promotion_event_per_year", "unknown key")


def test_wrong_type(tmp_path, capsys):
    p = child(tmp_path, '[levers]\npromotion_events_per_year = "many"\n')
    expect_error(capsys, ["validate", str(p)], "whatif.toml", "levers.promotion_events_per_year", "integer")


def test_impossible_distribution(tmp_path, capsys):
    p = child(
        tmp_path,
        '[uncertainties.sectors.cbec]\nsign_prob = { dist = "triangular", low = 0.5, mode = 0.2, high = 0.9 }\n',
    )
    expect_error(
        capsys, ["validate", str(p)], "whatif.toml", "uncertainties.sectors.cbec.sign_prob", "low <= mode <= high"
    )


def test_probability_out_of_range(tmp_path, capsys):
    p = child(tmp_path, '[uncertainties.sectors.cbec]\nsign_prob = { dist = "uniform", low = 0.5, high = 1.5 }\n')
    expect_error(capsys, ["validate", str(p)], "uncertainties.sectors.cbec.sign_prob", "[0, 1]")


def test_missing_extends_parent(tmp_path, capsys):
    p = write(tmp_path, "orphan.toml", 'extends = "nowhere.toml"\n')
    expect_error(capsys, ["validate", str(p)], "orphan.toml", "extends", "nowhere.toml")


def test_extends_cycle(tmp_path, capsys):
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    expect_error(capsys, ["validate", str(tmp_path / "a.toml")], "extends", "cycle")


def test_project_dependency_cycle(tmp_path, capsys):
    p = child(
        tmp_path,
        """
        [constants.projects.fifth_street]
        depends_on = ["east_checkpoint"]
        [constants.projects.east_checkpoint]
        depends_on = ["fifth_street"]
        """,
    )
    expect_error(capsys, ["validate", str(p)], "dependency cycle", "fifth_street", "east_checkpoint")


def test_target_unit_mismatch(tmp_path, capsys):
    p = child(tmp_path, '[targets.fdi_2022]\nunit = "亿美元"\n')
    expect_error(capsys, ["validate", str(p)], "targets.fdi_2022.unit", "万美元")


def test_target_unknown_indicator(tmp_path, capsys):
    p = child(tmp_path, '[targets.fdi_2022]\nindicator = "fdi"\n')
    expect_error(capsys, ["validate", str(p)], "targets.fdi_2022.indicator", "unknown indicator")


def test_target_year_outside_horizon(tmp_path, capsys):
    p = child(tmp_path, "[targets.fdi_2022]\nyear = 2025\n")
    expect_error(capsys, ["validate", str(p)], "targets.fdi_2022.year", "outside")


def test_land_beyond_fenced_area(tmp_path, capsys):
    p = child(tmp_path, "[constants]\nfenced_area_km2 = 5.0\n")
    expect_error(capsys, ["validate", str(p)], "fenced area")


def test_set_override_unknown_key(capsys):
    expect_error(capsys, ["validate", str(BASELINE), "--set", "levers.nope=1"], "--set levers.nope=1", "unknown key")


def test_set_override_bad_value(capsys):
    expect_error(capsys, ["validate", str(BASELINE), "--set", "run.horizon_months=-3"], "run.horizon_months", "--set")


def test_set_override_reaches_defaulted_key():
    from sim.scenario import load_scenario

    s = load_scenario(BASELINE, ["targets.trade_total_2022.active=false"]).scenario
    assert s.targets["trade_total_2022"].active is False


def test_set_override_breaking_table_rule_names_the_override(capsys):
    expect_error(
        capsys,
        ["validate", str(BASELINE), "--set", "run.horizon_months=30"],
        "--set run.horizon_months=30",
        "multiple of 12",
    )


def test_error_names_the_file_that_set_the_key(tmp_path, capsys):
    """A bad value inherited from a parent is reported against the parent file."""
    write(
        tmp_path,
        "parent.toml",
        BASELINE.read_text(encoding="utf-8")
        .replace("promotion_events_per_year = 2 ", "promotion_events_per_year = -2 ")
        .replace(
            'extends = "evaluation_methods.toml"',
            f'extends = "{(BASELINE.parent / "evaluation_methods.toml").as_posix()}"',
        ),
    )
    kid = write(tmp_path, "kid.toml", 'extends = "parent.toml"\n[scenario]\nname = "kid"\n')
    err = expect_error(capsys, ["validate", str(kid)], "levers.promotion_events_per_year")
    assert "parent.toml" in err and "kid.toml" not in err


def test_reserved_and_colliding_ids(tmp_path, capsys):
    p = child(
        tmp_path,
        """
        [targets.ALL_2022]
        indicator = "trade_total"
        year = 2022
        op = ">="
        threshold = 1
        unit = "亿元"
        source = "test"
        """,
    )
    expect_error(capsys, ["validate", str(p)], "targets.ALL_2022", "reserved")


def test_gated_sector_cannot_start_with_firms(tmp_path, capsys):
    p = child(tmp_path, "[base_year.enterprises]\ncbec = 5\n")
    expect_error(capsys, ["validate", str(p)], "base_year.enterprises.cbec", "cbec_site")


def test_poisson_distribution_accepted_where_nonnegative(tmp_path):
    from sim.scenario import load_scenario

    p = child(tmp_path, '[uncertainties.promotion]\nleads_per_event = { dist = "poisson", mean = 12 }\n')
    d = load_scenario(p).scenario.uncertainties.promotion.leads_per_event
    assert d.support[0] == 0 and d.mean() == 12


def test_set_override_applies(capsys):
    assert main(["validate", str(BASELINE), "--set", "run.seed=5"]) == 0
    assert "seed 5" in capsys.readouterr().out


def test_missing_file(capsys):
    expect_error(capsys, ["validate", "no/such/file.toml"], "no/such/file.toml", "not found")


def test_bad_cli_option_exits_2():
    r = subprocess.run(
        [sys.executable, str(ROOT / "run_sim.py"), "run", str(BASELINE), "--reps", "0"], capture_output=True, text=True
    )
    assert r.returncode == 2
    assert "expected a whole number in [1, 100,000], got 0" in r.stderr and "Traceback" not in r.stderr


def test_subprocess_error_has_no_traceback(tmp_path):
    p = child(tmp_path, "[levers]\nbogus = 1\n")
    r = subprocess.run(
        [sys.executable, str(ROOT / "run_sim.py"), "run", str(p), "--reps", "2"], capture_output=True, text=True
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "levers.bogus" in r.stderr


def test_deep_merge_keeps_siblings(tmp_path):
    from sim.scenario import load_scenario

    p = child(tmp_path, '[levers.milestone_month]\ncbec_site = "2022-03"\n')
    s = load_scenario(p).scenario
    assert s.levers.milestone_month["cbec_site"] == "2022-03"
    assert s.levers.milestone_month["vat_pilot"] == "2022-12"  # inherited sibling


def test_distribution_table_replaces_whole(tmp_path):
    from sim.scenario import load_scenario

    p = child(tmp_path, '[uncertainties.sectors.cbec]\nsign_prob = { dist = "uniform", low = 0.1, high = 0.2 }\n')
    d = load_scenario(p).scenario.uncertainties.sectors["cbec"].sign_prob
    assert (d.dist, d.low, d.high) == ("uniform", 0.1, 0.2)


@pytest.mark.parametrize("name", ["promotion_push", "early_cbec", "annex_logistics_target"])
def test_what_if_scenarios_valid(name, capsys):
    assert main(["validate", str(ROOT / "scenarios" / f"{name}.toml")]) == 0


# ----------------------------------------------------------------------------- strict types, encodings (issue 13)


@pytest.mark.parametrize(
    "override, key",
    [
        ("uncertainties.sectors.processing.sign_prob=nan", "uncertainties.sectors.processing.sign_prob"),
        ("targets.trade_total_2023.threshold=nan", "targets.trade_total_2023.threshold"),
        ("constants.fenced_area_km2=inf", "constants.fenced_area_km2"),
        (
            "constants.projects.logistics_park.lead_rate_multiplier.logistics=nan",
            "constants.projects.logistics_park.lead_rate_multiplier.logistics",
        ),
        ("run.seed=true", "run.seed"),
        ("levers.promotion_events_per_year=true", "levers.promotion_events_per_year"),
        ('targets.trade_total_2023.threshold="200"', "targets.trade_total_2023.threshold"),
        ('targets.trade_total_2023.year="2023"', "targets.trade_total_2023.year"),
        ('targets.trade_total_2023.active="yes"', "targets.trade_total_2023.active"),
        ("extends=nosuch.toml", "extends"),
    ],
)
def test_strict_values_are_refused_before_running(capsys, override, key):
    expect_error(capsys, ["validate", str(BASELINE), "--set", override], f"--set {override}", key)


def test_utf8_bom_is_read(tmp_path, capsys):
    p = tmp_path / "bom.toml"
    p.write_bytes(b"\xef\xbb\xbf" + f'extends = "{BASELINE.as_posix()}"\n'.encode())
    assert main(["validate", str(p)]) == 0, capsys.readouterr().err


def test_gbk_parent_is_refused_with_how_to_fix(tmp_path, capsys):
    parent = tmp_path / "parent.toml"
    parent.write_bytes(BASELINE.read_text(encoding="utf-8").encode("gb18030"))
    kid = write(tmp_path, "kid.toml", 'extends = "parent.toml"\n')
    expect_error(capsys, ["validate", str(kid)], "parent.toml", "GBK", "save it as UTF-8")


def test_empty_extends(tmp_path, capsys):
    p = write(tmp_path, "e.toml", 'extends = ""\n')
    expect_error(capsys, ["validate", str(p)], "e.toml: extends: empty file name")


def test_error_in_inherited_table_names_the_child(tmp_path, capsys):
    p = child(tmp_path, '[ranking.method_by_year]\n"20x3" = "eval2020"\n')
    expect_error(capsys, ["validate", str(p)], "whatif.toml: ranking.method_by_year", "'20x3'")


def _all_problems(capsys, argv, n: int) -> list[str]:
    """Run argv; assert exit 2, no traceback and a message listing ``n`` problems; return them."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.rstrip("\n").split("\n")
    assert lines[0] == f"error: {n} problems; fix them all, then try again:", err
    assert len(lines) == n + 1 and all(line.startswith("  ") for line in lines[1:]), err
    return lines[1:]


def test_every_problem_at_once_each_naming_the_file_that_holds_it(tmp_path, capsys):
    child(tmp_path, "[uncertainties.sectors.cbec]\nsign_prob = 1.5\n", name="parent.toml")
    kid = write(
        tmp_path,
        "kid.toml",
        'extends = "parent.toml"\n[levers]\npromotion_event_per_year = 3\n'
        "[uncertainties.macro]\nvolatility_per_month = 1e308\n",
    )
    lines = _all_problems(capsys, ["validate", str(kid)], 3)
    text = "\n".join(lines)
    assert "parent.toml: uncertainties.sectors.cbec.sign_prob: expected a value in [0, 1]" in text
    assert "kid.toml: levers.promotion_event_per_year: unknown key" in text
    assert "kid.toml: uncertainties.macro.volatility_per_month: expected a value in [0, 0.5]" in text


def test_cross_field_checks_report_every_problem(capsys):
    sets = [
        "constants.leaders.processing.sector=nosuch",
        "targets.trade_total_2023.unit=USD",
        "targets.trade_total_2022.alternative_of=nosuch",
    ]
    argv = ["validate", str(BASELINE)] + [a for s in sets for a in ("--set", s)]
    lines = _all_problems(capsys, argv, 3)
    for key in ("constants.leaders.processing.sector", "targets.trade_total_2023.unit", "alternative_of"):
        assert any(key in line for line in lines), lines


@pytest.mark.parametrize(
    "override,key,expected",
    [
        ("base_year.trade_processing.high=1e308", "base_year.trade_processing", "[0, 100000] 亿元"),
        ("uncertainties.sectors.logistics.trade_sigma=1e308", "uncertainties.sectors.logistics.trade_sigma", "[0, 3]"),
        (
            "constants.projects.fifth_street.lead_rate_multiplier.logistics=1e308",
            "constants.projects.fifth_street.lead_rate_multiplier.logistics",
            "[0, 100]",
        ),
        ("uncertainties.macro.volatility_per_month=1e308", "uncertainties.macro.volatility_per_month", "[0, 0.5]"),
        ("uncertainties.macro.growth_per_year.sd=1e300", "uncertainties.macro.growth_per_year", "[-2, 2]"),
        ("run.replications=1000000000", "run.replications", "100000"),
    ],
)
def test_values_that_once_broke_or_spoiled_a_run_are_refused_by_validate(capsys, override, key, expected):
    expect_error(capsys, ["validate", str(BASELINE), "--set", override], key, expected)


def test_too_many_targets_are_refused_before_running(tmp_path, capsys):
    body = "".join(
        f'[targets.t{i}]\nindicator = "trade_total"\nyear = 2023\nop = ">="\nthreshold = {i}\n'
        f'unit = "亿元"\nsource = "x"\n'
        for i in range(501)
    )
    p = child(tmp_path, body)
    expect_error(capsys, ["validate", str(p)], "whatif.toml: targets", "at most 500")


def test_ranges_table_in_the_docs_is_current():
    from sim.scenario.range_docs import table

    docs = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    assert table() in docs, "docs/scenarios.md: regenerate the ranges table (python -m sim.scenario.range_docs)"


def test_a_count_the_ranking_scores_but_the_zone_does_not_produce_is_refused_by_validate(tmp_path, capsys):
    import tomli_w

    from sim.scenario import load_scenario

    data = load_scenario(BASELINE).resolved
    data.pop("extends", None)
    for sec in ("constants", "uncertainties"):
        data[sec]["counts"].pop("patents")
    data["targets"] = {k: t for k, t in data["targets"].items() if t["indicator"] != "patents"}
    p = tmp_path / "no_patents.toml"
    p.write_text(tomli_w.dumps(data), encoding="utf-8")
    expect_error(capsys, ["validate", str(p)], "no_patents.toml: ranking.zone.fallback", "patents")
