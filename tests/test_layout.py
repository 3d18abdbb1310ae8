"""The layout of issue 9: no import cycle between the package's modules, none over 800 lines.

Function-level imports count; ``if TYPE_CHECKING:`` blocks do not (they never run). The same
reading of the code draws the dependency picture of docs/design.md (docs/depgraph.py).
"""

import importlib.util
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def depgraph():
    spec = importlib.util.spec_from_file_location("depgraph", DOCS / "depgraph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_import_cycle(depgraph):
    assert depgraph.cycles(depgraph.module_graph()) == []


def test_no_module_over_800_lines(depgraph):
    long = {m: n for m, n in depgraph.module_lines().items() if n > depgraph.MAX_LINES}
    assert long == {}


def test_no_submodule_imports_the_package_init(depgraph):
    importers = sorted(m for m, targets in depgraph.module_graph().items() if "ism_health" in targets)
    assert importers == []


def test_the_cycle_finder_finds_a_cycle(depgraph, tmp_path):
    pkg = tmp_path / "ism_health"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .b import g\n")
    (pkg / "b.py").write_text(
        "from typing import TYPE_CHECKING\nfrom .a import f\nif TYPE_CHECKING:\n    from .c import h\n"
    )
    (pkg / "c.py").write_text("from .b import f\n")
    graph = depgraph.module_graph(pkg)
    assert depgraph.cycles(graph) == [["ism_health.a", "ism_health.b"]]
    assert graph["ism_health.b"] == {"ism_health.a"}
