"""Read a scenario file: follow ``extends``, deep-merge, apply ``--set`` overrides, validate.

Every user-caused problem ends in :class:`ScenarioError`, whose message names the file, the
key path and what was expected; the CLI turns it into exit code 2 without a traceback.
"""
from __future__ import annotations

import copy
import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.errors import UserError
from sim.scenario.schema import Scenario


class ScenarioError(UserError):
    """A problem with a scenario file or override that the user can fix."""


@dataclass(frozen=True)
class LoadedScenario:
    scenario: Scenario
    path: Path
    resolved: dict          # the merged, overridden TOML data (what was validated)
    sha256: str             # hash of the canonical JSON of ``resolved``

    @property
    def name(self) -> str:
        return self.scenario.scenario.name


def _read_toml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except OSError as e:
        raise ScenarioError(f"{path}: cannot read ({e.strerror})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{path}: malformed TOML: {e}") from None


def deep_merge(base: dict, over: dict, origin: dict, over_file: str, prefix: str = "") -> dict:
    """Merge ``over`` into a copy of ``base``; tables merge key by key, other values replace.

    ``origin`` maps each key path to the file that last set it (for error messages)."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict) and isinstance(out.get(k), dict) and "dist" not in v:
            out[k] = deep_merge(out[k], v, origin, over_file, path + ".")
        else:
            out[k] = copy.deepcopy(v)
            _mark(origin, path, v, over_file)
    return out


def _mark(origin: dict, path: str, v: Any, file: str) -> None:
    origin[path] = file
    if isinstance(v, dict):
        for k, sub in v.items():
            _mark(origin, f"{path}.{k}", sub, file)


def _resolve_chain(path: Path, origin: dict, seen: tuple[Path, ...] = ()) -> dict:
    path = Path(display_path(path))
    if path.resolve() in [p.resolve() for p in seen]:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(f"{seen[-1]}: extends: cycle in the extends chain ({chain})")
    data = _read_toml(path)
    parent = data.get("extends")
    if parent is None:
        _mark_all(origin, data, display_path(path))
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends: expected a file name (string), got {type(parent).__name__}")
    ppath = (path.parent / parent)
    if not ppath.exists():
        raise ScenarioError(f"{path}: extends: parent scenario {parent!r} not found (looked for {display_path(ppath)})")
    base = _resolve_chain(ppath, origin, (*seen, path))
    child = {k: v for k, v in data.items() if k != "extends"}
    merged = deep_merge(base, child, origin, display_path(path))
    merged["extends"] = parent
    return merged


def _mark_all(origin, data, file, prefix=""):
    for k, v in data.items():
        origin[f"{prefix}{k}"] = file
        if isinstance(v, dict):
            _mark_all(origin, v, file, f"{prefix}{k}.")


def parse_override(text: str) -> tuple[list[str], Any]:
    """``a.b.c=value`` -> (["a", "b", "c"], value); the value is read as TOML, else as a string."""
    if "=" not in text:
        raise ScenarioError(f"--set {text}: expected key.path=value")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key or any(not p for p in key.split(".")):
        raise ScenarioError(f"--set {text}: expected key.path=value with a non-empty key path")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return key.split("."), value


def apply_overrides(data: dict, overrides: list[str], origin: dict) -> dict:
    out = copy.deepcopy(data)
    for text in overrides:
        keys, value = parse_override(text)
        node = out
        for i, k in enumerate(keys[:-1]):
            nxt = node.setdefault(k, {})      # a key the file leaves to its default may be set too
            if not isinstance(nxt, dict):
                raise ScenarioError(f"--set {text}: {'.'.join(keys[:i + 1])} is a value, not a table")
            node = nxt
        node[keys[-1]] = value                 # unknown keys are caught by validation, naming this --set
        _mark(origin, ".".join(keys), value, f"--set {text}")
    return out


_DIST_TAGS = {"fixed", "uniform", "triangular", "normal", "lognormal", "beta", "pert", "poisson", "choice"}


def _format_validation_error(e: ValidationError, origin: dict, default_file: str) -> str:
    errs = e.errors()
    first = errs[0]
    loc = [str(p) for p in first["loc"] if not (isinstance(p, str) and (p in _DIST_TAGS or "[" in p))]
    path = ".".join(loc)
    msg = first["msg"]
    if not loc:                 # a whole-scenario check: its message starts with the key path
        head = msg.removeprefix("Value error, ").split(":", 1)[0]
        if " " not in head and "." in head:
            loc = head.split(".")
    file = _origin_of(loc, origin, default_file)
    kind = first["type"]
    if kind == "extra_forbidden":
        msg = "unknown key (not part of the scenario schema; see docs/scenarios.md)"
    elif kind == "missing":
        msg = "missing key (required; see docs/scenarios.md)"
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    elif "input" in first and kind not in ("union_tag_invalid",):
        msg = f"{msg} (got {first['input']!r})"
    where = f"{path}: " if path else ""
    more = f" (and {len(errs) - 1} more problem(s))" if len(errs) > 1 else ""
    return f"{file}: {where}{msg}{more}"


def _origin_of(loc: list[str], origin: dict, default_file: str) -> str:
    """The file (or --set) that set this key: an override anywhere under it wins, else the
    nearest key on the path that has an origin."""
    key = ".".join(loc)
    if key:
        for k, src in origin.items():
            if src.startswith("--set") and (k == key or k.startswith(key + ".")):
                return src
    for i in range(len(loc), 0, -1):
        k = ".".join(loc[:i])
        if k in origin:
            return origin[k]
    return default_file


def display_path(path: str | Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def canonical_hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode()).hexdigest()


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> LoadedScenario:
    """Read, merge, override and validate a scenario file."""
    path = Path(path)
    origin: dict[str, str] = {}
    data = _resolve_chain(path, origin)
    data = apply_overrides(data, list(overrides), origin)
    ls = validate_data(data, path, origin)
    if ls.scenario.observations is not None:      # read and embed the observations file (docs/data.md)
        from sim.data.observations import attach
        ls = validate_data(attach(data, ls.scenario, path, origin), path, origin)
    return ls


def validate_data(data: dict, path: Path, origin: dict | None = None) -> LoadedScenario:
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as e:
        raise ScenarioError(_format_validation_error(e, origin or {}, display_path(path))) from None
    return LoadedScenario(scenario=sc, path=path, resolved=data, sha256=canonical_hash(data))
