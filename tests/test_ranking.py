"""National evaluation ranking (sim/ranking): scoring, peers, calibration, metamorphic properties."""

from __future__ import annotations

import copy
import functools
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from sim.ranking import (
    RankingConfig,
    calibration_check,
    calibration_population,
    normalise,
    rank_of,
    rank_replication,
    score_table,
)
from sim.ranking.calibration import top_share
from sim.ranking.config import BASE_VARIABLES, ZONE_MODEL_VARIABLES, Method
from sim.ranking.peers import base_table, grow
from sim.ranking.rowsort import argsort_rows
from sim.ranking.scoring import column_names, compile_fixed, compile_method, fixed_points_many
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]
TOML = ROOT / "scenarios" / "evaluation_methods.toml"
YEARS = [2022, 2023]
MACRO = np.array([1.05, 1.10])


@functools.cache
def _baseline_ranking() -> dict:
    """The baseline's resolved [ranking]: the methods file, Qinzhou's own inputs, the facts known before 2022-01."""
    return load_scenario(ROOT / "scenarios" / "baseline.toml").resolved["ranking"]


def raw() -> dict:
    return copy.deepcopy(_baseline_ranking())


@pytest.fixture(scope="module")
def cfg() -> RankingConfig:
    return RankingConfig.model_validate(raw())


def make_cfg(edit) -> RankingConfig:
    d = copy.deepcopy(raw())
    edit(d)
    return RankingConfig.model_validate(d)


# A zone close to what the baseline model produces (yearly values over YEARS).
ZONE = {
    "trade_total": np.array([150.0, 210.0]),
    "trade_processing": np.array([13.0, 17.0]),
    "trade_bonded_logistics": np.array([56.0, 73.0]),
    "trade_general": np.array([65.0, 86.0]),
    "trade_cbec": np.array([2.0, 18.0]),
    "trade_other": np.array([12.0, 16.0]),
    "industrial_output": np.array([48.0, 60.0]),
    "fdi_usd": np.array([1000.0, 1800.0]),
    "development_rate": np.array([79.0, 85.0]),
    "active_enterprises": np.array([690.0, 840.0]),
    "employees": np.array([12800.0, 15300.0]),
    "new_business_types": np.array([1.0, 2.0]),
    "institutional_innovations": np.array([4.0, 4.0]),
    "ftz_replications": np.array([5.0, 6.0]),
    "patents": np.array([21.0, 24.0]),
    "high_tech_firms": np.array([2.0, 1.0]),
}
ZONE_BASE = {"trade_total": 100.0, "active_enterprises": 560.0}


def run(cfg, zone=ZONE, seed=7, macro=MACRO, zone_base=ZONE_BASE):
    return rank_replication(cfg, zone, zone_base, YEARS, macro, np.random.default_rng(seed))


def all_ranks(out) -> np.ndarray:
    return np.vstack([out.indicators["rank"], *out.variants.values()])


# ----------------------------------------------------------------------------- the shipped file


def test_shipped_file_validates_and_every_number_is_commented():
    text = TOML.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert list(data) == ["ranking"], "the fragment must hold only the [ranking] table"
    # methods by version, the method belief and the peers' assumptions only: no zone, no national facts
    assert "zone" not in data["ranking"] and "reference_rank" not in data["ranking"]
    assert not {"calibration_year", "n_peers", "n_central_west", "evaluated_by_year"} & set(data["ranking"]["peers"])
    assert "total_yi" not in data["ranking"]["peers"]["trade"] and "method_by_year" not in data["ranking"]
    RankingConfig.model_validate(raw())
    lines = text.splitlines()
    bare = []
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or s.startswith(("#", "[")) or "=" not in s:
            continue
        value = s.split("=", 1)[1]
        if not re.search(r"\d", re.sub(r'"[^"]*"', "", value.split("#")[0])) or "#" in value:
            continue
        if not lines[i - 1].strip().startswith("#"):  # a comment block right above also counts
            bare.append(f"line {i + 1}: {s}")
    assert not bare, "numbers without a source/assumption comment:\n" + "\n".join(bare)


