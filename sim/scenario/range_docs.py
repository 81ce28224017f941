"""The table of ranges in docs/scenarios.md, made from the schema itself.

``python -m sim.scenario.range_docs`` prints it: every kind of number
(:data:`sim.scenario.ranges.RANGES`) with its range, its reason and the keys that use it, then the
limits on entries (:data:`sim.scenario.ranges.LIMITS`). tests/test_scenario_errors.py checks the
docs hold the current table.
"""

from __future__ import annotations

import typing

from pydantic import BaseModel

from sim.scenario.ranges import LIMITS, RANGES
from sim.scenario.schema import Scenario


def _kinds(tp, found: set[str], seen: set) -> None:
    """Range kinds declared inside the type ``tp`` (Annotated metadata), and models to visit."""
    for meta in getattr(tp, "__metadata__", ()):
        kind = getattr(getattr(meta, "func", None), "kind", None)
        if kind:
            found.add(kind)
    for arg in typing.get_args(tp):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            continue
        _kinds(arg, found, seen)


def keys_by_kind() -> dict[str, list[str]]:
    """Range kind -> key paths of the scenario schema that use it (ids as ``<id>``)."""
    out: dict[str, list[str]] = {k: [] for k in RANGES}

    def models_in(tp):
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            yield tp, ""
        for arg in typing.get_args(tp):
            for m, suffix in models_in(arg):
                yield m, (".<id>" if typing.get_origin(tp) is dict else "") + suffix

    def visit(model: type[BaseModel], prefix: str, depth: int) -> None:
        if depth > 6:
            return
        hints = typing.get_type_hints(model, include_extras=True)
        for name, field in model.model_fields.items():
            key = f"{prefix}{field.alias or name}"
            found: set[str] = set()
            for meta in field.metadata:
                kind = getattr(getattr(meta, "func", None), "kind", None)
                if kind:
                    found.add(kind)
            _kinds(hints.get(name), found, set())
            for kind in found:
                out[kind].append(key + (".<id>" if typing.get_origin(_plain(hints.get(name))) is dict else ""))
            for m, suffix in models_in(_plain(hints.get(name))):
                if m.__module__.startswith("sim.scenario.distributions"):
                    continue
                visit(m, f"{key}{suffix}.", depth + 1)

    visit(Scenario, "", 0)
    return out


def _plain(tp):
    return typing.get_args(tp)[0] if typing.get_origin(tp) is typing.Annotated else tp


ELSEWHERE = {
    "rank": "`targets.<id>.threshold` of a rank target",
    "fallback": "`ranking.zone.fallback.<id>`, `ranking.zone.offsets.<id>`",
}
"""Kinds checked outside the field types (by the whole-scenario checks)."""


def table() -> str:
    """The markdown table of ranges and limits."""
    rows = ["| kind | allowed | reason | keys |", "|---|---|---|---|"]
    keys = keys_by_kind()
    for kind, r in RANGES.items():
        used = ", ".join(f"`{k}`" for k in sorted(set(keys[kind]))) or ELSEWHERE.get(kind, "")
        rows.append(f"| {kind} | {r.text()} | {r.reason} | {used} |")
    rows += ["", "| entries | most allowed |", "|---|---|"]
    rows += [f"| {k} | {v:,} |" for k, v in LIMITS.items()]
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
