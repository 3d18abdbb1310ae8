"""Tests of ism_health.audit and the ``ism-health audit`` command.

The expected findings on the transcribed studies come from an INDEPENDENT checker
written here with plain Python sets and loops (Warshall over lists, Warfield's
partition by set comparison), never from the code under test.
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ism_health.audit import AuditReport, audit, read_printed_matrix
from ism_health.cli_audit import main as audit_main
from ism_health.cli_audit import write_template
from ism_health.exceptions import ISMInputError

CASES = Path(__file__).parent / "data" / "cases"


# ------------------------------------------------------------------ independent checker
def read_case(name: str) -> tuple[list[str], list[list[str]]]:
    with open(CASES / name / "frm.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0][1:], [r[1:] for r in rows[1:]]


def read_levels(name: str) -> dict[str, int]:
    with open(CASES / name / "levels.csv", encoding="utf-8") as fh:
        return {r["factor"]: int(r["level"]) for r in csv.DictReader(fh)}


def warshall(m: list[list[bool]]) -> list[list[bool]]:
    n = len(m)
    r = [[m[i][j] or i == j for j in range(n)] for i in range(n)]
    for k in range(n):
        for i in range(n):
            if r[i][k]:
                for j in range(n):
                    if r[k][j]:
                        r[i][j] = True
    return r


def oracle_missing(cells: list[list[str]]) -> set[tuple[int, int]]:
    printed = [[c != "0" for c in row] for row in cells]
    closed = warshall(printed)
    n = len(cells)
    return {(i, j) for i in range(n) for j in range(n) if i != j and closed[i][j] and not printed[i][j]}


def oracle_levels(m: list[list[bool]]) -> list[int]:
    """Warfield's partition by sets: top when reach & antecedent == reach among the remaining."""
    n = len(m)
    level = [0] * n
    left = set(range(n))
    k = 0
    while left:
        k += 1
        top = [
            i
            for i in left
            if {j for j in left if m[i][j]} & {j for j in left if m[j][i]} == {j for j in left if m[i][j]}
        ]
        if not top:
            break
        for i in top:
            level[i] = k
        left -= set(top)
    return level


def pairs(report: AuditReport, labels: list[str]) -> set[tuple[int, int]]:
    return {(labels.index(s), labels.index(t)) for s, t in zip(report.missing.source, report.missing.target)}


# ------------------------------------------------------------------ the transcribed studies
@pytest.mark.parametrize("name", ["scitepress_2021_c16", "infogaps_r7", "pmc9444705_t20", "scirp_1530101_k10"])
def test_missing_entries_match_the_independent_checker(name):
    labels, cells = read_case(name)
    report = audit(CASES / name / "frm.csv")
    assert pairs(report, labels) == oracle_missing(cells)
    # every chain is made of printed entries and runs from source to target
    for row in report.missing.itertuples(index=False):
        chain = row.chain.split(" -> ")
        assert chain[0] == row.source and chain[-1] == row.target
        for a, b in itertools.pairwise(chain):
            assert cells[labels.index(a)][labels.index(b)] != "0"


def test_scitepress_study_exact_findings():
    """Table 3 of the SCITEPRESS paper misses 22 transitive entries; Table 4 follows the wrong matrix."""
    labels, cells = read_case("scitepress_2021_c16")
    printed_levels = read_levels("scitepress_2021_c16")
    report = audit(CASES / "scitepress_2021_c16" / "frm.csv", levels=CASES / "scitepress_2021_c16" / "levels.csv")
    missing = oracle_missing(cells)
    assert len(missing) == 22
    assert (labels.index("C1"), labels.index("C3")) in missing  # C1 -> C4 (1*) and C4 -> C3 (1)
    assert not report.consistent and report.missing_diagonal == ()
    true_levels = oracle_levels(warshall([[c != "0" for c in row] for row in cells]))
    expected = {
        lab: (lev, true_levels[labels.index(lab)])
        for lab, lev in printed_levels.items()
        if lev != true_levels[labels.index(lab)]
    }
    got = {r.factor: (r.printed_level, r.true_level) for r in report.level_mismatches.itertuples(index=False)}
    assert got == expected
    assert sorted(got) == ["C11", "C2", "C3", "C5", "C6", "C8", "C9"]
    assert report.levels_wrong_from == 2
    # the printed levels are exactly the partition of the printed (non-transitive) matrix
    printed_partition = oracle_levels([[c != "0" for c in row] for row in cells])
    assert all(printed_partition[labels.index(lab)] == lev for lab, lev in printed_levels.items())
    assert report.levels_match_printed_frm is True


