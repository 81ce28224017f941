"""Several zones in one run (issue: a province's zones under shared shocks, ranked together).

Exact: a portfolio of one zone is that zone's own run, byte for byte; 1 and 2 workers (and any
chunking) give the same bytes; zones' ranks in a replication are distinct. Statistical: with the
shared shocks held fixed, two zones' hits are independent (P(A and B) = P(A) P(B) within standard
errors), and with them drawn they are not. Properties: the k-of-N probabilities of any hit matrix
decrease in k and P(>= 1) is at least every single zone's. Validation: every problem of a
portfolio file at once, exit 2.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from language_check import deck_text, html_text, leaks

import sim
from sim.analysis.targets import TargetSpec
from sim.cli import main as sim_main
from sim.experiment.executors import LocalExecutor
from sim.portfolio import Portfolio, load_portfolio
from sim.portfolio.joint import ZoneOutcomes, joint_table
from sim.portfolio.run import run as run_portfolio
from sim.report.province import build_province_pack
from sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "scenarios" / "examples"
PORT, BORDER, INLAND = (EX / f"illustrative_province_{k}.toml" for k in ("port", "border", "inland"))
DEMO = EX / "province_demo.toml"
FIXED_SHOCKS = {
    "uncertainties.macro.growth_per_year": 0.05,
    "uncertainties.macro.volatility_per_month": 0.0,
    "uncertainties.commodity.drift_per_year": 0.0,
    "uncertainties.commodity.volatility_per_month": 0.0,
    "uncertainties.disruption.spells_per_year": 0.0,
}


def _portfolio(zones, seed: int = 11, reps: int = 20) -> Portfolio:
    return Portfolio(ROOT / "x.toml", "test", "测试", "test", list(zones), [], seed, reps)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of a results folder but the manifest (run date, command) and the chunk archives (zip times)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in ("manifest.json", "run.json") and "chunks" not in p.parts
    }


# ----------------------------------------------------------------------------- exact


def test_one_zone_portfolio_is_the_zone_alone_byte_for_byte(tmp_path):
    """The zone's own run on seed S and a portfolio of it alone on seed S write the same files."""
    ls = load_scenario(PORT)
    alone = sim.run(ls, reps=24, seed=5, workers=1)
    alone.save(tmp_path / "alone")
    res = run_portfolio(_portfolio([ls], seed=5), 24, 5, LocalExecutor(1))
    assert res.seeds == [5]
    np.testing.assert_array_equal(res.zones[0].values, alone.raw.values)
    assert res.zones[0].values.tobytes() == alone.raw.values.tobytes()
    assert res.zones[0].monthly.tobytes() == alone.raw.monthly.tobytes()
    res.save(tmp_path / "pf")
    a, b = _files(tmp_path / "alone"), _files(tmp_path / "pf" / ls.name)
    assert a.keys() == b.keys() and "ranking.csv" in a
    assert [k for k in a if a[k] != b[k]] == []


def test_workers_and_chunks_give_the_same_bytes():
    pf = _portfolio([load_scenario(PORT), load_scenario(BORDER)], seed=3)
    one = run_portfolio(pf, 12, 3, LocalExecutor(1), chunk_size=12)
    two = run_portfolio(pf, 12, 3, LocalExecutor(2), chunk_size=5)
    for a, b in zip(one.zones, two.zones, strict=True):
        assert a.values.tobytes() == b.values.tobytes()
        assert a.monthly.tobytes() == b.monthly.tobytes()


@pytest.fixture(scope="module")
def demo():
    pf = load_portfolio(DEMO)
    return run_portfolio(pf, 40, pf.seed, LocalExecutor(1))


def test_ranks_are_distinct_and_boards_consistent(demo):
    for year in demo.years:
        ranks = np.stack([z.column("rank", year) for z in demo.zones])  # [zone, rep]
        regional = np.stack([z.column("rank_regional", year) for z in demo.zones])
        assert all(len(set(c)) == len(c) for c in ranks.T)
        # the three zones share a board: their regional ranks are distinct and ordered as their national ranks
        assert all(len(set(c)) == len(c) for c in regional.T)
        assert (np.argsort(ranks, axis=0) == np.argsort(regional, axis=0)).all()
        assert (regional <= ranks).all()


