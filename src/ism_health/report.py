"""A self-contained HTML report of an ISM result: one file, figures embedded, no network needed.

Sections (each an ``<section id=...>``): ``overview``, ``factors``, ``method``,
``ssim``, ``irm``, ``frm``, ``partition`` (every iteration), ``levels``,
``canonical``, ``hierarchy`` (diagram), ``micmac`` (map and table) and
``parameters`` (options and library version). Figures are SVG embedded as
``data:`` URIs; the page reads on a laptop screen and prints (A4 / Letter):
every figure stays on one page with its caption (``break-inside: avoid``) and
is scaled to fit it (a maximum height in print).

The header records the title, the input file, the date and the library
version. The date is a parameter so that outputs stay byte-for-byte
reproducible: ``date=None`` takes ``SOURCE_DATE_EPOCH`` when that variable is
set (the reproducible-builds convention), else today's date; pass a
``datetime.date`` or a string to fix it, or ``date=False`` to leave it out.
"""

from __future__ import annotations

import base64
import datetime
import html
import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._files import FIGURE_LOCK, write_text
from .plotting import plot_hierarchy, plot_micmac
from .tables import display_frame, has_index, result_tables, table_title

if TYPE_CHECKING:  # pragma: no cover
    from .result import ISMResult

__all__ = ["SECTIONS", "REPORT_FIGURES", "html_report", "write_html", "report_date", "figure_svg"]

#: The figures of the report: section id -> (plotting function, alt text).
REPORT_FIGURES: dict[str, tuple[Any, str]] = {
    "hierarchy": (plot_hierarchy, "ISM hierarchy diagram"),
    "micmac": (plot_micmac, "MICMAC map"),
}

#: Section ids of the report, in order.
SECTIONS: tuple[str, ...] = (
    "overview",
    "factors",
    "method",
    "ssim",
    "irm",
    "frm",
    "partition",
    "levels",
    "canonical",
    "hierarchy",
    "micmac",
    "parameters",
)

_CSS = """
:root { --ink: #1d2733; --muted: #5b6775; --rule: #d5dbe1; --head: #eef2f6; --star: #f8cbad; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1100px; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--rule);
     break-after: avoid; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; break-after: avoid; }
p.note, .muted { color: var(--muted); font-size: .9rem; }
nav { font-size: .9rem; margin: .6rem 0 1rem; }
nav a { margin-right: .8rem; color: #2a5d9f; text-decoration: none; }
.wide { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: .82rem; margin: .3rem 0 1rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { border: 1px solid var(--rule); padding: .2rem .45rem; vertical-align: top; }
thead th { background: var(--head); }
tbody th { text-align: left; font-weight: 600; background: #fafbfc; white-space: nowrap; }
table.matrix td { text-align: center; min-width: 2.1em; }
td.star { background: var(--star); font-weight: 700; }
td.one { background: #dbe7f5; }
figure { margin: .5rem 0 1.2rem; break-inside: avoid; page-break-inside: avoid; }
figure img { width: 100%; max-width: 880px; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .88rem; margin-top: .3rem; break-before: avoid; page-break-before: avoid; }
.meta { color: var(--muted); font-size: .9rem; margin: 0 0 .4rem; }
.meta span + span::before { content: " \\00b7 "; }
pre { background: #f6f8fa; padding: .8rem; overflow-x: auto; font-size: .8rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  .wide { overflow: visible; }
  table { font-size: 8pt; break-inside: auto; }
  tr { break-inside: avoid; }
  section { break-before: auto; }
  section.figure-section { break-before: page; }
  section.figure-section h2 { break-after: avoid; page-break-after: avoid; }
  figure { break-inside: avoid; page-break-inside: avoid; margin: 0 0 .6rem; }
  /* a figure never taller than a page (A4 or Letter, less margins, heading and caption): scaled to fit */
  figure img { width: auto; height: auto; max-width: 100%; max-height: 190mm; object-fit: contain; margin: 0 auto; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 14mm; }
"""


def _html_table(frame: pd.DataFrame, *, caption: str | None = None, matrix: bool = False) -> str:
    """A DataFrame as an escaped HTML table (1* cells shaded in matrices)."""
    esc = html.escape
    index = has_index(frame)
    cls = ' class="matrix"' if matrix else ""
    parts = [f"<div class=\"wide\"><table{cls}>"]
    if caption:
        parts.append(f"<caption>{esc(caption)}</caption>")
    head = ([frame.index.name] if index else []) + [str(c) for c in frame.columns]
    parts.append("<thead><tr>" + "".join(f'<th scope="col">{esc(str(h))}</th>' for h in head) + "</tr></thead><tbody>")
    for label, row in zip(frame.index, frame.itertuples(index=False, name=None)):
        cells = [f'<th scope="row">{esc(str(label))}</th>'] if index else []
        for v in row:
            text = "" if v is None else ("yes" if v is True else "no" if v is False else str(v))
            klass = ' class="star"' if matrix and text == "1*" else ' class="one"' if matrix and text == "1" else ""
            cells.append(f"<td{klass}>{esc(text)}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table></div>")
    return "".join(parts)