def test_both_methods_have_27_quantitative_indicators_and_100_points(cfg):
    for m in cfg.methods.values():
        assert sum(len(g.indicators) for g in m.groups.values()) == 27  # facts eval2020_quant_indicator_count
        assert sum(g.points for g in m.groups.values()) == pytest.approx(100)
    g20, g24 = cfg.methods["eval2020"].groups, cfg.methods["eval2024"].groups
    assert [g20[k].points for k in ("scale", "quality", "land")] == [50, 20, 10]
    assert g20["radiation"].points + g20["innovation"].points == 20
    assert [g24[k].points for k in ("scale", "quality")] == [30, 35]
    assert cfg.methods["eval2020"].bonus.cap_points == 16 and cfg.methods["eval2024"].bonus.cap_points == 58


# ----------------------------------------------------------------------------- scoring on hand-made tables


def method(groups, rule="percentile", bonus=None, deduction=(0.0, 0.0)) -> Method:
    return Method.model_validate(
        {
            "name_zh": "test",
            "source": "test",
            "normalisation": rule,
            "groups": {
                g: {
                    "name_zh": g,
                    "points": pts,
                    "indicators": {k: {"weight": w, "direction": d} for k, (w, d) in inds.items()},
                }
                for g, (pts, inds) in groups.items()
            },
            "bonus": bonus or {"cap_points": 0, "items": {}},
            "deduction": {"prob_per_year": deduction[0], "points": deduction[1]},
        }
    )


def test_normalisation_rules_by_hand():
    x = np.array([2.0, 4.0, 1.0, 3.0])
    np.testing.assert_allclose(normalise(x, "percentile"), [1 / 3, 1, 0, 2 / 3])
    np.testing.assert_allclose(normalise(x, "min_max"), [1 / 3, 1, 0, 2 / 3])
    np.testing.assert_allclose(normalise(x, "share_of_max"), [0.5, 1, 0.25, 0.75])
    np.testing.assert_allclose(normalise(x, "percentile", [True]), [2 / 3, 0, 1, 1 / 3])
    np.testing.assert_allclose(normalise(x, "min_max", [True]), [2 / 3, 0, 1, 1 / 3])
    np.testing.assert_allclose(normalise(x, "share_of_max", [True]), [0.5, 0, 0.75, 0.25])
    # ties share their average rank; negatives score 0 under share-of-max; constant columns score 1
    np.testing.assert_allclose(normalise(np.array([5.0, 5, 1, 9]), "percentile"), [0.5, 0.5, 0, 1])
    np.testing.assert_allclose(normalise(np.array([-2.0, 0, 4]), "share_of_max"), [0, 0, 1])
    np.testing.assert_allclose(normalise(np.array([3.0, 3, 3]), "min_max"), [1, 1, 1])
    # column-wise on a matrix
    m = np.column_stack([x, -x])
    np.testing.assert_allclose(normalise(m, "percentile")[:, 1], normalise(-x, "percentile"))


def test_scores_and_ranks_of_a_hand_made_table():
    # four zones, two groups: scale (60 points: trade 2/3, firms 1/3), land (40 points: rate)
    me = method(
        {"scale": (60, {"trade": (2, "higher"), "firms": (1, "higher")}), "land": (40, {"rate": (1, "higher")})}
    )
    table = {"trade": [10, 40, 20, 30], "firms": [4, 1, 3, 2], "rate": [50, 60, 90, 70]}
    # percentile: trade [0, 1, 1/3, 2/3], firms [1, 0, 2/3, 1/3], rate [0, 1/3, 1, 2/3]
    s = score_table(me, table)
    want = (
        40 * np.array([0, 1, 1 / 3, 2 / 3]) + 20 * np.array([1, 0, 2 / 3, 1 / 3]) + 40 * np.array([0, 1 / 3, 1, 2 / 3])
    )
    np.testing.assert_allclose(s, want)  # [20, 53.3, 66.7, 60]
    assert [rank_of(s, i) for i in range(4)] == [4, 3, 1, 2]
    # min-max: trade [0, 1, 1/3, 2/3], firms [1, 0, 2/3, 1/3], rate [0, .25, 1, .5]
    s = score_table(me, table, rule="min_max")
    np.testing.assert_allclose(
        s, 40 * np.array([0, 1, 1 / 3, 2 / 3]) + 20 * np.array([1, 0, 2 / 3, 1 / 3]) + 40 * np.array([0, 0.25, 1, 0.5])
    )  # [20, 50, 66.7, 53.3]
    assert [rank_of(s, i) for i in range(4)] == [4, 3, 1, 2]
    # all points on scale (land 0): [20, 40, 26.7, 33.3], the biggest trader comes first
    s = score_table(me, table, group_points={"land": 0})
    assert [rank_of(s, i) for i in range(4)] == [4, 1, 3, 2]


