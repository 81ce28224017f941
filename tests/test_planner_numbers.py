"""The numbers a planner reads in summary.csv, each checked against an independent computation.

One ``run`` of tests/data/tiny_leads.toml with targets added for the purpose: the interval of every
row against the Wilson score interval computed here from its formula (and a few values worked by
hand), every comparison operator on a value exactly at its threshold, and the joint ``ALL_<year>``
rows recomputed replication by replication from indicators.csv. Thresholds sit near the median,
so that "all targets" and "any target" give different counts and a mistake shows.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import DATA

from sim.cli import main

REPS, SEED = 60, 5
CSV_REL = 5e-6
"""summary.csv is written for people, to six significant digits (sim/rounding.py): its numbers equal
the independent computations to that relative precision."""
Z = 1.959963984540054  # the standard normal 97.5% quantile


def _target(tid, indicator, year, op, threshold, unit, active=True) -> str:
    return (
        f'[targets.{tid}]\nindicator = "{indicator}"\nyear = {year}\nop = "{op}"\nthreshold = {threshold}\n'
        f'unit = "{unit}"\nsource = "test"\nactive = {str(active).lower()}\n'
    )


# leaders_anchor is 0, 1 or 2 in 2022: a threshold of 1 has values below, on and above it
ON_THRESHOLD = {op: ("leaders_anchor", 2022, op, 1, "count") for op in (">=", ">", "<=", "<")}
NAMES = {">=": "on_ge", ">": "on_gt", "<=": "on_le", "<": "on_lt"}
ACTIVE = {  # near the medians of the 60 replications (trade 23.2, firms 63.5 in 2022; 116.5 in 2023)
    "trade_2022_mid": ("trade_total", 2022, ">=", 23, "亿元"),
    "firms_2022_mid": ("active_enterprises", 2022, ">", 60, "count"),
    "site_2022": ("done_site", 2022, ">=", 1, "0/1"),
    "firms_2023_mid": ("active_enterprises", 2023, "<=", 120, "count"),
}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("planner")
    text = f'extends = "{(DATA / "tiny_leads.toml").as_posix()}"\n\n'
    text += "".join(_target(NAMES[op], *t, active=False) for op, t in ON_THRESHOLD.items())
    text += "".join(_target(tid, *t) for tid, t in ACTIVE.items())
    text += _target("never_2022", "trade_total", 2022, ">=", 1e5, "亿元", active=False)  # left out of ALL_2022
    f = d / "planner.toml"
    f.write_text(text, encoding="utf-8")
    out = d / "out"
    argv = ["run", str(f), "--reps", str(REPS), "--seed", str(SEED), "--workers", "1", "--out", str(out)]
    assert main([*argv, "-q", "--no-report"]) == 0
    return out


@pytest.fixture(scope="module")
def summary(run_dir):
    return pd.read_csv(run_dir / "summary.csv", encoding="utf-8-sig").set_index("target_id")


@pytest.fixture(scope="module")
def values(run_dir):
    """{(indicator, year): values in replication order} from indicators.csv."""
    ind = pd.read_csv(run_dir / "indicators.csv").sort_values("rep")
    return {k: g["value"].to_numpy() for k, g in ind.groupby(["indicator", "year"])}


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson score interval from its formula: (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    p = k / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / (1 + Z**2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def test_wilson_formula_against_values_worked_by_hand():
    # 0/10: (0, z²/(n + z²)); 10/10 its mirror; 5/10 the textbook (0.2366, 0.7634)
    assert wilson(0, 10) == pytest.approx((0.0, Z**2 / (10 + Z**2)), abs=1e-12)
    assert wilson(0, 10)[1] == pytest.approx(0.277533, abs=1e-6)
    assert wilson(10, 10) == pytest.approx((1 - 0.277533, 1.0), abs=1e-6)
    assert wilson(5, 10) == pytest.approx((0.236593, 0.763407), abs=1e-6)
    assert wilson(59, 60) == pytest.approx((0.911449, 0.997052), abs=1e-6)


def test_every_interval_is_the_wilson_interval(summary):
    """Every row, targets and joint rows: the Wald interval (p ± z sqrt(p(1-p)/n)) differs from
    Wilson by more than 1e-3 wherever 0 < hits < n, and is (p, p) at 0 and n."""
    assert len(summary) >= 10
    for tid, r in summary.iterrows():
        lo, hi = wilson(int(r["hits"]), int(r["n_reps"]))
        assert (r["ci_low"], r["ci_high"]) == pytest.approx((lo, hi), rel=CSV_REL, abs=1e-12), tid
        assert r["p_hit"] == pytest.approx(r["hits"] / REPS, rel=CSV_REL) and r["n_reps"] == REPS
    assert ((summary["hits"] > 0) & (summary["hits"] < REPS)).sum() >= 4  # rows where Wald and Wilson differ


def test_each_comparison_on_its_threshold(summary, values):
    """A value exactly on the threshold hits >= and <=, and misses > and <."""
    v = values[("leaders_anchor", 2022)]
    below, on, above = int((v < 1).sum()), int((v == 1).sum()), int((v > 1).sum())
    assert below and on and above  # the three cases all occur
    want = {">=": on + above, ">": above, "<=": below + on, "<": below}
    for op, name in NAMES.items():
        r = summary.loc[name]
        assert (r["op"], r["threshold"]) == (op, 1)
        assert r["hits"] == want[op], (op, r["hits"], want[op])


def _hit(v, op, thr):
    return {">=": v >= thr, ">": v > thr, "<=": v <= thr, "<": v < thr}[op]


def test_joint_rows_recomputed_from_indicators(summary, values):
    """ALL_<year> = replications where every active target of the year hits (inactive ones left out)."""
    targets = summary[~summary.index.str.startswith("ALL_")]
    for year in (2022, 2023):
        act = targets[(targets["year"] == year) & targets["active"]]
        hits = np.array([_hit(values[(r["indicator"], year)], r["op"], r["threshold"]) for _, r in act.iterrows()])
        assert len(act) >= 2
        every = int(hits.all(axis=0).sum())
        j = summary.loc[f"ALL_{year}"]
        assert j["hits"] == every and j["n_reps"] == REPS
        assert j["note"] == f"joint probability of {len(act)} targets"
        for tid, r in act.iterrows():  # each target's own count, recomputed too
            assert r["hits"] == int(_hit(values[(r["indicator"], year)], r["op"], r["threshold"]).sum()), tid
    # the data can tell "all" from "any", and from the product of the marginals
    act = targets[(targets["year"] == 2022) & targets["active"]]
    hits = np.array([_hit(values[(r["indicator"], 2022)], r["op"], r["threshold"]) for _, r in act.iterrows()])
    assert hits.all(axis=0).sum() < hits.any(axis=0).sum()
    assert summary.loc["never_2022", "hits"] == 0 and summary.loc["ALL_2022", "hits"] > 0


def test_median_thresholds_split_the_replications(summary):
    """The targets placed near the median are neither certain nor hopeless (else the joint test
    above could not fail)."""
    for tid in ("trade_2022_mid", "firms_2022_mid", "firms_2023_mid"):
        assert 0.2 < summary.loc[tid, "p_hit"] < 0.8, tid


def test_distribution_columns_recomputed(summary, values):
    """mean, p10, p50, p90 of each target's indicator, and the growth it needs over the base year
    (threshold / median of the base-year values - 1), from indicators.csv."""
    targets = summary[~summary.index.str.startswith("ALL_")]
    checked = 0
    for tid, r in targets.iterrows():
        v = np.sort(values[(r["indicator"], r["year"])])
        assert r["mean"] == pytest.approx(v.sum() / len(v), rel=CSV_REL, abs=1e-12), tid
        for q in (10, 50, 90):  # linear interpolation between order statistics
            pos = q / 100 * (len(v) - 1)
            lo = int(np.floor(pos))
            want = v[lo] + (pos - lo) * (v[min(lo + 1, len(v) - 1)] - v[lo])
            assert r[f"p{q}"] == pytest.approx(want, rel=CSV_REL, abs=1e-12), (tid, q)
        base = values.get((r["indicator"], 2021))
        if base is not None and np.median(base) > 0:
            assert r["growth_needed"] == pytest.approx(r["threshold"] / np.median(base) - 1, rel=CSV_REL), tid
            checked += 1
    assert checked >= 3


def _quantile(v: np.ndarray, q: int) -> float:
    """The q% quantile by linear interpolation between order statistics."""
    v = np.sort(v)
    pos = q / 100 * (len(v) - 1)
    lo = int(np.floor(pos))
    return float(v[lo] + (pos - lo) * (v[min(lo + 1, len(v) - 1)] - v[lo]))


def test_year_on_year_growth_recomputed(summary, values):
    """yoy_growth_p10/p50/p90: quantiles over replications of value(year) / value(year - 1) - 1,
    the base year (2021 rows of indicators.csv) before 2022, replications whose previous value is
    0 left out; growth_needed_yearly: (threshold / base) ** (1 / years since 2021) - 1."""
    targets = summary[~summary.index.str.startswith("ALL_")]
    checked = set()
    for tid, r in targets.iterrows():
        prev = values.get((r["indicator"], r["year"] - 1))
        if values.get((r["indicator"], 2021)) is None or prev is None:
            assert all(np.isnan(r[c]) for c in ("yoy_growth_p10", "yoy_growth_p50", "yoy_growth_p90")), tid
            continue
        cur = values[(r["indicator"], r["year"])]
        g = np.array([c / p - 1 for c, p in zip(cur, prev, strict=True) if p > 0])
        for q in (10, 50, 90):
            assert r[f"yoy_growth_p{q}"] == pytest.approx(_quantile(g, q), rel=CSV_REL, abs=1e-12), (tid, q)
        k = r["year"] - 2021
        assert r["growth_needed_yearly"] == pytest.approx((1 + r["growth_needed"]) ** (1 / k) - 1, rel=CSV_REL), tid
        checked.add(int(r["year"]))
    assert checked == {2022, 2023}
