"""The ISM hierarchy diagram: one band per level (level 1 at the top), arrows u -> v for "u influences v"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import networkx as nx
import numpy as np

from ..digraph import node_members
from ..exceptions import ISMInputError
from ._style import (
    _CYCLE_FACE,
    _NODE_FACE,
    _codes_legend,
    _fit_figure,
    _full_names_legend,
    _renderer,
    _reported,
    _short_names,
    _wrap,
    factor_codes,
    is_result,
    journal_rc,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from ..result import ISMResult

__all__ = ["plot_hierarchy"]

#: The default title of the hierarchy diagram.
HIERARCHY_TITLE = "ISM model (level 1 = top; arrow u \u2192 v: u influences v)"


def _hierarchy_data(data: Any) -> tuple[nx.DiGraph, list[str]]:
    """(ISM digraph, factor labels in order) of a result or of a digraph of ism_digraph()."""
    if is_result(data):
        return data.digraph, list(data.ssim.labels)
    if not isinstance(data, nx.DiGraph):
        raise ISMInputError(
            f"plot_hierarchy needs an ISMResult or the digraph of ism_digraph(); got {type(data).__name__}."
        )
    for node, attrs in data.nodes(data=True):
        if "members" not in attrs or "level" not in attrs:
            raise ISMInputError(
                f"plot_hierarchy: node {node!r} has no 'members' and 'level'; expected the digraph of ism_digraph()."
            )
    labels = data.graph.get("labels")
    if labels is None:
        labels = [str(m) for _, attrs in data.nodes(data=True) for m in node_members(attrs)]
    return data, list(labels)


def _layered(g: Any) -> tuple[dict[int, list[Any]], dict[tuple[Any, Any], list[Any]]]:
    """Nodes of each level (with virtual nodes where an edge skips levels), ordered to reduce crossings.

    Every edge u -> v that spans more than one level gets a virtual node in each
    level in between, so its line passes through a free slot instead of through
    the boxes there (the Sugiyama layering). A few barycentre sweeps, up and
    down, order each level; ties keep the digraph's order, so the result is
    deterministic.
    """
    by_level: dict[int, list[Any]] = {}
    for node, level in g.nodes(data="level"):
        by_level.setdefault(int(level), []).append(node)
    routes: dict[tuple[Any, Any], list[Any]] = {}
    neighbours: dict[Any, list[Any]] = {node: [] for node in g.nodes}
    for u, v in g.edges():
        lu, lv = int(g.nodes[u]["level"]), int(g.nodes[v]["level"])
        chain = [u]
        for lvl in range(lu - 1, lv, -1):
            dummy = ("__route__", u, v, lvl)
            by_level.setdefault(lvl, []).append(dummy)
            neighbours[dummy] = []
            chain.append(dummy)
        chain.append(v)
        for a, b in zip(chain, chain[1:]):
            neighbours[a].append(b)
            neighbours[b].append(a)
        routes[(u, v)] = chain
    levels = sorted(by_level)
    level_of = {node: lv for lv in levels for node in by_level[lv]}
    pos: dict[Any, float] = {}

    def centre(lv: int) -> None:
        row = by_level[lv]
        for i, node in enumerate(row):
            pos[node] = i - (len(row) - 1) / 2

    for lv in levels:
        centre(lv)

    def sweep(sequence: list[int], done: set[int]) -> None:
        for lv in sequence:
            keyed = []
            for i, node in enumerate(by_level[lv]):
                nbrs = [pos[b] for b in neighbours[node] if level_of[b] in done]
                keyed.append((float(np.mean(nbrs)) if nbrs else pos[node], i, node))
            keyed.sort(key=lambda t: (t[0], t[1]))
            by_level[lv] = [t[2] for t in keyed]
            centre(lv)
            done.add(lv)

    for _ in range(4):
        sweep(levels[1:], {levels[0]})
        sweep(levels[::-1][1:], {levels[-1]})
    return by_level, routes


def _x_positions(
    by_level: dict[int, list[Any]], routes: dict[tuple[Any, Any], list[Any]], widths: dict[Any, float], gap: float
) -> dict[Any, float]:
    """Horizontal centres (inches): each node pulled toward its neighbours, order and spacing kept.

    Starts from centred rows, then a few sweeps move every node toward the mean
    position of its neighbours in the routes (so links run as straight as the
    order allows), pack each row left to right with at least ``gap`` between
    boxes, and shift the row back by its mean displacement. Deterministic.
    """
    neighbours: dict[Any, list[Any]] = {nd: [] for row in by_level.values() for nd in row}
    for chain in routes.values():
        for a, b in zip(chain, chain[1:]):
            neighbours[a].append(b)
            neighbours[b].append(a)
    x: dict[Any, float] = {}
    widest = max(sum(widths[nd] for nd in row) + gap * (len(row) - 1) for row in by_level.values())
    for row in by_level.values():
        pos = (widest - (sum(widths[nd] for nd in row) + gap * (len(row) - 1))) / 2
        for nd in row:
            x[nd] = pos + widths[nd] / 2
            pos += widths[nd] + gap
    levels = sorted(by_level)
    for _ in range(8):
        for sequence in (levels, levels[::-1]):
            for lv in sequence:
                row = by_level[lv]
                desired = [float(np.mean([x[b] for b in neighbours[nd]])) if neighbours[nd] else x[nd] for nd in row]
                placed: list[float] = []
                for i, nd in enumerate(row):
                    want = desired[i]
                    if i:
                        prev = row[i - 1]
                        want = max(want, placed[-1] + (widths[prev] + widths[nd]) / 2 + gap)
                    placed.append(want)
                shift = float(np.mean(np.array(desired) - np.array(placed)))
                for nd, value in zip(row, placed):
                    x[nd] = value + shift
    return x


def _smooth_path(points: list[tuple[float, float]]) -> Any:
    """A path through the points: a straight line for two, else a Catmull-Rom curve as cubic Beziers."""
    from matplotlib.path import Path as MplPath

    pts = np.asarray(points, dtype=float)
    if len(pts) == 2:
        return MplPath(pts, [MplPath.MOVETO, MplPath.LINETO])
    ext = np.vstack([pts[0], pts, pts[-1]])
    verts = [pts[0]]
    codes = [MplPath.MOVETO]
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        verts += [p1 + (p2 - p0) / 6.0, p2 - (p3 - p1) / 6.0, p2]
        codes += [MplPath.CURVE4] * 3
    return MplPath(np.asarray(verts), codes)


def _box_exit(
    centre: tuple[float, float], toward: tuple[float, float], half: tuple[float, float]
) -> tuple[float, float]:
    """Where the ray from a box's centre toward a point leaves the box."""
    dx, dy = toward[0] - centre[0], toward[1] - centre[1]
    if dx == 0 and dy == 0:
        return centre
    t = min(half[0] / abs(dx) if dx else np.inf, half[1] / abs(dy) if dy else np.inf)
    t = min(t, 1.0)
    return centre[0] + t * dx, centre[1] + t * dy


