"""Tests of ism_health.experts.questionnaire: writing forms, reading them back, every reader error, factor lists."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import ism_health as ism
from ism_health import SSIM, ISMInputError
from ism_health.datasets import load_categories, load_example
from ism_health.experts import (
    read_factors,
)

from .helpers_panels import fill_form, make_forms


@pytest.mark.parametrize("style,answers", [("pairs", "symbols"), ("pairs", "yes_no"), ("matrix", "symbols")])
def test_form_round_trip(tmp_path, style, answers):
    cats = load_categories()
    truth = load_example()  # labels are the 13 category names
    panel = ism.simulate_panel(truth, 3, 0.3, seed=11)
    comment = {(truth.labels[0], truth.labels[1]): "=cmd|' /C calc'!A0"} if style == "pairs" else None
    for k, e in enumerate(panel.experts):
        path = ism.write_questionnaire(cats, tmp_path / f"{e}.xlsx", style=style, answers=answers, seed=5)
        fill_form(path, panel.expert_ssim(e), expert=e, comments=comment if k == 0 else None)
    back = ism.read_panel(tmp_path)
    assert back.labels == truth.labels and back.experts == panel.experts
    assert np.array_equal(back.codes, panel.codes)
    assert back.sources["E02"] == str(tmp_path / "E02.xlsx")
    if style == "pairs":
        long = back.to_long()
        assert long.comment[0] == "=cmd|' /C calc'!A0"  # kept, as text
        assert (long.comment[1:] == "").all()
    same = ism.read_panel([tmp_path / "E03.xlsx", tmp_path / "E01.xlsx"])
    assert same.experts == ("E03", "E01")


def test_form_content(tmp_path):
    path = ism.write_questionnaire(
        pd.DataFrame({"code": ["L", "T", "C"], "label": ["=1+1", "Trust", "Cost"], "description": ["law", "", "money"]}),
        tmp_path / "f.xlsx", relation="leads to", expert="ann",
    )
    wb = load_workbook(path)
    assert wb.sheetnames == ["Instructions", "Questions", "Factors", "ism_meta"]
    assert wb["ism_meta"].sheet_state == "hidden"
    text = "\n".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    assert "the first factor leads to the second factor" in text
    assert "V  = the first factor leads to the second (first -> second)" in text
    ws = wb["Questions"]
    assert ws["B1"].value == "ann"
    assert [c.value for c in ws[4]] == ["No.", "Code 1", "First factor", "Code 2", "Second factor", "Question",
                                        "Answer (V/A/X/O)", "Comment"]
    assert [c.value for c in ws[5]][:5] == [1, "L", "=1+1", "T", "Trust"]
    assert ws["C5"].data_type == "s"  # text, not a formula
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1 and dvs[0].formula1 == '"V,A,X,O"' and str(dvs[0].sqref) == "G5:G7"
    assert wb["Factors"]["B2"].value == "=1+1" and wb["Factors"]["B2"].data_type == "s"
    # shuffled order is reproducible and differs from factor order
    labels = [f"f{k}" for k in range(8)]
    def order(p):
        q = load_workbook(p)["Questions"]
        return [(q.cell(row=r, column=2).value, q.cell(row=r, column=3).value) for r in range(5, 33)]
    plain = order(ism.write_questionnaire(labels, tmp_path / "a.xlsx"))
    s1 = order(ism.write_questionnaire(labels, tmp_path / "b.xlsx", seed=9))
    s2 = order(ism.write_questionnaire(labels, tmp_path / "c.xlsx", seed=9))
    assert s1 == s2 and s1 != plain and sorted(s1) == sorted(plain)
    # yes/no: two questions with the relation phrase; matrix: a dropdown over the upper triangle
    yn = load_workbook(ism.write_questionnaire(["x", "y"], tmp_path / "yn.xlsx", answers="yes_no", comments=False))
    assert [c.value for c in yn["Questions"][5]] == [1, "x", "y", "'x' influences 'y': yes or no?", None,
                                                    "'y' influences 'x': yes or no?", None]
    mx = load_workbook(ism.write_questionnaire(["x", "y", "z"], tmp_path / "m.xlsx", style="matrix"))["Matrix"]
    assert [c.value for c in mx[4]] == [None, "x", "y", "z"]
    assert sorted(str(d.sqref) for d in mx.data_validations.dataValidation) == ["C5:D5 D6"]


def test_write_questionnaire_errors(tmp_path):
    with pytest.raises(ISMInputError, match="style='grid' is not allowed; expected one of 'pairs', 'matrix'"):
        ism.write_questionnaire(["a", "b"], tmp_path / "f.xlsx", style="grid")  # type: ignore[arg-type]
    with pytest.raises(ISMInputError, match="answers='yes_no' needs style='pairs'"):
        ism.write_questionnaire(["a", "b"], tmp_path / "f.xlsx", style="matrix", answers="yes_no")
    with pytest.raises(ISMInputError, match="expected a .xlsx path"):
        ism.write_questionnaire(["a", "b"], tmp_path / "f.csv")
    with pytest.raises(ISMInputError, match="factor label 'a' is used twice"):
        ism.write_questionnaire(["a", "a"], tmp_path / "f.xlsx")
    with pytest.raises(ISMInputError, match="needs a column 'label'"):
        ism.write_questionnaire(pd.DataFrame({"x": ["a", "b"]}), tmp_path / "f.xlsx")
    with pytest.raises(ISMInputError, match="factor code 'c' is used twice"):
        ism.write_questionnaire(pd.DataFrame({"label": ["a", "b"], "code": ["c", "c"]}), tmp_path / "f.xlsx")
    with pytest.raises(ISMInputError, match="relation='' is not allowed"):
        ism.write_questionnaire(["a", "b"], tmp_path / "f.xlsx", relation="")
    with pytest.raises(ISMInputError, match="factors must be a list of labels"):
        ism.write_questionnaire("abc", tmp_path / "f.xlsx")


def test_reader_reports_every_problem_in_every_file(tmp_path):
    make_forms(tmp_path, n_experts=4)
    # e1: one answer blank, one invalid
    wb = load_workbook(tmp_path / "e1.xlsx")
    ws = wb["Questions"]
    ws["E5"] = None
    ws["E6"] = "maybe"
    ws["F7"] = "a comment"
    wb.save(tmp_path / "e1.xlsx")
    # e2: factor renamed in a row (unknown factor -> that pair also missing), expert ID blank (the file name is used)
    wb = load_workbook(tmp_path / "e2.xlsx")
    ws = wb["Questions"]
    ws["C6"] = "Cots"
    ws["B1"] = None
    wb.save(tmp_path / "e2.xlsx")
    # e3: same expert ID as e4, and a pair asked twice (row 7 overwritten with the pair of row 5)
    wb = load_workbook(tmp_path / "e3.xlsx")
    ws = wb["Questions"]
    ws["B1"] = "e4"
    ws["B7"], ws["C7"] = "Trust", "Law"
    wb.save(tmp_path / "e3.xlsx")
    # a form over another factor list, and a workbook that is not a form, and garbage
    ism.write_questionnaire(["Law", "Trust", "Money"], tmp_path / "other.xlsx", expert="e9")
    fill_form(tmp_path / "other.xlsx", SSIM.from_pairs([("Law", "Trust", "V"), ("Law", "Money", "O"), ("Trust", "Money", "O")]))
    ism.SSIM.from_pairs([("a", "b", "V")]).to_excel(tmp_path / "plain.xlsx")
    (tmp_path / "zz.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ISMInputError) as info:
        ism.read_panel(tmp_path)
    problems = info.value.problems
    f = {name: str(tmp_path / name) for name in ("e1.xlsx", "e2.xlsx", "e3.xlsx", "e4.xlsx", "other.xlsx", "plain.xlsx", "zz.xlsx")}
    expected = [
        f"{f['e1.xlsx']} [sheet 'Questions', row 5] expert 'e1', pair ('Law', 'Trust'): the answer (cell E5) is blank; "
        "expected one of V, A, X, O.",
        f"{f['e1.xlsx']} [sheet 'Questions', row 6] expert 'e1', pair ('Law', 'Cost'): the answer (cell E6) is 'maybe'; "
        "expected one of V, A, X, O.",
        f"{f['e2.xlsx']} [sheet 'Questions', row 6] expert 'e2': the second factor is 'Cots', not a factor of this form; "
        "expected one of the 3 factors ('Law', 'Trust', 'Cost').",
        f"{f['e2.xlsx']} [sheet 'Questions'] expert 'e2', pair ('Law', 'Cost'): no row asks this pair; "
        "expected one row per pair (3 rows).",
        f"{f['e3.xlsx']} [sheet 'Questions', row 7] expert 'e4', pair ('Law', 'Trust'): the pair is asked again "
        "(first in row 5); expected each pair once.",
        f"{f['e3.xlsx']} [sheet 'Questions'] expert 'e4', pair ('Trust', 'Cost'): no row asks this pair; "
        "expected one row per pair (3 rows).",
        f"{f['plain.xlsx']}: no sheet 'ism_meta'; expected a form written by ism_health.write_questionnaire "
        "(its hidden sheet records the factor list).",
    ]
    assert problems[: len(expected)] == expected
    rest = problems[len(expected):]
    assert rest[0].startswith(f"{f['zz.xlsx']}: not a readable Excel workbook")
    assert rest[1].startswith(
        f"{f['other.xlsx']} [sheet 'ism_meta'] expert 'e9': this form was made for a different factor list "
        f"(3 factors, fingerprint "
    )
    assert "factors only in this form: ['Money']; missing from it: ['Cost']" in rest[1]
    assert rest[2] == (
        f"{f['e4.xlsx']} [sheet 'Questions', row 1] expert 'e4': this expert ID is also used in {f['e3.xlsx']}; "
        "expected each expert once (correct the ID or drop one file)."
    )
    assert len(rest) == 3
    assert str(info.value).startswith("10 problems found:")


def test_reader_yes_no_and_matrix_errors(tmp_path):
    yn = tmp_path / "yn"
    yn.mkdir()
    make_forms(yn, n_experts=1, answers="yes_no")
    wb = load_workbook(yn / "e1.xlsx")
    wb["Questions"]["E5"] = "perhaps"
    wb["Questions"]["G6"] = None
    wb.save(yn / "e1.xlsx")
    with pytest.raises(ISMInputError) as info:
        ism.read_panel(yn / "e1.xlsx")
    assert info.value.problems == [
        f"{yn / 'e1.xlsx'} [sheet 'Questions', row 5] expert 'e1', pair ('Law', 'Trust'): the answer to question 1 "
        "(cell E5) is 'perhaps'; expected yes or no.",
        f"{yn / 'e1.xlsx'} [sheet 'Questions', row 6] expert 'e1', pair ('Law', 'Cost'): the answer to question 2 "
        "(cell G6) is blank; expected yes or no.",
    ]
    mx = tmp_path / "mx"
    mx.mkdir()
    make_forms(mx, n_experts=2, style="matrix")
    wb = load_workbook(mx / "e1.xlsx")
    ws = wb["Matrix"]
    ws["C5"] = None  # Law vs Trust blank
    ws["D5"] = "Q"  # Law vs Cost invalid
    ws["C6"] = "X"  # the diagonal (row Trust, column Trust): ignored
    wb.save(mx / "e1.xlsx")
    wb = load_workbook(mx / "e2.xlsx")
    ws = wb["Matrix"]
    ws["B7"] = "O"  # row Cost, column Law: mirror of Law vs Cost ('O') -> consistent, accepted
    ws["C7"] = "A"  # row Cost, column Trust: mirror would be V, but Trust vs Cost is 'A' -> disagree
    ws["D4"] = "Costs"  # unknown column factor
    wb.save(mx / "e2.xlsx")
    with pytest.raises(ISMInputError) as info:
        ism.read_panel(mx)
    e1, e2 = mx / "e1.xlsx", mx / "e2.xlsx"
    assert info.value.problems == [
        f"{e1} [sheet 'Matrix', cell C5] expert 'e1', pair ('Law', 'Trust'): the answer is blank; expected one of V, A, X, O.",
        f"{e1} [sheet 'Matrix', cell D5] expert 'e1', pair ('Law', 'Cost'): the answer is 'Q'; expected one of V, A, X, O.",
        f"{e2} [sheet 'Matrix', row 4] expert 'e2': column factor 'Costs' is not a factor of this form; expected one "
        "of the 3 factors ('Law', 'Trust', 'Cost').",
        f"{e2} [sheet 'Matrix', row 4] expert 'e2': factor 'Cost' is missing as a column; expected every factor down "
        "the first column and across the header row.",
    ]
    wb = load_workbook(e2)
    wb["Matrix"]["D4"] = "Cost"
    wb.save(e2)
    wb = load_workbook(e1)
    wb["Matrix"]["C5"], wb["Matrix"]["D5"] = "V", "O"
    wb.save(e1)
    with pytest.raises(ISMInputError) as info:
        ism.read_panel(mx)
    assert info.value.problems == [
        f"{e2} [sheet 'Matrix', cell D6] expert 'e2', pair ('Trust', 'Cost'): cell D6 says 'A' but cell C7 says 'A' "
        "(the mirror of 'A' is 'V'); expected one answer per pair, above the diagonal."
    ]


def test_reader_row_and_header_errors(tmp_path):
    make_forms(tmp_path, n_experts=2)
    wb = load_workbook(tmp_path / "e1.xlsx")
    ws = wb["Questions"]
    ws["B5"] = None  # first factor blank (answer still there)
    ws["C6"] = "Law"  # Law vs Law
    ws["A9"], ws["B9"], ws["C9"], ws["E9"] = 5, "Trust", "Cost", "V"  # an extra row repeating a pair
    wb.save(tmp_path / "e1.xlsx")
    wb = load_workbook(tmp_path / "e2.xlsx")
    wb["Questions"]["E4"] = "Reply"  # header edited
    wb.save(tmp_path / "e2.xlsx")
    with pytest.raises(ISMInputError) as info:
        ism.read_panel(tmp_path)
    e1, e2 = tmp_path / "e1.xlsx", tmp_path / "e2.xlsx"
    assert info.value.problems == [
        f"{e1} [sheet 'Questions', row 5] expert 'e1': the first factor is blank; expected one of the 3 factors "
        "('Law', 'Trust', 'Cost').",
        f"{e1} [sheet 'Questions', row 6] expert 'e1': the first and the second factor are both 'Law'; expected two "
        "different factors.",
        f"{e1} [sheet 'Questions', row 9] expert 'e1', pair ('Trust', 'Cost'): the pair is asked again (first in row 7); "
        "expected each pair once.",
        f"{e1} [sheet 'Questions'] expert 'e1', pair ('Law', 'Trust'): no row asks this pair; expected one row per pair "
        "(3 rows).",
        f"{e1} [sheet 'Questions'] expert 'e1', pair ('Law', 'Cost'): no row asks this pair; expected one row per pair "
        "(3 rows).",
        f"{e2} [sheet 'Questions', row 4]: the header row lacks 'First factor', 'Second factor' or the answer "
        "column(s); expected the header written by write_questionnaire (do not edit it).",
    ]


def test_reader_checks_the_factor_list_given(tmp_path):
    make_forms(tmp_path, n_experts=2)
    assert ism.read_panel(tmp_path, factors=["Law", "Trust", "Cost"]).experts == ("e1", "e2")
    with pytest.raises(ISMInputError) as info:
        ism.read_panel(tmp_path, factors=["Law", "Cost", "Trust"])
    assert len(info.value.problems) == 2
    assert info.value.problems[0].startswith(
        f"{tmp_path / 'e1.xlsx'} [sheet 'ism_meta'] expert 'e1': this form was made for a different factor list "
    )
    assert "than the factor list given (3 factors, fingerprint" in info.value.problems[0]
    assert "the same factors in another order" in info.value.problems[0]


def test_reader_path_errors(tmp_path):
    with pytest.raises(ISMInputError, match="no .xlsx or .xlsm forms in this folder"):
        ism.read_panel(tmp_path)
    with pytest.raises(ISMInputError, match="missing.xlsx: no such file"):
        ism.read_panel([tmp_path / "missing.xlsx"])
    with pytest.raises(ISMInputError, match="no forms given"):
        ism.read_panel([])
    make_forms(tmp_path, n_experts=1)
    wb = load_workbook(tmp_path / "e1.xlsx")
    wb["ism_meta"]["B1"] = "ism_health.questionnaire/99"
    wb.save(tmp_path / "e1.xlsx")
    with pytest.raises(ISMInputError, match=r"form format is 'ism_health.questionnaire/99'; expected 'ism_health.questionnaire/1'"):
        ism.read_panel(tmp_path / "e1.xlsx")
    make_forms(tmp_path, n_experts=1, overwrite=True)
    wb = load_workbook(tmp_path / "e1.xlsx")
    first_label = next(r for r in range(1, 40) if wb["ism_meta"].cell(row=r, column=1).value == "position") + 1
    wb["ism_meta"].cell(row=first_label, column=2).value = "Lawz"  # the factor list in the hidden sheet edited
    wb.save(tmp_path / "e1.xlsx")
    with pytest.raises(ISMInputError, match=r"e1.xlsx \[sheet 'ism_meta'\]: the recorded factor list \(3 factors\) does not match"):
        ism.read_panel(tmp_path / "e1.xlsx")
    make_forms(tmp_path, n_experts=1, overwrite=True)
    wb = load_workbook(tmp_path / "e1.xlsx")
    wb["Questions"].title = "Answers"
    wb.save(tmp_path / "e1.xlsx")
    with pytest.raises(ISMInputError, match=r"e1.xlsx: no sheet 'Questions'; expected the answer sheet of the form"):
        ism.read_panel(tmp_path / "e1.xlsx")


def test_cli_questionnaire(tmp_path, capsys):
    from ism_health.cli import main

    factors = tmp_path / "factors.csv"
    factors.write_text("code,label,description\nL,Laws,rules\nT,Trust,\nC,'=cost,money\n", encoding="utf-8")
    out = tmp_path / "form.xlsx"
    argv = ["questionnaire", str(factors), "-o", str(out), "--relation", "leads to",
            "--style", "matrix", "--seed", "1", "--expert", "E7"]
    assert main(argv) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out} (matrix form, 3 factors, 3 pairs)"
    wb = load_workbook(out)
    assert [c.value for c in wb["Matrix"][4]] == [None, "Laws", "Trust", "=cost"]
    assert wb["Matrix"]["B1"].value == "E7"
    assert "leads to" in "\n".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    assert main(["questionnaire", "builtin:categories", "-o", str(tmp_path / "cats.xlsx")]) == 0
    assert "13 factors, 78 pairs" in capsys.readouterr().out
    assert main(["questionnaire", str(tmp_path / "nope.csv"), "-o", str(out)]) == 2
    assert "nope.csv: no such file" in capsys.readouterr().err


def test_read_factors(tmp_path):
    x = tmp_path / "f.xlsx"
    pd.DataFrame({"Category": ["a", "b"], "Code": ["1", "2"]}).to_excel(x, index=False)
    assert read_factors(x).to_dict("list") == {"code": ["1", "2"], "label": ["a", "b"], "description": ["", ""]}
    subs = read_factors("builtin:subcategories")
    assert len(subs) == 80 and subs.description[0] == "category: Technology"
    with pytest.raises(ISMInputError, match="no built-in factor list 'x'"):
        read_factors("builtin:x")
    (tmp_path / "f.txt").write_text("label\na\n")
    with pytest.raises(ISMInputError, match="unknown file type '.txt'"):
        read_factors(tmp_path / "f.txt")


def test_questionnaire_from_the_subcategory_table(tmp_path):
    # load_subcategories() has both 'category' (13 values, repeated) and 'subcategory' (80 labels):
    # the form must list the 80 subcategories.
    from ism_health.datasets import load_subcategories

    path = ism.write_questionnaire(load_subcategories(), tmp_path / "subs.xlsx", style="matrix")
    panel_labels = [c.value for c in load_workbook(path)["Matrix"][4]][1:]
    assert panel_labels == load_subcategories().subcategory.tolist()


# ---------------------------------------------------------------------------------------------- interpretations (TISM)
def _header(ws):
    return {c.value: c.column for c in ws[4]}


def test_interpretations_yes_no_form_in_german(tmp_path):
    # the TISM paired-comparison form: each direction has its own question, answer and text cell
    path = ism.write_questionnaire(["Recht", "Vertrauen", "Kosten"], tmp_path / "de.xlsx", language="de",
                                   answers="yes_no", interpretations=True, expert="anna")
    wb = load_workbook(path)
    ws = wb["Fragen"]
    head = _header(ws)
    assert list(head)[3:] == ["Frage 1", "Antwort 1 (ja/nein)", "Falls erster -> zweiter: wie / warum?", "Frage 2",
                              "Antwort 2 (ja/nein)", "Falls zweiter -> erster: wie / warum?", "Kommentar"]
    assert any(c.value == "Interpretationen (TISM):" for c in wb["Anleitung"]["A"])
    answers = {  # (first, second): (answer 1, text 1, answer 2, text 2)
        ("Recht", "Vertrauen"): ("ja", "schafft Regeln", "Nein", ""),
        ("Recht", "Kosten"): ("JA", "", "nein", "  Gebühren \n finanzieren  "),  # a text for a "nein"
        ("Vertrauen", "Kosten"): ("nein", "", "ja", "=SUMME(A1)"),
    }
    for row in range(5, 8):
        a1, t1, a2, t2 = answers[(ws.cell(row, 2).value, ws.cell(row, 3).value)]
        ws.cell(row, head["Antwort 1 (ja/nein)"]).value = a1
        ws.cell(row, head["Antwort 2 (ja/nein)"]).value = a2
        for column, text in (("Falls erster -> zweiter: wie / warum?", t1),
                             ("Falls zweiter -> erster: wie / warum?", t2)):
            if text:
                ws.cell(row, head[column]).value = text
                ws.cell(row, head[column]).data_type = "s"
    wb.save(path)
    panel = ism.read_panel(path)
    assert [tuple(r) for r in panel.interpretations.itertuples(index=False)] == [
        ("anna", "Recht", "Vertrauen", "schafft Regeln", "given"),
        ("anna", "Recht", "Kosten", "", "missing"),  # "JA" without a text: listed, not an error
        ("anna", "Kosten", "Recht", "Gebühren \n finanzieren", "no link"),  # verbatim inside, outer spaces cut
        ("anna", "Kosten", "Vertrauen", "=SUMME(A1)", "given"),
    ]
    assert any("'Kosten' -> 'Recht'" in n for n in panel.notes)


def test_interpretations_matrix_form(tmp_path):
    path = ism.write_questionnaire(["Law", "Trust", "Cost"], tmp_path / "m.xlsx", style="matrix",
                                   interpretations=True, expert="ann")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Instructions", "Matrix", "Interpretations", "Factors", "ism_meta"]
    m, t = wb["Matrix"], wb["Interpretations"]
    assert [c.value for c in t[4]] == [None, "Law", "Trust", "Cost"]
    assert [t.cell(r, 1).value for r in range(5, 8)] == ["Law", "Trust", "Cost"]
    m["C5"], m["D5"], m["D6"] = "V", "O", "X"  # Law -> Trust; Trust <-> Cost
    t["C5"] = "sets the rules"  # row Law, column Trust
    t["D6"] = "trust saves checks"  # Trust -> Cost
    t["B7"] = "fees"  # Cost -> Law: no link
    wb.save(path)
    panel = ism.read_panel(path)
    assert [tuple(r) for r in panel.interpretations.itertuples(index=False)] == [
        ("ann", "Law", "Trust", "sets the rules", "given"),
        ("ann", "Trust", "Cost", "trust saves checks", "given"),
        ("ann", "Cost", "Law", "fees", "no link"),
        ("ann", "Cost", "Trust", "", "missing"),
    ]
    with pytest.raises(ISMInputError, match="interpretations='yes' is not allowed; expected True or False"):
        ism.write_questionnaire(["Law", "Trust"], tmp_path / "x.xlsx", interpretations="yes")
    del wb["Interpretations"]
    wb.save(path)
    with pytest.raises(ISMInputError, match="no sheet 'Interpretations'"):
        ism.read_panel(path)


def test_interpretations_unanswered_pair_and_edited_header(tmp_path):
    other = ism.write_questionnaire(["Law", "Trust", "Cost"], tmp_path / "f.xlsx", interpretations=True, expert="f")
    wb = load_workbook(other)
    wb["Questions"]["E5"], wb["Questions"]["E6"], wb["Questions"]["E7"] = "O", "O", "O"
    wb.save(other)
    path = ism.write_questionnaire(["Law", "Trust", "Cost"], tmp_path / "e.xlsx", interpretations=True, expert="e")
    wb = load_workbook(path)
    ws = wb["Questions"]
    ws["E5"], ws["E6"], ws["G7"] = "V", "O", "how?"  # the pair in row 7 is left blank, with a text
    wb.save(path)
    panel = ism.read_panel([path, other], missing="drop-pair")
    assert panel.interpretations[["source", "target", "status"]].values.tolist() == [
        ["Law", "Trust", "missing"], ["Cost", "Trust", "unanswered"]]
    ws["F4"] = "my own header"
    wb.save(path)
    with pytest.raises(ISMInputError, match="row 4.*the header row lacks"):
        ism.read_panel([path, other], missing="drop-pair")


def test_panel_interpretations_are_checked_and_copied():
    table = pd.DataFrame([("ann", "Law", "Trust", "rules", "given")],
                         columns=["expert", "source", "target", "interpretation", "status"])
    panel = ism.Panel(["Law", "Trust"], ["ann"], [[1]], interpretations=table)
    table.loc[0, "interpretation"] = "changed"
    got = panel.interpretations
    got.loc[0, "interpretation"] = "changed"
    assert panel.interpretations.loc[0, "interpretation"] == "rules"
    with pytest.raises(ISMInputError, match=r"unknown experts or factors: \['bob'\]"):
        ism.Panel(["Law", "Trust"], ["ann"], [[1]], interpretations=table.assign(expert="bob"))
    with pytest.raises(ISMInputError, match="missing: \\['status'\\]"):
        ism.Panel(["Law", "Trust"], ["ann"], [[1]], interpretations=table.drop(columns="status"))


def test_questionnaires_cli_interpretations_flag(tmp_path, capsys):
    from ism_health.cli import main

    out = tmp_path / "forms"
    assert main(["questionnaire", "builtin:categories", "-o", str(out), "--n-experts", "2", "--interpretations",
                 "--style", "matrix", "--language", "de"]) == 0
    assert load_workbook(out / "E01.xlsx").sheetnames == ["Anleitung", "Matrix", "Interpretationen", "Faktoren",
                                                          "ism_meta"]
