"""Tables and exports: workbook, CSV, LaTeX, Markdown, JSON round trips, formula safety, the bundle."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess

import numpy as np
import pytest
from openpyxl import load_workbook

from ism_health import analyze, read_ssim
from ism_health.datasets import load_example
from ism_health.digraph import node_members
from ism_health.export import latex_escape, markdown_escape, result_tables
from ism_health.io import csv_safe, csv_unescape

from .helpers_outputs import HOSTILE, hostile_ssim

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def health():
    return analyze(load_example())


@pytest.fixture(scope="module")
def hostile():
    return analyze(hostile_ssim())


def _text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return "" if v is None else str(v)


def _as_rows(frame):
    """A table as the rows of text a file should hold (header first)."""
    index = frame.index.name is not None
    header = ([frame.index.name] if index else []) + list(frame.columns)
    rows = [[_text(h) for h in header]]
    for label, row in zip(frame.index, frame.itertuples(index=False, name=None)):
        rows.append([_text(v) for v in ([label] if index else []) + list(row)])
    return rows


# ------------------------------------------------------------------------------------------- Excel
def test_workbook_sheets_round_trip_and_layout(health, tmp_path):
    path = health.to_excel(tmp_path / "ism.xlsx")
    wb = load_workbook(path)
    iterations = [f"Iteration {k}" for k in range(1, 8)]
    assert wb.sheetnames == ["SSIM", "IRM", "FRM", "FRM marked", *iterations, "Levels", "Canonical matrix", "MICMAC",
                             "Factors", "Parameters"]
    tables = result_tables(health)
    by_sheet = {"SSIM": "ssim", "IRM": "irm", "FRM marked": "frm", "Levels": "levels", "MICMAC": "micmac",
                "Factors": "factors", "Parameters": "parameters"}
    by_sheet.update({f"Iteration {k}": f"iteration_{k}" for k in range(1, 8)})
    for sheet, name in by_sheet.items():
        ws = wb[sheet]
        got = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        assert got == _as_rows(tables[name]), sheet
    for ws in wb.worksheets:
        assert ws.freeze_panes in ("B2", "A2")
        assert ws.cell(row=1, column=1).font.bold
        assert all(ws.column_dimensions[c].width and ws.column_dimensions[c].width > 4 for c in "AB")
    # the SSIM sheet reads back into the same SSIM, hence the same result
    assert analyze(read_ssim(path)) == health


def _matrix_block(ws, n):
    """(labels, n x n values, driving column, dependence row) of an FRM-style sheet."""
    rows = list(ws.iter_rows(min_row=1, max_row=n + 2))
    labels = [c.value for c in rows[0][1:n + 1]]
    body = [[c for c in row[1:n + 1]] for row in rows[1:n + 1]]
    driving = [row[n + 1].value for row in rows[1:n + 1]]
    dependence = [c.value for c in rows[n + 1][1:n + 1]]
    return labels, body, driving, dependence, rows


@pytest.mark.parametrize("sheet", ["FRM", "Canonical matrix"])
def test_workbook_frm_holds_numbers_styles_totals_and_a_legend(health, tmp_path, sheet):
    """Issue 11: a spreadsheet SUM over the FRM counts every relation; 1* is a style; totals as papers print."""
    n = health.ssim.n
    ws = load_workbook(health.to_excel(tmp_path / "ism.xlsx"))[sheet]
    labels, body, driving, dependence, rows = _matrix_block(ws, n)
    frm = health.final_reachability.loc[labels, labels].to_numpy()
    added = health.transitive.loc[labels, labels].to_numpy()
    assert [[c.value for c in row] for row in body] == frm.tolist()
    assert all(isinstance(c.value, int) and c.data_type == "n" for row in body for c in row)
    starred = [[bool(c.font.bold and c.fill.fgColor.rgb.endswith("F8CBAD")) for c in row] for row in body]
    assert starred == added.tolist()
    # totals: a literal loop over the 0/1 matrix (independent of the writer's numpy sums)
    assert rows[0][n + 1].value == "Driving power" and rows[n + 1][0].value == "Dependence power"
    assert driving == [sum(int(v) for v in r) for r in frm]
    assert dependence == [sum(int(frm[i][j]) for i in range(n)) for j in range(n)]
    assert dict(zip(labels, driving)) == health.micmac["driving_power"].loc[labels].to_dict()
    legend = [[c.value for c in row] for row in ws.iter_rows(min_row=n + 3)]
    text = " ".join(str(v) for row in legend for v in row if v is not None)
    assert "Legend" in text and "1* = added by transitivity" in text and "Driving power" in text
    # print set-up: fitted to the page width, the header row and factor column repeated, landscape when wide
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$A"
    assert ws.page_setup.orientation == "landscape"  # 13 factors + totals: wider than 10 columns


def test_workbook_print_setup_on_every_sheet(tmp_path):
    small = analyze(load_example("worked"))
    wb = load_workbook(small.to_excel(tmp_path / "ism.xlsx"))
    for ws in wb.worksheets:
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
    assert wb["Levels"].page_setup.orientation == "portrait"
    assert wb["FRM"].page_setup.orientation == "portrait"  # 8 factors + totals fit upright


def test_workbook_is_byte_for_byte_reproducible(health, tmp_path):
    a = health.to_excel(tmp_path / "a.xlsx").read_bytes()
    b = health.to_excel(tmp_path / "b.xlsx").read_bytes()
    assert a == b


# ------------------------------------------------------------------------------------------- CSV
def test_csv_folder_round_trip(health, tmp_path):
    paths = health.to_csv(tmp_path / "csv")
    tables = result_tables(health)
    assert [p.stem for p in paths] == list(tables)
    for path in paths:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = [[csv_unescape(c) for c in row] for row in csv.reader(fh)]
        expected = _as_rows(tables[path.stem])
        if path.stem in ("ssim", "irm"):
            expected[0][0] = ""  # the corner cell, so read_ssim takes the file as it is
        assert rows == expected, path.name
    assert read_ssim(tmp_path / "csv" / "ssim.csv") == health.ssim
    assert read_ssim(tmp_path / "csv" / "irm.csv") == health.ssim


# ------------------------------------------------------------------------------------------- JSON
def test_json_holds_ssim_params_and_all_tables(health):
    data = json.loads(health.to_json())
    assert data["ssim"]["labels"] == list(health.ssim.labels)
    assert len(data["ssim"]["pairs"]) == health.ssim.n * (health.ssim.n - 1) // 2
    assert data["params"] == dict(health.params)
    assert set(data["tables"]) == set(health.tables())


# ------------------------------------------------------------------------------------------- LaTeX / Markdown
def test_latex_tables_use_booktabs_and_escape(hostile, health):
    tex = health.to_latex()
    assert set(tex) == set(health.tables())
    for text in tex.values():
        assert r"\toprule" in text and r"\midrule" in text and r"\bottomrule" in text
        assert text.count(r"\begin{tabular}") == 1
    assert latex_escape("a&b%c$d#e_f{g}h~i^j\\k") == (
        r"a\&b\%c\$d\#e\_f\{g\}h\textasciitilde{}i\textasciicircum{}j\textbackslash{}k"
    )
    hostile_tex = "\n".join(hostile.to_latex().values())
    assert r"Daten \& Schutz ü — Ω 100\% \$x\_1\$ \#\{\textasciitilde{}\textasciicircum{}\}\textbackslash{}" in hostile_tex


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed: LaTeX tables not compiled")
def test_latex_tables_compile(health, hostile, tmp_path):
    tables = list(health.to_latex().values()) + list(hostile.to_latex().values())
    doc = "\n".join([
        r"\documentclass{article}", r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}",
        r"\usepackage{booktabs}", r"\usepackage{graphicx}", r"\DeclareUnicodeCharacter{03A9}{$\Omega$}",
        r"\begin{document}", "\n\\clearpage\n".join(tables), r"\end{document}", ""])
    (tmp_path / "t.tex").write_text(doc, encoding="utf-8")
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert (tmp_path / "t.pdf").stat().st_size > 0


def test_latex_and_markdown_written_to_folders(health, tmp_path):
    health.to_latex(tmp_path / "tex")
    health.to_markdown(tmp_path / "md")
    assert sorted(p.stem for p in (tmp_path / "tex").glob("*.tex")) == sorted(health.tables())
    assert sorted(p.stem for p in (tmp_path / "md").glob("*.md")) == sorted(health.tables())


def test_markdown_tables_are_well_formed(health, hostile):
    for result in (health, hostile):
        for name, text in result.to_markdown().items():
            lines = [ln for ln in text.splitlines() if ln.startswith("|")]
            widths = {len([c for c in _split_md(ln)]) for ln in lines}
            assert len(widths) == 1, name  # every row has as many cells as the header
    assert markdown_escape("a|b") == "a\\|b"
    assert "1\\*" in health.to_markdown()["frm"]


def _split_md(line):
    cells, cur, esc = [], "", False
    for ch in line.strip()[1:-1]:
        if ch == "|" and not esc:
            cells.append(cur)
            cur = ""
        else:
            cur += ch
        esc = ch == "\\" and not esc
    return cells + [cur]


# ------------------------------------------------------------------------------------------- injection safety
def test_hostile_names_are_inert_in_csv_and_preserved(hostile, tmp_path):
    hostile.to_csv(tmp_path / "csv")
    for path in (tmp_path / "csv").glob("*.csv"):
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(FORMULA_START), (path.name, cell)
    with open(tmp_path / "csv" / "ssim.csv", newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[1:] == [csv_safe(lab) for lab in hostile.ssim.labels]
    assert header[1] == '\'=HYPERLINK("http://evil","x")'
    assert read_ssim(tmp_path / "csv" / "ssim.csv") == hostile.ssim
    factors = list(csv.reader((tmp_path / "csv" / "factors.csv").read_text(encoding="utf-8").splitlines()))
    assert [csv_unescape(r[1]) for r in factors[1:]] == list(hostile.ssim.labels)


def test_hostile_names_are_string_cells_in_excel_and_preserved(hostile, tmp_path):
    path = hostile.to_excel(tmp_path / "h.xlsx")
    wb = load_workbook(path)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                if cell.value in hostile.ssim.labels:
                    assert cell.data_type == "s"
                    seen.add(cell.value)
    assert seen == set(hostile.ssim.labels)
    # no formula anywhere in the file
    import zipfile

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)
    assert read_ssim(path) == hostile.ssim


def test_hostile_names_escaped_in_html(hostile):
    from ism_health.report import html_report

    page = html_report(hostile)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_all_hostile_names_survive_the_ssim(hostile):
    stripped = [h.strip() for h in HOSTILE]
    assert list(hostile.ssim.labels) == stripped


# ------------------------------------------------------------------------------------------- issue 17: hardening
def test_latex_a_label_starting_with_a_bracket_is_not_eaten():
    """`\\\\` and `\\toprule` take an optional [argument]: a cell starting with [ must not be read as one."""
    from ism_health import SSIM

    labels = ["[2mm] Trust", "]x[", "Cost"]
    result = analyze(SSIM.from_matrix([[0, 1, 0], [0, 0, 1], [0, 0, 0]], labels=labels))
    for name, text in result.to_latex().items():
        body = text.split(r"\toprule", 1)[1]
        assert not re.search(r"(\\\\|\\toprule|\\midrule)\s*\[", r"\toprule" + body), name
        assert "[" not in body.replace("{[}", "").replace("{]}", "").replace("]", ""), name
    assert "{[}2mm{]} Trust" in result.to_latex()["factors"]


def _tables_with_factor(health, text):
    tables = result_tables(health)
    factors = tables["factors"].copy()
    factors.loc[0, "Factor"] = text
    tables["factors"] = factors
    return tables


@pytest.mark.parametrize("text, message", [
    ("a\x00b", r"sheet 'Factors', cell B2: the text holds the character U\+0000"),
    ("c\x01", r"sheet 'Factors', cell B2: the text holds the character U\+0001"),
    ("L" * 32768, r"sheet 'Factors', cell B2: the text has 32,768 characters, over the 32,767"),
], ids=["nul", "soh", "too-long"])
def test_excel_refuses_what_a_cell_cannot_hold_with_the_cell_and_writes_nothing(health, tmp_path, text, message):
    from ism_health import ISMInputError
    from ism_health.export import write_excel

    with pytest.raises(ISMInputError, match=message):
        write_excel(_tables_with_factor(health, text), tmp_path / "ism.xlsx")
    assert list(tmp_path.iterdir()) == []  # no half-written workbook, no temporary file


def test_excel_keeps_a_label_of_exactly_32767_characters(health, tmp_path):
    from ism_health.export import write_excel

    long = "L" * 32767
    wb = load_workbook(write_excel(_tables_with_factor(health, long), tmp_path / "ism.xlsx"))
    assert wb["Factors"]["B2"].value == long


def test_bundle_refuses_an_excel_label_before_writing_anything(tmp_path):
    from ism_health import SSIM, ISMInputError

    # control characters are refused where labels enter (SSIM); a label too long for a cell passes there
    result = analyze(SSIM.from_matrix([[0, 1], [0, 0]], labels=["ok", "long " + "x" * 40_000]))
    with pytest.raises(ISMInputError, match=r"ism_result.xlsx: factor 'long x.*over the 32,767"):
        result.save(tmp_path / "out", formats="xlsx,csv,png")
    assert not (tmp_path / "out").exists()
    files = result.save(tmp_path / "ok", formats="csv,json")  # formats that hold it still work
    assert any(p.name == "ism_result.json" for p in files)


# ------------------------------------------------------------------------------------------- issue 11: graphs
def _oracle_graph(result):
    """Nodes, members, levels and powers computed here from the FRM with plain loops (not the library's code)."""
    frm = result.final_reachability.to_numpy().astype(bool)
    labels = list(result.ssim.labels)
    n = len(labels)
    groups = {}
    for i in range(n):
        key = frozenset(j for j in range(n) if frm[i, j] and frm[j, i])
        groups.setdefault(key, []).append(labels[i])
    return {
        tuple(sorted(members)): (
            sum(int(frm[labels.index(members[0]), j]) for j in range(n)),
            sum(int(frm[i, labels.index(members[0])]) for i in range(n)),
        )
        for members in groups.values()
    }


def test_graphml_reads_back_with_every_attribute(health, hostile, tmp_path):
    import networkx as nx

    for result in (health, hostile, analyze(load_example("worked"))):
        path = result.to_graphml(tmp_path / "ism.graphml")
        g = nx.read_graphml(path)
        oracle = _oracle_graph(result)
        seen = {}
        for _node, data in g.nodes(data=True):
            members = data["members"].split("; ")
            assert data["n_members"] == len(members) and data["label"] == ", ".join(members)
            assert data["level"] == int(result.levels[members[0]])
            assert data["cluster"] == result.micmac.loc[members[0], "cluster"]
            seen[tuple(sorted(members))] = (data["driving_power"], data["dependence_power"])
        assert seen == oracle
        assert set(g.edges()) == {(str(u), str(v)) for u, v in result.digraph.edges()}
        assert g.graph["orientation"] == "edge u -> v: u influences v"


def _parse_dot(text):
    """A small DOT reader for what write_dot emits: node id -> attributes (unescaped), edges as id pairs."""
    string = r'"((?:[^"\\]|\\.)*)"'

    def unescape(s):
        out, k = [], 0
        while k < len(s):
            if s[k] == "\\":
                out.append({"n": "\n", "\\": "\\", '"': '"'}[s[k + 1]])
                k += 2
            else:
                out.append(s[k])
                k += 1
        text = "".join(out)
        text = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text)
        return text.replace("&amp;", "&")

    nodes, edges = {}, []
    lines = text.splitlines()
    assert lines[0] == "digraph ISM {" and lines[-1] == "}"
    for line in lines[1:-1]:
        m = re.fullmatch(r"  (n\d+) \[(.*)\];", line)
        if m:
            nodes[m.group(1)] = {k: unescape(v) for k, v in re.findall(r"(\w+)=" + string, m.group(2))}
            continue
        m = re.fullmatch(r"  (n\d+) -> (n\d+);", line)
        if m:
            edges.append((m.group(1), m.group(2)))
            continue
        assert re.fullmatch(r"  (graph|node) \[.*\];|  \{ rank=same; (n\d+; )+\}", line), line
    return nodes, edges


def test_dot_quotes_every_label_safely_and_keeps_the_structure(hostile, tmp_path):
    from ism_health import SSIM

    nasty = ['a "quoted" \\N label', "back\\slash\\", "line\nbreak", "amp &amp; <b>", "tab\tcell", "x"]
    results = [hostile, analyze(SSIM.from_matrix(np.triu(np.ones((6, 6), dtype=int), 1), labels=nasty))]
    for result in results:
        nodes, edges = _parse_dot(result.to_dot(tmp_path / "ism.dot").read_text(encoding="utf-8"))
        names = {data["members"]: node for node, data in nodes.items()}
        expected = {"; ".join(node_members(result.digraph.nodes[v])): v for v in result.digraph.nodes}
        assert set(names) == set(expected)
        by_id = {names[k]: expected[k] for k in names}
        assert {(by_id[u], by_id[v]) for u, v in edges} == set(result.digraph.edges())
        for node, data in nodes.items():
            assert int(data["level"]) == result.digraph.nodes[by_id[node]]["level"]


def test_dot_renders_with_graphviz_where_installed(health, tmp_path):
    dot = shutil.which("dot")
    if not dot:
        pytest.skip("Graphviz 'dot' not installed (Debian: apt-get install graphviz); the DOT file is parsed instead")
    path = health.to_dot(tmp_path / "ism.dot")
    proc = subprocess.run([dot, "-Tsvg", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count('class="node"') == health.digraph.number_of_nodes()


# ------------------------------------------------------------------------------------------- issue 17: threads
def test_save_from_several_threads_gives_the_bytes_of_a_sequential_run(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    result = analyze(load_example("worked"))
    formats = "svg,pdf,png,html,xlsx"

    def run(folder):
        result.save(folder, formats=formats, date="2025-01-01")
        return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    sequential = run(tmp_path / "seq")
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(run, [tmp_path / f"t{k}" for k in range(4)]))
    for files in parallel:
        assert files.keys() == sequential.keys()
        assert [k for k in files if files[k] != sequential[k]] == []
