"""A panel study of 13 factors and 12 experts from blank forms to the report, in the shell only.

The experts' answers come from ``simulate_panel`` (an independent source: the reader never sees it); they are
typed into the forms with openpyxl as experts would: one leaves the ID blank, one saves with an upper-case
suffix, one types a lower-case answer, one leaves a pair blank, and the blank template stays in the folder.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import ism_health as ism
from ism_health.cli import main
from ism_health.datasets import load_example

BLANK_EXPERT, UPPER_EXPERT, LOWER_EXPERT, SKIP_EXPERT = "E03", "E05", "E07", "E09"


def _answer_form(path, answers: ism.SSIM, *, skip=None, lower=None, blank_id=False):
    """Fill a form as an expert would: find each row's two factors, type the symbol into the answer column."""
    wb = load_workbook(path)
    ws = wb["Questions"]
    head = [c.value for c in ws[4]]
    ca, cb, cx = head.index("First factor") + 1, head.index("Second factor") + 1, head.index("Answer (V/A/X/O)") + 1
    for r in range(5, ws.max_row + 1):
        fa, fb = ws.cell(row=r, column=ca).value, ws.cell(row=r, column=cb).value
        if fa is None or {fa, fb} == skip:
            continue
        symbol = answers.symbol(fa, fb)
        ws.cell(row=r, column=cx).value = symbol.lower() if {fa, fb} == lower else symbol
    if blank_id:
        ws["B1"] = None
    wb.save(path)


def _cell_of(path, pair):
    ws = load_workbook(path)["Questions"]
    for r in range(5, ws.max_row + 1):
        if {ws.cell(row=r, column=3).value, ws.cell(row=r, column=5).value} == pair:
            return f"G{r}", r
    raise AssertionError(pair)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    root = tmp_path_factory.mktemp("study")
    truth = load_example()
    sim = ism.simulate_panel(truth, n_experts=12, error_rate=0.15, seed=2024)
    forms = root / "forms"
    assert main(["questionnaire", "builtin:categories", "-o", str(forms), "--n-experts", "12", "--seed", "7"]) == 0
    labels = truth.labels
    skip = {labels[0], labels[1]}
    lower = {labels[2], labels[3]}
    for e in sim.experts:
        _answer_form(forms / f"{e}.xlsx", sim.expert_ssim(e), skip=skip if e == SKIP_EXPERT else None,
                     lower=lower if e == LOWER_EXPERT else None, blank_id=e == BLANK_EXPERT)
    (forms / f"{UPPER_EXPERT}.xlsx").rename(forms / f"{UPPER_EXPERT}.XLSX")
    assert main(["questionnaire", "builtin:categories", "-o", str(forms / "template.xlsx")]) == 0
    return {"root": root, "forms": forms, "sim": sim, "skip": skip, "lower": lower}


def test_the_blank_template_and_the_blank_pair_are_the_two_problems(study, capsys):
    forms = study["forms"]
    capsys.readouterr()
    assert main(["panel", str(forms), "-o", str(study["root"] / "out0")]) == 2
    err = capsys.readouterr().err
    cell, row = _cell_of(forms / f"{SKIP_EXPERT}.xlsx", study["skip"])
    a, b = sorted(study["skip"], key=study["sim"].labels.index)
    assert err.splitlines() == [
        "ism-health: error: 2 problems found:",
        f"  - {forms / (SKIP_EXPERT + '.xlsx')} [sheet 'Questions', row {row}] expert '{SKIP_EXPERT}', pair "
        f"({a!r}, {b!r}): the answer (cell {cell}) is blank; expected one of V, A, X, O.",
        f"  - {forms / 'template.xlsx'} [sheet 'Questions']: not filled in (none of the 78 pairs is answered, and "
        "the expert ID is blank); expected a filled form (a blank template? move it out of the folder).",
    ]
    assert not (study["root"] / "out0").exists() or not any((study["root"] / "out0").iterdir())


@pytest.fixture(scope="module")
def forms_ok(study):
    (study["forms"] / "template.xlsx").unlink()
    return study


