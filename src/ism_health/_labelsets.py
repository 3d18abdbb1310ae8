"""The set columns of a level-partition table, made when read (private; the public face is :mod:`ism_health.levels`).

A partition table has one row per iteration and factor still unplaced: a DAG
of 2,000 factors and 586 levels has about 590,000 rows, a chain of n levels
n (n + 1) / 2. Each row's reachability, antecedent and intersection sets are
the factor's row, column or both of the final reachability matrix restricted
to the factors with ``step >= iteration``. :class:`LabelSetArray` is a pandas
extension array that stores only (table, factor, iteration, kind) per row, as
integer arrays over one :class:`_PartitionSets` per table (the packed rows and columns,
n**2 / 4 bytes): building the table costs a few numpy calls, however many
rows it has, and a set is made when it is read. Read, a cell is the tuple of
labels, or a :class:`LabelSet` view when the tuples of the whole table would
hold more than the table's limit of labels (so that ``to_numpy()`` of a
table with billions of labels stays O(rows)).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from pandas.api.extensions import ExtensionArray, ExtensionDtype, take
from pandas.api.indexers import check_array_indexer
from pandas.io.formats.printing import pprint_thing

from .reachability._bits import _pack_rows, _unpack_rows

__all__ = ["LabelSet", "LabelSetArray", "LabelSetDtype"]


class _PartitionSets:
    """What every set of a partition table is computed from: O(n**2 / 4) bytes in all.

    ``rows``/``cols``: the matrix's rows and columns as packed bits;
    ``step``: the iteration in which each factor is placed. The set of factor
    ``i`` in iteration ``t`` is its row (or column, or both) restricted to the
    factors with ``step >= t``. ``limit``: most labels the table's sets may
    hold as tuples (above it they are read as :class:`LabelSet` views).
    """

    __slots__ = ("names", "rows", "cols", "step", "limit", "_entries")

    def __init__(self, r: np.ndarray, names: np.ndarray, step: np.ndarray, limit: int | None = None) -> None:
        self.names = names
        self.rows = _pack_rows(r)
        self.cols = _pack_columns(r)
        self.step = step
        self.limit = limit
        self._entries: int | None = None

    def members(self, i: int, t: int, kind: int) -> np.ndarray:
        words = self.rows[i] if kind == 0 else self.cols[i] if kind == 1 else self.rows[i] & self.cols[i]
        return np.flatnonzero(_unpack_rows(words, len(self.step)) & (self.step >= t))

    def as_tuples(self) -> bool:
        """Whether the table's cells are read as tuples (their labels, all together, within the limit)."""
        if self.limit is None:
            return True
        if self._entries is None:
            self._entries = _partition_entries(self.rows, self.cols, self.step)
        return self._entries <= self.limit

    def cell(self, i: int, t: int, kind: int) -> Any:
        if self.as_tuples():
            return tuple(self.names[self.members(i, t, kind)].tolist())
        return LabelSet(self, i, t, kind)


def _pack_columns(r: np.ndarray) -> np.ndarray:
    """:func:`_pack_rows` of ``r.T``: one contiguous transposition, then a packing along the rows.

    (3 ms at n = 2,000, against 10 ms for ``np.packbits(axis=0)``, which walks down the columns.)
    """
    return _pack_rows(np.ascontiguousarray(r.T))


