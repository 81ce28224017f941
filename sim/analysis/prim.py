"""PRIM, the patient rule induction method (Friedman & Fisher 1999): boxes of an input space
where an outcome is much more frequent than overall.

Pure numerics: ``X`` [run, input] and ``y`` [run] (1 = the outcome of interest) in, boxes out.
Peel the box a few percent at a time along whichever edge raises the outcome's rate most, keep
the trajectory, choose the box with the best balance of density (share of the box's runs with
the outcome) and coverage (share of all such runs inside the box), then drop the restrictions
that do not matter; further rules are found on the runs the earlier rules leave out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass
class Box:
    """Lower and upper bound per input column; -inf / +inf = unrestricted on that side."""

    lower: np.ndarray
    upper: np.ndarray

    def contains(self, X: np.ndarray) -> np.ndarray:
        return np.all((self.lower <= X) & (self.upper >= X), axis=1)

    def restricted(self) -> list[int]:
        return [j for j in range(len(self.lower)) if np.isfinite(self.lower[j]) or np.isfinite(self.upper[j])]

    def copy(self) -> Box:
        return Box(self.lower.copy(), self.upper.copy())


def box_stats(box: Box, X: np.ndarray, y: np.ndarray) -> dict:
    inside = box.contains(X)
    n_in, hits_in, total = int(inside.sum()), int(y[inside].sum()), int(y.sum())
    return dict(
        mass=n_in / len(y) if len(y) else np.nan,
        density=hits_in / n_in if n_in else np.nan,
        coverage=hits_in / total if total else np.nan,
        n_in=n_in,
    )


def prim_trajectory(X: np.ndarray, y: np.ndarray, alpha: float = 0.05, min_mass: float = 0.05) -> list[Box]:
    """Peeling trajectory: boxes from the whole space down to ``min_mass`` of the data."""
    n, d = X.shape
    box = Box(np.full(d, -np.inf), np.full(d, np.inf))
    inside = np.ones(n, bool)
    traj = [box.copy()]
    while inside.sum() > max(min_mass * n, 2):
        best = None
        xi, yi = X[inside], y[inside]
        m = len(yi)
        for j in range(d):
            col = xi[:, j]
            lo_q, hi_q = np.quantile(col, [alpha, 1 - alpha])
            for side, keep in (
                ("lower", col > lo_q if lo_q > col.min() else col > col.min()),
                ("upper", col < hi_q if hi_q < col.max() else col < col.max()),
            ):
                k = int(keep.sum())
                if k == m or k < max(min_mass * n, 2):
                    continue
                dens = yi[keep].mean()
                # the largest density wins; among equals the smallest peel
                score = (dens, k)
                if best is None or score > best[0]:
                    best = (score, j, side, keep)
        if best is None:
            break
        _, j, side, keep = best
        col = xi[:, j]
        if side == "lower":
            box.lower[j] = col[keep].min()
        else:
            box.upper[j] = col[keep].max()
        idx = np.flatnonzero(inside)
        inside[idx[~keep]] = False
        traj.append(box.copy())
    return traj


def choose_box(traj: list[Box], X: np.ndarray, y: np.ndarray) -> tuple[int, Box]:
    """The box along the trajectory with the best balance of lift and coverage: the harmonic mean
    of coverage and the normalised density (density - base) / (1 - base), which is 0 for the whole
    space and 1 for a box holding every miss and nothing else."""
    base = float(y.mean()) if len(y) else 0.0
    best, best_i = -1.0, 0
    for i, b in enumerate(traj):
        s = box_stats(b, X, y)
        if s["n_in"] == 0 or not s["coverage"] or base >= 1:
            continue
        lift = max((s["density"] - base) / (1 - base), 0.0)
        f1 = 2 * lift * s["coverage"] / (lift + s["coverage"]) if lift + s["coverage"] > 0 else 0.0
        if f1 > best + 1e-12:
            best, best_i = f1, i
    return best_i, traj[best_i].copy()


def prune(box: Box, X: np.ndarray, y: np.ndarray, max_dims: int = 3, tol: float = 0.02) -> Box:
    """Drop restrictions that barely matter: while one can go with the density falling at most
    ``tol`` (or two standard errors of the density, if larger) below the chosen box's, or while
    more than ``max_dims`` remain, drop the one whose removal costs the least density (a readable
    rule names two or three conditions, not twenty, and none that only fits noise)."""
    box = box.copy()
    ref = box_stats(box, X, y)["density"]
    while box.restricted():
        dims = box.restricted()
        cand = []
        for j in dims:
            b = box.copy()
            b.lower[j], b.upper[j] = -np.inf, np.inf
            st = box_stats(b, X, y)
            cand.append((st["density"], -j, b, st["n_in"]))
        dens, _, b, n_in = max(cand, key=lambda c: (c[0], c[1]))
        se = math.sqrt(max(dens * (1 - dens), 1e-12) / max(n_in, 1))
        if dens >= ref - max(tol, 2 * se):
            box = b
        elif len(dims) > max_dims:
            box, ref = b, dens  # forced: the rule must stay readable
        else:
            break
    return box


def find_rules(
    X: np.ndarray,
    y: np.ndarray,
    n_rules: int = 3,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    max_dims: int = 3,
    min_lift: float = 1.2,
) -> list[tuple[Box, list[Box], int]]:
    """Up to ``n_rules`` boxes, each found on the runs the earlier ones leave out (covering).

    Returns (pruned box, its peeling trajectory, chosen step) per rule."""
    out = []
    left = np.ones(len(y), bool)
    base = y.mean() if len(y) else 0
    for _ in range(n_rules):
        Xl, yl = X[left], y[left]
        if yl.sum() < 5 or yl.sum() == len(yl):
            break
        traj = prim_trajectory(Xl, yl, alpha, min_mass)
        i, box = choose_box(traj, Xl, yl)
        box = prune(box, Xl, yl, max_dims)
        s = box_stats(box, X, y)
        if not box.restricted() or s["n_in"] == 0 or s["density"] < min_lift * base:
            break
        out.append((box, traj, i))
        left &= ~box.contains(X)
    return out
