"""The numeric core: reachability on plain numpy boolean matrices (no labels).

Orientation, everywhere in ism_health: entry ``[i, j]`` is true when element
``i`` influences (reaches) element ``j``. Rows drive, columns depend.

Every function accepts one ``(n, n)`` matrix or, where stated, a stack of
shape ``(b, n, n)``. Inputs are never mutated. Results are exact for every
``n`` and deterministic.

How it is computed (see ``docs/performance.md`` for the measurements):

* one small matrix (``n`` up to ``SMALL_MAX_N``): repeated boolean squaring
  with float32 matrix products (BLAS), at most ceil(log2(n)) + 1 of them.
* small ``n`` (one matrix up to ``DENSE_MAX_N``, a stack up to
  ``STACK_DENSE_MAX_N``): Warshall's algorithm on bit-packed rows, a block
  of 4 or 8 columns at a time with "four Russians" lookup tables, vectorised
  over the whole stack; levels by peeling the sinks of all matrices at once.
* larger ``n``, acyclic input (the strong components found by scipy, as
  below, are all single elements): blocks of 64 consecutive topological
  positions at a time. The rows of the earlier positions are final; each row
  of the block ORs the rows of its direct successors outside the block (the
  nearest ones first, then only those not yet covered), and the closure of
  the block's own edges (bit sets of 64 bits) spreads these within the
  block. Levels come out of the same pass.
* larger ``n``, otherwise: strongly connected components with
  :func:`scipy.sparse.csgraph.connected_components` (very dense inputs are
  first contracted along the components of a sampled sub-graph), then one
  pass over the condensation from the sinks up: the reachability row of a
  component is the OR of the rows of its successors, kept as ``uint64``
  bit sets. Successors are visited highest level first, and a successor
  already inside the accumulated row is skipped (it adds nothing), so only
  about as many rows are OR-ed as the transitive reduction has edges.
* the generations of a large transitive matrix (:func:`_generations`, which
  ``ism_health.levels.level_numbers`` calls) use its transitivity directly:
  equal rows are the components, row sums order them, and the same skip-OR
  pass both checks that the matrix is transitive and finds the longest path
  to a sink.

Here a "level" (or generation) is a graph quantity: 1 + the longest path,
counted in strong components, from an element's component to a sink component.
The ISM level partition equals it; the labelled ISM steps (levels, MICMAC)
live in :mod:`ism_health.levels` and :mod:`ism_health.micmac`.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from numpy.typing import ArrayLike

from ..exceptions import ISMInputError, NotReachableError
from . import _memo
from ._bits import _as_bool_matrix, _unpack_rows
from ._condensed import _closure_large, _condense, _generations_closed
from ._dense import (
    DENSE_MAX_N,
    LEVELS_DENSE_MAX_N,
    SMALL_MAX_N,
    STACK_DENSE_MAX_N,
    _check_transitive_dense,
    _closure_dense,
    _closure_small,
    _generations_dense,
    _generations_small,
)
from ._packed import PackedReachability

__all__ = [
    "transitive_closure",
    "transitive_closure_packed",
    "PackedReachability",
    "transitive_additions",
    "explain",
    "DENSE_MAX_N",
    "SMALL_MAX_N",
    "LEVELS_DENSE_MAX_N",
    "STACK_DENSE_MAX_N",
]


def transitive_closure(adj: ArrayLike) -> np.ndarray:
    """Reflexive transitive closure (final reachability matrix) of a boolean matrix.

    Parameters
    ----------
    adj : array_like of shape (n, n) or (b, n, n)
        Direct relations, 0/1 or boolean; ``adj[i, j]`` true when i influences j.
        Never modified.

    Returns
    -------
    numpy.ndarray of bool, same shape
        ``R[i, j]`` is true when j can be reached from i by a chain of direct
        relations (every element reaches itself).

    Raises
    ------
    ISMInputError
        When ``adj`` is not square, not 2-D or 3-D, or holds values other than 0 and 1.

    See Also
    --------
    transitive_closure_packed : The same closure kept as bit sets (n**2 / 8 bytes).

    Examples
    --------
    >>> import numpy as np
    >>> from ism_health.reachability import transitive_closure
    >>> transitive_closure([[0, 1, 0], [0, 0, 1], [0, 0, 0]]).astype(int)
    array([[1, 1, 1],
           [0, 1, 1],
           [0, 0, 1]])

    A cycle (1 -> 2 -> 1) makes its members reach each other:

    >>> transitive_closure([[0, 1, 0], [0, 0, 1], [0, 1, 0]]).astype(int)
    array([[1, 1, 1],
           [0, 1, 1],
           [0, 1, 1]])
    """
    a = _as_bool_matrix(adj, "adjacency matrix")
    n = a.shape[-1]
    if a.ndim == 3:
        if n <= STACK_DENSE_MAX_N:
            return _closure_dense(a)
        out = np.empty(a.shape, dtype=bool)
        for t in range(a.shape[0]):
            out[t] = _closure_large(a[t])
        return out
    if n <= SMALL_MAX_N:
        return _closure_small(a)
    if n <= DENSE_MAX_N:
        return _closure_dense(a[None])[0]
    res = _condense(a)
    if res.rows.shape[0] < n:
        out = _unpack_rows(res.rows, n)[res.comp]
    else:
        out = _unpack_rows(res.rows[res.comp], n)
    _memo.remember(res.rows[res.comp], res.level[res.comp])
    return out


def _closure_with_levels(adj: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The closure of one matrix and its levels (1 = top) from the same pass (the fused kernel).

    What :func:`ism_health.analyze` uses: small matrices by squaring and the
    byte relaxation, large ones by the condensation pass, which gives the
    levels with the rows (and remembers them, see :mod:`._memo`).

    Examples
    --------
    >>> from ism_health.reachability import _closure_with_levels
    >>> frm, levels = _closure_with_levels([[0, 1, 0], [0, 0, 1], [0, 0, 0]])
    >>> frm.sum(axis=1), levels
    (array([3, 2, 1]), array([3, 2, 1]))
    """
    a = _as_bool_matrix(adj, "adjacency matrix", stack=False)
    n = a.shape[0]
    if n <= SMALL_MAX_N:
        frm = _closure_small(a)
        return frm, (_generations_small(frm, "final reachability matrix") if n else np.zeros(0, np.int64))
    res = _condense(a)
    levels = res.level[res.comp]
    if res.rows.shape[0] < n:
        frm = _unpack_rows(res.rows, n)[res.comp]
    else:
        frm = _unpack_rows(res.rows[res.comp], n)
    _memo.remember(res.rows[res.comp], levels)
    return frm, levels


