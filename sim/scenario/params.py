"""Uncertain parameters of a scenario and their per-replication values.

:func:`uncertain_paths` lists every declared distribution (in ``initial_state`` and
``uncertainties``) by its key path. :func:`draw` turns one uniform number per path into the
nested dictionary of floats the model reads, e.g. ``p["uncertainties"]["sectors"]["cbec"]["sign_prob"]``.
"""
from __future__ import annotations

from pydantic import BaseModel

from sim.scenario.distributions import _Dist
from sim.scenario.schema import Scenario

DRAWN_SECTIONS = ("initial_state", "uncertainties")


def _walk(node, prefix):
    if isinstance(node, _Dist):
        yield prefix, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _walk(getattr(node, name), f"{prefix}.{name}")
    elif isinstance(node, dict):
        for k in node:
            yield from _walk(node[k], f"{prefix}.{k}")


def uncertain_paths(s: Scenario) -> list[tuple[str, _Dist]]:
    """(key path, distribution) for every drawn parameter, in a stable order."""
    out = []
    for sec in DRAWN_SECTIONS:
        out.extend(_walk(getattr(s, sec), sec))
    return out


def _nested(s: Scenario, value_of) -> dict:
    root: dict = {}
    for path, dist in uncertain_paths(s):
        keys = path.split(".")
        node = root
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = float(value_of(path, dist))
    return root


def draw(s: Scenario, u: dict[str, float]) -> dict:
    """Nested dict of parameter values, ``u[path]`` mapped through each distribution."""
    return _nested(s, lambda path, dist: dist.ppf(u[path]))


def means(s: Scenario) -> dict:
    """Nested dict of the analytic means (for tests and documentation)."""
    return _nested(s, lambda path, dist: dist.mean())
