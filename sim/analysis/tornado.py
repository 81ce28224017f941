"""Tables of a sensitivity study's results: tornado swings, lever ranking, headline targets, the
factors a study reports for a target and how its rank order splits.

Pure functions of the ``sobol`` and ``tornado`` tables a sensitivity study produces (one row per
target x output x factor, and per target x factor x side); ``res`` is any object carrying both
as attributes ``sobol`` and ``tornado``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TORNADO_LOW, TORNADO_HIGH = 0.1, 0.9
"""Quantiles at which the tornado sets an uncertain parameter (low and high side)."""


def tornado_swings(tornado: pd.DataFrame, target_id: str) -> pd.DataFrame:
    """One row per factor: low and high P(hit) and median, swings, sorted by |P swing| then |median swing|."""
    d = tornado[(tornado["target_id"] == target_id) & (tornado["factor"] != "base")]
    lo = d[d["side"] == "low"].set_index("factor")
    hi = d[d["side"] == "high"].set_index("factor")
    w = pd.DataFrame(
        {
            "kind": lo["kind"],
            "setting_low": lo["setting"],
            "setting_high": hi["setting"],
            "p_low": lo["p_hit"],
            "p_high": hi["p_hit"],
            "median_low": lo["median"],
            "median_high": hi["median"],
        }
    )
    w["p_swing"] = w["p_high"] - w["p_low"]
    w["median_swing"] = w["median_high"] - w["median_low"]
    w["abs_p"] = w["p_swing"].abs()
    w["abs_m"] = w["median_swing"].abs()
    return w.sort_values(["abs_p", "abs_m"], ascending=False).drop(columns=["abs_p", "abs_m"])


def headline_targets(res, k: int = 4) -> list[str]:
    """Active outcome targets where a lever matters most: base P(hit) between 10% and 90% (so it can
    move), ranked by the largest total Sobol index of any lever on the target's indicator. Deadline
    targets (0/1: done by year end) are left out: their own date lever decides them by construction."""
    b = res.tornado[
        (res.tornado["factor"] == "base")
        & res.tornado["active"]
        & (res.tornado["unit"] != "0/1")
        & ~res.tornado["target_id"].str.startswith("ALL_")
    ]
    open_ = set(b[(b["p_hit"] >= 0.1) & (b["p_hit"] <= 0.9)]["target_id"])
    v = res.sobol[(res.sobol["output"] == "value") & res.sobol["target_id"].isin(open_) & res.sobol["ST"].notna()]
    if v.empty:
        return list(b.assign(s=b["p_hit"] * (1 - b["p_hit"])).sort_values("s", ascending=False)["target_id"][:k])
    lev = v[v["kind"] == "lever"].groupby("target_id")["ST"].max().sort_values(ascending=False)
    return list(lev.index[:k])


def lever_ranking(res) -> pd.DataFrame:
    """One row per ranged lever: its largest tornado swing of P(hit) (percentage points, the unit
    planners decide in) and its largest total Sobol index over active outcome targets' indicators,
    each with the target where it happens; sorted by the swing. Deadline targets (unit 0/1) are
    left out: a date lever decides its own deadline by construction."""
    v = res.sobol[
        (res.sobol["output"] == "value")
        & (res.sobol["kind"] == "lever")
        & res.sobol["active"]
        & res.sobol["ST"].notna()
        & (res.sobol["unit"] != "0/1")
    ]
    t = res.tornado[(res.tornado["kind"] == "lever") & res.tornado["active"] & (res.tornado["unit"] != "0/1")]
    rows = []
    for fid, g in v.groupby("factor"):
        top = g.sort_values("ST", ascending=False).iloc[0]
        lo = t[(t["factor"] == fid) & (t["side"] == "low")].set_index("target_id")["p_hit"]
        hi = t[(t["factor"] == fid) & (t["side"] == "high")].set_index("target_id")["p_hit"]
        sw = (hi - lo).dropna()
        j = sw.abs().idxmax() if len(sw) else ""
        rows.append(
            dict(
                lever=fid.removeprefix("lever:"),
                label_en=top["label_en"],
                label_zh=top["label_zh"],
                max_ST=top["ST"],
                max_ST_low=top["ST_low"],
                max_ST_high=top["ST_high"],
                max_ST_target=top["target_id"],
                targets_ST_over_0_05=int((g["ST"] > 0.05).sum()),
                max_p_swing=float(sw[j]) if j else np.nan,
                max_p_swing_target=j,
            )
        )
    if not rows:
        return pd.DataFrame(rows)
    out = pd.DataFrame(rows)
    out["abs_swing"] = out["max_p_swing"].abs()
    return out.sort_values(["abs_swing", "max_ST"], ascending=False).drop(columns="abs_swing").reset_index(drop=True)


def base_year_worth(res, prefix: str = "base_year.") -> pd.DataFrame:
    """What entering each base-year figure is worth: one row per figure (a tornado factor whose
    path starts with ``prefix``) with its 10% and 90% settings, its largest swing of P(hit) over
    the active outcome targets (deadline targets left out) and where, and its mean |swing| over
    them; sorted by the largest |swing|. A figure the zone's books hold removes that swing."""
    t = res.tornado[
        res.tornado["factor"].str.startswith(prefix)
        & res.tornado["active"]
        & (res.tornado["unit"] != "0/1")
        & ~res.tornado["target_id"].str.startswith("ALL_")
    ]
    rows = []
    for fid, g in t.groupby("factor", sort=False):
        lo = g[g["side"] == "low"].set_index("target_id")
        hi = g[g["side"] == "high"].set_index("target_id")
        sw = (hi["p_hit"] - lo["p_hit"]).dropna()
        j = sw.abs().idxmax() if len(sw) else ""
        rows.append(
            dict(
                figure=fid,
                setting_low=lo["setting"].iloc[0],
                setting_high=hi["setting"].iloc[0],
                max_p_swing=float(sw[j]) if j else np.nan,
                max_p_swing_target=j,
                mean_abs_p_swing=float(sw.abs().mean()) if len(sw) else np.nan,
            )
        )
    out = pd.DataFrame(
        rows, columns=["figure", "setting_low", "setting_high", "max_p_swing", "max_p_swing_target", "mean_abs_p_swing"]
    )
    order = out["max_p_swing"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order].reset_index(drop=True)


