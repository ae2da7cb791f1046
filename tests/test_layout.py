"""The package's layout (issue 12): one folder per pipeline stage, no import cycles, small modules.

The import graph is read from the source with ``ast``: imports at module level, inside functions
and under ``TYPE_CHECKING`` all count, relative imports are resolved, and
``importlib.import_module("sqlbundle....")`` with a literal name counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "sqlbundle"
MAX_ROOT_MODULES = 8
MAX_LINES = 450


def _modules() -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package's ``__init__``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        package = parts[-1] == "__init__"
        if package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, package)
    return found


def _imports(name: str, package: bool, tree: ast.AST, known: set[str]) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if package else name.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            submodules = {f"{origin}.{a.name}" for a in node.names} & known
            out |= submodules
            # "from package import submodule" depends on the submodule, not on the package
            if len(submodules) < len(node.names) and origin in known:
                out.add(origin)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module" \
                and node.args and isinstance(node.args[0], ast.Constant) \
                and node.args[0].value in known:
            out.add(node.args[0].value)
    out.discard(name)
    return out


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, package, ast.parse(path.read_text(encoding="utf-8")), known)
            for name, (path, package) in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as a cycle
    path through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_in(graph, set(c)) for c in components]


def _cycle_in(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """One cycle inside a strongly connected component, for the failure message."""
    start = min(component)
    path, seen = [start], {start}
    node = start
    while True:
        nxt = min(n for n in graph[node] if n in component)
        if nxt in seen:
            return path[path.index(nxt):] + [nxt]
        path.append(nxt)
        seen.add(nxt)
        node = nxt


def test_no_import_cycles():
    cycles = _cycles(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def stage_graph() -> dict[str, set[str]]:
    """Imports between stage folders (root modules such as ``op`` and ``errors`` left out)."""
    graph: dict[str, set[str]] = {}
    for name, deps in import_graph().items():
        parts = name.split(".")
        folder = parts[1] if len(parts) > 2 or (PACKAGE / parts[-1]).is_dir() else None
        if folder is None:
            continue
        graph.setdefault(folder, set())
        for dep in deps:
            dep_parts = dep.split(".")
            dep_folder = dep_parts[1] if len(dep_parts) > 2 or (PACKAGE / dep_parts[-1]).is_dir() \
                else None
            if dep_folder is not None and dep_folder != folder:
                graph[folder].add(dep_folder)
    return graph


def test_stages_import_one_way():
    """The stage folders form a pipeline: no stage imports one that (directly or not) imports it."""
    graph = stage_graph()
    assert {"record", "history", "compile", "assemble"} <= set(graph)
    cycles = _cycles(graph)
    assert not cycles, "stages importing each other:\n" + "\n".join(" -> ".join(c)
                                                                   for c in cycles)


def test_few_modules_at_the_root():
    root = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(root) <= MAX_ROOT_MODULES, f"{len(root)} modules at the package root: {root}"


def test_no_module_over_the_size_limit():
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    over = sorted(f"{name} ({n} lines)" for name, n in sizes.items() if n > MAX_LINES)
    assert not over, f"modules over {MAX_LINES} lines: {over}"


def test_the_cycle_check_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c", "a"]]
