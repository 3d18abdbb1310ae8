"""The ISM model as one interactive HTML page: self-contained, offline, no library fetched.

:func:`write_interactive_html` writes a single file that a browser opens from disk.
It draws the levelled hierarchy (level 1 at the top) in plain SVG with a small
hand-written script that is embedded in the page (``ism_health/static/interactive.js``):

- nodes can be dragged; the arrows follow;
- a cycle (factors that all reach one another) is one node; a click expands it
  to its members and a second click folds it again;
- hovering a factor shows its level, driving and dependence power and MICMAC cluster;
- a toggle adds every reachability link (the transitive ones dashed) to the
  reduced digraph;
- buttons save the diagram as SVG or PNG.

Factor names are data, never markup: they travel as JSON inside a
``<script type="application/json">`` element (``<``, ``>`` and ``&`` escaped) and the
script writes them with ``textContent``. Equal results give byte-identical files.
Orientation: an arrow ``u -> v`` means u influences v.
"""

from __future__ import annotations

import html
import json
import os
import textwrap
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .exceptions import ISMInputError

if TYPE_CHECKING:  # pragma: no cover
    from .result import ISMResult

__all__ = ["interactive_data", "interactive_html", "write_interactive_html"]

#: Characters per line when a long factor name is wrapped inside its box.
WRAP_WIDTH = 24


def _asset(name: str) -> str:
    """The text of a file shipped in ``ism_health/static``."""
    text = resources.files("ism_health").joinpath("static").joinpath(name).read_text(encoding="utf-8")
    if "</" in text.replace("<\\/", ""):  # an inline script or style must never close its own element
        raise RuntimeError(f"static/{name} contains '</', which would end its inline element early.")
    return text


def _node_members(name: str, attrs: dict[str, Any], cycles: dict[str, tuple[str, ...]], labels: set[str]) -> list[str]:
    """The factors merged into one digraph node, whatever form the ``members`` attribute takes."""
    members = attrs.get("members")
    if isinstance(members, (list, tuple)) and members and all(isinstance(m, str) for m in members):
        return list(members)
    if name in cycles:
        return list(cycles[name])
    if name in labels:
        return [name]
    raise ISMInputError(f"digraph node {name!r} is neither a factor nor a cycle of the result.")


def _order_levels(
    rows: dict[int, list[int]], edges: Sequence[tuple[int, int]], sweeps: int = 4
) -> dict[int, list[int]]:
    """Order the nodes of each level to cut edge crossings (barycentre heuristic, stable, deterministic)."""
    up: dict[int, list[int]] = {}
    down: dict[int, list[int]] = {}
    for a, b in edges:  # a influences b: b sits on a higher row (smaller level number)
        up.setdefault(a, []).append(b)
        down.setdefault(b, []).append(a)
    levels = sorted(rows)
    rows = {lv: list(nodes) for lv, nodes in rows.items()}
    for sweep in range(sweeps):
        order = levels[1:] if sweep % 2 == 0 else levels[-2::-1]
        neighbours = up if sweep % 2 == 0 else down
        for lv in order:
            # Positions as fractions of the row's width, so rows of different lengths compare.
            pos = {node: (k + 0.5) / len(nodes) for nodes in rows.values() for k, node in enumerate(nodes)}
            current = rows[lv]

            def key(
                node: int,
                pos: dict[int, float] = pos,
                neighbours: dict[int, list[int]] = neighbours,
            ) -> float:
                near = neighbours.get(node, [])
                if not near:
                    return pos[node]
                return sum(pos[m] for m in near) / len(near)

            rows[lv] = sorted(current, key=key)
    return rows


def interactive_data(result: ISMResult, *, title: str | None = None) -> dict[str, Any]:
    """Everything the interactive page draws, as plain JSON-ready data.

    Parameters
    ----------
    result : ISMResult
        The analysis (from :func:`ism_health.analyze`).
    title : str, optional
        Heading of the page; default "ISM model of n factors".

    Returns
    -------
    dict
        ``factors`` (label, wrapped ``lines``, ``level``, ``driving``, ``dependence``,
        ``cluster``), ``nodes`` of the digraph (``label``, ``factors`` as indices into
        ``factors``, ``level``, ``cycle``), ``rows`` (per level, top first, in drawing
        order: node indices, and from ``len(nodes)`` on the slots through which
        arrows that skip levels bend), ``edges`` (the reduced digraph, node index
        pairs, ``[u, v]`` = u influences v), ``routes`` (for each edge, its bend
        slots from u to v) and ``reach`` (the further links of the final
        reachability matrix between nodes, added by transitivity).

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> data = interactive_data(analyze(load_example("worked")))
    >>> [n["label"] for n in data["nodes"] if n["cycle"]]
    ['F4 + F5']
    >>> len(data["edges"]), len(data["reach"]), data["rows"][0]
    (7, 8, [0])
    >>> data["factors"][0]
    {'label': 'F1', 'lines': ['F1'], 'level': 4, 'driving': 6, 'dependence': 2, 'cluster': 'independent'}
    """
    labels = [str(lab) for lab in result.ssim.labels]
    index = {lab: k for k, lab in enumerate(labels)}
    micmac = result.micmac
    levels = result.levels
    factors = [
        {
            "label": lab,
            "lines": textwrap.wrap(lab, WRAP_WIDTH, break_long_words=True, break_on_hyphens=True) or [lab],
            "level": int(levels[lab]),
            "driving": int(micmac.loc[lab, "driving_power"]),
            "dependence": int(micmac.loc[lab, "dependence_power"]),
            "cluster": str(micmac.loc[lab, "cluster"]),
        }
        for lab in labels
    ]
    graph = result.digraph
    cycles: dict[str, tuple[str, ...]] = {}
    for cyc in result.cycles:
        cycles[" + ".join(cyc)] = tuple(cyc)
        cycles[" + ".join(cyc) + " (cycle)"] = tuple(cyc)
    names = list(graph.nodes)
    node_of = {name: k for k, name in enumerate(names)}
    members = [[index[m] for m in _node_members(name, dict(graph.nodes[name]), cycles, set(labels))] for name in names]
    node_levels = [int(levels[labels[m[0]]]) for m in members]
    nodes = [
        {"label": str(name), "factors": m, "level": lv, "cycle": len(m) > 1}
        for name, m, lv in zip(names, members, node_levels)
    ]
    edges = sorted((node_of[u], node_of[v]) for u, v in graph.edges)
    frm = result.final_reachability.to_numpy().astype(bool)
    reduced = set(edges)
    reach = [
        (a, b)
        for a in range(len(nodes))
        for b in range(len(nodes))
        if a != b and (a, b) not in reduced and frm[members[a][0], members[b][0]]
    ]
    rows: dict[int, list[int]] = {}
    for k, lv in enumerate(node_levels):
        rows.setdefault(lv, []).append(k)
    # An arrow that skips levels bends through one slot in each level it crosses (ids after the nodes'),
    # so it is routed between the boxes rather than through them.
    routes: list[list[int]] = []
    chain: list[tuple[int, int]] = []
    slots = len(nodes)
    for a, b in edges:
        route: list[int] = []
        prev = a
        for lv in range(node_levels[a] - 1, node_levels[b], -1):
            rows[lv].append(slots)
            route.append(slots)
            chain.append((prev, slots))
            prev = slots
            slots += 1
        chain.append((prev, b))
        routes.append(route)
    ordered = _order_levels(rows, chain)
    return {
        "title": title if title is not None else f"ISM model of {len(labels)} factors",
        "version": __version__,
        "factors": factors,
        "nodes": nodes,
        "rows": [ordered[lv] for lv in sorted(ordered)],
        "edges": [list(e) for e in edges],
        "routes": routes,
        "reach": [list(e) for e in reach],
    }


