"""Filled questionnaires back in: :func:`read_panel` reads the forms of :func:`write_questionnaire` into a Panel.

Every problem in every file is reported at once, each located (file, sheet,
row or cell, expert, pair) with what was expected. What reading decides on its
own is said, never done silently: an expert-ID cell left blank falls back to
the file's name, files in a folder that are not forms are named with the
reason, and unanswered pairs follow the ``missing=`` policy; all of it is kept
in :attr:`Panel.notes <ism_health.Panel.notes>` and shown in the report.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._symbols import CODE, EXPECTED, LETTERS, cell_text, is_blank, mirror, symbol_text
from .._validation import check_choice
from ..exceptions import ISMInputError
from .panel import INTERPRETATION_COLUMNS, NO_ANSWER, Panel
from .questionnaire import (
    _EXPERT_CELL,
    _HEADER_ROW,
    _META_SHEET,
    FACILITATOR_NOTE,
    FORM_FORMAT,
    _factor_list,
    _fingerprint,
)
from .texts import LANGUAGES

__all__ = ["read_panel", "MISSING_POLICIES", "FORM_SUFFIXES"]

#: What :func:`read_panel` does with a pair an expert left blank.
MISSING_POLICIES: tuple[str, ...] = ("error", "drop-pair", "drop-expert")
#: The suffixes of the forms read from a folder (any case).
FORM_SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm")
#: Spreadsheets in another format: an expert's form saved the wrong way, refused with how to save it.
_OTHER_SPREADSHEETS = (".xls", ".ods", ".xlsb", ".fods", ".numbers", ".xltx", ".xltm")
_YES = {"yes": True, "y": True, "no": False, "n": False}
_EN = LANGUAGES["en"]


def _short(items: Sequence[str], k: int = 4) -> str:
    shown = ", ".join(repr(x) for x in list(items)[:k])
    return shown + (", ..." if len(items) > k else "")


@dataclass
class _Form:
    file: str
    expert: str
    labels: tuple[str, ...]
    fingerprint: str
    codes: dict[int, tuple[int, str]]  # pair position -> (code, comment)
    sheet: str
    # the unanswered pairs: (pair, located message, its place among the problems)
    blanks: list[tuple[int, str, int]] = field(default_factory=list)
    id_from_file: bool = False
    round: int = 1
    # the interpretations (TISM): None when the form did not ask for them, else (source, target, text) by index
    texts: list[tuple[int, int, str]] | None = None


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
    from openpyxl.utils import get_column_letter

    from .._readers import open_workbook

    file = str(path)
    try:
        wb = open_workbook(path)  # owns the file handle: a form that fails to load leaves nothing open
    except ISMInputError as exc:
        problems.append(f"{file}: {exc.problems[0]} Expected a form written by write_questionnaire.")
        return None
    try:
        if _META_SHEET not in wb.sheetnames:
            problems.append(
                f"{file}: no sheet {_META_SHEET!r}; expected a form written by ism_health.write_questionnaire "
                "(its hidden sheet records the factor list)."
            )
            return None
        meta, labels = _read_meta(list(wb.rows(_META_SHEET)))
        if meta.get("format") != FORM_FORMAT:
            problems.append(
                f"{file} [sheet {_META_SHEET!r}]: form format is {meta.get('format')!r}; expected {FORM_FORMAT!r}."
            )
            return None
        sheet = meta.get("sheet", "")
        style = meta.get("style", "")
        answers = meta.get("answers", "symbols")
        if sheet not in wb.sheetnames:
            problems.append(
                f"{file}: no sheet {sheet!r}; expected the answer sheet of the form (sheets: {wb.sheetnames})."
            )
            return None
        rows = list(wb.rows(sheet))
        asks_texts = meta.get("interpretations", "0") == "1"
        text_sheet = meta.get("interpretations_sheet", "")
        text_rows: list[list[Any]] | None = None
        if asks_texts and style == "matrix":
            if text_sheet not in wb.sheetnames:
                problems.append(f"{file}: no sheet {text_sheet!r}; expected the interpretations sheet of the form "
                                f"(sheets: {wb.sheetnames}).")
                return None
            text_rows = list(wb.rows(text_sheet))
    except Exception as exc:  # a damaged part of the zip is parsed lazily, here
        problems.append(f"{file}: a part of the workbook cannot be read ({type(exc).__name__}: {exc}); expected an "
                        "intact form (open it in Excel and save it again).")
        return None
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
    id_from_file = not expert
    if id_from_file:
        expert = path.stem.strip()
    expert_name = expert
    blanks: list[tuple[int, str, int]] = []
    n = len(labels)
    index = {lab: k for k, lab in enumerate(labels)}
    pair_pos = {(int(i), int(j)): k for k, (i, j) in enumerate(zip(*np.triu_indices(n, 1)))}
    got: dict[int, tuple[int, str]] = {}
    seen_row: dict[int, int] = {}
    texts: list[tuple[int, int, str]] | None = [] if asks_texts else None

    def pair_text(i: int, j: int) -> str:
        return f"pair ({labels[min(i, j)]!r}, {labels[max(i, j)]!r})"

    listed = _short(labels)
    if style == "pairs":
        head = rows[header_row - 1] if len(rows) >= header_row else []
        head_text = [cell_text(h) for h in head]

        def col(key: str) -> int | None:
            name = meta.get(key) or _EN[key]
            return next((k for k, h in enumerate(head_text) if h == name), None)

        c_a, c_b = col("h_first"), col("h_second")
        ans_cols = [col("h_answer")] if answers == "symbols" else [col("h_answer1"), col("h_answer2")]
        c_com = col("h_comment")
        c_texts = [col("h_interp1"), col("h_interp2")] if asks_texts else []
        if c_a is None or c_b is None or any(c is None for c in [*ans_cols, *c_texts]):
            names = [meta.get(k) or _EN[k] for k in ("h_first", "h_second")]
            problems.append(
                f"{where}, row {header_row}]: the header row lacks {names[0]!r}, {names[1]!r} or the answer column(s); "
                "expected the header written by write_questionnaire (do not edit it)."
            )
            return None
        yes_no = dict(_YES)
        for key, flag in (("yes", True), ("no", False)):
            if meta.get(key):
                yes_no[meta[key].lower()] = flag
        words = f"{meta.get('yes') or 'yes'} or {meta.get('no') or 'no'}"
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
                problems.append(
                    f"{loc}: the first and the second factor are both {fa!r}; expected two different factors."
                )
                continue
            pt = pair_text(i, j)
            p = pair_pos[(min(i, j), max(i, j))]
            if p in seen_row:
                problems.append(
                    f"{loc}, {pt}: the pair is asked again (first in row {seen_row[p]}); expected each pair once."
                )
                continue
            seen_row[p] = excel_row
            if texts is not None:
                for (s_, t_), c in zip(((i, j), (j, i)), c_texts):
                    if not is_blank(row[c]):  # type: ignore[index]
                        texts.append((s_, t_, cell_text(row[c])))  # type: ignore[index]
            if answers == "symbols":
                s = symbol_text(vals[0])
                if s not in CODE:
                    what = "blank" if not s else repr(vals[0])
                    col_l = get_column_letter(ans_cols[0] + 1)  # type: ignore[operator]
                    msg = f"{loc}, {pt}: the answer (cell {col_l}{excel_row}) is {what}; expected {EXPECTED}."
                    blanks.append((p, msg, len(problems))) if not s else problems.append(msg)
                    continue
                code = CODE[s]
            else:
                flags = []
                blank_msgs = []
                for q, (v, c) in enumerate(zip(vals, ans_cols), start=1):
                    t = cell_text(v).lower()
                    if t not in yes_no:
                        what = "blank" if not t else repr(v)
                        msg = (f"{loc}, {pt}: the answer to question {q} (cell {get_column_letter(c + 1)}{excel_row}) "  # type: ignore[operator]
                               f"is {what}; expected {words}.")
                        blank_msgs.append(msg) if not t else problems.append(msg)
                    flags.append(yes_no.get(t))
                if None in flags:
                    if blank_msgs and len(blank_msgs) == flags.count(None):
                        blanks.append((p, " ".join(blank_msgs), len(problems)))
                    else:
                        problems.extend(blank_msgs)
                    continue
                code = int(bool(flags[0])) + 2 * int(bool(flags[1]))
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
        for axis, on_axis in (("column", col_labels), ("row", row_labels)):
            for f in on_axis:
                if f not in index:
                    structural.append(
                        f"{where}, row {header_row}] expert {expert_name!r}: {axis} factor {f!r} is not a factor "
                        f"of this form; expected one of the {n} factors ({listed})."
                    )
            for lab in labels:
                if lab not in on_axis:
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
            invalid = False
            for s, raw, ref in ((su, up, ref_u), (sl, lo, ref_l)):
                if s and s not in CODE and s != "-":
                    problems.append(
                        f"{where}, cell {ref}] expert {expert_name!r}, {pt}: the answer is {raw!r}; "
                        f"expected {EXPECTED}."
                    )
                    invalid = True
            if invalid:
                continue
            cu = CODE.get(su)
            cl = mirror(CODE[sl]) if sl in CODE else None
            if cu is None and cl is None:
                blanks.append((p, f"{loc}: the answer is blank; expected {EXPECTED}.", len(problems)))
                continue
            if cu is not None and cl is not None and cu != cl:
                problems.append(
                    f"{loc}: cell {ref_u} says {su!r} but cell {ref_l} says {sl!r} (the mirror of {su!r} is "
                    f"{LETTERS[mirror(cu)]!r}); expected one answer per pair, above the diagonal."
                )
                continue
            got[p] = (int(cu if cu is not None else cl), "")  # type: ignore[arg-type]
        if texts is not None and text_rows is not None:
            if not _matrix_texts(text_rows, header_row, labels, index, f"{file} [sheet {text_sheet!r}",
                                 expert_name, texts, problems):
                return None
    else:
        problems.append(f"{file} [sheet {_META_SHEET!r}]: unknown form style {style!r}; expected 'pairs' or 'matrix'.")
        return None
    try:
        round_no = int(meta.get("round", "1") or 1)
    except ValueError:
        round_no = 1
    return _Form(file, expert, tuple(labels), fp, got, sheet, blanks, id_from_file, round_no, texts)


def _matrix_texts(rows: list[list[Any]], header_row: int, labels: Sequence[str], index: dict[str, int], where: str,
                  expert: str, texts: list[tuple[int, int, str]], problems: list[str]) -> bool:
    """The text cells of a matrix form's interpretations sheet (row factor -> column factor); False on a problem."""
    head = rows[header_row - 1] if len(rows) >= header_row else []
    cols = [cell_text(v) for v in head[1:]]
    body = rows[header_row:header_row + len(labels)]
    found = [cell_text(r[0]) if r else "" for r in body]
    across, down = sorted(x for x in cols if x), sorted(found)
    if across != sorted(labels) or down != sorted(labels):
        odd = sorted(set(across).symmetric_difference(labels) | set(down).symmetric_difference(labels))
        detail = f"differing: {', '.join(map(repr, odd))}" if odd else "a factor is repeated"
        problems.append(f"{where}, row {header_row}] expert {expert!r}: the factors down the first column and across "
                        f"the header row are not those of the form ({detail}); expected the sheet as "
                        "write_questionnaire wrote it.")
        return False
    for r, row in enumerate(body):
        for c, target in enumerate(cols):
            value = row[c + 1] if c + 1 < len(row) else None
            if target and target != found[r] and not is_blank(value):
                texts.append((index[found[r]], index[target], cell_text(value)))
    return True


