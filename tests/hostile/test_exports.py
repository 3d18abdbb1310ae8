"""Hostile labels in every output (issue 17): formula-safe CSV in every locale, text cells in Excel, escaped
HTML / LaTeX / Markdown, bounded figures, no half-written file, the same bytes every run.

A spreadsheet opening a CSV splits records on CR, LF or CRLF outside quotes and
cells on its locale's separator (``,`` ``;`` or tab), and runs a cell (or, in
some, a line of a cell) that starts with ``=`` ``+`` ``-`` ``@`` as a formula.
:func:`spreadsheet_cells` reads the bytes that way; no cell or line may start
like a formula unless it is a plain number.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import pytest

import ism_health as ism
from ism_health._files import csv_safe

from .cases import FORMULA_LABELS, MARKUP_LABELS, case, chain_ssim, raises_located, run_cli, ssim_csv_text

O = "output"
PL = "plotting"
SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t"}


def spreadsheet_cells(text: str, sep: str) -> list[list[str]]:
    """Records and cells as a spreadsheet with separator ``sep`` reads CSV text (quotes honoured)."""
    rows: list[list[str]] = [[]]
    cell: list[str] = []
    quoted = False
    k = 0
    while k < len(text):
        ch = text[k]
        if quoted:
            if ch == '"' and text[k + 1 : k + 2] == '"':
                cell.append('"')
                k += 1
            elif ch == '"':
                quoted = False
            else:
                cell.append(ch)
        elif ch == '"' and not cell:
            quoted = True
        elif ch == sep:
            rows[-1].append("".join(cell))
            cell = []
        elif ch in "\r\n":
            rows[-1].append("".join(cell))
            cell = []
            if ch == "\r" and text[k + 1 : k + 2] == "\n":
                k += 1
            rows.append([])
        else:
            cell.append(ch)
        k += 1
    if cell or rows[-1]:
        rows[-1].append("".join(cell))
    return [r for r in rows if r]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def formula_cells(text: str, sep: str) -> list[str]:
    """Cells (or lines inside a cell) a spreadsheet with separator ``sep`` would run as a formula."""
    bad = []
    for row in spreadsheet_cells(text, sep):
        for cell in row:
            for line in cell.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
                if line.startswith(("=", "+", "-", "@")) and not _is_number(line):
                    bad.append(line)
    return bad


@pytest.fixture(scope="module")
def hostile_csv_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv")
    ism.analyze(chain_ssim(FORMULA_LABELS)).to_csv(folder)
    return folder


# ------------------------------------------------------------------ security: CSV in every locale
@pytest.mark.parametrize(
    "sep_name", [case("comma", helper=O), case("semicolon", helper=O), case("tab", helper=O)]
)
@pytest.mark.parametrize("table", ["factors", "ssim", "frm", "levels", "micmac", "canonical"])
def test_result_csv_holds_no_formula_in_any_locale(table, sep_name, hostile_csv_folder):
    text = (hostile_csv_folder / f"{table}.csv").read_text(encoding="utf-8")
    assert formula_cells(text, SEPARATORS[sep_name]) == []


@pytest.mark.parametrize("sep_name", list(SEPARATORS))
def test_new_method_csv_holds_no_formula_in_any_locale(sep_name, tmp_path):
    """DEMATEL, TISM, fuzzy/Godet MICMAC and robustness write their CSV through one formula-safe writer."""
    from ism_health.cli_dematel import write_tables
    from ism_health.dematel import dematel_tables

    n = len(FORMULA_LABELS)
    matrix = [[0 if i == j else (i + j) % 4 for j in range(n)] for i in range(n)]
    written = write_tables(dematel_tables(ism.dematel(matrix, labels=FORMULA_LABELS)), tmp_path)
    assert written
    for path in written:
        assert formula_cells(path.read_text(encoding="utf-8"), SEPARATORS[sep_name]) == [], path.name


@pytest.mark.parametrize("command", ["fuzzy-micmac", "godet"])
def test_matrix_command_csv_holds_no_formula(command, tmp_path):
    labels = [lab.replace("\n", " ").replace("\r", " ").replace('"', "'") for lab in FORMULA_LABELS[:6]]
    n = len(labels)
    cells = [["" if i == j else ("0.5" if command == "fuzzy-micmac" else "2") if j == (i + 1) % n else "0"
              for j in range(n)] for i in range(n)]
    src = tmp_path / "m.csv"  # labels written as a careful user would: quoted, formulas escaped with '
    with open(src, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL)
        w.writerow([""] + [csv_safe(lab) for lab in labels])
        for lab, row in zip(labels, cells):
            w.writerow([csv_safe(lab)] + row)
    code, out, err = run_cli([command, src, "-o", tmp_path / "out"])
    assert code == 0, err
    for path in (tmp_path / "out").glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        for sep in SEPARATORS.values():
            assert formula_cells(text, sep) == [], (path.name, sep)


# ------------------------------------------------------------------ security: Excel, HTML, LaTeX, Markdown
def test_excel_holds_labels_as_text(tmp_path):
    from openpyxl import load_workbook

    labels = [lab for lab in FORMULA_LABELS if "\r" not in lab]
    path = ism.analyze(chain_ssim(labels)).to_excel(tmp_path / "r.xlsx")
    wb = load_workbook(path)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value in labels:
                    assert c.data_type == "s", (ws.title, c.coordinate)
                    seen.add(c.value)
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
    assert seen == set(labels)


@pytest.mark.parametrize("length", [case(32_767, id="at the limit"), case(40_000, helper=O, id="over the limit")])
def test_excel_label_is_never_cut(length, tmp_path):
    from openpyxl import load_workbook

    label = "L" * (length - 1) + "!"
    try:
        path = ism.analyze(chain_ssim([label, "b", "c"])).to_excel(tmp_path / "r.xlsx")
    except ism.ISMInputError as err:
        assert "32,767" in str(err) or "32767" in str(err)
        assert not (tmp_path / "r.xlsx").exists()
        return
    values = {c.value for ws in load_workbook(path).worksheets for row in ws.iter_rows() for c in row}
    assert label in values


@pytest.mark.parametrize("char", [case("\x00", id="NUL"), case("\x01", id="SOH"), case("\x1b", id="ESC")])
def test_control_character_in_a_label_is_located_or_visible(char, tmp_path):
    """The readers' label check refuses a control character before any writer sees it."""
    from openpyxl import load_workbook

    label = f"a{char}b"
    try:
        path = ism.analyze(chain_ssim([label, "c", "d"])).to_excel(tmp_path / "r.xlsx")
    except ism.ISMInputError as err:
        assert repr(char)[1:-1] in str(err) or "control" in str(err)
        return
    values = {c.value for ws in load_workbook(path).worksheets for row in ws.iter_rows() for c in row}
    assert not any(isinstance(v, str) and char in v for v in values)
    assert any(isinstance(v, str) and v.startswith("a") and v.endswith("b") and len(v) > 2 for v in values)


