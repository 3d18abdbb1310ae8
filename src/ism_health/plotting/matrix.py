"""Reachability matrices as heatmaps; 1* entries (added by transitivity) in their own colour."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from ..exceptions import ISMInputError
from ._style import (
    MATRIX_COLOURS,
    _codes_legend,
    _fit_figure,
    _full_names_legend,
    _reported,
    _short_names,
    factor_codes,
    is_result,
    journal_rc,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from ..result import ISMResult

__all__ = ["plot_matrix", "ANNOTATE_MAX", "NAMES_MAX", "MATRIX_INCHES", "MATRIX_TITLES"]

#: Up to this many factors the cells are written (1 / 1*) by default.
ANNOTATE_MAX = 40
#: Up to this many factors the axes name every factor; above, the heatmap is a density image of the matrix
#: with factor numbers every few factors (no names, no cell text, no cell grid).
NAMES_MAX = 100
#: The longest side of the heatmap on a figure made here (inches): at 300 dpi at most 3,000 pixels.
MATRIX_INCHES = 10.0
#: The default titles.
MATRIX_TITLES = {"initial": "Initial reachability matrix",
                 "final": "Final reachability matrix (1* = added by transitivity)",
                 "canonical": "Canonical matrix (ordered by level)"}
_DEFAULT = "default"


def _marks(data: Any) -> pd.DataFrame:
    """A square matrix (table or array) as the marks "0", "1", "1*", labelled."""
    if isinstance(data, pd.DataFrame):
        frame = data
    else:
        values = np.asarray(data)
        if values.ndim != 2:
            raise ISMInputError(f"plot_matrix needs an ISMResult or a square matrix; got {type(data).__name__}.")
        labels = [f"F{k + 1}" for k in range(values.shape[0])]
        frame = pd.DataFrame(values, index=labels, columns=labels[: values.shape[1]])
    if frame.shape[0] != frame.shape[1] or list(frame.index) != list(frame.columns):
        raise ISMInputError(f"plot_matrix needs a square matrix with the same factors as rows and columns; "
                            f"got shape {frame.shape}.")

    def mark(v: Any) -> str:
        text = str(v).strip()
        if isinstance(v, (bool, np.bool_)):
            return "1" if v else "0"
        if text in ("0", "1", "1*"):
            return text
        if text in ("0.0", "1.0"):
            return text[0]
        raise ISMInputError(f"plot_matrix: the matrix holds {v!r}; expected 0, 1 or '1*'.")

    marks = frame.map(mark)
    marks.index = [str(x) for x in frame.index]
    marks.columns = [str(x) for x in frame.columns]
    return marks


def plot_matrix(
    result: ISMResult | pd.DataFrame | np.ndarray,
    which: Literal["initial", "final", "canonical"] = "final",
    ax: Axes | None = None,
    *,
    levels: Mapping[str, int] | pd.Series | None = None,
    codes: bool | Sequence[str] | Mapping[str, str] = False,
    annotate: bool | None = None,
    fontsize: float = 7.0,
    title: str | None = _DEFAULT,
    **style: Any,
) -> Axes:
    """A reachability matrix as a heatmap; 1* entries (added by transitivity) in their own colour.

    ``which="initial"``: the initial reachability matrix (direct relations);
    ``"final"``: the final reachability matrix with the 1* entries distinct;
    ``"canonical"``: the final matrix ordered by level, each level's block outlined.
    Rows influence columns (row i, column j is 1 when i reaches j).

    The figure keeps to a size a journal takes whatever n (the heatmap at
    most :data:`MATRIX_INCHES` = 10 inches a side, so 3,000 pixels at 300 dpi):
    up to :data:`ANNOTATE_MAX` = 40 factors the cells are written (1 / 1*);
    up to :data:`NAMES_MAX` = 100 factors the axes name every factor (the
    names' size shrinks with the cells, to 5.8 points at 100); above 100
    factors the heatmap is a density image of the matrix, with factor numbers
    (the order of the rows) every few factors instead of names. Names longer
    than :data:`~ism_health.plotting.MAX_LABEL` characters are abbreviated,
    with a legend of the full names.

    Parameters
    ----------
    result : ISMResult, DataFrame or array (n, n)
        A result, or a matrix: 0/1 entries (e.g. :func:`ism_health.transitive_closure`,
        :func:`ism_health.canonical_matrix`) or the marks ``"0"``, ``"1"``,
        ``"1*"`` (e.g. ``result.final_reachability_marked``), factors as index
        and columns (``F1..Fn`` for an array). A matrix is drawn as given;
        ``which`` then only names it.
    which : {"initial", "final", "canonical"}
    ax : matplotlib Axes, optional
    codes : bool, sequence or mapping
        Use short codes on the axes (with a legend) instead of the names.
    annotate : bool, optional
        Write 1 / 1* in the cells; default when there are at most 40 factors.
    title : str or None
        The title (default: the matrix's name, e.g. ``"Canonical matrix (ordered by level)"``);
        None leaves it out.
    levels : mapping or Series, optional
        Factor -> level, for a matrix given as a table with ``which="canonical"``:
        rows and columns are ordered by level and each level's block outlined.
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
    >>> ax.get_title(), plot_matrix(result, title=None).get_title()
    ('Canonical matrix (ordered by level)', '')

    A matrix of the step functions draws the same way:

    >>> import ism_health as ism
    >>> frm = ism.transitive_closure(load_example("worked").initial_reachability())
    >>> ax2 = plot_matrix(ism.canonical_matrix(frm), "canonical", levels=result.levels)
    >>> sorted(ax2.ism_blocks), ax2.ism_cells[("F7", "F2")].get_text()
    ([1, 2, 3, 4, 5], '1')
    """
    if which not in ("initial", "final", "canonical"):
        raise ISMInputError(f"which={which!r} is not allowed; expected one of 'initial', 'final', 'canonical'.")
    if title == _DEFAULT:
        title = MATRIX_TITLES[which]
    if is_result(result):
        result = cast(Any, result)
        labels = list(result.ssim.labels)
        level_map = result.levels
        if which == "initial":
            marks = result.initial_reachability.astype(str)
        else:
            marks = result.final_reachability_marked
            if which == "canonical":
                order = list(result.canonical.index)
                marks = marks.loc[order, order]
    else:
        marks = _marks(result)
        labels = list(marks.index)
        level_map = None if levels is None else pd.Series(levels)
        if which == "canonical" and level_map is not None:
            missing = [lab for lab in labels if lab not in level_map.index]
            if missing:
                raise ISMInputError(
                    f"plot_matrix: levels has no level for {len(missing)} factor(s), e.g. {missing[0]!r}."
                )
            order = sorted(labels, key=lambda lab: (int(level_map[lab]), labels.index(lab)))
            marks = marks.loc[order, order]
    code_map = factor_codes(labels, codes) if codes is not False else None
    with journal_rc([str(x) for x in labels] + ([title] if title else []), stacklevel=2) as fonts:
        ax = _draw_matrix(marks, which, ax, level_map, code_map, annotate, fontsize, title, style)
        _reported(ax.figure, fonts)
    return ax


def _draw_matrix(marks: pd.DataFrame, which: str, ax: Any, level_map: pd.Series | None,
                 code_map: dict[str, str] | None, annotate: bool | None, fontsize: float, title: str | None,
                 style: dict[str, Any]) -> Any:
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch, Rectangle

    colours = style.pop("colors", MATRIX_COLOURS)
    n = len(marks)
    named = n <= NAMES_MAX
    if not named:
        code_map = None  # a density image: factor numbers, no names
    shown = _short_names(marks.index) if named and not code_map else {}
    values = np.select([marks.to_numpy() == "1*", marks.to_numpy() == "1"], [2, 1], 0)
    if annotate is None:
        annotate = n <= ANNOTATE_MAX
    tick_size = fontsize
    created = ax is None
    if created:
        cell = 0.32 if n <= 20 else max(0.16, 6.5 / n)
        side = min(n * cell, MATRIX_INCHES)
        tick_size = min(fontsize, 0.8 * 72.0 * side / n) if named else fontsize
        longest = (max(len(text) for text in shown.values()) if shown else 4) if named else 4
        label_in = min(0.4 + 0.055 * longest * tick_size / fontsize, 3.6)
        fig = plt.figure(figsize=(side + label_in + 0.4, side + label_in + 1.1))
        W, H = fig.get_size_inches()
        ax = fig.add_axes((label_in / W, 0.3 / H, side / W, side / H))
    # "none": SVG and PDF embed the n x n cells as they are (small, crisp, fast); PNG scales them (nearest).
    # Stage "data": the PNG resamples the cell codes and colours the result once, the same pixels as colouring
    # first ("rgba") without resampling four float channels (a third less time per heatmap).
    imshow_style = {"cmap": ListedColormap(list(colours)), "vmin": -0.5, "vmax": 2.5, "interpolation": "none",
                    "interpolation_stage": "data"}
    imshow_style.update(style)
    image = ax.imshow(values, **imshow_style)
    image.set_gid(f"matrix-{which}")
    ax.xaxis.tick_top()
    if named:
        names = [code_map[lab] for lab in marks.index] if code_map else [shown[lab] for lab in marks.index]
        ax.set_xticks(range(n))
        ax.set_yticks(range(n))
        ax.set_xticklabels(names, rotation=90, fontsize=tick_size, parse_math=False)
        ax.set_yticklabels(names, fontsize=tick_size, parse_math=False)
        # the cell grid as one collection of lines (minor ticks would cost a Tick, and its measuring, per line)
        edges = np.arange(-0.5, n)
        segments = [((e, -0.5), (e, n - 0.5)) for e in edges] + [((-0.5, e), (n - 0.5, e)) for e in edges]
        grid_lines = LineCollection(segments, colors="#cccccc", linewidths=0.4, zorder=1.5)
        grid_lines.set_gid("cell-grid")
        ax.add_collection(grid_lines, autolim=False)
        ax.set_xlabel("influenced (column j)", fontsize=fontsize + 1)
        ax.set_ylabel("influencing (row i)", fontsize=fontsize + 1)
    else:  # a density image: factor numbers (1-based, the order of the rows) every few factors
        step = int(np.ceil(n / 10 / 5) * 5)
        ticks = list(range(0, n, step))
        ax.set_xticks(ticks)
        ax.set_yticks(ticks)
        ax.set_xticklabels([str(t + 1) for t in ticks], fontsize=fontsize)
        ax.set_yticklabels([str(t + 1) for t in ticks], fontsize=fontsize)
        ax.set_xlabel(f"influenced (column j; factor number, {n} factors)", fontsize=fontsize + 1)
        ax.set_ylabel("influencing (row i; factor number)", fontsize=fontsize + 1)
    ax.xaxis.set_label_position("top")
    if title:
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
    if which == "canonical" and level_map is not None:
        level_of = level_map.loc[list(marks.index)].to_numpy()
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
    elif any(full != text for full, text in shown.items()):
        ax.add_artist(key_legend)
        _full_names_legend(ax, shown, fontsize)
    if created:
        _fit_figure(ax, freeze=True)
    ax.ism_matrix = marks
    ax.ism_cells = cells
    ax.ism_blocks = blocks
    return ax
