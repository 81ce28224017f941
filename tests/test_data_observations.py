"""Observed data: the file format, its validation (row number and reason), and the scenario section.

Every user-caused problem in an observations file ends, through the CLI, in one line naming the
file, the row and the reason, exit code 2, no traceback, and nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import expect_error

from sim.cli import main
from sim.data.observations import csv_to_xlsx, read_observations
from sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny_leads.toml"
TEMPLATE = ROOT / "scenarios" / "observations_template.csv"

HEADER = "month,indicator,value,unit\n"
GOOD = HEADER + "2022-01,trade_total,1.5,亿元\n2022-02,trade_total,1.2,亿元\n2022-01,active_enterprises,14,count\n"


def scenario_with(
    tmp_path: Path, csv_text: str | None, name: str = "obs.csv", extra: str = "", file_line: str | None = None
) -> Path:
    """A scenario extending tests/data/tiny_leads.toml whose observations file holds csv_text."""
    if csv_text is not None:
        (tmp_path / name).write_text(csv_text, encoding="utf-8")
    line = file_line if file_line is not None else f'file = "{name}"\n'
    p = tmp_path / "sc.toml"
    p.write_text(f'extends = "{TINY.as_posix()}"\n\n[observations]\n{line}{extra}', encoding="utf-8")
    return p


# ----------------------------------------------------------------------------- good files


def test_template_csv_and_xlsx_hold_the_same_example_rows():
    csv_vals, _ = read_observations(TEMPLATE, "2022-01", 24)
    xlsx_vals, _ = read_observations(TEMPLATE.with_suffix(".xlsx"), "2022-01", 24)
    assert csv_vals == xlsx_vals
    assert {"trade_total", "active_enterprises", "development_rate"} <= set(csv_vals)
    text = TEMPLATE.read_text(encoding="utf-8")
    assert "NOT statistics" in text
    data_rows = [r for r in text.splitlines()[1:] if r and not r.startswith(("#", "month,"))]
    assert data_rows and all(r.endswith("EXAMPLE ONLY - made-up number") for r in data_rows)


def test_template_works_with_the_baseline(capsys):
    assert (
        main(
            [
                "validate",
                str(ROOT / "scenarios" / "baseline.toml"),
                "--set",
                f"observations.file={TEMPLATE.as_posix()}",
                "--set",
                "observations.as_of=latest",
            ]
        )
        == 0
    )


def test_resolved_scenario_embeds_values_and_hash(tmp_path):
    ls = load_scenario(scenario_with(tmp_path, GOOD))
    obs = ls.resolved["observations"]
    assert obs["values"]["trade_total"] == {"2022-01": 1.5, "2022-02": 1.2}
    assert len(obs["sha256"]) == 64
    sc = ls.scenario
    assert sc.observations.months() == ["2022-01", "2022-02"]
    assert sc.observations.as_of is None
    # a changed file changes the scenario's identity (and so its results folder's)
    (tmp_path / "obs.csv").write_text(GOOD.replace("1.2", "1.3"), encoding="utf-8")
    ls2 = load_scenario(tmp_path / "sc.toml")
    assert ls2.sha256 != ls.sha256
    assert ls2.resolved["observations"]["sha256"] != obs["sha256"]


def test_path_is_relative_to_the_file_that_names_it(tmp_path, monkeypatch):
    sub = tmp_path / "zone"
    sub.mkdir()
    (sub / "obs.csv").write_text(GOOD, encoding="utf-8")
    parent = sub / "parent.toml"
    parent.write_text(f'extends = "{TINY.as_posix()}"\n[observations]\nfile = "obs.csv"\n', encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "zone/parent.toml"\n[observations]\nas_of = "2022-02"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sc = load_scenario(child).scenario
    assert sc.observations.as_of_month() == "2022-02"
    # from --set, the path is relative to the working directory
    assert load_scenario(TINY, ["observations.file=zone/obs.csv"]).scenario.observations.values


def test_excel_gbk_thousands_and_comments(tmp_path):
    text = (
        "# a comment line, ignored\n" + "month,indicator,value,unit,source,note\n"
        '2022-01,employees,"1,234",人,统计局,\n'
        "2022/2,trade_total,0.5,100m_cny,,\n\n"
    )
    p = tmp_path / "gbk.csv"
    p.write_bytes(text.encode("gb18030"))
    vals, _ = read_observations(p, "2022-01", 24)
    assert vals == {"trade_total": {"2022-02": 0.5}, "employees": {"2022-01": 1234.0}}
    csv_to_xlsx(p, tmp_path / "same.xlsx")
    assert read_observations(tmp_path / "same.xlsx", "2022-01", 24)[0] == vals


def test_resolved_scenario_reloads_without_the_file(tmp_path):
    """A results folder's scenario.resolved.toml carries its observations."""
    import tomli_w

    ls = load_scenario(scenario_with(tmp_path, GOOD, extra='as_of = "2022-02"\n'))
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "scenario.resolved.toml").write_text(tomli_w.dumps(ls.resolved), encoding="utf-8")
    again = load_scenario(other / "scenario.resolved.toml")
    assert again.sha256 == ls.sha256
    assert again.scenario.observations.values == ls.scenario.observations.values


