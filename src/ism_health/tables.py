"""The tables of an ISM result as papers report them, their titles and captions, and the summary text.

:func:`result_tables` builds every table once (readable headers, the 1* marks
kept); the writers of :mod:`ism_health.export`, the report and the bundle all
write those same tables, so the workbook, the CSV files, the LaTeX and
Markdown tables and the HTML report always agree. Functions here work on the
data of a result (read by attribute) and on the tables themselves.

Orientation in every matrix: row i, column j is 1 when factor i influences
(reaches) factor j; level 1 is the top of the hierarchy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .micmac.binary import CLUSTERS, QUADRANTS

if TYPE_CHECKING:  # pragma: no cover
    from .result import ISMResult

__all__ = [
    "TABLE_TITLES",
    "ORIENTATION",
    "SQUARE",
    "result_tables",
    "as_tables",
    "table_title",
    "table_codes",
    "has_index",
    "display_frame",
    "summary_text",
]

#: Titles (sheet name, caption) of the fixed tables; iterations are "Partition, iteration k".
TABLE_TITLES: dict[str, tuple[str, str]] = {
    "factors": ("Factors", "Factors and their codes"),
    "ssim": ("SSIM", "Structural self-interaction matrix (SSIM)"),
    "irm": ("IRM", "Initial reachability matrix"),
    "frm": ("FRM", "Final reachability matrix (1* = added by transitivity)"),
    "levels": ("Levels", "Level partition (level 1 = top of the hierarchy)"),
    "canonical": ("Canonical matrix", "Canonical matrix (final reachability ordered by level)"),
    "micmac": ("MICMAC", "MICMAC analysis: driving and dependence power"),
    "parameters": ("Parameters", "Method, options and library version"),
    # a result from a panel (Panel.analyze): the panel's tables, built by result.panel.tables()
    "panel_summary": ("Panel", "Expert panel: experts, aggregation rule and agreement"),
    "panel_experts": ("Panel experts", "Experts: where their answers came from and their agreement with the panel"),
    "panel_votes": ("Panel votes", "Votes per pair, shares per direction and the panel decision"),
    "panel_ties": ("Panel ties", "Ties and how they were broken"),
    "panel_agreement": ("Panel agreement", "Agreement per pair (share of pairs of experts who agree)"),
    "panel_contradictions": ("Panel contradictions", "Contradictions: 'no influence' judgments that transitivity "
                             "overrides, the chain and the support of each link"),
    "panel_cycles": ("Panel cycles", "Cycles and the judgments that create them, with their support"),
    "panel_notes": ("Panel notes", "What reading the forms decided"),
}

#: The orientation sentence written into the parameters table and the JSON.
ORIENTATION = "row i, column j = 1 when factor i influences (reaches) factor j; level 1 = top"

#: The square (factor by factor) tables.
SQUARE: tuple[str, ...] = ("ssim", "irm", "frm", "canonical")


#: The "Levels" row of the parameters table, by level extraction rule (``analyze(..., extraction=...)``).
_EXTRACTION = {
    "result": "Warfield level partition: a factor is placed when its reachability set equals the intersection "
    "of its reachability and antecedent sets",
    "cause": "extraction rule cause (bottom-up): a factor is placed on the current bottom level when its antecedent "
    "set equals the intersection of its reachability and antecedent sets; levels numbered 1 = top",
    "alternating": "extraction rule alternating: result (top-down) and cause (bottom-up) steps in turn, starting "
    "top-down; levels numbered 1 = top",
}


def table_title(name: str) -> tuple[str, str]:
    """The (sheet name, caption) of a table of :func:`result_tables`.

    Examples
    --------
    >>> from ism_health.tables import table_title
    >>> table_title("frm")[0], table_title("iteration_2")
    ('FRM', ('Iteration 2', 'Level partition, iteration 2'))
    """
    if name.startswith("iteration_"):
        k = name.split("_", 1)[1]
        return f"Iteration {k}", f"Level partition, iteration {k}"
    return TABLE_TITLES[name]


def _codes(result: ISMResult) -> dict[str, str]:
    return {lab: f"F{k + 1}" for k, lab in enumerate(result.ssim.labels)}


def result_tables(result: ISMResult) -> dict[str, pd.DataFrame]:
    """All the tables of a result, in the order a paper reports them, with readable headers.

    Keys: ``factors``, ``ssim``, ``irm``, ``frm`` (with ``"1*"`` marks),
    ``iteration_1`` ... ``iteration_k`` (one per level-partition iteration),
    ``levels``, ``canonical`` (marks kept), ``micmac`` and ``parameters``; for
    a result from a panel (:meth:`Panel.analyze <ism_health.Panel.analyze>`)
    also the panel's tables ``panel_summary`` ... ``panel_cycles``
    (:func:`ism_health.experts.study.panel_tables`).
    Matrices are indexed by factor; cells are ints, strings or bools.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.tables import result_tables
    >>> tables = result_tables(analyze(load_example("worked")))
    >>> list(tables)  # doctest: +NORMALIZE_WHITESPACE
    ['factors', 'ssim', 'irm', 'frm', 'iteration_1', 'iteration_2', 'iteration_3', 'iteration_4', 'iteration_5',
     'levels', 'canonical', 'micmac', 'parameters']
    >>> tables["iteration_5"]
           Reachability set Antecedent set Intersection set  Level
    Factor
    F7                   F7             F7               F7      5
    """
    labels = list(result.ssim.labels)
    codes = _codes(result)
    out: dict[str, pd.DataFrame] = {}
    out["factors"] = pd.DataFrame(
        {
            "Code": [codes[lab] for lab in labels],
            "Factor": labels,
            "Level": [int(v) for v in result.levels],
            "Cluster": list(result.micmac["cluster"]),
        }
    )

    def matrix(frame: pd.DataFrame, marked: bool = False) -> pd.DataFrame:
        values = frame.to_numpy().astype(object)
        if marked:
            values = np.vectorize(lambda v: int(v) if v in ("0", "1") else str(v), otypes=[object])(values)
        else:
            values = np.vectorize(lambda v: v.item() if hasattr(v, "item") else v, otypes=[object])(values)
        return pd.DataFrame(values, index=pd.Index([str(x) for x in frame.index], name="Factor"),
                            columns=[str(c) for c in frame.columns], dtype=object)

    ssim = result.ssim.to_frame()
    out["ssim"] = matrix(ssim.fillna(""))
    out["irm"] = matrix(result.initial_reachability)
    out["frm"] = matrix(result.final_reachability_marked, marked=True)
    part = result.partition
    for k, block in part.groupby("iteration", sort=True):
        table = pd.DataFrame(
            {
                "Reachability set": [", ".join(s) for s in block["reachability_set"]],
                "Antecedent set": [", ".join(s) for s in block["antecedent_set"]],
                "Intersection set": [", ".join(s) for s in block["intersection_set"]],
                "Level": [int(v) if not pd.isna(v) else "" for v in block["level"]],
            },
            index=pd.Index(list(block["factor"]), name="Factor"),
            dtype=object,
        )
        out[f"iteration_{int(k)}"] = table
    levels = result.levels
    out["levels"] = pd.DataFrame(
        {
            "Level": [int(lv) for lv in sorted(set(levels))],
            "Factors": [", ".join(levels.index[levels == lv]) for lv in sorted(set(levels))],
        }
    )
    order = list(result.canonical.index)
    out["canonical"] = matrix(result.final_reachability_marked.loc[order, order], marked=True)
    m = result.micmac
    out["micmac"] = pd.DataFrame(
        {
            "Driving power": [int(v) for v in m["driving_power"]],
            "Dependence power": [int(v) for v in m["dependence_power"]],
            "Driving rank": [int(v) for v in m["driving_rank"]],
            "Dependence rank": [int(v) for v in m["dependence_rank"]],
            "Cluster": list(m["cluster"]),
            "Quadrant": list(m["quadrant"]),
            "On boundary": [bool(v) for v in m["on_boundary"]],
            "Level": [int(v) for v in m["level"]],
        },
        index=pd.Index(labels, name="Factor"),
        dtype=object,
    )
    p = result.params
    threshold = p["micmac_threshold"]
    rows = [
        ("Library", f"ism_health {p['version']}"),
        ("Orientation", ORIENTATION),
        ("Reachability", "final matrix = reflexive transitive closure of the SSIM's direct relations; 1* = added by transitivity"),
        ("Levels", _EXTRACTION[p.get("extraction", "result")]),
        ("Digraph", "cycles (mutually reachable factors) merged into one node; transitive reduction of the condensation"),
        ("MICMAC threshold", json.dumps(threshold) if not isinstance(threshold, str) else threshold),
        ("Dependence boundary", f"{float(p['dependence_boundary']):g}"),
        ("Driving boundary", f"{float(p['driving_boundary']):g}"),
        ("On boundary", f"{p['on_boundary']} (a power equal to its boundary counts as {p['on_boundary']}; flagged)"),
        ("Factors", str(result.ssim.n)),
    ]
    out["parameters"] = pd.DataFrame(rows, columns=["Parameter", "Value"])
    if getattr(result, "panel", None) is not None:  # a result from Panel.analyze: the panel's tables too
        out.update(result.panel.tables(result))
    return out


def has_index(frame: pd.DataFrame) -> bool:
    """Whether a table's index is part of it (a named index: the factor column), as the writers show it.

    Examples
    --------
    >>> import pandas as pd
    >>> from ism_health.tables import has_index
    >>> has_index(pd.DataFrame({"a": [1]}, index=pd.Index(["F1"], name="Factor"))), has_index(pd.DataFrame({"a": [1]}))
    (True, False)
    """
    return frame.index.name is not None


def as_tables(source: Any) -> dict[str, pd.DataFrame]:
    """The tables of ``source``: a mapping of tables as it is, or :func:`result_tables` of a result.

    Writers accept either, so a caller that writes several formats builds the tables once.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.tables import as_tables, result_tables
    >>> tables = result_tables(analyze(load_example("worked")))
    >>> as_tables(tables) is tables
    True
    """
    if isinstance(source, Mapping):
        return source  # type: ignore[return-value]
    return result_tables(source)


def table_codes(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Factor -> code (``F1``...), read from the ``factors`` table.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.tables import result_tables, table_codes
    >>> table_codes(result_tables(analyze(load_example("worked"))))["F3"]
    'F3'
    """
    factors = tables["factors"]
    return dict(zip(factors["Factor"], factors["Code"]))


