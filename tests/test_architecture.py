"""The layout promises of the README ("Architecture"), checked over the source of toolbox/:
every module imports, the import graph has no cycle, toolbox modules are imported at the
top of a module (never inside a function to dodge a cycle), domain modules never import
view modules, documents/ depends on nothing but the instrument framework and pure core
helpers, and
production code reads no test hooks."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "toolbox"
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)

# Modules that are views: they define blueprints and answer requests. Domain modules
# (services, models, tasks, renderers) never import them.
VIEW_MODULES = {
    "toolbox.accounts.admin",
    "toolbox.accounts.views",
    "toolbox.contacts.views",
    "toolbox.dashboard.actions",
    "toolbox.dashboard.contacts",
    "toolbox.dashboard.views",
    "toolbox.ops.health",
    "toolbox.submissions.api",
    "toolbox.submissions.document_page",
    "toolbox.submissions.form_views",
    "toolbox.submissions.preview",
    "toolbox.submissions.views",
    "toolbox.workshops.kit_views",
    "toolbox.workshops.participants",
    "toolbox.workshops.views",
}
# Modules allowed to import views: the app factory wires the blueprints, the dashboard is
# views over the others, and views may use each other's helpers.
WIRING = {"toolbox.app", "toolbox.ops.cli"}
DASHBOARD_HELPERS = {"toolbox.dashboard.filters", "toolbox.dashboard.display"}
# documents/ renders instruments: it may use their framework (base, values) and the pure
# helpers of core (time, formats), nothing with a database, a request or a queue.
DOCUMENTS_MAY_IMPORT = (
    "toolbox.documents",
    "toolbox.instruments.base",
    "toolbox.instruments.values",
    "toolbox.core.time",
    "toolbox.core.formats",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def is_package(name: str) -> bool:
    return (ROOT / name.replace(".", "/") / "__init__.py").exists()


def resolve(name: str, known: set[str]) -> str | None:
    """The toolbox module an import refers to (``from toolbox.x import y`` may name the
    module toolbox.x.y or a name in toolbox.x)."""
    if name in known:
        return name
    parent = name.rpartition(".")[0]
    return parent if parent in known else None


def type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports(path: Path, known: set[str]) -> tuple[set[str], list[str]]:
    """(toolbox modules imported at module level, toolbox imports made anywhere else)."""
    tree = ast.parse(path.read_text(), str(path))
    top, nested = set(), []

    def names(node) -> list[str]:
        if isinstance(node, ast.Import):
            return [a.name for a in node.names]
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            return [f"{node.module}.{a.name}" for a in node.names]
        return []

    module_level = []
    for node in tree.body:
        if type_checking_block(node):
            continue  # annotations only: not executed, no runtime edge
        module_level.append(node)
    top_nodes = {id(n) for n in module_level if isinstance(n, ast.Import | ast.ImportFrom)}
    for node in ast.walk(tree):
        for name in names(node):
            if not name.startswith("toolbox"):
                continue
            target = resolve(name, known)
            if target is None:
                continue
            if id(node) in top_nodes:
                top.add(target)
            elif not any(type_checking_block(n) and node in ast.walk(n) for n in tree.body):
                nested.append(f"{module_name(path)}:{node.lineno} imports {target}")
    return top, nested


KNOWN = {module_name(p) for p in SOURCES}
GRAPH = {}
NESTED = []
for _path in SOURCES:
    _top, _nested = imports(_path, KNOWN)
    GRAPH[module_name(_path)] = {t for t in _top if t != module_name(_path)}
    NESTED += _nested


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_every_module_imports(name):
    importlib.import_module(name)


def test_no_function_local_imports_of_toolbox_modules():
    assert NESTED == []


def test_import_graph_has_no_cycle():
    # A package's __init__ is imported with each of its modules: an edge to a package's
    # module is an edge to the package too.
    graph = {}
    for name, targets in GRAPH.items():
        edges = set(targets)
        for target in targets:
            parent = target.rpartition(".")[0]
            while parent and parent != "toolbox" and parent != name:
                if is_package(parent) and not name.startswith(parent + "."):
                    edges.add(parent)
                parent = parent.rpartition(".")[0]
        graph[name] = edges
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert cycles == []


def test_domain_modules_never_import_views():
    wrong = []
    for name, targets in GRAPH.items():
        if name in VIEW_MODULES or name in WIRING or name in DASHBOARD_HELPERS:
            continue
        wrong += [f"{name} imports {t}" for t in sorted(targets & VIEW_MODULES)]
    assert wrong == []


def test_documents_import_nothing_from_other_areas():
    wrong = [
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if name.startswith("toolbox.documents")
        for target in sorted(targets)
        if not target.startswith(DOCUMENTS_MAY_IMPORT)
    ]
    assert wrong == []


def test_importing_the_package_does_nothing():
    """No engine listener, no app, nothing but the docstring in toolbox/__init__.py."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    assert len(tree.body) == 1
    assert isinstance(tree.body[0], ast.Expr)


def test_production_code_reads_no_test_hooks():
    assert [str(p) for p in SOURCES if "TOOLBOX_TEST_" in p.read_text()] == []


def test_celery_task_names_are_unchanged():
    """Queued messages and the beat schedule refer to these names."""
    from toolbox.ops import tasks as ops_tasks
    from toolbox.submissions import tasks as submission_tasks
    from toolbox.workshops import tasks as workshop_tasks

    assert {
        submission_tasks.render_job.name,
        submission_tasks.send_documents.name,
        workshop_tasks.build_kit_task.name,
        ops_tasks.sweep_task.name,
        ops_tasks.purge_task.name,
    } == {
        "toolbox.jobs.tasks.render_job",
        "toolbox.jobs.tasks.send_documents",
        "toolbox.jobs.tasks.build_kit_task",
        "toolbox.jobs.tasks.sweep_task",
        "toolbox.jobs.tasks.purge_task",
    }


def test_test_modules_do_not_import_each_other():
    """Shared test code lives in helpers.py / *_support.py and fixtures in conftest.py."""
    tests = ROOT / "tests"
    names = {p.stem for p in tests.rglob("test_*.py")}
    offenders = []
    for path in tests.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module in names:
                offenders.append(f"{path.relative_to(tests)} → {node.module}")
            elif isinstance(node, ast.Import):
                offenders += [
                    f"{path.relative_to(tests)} → {a.name}" for a in node.names if a.name in names
                ]
    assert offenders == []
