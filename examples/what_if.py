"""A what-if in a notebook: the e-commerce site three months earlier and two more promotion events.

Run it from the repository root: ``python examples/what_if.py [REPS]`` (default 400 replications).
Each step is what a notebook cell would hold; the test suite executes this script.
"""

import sys
import tempfile
from pathlib import Path

import sim

REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 400

base = sim.load_scenario("scenarios/baseline.toml")
what_if = sim.load_scenario(
    "scenarios/baseline.toml",
    overrides={
        "levers.milestone_month.cbec_site": "2022-03",
        "levers.promotion_events_per_year": base.scenario.levers.promotion_events_per_year + 2,
    },
)

SEED = base.scenario.run.seed  # the scenario's own seed
res = sim.run(what_if, reps=REPS, seed=SEED)
print(res.summary[["target_id", "p_hit", "ci_low", "ci_high", "base", "growth_needed"]].head(8).to_string(index=False))
print(res.base_year.to_string(index=False))  # the starting point: 2021 figures
print(res.indicators.head(3).to_string(index=False))  # tidy: rep, year, indicator, value
print(res.monthly.head(3).to_string(index=False))
if res.ranking is not None:
    print(res.ranking.head(3).to_string(index=False))

# the paired difference from the baseline on common random numbers (same seed, same replications):
# the targets whose difference's 95% simulation-precision interval excludes 0
table = res.difference(sim.run(base, reps=REPS, seed=SEED, monthly=False))
moved = table.loc[
    (table["diff_low"] > 0) | (table["diff_high"] < 0),
    ["target_id", "p_ref", "p_ref_low", "p_ref_high", "p", "p_low", "p_high", "diff", "diff_low", "diff_high"],
]
print(moved.to_string(index=False))

with tempfile.TemporaryDirectory() as tmp:
    out = res.save(Path(tmp) / "what_if")  # the folder `run ... --no-report` writes
    print(sorted(p.name for p in out.iterdir()))