def transitive_closure_packed(adj: ArrayLike) -> PackedReachability:
    """Transitive closure kept as bit sets (about n**2 / 8 bytes), with levels.

    For very large matrices (n = 20,000 and more) where the boolean closure
    (n**2 bytes) is too big. Levels and driving / dependence power are
    available from the result without unpacking the whole matrix.

    Parameters
    ----------
    adj : array_like of shape (n, n)
        Direct relations, 0/1 or boolean; ``adj[i, j]`` true when i influences j.

    Returns
    -------
    PackedReachability

    Raises
    ------
    ISMInputError
        When ``adj`` is not a square 2-D matrix of 0/1 values.

    Examples
    --------
    >>> from ism_health.reachability import transitive_closure_packed
    >>> p = transitive_closure_packed([[0, 1, 0, 0],
    ...                                [0, 0, 1, 0],
    ...                                [0, 1, 0, 1],
    ...                                [0, 0, 0, 0]])
    >>> p.level_numbers()
    array([3, 2, 2, 1])
    >>> p.driving_dependence()
    (array([4, 3, 3, 1]), array([1, 3, 3, 4]))
    """
    a = _as_bool_matrix(adj, "adjacency matrix", stack=False)
    n = a.shape[0]
    if n == 0:
        return PackedReachability(
            0, np.zeros(0, np.int64), np.zeros((0, 0), np.uint64), np.zeros(0, np.int64)
        )
    res = _condense(a)
    return PackedReachability(n, res.comp, res.rows, res.level)


def transitive_additions(irm: ArrayLike, frm: ArrayLike) -> np.ndarray:
    """The entries that transitivity added: the 1* of the final reachability matrix.

    Parameters
    ----------
    irm : array_like (n, n) or (b, n, n)
        Initial reachability matrix (direct relations). The diagonal is
        reflexive by definition, so it never counts as an addition.
    frm : array_like, same shape
        Final reachability matrix, e.g. ``transitive_closure(irm)``.

    Returns
    -------
    numpy.ndarray of bool
        True where ``frm`` is 1 and ``irm`` is 0, off the diagonal.

    Raises
    ------
    ISMInputError
        On bad shapes or values, or when the shapes differ.

    Examples
    --------
    >>> from ism_health.reachability import transitive_closure, transitive_additions
    >>> irm = [[0, 1, 0], [0, 0, 1], [0, 0, 0]]
    >>> transitive_additions(irm, transitive_closure(irm)).astype(int)
    array([[0, 0, 1],
           [0, 0, 0],
           [0, 0, 0]])
    """
    i = _as_bool_matrix(irm, "initial reachability matrix")
    f = _as_bool_matrix(frm, "final reachability matrix")
    if i.shape != f.shape:
        raise ISMInputError(f"irm and frm must have the same shape; got {i.shape} and {f.shape}.")
    out = np.greater(f, i)
    n = out.shape[-1]
    out[..., np.arange(n), np.arange(n)] = False
    return out


