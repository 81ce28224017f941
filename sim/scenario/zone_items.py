"""The projects and milestones of a zone file (``[[projects]]``, ``[[milestones]]``): each entry checked
against the catalogue's kinds and turned into the full scenario's project or milestone spec (docs/zones.md).
"""

from __future__ import annotations

from typing import Any

from sim.months import is_month
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
    for i, m in enumerate(items):
        key = f"milestones[{i + 1}]"
        if not isinstance(m, dict):
            raise w.fail(key, "expected a table")
        _check_entry(w, key, m, MILESTONE_KEYS)
        kind = m.get("business_type", m.get("kind"))
        if ("business_type" in m) == ("kind" in m):
            raise w.fail(key, f"give one of business_type ({', '.join(opens)}) or kind ({', '.join(kinds)})")
        field = "business_type" if "business_type" in m else "kind"
        allowed = list(opens) if field == "business_type" else [k for k in kinds if k not in opens]
        if not isinstance(kind, str) or kind not in allowed:
            raise w.fail(f"{key}.{field}", f"unknown {field} {kind!r}; expected one of {allowed}")
        spec = kinds[kind]
        mid = m.get("id", slug(kind))
        if mid in out:
            raise w.fail(f"{key}.id", f"id {mid!r} is used twice; give each milestone its own id")
        out[mid] = {
            "name_zh": m["name_zh"],
            "name_en": m["name_en"],
            "plan_task": m.get("plan_task", i + 1),
            "business_type": spec["business_type"],
            **_effects(w, key, m, spec["effects"]),
            "_due": m["due"],
            "_delay": m.get("delay_months", spec["delay_months"]),
        }
        if field == "business_type":
            sector = opens[kind]
            if n.get(sector, 0) > 0:
                raise w.fail(
                    f"{key}.business_type",
                    f"{kind} already runs in the base year (base_year.enterprises.{sector} > 0); "
                    f"a milestone launches a new business type: remove one of the two",
                )
            opened[sector] = mid
    return out, opened


def _check_entry(w: Where, key: str, m: dict, keys: set) -> None:
    unknown = sorted(set(m) - keys - set(EFFECT_KEYS))
    if unknown:
        raise w.fail(f"{key}.{unknown[0]}", f"unknown key; expected some of {sorted({*keys, *EFFECT_KEYS})}")
    for k in ("name_zh", "name_en", "due"):
        if not isinstance(m.get(k), str) or not m[k].strip():
            raise w.fail(f"{key}.{k}", "missing key (required; see docs/zones.md)" if k not in m else "expected text")
    if not is_month(m["due"]):
        raise w.fail(f"{key}.due", f'expected a month "YYYY-MM", got {m["due"]!r}')
    if "plan_task" in m and not (isinstance(m["plan_task"], int) and 1 <= m["plan_task"] <= 99):
        raise w.fail(f"{key}.plan_task", f"expected the plan's task number 1-99, got {m['plan_task']!r}")


def _effects(w: Where, key: str, m: dict, default: dict) -> dict:
    out = {k: dict(default.get(k, {})) for k in EFFECT_KEYS}
    for k in EFFECT_KEYS:
        if k in m:
            if not isinstance(m[k], dict):
                raise w.fail(f"{key}.{k}", "expected a table, e.g. { logistics = 1.1 }")
            out[k] = dict(m[k])
    return out


def projects_of(w: Where, items: Any, cat: dict, milestone_ids: set) -> dict:
    if not isinstance(items, list):
        raise w.fail("projects", "expected [[projects]] entries")
    kinds = cat["project_kinds"]
    out: dict[str, dict] = {}
    for i, p in enumerate(items):
        key = f"projects[{i + 1}]"
        if not isinstance(p, dict):
            raise w.fail(key, "expected a table")
        _check_entry(w, key, p, PROJECT_KEYS)
        kind = p.get("kind")
        if not isinstance(kind, str) or kind not in kinds:
            raise w.fail(f"{key}.kind", f"unknown project kind {kind!r}; expected one of {list(kinds)}")
        spec = kinds[kind]
        sizes = {}
        for s in SIZES:
            if s in p:
                if s not in spec["sizes"]:
                    raise w.fail(
                        f"{key}.{s}", f"a {kind} project has no {s}; it may state {spec['sizes'] or 'no size'}"
                    )
                v = p[s]
                r = RANGES["warehouse" if s == "warehouse_k_m2" else "area_ha"]
                if isinstance(v, bool) or not isinstance(v, int | float) or not r.contains(v):
                    raise w.fail(f"{key}.{s}", r.refusal(f"got {v!r}"))
                sizes[s] = float(v)
        pid = p.get("id", slug(p["name_en"]))
        if pid in out or pid in milestone_ids:
            raise w.fail(f"{key}.id", f"id {pid!r} is used twice; give each project its own id")
        out[pid] = {
            "name_zh": p["name_zh"],
            "name_en": p["name_en"],
            "plan_task": p.get("plan_task", i + 1),
            **sizes,
            **_effects(w, key, p, spec["effects"]),
            "_due": p["due"],
            "_delay": p.get("delay_months", spec["delay_months"]),
        }
    return out
