"""The projects and milestones of a zone file (``[[projects]]``, ``[[milestones]]``): each entry checked
against the catalogue's kinds and turned into the full scenario's project or milestone spec (docs/zones.md).

Every entry is checked whole and every entry is checked, so a file with several mistakes in its lists gets them
all in one message (:class:`~sim.scenario.errors.Collector`); an entry with a problem yields no spec.
"""

from __future__ import annotations

from typing import Any

from sim.months import is_month
from sim.scenario.errors import Collector
from sim.scenario.ranges import RANGES
from sim.scenario.zone_defaults import Where, slug

SIZES = ("serviced_land_ha", "warehouse_k_m2", "footprint_ha")
"""The sizes a project may state (each kind of the catalogue lists its own)."""
PROJECT_KEYS = {"name_zh", "name_en", "kind", "due", "id", "plan_task", "delay_months", *SIZES}
MILESTONE_KEYS = {"name_zh", "name_en", "business_type", "kind", "due", "id", "plan_task", "delay_months"}
EFFECT_KEYS = ("lead_rate_multiplier", "trade_multiplier")


def milestones_of(w: Where, items: Any, cat: dict, n: dict) -> tuple[dict, dict[str, str]]:
    """Milestone specs by id, and the sectors each business-type milestone opens (sector -> id)."""
    if not isinstance(items, list):
        raise w.fail("milestones", "expected [[milestones]] entries")
    kinds = cat["milestone_kinds"]
    opens = {s["opened_by"]: sid for sid, s in cat["sectors"].items() if "opened_by" in s}
    out: dict[str, dict] = {}
    opened: dict[str, str] = {}
    found = Collector()
    for i, m in enumerate(items):
        key = f"milestones[{i + 1}]"
        if not isinstance(m, dict):
            found.add(w.fail(key, "expected a table"))
            continue
        entry = Collector()
        _check_entry(w, key, m, MILESTONE_KEYS, entry)
        kind = m.get("business_type", m.get("kind"))
        kind = kind if isinstance(kind, str) else repr(kind)
        field = "business_type" if "business_type" in m else "kind"
        allowed = list(opens) if field == "business_type" else [k for k in kinds if k not in opens]
        if ("business_type" in m) == ("kind" in m):
            entry.add(w.fail(key, f"give one of business_type ({', '.join(opens)}) or kind ({', '.join(kinds)})"))
        elif kind not in allowed:
            entry.add(w.fail(f"{key}.{field}", f"unknown {field} {m[field]!r}; expected one of {allowed}"))
        else:
            mid = m.get("id", slug(kind))
            if mid in out:
                entry.add(w.fail(f"{key}.id", f"id {mid!r} is used twice; give each milestone its own id"))
            if field == "business_type" and n.get(opens[kind], 0) > 0:
                entry.add(
                    w.fail(
                        f"{key}.business_type",
                        f"{kind} already runs in the base year (base_year.enterprises.{opens[kind]} > 0); "
                        f"a milestone launches a new business type: remove one of the two",
                    )
                )
        effects = entry.run(_effects, w, key, m, kinds[kind]["effects"] if kind in allowed else {})
        if entry:
            found.errors.extend(entry.errors)
            continue
        assert isinstance(kind, str) and effects is not None
        spec = kinds[kind]
        mid = m.get("id", slug(kind))
        out[mid] = {
            "name_zh": m["name_zh"],
            "name_en": m["name_en"],
            "plan_task": m.get("plan_task", i + 1),
            "business_type": spec["business_type"],
            **effects,
            "_due": m["due"],
            "_delay": m.get("delay_months", spec["delay_months"]),
        }
        if field == "business_type":
            opened[opens[kind]] = mid
    found.raise_if_any()
    return out, opened


