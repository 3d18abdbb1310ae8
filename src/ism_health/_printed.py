"""Reading the tables a paper prints (FRM, IRM, SSIM, per-factor tables) for :mod:`ism_health.audit`.

Cells are read as printed -- ``1``, ``1*`` (also ``1 *``), ``0`` -- and every problem is
reported with its table, row and column; nothing is corrected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .exceptions import ISMInputError

__all__ = ["read_printed_matrix"]

_CLUSTER_ALIASES = {
    "autonomous": "autonomous",
    "i": "autonomous",
    "1": "autonomous",
    "dependent": "dependent",
    "ii": "dependent",
    "2": "dependent",
    "linkage": "linkage",
    "iii": "linkage",
    "3": "linkage",
    "independent": "independent",
    "driving": "independent",
    "driver": "independent",
    "iv": "independent",
    "4": "independent",
}


def _frame_from(data: Any, name: str) -> tuple[pd.DataFrame, str | None]:
    """A DataFrame of the printed cells (strings or numbers) and the source name."""
    if isinstance(data, (str, Path)):
        path = Path(data)
        if not path.is_file():
            raise ISMInputError(f"{name}: file {str(path)!r} not found.")
        try:
            if path.suffix.lower() in (".xlsx", ".xlsm"):
                frame = pd.read_excel(path, index_col=0, dtype=object, header=0)
            else:
                frame = pd.read_csv(path, index_col=0, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except Exception as exc:  # noqa: BLE001 - pandas, openpyxl, zipfile and the XML parser raise many types
            raise ISMInputError(
                f"{name}: cannot read {str(path)!r} as a table ({type(exc).__name__}: {exc})."
            ) from None
        return frame, str(path)
    if isinstance(data, pd.DataFrame):
        return data, None
    if isinstance(data, (np.ndarray, list, tuple)):
        try:
            rows = [list(r) for r in data]
        except TypeError:
            raise ISMInputError(f"{name}: expected a square table (list of rows); got {type(data).__name__}.") from None
        for pos, row in enumerate(rows, start=1):
            if len(row) != len(rows[0]):  # ragged rows: never padded silently
                raise ISMInputError(
                    f"{name} is not square: row {pos} has {len(row)} cells but row 1 has {len(rows[0])}."
                )
        return pd.DataFrame(rows), None
    raise ISMInputError(f"{name}: expected a list of lists, a DataFrame or a file path; got {type(data).__name__}.")


def _labels_of(frame: pd.DataFrame, labels: Sequence[Any] | None, name: str, source: str | None) -> list[str]:
    n_rows, n_cols = frame.shape
    if n_rows != n_cols:
        raise ISMInputError(f"{name} is not square: {n_rows} rows and {n_cols} columns.", source=source)
    default = isinstance(frame.index, pd.RangeIndex) and isinstance(frame.columns, pd.RangeIndex)
    if default:
        out = [str(x).strip() for x in labels] if labels is not None else [f"F{k}" for k in range(1, n_rows + 1)]
    else:
        rows = [str(x).strip() for x in frame.index]
        cols = [str(x).strip() for x in frame.columns]
        if rows != cols:
            bad = next(((r, c) for r, c in zip(rows, cols) if r != c), ("", ""))
            raise ISMInputError(
                f"{name}: row and column labels differ (row {bad[0]!r} vs column {bad[1]!r}).", source=source
            )
        out = rows
        if labels is not None and [str(x).strip() for x in labels] != out:
            raise ISMInputError(
                f"{name}: its factor labels {out} differ from those of the other tables or of "
                f"labels= ({[str(x).strip() for x in labels]}).",
                source=source,
            )
    if len(out) != n_rows:
        raise ISMInputError(f"{name}: {len(out)} labels for {n_rows} factors.", source=source)
    if len(set(out)) != len(out) or any(not x for x in out):
        raise ISMInputError(f"{name}: factor labels must be unique and non-blank; got {out}.", source=source)
    if n_rows < 2:
        raise ISMInputError(f"{name}: an ISM needs at least 2 factors; got {n_rows}.", source=source)
    return out


def _cell_mark(value: Any) -> str | None:
    """'1', '1*' or '0' for a printed reachability cell; None when unreadable."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)) or (isinstance(value, (float, np.floating)) and float(value).is_integer()):
        return {0: "0", 1: "1"}.get(int(value))
    if isinstance(value, str):
        text = "".join(value.split())
        if text in ("0", "1", "1*", "0.0", "1.0"):
            return text.replace(".0", "")
    return None


