"""Level partitioning: levels, the iteration tables papers print, the canonical matrix.

The ISM rule (Warfield 1974; Ravi & Shankar 2005): among the elements not yet
placed, an element goes to the current level when its reachability set equals
the intersection of its reachability and antecedent sets. Those elements are
removed and the rule repeats. Level 1, assigned first, is the top of the
hierarchy. Orientation: ``frm[i, j]`` is 1 when i reaches (influences) j.

Three extraction rules (``rule=``), the levels always numbered 1 = top:

* ``"result"`` (the default, the rule above): top-down. An element goes to the
  current top level when its reachability set equals the intersection.
* ``"cause"``: bottom-up. An element goes to the current bottom level when its
  antecedent set equals the intersection (nothing that reaches it is out of
  its own reach). The first set extracted is the bottom level.
* ``"alternating"``: a result step, then a cause step, and so on, starting
  with a result step; the sets of the result steps are numbered from the top,
  those of the cause steps from the bottom.

Every rule takes as many steps as the longest chain of strong components has
members, so the three give the same number of levels. The result rule puts an
element as high as it can go (1 + the longest path to a sink), the cause rule
as low as it can go; the elements on which they differ are the "active"
elements of adversarial ISM (see :mod:`ism_health.adversarial`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ._labelsets import LabelSet, LabelSetArray, _PartitionSets
from ._validation import as_binary, as_square, check_choice, check_labels, default_labels
from .exceptions import ISMInputError
from .reachability import _generations, explain, transitive_closure

__all__ = [
    "RULES",
    "level_partition",
    "level_numbers",
    "partition_iterations",
    "canonical_matrix",
    "check_final_reachability",
    "LabelSet",
    "PARTITION_TUPLE_ENTRIES",
]


#: The level extraction rules, in the order of the ``rule=`` option's documentation.
RULES: tuple[str, ...] = ("result", "cause", "alternating")

Rule = Literal["result", "cause", "alternating"]


def check_final_reachability(
    frm: Any, labels: Sequence[str] | None = None, *, name: str = "final reachability matrix"
) -> tuple[np.ndarray, list[str]]:
    """Validate a final reachability matrix and return it as a reflexive boolean ndarray with labels.

    The diagonal is reflexive by definition (0 or 1 accepted there). The matrix
    must be transitive: if i reaches k and k reaches j, i must reach j.

    Examples
    --------
    >>> from ism_health.levels import check_final_reachability
    >>> check_final_reachability([[1, 1, 0], [0, 1, 1], [0, 0, 1]], labels=["C1", "C2", "C5"])
    Traceback (most recent call last):
    ...
    ism_health.exceptions.ISMInputError: the final reachability matrix is not transitive: 1 missing entry, ...
    """
    r, labels, _ = _checked(frm, labels, name)
    return r, labels


def _checked(frm: Any, labels: Sequence[str] | None, name: str = "final reachability matrix") -> tuple[
    np.ndarray, list[str], np.ndarray
]:
    """One pass: a reflexive boolean final reachability matrix, its labels and its levels (result rule).

    Transitivity is checked by the same kernel pass that finds the levels
    (``_generations``; a closure computed by ``transitive_closure`` is
    recognised bit for bit). Only when the matrix is refused is it examined
    again, to name the factors in the message. The returned matrix may be the
    caller's own array (when it is boolean with a full diagonal): never write into it.
    """
    r = None
    names: list[str] = []
    if isinstance(frm, np.ndarray) and not isinstance(frm, np.ma.MaskedArray) and frm.ndim == 2 and (
        frm.dtype.kind in "biuf"
    ):
        try:
            r = as_binary(frm, name, ndims=(2,))
        except ISMInputError:
            r = None  # the labelled path below names the bad cell
        if r is not None:
            n = r.shape[0]
            if labels is not None:
                names = check_labels(labels, min_n=1)
                if len(names) != n:
                    raise ISMInputError(f"{len(names)} labels given for a {n} x {n} {name}.")
            else:
                names = default_labels(n)
    if r is None:
        r, names = _as_reflexive(frm, labels, name)
    elif not r.diagonal().all():
        r = r.copy()
        np.fill_diagonal(r, True)
    if not len(r):
        return r, names, np.zeros(0, dtype=np.int64)
    try:
        levels = _generations(r)
    except ISMInputError:
        _refuse_not_transitive(r, names, name)
        raise
    return r, names, levels


def _as_reflexive(frm: Any, labels: Sequence[str] | None, name: str) -> tuple[np.ndarray, list[str]]:
    """Any table (lists, DataFrame, text cells) as a reflexive boolean matrix, bad cells named by label."""
    values, labels = as_square(frm, labels, name=name, min_n=1)
    if values.dtype == bool:
        r = values.copy()
    else:
        try:
            num = None if values.dtype.kind == "c" else values.astype(float)
        except (TypeError, ValueError):
            num = None
        if num is None or not np.isin(num, (0, 1)).all():
            bad = [(i, j) for (i, j), v in np.ndenumerate(values) if not _is01(v)]
            i, j = bad[0]
            raise ISMInputError(
                f"the {name} must hold only 0 and 1; {len(bad)} cells do not, e.g. "
                f"row {labels[i]!r}, column {labels[j]!r} is {values[i, j]!r}."
            )
        r = num == 1
    np.fill_diagonal(r, True)
    return r, labels


def _refuse_not_transitive(r: np.ndarray, labels: Sequence[str], name: str) -> None:
    """Raise the labelled "not transitive" error for a reflexive matrix known not to be transitive."""
    closed = transitive_closure(r)
    missing = closed & ~r
    if not missing.any():  # pragma: no cover - the kernel and the closure disagree
        return
    i, j = (int(x) for x in np.argwhere(missing)[0])
    # A shortest chain i -> ... -> j in r has r[i, chain[2]] false: a two-step gap.
    a, k, b = explain(r, i, j)[:3]
    count = int(missing.sum())
    raise ISMInputError(
        f"the {name} is not transitive: {count} missing entr{'y' if count == 1 else 'ies'}, e.g. "
        f"{labels[a]}->{labels[k]}->{labels[b]} but not {labels[a]}->{labels[b]}. "
        f"Compute it with transitive_closure()."
    )


def _is01(v: Any) -> bool:
    if isinstance(v, (complex, np.complexfloating)):
        return False  # (float() of a numpy complex warns and drops the imaginary part)
    try:
        return float(v) in (0.0, 1.0)
    except (TypeError, ValueError):
        return False


def level_partition(frm: Any, labels: Sequence[str] | None = None, *, rule: Rule = "result") -> pd.Series:
    """ISM level of every factor (1 = top) from the final reachability matrix.

    Parameters
    ----------
    frm : array_like or DataFrame, (n, n)
        Final reachability matrix (reflexive, transitive); ``frm[i, j]`` is 1
        when factor i reaches factor j.
    labels : sequence of str, optional
        Factor names; default the DataFrame's labels or ``F1..Fn``.
    rule : {"result", "cause", "alternating"}
        The extraction rule (see the module documentation): top-down (the
        default, Warfield's rule), bottom-up, or alternating, starting top-down.
        Levels are numbered 1 = top whatever the rule.

    Returns
    -------
    pandas.Series
        Integer levels named ``level``, indexed by factor. Always a Series: a
        stack of matrices (b, n, n) is rejected with :class:`ISMInputError`;
        use :func:`level_numbers` for stacks (version 0.1 returned a DataFrame
        for a stack).

    Raises
    ------
    ISMInputError
        When ``frm`` is not a square 0/1 matrix, not transitive, or a stack.

    Examples
    --------
    >>> from ism_health import level_partition
    >>> frm = [[1, 1, 1], [0, 1, 1], [0, 1, 1]]
    >>> level_partition(frm, labels=["Law", "Trust", "Use"])
    Law      2
    Trust    1
    Use      1
    Name: level, dtype: int64

    Law -> Trust -> Use and Value -> Use: top-down extraction puts ``Value`` as
    high as it can go (level 2), bottom-up extraction as low (level 3):

    >>> frm = [[1, 1, 1, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 1, 1]]
    >>> names = ["Law", "Trust", "Use", "Value"]
    >>> level_partition(frm, names).tolist(), level_partition(frm, names, rule="cause").tolist()
    ([3, 2, 1, 2], [3, 2, 1, 3])
    """
    check_choice("rule", rule, RULES)
    if isinstance(frm, np.ndarray) and frm.ndim == 3:
        raise ISMInputError(
            f"level_partition takes one final reachability matrix (n, n); got a stack of shape {np.shape(frm)}. "
            "Use ism_health.levels.level_numbers(stack) for the levels of a stack (one row per matrix)."
        )
    r, labels, levels = _checked(frm, labels)
    if rule != "result":
        levels = _levels_by_rule(r, rule, levels)
    return pd.Series(levels, index=_label_index(labels), name="level", copy=False)


@functools.lru_cache(maxsize=64)
def _cached_index(labels: tuple[str, ...]) -> pd.Index:
    return pd.Index(list(labels), name=None)


def _label_index(labels: Sequence[str]) -> pd.Index:
    """A pandas Index of ``labels``: a new view of a cached one for small studies.

    Building an Index of strings costs about 20 µs at n = 13 (more than the levels);
    each call gets its own view, so renaming one never reaches another.
    """
    if len(labels) > 1000:
        return pd.Index(list(labels), name=None)
    return _cached_index(tuple(labels)).view()


def level_numbers(frm: ArrayLike) -> np.ndarray:
    """ISM level of every element (1 = top) of one final reachability matrix or a stack, as integers.

    The numeric counterpart of :func:`level_partition`, without labels, fast for
    large matrices and for stacks ``(b, n, n)`` of many matrices (e.g. a
    simulation). An element is placed on the current level when its
    reachability set equals the intersection of its reachability and
    antecedent sets among the elements not yet placed; those elements are
    removed and the rule repeats. This equals 1 + the longest path (counted in
    strong components) from the element's component to a sink component;
    members of a cycle share a level.

    Parameters
    ----------
    frm : array_like (n, n) or (b, n, n)
        Final reachability matrix: transitive; the diagonal is taken as 1.

    Returns
    -------
    numpy.ndarray of int64, shape (n,) or (b, n)

    Raises
    ------
    ISMInputError
        On bad shapes or values, or when ``frm`` is not transitive (the
        message shows a chain i->j->k with i->k missing, by index).

    Examples
    --------
    >>> from ism_health.levels import level_numbers
    >>> level_numbers([[1, 1, 1], [0, 1, 1], [0, 0, 1]])
    array([3, 2, 1])
    >>> level_numbers([[[1, 1], [0, 1]], [[1, 1], [1, 1]]])
    array([[2, 1],
           [1, 1]])
    """
    return _generations(frm)


def partition_iterations(frm: Any, labels: Sequence[str] | None = None, *, rule: Rule = "result") -> pd.DataFrame:
    """The level-partition iteration tables, as papers print them, in one long table.

    One row per iteration and remaining factor, with columns ``iteration``,
    ``factor``, ``reachability_set``, ``antecedent_set``, ``intersection_set``
    (tuples of labels, among the factors not yet placed), ``assigned`` (the
    factor goes to a level in this iteration) and ``level`` (that level, or
    ``<NA>``). With ``rule="result"`` (the default) iteration k assigns level k.
    With ``rule="cause"`` every iteration is a cause step (its factor is
    assigned when its antecedent set equals the intersection) and the first
    iteration assigns the bottom level; with ``rule="alternating"`` the odd
    iterations are result steps and the even ones cause steps. Levels are
    numbered 1 = top whatever the rule.

    Examples
    --------
    >>> from ism_health import partition_iterations
    >>> t = partition_iterations([[1, 1], [0, 1]], labels=["Law", "Trust"])
    >>> t[["iteration", "factor", "reachability_set", "antecedent_set", "assigned", "level"]]
       iteration factor reachability_set antecedent_set  assigned  level
    0          1    Law     (Law, Trust)         (Law,)     False   <NA>
    1          1  Trust         (Trust,)   (Law, Trust)      True      1
    2          2    Law           (Law,)         (Law,)      True      2
    >>> partition_iterations([[1, 1], [0, 1]], labels=["Law", "Trust"], rule="cause")[["iteration", "factor", "assigned", "level"]]
       iteration factor  assigned  level
    0          1    Law      True      2
    1          1  Trust     False   <NA>
    2          2  Trust      True      1
    """
    check_choice("rule", rule, RULES)
    r, labels, levels = _checked(frm, labels)
    return _partition_table(r, labels, rule, levels)


def _extraction_steps(r: np.ndarray, rule: str) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """The steps of a level extraction on a validated (reflexive, transitive) boolean matrix.

    One tuple per iteration: the kind of step (``"result"`` or ``"cause"``), the
    indices still remaining, the matrix restricted to them and the mask (over
    those indices) of the elements the step extracts. Every step extracts at
    least one element (a finite transitive relation has a maximal and a
    minimal strong component), so the loop ends.
    """
    remaining = np.ones(len(r), dtype=bool)
    steps: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]] = []
    while remaining.any():
        kind = rule if rule != "alternating" else ("result" if len(steps) % 2 == 0 else "cause")
        idx = np.flatnonzero(remaining)
        sub = r[np.ix_(idx, idx)]
        inter = sub & sub.T
        # result: reachability set (row) == intersection; cause: antecedent set (column) == intersection
        chosen = (inter == sub).all(axis=1) if kind == "result" else (inter == sub.T).all(axis=1)
        steps.append((kind, idx, sub, chosen))
        remaining[idx[chosen]] = False
    return steps


def _step_levels(steps: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray]]) -> list[int]:
    """The level (1 = top) each step assigns: result steps from the top, cause steps from the bottom."""
    total = len(steps)
    out, tops, bottoms = [], 0, 0
    for kind, *_ in steps:
        if kind == "result":
            tops += 1
            out.append(tops)
        else:
            bottoms += 1
            out.append(total - bottoms + 1)
    return out


def _levels_by_rule(r: np.ndarray, rule: str, result_levels: np.ndarray | None = None) -> np.ndarray:
    """Levels (1 = top) of a validated matrix under an extraction rule, by the kernel where it can.

    Result rule: 1 + the longest path to a sink (the kernel's generations).
    Cause rule: counted from the bottom, 1 + the longest path from a source,
    which is the generation in the reversed relation; the bottom level is the
    number of levels H, so the level is H + 1 - that generation.
    Alternating: the extraction steps one by one.
    """
    if rule == "result":
        return _generations(r) if result_levels is None else result_levels
    if rule == "cause":
        if not len(r):
            return np.zeros(0, dtype=np.int64)
        down = _generations(r) if result_levels is None else result_levels
        up = _generations(r.T)
        return int(down.max()) + 1 - up
    return _rule_levels(r, rule)


def _rule_levels(r: np.ndarray, rule: str) -> np.ndarray:
    """Levels (1 = top) of a validated matrix under an extraction rule, step by step."""
    steps = _extraction_steps(r, rule)
    levels = np.zeros(len(r), dtype=np.int64)
    for (_, idx, _, chosen), level in zip(steps, _step_levels(steps)):
        levels[idx[chosen]] = level
    return levels


#: Most label entries (summed over the three set columns) a partition table
#: holds as plain tuples; a larger one holds :class:`LabelSet` views (O(1) memory
#: per cell; the table is then O(n**2) however long the hierarchy).
PARTITION_TUPLE_ENTRIES: int = 1 << 20

_KINDS = ("reachability", "antecedent", "intersection")


def _partition_steps(r: np.ndarray, rule: str, levels: np.ndarray | None) -> tuple[np.ndarray, list[int]]:
    """The iteration in which each factor is placed (1-based) and the level each iteration assigns."""
    if rule == "alternating":
        steps = _extraction_steps(r, rule)
        step = np.zeros(len(r), dtype=np.int64)
        for t, (_, idx, _, chosen) in enumerate(steps, start=1):
            step[idx[chosen]] = t
        return step, _step_levels(steps)
    lv = _levels_by_rule(r, rule, levels)
    top = int(lv.max()) if len(lv) else 0
    if rule == "result":  # iteration t places level t
        return lv.copy(), list(range(1, top + 1))
    return top + 1 - lv, list(range(top, 0, -1))  # cause: iteration t places level top + 1 - t


def _partition_table(
    r: np.ndarray, labels: Sequence[str], rule: str = "result", levels: np.ndarray | None = None
) -> pd.DataFrame:
    """The iteration tables of a validated (reflexive, transitive) boolean matrix.

    One row per iteration and factor still unplaced (at most n (n + 1) / 2
    rows). The three set columns are ``LabelSetArray`` columns (four integers,
    13 bytes, per cell); read, a cell is a tuple, or a :class:`LabelSet` view when the
    tuples would exceed :data:`PARTITION_TUPLE_ENTRIES` labels.
    ``levels``: the result-rule levels when already known.
    """
    n = len(r)
    names = np.array(list(labels), dtype=object)
    step, step_levels = _partition_steps(r, rule, levels)
    # rows: factor i appears in iterations 1..step[i]; ordered by iteration, then factor (row-major nonzero)
    top = int(step.max()) if n else 0
    it, fac = np.nonzero(step[None, :] > np.arange(top)[:, None])
    it += 1
    assigned = step[fac] == it
    lev_of_step = np.zeros(len(step_levels) + 1, dtype=np.int64)
    lev_of_step[1:] = step_levels
    level = pd.array(np.where(assigned, lev_of_step[it], 0), dtype="Int64")
    level[~assigned] = pd.NA
    # the sets are made when read (tuples, or LabelSet views above PARTITION_TUPLE_ENTRIES labels in all)
    ctx = _PartitionSets(r, names, step, PARTITION_TUPLE_ENTRIES)
    cols: dict[str, Any] = {"iteration": it, "factor": names[fac]}
    shared_fac, shared_it = fac.astype(np.int32), it.astype(np.int32)  # one copy for the three set columns
    for kind, name in enumerate(_KINDS):
        cols[f"{name}_set"] = LabelSetArray._column(ctx, shared_fac, shared_it, kind)
    cols["assigned"] = assigned
    cols["level"] = level
    return pd.DataFrame(cols)


def canonical_matrix(frm: Any, labels: Sequence[str] | None = None) -> pd.DataFrame:
    """The canonical (conical) matrix: the final reachability matrix ordered by level.

    Rows and columns are sorted by level, level 1 (top) first, factors of one
    level in their original order. Every factor then reaches only factors of
    its own or a higher level, so the matrix is block lower-triangular.

    Examples
    --------
    >>> from ism_health import canonical_matrix
    >>> canonical_matrix([[1, 1], [0, 1]], labels=["Law", "Trust"])
           Trust  Law
    Trust      1    0
    Law        1    1
    """
    r, labels, levels = _checked(frm, labels)
    return _canonical(r, labels, levels)


def _canonical(r: np.ndarray, labels: Sequence[str] | pd.Index, levels: np.ndarray) -> pd.DataFrame:
    order = np.argsort(levels, kind="stable")
    names = labels.take(order) if isinstance(labels, pd.Index) else _label_index([labels[k] for k in order])
    # two takes (rows, then columns) are several times faster than one np.ix_ gather
    values = r.take(order, axis=0).take(order, axis=1).view(np.int8)
    return pd.DataFrame(values, index=names, columns=names.view(), copy=False)  # (two Index objects: renaming one)
