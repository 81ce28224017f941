"""Which method version scores a data year the facts do not settle: the planner's belief, as data.

The belief is ``[ranking.method_belief]`` of ``scenarios/evaluation_methods.toml`` (each number with
its reason there, in Chinese and English); a planner changes it like any key (``--set
ranking.method_belief.revision_from=2025``) or states a data year's method outright under
``ranking.method_by_year``, which wins. :func:`default_method` reads it together with the facts the
planner could know (whether the revision had been issued before the plan starts).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.config_base import StrictModel


class MethodBelief(StrictModel):
    before: str = Field(description="Method of the data years evaluated before the revision was issued.")
    revision: str = Field(description="The revised method.")
    revision_issued: str = Field(
        description="Indicator of the national fact whose date tells a planner that the revision was issued "
        "(scenarios/national_facts.csv)."
    )
    mixed_year: int = Field(
        description="First data year that may already be scored by the revision (evaluated in the year it was issued)."
    )
    revision_from: int = Field(
        description="First data year the revision scores for certain, once the planner knows it was issued."
    )
    mixed: dict[str, float] = Field(
        description="Method -> probability for the data years from mixed_year on that the belief does not settle "
        "(and for every such year while the planner cannot know the revision was issued); sums to 1."
    )

    @model_validator(mode="after")
    def _check(self):
        if self.revision_from < self.mixed_year:
            raise ValueError(f"revision_from ({self.revision_from}) is before mixed_year ({self.mixed_year})")
        if any(not 0 <= w <= 1 for w in self.mixed.values()) or abs(sum(self.mixed.values()) - 1) > 1e-9:
            raise ValueError(f"mixed: probabilities must lie in [0, 1] and sum to 1, got {self.mixed}")
        return self

    def methods(self) -> set[str]:
        """Every method id the belief names."""
        return {self.before, self.revision, *self.mixed}


def default_method(year: int, issued: bool, belief: MethodBelief) -> str | dict[str, float]:
    """The method a planner expects for data ``year`` without better knowledge: ``belief.before``
    before ``belief.mixed_year``; ``belief.revision`` from ``belief.revision_from`` on once the
    planner knows it was issued (``issued``: its fact is dated before the plan); otherwise the
    ``belief.mixed`` probabilities."""
    if year < belief.mixed_year:
        return belief.before
    if year >= belief.revision_from and issued:
        return belief.revision
    return dict(belief.mixed)
