"""What a table cell holds, decided once for every reader: cell classes and label values.

A cell of an SSIM table, of a 0/1 matrix or of a printed final reachability
matrix is one of a few classes (:data:`ZERO`, :data:`ONE`, :data:`STAR` for
``1*``, the four symbols, :data:`BLANK`, :data:`DASH`, :data:`NUMBER` for any
other number -- ``2``, ``0.5``, ``nan``, ``inf`` -- and :data:`OTHER` for
anything else). The readers store one byte per cell (the class) instead of the
cell's text, so a table of n factors costs n² bytes however it was written,
and the kind of table (symbols, 0/1 matrix, FRM) is decided by counting
classes, never by the first odd cell.

Labels are checked here too: a label must be text (or a number), never a
missing value (``None``, NaN, ``pd.NA``), a list, or text with control
characters or lone surrogates. A label read from a file must also not be the
text that stands for a missing value or an error there (``nan``, ``#N/A``:
:data:`MISSING_TEXTS`). Everything here is private to the package.
"""

from __future__ import annotations

import math
import numbers
import unicodedata
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

from ._symbols import CODE, INVALID
from .exceptions import ISMInputError

__all__ = [
    "ZERO",
    "ONE",
    "STAR",
    "V",
    "A",
    "X",
    "O",
    "BLANK",
    "DASH",
    "NUMBER",
    "OTHER",
    "classify",
    "classify_array",
    "classify_row",
    "SYMBOL_CODE",
    "TOKEN_TEXT",
    "label_problem",
    "check_label_values",
    "MISSING_TEXTS",
    "missing_text_problems",
]

ZERO, ONE, STAR, V, A, X, O, BLANK, DASH, NUMBER, OTHER = range(11)

#: Class -> the code of :mod:`ism_health._symbols` (V/A/X/O, BLANK, DASH; everything else INVALID).
SYMBOL_CODE = np.full(11, INVALID, dtype=np.int8)
for _cls, _code in ((V, CODE["V"]), (A, CODE["A"]), (X, CODE["X"]), (O, CODE["O"]), (BLANK, -1), (DASH, -2)):
    SYMBOL_CODE[_cls] = _code

#: How an error message quotes a cell of a class whose text is always the same.
TOKEN_TEXT = {
    ZERO: "'0'",
    ONE: "'1'",
    STAR: "'1*'",
    V: "'V'",
    A: "'A'",
    X: "'X'",
    O: "'O'",
    BLANK: "blank",
    DASH: "'-'",
}

_EXACT: dict[Any, int] = {
    "0": ZERO,
    "1": ONE,
    "1*": STAR,
    "": BLANK,
    "-": DASH,
    None: BLANK,
    0: ZERO,
    1: ONE,
    "0.0": ZERO,
    "1.0": ONE,
}
for _s, _cls in (("V", V), ("A", A), ("X", X), ("O", O)):
    _EXACT[_s] = _EXACT[_s.lower()] = _cls


