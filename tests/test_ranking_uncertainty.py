"""The ranking's own unknowns: peers drawn from ranges, bonded zones beside the CBZs, the method mixture."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from pydantic import ValidationError
from test_ranking import YEARS, ZONE, make_cfg, raw, run

from sim.ranking import RankingConfig, calibration_population
from sim.ranking.calibration import top_share
from sim.ranking.peers import draw_population, trade_quantile


@pytest.fixture(scope="module")
def cfg() -> RankingConfig:
    return RankingConfig.model_validate(raw())


def _certain(d: dict) -> None:
    """Every ranged unknown of the peers and the method at one value: the calibration's."""
    t = d["peers"]["trade"]
    t["top5_share"], t["top30_share"] = 0.33, 0.70
    d["peers"]["bonded_zones"] = 0
    d["peers"]["evaluated_by_year"].update({"2022": 142, "2023": 147})
    d["method_by_year"]["2023"] = "eval2020"


def _quiet(d: dict) -> None:
    """No noise in the peers: no growth noise, trend, median shift or mode specialisation."""
    ps = d["peers"]
    ps["mode_mix_sigma"] = 0.0
    for v in [ps["trade"], *ps["variables"].values()]:
        v.update(noise_sd_per_year=0.0, drift_per_year=0.0)
        if "median_uncertainty" in v:
            v["median_uncertainty"] = 0.0


# ----------------------------------------------------------------------------- peers


def test_a_peer_population_with_zero_uncertainty_reproduces_its_calibration():
    certain = make_cfg(lambda d: (_certain(d), _quiet(d)))
    tiny = {k: v * 1e-9 for k, v in ZONE.items()}  # the zone does not move national shares
    cal = np.sort(calibration_population(certain).column("trade_total"))
    for seed in range(4):
        out = run(certain, tiny, seed=seed, macro=np.ones(len(YEARS)))
        np.testing.assert_allclose(out.peers["top5_share"], 0.33, atol=1e-9)
        np.testing.assert_allclose(out.peers["top30_share"], 0.70, atol=1e-9)
        np.testing.assert_allclose(out.peers["trade_total_national"], 59000, rtol=1e-9)
        np.testing.assert_array_equal(out.peers["n_evaluated"], [142, 147])
        pop = draw_population(certain, np.random.default_rng(seed))
        np.testing.assert_array_equal(np.sort(pop.column("trade_total")), cal)


def test_ranged_concentration_is_drawn_and_each_draw_meets_its_targets(cfg):
    t = cfg.peers.trade
    assert trade_quantile(cfg, *t.shares(0.5)) is trade_quantile(cfg, 0.33, 0.70)  # the calibration, cached
    for u in (0.0, 0.3, 1.0):
        top5, top30 = t.shares(u)
        trade = draw_population(cfg, np.random.default_rng(1), trade_quantile(cfg, top5, top30)).column("trade_total")
        assert trade.sum() == pytest.approx(t.total_yi, rel=1e-9)
        assert top_share(trade, 5) == pytest.approx(top5, abs=1e-9)
        assert top_share(trade, 30) == pytest.approx(top30, abs=1e-9)
    outs = [run(cfg, seed=s) for s in range(40)]
    top5 = np.array([o.peers["top5_share"][0] for o in outs])
    assert top5.std() > 0.02  # real spread (the range is 0.26-0.40)
    assert top5.min() > 0.2 and top5.max() < 0.5


def test_evaluated_count_follows_its_range_and_moves_together_across_years(cfg):
    n = np.array([run(cfg, seed=s).peers["n_evaluated"] for s in range(60)])
    for j, y in enumerate(YEARS):
        sp = cfg.peers.evaluated_by_year[str(y)]
        assert sp.low <= n[:, j].min() and n[:, j].max() <= sp.high
        assert len(np.unique(n[:, j])) > 5
    assert np.corrcoef(n[:, 0], n[:, 1])[0, 1] > 0.95  # one uniform for both years
    # the facts known before the plan (2022-01): the 2019 round; the 2021 round was published in 2022-10
    assert cfg.peers.evaluated_by_year["2019"] == 127 and "2021" not in cfg.peers.evaluated_by_year


