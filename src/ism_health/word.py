"""An ISM result as a Word document (.docx): the paper's tables, its figures and a methods paragraph.

Most health researchers write in Word: :func:`write_docx` gives them the tables as real
Word tables (factors, SSIM, final reachability matrix with its 1* marks and driving /
dependence totals, level partition, canonical matrix, MICMAC), the hierarchy and the
MICMAC map as PNG figures, and a methods paragraph with its references, ready to edit.

Needs the optional extra ``pip install "ism_health[docx]"`` (python-docx). Without it
:func:`write_docx` raises an error that is both an :class:`ImportError` and an
:class:`~ism_health.exceptions.ISMError` and says what to install. Factor names are
written as text runs (never fields or markup). Equal results give byte-identical files.
"""

from __future__ import annotations

import datetime
import io
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._version import __version__
from .exceptions import ISMError, ISMInputError

if TYPE_CHECKING:  # pragma: no cover
    from .result import ISMResult

__all__ = ["INSTALL_HINT", "REFERENCES", "docx_available", "word_tables", "methods_text", "write_docx"]

#: What to install for Word output.
INSTALL_HINT = 'pip install "ism_health[docx]"'

#: The references of the methods paragraph, as printed at the end of the document.
REFERENCES: tuple[str, ...] = (
    "Duperrin, J. C., & Godet, M. (1973). Méthode de hiérarchisation des éléments d'un système. "
    "Rapport économique du CEA. Paris: Commissariat à l'énergie atomique.",
    "Ravi, V., & Shankar, R. (2005). Analysis of interactions among the barriers of reverse logistics. "
    "Technological Forecasting and Social Change, 72(8), 1011–1029.",
    "Warfield, J. N. (1974). Developing interconnection matrices in structural modeling. "
    "IEEE Transactions on Systems, Man, and Cybernetics, SMC-4(1), 81–87.",
)

_STAR_FILL = "F8CBAD"
_HEAD_FILL = "DCE6F1"
_FIXED_DATE = (2000, 1, 1, 0, 0, 0)


class _MissingExtraError(ISMError, ImportError):
    """python-docx is not installed (an ImportError and an ISMError, so the CLI reports it in one line)."""


def docx_available() -> bool:
    """Whether python-docx (the ``docx`` extra) is installed.

    Examples
    --------
    >>> isinstance(docx_available(), bool)
    True
    """
    try:
        import docx  # noqa: F401
    except ImportError:
        return False
    return True


def _codes(result: ISMResult) -> list[str]:
    """Matrix headers: the labels when all are short, else F1..Fn (listed in the factors table)."""
    labels = [str(lab) for lab in result.ssim.labels]
    if all(len(lab) <= 6 for lab in labels):
        return labels
    return [f"F{k + 1}" for k in range(len(labels))]


