"""``ism-health audit``: audit a published ISM study from a workbook of its printed tables.

``ism-health audit --template FILE`` writes the workbook to fill in: one sheet per
printed table (FRM, IRM, SSIM, Levels, Powers, Clusters) and an Instructions sheet.
A sheet left blank means "not printed". ``ism-health audit PAPER.xlsx -o OUT`` reads
it, audits the tables against each other and writes ``audit.html``, ``audit.xlsx``
and ``summary.txt`` into OUT. Exit codes, as for ``validate``: 0 consistent,
1 problems found, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ._files import check_output_folder
from .exceptions import ISMInputError

__all__ = ["HELP", "add_parser", "main", "read_workbook", "run", "setup", "write_template"]

HELP = "audit a published ISM study's printed tables (exit 0 consistent, 1 problems found, 2 bad input)"

_MATRICES = ("FRM", "IRM", "SSIM")
_LISTS = {
    "Levels": ("factor", "level"),
    "Powers": ("factor", "driving", "dependence"),
    "Clusters": ("factor", "cluster"),
}
_INSTRUCTIONS = [
    "Audit of a published ISM study: copy each table the paper PRINTS into its sheet, exactly as printed.",
    "Leave a sheet blank when the paper does not print that table. Do not correct anything.",
    "FRM: final reachability matrix. Cell A1 empty, factor labels across row 1 and down column A;",
    "     cells 1, 1* (added by transitivity) or 0. Rows influence columns.",
    "IRM: initial reachability matrix, same layout, cells 1 or 0.",
    "SSIM: same layout, V / A / X / O above the diagonal (the rest may stay empty).",
    "Levels: one row per factor under the headers factor, level (1 = top level).",
    "Powers: headers factor, driving, dependence.",
    "Clusters: headers factor, cluster (autonomous, dependent, linkage, independent, or I-IV).",
    "Then run: ism-health audit THIS_FILE.xlsx -o OUTDIR   (add --micmac-threshold X if the paper states one).",
]


def write_template(path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the workbook to fill in with a paper's printed tables.

    ``path`` must end in ``.xlsx``; an existing file (perhaps a filled-in
    template) is never replaced unless ``overwrite=True`` (``--force``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from openpyxl import load_workbook
    >>> from ism_health.cli_audit import write_template
    >>> out = write_template(pathlib.Path(tempfile.mkdtemp()) / "paper.xlsx")
    >>> load_workbook(out).sheetnames
    ['Instructions', 'FRM', 'IRM', 'SSIM', 'Levels', 'Powers', 'Clusters']
    """
    from openpyxl import Workbook

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ISMInputError(f"the template is an Excel workbook; expected a .xlsx path, got {str(path)!r}.")
    if path.is_dir():
        raise ISMInputError("is a folder; expected the .xlsx file to write.", source=str(path))
    if path.exists() and not overwrite:
        raise ISMInputError("exists already (perhaps filled in); choose a new name or add --force.", source=str(path))
    wb = Workbook()
    ws = wb.active
    ws.title = "Instructions"
    for r, line in enumerate(_INSTRUCTIONS, start=1):
        ws.cell(row=r, column=1, value=line)
    for name in _MATRICES:
        wb.create_sheet(name)
    for name, header in _LISTS.items():
        sheet = wb.create_sheet(name)
        for c, text in enumerate(header, start=1):
            sheet.cell(row=1, column=c, value=text)
    wb.save(path)
    return path


def _rows(ws: Any) -> list[list[Any]]:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    rows = [r for r in rows if any(v is not None and str(v).strip() != "" for v in r)]
    width = (
        max(
            (max((i for i, v in enumerate(r) if v is not None and str(v).strip() != ""), default=-1) for r in rows),
            default=-1,
        )
        + 1
    )
    return [r[:width] + [None] * (width - len(r)) for r in rows]


def _matrix(rows: list[list[Any]], sheet: str, source: str) -> pd.DataFrame:
    labels = [str(v).strip() if v is not None else "" for v in rows[0][1:]]
    body = rows[1:]
    if len(body) != len(labels):
        raise ISMInputError(
            f"sheet {sheet!r}: {len(labels)} column labels but {len(body)} rows; "
            f"expected a square table with labels in row 1 and column A.",
            source=source,
        )
    index = [str(r[0]).strip() if r[0] is not None else "" for r in body]
    cells = [["" if v is None else v for v in r[1:]] for r in body]
    return pd.DataFrame(cells, index=index, columns=labels, dtype=object)


