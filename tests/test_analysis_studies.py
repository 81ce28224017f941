"""The studies' pure algorithms on small fixture tables (no model runs): Sobol design and
indices, tornado tables, PRIM, ABC numerics and forecast scores."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from sim.analysis import abc, prim, scores, sobol, tornado
from sim.report.studies import console

# ----------------------------------------------------------------------------- sobol


def test_saltelli_design_is_inside_the_unit_cube_and_reproducible():
    A, B = sobol.saltelli_matrices(16, 3, seed=1)
    assert A.shape == B.shape == (16, 3)
    assert (A > 0).all() and (A < 1).all() and (B > 0).all() and (B < 1).all()
    A2, _ = sobol.saltelli_matrices(16, 3, seed=1)
    assert np.array_equal(A, A2)
    M = sobol.ab_matrix(A, B, (1,))
    assert np.array_equal(M[:, 1], B[:, 1]) and np.array_equal(M[:, [0, 2]], A[:, [0, 2]])
    assert np.array_equal(sobol.ab_matrix(A, B, ()), A)


def test_additive_model_indices():
    """y = 4 x0 + x1 (x2 inert): S1 = ST = 16/17, 1/17, 0."""
    A, B = sobol.saltelli_matrices(1024, 3, seed=2)
    f = lambda u: (4 * u[:, 0] + u[:, 1])[:, None]  # noqa: E731
    f_AB = np.stack([f(sobol.ab_matrix(A, B, (j,))) for j in range(3)])
    r = sobol.sobol_from_outputs(f(A), f(B), f_AB, n_resamples=99)
    assert r["ST"][0] == pytest.approx([16 / 17, 1 / 17, 0], abs=0.03)
    assert r["S1"][0] == pytest.approx([16 / 17, 1 / 17, 0], abs=0.06)


def test_rank_order_separates_distinct_indices_and_not_equal_ones():
    """y = 4 x0 + 2 x1 + x2 + x3: total indices 16/22, 4/22, 1/22, 1/22. The bootstrap separates
    ranks 1 and 2 from everything else; x2 and x3 have equal indices, so ranks 3 and 4 are not
    separated (each holds its rank in about half the resamples)."""
    A, B = sobol.saltelli_matrices(1024, 4, seed=2)
    f = lambda u: (4 * u[:, 0] + 2 * u[:, 1] + u[:, 2] + u[:, 3])[:, None]  # noqa: E731
    f_AB = np.stack([f(sobol.ab_matrix(A, B, (j,))) for j in range(4)])
    r = sobol.sobol_from_outputs(f(A), f(B), f_AB, n_resamples=199, seed=1)
    assert r["ST"][0] == pytest.approx([16 / 22, 4 / 22, 1 / 22, 1 / 22], abs=0.03)
    assert r["ST_rank"][0][:2].tolist() == [1, 2] and set(r["ST_rank"][0][2:]) == {3, 4}
    assert r["ST_rank_resolved"][0].tolist()[:2] == [1, 1] and r["ST_rank_resolved"][0].tolist()[2:] == [0, 0]
    assert r["ST_rank_share"][0][:2].tolist() == [1, 1]
    assert 0.2 < r["ST_rank_share"][0][2] < 0.8
    third = int(np.flatnonzero(r["ST_rank"][0] == 3)[0])
    assert r["ST_next_resolved"][0][1] == 1 and r["ST_next_resolved"][0][third] == 0


def test_rank_order_of_exactly_equal_resamples_is_not_resolved():
    """Two factors whose index is 0 in every resample are tied, never separated; a factor above
    them in every resample is."""
    boot = np.stack([np.full(50, 0.5), np.zeros(50), np.zeros(50)])[None]
    r = sobol.rank_order(np.array([[0.5, 0.0, 0.0]]), boot)
    assert r["rank"][0].tolist() == [1, 2, 3]
    assert r["next_resolved"][0][:2].tolist() == [1, 0] and np.isnan(r["next_resolved"][0][2])
    assert r["rank_resolved"][0].tolist() == [1, 0, 0]
    assert np.isnan(sobol.rank_order(np.full((1, 3), np.nan), boot)["rank"]).all()


def test_rank_groups_and_their_sentence():
    assert tornado.rank_groups([True, True, False, True, False]) == [[1], [2], [3, 4], [5, 6]]
    assert tornado.rank_groups([True, True]) == [[1], [2]]
    assert tornado.rank_groups([]) == []
    d = pd.DataFrame({"ST_next_resolved": [True, True, True, False, True, False]})
    assert console.rank_statement(d, "en") == (
        "rank order (95% bootstrap): ranks 1-3 resolved; 4 and 5 not "
        "separated, 6 and 7 not separated (7 not listed): more "
        "replications needed (a larger --n)"
    )
    assert console.rank_statement(d, "zh") == (
        "排序（95% 自助区间）：第 1-3 名已分开；第 4、5 名未分开，第 6、7 名未分开"
        "（第 7 名未列出）：需要更多重复（加大 --n）"
    )
    assert console.rank_statement(d.iloc[:3], "en") == "rank order (95% bootstrap): ranks 1-3 all resolved"
    assert console.rank_statement(d.iloc[3:5], "en").startswith(
        "rank order (95% bootstrap): ranks 1 and 2 not separated"
    )


def test_screening_ranks_the_driving_parameter_first():
    rng = np.random.default_rng(0)
    U = rng.random((200, 3))
    Y = np.column_stack([U[:, 2] + 0.05 * rng.random(200), np.ones(200)])
    targets = [SimpleNamespace(target_id="a", active=True), SimpleNamespace(target_id="flat", active=True)]
    s = sobol.screen_parameters(targets, ["p0", "p1", "p2"], U, Y)
    assert set(s["target_id"]) == {"a"}  # a constant output is not screened
    assert sobol.top_parameters(s, 1) == ["p2"]
    assert sobol.top_parameters(s.iloc[:0], 3) == []


# ----------------------------------------------------------------------------- tornado tables


def _tornado_fixture():
    rows = []
    for tid, base in (("t1", 0.5), ("t2", 0.95)):
        rows.append(
            dict(
                target_id=tid,
                factor="base",
                kind="base",
                side="",
                setting="",
                p_hit=base,
                median=10.0,
                active=True,
                unit="亿元",
            )
        )
        for fid, kind, lo, hi in (("lever:a", "lever", 0.2, 0.8), ("p", "uncertainty", 0.45, 0.5)):
            for side, p in (("low", lo), ("high", hi)):
                rows.append(
                    dict(
                        target_id=tid,
                        factor=fid,
                        kind=kind,
                        side=side,
                        setting=side,
                        p_hit=p,
                        median=10.0 + (p - base),
                        active=True,
                        unit="亿元",
                    )
                )
    tor = pd.DataFrame(rows)
    sob = pd.DataFrame(
        [
            dict(
                target_id=tid,
                output="value",
                factor=f,
                kind=k,
                active=True,
                unit="亿元",
                ST=st,
                ST_low=st - 0.1,
                ST_high=st + 0.1,
                label_en=f,
                label_zh=f,
            )
            for tid in ("t1", "t2")
            for f, k, st in (("lever:a", "lever", 0.6), ("p", "uncertainty", 0.1))
        ]
    )
    return SimpleNamespace(sobol=sob, tornado=tor)


def test_tornado_tables():
    res = _tornado_fixture()
    w = tornado.tornado_swings(res.tornado, "t1")
    assert list(w.index) == ["lever:a", "p"]
    assert w.loc["lever:a", "p_swing"] == pytest.approx(0.6)
    assert tornado.headline_targets(res) == ["t1"]  # t2's base P(hit) is above 90%
    r = tornado.lever_ranking(res)
    assert list(r["lever"]) == ["a"] and r["max_p_swing"].iloc[0] == pytest.approx(0.6)


# ----------------------------------------------------------------------------- PRIM


def test_prim_box_statistics_and_pruning():
    X = np.tile([[0.1, 0.5], [0.2, 0.1], [0.8, 0.9], [0.9, 0.3]], (50, 1))
    y = np.tile([1.0, 1.0, 0.0, 0.0], 50)
    box = prim.Box(np.array([-np.inf, 0.4]), np.array([0.5, np.inf]))
    assert box.restricted() == [0, 1]
    assert prim.box_stats(box, X, y) == dict(mass=0.25, density=1.0, coverage=0.5, n_in=50)
    pruned = prim.prune(box, X, y)
    assert pruned.restricted() == [0]  # the second bound only costs coverage
    assert prim.box_stats(pruned, X, y)["coverage"] == 1.0


def test_prim_trajectory_starts_from_the_whole_space():
    rng = np.random.default_rng(1)
    X = rng.random((400, 2))
    y = (X[:, 0] < 0.25).astype(float)
    traj = prim.prim_trajectory(X, y)
    assert not traj[0].restricted() and len(traj) > 5
    _i, box = prim.choose_box(traj, X, y)
    assert box.restricted() == [0] and box.upper[0] == pytest.approx(0.25, abs=0.05)


# ----------------------------------------------------------------------------- ABC


def test_weighted_quantile_and_closest():
    x = np.array([3.0, 1.0, 2.0])
    assert abc.weighted_quantile(x, np.ones(3), 0.5) == pytest.approx(2.0)
    assert abc.weighted_quantile(x, np.array([1.0, 1.0, 2.0]), [0.125, 0.5, 0.875]) == pytest.approx([1.0, 2.0, 3.0])
    assert list(abc.closest(np.array([0.3, 0.1, 0.3, 0.2]), 3)) == [1, 3, 0]


def test_importance_weights_are_flat_for_a_wide_kernel_at_the_prior():
    """Proposals from a kernel mixture equal to the prior get equal weights."""
    za = np.zeros((1, 1))
    chol = np.eye(1)
    zb = np.array([[-1.0], [0.0], [2.0]])
    w = abc.importance_weights(zb, za, np.ones(1), chol)
    assert w == pytest.approx(np.full(3, 1 / 3))
    prop, ch = abc.perturb(np.array([[0.0], [1.0]]), np.array([0.5, 0.5]), 50, np.random.default_rng(0))
    assert prop.shape == (50, 1) and ch.shape == (1, 1)


def test_regression_adjustment_removes_a_linear_trend():
    rng = np.random.default_rng(2)
    ds = rng.normal(size=(400, 1))
    z = 0.5 + 2.0 * ds[:, 0:1] + 0.01 * rng.normal(size=(400, 1))
    z_adj, kw = abc.regression_adjust(z, np.full(400, 1 / 400), np.abs(ds[:, 0]), ds)
    assert z_adj.std() < 0.05 and z_adj.mean() == pytest.approx(0.5, abs=0.01)
    assert kw.sum() == pytest.approx(1.0)
    assert abc.regression_adjust(z[:5], np.full(5, 0.2), np.abs(ds[:5, 0]), ds[:5]) is None  # too few particles


def test_correlation_table_and_summaries():
    cal = SimpleNamespace(
        paths=["a", "b", "c"],
        weights=np.ones(4),
        values=np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 1.0], [3.0, 6.0, 0.0], [4.0, 8.0, 1.0]]),
    )
    t = abc.correlation_table(cal)
    assert (t.iloc[0]["parameter_a"], t.iloc[0]["parameter_b"]) == ("a", "b")
    assert t.iloc[0]["correlation"] == pytest.approx(1.0)
    table = {"trade_total": np.array([1.0, 2.0, np.nan, 4.0, 5.0, 6.0])}
    s = abc.Summaries.of_table(table, n_known=6)
    assert [list(ms) for _, ms in s.items] == [[0, 1], [3, 4, 5]]
    assert s.observed == pytest.approx([3.0, 15.0])  # a flow: the observed months summed


# ----------------------------------------------------------------------------- scores


def test_scores_tables():
    assert scores.crps_ensemble(np.array([0.0, 1.0]), 0.0) == pytest.approx(0.25)
    assert scores.randomised_pit(np.array([1.0, 2.0, 2.0, 3.0]), 2.0, 0.5) == pytest.approx(0.5)
    pts = pd.DataFrame(
        {
            "indicator": ["x", "x", "y"],
            "pit": [0.05, 0.55, 0.95],
            "in50": [False, True, True],
            "in80": [True, True, True],
            "in95": [True, True, True],
            "crps": [1.0, 1.0, 2.0],
            "crps_unconditioned": [2.0, 2.0, 2.0],
        }
    )
    cov = scores.coverage_table(pts)
    assert list(cov["nominal"]) == [0.5, 0.8, 0.95] and cov["covered"].tolist() == [2, 3, 3]
    h = scores.pit_histogram(pts)
    assert h["count"].sum() == 3 and h["count"].iloc[0] == 1 and h["expected_share"].iloc[0] == pytest.approx(0.1)
    sk = scores.score_table(pts).set_index("indicator")
    assert sk.loc["x", "crps_skill"] == pytest.approx(0.5) and sk.loc["y", "crps_skill"] == pytest.approx(0.0)


def test_sobol_bootstrap_intervals_follow_the_seed_not_the_global_generator():
    # the legacy global generator is what this test guards, so it uses it on purpose
    rng = np.random.default_rng(1)
    f_A, f_B, f_AB = rng.normal(size=(64, 2)), rng.normal(size=(64, 2)), rng.normal(size=(3, 64, 2))
    np.random.seed(0)  # noqa: NPY002
    a = sobol.sobol_from_outputs(f_A, f_B, f_AB, n_resamples=99, seed=3)
    np.random.seed(12345)  # noqa: NPY002
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    b = sobol.sobol_from_outputs(f_A, f_B, f_AB, n_resamples=99, seed=3)
    c = sobol.sobol_from_outputs(f_A, f_B, f_AB, n_resamples=99, seed=4)
    assert all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)
    assert not np.array_equal(a["S1_low"], c["S1_low"])
    assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002  # the caller's global state is left alone
