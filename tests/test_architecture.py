"""The tree is the pipeline (ARCHITECTURE.md): each folder imports only the stages before it, nothing
imports in a circle, the top of generator/ stays short and no module grows past 300 lines."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parents[1] / "generator"
FOUNDATION = {"settings", "problems", "paths", "progress"}


def _table_rules() -> dict[str, set[str]]:
    """What each folder may import, read from ARCHITECTURE.md's table (its last column): the page is the rule."""
    rules = {}
    for line in (GENERATOR.parent / "ARCHITECTURE.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`generator/"):
            folder = cells[0].strip("`").removeprefix("generator/").rstrip("/")
            rules[folder] = set() if cells[2] == "nothing" else {x.strip() for x in cells[2].split(",")}
    return rules


MAY_IMPORT = _table_rules()
FOLDERS = set(MAY_IMPORT)


def _modules() -> dict[str, Path]:
    return {".".join(p.relative_to(GENERATOR.parent).with_suffix("").parts).removesuffix(".__init__"): p
            for p in sorted(GENERATOR.rglob("*.py"))}


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Project modules a file imports, at the top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:  # relative: resolved against the file's package
            package = path.relative_to(GENERATOR.parent).with_suffix("").parts[:-1]
            base = ".".join(package[: len(package) - node.level + 1] + ((node.module,) if node.module else ()))
            for a in node.names:
                sub = f"{base}.{a.name}"
                out.add(sub if sub in modules else base)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "generator":
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                out.add(sub if sub in modules else node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "generator"}
    return out


def _part(module: str) -> str:
    """generator.views.league -> views; generator.settings -> settings."""
    return module.split(".")[1] if "." in module else module


GRAPH = {m: _imports(p, _modules()) for m, p in _modules().items()}


def test_each_folder_imports_only_earlier_stages():
    wrong = sorted(f"{m} imports {t}" for m, ts in GRAPH.items() for t in ts
                   if _part(m) in FOLDERS and _part(t) != _part(m) and _part(t) not in MAY_IMPORT[_part(m)])
    assert wrong == []


def test_foundation_modules_import_only_each_other():
    wrong = sorted(f"{m} imports {t}" for m, ts in GRAPH.items() if _part(m) in FOUNDATION
                   for t in ts if _part(t) not in FOUNDATION)
    assert wrong == []


def test_no_import_cycles():
    cycles, state = [], {}

    def visit(m, stack):
        state[m] = "open"
        for t in sorted(GRAPH.get(m, ())):
            if t == m or t not in GRAPH or (t == "generator" or m.startswith(t + ".")):
                continue  # a package's __init__ is not a cycle with its own modules
            if state.get(t) == "open":
                cycles.append(" -> ".join(stack[stack.index(t):] + [t]))
            elif t not in state:
                visit(t, stack + [t])
        state[m] = "done"

    for m in sorted(GRAPH):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_top_of_generator_is_short():
    top = sorted(p.name for p in GENERATOR.glob("*.py"))
    assert len(top) <= 12, top


@pytest.mark.parametrize("path", sorted(GENERATOR.rglob("*.py")), ids=lambda p: p.relative_to(GENERATOR).as_posix())
def test_module_at_most_300_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300


def test_architecture_page_has_a_rule_for_every_folder():
    folders = {p.name for p in GENERATOR.iterdir() if (p / "__init__.py").is_file()}
    assert folders == FOLDERS
    assert MAY_IMPORT["stats"] == set() and "views" in MAY_IMPORT["site"]  # the table was read
