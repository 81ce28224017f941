"""The package's structure, checked from its source: import graph, layers, module size.

The import graph is built from every ``import`` statement under ``sim/``, including those inside
functions, so a cycle cannot hide behind a function-local import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"

# Layers, lowest first: a module may import its own layer and the layers before it, never after.
LAYERS = [
    (
        "foundation",
        (
            "sim.errors",
            "sim.config_base",
            "sim.months",
            "sim.vocabulary",
            "sim.random",
            "sim.store",
            "sim.memo",
            "sim.chunks",
            "sim.rounding",
        ),
    ),
    ("inputs", ("sim.scenario", "sim.data", "sim.ranking.config")),
    ("model", ("sim.model", "sim.ranking")),
    ("analysis", ("sim.analysis",)),
    ("experiment", ("sim.experiment",)),
    ("report", ("sim.report", "sim.results")),
    ("portfolio", ("sim.portfolio",)),  # several zones: runs on the engine, writes zones' folders and its pack
    ("interface", ("sim.cli", "sim.api", "sim.studio", "sim")),
]
# Layers inside sim.report, lowest first, checked the same way among its modules: the words, the
# charts (tables in, a Figure out: they never see a results folder), the results folder, the
# report, the deck, the studies' outputs, and the entry points (the package itself, the pack).
REPORT_LAYERS = [
    ("texts", ("sim.report.texts",)),
    ("charts", ("sim.report.charts",)),
    ("results", ("sim.results",)),  # the one Results class: reads and writes results folders
    ("document", ("sim.report.document",)),
    ("deck", ("sim.report.deck",)),
    ("studies", ("sim.report.studies", "sim.report.province")),
    ("entry points", ("sim.report", "sim.report.pack")),
]
MAX_LINES = 400
OPTIONAL = {"distributed", "dask"}  # optional extras may be imported where they are used


def module_name(path: Path) -> str:
    rel = path.relative_to(SIM.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(SIM.rglob("*.py"))}


def _resolve(mod: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(mod: str, path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import statement of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    known = modules()
    out = []

    def visit(node, in_func):
        for child in ast.iter_child_nodes(node):
            f = in_func or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                out.extend((a.name, child.lineno, in_func) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(mod, path.name == "__init__.py", child)
                for a in child.names:
                    full = f"{base}.{a.name}"
                    out.append((full if full in known else base, child.lineno, in_func))
            visit(child, f)

    visit(tree, False)
    return out


def graph() -> dict[str, set[str]]:
    known = modules()
    g: dict[str, set[str]] = {m: set() for m in known}
    for m, p in known.items():
        for target, _, _ in imports_of(m, p):
            if target in known and target != m:
                g[m].add(target)
    return g


def layer_of(mod: str, layers=LAYERS, root: str = "sim") -> int | None:
    """The layer of a module: the longest prefix that names it (the package ``root`` of the layers
    only itself)."""
    best, idx = -1, None
    for i, (_, prefixes) in enumerate(layers):
        for pre in prefixes:
            inside = mod == pre or (pre != root and mod.startswith(pre + "."))
            if inside and len(pre) > best:
                best, idx = len(pre), i
    return idx


def find_cycle(g: dict[str, set[str]]) -> list[str] | None:
    colour: dict[str, int] = {}
    stack: list[str] = []

    def dfs(u):
        colour[u] = 1
        stack.append(u)
        for v in sorted(g[u]):
            if colour.get(v) == 1:
                return [*stack[stack.index(v) :], v]
            if not colour.get(v):
                c = dfs(v)
                if c:
                    return c
        stack.pop()
        colour[u] = 2
        return None

    for u in sorted(g):
        if not colour.get(u):
            c = dfs(u)
            if c:
                return c
    return None


def test_cycle_finder_finds_a_planted_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle():
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_layer_of_places_only_listed_modules():
    assert layer_of("sim.cli.run") == len(LAYERS) - 1 and layer_of("sim") == len(LAYERS) - 1
    assert layer_of("sim.newthing") is None


def test_every_module_is_in_a_layer():
    assert [m for m in modules() if layer_of(m) is None] == []


def test_no_module_imports_a_layer_above_its_own():
    bad = []
    for m, p in modules().items():
        for target, line, _ in imports_of(m, p):
            if target.startswith("sim") and target in modules() and layer_of(target) > layer_of(m):
                bad.append(f"{p.relative_to(SIM.parent)}:{line} {m} -> {target}")
    assert bad == []


def report_layer(mod: str) -> int | None:
    return layer_of(mod, REPORT_LAYERS, "sim.report")


def test_every_report_module_is_in_a_report_layer():
    """Nothing but the entry points at the top of sim/report: every other module in a subpackage."""
    assert [m for m in modules() if m.startswith("sim.report") and report_layer(m) is None] == []
    assert report_layer("sim.report.newthing") is None and report_layer("sim.report") == len(REPORT_LAYERS) - 1
    assert report_layer("sim.report.document.compose") == 3


def test_no_report_module_imports_a_report_layer_above_its_own():
    bad = []
    for m, p in modules().items():
        if not m.startswith(("sim.report", "sim.results")):
            continue
        for target, line, _ in imports_of(m, p):
            if (
                target.startswith(("sim.report", "sim.results"))
                and target in modules()
                and report_layer(target) > report_layer(m)
            ):
                bad.append(f"{p.relative_to(SIM.parent)}:{line} {m} -> {target}")
    assert bad == []


def test_no_function_local_import_of_project_code():
    bad = [
        f"{p.relative_to(SIM.parent)}:{line} {t}"
        for m, p in modules().items()
        for t, line, local in imports_of(m, p)
        if local and (t == "sim" or t.startswith("sim."))
    ]
    assert bad == []


def test_experiment_layer_draws_nothing():
    bad = [
        f"{p.relative_to(SIM.parent)}:{line} {t}"
        for m, p in modules().items()
        if m.startswith("sim.experiment")
        for t, line, _ in imports_of(m, p)
        if t.split(".")[0] in ("matplotlib", "fpdf", "openpyxl", "xlsxwriter")
    ]
    assert bad == []


@pytest.mark.parametrize("mod", sorted(modules()))
def test_module_is_small_and_says_what_it_is_for(mod):
    path = modules()[mod]
    text = path.read_text(encoding="utf-8")
    n = text.count("\n")
    assert n <= MAX_LINES, f"{path.relative_to(SIM.parent)} has {n} lines (at most {MAX_LINES})"
    if n > 5:
        assert ast.get_docstring(ast.parse(text)), f"{path.relative_to(SIM.parent)} has no module docstring"
