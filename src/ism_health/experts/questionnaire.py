"""Excel questionnaires: a form an expert can fill without training.

* :func:`write_questionnaire` writes one form (pairs or matrix style, V/A/X/O
  or yes/no dropdowns, instructions, a hidden sheet that records the factor
  list and its fingerprint), in English, German or texts of your own
  (:mod:`~ism_health.experts.texts`);
* :func:`write_questionnaires` writes one form per expert into a folder, each
  with the expert's ID filled in, and a note for the facilitator;
* :func:`read_factors` reads a factor list (CSV or XLSX, or a built-in list).

The filled forms come back with :func:`~ism_health.read_panel`
(:mod:`~ism_health.experts.forms`). Every text written is stored as text,
never as a formula; an existing file is never overwritten unless asked.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._symbols import cell_text, is_blank
from .._validation import check_choice, check_labels
from ..exceptions import ISMInputError
from ..ssim import SSIM
from .panel import expert_names
from .texts import form_texts

__all__ = ["FORM_FORMAT", "write_questionnaire", "write_questionnaires", "read_factors", "FACILITATOR_NOTE"]

#: The format version written into (and required of) every form's hidden sheet.
FORM_FORMAT = "ism_health.questionnaire/1"
_META_SHEET = "ism_meta"
_HEADER_ROW = 4
_EXPERT_CELL = "B1"
#: The file name of the facilitator's note that :func:`write_questionnaires` writes beside the forms.
FACILITATOR_NOTE = "README_facilitator.txt"
#: The header entries recorded in the hidden sheet so that the reader finds the columns in any language.
_HEADER_KEYS = ("h_first", "h_second", "h_answer", "h_answer1", "h_answer2", "h_comment", "h_interp1", "h_interp2")


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


#: The names of a factor table's label column, in the order they are looked for.
_LABEL_COLUMNS = ("label", "factor", "subcategory", "category", "name")


def _factor_list(factors: Any, source: str | None = None) -> list[_Factor]:
    """Factors from a list of labels, an SSIM, or a DataFrame (label / category / factor, code, description)."""
    if isinstance(factors, SSIM):
        factors = list(factors.labels)
    if isinstance(factors, pd.DataFrame):
        cols = {str(c).strip().lower(): c for c in factors.columns}
        label_col = next((cols[k] for k in _LABEL_COLUMNS if k in cols), None)
        if label_col is None:
            raise ISMInputError(
                "the factor table needs a column 'label' (or 'factor', 'subcategory', 'category', 'name'), "
                "optionally 'code' and "
                f"'description'; got {list(factors.columns)}.",
                source=source,
            )
        labels = check_labels([None if is_blank(v) else v for v in factors[label_col].tolist()], source=source)
        codes = [cell_text(v) for v in factors[cols["code"]].tolist()] if "code" in cols else [""] * len(labels)
        descs = (
            [cell_text(v) for v in factors[cols["description"]].tolist()] if "description" in cols
            else [""] * len(labels)
        )
        seen: dict[str, int] = {}
        problems = []
        for k, c in enumerate(codes):
            if c and c in seen:
                problems.append(
                    f"factor code {c!r} is used twice (factors {seen[c] + 1} and {k + 1}); codes must be unique."
                )
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


def read_factors(
    path: str | os.PathLike[str], *, sheet: str | None = None, sep: str | None = None, encoding: str | None = None
) -> pd.DataFrame:
    """Read a factor list from CSV or XLSX: a column ``label`` (or ``factor``, ``category``, ``name``),
    optionally ``code`` and ``description``.

    ``"builtin:categories"`` and ``"builtin:subcategories"`` name the built-in
    lists of the health-data-sharing study. The header row is the first row
    that is not blank, and rows with no cell filled are skipped (they hold no
    factor); a CSV file's separator is detected (``,`` ``;`` tab)
    unless ``sep`` is given, and its encoding must be UTF-8 unless ``encoding``
    is given (the message names the encoding the file decodes with).

    Raises
    ------
    ISMInputError
        Naming the file (and sheet) and what was expected: a file that is
        empty, damaged, not text in the encoding, without a label column, or
        with blank, duplicated or non-text labels, or a label that is the text
        of a missing value or a spreadsheet error (``nan``, ``#N/A``).

    Examples
    --------
    >>> from ism_health.experts import read_factors
    >>> read_factors("builtin:categories").columns.tolist()
    ['code', 'label', 'description']
    """
    from .._cells import check_label_values, missing_text_problems
    from .._files import csv_unescape
    from .._readers import as_path, open_csv, open_workbook

    if isinstance(path, str) and path.startswith("builtin:"):
        from ..datasets import load_categories, load_subcategories

        which = path.split(":", 1)[1]
        if which == "categories":
            cats = load_categories()
            return pd.DataFrame({"code": cats["code"], "label": cats["category"], "description": ""})
        if which == "subcategories":
            subs = load_subcategories()
            return pd.DataFrame(
                {"code": subs["code"], "label": subs["subcategory"], "description": "category: " + subs["category"]}
            )
        raise ISMInputError(
            f"no built-in factor list {which!r}; expected 'builtin:categories' or 'builtin:subcategories'."
        )
    p = as_path(path, what="a CSV or XLSX factor list (or builtin:categories)", func="read_factors")
    suffix = p.suffix.lower()
    source = str(p)
    if suffix in (".csv", ".tsv"):
        src = open_csv(p, sep="\t" if sep is None and suffix == ".tsv" else sep, encoding=encoding)
        source = src.name
        rows = [[csv_unescape(v) for v in row] for row in src.rows]
    elif suffix in (".xlsx", ".xlsm"):
        wb = open_workbook(p)
        try:
            if not wb.sheetnames:
                raise ISMInputError("the workbook has no readable worksheet; the file may be damaged.", source=source)
            name = sheet if sheet is not None else wb.sheetnames[0]
            if name not in wb.sheetnames:
                raise ISMInputError(f"no sheet {name!r}; the workbook has {wb.sheetnames}.", source=source)
            source = f"{p} [sheet {name!r}]"
            rows = [["" if v is None else v for v in row] for row in wb.rows(name)]
        finally:
            wb.close()
    else:
        raise ISMInputError(f"unknown file type {suffix!r}; expected .csv or .xlsx.", source=source)
    rows = [row for row in rows if any(not is_blank(v) for v in row)]
    if not rows:
        raise ISMInputError(
            "the file is empty; expected a header row with a column 'label' and one factor per row.", source=source
        )
    header = [cell_text(v) for v in rows[0]]
    width = max(len(r) for r in rows)
    body = [list(r) + [""] * (width - len(r)) for r in rows[1:]]
    header = header + [f"column {k + 1}" for k in range(len(header), width)]
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise ISMInputError(
            f"the header row names the column {dup!r} twice; expected label[, code][, description].", source=source
        )
    frame = pd.DataFrame(body, columns=header, dtype=object)
    for col in frame.columns:
        check_label_values(frame[col].tolist(), source=source, what=f"column {col!r}", item=f"column {col!r}, entry")
    named = {h.strip().lower(): h for h in header}
    label_col = next((named[k] for k in _LABEL_COLUMNS if k in named), None)
    item = f"column {label_col!r}, entry"
    gone = [] if label_col is None else missing_text_problems(frame[label_col].tolist(), item=item)
    if gone:
        raise ISMInputError(gone, source=source)
    factors = _factor_list(frame, source=source)
    return pd.DataFrame(
        {
            "code": [f.code for f in factors],
            "label": [f.label for f in factors],
            "description": [f.description for f in factors],
        }
    )


def _put(
    ws: Any, row: int, col: int, value: Any, *, bold: bool = False, fill: str | None = None, wrap: bool = False
) -> Any:
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
    relation: str | None = None,
    style: Literal["pairs", "matrix"] = "pairs",
    answers: Literal["symbols", "yes_no"] = "symbols",
    comments: bool = True,
    interpretations: bool = False,
    expert: str | None = None,
    seed: int | None = None,
    title: str | None = None,
    language: str = "en",
    texts: Mapping[str, str] | None = None,
    overwrite: bool = False,
) -> Path:
    """Write an Excel questionnaire an expert can fill without training.

    The workbook has an ``Instructions`` sheet (the question, the relation
    phrase, what V/A/X/O mean with an example, the steps), a ``Factors`` sheet
    (code, label, description), the answer sheet and a hidden ``ism_meta``
    sheet recording the format version, the factor list (with a fingerprint)
    and the column headers, so :func:`read_panel` can tell forms made for
    another factor list and read forms in any language. Every text is stored
    as text, never as a formula.

    Parameters
    ----------
    factors : list of str, DataFrame or SSIM
        Factor labels; a DataFrame has a column ``label`` (or ``factor``,
        ``category``, ``name``) and optionally ``code`` and ``description``
        (e.g. :func:`ism_health.datasets.load_categories`).
    path : path of the .xlsx file to write
    relation : str, optional
        The contextual relation, as a verb phrase: "A *influences* B";
        default: the language's (``"influences"``, ``"beeinflusst"``).
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
    interpretations : bool, default False
        Ask for the interpretation of every link (TISM, :func:`ism_health.tism`):
        a free-text cell "how / why" for each direction of each pair. Pairs
        style: two columns, ``If first -> second: how / why?`` and ``If second
        -> first: how / why?`` (with ``answers="yes_no"`` each follows its
        own question). Matrix style: a sheet ``Interpretations`` with the
        factors down and across, one text cell per ordered pair (row factor
        influences column factor). The texts are read back as text, verbatim,
        by :func:`~ism_health.read_panel` into :attr:`Panel.interpretations
        <ism_health.Panel.interpretations>`.
    expert : str, optional
        Pre-fill the expert's identifier (cell B1 of the answer sheet).
    seed : int, optional
        Shuffle the order of the pairs with this seed (against order
        effects); default: factor order.
    title : str, optional
        Default: the language's ("ISM expert questionnaire").
    language : {"en", "de"}, default "en"
        The language of every text of the form (:data:`~ism_health.experts.texts.LANGUAGES`).
    texts : mapping, optional
        Replacements for some texts (keys as in
        ``ism_health.experts.texts.LANGUAGES["en"]``), e.g. your own
        translation of the instructions.
    overwrite : bool, default False
        Replace an existing file (by default an existing file, perhaps a
        filled form, is an error).

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
    >>> de = write_questionnaire(["Recht", "Vertrauen"], path.with_name("de.xlsx"), language="de")
    >>> load_workbook(de)["Fragen"]["B4"].value
    'Erster Faktor'

    With ``interpretations=True`` every direction of every pair gets a text cell:

    >>> tism_form = write_questionnaire(["Law", "Trust"], path.with_name("tism.xlsx"), interpretations=True)
    >>> [c.value for c in load_workbook(tism_form)["Questions"][4]][4:]
    ['Answer (V/A/X/O)', 'If first -> second: how / why?', 'If second -> first: how / why?', 'Comment']
    """
    check_choice("style", style, ("pairs", "matrix"))
    check_choice("answers", answers, ("symbols", "yes_no"))
    t = form_texts(language, texts)
    if not isinstance(interpretations, (bool, np.bool_)):
        raise ISMInputError(f"interpretations={interpretations!r} is not allowed; expected True or False.")
    if style == "matrix" and answers == "yes_no":
        raise ISMInputError("answers='yes_no' needs style='pairs'; the matrix form asks for V/A/X/O symbols.")
    if relation is None:
        relation = t["relation"]
    if not isinstance(relation, str) or not relation.strip():
        raise ISMInputError(f"relation={relation!r} is not allowed; expected a verb phrase such as 'influences'.")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise ISMInputError(f"title={title!r} is not allowed; expected a non-empty text.")
    flist = _factor_list(factors)
    path = _check_target(path, overwrite)
    n_pairs = len(flist) * (len(flist) - 1) // 2
    order = np.arange(n_pairs) if seed is None else np.random.default_rng(_check_seed(seed)).permutation(n_pairs)
    return build_form(
        flist, path, t=t, relation=relation.strip(), style=style, answers=answers, comments=comments,
        expert=expert, order=order, title=title if title is not None else t["title"], language=language,
        interpretations=bool(interpretations),
    )


def _check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ISMInputError(f"seed={seed!r} is not allowed; expected a non-negative integer.")
    return int(seed)


def _check_target(path: Any, overwrite: bool) -> Path:
    if path is None or not isinstance(path, (str, os.PathLike)):
        raise ISMInputError(f"path={path!r} is not allowed; expected the path of a .xlsx file.")
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ISMInputError(f"the questionnaire is an Excel workbook; expected a .xlsx path, got {path.name!r}.")
    if path.is_dir():
        raise ISMInputError("is a folder; expected the path of a .xlsx file.", source=str(path))
    if path.exists() and not overwrite:
        raise ISMInputError(
            "exists (perhaps a filled form); choose another name, or overwrite it (overwrite=True, or --force).",
            source=str(path),
        )
    return path


def write_questionnaires(
    factors: Any,
    folder: str | os.PathLike[str],
    experts: Sequence[str] | int,
    *,
    seed: int | None = None,
    overwrite: bool = False,
    **form_options: Any,
) -> list[Path]:
    """Write one form per expert into ``folder``, each with the expert's ID filled in, and a note for the facilitator.

    Each form is :func:`write_questionnaire`'s, named ``<expert>.xlsx``. With
    ``seed`` the pairs are shuffled for each expert differently and
    reproducibly (expert k, counted from 1, gets the seed sequence
    ``(seed, k)``). The folder also gets ``README_facilitator.txt``
    (:data:`FACILITATOR_NOTE`): how to send the forms, collect them and read
    them back (``ism-health panel FOLDER -o results/``), in the form's
    language.

    Parameters
    ----------
    factors : list of str, DataFrame or SSIM
    folder : path
        Created if missing. An existing form of the same name is an error
        unless ``overwrite=True`` (nothing is written then).
    experts : sequence of str, or int
        The experts' IDs, or their number (IDs ``E01, E02, ...``).
    seed : int, optional
    overwrite : bool, default False
    **form_options
        ``relation``, ``style``, ``answers``, ``comments``,
        ``interpretations``, ``title``, ``language``, ``texts`` of
        :func:`write_questionnaire`.

    Returns
    -------
    list of pathlib.Path
        The forms, in expert order (the note is not listed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health.experts import write_questionnaires
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_questionnaires(["Law", "Trust", "Cost"], folder, ["ann", "bob"], seed=1)]
    ['ann.xlsx', 'bob.xlsx']
    >>> sorted(p.name for p in folder.iterdir())
    ['README_facilitator.txt', 'ann.xlsx', 'bob.xlsx']
    """
    allowed = {"relation", "style", "answers", "comments", "interpretations", "title", "language", "texts"}
    unknown = sorted(set(form_options) - allowed)
    if unknown:
        raise ISMInputError(f"unknown form options {unknown}; expected relation, style, answers, comments, "
                            "interpretations, title, language or texts.")
    if isinstance(experts, (int, np.integer)) and not isinstance(experts, bool):
        if experts < 1:
            raise ISMInputError(f"experts={experts!r} is not allowed; expected at least one expert.")
        ids = expert_names(int(experts))
    elif isinstance(experts, (str, bytes)) or not isinstance(experts, Iterable):
        raise ISMInputError(f"experts must be a list of IDs or a number; got {type(experts).__name__}.")
    else:
        ids = [cell_text(e) for e in experts]
    problems = []
    seen: set[str] = set()
    for k, e in enumerate(ids, start=1):
        if not e:
            problems.append(f"expert {k} has a blank ID; expected an identifier for every expert.")
        elif e in seen:
            problems.append(f"expert ID {e!r} is listed twice; expected unique IDs.")
        elif any(ch in e for ch in '<>:"/\\\\|?*') or e in (".", "..") or any(ord(ch) < 32 for ch in e):
            problems.append(f"expert ID {e!r} cannot be a file name; expected letters, digits, '-', '_' or '.'.")
        seen.add(e)
    if not ids:
        problems.append("no experts given; expected at least one expert ID.")
    if problems:
        raise ISMInputError(problems)
    if seed is not None:
        seed = _check_seed(seed)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ISMInputError("exists and is not a folder; expected a folder for the forms.", source=str(folder))
    targets = [folder / f"{e}.xlsx" for e in ids]
    existing = [str(p) for p in targets if p.exists()]
    if existing and not overwrite:
        raise ISMInputError(
            [f"{p}: exists (perhaps a filled form); expected a new file (or overwrite=True, --force)."
             for p in existing]
        )
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, (e, target) in enumerate(zip(ids, targets), start=1):
        k_seed = None if seed is None else int(np.random.SeedSequence([seed, k]).generate_state(1)[0])
        paths.append(write_questionnaire(factors, target, expert=e, seed=k_seed, overwrite=True, **form_options))
    t = form_texts(form_options.get("language", "en"), form_options.get("texts"))
    n = len(_factor_list(factors))
    style = form_options.get("style", "pairs")
    note = t["facilitator"].format(
        n_experts=len(ids), n_factors=n, n_pairs=n * (n - 1) // 2,
        files="\n".join(f"  {p.name}  ({e})" for p, e in zip(paths, ids)), cell=_EXPERT_CELL,
        sheet=t["sheet_questions"] if style == "pairs" else t["sheet_matrix"],
        shuffled=t["shuffled"] if seed is not None else "",
    )
    (folder / FACILITATOR_NOTE).write_text(note, encoding="utf-8")
    return paths


def build_form(
    flist: Sequence[_Factor],
    path: Path,
    *,
    t: Mapping[str, str],
    relation: str,
    style: str,
    answers: str,
    comments: bool,
    expert: str | None,
    order: np.ndarray,
    title: str,
    language: str,
    feedback: Mapping[str, Sequence[Any]] | None = None,
    interpretations: bool = False,
) -> Path:
    """Write the workbook of a form (what :func:`write_questionnaire` and the feedback forms share).

    ``feedback`` (pairs style, V/A/X/O only) adds round-one columns before the
    answer column: ``panel`` (the panel's answers), ``decision`` and ``own``
    (the expert's answer, also filled in as the answer), one entry per pair
    in factor order. ``interpretations`` adds the free-text cells of
    :func:`write_questionnaire` (``interpretations=True``).
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    labels = [f.label for f in flist]
    n = len(labels)
    has_codes = any(f.code for f in flist)
    iu, ju = np.triu_indices(n, 1)
    wb = Workbook()
    ins = wb.active
    ins.title = t["sheet_instructions"]
    a, b = labels[0], labels[1]
    sheet = t["sheet_questions"] if style == "pairs" else t["sheet_matrix"]
    fmt = {"relation": relation, "a": a, "b": b, "sheet": sheet, "cell": _EXPERT_CELL,
           "factors_sheet": t["sheet_factors"], "instructions_sheet": t["sheet_instructions"],
           "interp_sheet": t["sheet_interpretations"]}
    lines = [(title, True), ("", False)]
    if feedback is not None:
        lines += [(t["round2_intro"], False), (t["round2_keep"], False), ("", False)]
    lines += [(t["intro"], False), (t["asked"], False), ("", False)]
    if answers == "symbols":
        lines += [(t["symbols_head"], True), (t["V"], False), (t["A"], False), (t["X"], False), (t["O"], False),
                  ("", False), (t["example"], False)]
    else:
        lines += [(t["yes_no_head"], True), (t["q1_line"], False), (t["q2_line"], False)]
    if style == "matrix":
        lines += [("", False), (t["matrix_line"], False)]
    if interpretations:
        lines += [("", False), (t["interp_head"], True),
                  (t["interp_matrix"] if style == "matrix" else t["interp_pairs"], False)]
    lines += [("", False), (t["steps"], True), (t["step1"], False), (t["step2"], False)]
    if comments and style == "pairs":
        lines.append((t["step3"], False))
    lines.append((t["final"], False))
    for r, (text, bold) in enumerate(lines, start=1):
        _put(ins, r, 1, text.format(**fmt) if text != title else text, bold=bold)
    ins.column_dimensions["A"].width = 110

    ws = wb.create_sheet(sheet)
    _put(ws, 1, 1, t["expert_id"], bold=True)
    _put(ws, 1, 2, expert if expert is not None else "", fill="FFF2CC")
    ws.column_dimensions["B"].width = 30
    yes, no = t["yes"], t["no"]
    if style == "pairs":
        header = [t["h_no"]]
        header += [t["h_code1"], t["h_first"]] if has_codes else [t["h_first"]]
        header += [t["h_code2"], t["h_second"]] if has_codes else [t["h_second"]]
        if feedback is not None:
            header += [t["h_panel"], t["h_decision"], t["h_yours"]]
        i1, i2 = ([t["h_interp1"]], [t["h_interp2"]]) if interpretations else ([], [])
        if answers == "symbols":
            header += [t["h_question"], t["h_answer"], *i1, *i2]
        else:
            header += [t["h_question1"], t["h_answer1"], *i1, t["h_question2"], t["h_answer2"], *i2]
        if comments:
            header += [t["h_comment"]]
        _put(ws, 2, 1, t["pairs_note"].format(**fmt))
        for c, h in enumerate(header, start=1):
            _put(ws, _HEADER_ROW, c, h, bold=True, fill="D9D9D9")
        answer_cols = [header.index(t["h_answer"]) + 1] if answers == "symbols" else [
            header.index(t["h_answer1"]) + 1, header.index(t["h_answer2"]) + 1]
        text_cols = [header.index(h) + 1 for h in (*i1, *i2)]
        for r, p in enumerate(order, start=_HEADER_ROW + 1):
            fa, fb = flist[iu[p]], flist[ju[p]]
            vals: list[Any] = [int(r - _HEADER_ROW)]
            vals += [fa.code, fa.label] if has_codes else [fa.label]
            vals += [fb.code, fb.label] if has_codes else [fb.label]
            if feedback is not None:
                vals += [feedback["panel"][p], feedback["decision"][p], feedback["own"][p] or None]
            q = {"a": fa.label, "b": fb.label, "relation": relation}
            gap = [None] if interpretations else []
            if answers == "symbols":
                vals += [t["question"].format(**q), None, *gap, *gap]
            else:
                vals += [t["question_yes_no"].format(**q), None, *gap,
                         t["question_yes_no"].format(a=fb.label, b=fa.label, relation=relation), None, *gap]
            if comments:
                vals += [None]
            for c, v in enumerate(vals, start=1):
                if v is not None:
                    _put(ws, r, c, v)
            for c in answer_cols:
                own = feedback["own"][p] if feedback is not None else None
                _put(ws, r, c, own or None, fill="FFF2CC")
            for c in text_cols:
                _put(ws, r, c, None, fill="FFF2CC", wrap=True)
        last = _HEADER_ROW + len(order)
        formula = '"V,A,X,O"' if answers == "symbols" else f'"{yes},{no}"'
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error = t["choose_symbol"] if answers == "symbols" else t["choose_yes_no"]
        dv.errorTitle = t["invalid_title"]
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        for c in answer_cols:
            dv.add(f"{get_column_letter(c)}{_HEADER_ROW + 1}:{get_column_letter(c)}{last}")
        widths = {t["h_no"]: 6, t["h_code1"]: 9, t["h_code2"]: 9, t["h_first"]: 38, t["h_second"]: 38,
                  t["h_comment"]: 40, t["h_panel"]: 24, t["h_interp1"]: 45, t["h_interp2"]: 45}
        questions = {t["h_question"], t["h_question1"], t["h_question2"]}
        for c, h in enumerate(header, start=1):
            ws.column_dimensions[get_column_letter(c)].width = 60 if h in questions else widths.get(h, 18)
        ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=1)
    else:
        _put(ws, 2, 1, t["matrix_note"].format(**fmt))
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
        dv.error = t["choose_symbol"]
        dv.errorTitle = t["invalid_title"]
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        for k in range(n - 1):
            r = _HEADER_ROW + 1 + k
            dv.add(f"{get_column_letter(k + 3)}{r}:{get_column_letter(n + 1)}{r}")
        ws.column_dimensions["A"].width = 38
        ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=2)
    if interpretations and style == "matrix":
        _interpretation_sheet(wb.create_sheet(t["sheet_interpretations"]), flist, t, fmt)

    fs = wb.create_sheet(t["sheet_factors"])
    from .._files import write_frame_to_sheet

    write_frame_to_sheet(
        fs,
        pd.DataFrame({t["f_code"]: [f.code for f in flist], t["f_label"]: labels,
                      t["f_description"]: [f.description for f in flist]}),
        index=False,
    )
    fs.column_dimensions["B"].width = 40
    fs.column_dimensions["C"].width = 60

    meta = wb.create_sheet(_META_SHEET)
    items: list[tuple[str, Any]] = [
        ("format", FORM_FORMAT), ("style", style), ("answers", answers), ("relation", relation),
        ("sheet", sheet), ("header_row", _HEADER_ROW), ("fingerprint", _fingerprint(labels)), ("n_factors", n),
        ("language", language), ("round", 2 if feedback is not None else 1), ("yes", yes), ("no", no),
        ("interpretations", int(bool(interpretations))), ("interpretations_sheet", t["sheet_interpretations"]),
    ]
    items += [(k, t[k]) for k in _HEADER_KEYS]
    for r, (key, value) in enumerate(items, start=1):
        _put(meta, r, 1, key)
        _put(meta, r, 2, value)
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


def _interpretation_sheet(ws: Any, flist: Sequence[_Factor], t: Mapping[str, str], fmt: Mapping[str, str]) -> None:
    """The matrix form's text cells: row factor -> column factor, every ordered pair (the diagonal grey)."""
    from openpyxl.utils import get_column_letter

    _put(ws, 2, 1, t["interp_note"].format(**fmt))
    for k, f in enumerate(flist):
        _put(ws, _HEADER_ROW, k + 2, f.label, bold=True, fill="D9D9D9", wrap=True)
        _put(ws, _HEADER_ROW + 1 + k, 1, f.label, bold=True, fill="D9D9D9")
        for m in range(len(flist)):
            _put(ws, _HEADER_ROW + 1 + k, m + 2, None, fill="BFBFBF" if m == k else "FFF2CC", wrap=m != k)
        ws.column_dimensions[get_column_letter(k + 2)].width = 30
    ws.column_dimensions["A"].width = 38
    ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=2)
