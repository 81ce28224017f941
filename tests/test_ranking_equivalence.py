"""The compiled ranking gives the reference ranking's answers on the same draws.

The reference (tests/reference_model/ranking.py) is the national evaluation as it was before its
compiled kernel: every data year scored with numpy calls, trade's marginal solved with scipy. Both
rank the same replications of the baseline (the zone model's outputs, its macro index) with the
same generator per replication, so they draw the same peers, methods and deductions; only the
order of additions inside a weighted sum and the root-finder's arithmetic differ, which moves a
score in its last bits.

* Exact tier: every rank, board rank and class-A flag equal on every replication, every score and
  every peer statistic within a relative 1e-9 (a rank could only differ where two zones' scores
  agree to the last bits; none does in these replications).
* Statistical tier (the engine's equivalence test, tests/test_engine_equivalence.py, applied to the
  ranking's indicators): paired difference of means and of the empirical CDFs at the reference's
  10/50/90% quantiles within the Bonferroni bound of a 1% family-wise false-alarm rate.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from reference_model.ranking import rank_replication as reference_rank  # noqa: E402
from test_engine_equivalence import BASELINE, compare, z_star  # noqa: E402

from sim.experiment.replication import run_replication  # noqa: E402
from sim.random import Streams  # noqa: E402
from sim.ranking import rank_replication  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

SEED = 20261206
EXACT = {"rank", "rank_regional", "class_a", "n_evaluated", "reference_rank"}


def _outputs(out) -> dict[str, np.ndarray]:
    flat = dict(out.indicators)
    flat.update({f"rank_variant_{k}": v for k, v in out.variants.items()})
    flat.update({f"peers_{k}": v for k, v in out.peers.items()})
    return flat


def paired(reps: int, seed: int = SEED) -> tuple[list[str], list[int], np.ndarray, np.ndarray]:
    """(indicator names, years, program [rep, year, ind], reference [rep, year, ind])."""
    sc = load_scenario(BASELINE).scenario
    cfg, years = sc.ranking, sc.run.years
    fast, ref = [], []
    for rep in range(reps):
        res = run_replication(sc, seed, rep, ranking=False, nowcast=False)[2]
        zone, base, macro = dict(res.yearly), dict(res.base), np.asarray(res.macro_yearly)
        a = _outputs(rank_replication(cfg, zone, base, years, macro, Streams(seed, rep)("ranking")))
        b = _outputs(reference_rank(cfg, zone, base, years, macro, Streams(seed, rep)("ranking")))
        fast.append(a)
        ref.append(b)
    names = sorted(fast[0])
    stack = [np.stack([np.column_stack([o[k] for k in names]) for o in runs]) for runs in (fast, ref)]
    return names, years, stack[0], stack[1]


@pytest.fixture(scope="module")
def small():
    return paired(120)


def test_same_ranks_and_scores_to_the_last_bits(small):
    names, _, fast, ref = small
    for j, name in enumerate(names):
        a, b = fast[:, :, j], ref[:, :, j]
        base = name.split("peers_")[-1]
        if base in EXACT or name.startswith("rank_variant_"):
            assert np.array_equal(a, b), f"{name}: {int((a != b).sum())} of {a.size} values differ"
        else:
            assert np.allclose(a, b, rtol=1e-9, atol=0, equal_nan=True), f"{name}: max diff {np.nanmax(abs(a - b))}"


def test_the_exact_tier_can_fail(small):
    """A one-place shift of the rank, or a score moved by a relative 1e-8, is seen by the checks above."""
    names, _, fast, ref = small
    j = names.index("rank")
    assert not np.array_equal(fast[:, :, j] + (np.arange(fast.shape[0]) == 7)[:, None], ref[:, :, j])
    k = names.index("eval_score")
    assert not np.allclose(fast[:, :, k] * (1 + 1e-8), ref[:, :, k], rtol=1e-9, atol=0)


@pytest.mark.slow
def test_every_ranking_indicator_has_the_reference_distribution():
    names, years, fast, ref = paired(1500)
    # differences within the exact tier's rounding count as none (a paired mean of last-bit
    # differences, all of one sign, would otherwise stand many of its tiny standard errors from 0)
    fast = np.where(np.isclose(fast, ref, rtol=1e-9, atol=0), ref, fast)
    keep = [j for j in range(len(names)) if np.isfinite(ref[:, :, j]).all()]
    rows = compare([names[j] for j in keep], years, fast[:, :, keep], ref[:, :, keep])
    zs = z_star(len(rows))
    bad = [r for r in rows if abs(r["z"]) > zs]
    assert not bad, "\n".join(
        f"{r['indicator']} {r['year']} {r['stat']}: z = {r['z']:.2f} (bound {zs:.2f})" for r in bad
    )
