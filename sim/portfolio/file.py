"""A portfolio file: a province's zones and its own targets, read and checked whole.

```toml
[portfolio]
name_zh = "示例省综合保税区"
name_en = "Example province's bonded zones"
zones = ["zone_a.toml", "zone_b.toml"]   # zone or scenario files, relative to this file
[targets]
trade_total = { 2027 = 500 }              # the zones' total, at least this
zones_in_rank = { 2027 = 2 }              # at least this many zones reach their own rank target
```

Every problem is reported at once (file, key, what was expected; exit 2): an unknown key, a zone
file that does not load (its own problems, each named), two zones with the same name, zones that
do not simulate the same months, shared shocks that are not the same distributions in every
zone, national evaluations that differ in more than the zone's own inputs, a target year no zone
simulates, a target of an indicator the zones do not produce.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sim.experiment.replication import layout
from sim.scenario import LoadedScenario, ScenarioError, load_scenario
from sim.scenario.errors import display_path
from sim.scenario.params import uncertain_paths
from sim.scenario.ranges import LIMITS, RANGES

SHARED_PARAMS = ("uncertainties.macro.", "uncertainties.commodity.", "uncertainties.disruption.")
"""Key-path prefixes of the parameters of the shared shocks: one value per replication for every zone."""

RANK_TARGET = "zones_in_rank"
"""The province target on the number of zones that reach their own rank target."""

PORTFOLIO_KEYS = {"name", "name_zh", "name_en", "zones", "seed", "replications", "description_zh", "description_en"}
REQUIRED = ("name_zh", "name_en", "zones")


@dataclass(frozen=True)
class ProvinceTarget:
    """A province target: ``indicator`` summed over the zones (or, for ``zones_in_rank``, the number
    of zones that reach their own rank target) at least ``threshold`` in ``year``."""

    indicator: str
    year: int
    threshold: float

    @property
    def target_id(self) -> str:
        return f"province_{self.indicator}_{self.year}"


@dataclass(frozen=True)
class Portfolio:
    """A checked portfolio: its zones (loaded, in file order, each with its key = its scenario
    name), the province targets, and the defaults of a run (seed, replications)."""

    path: Path
    name: str
    name_zh: str
    name_en: str
    zones: list[LoadedScenario]
    targets: list[ProvinceTarget]
    seed: int
    replications: int
    description_zh: str = ""
    description_en: str = ""
    resolved: dict = field(default_factory=dict, repr=False)

    @property
    def keys(self) -> list[str]:
        return [z.name for z in self.zones]

    @property
    def years(self) -> list[int]:
        return self.zones[0].scenario.run.years

    @property
    def sha256(self) -> str:
        """Hash of the portfolio file's data and of every zone's resolved scenario."""
        doc = {"portfolio": self.resolved, "zones": [z.sha256 for z in self.zones]}
        return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def is_portfolio_file(path: str | Path) -> bool:
    """True when ``path`` is a TOML file with a ``[portfolio]`` table (False if unreadable: the
    scenario loader then reports it)."""
    try:
        return isinstance(tomllib.loads(Path(path).read_text(encoding="utf-8")).get("portfolio"), dict)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False


def load_portfolio(path: str | Path) -> Portfolio:
    """Read and check a portfolio file and every zone it lists; :class:`ScenarioError` with every problem."""
    path = Path(path)
    f = display_path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{f}: file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ScenarioError(f"{f}: cannot read as UTF-8 text ({e})") from None
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{f}: malformed TOML: {e}") from None
    except RecursionError:
        raise ScenarioError(f"{f}: nesting too deep (arrays or tables inside one another)") from None
    problems: list[str] = []

    def bad(key: str, what: str) -> None:
        problems.append(f"{f}: {key}: {what}")

    for k in sorted(set(data) - {"portfolio", "targets"}):
        bad(k, "unknown section; expected [portfolio] and [targets]")
    pf = data.get("portfolio")
    if not isinstance(pf, dict):
        raise ScenarioError(f"{f}: portfolio: expected a table [portfolio]")
    for k in sorted(set(pf) - PORTFOLIO_KEYS):
        bad(f"portfolio.{k}", f"unknown key; expected some of {sorted(PORTFOLIO_KEYS)}")
    for k in REQUIRED:
        if k not in pf:
            bad(f"portfolio.{k}", "missing; required")
    for k in ("name", "name_zh", "name_en", "description_zh", "description_en"):
        if k in pf and (not isinstance(pf[k], str) or not pf[k].strip()):
            bad(f"portfolio.{k}", "expected a non-empty text")
    for k, lo, hi in (("seed", 0, 2**63 - 1), ("replications", 1, LIMITS["replications"])):
        v = pf.get(k)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi):
            bad(f"portfolio.{k}", f"expected a whole number in [{lo}, {hi:,}], got {v!r}")
    zones = _zones(path, f, pf.get("zones"), bad, problems)
    targets = _targets(f, data.get("targets", {}), zones, bad)
    if problems:
        raise ScenarioError(problems=problems)
    first = zones[0].scenario.run
    return Portfolio(
        path=path,
        name=str(pf.get("name") or path.stem),
        name_zh=pf["name_zh"],
        name_en=pf["name_en"],
        zones=zones,
        targets=targets,
        seed=int(pf.get("seed", first.seed)),
        replications=int(pf.get("replications", first.replications)),
        description_zh=str(pf.get("description_zh", "")),
        description_en=str(pf.get("description_en", "")),
        resolved=data,
    )


def _zones(path: Path, f: str, listed, bad, problems: list[str]) -> list[LoadedScenario]:
    """The zones, loaded; their problems and what keeps them from running together, added."""
    if listed is None:
        return []
    if not isinstance(listed, list) or not listed or not all(isinstance(z, str) for z in listed):
        bad("portfolio.zones", "expected a non-empty list of zone files (paths relative to this file)")
        return []
    if len(listed) > LIMITS["zones"]:
        bad(
            "portfolio.zones",
            f"expected at most {LIMITS['zones']} zones (more than the country has), got {len(listed)}",
        )
        return []
    zones: list[LoadedScenario] = []
    for i, rel in enumerate(listed):
        try:
            zones.append(load_scenario(path.parent / rel))
        except ScenarioError as e:
            problems.extend(f"{f}: portfolio.zones[{i}] ({rel}): {p}" for p in e.problems)
    if len(zones) != len(listed):
        return zones
    seen: dict[str, int] = {}
    for i, z in enumerate(zones):
        if z.name in seen:
            bad(
                f"portfolio.zones[{i}]",
                f"zone {z.name!r} is listed twice (also zones[{seen[z.name]}]); list each zone once",
            )
        seen.setdefault(z.name, i)
    ref = zones[0]
    r0 = ref.scenario.run
    shared0 = _shared(ref)
    for i, z in enumerate(zones[1:], start=1):
        r = z.scenario.run
        if (r.start, r.horizon_months) != (r0.start, r0.horizon_months):
            bad(
                f"portfolio.zones[{i}]",
                f"{z.name} simulates {r.horizon_months} months from {r.start}, {ref.name} {r0.horizon_months} "
                f"from {r0.start}; zones of one portfolio must simulate the same months",
            )
        diff = sorted(k for k in set(shared0) | set(_shared(z)) if shared0.get(k) != _shared(z).get(k))
        if diff:
            bad(
                f"portfolio.zones[{i}]",
                f"{z.name}'s shared shocks differ from {ref.name}'s at {', '.join(diff)}; the shared shocks "
                "(macro, commodity, disruption) are drawn once for every zone, so their distributions must be the same",
            )
        if (z.scenario.ranking is None) != (ref.scenario.ranking is None):
            bad(f"portfolio.zones[{i}]", "either every zone has the national evaluation ([ranking]) or none has")
        elif z.scenario.ranking is not None and _national(z) != _national(ref):
            bad(
                f"portfolio.zones[{i}]",
                f"{z.name}'s national evaluation (methods, peers, facts) differs from {ref.name}'s; zones ranked "
                "together must use the same evaluation, only their own inputs ([ranking.zone], rank) may differ",
            )
    return zones


def _shared(z: LoadedScenario) -> dict:
    return {p: d for p, d in uncertain_paths(z.scenario) if p.startswith(SHARED_PARAMS)}


def _national(z: LoadedScenario):
    rk = z.scenario.ranking
    assert rk is not None
    return rk.model_copy(update={"zone": None, "reference_rank": 0})


def _targets(f: str, table, zones: list[LoadedScenario], bad) -> list[ProvinceTarget]:
    if not isinstance(table, dict):
        bad("targets", "expected a table [targets] of indicator = { year = threshold }")
        return []
    years = zones[0].scenario.run.years if zones else []
    names = set(layout(zones[0].scenario).names) if zones else set()
    out = []
    for ind, by_year in table.items():
        key = f"targets.{ind}"
        if ind == RANK_TARGET:
            if zones and any(z.scenario.ranking is None for z in zones):
                bad(key, "needs the national evaluation ([ranking]) in every zone")
        elif zones and ind not in names:
            bad(key, f"not an indicator the zones produce; expected {RANK_TARGET} or one of {sorted(names)[:12]} ...")
        if not isinstance(by_year, dict) or not by_year:
            bad(key, "expected { year = threshold }, e.g. { 2027 = 500 }")
            continue
        for y, v in by_year.items():
            if not y.isdigit() or (years and int(y) not in years):
                bad(f"{key}.{y}", f"expected a simulated year ({', '.join(map(str, years))})")
                continue
            num = not isinstance(v, bool) and isinstance(v, (int, float)) and v == v and abs(v) != float("inf")
            most = RANGES["threshold"]
            if not num or not 0 <= v <= most.high or (ind == RANK_TARGET and (v != int(v) or v > len(zones) or v < 1)):
                want = (
                    f"a whole number of zones from 1 to {len(zones)}"
                    if ind == RANK_TARGET
                    else f"a number in [0, {most.high:g}] ({most.reason})"
                )
                bad(f"{key}.{y}", f"expected {want}, got {v!r}")
                continue
            out.append(ProvinceTarget(ind, int(y), float(v)))
    return out
