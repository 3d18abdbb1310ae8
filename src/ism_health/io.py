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

import csv
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from ._files import csv_safe, csv_unescape, write_frame_to_sheet
from .exceptions import ISMInputError
from .ssim import SSIM

__all__ = ["read_ssim", "write_ssim", "validate_ssim", "csv_safe", "csv_unescape", "write_frame_to_sheet"]


def _column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _file_namer(kind: Literal["csv", "xlsx"], row0: int = 1, col0: int = 1):
    """Cell names as a user sees them in the file: matrix cell (i, j) sits at file row i+row0+1."""

    def factory(labels: Sequence[str]):
        def name(i: int, j: int) -> str:
            r, c = i + row0 + 1, j + col0 + 1
            where = f"cell {_column_letter(c)}{r}" if kind == "xlsx" else f"line {r}, column {c}"
            return f"cell (row {labels[i]!r}, column {labels[j]!r}; {where})"

        return name

    return factory


def _read_rows(path: Path, sheet: str | None) -> tuple[list[list[Any]], str]:
    """The raw cells of a CSV file or a worksheet, and a description of the source."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            with open(path, newline="", encoding="utf-8-sig") as fh:
                rows = [[csv_unescape(c) for c in row] for row in csv.reader(fh)]
        except UnicodeDecodeError as exc:
            raise ISMInputError(f"cannot read as UTF-8 text ({exc.reason} at byte {exc.start}).", source=str(path)) from None
        return rows, str(path)
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise ISMInputError(f"not a readable Excel workbook ({exc}).", source=str(path)) from None
        try:
            if sheet is None:
                sheet = "SSIM" if "SSIM" in wb.sheetnames else wb.sheetnames[0]
            if sheet not in wb.sheetnames:
                raise ISMInputError(f"no sheet {sheet!r}; the workbook has {wb.sheetnames}.", source=str(path))
            rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
        finally:
            wb.close()
        return rows, f"{path} [sheet {sheet!r}]"
    raise ISMInputError(f"unknown file type {suffix!r}; expected .csv, .xlsx or .json.", source=str(path))


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop fully blank trailing rows and columns (spreadsheets leave them)."""

    def blank(v: Any) -> bool:
        return v is None or (isinstance(v, str) and not v.strip())

    rows = [list(r) for r in rows]
    while rows and all(blank(v) for v in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    while width and all(len(r) < width or blank(r[width - 1]) for r in rows):
        width -= 1
    return [(r + [None] * width)[:width] for r in rows]


def read_ssim(
    path: str | os.PathLike[str],
    *,
    kind: Literal["auto", "symbols", "matrix", "pairs"] = "auto",
    sheet: str | None = None,
) -> SSIM:
    """Read an SSIM from a CSV, Excel (.xlsx) or JSON file.

    Tables have the factor labels in the header row and the first column
    (the top-left cell is ignored). ``kind="auto"`` reads a table of V/A/X/O
    symbols, a 0/1 initial reachability matrix (when every cell off the
    diagonal is 0 or 1), or long-form pairs (a header ``factor_i, factor_j,
    symbol``). JSON is the format written by :meth:`SSIM.to_json`.

    Raises
    ------
    ISMInputError
        Naming the file (and sheet), each bad cell by its factors and its
        position as the spreadsheet shows it, and what was expected.

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
    """
    path = Path(path)
    if not path.exists():
        raise ISMInputError("no such file.", source=str(path))
    if kind not in ("auto", "symbols", "matrix", "pairs"):
        raise ISMInputError(f"kind={kind!r} is not allowed; expected one of 'auto', 'symbols', 'matrix', 'pairs'.")
    if path.suffix.lower() == ".json":
        return _read_json(path)
    rows, source = _read_rows(path, sheet)
    rows = _trim(rows)
    if not rows:
        raise ISMInputError("the file is empty; expected a header row of factor labels.", source=source)
    fmt: Literal["csv", "xlsx"] = "xlsx" if source != str(path) else "csv"
    header = [("" if v is None else str(v).strip().lower()) for v in rows[0]]
    is_pairs = header[:3] == ["factor_i", "factor_j", "symbol"]
    if kind == "pairs" or (kind == "auto" and is_pairs):
        if not is_pairs:
            raise ISMInputError(f"expected the header factor_i, factor_j, symbol; got {rows[0][:3]}.", source=source)
        def row_name(k: int) -> str:
            return f"row {k + 2}" if fmt == "xlsx" else f"line {k + 2}"

        return SSIM.from_pairs([tuple(r[:3]) for r in rows[1:]], source=source, _row=row_name)
    labels = rows[0][1:]
    body = [r[1:] for r in rows[1:]]
    row_labels = [r[0] for r in rows[1:]]
    clean = [("" if v is None else str(v).strip()) for v in labels]
    clean_rows = [("" if v is None else str(v).strip()) for v in row_labels]
    if len(body) != len(labels):
        raise ISMInputError(
            f"the table must be square: {len(labels)} factor labels in the header row but {len(body)} rows below it.",
            source=source,
        )
    if clean != clean_rows:
        k = next(k for k, (a, b) in enumerate(zip(clean, clean_rows)) if a != b)
        raise ISMInputError(
            f"the header row and the first column must list the same factors in the same order; "
            f"factor {k + 1} is {clean[k]!r} in the header but {clean_rows[k]!r} in the first column.",
            source=source,
        )
    namer = _file_namer(fmt)
    if kind == "auto":
        off = [v for i, r in enumerate(body) for j, v in enumerate(r) if i != j]
        numeric = all(
            (isinstance(v, (int, float)) and not isinstance(v, bool) and v in (0, 1))
            or (isinstance(v, str) and v.strip() in ("0", "1"))
            for v in off
        )
        kind = "matrix" if off and numeric else "symbols"
    build = SSIM.from_matrix if kind == "matrix" else SSIM.from_symbols
    return build(body, labels, source=source, _cell=namer)


def _read_json(path: Path) -> SSIM:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ISMInputError(f"not valid JSON ({exc}).", source=str(path)) from None
    if not isinstance(data, dict) or "labels" not in data or "pairs" not in data:
        raise ISMInputError(
            'expected a JSON object with "labels" and "pairs" (as written by SSIM.to_json).', source=str(path)
        )
    return SSIM.from_pairs(data["pairs"], labels=data["labels"], source=str(path))


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
    path = Path(path)
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
    no judgment for the pair ('F2', 'F3'): cell (row 'F2', column 'F3'; index [1, 2]) is blank; expected one of V, A, X, O (a missing cell is never read as O).
    """
    try:
        if isinstance(data, (str, os.PathLike)):
            read_ssim(data)
        else:
            build = {"symbols": SSIM.from_symbols, "matrix": SSIM.from_matrix, "pairs": SSIM.from_pairs}
            if kind not in build:
                raise ISMInputError(f"kind={kind!r} is not allowed; expected one of 'symbols', 'matrix', 'pairs'.")
            build[kind](data, labels)
    except ISMInputError as err:
        return list(err.problems)
    return []

