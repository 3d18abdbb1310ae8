"""Reachability kept as bit sets, one row per strong component (private; public in the package)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._bits import _popcount_rows, _unpack_rows


@dataclass(frozen=True, eq=False)
class PackedReachability:
    """A final reachability matrix kept as bit sets, with its levels.

    Made by :func:`transitive_closure_packed`. Memory is about ``n**2 / 8``
    bytes (one bit per pair; less when there are large cycles, whose members
    share one row).

    Attributes
    ----------
    n : int
        Number of elements.
    components : numpy.ndarray of int64, shape (n,)
        Strong component (cycle class) of every element, ``0 .. C-1``.
    component_rows : numpy.ndarray of uint64, shape (C, ceil(n / 64))
        Reachability row of every component: element ``j`` is bit ``j % 64``
        of word ``j // 64`` (little-endian bit order).
    component_levels : numpy.ndarray of int64, shape (C,)
        ISM level of every component (1 = top).

    Examples
    --------
    >>> from ism_health.reachability import transitive_closure_packed
    >>> p = transitive_closure_packed([[0, 1, 0], [0, 0, 1], [0, 0, 0]])
    >>> p.n, p.nbytes > 0
    (3, True)
    >>> p.to_dense().astype(int)
    array([[1, 1, 1],
           [0, 1, 1],
           [0, 0, 1]])
    """

    n: int
    components: np.ndarray
    component_rows: np.ndarray
    component_levels: np.ndarray

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays of this object."""
        return int(self.components.nbytes + self.component_rows.nbytes + self.component_levels.nbytes)

    def row(self, i: int) -> np.ndarray:
        """The reachability set of element ``i`` as a boolean vector of length n.

        Examples
        --------
        >>> from ism_health.reachability import transitive_closure_packed
        >>> transitive_closure_packed([[0, 1], [0, 0]]).row(0)
        array([ True,  True])
        """
        return _unpack_rows(self.component_rows[self.components[i]], self.n)

    def to_words(self) -> np.ndarray:
        """One row of uint64 words per element, shape (n, ceil(n / 64)) (n**2 / 8 bytes).

        Examples
        --------
        >>> from ism_health.reachability import transitive_closure_packed
        >>> transitive_closure_packed([[0, 1], [0, 0]]).to_words()
        array([[3],
               [2]], dtype=uint64)
        """
        return np.asarray(self.component_rows[self.components], dtype=np.uint64)

    def to_dense(self) -> np.ndarray:
        """The full boolean (n, n) matrix, as :func:`transitive_closure` returns it.

        Examples
        --------
        >>> from ism_health.reachability import transitive_closure_packed
        >>> transitive_closure_packed([[0, 1], [0, 0]]).to_dense()
        array([[ True,  True],
               [False,  True]])
        """
        if self.component_rows.shape[0] < self.n:
            return _unpack_rows(self.component_rows, self.n)[self.components]
        return _unpack_rows(self.component_rows[self.components], self.n)

    def level_numbers(self) -> np.ndarray:
        """ISM level of every element (1 = top), as :func:`ism_health.levels.level_numbers` gives it.

        Examples
        --------
        >>> from ism_health.reachability import transitive_closure_packed
        >>> transitive_closure_packed([[0, 1, 0], [0, 0, 1], [0, 0, 0]]).level_numbers()
        array([3, 2, 1])
        """
        return self.component_levels[self.components]

    def driving_dependence(self) -> tuple[np.ndarray, np.ndarray]:
        """Driving power (row sums) and dependence power (column sums), diagonal included.

        Computed from the bit sets without unpacking the whole matrix.

        Examples
        --------
        >>> from ism_health.reachability import transitive_closure_packed
        >>> transitive_closure_packed([[0, 1, 0], [0, 0, 1], [0, 0, 0]]).driving_dependence()
        (array([3, 2, 1]), array([1, 2, 3]))
        """
        n = self.n
        rows = self.component_rows
        driving = _popcount_rows(rows)[self.components]
        sizes = np.bincount(self.components, minlength=rows.shape[0])
        step = max(1, min(65535, (1 << 22) // max(n, 1)))
        if (sizes == 1).all():  # column popcounts, 16-bit partial sums by row blocks
            dependence = np.zeros(n, dtype=np.int64)
            for r0 in range(0, rows.shape[0], step):
                dependence += _unpack_rows(rows[r0 : r0 + step], n).view(np.uint8).sum(axis=0, dtype=np.uint16)
            return driving, dependence
        weights = sizes.astype(np.float64)
        dep = np.zeros(n, dtype=np.float64)
        for r0 in range(0, rows.shape[0], step):
            dep += weights[r0 : r0 + step] @ _unpack_rows(rows[r0 : r0 + step], n)
        return driving, np.rint(dep).astype(np.int64)
