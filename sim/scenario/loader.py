"""Read a scenario file: follow ``extends``, deep-merge, apply ``--set`` overrides, validate.

Values are set by key path in one way (:func:`set_values`), whether they come from ``--set`` texts,
from a dict of typed values (the API, the studio) or from lever values (:func:`with_values`).

Every user-caused problem ends in :class:`ScenarioError`, whose message names the file, the
key path and what was expected; the CLI turns it into exit code 2 without a traceback.
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from sim.ranking.config.fill import fill_national
from sim.scenario.errors import ScenarioError, display_path
from sim.scenario.observed import attach
from sim.scenario.schema import Scenario
from sim.scenario.zone import expand, is_zone_file, zone_overrides

SAVE_AS_UTF8 = (
    "save it as UTF-8 (Notepad: File > Save As, Encoding UTF-8; VS Code: Save with Encoding, UTF-8) and try again"
)
"""How to fix a scenario file in another encoding (scenario files are UTF-8, with or without BOM)."""


@dataclass(frozen=True)
class LoadedScenario:
    scenario: Scenario
    path: Path
    resolved: dict  # the merged, overridden TOML data (what was validated)
    sha256: str  # hash of the canonical JSON of ``resolved``

    @property
    def name(self) -> str:
        return self.scenario.scenario.name


def _read_toml(path: Path) -> dict:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a folder, not a scenario file") from None
    except OSError as e:
        raise ScenarioError(f"{path}: cannot read ({e.strerror})") from None
    text = _decode(path, data)
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{path}: malformed TOML: {e}") from None
    except RecursionError:
        lines = text.splitlines()
        n = max(range(len(lines)), key=lambda i: lines[i].count("[") + lines[i].count("{"))
        key = lines[n].split("=", 1)[0].strip() if "=" in lines[n] else lines[n][:20]
        raise ScenarioError(f"{path}: {key}: {_TOO_DEEP} (line {n + 1})") from None
    deep = _deep_key(parsed)
    if deep:
        raise ScenarioError(f"{path}: {deep}: {_TOO_DEEP}")
    return parsed


_TOO_DEEP = "nesting too deep (arrays or tables inside one another); a scenario needs only a few levels"
_DEEP = 100
"""Levels of nesting past which a value is reported as too deep (a scenario uses fewer than ten)."""


def _deep_key(data: dict) -> str:
    """The first few keys of a path nested more than ``_DEEP`` levels (found without recursion)."""
    stack: list[tuple[object, list[str]]] = [(data, [])]
    while stack:
        node, path = stack.pop()
        if len(path) > _DEEP:
            return ".".join(path[:3]) + "..."
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        stack.extend((v, [*path, str(k)]) for k, v in items)
    return ""


def _decode(path: Path, data: bytes) -> str:
    """The text of a UTF-8 file (a BOM is dropped); anything else is refused in one line."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        raise ScenarioError(f"{path}: not a UTF-8 text file (UTF-16 or binary); {SAVE_AS_UTF8}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        try:
            data.decode("gb18030")
            looks = "; it looks like GBK/GB18030, as Chinese editions of Windows save text"
        except UnicodeDecodeError:
            looks = ""
        raise ScenarioError(
            f"{path}: not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}{looks}); {SAVE_AS_UTF8}"
        ) from None


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
    if not parent.strip():
        raise ScenarioError(
            f"{path}: extends: empty file name; name the parent scenario, e.g. "
            f'extends = "baseline.toml", or remove the line'
        )
    ppath = path.parent / parent
    if not ppath.exists():
        raise ScenarioError(f"{path}: extends: parent scenario {parent!r} not found (looked for {display_path(ppath)})")
    base = _resolve_chain(ppath, origin, (*seen, path))
    child = {k: v for k, v in data.items() if k != "extends"}
    merged = deep_merge(base, child, origin, display_path(path))
    merged["extends"] = parent
    return merged


def resolve_chain(path: str | Path) -> dict:
    """A scenario file merged with the files it ``extends``, before any expansion or validation."""
    return _resolve_chain(Path(path), {})


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
    except RecursionError:
        value = None
    if value is None or _deep_key({"v": value}):
        raise ScenarioError(f"--set {key}=...: {_TOO_DEEP}")
    return key.split("."), value


Assignment = tuple[list[str], Any, str]
"""One value to set: (key path, value, what set it: ``"--set key=value"`` or ``"lever id=value"``)."""


