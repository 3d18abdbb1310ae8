"""TISM: a fully hand-checked example (no published TISM example with its numbers was found), errors,
a property against networkx, the figure, the tables and the CLI."""

from __future__ import annotations

import argparse
import dataclasses

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from ism_health import SSIM
from ism_health.cli_tism import add_parser, run
from ism_health.exceptions import ISMInputError
from ism_health.tism import plot_tism, read_interpretations, tism, tism_tables

from .strategies import symbol_tables

# Hand-checked example. Direct links (the experts' "yes" answers):
#   Policy -> Funding, Funding -> Staff, Staff -> Quality, Quality -> Staff, Quality -> Satisfaction
# Transitive (1*) links of the final reachability matrix, worked out by hand:
#   Policy -> Staff, Policy -> Quality, Policy -> Satisfaction, Funding -> Quality, Funding -> Satisfaction,
#   Staff -> Satisfaction  (6)
# Staff and Quality reach each other: the ISM digraph merges them into "Staff + Quality".
# Levels: Satisfaction 1, Staff + Quality 2, Funding 3, Policy 4.
LABELS = ["Policy", "Funding", "Staff", "Quality", "Satisfaction"]
IRM = [
    [1, 1, 0, 0, 0],
    [0, 1, 1, 0, 0],
    [0, 0, 1, 1, 0],
    [0, 0, 1, 1, 1],
    [0, 0, 0, 0, 1],
]
TEXTS = {
    ("Policy", "Funding"): "allocates the budget",
    ("Funding", "Staff"): "pays for training and hiring",
    ("Staff", "Quality"): "skilled staff deliver better care",
    ("Quality", "Satisfaction"): "better care satisfies patients",
    ("Policy", "Satisfaction"): "sets patient rights",
}
SIGNIFICANT = [("Policy", "Satisfaction"), ("Funding", "Satisfaction")]


@pytest.fixture
def example():
    return tism(SSIM.from_matrix(IRM, labels=LABELS), TEXTS, significant_transitive=SIGNIFICANT)


def test_missing_interpretations(example):
    # Quality -> Staff (direct) has no text; Funding -> Satisfaction (significant transitive) neither
    assert example.missing == (("Quality", "Staff"), ("Funding", "Satisfaction"))
    assert example.significant_transitive == tuple(SIGNIFICANT)


def test_interpretive_matrix(example):
    m = example.interpretive_matrix
    assert m.loc["Policy"].tolist() == ["-", "allocates the budget", "1*", "1*", "1*: sets patient rights"]
    assert m.loc["Funding"].tolist() == ["0", "-", "pays for training and hiring", "1*", "1*"]
    assert m.loc["Staff"].tolist() == ["0", "0", "-", "skilled staff deliver better care", "1*"]
    assert m.loc["Quality"].tolist() == ["0", "0", "1", "-", "better care satisfies patients"]
    assert m.loc["Satisfaction"].tolist() == ["0", "0", "0", "0", "-"]


def test_knowledge_base(example):
    kb = example.knowledge_base
    assert len(kb) == 20 and list(kb.index) == list(range(1, 21))
    assert (kb["answer"] == "Y").sum() == 5
    assert kb.loc[kb["transitive"], ["source", "target"]].apply(tuple, axis=1).tolist() == [
        ("Policy", "Staff"), ("Policy", "Quality"), ("Policy", "Satisfaction"),
        ("Funding", "Quality"), ("Funding", "Satisfaction"), ("Staff", "Satisfaction"),
    ]
    assert kb["kept"].sum() == 7
    row = kb[(kb.source == "Policy") & (kb.target == "Satisfaction")].iloc[0]
    assert (row.answer, row.transitive, row.kept, row.in_digraph, row.interpretation) == (
        "N", True, True, True, "sets patient rights")
    row = kb[(kb.source == "Policy") & (kb.target == "Quality")].iloc[0]
    assert (row.answer, row.transitive, row.kept, row.in_digraph) == ("N", True, False, False)
    # links inside the merged cycle are kept on the node, hence "in the digraph"
    row = kb[(kb.source == "Quality") & (kb.target == "Staff")].iloc[0]
    assert (row.answer, row.kept, row.in_digraph, row.interpretation) == ("Y", True, True, "")


