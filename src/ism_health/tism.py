"""TISM: total interpretive structural modelling (Sushil 2012), every link with its interpretation.

TISM keeps the ISM machinery (SSIM -> reachability -> levels -> digraph) and adds,
for every direct link "i influences j", the experts' answer to *how* or *why*
(the interpretation), and keeps in the diagram the transitive links (the "1*"
entries of the final reachability matrix) that the experts judged significant.

Orientation as everywhere in the package: a link (source, target) means the
source influences the target; an edge u -> v points from the driver to the driven.

Cycles: the ISM digraph merges the factors of a cycle into one node. Links
between two members of the same merged node (direct, or significant transitive)
are kept on that node as its ``internal`` attribute, a tuple of
``(source, target, interpretation, transitive)``; an edge between two nodes
carries every underlying factor-to-factor link in its ``links`` attribute, and
its ``interpretation`` is the single link's text or, when several factor links
make up the edge (into or out of a merged node), the texts as
``"source -> target: text"`` joined by ``"; "``.

A panel's interpretations (the questionnaire asked with ``interpretations=True``
and read by :func:`~ism_health.read_panel`) are merged by one rule
(:func:`merge_interpretations`): for each link, the distinct texts of the
experts who answered yes, in expert order, joined by ``" | "``. A text no
link of the model can carry (an expert who was outvoted, or who answered no)
is kept in :attr:`TISMResult.unused`, never dropped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from ._method_outputs import Figure, MethodOutputs
from .digraph import digraph_members, ism_digraph
from .exceptions import ISMInputError
from .experts.panel import INTERPRETATION_COLUMNS
from .reachability import transitive_closure
from .ssim import SSIM

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["TISMResult", "tism", "read_interpretations", "merge_interpretations", "plot_tism", "tism_tables",
           "JOIN"]

_COLUMNS = ("source", "target", "interpretation")
#: What joins the distinct texts of several experts on one link.
JOIN = " | "
#: Why a panel's text is not used (status of :attr:`Panel.interpretations` -> reason in :attr:`TISMResult.unused`).
_UNUSED_STATUS = {"no link": "the expert answered that this link does not hold",
                  "unanswered": "the expert left the pair unanswered"}
_NOT_A_LINK = "not a link of the model (the panel decided no)"
#: Every status a row of :attr:`Panel.interpretations` may have.
_STATUSES = ("given", "missing", *_UNUSED_STATUS)
_UNUSED_COLUMNS = [*INTERPRETATION_COLUMNS[:4], "reason"]


@dataclass(frozen=True, eq=False)
class TISMResult(MethodOutputs):
    """The outcome of :func:`tism`.

    Attributes
    ----------
    labels : tuple of str
    missing : tuple of (str, str)
        Kept links (direct, then significant transitive) that have no interpretation.
    significant_transitive : tuple of (str, str)
        The transitive links kept in the diagram.
    unused : tuple of (expert, source, target, interpretation, reason)
        A panel's texts that no link carries: written for a link the expert
        answered no to, on a pair left unanswered, or for a pair that is no
        link of the model (the panel decided otherwise). Empty for a plain
        ``{(source, target): text}``, where such a text is an error.

    Examples
    --------
    >>> from ism_health import SSIM
    >>> from ism_health.tism import tism
    >>> s = SSIM.from_matrix([[1, 1, 0], [0, 1, 1], [0, 0, 1]], labels=["Law", "Trust", "Use"])
    >>> r = tism(s, {("Law", "Trust"): "sets the rules patients rely on"}, significant_transitive=[("Law", "Use")])
    >>> r.missing  # a kept link, direct or significant transitive, without a text
    (('Trust', 'Use'), ('Law', 'Use'))
    >>> r.interpretive_matrix.loc["Law"].tolist()
    ['-', 'sets the rules patients rely on', '1*']
    """

    labels: tuple[str, ...]
    missing: tuple[tuple[str, str], ...]
    significant_transitive: tuple[tuple[str, str], ...]
    unused: tuple[tuple[str, str, str, str, str], ...]
    _irm: np.ndarray = field(repr=False)
    _frm: np.ndarray = field(repr=False)
    _texts: Mapping[tuple[str, str], str] = field(repr=False)

    _output_title = "TISM"
    _output_prefix = "TISM"
    _output_stem = "tism"

    @property
    def interpretive_matrix(self) -> pd.DataFrame:
        """n x n text: a direct link's interpretation (``"1"`` when none was given), ``"1*"`` for a transitive
        link (``"1*: text"`` when it is significant and interpreted), ``"0"`` for no link, ``"-"`` on the diagonal."""
        labs = list(self.labels)
        out = pd.DataFrame("0", index=labs, columns=labs, dtype=object)
        sig = set(self.significant_transitive)
        for i, s in enumerate(labs):
            for j, t in enumerate(labs):
                if i == j:
                    out.iat[i, j] = "-"
                elif self._irm[i, j]:
                    out.iat[i, j] = self._texts.get((s, t), "") or "1"
                elif self._frm[i, j]:
                    text = self._texts.get((s, t), "")
                    out.iat[i, j] = f"1*: {text}" if (s, t) in sig and text else "1*"
        return out

    @property
    def knowledge_base(self) -> pd.DataFrame:
        """The interpretive logic knowledge base: one row per ordered pair of distinct factors.

        Columns: ``source``, ``target``, ``answer`` ("Y": the source directly
        influences the target, else "N"), ``transitive`` (the pair is a 1*
        entry), ``kept`` (part of the TISM model: every direct link and the
        significant transitive ones), ``in_digraph`` (an edge of :attr:`digraph`
        carries it; a direct link implied by others is dropped by the ISM
        transitive reduction, like any redundant link), ``interpretation``.
        """
        labs = list(self.labels)
        sig = set(self.significant_transitive)
        g = self.digraph
        drawn = {p for _, _, d in g.edges(data=True) for p in d["links"]}
        drawn |= {(s, t) for _, internal in g.nodes(data="internal") for s, t, _, _ in internal}
        rows = []
        for i, s in enumerate(labs):
            for j, t in enumerate(labs):
                if i == j:
                    continue
                direct = bool(self._irm[i, j])
                trans = bool(self._frm[i, j]) and not direct
                rows.append(
                    {
                        "source": s,
                        "target": t,
                        "answer": "Y" if direct else "N",
                        "transitive": trans,
                        "kept": direct or (s, t) in sig,
                        "in_digraph": (s, t) in drawn,
                        "interpretation": self._texts.get((s, t), ""),
                    }
                )
        out = pd.DataFrame(rows, columns=["source", "target", "answer", "transitive", "kept", "in_digraph", "interpretation"])
        out.index = pd.RangeIndex(1, len(out) + 1, name="pair")
        return out

    @property
    def digraph(self) -> nx.DiGraph:
        """The TISM digraph: the ISM digraph plus the significant transitive links.

        Nodes as in :func:`ism_health.ism_digraph` (``members``, ``level``,
        ``label``) plus ``internal``: the links inside a merged cycle node.
        Every edge carries ``interpretation`` (str), ``transitive`` (bool: True
        only for an edge added for significant transitive links) and ``links``
        (the factor pairs behind the edge). A new graph on each access.
        """
        return _tism_digraph(self)

    def summary(self) -> str:
        """A short text report.

        Examples
        --------
        >>> from ism_health import SSIM
        >>> from ism_health.tism import tism
        >>> s = SSIM.from_matrix([[1, 1, 0], [0, 1, 1], [0, 0, 1]], labels=["Law", "Trust", "Use"])
        >>> print(tism(s, {("Law", "Trust"): "rules", ("Trust", "Use"): "confidence"}).summary())
        TISM of 3 factors: 2 direct links, 1 transitive (0 kept as significant)
          interpreted: 2 of 2 kept links; missing: none
        """
        direct = int(self._irm.sum())
        trans = int((self._frm & ~self._irm & ~np.eye(len(self.labels), dtype=bool)).sum())
        kept = direct + len(self.significant_transitive)
        missing = ", ".join(f"{s} -> {t}" for s, t in self.missing) or "none"
        unused = f"\n  texts on no link of the model: {len(self.unused)} (see .unused)" if self.unused else ""
        return (
            f"TISM of {len(self.labels)} factors: {direct} direct links, {trans} transitive "
            f"({len(self.significant_transitive)} kept as significant)\n"
            f"  interpreted: {kept - len(self.missing)} of {kept} kept links; missing: {missing}{unused}"
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables of :func:`tism_tables`, the knowledge base among them (title -> new DataFrame).

        Examples
        --------
        >>> from ism_health import SSIM
        >>> from ism_health.tism import tism
        >>> s = SSIM.from_matrix([[1, 1], [0, 1]], labels=["Law", "Trust"])
        >>> list(tism(s, {("Law", "Trust"): "rules"}).tables())[:2]
        ['TISM interpretive matrix', 'TISM knowledge base']
        """
        return tism_tables(self)

    def figures(self) -> dict[str, Figure]:
        """The TISM digraph with its interpretations (:func:`plot_tism`): name -> function of an Axes.

        Examples
        --------
        >>> from ism_health import SSIM
        >>> from ism_health.tism import tism
        >>> s = SSIM.from_matrix([[1, 1], [0, 1]], labels=["Law", "Trust"])
        >>> tism(s, {("Law", "Trust"): "rules"}).figures()["TISM digraph"](None).get_title()
        'TISM digraph'
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        return {"TISM digraph": lambda ax: plot_tism(self, ax=ax)}

    def __repr__(self) -> str:
        return f"TISMResult({len(self.labels)} factors, {len(self.missing)} missing interpretation(s))"


# ---------------------------------------------------------------------------------------------- input
def read_interpretations(source: Any) -> dict[tuple[str, str], str]:
    """Interpretations as ``{(source, target): text}`` from a dict, a table, a file, or a panel's filled forms.

    ``source`` may be:

    * a dict ``{(source, target): text}``;
    * a table (DataFrame, CSV or XLSX file, first sheet) with the columns
      ``source``, ``target`` and ``interpretation`` (case and surrounding
      spaces in the headers ignored); a pair given twice is an error;
    * a panel's interpretations: a :class:`~ism_health.Panel`, its
      :attr:`~ism_health.Panel.interpretations` table (any table with an
      ``expert`` column), a filled questionnaire (``.xlsx`` / ``.xlsm``
      written with ``interpretations=True``) or a folder of them (read with
      :func:`~ism_health.read_panel`, ``missing="drop-pair"``). The texts are
      merged by :func:`merge_interpretations`; a ``status`` other than
      ``given``, ``missing``, ``no link`` or ``unanswered`` is an error.

    A blank interpretation counts as none.

    Examples
    --------
    >>> import pandas as pd
    >>> from ism_health.tism import read_interpretations
    >>> read_interpretations(pd.DataFrame({"Source": ["a"], "Target": ["b"], "Interpretation": [" funds "]}))
    {('a', 'b'): 'funds'}
    """
    rows, _ = _interpretation_rows(source)
    return merge_interpretations(pd.DataFrame(rows, columns=list(INTERPRETATION_COLUMNS)))


def merge_interpretations(table: pd.DataFrame) -> dict[tuple[str, str], str]:
    """One text per link from the texts of several experts: the distinct texts, in table order, joined by " | ".

    ``table`` has the columns ``source``, ``target``, ``interpretation``
    and, as :attr:`Panel.interpretations <ism_health.Panel.interpretations>`
    has them, ``expert`` and ``status``. Only the texts of links the expert
    answered yes to are merged (status ``"given"``, or no ``status`` column);
    a text repeated by several experts appears once; blank texts count as
    none. The texts written for a "no" are not merged: :func:`tism` lists
    them in :attr:`TISMResult.unused`.

    Examples
    --------
    >>> import pandas as pd
    >>> from ism_health.tism import merge_interpretations
    >>> table = pd.DataFrame(
    ...     [("ann", "Law", "Trust", "sets the rules", "given"), ("bob", "Law", "Trust", "protects data", "given"),
    ...      ("cy", "Law", "Trust", "sets the rules", "given"), ("cy", "Trust", "Law", "votes", "no link")],
    ...     columns=["expert", "source", "target", "interpretation", "status"])
    >>> merge_interpretations(table)
    {('Law', 'Trust'): 'sets the rules | protects data'}
    """
    if not isinstance(table, pd.DataFrame):
        raise ISMInputError(f"merge_interpretations needs a table (DataFrame); got {type(table).__name__}.")
    cols = {str(c).strip().lower(): c for c in table.columns}
    absent = [c for c in _COLUMNS if c not in cols]
    if absent:
        raise ISMInputError(f"the interpretations table needs the columns source, target, interpretation; "
                            f"missing: {', '.join(absent)}.")
    status = table[cols["status"]].tolist() if "status" in cols else ["given"] * len(table)
    out: dict[tuple[str, str], list[str]] = {}
    for s, t, text, st in zip(table[cols["source"]], table[cols["target"]], table[cols["interpretation"]], status):
        if st != "given":
            continue
        texts = out.setdefault((str(s).strip(), str(t).strip()), [])
        text = "" if _blank(text) else str(text).strip()
        if text and text not in texts:
            texts.append(text)
    return {key: JOIN.join(texts) for key, texts in out.items()}


def _blank(text: Any) -> bool:
    return text is None or (isinstance(text, float) and np.isnan(text)) or (isinstance(text, str) and not text.strip())


def _is_form(path: Path) -> bool:
    """True for a folder, or a workbook written by write_questionnaire (it has the hidden sheet ism_meta)."""
    if path.is_dir():
        return True
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return False
    from ._readers import open_workbook
    from .experts.questionnaire import _META_SHEET

    wb = open_workbook(path)
    try:
        return _META_SHEET in wb.sheetnames
    finally:
        wb.close()


def _interpretation_rows(source: Any) -> tuple[list[tuple[Any, str, str, str, str]], bool]:
    """(expert, source, target, text, status) rows, and whether they are a panel's (lenient: texts on no link
    of the model are listed, not refused)."""
    where: str | None = None
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        where = str(path)
        if _is_form(path):
            from .experts.forms import read_panel

            source = read_panel(path, missing="drop-pair")
        else:
            from ._cli_matrix import read_table_file

            source = read_table_file(path, what="table of interpretations")
    if hasattr(source, "interpretations") and hasattr(source, "experts"):  # a Panel
        source = source.interpretations
    if isinstance(source, pd.DataFrame):
        cols = {str(c).strip().lower(): c for c in source.columns}
        absent = [c for c in _COLUMNS if c not in cols]
        if absent:
            raise ISMInputError(
                f"the interpretations table needs the columns source, target, interpretation; "
                f"missing: {', '.join(absent)} (found: {', '.join(map(str, source.columns))}).",
                source=where,
            )
        panel = "expert" in cols
        records: list[tuple[Any, Any, Any, Any, str, int | None]] = [
            (row[cols["expert"]] if panel else None, row[cols["source"]], row[cols["target"]],
             row[cols["interpretation"]], str(row[cols["status"]]) if "status" in cols else "given", k + 2)
            for k, (_, row) in enumerate(source.iterrows())
        ]
    elif isinstance(source, Mapping):
        panel = False
        records = [(None, key[0], key[1], text, "given", None) if isinstance(key, tuple) and len(key) == 2
                   else (None, key, None, text, "given", None) for key, text in source.items()]
    else:
        raise ISMInputError(
            f"interpretations must be a dict {{(source, target): text}}, a DataFrame, a CSV/XLSX path, a Panel or "
            f"filled questionnaires; got {type(source).__name__}."
        )
    out: list[tuple[Any, str, str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    problems: list[str] = []
    for expert, s, t, text, status, line in records:
        at = f" (row {line})" if line is not None else ""
        if t is None:
            problems.append(f"interpretation key {s!r} is not a (source, target) pair.")
            continue
        key = (str(s).strip(), str(t).strip())
        if status not in _STATUSES:  # else its text would be neither used nor listed as unused
            problems.append(f"the link {key[0]!r} -> {key[1]!r}{at} has the status {status!r}; expected one of "
                            f"{', '.join(map(repr, _STATUSES))}.")
            continue
        if not panel:
            if key in seen:
                problems.append(f"the link {key[0]!r} -> {key[1]!r} has two interpretations{at}; give one.")
                continue
            seen.add(key)
        out.append((expert, key[0], key[1], "" if _blank(text) else str(text).strip(), status))
    if problems:
        raise ISMInputError(problems, source=where)
    return out, panel


def _pairs(items: Iterable[Any], what: str) -> list[tuple[str, str]]:
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise ISMInputError(f"{what} must be a list of (source, target) pairs; got {type(items).__name__}.")
    out = []
    for item in items:
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise ISMInputError(f"{what}: {item!r} is not a (source, target) pair.")
        out.append((str(item[0]).strip(), str(item[1]).strip()))
    return out


# ---------------------------------------------------------------------------------------------- the method
def tism(
    ssim: SSIM | str | os.PathLike[str],
    interpretations: Any,
    significant_transitive: Iterable[tuple[str, str]] = (),
) -> TISMResult:
    """Total interpretive structural modelling: the ISM of ``ssim`` with every link interpreted.

    Parameters
    ----------
    ssim : SSIM or path
        The judgments (a path is read with :func:`ism_health.read_ssim`).
    interpretations : dict, DataFrame, path or Panel
        ``{(source, target): text}``, or a table / CSV / XLSX file with the
        columns ``source``, ``target``, ``interpretation``. A pair must be a
        link of the model (direct, or transitive); a direct link without an
        interpretation is listed in :attr:`TISMResult.missing`, not an error.
        Or a panel's texts, as :func:`~ism_health.read_panel` returns them
        from questionnaires written with ``interpretations=True``: the
        ``Panel``, its ``interpretations`` table, a filled form or a folder
        of forms. They are merged by :func:`merge_interpretations` (distinct
        texts of the experts who answered yes, in expert order, joined by
        ``" | "``); a text that no link of the model carries is listed in
        :attr:`TISMResult.unused` with the reason, not an error.
    significant_transitive : iterable of (source, target)
        Transitive (1*) links the experts judged significant: kept in the
        digraph and the knowledge base as ``kept``.

    Returns
    -------
    TISMResult

    Raises
    ------
    ISMInputError
        An unknown factor, an interpretation for a pair that is not a link, or
        a "significant transitive" link that is direct or not a link at all.

    Examples
    --------
    >>> from ism_health import SSIM
    >>> from ism_health.tism import tism
    >>> s = SSIM.from_matrix([[1, 1, 0], [0, 1, 1], [0, 0, 1]], labels=["Law", "Trust", "Use"])
    >>> r = tism(s, {("Law", "Trust"): "rules", ("Trust", "Use"): "confidence", ("Law", "Use"): "mandates"},
    ...          significant_transitive=[("Law", "Use")])
    >>> sorted(r.digraph.edges(data="transitive"))
    [('Law', 'Trust', False), ('Law', 'Use', True), ('Trust', 'Use', False)]
    >>> tism(s, {}, significant_transitive=[("Law", "Trust")])
    Traceback (most recent call last):
    ...
    ism_health.exceptions.ISMInputError: significant_transitive: 'Law' -> 'Trust' is a direct link, not a transitive (1*) one.
    """
    if isinstance(ssim, (str, os.PathLike)):
        from .io import read_ssim

        ssim = read_ssim(ssim)
    if not isinstance(ssim, SSIM):
        raise ISMInputError(f"tism needs an SSIM (or the path of one); got {type(ssim).__name__}.")
    labels = list(ssim.labels)
    index = {lab: k for k, lab in enumerate(labels)}
    irm = np.array(ssim.adjacency, dtype=bool)
    np.fill_diagonal(irm, False)
    frm = np.array(transitive_closure(irm | np.eye(len(labels), dtype=bool)), dtype=bool)
    rows, lenient = _interpretation_rows(interpretations)
    problems: list[str] = []

    def known(pair: tuple[str, str], what: str) -> bool:
        bad = [x for x in pair if x not in index]
        for x in bad:
            problems.append(f"{what}: {pair[0]!r} -> {pair[1]!r} names the unknown factor {x!r}.")
        if not bad and pair[0] == pair[1]:
            problems.append(f"{what}: {pair[0]!r} -> {pair[1]!r} links a factor to itself.")
            return False
        return not bad

    usable: list[tuple[Any, str, str, str, str]] = []
    unused: list[tuple[str, str, str, str, str]] = []
    for expert, s, t, text, status in rows:
        if not known((s, t), "interpretations"):
            continue
        if status in _UNUSED_STATUS:
            if text:
                unused.append((str(expert), s, t, text, _UNUSED_STATUS[status]))
        elif not frm[index[s], index[t]]:
            if lenient and text:
                unused.append((str(expert), s, t, text, _NOT_A_LINK))
            elif not lenient:
                problems.append(f"interpretations: {s!r} -> {t!r} is not a link of the model "
                                f"({t!r} is not reachable from {s!r}).")
        else:
            usable.append((expert, s, t, text, status))
    texts = merge_interpretations(pd.DataFrame(usable, columns=list(INTERPRETATION_COLUMNS)))
    significant: list[tuple[str, str]] = []
    for pair in _pairs(significant_transitive, "significant_transitive"):
        if not known(pair, "significant_transitive"):
            continue
        i, j = index[pair[0]], index[pair[1]]
        if irm[i, j]:
            problems.append(f"significant_transitive: {pair[0]!r} -> {pair[1]!r} is a direct link, "
                            "not a transitive (1*) one.")
        elif not frm[i, j]:
            problems.append(f"significant_transitive: {pair[0]!r} -> {pair[1]!r} is not a link at all "
                            f"({pair[1]!r} is not reachable from {pair[0]!r}).")
        elif pair not in significant:
            significant.append(pair)
    if problems:
        raise ISMInputError(problems)
    kept = [(labels[i], labels[j]) for i, j in np.argwhere(irm)] + significant
    missing = tuple(p for p in kept if not texts.get(p))
    irm.setflags(write=False)
    frm.setflags(write=False)
    return TISMResult(
        labels=tuple(labels),
        missing=missing,
        significant_transitive=tuple(significant),
        unused=tuple(unused),
        _irm=irm,
        _frm=frm,
        _texts=dict(texts),
    )


def _tism_digraph(result: TISMResult) -> nx.DiGraph:
    labels = list(result.labels)
    g = ism_digraph(result._frm.astype(int), labels)
    node_of = {m: node for node, members in digraph_members(g).items() for m in members}
    for node in g.nodes:
        g.nodes[node]["internal"] = []
    for u, v in g.edges:
        g.edges[u, v].update(interpretation="", transitive=False, links=[])
    links = [((labels[i], labels[j]), False) for i, j in np.argwhere(result._irm)]
    links += [(pair, True) for pair in result.significant_transitive]
    for (s, t), trans in links:
        text = result._texts.get((s, t), "")
        u, v = node_of[s], node_of[t]
        if u == v:
            g.nodes[u]["internal"].append((s, t, text, trans))
        elif g.has_edge(u, v):
            g.edges[u, v]["links"].append((s, t, text))
        elif trans:
            g.add_edge(u, v, interpretation="", transitive=True, links=[(s, t, text)])
        # else: a direct link between nodes that the ISM digraph drops as transitive; not drawn
    for node in g.nodes:
        g.nodes[node]["internal"] = tuple(g.nodes[node]["internal"])
    for u, v, data in g.edges(data=True):
        items = data["links"]
        single = len(items) == 1 and (items[0][0], items[0][1]) == (u, v)
        data["interpretation"] = items[0][2] if single else "; ".join(f"{s} -> {t}: {x}" for s, t, x in items if x)
        data["links"] = tuple((s, t) for s, t, _ in items)
    return g


# ---------------------------------------------------------------------------------------------- figure, tables
def plot_tism(
    result: TISMResult,
    *,
    ax: Axes | None = None,
    numbered: bool | None = None,
    title: str | None = "TISM digraph",
    fontsize: float = 8.0,
) -> Axes:
    """The TISM hierarchy: one row per level (level 1 at the top), arrows with their interpretations.

    Significant transitive links are dashed. With ``numbered`` (default: when
    any interpretation is longer than 24 characters) the arrows carry numbers
    and a legend lists the texts.

    Parameters
    ----------
    result : TISMResult
    ax : matplotlib Axes, optional
    numbered : bool, optional
    title : str or None
    fontsize : float

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from ism_health import SSIM
    >>> from ism_health.tism import tism, plot_tism
    >>> s = SSIM.from_matrix([[1, 1, 0], [0, 1, 1], [0, 0, 1]], labels=["Law", "Trust", "Use"])
    >>> ax = plot_tism(tism(s, {("Law", "Trust"): "sets the rules that patients rely on"}))
    >>> ax.get_legend().get_texts()[0].get_text()
    '1: Law -> Trust: sets the rules that patients rely on'
    """
    import matplotlib.pyplot as plt

    g = result.digraph
    levels: dict[int, list[Any]] = {}
    for node, lv in g.nodes(data="level"):
        levels.setdefault(int(lv), []).append(node)
    depth = max(levels) if levels else 1
    width = max((len(v) for v in levels.values()), default=1)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 2.4 * width), max(3.5, 1.6 * depth)))
    pos = {}
    for lv, nodes in levels.items():
        for k, node in enumerate(nodes):
            pos[node] = ((k + 1) / (len(nodes) + 1) * width, depth - lv)
    texts = [(u, v, d) for u, v, d in g.edges(data=True)]
    if numbered is None:
        numbered = any(len(d["interpretation"]) > 24 for _, _, d in texts)
    ax.set_xlim(0, width * (1 + 1 / (width + 1)))
    ax.set_ylim(-0.6, depth - 0.4)
    to_px, to_data = ax.transData.transform, ax.transData.inverted().transform
    legend: list[str] = []
    bends = 0
    for u, v, d in texts:
        (x0, y0), (x1, y1) = pos[u], pos[v]
        span = abs(y1 - y0)
        rad = 0.0 if span <= 1 and not d["transitive"] else 0.22 + 0.08 * span
        if rad:
            rad = rad if bends % 2 == 0 else -rad  # alternate sides so long links do not overlap
            bends += 1
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops={"arrowstyle": "-|>", "color": "0.35", "lw": 1.0, "shrinkA": 14, "shrinkB": 14,
                        "linestyle": "--" if d["transitive"] else "-", "connectionstyle": f"arc3,rad={rad}"},
        )
        text = d["interpretation"]
        if not text:
            continue
        if numbered:
            head = f"{u} -> {v}: " if d["links"] == ((u, v),) else ""
            legend.append(f"{len(legend) + 1}: {head}{text}")
            text = str(len(legend))
        # the label sits on the middle of the (quadratic Bezier) arc, computed in display space as matplotlib does
        (px0, py0), (px1, py1) = to_px((x0, y0)), to_px((x1, y1))
        mid = ((px0 + px1) / 2 + rad * (py1 - py0) / 2, (py0 + py1) / 2 - rad * (px1 - px0) / 2)
        tx, ty = to_data(mid)
        ax.text(tx, ty, text, fontsize=fontsize * 0.9, ha="center", va="center",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9})
    for node, (x, y) in pos.items():
        ax.text(x, y, str(g.nodes[node]["label"]).replace(", ", "\n"), ha="center", va="center", fontsize=fontsize,
                bbox={"boxstyle": "round,pad=0.4", "fc": "#E8F1FA" if g.nodes[node]["size"] == 1 else "#FCE9D9",
                      "ec": "0.3"})
    ax.set_yticks(range(depth))
    ax.set_yticklabels([f"level {depth - y}" for y in range(depth)])
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    if legend:
        handles = [plt.Line2D([], [], linestyle="none") for _ in legend]
        ax.legend(handles, legend, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=fontsize * 0.9,
                  handlelength=0, frameon=False, title="Interpretations")
    if title is not None:
        ax.set_title(title)
    return ax


def tism_tables(result: TISMResult) -> dict[str, pd.DataFrame]:
    """The tables for a workbook or report: sheet name -> DataFrame.

    The interpretive matrix, the knowledge base, the links of the digraph
    and the missing texts; and, when a panel's texts were not all used,
    ``"TISM unused texts"`` (:attr:`TISMResult.unused`).

    Examples
    --------
    >>> from ism_health import SSIM
    >>> from ism_health.tism import tism, tism_tables
    >>> s = SSIM.from_matrix([[1, 1], [0, 1]], labels=["Law", "Trust"])
    >>> tables = tism_tables(tism(s, {("Law", "Trust"): "rules"}))
    >>> list(tables)
    ['TISM interpretive matrix', 'TISM knowledge base', 'TISM links', 'TISM missing']
    >>> tables["TISM links"].to_dict("records")
    [{'source': 'Law', 'target': 'Trust', 'transitive': False, 'interpretation': 'rules'}]
    """
    g = result.digraph
    links = pd.DataFrame(
        [{"source": u, "target": v, "transitive": d["transitive"], "interpretation": d["interpretation"]}
         for u, v, d in g.edges(data=True)],
        columns=["source", "target", "transitive", "interpretation"],
    )
    missing = pd.DataFrame(list(result.missing), columns=["source", "target"])
    out = {
        "TISM interpretive matrix": result.interpretive_matrix,
        "TISM knowledge base": result.knowledge_base,
        "TISM links": links,
        "TISM missing": missing,
    }
    if result.unused:
        out["TISM unused texts"] = pd.DataFrame(list(result.unused), columns=_UNUSED_COLUMNS)
    return out