def read_printed_matrix(
    data: Any, labels: Sequence[Any] | None = None, *, name: str = "FRM", stars: bool = True
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Read a printed reachability matrix: ``(ones, starred, labels)``.

    Cells may be ``"1"``, ``"1*"`` (also ``"1 *"``), ``"0"`` or the numbers 1 / 0.
    ``ones`` is True where the paper prints 1 or 1*, ``starred`` where it prints 1*.

    Examples
    --------
    >>> from ism_health.audit import read_printed_matrix
    >>> ones, starred, labels = read_printed_matrix([["1", "1"], ["1 *", 1]], labels=["a", "b"])
    >>> ones.astype(int).tolist(), starred.tolist(), labels
    ([[1, 1], [1, 1]], [[False, False], [True, False]], ['a', 'b'])
    """
    frame, source = _frame_from(data, name)
    return _read_marks(frame, source, labels, name, stars)


def _read_marks(
    frame: pd.DataFrame, source: str | None, labels: Sequence[Any] | None, name: str, stars: bool
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    labs = _labels_of(frame, labels, name, source)
    n = len(labs)
    ones = np.zeros((n, n), dtype=bool)
    starred = np.zeros((n, n), dtype=bool)
    problems = []
    values = frame.to_numpy(dtype=object)
    for i in range(n):
        for j in range(n):
            mark = _cell_mark(values[i, j])
            if mark is None or (mark == "1*" and not stars):
                allowed = "'1', '1*' or '0'" if stars else "'1' or '0'"
                problems.append(
                    f"{name} cell (row {labs[i]!r}, column {labs[j]!r}) holds {values[i, j]!r}; expected {allowed}."
                )
                continue
            ones[i, j] = mark != "0"
            starred[i, j] = mark == "1*"
    if problems:
        raise ISMInputError(problems, source=source)
    return ones, starred, labs


def _read_ssim(frame: pd.DataFrame, source: str | None, labels: Sequence[Any] | None) -> tuple[np.ndarray, list[str]]:
    """The IRM that the printed SSIM (V/A/X/O above the diagonal) converts to."""
    labs = _labels_of(frame, labels, "SSIM", source)
    n = len(labs)
    irm = np.eye(n, dtype=bool)
    values = frame.to_numpy(dtype=object)
    problems = []
    for i in range(n):
        for j in range(i + 1, n):
            code = str(values[i, j]).strip().upper() if isinstance(values[i, j], str) else None
            if code not in ("V", "A", "X", "O"):
                problems.append(
                    f"SSIM cell (row {labs[i]!r}, column {labs[j]!r}) holds {values[i, j]!r}; "
                    f"expected V, A, X or O above the diagonal."
                )
                continue
            irm[i, j] = code in ("V", "X")
            irm[j, i] = code in ("A", "X")
    if problems:
        raise ISMInputError(problems, source=source)
    return irm, labs


def _mapping(data: Any, name: str, columns: Sequence[str]) -> pd.DataFrame:
    """A printed per-factor table (levels, powers, clusters) as a DataFrame indexed by factor."""
    if data is None:
        return pd.DataFrame(columns=list(columns))
    if isinstance(data, (str, Path)):
        path = Path(data)
        if not path.is_file():
            raise ISMInputError(f"{name}: file {str(path)!r} not found.")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        return frame.set_index(frame.columns[0])
    if isinstance(data, pd.Series):
        return data.to_frame(columns[0])
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, Mapping):
        return pd.DataFrame({columns[0]: pd.Series(dict(data), dtype=object)})
    raise ISMInputError(
        f"{name}: expected a mapping factor -> value, a Series, a DataFrame or a CSV path; got {type(data).__name__}."
    )


def _int_values(data: Any, name: str, labels: list[str]) -> dict[str, int]:
    frame = _mapping(data, name, [name])
    out: dict[str, int] = {}
    problems = []
    for key, value in zip(frame.index, frame.iloc[:, 0]):
        lab = str(key).strip()
        if lab not in labels:
            problems.append(f"{name}: factor {lab!r} is not one of the matrix's factors {labels}.")
            continue
        try:
            number = float(str(value).strip())
        except ValueError:
            problems.append(f"{name} of {lab!r} is {value!r}; expected a whole number.")
            continue
        if not number.is_integer() or number < 0:
            problems.append(f"{name} of {lab!r} is {value!r}; expected a whole number >= 0.")
            continue
        out[lab] = int(number)
    if problems:
        raise ISMInputError(problems)
    return out


def norm_cluster(value: Any) -> str | None:
    """The cluster name a printed label stands for (None when unknown)."""
    text = str(value).strip().lower()
    for suffix in (" cluster", " factors", " factor", " variables", " quadrant"):
        text = text.removesuffix(suffix)
    return _CLUSTER_ALIASES.get(text.strip())