def test_bonus_caps_deduction_and_ties():
    me = method(
        {"g": (10, {"x": (1, "higher")})},
        bonus={
            "cap_points": 5,
            "items": {
                "reforms": {"points_per_unit": 1, "cap_points": 3},
                "patents": {"points_per_unit": 0.1, "cap_points": 4},
            },
        },
        deduction=(0.5, 2.0),
    )
    table = {"x": [1, 2, 3], "reforms": [10, 1, 0], "patents": [100, 0, -5]}
    # x percentile [0, 5, 10]; bonus min(5, min(3, r) + min(4, 0.1 p)) = [5, 1, 0]
    np.testing.assert_allclose(score_table(me, table), [5, 6, 10])
    # deduction where the unit's uniform draw is below 0.5
    np.testing.assert_allclose(score_table(me, table, deduction_u=np.array([0.1, 0.9, 0.4])), [3, 6, 8])
    # competition ranking: a tie takes the better rank; 'among' restricts the competitors
    assert rank_of(np.array([3.0, 5, 5, 1]), 1) == 1 == rank_of(np.array([3.0, 5, 5, 1]), 2)
    assert rank_of(np.array([3.0, 5, 5, 1]), 0) == 3
    assert rank_of(np.array([9.0, 5, 1]), 2, among=np.array([False, True, True])) == 2


def test_row_argsort_is_numpys_argsort_bit_for_bit():
    # distinct values take the fast path; ties, -0.0 beside 0.0, near-equal values, infinities
    # and NaN (either sign) must give numpy's own order too
    rng = np.random.default_rng(11)
    cases = [
        rng.standard_normal((27, 147)),
        np.round(rng.standard_normal((5, 40)), 1),
        np.array([[0.0, -0.0, 1.0, -0.0, 0.0]]),
        np.array([[np.inf, -np.inf, 1.0, np.nan, -np.nan, 2.0]]),
        np.array([[1.0, np.nextafter(1.0, 2), 1.0 + 4e-16, np.nextafter(1.0, 0), 3.0]]),
        rng.standard_normal((3, 1)),
        1e300 * rng.standard_normal((4, 300)),
    ]
    for x in cases:
        order, _distinct = argsort_rows(np.ascontiguousarray(x))
        np.testing.assert_array_equal(order, np.argsort(x, axis=1))
    assert argsort_rows(cases[0])[1] and not argsort_rows(cases[2])[1]


def test_stacked_fixed_points_equal_each_methods_own(cfg):
    names = column_names(cfg)
    scorers = [compile_method(m, names) for m in cfg.methods.values()]
    rng = np.random.default_rng(3)
    table = rng.lognormal(0, 2, (len(names), 60)) - 0.5
    u = rng.random(60)
    stacked = fixed_points_many(compile_fixed(scorers), table, u)
    for i, sc in enumerate(scorers):
        one = fixed_points_many(compile_fixed([sc]), table, u)[0]
        assert stacked[i].tobytes() == one.tobytes()


# ----------------------------------------------------------------------------- peers and calibration


def test_zero_noise_population_reproduces_calibration_targets(cfg):
    for name, (target, got) in calibration_check(cfg).items():
        rel = 1e-9 if name in ("trade_total_yi", "top5_share", "top30_share", "n_central_west") else 0.01
        assert got == pytest.approx(target, rel=rel), name
    pop = calibration_population(cfg)
    trade = pop.column("trade_total")
    assert len(trade) == cfg.peers.n_peers
    assert trade.sum() == pytest.approx(59000, rel=1e-9)  # facts national_cbz_trade_total
    top5, top30 = cfg.peers.trade.shares(0.5)  # the middle of the ranges
    assert (top5, top30) == pytest.approx((0.33, 0.70), abs=1e-12)
    assert top_share(trade, 5) == pytest.approx(top5, abs=1e-9)
    assert top_share(trade, 30) == pytest.approx(top30, abs=1e-9)
    # the regional mode shares were derived from these facts (see the TOML)
    base = base_table(pop.mix, pop.values)
    proc = base[1]
    cw = pop.central_west
    assert proc[cw].sum() == pytest.approx(17300, rel=0.01)  # cbz_central_west_northeast_processing_trade
    assert proc[cw].sum() / proc.sum() == pytest.approx(0.648, abs=0.005)  # ..._share_of_cbz_processing_trade
    assert base[1:6].sum(axis=0) == pytest.approx(trade)  # modes add up to trade