def _check_entry(w: Where, key: str, m: dict, keys: set, found: Collector) -> None:
    """Adds to ``found`` every problem of the keys all entries share (names, due month, task number)."""
    for k in sorted(set(m) - keys - set(EFFECT_KEYS)):
        found.add(w.fail(f"{key}.{k}", f"unknown key; expected some of {sorted({*keys, *EFFECT_KEYS})}"))
    for k in ("name_zh", "name_en", "due"):
        if k not in m:
            found.add(w.fail(f"{key}.{k}", "missing key (required; see docs/zones.md)"))
        elif not isinstance(m[k], str) or not m[k].strip():
            found.add(w.fail(f"{key}.{k}", f"expected text, got {m[k]!r}"))
    if isinstance(m.get("due"), str) and m["due"].strip() and not is_month(m["due"]):
        found.add(w.fail(f"{key}.due", f'expected a month "YYYY-MM", got {m["due"]!r}'))
    if "plan_task" in m and not (
        isinstance(m["plan_task"], int) and not isinstance(m["plan_task"], bool) and 1 <= m["plan_task"] <= 99
    ):
        found.add(w.fail(f"{key}.plan_task", f"expected the plan's task number 1-99, got {m['plan_task']!r}"))
    if "id" in m and (not isinstance(m["id"], str) or not m["id"].strip()):
        found.add(w.fail(f"{key}.id", f"expected text, got {m['id']!r}"))
    slip = RANGES["slip_months"]
    d = m.get("delay_months")
    if "delay_months" in m and (isinstance(d, bool) or not isinstance(d, int | float) or not slip.contains(d)):
        found.add(w.fail(f"{key}.delay_months", slip.refusal(f"got {d!r}")))


def _effects(w: Where, key: str, m: dict, default: dict) -> dict:
    out = {k: dict(default.get(k, {})) for k in EFFECT_KEYS}
    found = Collector()
    for k in EFFECT_KEYS:
        if k in m:
            if not isinstance(m[k], dict):
                found.add(w.fail(f"{key}.{k}", "expected a table, e.g. { logistics = 1.1 }"))
            else:
                out[k] = dict(m[k])
    found.raise_if_any()
    return out


def projects_of(w: Where, items: Any, cat: dict, milestone_ids: set) -> dict:
    if not isinstance(items, list):
        raise w.fail("projects", "expected [[projects]] entries")
    kinds = cat["project_kinds"]
    out: dict[str, dict] = {}
    found = Collector()
    for i, p in enumerate(items):
        key = f"projects[{i + 1}]"
        if not isinstance(p, dict):
            found.add(w.fail(key, "expected a table"))
            continue
        entry = Collector()
        _check_entry(w, key, p, PROJECT_KEYS, entry)
        kind = p.get("kind")
        known = isinstance(kind, str) and kind in kinds
        if "kind" not in p:
            entry.add(w.fail(f"{key}.kind", f"missing key (required); expected one of {list(kinds)}"))
        elif not known:
            entry.add(w.fail(f"{key}.kind", f"unknown project kind {kind!r}; expected one of {list(kinds)}"))
        sizes = _sizes(w, key, p, kinds[kind]["sizes"] if known else None, entry)
        pid = p.get("id", slug(p["name_en"]) if isinstance(p.get("name_en"), str) else None)
        if pid is not None and (pid in out or pid in milestone_ids):
            entry.add(w.fail(f"{key}.id", f"id {pid!r} is used twice; give each project its own id"))
        effects = entry.run(_effects, w, key, p, kinds[kind]["effects"] if known else {})
        if entry:
            found.errors.extend(entry.errors)
            continue
        assert isinstance(kind, str) and effects is not None and pid is not None
        out[pid] = {
            "name_zh": p["name_zh"],
            "name_en": p["name_en"],
            "plan_task": p.get("plan_task", i + 1),
            **sizes,
            **effects,
            "_due": p["due"],
            "_delay": p.get("delay_months", kinds[kind]["delay_months"]),
        }
    found.raise_if_any()
    return out


def _sizes(w: Where, key: str, p: dict, allowed: list | None, found: Collector) -> dict[str, float]:
    """The sizes a project states, each within its range (``allowed``: the kind's sizes; None when the
    kind is unknown, so only the ranges are checked)."""
    sizes = {}
    for s in SIZES:
        if s not in p:
            continue
        kind = p.get("kind")
        if allowed is not None and s not in allowed:
            found.add(w.fail(f"{key}.{s}", f"a {kind} project has no {s}; it may state {allowed or 'no size'}"))
            continue
        v = p[s]
        r = RANGES["warehouse" if s == "warehouse_k_m2" else "area_ha"]
        if isinstance(v, bool) or not isinstance(v, int | float) or not r.contains(v):
            found.add(w.fail(f"{key}.{s}", r.refusal(f"got {v!r}")))
        else:
            sizes[s] = float(v)
    return sizes
