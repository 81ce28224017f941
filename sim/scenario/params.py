"""Uncertain parameters of a scenario and their per-replication values.

:func:`uncertain_paths` lists every declared distribution (in ``initial_state`` and
``uncertainties``) by its key path. :func:`draw` turns one uniform number per path into the
nested dictionary of floats the model reads, e.g. ``p["uncertainties"]["sectors"]["cbec"]["sign_prob"]``.
"""
from __future__ import annotations

import numpy as np
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


_PATHS: dict[int, tuple[Scenario, list[tuple[str, _Dist]]]] = {}


def _cached_paths(s: Scenario) -> list[tuple[str, _Dist]]:
    """:func:`uncertain_paths` of ``s``, walked once per scenario object."""
    hit = _PATHS.get(id(s))
    if hit is None or hit[0] is not s:
        if len(_PATHS) >= 64:
            _PATHS.clear()
        hit = _PATHS[id(s)] = (s, uncertain_paths(s))
    return hit[1]


def draw_rows(s: Scenario, paths: list[str], u: np.ndarray) -> list[dict]:
    """The parameters of many replications at once: ``u[row, j]`` is the uniform of ``paths[j]``;
    each distribution maps its column through its quantile function in one call. Row i of the
    result equals ``draw(s, dict(zip(paths, u[i])))``."""
    dists = dict(_cached_paths(s))
    values = np.column_stack([np.asarray(dists[p].ppf(u[:, j]), dtype=float) for j, p in enumerate(paths)]) \
        if paths else np.empty((len(u), 0))
    keys = [p.split(".") for p in paths]
    out = []
    for row in values.tolist():
        root: dict = {}
        for ks, v in zip(keys, row):
            node = root
            for k in ks[:-1]:
                node = node.setdefault(k, {})
            node[ks[-1]] = v
        out.append(root)
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
