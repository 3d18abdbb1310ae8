"""The HTML report printed (issue 11): every figure on one page with its caption, scaled to fit; the header
records the title, the input file, the date and the library version, and the date never breaks reproducibility.

The print check runs headless Chromium (see test_report_browser.py: skipped with the reason where no browser
is installed, a failure under CI). Where each piece lands is read from the PDF's link annotations: the test
puts a link at the top of each figure and one at the end of its caption, and Chromium records each link on
the page it was printed on.
"""

from __future__ import annotations

import datetime
import re

import numpy as np
import pytest

from ism_health import SSIM, __version__, analyze
from ism_health.datasets import load_example
from ism_health.report import REPORT_FIGURES, html_report, report_date

from .test_report_browser import _browser, _run


def _chain(n: int) -> SSIM:
    """A chain of n steps: n levels, so the hierarchy figure is far taller than a page unless scaled."""
    m = np.zeros((n, n), dtype=int)
    for i in range(n - 1):
        m[i, i + 1] = 1
    return SSIM.from_matrix(m, labels=[f"Step {i}" for i in range(n)])


def _link_pages(pdf: bytes) -> tuple[dict[str, list[int]], int]:
    """URI of every link annotation -> the pages (1-based) it is on; and the number of pages."""
    objs = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)\s*endobj", pdf, re.S)}
    root = int(re.search(rb"/Root (\d+) 0 R", pdf).group(1))
    pages: list[int] = []

    def walk(k: int) -> None:
        body = objs[k]
        if re.search(rb"/Type\s*/Pages", body):
            for kid in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", body, re.S).group(1)):
                walk(int(kid))
        else:
            pages.append(k)

    walk(int(re.search(rb"/Pages (\d+) 0 R", objs[root]).group(1)))
    found: dict[str, list[int]] = {}
    for number, k in enumerate(pages, start=1):
        annots = re.search(rb"/Annots\s*\[(.*?)\]", objs[k], re.S)
        for ref in re.findall(rb"(\d+) 0 R", annots.group(1)) if annots else []:
            uri = re.search(rb"/URI\s*\((.*?)\)", objs[int(ref)], re.S)
            if uri:
                found.setdefault(uri.group(1).decode(), []).append(number)
    return found, len(pages)


def test_every_figure_prints_on_one_page_with_its_caption(tmp_path):
    browser = _browser()
    page = html_report(analyze(_chain(16)), date=False)
    for sid in REPORT_FIGURES:
        page = page.replace(f'<figure><img id="img-{sid}"',
                            f'<figure><a href="https://ism.invalid/{sid}-top">.</a><img id="img-{sid}"', 1)
    names = iter(REPORT_FIGURES)
    page = re.sub("</figcaption>", lambda _: f'<a href="https://ism.invalid/{next(names)}-caption">.</a></figcaption>',
                  page)
    html = tmp_path / "report.html"
    html.write_text(page, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    proc = _run(browser, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    assert pdf.is_file(), f"no PDF (exit {proc.returncode}): {proc.stderr[-2000:]}"
    found, n_pages = _link_pages(pdf.read_bytes())
    for sid in REPORT_FIGURES:
        top, caption = found.get(f"https://ism.invalid/{sid}-top"), found.get(f"https://ism.invalid/{sid}-caption")
        assert top and caption, (sid, found)
        assert top == caption, f"figure {sid!r} starts on page {top} but its caption is on page {caption}"
    assert n_pages >= 3


def test_print_css_scales_figures_and_keeps_captions():
    page = html_report(analyze(load_example("worked")), date=False)
    css = page[page.index("<style>"):page.index("</style>")]
    print_css = css[css.index("@media print"):]
    assert re.search(r"figure \{[^}]*break-inside: avoid", print_css)
    assert re.search(r"figure img \{[^}]*max-height: \d+mm", print_css)
    assert re.search(r"figcaption \{[^}]*break-before: avoid", css)


def test_header_records_title_input_date_and_version():
    result = analyze(load_example("worked"))
    page = html_report(result, title="Barriers <to> sharing", source="data/ssim & co.csv",
                       date=datetime.date(2025, 3, 1))
    assert "<title>Barriers &lt;to&gt; sharing</title>" in page and "<h1>Barriers &lt;to&gt; sharing</h1>" in page
    assert '<span class="source">Input: data/ssim &amp; co.csv</span>' in page
    assert '<span class="date">2025-03-01</span>' in page
    assert f'<span class="version">ism_health {__version__}</span>' in page
    assert 'class="date"' not in html_report(result, date=False)
    assert 'class="source"' not in html_report(result, date=False)


def test_the_date_is_a_parameter_so_reports_stay_reproducible(monkeypatch):
    result = analyze(load_example("worked"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert report_date() == "2023-11-14"
    assert html_report(result) == html_report(result)  # same bytes twice
    assert '<span class="date">2023-11-14</span>' in html_report(result)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert report_date() == datetime.date.today().isoformat()
    assert report_date("spring 2025") == "spring 2025"


def test_figures_given_are_not_drawn_again(monkeypatch):
    import ism_health.report as report

    result = analyze(load_example("worked"))
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"/>'

    def refuse(*args, **kwargs):
        raise AssertionError("a figure was drawn again")

    monkeypatch.setitem(report.REPORT_FIGURES, "hierarchy", (refuse, "x"))
    monkeypatch.setitem(report.REPORT_FIGURES, "micmac", (refuse, "y"))
    page = html_report(result, figures={"hierarchy": svg, "micmac": svg}, date=False)
    assert page.count("data:image/svg+xml;base64,") == 2
    with pytest.raises(AssertionError, match="drawn again"):
        html_report(result, figures={"hierarchy": svg}, date=False)
