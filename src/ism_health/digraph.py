"""The ISM structure as a directed graph: cycles merged, transitive links removed, levels kept.

Orientation: an edge ``u -> v`` means u influences v (the arrow points from the
driving factor to the driven one), as in the reachability matrices.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ._validation import _has_default_index, as_square
from .exceptions import ISMInputError, NotReachableError
from .levels import _checked, check_final_reachability
from .reachability import explain as _explain_indices

__all__ = ["strongly_connected_sets", "ism_digraph", "explain"]


def _components(r: np.ndarray) -> list[np.ndarray]:
    """The members of each strongly connected set, for a transitive reflexive matrix.

    In a final reachability matrix, i and j share a strongly connected set
    exactly when each reaches the other. Sets are listed by their first member.
    """
    mutual = r & r.T
    seen = np.zeros(len(r), dtype=bool)
    members: list[np.ndarray] = []
    for i in range(len(r)):
        if not seen[i]:
            idx = np.flatnonzero(mutual[i])
            seen[idx] = True
            members.append(idx)
    return members


def strongly_connected_sets(frm: Any, labels: Sequence[str] | None = None) -> list[tuple[str, ...]]:
    """The cycles: sets of two or more factors that all reach one another.

    Examples
    --------
    >>> from ism_health import strongly_connected_sets
    >>> strongly_connected_sets([[1, 1, 1], [1, 1, 1], [0, 0, 1]], labels=["a", "b", "c"])
    [('a', 'b')]
    """
    r, labels = check_final_reachability(frm, labels)
    members = _components(r)
    return [tuple(labels[k] for k in m) for m in members if len(m) > 1]


def ism_digraph(frm: Any, labels: Sequence[str] | None = None) -> nx.DiGraph:
    """The ISM model: condensation of the reachability graph, transitively reduced, with levels.

    Each strongly connected set of factors (a cycle) becomes one node; an edge
    ``u -> v`` is kept only when no other node lies on a path from u to v
    (the transitive reduction of the condensation, which is unique because the
    condensation is acyclic).

    Parameters
    ----------
    frm : array_like or DataFrame (n, n)
        Final reachability matrix.
    labels : sequence of str, optional

    Returns
    -------
    networkx.DiGraph
        Node keys are factor labels, or the members joined by ``" + "`` for a
        merged cycle. Node attributes: ``members`` (tuple of labels),
        ``level`` (1 = top) and ``label`` (members joined by ``", "``).
        Nodes are listed by level, then by first member.

    Examples
    --------
    >>> from ism_health import ism_digraph
    >>> frm = [[1, 1, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1], [0, 0, 0, 1]]
    >>> g = ism_digraph(frm, labels=["Law", "Trust", "Use", "Value"])
    >>> list(g.nodes(data="level"))
    [('Value', 1), ('Trust + Use', 2), ('Law', 3)]
    >>> sorted(g.edges())
    [('Law', 'Trust + Use'), ('Trust + Use', 'Value')]
    """
    r, labels, levels = _checked(frm, labels)
    return _digraph(r, labels, levels)


def _digraph(r: np.ndarray, labels: Sequence[str], levels: np.ndarray) -> nx.DiGraph:
    """The ISM digraph of a validated (reflexive, transitive) boolean matrix with its levels."""
    members = _components(r)
    reps = np.array([m[0] for m in members])
    closure = r[np.ix_(reps, reps)].copy()
    np.fill_diagonal(closure, False)
    c = closure.astype(np.float32)
    reduced = closure & ~((c @ c) > 0)
    names = []
    taken = set(labels)
    for m in members:
        if len(m) == 1:
            names.append(labels[m[0]])
        else:
            key = " + ".join(labels[k] for k in m)
            names.append(key if key not in taken else key + " (cycle)")
    g = nx.DiGraph(orientation="edge u -> v: u influences v")
    order = sorted(range(len(members)), key=lambda a: (levels[reps[a]], reps[a]))
    for a in order:
        m = members[a]
        g.add_node(
            names[a],
            members=tuple(labels[k] for k in m),
            level=int(levels[reps[a]]),
            label=", ".join(labels[k] for k in m),
        )
    for a, b in np.argwhere(reduced):
        g.add_edge(names[a], names[b])
    return g


def explain(
    matrix: ArrayLike | pd.DataFrame,
    source: str | int,
    target: str | int,
    labels: Sequence[str] | None = None,
) -> list[str] | list[int]:
    """A shortest chain of direct relations by which ``source`` reaches ``target``.

    Use it on the initial reachability matrix (the direct relations) to see why
    an entry of the final matrix is 1* (added by transitivity).

    Parameters
    ----------
    matrix : array_like or DataFrame (n, n)
        Direct relations, 0/1; ``matrix[i, j]`` is 1 when factor i influences j.
    source, target : str or int
        Factor labels when ``labels`` is given or ``matrix`` is a labelled
        DataFrame; otherwise element indices ``0..n-1`` (as in version 0.1).
    labels : sequence of str, optional
        Factor names, in the order of the rows.

    Returns
    -------
    list of str, or list of int
        ``[source, ..., target]``, each consecutive pair a direct relation, as
        labels when the factors have labels, as indices when given indices;
        ``[source]`` when source and target are the same.

    Raises
    ------
    NotReachableError
        When ``target`` cannot be reached from ``source``.
    ISMInputError
        On a bad matrix, an unknown label or an index out of range.

    See Also
    --------
    ism_health.reachability.explain : The same on indices only, for plain numpy arrays.

    Examples
    --------
    >>> from ism_health.digraph import explain
    >>> direct = [[0, 1, 0], [0, 0, 1], [0, 0, 0]]
    >>> explain(direct, "Law", "Use", labels=["Law", "Trust", "Use"])
    ['Law', 'Trust', 'Use']
    >>> explain(direct, 0, 2)
    [0, 1, 2]
    """
    framed = isinstance(matrix, pd.DataFrame) and not (
        _has_default_index(matrix.index) and _has_default_index(matrix.columns)
    )
    if labels is None and not framed:
        return _explain_indices(matrix.to_numpy() if isinstance(matrix, pd.DataFrame) else matrix, source, target)  # type: ignore[arg-type]
    values, names = as_square(matrix, labels, name="matrix of direct relations", min_n=1)
    where = {name: k for k, name in enumerate(names)}
    idx = []
    for what, v in (("source", source), ("target", target)):
        key = v.strip() if isinstance(v, str) else v
        if key not in where:
            shown = ", ".join(map(repr, names[:10])) + (", ..." if len(names) > 10 else "")
            raise ISMInputError(f"{what}={v!r} is not a factor of the matrix; expected one of {shown}.")
        idx.append(where[key])
    try:
        numeric = values.astype(float)
    except (TypeError, ValueError):
        raise ISMInputError("the matrix of direct relations must hold only 0 and 1.") from None
    try:
        chain = _explain_indices(numeric, idx[0], idx[1])
    except NotReachableError:
        raise NotReachableError(f"{source!r} does not reach {target!r}: no chain of direct relations.") from None
    return [names[k] for k in chain]
