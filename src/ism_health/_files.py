"""Formula-safe cells and table writers: CSV rows, Excel sheets, text files, stable zips.

This module knows no ISM type: it writes tables (pandas DataFrames) and rows of
cells. A spreadsheet runs a cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return as a formula; everything written here keeps such text
inert while preserving it for a reader:

* CSV: the cell is prefixed with a single quote (``'=HYPERLINK(...)``), the
  convention spreadsheets display as text; :func:`csv_unescape` removes exactly
  one leading quote again, so a round trip is lossless. A text that itself
  begins with a quote is written with one more, for the same reason.
* Excel: every text is stored as a string cell, never as a formula
  (:func:`write_frame_to_sheet`).
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "FORMULA_START",
    "csv_safe",
    "csv_unescape",
    "cell_text",
    "write_frame_to_sheet",
    "write_csv_rows",
    "write_matrix_csv",
    "write_matrix_xlsx",
    "write_json",
    "write_texts",
    "normalise_zip",
]

#: First characters that make a spreadsheet run a cell as a formula.
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: Any) -> Any:
    """Make a value inert for spreadsheets that open a CSV file; non-strings pass through.

    Examples
    --------
    >>> from ism_health._files import csv_safe, csv_unescape
    >>> csv_safe('=HYPERLINK("http://x", "click")')
    '\\'=HYPERLINK("http://x", "click")'
    >>> csv_safe("Trust"), csv_unescape(csv_safe("-risk"))
    ('Trust', '-risk')
    """
    if isinstance(text, str) and text.startswith((*FORMULA_START, "'")):
        return "'" + text
    return text


def csv_unescape(text: str) -> str:
    """Undo :func:`csv_safe`: drop one leading single quote.

    Examples
    --------
    >>> from ism_health._files import csv_unescape
    >>> csv_unescape("'=SUM(A1)"), csv_unescape("Trust")
    ('=SUM(A1)', 'Trust')
    """
    return text[1:] if text.startswith("'") else text


def cell_text(value: Any) -> str:
    """A cell as text: booleans as ``true`` / ``false``, missing values as an empty string.

    Examples
    --------
    >>> from ism_health._files import cell_text
    >>> cell_text(True), cell_text(None), cell_text(float("nan")), cell_text(3)
    ('true', '', '', '3')
    """
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def write_frame_to_sheet(ws: Any, frame: pd.DataFrame, *, index: bool = True, start_row: int = 1) -> None:
    """Write a DataFrame to an openpyxl worksheet, every string stored as text (never a formula).

    Examples
    --------
    >>> import pandas as pd
    >>> from openpyxl import Workbook
    >>> from ism_health._files import write_frame_to_sheet
    >>> ws = Workbook().active
    >>> write_frame_to_sheet(ws, pd.DataFrame({"name": ["=1+1"]}, index=["r1"]))
    >>> ws["B2"].value, ws["B2"].data_type
    ('=1+1', 's')
    """
    from openpyxl.cell.cell import TYPE_STRING

    def put(r: int, c: int, value: Any) -> None:
        if isinstance(value, (list, tuple)):
            value = ", ".join(map(str, value))
        cell = ws.cell(row=r, column=c)
        if isinstance(value, str):
            cell.value = value
            cell.data_type = TYPE_STRING
        elif value is None or (isinstance(value, float) and value != value) or value is pd.NA:
            cell.value = None
        else:
            cell.value = value.item() if hasattr(value, "item") else value

    offset = 1 if index else 0
    if index:
        put(start_row, 1, "" if frame.index.name is None else str(frame.index.name))
    for c, name in enumerate(frame.columns, start=1 + offset):
        put(start_row, c, str(name))
    for r, (label, row) in enumerate(zip(frame.index, frame.itertuples(index=False, name=None)), start=start_row + 1):
        if index:
            put(r, 1, str(label))
        for c, value in enumerate(row, start=1 + offset):
            put(r, c, value)


def write_csv_rows(path: str | Path, rows: Iterable[Sequence[Any]], *, lineterminator: str = "\n") -> Path:
    """Write rows of cells to a UTF-8 CSV file, every cell as formula-safe text (:func:`cell_text`, :func:`csv_safe`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health._files import write_csv_rows
    >>> path = write_csv_rows(pathlib.Path(tempfile.mkdtemp()) / "t.csv", [["a", "=1+1"], [True, None]])
    >>> path.read_text(encoding="utf-8")
    "a,'=1+1\\ntrue,\\n"
    """
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator=lineterminator)
        for row in rows:
            w.writerow([csv_safe(cell_text(v)) for v in row])
    return path


def write_matrix_csv(path: str | Path, frame: pd.DataFrame) -> Path:
    """Write a labelled table as CSV: an empty top-left cell, labels in the header row and first column (formula-safe).

    Cells are written as Python's :mod:`csv` writes them (``\\r\\n`` line ends);
    labels are made inert with :func:`csv_safe`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from ism_health._files import write_matrix_csv
    >>> frame = pd.DataFrame([["", "V"], ["", ""]], index=["=a", "b"], columns=["=a", "b"])
    >>> path = write_matrix_csv(pathlib.Path(tempfile.mkdtemp()) / "m.csv", frame)
    >>> path.read_text(encoding="utf-8").splitlines()
    [",'=a,b", "'=a,,V", 'b,,']
    """
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["", *(csv_safe(x) for x in frame.columns)])
        for label, row in zip(frame.index, frame.itertuples(index=False, name=None)):
            w.writerow([csv_safe(label), *row])
    return path


def write_matrix_xlsx(path: str | Path, frame: pd.DataFrame, *, sheet: str) -> Path:
    """Write a labelled table to a one-sheet workbook (text cells never formulas; panes frozen at B2).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from openpyxl import load_workbook
    >>> from ism_health._files import write_matrix_xlsx
    >>> frame = pd.DataFrame([["", "V"], ["", ""]], index=["=a", "b"], columns=["=a", "b"])
    >>> path = write_matrix_xlsx(pathlib.Path(tempfile.mkdtemp()) / "m.xlsx", frame, sheet="SSIM")
    >>> ws = load_workbook(path)["SSIM"]
    >>> ws["B1"].value, ws["C2"].value, ws.freeze_panes
    ('=a', 'V', 'B2')
    """
    from openpyxl import Workbook

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    write_frame_to_sheet(ws, frame)
    ws.freeze_panes = "B2"
    wb.save(path)
    return path


def write_json(path: str | Path, data: Any, *, allow_nan: bool = True) -> str:
    """Write ``data`` as UTF-8 JSON (indent 1, non-ASCII kept, a final newline); returns the text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health._files import write_json
    >>> write_json(pathlib.Path(tempfile.mkdtemp()) / "d.json", {"a": ["é"]})
    '{\\n "a": [\\n  "é"\\n ]\\n}\\n'
    """
    text = json.dumps(data, indent=1, ensure_ascii=False, allow_nan=allow_nan) + "\n"
    Path(path).write_text(text, encoding="utf-8")
    return text


def write_texts(texts: dict[str, str], folder: str | Path, suffix: str) -> list[Path]:
    """Write each text to ``<folder>/<name><suffix>`` (UTF-8; the folder is created); returns the paths.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health._files import write_texts
    >>> [p.name for p in write_texts({"a": "x", "b": "y"}, pathlib.Path(tempfile.mkdtemp()) / "t", ".md")]
    ['a.md', 'b.md']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in texts.items():
        path = folder / f"{name}{suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def normalise_zip(path: str | Path) -> None:
    """Rewrite a zip file (an .xlsx) with fixed timestamps and order, so equal content gives equal bytes.

    Examples
    --------
    >>> import tempfile, pathlib, zipfile
    >>> from ism_health._files import normalise_zip
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.zip"
    >>> with zipfile.ZipFile(path, "w") as z:
    ...     z.writestr("x.txt", "hello")
    >>> normalise_zip(path)
    >>> zipfile.ZipFile(path).infolist()[0].date_time
    (2000, 1, 1, 0, 0, 0)
    """
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
