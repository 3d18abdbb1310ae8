"""The whole folder a paper needs, and the one registry of output formats.

:data:`FORMAT_REGISTRY` maps each format name (``--formats`` of ``ism-health``)
to its writer and a line of help; :func:`write_bundle`, the CLI's help and the
CLI's validation all read it. Adding an export format means one writer (in
:mod:`ism_health.export`, or here) and one :func:`register_format` call.
Figure formats (``figure=True``) need no writer: each figure is drawn once and
saved in every chosen figure format, and the report embeds the same drawing
(no figure is drawn twice). The tables are built once for every writer.

Every file is written under a temporary name in its folder and renamed, so an
error (a full disk, a text that cannot be encoded) leaves no half-written file.
Figures are drawn holding :data:`ism_health._files.FIGURE_LOCK` (matplotlib's
pyplot and rc settings are process-global), so bundles written from several
threads at once hold the same bytes as bundles written one after the other.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import _method_outputs, plotting
from . import export as _export
from ._files import FIGURE_LOCK, atomic_path, check_excel_text, write_text, write_texts
from .exceptions import ISMInputError
from .export import (
    latex_tables,
    markdown_tables,
    result_to_json,
    write_csv,
    write_excel,
)
from .interactive import write_interactive_html
from .plotting._style import MAX_PIXELS, _write_figures
from .report import REPORT_FIGURES, figure_svg, write_html
from .tables import result_tables, summary_text
from .word import INSTALL_HINT, docx_available, write_docx

if TYPE_CHECKING:  # pragma: no cover
    from .result import ISMResult

__all__ = ["FORMATS", "FORMAT_REGISTRY", "FIGURES", "OutputFormat", "register_format", "check_formats",
           "formats_help", "write_bundle"]

#: A bundle writer: (result, bundle folder, the result's tables) -> files written. A format registered with
#: ``options=True`` is also given ``options=`` (a mapping: ``title``, ``source``, ``date``, ``figures`` (SVG bytes
#: of the figures already drawn), ``figure_options``).
Writer = Callable[..., list[Path]]


@dataclass(frozen=True)
class OutputFormat:
    """One output format of the bundle.

    Attributes
    ----------
    name : str
        The name given to ``--formats`` (lower case, no dot).
    help : str
        What it writes, in a few words (shown by ``ism-health --help``).
    write : callable or None
        ``write(result, folder, tables) -> list of paths``; None for a figure format.
    figure : bool
        A matplotlib file format: every figure of :data:`FIGURES` is saved in it.
    options : bool
        The writer takes ``options=`` (see :data:`Writer`).

    Examples
    --------
    >>> from ism_health.bundle import FORMAT_REGISTRY
    >>> FORMAT_REGISTRY["md"].help
    'markdown/<table>.md'
    """

    name: str
    help: str
    write: Writer | None = None
    figure: bool = False
    options: bool = False


#: Every format :func:`write_bundle` can write, in the order it writes them.
FORMAT_REGISTRY: dict[str, OutputFormat] = {}

#: The format names (``--formats`` of ``ism-health``), in registry order.
FORMATS: tuple[str, ...] = ()


def register_format(
    name: str, help: str, write: Writer | None = None, *, figure: bool = False, options: bool = False
) -> OutputFormat:
    """Add (or replace) an output format of the bundle; it then appears in the CLI's ``--formats``.

    Examples
    --------
    >>> from ism_health import bundle
    >>> fmt = bundle.register_format("txt2", "demo", lambda result, folder, tables: [])
    >>> "txt2" in bundle.FORMATS
    True
    >>> del bundle.FORMAT_REGISTRY["txt2"]; bundle._refresh()
    >>> "txt2" in bundle.FORMATS
    False
    """
    if not figure and write is None:
        raise ISMInputError(f"format {name!r}: a writer is needed unless figure=True.")
    fmt = OutputFormat(name.lower(), help, write, figure, options)
    FORMAT_REGISTRY[fmt.name] = fmt
    _refresh()
    return fmt


def _refresh() -> None:
    global FORMATS
    FORMATS = tuple(FORMAT_REGISTRY)
    _export.FORMATS = FORMATS  # type: ignore[attr-defined]  # the 0.1 path ism_health.export.FORMATS stays current (export sits below bundle)


def formats_help() -> str:
    """The help of ``--formats``, from the registry.

    Examples
    --------
    >>> from ism_health.bundle import formats_help
    >>> formats_help()
    'comma-separated, any of xlsx,csv,tex,md,json,interactive,html,png,svg,pdf,docx (default: all but docx)'
    """
    return f"comma-separated, any of {','.join(FORMATS)} (default: all but {','.join(sorted(_OPT_IN))})"


def check_formats(formats: Iterable[str] | str | None) -> list[str]:
    """The chosen formats in registry order (all for None); a comma-separated string is split.

    Raises
    ------
    ISMInputError
        An unknown format, or none given.

    Examples
    --------
    >>> from ism_health.bundle import check_formats
    >>> check_formats("png, .JSON")
    ['json', 'png']
    """
    if formats is None:
        return [f for f in FORMATS if f not in _OPT_IN]
    if isinstance(formats, str):
        formats = [f for f in formats.replace(" ", "").split(",") if f]
    try:
        chosen = [f.lower().lstrip(".") for f in formats]
    except (TypeError, AttributeError):
        raise ISMInputError(
            f"formats={formats!r}: expected a comma-separated text or a list of format names; "
            f"some of {', '.join(FORMATS)}."
        ) from None
    bad = [f for f in chosen if f not in FORMAT_REGISTRY]
    if bad or not chosen:
        raise ISMInputError(
            f"formats: {', '.join(map(repr, bad)) if bad else 'none given'}; expected some of {', '.join(FORMATS)}."
        )
    for f in chosen:
        if f in _NEEDS_EXTRA and not _NEEDS_EXTRA[f][0]():
            raise ISMInputError(f"format {f!r} needs an optional extra that is not installed: {_NEEDS_EXTRA[f][1]}")
    return [f for f in FORMATS if f in chosen]


def _excel(result: ISMResult, folder: Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    return [write_excel(tables, folder / "ism_result.xlsx")]


def _csv(result: ISMResult, folder: Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    return write_csv(tables, folder / "csv")


def _latex(result: ISMResult, folder: Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    return write_texts(latex_tables(tables), folder / "latex", ".tex")


def _markdown(result: ISMResult, folder: Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    return write_texts(markdown_tables(tables), folder / "markdown", ".md")


def _json(result: ISMResult, folder: Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    path = folder / "ism_result.json"
    result_to_json(result, path, tables=tables)
    return [path]


def _interactive(result: ISMResult, folder: Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    return [write_interactive_html(result, folder / "interactive.html")]


def _html(result: ISMResult, folder: Path, tables: Mapping[str, pd.DataFrame], *,
          options: Mapping[str, Any] | None = None) -> list[Path]:
    # the report links the interactive diagram when it lies beside it ("interactive" is written first)
    link = "interactive.html" if (folder / "interactive.html").is_file() else None
    return [write_html(result, folder / "report.html", tables=tables, interactive=link, **dict(options or {}))]


def _docx(result: ISMResult, folder: Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    return [write_docx(result, folder / "ism_result.docx")]


#: Formats that need an optional extra: name -> (is it installed?, what to install); asked for without
#: the extra, they are refused up front with the install line.
_NEEDS_EXTRA: dict[str, tuple[Callable[[], bool], str]] = {"docx": (docx_available, INSTALL_HINT)}
#: Formats written only when asked for (not in the default "all"): the Word document takes seconds.
_OPT_IN = frozenset({"docx"})


register_format("xlsx", "ism_result.xlsx: every table, one sheet each", _excel)
register_format("csv", "csv/<table>.csv: one formula-safe file per table", _csv)
register_format("tex", "latex/<table>.tex: booktabs tables", _latex)
register_format("md", "markdown/<table>.md", _markdown)
register_format("json", "ism_result.json: the whole result (ISMResult.from_json loads it)", _json)
register_format("interactive", "interactive.html: the diagram to drag, expand and save, offline", _interactive)
register_format("html", "report.html: the self-contained report", _html, options=True)
register_format("png", "figures/<figure>.png at 300 dpi", figure=True)
register_format("svg", "figures/<figure>.svg", figure=True)
register_format("pdf", "figures/<figure>.pdf", figure=True)
register_format("docx", "ism_result.docx: Word tables, figures and methods (needs ism_health[docx])", _docx)

#: Figures of the bundle: file stem -> (plotting function name, keyword arguments).
FIGURES: dict[str, tuple[str, dict[str, Any]]] = {
    "hierarchy": ("plot_hierarchy", {}),
    "micmac": ("plot_micmac", {}),
    "irm": ("plot_matrix", {"which": "initial"}),
    "frm": ("plot_matrix", {"which": "final"}),
    "canonical": ("plot_matrix", {"which": "canonical"}),
}


def write_bundle(
    result: ISMResult,
    folder: str | os.PathLike[str],
    *,
    formats: Iterable[str] | str | None = None,
    force: bool = False,
    title: str | None = None,
    source: str | os.PathLike[str] | None = None,
    date: datetime.date | str | bool | None = None,
    figure_titles: bool = True,
    extras: Iterable[Any] = (),
) -> list[Path]:
    """Write everything a paper needs into one folder; returns the files written.

    The tables are built once and every writer writes those same tables; each
    figure is drawn once, saved in every chosen figure format and embedded in
    the report. Layout (``formats`` picks among :data:`FORMATS`: ``xlsx, csv,
    tex, md, json, interactive, html, png, svg, pdf, docx``; default all but
    docx)::

        summary.txt                 the plain-text summary (always)
        ism_result.xlsx             every table, one sheet each
        ism_result.json             the whole result (ISMResult.from_json loads it)
        report.html                 self-contained report (links interactive.html when written)
        interactive.html            the diagram to drag, expand and save, offline
        ism_result.docx             Word: tables, figures, methods paragraph (ism_health[docx])
        csv/<table>.csv             one per table
        latex/<table>.tex           booktabs tables
        markdown/<table>.md         Markdown tables
        figures/<figure>.<ext>      hierarchy, micmac, irm, frm, canonical (PNG at 300 dpi)

    ``title``, ``source`` (the input file) and ``date`` are recorded in the
    report (see :func:`ism_health.report.html_report`; ``date=None`` is
    ``SOURCE_DATE_EPOCH`` or today, ``date=False`` leaves it out).
    ``figure_titles=False`` draws every figure with ``title=None`` (no title
    drawn into the figure; captions go in the paper). ``extras``: method
    results (fuzzy or Godet MICMAC, AISM levels, DEMATEL, TISM, robustness,
    audit) written along: their sheets join the workbook (names prefixed with
    the method, unique, at most 31 characters), their tables the csv, latex and
    markdown folders, their figures ``figures/`` and a section each the report
    (:mod:`ism_health._method_outputs`).

    Raises
    ------
    ISMInputError
        ``folder`` exists and is not empty, unless ``force=True`` (then files
        of the same name are replaced; other files are left alone); an unknown
        format, or a text a format cannot hold (nothing is written).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.bundle import write_bundle
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> files = write_bundle(analyze(load_example("worked")), folder, formats="json,csv")
    >>> sorted(str(p.relative_to(folder)) for p in files)[:3]
    ['csv/canonical.csv', 'csv/factors.csv', 'csv/frm.csv']
    """
    chosen = check_formats(formats)
    extras = _method_outputs._check_extras(extras)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ISMInputError(f"{folder} exists and is not a folder; expected an output folder.")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise ISMInputError(f"{folder} is not empty; choose another folder or use force=True (--force).")
    _check_labels(result, chosen, folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = [write_text(folder / "summary.txt", summary_text(result) + "\n")]
    writers = [FORMAT_REGISTRY[f] for f in chosen if not FORMAT_REGISTRY[f].figure]
    tables = result_tables(result) if writers else {}
    figure_options: dict[str, Any] = {} if figure_titles else {"title": None}
    svgs = _draw_figures(result, folder, [f for f in chosen if FORMAT_REGISTRY[f].figure],
                         report="html" in chosen, figure_options=figure_options, written=written)
    options = {"title": title, "source": source, "date": date, "figures": svgs, "figure_options": figure_options,
               "extras": _method_outputs.extra_sections(extras) if extras else ()}
    for fmt in writers:
        assert fmt.write is not None
        if fmt.options:
            written += fmt.write(result, folder, tables, options=options)
        else:
            written += fmt.write(result, folder, tables)
    written += _method_outputs.write_extras(extras, folder, chosen)
    return written


def _check_labels(result: ISMResult, chosen: list[str], folder: Path) -> None:
    """Refuse, before anything is written, a factor name that a chosen format cannot hold."""
    for label in result.ssim.labels:
        try:
            label.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ISMInputError(
                f"factor {label[:60]!r} holds {exc.object[exc.start:exc.end]!r} (a lone surrogate or similar) at "
                f"character {exc.start}, which no output file can hold; nothing was written.",
                source=str(folder),
            ) from None
        if "xlsx" in chosen:
            check_excel_text(label, f"{folder / 'ism_result.xlsx'}: factor {label[:60]!r}")


def _draw_figures(result: ISMResult, folder: Path, image_formats: list[str], *, report: bool,
                  figure_options: Mapping[str, Any], written: list[Path]) -> dict[str, bytes]:
    """Draw each figure once: save it in every image format; keep the SVG of the report's figures."""
    svgs: dict[str, bytes] = {}
    if not image_formats and not report:
        return svgs
    import matplotlib.pyplot as plt

    if image_formats:
        (folder / "figures").mkdir(exist_ok=True)
    for stem, (func, kwargs) in FIGURES.items():
        for_report = report and stem in REPORT_FIGURES
        if not image_formats and not for_report:
            continue
        with FIGURE_LOCK:
            ax = getattr(plotting, func)(result, **kwargs, **figure_options)
            try:
                targets = [folder / "figures" / f"{stem}.{ext}" for ext in image_formats]
                with ExitStack() as stack:  # every format from one measurement of the figure; renamed at the end
                    tmps = [stack.enter_context(atomic_path(target)) for target in targets]
                    _write_figures(ax, list(zip(tmps, image_formats)), 300, MAX_PIXELS, stacklevel=2)
                written += targets
                if for_report:  # the SVG file just written is what the report embeds: not rendered again
                    svgs[stem] = (folder / "figures" / f"{stem}.svg").read_bytes() if "svg" in image_formats \
                        else figure_svg(ax)
            finally:
                plt.close(ax.figure)
    return svgs


_export.write_bundle = write_bundle  # type: ignore[attr-defined]  # the 0.1 paths (export sits below bundle)
_export._check_formats = check_formats  # type: ignore[attr-defined]
_refresh()