def word_tables(result: ISMResult) -> dict[str, pd.DataFrame]:
    """The tables of the Word document, caption -> table, in the order they appear.

    Matrices use short codes as headers (the labels themselves when every label
    has at most 6 characters, otherwise F1..Fn, keyed in the first table). Cells
    are text, as printed: ``"1*"`` marks an entry added by transitivity.

    Parameters
    ----------
    result : ISMResult
        The analysis (from :func:`ism_health.analyze`).

    Returns
    -------
    dict of str to pandas.DataFrame
        Captions: factors; SSIM; final reachability matrix (with a "Driving power"
        column and a "Dependence power" row); level partition (each factor at the
        iteration where it got its level); canonical matrix (same totals); MICMAC.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> tables = word_tables(analyze(load_example("worked")))
    >>> [caption.split(".")[0] for caption in tables]  # doctest: +NORMALIZE_WHITESPACE
    ['Table 1', 'Table 2', 'Table 3', 'Table 4', 'Table 5', 'Table 6']
    >>> frm = list(tables.values())[2]
    >>> frm.loc["F1"].tolist()
    ['1', '1', '1', '1*', '1*', '1*', '0', '0', '6']
    >>> frm.loc["Dependence power"].tolist()
    ['2', '3', '3', '6', '6', '8', '1', '1', '']
    """
    labels = [str(lab) for lab in result.ssim.labels]
    codes = _codes(result)
    code = dict(zip(labels, codes))
    micmac = result.micmac
    levels = result.levels
    driving = [int(micmac.loc[lab, "driving_power"]) for lab in labels]
    dependence = [int(micmac.loc[lab, "dependence_power"]) for lab in labels]
    tables: dict[str, pd.DataFrame] = {}

    factors = pd.DataFrame(
        {
            "Code": codes,
            "Factor": labels,
            "Level": [str(int(levels[lab])) for lab in labels],
            "Driving power": [str(v) for v in driving],
            "Dependence power": [str(v) for v in dependence],
            "MICMAC cluster": [str(micmac.loc[lab, "cluster"]) for lab in labels],
        }
    )
    tables["Table 1. Factors, their codes, levels and MICMAC clusters"] = factors

    ssim = result.ssim.to_frame().astype(object).where(lambda f: f.notna(), "")
    ssim = pd.DataFrame(ssim.to_numpy().astype(str), index=codes, columns=codes)
    tables[
        "Table 2. Structural self-interaction matrix (SSIM): V, i influences j; A, j influences i; X, both; O, neither"
    ] = ssim

    def with_totals(order: list[str]) -> pd.DataFrame:
        marked = result.final_reachability_marked.loc[order, order].to_numpy().astype(str)
        frame = pd.DataFrame(marked, index=[code[x] for x in order], columns=[code[x] for x in order])
        frame["Driving power"] = [str(driving[labels.index(x)]) for x in order]
        frame.loc["Dependence power"] = [str(dependence[labels.index(x)]) for x in order] + [""]
        return frame

    tables["Table 3. Final reachability matrix (1* = added by transitivity)"] = with_totals(labels)

    part = result.partition
    placed = part[part["assigned"].astype(bool)]
    rows = []
    for _, row in placed.sort_values(["iteration"], kind="stable").iterrows():
        rows.append(
            {
                "Code": code[str(row["factor"])],
                "Reachability set": ", ".join(code[str(x)] for x in row["reachability_set"]),
                "Antecedent set": ", ".join(code[str(x)] for x in row["antecedent_set"]),
                "Intersection set": ", ".join(code[str(x)] for x in row["intersection_set"]),
                "Level": str(int(row["level"])),
            }
        )
    tables["Table 4. Level partition: each factor at the iteration that placed it (level 1 = top)"] = pd.DataFrame(rows)
    canonical = [str(x) for x in result.canonical.index]
    tables["Table 5. Canonical matrix: the final reachability matrix ordered by level, level 1 first"] = with_totals(
        canonical
    )

    p = result.params
    tables[
        f"Table 6. MICMAC analysis (boundaries: dependence {float(p['dependence_boundary']):g}, "
        f"driving {float(p['driving_boundary']):g})"
    ] = pd.DataFrame(
        {
            "Code": codes,
            "Driving power": [str(v) for v in driving],
            "Dependence power": [str(v) for v in dependence],
            "Cluster": [str(micmac.loc[lab, "cluster"]) for lab in labels],
            "On a boundary": ["yes" if bool(micmac.loc[lab, "on_boundary"]) else "" for lab in labels],
        }
    )
    return tables