REPORTED_FACTORS, REPORTED_MIN_ST = 6, 0.01
"""A study reports, per target, at most this many factors: the largest total indices above the minimum."""


def reported_factors(
    sobol: pd.DataFrame, target_id: str, output: str = "value", top: int = REPORTED_FACTORS
) -> pd.DataFrame:
    """The factors reported for a target's output: the ``top`` largest total indices above
    ``REPORTED_MIN_ST``, in rank order (``ST_rank``)."""
    d = sobol[(sobol["target_id"] == target_id) & (sobol["output"] == output)]
    return d[d["ST"] > REPORTED_MIN_ST].sort_values("ST_rank").head(top)


def rank_groups(next_resolved: list[bool]) -> list[list[int]]:
    """Ranks 1..m (m = len(next_resolved)) in groups of ranks the bootstrap does not separate.

    ``next_resolved[k - 1]``: rank k is separated from rank k + 1. A group of one is a resolved
    rank; a last group whose rank m is not separated from the next takes rank m + 1 too (a factor
    not reported), e.g. [True, True, False, True, False] -> [[1], [2], [3, 4], [5, 6]]."""
    groups: list[list[int]] = []
    current = [1] if next_resolved else []
    for k, sep in enumerate(next_resolved, start=1):
        if sep:
            groups.append(current)
            current = [k + 1]
        else:
            current.append(k + 1)
    if current and len(current) > 1:
        groups.append(current)
    return groups