def test_a_zone_keeps_its_own_numbers_apart_from_the_shocks():
    """With the shocks fixed, zone 1's trade in a portfolio is its own run's on seed S + 1."""
    port, border = (load_scenario(p, FIXED_SHOCKS) for p in (PORT, BORDER))
    res = run_portfolio(_portfolio([port, border], seed=21), 10, 21, LocalExecutor(1), ranking=False)
    alone = sim.run(border, reps=10, seed=22, workers=1)
    np.testing.assert_array_equal(res.zones[1].column("trade_total", 2027), alone.raw.column("trade_total", 2027))
    assert res.seeds == [21, 22]


# ----------------------------------------------------------------------------- statistical


def _dependence(overrides: dict, reps: int) -> tuple[float, float]:
    """(P(A and B) - P(A) P(B), its standard error) for two zones' 2026 trade above its median."""
    port, border = (load_scenario(p, overrides) for p in (PORT, BORDER))
    res = run_portfolio(_portfolio([port, border], seed=99), reps, 99, LocalExecutor(2), ranking=False)
    x, y = (z.column("trade_total", 2026) for z in res.zones)
    a, b = x >= np.median(x), y >= np.median(y)  # each zone above its own median: informative events
    pa, pb, pab = a.mean(), b.mean(), (a & b).mean()
    assert 0.1 < pa < 0.9 and 0.1 < pb < 0.9  # informative events
    # under independence pab - pa pb = phi sqrt(pa qa pb qb) and phi has standard error 1 / sqrt(n)
    return pab - pa * pb, math.sqrt(pa * (1 - pa) * pb * (1 - pb) / reps)


@pytest.mark.slow
def test_hits_independent_when_the_shared_shocks_are_fixed():
    d, se = _dependence(FIXED_SHOCKS, 1200)
    assert abs(d) < 4 * se, (d, se)


@pytest.mark.slow
def test_hits_dependent_when_the_shocks_are_shared():
    """The contrast that shows the test above can fail: the drawn shocks make the hits move together."""
    d, se = _dependence({}, 1200)
    assert d > 4 * se, (d, se)


# ----------------------------------------------------------------------------- joint tables


def _zones_of(hits: np.ndarray) -> list[ZoneOutcomes]:
    """Zones whose rank hits (2026) are the rows of ``hits``."""
    out = []
    for k, h in enumerate(hits):
        values = np.where(h, 1.0, 100.0)
        out.append(
            ZoneOutcomes(
                f"z{k}",
                "区",
                "zone",
                [TargetSpec("rank_2026", "rank", 2026, "<=", 60, "rank", "")],
                lambda ind, year, v=values: v,
                lambda year: 60,
            )
        )
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.lists(st.lists(st.booleans(), min_size=n, max_size=n), min_size=1, max_size=30)
    )
)
def test_k_of_n_is_consistent(rows):
    hits = np.array(rows, dtype=bool).T  # [zone, rep]
    t = joint_table(_zones_of(hits), [2026], [])
    k = t[t["event"].str.startswith("zones_in_rank_ge_")].sort_values("threshold")
    p = k["p_hit"].to_numpy()
    assert len(p) == hits.shape[0]
    assert (np.diff(p) <= 0).all()
    assert p[0] >= hits.mean(axis=1).max() - 1e-12
    assert p[-1] <= hits.mean(axis=1).min() + 1e-12
    assert (k["ci_low"] <= k["p_hit"]).all() and (k["p_hit"] <= k["ci_high"]).all()


def test_demo_tables(demo):
    j = demo.joint
    assert list(j.columns[:6]) == ["year", "event", "p_hit", "ci_low", "ci_high", "n_reps"]
    k = j[(j["year"] == 2027) & j["event"].str.startswith("zones_in_rank_ge_")]
    single = [np.mean(z.column("rank", 2027) <= 60) for z in demo.zones]
    assert k["p_hit"].iloc[0] >= max(single)
    prov = j[(j["year"] == 2027) & (j["event"] == "province_trade_total")]["p_hit"].iloc[0]
    total = sum(z.column("trade_total", 2027) for z in demo.zones)
    assert prov == pytest.approx(np.mean(total >= 700))
    misses = demo.misses
    assert set(misses["zone"]) <= set(demo.portfolio.keys)
    assert (misses["share_of_misses"].groupby([misses["year"], misses["event"]]).sum().round(9) == 1).all()
    c = demo.correlation
    assert ((c["corr"] >= -1) & (c["corr"] <= 1)).all()


# ----------------------------------------------------------------------------- validation


