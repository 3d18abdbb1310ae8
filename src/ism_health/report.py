"""A self-contained HTML report of an ISM result: one file, figures embedded, no network needed.

Sections (each an ``<section id=...>``): ``overview``, ``factors``, ``method``,
``ssim``, ``irm``, ``frm``, ``partition`` (every iteration), ``levels``,
``canonical``, ``hierarchy`` (diagram), ``micmac`` (map and table) and
``parameters`` (options and library version). Figures are SVG embedded as
``data:`` URIs; the page reads on a laptop screen and prints (A4 / Letter).
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .plotting import figure_bytes, plot_hierarchy, plot_micmac
from .tables import display_frame, has_index, result_tables, table_title

if TYPE_CHECKING:  # pragma: no cover
    from .result import ISMResult

__all__ = ["SECTIONS", "html_report", "write_html", "method_section", "tables_report"]

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
figure { margin: .5rem 0 1.2rem; break-inside: avoid; }
figure img { width: 100%; max-width: 880px; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .88rem; margin-top: .3rem; }
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
  a { color: inherit; text-decoration: none; }
}
"""


#: A section of a method result: (id, heading, summary text or None, caption -> table, name -> figure function).
ExtraSection = tuple[str, str, str | None, Mapping[str, pd.DataFrame], Mapping[str, Callable[[Any], Any]]]


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


def _panel_section(shown: Mapping[str, pd.DataFrame]) -> str:
    """The panel's tables in the report: summary, experts, ties, low-agreement pairs, contradictions, cycles, notes."""
    esc = html.escape
    parts = [_html_table(shown["panel_summary"], caption=table_title("panel_summary")[1])]
    parts.append(_html_table(shown["panel_experts"], caption=table_title("panel_experts")[1]))
    ties = shown["panel_ties"]
    parts.append(_html_table(ties, caption=table_title("panel_ties")[1]) if len(ties) else "<p>No ties.</p>")
    agree = shown["panel_agreement"]
    low = agree[agree["Low agreement"]]
    parts.append(_html_table(low, caption="Low-agreement pairs") if len(low) else "<p>No low-agreement pairs.</p>")
    con = shown["panel_contradictions"]
    if len(con):
        more = f" (the first 50 of {len(con)}; all in the workbook)" if len(con) > 50 else ""
        parts.append(_html_table(con.head(50), caption=table_title("panel_contradictions")[1] + more))
    else:
        parts.append("<p>No contradictions: no \u201cno influence\u201d judgment is overridden by transitivity.</p>")
    cyc = shown["panel_cycles"]
    parts.append(_html_table(cyc, caption=table_title("panel_cycles")[1]) if len(cyc) else "<p>No cycles.</p>")
    if "panel_notes" in shown:
        parts.append(_html_table(shown["panel_notes"], caption=table_title("panel_notes")[1]))
    note = "Every pair with its votes and decision: the sheet Panel votes of the workbook."
    parts.append(f"<p class=\"note\">{esc(note)}</p>")
    return "".join(parts)


