"""Fuzz tier for zone files: generated bad zone files, each refused cleanly before anything runs.

Each case starts from a valid zone file (scenarios/examples/illustrative_small_inland.toml) and
breaks it: a key removed, an unknown key added, a value of the wrong type, out of its range or
absurd (1e308, NaN, infinity), a broken encoding. ``validate`` must exit 2 naming the file, with
no traceback; every problem of the file is in the one message. ``bench/bad_inputs.py`` counts
the same cases. Bounded: the finite cases whole, a few dozen generated ones.
"""

from __future__ import annotations

import contextlib
import copy
import io
import math
import re
import tempfile
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parents[1]
ZONE_FILE = ROOT / "scenarios" / "examples" / "illustrative_small_inland.toml"
ZONE = tomllib.loads(ZONE_FILE.read_text(encoding="utf-8"))
WORK = Path(tempfile.mkdtemp(prefix="zonesim_fuzz_zone_"))


def _leaves(node, prefix=()):
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for k, v in items:
        if isinstance(v, dict | list) and not (isinstance(v, list) and v and not isinstance(v[0], dict)):
            yield from _leaves(v, (*prefix, k))
        else:
            yield (*prefix, k), v


LEAVES = list(_leaves(ZONE))
NUMBERS = [p for p, v in LEAVES if isinstance(v, int | float | list) and not isinstance(v, bool)]
TEXTS = [p for p, v in LEAVES if isinstance(v, str)]
TABLES = [("zone",), ("plan",), ("base_year",), ("projects", 0), ("milestones", 0)]
REQUIRED = [
    ("zone", "name_en"),
    ("zone", "province"),
    ("zone", "fenced_area_km2"),
    ("zone", "accepted"),
    ("plan", "start"),
    ("plan", "horizon_months"),
    ("base_year", "trade_general"),
    ("base_year", "employees"),
    ("base_year", "enterprises"),
    ("projects", 0, "due"),
    ("milestones", 0, "name_en"),
    ("plan",),
    ("base_year",),
    ("targets",),
]
ABSURD = [1e308, -1e308, math.nan, math.inf, -math.inf, -1, 1e12, True, "12", [], {"a": 1}]
NOT_TEXT = [1, 2.5, True, math.nan, [], {"a": "b"}, ""]
ENCODINGS = ["gb18030", "utf-16", "utf-16-be", "utf-32", "latin-1", "binary"]


def mutated(path, value=None, *, delete=False):
    data = copy.deepcopy(ZONE)
    node = data
    for k in path[:-1]:
        node = node[k]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def cases():
    """(kind, label, file text or bytes) of every finite case."""
    for p in REQUIRED:
        yield "missing", p, mutated(p, delete=True)
    for p in TABLES:
        yield "unknown", p, mutated((*p, "colour"), "red")
    for p in NUMBERS:
        for v in ABSURD:
            yield "number", (p, v), mutated(p, v)
    for p in TEXTS:
        for v in NOT_TEXT:
            yield "text", (p, v), mutated(p, v)
    for enc in ENCODINGS:
        text = ZONE_FILE.read_text(encoding="utf-8")
        yield "encoding", enc, b"\x00\xff\xfe" * 64 if enc == "binary" else text.encode(enc, errors="replace")


def write(label, content) -> Path:
    f = WORK / "zone.toml"
    if isinstance(content, bytes):
        f.write_bytes(content)
    else:
        f.write_text(tomli_w.dumps(_finite_safe(content)), encoding="utf-8")
    return f


def _finite_safe(data):
    return data  # tomli_w writes nan and inf as TOML's nan and inf


