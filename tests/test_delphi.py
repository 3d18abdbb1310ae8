"""Delphi rounds: the round-two forms show the panel and the expert's own answer; compare_rounds counts changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import ism_health as ism
from ism_health import ISMInputError, Panel

from .helpers_panels import long_panel


def test_feedback_forms_show_the_panel_and_the_own_answer(tmp_path):
    # pairs (a,b), (a,c), (b,c); e3 leaves (a,c) blank
    codes = np.array([[1, 0, 3], [1, 0, 2], [2, -1, 2]], dtype=np.int8)
    p = Panel(["a", "b", "c"], ["e1", "e2", "e3"], codes)
    paths = ism.write_feedback_forms(p, tmp_path, factors=pd.DataFrame({"label": ["a", "b", "c"],
                                                                        "code": ["A1", "B1", "C1"]}))
    assert [x.name for x in paths] == ["e1.xlsx", "e2.xlsx", "e3.xlsx"]
    ws = load_workbook(tmp_path / "e3.xlsx")["Questions"]
    head = [c.value for c in ws[4]]
    assert head == ["No.", "Code 1", "First factor", "Code 2", "Second factor", "Panel answers, round 1",
                    "Panel decision, round 1", "Your answer, round 1", "Question", "Answer (V/A/X/O)", "Comment"]
    rows = [[c.value for c in ws[r]][2:] for r in range(5, 8)]
    assert [r[:6] for r in rows] == [
        ["a", "B1", "b", "V 2 · A 1 · X 0 · O 0", "V", "A"],
        ["a", "C1", "c", "V 0 · A 0 · X 0 · O 2 (2 of 3 answered)", "O", None],
        ["b", "C1", "c", "V 0 · A 2 · X 1 · O 0", "A", "A"],
    ]
    assert [r[7] for r in rows] == ["A", None, "A"]  # the answer: the own first answer, to keep or revise
    meta = {r[0]: r[1] for r in load_workbook(tmp_path / "e3.xlsx")["ism_meta"].iter_rows(values_only=True) if r[0]}
    assert meta["round"] == 2
    # read back unchanged: the same answers (the blank stays blank)
    back = ism.read_panel(tmp_path, missing="drop-pair")
    assert np.array_equal(back.codes, codes)
    # a folder mixing round one and round two is refused
    ism.write_questionnaire(["a", "b", "c"], tmp_path / "old.xlsx", expert="e9")
    wb = load_workbook(tmp_path / "old.xlsx")
    for r in range(5, 8):
        wb["Questions"].cell(row=r, column=5).value = "O"
    wb.save(tmp_path / "old.xlsx")
    with pytest.raises(ISMInputError, match=r"the forms mix Delphi rounds round 1: .*old.xlsx; round 2: "):
        ism.read_panel(tmp_path, missing="drop-pair")
    with pytest.raises(ISMInputError, match="exists"):
        ism.write_feedback_forms(p, tmp_path)
    with pytest.raises(ISMInputError, match="does not match the panel's factors"):
        ism.write_feedback_forms(p, tmp_path / "x", factors=["a", "c", "b"])


def test_compare_rounds_against_a_hand_count():
    r1 = long_panel({"e1": "VOA", "e2": "VOA", "e3": "OOA", "e4": "OVA"})
    r2 = long_panel({"e1": "VOA", "e2": "VOX", "e3": "VOA", "e4": "OVA", "e5": "VVV"})
    c = ism.compare_rounds(r1, r2)
    assert c.only_round1 == () and c.only_round2 == ("e5",)
    assert c.changes[["expert", "factor_i", "factor_j", "round1", "round2"]].values.tolist() == [
        ["e2", "b", "c", "A", "X"], ["e3", "a", "b", "O", "V"]]
    assert c.per_expert.set_index("expert").answers_changed.to_dict() == {"e1": 0, "e2": 1, "e3": 1, "e4": 0}
    pp = c.per_pair.set_index(["factor_i", "factor_j"])
    assert pp.experts_changed.tolist() == [1, 0, 1]
    # (a, b): round 1 V V O O: share 2/4, not above 0.5 -> O; round 2 V V V O V: 4/5 -> V
    assert pp.loc[("a", "b"), ["decision_round1", "decision_round2", "decision_changed"]].tolist() == ["O", "V", True]
    assert pp.loc[("a", "b"), "votes_round2"] == "V 4 · A 0 · X 0 · O 1"
    # (a, c): O O O V -> O ; O O O V V -> O (2/5)
    assert pp.loc[("a", "c"), "decision_changed"] is np.False_ or not pp.loc[("a", "c"), "decision_changed"]
    assert c.agreement.loc["round 1", "experts"] == 4 and c.agreement.loc["round 2", "experts"] == 5
    assert c.agreement.loc["round 1", "fleiss_kappa"] == pytest.approx(r1.agreement().fleiss_kappa)
    assert "decisions changed: 1 of 3" in c.summary()
    assert "only in round 2 (not compared): e5" in c.summary()
    with pytest.raises(ISMInputError, match="different factor lists"):
        ism.compare_rounds(r1, long_panel({"e1": "VOA"}, labels=("a", "b", "d")))
    with pytest.raises(ISMInputError, match="no expert is in both rounds"):
        ism.compare_rounds(r1, long_panel({"x": "VOA"}))
