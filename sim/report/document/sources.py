"""Scenario values and their sources: flatten the resolved scenario, read the TOML comments.

Every number of a scenario file carries a comment (its source, or "assumption: ..."). The
manifest keeps the resolved values but not the comments, so the pack reads them from the
scenario file named in the manifest (and the files it ``extends``) when that file exists.
A comment belongs to a key when it ends the key's line, or when it stands on the lines right
above the key (no blank line between).
"""

from __future__ import annotations

import contextlib
import tomllib
from pathlib import Path

from sim.scenario import load_scenario
from sim.scenario.zone_notes import zone_comments


def flatten(data: dict, prefix: str = "") -> list[tuple[str, object]]:
    """Leaf values of a nested dict as (dotted key path, value); a distribution table is a leaf."""
    out = []
    for k, v in data.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict) and "dist" not in v and v:
            out.extend(flatten(v, path + "."))
        else:
            out.append((path, v))
    return out


def _split_comment(line: str) -> tuple[str, str]:
    """(code, comment) of one TOML line; a '#' inside a string is not a comment."""
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 2
                continue
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#":
            return line[:i].rstrip(), line[i + 1 :].strip()
        i += 1
    return line.rstrip(), ""


def _key_parts(key: str) -> list[str]:
    parts, cur, quote = [], "", None
    for c in key.strip():
        if quote:
            if c == quote:
                quote = None
            else:
                cur += c
        elif c in "\"'":
            quote = c
        elif c == ".":
            parts.append(cur.strip())
            cur = ""
        else:
            cur += c
    parts.append(cur.strip())
    return [p for p in parts if p]


def _clean(c: str) -> str:
    return c.strip().strip("-=").strip()


def _join(block: list[str], trailing: str = "") -> str:
    head = " ".join(b for b in (_clean(x) for x in block) if b)
    tail = _clean(trailing)
    return "; ".join(x for x in (head, tail) if x)


def toml_comments(text: str) -> dict[str, str]:
    """Map dotted key path -> comment text, for one TOML document.

    A table header's own comment (the lines above it, its line, and the lines right below it
    before its first key) is stored under the table's path; :func:`comment_for` falls back to it
    for keys of the table that have no comment of their own."""
    out: dict[str, str] = {}
    table: list[str] = []
    block: list[str] = []
    after_header = False
    last = ""  # key path of the latest value
    depth = 0  # open brackets of a multi-line value
    for raw in text.splitlines():
        code, comment = _split_comment(raw)
        s = code.strip()
        if depth > 0:  # inside a multi-line array / inline table
            depth += s.count("[") + s.count("{") - s.count("]") - s.count("}")
            if comment and last:  # a comment on a continuation line belongs to the value's key
                out[last] = "; ".join(x for x in (out.get(last, ""), _clean(comment)) if x)
            continue
        if not s:
            if comment:
                block.append(comment)
            else:
                block = []
            continue
        if s.startswith("["):
            table = _key_parts(s.strip("[]").strip())
            c = _join(block, comment)
            if c:
                out[".".join(table)] = c
            block, after_header = [], True
            continue
        if "=" in s:
            key, value = s.split("=", 1)
            path = ".".join([*table, *_key_parts(key)])
            if after_header and block and table:
                tpath = ".".join(table)
                out[tpath] = "; ".join(x for x in (out.get(tpath, ""), _join(block)) if x)
            c = _join(block, comment)
            if c:
                out[path] = c
            last = path
            block, after_header = [], False
            v = value.strip()
            depth = max(0, v.count("[") + v.count("{") - v.count("]") - v.count("}"))
    return out


def comment_for(comments: dict[str, str], path: str) -> str:
    """The comment of a key, else the comment of the table that holds it."""
    if path in comments:
        return comments[path]
    parent = path.rsplit(".", 1)[0] if "." in path else ""
    return comments.get(parent, "")


def find_scenario_file(name: str | None, results_folder: Path) -> Path | None:
    """The scenario file named in a manifest: absolute, from the working directory, from the
    project root, or from the results folder's parents."""
    if not name:
        return None
    p = Path(name)
    root = Path(__file__).resolve().parents[2]
    cands = [p] if p.is_absolute() else [Path.cwd() / p, root / p, *(q / p for q in results_folder.resolve().parents)]
    for c in cands:
        if c.is_file():
            return c
    return None


def scenario_comments(path: Path) -> dict[str, str]:
    """Comments of a scenario file and the files it ``extends`` (the child's win)."""
    chain: list[Path] = []
    seen: set[Path] = set()
    cur: Path | None = path
    while cur is not None and cur.resolve() not in seen and cur.is_file():
        seen.add(cur.resolve())
        chain.append(cur)
        try:
            data = tomllib.loads(cur.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            break
        ext = data.get("extends")
        cur = (cur.parent / ext) if isinstance(ext, str) else None
    out: dict[str, str] = {}
    for p in reversed(chain):
        with contextlib.suppress(OSError):
            out.update(toml_comments(p.read_text(encoding="utf-8")))
    try:  # a zone file: its keys' comments where they land, the catalogue's notes for the rest
        return zone_comments(path, out)
    except Exception:  # noqa: BLE001 - a file that no longer loads: its own comments
        return out


def scenario_values(path: Path) -> dict:
    """Values of a scenario file with its ``extends`` chain merged (to tell whether the file still
    holds the values of the run); empty when it cannot be read."""
    try:
        return load_scenario(path).resolved
    except Exception:  # noqa: BLE001 - any problem: no values
        return {}


def lookup(data: dict, path: str):
    cur = data
    for p in path.split("."):
        if not isinstance(cur, dict) or p not in cur:
            return None
        cur = cur[p]
    return cur
