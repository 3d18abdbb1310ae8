"""Hostile panels (issue 17): forms, folders, long tables and weights. A located ISMInputError naming the file,
expert, pair or option, or a correct output; never a lost expert or a silent change.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

import ism_health as ism
from ism_health import Panel

from ..helpers_panels import fill_form, long_panel, make_forms
from .cases import DAMAGES, case, raises_located

P = "panel"
LABELS = ("Law", "Trust", "Cost")


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forms")
    truth = make_forms(folder, n_experts=2, labels=LABELS)
    return folder, truth


# ------------------------------------------------------------------ data loss: every form is read
@pytest.mark.parametrize(
    "name",
    [
        case("E03.XLSX", helper=P, id="upper-case suffix"),
        case("E03.xlsm", helper=P, id="xlsm"),
        case("E03.Xlsx", helper=P, id="mixed case"),
    ],
)
def test_read_panel_folder_reads_every_form(name, forms, tmp_path):
    """The third form carries its own expert ID: a copy of e1.xlsx would be expert 'e1' twice, which read_panel
    rightly refuses (test_read_panel_folder_refuses_a_copied_form)."""
    folder, truth = forms
    target = tmp_path / "panel"
    shutil.copytree(folder, target)
    form = ism.write_questionnaire(list(LABELS), tmp_path / "E03.xlsx")
    fill_form(form, truth, expert="E03")
    shutil.move(form, target / name)
    panel = ism.read_panel(target)
    assert panel.n_experts == 3
    assert sorted(panel.experts) == ["E03", "e1", "e2"]


def test_read_panel_folder_refuses_a_copied_form(forms, tmp_path):
    folder, _ = forms
    target = tmp_path / "panel"
    shutil.copytree(folder, target)
    shutil.copy(target / "e1.xlsx", target / "E03.XLSX")
    with raises_located("E03.XLSX", "'e1'"):
        ism.read_panel(target)


def test_read_panel_folder_names_a_file_it_does_not_read(forms, tmp_path):
    folder, _ = forms
    target = tmp_path / "panel"
    shutil.copytree(folder, target)
    (target / "notes.txt").write_text("not a form", encoding="utf-8")
    try:
        panel = ism.read_panel(target)
    except ism.ISMInputError as err:
        assert "notes.txt" in str(err)
    else:
        assert panel.n_experts == 2


def test_read_panel_keeps_experts_and_labels(forms):
    folder, truth = forms
    panel = ism.read_panel(folder)
    assert panel.n_experts == 2 and list(panel.labels) == list(LABELS)
    assert panel.aggregate() == truth


# ------------------------------------------------------------------ crashes with the wrong exception: damaged forms
@pytest.mark.parametrize("kind", [case(k, helper=P if k == "truncated sheet xml" else None) for k in DAMAGES])
def test_damaged_form_is_named(kind, forms, tmp_path):
    folder, _ = forms
    good = folder / "e1.xlsx"
    path = DAMAGES[kind](good, tmp_path / "broken.xlsx")
    with raises_located("broken.xlsx"):
        ism.read_panel([path])


@pytest.mark.parametrize(
    "what, named",
    [
        case(lambda tmp: tmp / "missing.xlsx", "missing.xlsx", id="missing file"),
        case(lambda tmp: tmp, "", id="empty folder"),
        case(lambda tmp: [], "", id="empty list"),
    ],
)
def test_read_panel_nothing_to_read_is_named(what, named, tmp_path):
    with raises_located(named):
        ism.read_panel(what(tmp_path))


@pytest.mark.parametrize("value", [None, 3], ids=["None", "int"])
def test_read_panel_not_a_path_is_refused(value):
    with raises_located():
        ism.read_panel(value)


def test_unfilled_form_is_one_located_line(tmp_path):
    path = ism.write_questionnaire(list(LABELS), tmp_path / "blank.xlsx")
    with raises_located("blank.xlsx"):
        ism.read_panel([path])


def test_form_with_a_bad_answer_names_the_cell(forms, tmp_path):
    from openpyxl import load_workbook

    folder, truth = forms
    path = tmp_path / "bad.xlsx"
    shutil.copy(folder / "e1.xlsx", path)
    wb = load_workbook(path)
    ws = wb["Questions"]
    head = [c.value for c in ws[4]]
    col = head.index("Answer (V/A/X/O)") + 1
    ws.cell(row=5, column=col).value = "Q"
    wb.save(path)
    with raises_located("bad.xlsx", "Q"):
        ism.read_panel([path])


def test_form_with_a_formula_comment_keeps_it_as_text(tmp_path):
    path = ism.write_questionnaire(list(LABELS), tmp_path / "c.xlsx")
    truth = ism.SSIM.from_pairs([("Law", "Trust", "V"), ("Law", "Cost", "O"), ("Trust", "Cost", "A")])
    fill_form(path, truth, expert="E1", comments={("Law", "Trust"): "=1+1"})
    panel = ism.read_panel([path])
    comments = panel.to_long()
    assert "=1+1" in set(comments.get("comment", pd.Series(dtype=object)).dropna())


# ------------------------------------------------------------------ data loss: a filled form is never overwritten
def test_questionnaire_never_overwrites_a_file(tmp_path):
    path = ism.write_questionnaire(list(LABELS), tmp_path / "E01.xlsx")
    before = path.read_bytes()
    with raises_located("E01.xlsx"):
        ism.write_questionnaire(list(LABELS), path)
    assert path.read_bytes() == before


def test_questionnaire_cli_never_overwrites_without_force(tmp_path):
    from .cases import run_cli

    factors = tmp_path / "f.csv"
    factors.write_text("label\nLaw\nTrust\nCost\n", encoding="utf-8")
    out = tmp_path / "E01.xlsx"
    assert run_cli(["questionnaire", factors, "-o", out])[0] == 0
    before = out.read_bytes()
    code, _, err = run_cli(["questionnaire", factors, "-o", out])
    assert code == 2 and "E01.xlsx" in err and out.read_bytes() == before


@pytest.mark.parametrize(
    "factors, named",
    [
        case(["a"], "at least 2", id="one factor"),
        case(["a", "a"], "'a'", id="duplicate"),
        case(["a", ""], "blank", id="blank"),
        case("ab", "", id="one string"),
        case(None, "", id="None"),
    ],
)
def test_questionnaire_bad_factors_are_named(factors, named, tmp_path):
    with raises_located(named):
        ism.write_questionnaire(factors, tmp_path / "q.xlsx")


@pytest.mark.parametrize(
    "kwargs, named",
    [
        case({"style": "grid"}, "style"),
        case({"answers": "maybe"}, "answers"),
        case({"relation": ""}, "relation"),
    ],
)
def test_questionnaire_bad_options_are_named(kwargs, named, tmp_path):
    with raises_located(named):
        ism.write_questionnaire(list(LABELS), tmp_path / "q.xlsx", **kwargs)


def test_questionnaire_path_that_is_not_xlsx_is_named(tmp_path):
    with raises_located("q.csv"):
        ism.write_questionnaire(list(LABELS), tmp_path / "q.csv")


# ------------------------------------------------------------------ long tables
GOOD_ROWS = [("E1", "a", "b", "V"), ("E1", "a", "c", "O"), ("E1", "b", "c", "A")]


@pytest.mark.parametrize(
    "rows, named",
    [
        case(GOOD_ROWS[:2], "'b', 'c'", id="a pair not answered"),
        case([*GOOD_ROWS, ("E1", "a", "b", "X")], "twice", id="a pair answered twice"),
        case([("E1", "a", "b", "Q"), *GOOD_ROWS[1:]], "'Q'", id="bad symbol"),
        case([("", "a", "b", "V"), *GOOD_ROWS[1:]], "expert", id="blank expert"),
        case([("E1", "a", "zz", "V"), *GOOD_ROWS], "'zz'", id="unknown factor"),
        case([("E1", "a", "a", "V"), *GOOD_ROWS], "'a'", id="a factor with itself"),
        case([], "", id="empty"),
        case(None, "NoneType", helper=P, id="None"),
        case(5, "int", helper=P, id="a number"),
        case("abc", "str", id="a string"),
        case([GOOD_ROWS[0], 5], "row 2", id="a row that is a number"),
    ],
)
def test_from_long_problems_are_named(rows, named):
    with raises_located(named):
        Panel.from_long(rows, labels=["a", "b", "c"])


def test_from_long_frame_without_columns_is_named():
    with raises_located("expert"):
        Panel.from_long(pd.DataFrame({"who": ["E1"], "x": ["a"]}))


def test_from_long_symbol_case_and_order_are_the_same_panel():
    a = long_panel({"E1": "VOA", "E2": "XAO"})
    rows = [("E1", "b", "a", "a"), ("E1", "c", "a", "o"), ("E1", "c", "b", "v"),
            ("E2", "a", "b", "x"), ("E2", "a", "c", "a"), ("E2", "b", "c", "o")]
    b = Panel.from_long(rows, labels=["a", "b", "c"])
    assert np.array_equal(a.codes, b.codes)


# ------------------------------------------------------------------ weights and aggregation options
@pytest.fixture(scope="module")
def panel():
    return long_panel({"E1": "VOA", "E2": "VOA", "E3": "XAO"})


@pytest.mark.parametrize(
    "weights, named",
    [
        case({"E1": 1, "E2": 1, "E3": -1}, "'E3'", id="negative"),
        case({"E1": 1, "E2": 1, "E3": float("nan")}, "'E3'", id="NaN"),
        case({"E1": 1, "E2": 1, "E3": float("inf")}, "'E3'", id="inf"),
        case({"E1": 1, "E2": 1}, "'E3'", id="an expert missing"),
        case({"E1": 1, "E2": 1, "E3": 1, "E9": 1}, "'E9'", id="an unknown expert"),
        case({"E1": 1, "E2": 1, "E3": "x"}, "'E3'", id="text"),
        case([1, 2, 3], "weights", id="a list"),
    ],
)
def test_bad_weights_are_named(weights, named, panel):
    with raises_located(named):
        panel.aggregate(weights=weights)


@pytest.mark.parametrize(
    "scale",
    [case(1e308, helper=P, id="1e308"), case(1e-308, id="1e-308"), case(np.float64(3), id="numpy")],
)
def test_equal_weights_of_any_size_equal_no_weights(scale, panel):
    plain = panel.aggregate()
    weighted = panel.aggregate(weights={e: scale for e in panel.experts})
    assert weighted == plain


@pytest.mark.parametrize(
    "kwargs, named",
    [
        case({"rule": "vote"}, "rule"),
        case({"threshold": 1.5}, "threshold"),
        case({"threshold": float("nan")}, "threshold"),
        case({"ties": "coin"}, "ties"),
    ],
)
def test_bad_aggregation_options_are_named(kwargs, named, panel):
    with raises_located(named):
        panel.aggregate(**kwargs)