def test_bonded_zones_are_ranked_but_left_out_of_national_cbz_statistics():
    """A zone tiny in everything ranks last among exactly n_evaluated zones, bonded zones included;
    the national CBZ total is the same with and without bonded zones."""

    def setup(k):
        return make_cfg(
            lambda d: (
                _certain(d),
                d["peers"].update(bonded_zones=k),
                [m["deduction"].update(prob_per_year=0.0) for m in d["methods"].values()],
            )
        )

    tiny = {k: np.array([1e-6, 1e-12]) for k in ZONE}
    none, four = setup(0), setup(4)
    for seed in range(3):
        a, b = run(none, tiny, seed=seed), run(four, tiny, seed=seed)
        np.testing.assert_array_equal(b.indicators["rank"], b.peers["n_evaluated"])
        np.testing.assert_array_equal(a.peers["trade_total_national"], b.peers["trade_total_national"])
        assert not np.array_equal(a.peers["score_at_reference_rank"], b.peers["score_at_reference_rank"])


# ----------------------------------------------------------------------------- the method mixture


def test_each_replication_is_scored_by_one_method_drawn_with_the_weights(cfg):
    """Exact: a replication's rank is its rank under the method it drew. Statistical: over
    replications, P(rank <= 60) equals the weighted per-method probabilities, and the drawn
    method's frequency its weight (four standard errors)."""
    ref = cfg.reference_rank
    w = cfg.method_weights(2023)
    assert w == {"eval2020": 0.5, "eval2024": 0.5}
    zone = {k: v * 1.3 for k, v in ZONE.items()}  # near the reference rank: both methods matter
    hits, per_method, drew_2024, differ = [], {m: [] for m in w}, [], 0
    for seed in range(300):
        o = run(cfg, zone, seed=seed)
        r = o.indicators["rank"]
        by = {m: o.variants[f"method_{m}"] for m in w}
        assert r[0] == by["eval2020"][0]  # 2022: eval2020 for certain
        assert r[1] in (by["eval2020"][1], by["eval2024"][1])
        if by["eval2020"][1] != by["eval2024"][1]:
            differ += 1
            drew_2024.append(r[1] == by["eval2024"][1])
        hits.append(r[1] <= ref)
        for m in w:
            per_method[m].append(by[m][1] <= ref)
    hits = np.array(hits, float)
    mixed = sum(w[m] * np.array(per_method[m], float) for m in w)
    diff = hits - mixed  # per replication: (drew - weight) x (hit difference)
    assert abs(diff.mean()) <= 4 * diff.std(ddof=1) / np.sqrt(len(diff)) + 1e-12
    assert differ > 100
    assert abs(np.mean(drew_2024) - 0.5) <= 4 * np.sqrt(0.25 / differ)


def test_a_method_given_alone_applies_for_certain(cfg):
    c24 = make_cfg(lambda d: d["method_by_year"].update({"2023": "eval2024"}))
    w1 = make_cfg(lambda d: d["method_by_year"].update({"2023": {"eval2020": 0.0, "eval2024": 1.0}}))
    for seed in range(4):
        a, b = run(c24, seed=seed), run(w1, seed=seed)
        np.testing.assert_array_equal(a.indicators["rank"], b.indicators["rank"])
        assert a.indicators["rank"][1] == a.variants["method_eval2024"][1]
        assert a.indicators["rank"][0] == run(cfg, seed=seed).indicators["rank"][0]  # 2022 untouched


def test_errors_in_the_ranges_and_weights_name_the_key():
    def bad(edit, needle):
        d = copy.deepcopy(raw())
        edit(d)
        with pytest.raises(ValidationError, match=needle):
            RankingConfig.model_validate(d)

    bad(lambda d: d["method_by_year"].update({"2023": {"eval2020": 0.5, "eval2024": 0.6}}), "sum to 1.1")
    bad(lambda d: d["method_by_year"].update({"2023": {"eval2020": 0.5, "eval1999": 0.5}}), "unknown method 'eval1999'")
    bad(
        lambda d: d["peers"]["evaluated_by_year"].update({"2023": {"low": 140, "high": 170}}),
        r"evaluated_by_year\.2023: 140\.\.170",
    )
    bad(lambda d: d["peers"]["trade"].update(top5_share={"low": 0.4, "high": 0.3}), "below low")
    bad(
        lambda d: d["peers"]["trade"].update(top5_share={"low": 0.26, "high": 0.8}),
        r"trade: top30_share .* \(at top5_share 0.53, top30_share 0.7\)",
    )