def figure_svg(ax: Any) -> bytes:
    """The SVG bytes of a figure (no timestamp, fixed ids) as the report embeds them; the figure is closed.

    Call it holding :data:`ism_health._files.FIGURE_LOCK` when figures may be drawn from several threads.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.report import figure_svg
    >>> figure_svg(analyze(load_example("worked")).plot_micmac())[:5]
    b'<?xml'
    """
    import matplotlib
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    try:
        with FIGURE_LOCK, matplotlib.rc_context({"svg.hashsalt": "ism_health"}):
            ax.figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white",
                              bbox_inches="tight", pad_inches=0.08)
    finally:
        plt.close(ax.figure)
    return buffer.getvalue()


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _svg_data_uri(ax: Any) -> str:
    """A figure as an embedded SVG ``data:`` URI (the figure is closed); kept for the method sections."""
    return _data_uri(figure_svg(ax))


def report_date(date: datetime.date | str | bool | None = None) -> str | None:
    """The date the report records: ``date`` as given (ISO text), ``SOURCE_DATE_EPOCH`` or today for None,
    nothing for False.

    Examples
    --------
    >>> import datetime
    >>> from ism_health.report import report_date
    >>> report_date(datetime.date(2025, 3, 1)), report_date("1 March 2025"), report_date(False)
    ('2025-03-01', '1 March 2025', None)
    """
    if date is False:
        return None
    if date is None or date is True:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            try:
                return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).date().isoformat()
            except (ValueError, OverflowError, OSError):
                pass
        return datetime.date.today().isoformat()
    if isinstance(date, (datetime.date, datetime.datetime)):
        return date.isoformat()[:10]
    return str(date)


