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
    _offset,
    _renderer,
    _wrap,
    factor_codes,
    is_result,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from ..result import ISMResult

__all__ = ["plot_micmac"]

_MICMAC_COLUMNS = ("driving_power", "dependence_power", "on_boundary", "cluster")


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
    **style: Any,
) -> Axes:
    """The MICMAC map: dependence power (x) against driving power (y), with the four clusters.

    Axes run from 0 to n; the dashed lines are the boundaries the analysis used
    (``result.params``, or ``.attrs["boundaries"]`` of a MICMAC table); each
    quadrant is named (I autonomous, II dependent, III linkage, IV
    independent). Factors with the same powers share one point and one joint
    label. Labels are placed by a deterministic search around
    their point so that no two labels overlap (leader lines where moved away)
    and every label lies inside the frame (the limits grow past 0 and n when a
    label would not fit otherwise). A point whose power lies exactly on a
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

    The table of :func:`ism_health.micmac_analysis` gives the same map:

    >>> import ism_health as ism
    >>> frm = ism.transitive_closure(load_example("worked").initial_reachability())
    >>> ax2 = plot_micmac(ism.micmac_analysis(frm))
    >>> ax2.ism_points == ax.ism_points, ax2.ism_boundaries
    (True, (4.0, 4.0))
    """
    import matplotlib.pyplot as plt

    m, n, (x_b, y_b), rule = _micmac_data(result)
    if isinstance(codes, str) and codes == "auto":
        codes = n > 20
    code_map = factor_codes(list(m.index), codes) if codes is not False else None
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
        note = _boundary_note(ax, boundary_points, rule, fontsize, renderer)
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
