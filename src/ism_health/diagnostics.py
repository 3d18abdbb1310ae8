"""Diagnostics of an SSIM or a panel: the judgments that transitivity overrides and those that make cycles.

* :func:`contradictions` lists every "no influence" judgment that the
  transitive closure overrides (a 1* entry), with a shortest chain forcing it
  and, for a panel, how many experts support each link;
* :func:`cycle_report` names the judgments that create each cycle (strongly
  connected set).

Both take an :class:`~ism_health.SSIM` or a :class:`~ism_health.Panel` (which is
aggregated first). Data flows one way: this module reads panels and SSIMs and
imports neither :mod:`ism_health.experts` nor anything above; the public face
:mod:`ism_health.experts` re-exports its two functions, as in version 0.1, and
the panel's analysis (:mod:`ism_health.experts.study`) uses them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .exceptions import ISMInputError
from .reachability import explain, transitive_closure
from .ssim import SSIM

if TYPE_CHECKING:
    from .experts.panel import Panel

__all__ = ["contradictions", "cycle_report"]


def _resolve(
    ssim_or_panel: SSIM | Panel, revisions: Mapping[tuple[str, str], str] | None, aggregate_options: dict[str, Any]
) -> tuple[SSIM, Panel | None]:
    # A panel is recognised by what it does (aggregate, and the experts' relations), not by importing
    # ism_health.experts: the panel's own analysis (experts.study) imports this module.
    if not isinstance(ssim_or_panel, SSIM) and callable(getattr(ssim_or_panel, "aggregate", None)) and callable(
        getattr(ssim_or_panel, "_expert_adjacency", None)
    ):
        panel: Panel | None = ssim_or_panel
        ssim = ssim_or_panel.aggregate(**aggregate_options)
    elif isinstance(ssim_or_panel, SSIM):
        panel = None
        if aggregate_options:
            raise ISMInputError(
                f"aggregation options ({', '.join(aggregate_options)}) apply to a Panel, not to an SSIM."
            )
        ssim = ssim_or_panel
    else:
        raise ISMInputError(f"expected an SSIM or a Panel; got {type(ssim_or_panel).__name__}.")
    if revisions:
        ssim = ssim.revise(revisions)
    return ssim, panel


def _answered_matrix(panel: Panel) -> np.ndarray:
    """n x n: how many experts answered the pair of (i, j) (symmetric)."""
    n = panel.n_factors
    out = np.zeros((n, n), dtype=np.int64)
    iu, ju = np.triu_indices(n, 1)
    m = panel.answered.sum(axis=0)
    out[iu, ju] = m
    out[ju, iu] = m
    return out


def contradictions(
    ssim_or_panel: SSIM | Panel,
    *,
    revisions: Mapping[tuple[str, str], str] | None = None,
    **aggregate_options: Any,
) -> pd.DataFrame:
    """Every "no influence" judgment that the transitive closure overrides.

    A contradiction is an ordered pair (source, target) whose judgment says
    source does *not* influence target (``O``, or ``A`` read from source to
    target) while a chain of direct relations source -> ... -> target makes the
    final reachability entry a ``1*``. Each row gives a shortest such chain
    (:func:`ism_health.explain`). Either the "no" or one link of the chain
    should be revisited.

    Parameters
    ----------
    ssim_or_panel : SSIM or Panel
        A panel is aggregated first (``aggregate_options`` as for
        :meth:`Panel.aggregate`), and each link of a chain is annotated with
        the number of experts who assert it.
    revisions : mapping (factor_i, factor_j) -> symbol, optional
        Revised judgments applied (:meth:`SSIM.revise`) before the check, to
        see what a change would resolve.
    **aggregate_options
        ``rule``, ``threshold``, ``strict``, ``ties``, ``weights`` (panels only).

    Returns
    -------
    DataFrame
        One row per contradiction, columns ``source``, ``target``,
        ``judgment`` (the symbol read from source to target: ``O`` or ``A``),
        ``chain`` (tuple of labels, source first), ``chain_length`` (links);
        for a panel also ``experts_asserting`` (experts who said source ->
        target directly), ``experts_not_asserting``, ``link_support`` (tuple:
        experts asserting each link), ``weakest_link`` (pair of labels) and
        ``weakest_link_support``. Sorted most worth revisiting first: for a
        panel, the weakest link with the fewest supporters first, then the
        "no" with the most experts behind it, then the shortest chain; for an
        SSIM, the shortest chain first (the most direct conflict); ties in
        factor order.

    Examples
    --------
    >>> from ism_health import SSIM, contradictions
    >>> s = SSIM.from_pairs([("a", "b", "V"), ("b", "c", "V"), ("a", "c", "O")])
    >>> contradictions(s)
      source target judgment      chain  chain_length
    0      a      c        O  (a, b, c)             2
    >>> contradictions(s, revisions={("a", "c"): "V"}).empty
    True
    """
    ssim, panel = _resolve(ssim_or_panel, revisions, aggregate_options)
    adj = ssim.adjacency
    closure = transitive_closure(adj)
    labels = ssim.labels
    n = len(labels)
    support = panel._expert_adjacency().sum(axis=0) if panel is not None else None
    answered = _answered_matrix(panel) if panel is not None else None
    rows = []
    for i, j in np.argwhere(closure & ~adj & ~np.eye(n, dtype=bool)):
        i, j = int(i), int(j)
        chain = explain(adj, i, j)
        row: dict[str, Any] = {
            "source": labels[i],
            "target": labels[j],
            "judgment": ssim.symbol(labels[i], labels[j]),
            "chain": tuple(labels[k] for k in chain),
            "chain_length": len(chain) - 1,
        }
        if support is not None:
            links = [int(support[u, v]) for u, v in zip(chain[:-1], chain[1:])]
            weakest = int(np.argmin(links))
            assert answered is not None
            row.update(
                experts_asserting=int(support[i, j]),
                experts_not_asserting=int(answered[i, j]) - int(support[i, j]),
                link_support=tuple(links),
                weakest_link=(labels[chain[weakest]], labels[chain[weakest + 1]]),
                weakest_link_support=links[weakest],
            )
        row["_i"], row["_j"] = i, j
        rows.append(row)
    columns = ["source", "target", "judgment", "chain", "chain_length"]
    if support is not None:
        columns += ["experts_asserting", "experts_not_asserting", "link_support", "weakest_link",
                    "weakest_link_support"]
    if not rows:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    frame = pd.DataFrame(rows)
    if support is not None:
        keys = ["weakest_link_support", "experts_not_asserting", "chain_length", "_i", "_j"]
        asc = [True, False, True, True, True]
    else:
        keys, asc = ["chain_length", "_i", "_j"], [True, True, True]
    frame = frame.sort_values(keys, ascending=asc, kind="stable").reset_index(drop=True)
    return frame[columns]


def cycle_report(
    ssim_or_panel: SSIM | Panel,
    *,
    revisions: Mapping[tuple[str, str], str] | None = None,
    **aggregate_options: Any,
) -> pd.DataFrame:
    """The cycles (strongly connected sets) and the judgments that create them.

    Every direct relation between two members of a strongly connected set
    lies on a cycle, so those judgments (pairs with a symbol other than ``O``)
    are what binds the set; revising some of them can break it.

    Parameters
    ----------
    ssim_or_panel, revisions, **aggregate_options
        As for :func:`contradictions`.

    Returns
    -------
    DataFrame
        One row per judgment inside a set: ``cycle`` (1, 2, ... in factor
        order), ``members`` (tuple of labels), ``factor_i``, ``factor_j``,
        ``symbol``; for a panel also ``support_i_to_j`` and ``support_j_to_i``
        (experts asserting each direction) and ``weakest_support`` (the
        least-supported direction the symbol asserts). Within a cycle the
        least-supported judgments come first (for an SSIM, factor order).

    Examples
    --------
    >>> from ism_health import SSIM, cycle_report
    >>> s = SSIM.from_pairs([("a", "b", "V"), ("b", "c", "V"), ("a", "c", "A"), ("c", "d", "V"),
    ...                      ("a", "d", "O"), ("b", "d", "O")])
    >>> cycle_report(s)
       cycle    members factor_i factor_j symbol
    0      1  (a, b, c)        a        b      V
    1      1  (a, b, c)        a        c      A
    2      1  (a, b, c)        b        c      V
    """
    ssim, panel = _resolve(ssim_or_panel, revisions, aggregate_options)
    adj = ssim.adjacency
    closure = transitive_closure(adj)
    labels = ssim.labels
    n = len(labels)
    mutual = closure & closure.T
    seen = np.zeros(n, dtype=bool)
    support = panel._expert_adjacency().sum(axis=0) if panel is not None else None
    rows = []
    cycle = 0
    for i in range(n):
        if seen[i]:
            continue
        members = np.flatnonzero(mutual[i])
        seen[members] = True
        if len(members) < 2:
            continue
        cycle += 1
        names = tuple(labels[k] for k in members)
        for a_pos, u_raw in enumerate(members):
            for v_raw in members[a_pos + 1:]:
                u, v = int(u_raw), int(v_raw)
                if not (adj[u, v] or adj[v, u]):
                    continue
                row: dict[str, Any] = {
                    "cycle": cycle, "members": names, "factor_i": labels[u], "factor_j": labels[v],
                    "symbol": ssim.symbol(labels[u], labels[v]),
                }
                if support is not None:
                    s_f, s_b = int(support[u, v]), int(support[v, u])
                    asserted = [s for s, on in ((s_f, adj[u, v]), (s_b, adj[v, u])) if on]
                    row.update(support_i_to_j=s_f, support_j_to_i=s_b, weakest_support=min(asserted))
                rows.append(row)
    columns = ["cycle", "members", "factor_i", "factor_j", "symbol"]
    if support is not None:
        columns += ["support_i_to_j", "support_j_to_i", "weakest_support"]
    if not rows:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    frame = pd.DataFrame(rows)[columns]
    if support is not None:
        frame = frame.sort_values(["cycle", "weakest_support"], kind="stable").reset_index(drop=True)
    return frame
