"""Every scenario's ``[ranking]`` section completed from the national facts its plan could know.

One mechanism for full scenarios and zone files alike (:func:`fill_national`, called on the
resolved data before validation): the methods come from ``scenarios/evaluation_methods.toml``
(by version), the zone's own inputs from the scenario, and what is national from
``scenarios/national_facts.csv``, only the rows dated before the plan starts (``[run].start``, or
``ranking.peers.facts_dated_before`` where the scenario gives its plan's own date):

* ``peers.calibration_year`` (the base year), ``peers.n_peers``, ``peers.n_central_west`` and
  ``peers.trade.total_yi``, unless the scenario states them (then validation checks they equal
  the facts, or ``peers.calibrated_to_facts = false`` marks a what-if);
* ``peers.west_northeast_share`` once a round of the 2024 method has counted the west and
  north-east board, and ``peers.trade.top5_share`` / ``top30_share`` once customs has published
  them (``calibrated_to_facts`` true: these facts replace the methods file's assumptions);
* ``peers.evaluated_by_year`` and ``method_by_year`` of the facts' rounds and of every data year
  of the plan the scenario does not state (the facts, their trend, the planner's method belief);
* ``reference_rank``: each data year's rank target (a year without one takes the next later
  target's rank, else the latest earlier one's), unless the scenario states it; a stated one that
  contradicts a target is refused by validation (sim.scenario.checks).

The filled values are part of the resolved scenario, so ``scenario.resolved.toml`` shows what the run used.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from pydantic import ValidationError

from sim.ranking.config import national
from sim.ranking.config.belief import MethodBelief

ORDER = ("reference_rank", "class_a_share", "method_by_year", "method_belief", "zone", "peers")
"""Keys of the filled ``[ranking]`` table that come first, in this order (the rest keep theirs)."""
PEERS_FIRST = ("calibration_year", "facts_dated_before", "n_peers", "n_central_west")
"""Keys of the filled ``[ranking.peers]`` table that come first."""


def plan_years(run: Any) -> list[int]:
    """The data years of ``[run]`` (as RunSpec.years; at least the first, so that a bad horizon is
    reported alone), or [] when the start is not well formed."""
    if not isinstance(run, dict):
        return []
    start, months = run.get("start"), run.get("horizon_months")
    if not (isinstance(start, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", start)):
        return []
    n = months // 12 if isinstance(months, int) and not isinstance(months, bool) else 1
    return list(range(int(start[:4]), int(start[:4]) + max(1, n)))


def rank_targets(targets: Any) -> dict[int, int]:
    """Data year -> the rank its targets ask for (the strictest where a year has several)."""
    out: dict[int, int] = {}
    for t in (targets or {}).values() if isinstance(targets, dict) else ():
        if not isinstance(t, dict) or t.get("indicator") != "rank":
            continue
        y, thr = t.get("year"), t.get("threshold")
        if isinstance(y, int) and isinstance(thr, int | float) and not isinstance(thr, bool) and thr >= 1:
            out[y] = min(out.get(y, int(thr)), int(thr))
    return out


def rank_of_year(ranks: dict[int, int], year: int) -> int:
    """The rank of data ``year``: its own, else the next later year's, else the latest earlier one's."""
    if year in ranks:
        return ranks[year]
    later = [y for y in ranks if y > year]
    return ranks[min(later)] if later else ranks[max(ranks)]


def _bonded(peers: dict) -> tuple[int, int]:
    """(low, high) bonded zones; (0, 0) where malformed (validation names it)."""
    bz = peers.get("bonded_zones", 0)
    try:
        return (int(bz["low"]), int(bz["high"])) if isinstance(bz, dict) else (int(bz), int(bz))
    except (KeyError, TypeError, ValueError):
        return 0, 0


def fill_national(data: dict) -> dict:
    """``data`` (a resolved scenario, not changed) with its ``[ranking]`` section completed from the
    national facts known before its plan; unchanged without a ranking section or where the section
    is too malformed to read (validation then names the key). Raises ValueError when the facts
    known then cannot calibrate the peers."""
    r, years = data.get("ranking"), plan_years(data.get("run"))
    if not isinstance(r, dict) or not years or not isinstance(r.get("peers"), dict):
        return data
    peers, zone = r["peers"], r.get("zone")
    region = zone.get("region") if isinstance(zone, dict) else None
    lo, hi = _bonded(peers)
    try:  # an invalid belief is named by validation; the facts are filled all the same
        belief = MethodBelief.model_validate(r["method_belief"]) if "method_belief" in r else None
    except ValidationError:
        belief = None
    stated_day = peers.get("facts_dated_before")
    stated_day = stated_day.isoformat() if isinstance(stated_day, dt.date) else stated_day
    ok = isinstance(stated_day, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])(-\d{2})?", stated_day)
    day = stated_day if ok else data["run"]["start"]  # a malformed day: validation names it
    try:
        national.plan_day(day)
    except ValueError:
        return data
    known = national.known_before(national.load_facts(), day)
    try:
        cw = peers.get("central_west_share")
        cw = float(cw) if isinstance(cw, int | float) and not isinstance(cw, bool) else None
        n = ps_n + 1 if isinstance(ps_n := peers.get("n_peers"), int) and not isinstance(ps_n, bool) else None
        got = national.national_inputs(
            known, years, str(region), lo, hi, belief=belief, central_west_share=cw, zones_stated=n
        )
    except ValueError as e:
        raise ValueError(
            f"ranking.peers: the national facts known before {day} cannot calibrate the peers ({e}); "
            f"scenarios/national_facts.csv, README 'National facts' says how to add a year's facts"
        ) from None
    out = copy.deepcopy(data)
    rk, ps = out["ranking"], out["ranking"]["peers"]
    if ok:
        ps["facts_dated_before"] = day  # a TOML date (unquoted) as its text
    ps.setdefault("calibration_year", got.calibration_year)
    ps.setdefault("n_peers", got.n_zones - 1)
    ps.setdefault("n_central_west", got.n_central_west)
    if isinstance(ps.get("trade"), dict):
        total = got.trade_total_yi
        ps["trade"] = {"total_yi": int(total) if total == int(total) else total} | ps["trade"]
    facts_rule = ps.get("calibrated_to_facts", True) is not False
    if facts_rule:  # facts replace the methods file's assumptions
        if got.west_northeast_share is not None:
            ps["west_northeast_share"] = got.west_northeast_share
        if isinstance(ps.get("trade"), dict):
            ps["trade"] |= got.shares or {}
    by_year = ps.setdefault("evaluated_by_year", {})
    if isinstance(by_year, dict):  # (anything else is named by validation)
        for y, (a, b) in got.evaluated.items():  # a what-if on the facts takes only the plan's years
            if facts_rule or int(y) in years:
                by_year.setdefault(y, a if a == b else {"low": a, "high": b})
        ps["evaluated_by_year"] = dict(sorted(by_year.items()))
    methods = rk.setdefault("method_by_year", {})
    if got.methods and isinstance(methods, dict):
        rk["method_by_year"] = dict(sorted(({**got.methods, **methods}).items()))
    ranks = rank_targets(out.get("targets"))
    if "reference_rank" not in rk and ranks:
        per_year = {str(y): rank_of_year(ranks, y) for y in years}
        one = set(per_year.values())
        rk["reference_rank"] = one.pop() if len(one) == 1 else per_year
    out["ranking"] = {k: rk[k] for k in ORDER if k in rk} | rk
    rest = {k: v for k, v in ps.items() if k != "evaluated_by_year"}
    at = list(rest).index("trade") if "trade" in rest else len(rest)  # the counts evaluated before the trade
    ordered = list(rest.items())
    ordered.insert(at, ("evaluated_by_year", ps["evaluated_by_year"]))
    out["ranking"]["peers"] = {k: ps[k] for k in PEERS_FIRST if k in ps} | dict(ordered)
    return out


def _leaves(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(f"{prefix}.{k}", v)]
    return [(prefix, value)]


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def filled_notes(data: dict) -> dict[str, str]:
    """Dotted key path -> where its value comes from, for every leaf of a resolved scenario's
    ``[ranking]`` that :func:`fill_national` gives (the pack's source column: these values stand in
    no scenario file, so no comment names their source). A leaf counts as filled when the fill of
    the section without the keys it fills gives the resolved value."""
    r, years = data.get("ranking"), plan_years(data.get("run"))
    if not isinstance(r, dict) or not years or not isinstance(r.get("peers"), dict):
        return {}
    base = copy.deepcopy({k: v for k, v in r.items() if k not in ("reference_rank", "method_by_year")})
    for k in ("calibration_year", "n_peers", "n_central_west", "evaluated_by_year", "west_northeast_share"):
        base["peers"].pop(k, None)
    if isinstance(base["peers"].get("trade"), dict):
        for k in ("total_yi", "top5_share", "top30_share"):
            base["peers"]["trade"].pop(k, None)
    try:
        filled = fill_national({**data, "ranking": base})["ranking"]
    except (ValueError, TypeError):
        return {}
    day = filled["peers"].get("facts_dated_before") or data["run"]["start"]
    facts = f"national facts known before {day} (scenarios/national_facts.csv)"
    known = national.known_before(national.load_facts(), day)
    rounds = {
        str(f.year): f"{f.indicator} {f.year} = {f.value:g} zones ({f.source_url})"
        for f in known
        if f.indicator == "eval_zones_evaluated"
    }
    issued = any(f.indicator == "method_eval2024_issued" for f in known)
    why = {
        "reference_rank": "the rank target of each data year (a year without one: the next later target's)",
        "method_by_year": f"the method belief [ranking.method_belief] (the revision known to be issued "
        f"before {day}: {'yes' if issued else 'no'})",
        "peers.calibration_year": f"the plan's base year, the year before its first data year {years[0]}",
        "peers.n_peers": f"{facts}: the latest cbz_count at or before the base year, minus the zone",
        "peers.n_central_west": f"{facts}: the latest regional count scaled to the zones of the base year, "
        "minus the zone if it is there (before any regional count: peers.central_west_share)",
        "peers.trade.total_yi": f"{facts}: the latest CBZ trade at or before the base year (after 2021 the "
        "special zones' total at the CBZs' share of the zones)",
        "peers.trade.top5_share": f"{facts}: the special zones' top-five share on the CBZs' share of the zones",
        "peers.trade.top30_share": f"{facts}: the special zones' top-thirty share on the CBZs' share of the zones",
        "peers.west_northeast_share": f"{facts}: eval_zones_evaluated_west_northeast on the central-west zones",
        "peers.evaluated_by_year": f"{facts}: the latest round's share of the zones, up to the zones the count "
        "trend adds (a range)",
    }
    out = {}
    for key, note in why.items():
        for path, v in _leaves(key, _at(r, key)):
            if v is not None and v == _at(filled, path):
                year = path.split(".")[2] if key == "peers.evaluated_by_year" else ""
                out[f"ranking.{path}"] = f"{facts}: {rounds[year]}" if year in rounds else note
    return out
