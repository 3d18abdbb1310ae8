"""The interactive diagram's data and page, without a browser (tests/test_interactive_browser.py opens it).

Expected values are written out by hand for the worked example, and checked against an
independent networkx oracle (condensation + transitive reduction) on random SSIMs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings

from ism_health import SSIM, analyze
from ism_health.datasets import load_example
from ism_health.exceptions import ISMInputError
from ism_health.interactive import interactive_data, interactive_html, write_interactive_html

from .strategies import closure_oracle, relation_from_table, symbol_tables


def _page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="ism-data">(.*?)</script>', page, re.S)
    assert match, "no data block in the page"
    return json.loads(match.group(1))


def _named(data: dict, pairs: list[list[int]]) -> set[tuple[str, str]]:
    return {(data["nodes"][a]["label"], data["nodes"][b]["label"]) for a, b in pairs}


def test_worked_example_by_hand():
    # Worked example (datasets "worked"): F7 -> F1 -> F2, F3 -> {F4, F5} -> F6 <- F8; F4 and F5 form a cycle.
    data = interactive_data(analyze(load_example("worked")))
    assert [n["label"] for n in data["nodes"]] == ["F6", "F4 + F5", "F8", "F2", "F3", "F1", "F7"]
    assert [data["factors"][k]["label"] for k in data["nodes"][1]["factors"]] == ["F4", "F5"]
    assert data["nodes"][1]["cycle"] and not data["nodes"][0]["cycle"]
    assert _named(data, data["edges"]) == {
        ("F7", "F1"),
        ("F1", "F2"),
        ("F1", "F3"),
        ("F2", "F4 + F5"),
        ("F3", "F4 + F5"),
        ("F4 + F5", "F6"),
        ("F8", "F6"),
    }
    # Reachability links beyond the reduced digraph (the transitive ones), by hand from the final matrix.
    assert _named(data, data["reach"]) == {
        ("F7", "F2"),
        ("F7", "F3"),
        ("F7", "F4 + F5"),
        ("F7", "F6"),
        ("F1", "F4 + F5"),
        ("F1", "F6"),
        ("F2", "F6"),
        ("F3", "F6"),
    }
    rows = [[data["nodes"][k]["label"] for k in row if k < len(data["nodes"])] for row in data["rows"]]
    assert sorted(map(sorted, rows)) == sorted(map(sorted, [["F6"], ["F4 + F5", "F8"], ["F2", "F3"], ["F1"], ["F7"]]))
    assert rows[0] == ["F6"] and rows[3] == ["F1"] and rows[4] == ["F7"]
    assert data["routes"] == [[]] * 7  # no arrow skips a level here
    f1 = data["factors"][0]
    assert (f1["label"], f1["level"], f1["driving"], f1["dependence"], f1["cluster"]) == ("F1", 4, 6, 2, "independent")
    f6 = data["factors"][5]
    assert (f6["level"], f6["driving"], f6["dependence"], f6["cluster"]) == (1, 1, 8, "dependent")
    assert data["title"] == "ISM model of 8 factors"


def test_long_names_wrap_without_losing_text():
    labels = ["Lack of interoperability between hospital information systems", "Trust", "Law"]
    ssim = SSIM.from_symbols([["", "V", "V"], ["", "", "V"], ["", "", ""]], labels=labels)
    data = interactive_data(analyze(ssim))
    first = data["factors"][0]
    assert len(first["lines"]) > 1 and all(len(line) <= 24 for line in first["lines"])
    assert " ".join(first["lines"]) == labels[0]


@settings(max_examples=40, deadline=None)
@given(symbol_tables(min_n=2, max_n=14))
def test_graph_matches_networkx_oracle(case):
    table, labels = case
    n = len(labels)
    data = interactive_data(analyze(SSIM.from_symbols(table, labels=labels)))
    frm = closure_oracle(n, relation_from_table(table))
    # Oracle: strongly connected components of the direct relations, condensed and transitively reduced.
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(relation_from_table(table))
    comps = {frozenset(c) for c in nx.strongly_connected_components(g)}
    nodes = [frozenset(node["factors"]) for node in data["nodes"]]
    assert set(nodes) == comps and len(nodes) == len(comps)
    assert all(node["cycle"] == (len(node["factors"]) > 1) for node in data["nodes"])
    cond = nx.DiGraph()
    cond.add_nodes_from(range(len(nodes)))
    for a, na in enumerate(nodes):
        for b, nb in enumerate(nodes):
            if a != b and any((i, j) in g.edges for i in na for j in nb):
                cond.add_edge(a, b)
    reduced = set(nx.transitive_reduction(cond).edges)
    closed = {(a, b) for a, b in nx.transitive_closure(cond).edges if a != b}
    assert {tuple(e) for e in data["edges"]} == reduced
    assert {tuple(e) for e in data["reach"]} == closed - reduced
    # Powers are the final matrix's row and column sums; every row holds one level, top first.
    for k, f in enumerate(data["factors"]):
        assert (f["driving"], f["dependence"]) == (int(frm[k].sum()), int(frm[:, k].sum()))
    real = [[k for k in row if k < len(nodes)] for row in data["rows"]]
    assert sorted(k for row in real for k in row) == list(range(len(nodes)))
    for level, row in enumerate(real, start=1):
        assert {data["nodes"][k]["level"] for k in row} == {level}
        for k in row:
            assert {data["factors"][i]["level"] for i in data["nodes"][k]["factors"]} == {level}
    # An edge that skips levels bends once in every level between its ends, through slots of its own.
    slot_level = {k: level for level, row in enumerate(data["rows"], start=1) for k in row if k >= len(nodes)}
    assert len(data["routes"]) == len(data["edges"])
    used = [k for r in data["routes"] for k in r]
    assert sorted(used) == sorted(slot_level) and len(set(used)) == len(used)
    for (a, b), route in zip(data["edges"], data["routes"]):
        la, lb = data["nodes"][a]["level"], data["nodes"][b]["level"]
        assert [slot_level[k] for k in route] == list(range(la - 1, lb, -1))
    for a, b in data["edges"] + data["reach"]:
        assert data["nodes"][a]["level"] > data["nodes"][b]["level"]  # arrows point up the hierarchy


def test_names_are_text_never_markup(tmp_path):
    evil = ["</script><script>alert(1)</script>", "<!-- x", '=HYPERLINK("http://x")', "a & b \u2028 c"]
    ssim = SSIM.from_symbols(
        [["", "V", "O", "A"], ["", "", "V", "O"], ["", "", "", "O"], ["", "", "", ""]], labels=evil
    )
    page = interactive_html(analyze(ssim), title="<b>Study</b>")
    assert "<script>alert" not in page and "<!-- x" not in page and "<b>Study" not in page
    assert page.count("</script>") == 2  # the data block and the program, nothing else
    data = _page_data(page)
    assert [f["label"] for f in data["factors"]] == evil
    assert data["title"] == "<b>Study</b>"
    assert "<title>&lt;b&gt;Study&lt;/b&gt;</title>" in page


def test_self_contained_and_deterministic(tmp_path):
    result = analyze(load_example())
    a = write_interactive_html(result, tmp_path / "a.html")
    b = write_interactive_html(analyze(load_example()), tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()
    page = a.read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=", page)
    assert "@import" not in page and "url(http" not in page and "fetch(" not in page
    assert "XMLHttpRequest" not in page
    assert _page_data(page)["factors"][0]["label"] == result.ssim.labels[0]


def test_title_and_path_checked(tmp_path):
    result = analyze(load_example("worked"))
    with pytest.raises(ISMInputError, match=r"ending in \.html"):
        write_interactive_html(result, tmp_path / "diagram.svg")
    with pytest.raises(ISMInputError, match="does not exist"):
        write_interactive_html(result, tmp_path / "missing" / "diagram.html")
    with pytest.raises(ISMInputError, match="title must be text"):
        write_interactive_html(result, tmp_path / "d.html", title=3)  # type: ignore[arg-type]
    path = write_interactive_html(result, tmp_path / "d.HTM", title="Barriers")
    assert isinstance(path, Path) and '<h1 id="ism-title">Barriers</h1>' in path.read_text(encoding="utf-8")


def test_no_cycle_model_has_no_cycle_nodes():
    ssim = SSIM.from_symbols([["", "V", "V"], ["", "", "V"], ["", "", ""]], labels=["a", "b", "c"])
    data = interactive_data(analyze(ssim))
    assert not any(n["cycle"] for n in data["nodes"])
    assert _named(data, data["edges"]) == {("a", "b"), ("b", "c")}
    assert _named(data, data["reach"]) == {("a", "c")}
    assert np.array_equal([len(r) for r in data["rows"]], [1, 1, 1])
    assert data["routes"] == [[], []]


def test_result_method_and_bundle_link_the_report(tmp_path):
    result = analyze(load_example("worked"))
    direct = write_interactive_html(result, tmp_path / "direct.html", title="T")
    assert result.to_interactive_html(tmp_path / "method.html", title="T").read_bytes() == direct.read_bytes()
    files = result.save(tmp_path / "both", formats="interactive,html")
    assert sorted(p.name for p in files) == ["interactive.html", "report.html", "summary.txt"]
    report = (tmp_path / "both" / "report.html").read_text(encoding="utf-8")
    assert '<a id="link-interactive" href="interactive.html">' in report
    alone = result.save(tmp_path / "alone", formats="html")
    assert "link-interactive" not in alone[-1].read_text(encoding="utf-8")
