"""Reading and writing SSIMs (CSV, Excel, JSON), safe against formula injection.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula. Everything this module writes for people keeps
such text inert while preserving it for a reader:

* CSV: the cell is prefixed with a single quote (``'=HYPERLINK(...)``), the
  convention spreadsheets display as text; :func:`read_ssim` removes exactly
  one leading quote again, so a round trip is lossless. A label that itself
  begins with a quote is written with one more, for the same reason.
* Excel: every label is stored as a string cell, never as a formula.

The cell helpers live in :mod:`ism_health._files`; ``csv_safe``,
``csv_unescape`` and ``write_frame_to_sheet`` stay importable from here.
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import _cells
from ._cells import BLANK, NUMBER, ONE, OTHER, STAR, SYMBOL_CODE, TOKEN_TEXT, ZERO, check_label_values, classify_row
from ._files import csv_safe, csv_unescape, write_frame_to_sheet
from ._readers import Source, as_path, load_json, open_csv, open_workbook
from ._symbols import INVALID, LETTERS, cell_repr
from ._validation import check_labels
from .exceptions import ISMInputError, ISMWarning
from .ssim import _SSIM_JSON, SSIM

__all__ = [
    "read_ssim",
    "write_ssim",
    "validate_ssim",
    "MAX_FACTORS",
    "csv_safe",
    "csv_unescape",
    "write_frame_to_sheet",
]

#: The most factors :func:`read_ssim` reads from a table (a file of 10,000 factors is 100 million cells,
#: about 200 MB of CSV); raise it with ``read_ssim(..., max_factors=...)``.
MAX_FACTORS = 10_000
#: How many rows are looked at to find the header row (a title or notes may sit above the table).
HEAD_ROWS = 30
#: At most this many cells of one kind are quoted in an error (then a count of the rest).
_LISTED = 1000
#: "Many" relations for the FRM warning: a transitively closed input with at least this many relations per
#: factor and at least this share of the n(n - 1) possible ones warns that it may be an FRM.
FRM_WARNING_PER_FACTOR = 2
FRM_WARNING_SHARE = 0.25
_QUESTIONNAIRE_SHEETS = ("ism_meta",)
#: Cells per block when a whole table is scanned: the temporaries stay near this size, whatever n is.
_BLOCK_CELLS = 1 << 16


def _column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _place(kind: str, row: int, col: int) -> str:
    """A cell's position as the user sees it: ``cell C4`` in a workbook, ``line 4, column 3`` in a CSV file."""
    if kind == "xlsx":
        return f"cell {_column_letter(col)}{row}"
    if kind == "frame":
        return f"row {row}, column {col} of the DataFrame"
    return f"line {row}, column {col}"


def _file_namer(kind: str, row0: int = 1, col0: int = 1) -> Callable[[Sequence[str]], Callable[[int, int], str]]:
    """Cell names as a user sees them in the file: matrix cell (i, j) sits at file row i+row0+1."""

    def factory(labels: Sequence[str]) -> Callable[[int, int], str]:
        def name(i: int, j: int) -> str:
            return f"cell (row {labels[i]!r}, column {labels[j]!r}; {_place(kind, i + row0 + 1, j + col0 + 1)})"

        return name

    return factory


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)


def _text(v: Any, prep: Callable[[Any], Any]) -> str:
    return "" if _blank(v) else str(prep(v)).strip()


def _unescape(v: Any) -> Any:
    return csv_unescape(v) if isinstance(v, str) else v


def _same(v: Any) -> Any:
    return v


# ---------------------------------------------------------------------------------------------- sources
def _frame_source(frame: pd.DataFrame) -> Source:
    """The rows of a DataFrame as a table: labelled index and columns, or a raw grid."""
    default_index = isinstance(frame.index, pd.RangeIndex)
    default_cols = isinstance(frame.columns, pd.RangeIndex)
    rows: list[list[Any]] = []
    if not default_cols:
        rows.append(([None] if not default_index else []) + list(frame.columns))
    values = frame.to_numpy(dtype=object)
    index = list(frame.index)
    for k in range(len(frame)):
        rows.append(([index[k]] if not default_index else []) + list(values[k]))
    return Source(iter(rows), "DataFrame", "frame")


