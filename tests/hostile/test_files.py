"""Hostile files given to the readers (issue 17): every one a located ISMInputError naming the file, or a correct read.

Classes: crashes with the wrong exception (damaged workbooks, junk bytes, JSON
shapes), data loss and silent change (labels that change on the way in),
resources (a field over the csv limit, deep JSON), unclear messages (the odd
cell is named).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import ism_health as ism
from ism_health.experts.questionnaire import read_factors

from .cases import DAMAGES, case, chain_ssim, damaged_xlsx, raises_located, ssim_csv_text, write_bytes

R = "readers"


# ------------------------------------------------------------------ crashes with the wrong exception: workbooks
@pytest.mark.parametrize(
    "kind",
    [
        case("truncated zip"),
        case("random bytes"),
        case("empty file"),
        case("truncated sheet xml", helper=R),
        case("missing sheet part", helper=R),
        case("bad shared strings"),
        case("missing workbook part"),
        case("a csv named xlsx"),
    ],
)
def test_damaged_ssim_workbook_is_named(kind, tmp_path):
    path = damaged_xlsx(tmp_path, kind)
    with raises_located(path.name):
        ism.read_ssim(path)


# ------------------------------------------------------------------ crashes with the wrong exception: text files
BAD_TEXT = {
    "empty": b"",
    "only blanks": b"  \n\n \n",
    "binary junk": bytes(range(256)),
    "latin-1": ",caf\xe9,b\ncaf\xe9,,V\nb,,\n".encode("latin-1"),
    "NUL bytes": b",a,b\na,\x00,V\nb,,\n",
    "header only": b",a,b\n",
    "one factor": b",a\na,\n",
    "unterminated quote": b',a,"b\na,,V\nb,,\n',
    "ragged rows": b",a,b\na,,V,V,V\nb\n",
}


@pytest.mark.parametrize("name", list(BAD_TEXT))
def test_bad_csv_text_is_named(name, tmp_path):
    path = write_bytes(tmp_path, "bad.csv", BAD_TEXT[name])
    with raises_located("bad.csv"):
        ism.read_ssim(path)


def test_utf16_with_a_byte_order_mark_is_read(tmp_path):
    """Not refused: a byte-order mark names the encoding, so nothing is guessed (docs/reading_files.md)."""
    path = write_bytes(tmp_path, "utf16.csv", ",a,b\na,,V\nb,,\n".encode("utf-16"))
    s = ism.read_ssim(path)
    assert list(s.labels) == ["a", "b"]
    assert s.adjacency.tolist() == [[False, True], [False, False]]


def test_utf16_without_a_byte_order_mark_is_named(tmp_path):
    path = write_bytes(tmp_path, "utf16le.csv", ",a,b\na,,V\nb,,\n".encode("utf-16-le"))
    with raises_located("utf16le.csv"):
        ism.read_ssim(path)


def test_csv_field_over_the_csv_module_limit_is_named(tmp_path):
    path = write_bytes(tmp_path, "huge.csv", ",a,b\na,," + "V" * 200_000 + "\nb,,\n")
    with raises_located("huge.csv"):
        ism.read_ssim(path)


def test_unknown_suffix_is_named(tmp_path):
    path = write_bytes(tmp_path, "ssim.txt", ssim_csv_text(["a", "b"]))
    with raises_located("ssim.txt", ".txt"):
        ism.read_ssim(path)


def test_missing_file_is_named(tmp_path):
    with raises_located("nope.csv"):
        ism.read_ssim(tmp_path / "nope.csv")


def test_folder_where_a_file_is_expected_is_named(tmp_path):
    folder = tmp_path / "data.csv"
    folder.mkdir()
    with raises_located("data.csv"):
        ism.read_ssim(folder)


@pytest.mark.parametrize("value", [None, 3, b"ssim.csv", ["a.csv"]], ids=["None", "int", "bytes", "list"])
def test_not_a_path_is_refused(value):
    with raises_located(regex="path|file"):
        ism.read_ssim(value)


# ------------------------------------------------------------------ data loss and silent change: labels on the way in
@pytest.mark.parametrize(
    "labels, named",
    [
        case(["a", "a", "b"], "'a'", id="duplicate"),
        case(["a", " ", "b"], "blank", id="blank"),
        case(["a", "nan", "b"], "nan", helper=R, id="nan text"),
        case(["a", "#N/A", "b"], "#N/A", helper=R, id="#N/A"),
        case(["a", "b\x00c", "d"], "\\x00", helper=R, id="NUL"),
        case(["a", "b\x01c", "d"], "\\x01", helper=R, id="control"),
    ],
)
def test_bad_labels_in_a_csv_are_named(labels, named, tmp_path):
    path = write_bytes(tmp_path, "labels.csv", ssim_csv_text(labels))
    with raises_located("labels.csv", named):
        ism.read_ssim(path)


def test_unicode_labels_survive_a_csv_round_trip(tmp_path):
    labels = ["Ω — ü", "中文", "e\u0301 (combining)", "emoji 🙂"]
    path = write_bytes(tmp_path, "u.csv", ssim_csv_text(labels))
    assert list(ism.read_ssim(path).labels) == labels


def test_a_bom_is_not_part_of_the_first_label(tmp_path):
    path = write_bytes(tmp_path, "bom.csv", "\ufeff" + ssim_csv_text(["a", "b"]))
    assert list(ism.read_ssim(path).labels) == ["a", "b"]


def test_formula_labels_are_read_as_text(tmp_path):
    labels = ["=1+1", "+a", "-b", "@c"]
    path = write_bytes(tmp_path, "f.csv", ssim_csv_text(labels))
    assert list(ism.read_ssim(path).labels) == labels


# ------------------------------------------------------------------ unclear messages: the odd cell is named
def test_bad_symbol_cell_is_named(tmp_path):
    path = write_bytes(tmp_path, "s.csv", ssim_csv_text(["a", "b", "c"], {(0, 2): "Q"}))
    with raises_located("s.csv", "Q", regex="'a'.*'c'|row 2|column 4|a.*c"):
        ism.read_ssim(path)


@pytest.mark.parametrize(
    "odd, expected",
    [
        case("nan", "nan", helper=R, id="nan"),
        case("inf", "inf", helper=R, id="inf"),
    ],
)
def test_a_01_matrix_with_one_odd_cell_names_that_cell(odd, expected, tmp_path):
    rows = [",a,b,c", "a,0,1,0", f"b,0,0,{odd}", "c,0,0,0"]
    path = write_bytes(tmp_path, "m.csv", "\n".join(rows) + "\n")
    with raises_located("m.csv", expected) as info:
        ism.read_ssim(path)
    assert len(info.value.problems) == 1, info.value.problems  # valid cells are never blamed


@pytest.mark.parametrize("one", ["1.0", " 1.00 ", "1e0"])
def test_a_01_matrix_with_one_written_as_a_float_is_read_as_1(one, tmp_path):
    """Not refused: '1.0' is the number 1, as a float column is written (docs/reading_files.md); no other cell
    changes and the matrix stays a 0/1 matrix (it is not read as symbols)."""
    rows = [",a,b,c", "a,0,1,0", f"b,0,0,{one}", "c,0,0,0"]
    s = ism.read_ssim(write_bytes(tmp_path, "m.csv", "\n".join(rows) + "\n"))
    assert s.adjacency.astype(int).tolist() == [[0, 1, 0], [0, 0, 1], [0, 0, 0]]


def test_semicolon_separator_is_read_or_named(tmp_path):
    path = write_bytes(tmp_path, "semi.csv", ssim_csv_text(["a", "b", "c"]).replace(",", ";"))
    try:
        s = ism.read_ssim(path)
    except ism.ISMInputError as err:
        assert "semi.csv" in str(err) and ";" in str(err)
    else:
        assert list(s.labels) == ["a", "b", "c"]


def test_stray_cell_far_from_the_table_is_named(tmp_path):
    text = ssim_csv_text(["a", "b"]) + "\n\n\n,,,,,,stray\n"
    path = write_bytes(tmp_path, "stray.csv", text)
    try:
        s = ism.read_ssim(path)
    except ism.ISMInputError as err:
        assert "stray.csv" in str(err) and "stray" in str(err).replace("stray.csv", "")
    else:
        assert list(s.labels) == ["a", "b"]


# ------------------------------------------------------------------ SSIM JSON
def _ssim_json(**change):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        chain_ssim().to_json(Path(tmp) / "s.json")
        data = json.loads((Path(tmp) / "s.json").read_text(encoding="utf-8"))
    data.update(change)
    return data


JSON_CASES = {
    "null": (None, None),
    "number": (5, None),
    "list": ([1, 2], None),
    "string": ("ssim", None),
    "labels null": (_ssim_json(labels=None), R),
    "labels a string": (_ssim_json(labels="abc"), None),
    "label a list": (_ssim_json(labels=[["a"], "b", "c"]), None),
    "pairs null": (_ssim_json(pairs=None), R),
    "pairs a number": (_ssim_json(pairs=3), R),
    "unknown format version": (_ssim_json(format="ism_health.ssim/99"), R),
}


@pytest.mark.parametrize(
    "name", [case(k, helper=v[1]) for k, v in JSON_CASES.items()]
)
def test_ssim_json_shapes_are_named(name, tmp_path):
    path = write_bytes(tmp_path, "ssim.json", json.dumps(JSON_CASES[name][0]))
    with raises_located("ssim.json"):
        ism.read_ssim(path)


@pytest.mark.parametrize(
    "raw",
    [
        case("[" * 50_000 + "]" * 50_000, helper=R, id="deep nesting"),
        case('{"labels": [' + "9" * 5000 + "]}", helper=R, id="5000-digit number"),
        case("{not json", id="syntax"),
        case("", id="empty"),
    ],
)
def test_ssim_json_resources_are_named(raw, tmp_path):
    path = write_bytes(tmp_path, "ssim.json", raw)
    with raises_located("ssim.json"):
        ism.read_ssim(path)


def test_ssim_json_round_trip_keeps_hostile_labels(tmp_path):
    labels = ["=1+1", "a;b", 'q"uote', "x\r=1", "Ω"]
    s = chain_ssim(labels)
    path = tmp_path / "s.json"
    s.to_json(path)
    back = ism.read_ssim(path)
    assert list(back.labels) == [lab.strip() for lab in labels]
    assert np.array_equal(back.adjacency, s.adjacency)


# ------------------------------------------------------------------ read_factors
FACTOR_FILES = {
    "empty.csv": (b"", R),
    "header only.csv": (b"label\n", None),
    "latin-1.csv": ("label\ncaf\xe9\nb\n".encode("latin-1"), R),
    "junk.csv": (bytes(range(256)), R),
    "no label column.csv": (b"x,y\n1,2\n", None),
    "junk.xlsx": (bytes(range(256)), R),
    "blank label.csv": (b"label,code\na,1\n,2\nb,3\n", R),
    "blank label, blank code.csv": (b"label,code,description\na,1,x\n , ,y\nb,2,z\n", R),
    "duplicate.csv": (b"label\na\na\n", None),
}


@pytest.mark.parametrize("name", [case(k, helper=v[1]) for k, v in FACTOR_FILES.items()])
def test_read_factors_bad_files_are_named(name, tmp_path):
    path = write_bytes(tmp_path, name, FACTOR_FILES[name][0])
    with raises_located(name):
        read_factors(path)


def test_read_factors_skips_rows_that_are_entirely_blank(tmp_path):
    """Not refused: a row with no cell filled holds no factor (a blank line, a row of blank cells); a row with a
    code or description but no label is refused above."""
    path = write_bytes(tmp_path, "gaps.csv", b"label\na\n\nb\n , \n")
    assert read_factors(path)["label"].tolist() == ["a", "b"]


@pytest.mark.parametrize("kind", [case(k, helper=R) for k in DAMAGES])
def test_read_factors_damaged_workbook_is_named(kind, tmp_path):
    def make(path):
        import pandas as pd

        pd.DataFrame({"label": ["a", "b", "c"]}).to_excel(path, index=False)
        return path

    path = damaged_xlsx(tmp_path, kind, make=make)
    with raises_located(path.name):
        read_factors(path)


def test_read_factors_folder_is_named(tmp_path):
    folder = tmp_path / "factors.csv"
    folder.mkdir()
    with raises_located("factors.csv"):
        read_factors(folder)
