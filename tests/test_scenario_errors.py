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
    assert "positive whole number" in r.stderr and "Traceback" not in r.stderr


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