def plot_hierarchy(
    result: ISMResult | nx.DiGraph,
    ax: Axes | None = None,
    *,
    codes: bool | Sequence[str] | Mapping[str, str] = False,
    fontsize: float = 8.0,
    wrap: int = 20,
    title: str | None = HIERARCHY_TITLE,
    **style: Any,
) -> Axes:
    """The ISM hierarchy diagram: one band per level (level 1 at the top), arrows u -> v for "u influences v".

    Every edge of the transitive reduction of :attr:`ISMResult.digraph` is
    drawn, including edges that skip levels: those are routed through free
    slots of the levels in between (never through a box). A merged cycle is one
    shaded box listing its members. Long labels are wrapped (and abbreviated
    past :data:`~ism_health.plotting.MAX_LABEL` characters, with a legend of the
    full names); with ``codes`` the boxes show short codes and a legend gives
    the names.

    Parameters
    ----------
    result : ISMResult or networkx.DiGraph
        A result, or the digraph of :func:`ism_health.ism_digraph` (nodes
        carry ``members`` and ``level``). Over a bare digraph, ``codes=True``
        numbers the factors in the digraph's node order (its ``labels`` graph
        attribute when present); pass a mapping for your own codes.
    ax : matplotlib Axes, optional
        Draw here; by default a new figure sized for the diagram.
    codes : bool, sequence or mapping
        Show codes (``F1``...; or the codes given) in the boxes, with a legend.
    fontsize : float
        Text size in the boxes (points).
    wrap : int
        Wrap labels at this many characters.
    title : str or None
        The title (default: ``"ISM model (level 1 = top; ...)"``); None leaves it out.
    **style
        Passed to the boxes (a :class:`~matplotlib.patches.FancyBboxPatch`:
        ``facecolor``, ``edgecolor``, ``linewidth``...); ``arrow_color`` and
        ``cycle_facecolor`` are also accepted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.plotting import plot_hierarchy
    >>> result = analyze(load_example("worked"))
    >>> ax = plot_hierarchy(result)
    >>> sorted(ax.ism_arrows) == sorted(result.digraph.edges())
    True
    >>> ax.ism_nodes["F6"][1] > ax.ism_nodes["F7"][1]   # level 1 above level 5
    True
    >>> plot_hierarchy(result, title=None).get_title()
    ''

    The digraph of :func:`ism_health.ism_digraph` gives the same diagram:

    >>> import ism_health as ism
    >>> frm = ism.transitive_closure(load_example("worked").initial_reachability())
    >>> plot_hierarchy(ism.ism_digraph(frm)).ism_nodes == ax.ism_nodes
    True
    """
    g, labels = _hierarchy_data(result)
    code_map = factor_codes(labels, codes) if codes is not False else None
    with journal_rc([str(x) for x in labels] + ([title] if title else []), stacklevel=2) as fonts:
        ax = _draw_hierarchy(g, ax, code_map, fontsize, wrap, title, style)
        _reported(ax.figure, fonts)
    return ax