def test_zero_noise_growth_follows_macro_index_and_trend(cfg):
    from sim.ranking.peers import VALUE_COLUMNS

    pop = calibration_population(cfg)
    g = grow(cfg, pop.values, MACRO, None)
    t = cfg.peers.trade
    for k in range(len(YEARS)):
        want = t.total_yi * MACRO[k] ** t.macro_elasticity * np.exp(t.drift_per_year * (k + 1))
        assert g[k, 0].sum() == pytest.approx(want, rel=1e-12)
        # common growth leaves concentration unchanged
        assert top_share(g[k, 0], 5) == pytest.approx(t.shares(0.5)[0], abs=1e-12)
    # percent variables move on the logit scale and stay inside (0, 100)
    j = VALUE_COLUMNS.index("development_rate")
    assert np.all((g[:, j] > pop.values[j]) & (g[:, j] < 100))
    # a fixed variable does not move
    a = VALUE_COLUMNS.index("area_km2")
    np.testing.assert_allclose(g[:, a], np.broadcast_to(pop.values[a], g[:, a].shape))


def test_stratified_draws_keep_the_calibrated_marginals(cfg):
    from scipy.special import logit

    from sim.ranking import draw_population
    from sim.ranking.peers import VALUE_COLUMNS

    pop0 = calibration_population(cfg)
    grid = np.sort(pop0.values, axis=1)
    pct = np.array([c != "trade_total" and cfg.peers.variables[c].kind == "percent" for c in VALUE_COLUMNS])
    for seed in range(3):
        pop = draw_population(cfg, np.random.default_rng(seed))
        got = np.sort(pop.values, axis=1)
        np.testing.assert_allclose(got[0], grid[0])  # trade: exactly the calibrated values
        ratio = got[~pct] / grid[~pct]  # others: one common shift of the median
        np.testing.assert_allclose(ratio, ratio[:, :1] * np.ones_like(ratio), rtol=1e-9)
        d = logit(got[pct] / 100) - logit(grid[pct] / 100)
        np.testing.assert_allclose(d, d[:, :1] * np.ones_like(d), atol=1e-6)
        assert pop.central_west.sum() == cfg.peers.n_central_west
        np.testing.assert_allclose(pop.mix.sum(axis=0), 1.0)
    # without median uncertainty every draw has exactly the calibrated marginals
    fixed = make_cfg(lambda d: [v.update(median_uncertainty=0.0) for v in d["peers"]["variables"].values()])
    np.testing.assert_allclose(np.sort(draw_population(fixed, np.random.default_rng(5)).values, axis=1), grid)


def test_copula_correlation_of_draws(cfg):
    """Rank correlations across many draws approach those implied by the latent correlation."""
    from sim.ranking import draw_population
    from sim.ranking.peers import VALUE_COLUMNS

    rng = np.random.default_rng(3)
    i, j = VALUE_COLUMNS.index("trade_total"), VALUE_COLUMNS.index("employees")
    rs = []
    for _ in range(60):
        v = draw_population(cfg, rng).values
        ri, rj = np.argsort(np.argsort(v[i])), np.argsort(np.argsort(v[j]))
        rs.append(np.corrcoef(ri, rj)[0, 1])
    rho = cfg.peers.trade.size_loading * cfg.peers.variables["employees"].size_loading
    spearman = 6 / np.pi * np.arcsin(rho / 2)  # Gaussian copula: Spearman's rho from Pearson's
    assert np.mean(rs) == pytest.approx(spearman, abs=0.03)


# ----------------------------------------------------------------------------- rank_replication