def test_digraph(example):
    g = example.digraph
    assert dict(g.nodes(data="level")) == {"Satisfaction": 1, "Staff + Quality": 2, "Funding": 3, "Policy": 4}
    edges = {(u, v): (d["transitive"], d["interpretation"], d["links"]) for u, v, d in g.edges(data=True)}
    assert edges == {
        ("Policy", "Funding"): (False, "allocates the budget", (("Policy", "Funding"),)),
        ("Funding", "Staff + Quality"): (False, "Funding -> Staff: pays for training and hiring",
                                         (("Funding", "Staff"),)),
        ("Staff + Quality", "Satisfaction"): (False, "Quality -> Satisfaction: better care satisfies patients",
                                              (("Quality", "Satisfaction"),)),
        ("Policy", "Satisfaction"): (True, "sets patient rights", (("Policy", "Satisfaction"),)),
        ("Funding", "Satisfaction"): (True, "", (("Funding", "Satisfaction"),)),
    }
    assert g.nodes["Staff + Quality"]["internal"] == (
        ("Staff", "Quality", "skilled staff deliver better care", False),
        ("Quality", "Staff", "", False),
    )
    # a fresh graph every time
    g.remove_node("Policy")
    assert "Policy" in example.digraph


def test_redundant_direct_link_is_kept_but_not_drawn():
    s = SSIM.from_matrix([[1, 1, 1], [0, 1, 1], [0, 0, 1]], labels=["a", "b", "c"])
    r = tism(s, {("a", "b"): "x", ("b", "c"): "y", ("a", "c"): "z"})
    assert sorted(r.digraph.edges()) == [("a", "b"), ("b", "c")]
    kb = r.knowledge_base.set_index(["source", "target"])
    assert (kb.loc[("a", "c"), "answer"], kb.loc[("a", "c"), "kept"], kb.loc[("a", "c"), "in_digraph"]) == (
        "Y", True, False)
    assert r.missing == ()


def test_transitive_link_inside_a_cycle_goes_on_the_node():
    # a -> b -> c -> a: a -> c is transitive (1*) and inside the merged node
    s = SSIM.from_matrix([[1, 1, 0], [0, 1, 1], [1, 0, 1]], labels=["a", "b", "c"])
    r = tism(s, {("a", "c"): "closes the loop"}, significant_transitive=[("a", "c")])
    g = r.digraph
    assert list(g.nodes) == ["a + b + c"] and g.number_of_edges() == 0
    assert ("a", "c", "closes the loop", True) in g.nodes["a + b + c"]["internal"]


# ---------------------------------------------------------------------------------------------- input forms
def test_interpretations_from_frame_csv_and_xlsx(tmp_path):
    frame = pd.DataFrame(
        [{"source": s, "target": t, "interpretation": x} for (s, t), x in TEXTS.items()]
    ).rename(columns={"source": " Source "})
    assert read_interpretations(frame) == TEXTS
    csv = tmp_path / "links.csv"
    frame.to_csv(csv, index=False)
    assert read_interpretations(csv) == TEXTS
    xlsx = tmp_path / "links.xlsx"
    frame.to_excel(xlsx, index=False)
    assert read_interpretations(xlsx) == TEXTS
    r = tism(SSIM.from_matrix(IRM, labels=LABELS), xlsx, significant_transitive=SIGNIFICANT)
    assert r.missing == (("Quality", "Staff"), ("Funding", "Satisfaction"))


def test_blank_text_counts_as_missing():
    r = tism(SSIM.from_matrix([[1, 1], [0, 1]], labels=["a", "b"]), {("a", "b"): "  "})
    assert r.missing == (("a", "b"),)
    assert r.interpretive_matrix.loc["a", "b"] == "1"


# ---------------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("texts", "significant", "message"),
    [
        ({}, [("Policy", "Funding")], "'Policy' -> 'Funding' is a direct link, not a transitive"),
        ({}, [("Satisfaction", "Policy")], "'Satisfaction' -> 'Policy' is not a link at all"),
        ({}, [("Policy", "Budget")], "unknown factor 'Budget'"),
        ({}, [("Policy", "Policy")], "links a factor to itself"),
        ({}, ["Policy"], "not a \\(source, target\\) pair"),
        ({("Satisfaction", "Policy"): "no"}, [], "'Satisfaction' -> 'Policy' is not a link of the model"),
        ({("Ghost", "Policy"): "no"}, [], "unknown factor 'Ghost'"),
        ({"Policy": "no"}, [], "is not a \\(source, target\\) pair"),
    ],
)
def test_errors(texts, significant, message):
    with pytest.raises(ISMInputError, match=message):
        tism(SSIM.from_matrix(IRM, labels=LABELS), texts, significant_transitive=significant)