def test_missing_error_names_the_pair(forms_ok, capsys):
    capsys.readouterr()
    assert main(["panel", str(forms_ok["forms"])]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"expert '{SKIP_EXPERT}'" in err and "is blank" in err


def _expected_codes(study, drop_expert=False):
    sim = study["sim"]
    codes = sim.codes.astype(np.int8).copy()
    iu, ju = np.triu_indices(sim.n_factors, 1)
    labels = sim.labels
    p = next(k for k in range(len(iu)) if {labels[iu[k]], labels[ju[k]]} == study["skip"])
    e = sim.experts.index(SKIP_EXPERT)
    codes[e, p] = -1
    if drop_expert:
        codes = np.delete(codes, e, axis=0)
    return codes


def test_drop_pair_from_forms_to_report(forms_ok, capsys):
    out = forms_ok["root"] / "out_dp"
    capsys.readouterr()
    assert main(["panel", str(forms_ok["forms"]), "-o", str(out), "--missing", "drop-pair"]) == 0
    printed = capsys.readouterr().out
    # the same panel from Python
    panel = ism.read_panel(forms_ok["forms"], missing="drop-pair")
    assert panel.experts == forms_ok["sim"].experts
    assert np.array_equal(panel.codes, _expected_codes(forms_ok))  # blank ID, XLSX, lower case all read
    assert panel.sources[BLANK_EXPERT].endswith("(expert ID blank: the file name is used)")
    result = panel.analyze()
    ag = panel.agreement()
    assert f"Fleiss' kappa: {ag.fleiss_kappa:.3f}" in printed
    assert ism.read_ssim(out / "aggregated_ssim.csv") == panel.aggregate() == result.ssim
    assert ism.read_ssim(out / "aggregated_ssim.xlsx") == panel.aggregate()
    back = ism.export.result_from_json(out / "ism_result.json")  # the panel's tables do not block the reader
    assert back == result and back.panel is None
    answers = pd.read_csv(out / "panel_answers.csv", keep_default_na=False)
    assert len(answers) == 12 * 78 - 1
    # the workbook: the panel's sheets with the API's numbers
    book = pd.read_excel(out / "ism_result.xlsx", sheet_name=None)
    for sheet in ("Panel", "Panel experts", "Panel votes", "Panel ties", "Panel agreement", "Panel contradictions",
                  "Panel cycles", "Panel notes"):
        assert sheet in book, sheet
    votes = book["Panel votes"]
    api = panel.votes()
    shown = votes[["V", "A", "X", "O", "Answered"]].to_numpy().tolist()
    assert shown == api[["V", "A", "X", "O", "answered"]].to_numpy().tolist()
    assert votes["Decision"].tolist() == panel.aggregation_report().decision.tolist()
    assert sorted(votes["Answered"].unique().tolist()) == [11, 12]
    summary = dict(zip(book["Panel"]["Item"], book["Panel"]["Value"].astype(str)))
    assert summary["Fleiss' kappa"].startswith(f"{ag.fleiss_kappa:.3f} (over the 77 pairs every expert answered)")
    assert summary["Krippendorff's alpha"] == f"{ag.krippendorff_alpha:.3f}"
    experts = book["Panel experts"].set_index("Expert")
    assert experts["Agreement with panel"].tolist() == pytest.approx(ag.experts.agreement_with_panel.tolist())
    assert experts.loc[SKIP_EXPERT, "Pairs answered"] == 77
    con = book["Panel contradictions"]
    api_con = ism.contradictions(panel)
    assert con["Chain"].tolist() == [" → ".join(c) for c in api_con.chain]
    assert len(con) == len(api_con) > 0
    first = api_con.iloc[0]
    a, b = first.chain[0], first.chain[1]
    answered = 11 if {a, b} == forms_ok["skip"] else 12  # the blank pair has one answer fewer
    assert con["Support of each link"][0].split("; ")[0] == f"{a} → {b} {first.link_support[0]}/{answered}"
    assert book["Panel cycles"]["Members"].tolist() == [", ".join(m) for m in ism.cycle_report(panel).members]
    # the report: a panel section with the same numbers
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Expert panel" in html and f"{ag.fleiss_kappa:.3f}" in html
    assert "expert ID blank: the file name is used" in html
    assert "Panel contradictions" in html or "Contradictions" in html


def test_drop_expert(forms_ok, capsys):
    out = forms_ok["root"] / "out_de"
    assert main(["panel", str(forms_ok["forms"]), "-o", str(out), "--missing", "drop-expert"]) == 0
    panel = ism.read_panel(forms_ok["forms"], missing="drop-expert")
    assert SKIP_EXPERT not in panel.experts and panel.n_experts == 11
    assert np.array_equal(panel.codes, _expected_codes(forms_ok, drop_expert=True))
    notes = pd.read_excel(out / "ism_result.xlsx", sheet_name="Panel notes")["Note"].tolist()
    assert any(f"expert '{SKIP_EXPERT}'" in n and "left out (missing='drop-expert')" in n for n in notes)
    assert ism.read_ssim(out / "aggregated_ssim.csv") == panel.aggregate()


def test_round_two_changes_the_aggregate_where_the_answers_say_so(forms_ok, capsys):
    root = forms_ok["root"]
    round2 = root / "round2"
    assert main(["feedback", str(forms_ok["forms"]), "-o", str(round2), "--missing", "drop-pair", "--seed", "3"]) == 0
    r1 = ism.read_panel(forms_ok["forms"], missing="drop-pair")
    # a pair decided O in round one whose i -> j share is highest below one half: two experts who said O revise to V
    report = r1.aggregation_report()
    cand = report[(report.decision == "O") & (report.share_j_to_i == 0)].sort_values("share_i_to_j", kind="stable")
    target = cand.iloc[-1]
    fi, fj = target.factor_i, target.factor_j
    long = r1.to_long()
    said_o = long[(long.factor_i == fi) & (long.factor_j == fj) & (long.symbol == "O")].expert.tolist()
    need = int(np.floor(r1.n_experts / 2) + 1 - round(target.share_i_to_j * r1.n_experts))
    revisers = said_o[:need]
    for e in revisers:
        wb = load_workbook(round2 / f"{e}.xlsx")
        ws = wb["Questions"]
        head = [c.value for c in ws[4]]
        ca, cb, cx = head.index("First factor") + 1, head.index("Second factor") + 1, head.index("Answer (V/A/X/O)") + 1
        for r in range(5, ws.max_row + 1):
            a, b = ws.cell(row=r, column=ca).value, ws.cell(row=r, column=cb).value
            if (a, b) == (fi, fj):
                ws.cell(row=r, column=cx).value = "V"
            elif (a, b) == (fj, fi):
                ws.cell(row=r, column=cx).value = "A"
        wb.save(round2 / f"{e}.xlsx")
    out2 = root / "out_r2"
    assert main(["panel", str(round2), "-o", str(out2), "--missing", "drop-pair"]) == 0
    s1 = ism.read_ssim(root / "out_dp" / "aggregated_ssim.csv") if (root / "out_dp").exists() else r1.aggregate()
    s2 = ism.read_ssim(out2 / "aggregated_ssim.csv")
    assert s1.symbol(fi, fj) == "O" and s2.symbol(fi, fj) == "V"
    changed = [(a, b) for k, a in enumerate(s1.labels) for b in s1.labels[k + 1:] if s1.symbol(a, b) != s2.symbol(a, b)]
    assert changed == [(fi, fj)]
    cmp_out = root / "cmp"
    capsys.readouterr()
    assert main(["feedback", str(forms_ok["forms"]), "--compare", str(round2), "--missing", "drop-pair",
                 "-o", str(cmp_out)]) == 0
    printed = capsys.readouterr().out
    assert f"answers changed: {need} of " in printed and "decisions changed: 1 of 78" in printed
    changes = pd.read_csv(cmp_out / "rounds_changes.csv", keep_default_na=False)
    assert sorted(changes.expert) == sorted(revisers) and set(changes.round2) == {"V"}


def test_questionnaire_refuses_to_overwrite_a_filled_form(forms_ok, capsys):
    path = forms_ok["forms"] / "E01.xlsx"
    before = path.read_bytes()
    capsys.readouterr()
    assert main(["questionnaire", "builtin:categories", "-o", str(path)]) == 2
    assert "E01.xlsx: exists (perhaps a filled form)" in capsys.readouterr().err
    assert path.read_bytes() == before
    copy = forms_ok["root"] / "copy.xlsx"
    shutil.copy(path, copy)
    assert main(["questionnaire", "builtin:categories", "-o", str(copy), "--force"]) == 0
    assert copy.read_bytes() != before
