"""Excel questionnaires: a form an expert can fill without training, and the filled forms back in.

* :func:`write_questionnaire` writes the form (pairs or matrix style, V/A/X/O
  or yes/no dropdowns, instructions, a hidden sheet that records the factor
  list and its fingerprint);
* :func:`read_panel` reads filled forms back into a :class:`~ism_health.Panel`
  and reports every problem in every file at once;
* :func:`read_factors` reads a factor list (CSV or XLSX, or a built-in list).

Every text written is stored as text, never as a formula.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._symbols import CODE, EXPECTED, LETTERS, cell_text, is_blank, mirror, symbol_text
from .._validation import check_choice, check_labels
from ..exceptions import ISMInputError
from ..ssim import SSIM
from .panel import Panel

__all__ = ["FORM_FORMAT", "write_questionnaire", "read_panel", "read_factors"]

#: The format version written into (and required of) every form's hidden sheet.
FORM_FORMAT = "ism_health.questionnaire/1"
_META_SHEET = "ism_meta"
_PAIRS_SHEET = "Questions"
_MATRIX_SHEET = "Matrix"
_HEADER_ROW = 4
_EXPERT_CELL = "B1"
_YES = {"yes": True, "y": True, "no": False, "n": False}


def _fingerprint(labels: Sequence[str]) -> str:
    """A short, stable fingerprint of an ordered factor list (first 16 hex digits of SHA-256)."""
    return hashlib.sha256("\x1f".join(labels).encode("utf-8")).hexdigest()[:16]


def _short(items: Sequence[str], k: int = 4) -> str:
    shown = ", ".join(repr(x) for x in list(items)[:k])
    return shown + (", ..." if len(items) > k else "")


@dataclass(frozen=True)
class _Factor:
    label: str
    code: str
    description: str


def _factor_list(factors: Any, source: str | None = None) -> list[_Factor]:
    """Factors from a list of labels, an SSIM, or a DataFrame (label / category / factor, code, description)."""
    if isinstance(factors, SSIM):
        factors = list(factors.labels)
    if isinstance(factors, pd.DataFrame):
        cols = {str(c).strip().lower(): c for c in factors.columns}
        label_col = next((cols[k] for k in ("label", "factor", "subcategory", "category", "name") if k in cols), None)
        if label_col is None:
            raise ISMInputError(
                f"the factor table needs a column 'label' (or 'factor', 'subcategory', 'category', 'name'), optionally 'code' and "
                f"'description'; got {list(factors.columns)}.",
                source=source,
            )
        labels = check_labels([None if is_blank(v) else v for v in factors[label_col].tolist()], source=source)
        codes = [cell_text(v) for v in factors[cols["code"]].tolist()] if "code" in cols else [""] * len(labels)
        descs = [cell_text(v) for v in factors[cols["description"]].tolist()] if "description" in cols else [""] * len(labels)
        seen: dict[str, int] = {}
        problems = []
        for k, c in enumerate(codes):
            if c and c in seen:
                problems.append(f"factor code {c!r} is used twice (factors {seen[c] + 1} and {k + 1}); codes must be unique.")
            seen.setdefault(c, k)
        if problems:
            raise ISMInputError(problems, source=source)
        return [_Factor(lab, c, d) for lab, c, d in zip(labels, codes, descs)]
    if isinstance(factors, (str, bytes)) or not isinstance(factors, Iterable):
        raise ISMInputError(
            f"factors must be a list of labels, a DataFrame (label[, code][, description]) or an SSIM; "
            f"got {type(factors).__name__}.",
            source=source,
        )
    return [_Factor(lab, "", "") for lab in check_labels(list(factors), source=source)]


def read_factors(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a factor list from CSV or XLSX: a column ``label`` (or ``factor``, ``category``, ``name``),
    optionally ``code`` and ``description``.

    ``"builtin:categories"`` and ``"builtin:subcategories"`` name the built-in
    lists of the health-data-sharing study.

    Examples
    --------
    >>> from ism_health.experts import read_factors
    >>> read_factors("builtin:categories").columns.tolist()
    ['code', 'label', 'description']
    """
    text = str(path)
    if text.startswith("builtin:"):
        from ..datasets import load_categories, load_subcategories

        which = text.split(":", 1)[1]
        if which == "categories":
            cats = load_categories()
            return pd.DataFrame({"code": cats["code"], "label": cats["category"], "description": ""})
        if which == "subcategories":
            subs = load_subcategories()
            return pd.DataFrame(
                {"code": subs["code"], "label": subs["subcategory"], "description": "category: " + subs["category"]}
            )
        raise ISMInputError(f"no built-in factor list {which!r}; expected 'builtin:categories' or 'builtin:subcategories'.")
    p = Path(path)
    if not p.exists():
        raise ISMInputError("no such file.", source=text)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        frame = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    elif suffix in (".xlsx", ".xlsm"):
        frame = pd.read_excel(p, dtype=str).fillna("")
    else:
        raise ISMInputError(f"unknown file type {suffix!r}; expected .csv or .xlsx.", source=text)
    from .._files import csv_unescape

    frame = frame.map(lambda v: csv_unescape(v) if isinstance(v, str) else v)
    factors = _factor_list(frame, source=text)
    return pd.DataFrame(
        {"code": [f.code for f in factors], "label": [f.label for f in factors], "description": [f.description for f in factors]}
    )


