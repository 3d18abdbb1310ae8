"""Every table of an ISM result, for papers: Excel, CSV, LaTeX, Markdown, JSON, and the whole bundle.

:func:`result_tables` builds the tables once (readable headers, the 1* marks
kept); every writer below writes those same tables, so the workbook, the CSV
files, the LaTeX and Markdown tables and the HTML report always agree.

Text for people is formula-safe: in CSV a cell that a spreadsheet would run as
a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is prefixed with a single quote (:func:`ism_health.io.csv_safe`); in
Excel every text cell is stored as a string, never a formula
(:func:`ism_health.io.write_frame_to_sheet`). The text itself is kept.

Orientation in every matrix: row i, column j is 1 when factor i influences
(reaches) factor j; level 1 is the top of the hierarchy.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._version import __version__
from .exceptions import ISMInputError
from .io import csv_safe, write_frame_to_sheet

if TYPE_CHECKING:  # pragma: no cover
    from .result import ISMResult

__all__ = [
    "FORMATS",
    "TABLE_TITLES",
    "result_tables",
    "write_excel",
    "write_csv",
    "latex_tables",
    "markdown_tables",
    "latex_escape",
    "markdown_escape",
    "result_to_json",
    "result_from_json",
    "write_bundle",
]

#: Everything :func:`write_bundle` can write (``--formats`` of ``ism-health``).
FORMATS: tuple[str, ...] = ("xlsx", "csv", "tex", "md", "json", "html", "png", "svg", "pdf")

#: Titles (captions, sheet names) of the fixed tables; iterations are "Partition, iteration k".
TABLE_TITLES: dict[str, tuple[str, str]] = {
    "factors": ("Factors", "Factors and their codes"),
    "ssim": ("SSIM", "Structural self-interaction matrix (SSIM)"),
    "irm": ("IRM", "Initial reachability matrix"),
    "frm": ("FRM", "Final reachability matrix (1* = added by transitivity)"),
    "levels": ("Levels", "Level partition (level 1 = top of the hierarchy)"),
    "canonical": ("Canonical matrix", "Canonical matrix (final reachability ordered by level)"),
    "micmac": ("MICMAC", "MICMAC analysis: driving and dependence power"),
    "parameters": ("Parameters", "Method, options and library version"),
}
_RESULT_JSON = "ism_health.result/1"
_FIXED_TIME = datetime.datetime(2000, 1, 1)
_ORIENTATION = "row i, column j = 1 when factor i influences (reaches) factor j; level 1 = top"


def _title(name: str) -> tuple[str, str]:
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
    ``levels``, ``canonical`` (marks kept), ``micmac`` and ``parameters``.
    Matrices are indexed by factor; cells are ints, strings or bools.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import result_tables
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
        ("Orientation", _ORIENTATION),
        ("Reachability", "final matrix = reflexive transitive closure of the SSIM's direct relations; 1* = added by transitivity"),
        ("Levels", "Warfield level partition: a factor is placed when its reachability set equals the intersection of its reachability and antecedent sets"),
        ("Digraph", "cycles (mutually reachable factors) merged into one node; transitive reduction of the condensation"),
        ("MICMAC threshold", json.dumps(threshold) if not isinstance(threshold, str) else threshold),
        ("Dependence boundary", f"{float(p['dependence_boundary']):g}"),
        ("Driving boundary", f"{float(p['driving_boundary']):g}"),
        ("On boundary", f"{p['on_boundary']} (a power equal to its boundary counts as {p['on_boundary']}; flagged)"),
        ("Factors", str(result.ssim.n)),
    ]
    out["parameters"] = pd.DataFrame(rows, columns=["Parameter", "Value"])
    return out


def _has_index(frame: pd.DataFrame) -> bool:
    return frame.index.name is not None


# ----------------------------------------------------------------------------------------------- Excel
def _normalise_zip(path: Path) -> None:
    """Rewrite a zip file with fixed timestamps and order, so equal content gives equal bytes."""
    with zipfile.ZipFile(path) as zin:
        items = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            if name == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)


def write_excel(result: ISMResult, path: str | os.PathLike[str]) -> Path:
    """One workbook with every table: SSIM, IRM, FRM (1* marked), each partition iteration, levels,
    canonical matrix, MICMAC and a sheet of parameters and library version.

    Headers are bold, panes frozen below the header (and right of the factor
    column), columns sized to their content, 1* cells shaded. Every text cell
    is a string cell (never a formula). The SSIM sheet is readable again by
    :func:`ism_health.read_ssim`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from openpyxl import load_workbook
    >>> from ism_health import analyze, read_ssim
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import write_excel
    >>> result = analyze(load_example("worked"))
    >>> path = write_excel(result, pathlib.Path(tempfile.mkdtemp()) / "ism.xlsx")
    >>> load_workbook(path).sheetnames[:5]
    ['SSIM', 'IRM', 'FRM', 'Iteration 1', 'Iteration 2']
    >>> read_ssim(path) == result.ssim
    True
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    tables = result_tables(result)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    star_fill = PatternFill("solid", fgColor="F8CBAD")
    order = ["ssim", "irm", "frm"] + [k for k in tables if k.startswith("iteration_")]
    order += ["levels", "canonical", "micmac", "factors", "parameters"]
    for name in order:
        frame = tables[name]
        ws = wb.create_sheet(_title(name)[0])
        index = _has_index(frame)
        write_frame_to_sheet(ws, frame, index=index)
        n_cols = frame.shape[1] + (1 if index else 0)
        for c in range(1, n_cols + 1):
            cell = ws.cell(row=1, column=c)
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if index:
            for r in range(2, len(frame) + 2):
                ws.cell(row=r, column=1).font = bold
        if name in ("frm", "canonical"):
            for r in range(2, len(frame) + 2):
                for c in range(2, n_cols + 1):
                    cell = ws.cell(row=r, column=c)
                    if cell.value == "1*":
                        cell.fill = star_fill
        ws.freeze_panes = "B2" if index else "A2"
        square = name in ("ssim", "irm", "frm", "canonical")
        for c in range(1, n_cols + 1):
            values = [ws.cell(row=r, column=c).value for r in range(1, len(frame) + 2)]
            longest = max((len(str(v)) for v in values if v is not None), default=4)
            if square and c > 1:
                width = min(max(len(str(values[0])) * 0.9, 5), 18)  # long factor names wrap in the header
            else:
                width = min(max(longest + 2, 6), 70)
            ws.column_dimensions[get_column_letter(c)].width = width
        if square:
            ws.row_dimensions[1].height = 15 * min(4, 1 + max(len(str(x)) for x in frame.columns) // 14)
    wb.properties.creator = f"ism_health {__version__}"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    wb.save(path)
    _normalise_zip(path)
    return path


# ----------------------------------------------------------------------------------------------- CSV
def _cell_text(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def write_csv(result: ISMResult, folder: str | os.PathLike[str]) -> list[Path]:
    """One UTF-8 CSV file per table (``<name>.csv``, names as in :func:`result_tables`), formula-safe.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import analyze, read_ssim
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import write_csv
    >>> result = analyze(load_example("worked"))
    >>> paths = write_csv(result, pathlib.Path(tempfile.mkdtemp()))
    >>> [p.name for p in paths][:4]
    ['factors.csv', 'ssim.csv', 'irm.csv', 'frm.csv']
    >>> read_ssim(paths[1]) == result.ssim
    True
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in result_tables(result).items():
        path = folder / f"{name}.csv"
        index = _has_index(frame)
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            header = ([frame.index.name if name not in ("ssim", "irm") else ""] if index else []) + list(frame.columns)
            w.writerow([csv_safe(_cell_text(h)) for h in header])
            for label, row in zip(frame.index, frame.itertuples(index=False, name=None)):
                cells = ([label] if index else []) + list(row)
                w.writerow([csv_safe(_cell_text(v)) for v in cells])
        written.append(path)
    return written


# ----------------------------------------------------------------------------------------------- LaTeX / Markdown
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\t": " ",
    "\r": " ",
    "\n": " ",
}


def latex_escape(text: Any) -> str:
    """Text safe inside a LaTeX table cell: ``& % $ # _ { } ~ ^ \\`` escaped, line breaks as spaces.

    Examples
    --------
    >>> from ism_health.export import latex_escape
    >>> print(latex_escape("R&D 50% {x_1} ~ ^ \\\\ $#"))
    R\\&D 50\\% \\{x\\_1\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\$\\#
    """
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in _cell_text(text))


def markdown_escape(text: Any) -> str:
    """Text safe inside a Markdown table cell (pipes, emphasis marks, HTML brackets escaped).

    Examples
    --------
    >>> from ism_health.export import markdown_escape
    >>> markdown_escape("a|b *c* <d> 1*")
    'a\\\\|b \\\\*c\\\\* &lt;d&gt; 1\\\\*'
    """
    out = []
    for ch in _cell_text(text):
        if ch in "\\|*_`[]#":
            out.append("\\" + ch)
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch in "\t\r\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _display_frame(result: ISMResult, name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """For LaTeX / Markdown / HTML: square matrices get code columns and "F1 Name" rows, to fit a page."""
    if name not in ("ssim", "irm", "frm", "canonical"):
        return frame
    codes = _codes(result)
    shown = frame.copy()
    shown.columns = [codes[c] for c in frame.columns]
    shown.index = pd.Index([f"{codes[r]} {r}" for r in frame.index], name="Factor")
    return shown


def _latex_table(frame: pd.DataFrame, caption: str, label: str, *, fit_width: bool = False) -> str:
    index = _has_index(frame)
    header = ([frame.index.name] if index else []) + list(frame.columns)
    numeric = [all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) or v in ("1*", "")
                   for v in frame[c]) for c in frame.columns]
    spec = ("l" if index else "") + "".join("c" if num else "l" for num in numeric)
    lines = [
        "% ism_health: needs \\usepackage{booktabs}" + (" and \\usepackage{graphicx}" if fit_width else ""),
        r"\begin{table}[htbp]",
        r"\centering",
        rf"\caption{{{latex_escape(caption)}}}",
        rf"\label{{{label}}}",
        *([r"\resizebox{\textwidth}{!}{%"] if fit_width else []),
        rf"\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        " & ".join(latex_escape(h) for h in header) + r" \\",
        r"\midrule",
    ]
    for lab, row in zip(frame.index, frame.itertuples(index=False, name=None)):
        cells = ([lab] if index else []) + list(row)
        lines.append(" & ".join(latex_escape(v) for v in cells) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}" + ("}" if fit_width else ""), r"\end{table}", ""]
    return "\n".join(lines)


def latex_tables(result: ISMResult, folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Each table as a LaTeX ``table`` with booktabs rules (``\\usepackage{booktabs}``).

    Square matrices use the codes ``F1..Fn`` as column heads (rows read
    ``F1 Name``) so that they fit a page; beyond 10 factors they are scaled to
    the text width (``\\resizebox``, package graphicx). Each table starts with a
    comment naming the packages it needs. With ``folder``, each is also
    written to ``<folder>/<name>.tex``.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import latex_tables
    >>> tex = latex_tables(analyze(load_example("worked")))
    >>> print(tex["levels"])  # doctest: +NORMALIZE_WHITESPACE
    % ism_health: needs \\usepackage{booktabs}
    \\begin{table}[htbp]
    \\centering
    \\caption{Level partition (level 1 = top of the hierarchy)}
    \\label{tab:ism-levels}
    \\begin{tabular}{cl}
    \\toprule
    Level & Factors \\\\
    \\midrule
    1 & F6 \\\\
    2 & F4, F5, F8 \\\\
    3 & F2, F3 \\\\
    4 & F1 \\\\
    5 & F7 \\\\
    \\bottomrule
    \\end{tabular}
    \\end{table}
    """
    out = {}
    for name, frame in result_tables(result).items():
        wide = name in ("ssim", "irm", "frm", "canonical") and result.ssim.n > 10
        out[name] = _latex_table(_display_frame(result, name, frame), _title(name)[1],
                                 f"tab:ism-{name.replace('_', '-')}", fit_width=wide)
    if folder is not None:
        _write_texts(out, Path(folder), ".tex")
    return out


def _markdown_table(frame: pd.DataFrame, caption: str) -> str:
    index = _has_index(frame)
    header = ([frame.index.name] if index else []) + list(frame.columns)
    lines = [f"**{markdown_escape(caption)}**", ""]
    lines.append("| " + " | ".join(markdown_escape(h) for h in header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    for lab, row in zip(frame.index, frame.itertuples(index=False, name=None)):
        cells = ([lab] if index else []) + list(row)
        lines.append("| " + " | ".join(markdown_escape(v) for v in cells) + " |")
    lines.append("")
    return "\n".join(lines)


def markdown_tables(result: ISMResult, folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Each table as a GitHub-flavoured Markdown table with a bold caption (written to ``<folder>/<name>.md`` when given).

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import markdown_tables
    >>> print(markdown_tables(analyze(load_example("worked")))["levels"])
    **Level partition (level 1 = top of the hierarchy)**
    <BLANKLINE>
    | Level | Factors |
    |---|---|
    | 1 | F6 |
    | 2 | F4, F5, F8 |
    | 3 | F2, F3 |
    | 4 | F1 |
    | 5 | F7 |
    <BLANKLINE>
    """
    out = {name: _markdown_table(_display_frame(result, name, frame), _title(name)[1])
           for name, frame in result_tables(result).items()}
    if folder is not None:
        _write_texts(out, Path(folder), ".md")
    return out


def _write_texts(texts: dict[str, str], folder: Path, suffix: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in texts.items():
        path = folder / f"{name}{suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# ----------------------------------------------------------------------------------------------- JSON
def _json_value(v: Any) -> Any:
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


def _tables_payload(result: ISMResult) -> dict[str, Any]:
    payload = {}
    for name, frame in result_tables(result).items():
        payload[name] = {
            "index_name": frame.index.name,
            "index": [str(x) for x in frame.index] if _has_index(frame) else None,
            "columns": [str(c) for c in frame.columns],
            "data": [[_json_value(v) for v in row] for row in frame.itertuples(index=False, name=None)],
        }
    return payload


def result_to_json(result: ISMResult, path: str | os.PathLike[str] | None = None) -> str:
    """The whole result as JSON: the SSIM (labels and pairs), the parameters and every table.

    :func:`result_from_json` loads it back into an equal result. Returns the
    text, and writes it to ``path`` when given.

    Examples
    --------
    >>> import json
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import result_to_json
    >>> data = json.loads(result_to_json(analyze(load_example("worked"))))
    >>> data["format"], data["ssim"]["labels"][:3], data["params"]["micmac_threshold"]
    ('ism_health.result/1', ['F1', 'F2', 'F3'], 'half')
    """
    params = dict(result.params)
    data = {
        "format": _RESULT_JSON,
        "version": params["version"],
        "orientation": _ORIENTATION,
        "params": params,
        "ssim": {
            "labels": list(result.ssim.labels),
            "pairs": [list(r) for r in result.ssim.to_pairs().itertuples(index=False, name=None)],
        },
        "tables": _tables_payload(result),
    }
    text = json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def result_from_json(source: str | os.PathLike[str]) -> ISMResult:
    """Load a result written by :func:`result_to_json` (a path, or the JSON text itself).

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
    >>> from ism_health.export import result_from_json, result_to_json
    >>> result = analyze(load_example("worked"), micmac_threshold="mean")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "result.json"
    >>> _ = result_to_json(result, path)
    >>> result_from_json(path) == result
    True
    """
    from .result import analyze
    from .ssim import SSIM

    where: str | None
    if isinstance(source, os.PathLike) or (isinstance(source, str) and not source.lstrip().startswith("{")):
        where = str(source)
        try:
            text = Path(source).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ISMInputError("no such file.", source=where) from None
        except UnicodeDecodeError as exc:
            raise ISMInputError(f"cannot read as UTF-8 text ({exc.reason}).", source=where) from None
    else:
        where, text = None, str(source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ISMInputError(f"not valid JSON ({exc}).", source=where) from None
    if not isinstance(data, dict) or data.get("format") != _RESULT_JSON:
        raise ISMInputError(f'not an ism_health result: expected "format": "{_RESULT_JSON}".', source=where)
    try:
        params = data["params"]
        ssim = SSIM.from_pairs(data["ssim"]["pairs"], labels=data["ssim"]["labels"], source=where)
        stored = data["tables"]
        threshold = params["micmac_threshold"]
        on_boundary = params["on_boundary"]
    except (KeyError, TypeError) as exc:
        raise ISMInputError(f"incomplete result file (missing {exc}).", source=where) from None
    result = analyze(ssim, micmac_threshold=threshold, on_boundary=on_boundary)
    fresh = json.loads(json.dumps(_tables_payload(result), ensure_ascii=False))
    problems = []
    for name in sorted(set(fresh) | set(stored)):
        if name == "parameters":
            continue  # holds the library version; compared below without it
        if fresh.get(name) != stored.get(name):
            problems.append(f"table {name!r} differs from the one recomputed from the stored SSIM and parameters.")
    mine = {k: v for k, v in dict(result.params).items() if k != "version"}
    theirs = {k: v for k, v in params.items() if k != "version"}
    if json.loads(json.dumps(mine)) != theirs:
        problems.append(f"stored parameters {theirs} differ from the recomputed {mine}.")
    if problems:
        raise ISMInputError(problems, source=where)
    return result


# ----------------------------------------------------------------------------------------------- bundle
def _check_formats(formats: Iterable[str] | str | None) -> list[str]:
    if formats is None:
        return list(FORMATS)
    if isinstance(formats, str):
        formats = [f for f in formats.replace(" ", "").split(",") if f]
    chosen = [f.lower().lstrip(".") for f in formats]
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise ISMInputError(
            f"formats: {', '.join(map(repr, bad)) if bad else 'none given'}; expected some of {', '.join(FORMATS)}."
        )
    return [f for f in FORMATS if f in chosen]


#: Figures of the bundle: file stem -> (plotting function name, keyword arguments).
FIGURES: dict[str, tuple[str, dict[str, Any]]] = {
    "hierarchy": ("plot_hierarchy", {}),
    "micmac": ("plot_micmac", {}),
    "irm": ("plot_matrix", {"which": "initial"}),
    "frm": ("plot_matrix", {"which": "final"}),
    "canonical": ("plot_matrix", {"which": "canonical"}),
}


def write_bundle(
    result: ISMResult,
    folder: str | os.PathLike[str],
    *,
    formats: Iterable[str] | str | None = None,
    force: bool = False,
) -> list[Path]:
    """Write everything a paper needs into one folder; returns the files written.

    Layout (``formats`` picks among ``xlsx, csv, tex, md, json, html, png, svg, pdf``; default all)::

        summary.txt                 the plain-text summary (always)
        ism_result.xlsx             every table, one sheet each
        ism_result.json             the whole result (ISMResult.from_json loads it)
        report.html                 self-contained report
        csv/<table>.csv             one per table
        latex/<table>.tex           booktabs tables
        markdown/<table>.md         Markdown tables
        figures/<figure>.<ext>      hierarchy, micmac, irm, frm, canonical (PNG at 300 dpi)

    Raises
    ------
    FileExistsError
        ``folder`` exists and is not empty, unless ``force=True`` (then files
        of the same name are replaced; other files are left alone).
    ISMInputError
        An unknown format.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import write_bundle
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> files = write_bundle(analyze(load_example("worked")), folder, formats="json,csv")
    >>> sorted(str(p.relative_to(folder)) for p in files)[:3]
    ['csv/canonical.csv', 'csv/factors.csv', 'csv/frm.csv']
    """
    chosen = _check_formats(formats)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder} exists and is not a folder.")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise FileExistsError(f"{folder} is not empty; choose another folder or use force=True (--force).")
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    summary = folder / "summary.txt"
    summary.write_text(result.summary() + "\n", encoding="utf-8")
    written.append(summary)
    if "xlsx" in chosen:
        written.append(write_excel(result, folder / "ism_result.xlsx"))
    if "csv" in chosen:
        written += write_csv(result, folder / "csv")
    if "tex" in chosen:
        written += _write_texts(latex_tables(result), folder / "latex", ".tex")
    if "md" in chosen:
        written += _write_texts(markdown_tables(result), folder / "markdown", ".md")
    if "json" in chosen:
        path = folder / "ism_result.json"
        result_to_json(result, path)
        written.append(path)
    if "html" in chosen:
        from .report import write_html

        written.append(write_html(result, folder / "report.html"))
    image_formats = [f for f in ("png", "svg", "pdf") if f in chosen]
    if image_formats:
        import matplotlib.pyplot as plt

        from . import plotting

        (folder / "figures").mkdir(exist_ok=True)
        for stem, (func, kwargs) in FIGURES.items():
            ax = getattr(plotting, func)(result, **kwargs)
            try:
                for ext in image_formats:
                    written.append(plotting.save_figure(ax, folder / "figures" / f"{stem}.{ext}"))
            finally:
                plt.close(ax.figure)
    return written