def assignments(overrides: Mapping[str, Any] | Sequence[str] | None) -> list[Assignment]:
    """``--set`` texts (``["levers.promotion_events_per_year=4"]``, each value read as TOML) or
    typed values by key path (``{"levers.promotion_events_per_year": 4}``, used as given)."""
    if overrides is None:
        return []
    if isinstance(overrides, str):
        overrides = [overrides]
    if not isinstance(overrides, Mapping):
        return [(*parse_override(text), f"--set {text}") for text in overrides]
    out = []
    for key, value in overrides.items():
        keys = str(key).strip().split(".")
        if not all(keys):
            raise ScenarioError(f"--set {key}=...: expected a non-empty key path")
        value = _plain(value)
        out.append((keys, value, f"--set {key}={_shown(value)}"))
    return out


def _plain(v: Any) -> Any:
    """A value as TOML would give it back: numpy scalars as Python numbers, tuples as lists."""
    if hasattr(v, "item") and not isinstance(v, (list, dict, str)):  # a numpy scalar
        v = v.item()
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def _shown(v: Any) -> str:
    """A value as it would be written after ``--set key=`` (for messages only)."""
    try:
        return tomli_w.dumps({"v": v}).split("=", 1)[1].strip()
    except (TypeError, ValueError):
        return repr(v)


def set_values(data: dict, values: list[Assignment], origin: dict) -> dict:
    """A new scenario data dict with each value set at its key path (the tables on the path are
    copied, nothing else: ``data`` is never changed); ``origin`` records what set each key."""
    out = dict(data)
    for keys, value, source in values:
        if keys[0] == "extends":
            raise ScenarioError(
                f"{source}: extends cannot be overridden (the parent is read before --set "
                f"applies); write a scenario file with extends = ... and the changes instead"
            )
        node = out
        for i, k in enumerate(keys[:-1]):
            nxt = node.get(k, {})  # a key the file leaves to its default may be set too
            if not isinstance(nxt, dict):
                raise ScenarioError(f"{source}: {'.'.join(keys[: i + 1])} is a value, not a table")
            node[k] = nxt = dict(nxt)
            node = nxt
        node[keys[-1]] = copy.deepcopy(value)  # unknown keys are caught by validation, naming the source
        _mark(origin, ".".join(keys), value, source)
    return out


def with_values(
    ls: LoadedScenario, values: Mapping[str, Any], sources: Mapping[str, str] | None = None
) -> LoadedScenario:
    """A new validated scenario: ``ls`` with typed values set by key path (``ls`` is unchanged).

    The one way a value is applied to a loaded scenario: the studio's what-ifs and every lever
    value of the studies (:func:`sim.experiment.levers.with_levers`). ``sources`` names what set
    each key, for messages (default: ``--set key=value``)."""
    todo = assignments(values)
    if sources:
        todo = [(k, v, sources.get(".".join(k), src)) for k, v, src in todo]
    origin: dict[str, str] = {}
    return validate_data(set_values(ls.resolved, todo, origin), ls.path, origin)


_DIST_TAGS = {"fixed", "uniform", "triangular", "normal", "lognormal", "beta", "pert", "poisson", "choice"}


def _format_validation_error(e: ValidationError, origin: dict, default_file: str) -> list[str]:
    """One line per problem (``file: key.path: what was expected``), every problem of the file."""
    lines: list[str] = []
    for err in e.errors():
        msg = err["msg"]
        if msg.startswith("Value error, ") and "\n" in msg:  # a cross-field check that found several
            for part in msg.removeprefix("Value error, ").split("\n"):
                lines.append(_format_one({**err, "msg": "Value error, " + part}, origin, default_file))
        else:
            lines.append(_format_one(err, origin, default_file))
    return _merge_items(lines)


def _merge_items(lines: list[str]) -> list[str]:
    """The same problem of several items of one list in one line (``key.0, 1, 2: what``)."""
    out: dict[tuple[str, str], list[str]] = {}
    for line in lines:
        m = re.match(r"^(.*?\S)\.(\d+): (.*)$", line)
        key = (m.group(1), re.sub(r"\(got .*\)$", "", m.group(3))) if m else (line, "")
        out.setdefault(key, []).append(line if not m else m.group(2))
    merged = []
    for (head, msg), items in out.items():
        if not msg or len(items) == 1:
            merged.append(f"{head}.{items[0]}: {msg}".rstrip() if msg else head)
            if msg and len(items) == 1:  # keep the original line (with its value)
                merged[-1] = next(line for line in lines if line.startswith(f"{head}.{items[0]}: "))
        else:
            merged.append(f"{head}.{', '.join(items)}: {msg.rstrip()}")
    return merged