HTML_LABELS = MARKUP_LABELS + ['"><img src=x onerror=alert(1)>', "</title><script>alert(2)</script>"]


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "r.html"
    return ism.analyze(chain_ssim(HTML_LABELS)).to_html(path).read_text(encoding="utf-8")


@pytest.mark.parametrize("label", HTML_LABELS)
def test_html_report_escapes_labels(label, hostile_html):
    import html as html_lib

    assert label not in hostile_html or not any(ch in label for ch in "<>&\"")
    assert html_lib.escape(label, quote=False) in hostile_html or html_lib.escape(label) in hostile_html
    assert "<script>alert" not in hostile_html and "<img src=x" not in hostile_html


@pytest.mark.parametrize("label", [case("[x] bracket"), case("[0pt] tricky"),
                                   case("100% & $x_1$ #{~^}\\"), case("under_score")])
def test_latex_never_eats_or_runs_a_label(label):
    import re

    tex = ism.analyze(chain_ssim([label, "b", "c"])).to_latex()
    for name, text in tex.items():
        assert not re.search(r"\\\\\s*\[", text), name  # a row break followed by [ eats it as a length
        assert "\\input" not in text and "\\write18" not in text


def test_latex_escapes_specials():
    tex = ism.analyze(chain_ssim(["100% & $x_1$ #{~^}\\", "b", "c"])).to_latex()["factors"]
    assert "100\\%" in tex and "\\&" in tex and "\\$" in tex and "\\#" in tex


@pytest.mark.parametrize("label", ["| pipe |", "a|b", "`code` | x", "**bold**"])
def test_markdown_table_keeps_its_columns(label):
    md = ism.analyze(chain_ssim([label, "b", "c"])).to_markdown()["factors"]
    rows = [line for line in md.splitlines() if line.startswith("|")]
    widths = {len([k for k, ch in enumerate(line) if ch == "|" and (k == 0 or line[k - 1] != "\\")]) for line in rows}
    assert len(widths) == 1, rows


