"""The national facts a plan may use, and the peer calibration they give (no look-ahead).

``scenarios/national_facts.csv`` holds one row per national fact (CBZ trade, zone counts,
evaluation rounds, method dates) with its source and ``dated``: the day from which a planner could
know it. A plan starting in month ``YYYY-MM`` uses only rows dated before that month's first day
(:func:`known_before`; ``ranking.peers.facts_dated_before`` may give another day, such as the plan's
own date); a row dated later changes nothing the plan computes.

:func:`national_inputs` turns the known facts into the peer calibration of a plan whose first
data year is ``start_year``: the latest CBZ trade total and zone counts at or before the base year
(``start_year - 1``), the number of zones evaluated per data year (the facts' rounds where known,
a reasoned trend after) and the method that scores each data year (the planner's belief,
:mod:`sim.ranking.config.belief`). :mod:`sim.ranking.config.fill` writes them into every
scenario's ``[ranking]`` section. docs/model.md, section "Ranking" states what is drawn and what is fixed.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from sim.ranking.config.belief import MethodBelief, default_method

FACTS_CSV = Path(__file__).resolve().parents[3] / "scenarios" / "national_facts.csv"
"""The national facts table shipped with the tool (built by bench/build_national_facts.py)."""

BOARDS_CSV = Path(__file__).resolve().parents[3] / "scenarios" / "province_boards.csv"
"""Province -> board of the regional rankings (east; central; west and north-east)."""


@dataclass(frozen=True)
class Fact:
    year: int
    indicator: str
    value: float
    unit: str
    scope: str
    dated: dt.date
    source_url: str


def _parse(path: Path) -> tuple[Fact, ...]:
    with open(path, encoding="utf-8") as f:
        return tuple(
            Fact(
                year=int(r["year"]),
                indicator=r["indicator"],
                value=float(r["value"]),
                unit=r["unit"],
                scope=r["scope"],
                dated=dt.date.fromisoformat(r["dated"]),
                source_url=r["source_url"],
            )
            for r in csv.DictReader(f)
        )


@functools.cache
def _cached(path: str, mtime_ns: int) -> tuple[Fact, ...]:
    return _parse(Path(path))


def load_facts(path: Path | None = None) -> tuple[Fact, ...]:
    """Every row of the facts table (``path``, default :data:`FACTS_CSV`)."""
    p = Path(path or FACTS_CSV)
    return _cached(str(p), p.stat().st_mtime_ns)


def plan_day(start: str) -> dt.date:
    """The first day of the plan's start month ``YYYY-MM``, or the day ``YYYY-MM-DD`` itself."""
    if len(start) == 10:
        return dt.date.fromisoformat(start)
    return dt.date(int(start[:4]), int(start[5:7]), 1)


def known_before(facts: tuple[Fact, ...], start: str) -> tuple[Fact, ...]:
    """The facts a planner could know when the plan starts (dated before its first day, :func:`plan_day`)."""
    day = plan_day(start)
    return tuple(f for f in facts if f.dated < day)


def latest(facts: tuple[Fact, ...], indicator: str, year_max: int) -> Fact | None:
    """The most recent row of ``indicator`` describing a year <= ``year_max`` (latest year, then latest day)."""
    rows = [f for f in facts if f.indicator == indicator and f.year <= year_max]
    return max(rows, key=lambda f: (f.year, f.dated)) if rows else None


@functools.cache
def province_boards(path: str | None = None) -> dict[str, str]:
    """Province (Chinese short name) -> board: ``east``, ``central`` or ``west_northeast``."""
    with open(path or BOARDS_CSV, encoding="utf-8") as f:
        return {r["province"]: r["board"] for r in csv.DictReader(f)}


def region_of(province: str) -> str:
    """The two-region split of the 2020 method: ``east``, or ``central_west`` (central, west, north-east)."""
    return "east" if province_boards().get(province) == "east" else "central_west"


@dataclass(frozen=True)
class NationalInputs:
    """The peer calibration of a plan: what comes from which fact, and what is reasoned.

    ``calibration_year``: the base year (the year before the first data year; macro index 1);
    ``facts_year``: the year of the CBZ trade total used (<= calibration_year; carried unchanged to
    the base year when older); ``n_zones``: CBZs in the country; ``n_central_west``: of which in
    the central, west and north-east regions; ``evaluated``: data year -> (low, high) zones
    evaluated (the zone and the bonded zones included); ``methods``: data year -> method spec;
    ``sources``: quantity -> the facts it rests on (indicator, year, source)."""

    calibration_year: int
    facts_year: int
    trade_total_yi: float
    n_zones: int
    n_central_west: int
    evaluated: dict[str, tuple[int, int]]
    methods: dict[str, str | dict[str, float]]
    sources: dict[str, str]
    west_northeast_share: float | None = None
    shares: dict[str, float] | None = None


def _cite(f: Fact) -> str:
    return f"{f.indicator} {f.year} = {f.value:g} {f.unit} ({f.source_url})"


