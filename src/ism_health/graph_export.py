"""The ISM digraph as files other programs open: GraphML (yEd, Gephi, Cytoscape) and Graphviz DOT.

Both carry, on every node, the attributes of :func:`graph_for_export` (strings
and integers only, so every format can hold them): the factors (``label``,
``members``), the level (1 = top), driving and dependence power and the
MICMAC cluster. An edge u -> v means u influences v (transitive links removed,
cycles merged into one node). Files are written under a temporary name and
renamed (:func:`ism_health._files.atomic_path`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._files import atomic_path, write_text
from .digraph import node_members
from .exceptions import ISMInputError

if TYPE_CHECKING:  # pragma: no cover
    from .result import ISMResult

__all__ = ["graph_for_export", "write_graphml", "dot_text", "write_dot"]


def graph_for_export(result: ISMResult) -> Any:
    """A copy of the ISM digraph whose attributes all serialise (GraphML, DOT, JSON): strings and integers only.

    Node attributes: ``label`` (the factors, comma-separated), ``members``
    (the same factors joined by ``"; "``), ``n_members``, ``level`` (1 = top),
    ``driving_power``, ``dependence_power`` and ``cluster`` (the MICMAC
    cluster; the members of a merged cycle reach the same factors, so they
    share these values). Graph attribute ``orientation``. An edge u -> v
    means u influences v (transitive links removed).

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import graph_for_export
    >>> g = graph_for_export(analyze(load_example("worked")))
    >>> g.nodes["F4 + F5"]  # doctest: +NORMALIZE_WHITESPACE
    {'label': 'F4, F5', 'members': 'F4; F5', 'n_members': 2, 'level': 2, 'driving_power': 3,
     'dependence_power': 6, 'cluster': 'dependent'}
    """
    import networkx as nx

    micmac = result.micmac
    src = result.digraph
    g = nx.DiGraph(orientation=str(src.graph.get("orientation", "edge u -> v: u influences v")))
    for node, data in src.nodes(data=True):
        members = [str(m) for m in node_members(data)] if "members" in data else [str(node)]
        first = micmac.loc[members[0]]
        g.add_node(
            str(node),
            label=", ".join(members),
            members="; ".join(members),
            n_members=len(members),
            level=int(data["level"]),
            driving_power=int(first["driving_power"]),
            dependence_power=int(first["dependence_power"]),
            cluster=str(first["cluster"]),
        )
    g.add_edges_from((str(u), str(v)) for u, v in src.edges())
    return g


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write_graphml(result: ISMResult, path: str | os.PathLike[str]) -> Path:
    """The ISM digraph as GraphML (yEd, Gephi, Cytoscape open it), with the attributes of :func:`graph_for_export`.

    Raises
    ------
    ISMInputError
        A factor name holds a character XML cannot carry (a control character).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import networkx as nx
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import write_graphml
    >>> path = write_graphml(analyze(load_example("worked")), pathlib.Path(tempfile.mkdtemp()) / "ism.graphml")
    >>> g = nx.read_graphml(path)
    >>> g.nodes["F7"]["level"], g.nodes["F7"]["cluster"], g.has_edge("F7", "F1")
    (5, 'independent', True)
    """
    import networkx as nx

    g = graph_for_export(result)
    for node in g.nodes:
        bad = _XML_ILLEGAL.search(node)
        if bad:
            raise ISMInputError(
                f"factor {node!r} holds the character U+{ord(bad.group()):04X}, which GraphML (XML) cannot carry; "
                "remove it from the label.",
                source=str(path),
            )
    with atomic_path(path) as tmp:
        nx.write_graphml(g, tmp, encoding="utf-8")
    return Path(path)


def _dot_quote(value: Any) -> str:
    r"""A DOT quoted string that Graphviz shows as the text itself: ``\ " &`` escaped, line breaks as ``\n``,
    other control characters as numeric entities."""
    out = ['"']
    for ch in str(value):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "&":
            out.append("&amp;")
        elif ch in "\r\n":
            out.append("\\n")
        elif ord(ch) < 32 or ch in "\x7f\ufffe\uffff" or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def dot_text(result: ISMResult, *, title: str | None = None) -> str:
    """The ISM digraph in Graphviz DOT: level 1 on top (``rank=same`` per level), boxes, the attributes of
    :func:`graph_for_export` on every node; labels quoted so that any factor name is shown as written.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import dot_text
    >>> text = dot_text(analyze(load_example("worked")))
    >>> edges = [line for line in text.splitlines() if line.startswith("  n") and "->" in line]
    >>> print(text.splitlines()[0]); print(edges[0])
    digraph ISM {
      n1 -> n0;
    """
    g = graph_for_export(result)
    ids = {node: f"n{k}" for k, node in enumerate(g.nodes)}
    lines = ["digraph ISM {"]
    graph_attrs = {"rankdir": "TB", "orientation_note": g.graph["orientation"]}
    if title:
        graph_attrs.update(label=title, labelloc="t")
    lines.append("  graph [" + ", ".join(f"{k}={_dot_quote(v)}" for k, v in graph_attrs.items()) + "];")
    lines.append('  node [shape="box", style="rounded"];')
    for node, data in g.nodes(data=True):
        attrs = ", ".join(f"{k}={_dot_quote(v)}" for k, v in data.items())
        lines.append(f"  {ids[node]} [{attrs}];")
    for u, v in g.edges():
        lines.append(f"  {ids[u]} -> {ids[v]};")
    by_level: dict[int, list[str]] = {}
    for node, data in g.nodes(data=True):
        by_level.setdefault(int(data["level"]), []).append(ids[node])
    for level in sorted(by_level):
        lines.append(f"  {{ rank=same; {'; '.join(by_level[level])}; }}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(result: ISMResult, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Write :func:`dot_text` to ``path`` (UTF-8); render it with ``dot -Tpdf ism.dot -o ism.pdf``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import write_dot
    >>> path = write_dot(analyze(load_example("worked")), pathlib.Path(tempfile.mkdtemp()) / "ism.dot")
    >>> path.read_text(encoding="utf-8").count(" -> n")
    7
    """
    return write_text(path, dot_text(result, title=title))