def html_report(
    result: ISMResult,
    *,
    title: str | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    source: str | os.PathLike[str] | None = None,
    date: datetime.date | str | bool | None = None,
    figures: Mapping[str, bytes] | None = None,
    figure_options: Mapping[str, Any] | None = None,
) -> str:
    """The report as one HTML string (see :func:`write_html`).

    ``tables`` (as :func:`ism_health.tables.result_tables` builds them for
    ``result``) are used as given instead of being rebuilt; ``figures`` (section
    id of :data:`REPORT_FIGURES` -> SVG bytes, as :func:`figure_svg` gives them)
    likewise, so a caller that already drew them does not draw them twice.
    ``figure_options`` are passed to the plotting functions that draw the
    others (e.g. ``{"title": None}``). ``source`` (the input file) and ``date``
    (see :func:`report_date`) are recorded in the header.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.report import SECTIONS, html_report
    >>> page = html_report(analyze(load_example("worked")), source="ssim.csv", date="2025-03-01")
    >>> all(f'<section id="{s}"' in page for s in SECTIONS), "http" in page.replace("http://www.w3.org", "")
    (True, False)
    >>> '<span class="source">Input: ssim.csv</span>' in page, '<span class="date">2025-03-01</span>' in page
    (True, True)
    """
    esc = html.escape
    if tables is None:
        tables = result_tables(result)
    p = result.params
    n = result.ssim.n
    title = title or f"ISM analysis of {n} factors"
    shown = {name: display_frame(tables, name) for name in tables}
    levels = result.levels

    def section(sid: str, heading: str, body: str, extra_class: str = "") -> str:
        cls = f' class="{extra_class}"' if extra_class else ""
        return f'<section id="{sid}"{cls}><h2>{esc(heading)}</h2>{body}</section>'

    overview = [
        f"<p>{n} factors, {int(levels.max())} levels, {len(result.cycles)} cycle(s); "
        f"{int(result.ssim.adjacency.sum())} direct relations and {int(result.transitive.to_numpy().sum())} "
        "added by transitivity (1*).</p>",
        "<p class=\"note\">Orientation: row i, column j is 1 when factor i influences (reaches) factor j; "
        "an arrow u \u2192 v means u influences v; level 1 is the top of the hierarchy.</p>",
        "<dl>",
    ]
    for lv in sorted(set(levels)):
        overview.append(f"<dt>Level {int(lv)}</dt><dd>{esc(', '.join(levels.index[levels == lv]))}</dd>")
    overview.append("</dl>")
    if result.cycles:
        cycles = "; ".join(esc(", ".join(c)) for c in result.cycles)
        overview.append(f"<p>Cycles (merged in the diagram): {cycles}</p>")
    method = (
        "<ol>"
        "<li>The SSIM records the experts' judgment for every pair: V (i influences j), A (j influences i), "
        "X (both), O (neither).</li>"
        "<li>The initial reachability matrix holds the direct relations (and 1 on the diagonal).</li>"
        "<li>The final reachability matrix is its transitive closure; entries added by transitivity are marked 1*.</li>"
        "<li>Level partition (Warfield): a factor is placed on the current level when its reachability set equals "
        "the intersection of its reachability and antecedent sets; placed factors are removed and the rule "
        "repeats.</li>"
        "<li>The diagram merges cycles (factors that reach one another) into one box and keeps only the links "
        "not implied by others (transitive reduction).</li>"
        f"<li>MICMAC: driving power = row sum, dependence power = column sum of the final matrix; boundaries "
        f"{float(p['dependence_boundary']):g} (dependence) and {float(p['driving_boundary']):g} (driving); a power "
        f"equal to a boundary counts as {esc(str(p['on_boundary']))}.</li>"
        "</ol>"
    )
    partition = []
    for name in tables:
        if name.startswith("iteration_"):
            partition.append(f"<h3>{esc(table_title(name)[1])}</h3>" + _html_table(shown[name]))
    svgs = dict(figures or {})
    for name, (plot, _alt) in REPORT_FIGURES.items():
        if name not in svgs:
            with FIGURE_LOCK:
                svgs[name] = figure_svg(plot(result, **dict(figure_options or {})))
    hierarchy_uri = _data_uri(svgs["hierarchy"])
    micmac_uri = _data_uri(svgs["micmac"])
    body = [
        section("overview", "Overview", "".join(overview)),
        section("factors", "Factors", _html_table(shown["factors"])),
        section("method", "Method", method),
        section("ssim", "Structural self-interaction matrix (SSIM)", _html_table(shown["ssim"], matrix=False)
                + "<p class=\"note\">Columns are the factor codes of the Factors table.</p>"),
        section("irm", "Initial reachability matrix", _html_table(shown["irm"], matrix=True)),
        section("frm", "Final reachability matrix", _html_table(shown["frm"], matrix=True)
                + "<p class=\"note\">1* (shaded): added by transitivity.</p>"),
        section("partition", "Level partition iterations", "".join(partition)),
        section("levels", "Levels", _html_table(shown["levels"])),
        section("canonical", "Canonical matrix", _html_table(shown["canonical"], matrix=True)
                + "<p class=\"note\">Rows and columns ordered by level, level 1 first.</p>"),
        section(
            "hierarchy",
            "ISM hierarchy diagram",
            f'<figure><img id="img-hierarchy" src="{hierarchy_uri}" alt="ISM hierarchy diagram">'
            "<figcaption>Level 1 at the top; an arrow u \u2192 v means u influences v; shaded boxes are cycles "
            "(merged factors); only links not implied by others are drawn.</figcaption></figure>",
            "figure-section",
        ),
        section(
            "micmac",
            "MICMAC analysis",
            f'<figure><img id="img-micmac" src="{micmac_uri}" alt="MICMAC map">'
            "<figcaption>Dependence power (x) against driving power (y); dashed lines: the boundaries used."
            "</figcaption>"
            "</figure>" + _html_table(shown["micmac"]),
            "figure-section",
        ),
        section("parameters", "Options and version", _html_table(shown["parameters"])),
    ]
    meta = []
    if source is not None:
        meta.append(f'<span class="source">Input: {esc(os.fspath(source))}</span>')
    when = report_date(date)
    if when is not None:
        meta.append(f'<span class="date">{esc(when)}</span>')
    meta.append(f'<span class="version">ism_health {esc(str(p["version"]))}</span>')
    names = {"ssim": "SSIM", "irm": "IRM", "frm": "FRM", "micmac": "MICMAC", "parameters": "Options"}
    nav = "<nav>" + "".join(f'<a href="#{s}">{esc(names.get(s, s.capitalize()))}</a>' for s in SECTIONS) + "</nav>"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<meta name=\"generator\" content=\"ism_health {esc(str(p['version']))}\">"
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{esc(title)}</h1><p class=\"meta\">{''.join(meta)}</p>{nav}</header>"
        f"<main>{''.join(body)}</main></body></html>\n"
    )


def write_html(
    result: ISMResult,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    source: str | os.PathLike[str] | None = None,
    date: datetime.date | str | bool | None = None,
    figures: Mapping[str, bytes] | None = None,
    figure_options: Mapping[str, Any] | None = None,
) -> Path:
    """Write the self-contained HTML report to ``path`` and return the path (options: see :func:`html_report`).

    The file is written under a temporary name and renamed (no half-written report).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.report import write_html
    >>> path = write_html(analyze(load_example("worked")), pathlib.Path(tempfile.mkdtemp()) / "report.html")
    >>> path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    page = html_report(result, title=title, tables=tables, source=source, date=date, figures=figures,
                       figure_options=figure_options)
    return write_text(path, page)
