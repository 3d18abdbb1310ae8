"""Reading and writing SSIM files: round trips, file-located errors, formula safety."""

import json

import pytest
from openpyxl import Workbook, load_workbook

import ism_health as ism
from ism_health import SSIM, ISMInputError, read_ssim
from ism_health.datasets import load_example

HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=2",
    "'quoted",
    'Ünïcode, "q"',
]


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
def test_round_trip(tmp_path, suffix):
    s = load_example("health_data_sharing")
    path = tmp_path / f"ssim.{suffix}"
    ism.write_ssim(s, path)
    assert read_ssim(path) == s


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
def test_round_trip_hostile_labels(tmp_path, suffix):
    n = len(HOSTILE)
    s = SSIM.from_matrix([[int(j == i + 1) for j in range(n)] for i in range(n)], HOSTILE)
    path = tmp_path / f"ssim.{suffix}"
    ism.write_ssim(s, path)
    assert read_ssim(path) == s


def test_csv_cells_cannot_start_a_formula(tmp_path):
    s = SSIM.from_matrix([[0, 1], [0, 0]], ['=HYPERLINK("http://evil","x")', "@cmd"])
    s.to_csv(tmp_path / "s.csv")
    text = (tmp_path / "s.csv").read_text()
    for line in text.splitlines():
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(("=", "+", "-", "@")), cell
    assert "'=HYPERLINK" in text and "'@cmd" in text


def test_excel_labels_are_text_not_formulas(tmp_path):
    s = SSIM.from_matrix([[0, 1], [0, 0]], ['=HYPERLINK("http://evil","x")', "+1+1"])
    s.to_excel(tmp_path / "s.xlsx")
    ws = load_workbook(tmp_path / "s.xlsx")["SSIM"]
    assert ws["B1"].value == '=HYPERLINK("http://evil","x")'
    assert ws["B1"].data_type == "s"
    assert ws["A3"].value == "+1+1" and ws["A3"].data_type == "s"


def test_reads_a_hand_written_csv(tmp_path):
    (tmp_path / "s.csv").write_text("SSIM,A,B,C\nA,-,v,o\nB,,-, X \nC,,,-\n")
    s = read_ssim(tmp_path / "s.csv")
    assert s.labels == ("A", "B", "C")
    assert s.symbol("A", "B") == "V" and s.symbol("B", "C") == "X"


def test_reads_a_01_matrix_csv(tmp_path):
    (tmp_path / "m.csv").write_text(",A,B\nA,1,1\nB,0,1\n")
    assert read_ssim(tmp_path / "m.csv").symbol("A", "B") == "V"


def test_reads_pairs_csv(tmp_path):
    (tmp_path / "p.csv").write_text("factor_i,factor_j,symbol\nA,B,V\nC,A,V\nB,C,O\n")
    s = read_ssim(tmp_path / "p.csv")
    assert s.labels == ("A", "B", "C") and s.symbol("A", "C") == "A"


