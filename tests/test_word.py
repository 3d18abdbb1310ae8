"""Word output: the .docx read back with python-docx (tables, cell texts, shading, images, paragraphs).

python-docx is the optional extra ``ism_health[docx]`` (in the ``test`` extra, so CI has it);
without it the document tests skip here, and fail under CI (``CI`` set).
Expected values for the worked example are written out by hand.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from hypothesis import given, settings

from ism_health import SSIM, analyze
from ism_health.datasets import load_example
from ism_health.exceptions import ISMError, ISMInputError
from ism_health.word import INSTALL_HINT, REFERENCES, docx_available, methods_text, word_tables, write_docx

from .strategies import closure_oracle, relation_from_table, symbol_tables


def _docx():
    try:
        import docx
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but python-docx is missing: the test extra must install it ({INSTALL_HINT}).")
        pytest.skip(f"python-docx is not installed ({INSTALL_HINT}).")
    return docx


def _cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def worked(tmp_path_factory):
    docx = _docx()
    path = write_docx(analyze(load_example("worked")), tmp_path_factory.mktemp("word") / "ism.docx")
    return path, docx.Document(str(path))


def test_tables_by_hand(worked):
    _, document = worked
    assert len(document.tables) == 6
    factors, ssim, frm, partition, canonical, micmac = (_cells(t) for t in document.tables)
    assert factors[0] == ["Code", "Factor", "Level", "Driving power", "Dependence power", "MICMAC cluster"]
    assert factors[1] == ["F1", "F1", "4", "6", "2", "independent"]
    assert factors[6] == ["F6", "F6", "1", "1", "8", "dependent"]
    assert ssim[0] == ["", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"]
    assert ssim[1] == ["F1", "", "V", "V", "O", "O", "O", "A", "O"]
    assert ssim[4][5] == "X"  # F4, F5
    assert frm[0][-1] == "Driving power"
    assert frm[1] == ["F1", "1", "1", "1", "1*", "1*", "1*", "0", "0", "6"]
    assert frm[7] == ["F7", "1", "1*", "1*", "1*", "1*", "1*", "1", "0", "7"]
    assert frm[-1] == ["Dependence power", "2", "3", "3", "6", "6", "8", "1", "1", ""]
    assert partition == [
        ["Code", "Reachability set", "Antecedent set", "Intersection set", "Level"],
        ["F6", "F6", "F1, F2, F3, F4, F5, F6, F7, F8", "F6", "1"],
        ["F4", "F4, F5", "F1, F2, F3, F4, F5, F7", "F4, F5", "2"],
        ["F5", "F4, F5", "F1, F2, F3, F4, F5, F7", "F4, F5", "2"],
        ["F8", "F8", "F8", "F8", "2"],
        ["F2", "F2", "F1, F2, F7", "F2", "3"],
        ["F3", "F3", "F1, F3, F7", "F3", "3"],
        ["F1", "F1", "F1, F7", "F1", "4"],
        ["F7", "F7", "F7", "F7", "5"],
    ]
    assert canonical[0] == ["", "F6", "F4", "F5", "F8", "F2", "F3", "F1", "F7", "Driving power"]
    assert canonical[2] == ["F4", "1*", "1", "1", "0", "0", "0", "0", "0", "3"]
    assert micmac[0] == ["Code", "Driving power", "Dependence power", "Cluster", "On a boundary"]
    assert micmac[2] == ["F2", "4", "3", "autonomous", "yes"]  # driving power 4 == 8 / 2: on the boundary
    assert micmac[1] == ["F1", "6", "2", "independent", ""]


def test_star_cells_are_shaded_and_headers_bold(worked):
    _, document = worked
    frm = document.tables[2]
    shaded = {
        (r, c)
        for r, row in enumerate(frm.rows)
        for c, cell in enumerate(row.cells)
        if 'w:fill="F8CBAD"' in cell._tc.xml
    }
    stars = {(r, c) for r, row in enumerate(frm.rows) for c, cell in enumerate(row.cells) if cell.text == "1*"}
    assert shaded == stars and len(stars) == 13
    assert all(run.bold for cell in frm.rows[0].cells for run in cell.paragraphs[0].runs)
    assert all("<w:tblHeader" in t.rows[0]._tr.xml for t in document.tables)  # header repeated on each page


def test_figures_and_methods(worked):
    _, document = worked
    shapes = document.inline_shapes
    assert len(shapes) == 2
    blobs = [document.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob for s in shapes]
    assert all(b.startswith(b"\x89PNG\r\n\x1a\n") and len(b) > 10_000 for b in blobs)
    text = [p.text for p in document.paragraphs]
    assert text[0] == "ISM analysis of 8 factors"
    assert methods_text(analyze(load_example("worked"))) in text
    assert "Figure 1. ISM digraph: the levelled hierarchy (level 1 at the top)." in text
    assert any(t.startswith("Figure 2. MICMAC map") for t in text)
    assert text[-3:] == list(REFERENCES)
    methods = next(t for t in text if t.startswith("Interpretive structural modelling"))
    for citation in ("Warfield, 1974", "Ravi and Shankar (2005)", "Duperrin & Godet, 1973"):
        assert citation in methods
    assert "The model has 5 levels" in methods and "1 set of factors that reach one another was merged" in methods
    assert "dependence power of 4 and a driving power of 4" in methods


def test_long_names_use_codes_and_stay_text(tmp_path):
    docx = _docx()
    labels = ['=HYPERLINK("http://x","y")', "<w:t>markup</w:t> & more", "Lack of trust in data governance"]
    ssim = SSIM.from_symbols([["", "V", "O"], ["", "", "V"], ["", "", ""]], labels=labels)
    document = docx.Document(str(write_docx(analyze(ssim), tmp_path / "codes.docx", title="Barriers <draft>")))
    factors = _cells(document.tables[0])
    assert [row[:2] for row in factors[1:]] == [["F1", labels[0]], ["F2", labels[1]], ["F3", labels[2]]]
    assert _cells(document.tables[1])[0] == ["", "F1", "F2", "F3"]
    assert document.paragraphs[0].text == "Barriers <draft>"
    assert document.core_properties.title == "Barriers <draft>"


def test_wide_matrices_on_landscape_pages(tmp_path):
    docx = _docx()
    from docx.enum.section import WD_ORIENT

    n = 20
    table = [["" if j <= i else ("V" if j == i + 1 else "O") for j in range(n)] for i in range(n)]
    path = write_docx(analyze(SSIM.from_symbols(table)), tmp_path / "wide.docx", figures=False)
    document = docx.Document(str(path))
    orientations = [s.orientation for s in document.sections]
    # SSIM, final reachability and canonical matrices (21-22 columns) each on a landscape page.
    assert orientations.count(WD_ORIENT.LANDSCAPE) == 3
    assert orientations[0] == orientations[-1] == WD_ORIENT.PORTRAIT
    assert all(s.page_width > s.page_height for s in document.sections if s.orientation == WD_ORIENT.LANDSCAPE)
    assert len(document.tables) == 6 and len(document.tables[2].columns) == n + 2
    assert len(document.inline_shapes) == 0 and not any(p.text.startswith("Figure") for p in document.paragraphs)


def test_deterministic(tmp_path):
    _docx()
    a = write_docx(analyze(load_example("worked")), tmp_path / "a.docx")
    b = write_docx(analyze(load_example("worked")), tmp_path / "b.docx")
    assert a.read_bytes() == b.read_bytes()


def test_bad_paths(tmp_path):
    result = analyze(load_example("worked"))
    with pytest.raises(ISMInputError, match=r"ending in \.docx"):
        write_docx(result, tmp_path / "ism.doc")
    with pytest.raises(ISMInputError, match="does not exist"):
        write_docx(result, tmp_path / "no" / "ism.docx")
    with pytest.raises(ISMInputError, match="title must be text"):
        write_docx(result, tmp_path / "ism.docx", title=1)  # type: ignore[arg-type]
    with pytest.raises(ISMInputError, match="figures must be True or False"):
        write_docx(result, tmp_path / "ism.docx", figures="yes")  # type: ignore[arg-type]


def test_without_python_docx_names_the_extra(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx now raises ImportError
    assert docx_available() is False
    with pytest.raises(ImportError, match=r'pip install "ism_health\[docx\]"') as info:
        write_docx(analyze(load_example("worked")), tmp_path / "ism.docx")
    assert isinstance(info.value, ISMError)
    assert not (tmp_path / "ism.docx").exists()
    # The bundle leaves docx out of "all formats" and refuses it, with the install line, when asked for.
    from ism_health.bundle import check_formats
    from ism_health.cli import main

    assert "docx" not in check_formats(None)
    with pytest.raises(ISMInputError, match=r'docx.*pip install "ism_health\[docx\]"'):
        check_formats("xlsx,docx")
    assert main(["example", "worked", "-o", str(tmp_path / "out"), "--formats", "docx"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and INSTALL_HINT in err
    assert not (tmp_path / "out").exists()


@settings(max_examples=30, deadline=None)
@given(symbol_tables(min_n=2, max_n=12))
def test_frm_table_matches_oracle(case):
    table, labels = case
    n = len(labels)
    direct = relation_from_table(table)
    frm = closure_oracle(n, direct)
    tables = list(word_tables(analyze(SSIM.from_symbols(table, labels=labels))).values())
    printed = tables[2]
    cells = printed.iloc[:n, :n].to_numpy()
    for i in range(n):
        for j in range(n):
            expected = "0" if not frm[i, j] else ("1" if i == j or (i, j) in direct else "1*")
            assert cells[i, j] == expected, (i, j)
    assert printed["Driving power"].iloc[:n].astype(int).tolist() == frm.sum(axis=1).tolist()
    assert printed.iloc[n, :n].astype(int).tolist() == frm.sum(axis=0).tolist()
    canonical = tables[4]
    levels = [int(v) for v in tables[0]["Level"]]
    order = [labels.index(x) for x in canonical.index[:n]]
    assert np.all(np.diff([levels[k] for k in order]) >= 0)  # level 1 first


def test_result_method_and_bundle(tmp_path):
    docx = _docx()
    from ism_health.bundle import check_formats

    result = analyze(load_example("worked"))
    path = result.to_docx(tmp_path / "method.docx", figures=False)
    assert len(docx.Document(str(path)).tables) == 6
    assert "docx" in check_formats(None)
    files = result.save(tmp_path / "out", formats="docx")
    assert sorted(p.name for p in files) == ["ism_result.docx", "summary.txt"]
    document = docx.Document(str(tmp_path / "out" / "ism_result.docx"))
    assert len(document.tables) == 6 and len(document.inline_shapes) == 2
