"""Checks that tell before a run whether the run has everything it needs and nothing absurd.

``validate`` calls these from the whole-scenario check (:mod:`sim.scenario.schema`), so a scenario
that validates runs: the national evaluation has a value for every variable it scores, and the
numbers the ranking section states lie in a plausible range (:mod:`sim.scenario.ranges`).
"""

from __future__ import annotations

from sim.ranking.config.variables import ZONE_MODEL_VARIABLES
from sim.scenario.ranges import RANGES
from sim.vocabulary.outcomes import MODEL_INDICATORS


def produced_variables(sc) -> set[str]:
    """Yearly variables the zone's model produces for the evaluation (built-in indicators and the
    scenario's own counts)."""
    return set(MODEL_INDICATORS) | set(sc.constants.counts)


def check_ranking_inputs(sc) -> None:
    """Every variable the evaluation scores is produced by the model or stated in
    ``ranking.zone.fallback``; stated ranking figures are plausible. Raises ValueError with every
    problem, one per line."""
    r = sc.ranking
    if r is None:
        return
    problems = []
    zone = r.zone
    lacking = [k for k in ZONE_MODEL_VARIABLES if k not in produced_variables(sc) and k not in zone.fallback]
    if lacking:
        problems.append(
            f"ranking.zone.fallback: the evaluation scores the zone's yearly {', '.join(lacking)}, which this "
            f"scenario's model does not produce; state each under [ranking.zone] fallback = {{ ... }} with its "
            f"source, or add the programme under [constants.counts]"
        )
    fb = RANGES["fallback"]
    for group in ("fallback", "offsets"):
        for k, v in getattr(zone, group).items():
            if not fb.contains(abs(v)):
                problems.append(f"ranking.zone.{group}.{k}: {fb.refusal(f'got {v:g}')}")
    zy = RANGES["zone_yi"]
    if not zy.contains(zone.province_trade_yi / 100):  # a province trades up to 100 zones' worth
        problems.append(
            f"ranking.zone.province_trade_yi: expected a province's yearly trade > 0 and <= 1e+07 亿元 (the largest "
            f"province trades some 8万亿元), got {zone.province_trade_yi:g}"
        )
    problems += reference_rank_problems(sc)
    if problems:
        raise ValueError("\n".join(problems))


def reference_rank_problems(sc) -> list[str]:
    """One rank threshold per data year: every rank target's threshold is the reference rank of its
    data year (left out, ``ranking.reference_rank`` is derived from the targets: sim.ranking.config.fill)."""
    r = sc.ranking
    out = []
    for tid, t in sc.targets.items():
        if t.indicator == "rank" and r.reference_rank_in(t.year) != t.threshold:
            out.append(
                f"ranking.reference_rank: {r.reference_rank_in(t.year)} for data year {t.year}, but targets.{tid} "
                f"asks for rank <= {t.threshold:g}; one rank per data year: leave ranking.reference_rank out "
                f"(each year's rank target sets it) or state the target's rank"
            )
    for y in sc.run.years:  # the zone holding the reference rank must exist in every replication
        ref, fewest = r.reference_rank_in(y), r.evaluated(y).low
        if ref > fewest:
            rank_ids = [tid for tid, t in sc.targets.items() if t.indicator == "rank" and t.year == y]
            key = f"targets.{rank_ids[0]}" if rank_ids else "ranking.reference_rank"
            out.append(
                f"{key}: rank <= {ref} in data year {y}, but as few as {fewest} zones are evaluated that year "
                f"(ranking.peers.evaluated_by_year, from the national facts); expected a rank of at most {fewest}"
            )
    return out
