"""The figure files that save() writes, after the speed work of issue 18: PDF fonts still embedded TrueType
(their subsets without the layout tables a PDF never reads), PNG capped in pixels yet 300 dpi at print size,
the same bytes on every run; and the benchmark's verdict on the goals. No timing is asserted."""

from __future__ import annotations

import importlib.util
import io
import re
import zlib
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib.backends import _backend_pdf_ps
from PIL import Image

from ism_health import SSIM, analyze
from ism_health.datasets import load_example
from ism_health.plotting import MAX_PIXELS, figure_bytes, plot_hierarchy, plot_matrix, plot_micmac, save_figure
from ism_health.plotting._style import _PDF_DROP_TABLES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def health():
    return analyze(load_example())


def _embedded_fonts(pdf: bytes) -> list[TTFont]:
    """The TrueType programs embedded in a PDF written by matplotlib (FontFile2 streams, Flate-compressed)."""
    fonts = []
    for ref in re.findall(rb"/FontFile2 (\d+) 0 R", pdf):
        obj = re.search(rb"\n" + ref + rb" 0 obj\s*<<(.*?)>>\s*stream\r?\n", pdf, re.S)
        assert obj is not None, ref
        length = int(re.search(rb"/Length (\d+)", obj.group(1)).group(1))
        data = pdf[obj.end() : obj.end() + length]
        if b"/FlateDecode" in obj.group(1):
            data = zlib.decompress(data)
        fonts.append(TTFont(io.BytesIO(data)))
    return fonts


@pytest.mark.parametrize("plot", [plot_matrix, plot_micmac, plot_hierarchy])
def test_pdf_fonts_are_embedded_truetype_subsets_without_layout_tables(health, plot):
    ax = plot(health)
    pdf = figure_bytes(ax, "pdf")
    plt.close(ax.figure)
    assert b"/Type3" not in pdf and b"/FontType 3" not in pdf
    fonts = _embedded_fonts(pdf)
    assert fonts, "no embedded TrueType font"
    for font in fonts:
        tables = set(font.keys())
        assert {"glyf", "loca", "cmap", "hmtx"} <= tables  # the outlines a viewer draws
        assert not tables & set(_PDF_DROP_TABLES), tables & set(_PDF_DROP_TABLES)
        assert font["maxp"].numGlyphs < 300  # a subset, not the whole DejaVu Sans (about 6,000 glyphs)
    assert pdf.count(b"/ToUnicode") >= len(fonts)  # text can still be searched and copied


def test_matplotlib_subsetting_is_left_as_it_was_after_a_save(health):
    from fontTools import subset

    ax = plot_matrix(health)
    figure_bytes(ax, "pdf")
    plt.close(ax.figure)
    assert _backend_pdf_ps.subset is subset
    assert "GSUB" not in subset.Options().drop_tables  # fontTools' defaults untouched


def test_pdf_svg_png_are_the_same_bytes_on_every_save(health):
    ax = plot_micmac(health)
    first = {ext: figure_bytes(ax, ext) for ext in ("pdf", "svg", "png")}
    second = {ext: figure_bytes(ax, ext) for ext in ("pdf", "svg", "png")}
    plt.close(ax.figure)
    assert first == second


def test_a_page_sized_figure_keeps_300_dpi(health, tmp_path):
    ax = plot_matrix(health, "canonical")
    path = save_figure(ax, tmp_path / "canonical.png")
    plt.close(ax.figure)
    with Image.open(path) as img:
        assert round(img.info["dpi"][0]) == 300
        assert img.width * img.height <= MAX_PIXELS


def test_a_figure_larger_than_a_page_is_capped_in_pixels_and_keeps_300_dpi_at_page_size(tmp_path):
    n = 60  # a chain of 60 levels: a hierarchy far taller than a page
    m = np.eye(n, k=1, dtype=int)
    result = analyze(SSIM.from_matrix(m, labels=[f"Factor {k}: a barrier to data sharing" for k in range(n)]))
    ax = plot_hierarchy(result)
    width, height = ax.figure.get_size_inches()
    assert width * height * 300**2 > MAX_PIXELS  # at 300 dpi it would exceed the cap
    path = save_figure(ax, tmp_path / "tall.png")
    plt.close(ax.figure)
    with Image.open(path) as img:
        pixels = img.width * img.height
        dpi = img.info["dpi"][0]
        assert pixels <= MAX_PIXELS and pixels > 0.9 * MAX_PIXELS  # the budget is used, not exceeded
        assert dpi < 300
        # scaled down to fit a 7.5 x 10 inch page, as a journal prints it: still at least 300 pixels per inch
        scale = min(7.5 / (img.width / dpi), 10.0 / (img.height / dpi))
        assert dpi / scale >= 300