def test_every_problem_of_a_portfolio_file_at_once(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        f"""
[portfolio]
name_zh = "坏"
colour = "red"
zones = ["{PORT.as_posix()}", "missing.toml", "{PORT.as_posix()}"]
[targets]
trade_total = {{ 2031 = 5 }}
zones_in_rank = {{ 2027 = 9 }}
no_such_indicator = {{ 2027 = 1 }}
""",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as e:
        load_portfolio(bad)
    msg = str(e.value)
    for part in (
        "portfolio.colour",
        "portfolio.name_en",
        "missing.toml",
        "targets.trade_total.2031",
        "targets.zones_in_rank.2027",
        "targets.no_such_indicator",
    ):
        assert part in msg, part
    assert msg.count("bad.toml") >= 6


def test_zones_must_simulate_the_same_months(tmp_path):
    other = tmp_path / "late.toml"
    other.write_text(
        BORDER.read_text(encoding="utf-8").replace("horizon_months = 24", "horizon_months = 36"), encoding="utf-8"
    )
    pf = tmp_path / "pf.toml"
    pf.write_text(
        f'[portfolio]\nname_zh = "甲"\nname_en = "a"\nzones = ["{PORT.as_posix()}", "late.toml"]\n', encoding="utf-8"
    )
    with pytest.raises(ScenarioError, match="must simulate the same months"):
        load_portfolio(pf)
    r = subprocess.run(
        [sys.executable, str(ROOT / "run_sim.py"), "run", str(pf)], capture_output=True, text=True, cwd=ROOT
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "same months" in r.stderr


def test_zones_whose_shared_shocks_differ_are_refused(tmp_path):
    other = tmp_path / "b.toml"
    other.write_text(
        BORDER.read_text(encoding="utf-8") + "\n[uncertainties.macro]\nvolatility_per_month = 0.05\n", encoding="utf-8"
    )
    pf = tmp_path / "pf.toml"
    pf.write_text(
        f'[portfolio]\nname_zh = "甲"\nname_en = "a"\nzones = ["{PORT.as_posix()}", "b.toml"]\n', encoding="utf-8"
    )
    with pytest.raises(ScenarioError, match="shared shocks differ"):
        load_portfolio(pf)


def test_the_demo_is_marked_as_illustration():
    text = DEMO.read_text(encoding="utf-8")
    assert text.startswith("# ILLUSTRATION, NOT DATA")
    pf = load_portfolio(DEMO)
    assert all("（虚构）" in z.scenario.scenario.zone_zh and "fictional" in z.scenario.scenario.zone for z in pf.zones)


# ----------------------------------------------------------------------------- the province pack


@pytest.mark.slow
def test_province_pack_in_each_language(demo, tmp_path):
    out = demo.save(tmp_path / "pf")
    written = {p.name for p in build_province_pack(out)}
    for lang in ("zh", "en"):
        assert {f"province_{lang}.html", f"province_{lang}.pdf", f"deck_{lang}.pptx"} <= written
        assert {f"province_{c}_{lang}.png" for c in ("zones", "k_of_n", "totals")} <= written
        page = html_text((out / "report" / f"province_{lang}.html").read_text(encoding="utf-8"))
        assert leaks(page, lang) == []
        assert leaks(deck_text(out / "report" / f"deck_{lang}.pptx"), lang) == []
        # the joint table's numbers are portfolio.csv's
        p = demo.joint.iloc[0]
        assert f"{p['p_hit'] * 100:.1f}%" in page


@pytest.mark.slow
def test_compare_two_portfolios_paired(tmp_path):
    """The same zones with another province target: every event both have is paired and equal."""
    text = DEMO.read_text(encoding="utf-8").replace("zones_in_rank = { 2027 = 2 }", "zones_in_rank = { 2027 = 1 }")
    text = text.replace('name = "province_demo"', 'name = "province_b"').replace(
        '"illustrative_', f'"{EX.as_posix()}/illustrative_'
    )
    other = tmp_path / "b.toml"
    other.write_text(text, encoding="utf-8")
    out = tmp_path / "cmp"
    code = sim_main(["compare", str(DEMO), str(other), "--reps", "8", "--workers", "1", "-q", "--out", str(out)])
    assert code == 0
    t = pd.read_csv(out / "compare_portfolio.csv")
    assert len(t) and (t["diff"] == 0).all() and (t["p"] == t["p_ref"]).all()
    assert "province_zones_in_rank" not in set(t["event"])  # thresholds differ: not the same event
    assert sim_main(["compare", str(DEMO), str(ROOT / "tests" / "data" / "tiny.toml")]) == 2


def test_province_words_in_both_languages_with_the_same_placeholders():
    import string

    from sim.report.province.words import WORDS

    for key, (zh, en) in WORDS.items():
        assert zh and en, key
        names = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in (zh, en)]
        assert names[0] == names[1], key