@pytest.mark.parametrize("label", FORMULA_LABELS + MARKUP_LABELS)
def test_json_keeps_every_label_exactly(label, tmp_path):
    r = ism.analyze(chain_ssim([label, "b", "c"]))
    again = ism.ISMResult.from_json(r.to_json())
    assert list(again.ssim.labels) == list(r.ssim.labels)


def test_ssim_csv_round_trip_of_formula_labels(tmp_path):
    labels = [lab for lab in FORMULA_LABELS if not any(ch in lab for ch in "\r\n\t")]
    s = chain_ssim(labels)
    s.to_csv(tmp_path / "s.csv")
    assert list(ism.read_ssim(tmp_path / "s.csv").labels) == labels


# ------------------------------------------------------------------ resources: figures with long labels
@pytest.mark.parametrize(
    "plot",
    [case("plot_hierarchy", helper=PL), case("plot_micmac", helper=PL), case("plot_matrix", helper=PL)],
)
def test_a_10000_character_label_gives_a_bounded_figure(plot):
    r = ism.analyze(chain_ssim(["x" * 10_000, "b", "c"]))
    fig = getattr(r, plot)().figure
    width, height = fig.get_size_inches() * fig.dpi
    assert width <= 4000 and height <= 4000, (width, height)


@pytest.mark.parametrize("plot", ["plot_hierarchy", "plot_micmac", "plot_matrix"])
def test_figures_of_hostile_labels_draw(plot):
    r = ism.analyze(chain_ssim(MARKUP_LABELS + ["$x_1$ ^ {", "=1+1"]))
    fig = getattr(r, plot)().figure
    fig.canvas.draw()


# ------------------------------------------------------------------ no half-written file, the same bytes every run
_FULL_DISK = """
import resource, signal, sys
import ism_health as ism
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
result = ism.analyze(ism.datasets.load_example())
resource.setrlimit(resource.RLIMIT_FSIZE, (1500, 1500))
try:
    result.to_csv(sys.argv[1])
except Exception as exc:
    print(type(exc).__name__)
"""


def test_a_full_disk_leaves_no_half_written_file(tmp_path):
    reference = tmp_path / "reference"
    ism.analyze(ism.datasets.load_example()).to_csv(reference)
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, "-c", _FULL_DISK, str(out)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip(), "the write did not fail: the size limit is too high for the test"
    for path in out.iterdir():
        assert path.read_bytes() == (reference / path.name).read_bytes(), f"{path.name} is half-written"


def test_an_output_encoding_that_cannot_print_labels_is_one_line(tmp_path):
    src = tmp_path / "s.csv"
    src.write_text(ssim_csv_text(["Ω", "ü", "中"]), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, "-m", "ism_health", "analyze", str(src), "-o", str(tmp_path / "out"),
                           "--formats", "csv"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode in (0, 2), proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) <= 1, proc.stderr
    if (tmp_path / "out").exists():
        reference = tmp_path / "reference"
        ism.analyze(ism.read_ssim(src)).to_csv(reference)
        for path in (tmp_path / "out").glob("*.csv"):
            assert path.read_bytes() == (reference / path.name).read_bytes(), path.name


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "md", "tex", "html", case("svg", helper=PL)])
def test_the_same_hostile_result_gives_the_same_bytes(fmt, tmp_path):
    r = ism.analyze(chain_ssim([lab for lab in FORMULA_LABELS + MARKUP_LABELS if "\x00" not in lab]))
    a = {p.name: p.read_bytes() for p in r.save(tmp_path / "a", formats=fmt)}
    b = {p.name: p.read_bytes() for p in r.save(tmp_path / "b", formats=fmt)}
    assert a == b


def test_outputs_refuse_a_file_where_a_folder_is_expected(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("keep", encoding="utf-8")
    with raises_located():
        ism.analyze(chain_ssim()).save(taken)
    assert taken.read_text(encoding="utf-8") == "keep"


def test_save_never_writes_into_a_non_empty_folder_without_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("keep", encoding="utf-8")
    with raises_located("out"):
        ism.analyze(chain_ssim()).save(out, formats="csv")
    assert [p.name for p in out.iterdir()] == ["precious.txt"]


@pytest.mark.parametrize("formats", ["exe", "csv,exe", "", case(5, helper=O, id="a number")])
def test_unknown_format_is_named(formats, tmp_path):
    with raises_located():
        ism.analyze(chain_ssim()).save(tmp_path / "out", formats=formats)