def display_frame(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A table as LaTeX / Markdown / HTML show it: square matrices get code columns and "F1 Name" rows, to fit a page.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.tables import display_frame, result_tables
    >>> tables = result_tables(analyze(load_example()))
    >>> shown = display_frame(tables, "frm")
    >>> shown.columns[:2].tolist(), shown.index[0]
    (['F1', 'F2'], 'F1 Technology')
    """
    frame = tables[name]
    if name not in SQUARE:
        return frame
    codes = table_codes(tables)
    shown = frame.copy()
    shown.columns = [codes[c] for c in frame.columns]
    shown.index = pd.Index([f"{codes[r]} {r}" for r in frame.index], name="Factor")
    return shown




def summary_text(result: ISMResult) -> str:
    """A plain-text report a user can paste: levels, cycles, MICMAC clusters (what :meth:`ISMResult.summary` returns).

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.tables import summary_text
    >>> print(summary_text(analyze(load_example("worked"))).splitlines()[3])
    Levels (1 = top of the hierarchy)
    """
    n = result.ssim.n
    direct = int(result.ssim.adjacency.sum())
    added = int(result.transitive.to_numpy().sum())
    p = result.params
    lines = [
        f"ISM analysis of {n} factors (ism_health {p['version']})",
        f"Direct relations: {direct}; added by transitivity (1*): {added}; "
        f"final reachability entries off the diagonal: {direct + added}.",
        "",
        "Levels (1 = top of the hierarchy)" if p.get("extraction", "result") == "result"
        else f"Levels (1 = top of the hierarchy; extraction rule: {p['extraction']})",
    ]
    for level, group in result.levels.groupby(result.levels, sort=True):
        lines.append(f"  Level {level}: {', '.join(group.index)}")
    lines.append("")
    if result.cycles:
        lines.append("Cycles (factors that reach one another; merged in the digraph)")
        lines += [f"  {', '.join(c)}" for c in result.cycles]
    else:
        lines.append("Cycles: none")
    lines.append("")
    lines.append(
        f"MICMAC (boundaries: dependence {p['dependence_boundary']:g}, driving {p['driving_boundary']:g}; "
        f"threshold {p['micmac_threshold']!r}, on boundary -> {p['on_boundary']})"
    )
    m = result.micmac
    for name, quadrant in zip(CLUSTERS, QUADRANTS):
        members = m.index[m.cluster == name]
        lines.append(f"  {quadrant:>3} {name:<12} {', '.join(members) if len(members) else '-'}")
    flagged = m.index[m.on_boundary]
    if len(flagged):
        lines.append(f"  On a boundary (placed by the rule): {', '.join(flagged)}")
    lines.append("")
    table = m[["driving_power", "dependence_power", "cluster", "level"]]
    lines.append(table.to_string())
    lines.append("")
    lines.append(f"ISM digraph: {result.digraph.number_of_nodes()} nodes, {result.digraph.number_of_edges()} edges (transitive reduction).")
    return "\n".join(lines)
