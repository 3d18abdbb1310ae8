"""What every method result shares: its tables and figures, the writers over them, and its place in an ISM bundle.

A method result (fuzzy MICMAC, Godet's MICMAC, AISM levels, DEMATEL, TISM,
robustness, audit) says what it has with two methods, ``tables()`` (title ->
DataFrame) and ``figures()`` (name -> a function that draws on a matplotlib
Axes, a new one when given None, and returns it), and inherits from
:class:`MethodOutputs` the writers: ``to_excel``, ``to_csv``, ``to_latex``,
``to_markdown``, ``to_html`` and ``save``. They write the same tables through
the writers of :mod:`ism_health.export` (LaTeX, Markdown, CSV: formula-safe)
and :mod:`ism_health.report` (HTML: escaped, figures embedded), so a factor
named ``=HYPERLINK(...)`` or ``<script>`` stays text everywhere.

The same result can ride along with an ISM analysis as an *extra*
(``result.save(folder, extras=[...])``, ``write_bundle(..., extras=...)``,
``result.to_excel(path, extras=...)``, ``result.to_html(path, extras=...)``):
its sheets are added to the workbook under names prefixed with the method
(``Fuzzy ...``, ``Robustness ...``; unique, at most 31 characters), its tables
to the CSV, LaTeX and Markdown folders, its figures to ``figures/`` and a
section to the report.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import pandas as pd

from ._files import normalise_zip, write_frame_to_sheet, write_texts
from .exceptions import ISMInputError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from .report import ExtraSection

__all__ = [
    "METHOD_FORMATS",
    "MethodOutputs",
    "Figure",
    "OutputTable",
    "output_tables",
    "extra_tables",
    "extra_sections",
    "append_sheets",
    "write_extras",
]

#: A figure of a method result: draws on the Axes given (a new one for None) and returns it.
Figure = Callable[["Axes | None"], "Axes"]

#: The formats :meth:`MethodOutputs.save` writes (default all), in the order it writes them.
METHOD_FORMATS: tuple[str, ...] = ("xlsx", "csv", "tex", "md", "html", "png", "svg", "pdf")
_FIGURE_FORMATS = ("png", "svg", "pdf")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


class OutputTable(NamedTuple):
    """One table as the writers use it.

    Attributes
    ----------
    sheet : str
        The workbook sheet name (at most 31 characters, unique).
    stem : str
        The file name without suffix (unique).
    caption : str
        The title shown above the table.
    frame : pandas.DataFrame
        The table; an index of labels is named, so every writer shows it.

    Examples
    --------
    >>> import pandas as pd
    >>> from ism_health._method_outputs import OutputTable
    >>> t = OutputTable("Sheet", "sheet", "Caption", pd.DataFrame())
    >>> t.sheet, t.stem, t.caption
    ('Sheet', 'sheet', 'Caption')
    """

    sheet: str
    stem: str
    caption: str
    frame: pd.DataFrame


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_") or "table"


def _unique(name: str, taken: set[str], limit: int | None = None) -> str:
    """``name``, or ``name (2)``, ``name (3)``... (cut to ``limit`` characters), not in ``taken`` (case-blind)."""
    base = name[:limit] if limit else name
    candidate, k = base, 1
    while candidate.lower() in taken:
        k += 1
        suffix = f" ({k})"
        candidate = (name[: limit - len(suffix)] if limit else name).rstrip() + suffix
    taken.add(candidate.lower())
    return candidate


def _writable(frame: pd.DataFrame, labels: set[str]) -> pd.DataFrame:
    """A copy whose index, when it carries labels, is named (so the writers show it as the first column)."""
    out = frame.copy()
    if out.index.name is None and not isinstance(out.index, pd.RangeIndex):
        out.index.name = "Factor" if labels and set(map(str, out.index)) <= labels else "Item"
    return out


def _labels(obj: Any) -> set[str]:
    labels: Any = getattr(obj, "labels", None)
    if callable(labels) or labels is None:
        labels = getattr(getattr(obj, "result_levels", None), "index", ())
    return {str(x) for x in labels}


def output_tables(
    obj: Any, *, prefix: str | None = None, taken_sheets: set[str] | None = None, taken_stems: set[str] | None = None
) -> list[OutputTable]:
    """The tables of a method result, named for the writers: sheet names, file stems and captions, all unique.

    With ``prefix`` (an extra in an ISM bundle), every name not already
    starting with it is prefixed with it. ``taken_sheets`` / ``taken_stems``
    (lower case; updated) are names already in use.

    Examples
    --------
    >>> from ism_health import fuzzy_micmac
    >>> from ism_health._method_outputs import output_tables
    >>> [(t.sheet, t.stem) for t in output_tables(fuzzy_micmac([[0, 0.7], [0.3, 0]]))][:2]
    [('Fuzzy direct matrix', 'fuzzy_direct_matrix'), ('Fuzzy stable matrix', 'fuzzy_stable_matrix')]
    """
    sheets = set() if taken_sheets is None else taken_sheets
    stems = set() if taken_stems is None else taken_stems
    labels = _labels(obj)
    out = []
    for title, frame in obj.tables().items():
        caption = str(title).replace("_", " ")
        if prefix and not caption.lower().startswith(prefix.lower()):
            caption = f"{prefix} {caption}"
        sheet = _unique(" ".join(_SHEET_BAD.sub(" ", caption).split()).strip("'") or "Table", sheets, 31)
        stem = _unique(_slug(caption), stems)
        out.append(OutputTable(sheet, stem, caption, _writable(frame, labels)))
    return out


def _style_sheet(ws: Any, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DCE6F1")
    index = frame.index.name is not None
    n_cols = frame.shape[1] + (1 if index else 0)
    for c in range(1, n_cols + 1):
        cell = ws.cell(row=1, column=c)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        longest = max((len(str(v)) for (v,) in ws.iter_rows(min_col=c, max_col=c, values_only=True) if v is not None),
                      default=4)
        ws.column_dimensions[get_column_letter(c)].width = min(max(longest + 2, 6), 60)
    if index:
        for r in range(2, len(frame) + 2):
            ws.cell(row=r, column=1).font = bold
    ws.freeze_panes = "B2" if index else "A2"


def _add_sheet(wb: Any, table: OutputTable) -> None:
    ws = wb.create_sheet(table.sheet)
    index = table.frame.index.name is not None
    write_frame_to_sheet(ws, table.frame, index=index)
    _style_sheet(ws, table.frame)


def _save_workbook(wb: Any, path: Path) -> Path:
    import datetime

    from ._version import __version__

    wb.properties.creator = f"ism_health {__version__}"
    wb.properties.created = wb.properties.modified = datetime.datetime(2000, 1, 1)
    wb.save(path)
    normalise_zip(path)
    return path


def _summary(obj: Any) -> str | None:
    summary = getattr(obj, "summary", None)
    return str(summary()) if callable(summary) else None


def _check_formats(formats: Iterable[str] | str | None) -> list[str]:
    if formats is None:
        return list(METHOD_FORMATS)
    if isinstance(formats, str):
        formats = [f for f in formats.replace(" ", "").split(",") if f]
    chosen = [f.lower().lstrip(".") for f in formats]
    bad = [f for f in chosen if f not in METHOD_FORMATS]
    if bad or not chosen:
        raise ISMInputError(
            f"formats: {', '.join(map(repr, bad)) if bad else 'none given'}; "
            f"expected some of {', '.join(METHOD_FORMATS)}."
        )
    return [f for f in METHOD_FORMATS if f in chosen]


def _latex(tables: Sequence[OutputTable]) -> dict[str, str]:
    from .export import _latex_table

    return {t.stem: _latex_table(t.frame, t.caption, f"tab:{t.stem.replace('_', '-')}", fit_width=t.frame.shape[1] > 10)
            for t in tables}


def _markdown(tables: Sequence[OutputTable]) -> dict[str, str]:
    from .export import _markdown_table

    return {t.stem: _markdown_table(t.frame, t.caption) for t in tables}


def _csv(tables: Sequence[OutputTable], folder: Path) -> list[Path]:
    from .export import write_csv

    return write_csv({t.stem: t.frame for t in tables}, folder)


def _save_figures(figures: Mapping[str, Figure], folder: Path, exts: Sequence[str], prefix: str = "") -> list[Path]:
    import matplotlib.pyplot as plt

    from .plotting import save_figure

    written: list[Path] = []
    if not exts or not figures:
        return written
    folder.mkdir(parents=True, exist_ok=True)
    for name, draw in figures.items():
        ax = draw(None)
        try:
            for ext in exts:
                written.append(save_figure(ax, folder / f"{prefix}{_slug(name)}.{ext}"))
        finally:
            plt.close(ax.figure)  # type: ignore[arg-type]
    return written


class MethodOutputs:
    """The writers every method result inherits; a result gives ``tables()`` and ``figures()``.

    Subclasses set ``_output_title`` (the report heading), ``_output_prefix``
    (the sheet prefix as an extra) and ``_output_stem`` (file names), and
    implement :meth:`tables`; :meth:`figures` defaults to none.

    Examples
    --------
    >>> from ism_health import fuzzy_micmac
    >>> from ism_health._method_outputs import MethodOutputs
    >>> isinstance(fuzzy_micmac([[0, 0.7], [0.3, 0]]), MethodOutputs)
    True
    """

    _output_title: ClassVar[str] = "Method result"
    _output_prefix: ClassVar[str] = "Method"
    _output_stem: ClassVar[str] = "method"

    def tables(self) -> dict[str, pd.DataFrame]:
        """Title -> table (new DataFrames); every writer writes these.

        Examples
        --------
        >>> from ism_health import fuzzy_micmac
        >>> list(fuzzy_micmac([[0, 0.7], [0.3, 0]]).tables())[0]
        'Fuzzy direct matrix'
        """
        raise NotImplementedError  # pragma: no cover

    def figures(self) -> dict[str, Figure]:
        """Name -> a function that draws the figure on an Axes (a new one for None) and returns the Axes.

        Examples
        --------
        >>> from ism_health import fuzzy_micmac
        >>> draw = fuzzy_micmac([[0, 0.7], [0.3, 0]]).figures()["Fuzzy MICMAC map"]
        >>> draw(None).get_xlabel()
        'Dependence power'
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        return {}

    # ------------------------------------------------------------------ writers
    def to_excel(self, path: str | os.PathLike[str]) -> Path:
        """One workbook: a ``Summary`` sheet (when the result has a summary), then one sheet per table.

        Text cells are stored as text, never as formulas; the same result gives
        the same bytes.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from openpyxl import load_workbook
        >>> from ism_health import fuzzy_micmac
        >>> path = fuzzy_micmac([[0, 0.7], [0.3, 0]]).to_excel(pathlib.Path(tempfile.mkdtemp()) / "f.xlsx")
        >>> load_workbook(path).sheetnames[:3]
        ['Summary', 'Fuzzy direct matrix', 'Fuzzy stable matrix']
        """
        from openpyxl import Workbook

        path = Path(path)
        wb = Workbook()
        wb.remove(wb.active)
        taken = set()
        summary = _summary(self)
        if summary is not None:
            ws = wb.create_sheet("Summary")
            taken.add("summary")
            write_frame_to_sheet(ws, pd.DataFrame({"Summary": summary.splitlines()}), index=False)
            ws.column_dimensions["A"].width = 100
        for table in output_tables(self, taken_sheets=taken):
            _add_sheet(wb, table)
        return _save_workbook(wb, path)

    def to_csv(self, folder: str | os.PathLike[str]) -> list[Path]:
        """One formula-safe UTF-8 CSV file per table (``<folder>/<table>.csv``); returns the paths.

        Examples
        --------
        >>> import tempfile
        >>> from ism_health import fuzzy_micmac
        >>> [p.name for p in fuzzy_micmac([[0, 0.7], [0.3, 0]]).to_csv(tempfile.mkdtemp())][:2]
        ['fuzzy_direct_matrix.csv', 'fuzzy_stable_matrix.csv']
        """
        return _csv(output_tables(self), Path(folder))

    def to_latex(self, folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
        """Each table as a booktabs LaTeX ``table`` (written to ``<folder>/<table>.tex`` when given).

        Examples
        --------
        >>> from ism_health import fuzzy_micmac
        >>> tex = fuzzy_micmac([[0, 0.7], [0.3, 0]]).to_latex()
        >>> r"\\caption{Fuzzy MICMAC}" in tex["fuzzy_micmac"], r"\\toprule" in tex["fuzzy_micmac"]
        (True, True)
        """
        out = _latex(output_tables(self))
        if folder is not None:
            write_texts(out, Path(folder), ".tex")
        return out

    def to_markdown(self, folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
        """Each table as a Markdown table with a bold caption (written to ``<folder>/<table>.md`` when given).

        Examples
        --------
        >>> from ism_health import fuzzy_micmac
        >>> print(fuzzy_micmac([[0, 0.7], [0.3, 0]], labels=["A", "B"]).to_markdown()["fuzzy_stable_matrix"])
        **Fuzzy stable matrix**
        <BLANKLINE>
        | Factor | A | B |
        |---|---|---|
        | A | 1.0 | 0.7 |
        | B | 0.3 | 1.0 |
        <BLANKLINE>
        """
        out = _markdown(output_tables(self))
        if folder is not None:
            write_texts(out, Path(folder), ".md")
        return out

    def to_html(self, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
        """A self-contained HTML page: summary, figures (embedded SVG) and tables; every text escaped.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health import fuzzy_micmac
        >>> path = fuzzy_micmac([[0, 0.7], [0.3, 0]]).to_html(pathlib.Path(tempfile.mkdtemp()) / "f.html")
        >>> text = path.read_text(encoding="utf-8")
        >>> text.startswith("<!DOCTYPE html>"), "<caption>Fuzzy MICMAC</caption>" in text, "data:image/svg" in text
        (True, True, True)
        """
        from .report import tables_report

        tables = {t.caption: t.frame for t in output_tables(self)}
        page = tables_report(title or self._output_title, tables, self.figures(), summary=_summary(self))
        path = Path(path)
        path.write_text(page, encoding="utf-8")
        return path

    def save(
        self, folder: str | os.PathLike[str], *, formats: Iterable[str] | str | None = None, force: bool = False
    ) -> list[Path]:
        """Write everything into one folder; returns the files written.

        Layout (``formats`` picks among :data:`METHOD_FORMATS`, default all)::

            summary.txt              the plain-text summary (when the result has one)
            <stem>.xlsx              every table, one sheet each
            csv/<table>.csv          formula-safe
            latex/<table>.tex        booktabs tables
            markdown/<table>.md
            report.html              self-contained page
            figures/<figure>.<ext>   png (300 dpi), svg, pdf

        Raises
        ------
        ISMInputError
            ``folder`` is not empty, unless ``force=True``.
        ISMInputError
            An unknown format.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health import fuzzy_micmac
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "out"
        >>> files = fuzzy_micmac([[0, 0.7], [0.3, 0]]).save(folder, formats="xlsx,svg")
        >>> sorted(str(p.relative_to(folder)) for p in files)
        ['figures/fuzzy_micmac_map.svg', 'fuzzy_micmac.xlsx', 'summary.txt']
        """
        chosen = _check_formats(formats)
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise ISMInputError(f"{folder} exists and is not a folder; expected an output folder.")
        if folder.is_dir() and any(folder.iterdir()) and not force:
            raise ISMInputError(f"{folder} is not empty; choose another folder or use force=True (--force).")
        folder.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        summary = _summary(self)
        if summary is not None:
            written.append(folder / "summary.txt")
            written[-1].write_text(summary + "\n", encoding="utf-8")
        tables = output_tables(self)
        if "xlsx" in chosen:
            written.append(self.to_excel(folder / f"{self._output_stem}.xlsx"))
        if "csv" in chosen:
            written += _csv(tables, folder / "csv")
        if "tex" in chosen:
            written += write_texts(_latex(tables), folder / "latex", ".tex")
        if "md" in chosen:
            written += write_texts(_markdown(tables), folder / "markdown", ".md")
        if "html" in chosen:
            written.append(self.to_html(folder / "report.html"))
        written += _save_figures(self.figures(), folder / "figures", [f for f in chosen if f in _FIGURE_FORMATS])
        return written


# ----------------------------------------------------------------------------------------------- extras of a bundle
def _check_extras(extras: Iterable[Any]) -> list[Any]:
    extras = list(extras)
    for x in extras:
        if not (callable(getattr(x, "tables", None)) and callable(getattr(x, "figures", None))):
            raise ISMInputError(
                f"extras: {type(x).__name__} is not a method result (one with tables() and figures(), "
                "e.g. from fuzzy_micmac, godet_micmac, adversarial_levels, dematel, tism, robustness, audit)."
            )
    return extras


def _prefix(x: Any) -> str:
    return str(getattr(x, "_output_prefix", type(x).__name__))


def extra_tables(extras: Iterable[Any], *, taken_sheets: Iterable[str] = ()) -> list[OutputTable]:
    """The tables of every extra, sheet names prefixed with its method and unique (also against ``taken_sheets``).

    Examples
    --------
    >>> from ism_health import fuzzy_micmac
    >>> from ism_health._method_outputs import extra_tables
    >>> fz = fuzzy_micmac([[0, 0.7], [0.3, 0]])
    >>> [t.sheet for t in extra_tables([fz, fz])][4:7]
    ['Fuzzy convergence', 'Fuzzy direct matrix (2)', 'Fuzzy stable matrix (2)']
    """
    sheets = {s.lower() for s in taken_sheets}
    stems: set[str] = set()
    out: list[OutputTable] = []
    for x in _check_extras(extras):
        out += output_tables(x, prefix=_prefix(x), taken_sheets=sheets, taken_stems=stems)
    return out


def extra_sections(extras: Iterable[Any]) -> list[ExtraSection]:
    """One report section per extra: ``(id, heading, summary, caption -> table, name -> figure)``.

    Feed them to :func:`ism_health.report.html_report` (``extras=``).

    Examples
    --------
    >>> from ism_health import fuzzy_micmac
    >>> from ism_health._method_outputs import extra_sections
    >>> fz = fuzzy_micmac([[0, 0.7], [0.3, 0]])
    >>> [(sid, heading) for sid, heading, *_ in extra_sections([fz, fz])]
    [('extra-fuzzy', 'Fuzzy MICMAC'), ('extra-fuzzy-2', 'Fuzzy MICMAC (2)')]
    """
    ids: set[str] = set()
    headings: set[str] = set()
    stems: set[str] = set()
    out: list[ExtraSection] = []
    for x in _check_extras(extras):
        sid = _unique("extra-" + _slug(_prefix(x)).replace("_", "-"), ids).replace(" (", "-").rstrip(")")
        heading = _unique(str(getattr(x, "_output_title", type(x).__name__)), headings)
        tables = {t.caption: t.frame for t in output_tables(x, prefix=_prefix(x), taken_stems=stems)}
        out.append((sid, heading, _summary(x), tables, dict(x.figures())))
    return out


def append_sheets(path: str | os.PathLike[str], extras: Iterable[Any]) -> Path:
    """Add the sheets of every extra to an existing workbook (after its own sheets); returns the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from openpyxl import load_workbook
    >>> from ism_health import analyze, fuzzy_micmac
    >>> from ism_health.datasets import load_example
    >>> from ism_health._method_outputs import append_sheets
    >>> path = analyze(load_example("worked")).to_excel(pathlib.Path(tempfile.mkdtemp()) / "ism.xlsx")
    >>> load_workbook(append_sheets(path, [fuzzy_micmac([[0, 0.7], [0.3, 0]])])).sheetnames[-2:]
    ['Fuzzy rankings', 'Fuzzy convergence']
    """
    from openpyxl import load_workbook

    path = Path(path)
    extras = _check_extras(extras)
    if not extras:
        return path
    wb = load_workbook(path)
    for table in extra_tables(extras, taken_sheets=wb.sheetnames):
        _add_sheet(wb, table)
    return _save_workbook(wb, path)


def write_extras(extras: Iterable[Any], folder: str | os.PathLike[str], formats: Iterable[str]) -> list[Path]:
    """Write the extras' part of an ISM bundle (all but the report, which :func:`extra_sections` feeds).

    ``xlsx``: sheets added to ``ism_result.xlsx`` (written before; extended
    in place, so not listed again);
    ``csv`` / ``tex`` / ``md``: their tables in ``csv/``, ``latex/``,
    ``markdown/`` (names prefixed with the method); ``png`` / ``svg`` /
    ``pdf``: their figures in ``figures/``. Other formats are left alone.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import fuzzy_micmac
    >>> from ism_health._method_outputs import write_extras
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> files = write_extras([fuzzy_micmac([[0, 0.7], [0.3, 0]])], folder, ["md", "svg"])
    >>> sorted(str(p.relative_to(folder)) for p in files)[:2]
    ['figures/fuzzy_micmac_map.svg', 'markdown/fuzzy_convergence.md']
    """
    extras = _check_extras(extras)
    formats = list(formats)
    folder = Path(folder)
    written: list[Path] = []
    if not extras:
        return written
    if "xlsx" in formats:
        append_sheets(folder / "ism_result.xlsx", extras)
    tables = extra_tables(extras)
    if "csv" in formats:
        written += _csv(tables, folder / "csv")
    if "tex" in formats:
        written += write_texts(_latex(tables), folder / "latex", ".tex")
    if "md" in formats:
        written += write_texts(_markdown(tables), folder / "markdown", ".md")
    exts = [f for f in formats if f in _FIGURE_FORMATS]
    names: set[str] = set()
    for x in extras:
        figures = {_unique(_slug(f"{_prefix(x)} {name}" if not name.lower().startswith(_prefix(x).lower()) else name),
                           names): draw for name, draw in x.figures().items()}
        written += _save_figures(figures, folder / "figures", exts)
    return written
