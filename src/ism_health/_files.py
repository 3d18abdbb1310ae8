r"""Formula-safe cells and table writers: CSV rows, Excel sheets, text files, stable zips.

This module knows no ISM type: it writes tables (pandas DataFrames) and rows of
cells. A spreadsheet runs a cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return as a formula; everything written here keeps such text
inert while preserving it for a reader:

* CSV: the cell is prefixed with a single quote (``'=HYPERLINK(...)``), the
  convention spreadsheets display as text, and so is every LINE inside a cell
  that starts so (a label holding a line break cannot smuggle in a formula row);
  :func:`csv_unescape` removes exactly one leading quote per line again, so a
  round trip is lossless. A text that itself begins with a quote is written
  with one more, for the same reason. A field is quoted when it holds a
  separator of any locale (``,`` ``;`` tab), a double quote, CR or LF
  (:func:`csv_line`); lines end with ``\n`` (a bare ``\r`` is always quoted).
* Excel: every text is stored as a string cell, never as a formula
  (:func:`write_frame_to_sheet`); a text Excel cannot hold (over 32,767
  characters, or a control character such as ``\x00``) is refused with a
  located :class:`~ism_health.exceptions.ISMInputError`, never cut or dropped
  (:func:`check_excel_text`).

Every file is written to a temporary name in the same folder and renamed
(:func:`atomic_path`), so a full disk or a text that cannot be encoded leaves
no half-written file behind.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .exceptions import ISMInputError

__all__ = [
    "FORMULA_START",
    "CSV_QUOTE",
    "EXCEL_MAX_TEXT",
    "FIGURE_LOCK",
    "check_output_folder",
    "csv_safe",
    "csv_line",
    "check_excel_text",
    "atomic_path",
    "write_bytes",
    "write_text",
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

#: Characters that make a CSV field quoted: the separators of every locale, the quote, CR and LF.
CSV_QUOTE: frozenset[str] = frozenset(',;\t"\r\n')

#: The longest text an Excel cell holds.
EXCEL_MAX_TEXT = 32767

#: Held while a figure is drawn and saved: matplotlib's pyplot and ``rc_context`` are process-global,
#: so figures drawn from several threads at once would otherwise get each other's settings.
FIGURE_LOCK = threading.RLock()

_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
#: Where a spreadsheet may start a new cell inside a field: a line break, or a separator of any locale.
_PIECE_BREAK = re.compile(r"(\r\n|\r|\n|,|;|\t)")
_GUARDED = (*FORMULA_START, "'")


def csv_safe(text: Any) -> Any:
    r"""Make a value inert for spreadsheets that open a CSV file; non-strings pass through.

    The text, and every piece of it after a line break or after a separator of
    any locale (``,`` ``;`` tab: a spreadsheet set to another separator splits
    the cell there), that starts like a formula (or with a single quote) gets
    one more single quote in front. :func:`csv_unescape` undoes it exactly.

    Examples
    --------
    >>> from ism_health._files import csv_safe, csv_unescape
    >>> csv_safe('=HYPERLINK("http://x", "click")')
    '\'=HYPERLINK("http://x", "click")'
    >>> csv_safe("Trust"), csv_unescape(csv_safe("-risk"))
    ('Trust', '-risk')
    >>> csv_safe("x\r+cmd|' /C calc'!A0")
    "x\r'+cmd|' /C calc'!A0"
    >>> csv_safe("a;=1+1"), csv_safe("Costs, staff")
    ("a;'=1+1", 'Costs, staff')
    >>> all(csv_unescape(csv_safe(t)) == t for t in ["a\n=1\r\n'b", "x;'=1", "p,,q", "'", ";@x"])
    True
    """
    if not isinstance(text, str):
        return text
    if _PIECE_BREAK.search(text) is None:
        return "'" + text if text.startswith(_GUARDED) else text
    parts = _PIECE_BREAK.split(text)  # piece, break, piece, break, ..., piece
    for k in range(0, len(parts), 2):
        # what follows this point starts like a formula (an empty piece: the next break, as a tab or CR can)
        follows = parts[k] or (parts[k + 1] if k + 1 < len(parts) else "")
        if follows.startswith(_GUARDED):
            parts[k] = "'" + parts[k]
    return "".join(parts)


def csv_unescape(text: str) -> str:
    r"""Undo :func:`csv_safe`: drop one leading single quote of the text and of every piece after a line
    break or a separator (``,`` ``;`` tab).

    Examples
    --------
    >>> from ism_health._files import csv_unescape
    >>> csv_unescape("'=SUM(A1)"), csv_unescape("Trust"), csv_unescape("a\n'=1"), csv_unescape("a;'=1")
    ('=SUM(A1)', 'Trust', 'a\n=1', 'a;=1')
    """
    if _PIECE_BREAK.search(text) is None:
        return text[1:] if text.startswith("'") else text
    parts = _PIECE_BREAK.split(text)
    for k in range(0, len(parts), 2):
        if parts[k].startswith("'"):
            parts[k] = parts[k][1:]
    return "".join(parts)


def _quote(text: str) -> str:
    if CSV_QUOTE.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def csv_line(cells: Iterable[Any], *, lineterminator: str = "\n") -> str:
    r"""One CSV line: every cell formula-safe text (:func:`cell_text`, :func:`csv_safe`), quoted when it holds
    ``,`` ``;`` tab, ``"``, CR or LF, so it stays one cell whatever separator a spreadsheet assumes.

    Examples
    --------
    >>> from ism_health._files import csv_line
    >>> csv_line(["a;b", 'a "b" c', "x\ry", 3, True])
    '"a;b","a ""b"" c","x\ry",3,true\n'
    """
    fields = [_quote(csv_safe(cell_text(v))) for v in cells]
    if fields == [""]:
        fields = ['""']  # a row of one empty cell, not a blank line that readers skip
    return ",".join(fields) + lineterminator


_COUNTER = itertools.count()


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path in the same folder (same suffix) that replaces ``path`` only when the block succeeds.

    On any error the temporary file is removed and ``path`` is left as it was:
    no half-written file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health._files import atomic_path
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(path) as tmp:
    ...     _ = tmp.write_text("done")
    >>> path.read_text(), [p.name for p in path.parent.iterdir()]
    ('done', ['a.txt'])
    """
    path = Path(path)
    tmp = path.with_name(f".~{os.getpid()}-{threading.get_ident()}-{next(_COUNTER)}-{path.name}")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write bytes through :func:`atomic_path`; returns the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health._files import write_bytes
    >>> write_bytes(pathlib.Path(tempfile.mkdtemp()) / "b.bin", b"ok").read_bytes()
    b'ok'
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    r"""Write UTF-8 text through :func:`atomic_path`; text UTF-8 cannot encode (a lone surrogate) is a
    located :class:`~ism_health.exceptions.ISMInputError` and nothing is written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health._files import write_text
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.txt"
    >>> write_text(path, "é").read_bytes()
    b'\xc3\xa9'
    >>> try:
    ...     write_text(path.with_name("bad.txt"), "ok \ud800")
    ... except ValueError as err:
    ...     print(str(err).split(": ", 1)[1])
    cannot be written as UTF-8: the text holds '\ud800' (a lone surrogate or similar) at character 3.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ISMInputError(
            f"cannot be written as UTF-8: the text holds {exc.object[exc.start:exc.end]!r} "
            f"(a lone surrogate or similar) at character {exc.start}.",
            source=str(path),
        ) from None
    return write_bytes(path, data)


_EXCEL_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_excel_text(text: str, where: str) -> str:
    r"""Return ``text`` when an Excel cell can hold it; else raise an ISMInputError naming ``where``.

    Excel holds at most 32,767 characters in a cell and no control character
    other than tab, CR and LF; such a text is refused, never cut or dropped.

    Examples
    --------
    >>> from ism_health._files import check_excel_text
    >>> check_excel_text("Trust", "sheet 'FRM', cell A2")
    'Trust'
    >>> try:
    ...     check_excel_text("a\x01b", "sheet 'FRM', cell A2")
    ... except ValueError as err:
    ...     print(str(err)[:58])
    sheet 'FRM', cell A2: the text holds the character U+0001
    """
    if len(text) > EXCEL_MAX_TEXT:
        raise ISMInputError(
            f"the text has {len(text):,} characters, over the {EXCEL_MAX_TEXT:,} an Excel cell holds "
            f"(starts {text[:40]!r}); shorten the label (other formats keep it whole).",
            source=where,
        )
    bad = _EXCEL_ILLEGAL.search(text)
    if bad:
        raise ISMInputError(
            f"the text holds the character U+{ord(bad.group()):04X} at character {bad.start()} "
            "(a control character or lone surrogate), which an Excel cell cannot store; remove it from the label.",
            source=where,
        )
    return text


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

    A text Excel cannot hold is refused (:func:`check_excel_text`).

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
    from openpyxl.utils import get_column_letter

    def put(r: int, c: int, value: Any) -> None:
        if isinstance(value, (list, tuple)):
            value = ", ".join(map(str, value))
        if isinstance(value, str):
            check_excel_text(value, f"sheet {ws.title!r}, cell {get_column_letter(c)}{r}")
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
    """Write rows of cells to a UTF-8 CSV file, every cell as formula-safe text (:func:`csv_line`).

    ``rows`` may be any iterable (a generator): the file is written row by row
    under a temporary name, then renamed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health._files import write_csv_rows
    >>> path = write_csv_rows(pathlib.Path(tempfile.mkdtemp()) / "t.csv", [["a", "=1+1"], [True, None]])
    >>> path.read_text(encoding="utf-8")
    "a,'=1+1\\ntrue,\\n"
    """
    path = Path(path)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        for k, row in enumerate(rows, start=1):  # streamed: memory bounded by one row, whatever the file's size
            line = csv_line(row, lineterminator=lineterminator)
            try:
                fh.write(line)
            except UnicodeEncodeError as exc:
                raise ISMInputError(
                    f"line {k}: cannot be written as UTF-8 ({exc.object[exc.start:exc.end]!r}, a lone surrogate or "
                    "similar).",
                    source=str(path),
                ) from None
    return path


def write_matrix_csv(path: str | Path, frame: pd.DataFrame) -> Path:
    """Write a labelled table as CSV: an empty top-left cell, labels in the header row and first column (formula-safe).

    Lines end with ``\\r\\n`` (as 0.1 wrote them); cells are quoted and made
    inert by :func:`csv_line`.

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
    lines = [csv_line(["", *frame.columns], lineterminator="\r\n")]
    for label, row in zip(frame.index, frame.itertuples(index=False, name=None)):
        lines.append(csv_line([label, *row], lineterminator="\r\n"))
    return write_text(path, "".join(lines))


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
    with atomic_path(path) as tmp:
        wb.save(tmp)
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
    write_text(path, text)
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
        paths.append(write_text(folder / f"{name}{suffix}", text))
    return paths


def normalise_zip(path: str | Path, *, transform: Callable[[str, bytes], bytes] | None = None) -> None:
    """Rewrite a zip file (an .xlsx) with fixed timestamps and order, so equal content gives equal bytes.

    ``transform(name, data)``, when given, may change each member on the way.

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
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            if transform is not None:
                data = transform(name, data)
            if name == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)


def check_output_folder(folder: str | os.PathLike[str], force: bool) -> Path:
    """Refuse an output path that is a file, or a non-empty folder without ``force`` (the CLI's ``--force``).

    Every command that writes a folder calls it before any work, so a mistyped ``-o`` never
    overwrites anything. Returns the folder as a Path; nothing is created.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health._files import check_output_folder
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "old.txt").write_text("x")
    >>> check_output_folder(folder, force=True) == folder
    True
    >>> check_output_folder(folder, force=False)
    Traceback (most recent call last):
    ...
    ism_health.exceptions.ISMInputError: output folder ... is not empty; choose another folder or add --force.
    """
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ISMInputError(f"output {out} exists and is not a folder.")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ISMInputError(f"output folder {out} is not empty; choose another folder or add --force.")
    return out
