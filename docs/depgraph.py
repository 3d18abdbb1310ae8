"""The package's module dependencies, read from the code with ``ast`` (nothing is imported).

Every import between the package's modules counts, function-level ones included; imports under
``if TYPE_CHECKING:`` are left out (they never run). The docs build calls :func:`write_figure`
to draw ``docs/img/generated/dependencies.svg`` for the design page, and
``tests/test_layout.py`` asserts there is no cycle and no module over 800 lines.

    PYTHONPATH=src python docs/depgraph.py          # prints the layers, bottom first
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "ism_health"
MAX_LINES = 800


def _modname(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, me: str, mods: set[str]) -> set[str]:
    pkg = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    out: set[str] = set()

    def resolve(base: str, name: str) -> str | None:
        cand = f"{base}.{name}" if base else name
        if cand in mods:
            return cand
        return base if base in mods else None

    def visit(node: ast.AST) -> None:
        for ch in ast.iter_child_nodes(node):
            if isinstance(ch, ast.If) and _is_type_checking(ch):
                for stmt in ch.orelse:
                    visit_stmt(stmt)
                continue
            visit_stmt(ch)

    def visit_stmt(ch: ast.AST) -> None:
        if isinstance(ch, ast.ImportFrom):
            if ch.level:
                base = pkg
                for _ in range(ch.level - 1):
                    base = base.rsplit(".", 1)[0]
                base = f"{base}.{ch.module}" if ch.module else base
            else:
                base = ch.module or ""
            if base.startswith("ism_health"):
                for alias in ch.names:
                    target = resolve(base, alias.name)
                    if target and target != me:
                        out.add(target)
        elif isinstance(ch, ast.Import):
            for alias in ch.names:
                if alias.name in mods and alias.name != me:
                    out.add(alias.name)
        visit(ch)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return out


def module_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Map every module of the package to the package modules it imports.

    A package's ``__init__`` importing from its own submodules is not an edge upwards, and a
    submodule importing its parent package's names is reported as importing the parent.
    """
    files = sorted(root.rglob("*.py"))
    paths = {_modname(p, root): p for p in files}
    mods = set(paths)
    return {m: {t for t in _imports(p, m, mods) if not m.startswith(t + ".")} for m, p in paths.items()}


def module_lines(root: Path = ROOT) -> dict[str, int]:
    """Number of lines of every module."""
    return {_modname(p, root): len(p.read_text(encoding="utf-8").splitlines()) for p in sorted(root.rglob("*.py"))}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles (strongly connected sets of more than one module), each sorted."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(graph)
    g.add_edges_from((m, t) for m, ts in graph.items() for t in ts)
    return sorted(sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1)


def _grouper(graph: dict[str, set[str]]):
    """Map a module to its box: a sub-package's private modules and the submodules its
    ``__init__`` imports form one box with it; a submodule the ``__init__`` does not import
    (it sits higher, e.g. ``experts.robustness`` above ``result``) keeps a box of its own."""

    def inside(package: str) -> set[str]:
        seen: set[str] = set()
        todo = [package]
        while todo:
            for target in graph.get(todo.pop(), set()):
                if target.startswith(package + ".") and target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    packages = {".".join(m.split(".")[:2]) for m in graph if m.count(".") >= 2}
    members = {p: inside(p) for p in packages}

    def group(mod: str) -> str:
        parts = mod.split(".")
        if len(parts) >= 3:
            package = ".".join(parts[:2])
            if parts[2].startswith("_") or mod in members[package]:
                return package
        return mod

    return group


def layers(graph: dict[str, set[str]]) -> list[list[str]]:
    """Concept boxes in layers, bottom (imports nothing of ours) first."""
    import networkx as nx

    group = _grouper(graph)
    g = nx.DiGraph()
    for m, ts in graph.items():
        a = group(m)
        if a == "ism_health":
            continue
        g.add_node(a)
        for t in ts:
            b = group(t)
            if b != a and b != "ism_health":
                g.add_edge(a, b)
    g = nx.condensation(g)
    members = nx.get_node_attributes(g, "members")
    return [sorted(n for c in gen for n in members[c]) for gen in reversed(list(nx.topological_generations(g)))]


def write_figure(path: Path, root: Path = ROOT) -> Path:
    """Draw the concept boxes in layers (bottom first) with their imports as arrows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx

    graph = module_graph(root)
    rows = layers(graph)
    pos: dict[str, tuple[float, float]] = {}
    for y, row in enumerate(rows):
        for x, name in enumerate(row):
            pos[name] = (x - (len(row) - 1) / 2, float(y))
    group = _grouper(graph)
    g = nx.DiGraph()
    g.add_nodes_from(pos)
    for m, ts in graph.items():
        a = group(m)
        for t in ts:
            b = group(t)
            if a in pos and b in pos and a != b:
                g.add_edge(a, b)
    if nx.is_directed_acyclic_graph(g):
        g = nx.transitive_reduction(g)
    width = max(len(r) for r in rows)
    fig, ax = plt.subplots(figsize=(max(8.0, 1.9 * width), 0.9 * len(rows) + 1))
    nx.draw_networkx_edges(g, pos, ax=ax, edge_color="#8a94a6", arrowsize=8, node_size=2600, width=0.8)
    for name, (x, y) in pos.items():
        ax.text(x, y, name.removeprefix("ism_health."), ha="center", va="center", fontsize=8,
                bbox={"boxstyle": "round,pad=0.3", "fc": "#eef2f8", "ec": "#41597f"})
    ax.set_axis_off()
    ax.set_title("ism_health modules: an arrow points from a module to one it imports (transitive arrows omitted)",
                 fontsize=9)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    return path


if __name__ == "__main__":
    g = module_graph()
    for k, row in enumerate(layers(g)):
        print(k, ", ".join(r.removeprefix("ism_health.") for r in row))
    found = cycles(g)
    for c in found:
        print("import cycle:", " <-> ".join(c))
    sys.exit(1 if found else 0)