def _svg_data_uri(ax: Any) -> str:
    import matplotlib.pyplot as plt

    try:
        svg = figure_bytes(ax, "svg")  # the journal settings of every figure: SVG text kept as text
    finally:
        plt.close(ax.figure)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def html_report(
    result: ISMResult,
    *,
    title: str | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    extras: Sequence[ExtraSection] = (),
    interactive: str | None = None,
) -> str:
    """The report as one HTML string (see :func:`write_html`).

    ``tables`` (as :func:`ism_health.tables.result_tables` builds them for
    ``result``) are used as given instead of being rebuilt. ``extras``: one
    section each, after the MICMAC section, as :func:`method_section` draws
    it (``(id, heading, summary, tables, figures)`` tuples; build them from
    method results with :func:`ism_health._method_outputs.extra_sections`).
    ``interactive``: the address (relative to the report) of the interactive
    diagram, linked from the hierarchy section when given.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.report import SECTIONS, html_report
    >>> page = html_report(analyze(load_example("worked")))
    >>> all(f'<section id="{s}"' in page for s in SECTIONS), "http" in page.replace("http://www.w3.org", "")
    (True, False)
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
        overview.append("<p>Cycles (merged in the diagram): " + "; ".join(esc(", ".join(c)) for c in result.cycles) + "</p>")
    method = (
        "<ol>"
        "<li>The SSIM records the experts' judgment for every pair: V (i influences j), A (j influences i), "
        "X (both), O (neither).</li>"
        "<li>The initial reachability matrix holds the direct relations (and 1 on the diagonal).</li>"
        "<li>The final reachability matrix is its transitive closure; entries added by transitivity are marked 1*.</li>"
        "<li>Level partition (Warfield): a factor is placed on the current level when its reachability set equals "
        "the intersection of its reachability and antecedent sets; placed factors are removed and the rule repeats.</li>"
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
    hierarchy_uri = _svg_data_uri(plot_hierarchy(result))
    micmac_uri = _svg_data_uri(plot_micmac(result))
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
            "(merged factors); only links not implied by others are drawn.</figcaption></figure>"
            + (
                f'<p><a id="link-interactive" href="{esc(interactive)}">Open the interactive diagram</a>: drag the '
                "boxes, expand the cycles, show every reachability link, save PNG or SVG.</p>"
                if interactive
                else ""
            ),
            "figure-section",
        ),
        section(
            "micmac",
            "MICMAC analysis",
            f'<figure><img id="img-micmac" src="{micmac_uri}" alt="MICMAC map">'
            "<figcaption>Dependence power (x) against driving power (y); dashed lines: the boundaries used.</figcaption>"
            "</figure>" + _html_table(shown["micmac"]),
            "figure-section",
        ),
        section("parameters", "Options and version", _html_table(shown["parameters"])),
    ]
    body[-1:-1] = [method_section(*extra) for extra in extras]
    names = {"ssim": "SSIM", "irm": "IRM", "frm": "FRM", "micmac": "MICMAC", "parameters": "Options"}
    nav = "<nav>" + "".join(f'<a href="#{s}">{esc(names.get(s, s.capitalize()))}</a>' for s in SECTIONS[:-1])
    nav += "".join(f'<a href="#{esc(x[0])}">{esc(x[1])}</a>' for x in extras)
    nav += '<a href="#parameters">Options</a></nav>'
    if "panel_summary" in tables:  # a result from a panel: its section after the overview
        body.insert(1, section("panel", "Expert panel", _panel_section(shown)))
        nav = nav.replace('<a href="#factors">', '<a href="#panel">Panel</a><a href="#factors">', 1)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<meta name=\"generator\" content=\"ism_health {esc(str(p['version']))}\">"
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{esc(title)}</h1><p class=\"muted\">ism_health {esc(str(p['version']))}</p>{nav}</header>"
        f"<main>{''.join(body)}</main></body></html>\n"
    )


def write_html(
    result: ISMResult,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    extras: Sequence[ExtraSection] = (),
    interactive: str | None = None,
) -> Path:
    """Write the self-contained HTML report to ``path`` and return the path.

    ``tables``, ``extras`` and ``interactive``: see :func:`html_report`.

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
    path = Path(path)
    html_text = html_report(result, title=title, tables=tables, extras=extras, interactive=interactive)
    path.write_text(html_text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------------------------- method results
def method_section(
    sid: str,
    heading: str,
    summary: str | None,
    tables: Mapping[str, pd.DataFrame],
    figures: Mapping[str, Callable[[Any], Any]],
) -> str:
    """One ``<section>`` of a method result: its summary, its figures (SVG embedded) and its tables, all escaped.

    ``tables`` maps a caption to a table (a named index is shown as the first
    column); each figure function draws on a new Axes when given None and
    returns the Axes.

    Examples
    --------
    >>> import pandas as pd
    >>> from ism_health.report import method_section
    >>> table = pd.DataFrame({"value": [1]}, index=pd.Index(["<b>"], name="Factor"))
    >>> html = method_section("extra-demo", "Demo", "A summary.", {"Demo table": table}, {})
    >>> html.startswith('<section id="extra-demo"'), "&lt;b&gt;" in html, "<b>" in html
    (True, True, False)
    """
    esc = html.escape
    parts = [f'<section id="{esc(sid)}" class="figure-section"><h2>{esc(heading)}</h2>']
    if summary:
        parts.append(f"<pre>{esc(summary)}</pre>")
    for k, (name, draw) in enumerate(figures.items(), start=1):
        uri = _svg_data_uri(draw(None))
        parts.append(f'<figure><img id="img-{esc(sid)}-{k}" src="{uri}" alt="{esc(name)}">'
                     f"<figcaption>{esc(name)}</figcaption></figure>")
    for caption, frame in tables.items():
        parts.append(_html_table(frame, caption=caption) if len(frame) else
                     f"<h3>{esc(caption)}</h3><p class=\"note\">(none)</p>")
    parts.append("</section>")
    return "".join(parts)


def tables_report(
    title: str,
    tables: Mapping[str, pd.DataFrame],
    figures: Mapping[str, Callable[[Any], Any]] | None = None,
    *,
    summary: str | None = None,
) -> str:
    """A self-contained HTML page of one method result: a title, its summary, figures and tables (one section).

    The page has the style of :func:`html_report`; every text is escaped and
    figures are embedded, so it opens with no network.

    Examples
    --------
    >>> import pandas as pd
    >>> from ism_health.report import tables_report
    >>> page = tables_report("Demo <1>", {"A table": pd.DataFrame({"x": ["=1+1"]})})
    >>> page.startswith("<!DOCTYPE html>"), "<title>Demo &lt;1&gt;</title>" in page
    (True, True)
    """
    from ._version import __version__

    esc = html.escape
    body = method_section("method", title, summary, tables, figures or {})
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<meta name=\"generator\" content=\"ism_health {esc(__version__)}\">"
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{esc(title)}</h1><p class=\"muted\">ism_health {esc(__version__)}</p></header>"
        f"<main>{body}</main></body></html>\n"
    )
