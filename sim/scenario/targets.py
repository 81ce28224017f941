"""The ``[targets]`` section and the indicators a target may name.

A target compares one indicator in one year with a threshold. :func:`indicator_ids` lists every
indicator a scenario's model produces, with its unit (built-in ids from
:mod:`sim.vocabulary.outcomes`, plus ids made from the scenario's own leaders, projects,
milestones, counts and ranking section); the whole scenario checks its targets against it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.fields import Model, Threshold, Year
from sim.vocabulary.outcomes import MODEL_INDICATORS, PEER_STATISTICS, RANKING_INDICATORS, indicator_unit


class Target(Model):
    indicator: str = Field(description="Indicator id (see docs/scenarios.md).")
    year: Year = Field(description="Calendar year the indicator is measured in.")
    op: Literal[">=", ">", "<=", "<"] = Field(description="'>=' for 达到/实现, '>' for 超过.")
    threshold: Threshold = Field(description="Value the indicator is compared with, in the indicator's unit.")
    unit: str = Field(description="Unit; must match the indicator's unit.")
    source: str = Field(description="The plan line the target comes from.")
    active: bool = Field(True, description="Inactive targets are reported but left out of the joint probability.")
    alternative_of: str = Field("", description="Target id this one is an alternative reading of.")
    note: str = Field("", description="Shown beside the target in the summary.")


def indicator_ids(s) -> dict[str, str]:
    """Every indicator this scenario's model produces, with its unit."""
    c = s.constants
    ids = {k: indicator_unit(k) for k in MODEL_INDICATORS}
    ids.update({f"leaders_{k}": "count" for k in c.leaders})
    ids.update({f"done_{k}": "0/1" for k in (*c.projects, *c.milestones)})
    ids.update({k: v.unit for k, v in c.counts.items()})
    ids.update(ranking_indicator_ids(s))
    return ids


def ranking_indicator_ids(s) -> dict[str, str]:
    """Yearly-only indicators of the national evaluation (empty without a [ranking] section):
    the zone's rank, regional rank, score and class A flag, its rank under each method variant,
    and statistics of the simulated peer population (peers_*)."""
    if s.ranking is None:
        return {}
    ids = {k: indicator_unit(k) for k in RANKING_INDICATORS}
    ids.update({f"rank_variant_{v}": indicator_unit(f"rank_variant_{v}") for v in s.ranking.variants})
    ids.update({f"peers_{k}": p.unit for k, p in PEER_STATISTICS.items()})
    return ids
