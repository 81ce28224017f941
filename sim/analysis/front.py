"""The cost front of a goal seek: the cheapest candidate at each level of its weakest goal.

Pure functions: arrays of candidates' costs and probabilities in, indices and numbers out.

A candidate's **margin** is its smallest slack over the goals, min_g (P_g - level_g): it is
feasible when the margin is >= 0, and the larger the margin the more comfortably it meets its
weakest goal. The front keeps, in order of cost, each candidate whose margin is higher than every
cheaper one's (equal costs: the higher margin), so along the front more cost always buys a higher
margin: the staircase of "the least you pay for this much of the weakest goal".
"""

from __future__ import annotations

import numpy as np


def margins(p: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """[candidate] smallest slack min_g (p[candidate, g] - levels[g])."""
    p = np.asarray(p, float)
    return (p - np.asarray(levels, float)[None, :]).min(axis=1) if p.size else np.zeros(len(p))


def cost_front(cost: np.ndarray, margin: np.ndarray) -> np.ndarray:
    """Indices of the front, cheapest first: each candidate whose margin beats every cheaper one's."""
    cost, margin = np.asarray(cost, float), np.asarray(margin, float)
    order = np.lexsort((np.arange(len(cost)), -margin, cost))  # by cost, then higher margin, then first
    out, best = [], -np.inf
    for i in order:
        if margin[i] > best:
            out.append(int(i))
            best = margin[i]
    return np.asarray(out, int)


def cheapest_feasible(cost: np.ndarray, margin: np.ndarray) -> int | None:
    """The cheapest candidate with margin >= 0 (ties: the larger margin, then the first); None if none."""
    ok = np.flatnonzero(np.asarray(margin, float) >= 0)
    if not len(ok):
        return None
    return int(ok[np.lexsort((ok, -np.asarray(margin)[ok], np.asarray(cost)[ok]))[0]])


def closest(cost: np.ndarray, margin: np.ndarray) -> int:
    """The candidate with the largest margin (ties: the cheaper, then the first)."""
    idx = np.arange(len(cost))
    return int(np.lexsort((idx, np.asarray(cost, float), -np.asarray(margin, float)))[0])
