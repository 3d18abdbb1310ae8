"""Tables and exports: workbook, CSV, LaTeX, Markdown, JSON round trips, formula safety, the bundle."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess

import pytest
from .helpers_outputs import HOSTILE, hostile_ssim
from openpyxl import load_workbook

from ism_health import analyze, read_ssim
from ism_health.datasets import load_example
from ism_health.export import latex_escape, markdown_escape, result_tables
from ism_health.io import csv_safe, csv_unescape

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
    assert wb.sheetnames == ["SSIM", "IRM", "FRM", *iterations, "Levels", "Canonical matrix", "MICMAC", "Factors",
                             "Parameters"]
    tables = result_tables(health)
    by_sheet = {"SSIM": "ssim", "IRM": "irm", "FRM": "frm", "Levels": "levels", "Canonical matrix": "canonical",
                "MICMAC": "micmac", "Factors": "factors", "Parameters": "parameters"}
    by_sheet.update({f"Iteration {k}": f"iteration_{k}" for k in range(1, 8)})
    for sheet, name in by_sheet.items():
        ws = wb[sheet]
        got = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        assert got == _as_rows(tables[name]), sheet
        assert ws.freeze_panes in ("B2", "A2")
        assert ws.cell(row=1, column=1).font.bold
        assert all(ws.column_dimensions[c].width and ws.column_dimensions[c].width > 4 for c in "AB")
    frm = wb["FRM"]
    star_cells = [c for row in frm.iter_rows(min_row=2, min_col=2) for c in row if c.value == "1*"]
    assert len(star_cells) == int(health.transitive.to_numpy().sum())
    assert all(c.fill.fgColor.rgb.endswith("F8CBAD") for c in star_cells)
    assert isinstance(frm.cell(row=2, column=2).value, int)
    # the SSIM sheet reads back into the same SSIM, hence the same result
    assert analyze(read_ssim(path)) == health


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