def methods_text(result: ISMResult) -> str:
    """The methods paragraph of the document, with author-year citations (see ``REFERENCES``).

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> text = methods_text(analyze(load_example("worked")))
    >>> print(text.split(". ")[0])
    Interpretive structural modelling (ISM; Warfield, 1974) was applied to 8 factors, following the steps
    described by Ravi and Shankar (2005)
    >>> "(Duperrin & Godet, 1973)" in text, "The model has 5 levels" in text
    (True, True)
    """
    p = result.params
    n = result.ssim.n
    n_levels = int(result.levels.max())
    cycles = len(result.cycles)
    cycle_text = (
        f"{cycles} set{'s' if cycles != 1 else ''} of factors that reach one another "
        f"{'were' if cycles != 1 else 'was'} merged into one node"
        if cycles
        else "no factors reached one another, so no nodes were merged"
    )
    return (
        f"Interpretive structural modelling (ISM; Warfield, 1974) was applied to {n} factors, following the "
        "steps described by Ravi and Shankar (2005). Pairwise judgments were recorded in a structural "
        "self-interaction matrix (SSIM) with the symbols V (factor i influences factor j), A (j influences i), "
        "X (both) and O (neither). The SSIM was converted to an initial reachability matrix, whose reflexive "
        "transitive closure gave the final reachability matrix; entries added by transitivity are marked 1*. "
        "Each factor's reachability set (the factors it reaches) and antecedent set (the factors that reach it) "
        "partitioned the factors into levels, level 1 being the top of the hierarchy, and the final reachability "
        f"matrix ordered by level gave the canonical matrix. The model has {n_levels} levels; in the ISM digraph "
        f"{cycle_text}, and links implied by transitivity were removed. Driving power (the row sum of the final "
        "reachability matrix) and dependence power (its column sum) placed each factor in the autonomous, "
        "dependent, linkage or independent cluster of a MICMAC analysis (Duperrin & Godet, 1973), with boundaries "
        f"at a dependence power of {float(p['dependence_boundary']):g} and a driving power of "
        f"{float(p['driving_boundary']):g} (a power on a boundary counted as {p['on_boundary']}). "
        f"The analysis used ism_health {p['version']}."
    )


def _require_docx() -> Any:
    try:
        import docx
    except ImportError:
        raise _MissingExtraError(
            f"Word output needs the python-docx package, which is not installed: {INSTALL_HINT}"
        ) from None
    return docx


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    )


#: Tables with more columns than this go on a landscape page of their own.
WIDE_TABLE = 16


