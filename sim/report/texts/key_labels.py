"""Labels of the scenario itself, in Chinese and English: the names of its entities
(:func:`scenario_names`, :func:`entity_name`), its key paths (:func:`key_label`) and its values,
distributions included (:func:`value_text`).

``scenario`` arguments accept a validated :class:`sim.scenario.Scenario`, the resolved scenario
dict of a manifest, or ``None``.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from sim.report.texts.words import pick
from sim.vocabulary.outcomes import OUTCOMES
from sim.vocabulary.parameters import KEYS

DISTS = {
    "fixed": ("固定值", "fixed"),
    "uniform": ("均匀分布", "uniform"),
    "triangular": ("三角分布", "triangular"),
    "pert": ("PERT分布", "PERT"),
    "normal": ("正态分布", "normal"),
    "lognormal": ("对数正态分布", "lognormal"),
    "beta": ("Beta分布", "beta"),
    "poisson": ("泊松分布", "Poisson"),
    "choice": ("离散选择", "choice"),
}

DIST_PARAMS = {
    "low": ("最小", "low"),
    "mode": ("众数", "mode"),
    "high": ("最大", "high"),
    "mean": ("均值", "mean"),
    "sd": ("标准差", "sd"),
    "median": ("中位数", "median"),
    "sigma": ("对数标准差", "sigma"),
    "a": ("a", "a"),
    "b": ("b", "b"),
    "value": ("值", "value"),
    "values": ("取值", "values"),
    "weights": ("权重", "weights"),
    "lamb": ("形状参数", "shape"),
}

# Which scenario entity an id refers to, by the key component before it.
_ENTITY_OF = {
    "sectors": "sectors",
    "enterprises": "sectors",
    "project_month": "projects",
    "project_delay_months": "projects",
    "milestone_month": "milestones",
    "milestone_delay_months": "milestones",
    "leaders": "leaders",
    "leader_candidates": "leaders",
    "counts": "counts",
}


def scenario_names(scenario):
    """Names of scenario entities, from a Scenario, a resolved-scenario dict or None.

    Returns an object with ``constants.{sectors,projects,milestones,leaders,counts}``: dicts of
    objects with ``name_zh`` and ``name_en`` (what :func:`indicator_label` needs)."""
    if scenario is None or not isinstance(scenario, dict):
        return scenario
    c = scenario.get("constants", {}) or {}

    def names(group):
        return {
            k: SimpleNamespace(name_zh=v.get("name_zh", k), name_en=v.get("name_en", k))
            for k, v in (c.get(group) or {}).items()
            if isinstance(v, dict)
        }

    return SimpleNamespace(
        constants=SimpleNamespace(**{g: names(g) for g in ("sectors", "projects", "milestones", "leaders", "counts")})
    )


def entity_name(spec, lang: str) -> str:
    """The ``name_zh`` / ``name_en`` of a scenario entity (sector, project, milestone, ...); in
    English without a bracketed Chinese gloss ("Port-zone data linkage (区港联动)"), so that the
    English pack holds English only."""
    return spec.name_zh if lang == "zh" else _CJK_GLOSS.sub("", spec.name_en).strip()


UNITS = {
    "亿元": ("亿元", "100M CNY"),
    "万美元": ("万美元", "10k USD"),
    "%": ("%", "%"),
    "count": ("个", "count"),
    "persons": ("人", "persons"),
    "0/1": ("完成", "done"),
    "rank": ("名", "rank"),
    "points": ("分", "points"),
    "share": ("比重", "share"),
    "": ("", ""),
}
"""Units: the ``unit`` of targets and outcomes, in Chinese and English."""


def english_units(s: str) -> str:
    """``s`` with Chinese money units (亿元, 万美元) written in English."""
    for u in ("万美元", "亿元"):
        s = s.replace(u, UNITS[u][1])
    return s


_CJK_GLOSS = re.compile(r"\s*[(（][^()（）]*[\u3400-\u9fff][^()（）]*[)）]")
"""A bracketed aside that holds Chinese characters."""


def key_label(path: str, lang: str, scenario=None) -> str:
    """Label of a scenario key path such as ``uncertainties.sectors.processing.sign_prob``."""
    sc = scenario_names(scenario)
    parts = path.split(".")
    out = []
    for i, p in enumerate(parts):
        ent = _ENTITY_OF.get(parts[i - 1]) if i else None
        spec = getattr(sc.constants, ent).get(p) if (ent and sc is not None) else None
        if spec is not None:
            out.append(entity_name(spec, lang))
        elif p in KEYS:
            out.append(pick(KEYS[p], lang) if lang == "zh" else english_units(pick(KEYS[p], lang)))
        elif p in OUTCOMES:  # a base-year figure: named as its indicator
            out.append(OUTCOMES[p].zh if lang == "zh" else OUTCOMES[p].en)
        else:
            out.append(p)
    return " · ".join(out)


def _num(v) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def value_text(value, lang: str) -> str:
    """A scenario value as text: numbers as they are, distributions as "triangular (low 1, ...)"."""
    if isinstance(value, dict) and "dist" in value:
        name = pick(DISTS.get(value["dist"], (value["dist"], value["dist"])), lang)
        sep = "，" if lang == "zh" else ", "
        params = sep.join(
            f"{pick(DIST_PARAMS.get(k, (k, k)), lang)} {value_text(v, lang)}" for k, v in value.items() if k != "dist"
        )
        return f"{name}（{params}）" if lang == "zh" else f"{name} ({params})"
    if isinstance(value, dict):
        sep = "，" if lang == "zh" else ", "
        return sep.join(f"{k} = {value_text(v, lang)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value_text(v, lang) for v in value) + "]"
    return _num(value)
