"""The experiment engine: chunk boundaries, worker-count independence, outputs, resume; and the
model's completion times as studies read them (sim.model.completion_times)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import DATA

from sim.chunks import MemoryStore
from sim.experiment import engine, runner
from sim.experiment.discover import experiments_table
from sim.experiment.engine import Outputs, evaluate, replications, rows_design
from sim.experiment.executors import LocalExecutor
from sim.experiment.levers import find, with_levers
from sim.model import completion_times
from sim.model.draws import Draws
from sim.model.spec import spec_of
from sim.model.state import ZoneState
from sim.scenario.loader import load_scenario

TINY = DATA / "tiny.toml"


@pytest.fixture(scope="module")
def tiny():
    return load_scenario(TINY)


@pytest.fixture(scope="module")
def busier():
    return load_scenario(TINY, ["levers.promotion_events_per_year=4"])


def _sensitivity_like(ls) -> engine.Design:
    """Rows with uniform overrides and lever values, as sensitivity and discover build them."""
    wall = find(ls.scenario, "project_month.wall")
    rows = []
    for r in range(7):
        ov = {"uncertainties.macro.growth_per_year": 0.05 + 0.1 * r} if r % 3 else None
        lev = (("project_month.wall", wall.baseline + r % 2 * 6), ("promotion_events_per_year", 1 + r % 3))
        rows.append((r, ov, lev))
    return rows_design(ls, 3, rows, chunk_size=2)


def _bytes(ev: engine.Evaluation) -> bytes:
    return ev.yearly().tobytes() + ev.monthly().tobytes()


def test_chunk_boundaries_depend_only_on_the_design(tiny, busier):
    d = replications([tiny.scenario, busier.scenario], [1, 1], 5, chunk_size=2)
    # a new chunk every 2 rows of one base scenario and wherever the base changes
    assert d.chunks() == [(0, 2), (2, 4), (4, 5), (5, 7), (7, 9), (9, 10)]
    assert runner.chunk_ranges(450) == replications([tiny.scenario], [1], 450).chunks()
    stores = []
    for workers in (1, 2):
        st = MemoryStore()
        evaluate(d, LocalExecutor(workers), False, st)
        stores.append(st)
    assert sorted(stores[0].chunks) == sorted(stores[1].chunks) == d.chunks()


def test_multi_point_design_same_bytes_for_any_worker_count(tiny, busier):
    d = replications([tiny.scenario, busier.scenario], [4, 9], 5, chunk_size=2)
    one, two = evaluate(d, LocalExecutor(1), False), evaluate(d, LocalExecutor(2), False)
    for p, (sc, root) in enumerate(((tiny.scenario, 4), (busier.scenario, 9))):
        a, b = one.indicators(p), two.indicators(p)
        assert a.values.tobytes() == b.values.tobytes() and a.monthly.tobytes() == b.monthly.tobytes()
        run = runner.run_experiment(sc, 5, root, workers=1, progress=False)  # each point equals its run
        assert a.values.tobytes() == run.values.tobytes() and list(a.reps) == list(run.reps)
    with pytest.raises(ValueError):
        one.yearly()  # two base scenarios: read point by point


@pytest.mark.parametrize("workers", [1, 2])
def test_the_executors_meanwhile_runs_once_and_changes_nothing(tiny, workers):
    """The work a caller does while the workers compute (the run command loads its chart library
    there) is done once per map, in the caller's process, and the results are the same bytes."""
    d = replications([tiny.scenario], [4], 6, chunk_size=2)
    calls: list[int] = []
    with_work = evaluate(d, LocalExecutor(workers, meanwhile=lambda: calls.append(1)), False)
    assert calls == [1]
    plain = evaluate(d, LocalExecutor(workers), False)
    assert with_work.yearly().tobytes() == plain.yearly().tobytes()


def test_sensitivity_like_design_same_bytes_for_any_worker_count(tiny):
    d = _sensitivity_like(tiny)
    assert len(d.points) == 6 and d.chunks() == [(0, 2), (2, 4), (4, 6), (6, 7)]
    one, two = evaluate(d, LocalExecutor(1), False), evaluate(d, LocalExecutor(2), False)
    assert _bytes(one) == _bytes(two)
    # row 4: its overrides and lever values reach the model as a direct replication would take them
    sc = with_levers(tiny, dict(d.points[d.point[4]].levers)).scenario
    y, m, _ = runner.run_replication(sc, 3, 4, u_override={"uncertainties.macro.growth_per_year": 0.45})
    assert one.yearly()[4].tobytes() == y.tobytes() and one.monthly()[4].tobytes() == m.tobytes()


def test_outputs_say_what_rows_return(tiny):
    names = ("trade_total", "employees")
    d = replications([tiny.scenario], [2], 3, Outputs(monthly=names, ranking=False, nowcast=False))
    ev = evaluate(d, LocalExecutor(1), False)
    assert ev.monthly().shape == (3, tiny.scenario.run.horizon_months, 2)
    _, _, res = runner.run_replication(tiny.scenario, 2, 1)
    assert np.array_equal(ev.monthly()[1, :, 1], res.monthly["employees"])
    none = evaluate(replications([tiny.scenario], [2], 3, Outputs(monthly=False)), LocalExecutor(1), False)
    assert none.monthly().shape == (3, tiny.scenario.run.horizon_months, 0)
    assert none.yearly().tobytes() == ev.yearly().tobytes()


def test_resume_computes_only_the_missing_chunks(tiny, monkeypatch):
    d = replications([tiny.scenario], [6], 5, chunk_size=2)
    full = MemoryStore()
    evaluate(d, LocalExecutor(1), False, full)
    part = MemoryStore()
    part.save(full.load(0, 2))
    part.save(full.load(4, 5))
    calls = []
    real = engine.run_chunk
    monkeypatch.setattr(engine, "run_chunk", lambda *a: calls.append(a[-2:]) or real(*a))
    ev = evaluate(d, LocalExecutor(1), False, part)
    assert calls == [(2, 4)]
    assert _bytes(ev) == _bytes(engine.Evaluation(d, full, d.chunks()))


def test_completion_times_are_the_models_and_honour_dependencies(tiny):
    sc = tiny.scenario
    for rep in range(3):
        p = runner.replication_params(sc, 7, rep)
        T = completion_times(sc, p["uncertainties"])
        assert T == ZoneState(spec_of(sc), p, Draws(7, rep)).T
        assert T["park"] >= T["road"] and T["site"] >= T["park"] and T["late"] >= T["wall"]


def test_discover_due_times_are_the_models(tiny):
    """With lever values drawn per replication, discover's due columns equal the model's
    completion times in the scenario with those levers (dependencies included)."""
    sc = tiny.scenario
    levers = [
        dataclasses.replace(find(sc, "project_month.road"), range=(3.0, 12.0)),
        dataclasses.replace(find(sc, "infrastructure_funding"), range=(0.6, 1.4)),
    ]
    exp, _ = experiments_table(tiny, 6, 11, levers)
    for r in range(6):
        row = exp.iloc[r]
        sc_r = with_levers(tiny, {lv.id: row[f"lever:{lv.id}"] for lv in levers}).scenario
        T = ZoneState(spec_of(sc_r), runner.replication_params(sc_r, 11, r), Draws(11, r)).T
        assert {k: row[f"due:{k}"] for k in T} == T
