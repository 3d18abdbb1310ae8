"""Aggregation rules: how the votes of a panel become one judgment per pair.

Every rule is a function registered in :data:`RULES` under the name that
:meth:`Panel.aggregate <ism_health.Panel.aggregate>` takes as ``rule=``. A rule
receives the panel's (weighted) votes as a :class:`Tally` and the options
``threshold``, ``strict`` and ``ties`` (it may ignore those it does not use),
and returns a :class:`Decision`: one code per pair (0 = O, 1 = V, 2 = A,
3 = X) and, per pair, whether there was a tie and how it was broken.

Adding a rule is one function and one entry in :data:`RULES`: the options are
checked, the weights applied and the report built here for every rule alike.

Examples
--------
>>> from ism_health import Panel
>>> from ism_health.experts.aggregate import RULES
>>> sorted(RULES)
['mode', 'threshold', 'unanimity']
>>> p = Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "X"), ("e3", "a", "b", "X")])
>>> [p.aggregate(rule).symbol("a", "b") for rule in RULES]
['X', 'X', 'V']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from .._symbols import CODE, LETTERS, SHOWN
from .._validation import check_choice
from ..exceptions import ISMInputError

if TYPE_CHECKING:
    from .panel import Panel

__all__ = ["RULES", "TIES", "Tally", "Decision", "tally", "threshold_rule", "mode_rule", "unanimity_rule", "decide"]

Rule = Literal["threshold", "mode", "unanimity"]
Ties = Literal["raise", "conservative", "liberal"]
#: How :func:`mode_rule` breaks a tie between symbols.
TIES: tuple[str, ...] = ("raise", "conservative", "liberal")

#: Shares closer than this are equal (to the threshold, or to each other).
_EPS = 1e-9


@dataclass(frozen=True, eq=False)
class Tally:
    """A panel's answers as every rule sees them: votes and shares per pair, weighted.

    Build it with :func:`tally`. Pairs are (i, j), i < j, in factor order.

    Attributes
    ----------
    labels : tuple of str
        The factors.
    rows, cols : ndarray of int
        Factor positions (i, j) of each pair.
    codes : ndarray of int8, shape (n_experts, n_pairs)
        The answers (0 = O, 1 = V, 2 = A, 3 = X).
    weights : ndarray of float, shape (n_experts,)
        Expert weights, scaled so that the largest is 1 (all 1 without weights).
    share_forward, share_backward : ndarray of float, shape (n_pairs,)
        Weighted share of the experts who answered the pair asserting i -> j
        (``V`` or ``X``) and j -> i (``A`` or ``X``).
    weighted_votes : ndarray of float, shape (n_pairs, 4)
        Weighted votes per pair and code (columns in code order O, V, A, X),
        in the scaled weights.
    scale : float
        The largest weight given: ``weights * scale`` are the weights given.

    Examples
    --------
    >>> from ism_health import Panel
    >>> from ism_health.experts.aggregate import tally
    >>> t = tally(Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "X")]), {"e1": 3, "e2": 1})
    >>> t.share_forward.tolist(), t.share_backward.tolist(), (t.weighted_votes * t.scale).tolist()
    ([1.0], [0.25], [[0.0, 3.0, 0.0, 1.0]])
    """

    labels: tuple[str, ...]
    rows: np.ndarray
    cols: np.ndarray
    codes: np.ndarray
    weights: np.ndarray
    share_forward: np.ndarray
    share_backward: np.ndarray
    weighted_votes: np.ndarray
    scale: float = 1.0

    @property
    def n_pairs(self) -> int:
        """The number of pairs."""
        return len(self.rows)

    @property
    def total(self) -> float:
        """The total weight of the panel (weights scaled so that the largest is 1)."""
        return float(self.weights.sum())


@dataclass(frozen=True, eq=False)
class Decision:
    """What a rule decided: a code per pair, and per pair any tie and how it was broken.

    Attributes
    ----------
    codes : ndarray of int8, shape (n_pairs,)
        The decision (0 = O, 1 = V, 2 = A, 3 = X).
    tie : ndarray of bool
        Pairs where the rule met a tie.
    tied : ndarray of str (object)
        What was tied (the tied symbols, or ``"at threshold"``); '' without a tie.
    resolution : ndarray of str (object)
        How the tie was broken; '' without a tie.

    Examples
    --------
    >>> import numpy as np
    >>> from ism_health.experts.aggregate import Decision
    >>> d = Decision(np.array([1, 0], dtype=np.int8))
    >>> d.tie.tolist(), d.tied.tolist()
    ([False, False], ['', ''])
    """

    codes: np.ndarray
    tie: np.ndarray = None  # type: ignore[assignment]
    tied: np.ndarray = None  # type: ignore[assignment]
    resolution: np.ndarray = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        n = len(self.codes)
        if self.tie is None:
            object.__setattr__(self, "tie", np.zeros(n, dtype=bool))
        if self.tied is None:
            object.__setattr__(self, "tied", np.full(n, "", dtype=object))
        if self.resolution is None:
            object.__setattr__(self, "resolution", np.full(n, "", dtype=object))


#: The signature of a rule: ``rule(tally, *, threshold, strict, ties) -> Decision``.
RuleFunction = Callable[..., Decision]


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.3g}"


# ====================================================================== the rules
def threshold_rule(t: Tally, *, threshold: float, strict: bool, ties: str) -> Decision:
    """Directional threshold: i -> j holds when the share of experts asserting it exceeds ``threshold``.

    With ``strict=False`` the share may equal the threshold. The two
    directions together give the symbol (both: ``X``; neither: ``O``). A share
    exactly at the threshold is reported as a tie, resolved by ``strict``.
    ``ties`` is not used.

    Examples
    --------
    >>> from ism_health import Panel
    >>> from ism_health.experts.aggregate import tally, threshold_rule
    >>> t = tally(Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "O")]))
    >>> d = threshold_rule(t, threshold=0.5, strict=True, ties="raise")
    >>> d.codes.tolist(), d.tied.tolist(), d.resolution.tolist()
    ([0], ['at threshold'], ['a -> b share 0.5 equals threshold 0.5: not asserted (strict: share must exceed it)'])
    """
    share_f, share_b = t.share_forward, t.share_backward
    f_on = np.abs(share_f - threshold) <= _EPS
    b_on = np.abs(share_b - threshold) <= _EPS
    above_f = share_f > threshold + _EPS if strict else share_f >= threshold - _EPS
    above_b = share_b > threshold + _EPS if strict else share_b >= threshold - _EPS
    decision = Decision(above_f.astype(np.int8) + 2 * above_b.astype(np.int8))
    verb = "not asserted (strict: share must exceed it)" if strict else "asserted (share may equal it)"
    for p in np.flatnonzero(f_on | b_on):
        decision.tie[p] = True
        parts = []
        fi, fj = t.labels[t.rows[p]], t.labels[t.cols[p]]
        if f_on[p]:
            parts.append(f"{fi} -> {fj} share {share_f[p]:.3g} equals threshold {threshold:g}: {verb}")
        if b_on[p]:
            parts.append(f"{fj} -> {fi} share {share_b[p]:.3g} equals threshold {threshold:g}: {verb}")
        decision.tied[p] = "at threshold"
        decision.resolution[p] = "; ".join(parts)
    return decision


def unanimity_rule(t: Tally, *, threshold: float, strict: bool, ties: str) -> Decision:
    """Directional unanimity: i -> j holds only when every expert asserts it (``X`` only when all say ``X``).

    Weights change nothing (every expert must agree); ``threshold``,
    ``strict`` and ``ties`` are not used.

    Examples
    --------
    >>> from ism_health import Panel
    >>> from ism_health.experts.aggregate import tally, unanimity_rule
    >>> t = tally(Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "X")]))
    >>> unanimity_rule(t, threshold=0.5, strict=True, ties="raise").codes.tolist()   # a -> b by both: V
    [1]
    """
    fwd = (np.abs(t.share_forward - 1) <= _EPS).astype(np.int8)
    bwd = (np.abs(t.share_backward - 1) <= _EPS).astype(np.int8)
    return Decision(fwd + 2 * bwd)


def mode_rule(t: Tally, *, threshold: float, strict: bool, ties: str) -> Decision:
    """The symbol with the most (weighted) votes; a tie between symbols is resolved by ``ties``.

    ``"raise"`` refuses ties and lists every tied pair; ``"conservative"``
    keeps the directions that every tied symbol asserts, ``"liberal"`` those
    that any tied symbol asserts. ``threshold`` and ``strict`` are not used.

    Examples
    --------
    >>> from ism_health import Panel
    >>> from ism_health.experts.aggregate import mode_rule, tally
    >>> t = tally(Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "X")]))
    >>> d = mode_rule(t, threshold=0.5, strict=True, ties="conservative")
    >>> d.codes.tolist(), d.tied.tolist(), d.resolution.tolist()
    ([1], ['V, X'], ['conservative: V'])
    """
    wvotes = t.weighted_votes
    top = wvotes.max(axis=1, keepdims=True)
    is_top = np.abs(wvotes - top) <= _EPS * max(1.0, t.total)
    decision = Decision(np.argmax(wvotes, axis=1).astype(np.int8))
    multi = np.flatnonzero(is_top.sum(axis=1) > 1)
    if len(multi) and ties == "raise":
        lab = t.labels
        problems = [
            f"pair ({lab[t.rows[p]]!r}, {lab[t.cols[p]]!r}): tie between "
            f"{', '.join(s for s in SHOWN if is_top[p, CODE[s]])} "
            f"(votes {', '.join(f'{s}={_fmt(wvotes[p, CODE[s]])}' for s in SHOWN)}); "
            "choose ties='conservative' (directions every tied symbol asserts) or "
            "ties='liberal' (directions any tied symbol asserts)."
            for p in multi
        ]
        raise ISMInputError(problems)
    for p in multi:
        codes = [c for c in range(4) if is_top[p, c]]
        if ties == "conservative":
            d = codes[0]
            for c in codes[1:]:
                d &= c
        else:
            d = 0
            for c in codes:
                d |= c
        decision.codes[p] = d
        decision.tie[p] = True
        decision.tied[p] = ", ".join(s for s in SHOWN if CODE[s] in codes)
        decision.resolution[p] = f"{ties}: {LETTERS[d]}"
    return decision


#: The aggregation rules by name, in the order error messages list them. A new rule is one entry here.
RULES: dict[str, RuleFunction] = {"threshold": threshold_rule, "mode": mode_rule, "unanimity": unanimity_rule}


# ====================================================================== the machinery every rule shares
def _check_options(rule: str, threshold: float, strict: bool, ties: str) -> float:
    """Check the options (whatever the rule) and return the threshold as a float."""
    check_choice("rule", rule, tuple(RULES))
    check_choice("ties", ties, TIES)
    if not isinstance(strict, (bool, np.bool_)):
        raise ISMInputError(f"strict={strict!r} is not allowed; expected True or False.")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating)):
        raise ISMInputError(f"threshold={threshold!r} is not allowed; expected a number in [0, 1).")
    threshold = float(threshold)
    lo_ok = 0 <= threshold < 1 if strict else 0 < threshold <= 1
    if not lo_ok:
        allowed = "[0, 1) with strict=True" if strict else "(0, 1] with strict=False"
        raise ISMInputError(f"threshold={threshold!r} is not allowed; expected a number in {allowed}.")
    return threshold


def _expert_weights(panel: Panel, weights: Mapping[str, float] | None) -> np.ndarray:
    """The weights checked (every expert, positive, finite) and scaled so that the largest is 1."""
    return _weights_and_scale(panel, weights)[0]


def _weights_and_scale(panel: Panel, weights: Mapping[str, float] | None) -> tuple[np.ndarray, float]:
    experts = panel.experts
    if weights is None:
        return np.ones(len(experts)), 1.0
    if not isinstance(weights, Mapping):
        raise ISMInputError(f"weights must be a mapping expert -> positive number; got {type(weights).__name__}.")
    problems = []
    for k in weights:
        if k not in experts:
            problems.append(f"weights name unknown expert {k!r}; expected one of {list(experts)}.")
    w = np.ones(len(experts))
    for pos, e in enumerate(experts):
        if e not in weights:
            problems.append(f"weights give no weight for expert {e!r}; expected a positive weight for every expert.")
            continue
        v = weights[e]
        ok = isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
        if not ok or not math.isfinite(float(v)) or float(v) <= 0:
            problems.append(f"weight of expert {e!r} is {v!r}; expected a positive finite number.")
            continue
        w[pos] = float(v)
    if problems:
        raise ISMInputError(problems)
    # Only the ratios count: scale by the largest so that sums cannot overflow (1e308 x 12 is inf,
    # and inf / inf would make every share NaN and every pair O).
    scale = float(w.max())
    w = w / scale
    if not (w > 0).all():
        raise ISMInputError(
            f"weights span too wide a range (largest / smallest > {1 / np.finfo(float).tiny:.3g}); "
            "expected weights whose ratios are finite numbers."
        )
    return w, scale


def tally(panel: Panel, weights: Mapping[str, float] | None = None) -> Tally:
    """The votes and shares of a panel, weighted (weights checked: every expert, positive, finite).

    Examples
    --------
    >>> from ism_health import Panel
    >>> from ism_health.experts.aggregate import tally
    >>> t = tally(Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "A")]))
    >>> t.share_forward.tolist(), t.total
    ([0.5], 2.0)
    """
    w, scale = _weights_and_scale(panel, weights)
    codes = panel.codes
    answered = panel.answered
    total = (w[:, None] * answered).sum(axis=0)  # per pair: the weight of those who answered it
    fwd = (codes & 1).astype(bool) & answered
    bwd = (codes & 2).astype(bool) & answered
    rows, cols = np.triu_indices(panel.n_factors, 1)
    return Tally(
        labels=panel.labels,
        rows=rows,
        cols=cols,
        codes=codes,
        weights=w,
        share_forward=(w[:, None] * fwd).sum(axis=0) / total,
        share_backward=(w[:, None] * bwd).sum(axis=0) / total,
        weighted_votes=np.stack([(w[:, None] * (codes == c)).sum(axis=0) for c in range(4)], axis=1),
        scale=scale,
    )


def decide(
    panel: Panel,
    rule: str = "threshold",
    *,
    threshold: float = 0.5,
    strict: bool = True,
    ties: str = "raise",
    weights: Mapping[str, float] | None = None,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Apply a rule of :data:`RULES` to a panel: the decided codes and the per-pair report.

    What :meth:`Panel.aggregate <ism_health.Panel.aggregate>` and
    :meth:`Panel.aggregation_report <ism_health.Panel.aggregation_report>`
    do (same options, checked here for every rule).

    Returns
    -------
    codes : ndarray of int8, shape (n_pairs,)
    report : DataFrame
        The table of :meth:`Panel.aggregation_report <ism_health.Panel.aggregation_report>`.

    Examples
    --------
    >>> from ism_health import Panel
    >>> from ism_health.experts.aggregate import decide
    >>> codes, report = decide(Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "X")]), "unanimity")
    >>> codes.tolist(), report.decision.tolist()
    ([1], ['V'])
    """
    threshold = _check_options(rule, threshold, strict, ties)
    t = tally(panel, weights)
    decision = RULES[rule](t, threshold=threshold, strict=strict, ties=ties)
    counts = panel._counts()
    report = panel._pair_frame()
    for s in SHOWN:
        report[f"votes_{s}"] = counts[:, CODE[s]].astype(np.int64)
    if weights is not None:
        for s in SHOWN:
            with np.errstate(over="ignore"):
                given = t.weighted_votes[:, CODE[s]] * t.scale
            report[f"weight_{s}"] = given if np.isfinite(given).all() else t.weighted_votes[:, CODE[s]]
    report["share_i_to_j"] = t.share_forward
    report["share_j_to_i"] = t.share_backward
    report["decision"] = np.array(LETTERS, dtype=object)[decision.codes]
    report["tie"] = decision.tie
    report["tied"] = decision.tied
    report["tie_resolution"] = decision.resolution
    report["rule"] = rule
    return decision.codes, report