def test_output_shapes_and_ranges(cfg):
    out = run(cfg)
    n_eval = out.peers["n_evaluated"]
    for y, k in zip(YEARS, n_eval, strict=True):
        span = cfg.peers.evaluated_by_year[str(y)]
        assert span.low <= k <= span.high
    assert set(out.indicators) == {"rank", "rank_regional", "eval_score", "class_a"}
    assert set(out.variants) == set(cfg.variants)
    for k in (
        "trade_p10",
        "trade_p50",
        "trade_p90",
        "top5_share",
        "top30_share",
        "trade_at_reference_rank",
        "score_at_reference_rank",
    ):
        assert out.peers[k].shape == (2,) and np.all(np.isfinite(out.peers[k])), k
    assert np.all(out.peers["trade_p10"] < out.peers["trade_p50"]) and np.all(
        out.peers["trade_p50"] < out.peers["trade_p90"]
    )
    for seed in range(25):
        o = run(cfg, seed=seed)
        n_eval = o.peers["n_evaluated"]
        r = all_ranks(o)
        assert np.all((r >= 1) & (r <= n_eval)) and np.all(r == np.round(r))
        assert np.all(o.indicators["rank_regional"] <= o.indicators["rank"])
        cutoff = np.floor(cfg.class_a_share * n_eval)
        np.testing.assert_array_equal(o.indicators["class_a"], (o.indicators["rank"] <= cutoff).astype(float))
        # the zone at the reference rank scores at most what the zone scores when it ranks above it
        better = o.indicators["rank"] <= cfg.reference_rank
        assert np.all(o.indicators["eval_score"][better] >= o.peers["score_at_reference_rank"][better])


def test_extreme_zones_rank_first_and_last(cfg):
    quiet = make_cfg(lambda d: [m["deduction"].update(prob_per_year=0.0) for m in d["methods"].values()])
    huge = {k: v * 1e6 for k, v in ZONE.items()}
    huge["development_rate"] = np.array([99.99, 99.99])
    for seed in range(5):
        assert np.all(run(quiet, huge, seed=seed).indicators["rank"] == 1)
    low = make_cfg(
        lambda d: (
            d["zone"].update(accepted_area_share_pct=1e-6, offsets={}),
            [m["deduction"].update(prob_per_year=0.0) for m in d["methods"].values()],
        )
    )
    tiny = {k: np.array([1e-6, 1e-12]) for k in ZONE}  # falling, so both years' growth is -100%
    for seed in range(5):
        out = run(low, tiny, seed=seed)
        n_eval = out.peers["n_evaluated"]
        np.testing.assert_array_equal(out.indicators["rank"], n_eval)
        np.testing.assert_array_equal(all_ranks(out), np.broadcast_to(n_eval, all_ranks(out).shape))


def test_same_seed_same_output_other_seed_other_peers(cfg):
    a, b, c = run(cfg, seed=11), run(cfg, seed=11), run(cfg, seed=12)
    for part in ("indicators", "variants", "peers"):
        for k in getattr(a, part):
            np.testing.assert_array_equal(getattr(a, part)[k], getattr(b, part)[k])
    assert not np.array_equal(a.peers["trade_p50"], c.peers["trade_p50"])
    # a fresh config object (no cache) gives the same answer
    np.testing.assert_array_equal(
        run(RankingConfig.model_validate(raw()), seed=11).indicators["eval_score"], a.indicators["eval_score"]
    )


def test_variants_rescore_the_same_peers(cfg):
    def edit(d):
        d["variants"]["same_as_default"] = {"description": "identical to the default", "normalisation": "percentile"}
        d["variants"]["eval2020_named"] = {"description": "method named explicitly", "method": "eval2020"}

    c2 = make_cfg(edit)
    for seed in range(5):
        out = run(c2, seed=seed)
        np.testing.assert_array_equal(out.variants["same_as_default"], out.indicators["rank"])
        # 2022 is scored by eval2020 for certain; 2023 by the method the replication drew
        assert out.variants["eval2020_named"][0] == out.indicators["rank"][0]
        assert out.indicators["rank"][1] in (out.variants["method_eval2020"][1], out.variants["method_eval2024"][1])
        # adding variants never changes the main result (no extra draws)
        np.testing.assert_array_equal(run(cfg, seed=seed).indicators["rank"], out.indicators["rank"])


