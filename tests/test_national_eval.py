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
from sim.ranking import rank_replication
from sim.ranking.config import RankingConfig, national
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
    # the revision was issued on 2024-01-08, after the plan's start: a planner cannot be sure of it
    assert r.method_weights(2024) == {"eval2020": 0.5, "eval2024": 0.5}
    ranking = pd.read_csv(full / "ranking.csv")
    main_rows = ranking[(ranking["variant"] == "main") & (ranking["year"] == START)]
    assert len(main_rows) == 3 and main_rows["rank_p50"].between(1, r.evaluated(START).high).all()


def test_a_later_plan_uses_the_revision_and_the_latest_round():
    known = national.known_before(national.load_facts(), "2026-01")
    got = national.national_inputs(known, [2026, 2027], "east", 1, 6)
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
    """The baseline's stated calibration is what the facts known before 2022-01 give, so the facts
    layer changes nothing of its ranking (ranking.csv and summary.csv: bench/outputs_identical.py)."""
    sc = load_scenario(ROOT / "scenarios" / "baseline.toml").scenario
    r = sc.ranking
    known = national.known_before(national.load_facts(), "2022-01")
    got = national.national_inputs(known, sc.run.years, r.zone.region, 1, 6)
    assert (got.calibration_year, got.facts_year) == (r.peers.calibration_year, 2021)
    assert (got.n_zones - 1, got.n_central_west, got.trade_total_yi) == (
        r.peers.n_peers,
        r.peers.n_central_west,
        r.peers.trade.total_yi,
    )
    with open(ROOT / "scenarios" / "evaluation_methods.toml", "rb") as f:
        ev = tomllib.load(f)["ranking"]
    applied = national.apply(ev, got)
    assert applied["peers"]["evaluated_by_year"] == ev["peers"]["evaluated_by_year"]
    assert applied["method_by_year"] == ev["method_by_year"]  # stated years keep their statement
    cfg = RankingConfig.model_validate(applied)
    zone = {k: np.full(2, 10.0) for k in ("trade_total", "industrial_output", "fdi_usd", "active_enterprises")}
    zone |= {k: np.full(2, 3.0) for k in ("trade_processing", "trade_bonded_logistics", "trade_general")}
    zone |= {k: np.full(2, 0.5) for k in ("trade_cbec", "trade_other")}
    zone |= {"development_rate": np.full(2, 80.0), "employees": np.full(2, 5000.0)}
    zone |= {k: np.full(2, 2.0) for k in ("new_business_types", "institutional_innovations", "ftz_replications")}
    zone |= {"patents": np.full(2, 20.0), "high_tech_firms": np.full(2, 1.0)}
    base = {k: float(v[0]) for k, v in zone.items()}
    macro = np.array([1.05, 1.1])
    a = rank_replication(r, zone, base, [2022, 2023], macro, np.random.default_rng(5))
    b = rank_replication(cfg, zone, base, [2022, 2023], macro, np.random.default_rng(5))
    for k in a.indicators:
        assert np.array_equal(a.indicators[k], b.indicators[k])
