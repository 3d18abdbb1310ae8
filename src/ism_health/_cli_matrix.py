"""Shared plumbing of the matrix commands (``fuzzy-micmac``, ``godet``): read a labelled matrix, write outputs.

A matrix file has the factor labels in the header row and the first column (the
top-left cell is ignored); CSV (UTF-8) or XLSX (first sheet unless one is named).
Outputs: every table as CSV (formula-safe cells) and all of them in one XLSX
workbook (strings stored as text), and each figure as PNG, SVG and PDF.
"""

from __future__ import annotations

import csv
import datetime
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ._files import check_output_folder, csv_safe, write_frame_to_sheet
from .exceptions import ISMInputError

__all__: list[str] = []


def read_rows(path: str | Path, sheet: str | None = None, *, what: str = "file") -> list[list[Any]]:
    """The cells of a CSV or XLSX file as rows (strings or numbers, blanks as ""); every failure located.

    A missing file, a folder, an unknown suffix, text that is not UTF-8, a CSV
    field over the csv module's limit and a damaged workbook (not a zip, a
    truncated or missing sheet part, bad shared strings: read inside the
    handling, never lazily after it) all raise :class:`ISMInputError` naming
    the file.
    """
    path = Path(path)
    if path.is_dir():
        raise ISMInputError(f"is a folder; expected a {what} (.csv or .xlsx).", source=str(path))
    if not path.is_file():
        raise ISMInputError("no such file (it does not exist).", source=str(path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            with open(path, newline="", encoding="utf-8-sig") as fh:
                rows: list[list[Any]] = [list(r) for r in csv.reader(fh)]
        except UnicodeDecodeError as exc:
            raise ISMInputError(
                f"cannot read as UTF-8 text ({exc.reason} at byte {exc.start}).", source=str(path)
            ) from None
        except (csv.Error, OSError) as exc:  # a field over the csv module's limit, a NUL byte, an I/O error
            raise ISMInputError(f"cannot read as a CSV table ({exc}).", source=str(path)) from None
        return [[c[1:] if isinstance(c, str) and c.startswith("'") else c for c in r] for r in rows]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken file
            raise ISMInputError(f"not a readable Excel workbook ({exc}).", source=str(path)) from None
        try:
            if not wb.sheetnames:
                raise ISMInputError("the workbook has no worksheet.", source=str(path))
            name = sheet if sheet is not None else wb.sheetnames[0]
            if name not in wb.sheetnames:
                raise ISMInputError(f"no sheet {name!r}; the workbook has {wb.sheetnames}.", source=str(path))
            try:  # read-only workbooks parse the sheet lazily: force the whole read here
                return [["" if v is None else v for v in r] for r in wb[name].iter_rows(values_only=True)]
            except ISMInputError:
                raise
            except Exception as exc:  # noqa: BLE001 - a damaged sheet part fails in the XML parser or openpyxl
                raise ISMInputError(
                    f"sheet {name!r} is damaged and cannot be read ({type(exc).__name__}: {exc}).", source=str(path)
                ) from None
        finally:
            wb.close()
    raise ISMInputError(f"unknown file type {suffix!r}; expected .csv or .xlsx.", source=str(path))


def read_table_file(path: str | Path, *, what: str = "table") -> pd.DataFrame:
    """A table with a header row (column names) from a CSV or XLSX file, every cell as text; failures located."""
    rows = [["" if v is None else str(v) for v in r] for r in read_rows(path, what=what)]
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ISMInputError(f"the file is empty; expected a {what} with a header row.", source=str(path))
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(rows[1:], columns=[c.strip() for c in rows[0]], dtype=object)


def read_matrix_file(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """A labelled square table from a CSV or XLSX file, cells as read (strings or numbers, blanks as "")."""
    path = Path(path)
    rows = read_rows(path, sheet, what="matrix file")

    def blank(v: Any) -> bool:
        return v is None or (isinstance(v, str) and not v.strip())

    while rows and all(blank(v) for v in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    while width and all(len(r) < width or blank(r[width - 1]) for r in rows):
        width -= 1
    rows = [(list(r) + [""] * width)[:width] for r in rows]
    if len(rows) < 3:
        raise ISMInputError("expected a header row of factor labels and one row per factor.", source=str(path))
    header = [str(v).strip() for v in rows[0][1:]]
    body = rows[1:]
    if len(body) != len(header):
        raise ISMInputError(
            f"{len(header)} column labels but {len(body)} factor rows; the matrix must be square.", source=str(path)
        )
    index = [str(r[0]).strip() for r in body]
    if index != header:
        diff = next(((r, c) for r, c in zip(index, header) if r != c), (None, None))
        raise ISMInputError(
            f"row labels and column labels must be the same factors in the same order; "
            f"first difference: row {diff[0]!r} vs column {diff[1]!r}.",
            source=str(path),
        )
    return pd.DataFrame([r[1:] for r in body], index=index, columns=header, dtype=object)


#: Characters that make a CSV field span cells or lines in some spreadsheet's locale: such a field is quoted.
_CSV_SPECIAL = frozenset(',;\t"\r\n')


def _csv_field(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        text = csv_safe(value)  # guards the start, every line and every piece after a separator of any locale
        return '"' + text.replace('"', '""') + '"' if not _CSV_SPECIAL.isdisjoint(text) else text
    return str(value)


def write_frame_csv(path: str | Path, frame: pd.DataFrame, *, index: bool = True) -> Path:
    r"""Write a table as UTF-8 CSV that no spreadsheet runs or splits: formula-safe text (:func:`csv_safe`, also
    after a line break inside a field), and every field holding ``,`` ``;`` tab, a quote, CR or LF quoted, whatever
    separator the spreadsheet's locale assumes. Numbers are written as pandas writes them; the file is written
    under a temporary name and renamed, so a failure leaves no half-written file.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> from ism_health._cli_matrix import write_frame_csv
    >>> frame = pd.DataFrame({"x": [1.5, -2]}, index=pd.Index(["a;=1+1", "b\r=2"], name="factor"))
    >>> path = write_frame_csv(pathlib.Path(tempfile.mkdtemp()) / "t.csv", frame)
    >>> path.read_bytes()
    b'factor,x\n"a;\'=1+1",1.5\n"b\r\'=2",-2.0\n'
    """
    path = Path(path)
    lines = [([str(frame.index.name or "")] if index else []) + [str(c) for c in frame.columns]]
    for label, row in zip(frame.index, frame.itertuples(index=False, name=None)):
        lines.append(([str(label)] if index else []) + list(row))
    text = "".join(",".join(_csv_field(v) for v in line) + "\n" for line in lines)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(path)
    except (OSError, UnicodeEncodeError) as exc:
        tmp.unlink(missing_ok=True)
        raise ISMInputError(f"cannot be written ({type(exc).__name__}: {exc}).", source=str(path)) from None
    return path


def prepare_outdir(outdir: str | Path, force: bool) -> Path:
    """Create the output folder; refuse a non-empty one unless ``force``."""
    out = check_output_folder(outdir, force)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_")


def _normalise_zip(path: Path) -> None:
    """Rewrite a zip file with fixed timestamps, so the same tables give the same bytes."""
    with zipfile.ZipFile(path) as zin:
        items = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            if name == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2000-01-01T00:00:00Z\g<2>", data
                )
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)


def write_outputs(
    out: Path, stem: str, tables: dict[str, pd.DataFrame], figures: dict[str, Callable[[Any], Any]]
) -> list[Path]:
    """Write tables (CSV each + one XLSX) and figures (PNG, SVG, PDF); return the paths written."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from openpyxl import Workbook

    written: list[Path] = []
    for name, frame in tables.items():
        written.append(write_frame_csv(out / f"{_slug(name)}.csv", frame))
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in tables.items():
        write_frame_to_sheet(wb.create_sheet(name[:31]), frame)
    wb.properties.created = wb.properties.modified = datetime.datetime(2000, 1, 1)
    path = out / f"{stem}.xlsx"
    wb.save(path)
    _normalise_zip(path)
    written.append(path)
    for name, draw in figures.items():
        fig, ax = plt.subplots(figsize=(7, 6))
        try:
            draw(ax)
            fig.tight_layout()
            for ext in ("png", "svg", "pdf"):
                p = out / f"{name}.{ext}"
                meta = {
                    "png": {"Software": None},
                    "svg": {"Date": None, "Creator": None},
                    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
                }[ext]
                with matplotlib.rc_context({"svg.hashsalt": "ism_health"}):  # same figure, same bytes
                    fig.savefig(p, dpi=200, metadata=meta, facecolor="white")
                written.append(p)
        finally:
            plt.close(fig)
    return written