# ----------------------------------------------------------------------------- bad files

BAD = [
    ("unknown indicator", HEADER + "2022-01,trade_totl,1,亿元\n", ["row 2", "unknown indicator 'trade_totl'"]),
    (
        "event indicator",
        HEADER + "2022-01,trade_total,1,亿元\n2022-03,done_road,1,0/1\n",
        ["row 3", "cannot be observed"],
    ),
    ("wrong unit", HEADER + "2022-01,trade_total,10000,万元\n", ["row 2", "unit '万元' is wrong", "亿元"]),
    (
        "month outside",
        HEADER + "2020-12,trade_total,1,亿元\n",
        ["row 2", "outside the base year and the scenario's", "2021-01 to 2023-12"],
    ),
    ("not a month", HEADER + "2022-13,trade_total,1,亿元\n", ["row 2", "is not a month"]),
    ("duplicated", GOOD + "2022-02,trade_total,1.3,亿元\n", ["row 5", "duplicates row 3", "2022-02"]),
    (
        "non-numeric",
        HEADER + "2022-01,trade_total,1,亿元\n2022-02,trade_total,abc,亿元\n",
        ["row 3", "'abc' is not a number"],
    ),
    ("missing value", HEADER + "2022-01,trade_total,,亿元\n", ["row 2", "missing value"]),
    ("not finite", HEADER + "2022-01,trade_total,nan,亿元\n", ["row 2", "not a number"]),
    ("negative", HEADER + "2022-01,fdi_usd,-5,万美元\n", ["row 2", "negative value -5", "fdi_usd"]),
    ("above 100%", HEADER + "2022-01,development_rate,101,%\n", ["row 2", "above 100%"]),
    (
        "modes exceed total",
        HEADER + "2022-01,trade_total,1,亿元\n2022-01,trade_general,2,亿元\n",
        ["row 2", "less than the customs modes"],
    ),
    ("missing column", "month,indicator,value\n2022-01,trade_total,1\n", ["row 1", "missing column 'unit'"]),
    ("unknown column", "month,indicator,value,unit,comment\n", ["row 1", "unknown column 'comment'"]),
    ("header only", HEADER, ["no observations"]),
    (
        "several problems",
        HEADER + "2022-01,trade_total,-1,亿元\n2022-02,x,1,亿元\n",
        ["row 2", "negative", "(and 1 more problem(s))"],
    ),
]


@pytest.mark.parametrize("case,text,fragments", BAD, ids=[b[0] for b in BAD])
def test_bad_file_rejected_with_row_and_reason(tmp_path, capsys, case, text, fragments):
    sc = scenario_with(tmp_path, text)
    expect_error(capsys, ["validate", str(sc)], "obs.csv", *fragments)