def _interpretation_rows(form: _Form, codes: np.ndarray) -> list[tuple[str, str, str, str, str]]:
    """One expert's rows of :attr:`Panel.interpretations`: every link answered, and every text (by status)."""
    labels = form.labels
    n = len(labels)
    given = {(s, t): text for s, t, text in form.texts or []}
    rows = []
    for p, (i, j) in enumerate(zip(*np.triu_indices(n, 1))):
        code = int(codes[p])
        for s, t, holds in ((int(i), int(j), code in (1, 3)), (int(j), int(i), code in (2, 3))):
            text = given.get((s, t), "")
            if code == NO_ANSWER:
                status = "unanswered" if text else ""
            else:
                status = ("given" if text else "missing") if holds else ("no link" if text else "")
            if status:
                rows.append((form.expert, labels[s], labels[t], text, status))
    pos = {lab: k for k, lab in enumerate(labels)}
    rows.sort(key=lambda r: (pos[r[1]], pos[r[2]]))
    return rows


def _collect(paths_or_folder: Any, problems: list[str], notes: list[str]) -> list[Path]:
    """The form files to read; every other file of a folder is named (a note, or a problem for a spreadsheet)."""
    if isinstance(paths_or_folder, (str, os.PathLike)):
        items: list[Any] = [paths_or_folder]
    elif isinstance(paths_or_folder, Sequence) and not isinstance(paths_or_folder, bytes):
        items = list(paths_or_folder)
        if not items:
            raise ISMInputError("no forms given; expected a folder or a list of .xlsx files.")
    else:
        raise ISMInputError(
            f"expected a folder, a form or a list of forms; got {type(paths_or_folder).__name__}."
        )
    paths: list[Path] = []
    for item in items:
        if item is None or not isinstance(item, (str, os.PathLike)):
            problems.append(f"{item!r} is not a path; expected a folder or a .xlsx form.")
            continue
        p = Path(item)
        if p.is_dir():
            found = []
            for q in sorted(p.iterdir(), key=lambda q: q.name):
                why = _not_a_form(q)
                if why is None:
                    found.append(q)
                elif q.suffix.lower() in _OTHER_SPREADSHEETS:
                    problems.append(f"{q}: {why}")
                else:
                    notes.append(f"{q}: not read ({why}).")
            if not found and not any(str(x).startswith(str(p)) for x in problems):
                problems.append(f"{p}: no .xlsx or .xlsm forms in this folder; expected filled questionnaires.")
            paths.extend(found)
        elif not p.exists():
            problems.append(f"{p}: no such file.")
        elif p.suffix.lower() not in FORM_SUFFIXES:
            problems.append(f"{p}: {_not_a_form(p) or 'not a form'}")
        else:
            paths.append(p)
    return paths


