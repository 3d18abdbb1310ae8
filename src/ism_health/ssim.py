"""The structural self-interaction matrix (SSIM): factors and one judgment per pair.

Notation, for the pair (i, j) with i listed before j:

* ``V``: i influences j;
* ``A``: j influences i;
* ``X``: both influence each other;
* ``O``: neither influences the other.

A cell (r, c) anywhere in a table means "row factor r versus column factor c",
so the mirror of ``V`` is ``A`` and ``X`` and ``O`` mirror themselves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _symbols
from ._cells import BLANK, DASH, ONE, STAR, SYMBOL_CODE, ZERO, check_label_values, classify_array, label_problem
from ._files import write_json, write_matrix_csv, write_matrix_xlsx
from ._symbols import CODE, EXPECTED, INVALID, LETTERS, cell_repr, is_blank, mirror, symbol_text
from ._validation import as_binary, as_square, check_labels
from .exceptions import ISMInputError

__all__ = ["SSIM", "SYMBOLS"]

_SSIM_JSON = "ism_health.ssim/1"

#: The four SSIM symbols, each as (row influences column, column influences row).
SYMBOLS: dict[str, tuple[bool, bool]] = _symbols.SYMBOLS

_LETTER = np.array(_symbols.LETTERS)
#: At most this many problems of one kind are listed (then a count of the rest).
_MAX_LISTED = 1000
#: Cells per block in the symbol checks: their temporaries stay near this size, whatever n is.
_BLOCK_CELLS = 1 << 17

CellNamer = Callable[[int, int], str]


def _index_namer(labels: Sequence[str]) -> CellNamer:
    def name(i: int, j: int) -> str:
        return f"cell (row {labels[i]!r}, column {labels[j]!r}; index [{i}, {j}])"

    return name


class SSIM:
    """A structural self-interaction matrix: factor labels and a judgment per pair.

    Build one with :meth:`from_symbols`, :meth:`from_matrix`, :meth:`from_pairs`
    or :func:`ism_health.read_ssim`. An SSIM is immutable; :meth:`revise`
    returns a new one.

    Orientation: ``adjacency[i, j]`` is true when factor i influences factor j
    (rows drive, columns depend).

    Examples
    --------
    >>> from ism_health import SSIM
    >>> s = SSIM.from_symbols([["", "V", "O"], ["", "", "A"], ["", "", ""]], labels=["Law", "Trust", "Cost"])
    >>> s
    SSIM(3 factors: 'Law', 'Trust', 'Cost')
    >>> s.symbol("Trust", "Cost"), s.symbol("Cost", "Trust")
    ('A', 'V')
    >>> s.initial_reachability()
           Law  Trust  Cost
    Law      1      1     0
    Trust    0      1     0
    Cost     0      1     1
    """

    __slots__ = ("_labels", "_adj", "_index")

    def __init__(self, labels: Sequence[str], adjacency: Any) -> None:
        labels = check_labels(check_label_values(labels))
        adj = np.array(as_binary(adjacency, "adjacency", ndims=(2,)), dtype=bool)  # 0/1 only, never "truthy"
        n = len(labels)
        if adj.shape != (n, n):
            raise ISMInputError(f"adjacency must have shape ({n}, {n}) for {n} labels; got {adj.shape}.")
        np.fill_diagonal(adj, False)
        adj.setflags(write=False)
        self._labels = tuple(labels)
        self._adj = adj
        self._index = {lab: k for k, lab in enumerate(labels)}

    @classmethod
    def _from_owned(cls, labels: Sequence[str], adj: np.ndarray) -> SSIM:
        """An SSIM over a boolean array built inside the package (labels checked, diagonal false): no copy."""
        obj = cls.__new__(cls)
        adj.setflags(write=False)
        obj._labels = tuple(labels)
        obj._adj = adj
        obj._index = {lab: k for k, lab in enumerate(obj._labels)}
        return obj

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_symbols(
        cls,
        matrix: Any,
        labels: Sequence[str] | None = None,
        *,
        source: str | None = None,
        _cell: Callable[[Sequence[str]], CellNamer] | None = None,
    ) -> SSIM:
        """Build an SSIM from a square table of V/A/X/O symbols.

        Parameters
        ----------
        matrix : list of lists, ndarray or DataFrame, n x n
            Symbols above the diagonal (case and surrounding spaces ignored).
            Cells below the diagonal and on it may be blank, ``'-'`` or the
            mirror of the cell above (``V`` above means ``A`` below); a pair
            given only below the diagonal is read from there. A labelled
            DataFrame supplies the labels (index and columns must agree).
        labels : sequence of str, optional
            Factor names, when ``matrix`` carries none; default ``F1..Fn``.
        source : str, optional
            Where the table came from (a file name), quoted in error messages.

        Raises
        ------
        ISMInputError
            Listing every problem at once: unknown symbols, missing pairs,
            mirrored cells that contradict each other, bad labels or shape.

        Examples
        --------
        >>> from ism_health import SSIM
        >>> SSIM.from_symbols([["-", "v"], ["a", "-"]], labels=["A1", "A2"]).symbol("A1", "A2")
        'V'
        >>> SSIM.from_symbols([["", "V"], ["V", ""]])
        Traceback (most recent call last):
        ...
        ism_health.exceptions.ISMInputError: cells disagree: cell (row 'F1', column 'F2'; index [0, 1]) is 'V'
        but cell (row 'F2', column 'F1'; index [1, 0]) is 'V'; the mirror of 'V' is 'A'.
        """
        values, labels = _square(matrix, labels, "SSIM", source)
        codes = SYMBOL_CODE[classify_array(values)]
        cell = (_cell or _index_namer)(labels)
        return cls._from_codes(codes, labels, cell, lambda i, j: cell_repr(values[i, j]), source)

    @classmethod
    def _from_codes(
        cls,
        codes: np.ndarray,
        labels: Sequence[str],
        cell: CellNamer,
        shown: Callable[[int, int], str],
        source: str | None,
    ) -> SSIM:
        """The SSIM of an n x n int8 array of symbol codes (with the BLANK, DASH, INVALID markers).

        ``shown(i, j)`` quotes cell (i, j) as it was given, for the messages.
        """
        n = len(labels)
        limit = _MAX_LISTED
        invalid: list[str] = []
        diagonal: list[str] = []
        missing: list[str] = []
        disagree: list[str] = []
        more = 0
        adj = np.zeros((n, n), dtype=bool)
        step = max(1, _BLOCK_CELLS // max(n, 1))  # rows per block: the temporaries stay near a million cells
        cols = np.arange(n)
        for i0 in range(0, n, step):
            i1 = min(n, i0 + step)
            up = codes[i0:i1]
            lo = mirror(codes[:, i0:i1].T)  # lo[i, j] = the mirror of cell (j, i)
            above = cols[None, :] > np.arange(i0, i1)[:, None]
            for i, j in np.argwhere(up == INVALID).tolist():
                i += i0
                if len(invalid) >= limit:
                    more += 1
                    continue
                where = "on the diagonal" if i == j else ("above the diagonal" if i < j else "below the diagonal")
                expected = "blank, '-' or X" if i == j else EXPECTED + (" (or blank, '-')" if i > j else "")
                invalid.append(f"{cell(i, j)} is {shown(i, j)} {where}; expected {expected}.")
            for i in range(i0, i1):
                if codes[i, i] >= 0 and codes[i, i] != CODE["X"]:
                    diagonal.append(f"{cell(i, i)} is {shown(i, i)} on the diagonal; expected blank, '-' or X.")
            given_u, given_l = up >= 0, lo >= 0
            gap = above & ~given_u & ~given_l & (up != INVALID) & (lo != INVALID)
            for i, j in np.argwhere(gap).tolist():
                i += i0
                if len(missing) >= limit:
                    more += 1
                    continue
                missing.append(
                    f"no judgment for the pair ({labels[i]!r}, {labels[j]!r}): {cell(i, j)} is "
                    f"{shown(i, j)}; expected {EXPECTED} (a missing cell is never read as O)."
                )
            for i, j in np.argwhere(above & given_u & given_l & (up != lo)).tolist():
                i += i0
                if len(disagree) >= limit:
                    more += 1
                    continue
                upper, below = int(codes[i, j]), int(codes[j, i])
                disagree.append(
                    f"cells disagree: {cell(i, j)} is {LETTERS[upper]!r} but {cell(j, i)} is {LETTERS[below]!r}; "
                    f"the mirror of {LETTERS[upper]!r} is {LETTERS[mirror(upper)]!r}."
                )
            value = np.where(above & given_u, up, np.where(above & given_l, lo, 0))
            adj[i0:i1] |= (value & 1).astype(bool)
            adj[:, i0:i1] |= (value & 2).astype(bool).T
        problems = invalid + diagonal + missing + disagree
        if more:
            problems.append(f"... and {more} more problems like these.")
        if problems:
            raise ISMInputError(problems, source=source)
        return cls._from_owned(labels, adj)

    @classmethod
    def from_matrix(
        cls,
        matrix: Any,
        labels: Sequence[str] | None = None,
        *,
        source: str | None = None,
        _cell: Callable[[Sequence[str]], CellNamer] | None = None,
    ) -> SSIM:
        """Build an SSIM from a 0/1 initial reachability (direct relation) matrix.

        Entry (i, j) is 1 when factor i influences factor j. The diagonal is
        reflexive by definition (every factor reaches itself), so 0 or 1 there
        is accepted and means the same.

        Examples
        --------
        >>> from ism_health import SSIM
        >>> s = SSIM.from_matrix([[1, 1, 0], [1, 1, 0], [0, 1, 0]], labels=["a", "b", "c"])
        >>> s.symbol("a", "b"), s.symbol("a", "c"), s.symbol("b", "c")
        ('X', 'O', 'A')
        """
        values, labels = _square(matrix, labels, "initial reachability matrix", source)
        cell = (_cell or _index_namer)(labels)
        if values.dtype == bool:
            return cls(labels, values)
        if values.dtype.kind in "iuf":
            bad = ~np.isin(values, (0, 1))
            ok = values == 1
        else:
            parsed = np.full(values.shape, -1, dtype=np.int8)
            for (i, j), v in np.ndenumerate(values):
                if isinstance(v, (bool, np.bool_)):
                    parsed[i, j] = int(v)
                elif isinstance(v, (int, float, np.integer, np.floating)) and v in (0, 1):
                    parsed[i, j] = int(v)
                elif isinstance(v, str) and v.strip() in ("0", "1"):
                    parsed[i, j] = int(v.strip())
            bad = parsed < 0
            ok = parsed == 1
        if bad.any():
            problems = [
                f"{cell(i, j)} is {cell_repr(values[i, j])}; expected 0 or 1." for i, j in np.argwhere(bad)
            ]
            raise ISMInputError(problems, source=source)
        return cls(labels, ok)

    @classmethod
    def from_frm(
        cls,
        matrix: Any,
        labels: Sequence[str] | None = None,
        *,
        source: str | None = None,
        _cell: Callable[[Sequence[str]], CellNamer] | None = None,
    ) -> SSIM:
        """Build an SSIM from a final reachability matrix as papers print it: ``1``, ``1*`` and ``0``.

        The direct relations are the entries printed as ``1`` (off the
        diagonal); the entries marked ``1*`` are the ones transitivity adds.
        Nothing is guessed: the matrix must be transitive, and every ``1*``
        must follow from a chain of direct relations, otherwise every
        offending entry is listed (with the chain that requires it).

        Parameters
        ----------
        matrix : list of lists, ndarray or DataFrame, n x n
            Cells ``1``, ``1*`` (also ``1 *``), ``0``; the diagonal may be 1,
            0, blank or ``'-'``. A labelled DataFrame supplies the labels.
        labels : sequence of str, optional
            Factor names, when ``matrix`` carries none; default ``F1..Fn``.
        source : str, optional
            Where the table came from (a file name), quoted in error messages.

        Raises
        ------
        ISMInputError
            Listing every cell that is not 1, 1* or 0, every entry missing for
            transitivity, and every ``1*`` that no chain of direct relations explains.

        Examples
        --------
        >>> from ism_health import SSIM
        >>> frm = [["1", "1", "1*"], ["0", "1", "1"], ["0", "0", "1"]]
        >>> s = SSIM.from_frm(frm, labels=["a", "b", "c"])
        >>> s.symbol("a", "b"), s.symbol("a", "c"), s.symbol("b", "c")
        ('V', 'O', 'V')
        >>> SSIM.from_frm([["1", "1", "0"], ["0", "1", "1"], ["0", "0", "1"]], labels=["a", "b", "c"])
        Traceback (most recent call last):
        ...
        ism_health.exceptions.ISMInputError: not transitive: 'a' reaches 'c' through a -> b -> c,
        but cell (row 'a', column 'c'; index [0, 2]) is '0'; a final reachability matrix holds 1* there.
        """
        values, labels = _square(matrix, labels, "final reachability matrix", source)
        cell = (_cell or _index_namer)(labels)
        return cls._from_frm_classes(classify_array(values), labels, cell, lambda i, j: cell_repr(values[i, j]), source)

    @classmethod
    def _from_frm_classes(
        cls,
        classes: np.ndarray,
        labels: Sequence[str],
        cell: CellNamer,
        shown: Callable[[int, int], str],
        source: str | None,
    ) -> SSIM:
        """The SSIM of an n x n array of cell classes (see :mod:`ism_health._cells`) of a printed FRM."""
        from .reachability import explain, transitive_closure

        n = len(labels)
        diag = np.eye(n, dtype=bool)
        problems = [
            f"{cell(i, j)} is {shown(i, j)}; expected 1, 1* or 0."
            for i, j in np.argwhere(~diag & ~np.isin(classes, (ZERO, ONE, STAR))).tolist()
        ]
        problems += [
            f"{cell(i, i)} is {shown(i, i)} on the diagonal; expected 1 (or 0, blank, '-')."
            for i in np.flatnonzero(~np.isin(np.diagonal(classes), (ZERO, ONE, BLANK, DASH))).tolist()
        ]
        if problems:
            raise ISMInputError(problems, source=source)
        direct = (classes == ONE) & ~diag
        reach = direct | (classes == STAR) | diag
        limit = 100

        def chain(adj: np.ndarray, i: int, j: int) -> str:
            return " -> ".join(labels[k] for k in explain(adj, i, j))

        missing = np.argwhere(transitive_closure(reach) & ~reach)
        for i, j in missing[:limit].tolist():
            problems.append(
                f"not transitive: {labels[i]!r} reaches {labels[j]!r} through {chain(reach, i, j)}, but "
                f"{cell(i, j)} is {shown(i, j)}; a final reachability matrix holds 1* there."
            )
        if not len(missing):
            unexplained = np.argwhere((classes == STAR) & ~diag & ~transitive_closure(direct))
            for i, j in unexplained[:limit].tolist():
                problems.append(
                    f"{cell(i, j)} is '1*', but no chain of direct relations (the entries printed as 1) leads from "
                    f"{labels[i]!r} to {labels[j]!r}; print it as 1 if the relation is direct."
                )
            missing = unexplained
        if len(missing) > limit:
            problems.append(f"... and {len(missing) - limit} more entries like these.")
        if problems:
            raise ISMInputError(problems, source=source)
        return cls(labels, direct)

    @classmethod
    def from_pairs(
        cls,
        records: Any,
        labels: Sequence[str] | None = None,
        *,
        source: str | None = None,
        _row: Callable[[int], str] | None = None,
    ) -> SSIM:
        """Build an SSIM from long-form records ``(factor_i, factor_j, symbol)``, one per pair.

        Parameters
        ----------
        records : DataFrame or iterable of 3-tuples
            A DataFrame needs columns ``factor_i``, ``factor_j`` and ``symbol``
            (or exactly three columns in that order). A record may list a pair
            in either order: ``(b, a, 'V')`` is the same judgment as ``(a, b, 'A')``.
        labels : sequence of str, optional
            The factors and their order; default: order of first appearance.
            With labels given, a record naming another factor is an error.

        Examples
        --------
        >>> from ism_health import SSIM
        >>> s = SSIM.from_pairs([("a", "b", "V"), ("c", "a", "v"), ("b", "c", "O")])
        >>> s.labels, s.symbol("a", "c")
        (('a', 'b', 'c'), 'A')
        """
        rows = _pair_rows(records, source)
        name = _row or (lambda k: f"record {k + 1}")
        problems: list[str] = []
        if labels is not None:
            labels = check_labels(check_label_values(labels, source=source), source=source)
        else:
            order: dict[str, None] = {}
            for k, (fi, fj, sym) in enumerate(rows):
                for f in (fi, fj):
                    text = _factor_name(f)
                    if text is not None:
                        order.setdefault(text, None)
                    elif not is_blank(f):
                        why = (label_problem(f, 1) or "").split(" is ", 1)[-1]
                        problems.append(
                            f"{name(k)} ({cell_repr(fi)}, {cell_repr(fj)}, {cell_repr(sym)}) names a factor that is "
                            f"not text: {why}"
                        )
            if problems:
                raise ISMInputError(problems, source=source)
            labels = check_labels(list(order), source=source)
        index = {lab: k for k, lab in enumerate(labels)}
        n = len(labels)
        value = np.full((n, n), -1, dtype=np.int8)
        first: dict[tuple[int, int], int] = {}
        for k, (fi, fj, sym) in enumerate(rows):
            names = [_factor_name(f) for f in (fi, fj)]
            where = f"{name(k)} ({cell_repr(fi)}, {cell_repr(fj)}, {cell_repr(sym)})"
            unknown = [f for f in names if f is None or f not in index]
            odd = [label_problem(f, 1) or "" for f in (fi, fj) if not is_blank(f) and _factor_name(f) is None]
            if odd:
                problems.append(f"{where} names a factor that is not text: {odd[0].split(' is ', 1)[-1]}")
                continue
            if unknown:
                what = "a blank factor" if None in unknown else f"unknown factor {unknown[0]!r}"
                problems.append(f"{where} names {what}; expected one of the {n} factors.")
                continue
            i, j = index[str(names[0])], index[str(names[1])]
            if i == j:
                problems.append(f"{where} pairs a factor with itself; expected two different factors.")
                continue
            text = symbol_text(sym) if isinstance(sym, str) else ""
            if text not in CODE:
                problems.append(f"{where} has symbol {cell_repr(sym)}; expected {EXPECTED}.")
                continue
            code = CODE[text] if i < j else mirror(CODE[text])
            key = (min(i, j), max(i, j))
            if key in first:
                problems.append(
                    f"{where} repeats the pair ({labels[key[0]]!r}, {labels[key[1]]!r}) already given in "
                    f"{name(first[key])}; give each pair once."
                )
                continue
            first[key] = k
            value[key] = code
        iu, ju = np.triu_indices(n, 1)
        missing = np.flatnonzero(value[iu, ju] < 0)
        if not problems:
            for k in missing.tolist():
                problems.append(
                    f"no judgment for the pair ({labels[iu[k]]!r}, {labels[ju[k]]!r}); expected a record with "
                    f"{EXPECTED} (a missing pair is never read as O)."
                )
        if problems:
            raise ISMInputError(problems, source=source)
        return cls(labels, _symbols.adjacency_from_codes(value[iu, ju], n, iu, ju))

    # ------------------------------------------------------------------ accessors
    @property
    def labels(self) -> tuple[str, ...]:
        """The factor labels, in order."""
        return self._labels

    @property
    def n_factors(self) -> int:
        """The number of factors (the name :class:`~ism_health.Panel` uses too)."""
        return len(self._labels)

    @property
    def n(self) -> int:
        """The number of factors: an alias of :attr:`n_factors`, kept from version 0.1."""
        return len(self._labels)

    @property
    def adjacency(self) -> np.ndarray:
        """Direct relations as a read-only boolean ndarray, diagonal false."""
        return self._adj

    def symbol(self, factor_i: str, factor_j: str) -> str:
        """The judgment of ``factor_i`` versus ``factor_j`` (V, A, X or O).

        Examples
        --------
        >>> from ism_health import SSIM
        >>> s = SSIM.from_pairs([("Law", "Trust", "V")])
        >>> s.symbol("Law", "Trust"), s.symbol("Trust", "Law")
        ('V', 'A')
        """
        i, j = self._position(factor_i), self._position(factor_j)
        if i == j:
            raise ISMInputError(f"a factor has no judgment with itself ({factor_i!r}).")
        return str(_LETTER[int(self._adj[i, j]) + 2 * int(self._adj[j, i])])

    def _position(self, factor: str) -> int:
        try:
            return self._index[factor]
        except (KeyError, TypeError):
            raise ISMInputError(f"unknown factor {factor!r}; expected one of {list(self._labels)}.") from None

    def initial_reachability(self) -> pd.DataFrame:
        """The initial reachability matrix (reflexive, 0/1 ints) with factor labels.

        Examples
        --------
        >>> from ism_health import SSIM
        >>> SSIM.from_pairs([("Law", "Trust", "X")]).initial_reachability()
               Law  Trust
        Law      1      1
        Trust    1      1
        """
        m = self._adj.astype(np.int64)
        np.fill_diagonal(m, 1)
        return pd.DataFrame(m, index=list(self._labels), columns=list(self._labels))

    def to_frame(self) -> pd.DataFrame:
        """The SSIM as papers print it: symbols above the diagonal, blank elsewhere.

        Examples
        --------
        >>> from ism_health import SSIM
        >>> SSIM.from_matrix([[0, 1], [1, 0]], labels=["p", "q"]).to_frame()
           p  q
        p     X
        q
        """
        n = self.n_factors
        sym = _LETTER[self._adj.astype(np.int8) + 2 * self._adj.T.astype(np.int8)].astype(object)
        sym[np.tril_indices(n)] = ""
        return pd.DataFrame(sym, index=list(self._labels), columns=list(self._labels))

    def to_pairs(self) -> pd.DataFrame:
        """Long form: one row per pair i < j with columns ``factor_i``, ``factor_j``, ``symbol``.

        Examples
        --------
        >>> from ism_health import SSIM
        >>> SSIM.from_matrix([[0, 1, 0], [0, 0, 0], [1, 0, 0]], labels=["a", "b", "c"]).to_pairs()
          factor_i factor_j symbol
        0        a        b      V
        1        a        c      A
        2        b        c      O
        """
        iu, ju = np.triu_indices(self.n_factors, 1)
        codes = _symbols.pair_codes(self._adj, iu, ju)
        labels = np.array(self._labels, dtype=object)
        return pd.DataFrame({"factor_i": labels[iu], "factor_j": labels[ju], "symbol": _LETTER[codes].astype(object)})

    def revise(self, changes: Mapping[tuple[str, str], str]) -> SSIM:
        """A new SSIM with some judgments replaced.

        Parameters
        ----------
        changes : mapping of (factor_i, factor_j) to symbol
            Each pair in either order; the symbol reads as for ``from_pairs``.

        Examples
        --------
        >>> from ism_health import SSIM
        >>> s = SSIM.from_pairs([("a", "b", "V"), ("a", "c", "O"), ("b", "c", "V")])
        >>> s.revise({("c", "a"): "A"}).symbol("a", "c")
        'V'
        """
        pairs = self.to_pairs()
        current = {(a, b): k for k, (a, b) in enumerate(zip(pairs.factor_i, pairs.factor_j))}
        symbols = list(pairs.symbol)
        records = list(zip(pairs.factor_i, pairs.factor_j, symbols))
        for (fi, fj), sym in changes.items():
            i, j = self._position(fi), self._position(fj)
            if i == j:
                raise ISMInputError(f"a factor has no judgment with itself ({fi!r}).")
            key = (fi, fj) if i < j else (fj, fi)
            records[current[key]] = (fi, fj, sym)
        return SSIM.from_pairs(records, labels=self._labels)

    # ------------------------------------------------------------------ output
    def to_csv(self, path: str | os.PathLike[str]) -> None:
        """Write the SSIM as a CSV table (labels in the header row and column; formula-safe).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health import SSIM, read_ssim
        >>> s = SSIM.from_pairs([("Law", "Trust", "V")])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "ssim.csv"
        >>> s.to_csv(path)
        >>> read_ssim(path) == s
        True
        """
        write_matrix_csv(_out_path(path), self.to_frame())

    def to_excel(self, path: str | os.PathLike[str]) -> None:
        """Write the SSIM to an Excel workbook (sheet ``SSIM``; every label stored as text).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health import SSIM, read_ssim
        >>> s = SSIM.from_pairs([("Law", "Trust", "V")])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "ssim.xlsx"
        >>> s.to_excel(path)
        >>> read_ssim(path) == s
        True
        """
        write_matrix_xlsx(_out_path(path), self.to_frame(), sheet="SSIM")

    def to_json(self, path: str | os.PathLike[str]) -> None:
        """Write the SSIM as JSON (labels and one record per pair).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health import SSIM, read_ssim
        >>> s = SSIM.from_pairs([("Law", "Trust", "V")])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "ssim.json"
        >>> s.to_json(path)
        >>> read_ssim(path) == s
        True
        """
        pairs = [list(r) for r in self.to_pairs().itertuples(index=False, name=None)]
        write_json(_out_path(path), {"format": _SSIM_JSON, "labels": list(self.labels), "pairs": pairs})

    # ------------------------------------------------------------------ dunder
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SSIM):
            return NotImplemented
        return self._labels == other._labels and np.array_equal(self._adj, other._adj)

    def __hash__(self) -> int:
        return hash((self._labels, self._adj.tobytes()))

    def __repr__(self) -> str:
        shown = ", ".join(repr(x) for x in self._labels[:4])
        more = ", ..." if self.n_factors > 4 else ""
        return f"SSIM({self.n_factors} factors: {shown}{more})"

    def _repr_html_(self) -> str:
        return f"<p>SSIM, {self.n_factors} factors</p>" + self.to_frame().to_html()


def _pair_rows(records: Any, source: str | None) -> list[tuple[Any, Any, Any]]:
    if isinstance(records, pd.DataFrame):
        cols = [str(c).strip().lower() for c in records.columns]
        wanted = ["factor_i", "factor_j", "symbol"]
        if all(w in cols for w in wanted):
            frame = records.iloc[:, [cols.index(w) for w in wanted]]
        elif len(cols) == 3:
            frame = records
        else:
            raise ISMInputError(
                f"pair records need columns factor_i, factor_j, symbol; got {list(records.columns)}.", source=source
            )
        return [tuple(r) for r in frame.itertuples(index=False, name=None)]
    out = []
    for k, rec in enumerate(records):
        rec = tuple(rec) if not isinstance(rec, str) else (rec,)
        if len(rec) != 3:
            raise ISMInputError(
                f"record {k + 1} is {rec!r}; expected three items (factor_i, factor_j, symbol).", source=source
            )
        out.append(rec)
    return out


def _factor_name(value: Any) -> str | None:
    """A factor named in a pair record as stripped text; None when blank, missing or not text."""
    if is_blank(value) or label_problem(value, 1) is not None:
        return None
    return str(value).strip()


def _square(matrix: Any, labels: Sequence[str] | None, name: str, source: str | None) -> tuple[np.ndarray, list[str]]:
    """:func:`as_square`, after refusing labels that are not text (NaN, ``pd.NA``, lists, control characters)."""
    if labels is not None:
        labels = check_label_values(labels, source=source)
    if isinstance(matrix, pd.DataFrame):
        for axis in (matrix.index, matrix.columns):
            if not isinstance(axis, pd.RangeIndex):
                check_label_values(axis, source=source)
    return as_square(matrix, labels, name=name, source=source)


def _out_path(path: Any) -> str:
    """A path to write to, or an ISMInputError for None, a non-path or a folder."""
    if not isinstance(path, (str, os.PathLike)):
        got = "None" if path is None else type(path).__name__
        raise ISMInputError(f"expected a path to write the SSIM to; got {got}.")
    text = os.fspath(path)
    if os.path.isdir(text):
        raise ISMInputError("is a folder; expected a file name to write the SSIM to.", source=str(text))
    return str(text)
