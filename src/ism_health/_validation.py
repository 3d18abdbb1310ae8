"""Input normalisation shared by every public function: one place for the checks.

Turns an ndarray, a list of lists or a labelled DataFrame into ``(values, labels)``
and checks factor labels, reporting problems with labels rather than indices.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .exceptions import ISMInputError

#: Largest number of cells a scipy.sparse matrix may have to be made dense (4 GiB of booleans).
SPARSE_MAX_CELLS: int = 1 << 32


def default_labels(n: int) -> list[str]:
    """Labels used when none are given: ``F1 .. Fn``."""
    return [f"F{k}" for k in range(1, n + 1)]


def _has_default_index(index: pd.Index) -> bool:
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


def check_labels(labels: Sequence[Any], *, source: str | None = None, min_n: int = 2) -> list[str]:
    """Return labels as stripped strings; raise if blank, duplicated or too few."""
    if isinstance(labels, (str, bytes)):  # one string is not a list of names: "ab" is never factors a, b
        raise ISMInputError(
            f"labels must be a list of factor names; got the single string {labels!r:.60}.", source=source
        )
    problems: list[str] = []
    out: list[str] = []
    for pos, lab in enumerate(labels, start=1):
        if lab is None or lab is pd.NA or lab is pd.NaT or (isinstance(lab, (float, np.floating)) and np.isnan(lab)):
            problems.append(f"factor label number {pos} is blank; every factor needs a name.")
            out.append("")
            continue
        text = str(lab).strip()
        if not text:
            problems.append(f"factor label number {pos} is blank; every factor needs a name.")
        out.append(text)
    seen: dict[str, int] = {}
    for pos, text in enumerate(out, start=1):
        if not text:
            continue
        if text in seen:
            problems.append(
                f"factor label {text!r} is used twice (numbers {seen[text]} and {pos}); labels must be unique."
            )
        else:
            seen[text] = pos
    if len(out) < min_n:
        problems.append(f"an ISM needs at least {min_n} factors; got {len(out)}.")
    if problems:
        raise ISMInputError(problems, source=source)
    return out


def as_square(
    data: Any,
    labels: Sequence[Any] | None = None,
    *,
    name: str = "matrix",
    source: str | None = None,
    min_n: int = 2,
) -> tuple[np.ndarray, list[str]]:
    """Normalise a square table to ``(object-or-numeric ndarray, labels)``.

    A DataFrame's index and columns are its labels (unless it has the default
    0..n-1 index, then ``labels`` or ``F1..Fn`` are used); they must agree, in
    the same order. ``labels`` given together with a labelled DataFrame must
    match it.
    """
    frame_labels: list[str] | None = None
    if isinstance(data, pd.DataFrame):
        if not (_has_default_index(data.index) and _has_default_index(data.columns)):
            rows = [str(x).strip() for x in data.index]
            cols = [str(x).strip() for x in data.columns]
            if rows != cols:
                diff = [(r, c) for r, c in zip(rows, cols) if r != c]
                detail = f"first difference: row label {diff[0][0]!r} vs column label {diff[0][1]!r}" if diff else (
                    f"{len(rows)} row labels vs {len(cols)} column labels"
                )
                raise ISMInputError(
                    f"the {name}'s row labels and column labels must be the same factors in the same order; {detail}.",
                    source=source,
                )
            frame_labels = rows
        values = data.to_numpy()
    elif isinstance(data, np.ndarray) or _is_sparse(data):
        values = as_array(data, name)
    else:
        try:
            table = [list(row) for row in data]
        except TypeError:
            raise ISMInputError(
                f"the {name} must be a square table (list of lists, ndarray or DataFrame); got {type(data).__name__}.",
                source=source,
            ) from None
        for pos, row in enumerate(table, start=1):
            if len(row) != len(table):
                raise ISMInputError(
                    f"the {name} must be square: row {pos} has {len(row)} cells but there are {len(table)} rows.",
                    source=source,
                )
        values = np.empty((len(table), len(table)), dtype=object)
        for i, row in enumerate(table):
            values[i, :] = row
    if values.ndim != 2 or values.shape[0] != values.shape[1]:
        raise ISMInputError(
            f"the {name} must be square (n rows and n columns, one per factor); got shape {values.shape}.",
            source=source,
        )
    if values.dtype.kind in "mMV":  # (complex cells are named by the caller's cell check)
        raise ISMInputError(
            f"the {name} must hold 0/1 values or symbols; got dtype {values.dtype}.", source=source
        )
    n = values.shape[0]
    if labels is not None:
        labels = check_labels(labels, source=source, min_n=min_n)
        if len(labels) != n:
            raise ISMInputError(f"{len(labels)} labels given for a {n} x {n} {name}.", source=source)
        if frame_labels is not None and frame_labels != labels:
            raise ISMInputError(
                f"labels given ({labels[:3]}...) differ from the {name}'s own labels ({frame_labels[:3]}...).",
                source=source,
            )
    elif frame_labels is not None:
        labels = check_labels(frame_labels, source=source, min_n=min_n)
    else:
        labels = default_labels(n)
        if n < min_n:
            raise ISMInputError(f"an ISM needs at least {min_n} factors; got {n}.", source=source)
    return values, labels


def _from_sparse(data: Any, name: str) -> np.ndarray:
    """A scipy.sparse matrix made dense, with a size check (a boolean cell per pair)."""
    rows, cols = data.shape
    if rows * cols > SPARSE_MAX_CELLS:
        raise ISMInputError(
            f"the {name} is a scipy.sparse matrix of shape {data.shape}; making it dense would need "
            f"{rows * cols:,} cells (more than {SPARSE_MAX_CELLS:,}). Pass at most 65,536 elements."
        )
    return np.asarray(data.toarray())


def _unmask(data: np.ma.MaskedArray, name: str) -> np.ndarray:
    """The data of a masked array whose mask is empty; a masked entry is refused (never read as 0 or 1)."""
    mask = np.ma.getmaskarray(data)
    if mask.any():
        idx = tuple(int(k) for k in np.argwhere(mask)[0])
        count = int(mask.sum())
        raise ISMInputError(
            f"the {name} is a masked array with {count} masked entr{'y' if count == 1 else 'ies'} "
            f"(first at {idx}); every entry must be 0 or 1 (fill the mask, e.g. with .filled(0), on purpose)."
        )
    return np.asarray(data.data)


def _is_sparse(data: Any) -> bool:
    if not type(data).__module__.startswith("scipy.sparse"):
        return False
    from scipy.sparse import issparse

    return bool(issparse(data))


def as_array(data: Any, name: str) -> Any:
    """An ndarray for a scipy.sparse matrix or a masked array; anything else is returned as it is.

    The shared front door of the numeric API: a sparse matrix is made dense
    (size checked), a masked array is accepted only when nothing is masked.

    Examples
    --------
    >>> import numpy as np
    >>> from ism_health._validation import as_array
    >>> as_array(np.ma.array([[0, 1], [0, 0]]), "matrix").tolist()
    [[0, 1], [0, 0]]
    >>> as_array(np.ma.array([[0, 1], [0, 0]], mask=[[0, 1], [0, 0]]), "matrix")
    Traceback (most recent call last):
    ...
    ism_health.exceptions.ISMInputError: the matrix is a masked array with 1 masked entry (first at (0, 1)); ...
    """
    if np.ma.isMaskedArray(data):
        return _unmask(data, name)
    if _is_sparse(data):
        return _from_sparse(data, name)
    return data


def as_binary(data: Any, name: str = "matrix", *, ndims: tuple[int, ...] = (2, 3)) -> np.ndarray:
    """A square boolean ndarray from 0/1 data, checked: shape (n, n) (or (b, n, n) when 3 is in ``ndims``).

    Accepts booleans, integers and floats equal to 0 or 1, a scipy.sparse matrix
    (made dense) and a masked array with nothing masked. Refuses, naming the
    first bad entry: any other value (2, 0.5, NaN, inf, -1), masked entries,
    ragged lists, and non-numeric dtypes (text, timedelta, datetime, complex,
    objects). A boolean ndarray is returned as it is (no copy).

    Examples
    --------
    >>> from ism_health._validation import as_binary
    >>> as_binary([[0, 1], [0, 0]]).tolist()
    [[False, True], [False, False]]
    >>> as_binary([[0, 1], [0, 2]], "adjacency matrix")
    Traceback (most recent call last):
    ...
    ism_health.exceptions.ISMInputError: adjacency matrix must hold only 0 and 1; entry (1, 1) is np.int64(2).
    """
    a = data
    if not isinstance(a, np.ndarray) or isinstance(a, np.ma.MaskedArray):
        a = as_array(a, name)
        if not isinstance(a, np.ndarray):
            try:
                a = np.asarray(a)
            except (ValueError, TypeError) as exc:
                raise ISMInputError(
                    f"{name} must be a square 0/1 matrix (rows of equal length); could not read it as an array: {exc}"
                ) from None
    if a.ndim not in ndims or a.shape[-1] != a.shape[-2]:
        want = "(n, n) or (b, n, n)" if 3 in ndims else "(n, n)"
        raise ISMInputError(f"{name} must be a square matrix of shape {want}; got shape {a.shape}.")
    if a.dtype == bool:
        return a
    kind = a.dtype.kind
    if kind not in "iuf":
        what = {"m": "timedelta", "M": "datetime", "c": "complex", "O": "Python objects", "U": "text", "S": "bytes"}
        extra = f" ({what[kind]})" if kind in what else ""
        raise ISMInputError(f"{name} must hold 0/1 values; got dtype {a.dtype}{extra}.")
    if a.size:
        if kind in "iu":
            ok = bool(a.min() >= 0) and bool(a.max() <= 1)
        else:
            ok = bool(np.isfinite(a).all()) and bool(np.all((a == 0) | (a == 1)))
        if not ok:
            bad = ~((a == 0) | (a == 1))
            idx = tuple(int(k) for k in np.argwhere(bad)[0])
            raise ISMInputError(f"{name} must hold only 0 and 1; entry {idx} is {a[idx]!r}.")
    return a != 0


def check_choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    """Reject an option that is not one of ``allowed``, listing them."""
    if not isinstance(value, str) or value not in allowed:
        raise ISMInputError(f"{name}={value!r} is not allowed; expected one of {', '.join(map(repr, allowed))}.")
    return value


def check_number(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    integer: bool = False,
    allow_none: bool = False,
) -> Any:
    """Reject an option that is not a finite (integer) number within bounds.

    Returns the value as a plain Python ``int`` or ``float`` (never a numpy
    scalar, so it serialises to JSON), or ``None`` when ``allow_none`` and it is
    ``None``. ``low``/``high`` are inclusive unless ``low_open``/``high_open``.
    """
    if value is None and allow_none:
        return None
    kinds: tuple[type, ...] = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, kinds):
        what = "an integer" if integer else "a number"
        raise ISMInputError(f"{name}={value!r} is not allowed; expected {what}{_bounds(low, high, low_open, high_open)}.")
    num: Any = value
    out: int | float = int(num) if integer else float(num)
    if isinstance(out, float) and not np.isfinite(out):  # an int is finite (np.isfinite fails on one over 2**64)
        raise ISMInputError(f"{name}={value!r} is not allowed; expected a finite number{_bounds(low, high, low_open, high_open)}.")
    if (low is not None and (out < low or (low_open and out == low))) or (
        high is not None and (out > high or (high_open and out == high))
    ):
        raise ISMInputError(f"{name}={value!r} is out of range; expected a number{_bounds(low, high, low_open, high_open)}.")
    if not integer and float(out).is_integer() and isinstance(value, (int, np.integer)):
        return int(out)
    return out


def _bounds(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low:g}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {high:g}")
    return (" " + " and ".join(parts)) if parts else ""