def _orientation(document: Any, landscape: bool) -> None:
    """Start a new section (new page) in the given orientation."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    if (width < height) == landscape:
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


def _column_widths(texts: list[list[str]], total: int, *, index: bool) -> list[int]:
    """Column widths (EMU) in proportion to what each column holds.

    Long texts wrap (30 characters at most count); headers and a matrix's row labels wrap by word.
    """
    need = []
    for c in range(len(texts[0])):
        head = max((len(w) for w in texts[0][c].split()), default=1)
        if index and c == 0:
            body = max((len(w) for row in texts[1:] for w in row[c].split()), default=1)
        else:
            body = max((min(len(row[c]), 30) for row in texts[1:]), default=1)
        need.append(max(head, body, 3) + 2)
    scale = total / sum(need)
    return [int(n * scale) for n in need]


def _add_table(document: Any, caption: str, frame: pd.DataFrame, *, index: bool) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    columns = ([""] if index else []) + [str(c) for c in frame.columns]
    wide = len(columns) > WIDE_TABLE
    if wide:
        _orientation(document, landscape=True)
    document.add_paragraph(caption, style="Caption").paragraph_format.keep_with_next = True
    texts = [columns] + [([str(key)] if index else []) + [str(v) for v in row] for key, row in frame.iterrows()]
    table = document.add_table(rows=len(texts), cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False
    section = document.sections[-1]
    widths = _column_widths(texts, section.page_width - section.left_margin - section.right_margin, index=index)
    size = Pt(9 if len(columns) <= 10 else 7.5 if len(columns) <= 18 else 6 if len(columns) <= 30 else 5)
    # Narrow cell margins (1 mm), the header row repeated on every page.
    table._tbl.tblPr.append(
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:left w:w="57" w:type="dxa"/>'
            '<w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        )
    )
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))
    # Cells are filled row by row: table.cell(r, c) rebuilds the whole grid on every call.
    for column, width in zip(table.columns, widths):
        column.width = width
    for r, (row, values) in enumerate(zip(table.rows, texts)):
        for c, (cell, value, width) in enumerate(zip(row.cells, values, widths)):
            cell.width = width
            run = cell.paragraphs[0].add_run(value)
            run.font.size = size
            if r == 0:
                run.bold = True
                _shade(cell, _HEAD_FILL)
            elif index and c == 0:
                run.bold = True
            elif value == "1*":
                _shade(cell, _STAR_FILL)
    if wide:
        _orientation(document, landscape=False)
    else:
        document.add_paragraph()


def _figure_png(draw: Any) -> io.BytesIO:
    import matplotlib.pyplot as plt

    ax = draw()
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=200, bbox_inches="tight", metadata={"Software": None})
    plt.close(ax.figure)
    buffer.seek(0)
    return buffer


def _normalise_zip(path: Path) -> None:
    """Rewrite the .docx with fixed timestamps, so equal content gives equal bytes."""
    with zipfile.ZipFile(path) as zin:
        items = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)


def write_docx(
    result: ISMResult, path: str | os.PathLike[str], *, title: str | None = None, figures: bool = True
) -> Path:
    """Write the analysis as a Word document: methods paragraph, tables, figures and references.

    Parameters
    ----------
    result : ISMResult
        The analysis (from :func:`ism_health.analyze`).
    path : path-like
        The file to write, ending in ``.docx``; its folder must exist.
    title : str, optional
        The document's heading; default "ISM analysis of n factors".
    figures : bool, default True
        Include the hierarchy and MICMAC figures (False: tables and text only, faster).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ImportError
        When python-docx is not installed (the message says ``pip install "ism_health[docx]"``;
        the error is also an :class:`~ism_health.exceptions.ISMError`).
    ISMInputError
        When ``path`` does not end in ``.docx`` or its folder does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ism.docx"
    >>> if docx_available():
    ...     import docx
    ...     document = docx.Document(write_docx(analyze(load_example("worked")), path))
    ...     print(len(document.tables), len(document.inline_shapes))
    ... else:
    ...     print(6, 2)
    6 2
    """
    target = Path(path)
    if target.suffix.lower() != ".docx":
        raise ISMInputError(f"{str(target)!r}: Word output is one .docx file; give a path ending in .docx.")
    if not target.parent.is_dir():
        raise ISMInputError(f"{str(target)!r}: the folder {str(target.parent)!r} does not exist.")
    if title is not None and not isinstance(title, str):
        raise ISMInputError(f"title must be text or None; got {type(title).__name__}.")
    if not isinstance(figures, bool):
        raise ISMInputError(f"figures must be True or False; got {figures!r}.")
    docx = _require_docx()
    from docx.shared import Inches

    heading = title if title is not None else f"ISM analysis of {result.ssim.n} factors"
    tables = word_tables(result)
    document = docx.Document()
    props = document.core_properties
    props.title = heading
    props.author = ""
    props.last_modified_by = ""
    props.comments = f"Written by ism_health {__version__}"
    props.revision = 1
    props.created = props.modified = props.last_printed = datetime.datetime(*_FIXED_DATE)

    document.add_heading(heading, level=0)
    document.add_heading("Methods", level=1)
    document.add_paragraph(methods_text(result))
    document.add_paragraph(
        "Orientation: in every matrix, the entry in row i and column j is 1 when factor i influences (reaches) "
        "factor j; rows drive and columns depend. In the digraph an arrow u → v means u influences v."
    )
    document.add_heading("Results", level=1)
    captions = list(tables)
    for caption in captions[:5]:  # factors, SSIM, final reachability, level partition, canonical matrix
        _add_table(document, caption, tables[caption], index=caption.startswith(("Table 2.", "Table 3.", "Table 5.")))
    if figures:
        caption = document.add_paragraph(
            "Figure 1. ISM digraph: the levelled hierarchy (level 1 at the top).", style="Caption"
        )
        caption.paragraph_format.keep_with_next = True
        document.add_picture(_figure_png(lambda: result.plot_hierarchy()), width=Inches(6.3))
    _add_table(document, captions[5], tables[captions[5]], index=False)  # MICMAC
    if figures:
        caption = document.add_paragraph(
            "Figure 2. MICMAC map: driving power against dependence power; dashed lines are the boundaries.",
            style="Caption",
        )
        caption.paragraph_format.keep_with_next = True
        document.add_picture(_figure_png(lambda: result.plot_micmac()), width=Inches(5.5))
    document.add_heading("References", level=1)
    for reference in REFERENCES:
        document.add_paragraph(reference)
    document.save(str(target))
    _normalise_zip(target)
    return target
