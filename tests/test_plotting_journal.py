"""Journal-ready figures: fonts in PDF and SVG, font fallback, titles, thread safety, size caps, long labels,
and the MICMAC label geometry (issues 11, 17, 18). Checked by parsing the files and by the renderer's boxes."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
import warnings
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from ism_health import SSIM, ISMWarning, analyze
from ism_health.datasets import load_example
from ism_health.plotting import MAX_LABEL, MAX_PIXELS, plot_hierarchy, plot_matrix, plot_micmac, save_figure
from ism_health.plotting._style import _renderer

from .helpers_outputs import layered_ssim

PLOTS = {"micmac": plot_micmac, "hierarchy": plot_hierarchy, "matrix": plot_matrix}


@pytest.fixture(scope="module")
def worked():
    return analyze(load_example("worked"))


@pytest.fixture(scope="module")
def health():
    return analyze(load_example())


def _chain(labels):
    """A chain SSIM over the labels: each factor influences the next."""
    n = len(labels)
    m = np.zeros((n, n), dtype=int)
    for i in range(n - 1):
        m[i, i + 1] = 1
    return SSIM.from_matrix(m, labels=labels)


def _pdffonts(path):
    exe = shutil.which("pdffonts")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but pdffonts was not found: install Debian's 'poppler-utils' package.")
        pytest.skip("pdffonts is not installed (Debian: apt-get install poppler-utils); the PDF font check cannot run.")
    out = subprocess.run([exe, str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]  # two header lines
    assert rows, out
    return rows


def _svg_texts(path):
    root = ET.parse(path).getroot()
    return ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]


def _cmap(path):
    return set(FT2Font(str(path)).get_charmap())


def _default_cmap():
    return _cmap(font_manager.findfont(font_manager.FontProperties()))


# ------------------------------------------------------------------------------------------- fonts in files
@pytest.mark.parametrize("plot", sorted(PLOTS))
def test_pdf_embeds_truetype_fonts_not_type3(worked, tmp_path, plot):
    ax = PLOTS[plot](worked)
    path = save_figure(ax, tmp_path / f"{plot}.pdf")
    plt.close(ax.figure)
    rows = _pdffonts(path)
    for row in rows:
        assert "Type 3" not in row, row
        assert "TrueType" in row, row  # Type 42: TrueType / CID TrueType
        assert " yes " in row  # embedded


def test_svg_keeps_text_as_text(health, tmp_path):
    ax = plot_hierarchy(health)
    path = save_figure(ax, tmp_path / "hierarchy.svg")
    plt.close(ax.figure)
    texts = _svg_texts(path)
    assert texts, "no <text> element: the text was drawn as paths"
    drawn = " ".join(texts)
    for label in ("Training", "Technology", "Costs and expenses", "Level 1"):
        assert label in drawn
    assert "ISM model (level 1 = top" in drawn  # the title too


def test_journal_settings_are_per_save_not_process_wide(worked, tmp_path):
    before = {k: matplotlib.rcParams[k] for k in ("pdf.fonttype", "ps.fonttype", "svg.fonttype", "font.family")}
    ax = plot_micmac(worked)
    for ext in ("png", "svg", "pdf"):
        save_figure(ax, tmp_path / f"m.{ext}")
    plt.close(ax.figure)
    assert {k: matplotlib.rcParams[k] for k in before} == before
    assert before["pdf.fonttype"] == 3  # matplotlib's default, untouched


def test_saving_from_several_threads_gives_the_sequential_bytes(worked, tmp_path):
    def job(k):
        out = []
        for name, plot in sorted(PLOTS.items()):
            ax = plot(worked)
            for ext in ("svg", "pdf", "png"):
                out.append(save_figure(ax, tmp_path / f"t{k}" / f"{name}.{ext}").read_bytes())
            plt.close(ax.figure)
        return out

    for k in range(6):
        (tmp_path / f"t{k}").mkdir()
    keys = ("svg.hashsalt", "svg.fonttype", "pdf.fonttype", "ps.fonttype", "pdf.compression", "font.family")
    before = {k: matplotlib.rcParams[k] for k in keys}
    sequential = job(0)
    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(job, range(1, 6)))
    for got in results:
        assert got == sequential
    # interleaved rc_context blocks restore each other's values: nothing may stay changed afterwards
    assert {k: matplotlib.rcParams[k] for k in keys} == before


# ------------------------------------------------------------------------------------------- titles
@pytest.mark.parametrize("plot", sorted(PLOTS))
def test_title_none_leaves_the_title_out(worked, tmp_path, plot):
    default = PLOTS[plot](worked)
    assert default.get_title()  # the default keeps a title
    ax = PLOTS[plot](worked, title=None)
    assert ax.get_title() == "" and ax.get_title("left") == "" and ax.get_title("right") == ""
    assert ax.figure._suptitle is None
    path = save_figure(ax, tmp_path / "t.svg")
    assert not any(default.get_title() in t for t in _svg_texts(path))
    custom = PLOTS[plot](worked, title="Figure 2")
    assert custom.get_title() == "Figure 2"
    plt.close("all")


# ------------------------------------------------------------------------------------------- font fallback
def test_persian_labels_are_drawn_with_the_default_font_without_warnings(tmp_path):
    labels = ["مدیریت دانش", "آموزش کارکنان", "فناوری اطلاعات"]
    assert all(ord(c) in _default_cmap() for lab in labels for c in lab if not c.isspace())  # DejaVu covers them
    result = analyze(_chain(labels))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plot_hierarchy(result)
        path = save_figure(ax, tmp_path / "fa.svg")
        save_figure(ax, tmp_path / "fa.pdf")
    drawn = " ".join(_svg_texts(path))
    assert all(lab in drawn for lab in labels)
    plt.close("all")


def _letter_only_in_another_font():
    """A letter the default font lacks that an installed font (not a last-resort one) has, and those fonts."""
    default = _default_cmap()
    for entry in sorted(font_manager.fontManager.ttflist, key=lambda e: (e.name, e.fname)):
        if "last resort" in entry.name.lower():
            continue
        for code in sorted(_cmap(entry.fname) - default):
            if unicodedata.category(chr(code)).startswith("L"):
                return chr(code)
    return None


def test_a_label_in_a_script_the_default_font_lacks_gets_an_installed_font_that_has_it(tmp_path):
    char = _letter_only_in_another_font()
    if char is None:
        pytest.skip("every installed font covers the same letters as the default font")
    label = f"Factor {char}{char}"
    result = analyze(_chain(["Training", label, "Laws"]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no glyph warning, no ISMWarning
        ax = plot_micmac(result)
        save_figure(ax, tmp_path / "x.png")
        save_figure(ax, tmp_path / "x.pdf")
    (text,) = [t for t in ax.ism_labels.values() if char in t.get_text()]
    families = text.get_fontfamily()
    covering = [f for f in families if f not in font_manager.font_family_aliases
                and ord(char) in _cmap(font_manager.findfont(font_manager.FontProperties(family=f)))]
    assert covering, families
    if shutil.which("pdffonts"):
        listed = " ".join(_pdffonts(tmp_path / "x.pdf"))
        assert covering[0].replace(" ", "") in listed.replace(" ", "")  # the fallback font is embedded
    plt.close("all")


_RARE = {"Devanagari": "कारक", "Thai": "ปัจจัย", "Ethiopic": "ምክንያት", "Tifinagh": "ⵜⴰⵎⴰⵣⵉⵖⵜ", "Linear": "𐀀𐀁𐀂"}


def _uncovered_script():
    fonts = [_cmap(e.fname) for e in font_manager.fontManager.ttflist if "last resort" not in e.name.lower()]
    for script, word in _RARE.items():
        if not any(ord(c) in f for f in fonts for c in word):
            return script, word
    return None


def test_a_script_no_installed_font_covers_gives_one_clear_warning(tmp_path):
    found = _uncovered_script()
    if found is None:
        pytest.skip("the installed fonts cover every script tried")
    script, word = found
    result = analyze(_chain(["Training", f"{word} one", f"{word} two", "Laws"]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = plot_micmac(result)
        for ext in ("png", "svg", "pdf"):
            save_figure(ax, tmp_path / f"m.{ext}")
    plt.close("all")
    ours = [w for w in caught if issubclass(w.category, ISMWarning)]
    assert len(caught) == len(ours) == 1, [str(w.message)[:80] for w in caught]  # no matplotlib glyph warnings
    message = str(ours[0].message)
    assert script in message and "font" in message
    assert ours[0].filename == __file__  # points at the caller


# ------------------------------------------------------------------------------------------- long labels (issue 17)
def test_a_10000_character_label_is_abbreviated_in_figures_with_the_full_text_in_a_legend(tmp_path):
    from PIL import Image

    long = "Interoperability of records " * 360 + "end"
    assert len(long) > 10_000
    result = analyze(_chain(["Training", long, "Laws"]))
    for name, plot in sorted(PLOTS.items()):
        ax = plot(result)
        texts = [t for t in ax.figure.findobj(Text) if t.get_text()]
        legend = [t for t in texts if "\n" in t.get_text() and t.get_text().replace("\n    ", " ").startswith("Inter")
                  and len(t.get_text()) > 1000]
        assert len(legend) == 1, name
        assert " ".join(legend[0].get_text().replace("\n    ", " ").split()) == " ".join(long.split())
        for t in texts:
            if t is not legend[0]:
                assert len(t.get_text().replace("\n", "")) <= 3 * MAX_LABEL, (name, t.get_text()[:80])
            assert max(len(line) for line in t.get_text().split("\n")) <= 100, name
        path = save_figure(ax, tmp_path / f"{name}.png")
        with Image.open(path) as img:
            assert img.width * img.height <= MAX_PIXELS
        plt.close(ax.figure)


def test_abbreviated_labels_stay_distinct():
    from ism_health.plotting._style import _short_names

    a, b = "x" * 70 + "a", "x" * 70 + "b"
    shown = _short_names([a, b, "short"])
    assert shown["short"] == "short"
    assert len({shown[a], shown[b]}) == 2 and all(len(shown[k]) <= MAX_LABEL for k in (a, b))


def test_png_is_capped_in_pixels(worked, tmp_path):
    from PIL import Image

    ax = plot_micmac(worked)
    path = save_figure(ax, tmp_path / "m.png", max_pixels=200_000)
    with Image.open(path) as img:
        assert img.width * img.height <= 200_000 and img.width > 200
    plt.close(ax.figure)


# ------------------------------------------------------------------------------------------- matrix size (issue 18)
def _random_matrix(n, seed=3):
    rng = np.random.default_rng(seed)
    m = (rng.random((n, n)) < 0.1).astype(int)
    np.fill_diagonal(m, 1)
    return m


@pytest.mark.parametrize("n", [60, 200])
def test_heatmaps_stay_small_and_legible(n, tmp_path):
    from PIL import Image

    ax = plot_matrix(_random_matrix(n), "initial")
    assert ax.ism_cells == {}  # no per-cell text past 40 factors
    xt = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    if n == 60:
        assert xt == [f"F{k + 1}" for k in range(n)]  # every factor named
        assert all(t.get_fontsize() >= 5.5 for t in ax.get_xticklabels())
    else:
        assert 0 < len(xt) <= 12 and xt[0] == "1"  # a density image: factor numbers every few factors
    path = save_figure(ax, tmp_path / "m.png")
    with Image.open(path) as img:
        assert img.width * img.height < 25_000_000  # 100 Mpx before
    plt.close(ax.figure)


# ------------------------------------------------------------------------------------------- MICMAC geometry (issue 11)
@pytest.fixture(scope="module")
def cases(worked, health):
    quick = SSIM.from_symbols([["", "V", "V", "O"], ["", "", "O", "V"], ["", "", "", "V"], ["", "", "", ""]],
                              labels=["Laws", "Training", "Technology", "Data sharing"])
    return {"worked": worked, "health": health, "quick": analyze(quick), "big": analyze(layered_ssim()),
            "big_named": analyze(layered_ssim(36, 6, seed=11))}


@pytest.mark.parametrize("case", ["worked", "health", "quick", "big", "big_named"])
def test_micmac_labels_cross_no_boundary_line_and_no_other_label(case, cases):
    result = cases[case]
    ax = plot_micmac(result, codes=False) if case == "big_named" else plot_micmac(result)
    fig = ax.figure
    for dpi in (fig.dpi, 72, 300):
        fig.set_dpi(dpi)
        fig.canvas.draw()
        renderer = _renderer(fig)
        x_b, y_b = ax.ism_boundaries
        bx, by = ax.transData.transform((x_b, y_b))
        boxes = [Text.get_window_extent(a, renderer) for a in ax.ism_labels.values()]
        for text, bb in zip(ax.ism_labels, boxes):
            assert not (bb.x0 < bx < bb.x1), (dpi, text, "crosses the dependence boundary")
            assert not (bb.y0 < by < bb.y1), (dpi, text, "crosses the driving boundary")
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                assert min(a.x1, b.x1) <= max(a.x0, b.x0) or min(a.y1, b.y1) <= max(a.y0, b.y0), (dpi, i, j)
    plt.close(fig)


@pytest.mark.parametrize("case", ["worked", "health", "quick", "big"])
def test_micmac_points_sit_inside_the_frame_with_a_margin(case, cases):
    result = cases[case]
    ax = plot_micmac(result)
    n = result.ssim.n
    lo_x, hi_x = ax.get_xlim()
    lo_y, hi_y = ax.get_ylim()
    assert lo_x < 0 and hi_x > n and lo_y < 0 and hi_y > n
    fig = ax.figure
    fig.canvas.draw()
    frame = ax.get_window_extent(_renderer(fig))
    radius = np.sqrt(28) / 2 * fig.dpi / 72  # the default marker (s=28 pt^2)
    xy = ax.transData.transform(np.array(list(ax.ism_points), dtype=float))
    assert (xy[:, 0] - frame.x0 > radius).all() and (frame.x1 - xy[:, 0] > radius).all()
    assert (xy[:, 1] - frame.y0 > radius).all() and (frame.y1 - xy[:, 1] > radius).all()
    plt.close(fig)


@pytest.mark.parametrize("case", ["health", "big_named"])
def test_micmac_moved_labels_have_leader_lines(case, cases):
    ax = plot_micmac(cases[case], codes=False)
    fig = ax.figure
    fig.canvas.draw()
    renderer = _renderer(fig)
    px_per_pt = fig.dpi / 72
    moved = 0
    for key, ann in zip(ax.ism_points, ax.ism_labels.values()):
        px, py = ax.transData.transform(key)
        bb = Text.get_window_extent(ann, renderer)
        gap = np.hypot(max(bb.x0 - px, 0, px - bb.x1), max(bb.y0 - py, 0, py - bb.y1)) / px_per_pt
        if gap > 12:  # farther than the nearest places around the point
            moved += 1
            assert ann.arrow_patch is not None, ann.get_text()
    assert case == "health" or moved > 0
    plt.close(fig)
