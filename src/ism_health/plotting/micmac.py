"""The MICMAC map: dependence power (x) against driving power (y), with the four clusters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..exceptions import ISMInputError
from ..micmac.binary import CLUSTERS, QUADRANTS
from ._style import (
    _codes_legend,
    _fit_figure,
    _full_names_legend,
    _offset,
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

__all__ = ["plot_micmac"]

_MICMAC_COLUMNS = ("driving_power", "dependence_power", "on_boundary", "cluster")
#: The default title; ``{n}`` is the number of factors.
MICMAC_TITLE = "MICMAC analysis ({n} factors)"


class _Grid:
    """Boxes (x0, y0, x1, y1) in a uniform grid of square cells: which boxes a box overlaps, in time ~ its area."""

    def __init__(self, cell: float) -> None:
        self.cell = max(float(cell), 1.0)
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.boxes: list[tuple[float, ...]] = []
        self.array = np.empty((64, 4))  # the boxes, as rows (capacity doubles as they come)

    def _span(self, box: tuple[float, ...], pad: float) -> tuple[range, range]:
        c = self.cell
        return (range(int(np.floor((box[0] - pad) / c)), int(np.floor((box[2] + pad) / c)) + 1),
                range(int(np.floor((box[1] - pad) / c)), int(np.floor((box[3] + pad) / c)) + 1))

    def add(self, box: tuple[float, ...]) -> None:
        k = len(self.boxes)
        self.boxes.append(box)
        if k == len(self.array):
            self.array = np.concatenate([self.array, np.empty_like(self.array)])
        self.array[k] = box[:4]
        xs, ys = self._span(box, 0.0)
        for i in xs:
            for j in ys:
                self.cells.setdefault((i, j), []).append(k)

    def near(self, region: tuple[float, ...]) -> np.ndarray:
        """The boxes (an array (m, 4)) in the cells that ``region`` (x0, y0, x1, y1) touches."""
        found: set[int] = set()
        xs, ys = self._span(region, 0.0)
        if len(xs) * len(ys) > len(self.boxes):  # a region wider than the boxes are many: all of them
            return self.array[: len(self.boxes)]
        cells = self.cells
        for i in xs:
            for j in ys:
                found.update(cells.get((i, j), ()))
        if not found:
            return self.array[:0]
        return self.array[np.fromiter(found, dtype=np.intp, count=len(found))]


def _micmac_data(data: Any) -> tuple[pd.DataFrame, int, tuple[float, float], str]:
    """(MICMAC table, n, (dependence, driving) boundaries, on_boundary rule) of a result or a MICMAC table."""
    if is_result(data):
        p = data.params
        bounds = (float(p["dependence_boundary"]), float(p["driving_boundary"]))
        return data.micmac, data.ssim.n, bounds, str(p["on_boundary"])
    if not isinstance(data, pd.DataFrame):
        raise ISMInputError(
            f"plot_micmac needs an ISMResult or the table of micmac_analysis(); got {type(data).__name__}."
        )
    missing = [c for c in _MICMAC_COLUMNS if c not in data.columns]
    if missing:
        raise ISMInputError(f"plot_micmac: the MICMAC table has no column(s) {', '.join(missing)}; "
                            "expected the table of micmac_analysis().")
    n = len(data)
    given = data.attrs.get("boundaries", {})
    bounds = (float(given.get("dependence", n / 2)), float(given.get("driving", n / 2)))
    rule = str(data.attrs.get("on_boundary", "")) or _boundary_rule(data, bounds)
    return data, n, bounds, rule


def _boundary_rule(m: pd.DataFrame, bounds: tuple[float, float]) -> str:
    """The on_boundary rule a MICMAC table was made with, read from a factor on a boundary ("low" when none)."""
    high_dependence = {"dependent", "linkage"}
    high_driving = {"linkage", "independent"}
    for _, row in m[m["on_boundary"].astype(bool)].iterrows():
        if float(row["dependence_power"]) == bounds[0]:
            return "high" if row["cluster"] in high_dependence else "low"
        if float(row["driving_power"]) == bounds[1]:
            return "high" if row["cluster"] in high_driving else "low"
    return "low"


def plot_micmac(
    result: ISMResult | pd.DataFrame,
    ax: Axes | None = None,
    *,
    codes: bool | str | Sequence[str] | Mapping[str, str] = "auto",
    fontsize: float = 7.5,
    wrap: int = 24,
    title: str | None = MICMAC_TITLE,
    **style: Any,
) -> Axes:
    """The MICMAC map: dependence power (x) against driving power (y), with the four clusters.

    Axes run from 0 to n; the dashed lines are the boundaries the analysis used
    (``result.params``, or ``.attrs["boundaries"]`` of a MICMAC table); each
    quadrant is named (I autonomous, II dependent, III linkage, IV
    independent). Factors with the same powers share one point and one joint
    label. Labels are placed by a deterministic search around their point (a
    spatial grid keeps it near-linear in the number of points) so that no
    label overlaps another label, a point or a quadrant name, or crosses a
    boundary line where a free place exists (leader lines where moved away),
    and every label lies inside the frame. The axes run a margin past 0 and n
    so that no point sits on the frame (the limits grow further when a label
    would not fit otherwise). Labels longer than
    :data:`~ism_health.plotting.MAX_LABEL` characters are abbreviated with a
    legend of the full names. A point whose power lies exactly on a
    boundary (``result.micmac.on_boundary``) is drawn hollow, and a key under
    the x axis says that the ``on_boundary`` rule placed it.

    Parameters
    ----------
    result : ISMResult or DataFrame
        A result, or the MICMAC table of :func:`ism_health.micmac_analysis`
        (columns ``driving_power``, ``dependence_power``, ``on_boundary`` and
        ``cluster``, factors as index; the boundaries are read from
        ``.attrs["boundaries"]``, n / 2 when absent, and the ``on_boundary``
        rule from the clusters of the factors on a boundary).
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
    title : str or None
        The title (default ``"MICMAC analysis (n factors)"``); None leaves it out.
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
    >>> tuple(map(float, ax.get_xlim())), ax.ism_boundaries   # a margin around 0..n
    ((-0.5, 8.5), (4.0, 4.0))
    >>> ax.ism_points[(2, 6)]
    ('F1',)
    >>> plot_micmac(result, title=None).get_title()
    ''

    The table of :func:`ism_health.micmac_analysis` gives the same map:

    >>> import ism_health as ism
    >>> frm = ism.transitive_closure(load_example("worked").initial_reachability())
    >>> ax2 = plot_micmac(ism.micmac_analysis(frm))
    >>> ax2.ism_points == ax.ism_points, ax2.ism_boundaries
    (True, (4.0, 4.0))
    """
    m, n, bounds, rule = _micmac_data(result)
    if isinstance(codes, str) and codes == "auto":
        codes = n > 20
    code_map = factor_codes(list(m.index), codes) if codes is not False else None
    if title == MICMAC_TITLE:
        title = MICMAC_TITLE.format(n=n)
    texts = [str(x) for x in m.index] + ([title] if title else [])
    with journal_rc(texts, stacklevel=2) as fonts:
        ax = _draw_micmac(m, n, bounds, rule, ax, code_map, fontsize, wrap, title, style)
        _reported(ax.figure, fonts)
    return ax


def _draw_micmac(m: pd.DataFrame, n: int, bounds: tuple[float, float], rule: str, ax: Any,
                 code_map: dict[str, str] | None, fontsize: float, wrap: int, title: str | None,
                 style: dict[str, Any]) -> Any:
    import matplotlib.pyplot as plt

    x_b, y_b = bounds
    shown = _short_names([str(x) for x in m.index]) if not code_map else {}
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
    if title:
        ax.set_title(title)
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
        names = [code_map[lab] for lab in members] if code_map else [shown[lab] for lab in members]
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
        # room for the text as drawn at other resolutions too (a little wider at 72 dpi than measured here)
        label_sizes.append((bb.width * 1.12 + 2, bb.height * 1.06 + 2))

    quadrant_texts = {}
    for name, quadrant in zip(CLUSTERS, QUADRANTS):
        text = f"{quadrant}  {name.capitalize()}"
        if name == "independent":
            text += " (driving)"
        t = ax.text(0, 0, text, fontsize=fontsize + 1, color="#8a4b08", fontweight="bold", zorder=2)
        t.set_gid(f"quadrant-{name}")
        quadrant_texts[name] = t

    angles = np.deg2rad([0, 45, -45, 90, -90, 135, -135, 180, 22.5, -22.5, 157.5, -157.5, 67.5, -67.5, 112.5, -112.5])
    radii = [5, 9, 14, 20, 28, 38, 50, 64, 80, 100, 125, 150, 180, 215, 255, 300, 350, 400, 460, 520]
    far_angles = np.deg2rad(np.arange(0, 360, 11.25))  # a crowded map: a finer search far from the point

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
        line_x = float(to_disp([[x_b, y_b]])[0][0])
        line_y = float(to_disp([[x_b, y_b]])[0][1])

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
            chosen: tuple[float, ...] = ()
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

        # Labels: greedy placement around each point, nearest free spot first. Points, quadrant names and
        # placed labels sit in a spatial grid, so each candidate is tested against its neighbours only.
        grid = _Grid(max([24.0 * px_per_pt] + [min(max(w, h), 200.0) for w, h in label_sizes]))
        for o in obstacles:
            grid.add(o)
        out = []
        # The places around a point, nearest first, in three bands tested at once each (a map that is not
        # crowded finds a free place in the first band).
        bands = []
        for band in ([r for r in radii if r <= 50], [r for r in radii if 50 < r <= 150], [r for r in radii if r > 150]):
            ring_angles = [angles if r <= 150 else far_angles for r in band]
            bands.append((np.concatenate([np.full(len(a), float(r)) for r, a in zip(band, ring_angles)]),
                          np.concatenate([np.cos(a) for a in ring_angles]),
                          np.concatenate([np.sin(a) for a in ring_angles])))
        pad = 1.0
        for k, key in enumerate(keys):
            w, h = label_sizes[k]
            px, py = to_disp([[key[0], key[1]]])[0]
            best: Any = None
            best_cost = np.inf
            for r, dx, dy in bands:  # all the places of one band at once, tested against the boxes near the band
                r_px = r * px_per_pt
                anchor_x, anchor_y = px + r_px * dx, py + r_px * dy
                x0 = np.where(dx > 0.3, anchor_x, np.where(dx < -0.3, anchor_x - w, anchor_x - w / 2))
                y0 = np.where(dy > 0.3, anchor_y, np.where(dy < -0.3, anchor_y - h, anchor_y - h / 2))
                x1, y1 = x0 + w, y0 + h
                near = grid.near((float(x0.min()) - pad, float(y0.min()) - pad, float(x1.max()) + pad,
                                  float(y1.max()) + pad))
                hits = ((x0[:, None] < near[:, 2] + pad) & (near[:, 0] < x1[:, None] + pad)
                        & (y0[:, None] < near[:, 3] + pad) & (near[:, 1] < y1[:, None] + pad)).sum(axis=1)
                hits = hits + ((x0 - pad < line_x) & (line_x < x1 + pad)) + ((y0 - pad < line_y) & (line_y < y1 + pad))
                inside_frame = ((x0 >= ax_box.x0 + margin) & (x1 <= ax_box.x1 - margin) & (y0 >= ax_box.y0 + margin)
                                & (y1 <= ax_box.y1 - margin))
                cost = hits * 1000.0 + np.where(inside_frame, 0.0, 3000.0) + r  # outside the frame is worst
                a = int(np.argmin(cost))  # the first of the cheapest, nearest ring first, in the order of the angles
                if cost[a] < best_cost:
                    ha = "left" if dx[a] > 0.3 else "right" if dx[a] < -0.3 else "center"
                    va = "bottom" if dy[a] > 0.3 else "top" if dy[a] < -0.3 else "center"
                    box = (float(x0[a]), float(y0[a]), float(x1[a]), float(y1[a]))
                    best, best_cost = (float(r[a]), float(dx[a]), float(dy[a]), ha, va, box), float(cost[a])
                if best_cost < 1000:  # free and inside the frame
                    break
            grid.add(best[5])
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
    pad = max(0.5, 0.04 * n)  # no point on the frame
    limits = (-pad, n + pad, -pad, n + pad)
    best_try: Any = None
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
    fits = best_try[0] <= 0  # every label inside the frame

    labels_out = {}
    for k, (key, text, (r, dx, dy, ha, va, _box)) in enumerate(zip(keys, label_texts, placements)):
        arrowprops = None
        if r > 5:  # moved away from the nearest place: a leader line to its point
            # from the label's corner (or edge) that faces the point: no clipping by the text box needed
            # (clipping a leader line by a box costs matplotlib milliseconds at every draw)
            relpos = ({"left": 0.0, "center": 0.5, "right": 1.0}[ha], {"bottom": 0.0, "center": 0.5, "top": 1.0}[va])
            arrowprops = {"arrowstyle": "-", "color": "#9a9a9a", "linewidth": 0.6, "shrinkA": 1, "shrinkB": 3,
                          "patchA": None, "relpos": relpos}
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
        # Inside the frame (the placement saw to it), so the figure's tight box need not measure each label
        # and its leader line again (that is most of the time of fitting and saving a map of many points).
        ann.set_in_layout(not fits)
        labels_out[text] = ann

    note = None
    if boundary_points is not None:
        note = _boundary_note(ax, boundary_points, rule, fontsize, renderer)
    if code_map:
        _codes_legend(ax, code_map, fontsize)
    else:
        _full_names_legend(ax, shown, fontsize)
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
