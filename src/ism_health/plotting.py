"""Figures for papers: the MICMAC map, the ISM hierarchy diagram and matrix heatmaps.

matplotlib is imported inside the functions, so ``import ism_health`` does not
import it. Every function takes ``ax=None`` (a new figure sized for the
content when omitted), passes extra keyword arguments on to the main artists
(styling), and returns the Axes. The structure drawn is recorded on the
Axes for tests and for users who want to restyle it:

* :func:`plot_micmac`: ``ax.ism_points`` (``(dependence, driving) -> labels``),
  ``ax.ism_on_boundary`` (the same, only the points exactly on a boundary, drawn
  hollow), ``ax.ism_boundary_note`` (the key that explains them, or None),
  ``ax.ism_labels`` (joint label text -> Annotation), ``ax.ism_quadrants``
  (cluster -> Text), ``ax.ism_boundaries`` (``(dependence, driving)``).
* :func:`plot_hierarchy`: ``ax.ism_nodes`` (node -> ``(x, y)``), ``ax.ism_boxes``
  (node -> Text whose box is drawn), ``ax.ism_arrows`` (edge -> FancyArrowPatch),
  ``ax.ism_routes`` (edge -> the points the arrow passes, from box edge to box
  edge), ``ax.ism_levels`` (level -> y).
* :func:`plot_matrix`: ``ax.ism_matrix`` (the DataFrame drawn, ``"1*"`` marks
  kept), ``ax.ism_cells`` (``(row, column) -> Text``), ``ax.ism_blocks``
  (level -> Rectangle, canonical matrix only).

Orientation: an arrow u -> v means u influences v; level 1 is drawn at the top.
:func:`save_figure` writes PNG (300 dpi), SVG and PDF without timestamps, so the
same result gives the same files.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .digraph import node_members
from .exceptions import ISMInputError
from .micmac import CLUSTERS, QUADRANTS

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from .result import ISMResult

__all__ = ["plot_micmac", "plot_hierarchy", "plot_matrix", "save_figure", "factor_codes"]

#: Colours of the matrix cells: 0, 1 (direct or reflexive), 1* (added by transitivity).
MATRIX_COLOURS = ("#ffffff", "#3b6ea8", "#f0a040")
_NODE_FACE = "#e8f0fa"
_CYCLE_FACE = "#fdebd3"


def _renderer(fig: Any) -> Any:
    """A renderer for measuring text, whatever the canvas."""
    getter = getattr(fig.canvas, "get_renderer", None)
    if getter is not None:
        return getter()
    return fig._get_renderer()  # matplotlib >= 3.6, any backend


def _fit_figure(ax: Any, pad: float = 0.12) -> None:
    """Resize a figure made here around everything drawn on ``ax``, keeping the Axes' size in inches.

    The title and the legends get some slack (text is a little wider at a
    lower resolution than the one measured here), so saving the figure as it
    is (``fig.savefig(path)``, no ``bbox_inches``) keeps all of them whole.
    """
    from matplotlib.legend import Legend
    from matplotlib.transforms import Bbox

    fig = ax.figure
    renderer = _renderer(fig)
    tight = ax.get_tightbbox(renderer)
    axb = ax.get_window_extent(renderer)
    slack = []
    if ax.title.get_visible() and ax.title.get_text():
        tb = ax.title.get_window_extent(renderer)
        sx, sy = 0.04 * tb.width + 2, 0.25 * tb.height + 2
        slack.append(Bbox.from_extents(tb.x0 - sx, tb.y0, tb.x1 + sx, tb.y1 + sy))
    for legend in [a for a in ax.get_children() if isinstance(a, Legend) and a.get_visible()]:
        lb = legend.get_window_extent(renderer)
        sx, sy = 0.05 * lb.width + 2, 0.05 * lb.height + 2
        slack.append(Bbox.from_extents(lb.x0 - sx, lb.y0 - sy, lb.x1 + sx, lb.y1 + sy))
    if slack:
        tight = Bbox.union([tight, *slack])
    dpi = fig.dpi
    left, right = max(axb.x0 - tight.x0, 0) / dpi, max(tight.x1 - axb.x1, 0) / dpi
    bottom, top = max(axb.y0 - tight.y0, 0) / dpi, max(tight.y1 - axb.y1, 0) / dpi
    aw, ah = axb.width / dpi, axb.height / dpi
    width, height = left + aw + right + 2 * pad, bottom + ah + top + 2 * pad
    fig.set_size_inches(width, height)
    ax.set_position(((pad + left) / width, (pad + bottom) / height, aw / width, ah / height))


def _wrap(text: str, width: int) -> str:
    lines = textwrap.wrap(str(text), width=width, break_long_words=True, break_on_hyphens=True)
    return "\n".join(lines) if lines else str(text)


def factor_codes(result: ISMResult, codes: bool | Sequence[str] | Mapping[str, str] = True) -> dict[str, str]:
    """Short codes for the factors: ``F1..Fn`` by default, or the codes given (sequence or mapping).

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.plotting import factor_codes
    >>> list(factor_codes(analyze(load_example()), True).items())[:2]
    [('Technology', 'F1'), ('Training', 'F2')]
    """
    labels = list(result.ssim.labels)
    if codes is True:
        out = {lab: f"F{k + 1}" for k, lab in enumerate(labels)}
    elif isinstance(codes, Mapping):
        missing = [lab for lab in labels if lab not in codes]
        if missing:
            raise ISMInputError(f"codes: no code for {len(missing)} factor(s), e.g. {missing[0]!r}.")
        out = {lab: str(codes[lab]) for lab in labels}
    elif isinstance(codes, Sequence) and not isinstance(codes, str):
        if len(codes) != len(labels):
            raise ISMInputError(f"codes: {len(codes)} codes given for {len(labels)} factors.")
        out = {lab: str(c) for lab, c in zip(labels, codes)}
    else:
        raise ISMInputError(f"codes={codes!r} is not allowed; expected True, False, a sequence or a mapping of codes.")
    if len(set(out.values())) != len(out):
        raise ISMInputError("codes: every factor needs a different code.")
    return out


def _codes_legend(ax: Any, codes: dict[str, str], fontsize: float, title: str = "Factors") -> Any:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], linestyle="none", label=f"{code}  {label}") for label, code in codes.items()]
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        handlelength=0,
        handletextpad=0,
        fontsize=fontsize,
        title=title,
        title_fontsize=fontsize,
        frameon=False,
        borderaxespad=0,
    )
    legend.set_gid("codes-legend")
    return legend


# ---------------------------------------------------------------------------------------------- MICMAC
def plot_micmac(
    result: ISMResult,
    ax: Axes | None = None,
    *,
    codes: bool | str | Sequence[str] | Mapping[str, str] = "auto",
    fontsize: float = 7.5,
    wrap: int = 24,
    **style: Any,
) -> Axes:
    """The MICMAC map: dependence power (x) against driving power (y), with the four clusters.

    Axes run from 0 to n; the dashed lines are the boundaries the analysis used
    (``result.params``); each quadrant is named (I autonomous, II dependent,
    III linkage, IV independent). Factors with the same powers share one point
    and one joint label. Labels are placed by a deterministic search around
    their point so that no two labels overlap (leader lines where moved away)
    and every label lies inside the frame (the limits grow past 0 and n when a
    label would not fit otherwise). A point whose power lies exactly on a
    boundary (``result.micmac.on_boundary``) is drawn hollow, and a key under
    the x axis says that the ``on_boundary`` rule placed it.

    Parameters
    ----------
    result : ISMResult
    ax : matplotlib Axes, optional
        Draw here; by default a new 6.5 x 6 inch figure.
    codes : "auto", bool, sequence or mapping
        Label points with short codes (``F1``...; or the codes given) and list
        the names in a legend. ``"auto"`` (default): codes when there are more
        than 20 factors, names otherwise.
    fontsize : float
        Size of the factor labels in points.
    wrap : int
        Wrap long labels at this many characters.
    **style
        Passed to :meth:`~matplotlib.axes.Axes.scatter` (e.g. ``color``, ``s``, ``marker``).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.plotting import plot_micmac
    >>> result = analyze(load_example("worked"))
    >>> ax = plot_micmac(result)
    >>> tuple(map(float, ax.get_xlim())), ax.ism_boundaries
    ((0.0, 8.0), (4.0, 4.0))
    >>> ax.ism_points[(2, 6)]
    ('F1',)
    """
    import matplotlib.pyplot as plt

    n = result.ssim.n
    m = result.micmac
    if isinstance(codes, str) and codes == "auto":
        codes = n > 20
    x_b, y_b = float(result.params["dependence_boundary"]), float(result.params["driving_boundary"])
    code_map = factor_codes(result, codes) if codes is not False else None
    created = ax is None
    if created:
        width = 6.5 + (2.6 if code_map else 0.0)
        fig = plt.figure(figsize=(width, 6.0))
        right = 1 - 2.8 / width if code_map else 0.97
        ax = fig.add_axes((0.1, 0.09, right - 0.1, 0.84))
    fig = ax.figure

    groups: dict[tuple[int, int], list[str]] = {}
    flagged: dict[tuple[int, int], bool] = {}
    for label, row in m.iterrows():
        key = (int(row.dependence_power), int(row.driving_power))
        groups.setdefault(key, []).append(str(label))
        flagged[key] = flagged.get(key, False) or bool(row.on_boundary)
    keys = sorted(groups, key=lambda p: (-p[1], p[0]))
    xs = np.array([k[0] for k in keys], dtype=float)
    ys = np.array([k[1] for k in keys], dtype=float)
    on_line = np.array([flagged[k] for k in keys], dtype=bool)
    scatter_style = {"s": 28, "color": "#1f3b63", "zorder": 3, "clip_on": False}
    scatter_style.update(style)
    points = ax.scatter(xs[~on_line], ys[~on_line], **scatter_style)
    points.set_gid("micmac-points")
    boundary_points = None
    if on_line.any():  # powers exactly on a boundary: hollow, their cluster is the rule's choice
        boundary_points = ax.scatter(xs[on_line], ys[on_line], **scatter_style)
        boundary_points.set_edgecolor(boundary_points.get_facecolor())
        boundary_points.set_facecolor("white")
        boundary_points.set_linewidth(1.3)
        boundary_points.set_gid("micmac-points-boundary")

    step = 1 if n <= 20 else int(np.ceil(n / 20))
    ax.set_xticks(range(0, n + 1, step))
    ax.set_yticks(range(0, n + 1, step))
    ax.set_xlabel("Dependence power")
    ax.set_ylabel("Driving power")
    ax.set_title(f"MICMAC analysis ({n} factors)")
    ax.grid(True, color="#e6e6e6", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    vline = ax.axvline(x_b, color="#888888", linestyle="--", linewidth=1, zorder=1)
    hline = ax.axhline(y_b, color="#888888", linestyle="--", linewidth=1, zorder=1)
    vline.set_gid("boundary-dependence")
    hline.set_gid("boundary-driving")

    renderer = _renderer(fig)
    px_per_pt = fig.dpi / 72.0
    margin = 2.0  # pixels kept free inside the axes' frame
    marker_r = 4.5 * px_per_pt

    def overlaps(a: tuple[float, ...], b: tuple[float, ...], pad: float = 1.0) -> bool:
        return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad

    # The texts of the labels and their sizes (independent of the axes limits).
    label_texts = []
    label_sizes = []
    for key in keys:
        members = groups[key]
        names = [code_map[lab] for lab in members] if code_map else members
        if code_map:
            text = ", ".join(names)
        elif len(names) == 1:
            text = _wrap(names[0], wrap)
        else:  # one point, several factors: one joint label, one bullet per factor
            text = "\n".join("\u2022 " + _wrap(lab, wrap).replace("\n", "\n   ") for lab in names)
        probe = ax.text(0, 0, text, fontsize=fontsize, ha="left", va="bottom", parse_math=False,
                        multialignment="left")
        bb = probe.get_window_extent(renderer)
        probe.remove()
        label_texts.append(text)
        label_sizes.append((bb.width, bb.height))

    quadrant_texts = {}
    for name, quadrant in zip(CLUSTERS, QUADRANTS):
        text = f"{quadrant}  {name.capitalize()}"
        if name == "independent":
            text += " (driving)"
        t = ax.text(0, 0, text, fontsize=fontsize + 1, color="#8a4b08", fontweight="bold", zorder=2)
        t.set_gid(f"quadrant-{name}")
        quadrant_texts[name] = t

    angles = np.deg2rad([0, 45, -45, 90, -90, 135, -135, 180, 22.5, -22.5, 157.5, -157.5, 67.5, -67.5, 112.5, -112.5])
    radii = [5, 9, 14, 20, 28, 38, 50, 64, 80, 100, 125, 150]

    def layout(limits: tuple[float, float, float, float]) -> tuple[list[tuple[Any, ...]], tuple[float, ...]]:
        """Place quadrant names and labels for these axes limits; the placements and how far they stick out."""
        lo_x, hi_x, lo_y, hi_y = limits
        ax.set_xlim(lo_x, hi_x)
        ax.set_ylim(lo_y, hi_y)
        to_disp = ax.transData.transform
        ax_box = ax.get_window_extent(renderer)

        def inside(b: tuple[float, ...]) -> bool:
            return (b[0] >= ax_box.x0 + margin and b[2] <= ax_box.x1 - margin and b[1] >= ax_box.y0 + margin
                    and b[3] <= ax_box.y1 - margin)

        centres = to_disp(np.column_stack([xs, ys]))
        point_boxes = [(px - marker_r, py - marker_r, px + marker_r, py + marker_r) for px, py in centres]
        # Quadrant names in a free corner of their quadrant.
        obstacles: list[tuple[float, ...]] = list(point_boxes)
        regions = {
            "autonomous": (lo_x, x_b, lo_y, y_b),
            "dependent": (x_b, hi_x, lo_y, y_b),
            "linkage": (x_b, hi_x, y_b, hi_y),
            "independent": (lo_x, x_b, y_b, hi_y),
        }
        for name in CLUSTERS:
            x0, x1, y0, y1 = regions[name]
            t = quadrant_texts[name]
            # Prefer the outer corners (away from the boundary lines), then the others.
            outer = {"independent": (x0, y1, "left", "top"), "linkage": (x1, y1, "right", "top"),
                     "autonomous": (x0, y0, "left", "bottom"), "dependent": (x1, y0, "right", "bottom")}[name]
            corners = [outer, (x0, y1, "left", "top"), (x1, y1, "right", "top"), (x0, y0, "left", "bottom"),
                       (x1, y0, "right", "bottom")]
            chosen = None
            for cx, cy, ha, va in corners + [outer]:  # every corner blocked: keep the outer corner
                t.set_ha(ha)
                t.set_va(va)
                t.set_position((cx, cy))
                t.set_transform(ax.transData + _offset(fig, 4 if ha == "left" else -4, 4 if va == "bottom" else -4))
                bb = t.get_window_extent(renderer)
                chosen = (bb.x0, bb.y0, bb.x1, bb.y1)
                if inside(chosen) and not any(overlaps(chosen, o) for o in obstacles):
                    break
            obstacles.append(chosen)

        # Labels: greedy placement around each point, nearest free spot first.
        placed: list[tuple[float, ...]] = []
        out = []
        for k, key in enumerate(keys):
            w, h = label_sizes[k]
            px, py = to_disp([[key[0], key[1]]])[0]
            best = None
            best_cost = None
            for r in radii:
                for a in angles:
                    dx, dy = np.cos(a), np.sin(a)
                    r_px = r * px_per_pt
                    ax_, ay_ = px + r_px * dx, py + r_px * dy
                    ha = "left" if dx > 0.3 else "right" if dx < -0.3 else "center"
                    va = "bottom" if dy > 0.3 else "top" if dy < -0.3 else "center"
                    x0 = ax_ if ha == "left" else ax_ - w if ha == "right" else ax_ - w / 2
                    y0 = ay_ if va == "bottom" else ay_ - h if va == "top" else ay_ - h / 2
                    box = (x0, y0, x0 + w, y0 + h)
                    hits = sum(overlaps(box, o) for o in placed) + sum(overlaps(box, o) for o in obstacles)
                    cost = hits * 1000 + (0 if inside(box) else 500) + r
                    if best_cost is None or cost < best_cost:
                        best, best_cost = (r, dx, dy, ha, va, box), cost
                    if hits == 0 and inside(box):
                        break
                if best_cost is not None and best_cost < 500:
                    break
            placed.append(best[5])
            out.append(best)
        # How far (pixels) any label sticks out of the frame on each side (left, right, bottom, top).
        boxes = [b[5] for b in out]
        excess = (
            max([ax_box.x0 + margin - b[0] for b in boxes] + [0.0]),
            max([b[2] - (ax_box.x1 - margin) for b in boxes] + [0.0]),
            max([ax_box.y0 + margin - b[1] for b in boxes] + [0.0]),
            max([b[3] - (ax_box.y1 - margin) for b in boxes] + [0.0]),
        )
        return out, excess

    # Axes from 0 to n; should a label not fit inside the frame, the limits grow until it does (by at
    # most n on each side: on an Axes too small for its labels, the attempt that sticks out least).
    limits = (0.0, float(n), 0.0, float(n))
    best_try = None
    for _ in range(6):
        placements, excess = layout(limits)
        if best_try is None or max(excess) < best_try[0]:
            best_try = (max(excess), limits, placements)
        if not any(e > 0 for e in excess):
            break
        ax_box = ax.get_window_extent(renderer)
        per_px_x = (limits[1] - limits[0]) / ax_box.width
        per_px_y = (limits[3] - limits[2]) / ax_box.height
        grow = [e + 2 * margin if e > 0 else 0.0 for e in excess]
        limits = (
            max(limits[0] - grow[0] * per_px_x * 1.25, -float(n)),
            min(limits[1] + grow[1] * per_px_x * 1.25, 2.0 * n),
            max(limits[2] - grow[2] * per_px_y * 1.25, -float(n)),
            min(limits[3] + grow[3] * per_px_y * 1.25, 2.0 * n),
        )
    if best_try[1] != limits or best_try[2] is not placements:
        limits = best_try[1]
        placements, _ = layout(limits)

    labels_out = {}
    for k, (key, text, (r, dx, dy, ha, va, _box)) in enumerate(zip(keys, label_texts, placements)):
        arrowprops = None
        if r > 10:
            arrowprops = {"arrowstyle": "-", "color": "#9a9a9a", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 3}
        ann = ax.annotate(
            text,
            xy=key,
            xytext=(r * dx, r * dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=fontsize,
            zorder=4,
            arrowprops=arrowprops,
            annotation_clip=False,
            parse_math=False,
            multialignment="left",
        )
        ann.set_gid(f"micmac-label-{k}")
        labels_out[text] = ann

    note = None
    if boundary_points is not None:
        note = _boundary_note(ax, boundary_points, str(result.params["on_boundary"]), fontsize, renderer)
    if code_map:
        _codes_legend(ax, code_map, fontsize)
    if created:
        _fit_figure(ax)
    ax.ism_points = {key: tuple(groups[key]) for key in keys}
    ax.ism_on_boundary = {key: tuple(groups[key]) for key, flag in zip(keys, on_line) if flag}
    ax.ism_boundary_note = note
    ax.ism_labels = labels_out
    ax.ism_quadrants = quadrant_texts
    ax.ism_boundaries = (x_b, y_b)
    return ax


def _boundary_note(ax: Any, marker: Any, rule: str, fontsize: float, renderer: Any) -> Any:
    """A one-line key under the x axis: hollow points lie on a boundary, placed by the on_boundary rule."""
    from matplotlib.legend import Legend
    from matplotlib.lines import Line2D

    fig = ax.figure
    handle = Line2D([], [], linestyle="none", marker="o", markersize=5.5, markerfacecolor="white",
                    markeredgecolor=marker.get_edgecolor()[0], markeredgewidth=1.3)
    # Just below the x axis' tick labels and label, in points so it follows the Axes when the figure is resized.
    depth_pt = (ax.get_window_extent(renderer).y0 - ax.xaxis.get_tightbbox(renderer).y0) * 72.0 / fig.dpi + 3
    note = Legend(ax, [handle], [f"on a boundary: placed by the rule (on_boundary={rule})"], loc="upper left",
                  bbox_to_anchor=(0, 0), bbox_transform=ax.transAxes + _offset(fig, 0, -depth_pt),
                  fontsize=fontsize, frameon=False, borderaxespad=0, borderpad=0, handlelength=1.0,
                  handletextpad=0.5)
    note.set_gid("boundary-note")
    ax.add_artist(note)
    note.set_clip_on(False)  # outside the frame, and counted in the figure's tight bounding box
    return note


def _offset(fig: Any, dx_pt: float, dy_pt: float) -> Any:
    from matplotlib.transforms import ScaledTranslation

    return ScaledTranslation(dx_pt / 72.0, dy_pt / 72.0, fig.dpi_scale_trans)


# ---------------------------------------------------------------------------------------------- hierarchy
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
                placed = []
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


def _box_exit(centre: tuple[float, float], toward: tuple[float, float], half: tuple[float, float]) -> tuple[float, float]:
    """Where the ray from a box's centre toward a point leaves the box."""
    dx, dy = toward[0] - centre[0], toward[1] - centre[1]
    if dx == 0 and dy == 0:
        return centre
    t = min(half[0] / abs(dx) if dx else np.inf, half[1] / abs(dy) if dy else np.inf)
    t = min(t, 1.0)
    return centre[0] + t * dx, centre[1] + t * dy