def attempt(argv) -> tuple[str, str]:
    """("clean" | "usage" | "traceback" | "accepted" | "exit N", stderr) of one command: "clean" is one
    ``error:`` message (:func:`clean_message`), "usage" argparse's usage block ending in its ``error:`` line."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(argv)
    except SystemExit as e:
        code = e.code
    except BaseException as e:  # noqa: BLE001 - an escape is what this counts as a traceback
        return "traceback", repr(e)
    text = err.getvalue()
    if "Traceback" in text:
        return "traceback", text
    if code == 0:
        return "accepted", text
    if code == 2 and clean_message(text):
        return "clean", text
    lines = text.rstrip("\n").split("\n")
    if code == 2 and lines[0].startswith("usage: ") and ": error: " in lines[-1]:
        return "usage", text  # argparse's usage block, ending in its one error line
    return f"exit {code}", text


def clean_message(text: str) -> bool:
    """One line, or a count line then one indented ``file: key: what`` line per problem."""
    lines = text.rstrip("\n").split("\n")
    if not lines[0].startswith("error: "):
        return False
    if len(lines) > 1 and re.fullmatch(r"  \.\.\. and \d+ more", lines[-1]):  # beyond the problems listed
        lines = lines[:-1]
    return len(lines) == 1 or all(line.startswith("  ") and ": " in line for line in lines[1:])


CASES = list(cases())


@pytest.mark.parametrize("kind,label,content", CASES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(CASES)])
def test_bad_zone_file_is_refused_cleanly(kind, label, content):
    f = write(label, content)
    result, err = attempt(["validate", str(f)])
    assert result == "clean", f"{kind} {label}: {result}\n{err}"
    assert "zone.toml" in err


def test_every_problem_of_a_zone_file_at_once():
    data = mutated(("zone", "fenced_area_km2"), 1e308)
    data["zone"]["province"] = "火星"
    data["plan"]["horizon_months"] = 7
    data["base_year"]["employees"] = -5
    data["base_year"]["colour"] = "red"
    result, err = attempt(["validate", str(write("many", data))])
    assert result == "clean", err
    for key in ("zone.fenced_area_km2", "zone.province", "plan.horizon_months", "base_year.employees", "colour"):
        assert key in err, err
    assert err.startswith("error: 5 problems")


def test_every_problem_in_every_section_and_list_entry_at_once():
    """Problems in the base year, its sectors, several list entries and the targets: one message
    names each of them (a list entry does not stop at its first problem, nor the list at its first entry)."""
    data = mutated(("base_year", "employees"), -5)
    data["base_year"]["enterprises"]["spaceships"] = 4
    data["base_year"]["enterprises"]["repairs"] = 2
    project = data["projects"][0]
    data["projects"].append({**copy.deepcopy(project), "due": "2026-13", "delay_months": 1e308})
    del data["projects"][1]["name_en"]
    data["projects"][0]["kind"] = "warehous"
    data["milestones"][0]["colour"] = "red"
    data["milestones"][0]["plan_task"] = 0
    data["targets"]["happiness"] = {"2027": 1}
    data["targets"]["trade_total"]["2031"] = 5
    result, err = attempt(["validate", str(write("many_sections", data))])
    assert result == "clean", err
    keys = (
        "base_year.employees",
        "base_year.enterprises.spaceships",
        "base_year.enterprises.repairs",
        "projects[1].kind",
        "projects[2].name_en",
        "projects[2].due",
        "projects[2].delay_months",
        "milestones[1].colour",
        "milestones[1].plan_task",
        "targets.happiness",
        "targets.trade_total.2031",
    )
    for key in keys:
        assert f": {key}: " in err, f"{key} not reported:\n{err}"
    assert err.startswith(f"error: {len(keys)} problems"), err


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(
    path=st.sampled_from(NUMBERS),
    value=st.one_of(
        st.floats(min_value=1e6, allow_nan=False, allow_infinity=False),
        st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False),
    ),
)
def test_any_number_far_out_of_range_is_refused(path, value):
    result, err = attempt(["validate", str(write("gen", mutated(path, value)))])
    assert result == "clean", f"{path} = {value}: {result}\n{err}"