def test_infogaps_study_exact_findings():
    report = audit(CASES / "infogaps_r7" / "frm.csv", levels=read_levels("infogaps_r7"))
    assert report.missing.empty and report.missing_diagonal == ("R5",)
    assert report.true_levels.to_dict() == {"R1": 1, "R2": 2, "R3": 2, "R4": 2, "R5": 1, "R6": 2, "R7": 2}
    assert len(report.level_mismatches) == 7 and report.levels_wrong_from == 1
    assert report.levels_match_printed_frm is False
    assert not report.consistent
    # R1 is the only sink: levels taken bottom-up (antecedent sets for reachability sets) put the six
    # drivers R2-R7 at "level 1" and R1 at 2 — the paper's column, except R5 (printed 3)
    assert any("but for R5, the partition of the TRANSPOSED true closure" in n for n in report.notes)


def test_upside_down_levels_are_named():
    chain = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]  # F1 -> F2 -> F3: F3 is the top (level 1)
    flipped = audit(chain, levels={"F1": 1, "F2": 2, "F3": 3})
    assert flipped.levels_wrong_from == 1
    assert [n for n in flipped.notes if "upside down" in n] == [
        "the printed levels are the partition of the TRANSPOSED true closure: the levels were extracted with the "
        "antecedent sets in place of the reachability sets (the hierarchy is upside down, level 1 holds the drivers)."
    ]
    right = audit(chain, levels={"F1": 3, "F2": 2, "F3": 1})
    assert right.consistent and not right.notes
    # one wrong level of three is a slip, not an inverted hierarchy: no note
    slip = audit(chain, levels={"F1": 3, "F2": 1, "F3": 1})
    assert not [n for n in slip.notes if "upside down" in n]


@pytest.mark.parametrize("name", ["pmc9444705_t20", "scirp_1530101_k10"])
def test_consistent_studies_pass(name):
    report = audit(CASES / name / "frm.csv")
    assert report.consistent
    assert "consistent." in report.summary()


# ------------------------------------------------------------------ hand-made cases, one per finding
def test_missing_with_shortest_chain_and_missing_diagonal():
    frm = [["1", "1", "0", "0"], ["0", "1", "1", "0"], ["0", "0", "1", "1"], ["0", "0", "0", "0"]]
    report = audit(frm, labels=list("abcd"))
    got = {(r.source, r.target): r.chain for r in report.missing.itertuples(index=False)}
    assert got == {("a", "c"): "a -> b -> c", ("a", "d"): "a -> b -> c -> d", ("b", "d"): "b -> c -> d"}
    assert report.missing_diagonal == ("d",)


