"""The raw rows of the files users bring: CSV in any common dialect and encoding, workbooks, JSON.

Each reader yields rows one at a time (lists of cells), so a caller can store
what it needs per cell and nothing more. Every failure -- a wrong encoding, an
unterminated quote, a field over the CSV module's limit, a damaged workbook, a
deeply nested or huge JSON document -- becomes an :class:`ISMInputError`
naming the file and the place, with what to do about it. Private to the package.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .exceptions import ISMInputError

__all__ = ["Source", "as_path", "open_csv", "open_workbook", "load_json", "SEPARATORS", "SNIFF_LINES"]

#: The separators detected when none is given: comma, semicolon (Excel in most of Europe), tab.
SEPARATORS: tuple[str, ...] = (",", ";", "\t")
#: How many lines the separator detection looks at.
SNIFF_LINES = 40
_SEP_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_CHUNK = 1 << 20
#: The largest JSON file read (bytes); an SSIM of 10,000 factors written by SSIM.to_json is about 2 GB, so this is
#: generous for every real study and stops a runaway file before it is parsed.
MAX_JSON_BYTES = 1 << 31


@dataclass
class Source:
    """Rows of one table, streamed, with how to name the file and its cells."""

    rows: Iterator[list[Any]]
    name: str
    kind: str  # "csv", "xlsx" or "frame"
    sep: str | None = None


def as_path(path: Any, *, what: str = "a CSV, XLSX or JSON file", func: str = "read_ssim") -> Path:
    """A path to an existing file, or an ISMInputError saying what was given instead."""
    if path is None or not isinstance(path, (str, os.PathLike)):
        got = "None" if path is None else type(path).__name__
        raise ISMInputError(f"{func} takes a path to {what}; got {got}.")
    try:
        p = Path(path)
        exists, is_dir = p.exists(), p.is_dir()
    except (OSError, ValueError) as exc:  # a NUL in the name, a name too long
        raise ISMInputError(f"not a usable file name ({exc}).", source=repr(str(path))) from None
    if not exists:
        raise ISMInputError("no such file.", source=str(p))
    if is_dir:
        raise ISMInputError(f"is a folder; expected {what}.", source=str(p))
    return p


def _sep_name(sep: str) -> str:
    return _SEP_NAMES.get(sep, repr(sep))


def _bom_encoding(path: Path) -> str | None:
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith(b"PK\x03\x04"):
        raise ISMInputError(
            "this is a zip archive (an Excel workbook?) with a CSV name; give it its own suffix (.xlsx).",
            source=str(path),
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _check_decodes(path: Path, encoding: str) -> None:
    """Decode the whole file in chunks; on failure, name the byte, the line and an encoding that works."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset, lines = 0, 1
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                start = max(0, exc.start - (len(exc.object) - len(chunk)))
                where = offset + start
                line = lines + chunk[:start].count(b"\n")
                raise ISMInputError(
                    f"cannot read as {encoding.upper().replace('-SIG', '')} text ({exc.reason} at byte {where}, "
                    f"line {line}). {_encoding_hint(path)}",
                    source=str(path),
                ) from None
            if not chunk:
                return
            offset += len(chunk)
            lines += chunk.count(b"\n")


def _encoding_hint(path: Path) -> str:
    for enc, name in (("cp1252", "Windows-1252 (Excel's 'CSV' on Windows in Western Europe)"), ("latin-1", "Latin-1")):
        decoder = codecs.getincrementaldecoder(enc)()
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    decoder.decode(chunk)
        except UnicodeDecodeError:
            continue
        return (
            f"It decodes as {name}: pass encoding={enc!r} (command line: --encoding {enc}), "
            "or save it from Excel as 'CSV UTF-8'."
        )
    return "Pass its encoding with encoding=... (command line: --encoding), or save it as UTF-8."


def _sniff(path: Path, encoding: str) -> str:
    """The separator that splits the first lines into the most consistent number of fields (> 1)."""
    with open(path, encoding=encoding, newline="", errors="replace") as fh:
        sample = fh.read(1 << 16)
    lines = [ln for ln in sample.splitlines()[:SNIFF_LINES] if ln.strip()]
    best, best_score = ",", (0, 0)
    for sep in SEPARATORS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=sep)]
        except csv.Error:
            continue
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        mode = max(set(wide), key=lambda c: (wide.count(c), c))
        score = (wide.count(mode), mode)
        if score > best_score:
            best, best_score = sep, score
    return best