def _format_one(first: Any, origin: dict, default_file: str) -> str:
    raw_loc = [str(p) for p in first["loc"]]
    loc = [p for p in raw_loc if not (p in _DIST_TAGS or "[" in p)]
    if raw_loc[-2:] == ["fixed", "value"]:  # a bare number: its key is the path, not ".value"
        loc = loc[:-1]
    path = ".".join(loc)
    msg = first["msg"]
    head = msg.removeprefix("Value error, ").split(":", 1)[0]
    key = loc
    if " " not in head and ":" in msg:
        if not loc and "." in head:  # a whole-scenario check: its message starts with the key path
            loc = key = head.split(".")
        elif loc:  # a section's check: its message starts with a path inside it
            key = loc + head.split(".")
            path, msg = ".".join(key), "Value error, " + msg.split(":", 1)[1].strip()
    file = _origin_of(key, origin, default_file)
    kind = first["type"]
    if kind == "extra_forbidden":
        msg = "unknown key (not part of the scenario schema; see docs/scenarios.md)"
    elif kind == "missing":
        msg = "missing key (required; see docs/scenarios.md)"
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    elif "input" in first and kind not in ("union_tag_invalid",):
        msg = f"{msg} (got {first['input']!r})"
    where = f"{path}: " if path else ""
    return f"{file}: {where}{msg}"


def _origin_of(loc: list[str], origin: dict, default_file: str) -> str:
    """The file (or --set) that set this key: an override anywhere under it wins, then the child-most
    file that set the key or a key inside it, else the nearest key on the path that has an origin."""
    key = ".".join(loc)
    if key:
        for k, src in origin.items():
            if src.startswith("--set") and (k == key or k.startswith(key + ".")):
                return src
    if key:  # a table: the file furthest down the extends chain that set a key in it
        order = {f: i for i, f in enumerate(dict.fromkeys(origin.values()))}
        inside = [src for k, src in origin.items() if k == key or k.startswith(key + ".")]
        if inside:
            return max(inside, key=order.__getitem__)
    for i in range(len(loc), 0, -1):
        k = ".".join(loc[:i])
        if k in origin:
            return origin[k]
    return default_file


def canonical_hash(data: dict) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()


def load_scenario(path: str | Path, overrides: Mapping[str, Any] | Sequence[str] | None = None) -> LoadedScenario:
    """Read, merge (``extends``), override and validate a scenario file.

    Parameters
    ----------
    path : str or Path
        The scenario TOML file.
    overrides : dict or list of str, optional
        Typed values by key path (``{"levers.promotion_events_per_year": 4}``), or ``--set`` texts
        (``["levers.promotion_events_per_year=4"]``, each value read as TOML).

    Returns the validated scenario (``.scenario``) with its file, resolved data and hash; raises
    ScenarioError with every problem, each naming the file, the key path and what was expected.
    """
    path = Path(path)
    origin: dict[str, str] = {}
    try:
        data = _resolve_chain(path, origin)
        values = assignments(overrides)
        if is_zone_file(data):  # a one-page zone file: expanded into the full scenario (docs/zones.md)
            early, values = zone_overrides(values)
            data = expand(set_values(data, early, origin), path, origin)
        data = set_values(data, values, origin)
        ls = validate_data(data, path, origin)
        if ls.scenario.observations is not None:  # read and embed the observations file (docs/data.md)
            ls = validate_data(attach(data, ls.scenario, path, origin), path, origin)
    except RecursionError:  # merging, copying or validating a very deep value
        raise ScenarioError(f"{display_path(path)}: {_TOO_DEEP}") from None
    return ls


def validate_data(data: dict, path: Path, origin: dict | None = None) -> LoadedScenario:
    try:  # the national facts its plan could know complete the [ranking] section (sim.ranking.config.fill)
        data = fill_national(data)
    except ValueError as e:
        raise ScenarioError(f"{_origin_of(['ranking', 'peers'], origin or {}, display_path(path))}: {e}") from None
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as e:
        raise ScenarioError(problems=_format_validation_error(e, origin or {}, display_path(path))) from None
    return LoadedScenario(scenario=sc, path=path, resolved=data, sha256=canonical_hash(data))