def _json_for_html(data: Any) -> str:
    """JSON that cannot end or open an HTML element when embedded in a ``<script>`` block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ism_health {version}">
<title>{title}</title>
<style>
{css}
</style>
</head>
<body>
<header>
<h1 id="ism-title">{title}</h1>
<p class="note">Level 1 (top) is the most dependent level; an arrow u &#8594; v means u influences v.
Drag a box to move it; click a cycle to show its members; hover a factor for its powers and MICMAC cluster.</p>
<div class="toolbar" role="toolbar" aria-label="Diagram controls">
<label><input type="checkbox" id="ism-reach"> All reachability links (dashed: by transitivity)</label>
<button type="button" id="ism-expand-all">Expand cycles</button>
<button type="button" id="ism-reset">Reset layout</button>
<button type="button" id="ism-save-svg">Save SVG</button>
<button type="button" id="ism-save-png">Save PNG</button>
</div>
</header>
<main>
<div id="ism-canvas">
<svg id="ism-svg" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="ism-title"></svg>
</div>
<div id="ism-tip" role="tooltip" hidden></div>
<noscript><p>This diagram needs JavaScript; the HTML report and the workbook hold the same model as tables.
</p></noscript>
</main>
<footer class="note">Written by ism_health {version}. One file, no network: every script is in this page.</footer>
<script type="application/json" id="ism-data">{data}</script>
<script>
{script}
</script>
</body>
</html>
"""


def interactive_html(result: ISMResult, *, title: str | None = None) -> str:
    """The interactive diagram as the text of one self-contained HTML page.

    Parameters
    ----------
    result : ISMResult
        The analysis (from :func:`ism_health.analyze`).
    title : str, optional
        Heading and page title; default "ISM model of n factors".

    Returns
    -------
    str
        The page; every script and style is inline, nothing is fetched.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> page = interactive_html(analyze(load_example("worked")), title="Barriers <draft>")
    >>> "<title>Barriers &lt;draft&gt;</title>" in page, "<script src" in page, "<link" in page
    (True, False, False)
    """
    data = interactive_data(result, title=title)
    return _PAGE.format(
        version=html.escape(__version__),
        title=html.escape(data["title"]),
        css=_asset("interactive.css"),
        data=_json_for_html(data),
        script=_asset("interactive.js"),
    )


def write_interactive_html(result: ISMResult, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Write the interactive diagram to one HTML file that works offline.

    Parameters
    ----------
    result : ISMResult
        The analysis (from :func:`ism_health.analyze`).
    path : path-like
        The file to write, ending in ``.html`` or ``.htm``; its folder must exist.
    title : str, optional
        Heading and page title; default "ISM model of n factors".

    Returns
    -------
    pathlib.Path
        The file written (UTF-8).

    Raises
    ------
    ISMInputError
        When ``path`` does not end in ``.html``/``.htm`` or its folder does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "interactive.html"
    >>> write_interactive_html(analyze(load_example("worked")), path).name
    'interactive.html'
    >>> 'id="ism-data"' in path.read_text(encoding="utf-8")
    True
    """
    target = Path(path)
    if target.suffix.lower() not in (".html", ".htm"):
        raise ISMInputError(f"{str(target)!r}: the interactive diagram is one HTML file; give a path ending in .html.")
    if not target.parent.is_dir():
        raise ISMInputError(f"{str(target)!r}: the folder {str(target.parent)!r} does not exist.")
    if title is not None and not isinstance(title, str):
        raise ISMInputError(f"title must be text or None; got {type(title).__name__}.")
    page = interactive_html(result, title=title)
    target.write_bytes(page.encode("utf-8"))
    return target
