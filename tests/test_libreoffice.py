"""Hostile labels opened in a real spreadsheet (LibreOffice Calc, headless): no formula is ever evaluated (issue 17).

The result's CSV tables and its Excel workbook, written with factor names a
spreadsheet would run (``=1+1``, ``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``,
``@SUM(1)``, ``-2+3``, a CR or a ``;`` before a formula), are opened by
LibreOffice (Debian's ``libreoffice-calc``; ``.ci/run`` installs it) and saved
back as CSV. Every cell must come back as the text that was written (a
CSV cell read back through :func:`ism_health._files.csv_unescape`, line by
line), the grid must keep its shape (no record split by a bare CR), and no cell
may hold a computed value such as ``2`` or an error such as ``Err:509``.
Without LibreOffice the tests skip with that reason, except under CI (``CI``
set), where a missing LibreOffice is a failure, never a silent skip.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import ism_health as ism

LABELS = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "x\r=1+1",
    "a;=1+1",
    "b;=1+1;",
]
TABLES = ["factors", "ssim", "frm", "levels", "micmac", "canonical"]
#: LibreOffice's CSV export: comma, double quotes, UTF-8 (76), from line 1, every sheet (-1) as its own file.
EXPORT = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'

#: The CSV tables are fixed by the output helper (issue 17: quoting of CR and ';', formulas on every line).


def _soffice() -> str:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("CI is set but LibreOffice was not found: install Debian's 'libreoffice-calc' (.ci/run does).")
    pytest.skip("LibreOffice is not installed (Debian: apt-get install libreoffice-calc); the check cannot run here.")


def _convert(files: list[Path], out: Path, tmp: Path, infilter: str | None = None) -> None:
    """Open ``files`` in LibreOffice Calc and save each sheet back as CSV into ``out``."""
    args = [_soffice(), "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={(tmp / 'lo').as_uri()}"]
    if infilter:
        args.append(f"--infilter={infilter}")
    proc = subprocess.run([*args, "--convert-to", EXPORT, "--outdir", str(out), *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]


def _grid(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = [list(r) for r in csv.reader(fh)]
    while rows and not any(rows[-1]):
        rows.pop()
    return [_trim(r) for r in rows]


def _trim(row: list[str]) -> list[str]:
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unescape(text: str) -> str:
    """Undo the writer's formula guard: one leading single quote on the text and on each piece inside it that
    follows a line break or a separator of any locale (, ; tab)."""
    pieces = re.split(r"(\r\n|\r|\n|,|;|\t)", text)
    return _lines("".join(p[1:] if k % 2 == 0 and p.startswith("'") else p for k, p in enumerate(pieces)))


def _same(written: str, seen: str) -> bool:
    try:
        return float(written) == float(seen)
    except ValueError:
        if written in ("true", "false"):  # a boolean column: Calc shows it as TRUE / FALSE
            return seen == written.upper()
        # LibreOffice's CSV import keeps the guarding quote as part of the text (Excel hides it): either is text
        return _lines(seen) in (_unescape(written), _lines(written))


def _no_evaluated_cell(grid: list[list[str]], where: str, *, numbers: bool = False) -> None:
    """No error of a formula that ran; with ``numbers=False`` (no cell of ``grid`` is a number) no ``2`` either."""
    for row in grid:
        for cell in row:
            assert numbers or cell != "2", f"{where}: a formula was evaluated to 2 ({row})"
            assert not re.match(r"(Err:\d+|#NAME\?|#VALUE!|#REF!)", cell), f"{where}: a formula was run: {cell!r}"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bundle")
    n = len(LABELS)
    m = [[1 if j == i + 1 else 0 for j in range(n)] for i in range(n)]
    result = ism.analyze(ism.SSIM.from_matrix(m, labels=LABELS))
    result.to_csv(folder / "csv")
    result.to_excel(folder / "ism_result.xlsx")
    return folder



def test_csv_tables_keep_every_label_as_text_in_libreoffice(written, tmp_path):
    files = [written / "csv" / f"{t}.csv" for t in TABLES]
    out = tmp_path / "back"
    _convert(files, out, tmp_path, infilter="CSV:44,34,76,1")
    for path in files:
        back = next(out.glob(f"{path.stem}*.csv"))
        mine, theirs = _grid(path), _grid(back)
        _no_evaluated_cell(theirs, path.name, numbers=True)  # the cell-by-cell comparison below finds a 2
        assert len(mine) == len(theirs), f"{path.name}: {len(mine)} rows written, {len(theirs)} read back"
        for r, (a, b) in enumerate(zip(mine, theirs), start=1):
            assert len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b)), f"{path.name} row {r}: {a} -> {b}"
        labels_seen = {_lines(_unescape(c)) for row in theirs for c in row}
        assert {_lines(lab) for lab in LABELS} <= labels_seen, path.name



@pytest.mark.parametrize("separator", [59, 9], ids=["semicolon", "tab"])
def test_csv_tables_run_no_formula_in_another_locale(separator, written, tmp_path):
    files = [written / "csv" / f"{t}.csv" for t in TABLES]
    out = tmp_path / "back"
    _convert(files, out, tmp_path, infilter=f"CSV:{separator},34,76,1")
    for path in files:
        _no_evaluated_cell(_grid(next(out.glob(f"{path.stem}*.csv"))), f"{path.name} read with separator {separator}")


def test_workbook_keeps_every_label_as_text_in_libreoffice(written, tmp_path):
    from openpyxl import load_workbook

    book = written / "ism_result.xlsx"
    out = tmp_path / "back"
    _convert([book], out, tmp_path)
    wb = load_workbook(book)
    seen_labels: set[str] = set()
    for ws in wb.worksheets:
        back = out / f"ism_result-{ws.title}.csv"
        assert back.exists(), sorted(p.name for p in out.iterdir())
        theirs = _grid(back)
        _no_evaluated_cell(theirs, f"sheet {ws.title}", numbers=True)
        mine = [_trim(["" if v is None else str(v).upper() if isinstance(v, bool) else str(v) for v in row])
                for row in ws.iter_rows(values_only=True)]
        while mine and not any(mine[-1]):
            mine.pop()
        assert len(mine) == len(theirs), ws.title
        for r, (a, b) in enumerate(zip(mine, theirs), start=1):
            assert len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b)), f"{ws.title} row {r}: {a} -> {b}"
        seen_labels |= {_lines(c) for row in theirs for c in row}
    assert {_lines(lab) for lab in LABELS} <= seen_labels