def _describe(rows: list[list[Any]]) -> str:
    """What a sheet holds, in a few words (for the message that lists the sheets)."""
    found = _locate(rows, _same)
    if found is not None:
        what, r, c = found
        if what == "pairs":
            return f"pair records (header at row {r + 1})"
        n = sum(1 for v in rows[r][c + 1 :] if not _blank(v))
        return f"a table of {n} factors (header at row {r + 1})"
    cells = [v for row in rows for v in row if not _blank(v)]
    if not cells:
        return "nothing (empty)"
    return f"{len(cells)} cells of text but no SSIM table (first: {str(cells[0])[:40]!r})"


def _workbook_source(path: Path, sheet: str | None) -> tuple[Source, Callable[[], None]]:
    wb = open_workbook(path)
    names = wb.sheetnames
    if not names:
        wb.close()
        raise ISMInputError(
            "the workbook has no readable worksheet (a worksheet part may be missing: the file may be damaged or "
            "only partly saved); open it in Excel or LibreOffice and save it again.",
            source=str(path),
        )
    if any(s in names for s in _QUESTIONNAIRE_SHEETS) or (
        "Instructions" in names and ("Questions" in names or "Matrix" in names)
    ):
        wb.close()
        raise ISMInputError(
            "this is an expert's questionnaire (written by write_questionnaire), not an SSIM. Read the filled forms "
            "with ism_health.read_panel(folder or files) and aggregate them (panel.aggregate()), then analyse the "
            "result.",
            source=str(path),
        )
    if sheet is not None:
        if not isinstance(sheet, str):
            wb.close()
            raise ISMInputError(
                f"sheet={sheet!r} is not allowed; expected a sheet name, one of {names}.", source=str(path)
            )
        if sheet not in names:
            wb.close()
            raise ISMInputError(f"no sheet {sheet!r}; the workbook has {names}.", source=str(path))
    elif "SSIM" in names or len(names) == 1:
        sheet = "SSIM" if "SSIM" in names else names[0]
    else:
        described = {name: _describe(list(wb.rows(name, HEAD_ROWS))) for name in names}
        tables = [name for name, what in described.items() if what.startswith(("a table", "pair records"))]
        if len(tables) != 1:
            wb.close()
            listing = "; ".join(f"{name!r}: {what}" for name, what in described.items())
            why = "no sheet holds an SSIM table" if not tables else f"{len(tables)} sheets hold a table"
            raise ISMInputError(
                f"{why}; name the sheet with sheet=... (command line: --sheet). Sheets: {listing}.", source=str(path)
            )
        sheet = tables[0]
    return Source(wb.rows(sheet), f"{path} [sheet {sheet!r}]", "xlsx"), wb.close


# ---------------------------------------------------------------------------------------------- the table
def _locate(head: list[list[Any]], prep: Callable[[Any], Any]) -> tuple[str, int, int] | None:
    """Where the table starts: ("table" | "pairs", header row, label column), or None when no row matches.

    A table's header row holds the factor labels from column c + 1 on, and the
    rows below it hold the same labels, in order, in column c. Only the first
    few rows with two cells or more are candidates (titles and notes sit above a
    table, not inside it), and a candidate after the first must hold a label that
    is not a symbol or a number, so rows of judgments are never taken for a header.
    """
    texts = [[_text(v, prep) for v in row] for row in head]
    first = None
    for r, t in enumerate(texts):
        if sum(1 for x in t if x) < 2:
            continue
        first = r if first is None else first
        if r > first + 5:
            break
        low = [x.lower() for x in t]
        for c in range(len(t) - 2):
            if low[c : c + 3] == ["factor_i", "factor_j", "symbol"]:
                return "pairs", r, c
        for c in range(len(t) - 1):
            k_max = min(3, len(texts) - r - 1, len(t) - c - 1)
            if k_max < 1 or not t[c + 1]:
                continue
            if r > first and all(_cells.classify(x) != OTHER for x in t[c + 1 :]):
                continue
            if all(
                t[c + 1 + k] and c < len(texts[r + 1 + k]) and texts[r + 1 + k][c] == t[c + 1 + k] for k in range(k_max)
            ):
                return "table", r, c
    return None