def test_spurious_entries_and_star_marks_against_the_irm():
    irm = [[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    frm = [
        ["1", "1*", "1", "1"],  # a->b marked 1* but direct; a->c printed 1 but transitive; a->d not implied
        ["0", "1", "1", "0"],
        ["0", "0", "1", "0"],
        ["0", "0", "0", "1"],
    ]
    report = audit(frm, irm=irm, labels=list("abcd"))
    kinds = {(r.source, r.target): r.kind for r in report.spurious.itertuples(index=False)}
    assert set(kinds) == {("a", "b"), ("a", "c"), ("a", "d")}
    assert kinds[("a", "b")].startswith("marked 1* but direct")
    assert kinds[("a", "c")].startswith("printed 1 but only transitive")
    assert kinds[("a", "d")].startswith("not implied")
    assert report.missing.empty and not report.consistent
    assert report.true_frm.loc["a", "c"] == "1*"


def test_missing_entry_required_by_the_irm_only():
    irm = [[1, 1, 0], [0, 1, 1], [0, 0, 1]]
    frm = [["1", "1", "0"], ["0", "1", "0"], ["0", "0", "1"]]  # b->c dropped, so a->c is not required by the FRM
    report = audit(frm, irm=irm, labels=list("abc"))
    got = {(r.source, r.target): (r.chain, r.basis) for r in report.missing.itertuples(index=False)}
    assert got == {("a", "c"): ("a -> b -> c", "printed IRM"), ("b", "c"): ("b -> c", "printed IRM")}


def test_level_mismatch_reports_the_iteration():
    chain = [["1", "1", "1", "1"], ["0", "1", "1", "1"], ["0", "0", "1", "1"], ["0", "0", "0", "1"]]
    right = {"a": 4, "b": 3, "c": 2, "d": 1}
    assert audit(chain, labels=list("abcd"), levels=right).consistent
    wrong = {"a": 3, "b": 3, "c": 2, "d": 1}
    report = audit(chain, labels=list("abcd"), levels=wrong)
    assert report.level_mismatches.to_dict("records") == [{"factor": "a", "printed_level": 3, "true_level": 4}]
    assert report.levels_wrong_from == 3  # iterations 1 (d) and 2 (c) agree; iteration 3 takes b alone
    assert "iteration 3" in report.summary()


def test_power_mismatches():
    frm = [["1", "1"], ["0", "1"]]
    report = audit(frm, labels=["a", "b"], driving={"a": 2, "b": 2}, dependence={"a": 1, "b": 2})
    assert report.power_mismatches.to_dict("records") == [
        {"factor": "b", "power": "driving", "printed": 2, "frm_sum": 1, "true_sum": 1}
    ]


def test_cluster_rules():
    # drivings 4,3,2,1 ; dependences 1,2,3,4 on a 4-chain
    chain = [[1, 1, 1, 1], [0, 1, 1, 1], [0, 0, 1, 1], [0, 0, 0, 1]]
    by_half = {"a": "independent", "b": "independent", "c": "dependent", "d": "dependent"}
    report = audit(chain, labels=list("abcd"), clusters=by_half)
    assert report.consistent
    assert any(r.startswith("n/2") for r in report.cluster_rules)
    # printed with the boundary "at or above 2 is high": b and c become linkage
    at_or_above = {"a": "independent", "b": "linkage", "c": "linkage", "d": "dependent"}
    report = audit(chain, labels=list("abcd"), clusters=at_or_above)
    assert report.consistent  # no rule stated, and one standard rule reproduces them
    assert "n/2 (at or above the boundary is high)" in report.cluster_rules
    assert "n/2 (above the boundary is high)" not in report.cluster_rules
    # the paper states a boundary of 3 but prints clusters that do not follow it
    report = audit(chain, labels=list("abcd"), clusters=at_or_above, micmac_threshold=3)
    assert not report.consistent
    assert set(report.cluster_mismatches.factor) == {"b", "c"}
    # numerals are read too
    assert audit(chain, labels=list("abcd"), clusters={"a": "IV", "b": "IV", "c": "II", "d": "II"}).consistent


def test_transposed_ssim_is_recognised():
    ssim = [["", "V", "O"], ["", "", "V"], ["", "", ""]]  # a -> b -> c
    transposed_frm = [["1", "0", "0"], ["1", "1", "0"], ["1*", "1", "1"]]  # c -> b -> a
    report = audit(transposed_frm, ssim=ssim, labels=list("abc"))
    assert report.ssim_transposed is True and not report.consistent
    assert "TRANSPOSED" in report.summary()
    right_frm = [["1", "1", "1*"], ["0", "1", "1"], ["0", "0", "1"]]
    report = audit(right_frm, ssim=ssim, labels=list("abc"))
    assert report.ssim_transposed is False and report.consistent


def test_ssim_alone_and_irm_disagreeing_with_ssim():
    ssim = pd.DataFrame([["", "V"], ["", ""]], index=["a", "b"], columns=["a", "b"])
    assert audit(ssim=ssim).consistent
    report = audit([["1", "1"], ["0", "1"]], ssim=ssim, irm=[[1, 0], [0, 1]])
    assert not report.consistent
    assert any("differs from the printed SSIM" in n for n in report.notes)


# ------------------------------------------------------------------ inputs, outputs, errors
def test_cell_spellings_and_input_forms(tmp_path):
    ones, starred, _ = read_printed_matrix([["1", "1 *"], [0, 1.0]], labels=["x", "y"])
    assert ones.tolist() == [[True, True], [False, True]] and starred.tolist() == [[False, True], [False, False]]
    frame = pd.DataFrame([["1", "1*"], ["0", "1"]], index=["x", "y"], columns=["x", "y"])
    csv_path = tmp_path / "frm.csv"
    frame.to_csv(csv_path)
    xlsx_path = tmp_path / "frm.xlsx"
    frame.to_excel(xlsx_path)
    for source in (frame, csv_path, str(csv_path), xlsx_path):
        report = audit(source)
        assert report.labels == ("x", "y") and report.consistent


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"frm": [["1", "2"], ["0", "1"]]}, "expected '1', '1*' or '0'"),
        ({"frm": [["1", "1"], ["0", "1"], ["1", "1"]]}, "not square"),
        ({"frm": [["1", "0"], ["0", "1"]], "irm": [["1*", "0"], ["0", "1"]]}, "expected '1' or '0'"),
        ({}, "at least one printed matrix"),
        ({"frm": [["1", "0"], ["0", "1"]], "levels": {"F1": "top"}}, "whole number"),
        ({"frm": [["1", "0"], ["0", "1"]], "levels": {"Z": 1}}, "not one of the matrix's factors"),
        ({"frm": [["1", "0"], ["0", "1"]], "clusters": {"F1": "central"}}, "expected autonomous"),
        ({"frm": [["1", "0"], ["0", "1"]], "micmac_threshold": -1}, "micmac_threshold"),
        ({"frm": "no_such_file.csv"}, "not found"),
        ({"frm": [["1", "0"], ["0", "1"]], "ssim": [["", "Q"], ["", ""]]}, "expected V, A, X or O"),
        ({"frm": pd.DataFrame([["1"]], index=["a"], columns=["a"])}, "at least 2 factors"),
        ({"frm": pd.DataFrame([["1", "0"], ["0", "1"]], index=["a", "b"], columns=["a", "c"])}, "labels differ"),
    ],
)
def test_bad_input_is_located(kwargs, message):
    with pytest.raises(ISMInputError, match=re.escape(message)):
        audit(**kwargs)


