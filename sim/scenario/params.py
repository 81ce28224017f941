"""Uncertain parameters of a scenario and their per-replication values.

:func:`uncertain_paths` lists every declared distribution (in ``initial_state``,
``base_year`` and ``uncertainties``) by its key path. :func:`draw_rows` turns one uniform number per path and replication into
the nested dictionary of floats the model reads, e.g. ``p["uncertainties"]["sectors"]["cbec"]["sign_prob"]``.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
from pydantic import BaseModel

from sim.memo import per_object
from sim.scenario.distributions import _Dist
from sim.scenario.schema import Scenario

DRAWN_SECTIONS = ("initial_state", "base_year", "uncertainties")


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


_cached_paths = per_object(uncertain_paths)
""":func:`uncertain_paths` of a scenario, walked once per scenario object."""


def draw_rows(s: Scenario, paths: list[str], u: np.ndarray) -> list[dict]:
    """The parameters of many replications at once: ``u[row, j]`` is the uniform of ``paths[j]``;
    each distribution maps its column through its quantile function in one call. Row i of the
    result is the nested dictionary of row i's values, e.g. ``p["uncertainties"]["macro"]["growth_per_year"]``
    (built one dictionary level at a time for all rows, from a key tree worked out once per list of paths)."""
    if not paths:
        return [{} for _ in range(len(u))]
    dists = dict(_cached_paths(s))
    values = np.column_stack([np.asarray(dists[p].ppf(u[:, j]), dtype=float) for j, p in enumerate(paths)])
    return _rows(_tree(tuple(paths)), values.T.tolist())


@functools.lru_cache(maxsize=64)
def _tree(paths: tuple[str, ...]) -> tuple:
    """The key paths as a tree, worked out once per list of paths: a node is a tuple of (key,
    child) in the order the keys first appear, a child the column index of a value or a node."""
    return _frozen(_nested([p.split(".") for p in paths], range(len(paths))))


def _frozen(node: dict) -> tuple:
    return tuple((k, v if isinstance(v, int) else _frozen(v)) for k, v in node.items())


def _rows(node: tuple, columns: list[list[float]]) -> list[dict]:
    """The dictionaries of ``node`` in every row, built a node at a time across the rows:
    ``columns[j]`` holds column j's value in each row."""
    children = [columns[c] if isinstance(c, int) else _rows(c, columns) for _, c in node]
    return list(map(dict, map(zip, itertools.repeat([k for k, _ in node]), zip(*children, strict=True))))


def _nested(keys: list[list[str]], values) -> dict:
    """The nested dictionary with ``values[i]`` at key path ``keys[i]``."""
    root: dict = {}
    for ks, v in zip(keys, values, strict=True):
        node = root
        for k in ks[:-1]:
            node = node.setdefault(k, {})
        node[ks[-1]] = v
    return root


def means(s: Scenario) -> dict:
    """Nested dict of the analytic means (for tests and documentation)."""
    pairs = uncertain_paths(s)
    return _nested([p.split(".") for p, _ in pairs], [float(d.mean()) for _, d in pairs])
