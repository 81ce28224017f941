"""The national evaluation for any zone and any data year, from what the planner could know.

A zone file with a rank target is calibrated to the national facts dated before its plan starts
(scenarios/national_facts.csv, sim.ranking.config.national): later facts change no byte; a 2024 plan
ranks against 2023 peers; the rank target is the rank every output names; a zone that states
none of the optional counts runs; the Qinzhou baseline keeps its 2021 calibration.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import tomli_w

from sim.cli import main
from sim.cli.new_zone import template
from sim.ranking.config import MethodBelief, national
from sim.ranking.config.fill import filled_notes
from sim.report.texts.labels import indicator_label
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]
START = 2024
RUN = ["--reps", "8", "--seed", "2", "--workers", "1", "-q", "--no-report"]


def zone_file(tmp: Path, start: int = START, rank: int = 80) -> Path:
    """The new-zone template moved to a plan starting in ``start``, with a rank target for its last
    year and only the province's trade stated for the evaluation (no optional counts)."""
    z = tomllib.loads(template("en", "zone.toml").replace("2027", str(start + 1)).replace("2026", str(start)))
    z["targets"]["rank"] = {str(start + 1): rank}
    z["ranking"] = {"zone": {"province_trade_yi": 1000}}  # the only statement a rank target needs
    p = tmp / "zone.toml"
    p.write_text(tomli_w.dumps(z), encoding="utf-8")
    return p