def test_bad_file_run_writes_nothing(tmp_path, capsys):
    sc = scenario_with(tmp_path, HEADER + "2022-01,trade_total,-1,亿元\n")
    out = tmp_path / "out"
    expect_error(
        capsys,
        ["run", str(sc), "--reps", "4", "--workers", "1", "--out", str(out), "-q", "--as-of", "2022-01"],
        "obs.csv",
        "row 2",
        "negative",
    )
    assert not out.exists()


def test_bad_excel_row_number(tmp_path, capsys):
    csv = tmp_path / "src.csv"
    csv.write_text("# note\n" + HEADER + "2022-01,trade_total,1,亿元\n2022-02,trade_total,x,亿元\n", encoding="utf-8")
    csv_to_xlsx(csv, tmp_path / "obs.xlsx")
    sc = scenario_with(tmp_path, None, file_line='file = "obs.xlsx"\n')
    expect_error(capsys, ["validate", str(sc)], "obs.xlsx", "row 4", "not a number")


@pytest.mark.parametrize(
    "name,fragment",
    [
        ("missing.csv", "observations file not found"),
        ("obs.xls", "save the sheet as .xlsx or CSV"),
        ("obs.txt", "expected a .csv or .xlsx file"),
    ],
)
def test_unreadable_files(tmp_path, capsys, name, fragment):
    if name != "missing.csv":
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    sc = scenario_with(tmp_path, None, file_line=f'file = "{name}"\n')
    expect_error(capsys, ["validate", str(sc)], name, fragment)


def test_bad_as_of(tmp_path, capsys):
    sc = scenario_with(tmp_path, HEADER + "2022-03,trade_total,1,亿元\n")
    expect_error(
        capsys,
        ["validate", str(sc), "--set", "observations.as_of=2025-01"],
        "observations.as_of",
        "outside the scenario's months",
    )
    expect_error(
        capsys,
        ["validate", str(sc), "--set", "observations.as_of=2022-02"],
        "observations.as_of",
        "before the first observed month 2022-03",
    )
    expect_error(capsys, ["validate", str(sc), "--set", "observations.as_of=June"], "observations.as_of", "YYYY-MM")
    with pytest.raises(SystemExit):  # argparse rejects a malformed --as-of itself
        main(["run", str(sc), "--as-of", "2022-6"])
    assert "YYYY-MM" in capsys.readouterr().err


def test_as_of_without_observations(tmp_path, capsys):
    out = tmp_path / "out"
    expect_error(
        capsys, ["run", str(TINY), "--as-of", "2022-06", "--out", str(out), "-q"], "observations", "docs/data.md"
    )
    assert not out.exists()


def test_unknown_key_in_section(tmp_path, capsys):
    sc = scenario_with(tmp_path, GOOD, extra="window = 3\n")
    expect_error(capsys, ["validate", str(sc)], "observations.window", "unknown key")


def test_loader_error_is_a_scenario_error(tmp_path):
    with pytest.raises(ScenarioError, match="row 2"):
        load_scenario(scenario_with(tmp_path, HEADER + "2022-01,nope,1,x\n"))


def test_manifest_records_the_data(tmp_path):
    sc = scenario_with(tmp_path, GOOD, extra='as_of = "latest"\n')
    out = tmp_path / "out"
    assert main(["run", str(sc), "--reps", "4", "--workers", "1", "--out", str(out), "-q", "--no-report"]) == 0
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    obs = man["resolved_scenario"]["observations"]
    assert obs["as_of"] == "latest" and len(obs["sha256"]) == 64
    assert obs["values"]["active_enterprises"] == {"2022-01": 14.0}
    assert "[observations.values.trade_total]" in (out / "scenario.resolved.toml").read_text(encoding="utf-8")
