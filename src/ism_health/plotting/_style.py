"""Shared style and layout of the figures: colours, text measuring, figure fitting, codes, saving."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..exceptions import ISMInputError

__all__ = ["MATRIX_COLOURS", "factor_codes", "factor_labels", "save_figure"]

#: Colours of the matrix cells: 0, 1 (direct or reflexive), 1* (added by transitivity).
MATRIX_COLOURS = ("#ffffff", "#3b6ea8", "#f0a040")
_NODE_FACE = "#e8f0fa"
_CYCLE_FACE = "#fdebd3"


def is_result(data: Any) -> bool:
    """Whether ``data`` is an ISM result (duck-typed: an SSIM and recorded parameters)."""
    return hasattr(data, "ssim") and hasattr(data, "params")


def factor_labels(data: Any) -> list[str]:
    """The factor labels, in order, of a result or of a sequence of labels.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.plotting import factor_labels
    >>> factor_labels(analyze(load_example("worked")))[:2], factor_labels(["a", "b"])
    (['F1', 'F2'], ['a', 'b'])
    """
    if is_result(data):
        return list(data.ssim.labels)
    return [str(x) for x in data]


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


def factor_codes(result: Any, codes: bool | Sequence[str] | Mapping[str, str] = True) -> dict[str, str]:
    """Short codes for the factors: ``F1..Fn`` by default, or the codes given (sequence or mapping).

    ``result`` is an :class:`~ism_health.ISMResult` or the factor labels in order.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.plotting import factor_codes
    >>> list(factor_codes(analyze(load_example()), True).items())[:2]
    [('Technology', 'F1'), ('Training', 'F2')]
    """
    labels = factor_labels(result)
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


def _offset(fig: Any, dx_pt: float, dy_pt: float) -> Any:
    from matplotlib.transforms import ScaledTranslation

    return ScaledTranslation(dx_pt / 72.0, dy_pt / 72.0, fig.dpi_scale_trans)




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