def facts_without_later_rows(tmp: Path, start: str) -> Path:
    """A copy of the facts table keeping only the rows dated before ``start`` (YYYY-MM)."""
    day = national.plan_day(start)
    with open(national.FACTS_CSV, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kept = [r for r in rows if dt.date.fromisoformat(r["dated"]) < day]
    assert 0 < len(kept) < len(rows)  # the cut removes something and keeps something
    out = tmp / "facts_cut.csv"
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(kept)
    return out


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file a run wrote, manifest without its run date."""
    got = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            if p.name == "manifest.json":
                m = json.loads(data)
                m.pop("run_date", None)
                data = json.dumps(m, sort_keys=True).encode()
            got[str(p.relative_to(folder))] = data
    return got


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same 2024 zone run twice: with every fact, and with the facts dated after its start removed."""
    tmp = tmp_path_factory.mktemp("national")
    p = zone_file(tmp)
    full, cut = tmp / "full", tmp / "cut"
    assert main(["run", str(p), "--out", str(full), *RUN]) == 0
    mp = pytest.MonkeyPatch()
    try:
        mp.setattr(national, "FACTS_CSV", facts_without_later_rows(tmp, f"{START}-01"))
        assert main(["run", str(p), "--out", str(cut), *RUN]) == 0
    finally:
        mp.undo()
    return p, full, cut


def test_no_look_ahead_facts_after_the_plan_change_no_byte(runs):
    _, full, cut = runs
    a, b = outputs(full), outputs(cut)
    assert {"ranking.csv", "summary.csv", "peers.csv", "indicators.csv", "scenario.resolved.toml"} <= set(a)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_a_fact_known_before_the_plan_does_change_the_calibration(tmp_path, monkeypatch):
    """The control of the test above: the facts are really read (a cut that kept everything would pass it)."""
    p = zone_file(tmp_path)
    before = load_scenario(p).scenario.ranking.peers.n_peers
    with open(national.FACTS_CSV, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["indicator"] == "cbz_count" and r["year"] == "2023":
            r["value"] = str(int(r["value"]) + 10)
    edited = tmp_path / "facts_edited.csv"
    with open(edited, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    monkeypatch.setattr(national, "FACTS_CSV", edited)
    assert load_scenario(p).scenario.ranking.peers.n_peers == before + 10


def test_base_year_2023_ranks_in_2024_against_peers_calibrated_to_2023(runs):
    p, full, _ = runs
    r = load_scenario(p).scenario.ranking
    assert r.peers.calibration_year == START - 1 == 2023
    # facts dated before 2024-01: 161 CBZs (2023-08) and 80,132.51亿元 of special-zone trade in 2023,
    # of which the CBZs' share of the 167 special zones
    assert r.peers.n_peers == 161 - 1
    assert r.peers.trade.total_yi == pytest.approx(80132.51 * 161 / 167, rel=1e-12)
    # the concentration customs published (special zones: top five 31.97% in 2023, top thirty 73.9% in
    # 2022) replaces the methods file's ranges, on the CBZs' share of the zones as for the total
    assert r.peers.trade.top5_share == pytest.approx(0.3197 / (161 / 167), abs=1e-6)
    assert r.peers.trade.top30_share == pytest.approx(0.739 / (156 / 165), abs=1e-6)
    # the revision was issued on 2024-01-08, after the plan's start: a planner cannot be sure of it
    assert r.method_weights(2024) == {"eval2020": 0.5, "eval2024": 0.5}
    ranking = pd.read_csv(full / "ranking.csv")
    main_rows = ranking[(ranking["variant"] == "main") & (ranking["year"] == START)]
    assert len(main_rows) == 3 and main_rows["rank_p50"].between(1, r.evaluated(START).high).all()


def belief(**changes) -> MethodBelief:
    """The method belief the methods file ships, with ``changes``."""
    with open(ROOT / "scenarios" / "evaluation_methods.toml", "rb") as f:
        return MethodBelief.model_validate(tomllib.load(f)["ranking"]["method_belief"] | changes)


def test_a_later_plan_uses_the_revision_and_the_latest_round():
    known = national.known_before(national.load_facts(), "2026-01")
    got = national.national_inputs(known, [2026, 2027], "east", 1, 6, belief=belief())
    assert got.methods == {"2026": "eval2024", "2027": "eval2024"}
    assert got.evaluated["2023"] == (150, 150)  # the 2023 round, published 2024-11
    lo, hi = got.evaluated["2026"]
    assert 150 <= lo <= hi <= got.n_zones - 1 + 1 + 1
    early = national.national_inputs(national.known_before(national.load_facts(), "2024-01"), [2024], "east", 1, 6)
    assert "2023" not in early.evaluated  # not yet published when a 2024 plan starts


def test_the_reference_rank_follows_the_target(runs):
    p, full, _ = runs
    sc = load_scenario(p).scenario
    assert sc.ranking.reference_rank == 80
    ranking = pd.read_csv(full / "ranking.csv")
    assert set(ranking["measure"]) == {"rank<=80", "board_rank<=80", "class_a"}
    summary = pd.read_csv(full / "summary.csv")
    rank_rows = summary[summary.iloc[:, 0].astype(str).str.startswith("rank_")]
    assert len(rank_rows) == 1 and "80" in rank_rows.to_csv()
    peers = pd.read_csv(full / "peers.csv")
    assert not peers["statistic"].str.contains("60").any()
    ref = peers[peers["statistic"] == "reference_rank"]
    assert len(ref) == 2 and (ref[["mean", "p10", "p50", "p90"]] == 80).all().all()
    assert "80th" in indicator_label("peers_trade_at_reference_rank", "en", sc)
    assert "第80名" in indicator_label("peers_score_at_reference_rank", "zh", sc)


def test_board_rank_never_exceeds_national_rank(runs):
    _, full, _ = runs
    ind = pd.read_csv(full / "indicators.csv")
    wide = ind[ind["indicator"].isin(["rank", "rank_regional"])].pivot_table(
        index=["rep", "year"], columns="indicator", values="value"
    )
    assert len(wide) == 16
    assert (wide["rank_regional"] <= wide["rank"]).all()
    assert (wide["rank_regional"] < wide["rank"]).any()  # the board is a real subset of the country


def test_a_zone_without_optional_counts_validates_and_runs(runs):
    p, full, _ = runs
    assert main(["validate", str(p)]) == 0
    z = tomllib.loads(p.read_text(encoding="utf-8"))
    assert set(z["ranking"]["zone"]) == {"province_trade_yi"} and "counts" not in z.get("constants", {})
    ind = pd.read_csv(full / "indicators.csv")
    assert np.isfinite(ind[ind["indicator"] == "rank"]["value"]).all()


def test_qinzhou_baseline_stays_on_its_2021_facts():
    """The baseline states none of the national facts: its peers are what the facts dated before
    2022-01 give (2021), the same numbers its ranking always had (outputs: bench/outputs_identical.py)."""
    ls = load_scenario(ROOT / "scenarios" / "baseline.toml")
    r = ls.scenario.ranking
    assert (r.peers.calibration_year, r.peers.n_peers, r.peers.n_central_west) == (2021, 154, 73)
    assert r.peers.trade.total_yi == 59000 and r.reference_rank == 60
    assert r.method_by_year == {"2022": "eval2020", "2023": {"eval2020": 0.5, "eval2024": 0.5}}
    assert ls.resolved["ranking"]["peers"]["evaluated_by_year"] == {
        "2019": 127,
        "2022": {"low": 137, "high": 148},
        "2023": {"low": 140, "high": 154},
    }
    for name in ("baseline.toml", "evaluation_methods.toml"):  # neither file states a national fact
        with open(ROOT / "scenarios" / name, "rb") as f:
            rk = tomllib.load(f).get("ranking", {})
        peers = rk.get("peers", {})
        assert not {"calibration_year", "n_peers", "n_central_west", "reference_rank", "method_by_year"} & (
            set(peers) | set(rk)
        )
        assert "total_yi" not in peers.get("trade", {})
        # a count it states is a belief about a data year of the plan; an earlier year's is a fact, from
        # the table when it was known before the plan (the 2021 round's 137 was published in 2022-10)
        assert set(map(int, peers.get("evaluated_by_year", {}))) <= set(ls.scenario.run.years)


def test_a_full_scenario_uses_no_fact_dated_after_its_plan(tmp_path, monkeypatch):
    """The no-look-ahead test on a full TOML scenario: the baseline with every fact dated from 2022-01 on removed."""
    full, cut = tmp_path / "full", tmp_path / "cut"
    base = str(ROOT / "scenarios" / "baseline.toml")
    assert main(["run", base, "--out", str(full), *RUN]) == 0
    monkeypatch.setattr(national, "FACTS_CSV", facts_without_later_rows(tmp_path, "2022-01"))
    assert main(["run", base, "--out", str(cut), *RUN]) == 0
    a, b = outputs(full), outputs(cut)
    assert {"ranking.csv", "peers.csv", "scenario.resolved.toml"} <= set(a) and a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_the_method_belief_is_data_the_planner_may_change():
    base = ROOT / "scenarios" / "baseline.toml"
    assert load_scenario(base).scenario.ranking.method_weights(2023) == {"eval2020": 0.5, "eval2024": 0.5}
    later = load_scenario(base, ["ranking.method_belief.mixed_year=2024"]).scenario.ranking
    assert later.method_weights(2023) == {"eval2020": 1.0}
    sure = load_scenario(base, ["ranking.method_by_year.2023=eval2024"]).scenario.ranking  # a stated year wins
    assert sure.method_weights(2023) == {"eval2024": 1.0}
    known = national.known_before(national.load_facts(), "2026-01")
    got = national.national_inputs(known, [2026, 2027], "east", 1, 6, belief=belief(revision_from=2027))
    assert got.methods == {"2026": {"eval2020": 0.5, "eval2024": 0.5}, "2027": "eval2024"}


def test_each_data_year_ranks_against_its_own_target(tmp_path):
    """Rank targets of 100 in the first year and 80 in the second: each year's rank names its measures and peers."""
    p = zone_file(tmp_path)
    z = tomllib.loads(p.read_text(encoding="utf-8"))
    z["targets"]["rank"] = {str(START): 100, str(START + 1): 80}
    p.write_text(tomli_w.dumps(z), encoding="utf-8")
    r = load_scenario(p).scenario.ranking
    assert (r.reference_rank_in(START), r.reference_rank_in(START + 1)) == (100, 80)
    out = tmp_path / "out"
    assert main(["run", str(p), "--out", str(out), *RUN]) == 0
    ranking = pd.read_csv(out / "ranking.csv")
    main_rows = ranking[ranking["variant"] == "main"]
    assert set(main_rows[main_rows["year"] == START]["measure"]) == {"rank<=100", "board_rank<=100", "class_a"}
    assert set(main_rows[main_rows["year"] == START + 1]["measure"]) == {"rank<=80", "board_rank<=80", "class_a"}
    peers = pd.read_csv(out / "peers.csv")
    ref = peers[peers["statistic"] == "reference_rank"].set_index("year")["p50"]
    assert ref.to_dict() == {START: 100, START + 1: 80}


def test_a_stated_reference_rank_that_contradicts_the_target_is_refused(tmp_path, capsys):
    child = tmp_path / "whatif.toml"
    child.write_text(
        f'extends = "{(ROOT / "scenarios" / "baseline.toml").as_posix()}"\n[ranking]\nreference_rank = 80\n',
        encoding="utf-8",
    )
    assert main(["validate", str(child)]) == 2
    err = capsys.readouterr().err
    assert "ranking.reference_rank: 80 for data year 2023" in err and "targets.rank_2023" in err
    assert "Traceback" not in err
    agreeing = tmp_path / "agree.toml"
    agreeing.write_text(child.read_text(encoding="utf-8").replace("80", "60"), encoding="utf-8")
    assert main(["validate", str(agreeing)]) == 0


def test_a_2021_to_2023_plan_ranks_in_every_data_year_and_a_plan_without_a_recent_count_is_refused(tmp_path, capsys):
    """A province's three-year plan from 2021-01 (base year 2020): the facts then known give the peers
    (149 CBZs at the end of 2020; no regional count yet: the methods file's central_west_share) and
    every data year its method and evaluated count; a plan of 2020-01 knows only the 2016 count of
    CBZs beside the trade of 2019, and is told which fact to add."""
    p = zone_file(tmp_path, start=2021)
    z = tomllib.loads(p.read_text(encoding="utf-8"))
    z["plan"]["horizon_months"] = 36
    z["targets"]["rank"] = {"2023": 80}
    p.write_text(tomli_w.dumps(z), encoding="utf-8")
    r = load_scenario(p).scenario.ranking
    assert (r.peers.calibration_year, r.peers.n_peers, r.peers.trade.total_yi) == (2020, 148, 47700)
    assert r.peers.n_central_west == round(0.5 * 149) - (r.zone.region == "central_west")  # the zone left out
    assert [r.method_weights(y) for y in (2021, 2022)] == [{"eval2020": 1.0}] * 2
    assert r.method_weights(2023) == {"eval2020": 0.5, "eval2024": 0.5}
    assert all(r.evaluated(y).low == 127 and r.reference_rank_in(y) == 80 for y in (2021, 2022, 2023))
    (tmp_path / "early").mkdir()
    assert main(["validate", str(zone_file(tmp_path / "early", start=2020))]) == 2
    err = capsys.readouterr().err
    assert "known before 2020-01" in err and "CBZ count of 2018 or 2019" in err and "Traceback" not in err


def test_a_plan_without_a_recent_count_runs_on_the_count_its_planner_states(tmp_path, capsys):
    """A 2020-01 plan (base year 2019) whose planner states the zones of 2019 (``ranking.peers.n_peers``):
    the peers take that count, every other figure comes from the facts known then, and it runs."""
    p = zone_file(tmp_path, start=2020, rank=60)
    z = tomllib.loads(p.read_text(encoding="utf-8"))
    z["ranking"]["peers"] = {"n_peers": 139}  # a planner's own figure for the end of 2019
    p.write_text(tomli_w.dumps(z), encoding="utf-8")
    r = load_scenario(p).scenario.ranking
    assert (r.peers.calibration_year, r.peers.n_peers) == (2019, 139)
    assert all(r.evaluated(y).high <= 139 + 1 + 10 for y in (2020, 2021))
    out = tmp_path / "out"
    assert main(["run", str(p), "--reps", "8", "--workers", "1", "--no-report", "-q", "--out", str(out)]) == 0
    capsys.readouterr()
    rows = (out / "ranking.csv").read_text(encoding="utf-8-sig")
    assert "2021" in rows and "nan" not in rows.lower()


def test_a_rank_beyond_the_zones_evaluated_is_refused_before_the_run(tmp_path, capsys):
    """Rank 400 of some 150 zones: no zone holds the reference rank, which the run would find only
    after its first replication; validate names the target and the most it can be."""
    p = zone_file(tmp_path, rank=400)
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err
    assert f"targets.rank_{START + 1}: rank <= 400 in data year {START + 1}" in err
    assert "expected a rank of at most 147" in err and "Traceback" not in err


def test_the_plan_may_give_its_own_day_for_the_facts(tmp_path):
    """``ranking.peers.facts_dated_before``: a plan adopted on 2024-02-01 knows the revision issued on
    2024-01-08, which a plan dated by its start month (2024-01) could not."""
    p = zone_file(tmp_path)
    assert load_scenario(p).scenario.ranking.method_weights(START) == {"eval2020": 0.5, "eval2024": 0.5}
    z = tomllib.loads(p.read_text(encoding="utf-8"))
    z["ranking"]["peers"] = {"facts_dated_before": dt.date(2024, 2, 1)}  # a TOML date, as a planner types it
    p.write_text(tomli_w.dumps(z), encoding="utf-8")
    ls = load_scenario(p)
    assert ls.scenario.ranking.method_weights(START) == {"eval2024": 1.0}
    assert ls.resolved["ranking"]["peers"]["facts_dated_before"] == "2024-02-01"


def test_the_values_the_facts_fill_in_carry_their_source(tmp_path):
    """They stand in no scenario file, so the pack's source column takes these notes, not the comment
    of the table around them (which named class A for the reference rank)."""
    notes = filled_notes(load_scenario(ROOT / "scenarios" / "baseline.toml").resolved)
    assert notes["ranking.reference_rank"].startswith("the rank target of each data year")
    assert "national facts known before 2022-01" in notes["ranking.peers.n_peers"]
    assert "eval_zones_evaluated 2019 = 127" in notes["ranking.peers.evaluated_by_year.2019"]
    assert not [
        k for k in notes if ".evaluated_by_year.2022" in k or "top5" in k
    ]  # the baseline's own, the methods file's
    later = filled_notes(load_scenario(zone_file(tmp_path, start=2026)).resolved)
    assert "top-five share" in later["ranking.peers.trade.top5_share"]
    assert "ranking.peers.west_northeast_share" in later and "ranking.peers.evaluated_by_year.2026.low" in later