def test_csv_error_names_file_cell_and_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(",C1,C2,C3\nC1,,V,Y\nC2,,,\nC3,,,\n")
    with pytest.raises(ISMInputError) as err:
        read_ssim(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: 2 problems found:")
    assert (
        "cell (row 'C1', column 'C3'; line 2, column 4) is 'Y' above the diagonal; expected one of V, A, X, O." in msg
    )
    assert "no judgment for the pair ('C2', 'C3'): cell (row 'C2', column 'C3'; line 3, column 4) is blank" in msg


def test_excel_error_names_sheet_and_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "judgments"
    for row in [[None, "C1", "C2"], ["C1", None, "Z"], ["C2", None, None]]:
        ws.append(row)
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    with pytest.raises(ISMInputError) as err:
        read_ssim(path)
    assert str(err.value) == (
        f"{path} [sheet 'judgments']: cell (row 'C1', column 'C2'; cell C2) is 'Z' above the diagonal; "
        "expected one of V, A, X, O."
    )
    with pytest.raises(ISMInputError, match=r"no sheet 'SSIMs'; the workbook has \['judgments'\]"):
        read_ssim(path, sheet="SSIMs")


def test_header_and_first_column_must_match(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(",A,B\nB,,V\nA,,\n")
    with pytest.raises(ISMInputError, match="factor 1 is 'A' in the header but 'B' in the first column"):
        read_ssim(path)
    path.write_text(",A,B,C\nA,,V,O\nB,,,O\n")
    with pytest.raises(ISMInputError, match="3 factor labels in the header row but 2 rows below it"):
        read_ssim(path)


def test_file_level_errors(tmp_path):
    with pytest.raises(ISMInputError, match="no such file"):
        read_ssim(tmp_path / "missing.csv")
    (tmp_path / "s.txt").write_text("x")
    with pytest.raises(ISMInputError, match=r"unknown file type '.txt'"):
        read_ssim(tmp_path / "s.txt")
    (tmp_path / "e.csv").write_text("")
    with pytest.raises(ISMInputError, match="the file is empty"):
        read_ssim(tmp_path / "e.csv")
    (tmp_path / "j.json").write_text(json.dumps({"labels": ["a"]}))
    with pytest.raises(ISMInputError, match='"labels" and "pairs"'):
        read_ssim(tmp_path / "j.json")
    (tmp_path / "x.xlsx").write_text("not a zip")
    with pytest.raises(ISMInputError, match="not a readable Excel workbook"):
        read_ssim(tmp_path / "x.xlsx")


def test_validate_a_file_lists_everything(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(",C1,C2,C3\nC1,,V,Y\nC2,V,,\nC3,,,\n")
    problems = ism.validate_ssim(path)
    assert len(problems) == 3
    assert any("cells disagree" in p and "line 3, column 2" in p for p in problems)


# ---------------------------------------------------------------------------------------------- issue 11: inputs
import io  # noqa: E402
import warnings  # noqa: E402
import zipfile  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ism_health import ISMWarning  # noqa: E402
from ism_health.cli import main  # noqa: E402
from ism_health.experts import read_factors, write_questionnaire  # noqa: E402

THREE = SSIM.from_pairs([("Law", "Trust, care", "V"), ("Law", "Cost", "O"), ("Trust, care", "Cost", "A")])


@pytest.mark.parametrize("sep", [";", "\t", ","])
def test_separator_is_detected(tmp_path, sep):
    rows = [
        ["", "Law", "Trust, care", "Cost"],
        ["Law", "", "V", "O"],
        ["Trust, care", "", "", "A"],
        ["Cost", "", "", ""],
    ]
    text = "\n".join(sep.join(f'"{c}"' if (sep == "," and "," in c) else c for c in r) for r in rows) + "\n"
    (tmp_path / "s.csv").write_text(text, encoding="utf-8")
    assert read_ssim(tmp_path / "s.csv") == THREE
    assert read_ssim(tmp_path / "s.csv", sep=sep) == THREE


def test_separator_given_wrong_or_bad(tmp_path):
    (tmp_path / "s.csv").write_text(";a;b\na;;V\nb;;\n")
    with pytest.raises(ISMInputError, match="no table found.*split at each comma; pass sep="):
        read_ssim(tmp_path / "s.csv", sep=",")
    with pytest.raises(ISMInputError, match="sep=';;' is not allowed"):
        read_ssim(tmp_path / "s.csv", sep=";;")


def test_windows_1252_file_names_its_encoding(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(";Café;Trust\nCafé;;V\nTrust;;\n".encode("cp1252"))
    with pytest.raises(ISMInputError) as err:
        read_ssim(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: cannot read as UTF-8 text") and "line 1" in msg
    assert "encoding='cp1252'" in msg and "--encoding cp1252" in msg
    assert read_ssim(path, encoding="cp1252").labels == ("Café", "Trust")
    with pytest.raises(ISMInputError, match="not a known text encoding"):
        read_ssim(path, encoding="klingon")


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes("\tLaw\tTrust\nLaw\t\tV\nTrust\t\t\n".encode("utf-16"))
    assert read_ssim(path).symbol("Law", "Trust") == "V"


def test_table_below_a_title_is_found(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Table 3. SSIM of the barriers\n\n,Law,Trust\nLaw,,V\nTrust,,\n")
    assert read_ssim(path).symbol("Law", "Trust") == "V"
    path.write_text("Table 3,SSIM of the barriers\n,Law,Trust\nLaw,,Y\nTrust,,\n")
    with pytest.raises(ISMInputError, match=r"cell \(row 'Law', column 'Trust'; line 3, column 3\) is 'Y'"):
        read_ssim(path)
    path.write_text("Table 3. SSIM\n,Law,Trust\nLow,,V\nTrust,,\n")
    with pytest.raises(ISMInputError, match=r"'Law' in the header \(the header row is row 2\) but 'Low'"):
        read_ssim(path)


def test_table_away_from_the_corner_in_a_workbook(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Notes: judgments of 12 experts"
    for r, row in enumerate([[None, "Law", "Trust"], ["Law", None, "V"], ["Trust", None, "Q"]], start=3):
        for c, v in enumerate(row, start=2):
            ws.cell(r, c, v)
    wb.save(tmp_path / "s.xlsx")
    with pytest.raises(ISMInputError, match=r"cell \(row 'Trust', column 'Law'; cell C5\) is blank|cell D5\) is 'Q'"):
        read_ssim(tmp_path / "s.xlsx")


def test_sheet_holding_the_ssim_is_found(tmp_path):
    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["Study notes, not data"])
    ws = wb.create_sheet("Judgments")
    for row in [[None, "a", "b"], ["a", None, "V"], ["b", None, None]]:
        ws.append(row)
    wb.save(tmp_path / "s.xlsx")
    assert read_ssim(tmp_path / "s.xlsx").symbol("a", "b") == "V"
    ws2 = wb.create_sheet("Copy")
    for row in [[None, "a", "b"], ["a", None, "A"], ["b", None, None]]:
        ws2.append(row)
    wb.save(tmp_path / "two.xlsx")
    with pytest.raises(ISMInputError) as err:
        read_ssim(tmp_path / "two.xlsx")
    msg = str(err.value)
    assert "2 sheets hold a table" in msg and "'Notes': 1 cells of text" in msg
    assert "'Judgments': a table of 2 factors" in msg and "--sheet" in msg
    assert read_ssim(tmp_path / "two.xlsx", sheet="Copy").symbol("a", "b") == "A"


def test_questionnaire_points_to_read_panel(tmp_path):
    write_questionnaire(["Law", "Trust", "Cost"], tmp_path / "E01.xlsx", expert="E01")
    with pytest.raises(ISMInputError, match=r"an expert's questionnaire .*read_panel"):
        read_ssim(tmp_path / "E01.xlsx")


def test_dataframe_is_read_and_other_objects_are_refused(tmp_path):
    frame = THREE.to_frame()
    assert read_ssim(frame) == THREE
    assert read_ssim(frame.reset_index()) == THREE
    for bad, name in (([["", "V"], ["", ""]], "list"), (None, "None"), (3, "int")):
        with pytest.raises(ISMInputError, match=f"read_ssim takes a path .*; got {name}"):
            read_ssim(bad)
    with pytest.raises(ISMInputError, match="is a folder"):
        read_ssim(tmp_path)


def test_frm_with_marks_is_one_line(tmp_path):
    n = 12
    frm = [["1" if i == j else ("1" if j == i + 1 else "1*" if j > i else "0") for j in range(n)] for i in range(n)]
    labels = [f"B{k}" for k in range(1, n + 1)]
    path = tmp_path / "frm.csv"
    path.write_text("\n".join(",".join(r) for r in [[""] + labels] + [[lab] + row for lab, row in zip(labels, frm)]))
    with pytest.raises(ISMInputError) as err:
        read_ssim(path)
    assert len(err.value.problems) == 1
    msg = err.value.problems[0]
    assert "final reachability matrix" in msg and "55 cells are marked 1*" in msg
    assert "kind='frm'" in msg and "SSIM.from_frm" in msg and "audit" in msg
    chain = read_ssim(path, kind="frm")
    assert int(chain.adjacency.sum()) == n - 1 and chain.symbol("B1", "B2") == "V" and chain.symbol("B1", "B3") == "O"


def test_closed_input_with_many_relations_warns(tmp_path):
    labels = list("abcdef")
    closed = np.triu(np.ones((6, 6), dtype=int))  # a total order: closed, 15 relations for 6 factors
    pd.DataFrame(closed, index=labels, columns=labels).to_csv(tmp_path / "c.csv")
    with pytest.warns(ISMWarning, match="already transitively closed and holds 15 relations for 6 factors"):
        read_ssim(tmp_path / "c.csv")
    chain = np.eye(6, k=1, dtype=int)  # not closed
    pd.DataFrame(chain, index=labels, columns=labels).to_csv(tmp_path / "p.csv")
    few = np.zeros((6, 6), dtype=int)
    few[:3, :3] = np.triu(np.ones((3, 3), dtype=int), 1)  # closed, but only 3 relations for 6 factors
    few[3:, 3:] = np.ones((3, 3), dtype=int)  # ... and 6 more: 9 < 2 n = 12
    pd.DataFrame(few, index=labels, columns=labels).to_csv(tmp_path / "f.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_ssim(tmp_path / "p.csv")
        read_ssim(tmp_path / "f.csv")


def test_cli_reads_with_sep_and_encoding(tmp_path, capsys):
    path = tmp_path / "s.csv"
    path.write_bytes(";Café;Trust\nCafé;;V\nTrust;;\n".encode("cp1252"))
    assert main(["validate", str(path), "--encoding", "cp1252"]) == 0
    assert "valid (2 factors" in capsys.readouterr().out
    assert main(["validate", str(path), "--encoding", "cp1252", "--sep", ","]) == 1


# ---------------------------------------------------------------------------------------------- issue 17: hostile files
def _xlsx(tmp_path, name, change):
    wb = Workbook()
    ws = wb.active
    ws.title = "SSIM"
    for row in [[None, "a", "b"], ["a", None, "V"], ["b", None, None]]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(buf)
    out = tmp_path / name
    with zipfile.ZipFile(out, "w") as dst:
        parts = {n: src.read(n) for n in src.namelist()}
        change(parts)
        for n, data in parts.items():
            dst.writestr(n, data)
    return out


def _shared_strings(sst: bytes):
    def change(parts):
        sheet = parts["xl/worksheets/sheet1.xml"]
        parts["xl/worksheets/sheet1.xml"] = sheet.replace(
            b'<c r="C2" t="inlineStr"><is><t>V</t></is></c>', b'<c r="C2" t="s"><v>7</v></c>'
        )
        parts["xl/sharedStrings.xml"] = sst
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )

    return change


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.update({"xl/worksheets/sheet1.xml": p["xl/worksheets/sheet1.xml"][:300]}),
        lambda p: p.pop("xl/worksheets/sheet1.xml"),
        _shared_strings(b"<sst xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><si><t>V"),
        _shared_strings(
            b"<sst xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><si><t>V</t></si></sst>"
        ),
    ],
    ids=["truncated-sheet", "missing-sheet", "broken-shared-strings", "shared-string-out-of-range"],
)
def test_damaged_workbook_parts(tmp_path, change):
    path = _xlsx(tmp_path, "d.xlsx", change)
    with pytest.raises(ISMInputError) as err:
        read_ssim(path)
    assert str(err.value).startswith(str(path)) and ("damaged" in str(err.value) or "cannot be read" in str(err.value))


def test_csv_quotes_and_field_limit_are_located(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(',a,b\na,,"V\nb,,\n')
    with pytest.raises(ISMInputError, match=r"q.csv: line 2: a quote \(\"\) opened on line 2 is never closed"):
        read_ssim(path)
    path.write_text(',a,b\na,,"' + "x" * 200_000 + '"\nb,,\n')
    with pytest.raises(ISMInputError, match=r"line 2: a field is longer than 131,072 characters"):
        read_ssim(path)


def test_stray_cells_are_named(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(",a,b\na,,V\nb,,\n\n\n,,,,see notes\n")
    with pytest.raises(ISMInputError, match=r"a cell outside the table: line 6, column 5 holds 'see notes' below"):
        read_ssim(path)
    path.write_text(",a,b\na,,V,,x\nb,,\n")
    with pytest.raises(ISMInputError, match=r"line 2, column 5 holds 'x' right of the table \(the table has 2 factors"):
        read_ssim(path)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("null", "got a null"),
        ("5", "got a number"),
        ('["a", "b"]', "got a list"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"labels": ' + "7" * 5000 + "}", "Exceeds the limit"),
        ('{"format": "ism_health.ssim/2", "labels": ["a", "b"], "pairs": [["a", "b", "V"]]}', "unknown format"),
        ('{"labels": "ab", "pairs": [["a", "b", "V"]]}', '"labels" must be a list'),
        ('{"labels": ["a", ["b"]], "pairs": [["a", "b", "V"]]}', r"labels\[1\] is a list; expected a string"),
        ('{"labels": ["a", null], "pairs": []}', r"labels\[1\] is a null"),
        ('{"labels": ["a", "b"], "pairs": [["a", "b"]]}', r"pairs\[0\] is \['a', 'b'\]; expected"),
        ('{"labels": ["a", "b"], "pairs": {"a": 1}}', '"pairs" must be a list'),
        ('{"labels": ["a", "b"], "pairs": [["a", "b", "V"]], "x": NaN}', "NaN is not a JSON value"),
        ("{", "not valid JSON"),
    ],
)
def test_hostile_json(tmp_path, text, expected):
    path = tmp_path / "s.json"
    path.write_text(text)
    with pytest.raises(ISMInputError, match=expected) as err:
        read_ssim(path)
    assert str(err.value).startswith(str(path))


@pytest.mark.parametrize(
    "label, expected",
    [
        ("a\x00b", "control character U\\+0000"),
        ("a\x01", "control character U\\+0001"),
        ("a\ud800", "lone surrogate U\\+D800"),
    ],
)
def test_labels_that_are_not_text_in_files(tmp_path, label, expected):
    path = tmp_path / "s.csv"
    path.write_bytes(f",{label},b\n{label},,V\nb,,\n".encode("utf-8", "surrogatepass"))
    with pytest.raises(ISMInputError) as err:
        read_ssim(path)
    assert str(err.value).startswith(str(path))
    assert "U+D800" in str(err.value) or "UTF-8" in str(err.value) or expected.replace("\\", "") in str(err.value)
    path.write_text("placeholder")
    with pytest.raises(ISMInputError, match=expected):
        SSIM.from_symbols([["", "V"], ["", ""]], labels=[label, "b"])


def test_odd_cells_of_a_01_matrix_are_named_not_the_valid_ones(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(",a,b,c\na,1,1.0,0\nb,0,1,0\nc,0,1,1\n")
    assert read_ssim(path).symbol("a", "b") == "V"
    for odd in ("nan", "inf", "2", "0.5"):
        path.write_text(f",a,b,c\na,1,1,0\nb,0,1,{odd}\nc,0,1,1\n")
        with pytest.raises(ISMInputError) as err:
            read_ssim(path)
        assert err.value.problems == [
            f"cell (row 'b', column 'c'; line 3, column 4) is {odd!r}; expected 0 or 1 (the table reads as a 0/1 "
            "matrix: 5 of 6 cells off the diagonal are 0 or 1)."
        ]
    frame = pd.DataFrame([[1, 1, 0], [0, 1, np.nan], [0, 1, 1]], index=list("abc"), columns=list("abc"))
    with pytest.raises(ISMInputError, match=r"cell \(row 'b', column 'c'; row 3, column 4 of the DataFrame\) is blank"):
        read_ssim(frame)


def test_thirty_thousand_factors_are_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    n = 30_000
    labels = [f"f{k}" for k in range(n)]
    path.write_text("," + ",".join(labels) + "\n" + "f0," + ",".join("0" for _ in range(n)) + "\n")
    with pytest.raises(ISMInputError, match=r"the table has 30,000 factors; read_ssim reads at most 10,000"):
        read_ssim(path)
    with pytest.raises(ISMInputError, match="must be square: 30000 factor labels in the header row but 1 rows"):
        read_ssim(path, max_factors=30_000)


def test_read_factors_hostile_files(tmp_path):
    cases = {
        "empty.csv": b"",
        "blank.csv": b"\n\n",
        "junk.csv": bytes(range(256)),
        "latin.csv": "label\nCaf\xe9\n".encode("latin-1"),
        "ctrl.csv": b"label\na\x01b\nc\n",
        "quote.csv": b'label\n"unterminated\n',
        "nolabel.csv": b"x,y\n1,2\n",
        "broken.xlsx": b"PK\x03\x04 not a zip",
    }
    expected = {
        "empty.csv": "the file is empty",
        "blank.csv": "the file is empty",
        "junk.csv": "cannot read as UTF-8",
        "latin.csv": "encoding='cp1252'",
        "ctrl.csv": "control character U\\+0001",
        "quote.csv": "never closed",
        "nolabel.csv": "needs a column 'label'",
        "broken.xlsx": "not a readable Excel workbook",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ISMInputError, match=expected[name]) as err:
            read_factors(tmp_path / name)
        assert str(tmp_path / name) in str(err.value), name
    (tmp_path / "semi.csv").write_text("code;label\nC1;Trust, care\nC2;Cost\n")
    assert read_factors(tmp_path / "semi.csv").label.tolist() == ["Trust, care", "Cost"]
    for bad in (None, tmp_path):
        with pytest.raises(ISMInputError, match="read_factors takes a path|is a folder"):
            read_factors(bad)


def test_load_example_refuses_a_name_that_is_not_text():
    with pytest.raises(ISMInputError, match=r"no example named \['worked'\]"):
        load_example(["worked"])


def test_rows_of_judgments_are_never_taken_for_a_header(tmp_path):
    # row 2, from column B, reads V, O, X, and column B of rows 3-5 reads V, O, X too
    path = tmp_path / "s.csv"
    path.write_text(",P,Q,R,S\np,,V,O,X\nq,V,,A,A\nr,O,V,,O\ns,X,A,V,\n")
    with pytest.raises(ISMInputError, match="factor 1 is 'P' in the header but 'p' in the first column"):
        read_ssim(path)


def test_writers_refuse_none_and_folders(tmp_path):
    s = load_example("worked")
    for call in (lambda p: ism.write_ssim(s, p), s.to_csv, s.to_excel, s.to_json):
        with pytest.raises(ISMInputError, match="got None"):
            call(None)
        with pytest.raises(ISMInputError, match="is a folder"):
            call(tmp_path)


def test_cli_reads_a_marked_frm_with_kind(tmp_path, capsys):
    path = tmp_path / "frm.csv"
    path.write_text(",a,b,c\na,1,1,1*\nb,0,1,1\nc,0,0,1\n")
    assert main(["validate", str(path)]) == 1
    assert "--kind frm" in capsys.readouterr().out
    assert main(["validate", str(path), "--kind", "frm"]) == 0
    assert "valid (3 factors, 2 direct relations)" in capsys.readouterr().out


def test_workbook_saved_under_a_csv_name(tmp_path):
    load_example("worked").to_excel(tmp_path / "s.xlsx")
    (tmp_path / "s.csv").write_bytes((tmp_path / "s.xlsx").read_bytes())
    with pytest.raises(ISMInputError, match=r"s.csv: this is a zip archive \(an Excel workbook\?\)"):
        read_ssim(tmp_path / "s.csv")