def cbz_trade_total(known: tuple[Fact, ...], base_year: int) -> tuple[float, int, str]:
    """(亿元, year of the facts, source) of the latest CBZ trade total at or before ``base_year``.

    After 2021 customs publishes the total of all special customs zones only; the CBZs' part is
    then that total times the CBZs' share of the zones (assumption: a CBZ trades like an average
    special zone; the others are a few bonded zones and bonded port areas)."""
    cbz = latest(known, "cbz_trade_total", base_year)
    sz = latest(known, "special_zones_trade_total", base_year)
    if sz is not None and (cbz is None or sz.year > cbz.year):
        n_cbz = latest(known, "cbz_count", sz.year)
        n_sz = latest(known, "special_zones_count", sz.year)
        if n_cbz is not None and n_sz is not None:
            share = min(1.0, n_cbz.value / n_sz.value)
            why = (
                f"{_cite(sz)} x CBZ share of zones {n_cbz.value:g}/{n_sz.value:g} (assumption: average trade per zone)"
            )
            return sz.value * share, sz.year, why
    if cbz is None:
        raise ValueError(f"no national CBZ trade total known at or before {base_year}")
    return cbz.value, cbz.year, _cite(cbz)


def concentration(known: tuple[Fact, ...], base_year: int) -> tuple[dict[str, float], list[str]]:
    """Top-5 / top-30 shares of CBZ trade from the latest special-zone shares at or before ``base_year``
    (``{}`` where none is known), with their sources. The largest special zones are CBZs
    (assumption: the big airport, inland and port zones all are), and CBZ trade is the special
    zones' times the CBZs' share of the zones, as for the total (:func:`cbz_trade_total`)."""
    out, why = {}, []
    for key, indicator in (
        ("top5_share", "special_zones_top5_share_pct"),
        ("top30_share", "special_zones_top30_share_pct"),
    ):
        f = latest(known, indicator, base_year)
        n_cbz, n_sz = (latest(known, k, f.year) for k in ("cbz_count", "special_zones_count")) if f else (None, None)
        if f is None or n_cbz is None or n_sz is None:
            continue
        out[key] = round(min(0.99, f.value / 100 / min(1.0, n_cbz.value / n_sz.value)), 6)
        why.append(f"{key}: {_cite(f)} / CBZ share of zones {n_cbz.value:g}/{n_sz.value:g}")
    return out, why


def national_inputs(
    known: tuple[Fact, ...],
    years: list[int],
    zone_region: str,
    bonded_low: int,
    bonded_high: int,
    base: int | None = None,
    belief: MethodBelief | None = None,
    central_west_share: float | None = None,
    zones_stated: int | None = None,
) -> NationalInputs:
    """The peer calibration of a plan whose data years are ``years``, from the ``known`` facts only.

    Zone counts: the latest CBZ count at or before the base year; the central-west count scales
    the latest regional count by the national growth since (assumption: the regional split holds),
    or, where no regional count is known yet, takes ``central_west_share`` of the zones (an
    assumption the methods file states).
    Evaluated per data year: a round's count where the facts know it, otherwise the latest round's
    share of the zones evaluated applied to the zones of the base year, and up to the zones the
    count trend of the two latest years adds by that data year (a range, drawn per replication);
    always within what the peer population can hold (the peers are the zones of the base year).
    Methods per data year: the planner's ``belief`` with the facts known (none without a belief).
    ``zones_stated``: the planner's own count of the peers plus the zone (``ranking.peers.n_peers`` + 1),
    taken as the base year's count where the facts known then have none as recent as their trade."""
    base = years[0] - 1 if base is None else base
    total, facts_year, why_total = cbz_trade_total(known, base)
    n = latest(known, "cbz_count", base)
    if zones_stated is not None and (n is None or n.year < facts_year - 1):
        n = Fact(base, "cbz_count", float(zones_stated), "zones", "stated", dt.date(base, 12, 31), "the scenario")
    if n is None:
        raise ValueError(f"no national CBZ count known at or before {base}")
    if n.year < facts_year - 1:  # the zones then were far more than an old count says (52 in 2016, 149 in 2020)
        raise ValueError(
            f"the latest CBZ count known is of {n.year} ({n.value:g} zones), the CBZ trade of {facts_year}: "
            f"add the CBZ count of {facts_year - 1} or {facts_year} (indicator cbz_count, with its source and day), "
            f"or state the zones then less the zone as ranking.peers.n_peers"
        )
    cw = latest(known, "cbz_count_central_west_northeast", base)
    if cw is not None:
        cw_year_n = latest(known, "cbz_count", cw.year)
        cw_fraction = cw.value / (cw_year_n.value if cw_year_n else n.value)
    elif central_west_share is not None:
        cw_fraction = central_west_share
    else:
        raise ValueError(f"no central-west CBZ count known at or before {base}")
    n_cw = round(cw_fraction * n.value)
    n_zones = int(n.value)
    n_peers = n_zones - 1
    n_cw_peers = n_cw - (zone_region == "central_west")
    # zones added a year: the count trend over the (up to) three latest years of counts
    window = [f for f in known if f.indicator == "cbz_count" and n.year - 2 <= f.year and f.dated < n.dated]
    first = min(window, key=lambda f: f.dated) if window else None
    growth = (n.value - first.value) / ((n.dated - first.dated).days / 365.25) if first else 0.0
    rounds = sorted((f for f in known if f.indicator == "eval_zones_evaluated"), key=lambda f: f.year)
    cap = n_peers + 1 + bonded_low
    floor_ = bonded_high + 2
    evaluated: dict[str, tuple[int, int]] = {}
    for f in rounds:
        evaluated[str(f.year)] = (int(f.value), int(f.value))
    if rounds:
        last = rounds[-1]
        counts = [f for f in known if f.indicator == "cbz_count"]
        zones_then = min(counts, key=lambda f: (abs(f.year - last.year), -f.year)) if counts else None
        share = min(1.0, last.value / zones_then.value) if zones_then else 1.0
    else:
        share = 1.0
    for y in years:
        if str(y) in evaluated:
            continue
        lo = round(share * n_zones)
        hi = round(share * (n_zones + max(0.0, growth) * (y - base)))
        lo, hi = max(floor_, min(lo, cap)), max(floor_, min(hi, cap))
        evaluated[str(y)] = (lo, hi)
    issued = belief is not None and any(f.indicator == belief.revision_issued for f in known)
    methods = {str(y): default_method(y, issued, belief) for y in years} if belief is not None else {}
    # the west + north-east board's share of the central-west zones, once a round has counted it
    wne = latest(known, "eval_zones_evaluated_west_northeast", base + 1)
    wne_share = None
    if wne is not None:
        n_then = latest(known, "cbz_count", wne.year)
        cw_then = cw_fraction * (n_then.value if n_then else n.value)
        wne_share = min(1.0, wne.value / (share * cw_then)) if share else None
    shares, why_shares = concentration(known, base)
    sources = {
        "concentration": "; ".join(why_shares) or "no share known: the methods file's ranges",
        "trade_total_yi": why_total,
        "n_zones": _cite(n),
        "n_central_west": _cite(cw) if cw else f"assumption: central_west_share {cw_fraction:g} of the zones",
        "evaluated": "; ".join(_cite(f) for f in rounds) or "no round known",
    }
    return NationalInputs(
        calibration_year=base,
        facts_year=facts_year,
        trade_total_yi=float(total),
        n_zones=n_zones,
        n_central_west=max(0, min(n_cw_peers, n_peers)),
        evaluated=evaluated,
        methods=methods,
        sources=sources,
        west_northeast_share=wne_share,
        shares=shares,
    )


