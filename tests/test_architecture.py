"""The architecture holds: one direction of flow, no import cycle, small modules.

Every ``import`` of every module of ``dgdocs/`` is read from its source (the imports inside
functions too, which a cycle likes to hide behind), and the graph must

* have no cycle, lazy imports included;
* point only down the layers of the flow (docs/architecture.md): model ← load ←
  checks/render ← build ← cli/serve — checks never import a renderer, the renderers never
  import a check, and the comparison of revisions (diff) imports neither;
* and keep every module under 500 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dgdocs"
MAX_LINES = 500

#: The layers of the flow, lowest first.  A module may import its own layer or a lower one.
LAYERS: tuple[tuple[str, ...], ...] = (
    # the model and what imports nothing of ours
    ("dgdocs", "dgdocs.model", "dgdocs.wareki", "dgdocs.textdiff", "dgdocs.safetext", "dgdocs.diagnostics",
     "dgdocs.svgsafe", "dgdocs.yamlerrors"),
    # reading the model: formats, the Markdown layer, the plan's words, the plain text
    ("dgdocs.formatting", "dgdocs.periods", "dgdocs.references", "dgdocs.markup", "dgdocs.markdown_html", "dgdocs.directives", "dgdocs.wording",
     "dgdocs.plaintext", "dgdocs.names", "dgdocs.standard", "dgdocs.images"),
    # content/ → Document (the quarterly progress files too)
    ("dgdocs.yamlsrc", "dgdocs.yamlcache", "dgdocs.load", "dgdocs.progress.quarter"),
    # what reads the Document (the status of an evaluated row is derived from it)
    ("dgdocs.checks", "dgdocs.render", "dgdocs.diff", "dgdocs.revsource", "dgdocs.schemas", "dgdocs.progress.status",
     "dgdocs.progress.summary", "dgdocs.progress.layout"),
    # the pipeline
    ("dgdocs.build", "dgdocs.publish"),
    # the commands, and the importers and exporters at the edges (the 照会票 out and back)
    ("dgdocs.cli", "dgdocs.serve", "dgdocs.preview", "dgdocs.bench", "dgdocs.__main__", "dgdocs.progress",
     "dgdocs.importer", "dgdocs.scaffold", "dgdocs.contentdir", "dgdocs.webserver"),
)

#: Within the layer of the readers, which may import which (the rest may not).
SIDEWAYS = {
    ("dgdocs.render", "dgdocs.diff"),  # the 新旧対照表 renders a Comparison
    ("dgdocs.checks", "dgdocs.progress.status"),  # the progress checks judge a row by its derived status
    ("dgdocs.progress.summary", "dgdocs.progress.status"),
    ("dgdocs.render", "dgdocs.progress.summary"),  # the evaluation report
    ("dgdocs.render", "dgdocs.progress.status"),
}


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = modules()


def imports_of(name: str, path: Path) -> set[str]:
    """The dgdocs modules *name* imports, anywhere in its source."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]  # `from . import x` imports a module
        for t in targets:
            if t in MODULES and t != name:
                out.add(t)
            elif t.rpartition(".")[0] in MODULES and t.rpartition(".")[0] != name and t.split(".")[0] == "dgdocs":
                out.add(t.rpartition(".")[0])
    return out


def with_packages(name: str, targets: set[str]) -> set[str]:
    """*targets* and the packages Python runs first: from outside a package, importing one of
    its modules (dgdocs.load.fields) runs the package's ``__init__`` (dgdocs/load/__init__.py).
    A cycle hid there once (progress.read → load → progress.read: ``dgdocs progress import``
    failed in a fresh process, while every test had imported load first)."""
    out = set(targets)
    for t in targets:
        parts = t.split(".")
        for k in range(2, len(parts)):
            parent = ".".join(parts[:k])
            if parent in MODULES and not (name == parent or name.startswith(parent + ".")):
                out.add(parent)
    return out


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}
RUN_GRAPH = {name: with_packages(name, targets) for name, targets in GRAPH.items()}  # what an import runs


def unit_of(name: str) -> str:
    """The layer entry a module belongs to (the longest matching prefix)."""
    best = ""
    for layer in LAYERS:
        for unit in layer:
            if (name == unit or name.startswith(unit + ".")) and len(unit) > len(best):
                best = unit
    return best


def layer_of(name: str) -> int:
    unit = unit_of(name)
    return next(i for i, layer in enumerate(LAYERS) if unit in layer)


def test_every_module_has_a_layer():
    assert not [m for m in MODULES if not unit_of(m)]


def test_no_import_cycle_lazy_imports_included():
    # Tarjan's strongly connected components: any component of two or more is a cycle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(RUN_GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(RUN_GRAPH):
        if v not in index:
            visit(v)
    # a package importing its own modules (checks/__init__ → checks.prose → checks.registry) is
    # no cycle unless a module imports the package back
    assert cycles == []


def test_imports_point_down_the_flow():
    upward = []
    for mod, targets in sorted(GRAPH.items()):
        for t in sorted(targets):
            if layer_of(t) > layer_of(mod):
                upward.append(f"{mod} → {t}")
            elif layer_of(t) == layer_of(mod) == 3:
                a, b = unit_of(mod), unit_of(t)
                if a != b and (a, b) not in SIDEWAYS:
                    upward.append(f"{mod} → {t} (sideways)")
    assert upward == []


def test_the_model_imports_nothing_of_ours():
    for name, targets in GRAPH.items():
        if unit_of(name) == "dgdocs.model":
            assert all(t.startswith("dgdocs.model") for t in targets), name


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_over_500_lines(name):
    lines = MODULES[name].read_text("utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(PACKAGE.parent)}: {lines} lines"


def test_the_walk_sees_lazy_imports(tmp_path):
    # the walker itself: an import inside a function counts (cli imports its commands lazily)
    assert "dgdocs.serve" in GRAPH["dgdocs.cli"]
    (tmp_path / "x.py").write_text("def f():\n    from .render import html\n    import dgdocs.model\n")
    assert imports_of("dgdocs.x", tmp_path / "x.py") == {"dgdocs.render", "dgdocs.render.html", "dgdocs.model"}


def test_the_commands_run_the_pipeline_through_one_session():
    """cli, the preview, serve and the benchmark never load or check by themselves: they use
    dgdocs.build.Session, where 'errors block publishing unless draft' is decided."""
    for command in ("dgdocs.cli", "dgdocs.preview", "dgdocs.serve", "dgdocs.bench"):
        assert not any(t == "dgdocs.load" or t.startswith("dgdocs.load.") for t in GRAPH[command]), command
    source = {m: MODULES[m].read_text("utf-8") for m in ("dgdocs.cli", "dgdocs.preview", "dgdocs.bench")}
    for name, text in source.items():
        assert "run_checks(" not in text and "Session(" in text, name
    assert ".blocked" in source["dgdocs.cli"]  # the CLI asks the session whether it may publish
