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

from .exceptions import ISMInputError
from ._files import csv_safe, write_frame_to_sheet

__all__: list[str] = []


def read_matrix_file(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """A labelled square table from a CSV or XLSX file, cells as read (strings or numbers, blanks as "")."""
    path = Path(path)
    if not path.is_file():
        raise ISMInputError(f"no such file: {path}.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            with open(path, newline="", encoding="utf-8-sig") as fh:
                rows: list[list[Any]] = [list(r) for r in csv.reader(fh)]
        except UnicodeDecodeError as exc:
            raise ISMInputError(
                f"cannot read as UTF-8 text ({exc.reason} at byte {exc.start}).", source=str(path)
            ) from None
        rows = [[c[1:] if isinstance(c, str) and c.startswith("'") else c for c in r] for r in rows]
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken file
            raise ISMInputError(f"not a readable Excel workbook ({exc}).", source=str(path)) from None
        try:
            name = sheet if sheet is not None else wb.sheetnames[0]
            if name not in wb.sheetnames:
                raise ISMInputError(f"no sheet {name!r}; the workbook has {wb.sheetnames}.", source=str(path))
            rows = [["" if v is None else v for v in r] for r in wb[name].iter_rows(values_only=True)]
        finally:
            wb.close()
    else:
        raise ISMInputError(f"unknown file type {suffix!r}; expected .csv or .xlsx.", source=str(path))

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


def prepare_outdir(outdir: str | Path, force: bool) -> Path:
    """Create the output folder; refuse a non-empty one unless ``force``."""
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise ISMInputError(f"output path {out} is a file, not a folder.")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ISMInputError(f"output folder {out} is not empty; choose another folder or add --force.")
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
        safe = frame.copy()
        safe.index = [csv_safe(str(x)) for x in safe.index]
        safe.columns = [csv_safe(str(x)) for x in safe.columns]
        safe = safe.map(csv_safe) if hasattr(safe, "map") else safe.applymap(csv_safe)
        path = out / f"{_slug(name)}.csv"
        safe.to_csv(path, encoding="utf-8")
        written.append(path)
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