def _partition_entries(rows: np.ndarray, cols: np.ndarray, step: np.ndarray) -> int:
    """Total labels the three set columns of the partition table would hold as tuples.

    Factor j is in factor i's reachability set in iterations 1..min(step_i, step_j)
    when r[i, j]; summed over pairs with a bounded-memory pass by row blocks of
    the packed rows and columns.
    """
    n = len(step)
    total = 0
    blk = max(1, (1 << 22) // max(n, 1))
    for r0 in range(0, n, blk):
        m = np.minimum(step[r0 : r0 + blk, None], step[None, :])
        reach = _unpack_rows(rows[r0 : r0 + blk], n)
        ante = _unpack_rows(cols[r0 : r0 + blk], n)
        total += int((m * reach).sum() + (m * ante).sum() + (m * (reach & ante)).sum())
    return total


def _as_cell(v: Any) -> Any:
    """A cell value as an object column would keep it: sets of labels as tuples, anything else (a text) as given."""
    if isinstance(v, LabelSet) or isinstance(v, (str, bytes)) or not isinstance(v, (tuple, list, np.ndarray)):
        return v
    return tuple(v)


def _hashable(v: Any) -> Any:
    return tuple(v) if isinstance(v, LabelSet) else v


class LabelSet(Sequence[str]):
    """A set of factor labels in a partition table, made when read (in factor order).

    Behaves like the tuple of labels it stands for: iteration, ``len``,
    indexing, ``==`` with a tuple (or another LabelSet), hashing and ``repr``.
    Large partition tables hold these instead of tuples so that their memory
    stays O(n**2) (a chain of n levels has n**2 / 2 rows whose sets hold n**3 / 6
    labels in all). ``tuple(s)`` gives the plain tuple.

    Examples
    --------
    >>> import numpy as np
    >>> from ism_health.levels import LabelSet, _PartitionSets
    >>> ctx = _PartitionSets(np.array([[1, 1], [0, 1]], bool), np.array(["Law", "Trust"], object), np.array([2, 1]))
    >>> s = LabelSet(ctx, 0, 1, 0)
    >>> s, len(s), s == ("Law", "Trust"), list(LabelSet(ctx, 0, 2, 0))
    (('Law', 'Trust'), 2, True, ['Law'])
    """

    __slots__ = ("_ctx", "_i", "_t", "_kind")

    def __init__(self, ctx: _PartitionSets, factor: int, iteration: int, kind: int) -> None:
        self._ctx, self._i, self._t, self._kind = ctx, factor, iteration, kind

    def _tuple(self) -> tuple[str, ...]:
        return tuple(self._ctx.names[self._ctx.members(self._i, self._t, self._kind)].tolist())

    def __len__(self) -> int:
        return int(self._ctx.members(self._i, self._t, self._kind).size)

    def __getitem__(self, k: Any) -> Any:
        return self._tuple()[k]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tuple())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (LabelSet, tuple)):
            return self._tuple() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._tuple())

    def __repr__(self) -> str:
        return repr(self._tuple())


class LabelSetDtype(ExtensionDtype):
    """The pandas dtype of a partition table's set columns: cells are tuples of labels, made when read.

    Examples
    --------
    >>> from ism_health import partition_iterations
    >>> partition_iterations([[1, 1], [0, 1]], labels=["Law", "Trust"]).dtypes["reachability_set"]
    labelset
    """

    name = "labelset"
    type = tuple
    kind = "O"
    na_value = None

    def __repr__(self) -> str:
        return self.name

    @classmethod
    def construct_array_type(cls) -> builtins.type[LabelSetArray]:
        """The array type of this dtype.

        Examples
        --------
        >>> from ism_health._labelsets import LabelSetArray, LabelSetDtype
        >>> LabelSetDtype.construct_array_type() is LabelSetArray
        True
        """
        return LabelSetArray


_DTYPE = LabelSetDtype()


