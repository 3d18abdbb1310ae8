"""The ISM structure as a directed graph: cycles merged, transitive links removed, levels kept.

Orientation: an edge ``u -> v`` means u influences v (the arrow points from the
driving factor to the driven one), as in the reachability matrices.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

import networkx as nx
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ._validation import _has_default_index, as_square
from .exceptions import ISMInputError, NotReachableError
from .levels import _checked, check_final_reachability
from .reachability import explain as _explain_indices
from .reachability._bits import _pack_rows
from .reachability._reduce import transitive_reduction_edges

__all__ = ["strongly_connected_sets", "ism_digraph", "digraph_members", "node_members", "explain"]


def _classes(r: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Strongly connected sets of a transitive reflexive matrix as classes of equal rows.

    Returns ``cls`` (class of every element, classes numbered by their first
    member), ``order`` (elements sorted by class, then index) and ``starts``
    (where each class begins in ``order``; length k + 1).
    """
    n = len(r)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(1, np.int64)
    p = _pack_rows(r)
    void = np.ascontiguousarray(p).view(np.dtype((np.void, p.shape[1] * 8))).ravel()
    _, first, inv = np.unique(void, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    cls = rank[inv.ravel()]
    order = np.argsort(cls, kind="stable")
    starts = np.searchsorted(cls[order], np.arange(first.size + 1))
    return cls, order, starts


def _components(r: np.ndarray) -> list[np.ndarray]:
    """The members of each strongly connected set, for a transitive reflexive matrix.

    In a final reachability matrix, i and j share a strongly connected set
    exactly when each reaches the other, that is when their rows are equal.
    Sets are listed by their first member.
    """
    _, order, starts = _classes(r)
    return np.split(order, starts[1:-1]) if len(order) else []


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
        merged cycle. Node attributes, all plain strings and integers (so
        :func:`networkx.write_graphml` writes the graph as it is): ``members``
        (the labels joined by ``"; "``), ``members_json`` (the exact list, as
        JSON; :func:`digraph_members` decodes it), ``size`` (number of
        members), ``level`` (1 = top) and ``label`` (members joined by
        ``", "``). Nodes are listed by level, then by first member. (Version
        0.1 stored ``members`` as a tuple, which GraphML cannot hold.)

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
    return _build_digraph(_digraph_parts(r, labels, levels))


#: What the ISM digraph is built from: node keys with their attributes, and the edges as two lists of keys.
DigraphParts = tuple[list[tuple[str, dict[str, Any]]], list[str], list[str]]


def _digraph_parts(
    r: np.ndarray, labels: Sequence[str], levels: np.ndarray, rank: np.ndarray | None = None
) -> DigraphParts:
    """Nodes (key, attributes) by level then first member, and the reduction's edges, of a validated matrix.

    ``rank``: the result-rule levels when ``levels`` come from another extraction
    rule (any numbering that decreases along every edge orders the reduction).
    """
    _, order, starts = _classes(r)
    k = len(starts) - 1
    reps = order[starts[:-1]]
    q = r[np.ix_(reps, reps)] if k < len(r) else r.copy()
    np.fill_diagonal(q, False)
    node_levels = np.asarray(levels)[reps]
    src, dst = transitive_reduction_edges(q, node_levels if rank is None else np.asarray(rank)[reps])
    names = list(labels) if k == len(r) else []
    member_lists: list[list[str]] = []
    if not names:
        member_lists = [[labels[e] for e in order[starts[c] : starts[c + 1]]] for c in range(k)]
        taken = set(labels)
        for m in member_lists:
            key = " + ".join(m)
            names.append(m[0] if len(m) == 1 else key if key not in taken else key + " (cycle)")
    ordered = np.lexsort((reps, node_levels)).tolist()
    lv = node_levels.tolist()
    quote = json.encoder.encode_basestring  # json.dumps(m, ensure_ascii=False) is "[" + these joined by ", " + "]"
    nodes = []
    for c in ordered:
        m = member_lists[c] if member_lists else [names[c]]
        attrs = {
            "members": "; ".join(m),
            "members_json": "[" + ", ".join(map(quote, m)) + "]",
            "size": len(m),
            "level": lv[c],
            "label": ", ".join(m),
        }
        nodes.append((names[c], attrs))
    keys = np.array(names, dtype=object)
    return nodes, keys[src].tolist(), keys[dst].tolist()


def _build_digraph(parts: DigraphParts) -> nx.DiGraph:
    """A new networkx DiGraph from :func:`_digraph_parts` (every call a fresh graph the caller may edit)."""
    nodes, src, dst = parts
    g = nx.DiGraph(orientation="edge u -> v: u influences v")
    internals = [getattr(g, name, None) for name in ("_node", "_succ", "_pred")]
    factories = (g.node_dict_factory, g.node_attr_dict_factory, g.adjlist_inner_dict_factory, g.edge_attr_dict_factory)
    if all(type(x) is dict for x in internals) and all(f is dict for f in factories):
        node, succ, pred = cast(list[dict[Any, Any]], internals)
        # networkx's own dict-of-dicts (the layout its DiGraph documents for subclasses), filled as
        # add_nodes_from and add_edges_from fill it, without their per-item checks (5x faster for the
        # nodes, 2.3x for 28,000 edges). Keys are unique; every node and edge gets its own attribute dict.
        for key, attrs in nodes:
            succ[key], pred[key], node[key] = {}, {}, dict(attrs)
        for u, v in zip(src, dst):
            succ[u][v] = pred[v][u] = {}
    else:  # pragma: no cover - another networkx layout
        g.add_nodes_from(nodes)
        g.add_edges_from(zip(src, dst))
    return g


def node_members(attrs: Any) -> list[str]:
    """The member labels of one digraph node from its attribute dict (this version's or 0.1's tuple).

    Examples
    --------
    >>> from ism_health.digraph import node_members
    >>> node_members({"members": "a; b", "members_json": '["a", "b"]'}), node_members({"members": ("a",)})
    (['a', 'b'], ['a'])
    """
    if "members_json" in attrs:
        return list(json.loads(attrs["members_json"]))
    members = attrs["members"]
    return [members] if isinstance(members, str) else list(members)


def digraph_members(g: nx.DiGraph) -> dict[str, list[str]]:
    """The factors of every node of an ISM digraph, as lists (a merged cycle has several).

    Node attributes are plain strings and numbers so that the graph can be
    written with :func:`networkx.write_graphml`; the member lists are kept
    exactly, as JSON, in the ``members_json`` attribute (``members`` joins them
    with ``"; "`` for reading). This function decodes them.

    Examples
    --------
    >>> from ism_health import ism_digraph
    >>> from ism_health.digraph import digraph_members
    >>> g = ism_digraph([[1, 1, 1], [1, 1, 1], [0, 0, 1]], labels=["Law", "Trust", "Use"])
    >>> digraph_members(g)
    {'Use': ['Use'], 'Law + Trust': ['Law', 'Trust']}
    >>> g.nodes["Law + Trust"]["members"]
    'Law; Trust'
    """
    return {node: node_members(data) for node, data in g.nodes(data=True)}


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