def open_csv(path: Path, *, sep: str | None = None, encoding: str | None = None) -> Source:
    """Stream the rows of a CSV file, its separator detected (``,`` ``;`` tab) unless given."""
    if sep is not None and (not isinstance(sep, str) or len(sep) != 1 or sep in "\"'\r\n"):
        raise ISMInputError(f"sep={sep!r} is not allowed; expected one character such as ',', ';' or a tab.")
    if encoding is not None:
        if not isinstance(encoding, str):
            raise ISMInputError(f"encoding={encoding!r} is not allowed; expected a name such as 'utf-8' or 'cp1252'.")
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ISMInputError(
                f"encoding={encoding!r} is not a known text encoding; try 'utf-8' or 'cp1252'."
            ) from None
    bom = _bom_encoding(path)
    enc = encoding or bom or "utf-8-sig"
    _check_decodes(path, enc)
    if sep is None:
        sep = _sniff(path, enc)
    name = str(path) if sep == "," else f"{path} (separator: {_sep_name(sep)})"
    return Source(_csv_rows(path, enc, sep, name), name, "csv", sep)


def _csv_rows(path: Path, encoding: str, sep: str, name: str) -> Iterator[list[Any]]:
    limit = csv.field_size_limit()
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=sep, strict=True)
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                text = str(exc)
                if "field larger than field limit" in text:
                    why = (
                        f"a field is longer than {limit:,} characters (the CSV reader's limit); "
                        f'a quote (") opened on line {start} and never closed would do this'
                    )
                elif "unexpected end of data" in text:
                    why = f'a quote (") opened on line {start} is never closed (unterminated quoted field)'
                else:
                    why = f'the CSV text cannot be split into cells ({text}); check the quotes (") on this line'
                raise ISMInputError(f"line {start}: {why}.", source=name) from None
            start = reader.line_num + 1
            yield row


# ---------------------------------------------------------------------------------------------- workbooks
def _damaged(path: Path, exc: BaseException, where: str = "") -> ISMInputError:
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return ISMInputError(
        f"not a readable Excel workbook{where} ({detail[:300]}); the file may be damaged or only partly saved. "
        "Open it in Excel or LibreOffice and save it again.",
        source=str(path),
    )


class Workbook:
    """An open workbook whose every read is guarded: a damaged part becomes a located ISMInputError."""

    def __init__(self, path: Path) -> None:
        from openpyxl import load_workbook

        self.path = path
        self._fh = open(path, "rb")  # owned here, so a workbook that fails to load leaves no file open
        try:
            with warnings.catch_warnings():
                # openpyxl's notes on a file it repairs as it reads (no stylesheet, unknown
                # extensions) concern the file's formatting, never the values read here.
                warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
                self._wb = load_workbook(self._fh, read_only=True, data_only=True)
            self.sheetnames: list[str] = list(self._wb.sheetnames)
        except Exception as exc:  # openpyxl raises many types for a broken file
            self._fh.close()
            raise _damaged(path, exc) from None

    def rows(self, sheet: str, limit: int | None = None) -> Iterator[list[Any]]:
        """The rows of a sheet (at most ``limit``), parsed inside the guard."""
        try:
            ws = self._wb[sheet]
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # a damaged <dimension> must not pad every row to 16,384 cells
            for k, row in enumerate(ws.iter_rows(values_only=True)):
                if limit is not None and k >= limit:
                    return
                yield list(row)
        except ISMInputError:
            raise
        except Exception as exc:
            raise _damaged(self.path, exc, f": sheet {sheet!r} cannot be read") from None

    def close(self) -> None:
        try:
            self._wb.close()
        except Exception:  # closing a damaged archive must not hide the real error
            pass
        finally:
            self._fh.close()


def open_workbook(path: Path) -> Workbook:
    """Open a workbook read-only, every later read guarded."""
    return Workbook(path)


# ---------------------------------------------------------------------------------------------- JSON
def load_json(path: Path) -> Any:
    """Parse a JSON file; any failure (encoding, syntax, nesting, huge numbers) is an ISMInputError."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ISMInputError(f"cannot read the file ({exc.strerror}).", source=str(path)) from None
    if size > MAX_JSON_BYTES:
        raise ISMInputError(f"the JSON file is {size:,} bytes; at most {MAX_JSON_BYTES:,} are read.", source=str(path))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ISMInputError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start}); JSON must be UTF-8.", source=str(path)
        ) from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ISMInputError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.", source=str(path)
        ) from None
    except RecursionError:
        raise ISMInputError("not usable JSON: nested too deeply.", source=str(path)) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise ISMInputError(f"not usable JSON: {exc}.", source=str(path)) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")