class LabelSetArray(ExtensionArray):
    """A column of label sets of partition tables: (table, factor, iteration, kind) per cell, sets made when read.

    A cell set by the caller (``table.loc[0, "reachability_set"] = ...``) is
    kept as given, for this column only (the result's own table is a copy).

    Examples
    --------
    >>> from ism_health import partition_iterations
    >>> t = partition_iterations([[1, 1], [0, 1]], labels=["Law", "Trust"])
    >>> t.reachability_set.tolist()
    [('Law', 'Trust'), ('Trust',), ('Law',)]
    >>> t.reachability_set.array.nbytes  # 13 bytes per cell (four integers), however large the sets
    39
    """

    def __init__(
        self,
        ctxs: Sequence[_PartitionSets],
        which: np.ndarray,
        fac: np.ndarray,
        it: np.ndarray,
        kind: np.ndarray,
        over: dict[int, Any] | None = None,
    ) -> None:
        self._ctxs = tuple(ctxs)
        self._which, self._fac, self._it, self._kind = which, fac, it, kind
        self._over = over or {}

    @classmethod
    def _column(cls, ctx: _PartitionSets, fac: np.ndarray, it: np.ndarray, kind: int) -> LabelSetArray:
        """One set column over ``ctx``: ``fac`` and ``it`` may be shared by several columns (never written into)."""
        n = len(fac)
        which, kinds = np.zeros(n, np.int32), np.full(n, kind, np.int8)
        for a in (which, fac, it, kinds):
            a.setflags(write=False)
        return cls((ctx,), which, fac, it, kinds)

    # ------------------------------------------------------------------ pandas interface
    @classmethod
    def _from_sequence(cls, scalars: Any, *, dtype: Any = None, copy: bool = False) -> LabelSetArray:
        if isinstance(scalars, LabelSetArray):
            return scalars.copy() if copy else scalars
        values = list(scalars)
        n = len(values)
        out = cls((), np.full(n, -1, np.int32), np.zeros(n, np.intp), np.zeros(n, np.intp), np.zeros(n, np.int8))
        out._over = {k: _as_cell(v) for k, v in enumerate(values) if v is not None}
        return out

    @classmethod
    def _from_factorized(cls, values: np.ndarray, original: LabelSetArray) -> LabelSetArray:
        return cls._from_sequence(values)

    @property
    def dtype(self) -> LabelSetDtype:
        return _DTYPE

    @property
    def nbytes(self) -> int:
        return int(self._which.nbytes + self._fac.nbytes + self._it.nbytes + self._kind.nbytes)

    def __len__(self) -> int:
        return len(self._which)

    def _cell(self, k: int) -> Any:
        if k in self._over:
            return self._over[k]
        w = int(self._which[k])
        if w < 0:
            return None
        return self._ctxs[w].cell(int(self._fac[k]), int(self._it[k]), int(self._kind[k]))

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, (int, np.integer)):
            k = int(item)
            if k < 0:
                k += len(self)
            if not 0 <= k < len(self):
                raise IndexError(f"index {item} is out of bounds for a column of {len(self)} sets")
            return self._cell(k)
        if isinstance(item, tuple) and len(item) == 1:
            item = item[0]
        if isinstance(item, slice) and not self._over:  # views of the index arrays (never written into)
            return LabelSetArray(self._ctxs, self._which[item], self._fac[item], self._it[item], self._kind[item])
        if not isinstance(item, slice):
            item = check_array_indexer(self, item)
        pos = np.arange(len(self))[item]
        return self._select(pos)

    def _select(self, pos: np.ndarray) -> LabelSetArray:
        over = {}
        if self._over:
            over = {new: self._over[old] for new, old in enumerate(pos.tolist()) if old in self._over}
        return LabelSetArray(self._ctxs, self._which[pos], self._fac[pos], self._it[pos], self._kind[pos], over)

    def __setitem__(self, key: Any, value: Any) -> None:
        if not isinstance(key, (int, np.integer, slice)):
            key = check_array_indexer(self, key)
        pos = np.atleast_1d(np.arange(len(self))[key]).tolist()
        listlike = isinstance(value, (list, np.ndarray, ExtensionArray)) or (
            isinstance(value, tuple) and len(pos) > 1 and len(value) == len(pos)
        )
        values = list(value) if listlike else [value] * len(pos)
        if len(values) != len(pos):
            raise ValueError(f"{len(values)} values for {len(pos)} cells")
        self._over.update(zip(pos, values))  # kept as given, as an object column would

    def isna(self) -> np.ndarray:
        na = self._which < 0
        for k, v in self._over.items():
            na[k] = v is None
        return na

    def take(self, indices: Any, *, allow_fill: bool = False, fill_value: Any = None) -> LabelSetArray:
        """The cells at ``indices`` (pandas' ``take``: with ``allow_fill``, -1 gives a missing cell).

        Examples
        --------
        >>> from ism_health import partition_iterations
        >>> arr = partition_iterations([[1, 1], [0, 1]], labels=["Law", "Trust"]).reachability_set.array
        >>> list(arr.take([2, 0])), list(arr.take([1, -1], allow_fill=True))
        ([('Law',), ('Law', 'Trust')], [('Trust',), None])
        """
        idx = np.asarray(indices, dtype=np.intp)
        pos = take(np.arange(len(self)), idx, allow_fill=allow_fill, fill_value=-1)
        missing = pos < 0  # (only with allow_fill: take resolves other negative indices)
        if not missing.any():
            return self._select(pos)
        out = self._select(np.where(missing, 0, pos)) if len(self) else self._from_sequence([None] * len(pos))
        out._which = np.where(missing, -1, out._which).astype(np.int32)
        for k in np.flatnonzero(missing).tolist():
            out._over.pop(k, None)
        return out

    def copy(self) -> LabelSetArray:
        # the index arrays are never written into (a set cell goes to ``_over``): a copy shares them
        return LabelSetArray(self._ctxs, self._which, self._fac, self._it, self._kind, dict(self._over))

    @classmethod
    def _concat_same_type(cls, to_concat: Sequence[LabelSetArray]) -> LabelSetArray:
        ctxs: list[_PartitionSets] = []
        whichs, over, offset = [], {}, 0
        for arr in to_concat:
            base = len(ctxs)
            ctxs.extend(arr._ctxs)
            whichs.append(np.where(arr._which < 0, -1, arr._which + base).astype(np.int32))
            over.update({k + offset: v for k, v in arr._over.items()})
            offset += len(arr)
        cat = np.concatenate
        return cls(
            ctxs,
            cat(whichs),
            cat([a._fac for a in to_concat]),
            cat([a._it for a in to_concat]),
            cat([a._kind for a in to_concat]),
            over,
        )

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        out = np.empty(len(self), dtype=object)
        for k in range(len(self)):
            out[k] = self._cell(k)
        return out if dtype is None or np.dtype(dtype) == object else out.astype(dtype)

    def __iter__(self) -> Iterator[Any]:
        for k in range(len(self)):
            yield self._cell(k)

    def __eq__(self, other: Any) -> Any:
        if isinstance(other, LabelSetArray):
            if len(other) != len(self):
                raise ValueError("lengths must match to compare")
            # cells naming the same set of the same table are equal without making the set
            same = np.zeros(len(self), dtype=bool)
            for w, ctx in enumerate(self._ctxs):
                for v, octx in enumerate(other._ctxs):
                    if ctx is octx:
                        same |= (self._which == w) & (other._which == v)
            same &= (self._fac == other._fac) & (self._it == other._it) & (self._kind == other._kind)
            for k in set(self._over) | set(other._over):
                same[k] = False
            out = same.copy()
            for k in np.flatnonzero(~same).tolist():
                a, b = self._cell(k), other._cell(k)
                out[k] = a == b if a is not None and b is not None else False
            return out
        if isinstance(other, (tuple, LabelSet)):
            return np.array([a == other for a in self], dtype=bool)
        return np.array([a == b for a, b in zip(self, other)], dtype=bool)

    def _values_for_factorize(self) -> tuple[np.ndarray, Any]:
        values = np.asarray(self)
        return np.array([None if v is None else _hashable(_as_cell(v)) for v in values], dtype=object), None

    def _formatter(self, boxed: bool = False) -> Any:
        return pprint_thing  # as an object column of tuples prints: (Law, Trust)