def _put(ws: Any, row: int, col: int, value: Any, *, bold: bool = False, fill: str | None = None, wrap: bool = False) -> Any:
    """Write one cell; strings are always stored as text, never as formulas."""
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Alignment, Font, PatternFill

    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = TYPE_STRING
    else:
        cell.value = value
    if bold:
        cell.font = Font(bold=True)
    if fill:
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def write_questionnaire(
    factors: Any,
    path: str | os.PathLike[str],
    *,
    relation: str = "influences",
    style: Literal["pairs", "matrix"] = "pairs",
    answers: Literal["symbols", "yes_no"] = "symbols",
    comments: bool = True,
    expert: str | None = None,
    seed: int | None = None,
    title: str = "ISM expert questionnaire",
) -> Path:
    """Write an Excel questionnaire an expert can fill without training.

    The workbook has an ``Instructions`` sheet (the question, the relation
    phrase, what V/A/X/O mean with an example, the steps), a ``Factors`` sheet
    (code, label, description), the answer sheet and a hidden ``ism_meta``
    sheet recording the format version and the factor list (with a
    fingerprint), so :func:`read_panel` can tell forms made for another factor
    list. Every text is stored as text, never as a formula.

    Parameters
    ----------
    factors : list of str, DataFrame or SSIM
        Factor labels; a DataFrame has a column ``label`` (or ``factor``,
        ``category``, ``name``) and optionally ``code`` and ``description``
        (e.g. :func:`ism_health.datasets.load_categories`).
    path : path of the .xlsx file to write
    relation : str, default "influences"
        The contextual relation, as a verb phrase: "A *influences* B".
    style : {"pairs", "matrix"}
        ``"pairs"``: sheet ``Questions``, one row per pair with both factor
        names spelled out, the question and an answer dropdown.
        ``"matrix"``: sheet ``Matrix``, the factors down and across, a
        dropdown in every cell above the diagonal (row versus column).
    answers : {"symbols", "yes_no"}
        ``"symbols"``: one V/A/X/O dropdown per pair. ``"yes_no"`` (pairs
        style only): two yes/no questions per pair, one per direction.
    comments : bool, default True
        Add a comment column (pairs style).
    expert : str, optional
        Pre-fill the expert's identifier (cell B1 of the answer sheet).
    seed : int, optional
        Shuffle the order of the pairs with this seed (against order
        effects); default: factor order.
    title : str

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import write_questionnaire
    >>> from ism_health.datasets import load_categories
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "form.xlsx"
    >>> write_questionnaire(load_categories(), path, relation="leads to", seed=1).name
    'form.xlsx'
    >>> from openpyxl import load_workbook
    >>> load_workbook(path).sheetnames
    ['Instructions', 'Questions', 'Factors', 'ism_meta']
    """
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    check_choice("style", style, ("pairs", "matrix"))
    check_choice("answers", answers, ("symbols", "yes_no"))
    if style == "matrix" and answers == "yes_no":
        raise ISMInputError("answers='yes_no' needs style='pairs'; the matrix form asks for V/A/X/O symbols.")
    if not isinstance(relation, str) or not relation.strip():
        raise ISMInputError(f"relation={relation!r} is not allowed; expected a verb phrase such as 'influences'.")
    relation = relation.strip()
    flist = _factor_list(factors)
    labels = [f.label for f in flist]
    n = len(labels)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ISMInputError(f"the questionnaire is an Excel workbook; expected a .xlsx path, got {path.name!r}.")
    has_codes = any(f.code for f in flist)
    iu, ju = np.triu_indices(n, 1)
    order = np.arange(len(iu))
    if seed is not None:
        order = np.random.default_rng(seed).permutation(len(iu))

    wb = Workbook()
    ins = wb.active
    ins.title = "Instructions"
    a, b = labels[0], labels[1]
    sheet = _PAIRS_SHEET if style == "pairs" else _MATRIX_SHEET
    lines = [
        (title, True),
        ("", False),
        (f"For each pair of factors, say whether one {relation} the other.", False),
        (f"The relation asked about: the first factor {relation} the second factor.", False),
        ("", False),
    ]
    if answers == "symbols":
        lines += [
            ("Answer with one letter (choose it from the dropdown):", True),
            (f"V  = the first factor {relation} the second (first -> second)", False),
            (f"A  = the second factor {relation} the first (second -> first)", False),
            (f"X  = both: each {relation} the other (first <-> second)", False),
            (f"O  = neither {relation} the other (no relation)", False),
            ("", False),
            (f"Example: if {a!r} {relation} {b!r} but not the other way round, answer V.", False),
        ]
    else:
        lines += [
            ("Each pair has two questions; answer each with yes or no (choose it from the dropdown):", True),
            (f"Question 1: the first factor {relation} the second (first -> second): yes or no?", False),
            (f"Question 2: the second factor {relation} the first (second -> first): yes or no?", False),
        ]
    if style == "matrix":
        lines += [
            ("", False),
            (f"In the sheet {sheet!r}, each cell above the grey diagonal compares the factor of its ROW (the "
             f"first factor) with the factor of its COLUMN (the second factor).", False),
        ]
    lines += [
        ("", False),
        ("Steps:", True),
        (f"1. Enter your expert ID in cell {_EXPERT_CELL} of the sheet {sheet!r}.", False),
        ("2. Answer every question; none may be left blank. The sheet 'Factors' describes each factor.", False),
    ]
    if comments and style == "pairs":
        lines.append(("3. Optionally explain an answer in the Comment column.", False))
    lines.append(("Then save the file and return it. Do not rename the factors or the sheets.", False))
    for r, (text, bold) in enumerate(lines, start=1):
        _put(ins, r, 1, text, bold=bold)
    ins.column_dimensions["A"].width = 110

    ws = wb.create_sheet(sheet)
    _put(ws, 1, 1, "Expert ID", bold=True)
    _put(ws, 1, 2, expert if expert is not None else "", fill="FFF2CC")
    ws.column_dimensions["B"].width = 30
    if style == "pairs":
        header = ["No."]
        header += ["Code 1", "First factor"] if has_codes else ["First factor"]
        header += ["Code 2", "Second factor"] if has_codes else ["Second factor"]
        if answers == "symbols":
            header += ["Question", "Answer (V/A/X/O)"]
        else:
            header += ["Question 1", "Answer 1 (yes/no)", "Question 2", "Answer 2 (yes/no)"]
        if comments:
            header += ["Comment"]
        _put(ws, 2, 1, "See the sheet 'Instructions'. Answer every row.")
        for c, h in enumerate(header, start=1):
            _put(ws, _HEADER_ROW, c, h, bold=True, fill="D9D9D9")
        answer_cols = [c for c, h in enumerate(header, start=1) if h.startswith("Answer")]
        for r, p in enumerate(order, start=_HEADER_ROW + 1):
            fa, fb = flist[iu[p]], flist[ju[p]]
            vals: list[Any] = [int(r - _HEADER_ROW)]
            vals += [fa.code, fa.label] if has_codes else [fa.label]
            vals += [fb.code, fb.label] if has_codes else [fb.label]
            if answers == "symbols":
                vals += [f"{fa.label!r} vs {fb.label!r}: V (first {relation} second), A (second {relation} first), X (both) or O (neither)?", None]
            else:
                vals += [f"{fa.label!r} {relation} {fb.label!r}: yes or no?", None, f"{fb.label!r} {relation} {fa.label!r}: yes or no?", None]
            if comments:
                vals += [None]
            for c, v in enumerate(vals, start=1):
                if v is not None:
                    _put(ws, r, c, v)
            for c in answer_cols:
                _put(ws, r, c, None, fill="FFF2CC")
        last = _HEADER_ROW + len(order)
        formula = '"V,A,X,O"' if answers == "symbols" else '"yes,no"'
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error = "Choose V, A, X or O." if answers == "symbols" else "Choose yes or no."
        dv.errorTitle = "Invalid answer"
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        from openpyxl.utils import get_column_letter

        for c in answer_cols:
            dv.add(f"{get_column_letter(c)}{_HEADER_ROW + 1}:{get_column_letter(c)}{last}")
        for c, h in enumerate(header, start=1):
            width = {"No.": 6, "Code 1": 9, "Code 2": 9, "First factor": 38, "Second factor": 38, "Comment": 40}.get(h, 18)
            if h.startswith("Question"):
                width = 60
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=1)
    else:
        from openpyxl.utils import get_column_letter

        _put(ws, 2, 1, "Row factor (A) versus column factor (B), above the diagonal. See 'Instructions'.")
        if has_codes:
            for k, f in enumerate(flist):
                _put(ws, _HEADER_ROW - 1, k + 2, f.code)
        for k, f in enumerate(flist):
            _put(ws, _HEADER_ROW, k + 2, f.label, bold=True, fill="D9D9D9")
            _put(ws, _HEADER_ROW + 1 + k, 1, f.label, bold=True, fill="D9D9D9")
            for m in range(k + 1):
                _put(ws, _HEADER_ROW + 1 + k, m + 2, None, fill="BFBFBF")
            for m in range(k + 1, n):
                _put(ws, _HEADER_ROW + 1 + k, m + 2, None, fill="FFF2CC")
        dv = DataValidation(type="list", formula1='"V,A,X,O"', allow_blank=True)
        dv.error = "Choose V, A, X or O."
        dv.errorTitle = "Invalid answer"
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        for k in range(n - 1):
            r = _HEADER_ROW + 1 + k
            dv.add(f"{get_column_letter(k + 3)}{r}:{get_column_letter(n + 1)}{r}")
        ws.column_dimensions["A"].width = 38
        ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=2)

    fs = wb.create_sheet("Factors")
    from .._files import write_frame_to_sheet

    write_frame_to_sheet(
        fs,
        pd.DataFrame({"code": [f.code for f in flist], "label": labels, "description": [f.description for f in flist]}),
        index=False,
    )
    fs.column_dimensions["B"].width = 40
    fs.column_dimensions["C"].width = 60

    meta = wb.create_sheet(_META_SHEET)
    items = [
        ("format", FORM_FORMAT), ("style", style), ("answers", answers), ("relation", relation),
        ("sheet", sheet), ("header_row", _HEADER_ROW), ("fingerprint", _fingerprint(labels)), ("n_factors", n),
    ]
    for r, (k, v) in enumerate(items, start=1):
        _put(meta, r, 1, k)
        _put(meta, r, 2, v)
    start = len(items) + 2
    _put(meta, start, 1, "position")
    _put(meta, start, 2, "label")
    _put(meta, start, 3, "code")
    for k, f in enumerate(flist, start=1):
        _put(meta, start + k, 1, k)
        _put(meta, start + k, 2, f.label)
        _put(meta, start + k, 3, f.code)
    meta.sheet_state = "hidden"
    wb.save(path)
    return path