def _read_table(src: Source, kind: str, max_factors: int) -> SSIM:
    prep = _unescape if src.kind == "csv" else _same
    stream: Iterator[list[Any]] = src.rows
    head = list(itertools.islice(stream, HEAD_ROWS))
    wide = [r for r, row in enumerate(head) if sum(1 for v in row if not _blank(v)) >= 2]
    if not any(not _blank(v) for row in head for v in row):
        raise ISMInputError("the file is empty; expected a header row of factor labels.", source=src.name)
    found = _locate(head, prep)
    if found is None:
        if not wide:
            rows_hold = "the only row holds" if len(head) == 1 else f"the first {len(head)} rows hold"
            first = next((r, v) for r, row in enumerate(head) for v in row if not _blank(v))
            raise ISMInputError(
                f"no table found: {rows_hold} at most one "
                f"cell each (row {first[0] + 1}: "
                f"{str(first[1])[:60]!r}); expected a header row of factor labels and the same labels down the "
                "first column"
                + (
                    f" (the cells were split at each {_SEP_WORD.get(src.sep or ',', repr(src.sep))}; pass sep=... "
                    "if the "
                    "file uses another separator)."
                    if src.kind == "csv"
                    else "."
                ),
                source=src.name,
            )
        r = wide[0]
        first_cell = next(k for k, v in enumerate(head[r]) if not _blank(v))
        found = ("table", r, max(0, first_cell - 1) if first_cell > 1 else 0)
    what, r, c = found
    if kind == "pairs" or (kind == "auto" and what == "pairs"):
        if what != "pairs":
            raise ISMInputError(f"expected the header factor_i, factor_j, symbol; got {head[r][:3]}.", source=src.name)
        name = "row" if src.kind == "xlsx" else "line"
        records = [tuple((list(row[c : c + 3]) + [None] * 3)[:3]) for row in itertools.chain(head[r + 1 :], stream)]
        while records and all(_blank(v) for v in records[-1]):
            records.pop()
        records = [tuple(prep(v) for v in rec) for rec in records]
        gone = [
            p
            for k, rec in enumerate(records)
            for p in _cells.missing_text_problems(
                rec[:2], item=f"{name} {k + r + 2}, factor", place=lambda q: f"column {c + q}"
            )
        ]
        if gone:
            raise ISMInputError(gone, source=src.name)
        return SSIM.from_pairs(records, source=src.name, _row=lambda k: f"{name} {k + r + 2}")
    header = list(head[r])
    while header and _blank(header[-1]):
        header.pop()
    raw_labels = [prep(v) for v in header[c + 1 :]]
    n = len(raw_labels)
    where_header = "" if r == 0 else f" (the header row is row {r + 1})"
    if n > max_factors:
        raise ISMInputError(
            f"the table has {n:,} factors; read_ssim reads at most {max_factors:,} (an n x n table of {n:,} factors is "
            f"{n * n:,} cells). Pass max_factors= to read a larger one, or build the matrix with numpy and use "
            "SSIM(labels, adjacency) and ism_health.transitive_closure_packed.",
            source=src.name,
        )
    classes = np.full((n, n), BLANK, dtype=np.uint8)
    odd: dict[tuple[int, int], Any] = {}
    row_labels: list[Any] = []
    stray: list[str] = []
    rows_below, ended_at, file_row = 0, 0, r + 1
    for row in itertools.chain(head[r + 1 :], stream):
        file_row += 1
        if not row or all(_blank(v) for v in row):
            if rows_below and not ended_at:
                ended_at = file_row
            continue
        if ended_at:
            k = next(k for k, v in enumerate(row) if not _blank(v))
            stray.append(
                f"{_place(src.kind, file_row, k + 1)} holds {cell_repr(prep(row[k]))} below the end of the table"
            )
            if len(stray) >= 5:
                break
            continue
        i = rows_below
        rows_below += 1
        for k in range(min(c, len(row))):
            if not _blank(row[k]) and len(stray) < 5:
                stray.append(f"{_place(src.kind, file_row, k + 1)} holds {cell_repr(prep(row[k]))} left of the table")
        if i >= n:
            continue
        row_labels.append(row[c] if c < len(row) else None)
        cells = row[c + 1 : c + 1 + n]
        for k in classify_row(cells, classes[i], prep):
            if classes[i, k] in (NUMBER, OTHER) and len(odd) < 4 * _LISTED:
                odd[i, k] = prep(cells[k])
        for k in range(c + 1 + n, len(row)):
            if not _blank(row[k]) and len(stray) < 5:
                stray.append(
                    f"{_place(src.kind, file_row, k + 1)} holds {cell_repr(prep(row[k]))} right of the table "
                    f"(the table has {n} factors, columns {c + 2}-{c + 1 + n})"
                )
    if stray:
        raise ISMInputError(
            [f"a cell outside the table: {s}; remove it or move the table away from it." for s in stray],
            source=src.name,
        )
    if rows_below != n:
        end = f" (the table ends at the blank row {ended_at})" if ended_at and rows_below < n else ""
        raise ISMInputError(
            f"the table must be square: {n} factor labels in the header row{where_header} but {rows_below} rows below "
            f"it{end}.",
            source=src.name,
        )
    clean = [_text(v, _same) for v in raw_labels]
    clean_rows = [_text(v, prep) for v in row_labels]
    if clean != clean_rows:
        k = next(k for k, (a, b) in enumerate(zip(clean, clean_rows)) if a != b)
        raise ISMInputError(
            f"the header row and the first column must list the same factors in the same order; "
            f"factor {k + 1} is {clean[k]!r} in the header{where_header} but {clean_rows[k]!r} in the first column.",
            source=src.name,
        )
    labels = check_labels(
        check_label_values([None if _blank(v) else v for v in raw_labels], source=src.name), source=src.name
    )
    gone = _cells.missing_text_problems(labels, place=lambda k: _place(src.kind, r + 1, c + 1 + k))
    if gone:
        raise ISMInputError(gone, source=src.name)
    cell = _file_namer(src.kind, r + 1, c + 1)(labels)

    box = [classes]  # the only reference: the matrix path frees the classes once the adjacency is built
    del classes

    def shown(i: int, j: int) -> str:
        if (i, j) in odd:
            return cell_repr(odd[i, j])
        return TOKEN_TEXT.get(int(box[0][i, j]), "a cell of another kind")

    return _build(box, labels, cell, shown, src.name, kind, odd)


