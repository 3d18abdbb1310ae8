"""Writers for every table of an ISM result: Excel, CSV, LaTeX, Markdown, JSON.

Each writer takes a result, or its tables as :func:`ism_health.tables.result_tables`
builds them (a mapping of name -> DataFrame; then they are not rebuilt), so
the workbook, the CSV files, the LaTeX and Markdown tables and the HTML report
always agree. The whole folder is :func:`ism_health.bundle.write_bundle`;
reading a result JSON back is :meth:`ism_health.ISMResult.from_json`.

Text for people is formula-safe: in CSV a cell that a spreadsheet would run as
a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is prefixed with a single quote (:func:`ism_health._files.csv_safe`); in
Excel every text cell is stored as a string, never a formula
(:func:`ism_health._files.write_frame_to_sheet`). The text itself is kept.

Orientation in every matrix: row i, column j is 1 when factor i influences
(reaches) factor j; level 1 is the top of the hierarchy.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._files import (
    cell_text,
    normalise_zip,
    write_csv_rows,
    write_frame_to_sheet,
    write_texts,
)
from ._version import __version__
from .tables import (
    ORIENTATION,
    SQUARE,
    TABLE_TITLES,
    as_tables,
    display_frame,
    has_index,
    result_tables,
    table_title,
)

if TYPE_CHECKING:  # pragma: no cover
    from .result import ISMResult

__all__ = [
    "TABLE_TITLES",
    "result_tables",
    "write_excel",
    "write_csv",
    "latex_tables",
    "markdown_tables",
    "latex_escape",
    "markdown_escape",
    "result_to_json",
    "result_payload",
]

RESULT_JSON = "ism_health.result/1"
_FIXED_TIME = datetime.datetime(2000, 1, 1)


# ----------------------------------------------------------------------------------------------- Excel
def write_excel(result: ISMResult | Mapping[str, pd.DataFrame], path: str | os.PathLike[str]) -> Path:
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
    tables = as_tables(result)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    star_fill = PatternFill("solid", fgColor="F8CBAD")
    order = ["ssim", "irm", "frm"] + [k for k in tables if k.startswith("iteration_")]
    order += ["levels", "canonical", "micmac", "factors", "parameters"]
    order += [k for k in tables if k.startswith("panel_")]  # a result from a panel: its sheets last
    for name in order:
        frame = tables[name]
        ws = wb.create_sheet(table_title(name)[0])
        index = has_index(frame)
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
        square = name in SQUARE
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
    normalise_zip(path)
    return path


# ----------------------------------------------------------------------------------------------- CSV
def write_csv(result: ISMResult | Mapping[str, pd.DataFrame], folder: str | os.PathLike[str]) -> list[Path]:
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
    for name, frame in as_tables(result).items():
        index = has_index(frame)
        header = ([frame.index.name if name not in ("ssim", "irm") else ""] if index else []) + list(frame.columns)
        body = zip(frame.index, frame.itertuples(index=False, name=None))
        rows = [([label] if index else []) + list(row) for label, row in body]
        written.append(write_csv_rows(folder / f"{name}.csv", [header, *rows]))
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
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in cell_text(text))


def markdown_escape(text: Any) -> str:
    """Text safe inside a Markdown table cell (pipes, emphasis marks, HTML brackets escaped).

    Examples
    --------
    >>> from ism_health.export import markdown_escape
    >>> markdown_escape("a|b *c* <d> 1*")
    'a\\\\|b \\\\*c\\\\* &lt;d&gt; 1\\\\*'
    """
    out = []
    for ch in cell_text(text):
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


def _latex_table(frame: pd.DataFrame, caption: str, label: str, *, fit_width: bool = False) -> str:
    index = has_index(frame)
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


def latex_tables(result: ISMResult | Mapping[str, pd.DataFrame], folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
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
    tables = as_tables(result)
    n = len(tables["factors"])
    out = {}
    for name in tables:
        wide = name in SQUARE and n > 10
        out[name] = _latex_table(display_frame(tables, name), table_title(name)[1],
                                 f"tab:ism-{name.replace('_', '-')}", fit_width=wide)
    if folder is not None:
        write_texts(out, Path(folder), ".tex")
    return out


def _markdown_table(frame: pd.DataFrame, caption: str) -> str:
    index = has_index(frame)
    header = ([frame.index.name] if index else []) + list(frame.columns)
    lines = [f"**{markdown_escape(caption)}**", ""]
    lines.append("| " + " | ".join(markdown_escape(h) for h in header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    for lab, row in zip(frame.index, frame.itertuples(index=False, name=None)):
        cells = ([lab] if index else []) + list(row)
        lines.append("| " + " | ".join(markdown_escape(v) for v in cells) + " |")
    lines.append("")
    return "\n".join(lines)


def markdown_tables(result: ISMResult | Mapping[str, pd.DataFrame], folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
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
    tables = as_tables(result)
    out = {name: _markdown_table(display_frame(tables, name), table_title(name)[1]) for name in tables}
    if folder is not None:
        write_texts(out, Path(folder), ".md")
    return out


# ----------------------------------------------------------------------------------------------- JSON
def _json_value(v: Any) -> Any:
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


def _tables_payload(tables: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    payload = {}
    for name, frame in tables.items():
        payload[name] = {
            "index_name": frame.index.name,
            "index": [str(x) for x in frame.index] if has_index(frame) else None,
            "columns": [str(c) for c in frame.columns],
            "data": [[_json_value(v) for v in row] for row in frame.itertuples(index=False, name=None)],
        }
    return payload


def result_payload(result: ISMResult, *, tables: Mapping[str, pd.DataFrame] | None = None) -> dict[str, Any]:
    """The JSON object :func:`result_to_json` writes: format, version, orientation, parameters, SSIM and every table.

    ``tables`` (as :func:`ism_health.tables.result_tables` builds them) are used
    as given instead of being rebuilt.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import result_payload
    >>> data = result_payload(analyze(load_example("worked")))
    >>> data["format"], sorted(data["tables"])[:3]
    ('ism_health.result/1', ['canonical', 'factors', 'frm'])
    """
    params = dict(result.params)
    return {
        "format": RESULT_JSON,
        "version": params["version"],
        "orientation": ORIENTATION,
        "params": params,
        "ssim": {
            "labels": list(result.ssim.labels),
            "pairs": [list(r) for r in result.ssim.to_pairs().itertuples(index=False, name=None)],
        },
        "tables": _tables_payload(result_tables(result) if tables is None else tables),
    }


def result_to_json(
    result: ISMResult,
    path: str | os.PathLike[str] | None = None,
    *,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> str:
    """The whole result as JSON: the SSIM (labels and pairs), the parameters and every table.

    :meth:`ism_health.ISMResult.from_json` loads it back into an equal result.
    Returns the text, and writes it to ``path`` when given. ``tables`` (as
    :func:`ism_health.tables.result_tables` builds them) are used as given.

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
    text = json.dumps(result_payload(result, tables=tables), indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
