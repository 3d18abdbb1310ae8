"""Writers for every table of an ISM result: Excel, CSV, LaTeX, Markdown, JSON.

Each writer takes a result, or its tables as :func:`ism_health.tables.result_tables`
builds them (a mapping of name -> DataFrame; then they are not rebuilt), so
the workbook, the CSV files, the LaTeX and Markdown tables and the HTML report
always agree. The whole folder is :func:`ism_health.bundle.write_bundle`;
reading a result JSON back is :meth:`ism_health.ISMResult.from_json`; the
digraph as GraphML or DOT is :mod:`ism_health.graph_export` (its names are
importable from here too).

Text for people is formula-safe: in CSV a cell that a spreadsheet would run as
a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is prefixed with a single quote (:func:`ism_health._files.csv_safe`); in
Excel every text cell is stored as a string, never a formula
(:func:`ism_health._files.write_frame_to_sheet`). The text itself is kept.

Orientation in every matrix: row i, column j is 1 when factor i influences
(reaches) factor j; level 1 is the top of the hierarchy.
"""

from __future__ import annotations

import copy
import datetime
import itertools
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._files import (
    atomic_path,
    cell_text,
    check_excel_text,
    normalise_zip,
    write_csv_rows,
    write_text,
    write_texts,
)
from ._version import __version__
from .graph_export import dot_text, graph_for_export, write_dot, write_graphml
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
    "graph_for_export",
    "write_graphml",
    "write_dot",
    "dot_text",
    "LANDSCAPE_COLUMNS",
    "EXCEL_LEGEND",
]

RESULT_JSON = "ism_health.result/1"
_FIXED_TIME = datetime.datetime(2000, 1, 1)


# ----------------------------------------------------------------------------------------------- Excel
#: Matrices with more columns than this print in landscape.
LANDSCAPE_COLUMNS = 10

#: Sheet order of the workbook (iterations go after "frm_marked").
_SHEETS_BEFORE = ("ssim", "irm", "frm", "frm_marked")
_SHEETS_AFTER = ("levels", "canonical", "micmac", "factors", "parameters")

#: The legend written below the FRM and canonical sheets: (sample value, starred?, meaning).
EXCEL_LEGEND: tuple[tuple[Any, bool, str], ...] = (
    (1, True, "1* = added by transitivity: the cell holds the number 1, shown bold on orange"),
    (1, False, "1 = a direct relation (from the SSIM) or the diagonal"),
    (0, False, "0 = no relation"),
    ("Driving power", False, "row total: the factors this factor reaches, itself included"),
    ("Dependence power", False, "column total: the factors that reach this factor, itself included"),
)


class _Styles:
    """The few cell styles of a workbook, registered once; ``ids`` maps a style name to its index in the workbook's
    cell formats (the ``s`` attribute of a cell in the sheet XML)."""

    def __init__(self, wb: Any, ws: Any) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill

        bold = Font(bold=True)

        def register(**attrs: Any) -> int:
            cell = WriteOnlyCell(ws)
            for name, value in attrs.items():
                setattr(cell, name, value)
            return int(wb._cell_styles.add(copy.copy(cell._style)))

        self.ids = {
            "header": register(font=bold, fill=PatternFill("solid", fgColor="DCE6F1"),
                               alignment=Alignment(wrap_text=True, vertical="top")),
            "star": register(font=bold, fill=PatternFill("solid", fgColor="F8CBAD")),
            "bold": register(font=bold),
        }


#: A row of a sheet: (value, style name or None) per cell; an empty list is a blank row.
_Row = list[tuple[Any, "str | None"]]


