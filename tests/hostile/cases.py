"""Shared builders of the hostile-input catalogue (issue 17): files, damaged workbooks, labels, checks.

Every case of the catalogue asserts one of two outcomes: a located
:class:`ism_health.ISMInputError` (its message names the file / sheet / cell /
factor / option: :func:`raises_located` checks the named part), or a correct
output. ``helper=`` records which part of the issue-17 work fixed a case
(readers, output, plotting, kernel, panel); every fix is merged, so every case
runs as an ordinary test.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import ism_health as ism
from ism_health import ISMInputError


def case(*values: Any, helper: str | None = None, id: str | None = None) -> Any:  # noqa: A002 - pytest's name
    """A pytest.param of ``values`` (one per argument name); ``helper`` names the fix that covers it."""
    return pytest.param(*values, id=id)


@contextlib.contextmanager
def raises_located(*parts: str, regex: str | None = None) -> Iterator[pytest.ExceptionInfo[ISMInputError]]:
    """Expect an ISMInputError whose message holds every one of ``parts`` (the located part) and ``regex``."""
    with pytest.raises(ISMInputError) as info:
        yield info
    message = str(info.value)
    for part in parts:
        assert part in message, f"{part!r} not named in: {message!r}"
    if regex is not None:
        assert re.search(regex, message), f"{regex!r} not found in: {message!r}"
    assert "Traceback" not in message


# ------------------------------------------------------------------------------------------ judgments
def chain_ssim(labels: list[str] | tuple[str, ...] = ("a", "b", "c")) -> ism.SSIM:
    """A chain labels[0] -> labels[1] -> ... with a cycle between the last two (when there are 3 or more)."""
    n = len(labels)
    m = np.zeros((n, n), dtype=int)
    for i in range(n - 1):
        m[i, i + 1] = 1
    if n >= 3:
        m[n - 1, n - 2] = 1
    return ism.SSIM.from_matrix(m, labels=list(labels))


def worked() -> ism.SSIM:
    return ism.datasets.load_example("worked")


#: Labels a spreadsheet would run as a formula or split into cells; text everywhere else.
FORMULA_LABELS = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "x\r=1+1",
    "a;=1+1",
    "b\n=1+1",
    "c\t=1+1",
    '"q",=1+1',
]

#: Labels that break markup (HTML, LaTeX, Markdown) unless escaped.
MARKUP_LABELS = [
    "<script>alert(1)</script>",
    "[x] bracket",
    "100% & $x_1$ #{~^}\\",
    "| pipe | `code`",
    "Ω — ü ß",
]


# ------------------------------------------------------------------------------------------ files
def ssim_csv_text(labels: list[str], symbols: dict[tuple[int, int], str] | None = None) -> str:
    """An SSIM CSV (labels in the header row and first column, V above the diagonal unless given)."""
    n = len(labels)
    rows = ["," + ",".join(labels)]
    for i in range(n):
        cells = []
        for j in range(n):
            cells.append((symbols or {}).get((i, j), "V" if j > i else ""))
        rows.append(labels[i] + "," + ",".join(cells))
    return "\n".join(rows) + "\n"


def write_ssim_xlsx(path: Path, labels: list[str] | None = None) -> Path:
    """A valid SSIM workbook (sheet 'SSIM')."""
    (chain_ssim(labels) if labels else chain_ssim()).to_excel(path)
    return path


def _rezip(src: Path, dst: Path, edit: Callable[[str, bytes], bytes | None]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)
    return dst


_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _bad_shared_strings(src: Path, dst: Path) -> Path:
    """The first text cell of every sheet points into a shared-strings part whose XML is cut off."""

    def edit(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/sheet"):
            return re.sub(rb't="inlineStr"><is><t[^>]*>[^<]*</t></is>', b't="s"><v>0</v>', data, count=1)
        if name == "[Content_Types].xml":
            part = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST}"/>'.encode()
            return data.replace(b"</Types>", part + b"</Types>")
        if name == "xl/_rels/workbook.xml.rels":
            rel = f'<Relationship Id="rIdSST" Type="{_SST_REL}" Target="sharedStrings.xml"/>'.encode()
            return data.replace(b"</Relationships>", rel + b"</Relationships>")
        return data

    _rezip(src, dst, edit)
    with zipfile.ZipFile(dst, "a") as z:
        z.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>cut')
    return dst


#: Ways to damage an xlsx file; each maps (valid workbook path, target path) -> damaged file.
DAMAGES: dict[str, Callable[[Path, Path], Path]] = {
    "truncated zip": lambda src, dst: (dst.write_bytes(src.read_bytes()[: len(src.read_bytes()) // 2]), dst)[1],
    "random bytes": lambda src, dst: (dst.write_bytes(bytes(range(256)) * 4), dst)[1],
    "empty file": lambda src, dst: (dst.write_bytes(b""), dst)[1],
    "truncated sheet xml": lambda src, dst: _rezip(
        src, dst, lambda n, d: d[: len(d) // 2] if n.startswith("xl/worksheets/sheet") else d
    ),
    "missing sheet part": lambda src, dst: _rezip(
        src, dst, lambda n, d: None if n.startswith("xl/worksheets/sheet") else d
    ),
    "bad shared strings": lambda src, dst: _bad_shared_strings(src, dst),
    "missing workbook part": lambda src, dst: _rezip(src, dst, lambda n, d: None if n == "xl/workbook.xml" else d),
    "a csv named xlsx": lambda src, dst: (dst.write_text(",a,b\na,,V\nb,,\n", encoding="utf-8"), dst)[1],
}


def damaged_xlsx(folder: Path, kind: str, *, make: Callable[[Path], Path] | None = None) -> Path:
    """A damaged copy of a valid workbook (an SSIM one unless ``make`` writes another)."""
    good = folder / "good.xlsx"
    (make or write_ssim_xlsx)(good)
    slug = re.sub(r"\W+", "_", kind)
    return DAMAGES[kind](good, folder / f"damaged_{slug}.xlsx")


def write_bytes(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ------------------------------------------------------------------------------------------ the CLI
def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run ``ism-health`` in this process: (exit code, stdout, stderr)."""
    from ism_health.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return int(code or 0), out.getvalue(), err.getvalue()


def assert_cli_refuses(args: list[Any], *named: str) -> str:
    """Exit 2, one message line naming ``named`` (stderr or, for audit's own main, stdout), no traceback."""
    code, out, err = run_cli(args)
    text = (err or out).strip()
    assert code == 2, (code, out, err)
    assert "Traceback" not in err + out
    assert text, "no message"
    last = text.splitlines()[-1]
    for part in named:
        assert part in last, f"{part!r} not named in: {last!r}"
    return last


def frame(values: Any, labels: list[str]) -> pd.DataFrame:
    return pd.DataFrame(values, index=labels, columns=labels)
