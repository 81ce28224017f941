"""Fuzz tier for portfolio files: generated bad portfolio files, each refused cleanly before anything runs.

Each case starts from the example province (scenarios/examples/province_demo.toml, its zone paths
made absolute) and breaks it: a key removed, an unknown key added, a value of the wrong type, out
of its range or absurd (1e308, NaN, infinity), a zone list that is empty, repeats a zone or names a
file that is missing, not TOML or not a zone, a target on an unknown indicator or year, a broken
encoding. ``validate`` must exit 2 with one message naming the file, no traceback.
``bench/bad_inputs.py`` counts the same cases.
"""

from __future__ import annotations

import copy
import tempfile
import tomllib
from pathlib import Path

import pytest
import tomli_w
from test_fuzz_zone import attempt

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parents[1]
DEMO_FILE = ROOT / "scenarios" / "examples" / "province_demo.toml"
DEMO = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
DEMO["portfolio"]["zones"] = [str(DEMO_FILE.parent / z) for z in DEMO["portfolio"]["zones"]]
WORK = Path(tempfile.mkdtemp(prefix="zonesim_fuzz_portfolio_"))

LEAVES = [
    ("portfolio", "name_zh"),
    ("portfolio", "name_en"),
    ("portfolio", "zones"),
    ("portfolio", "replications"),
    ("targets", "trade_total", "2027"),
    ("targets", "zones_in_rank", "2027"),
]
REQUIRED = [("portfolio", "name_zh"), ("portfolio", "name_en"), ("portfolio", "zones"), ("portfolio",)]
WRONG = [True, "12", [1], {"a": 1}, float("nan"), float("inf"), -1e308, 1e308, -3, 0]
"""Values of the wrong type or out of any range; each leaf gets those its own type refuses."""


def mutated(path: tuple, value) -> dict:
    data = copy.deepcopy(DEMO)
    node = data
    for k in path[:-1]:
        node = node[k]
    if value is _REMOVE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


_REMOVE = object()


def _refuses(path: tuple, value) -> bool:
    """Whether ``value`` at ``path`` is wrong (names must be non-empty text, counts whole and in range)."""
    if path[-1] in ("name_zh", "name_en"):
        return not isinstance(value, str)
    if path[-1] == "zones":
        return True  # no value of WRONG is a list of zone files
    if path[-1] == "replications":
        return isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100_000
    if path[-2] == "zones_in_rank":  # 1 to the number of zones
        return isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3
    return isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1e9


def cases():
    for path in REQUIRED:
        yield "missing", ".".join(path), mutated(path, _REMOVE)
    for section in ("portfolio", "targets"):
        yield "unknown", section, mutated((section, "colour"), "red")
    yield "unknown", "section", mutated(("extra",), {"a": 1})
    for path in LEAVES:
        for v in WRONG:
            if _refuses(path, v):
                yield "value", f"{'.'.join(path)}={v!r}", mutated(path, v)
    zones = DEMO["portfolio"]["zones"]
    for label, value in (
        ("empty", []),
        ("repeated", [zones[0], zones[0]]),
        ("missing", [*zones, str(WORK / "nosuch.toml")]),
        ("folder", [str(WORK)]),
        ("not_text", [1, 2]),
        ("readme", [str(ROOT / "README.md")]),
        ("too_many", [zones[0]] * 1000),
    ):
        yield "zones", label, mutated(("portfolio", "zones"), value)
    yield "targets", "indicator", mutated(("targets", "happiness"), {"2027": 1})
    yield "targets", "year", mutated(("targets", "trade_total"), {"2031": 700})
    yield "targets", "not_table", mutated(("targets", "trade_total"), 700)
    for enc in ("gbk", "utf-16", "binary"):
        yield "encoding", enc, enc


def write(label: str, content) -> Path:
    f = WORK / "portfolio.toml"
    if isinstance(content, str):  # an encoding
        text = tomli_w.dumps(mutated(("portfolio", "name_en"), "Province é 省"))
        f.write_bytes(b"\x00\x01\xff" * 64 if content == "binary" else text.encode(content))
    else:
        f.write_text(tomli_w.dumps(content), encoding="utf-8")
    return f


CASES = list(cases())


def test_the_unbroken_file_is_valid():
    """The cases break a valid file: the unbroken one validates (else every case would pass trivially)."""
    result, err = attempt(["validate", str(write("ok", DEMO))])
    assert result == "accepted", err


@pytest.mark.parametrize("kind,label,content", CASES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(CASES)])
def test_bad_portfolio_file_is_refused_cleanly(kind, label, content):
    result, err = attempt(["validate", str(write(label, content))])
    assert result == "clean", f"{kind} {label}: {result}\n{err}"
    assert "portfolio.toml" in err or kind == "zones", err