def _plain(value: Any) -> Any:
    """A cell value as the sheet stores it: None for missing, lists joined, numpy scalars as Python ones."""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def _sheet_rows(name: str, frame: pd.DataFrame) -> Iterator[_Row]:
    """The rows of a sheet: the header, the table, and for FRM / canonical the numbers with 1* styled, the
    driving (row) and dependence (column) totals and the legend."""
    index = has_index(frame)
    numeric = name in ("frm", "canonical")
    header = ([frame.index.name] if index else []) + [str(c) for c in frame.columns]
    if numeric:
        header.append("Driving power")
    yield [(h, "header") for h in header]
    if not numeric:
        for label, row in zip(frame.index, frame.itertuples(index=False, name=None)):
            yield ([(str(label), "bold")] if index else []) + [(_plain(v), None) for v in row]
        return
    values = frame.to_numpy(dtype=object)
    starred = values == "1*"
    ones = starred | (values == 1)
    driving, dependence = ones.sum(axis=1), ones.sum(axis=0)
    for r, label in enumerate(frame.index):
        cells: _Row = [(str(label), "bold")]
        cells += [(1, "star") if star else (int(v), None) for v, star in zip(values[r], starred[r])]
        cells.append((int(driving[r]), None))
        yield cells
    yield [("Dependence power", "header"), *((int(v), "header") for v in dependence)]
    yield []
    yield [("Legend", "bold")]
    for sample, star, meaning in EXCEL_LEGEND:
        yield [(sample, "star" if star else "bold" if isinstance(sample, str) else None), (meaning, None)]


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _sheet_data(rows: Iterator[_Row], styles: _Styles, header_height: float | None) -> str:
    """The ``<sheetData>`` of a sheet, written directly (texts as inline strings, never formulas): per-cell
    objects of openpyxl cost most of the time of a large workbook."""
    from openpyxl.utils import get_column_letter

    letters: list[str] = []
    ids = styles.ids
    out = ["<sheetData>"]
    for r, row in enumerate(rows, start=1):
        if not row:
            continue
        while len(letters) < len(row):
            letters.append(get_column_letter(len(letters) + 1))
        height = f' ht="{header_height:g}" customHeight="1"' if r == 1 and header_height else ""
        cells = []
        for letter, (value, style) in zip(letters, row):
            s = f' s="{ids[style]}"' if style else ""
            if value is None or value == "":
                if style:
                    cells.append(f'<c r="{letter}{r}"{s}/>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{letter}{r}"{s} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int):
                cells.append(f'<c r="{letter}{r}"{s} t="n"><v>{value}</v></c>')
            elif isinstance(value, float):
                cells.append(f'<c r="{letter}{r}"{s} t="n"><v>{value!r}</v></c>')
            else:
                text = _xml_escape(str(value))
                cells.append(f'<c r="{letter}{r}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
        out.append(f'<row r="{r}"{height}>{"".join(cells)}</row>')
    out.append("</sheetData>")
    return "".join(out)


def _text_width(values: Any) -> int:
    return max((len(cell_text(v)) for v in values), default=4)


def _write_sheet(wb: Any, name: str, frame: pd.DataFrame, styles: _Styles | None) -> tuple[_Styles, str]:
    """One table as one sheet: openpyxl writes its layout (widths, frozen panes, print set-up); the cells are
    returned as sheet XML (:func:`_sheet_data`) to put in place of the empty ``<sheetData>``."""
    from openpyxl.utils import get_column_letter

    numeric = name in ("frm", "canonical")
    square = name in SQUARE or name == "frm_marked"
    ws = wb.create_sheet("FRM marked" if name == "frm_marked" else table_title(name)[0])
    styles = styles or _Styles(wb, ws)
    index = has_index(frame)
    n_cols = frame.shape[1] + (1 if index else 0) + (1 if numeric else 0)
    height = None
    if square:
        widths: list[float] = [min(max(_text_width(frame.index) + 2, 6), 70)]
        widths += [min(max(len(str(h)) * 0.9, 5), 18) for h in frame.columns]
        if numeric:
            widths.append(10)
        height = 15 * min(4, 1 + max((len(str(x)) for x in frame.columns), default=1) // 14)
    else:
        widths = [min(max(_text_width(frame.index) + 2, 6), 70)] if index else []
        widths += [min(max(max(len(str(c)), _text_width(frame[c])) + 2, 6), 70) for c in frame.columns]
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "B2" if index else "A2"
    setup = ws.page_setup
    setup.orientation = "landscape" if n_cols > LANDSCAPE_COLUMNS else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    if index:
        ws.print_title_cols = "A:A"
    return styles, _sheet_data(_sheet_rows(name, frame), styles, height)


def _check_texts(name: str, frame: pd.DataFrame) -> None:
    """Every text of a sheet checked before the workbook is started (a write-only workbook cannot stop midway)."""
    from openpyxl.utils import get_column_letter

    title = "FRM marked" if name == "frm_marked" else table_title(name)[0]
    index = has_index(frame)
    offset = 1 if index else 0
    head = ([str(frame.index.name)] if index else []) + [str(c) for c in frame.columns]
    for c, text in enumerate(head, start=1):
        check_excel_text(text, f"sheet {title!r}, cell {get_column_letter(c)}1")
    if index:
        for r, label in enumerate(frame.index, start=2):
            check_excel_text(str(label), f"sheet {title!r}, cell A{r}")
    for c, column in enumerate(frame.columns, start=1 + offset):
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
            continue
        for r, v in enumerate(values, start=2):
            if isinstance(v, (list, tuple)):
                v = ", ".join(map(str, v))
            if isinstance(v, str):
                check_excel_text(v, f"sheet {title!r}, cell {get_column_letter(c)}{r}")


def write_excel(result: ISMResult | Mapping[str, pd.DataFrame], path: str | os.PathLike[str]) -> Path:
    """One workbook with every table: SSIM, IRM, FRM, the FRM with its 1* as text, each partition iteration,
    levels, canonical matrix, MICMAC, factors and a sheet of parameters and library version.

    The FRM and canonical sheets hold NUMBERS (1 and 0), so a spreadsheet SUM
    counts every relation; an entry added by transitivity (1*) is shown by its
    style (bold on orange) and explained in a legend below the table, with a
    column of driving power (row totals) and a row of dependence power (column
    totals), as papers print them. The sheet "FRM marked" holds the same matrix
    with the text ``1*``.

    Headers are bold, panes frozen below the header (and right of the factor
    column), columns sized to their content. Every sheet prints fitted to the
    page width, its header row (and factor column) repeated on every page;
    matrices wider than :data:`LANDSCAPE_COLUMNS` columns print in landscape.
    Every text cell is a string cell (never a formula); a text Excel cannot
    hold (over 32,767 characters, a control character) is refused with an
    :class:`~ism_health.exceptions.ISMInputError` naming the sheet and cell.
    The SSIM sheet is readable again by :func:`ism_health.read_ssim`. openpyxl
    writes the workbook's structure and styles; the cells are written as sheet
    XML directly (inline strings, never formulas), under a temporary name then
    renamed; the same tables give the same bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from openpyxl import load_workbook
    >>> from ism_health import analyze, read_ssim
    >>> from ism_health.datasets import load_example
    >>> from ism_health.export import write_excel
    >>> result = analyze(load_example("worked"))
    >>> path = write_excel(result, pathlib.Path(tempfile.mkdtemp()) / "ism.xlsx")
    >>> wb = load_workbook(path)
    >>> wb.sheetnames[:5]
    ['SSIM', 'IRM', 'FRM', 'FRM marked', 'Iteration 1']
    >>> frm = wb["FRM"]
    >>> frm["A1"].value, frm["G2"].value, frm["G2"].font.bold, frm["J1"].value, frm["J2"].value
    ('Factor', 1, True, 'Driving power', 6)
    >>> wb["FRM marked"]["G2"].value
    '1*'
    >>> read_ssim(path) == result.ssim
    True
    """
    from openpyxl import Workbook

    path = Path(path)
    tables = dict(as_tables(result))
    tables["frm_marked"] = tables["frm"]
    order = [*_SHEETS_BEFORE, *(k for k in tables if k.startswith("iteration_")), *_SHEETS_AFTER]
    order += [k for k in tables if k.startswith("panel_")]  # a result from a panel: its sheets last
    for name in order:
        _check_texts(name, tables[name])
    wb = Workbook(write_only=True)
    styles = None
    sheets: dict[str, bytes] = {}
    for k, name in enumerate(order, start=1):
        styles, data = _write_sheet(wb, name, tables[name], styles)
        sheets[f"xl/worksheets/sheet{k}.xml"] = data.encode("utf-8")
    wb.properties.creator = f"ism_health {__version__}"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME

    def fill(part: str, xml: bytes) -> bytes:
        if part not in sheets:
            return xml
        assert xml.count(b"<sheetData></sheetData>") == 1, part  # openpyxl wrote an empty sheet
        return xml.replace(b"<sheetData></sheetData>", sheets[part])

    with atomic_path(path) as tmp:
        wb.save(tmp)
        normalise_zip(tmp, transform=fill)
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
        rows = (([label] if index else []) + list(row) for label, row in body)
        written.append(write_csv_rows(folder / f"{name}.csv", itertools.chain([header], rows)))
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
    "[": "{[}",
    "]": "{]}",
    "\t": " ",
    "\r": " ",
    "\n": " ",
}

#: str.translate tables (one pass in C over each cell instead of a Python loop over its characters).
_LATEX_TABLE = str.maketrans(_LATEX_SPECIAL)
_MARKDOWN_TABLE = str.maketrans({**{ch: "\\" + ch for ch in "\\|*_`[]#"}, "<": "&lt;", ">": "&gt;",
                                 "\t": " ", "\r": " ", "\n": " "})


def latex_escape(text: Any) -> str:
    """Text safe inside a LaTeX table cell: ``& % $ # _ { } ~ ^ \\`` escaped, line breaks as spaces.

    Square brackets are braced (``{[}``), so a cell that starts with ``[``
    right after ``\\\\`` or ``\\toprule`` is never read as their optional argument.

    Examples
    --------
    >>> from ism_health.export import latex_escape
    >>> print(latex_escape("R&D 50% {x_1} ~ ^ \\\\ $#"))
    R\\&D 50\\% \\{x\\_1\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\$\\#
    >>> print(latex_escape("[2mm] risk"))
    {[}2mm{]} risk
    """
    return cell_text(text).translate(_LATEX_TABLE)


def markdown_escape(text: Any) -> str:
    """Text safe inside a Markdown table cell (pipes, emphasis marks, HTML brackets escaped).

    Examples
    --------
    >>> from ism_health.export import markdown_escape
    >>> markdown_escape("a|b *c* <d> 1*")
    'a\\\\|b \\\\*c\\\\* &lt;d&gt; 1\\\\*'
    """
    return cell_text(text).translate(_MARKDOWN_TABLE)


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


def latex_tables(
    result: ISMResult | Mapping[str, pd.DataFrame], folder: str | os.PathLike[str] | None = None
) -> dict[str, str]:
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


def markdown_tables(
    result: ISMResult | Mapping[str, pd.DataFrame], folder: str | os.PathLike[str] | None = None
) -> dict[str, str]:
    """Each table as a GitHub-flavoured Markdown table with a bold caption (written to ``<folder>/<name>.md``
    when given).

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
        write_text(path, text)
    return text