def plot_hierarchy(
    result: ISMResult,
    ax: Axes | None = None,
    *,
    codes: bool | Sequence[str] | Mapping[str, str] = False,
    fontsize: float = 8.0,
    wrap: int = 20,
    **style: Any,
) -> Axes:
    """The ISM hierarchy diagram: one band per level (level 1 at the top), arrows u -> v for "u influences v".

    Every edge of the transitive reduction of :attr:`ISMResult.digraph` is
    drawn, including edges that skip levels: those are routed through free
    slots of the levels in between (never through a box). A merged cycle is one
    shaded box listing its members. Long labels are wrapped; with ``codes`` the
    boxes show short codes and a legend gives the names.

    Parameters
    ----------
    result : ISMResult
    ax : matplotlib Axes, optional
        Draw here; by default a new figure sized for the diagram.
    codes : bool, sequence or mapping
        Show codes (``F1``...; or the codes given) in the boxes, with a legend.
    fontsize : float
        Text size in the boxes (points).
    wrap : int
        Wrap labels at this many characters.
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
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    g = result.digraph
    code_map = factor_codes(result, codes) if codes is not False else None
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
            text = _wrap(members[0], wrap)
        else:  # a merged cycle: one box, one bullet per member
            text = "\n".join("\u2022 " + _wrap(m, wrap).replace("\n", "\n   ") for m in members)
        is_cycle = len(members) > 1
        props = dict(box_style)
        if is_cycle:
            props["facecolor"] = cycle_face
            props["linewidth"] = float(props.get("linewidth", 0.9)) * 1.8
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
    if created:
        ax.set_title("ISM model (level 1 = top; arrow u \u2192 v: u influences v)", fontsize=fontsize + 1.5, pad=4)

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
    if created:
        _fit_figure(ax)
    ax.ism_nodes = {node: positions[node] for node in g.nodes}
    ax.ism_boxes = boxes
    ax.ism_arrows = arrows
    ax.ism_routes = route_points
    ax.ism_levels = level_y
    return ax


# ---------------------------------------------------------------------------------------------- matrices
def plot_matrix(
    result: ISMResult,
    which: Literal["initial", "final", "canonical"] = "final",
    ax: Axes | None = None,
    *,
    codes: bool | Sequence[str] | Mapping[str, str] = False,
    annotate: bool | None = None,
    fontsize: float = 7.0,
    **style: Any,
) -> Axes:
    """A reachability matrix as a heatmap; 1* entries (added by transitivity) in their own colour.

    ``which="initial"``: the initial reachability matrix (direct relations);
    ``"final"``: the final reachability matrix with the 1* entries distinct;
    ``"canonical"``: the final matrix ordered by level, each level's block outlined.
    Rows influence columns (row i, column j is 1 when i reaches j).

    Parameters
    ----------
    result : ISMResult
    which : {"initial", "final", "canonical"}
    ax : matplotlib Axes, optional
    codes : bool, sequence or mapping
        Use short codes on the axes (with a legend) instead of the names.
    annotate : bool, optional
        Write 1 / 1* in the cells; default when there are at most 40 factors.
    fontsize : float
    **style
        Passed to :meth:`~matplotlib.axes.Axes.imshow`; ``colors`` (three
        colours for 0, 1, 1*) is also accepted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.plotting import plot_matrix
    >>> result = analyze(load_example("worked"))
    >>> ax = plot_matrix(result, "canonical")
    >>> sorted(ax.ism_blocks)
    [1, 2, 3, 4, 5]
    >>> ax.ism_cells[("F7", "F2")].get_text()
    '1*'
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch, Rectangle

    if which not in ("initial", "final", "canonical"):
        raise ISMInputError(f"which={which!r} is not allowed; expected one of 'initial', 'final', 'canonical'.")
    colours = style.pop("colors", MATRIX_COLOURS)
    if which == "initial":
        marks = result.initial_reachability.astype(str)
        title = "Initial reachability matrix"
    else:
        marks = result.final_reachability_marked
        title = "Final reachability matrix (1* = added by transitivity)"
        if which == "canonical":
            order = list(result.canonical.index)
            marks = marks.loc[order, order]
            title = "Canonical matrix (ordered by level)"
    n = len(marks)
    code_map = factor_codes(result, codes) if codes is not False else None
    values = np.select([marks.to_numpy() == "1*", marks.to_numpy() == "1"], [2, 1], 0)
    if annotate is None:
        annotate = n <= 40
    created = ax is None
    if created:
        cell = 0.32 if n <= 20 else max(0.16, 6.5 / n)
        side = n * cell
        longest = max(len(lab) for lab in marks.index) if not code_map else 4
        label_in = min(0.4 + 0.055 * longest, 3.2)
        legend_w = 0.0
        if code_map:
            legend_w = min(0.4 + max(len(f"{c}  {lab}") for lab, c in code_map.items()) * fontsize * 0.55 / 72.0, 5.0)
        fig = plt.figure(figsize=(side + label_in + 0.4 + legend_w, side + label_in + 1.1))
        W, H = fig.get_size_inches()
        ax = fig.add_axes((label_in / W, 0.3 / H, side / W, side / H))
    imshow_style = {"cmap": ListedColormap(list(colours)), "vmin": -0.5, "vmax": 2.5, "interpolation": "nearest"}
    imshow_style.update(style)
    image = ax.imshow(values, **imshow_style)
    image.set_gid(f"matrix-{which}")
    names = [code_map[lab] for lab in marks.index] if code_map else list(marks.index)
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xticklabels(names, rotation=90, fontsize=fontsize, parse_math=False)
    ax.set_yticklabels(names, fontsize=fontsize, parse_math=False)
    ax.xaxis.tick_top()
    ax.set_xticks(np.arange(-0.5, n), minor=True)
    ax.set_yticks(np.arange(-0.5, n), minor=True)
    ax.grid(which="minor", color="#cccccc", linewidth=0.4)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("influenced (column j)", fontsize=fontsize + 1)
    ax.xaxis.set_label_position("top")
    ax.set_ylabel("influencing (row i)", fontsize=fontsize + 1)
    ax.set_title(title, fontsize=fontsize + 2)
    cells = {}
    if annotate:
        for i, row in enumerate(marks.index):
            for j, col in enumerate(marks.columns):
                mark = marks.iat[i, j]
                if mark == "0":
                    continue
                colour = "white" if mark == "1" else "black"
                t = ax.text(j, i, mark, ha="center", va="center", fontsize=fontsize * (0.85 if n > 25 else 1),
                            color=colour, fontweight="bold" if mark == "1*" else "normal")
                t.set_gid("cell-transitive" if mark == "1*" else "cell-direct")
                cells[(row, col)] = t
    blocks = {}
    if which == "canonical":
        level_of = result.levels.loc[list(marks.index)].to_numpy()
        start = 0
        for lv in sorted(set(level_of.tolist())):
            size = int((level_of == lv).sum())
            rect = Rectangle((start - 0.5, start - 0.5), size, size, fill=False, edgecolor="#c0392b", linewidth=1.8,
                             zorder=5)
            rect.set_gid(f"level-block-{lv}")
            ax.add_patch(rect)
            blocks[int(lv)] = rect
            start += size
    handles = [Patch(facecolor=colours[1], edgecolor="#999999", label="1")]
    if which != "initial":
        handles.append(Patch(facecolor=colours[2], edgecolor="#999999", label="1* (transitivity)"))
    handles.append(Patch(facecolor=colours[0], edgecolor="#999999", label="0"))
    if which == "canonical":
        handles.append(Patch(fill=False, edgecolor="#c0392b", linewidth=1.8, label="level block"))
    key_legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncol=len(handles),
                           fontsize=fontsize, frameon=False, borderaxespad=0.2, handlelength=1.2)
    key_legend.set_gid("matrix-key")
    if code_map:
        ax.add_artist(key_legend)
        _codes_legend(ax, code_map, fontsize)
    if created:
        _fit_figure(ax)
    ax.ism_matrix = marks
    ax.ism_cells = cells
    ax.ism_blocks = blocks
    return ax