# ---------------------------------------------------------------------- reading forms
@dataclass
class _Form:
    file: str
    expert: str
    labels: tuple[str, ...]
    fingerprint: str
    codes: dict[int, tuple[int, str]]  # pair position -> (code, comment)
    sheet: str


def _read_meta(rows: list[list[Any]]) -> tuple[dict[str, str], list[str]]:
    meta: dict[str, str] = {}
    k = 0
    while k < len(rows) and rows[k] and not is_blank(rows[k][0]) and cell_text(rows[k][0]) != "position":
        meta[cell_text(rows[k][0])] = cell_text(rows[k][1]) if len(rows[k]) > 1 else ""
        k += 1
    while k < len(rows) and (not rows[k] or cell_text(rows[k][0]) != "position"):
        k += 1
    labels = [cell_text(r[1]) for r in rows[k + 1:] if r and len(r) > 1 and not is_blank(r[1])]
    return meta, labels


def _read_form(path: Path, problems: list[str]) -> _Form | None:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    file = str(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        problems.append(f"{file}: not a readable Excel workbook ({exc}); expected a form written by write_questionnaire.")
        return None
    try:
        if _META_SHEET not in wb.sheetnames:
            problems.append(
                f"{file}: no sheet {_META_SHEET!r}; expected a form written by ism_health.write_questionnaire "
                "(its hidden sheet records the factor list)."
            )
            return None
        meta, labels = _read_meta([list(r) for r in wb[_META_SHEET].iter_rows(values_only=True)])
        if meta.get("format") != FORM_FORMAT:
            problems.append(
                f"{file} [sheet {_META_SHEET!r}]: form format is {meta.get('format')!r}; expected {FORM_FORMAT!r}."
            )
            return None
        sheet = meta.get("sheet", "")
        style = meta.get("style", "")
        answers = meta.get("answers", "symbols")
        if sheet not in wb.sheetnames:
            problems.append(f"{file}: no sheet {sheet!r}; expected the answer sheet of the form (sheets: {wb.sheetnames}).")
            return None
        rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()
    try:
        header_row = int(meta.get("header_row", _HEADER_ROW))
    except ValueError:
        header_row = _HEADER_ROW
    fp = meta.get("fingerprint", "")
    if fp != _fingerprint(labels) or len(labels) < 2:
        problems.append(
            f"{file} [sheet {_META_SHEET!r}]: the recorded factor list ({len(labels)} factors) does not match its "
            f"fingerprint {fp!r}; expected the hidden sheet as write_questionnaire wrote it (do not edit it)."
        )
        return None
    where = f"{file} [sheet {sheet!r}"
    expert = cell_text(rows[0][1]) if rows and len(rows[0]) > 1 else ""
    if not expert:
        problems.append(f"{where}, row 1]: the expert ID (cell {_EXPERT_CELL}) is blank; expected the expert's identifier.")
        expert_name = "?"
    else:
        expert_name = expert
    n = len(labels)
    index = {lab: k for k, lab in enumerate(labels)}
    pair_pos = {(int(i), int(j)): k for k, (i, j) in enumerate(zip(*np.triu_indices(n, 1)))}
    got: dict[int, tuple[int, str]] = {}
    seen_row: dict[int, int] = {}

    def pair_text(i: int, j: int) -> str:
        return f"pair ({labels[min(i, j)]!r}, {labels[max(i, j)]!r})"

    listed = _short(labels)
    if style == "pairs":
        head = rows[header_row - 1] if len(rows) >= header_row else []
        head_text = [cell_text(h) for h in head]

        def col(name: str) -> int | None:
            return next((k for k, h in enumerate(head_text) if h == name or h.startswith(name + " (")), None)

        c_a, c_b = col("First factor"), col("Second factor")
        ans_cols = [col("Answer")] if answers == "symbols" else [col("Answer 1"), col("Answer 2")]
        c_com = col("Comment")
        if c_a is None or c_b is None or any(c is None for c in ans_cols):
            problems.append(
                f"{where}, row {header_row}]: the header row lacks 'First factor', 'Second factor' or the answer column(s); "
                "expected the header written by write_questionnaire (do not edit it)."
            )
            return None
        for r_idx in range(header_row, len(rows)):
            row = rows[r_idx] + [None] * (len(head_text) - len(rows[r_idx]))
            excel_row = r_idx + 1
            fa, fb = cell_text(row[c_a]), cell_text(row[c_b])
            vals = [row[c] for c in ans_cols]  # type: ignore[index]
            if not fa and not fb and all(is_blank(v) for v in vals):
                continue
            loc = f"{where}, row {excel_row}] expert {expert_name!r}"
            bad = [(name, f) for name, f in (("the first factor", fa), ("the second factor", fb)) if f not in index]
            if bad:
                for name, f in bad:
                    found = f"{f!r}, not a factor of this form" if f else "blank"
                    problems.append(f"{loc}: {name} is {found}; expected one of the {n} factors ({listed}).")
                continue
            i, j = index[fa], index[fb]
            if i == j:
                problems.append(f"{loc}: the first and the second factor are both {fa!r}; expected two different factors.")
                continue
            pt = pair_text(i, j)
            p = pair_pos[(min(i, j), max(i, j))]
            if p in seen_row:
                problems.append(f"{loc}, {pt}: the pair is asked again (first in row {seen_row[p]}); expected each pair once.")
                continue
            seen_row[p] = excel_row
            if answers == "symbols":
                s = symbol_text(vals[0])
                if s not in CODE:
                    what = "blank" if not s else repr(vals[0])
                    col_l = get_column_letter(ans_cols[0] + 1)  # type: ignore[operator]
                    problems.append(f"{loc}, {pt}: the answer (cell {col_l}{excel_row}) is {what}; expected {EXPECTED}.")
                    continue
                code = CODE[s]
            else:
                flags = []
                for q, (v, c) in enumerate(zip(vals, ans_cols), start=1):
                    t = cell_text(v).lower()
                    if t not in _YES:
                        what = "blank" if not t else repr(v)
                        problems.append(
                            f"{loc}, {pt}: the answer to question {q} (cell {get_column_letter(c + 1)}{excel_row}) "  # type: ignore[operator]
                            f"is {what}; expected yes or no."
                        )
                    flags.append(_YES.get(t))
                if None in flags:
                    continue
                code = int(flags[0]) + 2 * int(flags[1])
            if i > j:
                code = mirror(code)
            got[p] = (code, cell_text(row[c_com]) if c_com is not None else "")
        for (i, j), p in pair_pos.items():
            if p not in seen_row:
                problems.append(
                    f"{where}] expert {expert_name!r}, {pair_text(i, j)}: no row asks this pair; "
                    f"expected one row per pair ({len(pair_pos)} rows)."
                )
    elif style == "matrix":
        head = rows[header_row - 1] if len(rows) >= header_row else []
        col_labels = [cell_text(v) for v in head[1:]]
        while col_labels and not col_labels[-1]:
            col_labels.pop()
        body = rows[header_row:header_row + len(col_labels)]
        row_labels = [cell_text(r[0]) if r else "" for r in body]
        structural = []
        for axis, found in (("column", col_labels), ("row", row_labels)):
            for f in found:
                if f not in index:
                    structural.append(
                        f"{where}, row {header_row}] expert {expert_name!r}: {axis} factor {f!r} is not a factor "
                        f"of this form; expected one of the {n} factors ({listed})."
                    )
            for lab in labels:
                if lab not in found:
                    structural.append(
                        f"{where}, row {header_row}] expert {expert_name!r}: factor {lab!r} is missing as a {axis}; "
                        "expected every factor down the first column and across the header row."
                    )
        if structural:
            problems.extend(structural)
            return None
        rpos = {f: k for k, f in enumerate(row_labels)}
        cpos = {f: k for k, f in enumerate(col_labels)}

        def cell(i: int, j: int) -> tuple[Any, str]:
            r, c = rpos[labels[i]], cpos[labels[j]]
            row = body[r]
            value = row[c + 1] if c + 1 < len(row) else None
            return value, f"{get_column_letter(c + 2)}{header_row + 1 + r}"

        for (i, j), p in pair_pos.items():
            (up, ref_u), (lo, ref_l) = cell(i, j), cell(j, i)
            pt = pair_text(i, j)
            loc = f"{where}, cell {ref_u}] expert {expert_name!r}, {pt}"
            su, sl = symbol_text(up), symbol_text(lo)
            bad = False
            for s, raw, ref in ((su, up, ref_u), (sl, lo, ref_l)):
                if s and s not in CODE and s != "-":
                    problems.append(f"{where}, cell {ref}] expert {expert_name!r}, {pt}: the answer is {raw!r}; expected {EXPECTED}.")
                    bad = True
            if bad:
                continue
            cu = CODE.get(su)
            cl = mirror(CODE[sl]) if sl in CODE else None
            if cu is None and cl is None:
                problems.append(f"{loc}: the answer is blank; expected {EXPECTED}.")
                continue
            if cu is not None and cl is not None and cu != cl:
                problems.append(
                    f"{loc}: cell {ref_u} says {su!r} but cell {ref_l} says {sl!r} (the mirror of {su!r} is "
                    f"{LETTERS[mirror(cu)]!r}); expected one answer per pair, above the diagonal."
                )
                continue
            got[p] = (cu if cu is not None else cl, "")  # type: ignore[arg-type]
    else:
        problems.append(f"{file} [sheet {_META_SHEET!r}]: unknown form style {style!r}; expected 'pairs' or 'matrix'.")
        return None
    return _Form(file, expert, tuple(labels), fp, got, sheet)


def read_panel(
    paths_or_folder: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *, factors: Any = None
) -> Panel:
    """Read filled questionnaires (written by :func:`write_questionnaire`) into a :class:`Panel`.

    Parameters
    ----------
    paths_or_folder : path, folder, or sequence of paths
        A folder is read as every ``*.xlsx`` file in it (Excel lock files
        ``~$...`` skipped), in name order.
    factors : list of str, DataFrame or SSIM, optional
        The factor list the forms must have been written for (as given to
        :func:`write_questionnaire`); default: that of the first form read.

    Returns
    -------
    Panel
        Experts in file order, the factor order of the forms; comments kept
        and each expert's ``source`` is the file.

    Raises
    ------
    ISMInputError
        One error listing every problem in every file, each naming the file,
        sheet, row (or cell), expert and pair and what was expected: blank or
        invalid answers, unknown or missing factors, pairs asked twice or
        missing, blank or duplicated expert IDs, forms made for a different
        factor list, files that are not forms.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from openpyxl import load_workbook
    >>> from ism_health import write_questionnaire, read_panel
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name, answer in (("ann", "V"), ("bob", "O")):
    ...     path = write_questionnaire(["Law", "Trust", "Cost"], folder / f"{name}.xlsx", expert=name)
    ...     wb = load_workbook(path)
    ...     for row in range(5, 8):
    ...         wb["Questions"].cell(row=row, column=5).value = answer
    ...     wb.save(path)
    >>> panel = read_panel(folder)
    >>> panel.experts, panel.aggregate("mode", ties="conservative").symbol("Law", "Trust")
    (('ann', 'bob'), 'O')
    """
    if isinstance(paths_or_folder, (str, os.PathLike)):
        p = Path(paths_or_folder)
        if p.is_dir():
            paths = sorted(q for q in p.glob("*.xlsx") if not q.name.startswith("~$"))
            if not paths:
                raise ISMInputError(f"no .xlsx forms in folder {str(p)!r}; expected filled questionnaires.")
        else:
            paths = [p]
    else:
        paths = [Path(q) for q in paths_or_folder]
        if not paths:
            raise ISMInputError("no forms given; expected a folder or a list of .xlsx files.")
    problems: list[str] = []
    forms: list[_Form] = []
    for p in paths:
        if not p.exists():
            problems.append(f"{p}: no such file.")
            continue
        form = _read_form(p, problems)
        if form is not None:
            forms.append(form)
    if forms:
        if factors is not None:
            ref_labels = tuple(f.label for f in _factor_list(factors))
            ref = _Form("the factor list given", "", ref_labels, _fingerprint(ref_labels), {}, "")
            others = forms
        else:
            ref, others = forms[0], forms[1:]
        for f in others:
            if f.fingerprint != ref.fingerprint or f.labels != ref.labels:
                only = [x for x in f.labels if x not in ref.labels]
                missing = [x for x in ref.labels if x not in f.labels]
                detail = (
                    f"factors only in this form: {only}; missing from it: {missing}" if (only or missing)
                    else "the same factors in another order"
                )
                problems.append(
                    f"{f.file} [sheet {_META_SHEET!r}] expert {f.expert or '?'!r}: this form was made for a different "
                    f"factor list ({len(f.labels)} factors, fingerprint {f.fingerprint}) than {ref.file} "
                    f"({len(ref.labels)} factors, fingerprint {ref.fingerprint}); {detail}. Expected forms written "
                    "from one factor list."
                )
        first_file: dict[str, str] = {}
        for f in forms:
            if not f.expert:
                continue
            if f.expert in first_file:
                problems.append(
                    f"{f.file} [sheet {f.sheet!r}, row 1] expert {f.expert!r}: this expert ID is also used in "
                    f"{first_file[f.expert]}; expected each expert once (correct the ID or drop one file)."
                )
            else:
                first_file[f.expert] = f.file
    if problems:
        raise ISMInputError(problems)
    labels = forms[0].labels
    n_p = len(labels) * (len(labels) - 1) // 2
    codes = np.zeros((len(forms), n_p), dtype=np.int8)
    comments = np.full(codes.shape, "", dtype=object)
    for e, f in enumerate(forms):
        for p, (code, com) in f.codes.items():
            codes[e, p] = code
            comments[e, p] = com
    return Panel(labels, [f.expert for f in forms], codes, comments=comments, sources={f.expert: f.file for f in forms})