def _not_a_form(path: Path) -> str | None:
    """Why a file found in a folder is not read as a form (None: it is read)."""
    name, suffix = path.name, path.suffix.lower()
    if path.is_dir():
        return "a folder; folders inside the folder are not searched"
    if name.startswith("~$"):
        return "an Excel lock file: the form it belongs to may be open in Excel; save and close it"
    if name == FACILITATOR_NOTE:
        return "the facilitator's note"
    if name.startswith("."):
        return "a hidden file"
    if suffix in FORM_SUFFIXES:
        return None
    if suffix in _OTHER_SPREADSHEETS:
        return (f"a {suffix} file is not read; open it in Excel or LibreOffice Calc and save it as an Excel workbook "
                "(.xlsx: File > Save As, type 'Excel Workbook (*.xlsx)'), then read the folder again, or move the "
                "file out of the folder")
    return f"not an Excel form ({suffix or 'no suffix'}); forms end in .xlsx or .xlsm"


def read_panel(
    paths_or_folder: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    factors: Any = None,
    missing: Literal["error", "drop-pair", "drop-expert"] = "error",
) -> Panel:
    """Read filled questionnaires (written by :func:`write_questionnaire`) into a :class:`Panel`.

    Parameters
    ----------
    paths_or_folder : path, folder, or sequence of paths and folders
        A folder is read as every ``.xlsx`` and ``.xlsm`` file in it, whatever
        the case of the suffix, in name order. Every other file in it is named
        with the reason it was not read: a spreadsheet in another format
        (``.xls``, ``.ods``, ...) is an error that says how to save it as
        ``.xlsx``; anything else (the facilitator's note, Excel lock files
        ``~$...``, text files) is a note in :attr:`Panel.notes`.
    factors : list of str, DataFrame or SSIM, optional
        The factor list the forms must have been written for (as given to
        :func:`write_questionnaire`); default: that of the first form read.
    missing : {"error", "drop-pair", "drop-expert"}, default "error"
        A pair an expert left blank: ``"error"`` lists every one (a missing
        answer is never read as ``O``); ``"drop-pair"`` keeps the expert and
        decides the pair by those who answered it (the votes say how many);
        ``"drop-expert"`` leaves out every expert who left a pair blank. What
        was dropped is said in :attr:`Panel.notes`. A form with no answer at
        all is an error under every policy ("not filled in").

    Returns
    -------
    Panel
        Experts in file order, the factor order of the forms; comments kept
        and each expert's ``source`` is the file. A blank expert-ID cell falls
        back to the file's name (without suffix), said in the source and the
        notes. Forms written with ``interpretations=True`` fill
        :attr:`Panel.interpretations <ism_health.Panel.interpretations>`
        (``expert, source, target, interpretation, status``), every text kept
        verbatim: a link answered yes without a text has the status
        ``"missing"`` (not an error), a text written for a direction the
        expert answered no has ``"no link"`` (or ``"unanswered"`` on a pair
        left blank); both are counted in :attr:`Panel.notes`, never dropped.

    Raises
    ------
    ISMInputError
        One error listing every problem in every file, each naming the file,
        sheet, row (or cell), expert and pair and what was expected: blank or
        invalid answers, unknown or missing factors, pairs asked twice or
        missing, two forms with one expert ID (both files named), forms not
        filled in, forms made for a different factor list, files that are not
        forms.

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

    Bob leaves one pair blank: by default an error; with ``missing="drop-pair"``
    the pair is decided by Ann alone.

    >>> wb = load_workbook(folder / "bob.xlsx"); wb["Questions"]["E5"] = None; wb.save(folder / "bob.xlsx")
    >>> read_panel(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ism_health.exceptions.ISMInputError: ...bob.xlsx [sheet 'Questions', row 5] expert 'bob', pair ('Law', ...
    >>> panel = read_panel(folder, missing="drop-pair")
    >>> panel.aggregate().symbol("Law", "Trust"), panel.votes().answered.tolist()
    ('V', [1, 2, 2])

    A form that asks for interpretations (TISM) gives them back per expert:

    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cy.xlsx"
    >>> _ = write_questionnaire(["Law", "Trust"], path, expert="cy", interpretations=True)
    >>> wb = load_workbook(path); ws = wb["Questions"]
    >>> ws["E5"], ws["F5"] = "X", "sets the rules"  # answer X; a text for Law -> Trust only
    >>> wb.save(path)
    >>> read_panel(path).interpretations
      expert source target  interpretation   status
    0     cy    Law  Trust  sets the rules    given
    1     cy  Trust    Law                  missing
    """
    check_choice("missing", missing, MISSING_POLICIES)
    problems: list[str] = []
    notes: list[str] = []
    paths = _collect(paths_or_folder, problems, notes)
    forms: list[_Form] = []
    for p in paths:
        form = _read_form(p, problems)
        if form is None:
            continue
        n_pairs = len(form.labels) * (len(form.labels) - 1) // 2
        if not form.codes and len(form.blanks) == n_pairs:
            problems.append(
                f"{form.file} [sheet {form.sheet!r}]: not filled in (none of the {n_pairs} pairs is answered"
                f"{', and the expert ID is blank' if form.id_from_file else ''}); expected a filled form "
                "(a blank template? move it out of the folder)."
            )
            continue
        if missing == "error":
            for _, msg, at in reversed(form.blanks):
                problems.insert(at, msg)
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
                missing_f = [x for x in ref.labels if x not in f.labels]
                detail = (
                    f"factors only in this form: {only}; missing from it: {missing_f}" if (only or missing_f)
                    else "the same factors in another order"
                )
                problems.append(
                    f"{f.file} [sheet {_META_SHEET!r}] expert {f.expert!r}: this form was made for a different "
                    f"factor list ({len(f.labels)} factors, fingerprint {f.fingerprint}) than {ref.file} "
                    f"({len(ref.labels)} factors, fingerprint {ref.fingerprint}); {detail}. Expected forms written "
                    "from one factor list."
                )
        first_file: dict[str, _Form] = {}
        for f in forms:
            if not f.expert:
                problems.append(f"{f.file} [sheet {f.sheet!r}, row 1]: the expert ID (cell {_EXPERT_CELL}) is blank "
                                "and the file has no name to use instead; expected the expert's identifier.")
            elif f.expert in first_file:
                first = first_file[f.expert]
                how = " (taken from the file name: cell B1 is blank)" if f.id_from_file else ""
                how_first = " (from its file name)" if first.id_from_file else ""
                problems.append(
                    f"{f.file} [sheet {f.sheet!r}, row 1] expert {f.expert!r}{how}: this expert ID is also used in "
                    f"{first.file}{how_first}; expected each expert once (correct the ID or drop one file)."
                )
            else:
                first_file[f.expert] = f
        rounds = sorted({f.round for f in forms})
        if len(rounds) > 1:
            problems.append(
                "the forms mix Delphi rounds "
                + "; ".join(f"round {r}: {', '.join(f.file for f in forms if f.round == r)}" for r in rounds)
                + "; expected the forms of one round."
            )
    if problems:
        raise ISMInputError(problems)
    kept = []
    for f in forms:
        if f.blanks and missing == "drop-expert":
            notes.append(f"expert {f.expert!r} ({f.file}) left out (missing='drop-expert'): {len(f.blanks)} pair(s) "
                         f"unanswered, e.g. {f.blanks[0][1].split('] ', 1)[-1]}")
            continue
        if f.blanks:
            notes.append(f"expert {f.expert!r} ({f.file}): {len(f.blanks)} pair(s) unanswered, decided by the experts "
                         "who answered them (missing='drop-pair').")
        kept.append(f)
    if not kept:
        raise ISMInputError("every expert left some pair blank; missing='drop-expert' leaves no expert. "
                            "Use missing='drop-pair', or complete the forms.")
    labels = kept[0].labels
    n_p = len(labels) * (len(labels) - 1) // 2
    codes = np.zeros((len(kept), n_p), dtype=np.int8)
    comments = np.full(codes.shape, "", dtype=object)
    for row_no, f in enumerate(kept):
        for pos, _, _ in f.blanks:
            codes[row_no, pos] = NO_ANSWER
        for pos, (code, com) in f.codes.items():
            codes[row_no, pos] = code
            comments[row_no, pos] = com
    text_rows: list[tuple[str, str, str, str, str]] = []
    for row_no, f in enumerate(kept):
        if f.texts is None:
            continue
        mine = _interpretation_rows(f, codes[row_no])
        text_rows += mine
        strays = [f"{s!r} -> {t!r}" for _, s, t, _, st in mine if st in ("no link", "unanswered")]
        if strays:
            notes.append(f"expert {f.expert!r} ({f.file}): {len(strays)} interpretation(s) written for a link the "
                         f"expert did not answer yes to ({', '.join(strays[:4])}{', ...' if len(strays) > 4 else ''}); "
                         "kept in Panel.interpretations with status 'no link' or 'unanswered', not used for a link.")
    n_missing = sum(r[4] == "missing" for r in text_rows)
    if n_missing:
        n_links = sum(r[4] in ("given", "missing") for r in text_rows)
        notes.append(f"interpretations: {n_missing} of {n_links} links answered yes have no text (status 'missing' "
                     "in Panel.interpretations).")
    sources = {}
    for f in kept:
        sources[f.expert] = f.file + (" (expert ID blank: the file name is used)" if f.id_from_file else "")
        if f.id_from_file:
            notes.append(f"{f.file}: the expert ID (cell {_EXPERT_CELL}) is blank; the file name {f.expert!r} is used.")
    unanswered = np.flatnonzero((codes == NO_ANSWER).all(axis=0))
    if len(unanswered):
        iu, ju = np.triu_indices(len(labels), 1)
        raise ISMInputError([f"pair ({labels[iu[p]]!r}, {labels[ju[p]]!r}): no expert answered it; expected at "
                             "least one answer." for p in unanswered])
    texts = pd.DataFrame(text_rows, columns=list(INTERPRETATION_COLUMNS)) if any(f.texts is not None for f in kept) \
        else None
    return Panel(labels, [f.expert for f in kept], codes, comments=comments, sources=sources, notes=notes,
                 interpretations=texts)