def _class_counts(classes: np.ndarray) -> np.ndarray:
    """How many cells off the diagonal hold each class (counted in blocks: no n² temporary)."""
    n = len(classes)
    step = max(1, _BLOCK_CELLS // max(n, 1))
    counts = np.zeros(11, dtype=np.int64)
    for i0 in range(0, n, step):
        counts += np.bincount(classes[i0 : i0 + step].ravel(), minlength=11)[:11]
    return counts - np.bincount(np.diagonal(classes), minlength=11)[:11]


def _build(
    box: list[np.ndarray],
    labels: list[str],
    cell: Callable[[int, int], str],
    shown: Callable[[int, int], str],
    source: str,
    kind: str,
    odd: dict[tuple[int, int], Any],
) -> SSIM:
    """Decide what the table is (by counting cell classes) and build the SSIM from the classes."""
    n = len(labels)
    counts = _class_counts(box[0])
    numbers = int(counts[ZERO] + counts[ONE] + counts[NUMBER])
    symbols = int(counts[_cells.V] + counts[_cells.A] + counts[_cells.X] + counts[_cells.O])
    stars = int(counts[STAR])
    if kind == "auto":
        if stars and stars + numbers >= symbols:
            i, j = (int(x) for x in np.argwhere(box[0] == STAR)[0])
            raise ISMInputError(
                f"this is a final reachability matrix (FRM), not an SSIM: {stars} "
                f"{'cell is' if stars == 1 else 'cells are'} "
                f"marked 1* (the first: "
                f"{cell(i, j)}). To analyse it, read it with read_ssim(path, kind='frm') (command line: --kind frm; "
                "SSIM.from_frm: the direct "
                "relations are the entries printed as 1, and the matrix is checked for transitivity); to check a "
                "paper's printed FRM, use ism_health.audit.",
                source=source,
            )
        kind = "matrix" if numbers > symbols else "symbols"
    if kind == "frm":
        return SSIM._from_frm_classes(box[0], labels, cell, shown, source)
    if kind == "matrix":
        zero_one = int(counts[ZERO] + counts[ONE])
        return _warn_if_closed(_build_matrix(box, labels, cell, shown, source, zero_one), source)
    # symbols: quote the cells that are no symbol before the classes become symbol codes (in place)
    step = max(1, _BLOCK_CELLS // max(n, 1))
    classes = box[0]
    codes = classes.view(np.int8)
    for i0 in range(0, n, step):
        block = SYMBOL_CODE[classes[i0 : i0 + step]]
        if len(odd) < 4 * _LISTED:
            for i, j in np.argwhere(block == INVALID)[:_LISTED].tolist():
                odd.setdefault((i + i0, j), _TEXT_OF.get(int(classes[i + i0, j]), None))
        codes[i0 : i0 + step] = block

    def shown_code(i: int, j: int) -> str:
        code = int(codes[i, j])
        if code == INVALID:
            return cell_repr(odd[i, j]) if odd.get((i, j)) is not None else "a value that is no symbol"
        return "blank" if code == -1 else "'-'" if code == -2 else repr(LETTERS[code])

    return _warn_if_closed(SSIM._from_codes(codes, labels, cell, shown_code, source), source)


_TEXT_OF = {ZERO: "0", ONE: "1", STAR: "1*"}
_SEP_WORD = {",": "comma", ";": "semicolon", "\t": "tab"}


def _build_matrix(
    box: list[np.ndarray],
    labels: list[str],
    cell: Callable[[int, int], str],
    shown: Callable[[int, int], str],
    source: str,
    zero_one: int,
) -> SSIM:
    n = len(labels)
    classes = box[0]
    bad = classes > ONE
    diag = np.diagonal(classes)
    bad[np.arange(n), np.arange(n)] = ~np.isin(diag, (ZERO, ONE, BLANK, _cells.DASH))
    where = np.flatnonzero(bad)
    del bad
    if len(where):
        why = f" (the table reads as a 0/1 matrix: {zero_one} of {n * (n - 1)} cells off the diagonal are 0 or 1)"
        problems = [
            f"{cell(i, j)} is {shown(i, j)}{' on the diagonal' if i == j else ''}; expected 0 or 1"
            + ("" if k else why)
            + "."
            for k, (i, j) in enumerate(divmod(int(x), n) for x in where[:_LISTED])
        ]
        if len(where) > _LISTED:
            problems.append(f"... and {len(where) - _LISTED} more cells like these.")
        raise ISMInputError(problems, source=source)
    adj = classes == ONE
    del classes
    box.clear()
    adj[np.arange(n), np.arange(n)] = False
    return SSIM._from_owned(labels, adj)


def _broken_on_sample(adj: np.ndarray, rows: int = 32) -> bool:
    """True when a few rows already show the relation is not transitive (so no full closure is needed).

    Row i is checked against the union of its successors' rows, in chunks, so the
    temporaries stay small; a single missing entry proves the input is not closed.
    """
    n = len(adj)
    for i in np.unique(np.linspace(0, n - 1, min(rows, n)).astype(int)).tolist():
        succ = np.flatnonzero(adj[i])
        reach = adj[i].copy()
        for k in range(0, len(succ), 256):
            reach |= adj[succ[k : k + 256]].any(axis=0)
        reach[i] = False
        if (reach & ~adj[i]).any():
            return True
    return False


def _warn_if_closed(ssim: SSIM, source: str) -> SSIM:
    """Warn when the input is already transitively closed with many relations: it may be an FRM."""
    from .reachability import transitive_closure

    adj = ssim.adjacency
    n = ssim.n_factors
    m = int(np.count_nonzero(adj))
    if m < max(FRM_WARNING_PER_FACTOR * n, FRM_WARNING_SHARE * n * (n - 1)) or _broken_on_sample(adj):
        return ssim
    closure = transitive_closure(adj)
    closure[np.arange(n), np.arange(n)] = False
    if np.array_equal(closure, adj):
        warnings.warn(
            f"{source}: the input is already transitively closed and holds {m} relations for {n} factors: it may be a "
            "final reachability matrix (FRM) rather than direct relations. From an FRM the levels come out right, but "
            "the digraph and the direct relations are not the study's: analyse the SSIM or the initial reachability "
            "matrix instead, or, if the FRM still has its 1* marks, read it with read_ssim(path, kind='frm') "
            "(command line: --kind frm).",
            ISMWarning,
            stacklevel=5,  # the caller of read_ssim (read_ssim -> _read_table -> _build -> here)
        )
    return ssim


# ---------------------------------------------------------------------------------------------- read_ssim
def read_ssim(
    path: str | os.PathLike[str] | pd.DataFrame,
    *,
    kind: Literal["auto", "symbols", "matrix", "pairs", "frm"] = "auto",
    sheet: str | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    max_factors: int = MAX_FACTORS,
) -> SSIM:
    """Read an SSIM from a CSV, Excel (.xlsx) or JSON file, or from a DataFrame.

    Tables have the factor labels in the header row and the same labels down
    the first column (the top-left cell is ignored); a title or notes above the
    table are skipped. ``kind="auto"`` tells the kind of table by counting its
    cells: V/A/X/O symbols, a 0/1 initial reachability matrix (most cells off
    the diagonal are 0 or 1; the odd ones are named), or long-form pairs (a
    header ``factor_i, factor_j, symbol``). A table with ``1*`` marks is a
    final reachability matrix: it is refused with one line that says so,
    unless ``kind="frm"`` (read by :meth:`SSIM.from_frm`). JSON is the format
    written by :meth:`SSIM.to_json`.

    Parameters
    ----------
    path : path or DataFrame
        The file (.csv, .xlsx, .xlsm, .json); a DataFrame with the labels as
        index and columns (or in its first column and header) is read the same way.
    kind : {"auto", "symbols", "matrix", "pairs", "frm"}
        What the table holds; ``"auto"`` decides from the cells.
    sheet : str, optional
        The worksheet. Default: ``SSIM`` if there is one, else the only sheet
        that holds a table (the message lists every sheet and what it holds
        when there is none or several).
    sep : str, optional
        The CSV separator; default: detected among ``,`` ``;`` (Excel in most
        of Europe) and tab.
    encoding : str, optional
        The CSV file's text encoding; default UTF-8 (with or without BOM;
        UTF-16 with a BOM is recognised). A file that is not UTF-8 is refused
        with the encoding it decodes with (e.g. ``"cp1252"``).
    max_factors : int
        The most factors read from a table (default :data:`MAX_FACTORS`); the
        cells are streamed into one byte each, so memory stays near n² bytes.

    Raises
    ------
    ISMInputError
        Naming the file (and sheet), each bad cell by its factors and its
        position as the spreadsheet shows it, and what was expected.

    Warns
    -----
    ISMWarning
        When the input is already transitively closed and has many
        relations -- at least ``2 n`` and at least a quarter of the n(n - 1)
        possible ones (:data:`FRM_WARNING_PER_FACTOR`, :data:`FRM_WARNING_SHARE`):
        it may be a final reachability matrix pasted as direct relations.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import read_ssim
    >>> from ism_health.datasets import load_example
    >>> ssim = load_example("worked")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ssim.csv"
    >>> ssim.to_csv(path)
    >>> read_ssim(path) == ssim
    True
    >>> _ = path.write_text("Table 1. SSIM\\nSSIM;Law;Trust\\nLaw;;V\\nTrust;;\\n")
    >>> read_ssim(path).symbol("Law", "Trust")
    'V'
    """
    if kind not in ("auto", "symbols", "matrix", "pairs", "frm"):
        raise ISMInputError(
            f"kind={kind!r} is not allowed; expected one of 'auto', 'symbols', 'matrix', 'pairs', 'frm'."
        )
    if isinstance(max_factors, bool) or not isinstance(max_factors, (int, np.integer)) or max_factors < 2:
        raise ISMInputError(f"max_factors={max_factors!r} is not allowed; expected an integer >= 2.")
    if isinstance(path, pd.DataFrame):
        return _read_table(_frame_source(path), kind, int(max_factors))
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise ISMInputError(
            f"read_ssim takes a path to a CSV, XLSX or JSON file, or a DataFrame; got {type(path).__name__}. "
            "For a table in memory use SSIM.from_symbols, SSIM.from_matrix or SSIM.from_pairs."
        )
    p = as_path(path)
    suffix = p.suffix.lower()
    if suffix == ".json":
        return _read_json(p)
    if suffix in (".csv", ".tsv"):
        return _read_table(
            open_csv(p, sep="\t" if sep is None and suffix == ".tsv" else sep, encoding=encoding),
            kind,
            int(max_factors),
        )
    if suffix in (".xlsx", ".xlsm"):
        src, close = _workbook_source(p, sheet)
        try:
            return _read_table(src, kind, int(max_factors))
        finally:
            close()
    if suffix == ".xls":
        raise ISMInputError("an old Excel .xls file; save it as .xlsx (Excel Workbook) or CSV first.", source=str(p))
    raise ISMInputError(f"unknown file type {suffix!r}; expected .csv, .tsv, .xlsx or .json.", source=str(p))


def _read_json(path: Path) -> SSIM:
    data = load_json(path)
    source = str(path)
    if not isinstance(data, dict):
        raise ISMInputError(
            f'expected a JSON object with "labels" and "pairs" (as written by SSIM.to_json); got a {_json_kind(data)}.',
            source=source,
        )
    fmt = data.get("format", _SSIM_JSON)
    if fmt != _SSIM_JSON:
        raise ISMInputError(f"unknown format {fmt!r}; this version reads {_SSIM_JSON!r}.", source=source)
    if "labels" not in data or "pairs" not in data:
        raise ISMInputError(
            'expected a JSON object with "labels" and "pairs" (as written by SSIM.to_json).', source=source
        )
    labels, pairs = data["labels"], data["pairs"]
    if not isinstance(labels, list):
        raise ISMInputError(f'"labels" must be a list of factor names; got a {_json_kind(labels)}.', source=source)
    bad = [
        f"labels[{k}] is a {_json_kind(v)}; expected a string." for k, v in enumerate(labels) if not isinstance(v, str)
    ]
    if not isinstance(pairs, list):
        bad.append(f'"pairs" must be a list of [factor_i, factor_j, symbol]; got a {_json_kind(pairs)}.')
    else:
        for k, rec in enumerate(pairs):
            if not isinstance(rec, list) or len(rec) != 3 or not all(isinstance(v, str) for v in rec):
                bad.append(f"pairs[{k}] is {_short(rec)}; expected [factor_i, factor_j, symbol], three strings.")
                if len(bad) >= _LISTED:
                    break
    if bad:
        raise ISMInputError(bad, source=source)
    return SSIM.from_pairs(pairs, labels=labels, source=source, _row=lambda k: f"pairs[{k}]")


def _json_kind(v: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(
        type(v), "null" if v is None else type(v).__name__
    )


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def write_ssim(
    ssim: SSIM, path: str | os.PathLike[str], *, format: Literal["auto", "csv", "xlsx", "json"] = "auto"
) -> None:
    """Write an SSIM to CSV, Excel or JSON (``format="auto"``: from the file suffix).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import SSIM, read_ssim
    >>> from ism_health.io import write_ssim
    >>> s = SSIM.from_symbols([["", "V"], ["", ""]], labels=["=1+1", "@risk"])
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("s.csv", "s.xlsx", "s.json"):
    ...     write_ssim(s, folder / name)
    ...     assert read_ssim(folder / name) == s
    >>> (folder / "s.csv").read_text().splitlines()[0]
    ",'=1+1,'@risk"
    """
    if not isinstance(path, (str, os.PathLike)):
        got = "None" if path is None else type(path).__name__
        raise ISMInputError(f"write_ssim takes a path to write to; got {got}.")
    path = Path(path)
    if path.is_dir():
        raise ISMInputError("is a folder; expected a file name ending in .csv, .xlsx or .json.", source=str(path))
    if format == "auto":
        format = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}.get(path.suffix.lower(), "")  # type: ignore[assignment]
        if not format:
            raise ISMInputError(f"cannot tell the format from {path.name!r}; use .csv, .xlsx or .json.")
    if format == "csv":
        ssim.to_csv(path)
    elif format == "xlsx":
        ssim.to_excel(path)
    elif format == "json":
        ssim.to_json(path)
    else:
        raise ISMInputError(f"format={format!r} is not allowed; expected one of 'auto', 'csv', 'xlsx', 'json'.")


def validate_ssim(data: Any, labels: Sequence[str] | None = None, *, kind: str = "symbols") -> list[str]:
    """Every problem in an SSIM input, as a list of messages (empty when valid).

    Parameters
    ----------
    data : table, records, or a path to a CSV / XLSX / JSON file
    labels : sequence of str, optional
    kind : {"symbols", "matrix", "pairs"}
        How to read in-memory ``data`` (files are detected by :func:`ism_health.read_ssim`).

    Examples
    --------
    >>> from ism_health import validate_ssim
    >>> for p in validate_ssim([["", "V", "Q"], ["", "", ""], ["", "", ""]]):
    ...     print(p)
    cell (row 'F1', column 'F3'; index [0, 2]) is 'Q' above the diagonal; expected one of V, A, X, O.
    no judgment for the pair ('F2', 'F3'): cell (row 'F2', column 'F3'; index [1, 2]) is blank;
    expected one of V, A, X, O (a missing cell is never read as O).
    """
    try:
        if isinstance(data, (str, os.PathLike)):
            read_ssim(data)
        else:
            build: dict[str, Callable[..., SSIM]] = {
                "symbols": SSIM.from_symbols,
                "matrix": SSIM.from_matrix,
                "pairs": SSIM.from_pairs,
            }
            if kind not in build:
                raise ISMInputError(f"kind={kind!r} is not allowed; expected one of 'symbols', 'matrix', 'pairs'.")
            build[kind](data, labels)
    except ISMInputError as err:
        return list(err.problems)
    return []
