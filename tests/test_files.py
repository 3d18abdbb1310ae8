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
