"""Figures of a robustness result: level stability, MICMAC intervals, digraph links by frequency.

Functions over a :class:`~ism_health.experts.robustness.RobustnessResult`; matplotlib
is imported when a figure is drawn. Each returns the matplotlib ``Axes`` (pass
``ax=`` to draw into your own; ``title=None`` leaves the title out).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import check_number
from .exceptions import ISMInputError
from .micmac import micmac_boundaries

if TYPE_CHECKING:  # pragma: no cover
    from .experts.robustness import RobustnessResult

__all__ = ["plot_level_stability", "plot_micmac_cloud", "plot_edge_frequencies"]


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _check_result(result: Any, what: str) -> RobustnessResult:
    # by its parts, not isinstance: experts.robustness imports this module for RobustnessResult.figures()
    if type(result).__name__ != "RobustnessResult" or not hasattr(result, "level_frequencies"):
        raise ISMInputError(f"{what}() needs a RobustnessResult (from robustness()); got {type(result).__name__}.")
    return result


def plot_level_stability(
    result: RobustnessResult,
    ax: Any = None,
    *,
    title: str | None = "Level stability over resamples",
    cmap: str = "Blues",
) -> Any:
    """Heatmap of the level frequencies: factors (rows) by level (columns, 1 = top).

    Each cell shows the share of resamples placing the factor on that level
    (percent, when at least 1 %); the panel's own level is outlined.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import ism_health as ism
    >>> from ism_health.experts.robustness import robustness
    >>> from ism_health.robustness_plots import plot_level_stability
    >>> panel = ism.simulate_panel(ism.datasets.load_example("worked"), 5, 0.1, seed=2)
    >>> ax = plot_level_stability(robustness(panel, method="jackknife"))
    >>> ax.get_xlabel(), len(ax.get_yticklabels())
    ('level (1 = top)', 8)
    """
    from matplotlib.patches import Rectangle

    res = _check_result(result, "plot_level_stability")
    freq = res.level_frequencies
    n_f, n_l = freq.shape
    ax = _axes(ax, (1.2 + 0.6 * n_l, 1.0 + 0.3 * n_f))
    im = ax.imshow(freq.to_numpy(), cmap=cmap, vmin=0, vmax=1, aspect="auto")
    ax.figure.colorbar(im, ax=ax, label="share of resamples")
    ax.set_xticks(range(n_l), [str(c) for c in freq.columns])
    ax.set_yticks(range(n_f), list(freq.index))
    ax.set_xlabel("level (1 = top)")
    ax.set_ylabel("factor")
    for r in range(n_f):
        for c in range(n_l):
            v = freq.iat[r, c]
            if v >= 0.01:
                ax.text(c, r, f"{v:.0%}", ha="center", va="center", fontsize=7, color="white" if v > 0.6 else "black")
    for r, lev in enumerate(res.stability["panel_level"]):
        ax.add_patch(Rectangle((lev - 1.5, r - 0.5), 1, 1, fill=False, edgecolor="crimson", linewidth=1.5))
    if title:
        ax.set_title(title)
    return ax


def plot_micmac_cloud(
    result: RobustnessResult, ax: Any = None, *, title: str | None = "MICMAC map over resamples"
) -> Any:
    """The MICMAC map with each factor's 95 % interval of dependence (x) and driving power (y).

    The point is the median over the resamples, the bars span the 2.5 and
    97.5 percentiles, and a cross marks the panel's own position. The dashed
    lines are the panel's MICMAC boundaries.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import ism_health as ism
    >>> from ism_health.experts.robustness import robustness
    >>> from ism_health.robustness_plots import plot_micmac_cloud
    >>> panel = ism.simulate_panel(ism.datasets.load_example("worked"), 5, 0.1, seed=2)
    >>> ax = plot_micmac_cloud(robustness(panel, method="jackknife"))
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('dependence power', 'driving power')
    """
    res = _check_result(result, "plot_micmac_cloud")
    pw = res.power_intervals
    n = len(res.labels)
    ax = _axes(ax, (6.0, 6.0))
    xm, ym = pw["dependence_median"].to_numpy(), pw["driving_median"].to_numpy()
    xerr = np.vstack([xm - pw["dependence_low"].to_numpy(), pw["dependence_high"].to_numpy() - xm])
    yerr = np.vstack([ym - pw["driving_low"].to_numpy(), pw["driving_high"].to_numpy() - ym])
    ax.errorbar(
        xm,
        ym,
        xerr=xerr,
        yerr=yerr,
        fmt="o",
        color="tab:blue",
        ecolor="tab:blue",
        alpha=0.6,
        capsize=2,
        label="median and 95% interval",
    )
    ax.scatter(pw["dependence_panel"], pw["driving_panel"], marker="x", color="crimson", zorder=3, label="panel")
    at: dict[tuple[float, float], list[str]] = {}
    for lab, x, y in zip(res.labels, xm, ym):
        at.setdefault((float(x), float(y)), []).append(lab)
    for (x, y), labs in at.items():  # factors at the same point share one label
        ax.annotate("\n".join(labs), (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7)
    mt = res.params["micmac_threshold"]
    x_b, y_b = micmac_boundaries(
        pw["driving_panel"].to_numpy(), pw["dependence_panel"].to_numpy(), n, tuple(mt) if isinstance(mt, list) else mt
    )
    ax.axvline(x_b, linestyle="--", color="grey", linewidth=1)
    ax.axhline(y_b, linestyle="--", color="grey", linewidth=1)
    ax.set_xlim(0, n + 0.5)
    ax.set_ylim(0, n + 0.5)
    ax.set_xlabel("dependence power")
    ax.set_ylabel("driving power")
    ax.legend(loc="lower left", fontsize=7)
    if title:
        ax.set_title(title)
    return ax


def plot_edge_frequencies(
    result: RobustnessResult,
    ax: Any = None,
    *,
    min_frequency: float = 0.05,
    title: str | None = "Links of the ISM digraph over resamples",
) -> Any:
    """The digraph with every direct link drawn by the share of resamples in which it appears.

    Factors sit on the panel's levels (level 1 at the top). A link's width and
    opacity grow with its frequency; links of the panel's digraph are solid,
    the others dashed. Links seen in fewer than ``min_frequency`` of the
    resamples are left out.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import ism_health as ism
    >>> from ism_health.experts.robustness import robustness
    >>> from ism_health.robustness_plots import plot_edge_frequencies
    >>> panel = ism.simulate_panel(ism.datasets.load_example("worked"), 5, 0.1, seed=2)
    >>> ax = plot_edge_frequencies(robustness(panel, method="jackknife"))
    >>> len([t for t in ax.texts if t.get_text().startswith("F")])
    8
    """
    res = _check_result(result, "plot_edge_frequencies")
    min_frequency = check_number("min_frequency", min_frequency, low=0, high=1)
    levels = res.stability["panel_level"]
    pos: dict[str, tuple[float, float]] = {}
    for lev in sorted(set(levels)):
        members = [lab for lab in res.labels if levels[lab] == lev]
        for k, lab in enumerate(members):
            pos[lab] = (2.0 * (k - (len(members) - 1) / 2), -float(lev))
    width = max(len([1 for v in levels if v == lev]) for lev in set(levels))
    ax = _axes(ax, (max(5.0, 2.2 * width), 1.0 + 1.1 * int(levels.max())))
    edges = res.edge_frequencies
    for s, t, f, inp in edges[edges["frequency"] >= min_frequency].itertuples(index=False, name=None):
        ax.annotate(
            "",
            xy=pos[t],
            xytext=pos[s],
            arrowprops={
                "arrowstyle": "-|>",
                "lw": 0.5 + 3 * f,
                "alpha": 0.25 + 0.75 * f,
                "color": "tab:blue",
                "linestyle": "-" if inp else "--",
                "shrinkA": 12,
                "shrinkB": 12,
            },
        )
    for lab, (x, y) in pos.items():
        ax.text(
            x,
            y,
            textwrap.fill(lab, 16),
            ha="center",
            va="center",
            fontsize=7,
            bbox={"boxstyle": "round", "fc": "white", "ec": "grey"},
        )
    xs = [p[0] for p in pos.values()]
    ax.set_xlim(min(xs) - 1.2, max(xs) + 1.2)
    ax.set_ylim(-float(levels.max()) - 0.6, -0.4)
    ax.set_yticks([-float(v) for v in sorted(set(levels))], [f"level {v}" for v in sorted(set(levels))])
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title)
    return ax