def _outputs_module():
    spec = importlib.util.spec_from_file_location("bench_outputs", ROOT / "benchmarks" / "outputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_reports_each_goal_met_or_its_distance():
    outputs = _outputs_module()
    res = {
        "repeat": 2,
        "formats": ["png"],
        "machine": "test machine",
        "rows": [
            {"n": 13, "load": 1.0, "save": 1.0, "png": 0.5, "tables": 0.01, "partition rows": 51},
            {"n": 80, "load": 1.0, "save": 3.0, "png": 2.0, "tables": 0.02, "partition rows": 80},
            {"n": 200, "load": 1.0, "save": 4.5, "png": 3.0, "tables": 0.05, "partition rows": 200},
        ],
    }
    lines = outputs.goals(res)
    assert lines[0] == "save() at n = 80: 3.00 s (goal: within 2 s): NOT met, 1.5x the goal"
    assert lines[-1] == "save() at n = 200: 4.5x its time at n = 13 (goal at n = 200: within 4x): NOT met"
    res["rows"][2]["save"] = 3.9
    res["rows"][1]["save"] = 1.5
    lines = outputs.goals(res)
    assert lines[0].endswith("): met") and lines[-1].endswith("): met")
    text = outputs.markdown(res)
    assert "| 80 | 1.0 | 1.500 | 2.000 | 0.020 | 80 |" in text


def test_the_bundle_writes_the_bytes_save_figure_writes(health, tmp_path):
    """save() measures each figure once for all its formats: the files are those of one save_figure per format."""
    from ism_health import plotting
    from ism_health.bundle import FIGURES

    files = health.save(tmp_path / "out", formats="png,svg,pdf", date=False)
    assert len([p for p in files if p.parent.name == "figures"]) == 3 * len(FIGURES)
    for stem, (func, kwargs) in FIGURES.items():
        ax = getattr(plotting, func)(health, **kwargs)
        for ext in ("png", "svg", "pdf"):
            single = save_figure(ax, tmp_path / f"{stem}.{ext}").read_bytes()
            assert (tmp_path / "out" / "figures" / f"{stem}.{ext}").read_bytes() == single, (stem, ext)
        plt.close(ax.figure)


@pytest.mark.parametrize("n", [13, 80])
def test_heatmap_title_and_axis_labels_stay_clear_of_the_names_at_any_resolution(n):
    """The heatmap's title and axis labels are placed once (not re-measured at each draw): at every resolution
    the title sits above the column names and the axis labels, and everything stays inside the figure."""
    from ism_health.plotting._style import _renderer

    labels = [f"Factor {k}: barrier to sharing health data" for k in range(n)]
    m = (np.random.default_rng(n).random((n, n)) < 0.05).astype(int)
    ax = plot_matrix(analyze(SSIM.from_matrix(m, labels=labels)), "final")
    fig = ax.figure
    for dpi in (fig.dpi, 50, 72, 300):
        fig.set_dpi(dpi)
        fig.canvas.draw()
        renderer = _renderer(fig)
        names = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
        top_of_names = max(b.y1 for b in names)
        xlabel = ax.xaxis.label.get_window_extent(renderer)
        ylabel = ax.yaxis.label.get_window_extent(renderer)
        title = ax.title.get_window_extent(renderer)
        assert xlabel.y0 >= top_of_names - 1, dpi  # above the column names (1 px of rounding)
        assert title.y0 >= xlabel.y1 - 1, dpi
        assert ylabel.x1 <= min(t.get_window_extent(renderer).x0 for t in ax.get_yticklabels() if t.get_text()) + 1
        for box in (title, xlabel, ylabel):
            assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1
    plt.close(fig)