def _draw_hierarchy(g: nx.DiGraph, ax: Any, code_map: dict[str, str] | None, fontsize: float, wrap: int,
                    title: str | None, style: dict[str, Any]) -> Any:
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    shown = {} if code_map else _short_names(str(m) for _, attrs in g.nodes(data=True) for m in node_members(attrs))
    arrow_color = style.pop("arrow_color", "#34495e")
    cycle_face = style.pop("cycle_facecolor", _CYCLE_FACE)
    box_style = {"boxstyle": "round,pad=0.4", "facecolor": _NODE_FACE, "edgecolor": "#2c3e50", "linewidth": 0.9}
    box_style.update(style)

    by_level, routes = _layered(g)
    levels = sorted(by_level)
    created = ax is None
    if created:
        fig = plt.figure(figsize=(8, 6))
        ax = fig.add_axes((0, 0, 1, 1))
    fig = ax.figure
    renderer = _renderer(fig)

    boxes = {}
    sizes: dict[Any, tuple[float, float]] = {}
    for node, data in g.nodes(data=True):
        members = node_members(data)
        if code_map:
            text = _wrap(", ".join(code_map[m] for m in members), max(wrap, 12))
        elif len(members) == 1:
            text = _wrap(shown[str(members[0])], wrap)
        else:  # a merged cycle: one box, one bullet per member
            text = "\n".join("\u2022 " + _wrap(shown[str(m)], wrap).replace("\n", "\n   ") for m in members)
        is_cycle = len(members) > 1
        props = dict(box_style)
        if is_cycle:
            props["facecolor"] = cycle_face
            props["linewidth"] = float(cast(Any, props.get("linewidth", 0.9))) * 1.8
        t = ax.text(0, 0, text, ha="center", va="center", fontsize=fontsize, bbox=props, zorder=3, linespacing=1.15,
                    parse_math=False, multialignment="left" if is_cycle and not code_map else "center")
        t.set_gid("ism-node-cycle" if is_cycle else "ism-node")
        boxes[node] = t
        bb = t.get_window_extent(renderer)
        pad = 2 * 0.4 * fontsize * fig.dpi / 72.0  # boxstyle pad is in units of the font size
        sizes[node] = ((bb.width + pad) / fig.dpi, (bb.height + pad) / fig.dpi)  # inches
    route_w = 0.18
    for lv in levels:
        for node in by_level[lv]:
            if node not in sizes:
                sizes[node] = (route_w, 0.0)

    gap_x, gap_y = 0.28, 0.6
    band_h = {lv: max(sizes[nd][1] for nd in by_level[lv]) for lv in levels}
    xs = _x_positions(by_level, routes, {nd: sizes[nd][0] for nd in sizes}, gap_x)
    left = min(xs[nd] - sizes[nd][0] / 2 for nd in xs)
    width = max(xs[nd] + sizes[nd][0] / 2 for nd in xs) - left
    label_w = 0.75
    height = sum(band_h.values()) + gap_y * (len(levels) + 1)
    positions: dict[Any, tuple[float, float]] = {}
    level_y = {}
    y = height - gap_y
    for lv in levels:
        cy = y - band_h[lv] / 2
        level_y[lv] = float(cy)
        for nd in by_level[lv]:
            positions[nd] = (float(label_w + xs[nd] - left), float(cy))
        y -= band_h[lv] + gap_y
    total_w = label_w + width + 0.2

    legend_w = 0.0
    if code_map:
        longest = max(len(f"{c}  {lab}") for lab, c in code_map.items())
        legend_w = min(0.4 + longest * fontsize * 0.55 / 72.0, 5.0)
    if created:
        fig.set_size_inches(total_w + legend_w + 0.2, height + 0.45)
        W, H = fig.get_size_inches()
        ax.set_position((0.1 / W, 0.05 / H, total_w / W, (height - gap_y) / H))
    ax.set_xlim(0, total_w)
    ax.set_ylim(gap_y / 2, height - gap_y / 2)  # exactly the level bands
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=fontsize + 1.5, pad=4)

    for i, lv in enumerate(levels):
        top = level_y[lv] + band_h[lv] / 2 + gap_y / 2
        bottom = level_y[lv] - band_h[lv] / 2 - gap_y / 2
        band = ax.axhspan(bottom, top, color="#f4f6f8" if i % 2 == 0 else "#ffffff", zorder=0, linewidth=0)
        band.set_gid(f"level-band-{lv}")
        ax.text(0.08, level_y[lv], f"Level {lv}", ha="left", va="center", fontsize=fontsize, color="#555555",
                fontweight="bold", zorder=1)
    for node, t in boxes.items():
        t.set_position(positions[node])

    # Box sizes in data units (inches on a figure made here; scaled on a user's Axes).
    bbox = ax.get_position()
    fw, fh = fig.get_size_inches()
    sx = total_w / (bbox.width * fw)
    sy = (height - gap_y) / (bbox.height * fh)
    arrows = {}
    route_points: dict[tuple[Any, Any], list[tuple[float, float]]] = {}
    for (u, v), chain in routes.items():
        pts = [positions[nd] for nd in chain]
        gap = 2.5 / 72.0  # leave a hair between box and line
        hu = (sizes[u][0] / 2 * sx + gap * sx, sizes[u][1] / 2 * sy + gap * sy)
        hv = (sizes[v][0] / 2 * sx + gap * sx, sizes[v][1] / 2 * sy + gap * sy)
        pts[0] = _box_exit(pts[0], pts[1], hu)
        pts[-1] = _box_exit(pts[-1], pts[-2], hv)
        arrow = FancyArrowPatch(
            path=_smooth_path(pts),
            arrowstyle="-|>",
            mutation_scale=11,
            color=arrow_color,
            linewidth=1.0,
            zorder=4,
        )
        arrow.set_gid("ism-edge")
        ax.add_patch(arrow)
        arrows[(u, v)] = arrow
        route_points[(u, v)] = [(float(x), float(y)) for x, y in pts]

    if code_map:
        _codes_legend(ax, code_map, fontsize)
    else:
        _full_names_legend(ax, shown, fontsize)
    if created:
        _fit_figure(ax)
    ax.ism_nodes = {node: positions[node] for node in g.nodes}
    ax.ism_boxes = boxes
    ax.ism_arrows = arrows
    ax.ism_routes = route_points
    ax.ism_levels = level_y
    return ax