def explain(adj: ArrayLike, i: int, j: int) -> list[int]:
    """A shortest chain of direct relations from ``i`` to ``j``.

    Parameters
    ----------
    adj : array_like (n, n)
        Direct relations (the initial reachability matrix).
    i, j : int
        Element indices.

    Returns
    -------
    list of int
        ``[i, k1, ..., j]``, each consecutive pair a direct relation; ``[i]`` when ``i == j``.

    Raises
    ------
    NotReachableError
        When ``j`` cannot be reached from ``i``.
    ISMInputError
        On a bad matrix or an index out of range.

    Examples
    --------
    >>> from ism_health.reachability import explain
    >>> explain([[0, 1, 0], [0, 0, 1], [0, 0, 0]], 0, 2)
    [0, 1, 2]
    """
    a = _as_bool_matrix(adj, "adjacency matrix", stack=False)
    n = a.shape[0]
    for name, v in (("i", i), ("j", j)):
        if isinstance(v, (bool, np.bool_)) or not (isinstance(v, (int, np.integer)) and 0 <= v < n):
            raise ISMInputError(f"{name} must be an element index in 0..{n - 1}; got {v!r}.")
    i, j = int(i), int(j)
    parent = np.full(n, -1)
    parent[i] = i
    queue = deque([i])
    while queue and parent[j] < 0:
        u = queue.popleft()
        new = np.flatnonzero(a[u] & (parent < 0))
        parent[new] = u
        queue.extend(new.tolist())
    if parent[j] < 0:
        raise NotReachableError(f"element {j} cannot be reached from element {i}: no chain of direct relations.")
    chain = [j]
    while chain[-1] != i:
        chain.append(int(parent[chain[-1]]))
    return chain[::-1]


def _generations(frm: ArrayLike) -> np.ndarray:
    """1 + the longest path to a sink, counted in strong components, of a transitive matrix.

    The numeric face of the level partition (``ism_health.levels.level_numbers``):
    members of a cycle share a value; sinks get 1. The matrix must be
    transitive (it is checked; the diagonal is taken as 1).

    Parameters
    ----------
    frm : array_like (n, n) or (b, n, n)
        A transitive 0/1 matrix (a final reachability matrix).

    Returns
    -------
    numpy.ndarray of int64, shape (n,) or (b, n)

    Raises
    ------
    ISMInputError
        On bad shapes or values, or when ``frm`` is not transitive (the
        message shows a chain i->j->k with i->k missing).

    Examples
    --------
    >>> from ism_health.reachability import _generations
    >>> _generations([[1, 1, 1], [0, 1, 1], [0, 0, 1]])
    array([3, 2, 1])
    """
    r = _as_bool_matrix(frm, "final reachability matrix")
    n = r.shape[-1]
    if r.ndim == 3:
        if n <= STACK_DENSE_MAX_N:
            return _generations_dense(_check_transitive_dense(r, "final reachability matrix"))
        out = np.empty(r.shape[:2], dtype=np.int64)
        for t in range(r.shape[0]):
            out[t] = _generations_closed(r[t], f"final reachability matrix {t} of the stack")
        return out
    if n <= SMALL_MAX_N:
        return _generations_small(r, "final reachability matrix")
    known = _memo.recall(r)
    if known is not None:  # bit for bit a closure computed here: transitive, levels known
        return known
    if n <= LEVELS_DENSE_MAX_N:
        return _generations_dense(_check_transitive_dense(r[None], "final reachability matrix"))[0]
    return _generations_closed(r, "final reachability matrix")


_MOVED = {
    "level_numbers": "ism_health.levels.level_numbers",
    "driving_dependence": "ism_health.micmac.driving_dependence",
}


def __getattr__(name: str) -> object:
    # The kernel knows nothing of levels or MICMAC: say where the 0.1 names went.
    if name in _MOVED:
        raise AttributeError(f"ism_health.reachability.{name} moved to {_MOVED[name]} (version 0.2).")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