def test_method_per_data_year_is_selectable(cfg):
    c24 = make_cfg(lambda d: d["method_by_year"].update({"2023": "eval2024"}))
    for seed in range(3):
        a, b = run(cfg, seed=seed), run(c24, seed=seed)
        assert a.indicators["rank"][0] == b.indicators["rank"][0]  # 2022 unchanged
        assert b.indicators["rank"][1] == a.variants["method_eval2024"][1]  # 2023 as the variant


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_raising_a_zone_indicator_never_worsens_its_rank(cfg, seed):
    """Monotonicity, for every zone indicator, in every year, under the default and every variant."""
    scales = (0.0, 0.3, 0.7, 1.0, 1.5, 3.0, 10.0)
    for k in ZONE_MODEL_VARIABLES:
        prev = None
        for c in scales:  # the whole path scaled: every year's rank
            z = dict(ZONE, **{k: ZONE[k] * c})
            r = all_ranks(run(cfg, z, seed=seed))
            if prev is not None:
                assert np.all(r <= prev), f"{k} x{c}: ranks {r.tolist()} after {prev.tolist()}"
            prev = r
        prev = None
        for c in scales:  # only the last year raised: that year's rank
            z = dict(ZONE, **{k: ZONE[k] * np.array([1.0, c])})
            r = all_ranks(run(cfg, z, seed=seed))[:, 1]
            if prev is not None:
                assert np.all(r <= prev), f"{k} 2023 x{c}"
            prev = r


def test_stronger_macro_growth_lifts_peers_and_never_improves_the_zone(cfg):
    for seed in range(8):
        lo = all_ranks(run(cfg, seed=seed, macro=np.array([1.0, 1.0])))
        hi = all_ranks(run(cfg, seed=seed, macro=np.array([1.3, 1.5])))
        assert np.all(hi >= lo)
    a = run(cfg, seed=1, macro=np.array([1.0, 1.0]))
    b = run(cfg, seed=1, macro=np.array([1.3, 1.5]))
    assert np.all(b.peers["trade_p50"] > a.peers["trade_p50"])


def test_rank_correlates_with_the_zones_own_outcome(cfg):
    """Across replications (different peers), a bigger zone ranks better on average."""
    small = np.mean([run(cfg, seed=s).indicators["rank"] for s in range(30)], axis=0)
    big = np.mean([run(cfg, {k: v * 2 for k, v in ZONE.items()}, seed=s).indicators["rank"] for s in range(30)], axis=0)
    assert np.all(big < small)


# ----------------------------------------------------------------------------- errors a user can cause


def test_config_errors_name_the_key():
    def bad(edit, needle):
        d = copy.deepcopy(raw())
        edit(d)
        with pytest.raises(ValidationError, match=needle):
            RankingConfig.model_validate(d)

    bad(
        lambda d: d["methods"]["eval2020"]["groups"]["scale"]["indicators"].update(nonsense={"weight": 1}),
        r"methods\.eval2020\.groups\.scale\.indicators: unknown indicator 'nonsense'",
    )
    bad(lambda d: d["peers"]["mode_shares"]["east"].update(trade_processing=0.9), "must sum to 1")
    bad(lambda d: d["method_by_year"].update({"2023": "eval1999"}), "unknown method 'eval1999'")
    bad(lambda d: d["variants"]["split_15_5"]["group_points"].update(nosuch=3), r"group\(s\) \['nosuch'\]")
    bad(lambda d: d["peers"]["trade"].update(top5_share=0.1, top30_share=0.7), "top5_share / top30_share")
    bad(lambda d: d["derived"]["revenue"]["terms"].update(trade_total=-1), "never lowers an indicator")
    bad(lambda d: d["peers"]["variables"].pop("patents"), r"missing \['patents'\]")
    bad(lambda d: d["peers"].update(correlations=[{"a": "patents", "b": "patents", "rho": 0.5}]), "same column")
    bad(lambda d: d["zone"].update(unknown_key=1), "Extra inputs are not permitted")


def test_missing_years_and_zone_keys_are_clear_errors(cfg):
    # a data year the config does not state takes the facts' defaults; the calibration must still fit
    assert cfg.method_weights(2024) == {"eval2020": 0.5, "eval2024": 0.5}  # a 2022 planner cannot know the revision
    with pytest.raises(ValueError, match="calibration_year: 2021, but the first simulated year is 2024"):
        cfg.check_years([2024])
    with pytest.raises(ValueError, match="calibration_year"):
        cfg.check_years([2023])
    cfg.check_years(YEARS)
    z = {k: v for k, v in ZONE.items() if k != "patents"}
    with pytest.raises(KeyError, match="produced no 'patents'"):
        run(cfg, z)
    with_fallback = make_cfg(lambda d: d["zone"].update(fallback={"patents": 20.0}))
    assert np.all(np.isfinite(run(with_fallback, z).indicators["eval_score"]))
    with pytest.raises(KeyError, match="zone_base has no such key"):
        run(cfg, zone_base={"trade_total": 100.0})
    assert set(BASE_VARIABLES) >= set(ZONE_MODEL_VARIABLES)