# ---------------------------------------------------------------------------------------------- saving
def save_figure(figure: Any, path: str | os.PathLike[str], *, dpi: int = 300) -> Path:
    """Save a figure (or the figure of an Axes) as PNG, SVG or PDF, without timestamps.

    The format comes from the suffix. PNG is written at ``dpi`` (default 300);
    SVG and PDF carry no creation date and fixed ids, so the same figure gives
    the same bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.plotting import plot_micmac, save_figure
    >>> ax = plot_micmac(analyze(load_example("worked")))
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [save_figure(ax, folder / f"micmac.{ext}").stat().st_size > 0 for ext in ("png", "svg", "pdf")]
    [True, True, True]
    """
    import matplotlib

    fig = getattr(figure, "figure", figure)
    path = Path(path)
    ext = path.suffix.lower().lstrip(".")
    metadata: dict[str, Any]
    if ext == "png":
        metadata = {"Software": None}
    elif ext == "svg":
        metadata = {"Date": None, "Creator": None}
    elif ext == "pdf":
        metadata = {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}
    else:
        raise ISMInputError(f"cannot save a figure as {path.name!r}; use .png, .svg or .pdf.")
    with matplotlib.rc_context({"svg.hashsalt": "ism_health", "pdf.compression": 6}):
        fig.savefig(path, dpi=dpi, metadata=metadata, facecolor="white", bbox_inches="tight", pad_inches=0.08)
    return path