def test_table_errors(tmp_path):
    with pytest.raises(ISMInputError, match="missing: interpretation"):
        read_interpretations(pd.DataFrame({"source": ["a"], "target": ["b"]}))
    twice = pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"], "interpretation": ["x", "y"]})
    with pytest.raises(ISMInputError, match="two interpretations \\(row 3\\)"):
        read_interpretations(twice)
    with pytest.raises(ISMInputError, match="does not exist"):
        read_interpretations(tmp_path / "nope.csv")
    with pytest.raises(ISMInputError, match="a dict"):
        read_interpretations(42)
    with pytest.raises(ISMInputError, match="needs an SSIM"):
        tism([[1, 0], [0, 1]], {})


def test_result_is_frozen(example):
    with pytest.raises(dataclasses.FrozenInstanceError):
        example.missing = ()  # type: ignore[misc]
    m = example.interpretive_matrix
    m.iloc[0, 1] = "changed"
    assert example.interpretive_matrix.iloc[0, 1] == "allocates the budget"
    assert "5 factors" in repr(example) and "2 missing" in repr(example)
    assert "5 direct links, 6 transitive (2 kept as significant)" in example.summary()


# ---------------------------------------------------------------------------------------------- property
@settings(max_examples=40, deadline=None)
@given(symbol_tables(min_n=2, max_n=9))
def test_knowledge_base_against_networkx(table_labels):
    table, labels = table_labels
    s = SSIM.from_symbols(table, labels=labels)
    adj = np.array(s.adjacency, dtype=bool)
    g = nx.DiGraph([(labels[i], labels[j]) for i, j in zip(*np.nonzero(adj))])
    g.add_nodes_from(labels)
    texts = {(u, v): f"{u} drives {v}" for u, v in g.edges}
    r = tism(s, texts)
    assert r.missing == ()
    kb = r.knowledge_base
    for row in kb.itertuples():
        direct = g.has_edge(row.source, row.target)
        reach = row.target in nx.descendants(g, row.source)
        assert row.answer == ("Y" if direct else "N")
        assert row.transitive == (reach and not direct)
        assert row.kept == direct
        assert row.interpretation == (f"{row.source} drives {row.target}" if direct else "")
    # every direct link is drawn, on an edge or inside a merged node, unless another path implies it
    for row in kb[kb["answer"] == "Y"].itertuples():
        h = g.copy()
        h.remove_edge(row.source, row.target)
        implied = nx.has_path(h, row.source, row.target)
        if not implied:
            assert row.in_digraph


# ---------------------------------------------------------------------------------------------- figure, tables
def test_plot_numbered_and_plain(example):
    ax = plot_tism(example)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("1: ") and any("pays for training and hiring" in x for x in legend)
    assert ax.get_title() == "TISM digraph"
    assert len([p for p in ax.texts if p.get_text() == ""]) == 5  # five arrows
    short = tism(SSIM.from_matrix([[1, 1], [0, 1]], labels=["a", "b"]), {("a", "b"): "funds"})
    ax2 = plot_tism(short, title=None)
    assert ax2.get_legend() is None and "funds" in [t.get_text() for t in ax2.texts] and ax2.get_title() == ""
    ax3 = plot_tism(short, numbered=True)
    assert [t.get_text() for t in ax3.get_legend().get_texts()] == ["1: a -> b: funds"]


def test_tables(example):
    tables = tism_tables(example)
    assert all(len(name) <= 31 for name in tables)
    assert len(tables["TISM links"]) == 5 and tables["TISM links"]["transitive"].sum() == 2
    assert tables["TISM missing"].values.tolist() == [["Quality", "Staff"], ["Funding", "Satisfaction"]]


# ---------------------------------------------------------------------------------------------- CLI
def _args(*argv):
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["tism", *map(str, argv)])