def year_defaults(cfg, year: int) -> tuple[str | dict[str, float], tuple[int, int]]:
    """(method, (low, high) evaluated) of data ``year`` for a ranking config that does not state them:
    from the facts known before its plan (``peers.facts_dated_before``, else the year after its
    calibration year), the evaluated count capped by the config's own peers (a what-if may state
    fewer than the facts)."""
    base = cfg.peers.calibration_year
    known = known_before(load_facts(), cfg.peers.facts_dated_before or f"{base + 1}-01")
    bz = cfg.peers.bonded_zones
    lo_bz, hi_bz = (bz, bz) if isinstance(bz, int) else (bz.low, bz.high)
    got = national_inputs(
        known,
        [year],
        cfg.zone.region,
        lo_bz,
        hi_bz,
        base=base,
        belief=cfg.method_belief,
        central_west_share=cfg.peers.central_west_share,
        zones_stated=cfg.peers.n_peers + 1,
    )
    lo, hi = got.evaluated[str(year)]
    cap = cfg.peers.n_peers + 1 + lo_bz
    return got.methods[str(year)], (min(lo, cap), min(hi, cap))


def check_facts(cfg, years: list[int]) -> None:
    """Raise ValueError when a ranking config's peer calibration differs from the national facts
    known before the plan starts: the calibration year is not a label."""
    start = cfg.peers.facts_dated_before or f"{years[0]}-01"
    bz = cfg.peers.bonded_zones
    lo_bz, hi_bz = (bz, bz) if isinstance(bz, int) else (bz.low, bz.high)
    known = known_before(load_facts(), start)
    got = national_inputs(
        known,
        list(years),
        cfg.zone.region,
        lo_bz,
        hi_bz,
        central_west_share=cfg.peers.central_west_share,
        zones_stated=cfg.peers.n_peers + 1,
    )
    ps = cfg.peers
    stated = {
        "peers.n_peers": (ps.n_peers, got.n_zones - 1, got.sources["n_zones"]),
        "peers.n_central_west": (ps.n_central_west, got.n_central_west, got.sources["n_central_west"]),
        "peers.trade.total_yi": (ps.trade.total_yi, got.trade_total_yi, got.sources["trade_total_yi"]),
    }
    for key, (have, want, why) in stated.items():
        if abs(have - want) > 1e-9 * max(1.0, abs(want)):
            raise ValueError(
                f"ranking.{key}: {have:g}, but the national facts known before {start} give {want:g} "
                f"for calibration year {got.calibration_year} ({why}); leave it out (the facts give it), or set "
                f"ranking.peers.calibrated_to_facts = false for a what-if on the national facts"
            )