def classify(value: Any) -> int:
    """The class of one cell (text as read from a file, or a number from a spreadsheet).

    >>> [classify(v) == c for v, c in ((" v ", V), ("1 *", STAR), (1.0, ONE), ("nan", NUMBER), ("Y", OTHER))]
    [True, True, True, True, True]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return BLANK
    if isinstance(value, (bool, np.bool_)):
        return OTHER
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return BLANK
        return ZERO if number == 0 else ONE if number == 1 else NUMBER
    if not isinstance(value, str):
        return OTHER
    text = value.strip()
    if not text:
        return BLANK
    found = _EXACT.get(text.upper())
    if found is not None:
        return found
    compact = "".join(text.split())
    if compact == "1*":
        return STAR
    try:
        number = float(compact)
    except ValueError:
        return OTHER
    return ZERO if number == 0 else ONE if number == 1 else NUMBER


def classify_row(cells: Sequence[Any], out: np.ndarray, prep: Callable[[Any], Any] | None = None) -> list[int]:
    """Classify a row of cells into ``out`` (uint8); return the positions that needed the slow path.

    The common cells ('0', '1', 'V', ... exactly) are one dictionary look-up each;
    the others are passed through ``prep`` (e.g. undoing a CSV escape) and :func:`classify`.
    """
    get = _EXACT.get
    n = len(cells)
    try:
        fast = np.fromiter(map(get, cells, repeat(255, n)), dtype=np.uint8, count=n)
    except TypeError:  # an unhashable cell
        fast = np.full(n, 255, dtype=np.uint8)
    miss = np.flatnonzero(fast == 255).tolist()
    for k in miss:
        fast[k] = classify(prep(cells[k]) if prep is not None else cells[k])
    out[:n] = fast
    return miss


def classify_array(values: np.ndarray) -> np.ndarray:
    """The class of every cell of an array (uint8, same shape), without a Python loop over cells.

    >>> classify_array(np.array([["1", "1*"], [None, 0.5]], dtype=object)).tolist() == [[ONE, STAR], [BLANK, NUMBER]]
    True
    """
    if values.dtype == bool:
        return np.where(values, ONE, ZERO).astype(np.uint8)
    if values.dtype.kind in "iuf":
        out = np.full(values.shape, NUMBER, dtype=np.uint8)
        out[values == 0] = ZERO
        out[values == 1] = ONE
        return out
    flat = values.ravel()
    try:
        codes, uniques = pd.factorize(flat, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists): classify one by one
        return np.array([classify(v) for v in flat], dtype=np.uint8).reshape(values.shape)
    lut = np.array([classify(u) for u in uniques] + [BLANK], dtype=np.uint8)
    return lut[codes].reshape(values.shape)


_ALLOWED_CONTROL = {"\t", "\n", "\r"}


def label_problem(value: Any, pos: int, item: str = "factor label number") -> str | None:
    """Why ``value`` cannot be factor label number ``pos`` (1-based), or None when it can.

    >>> print(label_problem(["a"], 2))
    factor label number 2 is a list (['a']); expected text.
    >>> print(label_problem("a" + chr(0), 1))
    factor label number 1 ('a\\x00') holds the control character U+0000; expected printable text.
    """
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return f"{item} {pos} is blank (a missing value); every factor needs a name."
    if isinstance(value, (str, numbers.Number)) and not isinstance(value, (bool, np.bool_)):
        text = str(value)
        for ch in text:
            cat = unicodedata.category(ch)
            if cat == "Cs":
                return (
                    f"{item} {pos} ({text!r}) holds a lone surrogate U+{ord(ch):04X}, which is not text; "
                    "the file may have been decoded with the wrong encoding."
                )
            if cat == "Cc" and ch not in _ALLOWED_CONTROL:
                return f"{item} {pos} ({text!r}) holds the control character U+{ord(ch):04X}; expected printable text."
        return None
    kinds: dict[type, str] = {list: "a list", tuple: "a tuple", dict: "an object", set: "a set"}
    kind = kinds.get(type(value), type(value).__name__)
    if isinstance(value, (bool, np.bool_)):
        kind = "a boolean"
    return f"{item} {pos} is {kind} ({value!r}); expected text."


def check_label_values(
    labels: Any, *, source: str | None = None, what: str = "labels", item: str = "factor label number"
) -> list[Any]:
    """Reject labels that are not a sequence of text values; return them as a list (not yet stripped).

    >>> check_label_values("ab")
    Traceback (most recent call last):
    ...
    ism_health.exceptions.ISMInputError: labels must be a sequence of factor names; got the string 'ab'
    (that would make one factor per character).
    """
    if isinstance(labels, (str, bytes)):
        raise ISMInputError(
            f"{what} must be a sequence of factor names; got the string {labels!r} "
            "(that would make one factor per character).",
            source=source,
        )
    if isinstance(labels, (pd.Index, pd.Series, np.ndarray)):
        items = list(labels.tolist())
    else:
        try:
            items = list(labels)
        except TypeError:
            raise ISMInputError(
                f"{what} must be a sequence of factor names; got {type(labels).__name__}.", source=source
            ) from None
    problems = [p for pos, v in enumerate(items, start=1) if (p := label_problem(v, pos, item)) is not None]
    if problems:
        raise ISMInputError(problems, source=source)
    return items


#: Label texts that stand for a missing value or a spreadsheet error, never for a factor's name: what pandas reads
#: as missing in a CSV (``pandas.read_csv``'s default ``na_values``), ``NaT``, and Excel's error values. A label
#: cell of a file that holds one of them (after stripping blanks) lost its name on the way to the file.
MISSING_TEXTS = frozenset(
    {
        "nan", "NaN", "-nan", "-NaN", "NA", "<NA>", "N/A", "n/a", "#N/A", "#NA", "#N/A N/A", "NULL", "null", "None",
        "NaT", "1.#IND", "-1.#IND", "1.#QNAN", "-1.#QNAN",
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!",
        "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA",
    }
)  # fmt: skip


def missing_text_problems(
    values: Sequence[Any], item: str = "factor label number", place: Callable[[int], str] | None = None
) -> list[str]:
    """Problems for the labels read from a file whose text stands for a missing value or an error.

    ``place(pos)`` (1-based position) says where the label sits in the file, e.g. ``cell C1``.

    >>> [p.split(",")[0] for p in missing_text_problems(["a", " nan ", "#N/A", "Nancy"])]
    ["factor label number 2 is 'nan'", "factor label number 3 is '#N/A'"]
    """
    out = []
    for pos, value in enumerate(values, start=1):
        if not isinstance(value, str) or value.strip() not in MISSING_TEXTS:
            continue
        text = value.strip()
        what = "or a spreadsheet error" if text.startswith("#") else "(as pandas or a spreadsheet writes it)"
        at = f" ({place(pos)})" if place else ""
        out.append(
            f"{item} {pos}{at} is {text!r}, the text of a missing value {what}, not a factor's name; "
            "expected the factor's name (a factor really named so needs a longer name)."
        )
    return out
