"""Figures for papers: the MICMAC map, the ISM hierarchy diagram and matrix heatmaps.

Functions over data: each accepts an :class:`~ism_health.ISMResult` or the
table the step function returns: :func:`plot_micmac` the table of
:func:`ism_health.micmac_analysis`, :func:`plot_hierarchy` the digraph of
:func:`ism_health.ism_digraph`, :func:`plot_matrix` a reachability matrix
(``ism.plot_micmac(ism.micmac_analysis(frm))`` needs no result).

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
:func:`save_figure` writes PNG (300 dpi, at most :data:`MAX_PIXELS`), SVG and PDF
without timestamps, so the same result gives the same files, and ready for a
journal (:func:`journal_rc`: TrueType fonts embedded in PDF, SVG text as text, a
font fallback for labels in other scripts). Every plot function takes
``title=None`` to leave the title out; labels longer than :data:`MAX_LABEL`
characters are abbreviated in the figure and given in full in a legend.
"""

from ._style import (
    JOURNAL_RC,
    MATRIX_COLOURS,
    MAX_LABEL,
    MAX_PIXELS,
    FontCheck,
    factor_codes,
    factor_labels,
    figure_bytes,
    font_fallback,
    journal_rc,
    save_figure,
)
from .hierarchy import plot_hierarchy
from .matrix import plot_matrix
from .micmac import plot_micmac

__all__ = ["plot_micmac", "plot_hierarchy", "plot_matrix", "save_figure", "figure_bytes", "journal_rc", "font_fallback",
           "FontCheck",
           "factor_codes", "factor_labels", "MATRIX_COLOURS", "JOURNAL_RC", "MAX_LABEL", "MAX_PIXELS"]
