"""read_panel as a facilitator meets it: suffixes, stray files, blank IDs, blank templates, missing answers,
translated forms, forms never overwritten, one form per expert; weights that would overflow."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import ism_health as ism
from ism_health import SSIM, ISMInputError, Panel
from ism_health.experts import write_questionnaires
from ism_health.experts.texts import LANGUAGES, form_texts

from .helpers_panels import fill_form, make_forms

LABELS = ("Law", "Trust", "Cost")
TRUTH = SSIM.from_pairs([("Law", "Trust", "V"), ("Law", "Cost", "O"), ("Trust", "Cost", "A")])


def test_suffixes_in_any_case_and_xlsm_are_read(tmp_path):
    make_forms(tmp_path, n_experts=3)
    (tmp_path / "e2.xlsx").rename(tmp_path / "FORM_E2.XLSX")
    (tmp_path / "e3.xlsx").rename(tmp_path / "e3.xlsm")
    panel = ism.read_panel(tmp_path)
    assert panel.experts == ("e2", "e1", "e3")  # name order: FORM_E2.XLSX, e1.xlsx, e3.xlsm; IDs from cell B1
    assert sorted(panel.sources.values()) == sorted(str(tmp_path / n) for n in ("e1.xlsx", "FORM_E2.XLSX", "e3.xlsm"))
    assert panel.notes == ()


def test_every_other_file_is_named_with_the_reason(tmp_path):
    make_forms(tmp_path, n_experts=2)
    (tmp_path / "notes.txt").write_text("call ann", encoding="utf-8")
    (tmp_path / "~$e1.xlsx").write_bytes(b"lock")
    (tmp_path / "sub").mkdir()
    panel = ism.read_panel(tmp_path)
    assert panel.experts == ("e1", "e2")
    assert panel.notes == (
        f"{tmp_path / 'notes.txt'}: not read (not an Excel form (.txt); forms end in .xlsx or .xlsm).",
        f"{tmp_path / 'sub'}: not read (a folder; folders inside the folder are not searched).",
        f"{tmp_path / '~$e1.xlsx'}: not read (an Excel lock file: the form it belongs to may be open in Excel; save "
        "and close it).",
    )
    (tmp_path / "E5.ods").write_bytes(b"x")
    (tmp_path / "E6.XLS").write_bytes(b"x")
    with pytest.raises(ISMInputError) as info:
        ism.read_panel(tmp_path)
    assert [p.split(":")[0] for p in info.value.problems] == [str(tmp_path / "E5.ods"), str(tmp_path / "E6.XLS")]
    assert "a .ods file is not read; open it in Excel or LibreOffice Calc and save it as an Excel workbook (.xlsx" \
        in info.value.problems[0]
    assert "a .xls file is not read" in info.value.problems[1]
    with pytest.raises(ISMInputError, match=r"notes.txt: not an Excel form \(.txt\)"):
        ism.read_panel([tmp_path / "e1.xlsx", tmp_path / "notes.txt"])


def test_blank_expert_id_falls_back_to_the_file_name(tmp_path):
    make_forms(tmp_path, n_experts=2)
    wb = load_workbook(tmp_path / "e2.xlsx")
    wb["Questions"]["B1"] = None
    wb.save(tmp_path / "e2.xlsx")
    (tmp_path / "e2.xlsx").rename(tmp_path / "maria.xlsx")
    panel = ism.read_panel(tmp_path)
    assert panel.experts == ("e1", "maria")
    assert panel.sources["maria"] == f"{tmp_path / 'maria.xlsx'} (expert ID blank: the file name is used)"
    assert panel.notes == (
        f"{tmp_path / 'maria.xlsx'}: the expert ID (cell B1) is blank; the file name 'maria' is used.",)
    # the fallback collides with a real ID: both files named
    (tmp_path / "maria.xlsx").rename(tmp_path / "e1.XLSX")
    with pytest.raises(ISMInputError) as info:
        ism.read_panel(tmp_path)
    assert info.value.problems == [
        f"{tmp_path / 'e1.xlsx'} [sheet 'Questions', row 1] expert 'e1': this expert ID is also used in "
        f"{tmp_path / 'e1.XLSX'} (from its file name); expected each expert once (correct the ID or drop one file)."
    ]


def test_a_blank_template_is_one_line_not_one_per_pair(tmp_path):
    make_forms(tmp_path, n_experts=2)
    ism.write_questionnaire(list(LABELS), tmp_path / "template.xlsx")
    with pytest.raises(ISMInputError) as info:
        ism.read_panel(tmp_path)
    assert info.value.problems == [
        f"{tmp_path / 'template.xlsx'} [sheet 'Questions']: not filled in (none of the 3 pairs is answered, and the "
        "expert ID is blank); expected a filled form (a blank template? move it out of the folder)."
    ]
    for missing in ("drop-pair", "drop-expert"):  # under every policy
        with pytest.raises(ISMInputError, match="not filled in"):
            ism.read_panel(tmp_path, missing=missing)


def _skip_pair(folder, name, pair, expert):
    fill_form(folder / name, TRUTH, expert=expert, skip={pair})


def test_missing_policies(tmp_path):
    for expert in ("ann", "bob", "cy"):
        ism.write_questionnaire(list(LABELS), tmp_path / f"{expert}.xlsx", expert=expert)
        answers = TRUTH if expert != "cy" else TRUTH.revise({("Law", "Trust"): "O"})
        fill_form(tmp_path / f"{expert}.xlsx", answers, skip={("Law", "Trust")} if expert == "bob" else ())
    with pytest.raises(ISMInputError) as info:
        ism.read_panel(tmp_path)
    assert info.value.problems == [
        f"{tmp_path / 'bob.xlsx'} [sheet 'Questions', row 5] expert 'bob', pair ('Law', 'Trust'): the answer (cell E5) "
        "is blank; expected one of V, A, X, O."
    ]
    dp = ism.read_panel(tmp_path, missing="drop-pair")
    assert dp.experts == ("ann", "bob", "cy") and dp.has_missing
    assert dp.codes.tolist() == [[1, 0, 2], [-1, 0, 2], [0, 0, 2]]
    assert dp.votes().to_dict("list")["answered"] == [2, 3, 3]
    # Law -> Trust: ann V, cy O; bob did not answer: share 1/2, not above 0.5 (strict) -> O; non-strict -> V
    assert dp.aggregate().symbol("Law", "Trust") == "O"
    assert dp.aggregate(strict=False).symbol("Law", "Trust") == "V"
    report = dp.aggregation_report()
    assert report.loc[0, "share_i_to_j"] == 0.5 and report.loc[0, "tie"]
    assert dp.notes == (f"expert 'bob' ({tmp_path / 'bob.xlsx'}): 1 pair(s) unanswered, decided by the experts who "
                        "answered them (missing='drop-pair').",)
    assert [len(dp.to_long()), dp.to_long().expert.tolist().count("bob")] == [8, 2]
    with pytest.raises(ISMInputError, match=r"expert 'bob' left 1 pair\(s\) unanswered \(\('Law', 'Trust'\)\)"):
        dp.expert_ssim("bob")
    ag = dp.agreement()
    assert ag.params["pairs_in_kappa"] == 2
    assert ag.experts.pairs_answered.tolist() == [3, 2, 3]
    assert ag.experts.agreement_with_panel.tolist() == [2 / 3, 1.0, 1.0]  # ann's V differs from the decision O
    # Krippendorff's alpha over all answers (missing allowed) against a hand count:
    # pair 1: V, O (2 answers, weight 1/(2-1)); pairs 2 and 3: three O / three A (weight 1/(3-1)).
    # Coincidences: V-O 1, O-V 1; O-O 3 * 2 / 2 = 3; A-A 3. n_V = 1, n_O = 4, n_A = 3, n = 8;
    # D_o = 2; D_e = 2 (1*4 + 1*3 + 4*3) = 38; alpha = 1 - (n - 1) D_o / D_e = 1 - 7 * 2 / 38
    assert ag.krippendorff_alpha == pytest.approx(1 - 7 * 2 / 38)
    de = ism.read_panel(tmp_path, missing="drop-expert")
    assert de.experts == ("ann", "cy") and not de.has_missing
    assert de.notes[0].startswith(f"expert 'bob' ({tmp_path / 'bob.xlsx'}) left out (missing='drop-expert'): "
                                  "1 pair(s) unanswered, e.g. expert 'bob', pair ('Law', 'Trust')")
    expected = "missing='drop_expert' is not allowed; expected one of 'error', 'drop-pair', 'drop-expert'"
    with pytest.raises(ISMInputError, match=expected):
        ism.read_panel(tmp_path, missing="drop_expert")  # type: ignore[arg-type]


def test_contradictions_count_only_the_experts_who_answered():
    codes = np.array([[1, 0, 1], [1, -1, 1], [1, 0, 1]], dtype=np.int8)  # a->b, b->c; a-c: O, blank, O
    p = Panel(["a", "b", "c"], ["e1", "e2", "e3"], codes)
    found = ism.contradictions(p)
    assert found[["source", "target", "experts_asserting", "experts_not_asserting"]].values.tolist() == [
        ["a", "c", 0, 2]]


def test_panel_codes_checked():
    with pytest.raises(ISMInputError, match=r"pair \('a', 'b'\): no expert answered it"):
        Panel(["a", "b"], ["e1"], np.array([[-1]], dtype=np.int8))
    with pytest.raises(ISMInputError, match="expert 'e2' answered no pair"):
        Panel(["a", "b", "c"], ["e1", "e2"], np.array([[1, 1, 1], [-1, -1, -1]], dtype=np.int8))
    with pytest.raises(ISMInputError, match=r"codes must be integers 0 \(O\), 1 \(V\), 2 \(A\), 3 \(X\) or -1"):
        Panel(["a", "b"], ["e1"], np.array([[-2]], dtype=np.int8))


def test_huge_weights_do_not_overflow():
    p = Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "V"), ("e3", "a", "b", "O")])
    for scale in (1.0, 5e307, 1e-300):  # 5e307: the weights sum to 2.5e308, past the largest float
        w = {"e1": scale, "e2": scale, "e3": 3 * scale}  # e3 weighs 3: a -> b has weight 2 of 5
        report = p.aggregation_report(weights=w)
        assert report.share_i_to_j.tolist() == [pytest.approx(0.4)]
        assert np.isfinite(report.share_i_to_j).all()
        assert p.aggregate(weights=w).symbol("a", "b") == "O"
        assert p.aggregate().symbol("a", "b") == "V"
    assert p.aggregate("mode", weights={"e1": 1e308, "e2": 1e308, "e3": 1e308}).symbol("a", "b") == "V"
    with pytest.raises(ISMInputError, match="weights span too wide a range"):
        p.aggregate(weights={"e1": 1e308, "e2": 1e308, "e3": 5e-324})


def test_german_form_round_trip(tmp_path):
    t = form_texts("de")
    assert set(LANGUAGES["de"]) == set(LANGUAGES["en"])  # a complete translation
    for expert, answers in (("anna", "symbols"), ("ben", "yes_no")):
        path = ism.write_questionnaire(list(LABELS), tmp_path / f"{expert}.xlsx", expert=expert, language="de",
                                       answers=answers)
        wb = load_workbook(path)
        assert wb.sheetnames == ["Anleitung", "Fragen", "Faktoren", "ism_meta"]
        ws = wb["Fragen"]
        head = [c.value for c in ws[4]]
        assert head[:3] == ["Nr.", "Erster Faktor", "Zweiter Faktor"]
        lines = [c.value for c in wb["Anleitung"]["A"] if c.value]
        assert lines[0] == "ISM-Expertenfragebogen"
        if answers == "symbols":
            assert "V  = der erste Faktor beeinflusst den zweiten (erster -> zweiter)" in lines
            assert "Beispiel: Wenn 'Law' 'Trust' beeinflusst, aber nicht umgekehrt, antworten Sie V." in lines
            col = head.index("Antwort (V/A/X/O)") + 1
            for r in range(5, 8):
                fa, fb = ws.cell(row=r, column=2).value, ws.cell(row=r, column=3).value
                ws.cell(row=r, column=col).value = TRUTH.symbol(fa, fb)
        else:
            assert ws.data_validations.dataValidation[0].formula1 == '"ja,nein"'
            assert ws.cell(row=5, column=4).value == "'Law' beeinflusst 'Trust': ja oder nein?"
            c1, c2 = head.index("Antwort 1 (ja/nein)") + 1, head.index("Antwort 2 (ja/nein)") + 1
            for r in range(5, 8):
                s = TRUTH.symbol(ws.cell(row=r, column=2).value, ws.cell(row=r, column=3).value)
                ws.cell(row=r, column=c1).value = "Ja" if s in "VX" else "nein"
                ws.cell(row=r, column=c2).value = "ja" if s in "AX" else "Nein"
        wb.save(path)
    panel = ism.read_panel(tmp_path)
    assert panel.experts == ("anna", "ben")
    assert panel.expert_ssim("anna") == TRUTH and panel.expert_ssim("ben") == TRUTH
    assert t["yes"] == "ja"
    wb = load_workbook(tmp_path / "ben.xlsx")
    wb["Fragen"]["E5"] = "vielleicht"
    wb.save(tmp_path / "ben.xlsx")
    with pytest.raises(ISMInputError,
                       match=r"the answer to question 1 \(cell E5\) is 'vielleicht'; expected ja or nein"):
        ism.read_panel(tmp_path / "ben.xlsx")


def test_texts_replaced_through_a_mapping(tmp_path):
    path = ism.write_questionnaire(list(LABELS), tmp_path / "f.xlsx", texts={"h_first": "Factor A",
                                   "title": "Data-sharing panel", "sheet_questions": "Pairs"})
    wb = load_workbook(path)
    assert wb["Pairs"]["B4"].value == "Factor A" and wb["Instructions"]["A1"].value == "Data-sharing panel"
    fill_form_sheet = wb["Pairs"]
    for r in range(5, 8):
        fa, fb = fill_form_sheet.cell(row=r, column=2).value, fill_form_sheet.cell(row=r, column=3).value
        fill_form_sheet.cell(row=r, column=5).value = TRUTH.symbol(fa, fb)
    wb.save(path)
    assert ism.read_panel(path, missing="drop-pair").expert_ssim("f") == TRUTH  # ID blank: the file name
    with pytest.raises(ISMInputError, match=r"texts name unknown entries \['h_frist'\]"):
        ism.write_questionnaire(list(LABELS), tmp_path / "g.xlsx", texts={"h_frist": "x"})
    with pytest.raises(ISMInputError, match="language='fa' is not allowed"):
        ism.write_questionnaire(list(LABELS), tmp_path / "g.xlsx", language="fa")


def test_a_form_is_never_overwritten_unless_asked(tmp_path):
    path = ism.write_questionnaire(list(LABELS), tmp_path / "E01.xlsx", expert="E01")
    fill_form(path, TRUTH)
    before = path.read_bytes()
    with pytest.raises(ISMInputError, match=r"E01.xlsx: exists \(perhaps a filled form\)"):
        ism.write_questionnaire(list(LABELS), path)
    assert path.read_bytes() == before
    ism.write_questionnaire(list(LABELS), path, overwrite=True)
    assert path.read_bytes() != before


def test_one_form_per_expert(tmp_path):
    paths = write_questionnaires(list("abcdef"), tmp_path / "forms", 3, seed=4)
    assert [p.name for p in paths] == ["E01.xlsx", "E02.xlsx", "E03.xlsx"]
    orders = []
    for p in paths:
        ws = load_workbook(p)["Questions"]
        assert ws["B1"].value == p.stem
        orders.append([(ws.cell(row=r, column=2).value, ws.cell(row=r, column=3).value) for r in range(5, 20)])
    assert len({tuple(o) for o in orders}) == 3 and all(sorted(o) == sorted(orders[0]) for o in orders)
    again = write_questionnaires(list("abcdef"), tmp_path / "again", 3, seed=4)
    assert [load_workbook(p)["Questions"]["B5"].value for p in again] == [o[0][0] for o in orders]
    note = (tmp_path / "forms" / "README_facilitator.txt").read_text(encoding="utf-8")
    assert "3 experts; 6 factors, 15 pairs each" in note and "ism-health panel FOLDER -o results/" in note
    with pytest.raises(ISMInputError) as info:
        write_questionnaires(list("abcdef"), tmp_path / "forms", ["E01", "E09"])
    assert info.value.problems == [f"{tmp_path / 'forms' / 'E01.xlsx'}: exists (perhaps a filled form); expected a "
                                   "new file (or overwrite=True, --force)."]
    assert not (tmp_path / "forms" / "E09.xlsx").exists()  # nothing written
    with pytest.raises(ISMInputError) as info:
        write_questionnaires(list("ab"), tmp_path / "x", ["a/b", "c", "c", " "])
    assert info.value.problems == [
        "expert ID 'a/b' cannot be a file name; expected letters, digits, '-', '_' or '.'.",
        "expert ID 'c' is listed twice; expected unique IDs.",
        "expert 4 has a blank ID; expected an identifier for every expert.",
    ]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_drop_pair_aggregation_against_a_literal_oracle(data):
    n = data.draw(st.integers(2, 5))
    n_pairs = n * (n - 1) // 2
    n_e = data.draw(st.integers(1, 6))
    codes = np.array(data.draw(st.lists(st.lists(st.integers(-1, 3), min_size=n_pairs, max_size=n_pairs),
                                        min_size=n_e, max_size=n_e)), dtype=np.int8)
    codes[0, (codes == -1).all(axis=0)] = 1  # every pair answered by someone
    for e in range(n_e):
        if (codes[e] == -1).all():
            codes[e, 0] = 0  # every expert answered something
    weights = data.draw(st.lists(st.sampled_from([1.0, 2.0, 0.5, 1e300]), min_size=n_e, max_size=n_e))
    labels = [f"f{k}" for k in range(n)]
    experts = [f"e{k}" for k in range(n_e)]
    panel = Panel(labels, experts, codes)
    ssim = panel.aggregate(weights=dict(zip(experts, weights)))
    p = 0
    for i in range(n):
        for j in range(i + 1, n):
            total = fwd = bwd = 0.0
            for e in range(n_e):
                c = int(codes[e, p])
                if c < 0:
                    continue
                w = weights[e] / max(weights)
                total += w
                fwd += w if c in (1, 3) else 0.0
                bwd += w if c in (2, 3) else 0.0
            want = {(False, False): "O", (True, False): "V", (False, True): "A", (True, True): "X"}[
                (fwd / total > 0.5 + 1e-9, bwd / total > 0.5 + 1e-9)]
            assert ssim.symbol(labels[i], labels[j]) == want
            p += 1


def test_robustness_refuses_a_panel_with_unanswered_pairs():
    codes = np.array([[1, 0, 1], [1, -1, 1]], dtype=np.int8)
    with pytest.raises(ISMInputError, match="robustness\\(\\) needs every expert to answer every pair"):
        ism.robustness(Panel(["a", "b", "c"], ["e1", "e2"], codes), method="jackknife")