def test_cli(tmp_path, capsys):
    ssim = tmp_path / "ssim.csv"
    SSIM.from_matrix(IRM, labels=LABELS).to_csv(ssim)
    links = tmp_path / "links.csv"
    pd.DataFrame([{"source": s, "target": t, "interpretation": x} for (s, t), x in TEXTS.items()]).to_csv(
        links, index=False)
    sig = tmp_path / "sig.csv"
    pd.DataFrame(SIGNIFICANT, columns=["source", "target"]).to_csv(sig, index=False)
    out = tmp_path / "out"
    assert run(_args(ssim, "--interpretations", links, "--significant", sig, "-o", out)) == 0
    names = {p.name for p in out.iterdir()}
    assert {"tism_knowledge_base.csv", "tism_interpretive_matrix.csv", "tism_links.csv", "tism_missing.csv",
            "tism.png", "summary.txt"} <= names
    kb = pd.read_csv(out / "tism_knowledge_base.csv")
    assert len(kb) == 20
    from openpyxl import load_workbook

    ws = load_workbook(out / "ism" / "ism_result.xlsx")["TISM knowledge base"]  # the ISM bundle carries it
    assert ws.max_row == 21 and [c.value for c in ws[1]][-len(kb.columns):] == list(kb.columns)
    assert 'id="extra-tism"' in (out / "ism" / "report.html").read_text(encoding="utf-8")
    assert run(_args(ssim, "--interpretations", links, "-o", out)) == 2
    assert "not empty" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    pd.DataFrame([("Policy", "Funding")], columns=["source", "target"]).to_csv(bad, index=False)
    assert run(_args(ssim, "--interpretations", links, "--significant", bad, "-o", tmp_path / "o2")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "direct link" in err


def test_cli_formula_safe(tmp_path):
    ssim = tmp_path / "ssim.csv"
    SSIM.from_matrix([[1, 1], [0, 1]], labels=["=cmd()", "b"]).to_csv(ssim)
    links = tmp_path / "links.csv"
    links.write_text('source,target,interpretation\n"\'=cmd()",b,"=HYPERLINK(""x"")"\n')
    from ism_health.io import read_ssim

    label = read_ssim(ssim).labels[0]
    links.write_text(f'source,target,interpretation\n"{label}",b,"=HYPERLINK(""x"")"\n')
    assert run(_args(ssim, "--interpretations", links, "-o", tmp_path / "o")) == 0
    text = (tmp_path / "o" / "tism_links.csv").read_text()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


# ---------------------------------------------------------------------------------------------- asking the panel
# Three experts fill TISM forms (write_questionnaires(..., interpretations=True)) as users do, cell by cell.
# Their answers aggregate (threshold rule, > 1/2) to IRM above: Staff-Quality X (ann X, bob X, cy V),
# Funding-Satisfaction O (cy alone says V), Policy-Staff O (cy alone says A).
INJECTION = '=HYPERLINK("http://evil.example","motivates")'
PANEL_FORMS = {
    # expert: {(first, second): (answer, text first -> second, text second -> first)}
    "ann": {("Policy", "Funding"): ("V", "allocates the budget", ""),
            ("Funding", "Staff"): ("V", "pays for training and hiring", ""),
            ("Staff", "Quality"): ("X", "skilled staff deliver better care", ""),  # Quality -> Staff: no text
            ("Quality", "Satisfaction"): ("V", "better care satisfies patients", "")},
    "bob": {("Policy", "Funding"): ("V", "allocates the budget", ""),  # the same text as ann: merged once
            ("Funding", "Staff"): ("V", "", ""),
            ("Staff", "Quality"): ("X", "", INJECTION),
            ("Quality", "Satisfaction"): ("V", "patients feel the difference", ""),
            ("Policy", "Satisfaction"): ("O", "sets patient rights", "")},  # a text for a "no"
    "cy": {("Policy", "Funding"): ("V", "", ""),
           ("Policy", "Staff"): ("A", "", "staff lobby for policy"),  # outvoted: no link of the model
           ("Funding", "Staff"): ("V", "", ""),
           ("Staff", "Quality"): ("V", "skilled staff deliver better care", ""),
           ("Funding", "Satisfaction"): ("V", "funds patient services", ""),  # a 1* link of the model
           ("Quality", "Satisfaction"): ("V", "", "")},
}


def fill_form(path, answers, sheet="Questions"):
    """Fill a pairs form like a user: find each pair's row by its factor names, type the answer and the texts."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[sheet]
    head = {c.value: c.column for c in ws[4]}
    for row in range(5, ws.max_row + 1):
        first, second = ws.cell(row, head["First factor"]).value, ws.cell(row, head["Second factor"]).value
        answer, text1, text2 = answers.get((first, second), ("O", "", ""))
        ws.cell(row, head["Answer (V/A/X/O)"]).value = answer
        for column, text in (("If first -> second: how / why?", text1), ("If second -> first: how / why?", text2)):
            if text:
                cell = ws.cell(row, head[column])
                cell.value = text
                cell.data_type = "s"  # typed as text (a leading apostrophe in Excel): kept verbatim
    wb.save(path)


@pytest.fixture
def panel_forms(tmp_path):
    from ism_health.experts import write_questionnaires

    folder = tmp_path / "forms"
    paths = write_questionnaires(LABELS, folder, list(PANEL_FORMS), seed=7, interpretations=True)
    for path, answers in zip(paths, PANEL_FORMS.values()):
        fill_form(path, answers)
    return folder


def test_panel_forms_read_back(panel_forms):
    from ism_health import read_panel

    panel = read_panel(panel_forms)
    table = panel.interpretations
    assert list(table.columns) == ["expert", "source", "target", "interpretation", "status"]
    rows = [tuple(r) for r in table.itertuples(index=False)]
    assert rows == [
        ("ann", "Policy", "Funding", "allocates the budget", "given"),
        ("ann", "Funding", "Staff", "pays for training and hiring", "given"),
        ("ann", "Staff", "Quality", "skilled staff deliver better care", "given"),
        ("ann", "Quality", "Staff", "", "missing"),
        ("ann", "Quality", "Satisfaction", "better care satisfies patients", "given"),
        ("bob", "Policy", "Funding", "allocates the budget", "given"),
        ("bob", "Policy", "Satisfaction", "sets patient rights", "no link"),
        ("bob", "Funding", "Staff", "", "missing"),
        ("bob", "Staff", "Quality", "", "missing"),
        ("bob", "Quality", "Staff", INJECTION, "given"),
        ("bob", "Quality", "Satisfaction", "patients feel the difference", "given"),
        ("cy", "Policy", "Funding", "", "missing"),
        ("cy", "Funding", "Staff", "", "missing"),
        ("cy", "Funding", "Satisfaction", "funds patient services", "given"),
        ("cy", "Staff", "Policy", "staff lobby for policy", "given"),
        ("cy", "Staff", "Quality", "skilled staff deliver better care", "given"),
        ("cy", "Quality", "Satisfaction", "", "missing"),
    ]
    # the text for a "no" and the missing texts are said in the notes, never dropped silently
    assert any("expert 'bob'" in n and "'Policy' -> 'Satisfaction'" in n and "no link" in n for n in panel.notes)
    assert any("6 of 16 links answered yes have no text" in n for n in panel.notes)
    assert (panel.aggregate().adjacency | np.eye(5, dtype=bool)).astype(int).tolist() == IRM


def test_tism_of_a_panel(panel_forms):
    from ism_health import read_panel

    panel = read_panel(panel_forms)
    r = tism(panel.aggregate(), panel, significant_transitive=SIGNIFICANT)
    assert r.missing == (("Policy", "Satisfaction"),)
    assert r.unused == (
        ("bob", "Policy", "Satisfaction", "sets patient rights", "the expert answered that this link does not hold"),
        ("cy", "Staff", "Policy", "staff lobby for policy", "not a link of the model (the panel decided no)"),
    )
    kb = r.knowledge_base.set_index(["source", "target"])["interpretation"]
    assert kb[("Policy", "Funding")] == "allocates the budget"  # ann and bob wrote the same text
    assert kb[("Quality", "Satisfaction")] == "better care satisfies patients | patients feel the difference"
    assert kb[("Staff", "Quality")] == "skilled staff deliver better care"
    assert kb[("Quality", "Staff")] == INJECTION
    assert kb[("Funding", "Satisfaction")] == "funds patient services"  # cy's direct "yes" on a 1* link
    assert kb[("Staff", "Policy")] == ""
    edges = {(u, v): (d["transitive"], d["interpretation"]) for u, v, d in r.digraph.edges(data=True)}
    assert edges == {
        ("Policy", "Funding"): (False, "allocates the budget"),
        ("Funding", "Staff + Quality"): (False, "Funding -> Staff: pays for training and hiring"),
        ("Staff + Quality", "Satisfaction"): (
            False, "Quality -> Satisfaction: better care satisfies patients | patients feel the difference"),
        ("Policy", "Satisfaction"): (True, ""),
        ("Funding", "Satisfaction"): (True, "funds patient services"),
    }
    assert r.digraph.nodes["Staff + Quality"]["internal"] == (
        ("Staff", "Quality", "skilled staff deliver better care", False), ("Quality", "Staff", INJECTION, False))
    # the same from the table, from one form, and from the folder
    assert tism(panel.aggregate(), panel.interpretations, SIGNIFICANT).knowledge_base.equals(r.knowledge_base)
    assert tism(panel.aggregate(), panel_forms, SIGNIFICANT).unused == r.unused
    one = tism(panel.expert_ssim("cy"), panel_forms / "cy.xlsx")  # cy's own model: every text used
    assert one.unused == () and one.missing == (("Policy", "Funding"), ("Funding", "Staff"),
                                                 ("Quality", "Satisfaction"))
    assert "texts on no link of the model: 2" in r.summary()
    assert list(tism_tables(r)["TISM unused texts"].columns) == ["expert", "source", "target", "interpretation",
                                                                 "reason"]


def test_a_plain_table_stays_strict(panel_forms):
    # a user's own table naming a pair that is no link is a typo: an error, as before
    s = SSIM.from_matrix(IRM, labels=LABELS)
    with pytest.raises(ISMInputError, match="'Staff' -> 'Policy' is not a link of the model"):
        tism(s, {("Staff", "Policy"): "staff lobby for policy"})


def test_form_without_interpretations(tmp_path):
    from ism_health import read_panel, write_questionnaire

    path = write_questionnaire(LABELS, tmp_path / "ann.xlsx", expert="ann")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    head = {c.value: c.column for c in wb["Questions"][4]}
    assert "If first -> second: how / why?" not in head
    for row in range(5, 15):
        wb["Questions"].cell(row, head["Answer (V/A/X/O)"]).value = "V"
    wb.save(path)
    panel = read_panel(path)
    assert panel.interpretations.empty and list(panel.interpretations.columns)[-1] == "status"
    r = tism(panel.aggregate(), panel)
    assert len(r.missing) == 10 and r.unused == ()


def test_cli_questionnaire_to_tism(tmp_path, capsys):
    from openpyxl import load_workbook

    from ism_health.cli import main
    from ism_health.io import write_ssim

    factors = tmp_path / "factors.csv"
    factors.write_text("label\n" + "\n".join(LABELS) + "\n", encoding="utf-8")
    forms = tmp_path / "forms"
    assert main(["questionnaire", str(factors), "-o", str(forms), "--experts", "ann,bob,cy", "--interpretations",
                 "--seed", "3"]) == 0
    for expert, answers in PANEL_FORMS.items():
        fill_form(forms / f"{expert}.xlsx", answers)
    from ism_health import read_panel

    ssim = tmp_path / "panel_ssim.csv"
    write_ssim(read_panel(forms).aggregate(), ssim)
    sig = tmp_path / "sig.csv"
    pd.DataFrame(SIGNIFICANT, columns=["source", "target"]).to_csv(sig, index=False)
    out = tmp_path / "out"
    capsys.readouterr()
    assert run(_args(ssim, "--interpretations", forms, "--significant", sig, "-o", out)) == 0
    assert "texts on no link of the model: 2" in capsys.readouterr().out
    kb = pd.read_csv(out / "tism_knowledge_base.csv", keep_default_na=False)
    row = kb[(kb.source == "Quality") & (kb.target == "Satisfaction")].iloc[0]
    assert row.interpretation == "better care satisfies patients | patients feel the difference"
    unused = pd.read_csv(out / "tism_unused_texts.csv")
    assert unused[["expert", "source", "target"]].values.tolist() == [["bob", "Policy", "Satisfaction"],
                                                                      ["cy", "Staff", "Policy"]]
    # the formula an expert typed as text is written as text: not a formula in the CSV, a text cell in the workbook
    text = (out / "tism_knowledge_base.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    ws = load_workbook(out / "ism" / "ism_result.xlsx")["TISM knowledge base"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_status_no_panel_gives_is_refused_not_dropped():
    # a text with a status tism does not know would be neither merged nor listed in .unused
    table = pd.DataFrame([("ann", "Law", "Trust", "rules", "Given")],
                         columns=["expert", "source", "target", "interpretation", "status"])
    from ism_health import Panel

    panel = Panel(["Law", "Trust"], ["ann"], [[1]], interpretations=table)
    with pytest.raises(ISMInputError, match="'Law' -> 'Trust' \\(row 2\\) has the status 'Given'; expected one of "
                       "'given', 'missing', 'no link', 'unanswered'"):
        tism(panel.aggregate(), panel)
    kb = tism(panel.aggregate(), table.assign(status="given")).knowledge_base.set_index(["source", "target"])
    assert kb.loc[("Law", "Trust"), "interpretation"] == "rules"
