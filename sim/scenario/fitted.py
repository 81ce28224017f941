"""Fitted distributions as scenario text: a distribution table validated and described, and the
TOML of a calibrated scenario that ``extends`` the original and sets the fitted distributions.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import tomli_w
from pydantic import TypeAdapter

from sim.scenario.distributions import Dist, _Dist
from sim.scenario.loader import parse_override


def as_dist(table: dict) -> _Dist:
    """A distribution table (as in a scenario file) validated into its distribution object."""
    return TypeAdapter(Dist).validate_python(table)


def dist_text(d) -> str:
    """Short description of a distribution table or object, e.g. ``triangular(1, 2, 4)``."""
    t = d if isinstance(d, dict) else (d.model_dump(by_alias=True) if hasattr(d, "model_dump") else {"value": d})
    if not isinstance(t, dict):
        return f"{t:g}"
    args = ", ".join(f"{k}={_fmt(v)}" for k, v in t.items() if k != "dist")
    return f"{t.get('dist', 'fixed')}({args})"


def _fmt(v):
    if isinstance(v, list):
        return "[" + ", ".join(_fmt(x) for x in v[:6]) + (", ..." if len(v) > 6 else "") + "]"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def _toml_scalar(v) -> str:
    return tomli_w.dumps({"v": v}).strip()[4:]


def _inline(table: dict) -> str:
    return "{ " + ", ".join(f"{k} = {_toml_scalar(v)}" for k, v in table.items()) + " }"


def calibrated_toml(
    sc, original: Path, out_file: Path, params: pd.DataFrame, overrides: list[str], header: list[str]
) -> str:
    """Text of the calibrated scenario: ``extends`` the original, sets the fitted distributions."""
    rel = os.path.relpath(Path(original).resolve(), Path(out_file).resolve().parent)
    name = f"{sc.scenario.name}_calibrated"
    tree: dict = {
        "scenario": {
            "name": (name, "the original scenario's name + _calibrated"),
            "description": (f"{sc.scenario.name} with uncertain parameters fitted to the observed months (ABC)", ""),
        }
    }
    for text in overrides:
        keys, value = parse_override(text)
        node = tree
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        if keys == ["observations", "file"] and not Path(str(value)).is_absolute():
            value = Path(os.path.relpath(Path.cwd() / str(value), Path(out_file).resolve().parent)).as_posix()
        node[keys[-1]] = (value, f"--set {text} given to calibrate")
    for _, r in params[params["written"]].iterrows():
        keys = r["parameter"].split(".")
        node = tree
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        note = (
            f"posterior mean {r['post_mean']:.4g}, 95% [{r['post_q2_5']:.4g}, {r['post_q97_5']:.4g}]; "
            f"prior {r['prior']}"
        )
        node[keys[-1]] = (r["_fitted"], note)
    lines = [f"# {line}" for line in header]
    lines += [f"extends = {_toml_scalar(Path(rel).as_posix())}   # the scenario that was calibrated", ""]

    def emit(node: dict, prefix: str):
        leaves = [(k, v) for k, v in node.items() if isinstance(v, tuple)]
        tables = [(k, v) for k, v in node.items() if not isinstance(v, tuple)]
        if leaves:
            if prefix:
                lines.append(f"[{prefix}]")
            for k, (v, note) in leaves:
                val = _inline(v) if isinstance(v, dict) else _toml_scalar(v)
                lines.append(f"{k} = {val}" + (f"   # {note}" if note else ""))
            lines.append("")
        for k, v in tables:
            emit(v, f"{prefix}.{k}" if prefix else k)

    emit(tree, "")
    return "\n".join(lines).rstrip() + "\n"
