"""One call for a whole ISM study: :func:`analyze` and its immutable :class:`ISMResult`."""

from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import networkx as nx
import numpy as np
import pandas as pd

from . import _method_outputs, bundle, export, interactive, plotting, report, tables, word
from ._validation import check_choice
from ._version import __version__
from .digraph import _build_digraph, _components, _digraph_parts
from .exceptions import ISMInputError, NotReachableError
from .export import RESULT_JSON, result_payload
from .io import read_ssim
from .levels import RULES, Rule, _canonical, _levels_by_rule, _partition_table, level_numbers
from .micmac import Threshold, check_threshold, driving_dependence, micmac_boundaries, micmac_table
from .reachability import _closure_with_levels, explain, transitive_additions, transitive_closure
from .ssim import SSIM
from .tables import summary_text

__all__ = ["ISMResult", "analyze", "result_from_json"]

# the cells of the marked final reachability matrix, by code (0, 1, 1 + added by transitivity)
_MARKS = np.array(["0", "1", "1*"], dtype=object)


@dataclass(frozen=True, eq=True, repr=False)
class ISMResult:
    """Everything an ISM paper reports, computed from one SSIM with recorded options.

    Build it with :func:`analyze`. It is immutable; two results are equal when
    their SSIM and parameters are equal, and then every table is identical.
    Tables are computed when first used. Orientation everywhere: row i,
    column j is 1 when factor i influences (reaches) factor j.

    Attributes
    ----------
    ssim : SSIM
        The judgments analysed.
    params : mapping
        The options used (MICMAC threshold and boundary rule, the boundaries
        they gave) and the library version.

    Every computed attribute has the name of the function that computes it
    (computed when first used): ``final_reachability``
    (:func:`ism_health.transitive_closure`), ``level_partition``,
    ``partition_iterations``, ``canonical_matrix``, ``micmac_analysis``,
    ``ism_digraph`` and ``strongly_connected_sets``. The 0.1 names ``levels``,
    ``partition``, ``canonical``, ``micmac``, ``digraph`` and ``cycles`` are
    aliases of them.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> result = analyze(load_example("worked"))
    >>> result
    <ISMResult: 8 factors, 5 levels, 1 cycle(s); .summary() for the report>
    >>> result.cycles, int(result.transitive.to_numpy().sum())
    ([('F4', 'F5')], 13)
    >>> result.canonical.index.tolist()
    ['F6', 'F4', 'F5', 'F8', 'F2', 'F3', 'F1', 'F7']
    """

    ssim: SSIM
    params: MappingProxyType = field(compare=True)
    #: The closure when :func:`analyze` already computed it (for ``micmac_threshold="mean"``); else None.
    _closure: np.ndarray | None = field(default=None, repr=False, compare=False)
    #: The panel behind the SSIM (an ``experts.study.PanelAggregation``) when the result comes from
    #: ``Panel.analyze``; its tables then join the workbook and the report.
    panel: Any = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------------ matrices
    @cached_property
    def _fused(self) -> tuple[np.ndarray, np.ndarray]:
        # closure and result-rule levels from one kernel pass; every table below reuses them
        if self._closure is not None:
            return self._closure, level_numbers(self._closure)
        return _closure_with_levels(self.ssim.adjacency)

    @property
    def _frm(self) -> np.ndarray:
        return self._fused[0]

    _index = cached_property(lambda self: pd.Index(list(self.ssim.labels)))  # shared by every table (immutable)

    def _frame(self, values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=self._index, columns=self._index, copy=False)

    @cached_property
    def initial_reachability(self) -> pd.DataFrame:
        """Initial reachability matrix: direct relations, reflexive, 0/1."""
        return self.ssim.initial_reachability().astype(np.int8)

    @cached_property
    def final_reachability(self) -> pd.DataFrame:
        """Final reachability matrix: the reflexive transitive closure, 0/1 (:func:`ism_health.transitive_closure`)."""
        return self._frame(self._frm.astype(np.int8))

    _added = cached_property(lambda r: transitive_additions(r.ssim.adjacency | np.eye(len(r._frm), dtype=bool), r._frm))

    @cached_property
    def transitive(self) -> pd.DataFrame:
        """True where an entry of the final matrix was added by transitivity (the 1*)."""
        return self._frame(self._added)

    @cached_property
    def final_reachability_marked(self) -> pd.DataFrame:
        """The final matrix as papers print it: ``"1"``, ``"1*"`` (added by transitivity) or ``"0"``.

        One object block whose cells all point to three shared strings (8 bytes a cell, no string made
        per cell), taken by the codes 0 / 1 / 2 = ``final_reachability + transitive``.
        """
        codes = self._frm.view(np.uint8) + self._added.view(np.uint8)
        return pd.DataFrame(_MARKS.take(codes.astype(np.intp)), self._index, self._index, dtype=object, copy=False)

    # ------------------------------------------------------------------ levels
    @cached_property
    def level_partition(self) -> pd.Series:
        """Level of every factor, 1 = top of the hierarchy (:func:`ism_health.level_partition`).

        By the extraction rule of ``params["extraction"]`` (see :func:`analyze`).
        """
        rule = self.params.get("extraction", "result")
        frm, result_levels = self._fused
        levels = result_levels if rule == "result" else _levels_by_rule(frm, rule, result_levels)
        return pd.Series(levels, index=self._index, name="level", copy=False)

    @property
    def levels(self) -> pd.Series:
        """Alias of :attr:`level_partition` (the 0.1 name)."""
        return self.level_partition

    @cached_property
    def partition_iterations(self) -> pd.DataFrame:
        """Every level-partition iteration table, in one long DataFrame (:func:`ism_health.partition_iterations`)."""
        frm, result_levels = self._fused
        return _partition_table(frm, self.ssim.labels, self.params.get("extraction", "result"), result_levels)

    @property
    def partition(self) -> pd.DataFrame:
        """Alias of :attr:`partition_iterations` (the 0.1 name)."""
        return self.partition_iterations

    @cached_property
    def canonical_matrix(self) -> pd.DataFrame:
        """The final reachability matrix ordered by level, level 1 first (:func:`ism_health.canonical_matrix`)."""
        return _canonical(self._frm, self._index, self.level_partition.to_numpy())

    @property
    def canonical(self) -> pd.DataFrame:
        """Alias of :attr:`canonical_matrix` (the 0.1 name)."""
        return self.canonical_matrix

    @cached_property
    def strongly_connected_sets(self) -> list[tuple[str, ...]]:
        """Sets of two or more factors that all reach one another, merged in the digraph
        (:func:`ism_health.strongly_connected_sets`)."""
        members = _components(self._frm)
        return [tuple(self.ssim.labels[k] for k in m) for m in members if len(m) > 1]

    @property
    def cycles(self) -> list[tuple[str, ...]]:
        """Alias of :attr:`strongly_connected_sets` (the 0.1 name)."""
        return self.strongly_connected_sets

    # ------------------------------------------------------------------ MICMAC
    @property
    def micmac(self) -> pd.DataFrame:
        """Alias of :attr:`micmac_analysis` (the 0.1 name)."""
        return self.micmac_analysis

    @cached_property
    def micmac_analysis(self) -> pd.DataFrame:
        """The MICMAC table (:func:`ism_health.micmac_analysis`), with each factor's level."""
        driving, dependence = driving_dependence(self._frm)
        bounds = (self.params["dependence_boundary"], self.params["driving_boundary"])
        table = micmac_table(driving, dependence, self.ssim.labels, bounds, self.params["on_boundary"])
        table["level"] = self.levels.to_numpy()
        return table

    # ------------------------------------------------------------------ structure
    @property
    def digraph(self) -> nx.DiGraph:
        """Alias of :attr:`ism_digraph` (the 0.1 name)."""
        return self.ism_digraph

    _graph_parts = cached_property(lambda r: _digraph_parts(r._frm, r.ssim.labels, r.levels.to_numpy(), r._fused[1]))

    @property
    def ism_digraph(self) -> nx.DiGraph:
        """The ISM model: cycles merged, transitive links removed, nodes carry ``level``.

        Computed by :func:`ism_health.ism_digraph`; every read builds a new graph the caller may edit.
        """
        return _build_digraph(self._graph_parts)

    def explain(self, source: str, target: str) -> list[str]:
        """A shortest chain of direct judgments by which ``source`` reaches ``target``.

        Use it to see why an entry of the final matrix is 1* (added by transitivity).

        Raises
        ------
        NotReachableError
            When ``source`` does not reach ``target``.

        Examples
        --------
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> result = analyze(load_example("worked"))
        >>> result.final_reachability_marked.loc["F1", "F6"]
        '1*'
        >>> result.explain("F1", "F6")
        ['F1', 'F2', 'F4', 'F5', 'F6']
        """
        labels = self.ssim.labels
        i, j = self.ssim._position(source), self.ssim._position(target)
        try:
            chain = explain(self.ssim.adjacency, i, j)
        except NotReachableError:
            raise NotReachableError(f"{source!r} does not reach {target!r}: no chain of direct judgments.") from None
        return [labels[k] for k in chain]

    def to_networkx(self) -> nx.DiGraph:
        """A copy of :attr:`digraph` that the caller may modify.

        Examples
        --------
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> g = analyze(load_example("worked")).to_networkx()
        >>> g.nodes["F4 + F5"]["members"], g.number_of_edges()
        ('F4; F5', 7)
        """
        return self.digraph.copy()

    # ------------------------------------------------------------------ text
    def summary(self) -> str:
        """A plain-text report a user can paste: levels, cycles, MICMAC clusters.

        Examples
        --------
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> print(analyze(load_example("worked")).summary())  # doctest: +ELLIPSIS
        ISM analysis of 8 factors (ism_health ...)
        ...
        Levels (1 = top of the hierarchy)
          Level 1: F6
          Level 2: F4, F5, F8
          Level 3: F2, F3
          Level 4: F1
          Level 5: F7
        ...
        """
        return summary_text(self)

    def __repr__(self) -> str:
        return (
            f"<ISMResult: {self.ssim.n} factors, {int(self.levels.max())} levels, "
            f"{len(self.cycles)} cycle(s); .summary() for the report>"
        )

    def _repr_html_(self) -> str:
        return (
            f"<h4>ISM analysis of {self.ssim.n} factors</h4>"
            f"<pre>{html.escape(self.summary())}</pre>"
            f"<details><summary>Final reachability matrix (1* = added by transitivity)</summary>"
            f"{self.final_reachability_marked.to_html()}</details>"
        )

    # ================================================================== outputs (figures, tables, report)
    # Thin delegates to ism_health.plotting, ism_health.export and ism_health.report.
    def plot_micmac(self, ax: Any = None, **style: Any) -> Any:
        """The MICMAC map; see :func:`ism_health.plotting.plot_micmac`.

        Examples
        --------
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> ax = analyze(load_example("worked")).plot_micmac()
        >>> sorted(ax.ism_quadrants)
        ['autonomous', 'dependent', 'independent', 'linkage']
        """
        return plotting.plot_micmac(self, ax=ax, **style)

    def plot_hierarchy(self, ax: Any = None, *, codes: Any = False, **style: Any) -> Any:
        """The ISM hierarchy diagram; see :func:`ism_health.plotting.plot_hierarchy`.

        Examples
        --------
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> ax = analyze(load_example("worked")).plot_hierarchy(codes=True)
        >>> len(ax.ism_arrows), len(ax.get_legend().get_texts())
        (7, 8)
        """
        return plotting.plot_hierarchy(self, ax=ax, codes=codes, **style)

    def plot_matrix(self, which: Literal["initial", "final", "canonical"] = "final", ax: Any = None, **style: Any) -> Any:
        """A reachability matrix heatmap; see :func:`ism_health.plotting.plot_matrix`.

        Examples
        --------
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> ax = analyze(load_example("worked")).plot_matrix("final")
        >>> sum(t.get_text() == "1*" for t in ax.ism_cells.values())
        13
        """
        return plotting.plot_matrix(self, which, ax=ax, **style)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, as papers report them; see :func:`ism_health.tables.result_tables`.

        Examples
        --------
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> analyze(load_example("worked")).tables()["levels"].shape
        (5, 2)
        """
        return tables.result_tables(self)

    def to_excel(self, path: str | os.PathLike[str], *, extras: Any = ()) -> Any:
        """One workbook with every table; see :func:`ism_health.export.write_excel`.

        ``extras``: method results (fuzzy or Godet MICMAC, AISM levels,
        DEMATEL, TISM, robustness, audit) whose tables are added as sheets,
        named with their method's prefix (unique, at most 31 characters).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> analyze(load_example("worked")).to_excel(pathlib.Path(tempfile.mkdtemp()) / "ism.xlsx").suffix
        '.xlsx'
        """
        path = export.write_excel(self, path)
        return _method_outputs.append_sheets(path, extras) if extras else path

    def to_csv(self, folder: str | os.PathLike[str]) -> list[Any]:
        """One formula-safe CSV file per table; see :func:`ism_health.export.write_csv`.

        Examples
        --------
        >>> import tempfile
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> len(analyze(load_example("worked")).to_csv(tempfile.mkdtemp()))
        13
        """
        return export.write_csv(self, folder)

    def to_latex(self, folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
        """Booktabs LaTeX tables; see :func:`ism_health.export.latex_tables`.

        Examples
        --------
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> "toprule" in analyze(load_example("worked")).to_latex()["micmac"]
        True
        """
        return export.latex_tables(self, folder)

    def to_markdown(self, folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
        """Markdown tables; see :func:`ism_health.export.markdown_tables`.

        Examples
        --------
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> analyze(load_example("worked")).to_markdown()["factors"].splitlines()[2]
        '| Code | Factor | Level | Cluster |'
        """
        return export.markdown_tables(self, folder)

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """The whole result as JSON; see :func:`ism_health.export.result_to_json`.

        Examples
        --------
        >>> from ism_health import ISMResult, analyze
        >>> from ism_health.datasets import load_example
        >>> result = analyze(load_example("worked"))
        >>> ISMResult.from_json(result.to_json()) == result
        True
        """
        return export.result_to_json(self, path)

    @classmethod
    def from_json(cls, source: str | os.PathLike[str]) -> ISMResult:
        """Load a result written by :meth:`to_json` (checked table by table); see :func:`result_from_json`.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health import ISMResult, analyze
        >>> from ism_health.datasets import load_example
        >>> result = analyze(load_example("worked"), on_boundary="high")
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "result.json"
        >>> _ = result.to_json(path)
        >>> ISMResult.from_json(path) == result
        True
        """
        return result_from_json(source)

    def to_html(
        self,
        path: str | os.PathLike[str],
        *,
        title: str | None = None,
        source: str | os.PathLike[str] | None = None,
        date: Any = None,
        extras: Any = (),
    ) -> Any:
        """A self-contained HTML report; see :func:`ism_health.report.write_html`.

        ``title``, ``source`` (the input file) and ``date`` are recorded in the
        header; ``date=None`` is ``SOURCE_DATE_EPOCH`` or today, ``date=False``
        leaves it out (pass a date for byte-identical reports on any day).
        ``extras``: method results, each added as a section (its summary,
        figures and tables) before the options.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> path = analyze(load_example("worked")).to_html(pathlib.Path(tempfile.mkdtemp()) / "report.html",
        ...                                                title="Worked example", date="2025-03-01")
        >>> page = path.read_text(encoding="utf-8")
        >>> 'id="micmac"' in page, "<h1>Worked example</h1>" in page, "2025-03-01" in page
        (True, True, True)
        """
        return report.write_html(
            self, path, title=title, source=source, date=date, extras=_method_outputs.extra_sections(extras)
        )

    def to_graphml(self, path: str | os.PathLike[str]) -> Any:
        """The ISM digraph as GraphML (yEd, Gephi); see :func:`ism_health.export.write_graphml`.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import networkx as nx
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> path = analyze(load_example("worked")).to_graphml(pathlib.Path(tempfile.mkdtemp()) / "ism.graphml")
        >>> nx.read_graphml(path).nodes["F4 + F5"]["members"]
        'F4; F5'
        """
        return export.write_graphml(self, path)

    def to_dot(self, path: str | os.PathLike[str], *, title: str | None = None) -> Any:
        """The ISM digraph as Graphviz DOT; see :func:`ism_health.export.write_dot`.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> path = analyze(load_example("worked")).to_dot(pathlib.Path(tempfile.mkdtemp()) / "ism.dot")
        >>> path.read_text(encoding="utf-8").startswith("digraph ISM {")
        True
        """
        return export.write_dot(self, path, title=title)

    def to_interactive_html(self, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
        """The interactive diagram, one self-contained offline HTML file; see
        :func:`ism_health.interactive.write_interactive_html`.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> path = analyze(load_example("worked")).to_interactive_html(pathlib.Path(tempfile.mkdtemp()) / "ism.html")
        >>> 'id="ism-data"' in path.read_text(encoding="utf-8")
        True
        """
        return interactive.write_interactive_html(self, path, title=title)

    def to_docx(self, path: str | os.PathLike[str], *, title: str | None = None, figures: bool = True) -> Path:
        """A Word document: methods with citations, tables, figures; see :func:`ism_health.word.write_docx`.

        Needs ``pip install "ism_health[docx]"`` (python-docx).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> from ism_health.word import docx_available
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "ism.docx"
        >>> if docx_available():
        ...     _ = analyze(load_example("worked")).to_docx(path, figures=False)
        ... else:
        ...     _ = path.write_bytes(b"PK")
        >>> path.read_bytes()[:2]
        b'PK'
        """
        return word.write_docx(self, path, title=title, figures=figures)

    def save(
        self,
        folder: str | os.PathLike[str],
        *,
        formats: Any = None,
        force: bool = False,
        title: str | None = None,
        source: str | os.PathLike[str] | None = None,
        date: Any = None,
        figure_titles: bool = True,
        extras: Any = (),
    ) -> list[Any]:
        """Write the whole bundle (tables, figures, report); see :func:`ism_health.bundle.write_bundle`.

        ``extras``: method results whose tables, figures and report sections join the bundle.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health import analyze
        >>> from ism_health.datasets import load_example
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "bundle"
        >>> files = analyze(load_example("worked")).save(folder, formats="xlsx,html")
        >>> sorted(p.name for p in files)
        ['ism_result.xlsx', 'report.html', 'summary.txt']
        """
        return bundle.write_bundle(
            self, folder, formats=formats, force=force, title=title, source=source, date=date,
            figure_titles=figure_titles, extras=extras,
        )

    # ================================================================== end of outputs


#: The computed attributes an :class:`ISMResult` hands out as copies: an edit by the caller
#: (``result.levels.iloc[0] = 99``) must never reach the cached table that the summary and every export
#: read (docs/guarantees.md). pandas >= 3 copies on write, so a shallow copy (with views of its axes) is
#: as independent as a deep one, at no cost. The digraph is rebuilt per read from its cached parts.
_HANDED_OUT_AS_COPIES = ("initial_reachability", "final_reachability", "transitive", "final_reachability_marked",
                         "level_partition", "partition_iterations", "canonical_matrix", "strongly_connected_sets",
                         "micmac_analysis")
_DEEP = int(pd.__version__.split(".")[0]) < 3


def _hand_out_copies(cls: type, names: tuple[str, ...]) -> None:
    """Wrap each cached attribute of ``cls`` in a property that returns a copy of the cached value."""
    for name in names:
        cached = cls.__dict__[name]

        def get(self: Any, _cached: Any = cached) -> Any:
            value = _cached.__get__(self, type(self))
            if isinstance(value, list) or _DEEP:
                return list(value) if isinstance(value, list) else value.copy()
            out = value.copy(deep=False)  # (shares the axes: views of them, so a renamed index stays the copy's)
            for axis in ("index", "columns") if isinstance(out, pd.DataFrame) else ("index",):
                setattr(out, axis, getattr(out, axis).view())
            return out

        setattr(cls, name, property(get, doc=cached.__doc__))


_hand_out_copies(ISMResult, _HANDED_OUT_AS_COPIES)


def analyze(
    ssim: SSIM | str | os.PathLike[str],
    *,
    micmac_threshold: Threshold = "half",
    on_boundary: Literal["low", "high"] = "low",
    extraction: Rule = "result",
) -> ISMResult:
    """Run the whole ISM analysis on an SSIM.

    Parameters
    ----------
    ssim : SSIM or path
        The judgments (an :class:`SSIM`, or a CSV / XLSX / JSON file read with
        :func:`ism_health.read_ssim`).
    micmac_threshold : "half", "mean", number or (dependence, driving) pair
        MICMAC axis boundaries; default n / 2 on both axes.
    on_boundary : {"low", "high"}
        Where a power exactly on a boundary goes (always flagged).
    extraction : {"result", "cause", "alternating"}
        The level extraction rule (:func:`ism_health.level_partition`'s
        ``rule``): top-down (Warfield's, the default), bottom-up, or
        alternating. Levels are numbered 1 = top whatever the rule; the rule is
        recorded in ``params["extraction"]``, the summary and the JSON.

    Returns
    -------
    ISMResult

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> result = analyze(load_example("worked"))
    >>> result.levels.to_dict()
    {'F1': 4, 'F2': 3, 'F3': 3, 'F4': 2, 'F5': 2, 'F6': 1, 'F7': 5, 'F8': 2}
    >>> result.final_reachability_marked.loc["F7"].tolist()
    ['1', '1*', '1*', '1*', '1*', '1*', '1', '0']
    >>> result.micmac.loc[["F1", "F6"], ["driving_power", "dependence_power", "cluster"]]
        driving_power  dependence_power      cluster
    F1              6                 2  independent
    F6              1                 8    dependent
    """
    if isinstance(ssim, (str, os.PathLike)):
        ssim = read_ssim(ssim)
    if not isinstance(ssim, SSIM):
        raise ISMInputError(
            f"analyze() needs an SSIM (SSIM.from_symbols, SSIM.from_matrix, SSIM.from_pairs, read_ssim) "
            f"or a file path; got {type(ssim).__name__}."
        )
    check_choice("on_boundary", on_boundary, ("low", "high"))
    check_choice("extraction", extraction, RULES)
    # Boundaries depend on the powers only for "mean": then the closure is computed once, here.
    frm = None
    driving = dependence = np.zeros(0)
    if isinstance(micmac_threshold, str) and micmac_threshold == "mean":
        frm = transitive_closure(ssim.adjacency)
        driving, dependence = driving_dependence(frm)
    threshold = check_threshold(micmac_threshold)  # plain Python values: the params serialise to JSON
    x_b, y_b = micmac_boundaries(driving, dependence, ssim.n, threshold)  # type: ignore[arg-type]  # a list pair
    params = {
        "micmac_threshold": threshold,
        "on_boundary": on_boundary,
        "dependence_boundary": x_b,
        "driving_boundary": y_b,
        "extraction": extraction,
        "version": __version__,
    }
    return ISMResult(ssim, MappingProxyType(params), _closure=frm)


def _plain(value: Any) -> Any:
    """An option as plain JSON-ready Python values: numpy scalars -> int / float, a pair -> a list."""
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


#: Longest integer a result file may hold (a written result's numbers have a few digits): a longer one
#: is refused with a located error, before Python's own limit raises a bare ValueError.
_MAX_DIGITS = 400


def _load_result_json(text: str, where: str | None) -> Any:
    """Parse result JSON text; deep nesting, huge numbers and syntax errors become located errors."""

    def integer(digits: str) -> int:
        if len(digits) > _MAX_DIGITS:
            raise ISMInputError(
                f"holds a number of {len(digits):,} digits ({digits[:12]}...); a result file holds short numbers.",
                source=where,
            )
        return int(digits)

    try:
        return json.loads(text, parse_int=integer)
    except ISMInputError:
        raise
    except RecursionError:
        raise ISMInputError(
            "the JSON nests too deeply to be a result file (a result nests 5 levels).", source=where
        ) from None
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise ISMInputError(f"not valid JSON ({exc}).", source=where) from None


def _expect(value: Any, kind: type | tuple[type, ...], what: str, where: str | None) -> Any:
    """``value`` when it is a ``kind``; else a located error naming the key and what was found."""
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        found = "null" if value is None else type(value).__name__
        raise ISMInputError(f"{what}; found {found}.", source=where)
    return value


def result_from_json(source: str | os.PathLike[str]) -> ISMResult:
    """Load a result written by :func:`ism_health.export.result_to_json` (a path, or the JSON text itself).

    The result is recomputed from the stored SSIM and parameters with
    :func:`ism_health.analyze`, and every stored table is checked against the
    recomputed one.

    Raises
    ------
    ISMInputError
        Not a result file, or a stored table differs from the recomputed one
        (the file was edited, or written by a version that computes differently).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import result_to_json
    >>> from ism_health.result import result_from_json
    >>> result = analyze(load_example("worked"), micmac_threshold="mean")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "result.json"
    >>> _ = result_to_json(result, path)
    >>> result_from_json(path) == result
    True
    """
    where: str | None
    if not isinstance(source, (str, os.PathLike)):
        raise ISMInputError(
            f"result_from_json needs a path or the JSON text of a result; got {type(source).__name__}."
        )
    if isinstance(source, os.PathLike) or not source.lstrip().startswith(("{", "[")):
        where = str(source)
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ISMInputError("no such file.", source=where) from None
        except IsADirectoryError:
            raise ISMInputError(
                "is a folder; expected a result file (.json) written by to_json.", source=where
            ) from None
        except UnicodeDecodeError as exc:
            raise ISMInputError(f"cannot read as UTF-8 text ({exc.reason}).", source=where) from None
        except (OSError, ValueError) as exc:  # permissions, a NUL in the name, a name too long
            raise ISMInputError(f"cannot be read ({exc}).", source=where) from None
    else:
        where, text = None, str(source)
    data = _load_result_json(text, where)
    fmt = data.get("format") if isinstance(data, dict) else None
    if isinstance(fmt, str) and fmt.startswith(RESULT_JSON.split("/")[0] + "/") and fmt != RESULT_JSON:
        raise ISMInputError(
            f'format version "{fmt}" is unknown to ism_health {__version__}, which reads "{RESULT_JSON}".',
            source=where,
        )
    if not isinstance(data, dict) or fmt != RESULT_JSON:
        raise ISMInputError(f'not an ism_health result: expected "format": "{RESULT_JSON}".', source=where)
    missing = [key for key in ("params", "ssim", "tables") if key not in data]
    if missing:
        raise ISMInputError(f"incomplete result file (missing {', '.join(map(repr, missing))}).", source=where)
    params = _expect(data["params"], dict, '"params" must be an object of options', where)
    ssim_data = _expect(data["ssim"], dict, '"ssim" must be an object with "labels" and "pairs"', where)
    stored = _expect(data["tables"], dict, '"tables" must be an object of tables by name', where)
    for key in ("micmac_threshold", "on_boundary"):
        if key not in params:
            raise ISMInputError(f'incomplete result file (missing "params"."{key}").', source=where)
    labels = _expect(ssim_data.get("labels"), list, '"ssim"."labels" must be a list of factor names', where)
    pairs = _expect(ssim_data.get("pairs"), list, '"ssim"."pairs" must be a list of [row, column, symbol]', where)
    for pos, label in enumerate(labels, start=1):
        _expect(label, str, f'"ssim"."labels" entry {pos} must be a factor name (text)', where)
    for pos, record in enumerate(pairs, start=1):
        _expect(record, list, f'"ssim"."pairs" entry {pos} must be a list [row, column, symbol]', where)
        if len(record) != 3 or not all(isinstance(x, str) for x in record):
            raise ISMInputError(
                f'"ssim"."pairs" entry {pos} must be three texts [row, column, symbol]; found {record!r:.80}.',
                source=where,
            )
    try:
        ssim = SSIM.from_pairs(pairs, labels=labels, source=where)
        extraction = params.get("extraction", "result")  # files of 0.1 have no rule: Warfield's
        result = analyze(
            ssim, micmac_threshold=params["micmac_threshold"], on_boundary=params["on_boundary"], extraction=extraction
        )
    except ISMInputError as exc:
        if exc.source is not None:
            raise
        raise ISMInputError([f'"params": {p}' for p in exc.problems], source=where) from None
    fresh = json.loads(json.dumps(result_payload(result)["tables"], ensure_ascii=False))
    problems = []
    for name in sorted(set(fresh) | set(stored)):
        if name == "parameters":
            continue  # holds the library version; compared below without it
        if name.startswith("panel_"):
            continue  # a panel's tables (Panel.analyze) are data about the experts, not computed from the SSIM
        if fresh.get(name) != stored.get(name):
            problems.append(f"table {name!r} differs from the one recomputed from the stored SSIM and parameters.")
    mine = {k: v for k, v in dict(result.params).items() if k != "version"}
    theirs = {"extraction": "result", **{k: v for k, v in params.items() if k != "version"}}
    if json.loads(json.dumps(mine)) != theirs:
        problems.append(f"stored parameters {theirs} differ from the recomputed {mine}.")
    if problems:
        raise ISMInputError(problems, source=where)
    return result
