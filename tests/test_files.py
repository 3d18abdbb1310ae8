"""Formula-safe cells and table writers (ism_health._files)."""

from __future__ import annotations

from ism_health._files import csv_safe, csv_unescape


def test_csv_safe_neutralises_every_formula_start():
    for text in ["=1", "+1", "-1", "@A1", "\t=1", "\r=1", "'x"]:
        safe = csv_safe(text)
        assert safe.startswith("'") and csv_unescape(safe) == text
    assert csv_safe("Trust") == "Trust"


def test_io_keeps_the_01_names():
    import ism_health._files as files
    import ism_health.io as io

    assert io.csv_safe is files.csv_safe and io.csv_unescape is files.csv_unescape
    assert io.write_frame_to_sheet is files.write_frame_to_sheet


def test_csv_rows_are_formula_safe_and_read_back(tmp_path):
    import csv

    from ism_health._files import write_csv_rows

    path = write_csv_rows(tmp_path / "t.csv", [["=1+1", "@x", 3], [False, None, "'q"]])
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["'=1+1", "'@x", "3"], ["false", "", "''q"]]
    assert [csv_unescape(c) for c in rows[0]] == ["=1+1", "@x", "3"]


def test_matrix_writers_store_text_never_formulas(tmp_path):
    import pandas as pd
    from openpyxl import load_workbook

    from ism_health._files import normalise_zip, write_matrix_csv, write_matrix_xlsx

    frame = pd.DataFrame([["", "V"], ["", ""]], index=["=a", "+b"], columns=["=a", "+b"])
    data = write_matrix_csv(tmp_path / "m.csv", frame).read_bytes()
    assert data == b",'=a,'+b\r\n'=a,,V\r\n'+b,,\r\n"
    path = write_matrix_xlsx(tmp_path / "m.xlsx", frame, sheet="S")
    ws = load_workbook(path)["S"]
    assert (ws["B1"].value, ws["B1"].data_type, ws["A3"].value) == ("=a", "s", "+b")
    normalise_zip(path)
    first = path.read_bytes()
    write_matrix_xlsx(path, frame, sheet="S")
    normalise_zip(path)
    assert path.read_bytes() == first


# ------------------------------------------------------------------------------------------- issue 17: CSV hardening
import csv as _csv  # noqa: E402
import io as _io  # noqa: E402
import re as _re  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ism_health import ISMInputError  # noqa: E402
from ism_health._files import (  # noqa: E402
    EXCEL_MAX_TEXT,
    atomic_path,
    check_excel_text,
    csv_line,
    write_csv_rows,
    write_text,
)

HOSTILE_CELLS = [
    "x\r+cmd|' /C calc'!A0",  # a bare CR would start a new spreadsheet row with a formula
    "x\n=1+1",
    "x\r\n@SUM(A1)",
    "a;b",  # one cell in a ';' locale too
    "=1+1;2",
    "tab\there",
    'say "hi"',
    "plain",
    "-3",
    "\r=2",
    "'quoted\n'again",
]
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def test_csv_quotes_every_field_holding_a_separator_quote_or_line_break(tmp_path):
    path = write_csv_rows(tmp_path / "h.csv", [HOSTILE_CELLS])
    raw = path.read_bytes().decode("utf-8")
    assert raw.endswith("\n") and not raw.endswith("\r\n")
    # read back with ',' and with ';' as the separator: every cell stays one field in both locales
    with open(path, newline="", encoding="utf-8") as fh:
        comma = next(_csv.reader(fh))
    assert [csv_unescape(c) for c in comma] == HOSTILE_CELLS
    with open(path, newline="", encoding="utf-8") as fh:
        semicolon = next(_csv.reader(fh, delimiter=";"))
    assert not any(cell.startswith(FORMULA) for cell in semicolon)
    # a field with a separator of any locale, a quote, CR or LF is quoted: a literal check of the text
    for cell in HOSTILE_CELLS:
        if any(ch in cell for ch in ',;\t"\r\n'):
            assert '"' + csv_safe(cell).replace('"', '""') + '"' in raw, cell


def test_csv_no_line_of_the_file_starts_like_a_formula(tmp_path):
    path = write_csv_rows(tmp_path / "h.csv", [[c, c] for c in HOSTILE_CELLS])
    raw = path.read_bytes().decode("utf-8")
    for line in _re.split(r"\r\n|\r|\n", raw):
        assert not line.startswith(("=", "+", "-", "@")), repr(line)
        stripped = line.lstrip('"')
        assert not stripped.startswith(("=", "+", "-", "@")), repr(line)


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab=+-@'\"\t\r\n;, ")), max_size=12), min_size=1, max_size=5))
def test_csv_line_round_trips_and_neutralises_every_line(cells):
    line = csv_line(cells)
    row = next(_csv.reader(_io.StringIO(line, newline="")))
    assert [csv_unescape(c) for c in row] == cells
    for cell in row:  # every line inside a stored cell is inert
        for part in _re.split(r"\r\n|\r|\n", cell):
            assert not part.startswith(FORMULA) or part == ""


def test_excel_text_limits_are_located_errors():
    assert check_excel_text("x" * EXCEL_MAX_TEXT, "here") == "x" * EXCEL_MAX_TEXT
    with pytest.raises(ISMInputError, match=r"here: the text has 32,768 characters, over the 32,767"):
        check_excel_text("x" * (EXCEL_MAX_TEXT + 1), "here")
    for bad in ("\x00", "\x01", "a\x1fb", "\x0b"):
        with pytest.raises(ISMInputError, match="U\\+00"):
            check_excel_text(bad, "sheet 'S', cell A1")
    assert check_excel_text("tab\tcr\rlf\n", "ok") == "tab\tcr\rlf\n"


def test_write_frame_to_sheet_refuses_control_characters_with_the_cell():
    import pandas as pd
    from openpyxl import Workbook

    from ism_health._files import write_frame_to_sheet

    ws = Workbook().active
    ws.title = "Factors"
    with pytest.raises(ISMInputError, match=r"sheet 'Factors', cell B3: .*U\+0001"):
        write_frame_to_sheet(ws, pd.DataFrame({"name": ["fine", "bad\x01"]}, index=["r1", "r2"]))


def test_atomic_writes_leave_nothing_half_written(tmp_path):
    target = tmp_path / "a.txt"
    write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    with pytest.raises(ISMInputError, match="lone surrogate"):
        write_text(tmp_path / "b.txt", "label \udc80")
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