def test_report_is_frozen_and_returns_copies():
    report = audit([["1", "1", "0"], ["0", "1", "1"], ["0", "0", "1"]])
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.levels_wrong_from = 3  # type: ignore[misc]
    table = report.missing
    table.loc[0, "source"] = "changed"
    assert report.missing.loc[0, "source"] == "F1"


def test_html_and_excel_are_safe(tmp_path):
    labels = ["<script>alert(1)</script>", '=HYPERLINK("x")']
    report = audit([["1", "1"], ["0", "1"]], labels=labels, levels={labels[0]: 1, labels[1]: 1})
    html_text = report.to_html(tmp_path / "a.html").read_text(encoding="utf-8")
    assert "<script>" not in html_text and "&lt;script&gt;" in html_text
    wb = load_workbook(report.to_excel(tmp_path / "a.xlsx"))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == labels[1]]
    assert cells and all(c.data_type == "s" for c in cells)


# ------------------------------------------------------------------ property: audit == oracle
@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 9).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.booleans(), min_size=n * n, max_size=n * n),
            st.lists(st.booleans(), min_size=n * n, max_size=n * n),
        )
    )
)
def test_missing_matches_oracle_on_random_matrices(data):
    n, edges, drop = data
    adj = [[edges[i * n + j] for j in range(n)] for i in range(n)]
    closed = warshall(adj)
    # a "printed" FRM: the closure with some entries dropped (diagonal kept)
    cells = [["1" if closed[i][j] and (i == j or not drop[i * n + j]) else "0" for j in range(n)] for i in range(n)]
    report = audit(cells)
    labels = list(report.labels)
    assert pairs(report, labels) == oracle_missing(cells)
    assert report.true_levels.tolist() == oracle_levels(warshall([[c != "0" for c in r] for r in cells]))


# ------------------------------------------------------------------ the command
def fill(path: Path, frm_rows=None, levels=None) -> None:
    wb = load_workbook(path)
    if frm_rows is not None:
        for row in frm_rows:
            wb["FRM"].append(row)
    if levels is not None:
        for item in levels.items():
            wb["Levels"].append(list(item))
    wb.save(path)


def test_cli_from_the_template(tmp_path, capsys):
    template = tmp_path / "paper.xlsx"
    assert audit_main(["--template", str(template)]) == 0
    labels, cells = read_case("infogaps_r7")
    fill(
        template,
        [[None] + labels] + [[lab] + [int(c) for c in row] for lab, row in zip(labels, cells)],
        read_levels("infogaps_r7"),
    )
    out = tmp_path / "out"
    assert audit_main([str(template), "-o", str(out)]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["audit.html", "audit.xlsx", "summary.txt"]
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert "R5" in summary and "iteration 1" in summary
    assert audit_main([str(template), "-o", str(out)]) == 2  # not empty, no --force
    assert "not empty" in capsys.readouterr().out


def test_cli_consistent_study_exits_0(tmp_path):
    template = write_template(tmp_path / "paper.xlsx")
    labels, cells = read_case("scirp_1530101_k10")
    fill(template, [[None] + labels] + [[lab] + row for lab, row in zip(labels, cells)])
    assert audit_main([str(template)]) == 0


def test_cli_bad_input_exits_2(tmp_path, capsys):
    template = write_template(tmp_path / "paper.xlsx")
    assert audit_main([str(template)]) == 2  # every matrix sheet blank
    assert "all blank" in capsys.readouterr().out
    fill(template, [[None, "a", "b"], ["a", "1", "x"], ["b", "0", "1"]])
    assert audit_main([str(template)]) == 2
    assert "column 'b'" in capsys.readouterr().out
    (tmp_path / "not.xlsx").write_text("hello", encoding="utf-8")
    assert audit_main([str(tmp_path / "not.xlsx")]) == 2
    assert audit_main([]) == 2


def test_true_levels_agree_with_public_level_partition():
    import ism_health as ism

    labels, cells = read_case("scitepress_2021_c16")
    printed = np.array([[c != "0" for c in row] for row in cells])
    expected = ism.level_partition(ism.transitive_closure(printed).astype(int), labels=labels)
    assert audit(CASES / "scitepress_2021_c16" / "frm.csv").true_levels.to_dict() == expected.to_dict()