def read_workbook(path: str | Path) -> dict[str, Any]:
    """Read a filled-in audit workbook: keyword arguments for :func:`ism_health.audit.audit`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from openpyxl import load_workbook
    >>> from ism_health.cli_audit import write_template, read_workbook
    >>> out = write_template(pathlib.Path(tempfile.mkdtemp()) / "paper.xlsx")
    >>> wb = load_workbook(out)
    >>> for row in [[None, "a", "b"], ["a", 1, 1], ["b", 0, 1]]:
    ...     wb["FRM"].append(row)
    >>> wb.save(out)
    >>> kwargs = read_workbook(out)
    >>> sorted(kwargs), kwargs["frm"].shape
    (['frm'], (2, 2))
    """
    from openpyxl import load_workbook

    path = Path(path)
    if not path.is_file():
        raise ISMInputError("no such file.", source=str(path))
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl, zipfile and the XML parser raise many types
        raise ISMInputError(f"cannot read as an Excel workbook ({type(exc).__name__}).", source=str(path)) from None

    def rows_of(sheet: str) -> list[list[Any]]:
        try:  # a read-only workbook parses a sheet lazily: a damaged part fails here, not in load_workbook
            return _rows(wb[sheet])
        except Exception as exc:  # noqa: BLE001 - a damaged sheet part fails in the XML parser or openpyxl
            raise ISMInputError(
                f"sheet {sheet!r} is damaged and cannot be read ({type(exc).__name__}: {exc}).", source=str(path)
            ) from None

    out: dict[str, Any] = {}
    try:
        for sheet in _MATRICES:
            if sheet in wb.sheetnames:
                rows = rows_of(sheet)
                if rows:
                    out[sheet.lower()] = _matrix(rows, sheet, str(path))
        for sheet, header in _LISTS.items():
            if sheet not in wb.sheetnames:
                continue
            rows = rows_of(sheet)
            if len(rows) <= 1:
                continue
            names = [str(v).strip().lower() if v is not None else "" for v in rows[0]]
            missing = [h for h in header if h not in names]
            if missing:
                raise ISMInputError(
                    f"sheet {sheet!r}: row 1 must hold the headers {', '.join(header)}; missing {', '.join(missing)}.",
                    source=str(path),
                )
            frame = pd.DataFrame([r for r in rows[1:]], columns=names).set_index("factor")
            frame.index = [str(x).strip() for x in frame.index]
            if sheet == "Levels":
                out["levels"] = frame["level"]
            elif sheet == "Clusters":
                out["clusters"] = frame["cluster"]
            else:
                out["driving"], out["dependence"] = frame["driving"], frame["dependence"]
    finally:
        wb.close()
    if not any(k in out for k in ("frm", "irm", "ssim")):
        raise ISMInputError(
            "the FRM, IRM and SSIM sheets are all blank; the audit needs at least one.", source=str(path)
        )
    return out


def setup(p: argparse.ArgumentParser) -> None:
    """Add the audit command's arguments to a parser.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_audit import setup
    >>> p = argparse.ArgumentParser()
    >>> setup(p)
    >>> p.parse_args(["paper.xlsx", "-o", "out"]).output
    PosixPath('out')
    """
    p.add_argument("input", nargs="?", type=Path, help="the filled-in workbook (see --template)")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUTDIR",
        help="write audit.html, audit.xlsx and summary.txt into this folder",
    )
    p.add_argument("--template", type=Path, metavar="FILE", help="write the workbook to fill in, and stop")
    p.add_argument(
        "--micmac-threshold", type=float, default=None, metavar="X", help="the MICMAC boundary the paper states, if any"
    )
    p.add_argument("--force", action="store_true", help="write into OUTDIR even when it is not empty")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``audit`` on an argparse subparsers object; returns the new parser.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_audit import add_parser
    >>> parser = argparse.ArgumentParser()
    >>> p = add_parser(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["audit", "--template", "t.xlsx"]).command
    'audit'
    """
    p = subparsers.add_parser(
        "audit",
        help=HELP,
        description=__doc__.split("\n\n")[1].replace("\n", " "),
        epilog="examples:\n  ism-health audit --template paper.xlsx\n  ism-health audit paper.xlsx -o audit_out\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    setup(p)
    p.set_defaults(_run=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``ism-health audit``: 0 consistent, 1 problems found; bad input raises ISMInputError (exit 2).

    Examples
    --------
    >>> import argparse, tempfile, pathlib
    >>> from ism_health.cli_audit import run
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> run(argparse.Namespace(template=path, input=None, output=None, micmac_threshold=None, force=False))
    wrote the template ...t.xlsx; fill in the tables the paper prints, then run: ism-health audit ...t.xlsx -o OUTDIR
    0
    """
    from .audit import audit

    if args.template is not None:
        path = write_template(args.template, overwrite=bool(getattr(args, "force", False)))
        print(
            f"wrote the template {path}; fill in the tables the paper prints, then run: "
            f"ism-health audit {path} -o OUTDIR"
        )
        return 0
    if args.input is None:
        raise ISMInputError("give the workbook to audit (or --template FILE to write one).")
    out = args.output
    if out is not None:
        check_output_folder(out, args.force)
    report = audit(**read_workbook(args.input), micmac_threshold=args.micmac_threshold)
    text = report.summary()
    print(text)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        report.to_html(out / "audit.html")
        report.to_excel(out / "audit.xlsx")
        (out / "summary.txt").write_text(text + "\n", encoding="utf-8")
        print(f"wrote {out / 'audit.html'}, {out / 'audit.xlsx'} and {out / 'summary.txt'}")
    return 0 if report.consistent else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point (``python -m ism_health.cli_audit``): bad input is one line and exit 2.

    Examples
    --------
    >>> from ism_health.cli_audit import main
    >>> main(["no_such_file.xlsx"])
    ism-health audit: no_such_file.xlsx: no such file.
    2
    """
    parser = argparse.ArgumentParser(prog="ism-health audit", description=HELP)
    setup(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except ISMInputError as err:
        print(f"ism-health audit: {err}", file=sys.stdout)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
