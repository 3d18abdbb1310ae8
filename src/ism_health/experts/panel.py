"""The panel: every expert's V/A/X/O judgment of every pair of factors.

A :class:`Panel` holds the answers (experts x pairs) and nothing else; the
steps over it live beside it: :mod:`~ism_health.experts.aggregate` (one SSIM by
a stated rule), :mod:`~ism_health.experts.agreement` (kappa, alpha, per pair and
per expert), :mod:`~ism_health.experts.questionnaire` (Excel forms out and back
in) and :mod:`~ism_health.experts.simulate` (a noisy panel from a known
structure). The methods :meth:`Panel.aggregate`, :meth:`Panel.aggregation_report`
and :meth:`Panel.agreement` delegate to them.

Orientation: for a pair (i, j), i listed first in the panel's factor order,
``V`` is i -> j, ``A`` is j -> i, ``X`` both, ``O`` neither; in every table
``factor_i`` is the factor listed first and the symbol is read from
``factor_i`` to ``factor_j``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from .._symbols import (
    CODE,
    EXPECTED,
    LETTERS,
    SHOWN,
    adjacency_from_codes,
    cell_repr,
    cell_text,
    is_blank,
    mirror,
    pair_codes,
    symbol_text,
)
from .._validation import check_labels
from ..exceptions import ISMInputError
from ..ssim import SSIM
from .aggregate import Rule, Ties, decide
from .agreement import PanelAgreement, panel_agreement

__all__ = ["Panel", "NO_ANSWER"]

#: The code of a pair an expert did not answer (only in a panel read with ``missing="drop-pair"``).
NO_ANSWER = -1
#: The columns of :attr:`Panel.interpretations`.
INTERPRETATION_COLUMNS = ("expert", "source", "target", "interpretation", "status")


def expert_names(n: int) -> list[str]:
    """Default expert identifiers ``E01, E02, ...`` (at least two digits)."""
    width = max(2, len(str(n)))
    return [f"E{k:0{width}d}" for k in range(1, n + 1)]


class Panel:
    """The answers of a panel of experts: one V/A/X/O judgment per expert and pair.

    Build one with :func:`read_panel` (filled questionnaires),
    :meth:`from_long` (a long table) or :meth:`from_ssims` (one SSIM per
    expert), or :func:`simulate_panel`. A missing answer is never read as
    ``O``: it is an error, unless the panel was read with
    ``missing="drop-pair"`` (the pair is decided by those who answered) or
    ``missing="drop-expert"`` (the expert is left out, and said so in
    :attr:`notes`). A panel is immutable.

    Parameters
    ----------
    labels : sequence of str
        The factors, in order.
    experts : sequence of str
        The experts' identifiers (unique).
    codes : array_like of int, shape (n_experts, n_pairs)
        Answer codes (0 = O, 1 = V, 2 = A, 3 = X) for the pairs (i, j), i < j,
        in row-major order (``numpy.triu_indices(n, 1)``).
        ``-1`` marks a pair the expert did not answer (a panel read with
        ``missing="drop-pair"``): the pair is then decided by those who
        answered it. Every pair needs at least one answer.
    comments : array_like of str, same shape, optional
    sources : mapping expert -> str, optional
        Where each expert's answers came from (a file name).
    notes : sequence of str, optional
        What reading the answers decided and the reader should know (an
        expert ID taken from a file name, experts or answers left out).
    interpretations : DataFrame, optional
        The experts' texts on their links (TISM), as :func:`read_panel`
        reads them from forms written with ``interpretations=True``: columns
        ``expert, source, target, interpretation, status``.

    Attributes
    ----------
    labels, experts : tuple of str
    sources : mapping expert -> str
    notes : tuple of str

    Examples
    --------
    >>> from ism_health import Panel
    >>> panel = Panel.from_long([
    ...     ("ann", "Law", "Trust", "V"), ("ann", "Law", "Cost", "O"), ("ann", "Trust", "Cost", "A"),
    ...     ("bob", "Law", "Trust", "V"), ("bob", "Law", "Cost", "V"), ("bob", "Trust", "Cost", "O"),
    ... ])
    >>> panel
    Panel(2 experts x 3 pairs of 3 factors: 'Law', 'Trust', 'Cost')
    >>> panel.votes()
      factor_i factor_j  V  A  X  O
    0      Law    Trust  2  0  0  0
    1      Law     Cost  1  0  0  1
    2    Trust     Cost  0  1  0  1
    """

    __slots__ = ("_labels", "_experts", "_codes", "_comments", "_sources", "_notes", "_iu", "_ju", "_interpretations")

    def __init__(
        self,
        labels: Sequence[str],
        experts: Sequence[str],
        codes: Any,
        *,
        comments: Any = None,
        sources: Mapping[str, str] | None = None,
        notes: Sequence[str] = (),
        interpretations: pd.DataFrame | None = None,
    ) -> None:
        labels = check_labels(labels)
        experts = [str(e) for e in experts]
        problems = []
        seen: set[str] = set()
        for e in experts:
            if not e.strip():
                problems.append("an expert identifier is blank; every expert needs an identifier.")
            elif e in seen:
                problems.append(f"expert {e!r} is listed twice; expected unique identifiers.")
            seen.add(e)
        if not experts:
            problems.append("a panel needs at least one expert; got none.")
        n = len(labels)
        iu, ju = np.triu_indices(n, 1)
        arr = np.asarray(codes)
        if arr.shape != (len(experts), len(iu)):
            problems.append(
                f"codes must have shape (n_experts, n_pairs) = ({len(experts)}, {len(iu)}); got {arr.shape}."
            )
        elif arr.size and (arr.dtype.kind not in "iu" or arr.min() < NO_ANSWER or arr.max() > 3):
            problems.append("codes must be integers 0 (O), 1 (V), 2 (A), 3 (X) or -1 (no answer).")
        elif arr.size:
            answered = arr != NO_ANSWER
            for p in np.flatnonzero(~answered.any(axis=0)):
                problems.append(
                    f"pair ({labels[iu[p]]!r}, {labels[ju[p]]!r}): no expert answered it; expected at least one answer."
                )
            for k in np.flatnonzero(~answered.any(axis=1)):
                problems.append(f"expert {experts[k]!r} answered no pair; expected at least one answer.")
        if problems:
            raise ISMInputError(problems)
        arr = arr.astype(np.int8)
        arr.setflags(write=False)
        if comments is None:
            com = np.full(arr.shape, "", dtype=object)
        else:
            com = np.array([[cell_text(c) for c in row] for row in np.asarray(comments, dtype=object)], dtype=object)
            if com.shape != arr.shape:
                raise ISMInputError(f"comments must have the shape of codes {arr.shape}; got {com.shape}.")
        com.setflags(write=False)
        src = {e: "" for e in experts}
        if sources is not None:
            src.update({str(k): str(v) for k, v in sources.items() if str(k) in src})
        self._labels = tuple(labels)
        self._experts = tuple(experts)
        self._codes = arr
        self._comments = com
        self._sources = MappingProxyType(src)
        if isinstance(notes, str):
            notes = (notes,)
        self._notes = tuple(str(x) for x in notes)
        self._iu, self._ju = iu, ju
        texts = pd.DataFrame(columns=list(INTERPRETATION_COLUMNS), dtype=object)
        if interpretations is not None:
            absent = [c for c in INTERPRETATION_COLUMNS if c not in getattr(interpretations, "columns", ())]
            if absent:
                raise ISMInputError(f"interpretations must be a table with the columns {list(INTERPRETATION_COLUMNS)}; "
                                    f"missing: {absent}.")
            texts = interpretations.loc[:, list(INTERPRETATION_COLUMNS)].astype(object).reset_index(drop=True)
            strays = sorted({str(e) for e in texts["expert"]} - set(experts))
            strays += sorted({str(x) for x in (*texts["source"], *texts["target"])} - set(labels))
            if strays:
                raise ISMInputError(f"interpretations name unknown experts or factors: {strays}.")
        self._interpretations = texts

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_long(cls, data: Any, *, labels: Sequence[str] | None = None, source: str | None = None) -> Panel:
        """Build a panel from a long table: one row per expert and pair.

        Parameters
        ----------
        data : DataFrame or iterable of tuples
            Columns ``expert``, ``factor_i``, ``factor_j``, ``symbol`` and
            optionally ``comment`` (tuples in that order). A row may list a
            pair in either order: ``(e, b, a, 'V')`` is ``(e, a, b, 'A')``.
        labels : sequence of str, optional
            The factors and their order; default: order of first appearance.
        source : str, optional
            Where the table came from, quoted in error messages.

        Raises
        ------
        ISMInputError
            Listing every problem at once (row, expert and pair named): missing
            columns, blank experts, unknown factors, invalid symbols, a pair
            answered twice by one expert, a pair an expert did not answer.

        Examples
        --------
        >>> import pandas as pd
        >>> from ism_health import Panel
        >>> long = pd.DataFrame({"expert": ["e1", "e1", "e1"], "factor_i": ["a", "a", "c"],
        ...                      "factor_j": ["b", "c", "b"], "symbol": ["V", "x", "V"]})
        >>> p = Panel.from_long(long)
        >>> p.to_long()[["expert", "factor_i", "factor_j", "symbol"]]
          expert factor_i factor_j symbol
        0     e1        a        b      V
        1     e1        a        c      X
        2     e1        b        c      A
        """
        rows = _long_rows(data, source)
        problems: list[str] = []
        if labels is not None:
            labels = check_labels(labels, source=source)
        else:
            order: dict[str, None] = {}
            for _, fi, fj, _, _ in rows:
                for f in (fi, fj):
                    if not is_blank(f):
                        order.setdefault(cell_text(f), None)
            labels = check_labels(list(order), source=source)
        index = {lab: k for k, lab in enumerate(labels)}
        n = len(labels)
        pair_pos = {(int(i), int(j)): k for k, (i, j) in enumerate(zip(*np.triu_indices(n, 1)))}
        experts: dict[str, None] = {}
        answers: dict[tuple[str, int], tuple[int, str, int]] = {}
        flawed: set[str] = set()  # experts with a row that names no valid pair: their "missing" pairs would be noise
        reported: set[tuple[str, int]] = set()  # (expert, pair) with an invalid answer already reported
        for k, (ex, fi, fj, sym, com) in enumerate(rows):
            e = cell_text(ex)
            where = f"row {k + 1} ({cell_repr(ex)}, {cell_repr(fi)}, {cell_repr(fj)}, {cell_repr(sym)})"
            if not e:
                problems.append(f"{where} has a blank expert; expected the expert's identifier.")
                continue
            experts.setdefault(e, None)
            names = [cell_text(f) for f in (fi, fj)]
            bad = [f for f in names if f not in index]
            if bad:
                what = "a blank factor" if "" in bad else f"unknown factor {bad[0]!r}"
                problems.append(f"{where}, expert {e!r}, names {what}; expected one of the {n} factors.")
                flawed.add(e)
                continue
            i, j = index[names[0]], index[names[1]]
            if i == j:
                problems.append(f"{where}, expert {e!r}, pairs a factor with itself; expected two different factors.")
                flawed.add(e)
                continue
            pair = f"pair ({labels[min(i, j)]!r}, {labels[max(i, j)]!r})"
            p = pair_pos[(min(i, j), max(i, j))]
            s = symbol_text(sym)
            if s not in CODE:
                problems.append(f"{where}, expert {e!r}, {pair}: symbol is {cell_repr(sym)}; expected {EXPECTED}.")
                reported.add((e, p))
                continue
            code = CODE[s] if i < j else mirror(CODE[s])
            if (e, p) in answers:
                problems.append(
                    f"{where}, expert {e!r}, {pair}: answered twice (first in row {answers[(e, p)][2] + 1}); "
                    "expected one answer per expert and pair."
                )
                continue
            answers[(e, p)] = (code, cell_text(com), k)
        for e in experts:
            if e in flawed:
                continue
            for (i, j), p in pair_pos.items():
                if (e, p) not in answers and (e, p) not in reported:
                    problems.append(
                        f"expert {e!r}, pair ({labels[i]!r}, {labels[j]!r}): no answer; expected {EXPECTED} "
                        "(a missing answer is never read as O)."
                    )
        if not rows:
            problems.append("the table has no rows; expected one row per expert and pair.")
        if problems:
            raise ISMInputError(problems, source=source)
        ex = list(experts)
        codes = np.zeros((len(ex), len(pair_pos)), dtype=np.int8)
        comments = np.full(codes.shape, "", dtype=object)
        for (e, p), (code, com, _) in answers.items():
            codes[ex.index(e), p] = code
            comments[ex.index(e), p] = com
        return cls(labels, ex, codes, comments=comments, sources={e: source or "long table" for e in ex})

    @classmethod
    def from_ssims(cls, ssims: Sequence[SSIM] | Mapping[str, SSIM], experts: Sequence[str] | None = None) -> Panel:
        """Build a panel from one SSIM per expert (all over the same factors, in the same order).

        Parameters
        ----------
        ssims : sequence of SSIM, or mapping expert -> SSIM
        experts : sequence of str, optional
            Identifiers for a sequence of SSIMs; default ``E01, E02, ...``.

        Examples
        --------
        >>> from ism_health import SSIM, Panel
        >>> a = SSIM.from_pairs([("x", "y", "V"), ("x", "z", "O"), ("y", "z", "V")])
        >>> b = a.revise({("x", "z"): "V"})
        >>> p = Panel.from_ssims([a, a, b], experts=["ann", "bob", "cy"])
        >>> p.experts, p.aggregate() == a
        (('ann', 'bob', 'cy'), True)
        """
        if isinstance(ssims, Mapping):
            if experts is not None:
                raise ISMInputError("give experts either as the mapping's keys or as experts=, not both.")
            experts = [str(k) for k in ssims]
            items = list(ssims.values())
        else:
            items = list(ssims)
        problems = []
        if not items:
            problems.append("from_ssims needs at least one SSIM; got none.")
        for k, s in enumerate(items):
            if not isinstance(s, SSIM):
                problems.append(f"item {k + 1} is a {type(s).__name__}; expected an SSIM.")
        if problems:
            raise ISMInputError(problems)
        if experts is None:
            experts = expert_names(len(items))
        experts = [str(e) for e in experts]
        if len(experts) != len(items):
            raise ISMInputError(f"{len(experts)} expert identifiers given for {len(items)} SSIMs.")
        labels = items[0].labels
        for e, s in zip(experts, items):
            if s.labels != labels:
                only = sorted(set(s.labels) - set(labels))
                missing = sorted(set(labels) - set(s.labels))
                detail = (
                    f"factors only here: {only}; missing: {missing}" if (only or missing)
                    else "same factors, other order"
                )
                problems.append(
                    f"expert {e!r}: the SSIM's factors differ from expert {experts[0]!r}'s ({detail}); "
                    "expected the same factors in the same order."
                )
        if problems:
            raise ISMInputError(problems)
        iu, ju = np.triu_indices(len(labels), 1)
        codes = np.stack([pair_codes(s.adjacency, iu, ju) for s in items])
        return cls(labels, experts, codes, sources={e: f"SSIM {k + 1}" for k, e in enumerate(experts)})

    # ------------------------------------------------------------------ accessors
    @property
    def labels(self) -> tuple[str, ...]:
        """The factor labels, in order."""
        return self._labels

    @property
    def experts(self) -> tuple[str, ...]:
        """The experts' identifiers, in order."""
        return self._experts

    @property
    def sources(self) -> Mapping[str, str]:
        """Where each expert's answers came from (read-only mapping expert -> source)."""
        return self._sources

    @property
    def notes(self) -> tuple[str, ...]:
        """What reading the answers decided that a reader of the results should know (may be empty)."""
        return self._notes

    @property
    def interpretations(self) -> pd.DataFrame:
        """The experts' interpretations of their links (a new table).

        Columns ``expert, source, target, interpretation, status``. Filled by
        :func:`read_panel` from forms written with ``interpretations=True``
        (empty otherwise): one row for each link an expert answered (source ->
        target) and for each text written where the expert answered no link.
        ``status``: ``"given"`` (a link with its text), ``"missing"`` (a link
        without a text), ``"no link"`` (a text for a direction the expert said
        does not hold) or ``"unanswered"`` (a text on a pair left blank).
        :func:`ism_health.tism` reads this table.
        """
        return self._interpretations.copy()

    @property
    def answered(self) -> np.ndarray:
        """Read-only boolean array (n_experts, n_pairs): True where the expert answered the pair."""
        out = self._codes != NO_ANSWER
        out.setflags(write=False)
        return out

    @property
    def has_missing(self) -> bool:
        """True when some expert left some pair unanswered (a panel read with ``missing="drop-pair"``)."""
        return bool((self._codes == NO_ANSWER).any())

    @property
    def n_experts(self) -> int:
        """The number of experts."""
        return len(self._experts)

    @property
    def n_factors(self) -> int:
        """The number of factors."""
        return len(self._labels)

    @property
    def n_pairs(self) -> int:
        """The number of pairs, n (n - 1) / 2."""
        return len(self._iu)

    @property
    def codes(self) -> np.ndarray:
        """Read-only answer codes, shape (n_experts, n_pairs): 0 = O, 1 = V, 2 = A, 3 = X, -1 = no answer."""
        return self._codes

    def _pair_frame(self) -> pd.DataFrame:
        lab = np.array(self._labels, dtype=object)
        return pd.DataFrame({"factor_i": lab[self._iu], "factor_j": lab[self._ju]})

    def to_long(self) -> pd.DataFrame:
        """The answers as a long table: ``expert, factor_i, factor_j, symbol, comment, source``.

        One row per expert and pair answered (pairs in factor order,
        ``factor_i`` listed first). A new DataFrame each time: changing it
        changes nothing here.

        Examples
        --------
        >>> from ism_health import Panel
        >>> p = Panel.from_long([("e1", "b", "a", "V", "b drives a")], labels=["a", "b"])
        >>> p.to_long()
          expert factor_i factor_j symbol     comment      source
        0     e1        a        b      A  b drives a  long table
        """
        n_e, n_p = self._codes.shape
        lab = np.array(self._labels, dtype=object)
        letters = np.array(LETTERS, dtype=object)
        flat = self._codes.ravel()
        keep = flat != NO_ANSWER
        frame = pd.DataFrame(
            {
                "expert": np.repeat(np.array(self._experts, dtype=object), n_p)[keep],
                "factor_i": np.tile(lab[self._iu], n_e)[keep],
                "factor_j": np.tile(lab[self._ju], n_e)[keep],
                "symbol": letters[flat[keep]],
                "comment": self._comments.ravel()[keep],
                "source": np.repeat(np.array([self._sources[e] for e in self._experts], dtype=object), n_p)[keep],
            }
        )
        return frame.reset_index(drop=True)

    def expert_ssim(self, expert: str) -> SSIM:
        """One expert's answers as an SSIM.

        Examples
        --------
        >>> from ism_health import simulate_panel
        >>> from ism_health.datasets import load_example
        >>> panel = simulate_panel(load_example("worked"), 3, 0.0, seed=1)
        >>> panel.expert_ssim("E02") == load_example("worked")
        True
        """
        if expert not in self._experts:
            raise ISMInputError(f"unknown expert {expert!r}; expected one of {list(self._experts)}.")
        codes = self._codes[self._experts.index(expert)]
        missing = np.flatnonzero(codes == NO_ANSWER)
        if len(missing):
            pairs = ", ".join(f"({self._labels[self._iu[p]]!r}, {self._labels[self._ju[p]]!r})" for p in missing[:5])
            raise ISMInputError(
                f"expert {expert!r} left {len(missing)} pair(s) unanswered "
                f"({pairs}{', ...' if len(missing) > 5 else ''}); "
                "an SSIM needs every pair."
            )
        return SSIM(self._labels, self._adjacency_of(codes))

    def _adjacency_of(self, codes: np.ndarray) -> np.ndarray:
        return adjacency_from_codes(codes, self.n_factors, self._iu, self._ju)

    def _expert_adjacency(self) -> np.ndarray:
        """Boolean stack (n_experts, n, n): expert e asserts i -> j."""
        n = self.n_factors
        out = np.zeros((self.n_experts, n, n), dtype=bool)
        answered = self._codes != NO_ANSWER
        out[:, self._iu, self._ju] = (self._codes & 1).astype(bool) & answered
        out[:, self._ju, self._iu] = (self._codes & 2).astype(bool) & answered
        return out

    def _counts(self) -> np.ndarray:
        """Votes per pair and code (n_pairs, 4), columns in code order O, V, A, X."""
        return np.stack([(self._codes == c).sum(axis=0) for c in range(4)], axis=1)

    def votes(self) -> pd.DataFrame:
        """Per pair, how many experts chose each symbol (columns ``V, A, X, O``).

        A panel with unanswered pairs (:attr:`has_missing`) also has the
        column ``answered``: how many experts answered the pair.

        Examples
        --------
        >>> from ism_health import Panel
        >>> Panel.from_long([("e1", "a", "b", "V"), ("e2", "b", "a", "A"), ("e3", "a", "b", "O")]).votes()
          factor_i factor_j  V  A  X  O
        0        a        b  2  0  0  1
        """
        counts = self._counts()
        out = self._pair_frame()
        for s in SHOWN:
            out[s] = counts[:, CODE[s]].astype(np.int64)
        if self.has_missing:
            out["answered"] = counts.sum(axis=1).astype(np.int64)
        return out

    # ------------------------------------------------------------------ aggregation
    def aggregate(
        self,
        rule: Rule = "threshold",
        *,
        threshold: float = 0.5,
        strict: bool = True,
        ties: Ties = "raise",
        weights: Mapping[str, float] | None = None,
    ) -> SSIM:
        """Merge the experts' answers into one SSIM.

        Parameters
        ----------
        rule : {"threshold", "mode", "unanimity"}
            * ``"threshold"`` (default), directional: i -> j holds when the
              (weighted) share of experts asserting it (``V`` or ``X`` for
              i -> j, ``A`` or ``X`` for j -> i) exceeds ``threshold``
              (``strict=False``: reaches it). The two directions together give
              the symbol (both: ``X``; neither: ``O``). A share exactly equal to
              the threshold is flagged as a tie in the report and resolved by
              ``strict`` (default: not asserted).
            * ``"mode"``: the symbol with the most (weighted) votes; a tie
              between symbols is resolved by ``ties``.
            * ``"unanimity"``, directional: i -> j holds only when every expert
              asserts it (so ``X`` only when all say ``X``).

            Each rule is a function in the registry
            :data:`ism_health.experts.aggregate.RULES`; a new rule is one
            function and one entry there.
        threshold : float, default 0.5
            For ``rule="threshold"``.
        strict : bool, default True
            For ``rule="threshold"``: the share must exceed (True) or may equal
            (False) the threshold.
        ties : {"raise", "conservative", "liberal"}, default "raise"
            For ``rule="mode"``. Each symbol is a set of asserted directions
            (O: none, V: i -> j, A: j -> i, X: both); strength is the number of
            directions, O (0) < V = A (1) < X (2). ``"raise"`` refuses ties and
            lists every tied pair. ``"conservative"`` keeps the directions that
            *every* tied symbol asserts (the weakest relation consistent with
            all of them: V/X -> V, V/A -> O, X/O -> O); ``"liberal"`` keeps the
            directions that *any* tied symbol asserts (the strongest: V/O -> V,
            V/A -> X). V and A are equally strong and contradict each other, so
            neither can win a V/A tie: the conservative answer asserts neither
            direction, the liberal one both.
        weights : mapping expert -> positive float, optional
            Expert weights (every expert listed); shares and votes are weighted.
            ``unanimity`` ignores weights (every expert must agree).

        Returns
        -------
        SSIM

        See Also
        --------
        aggregation_report : The votes, decision and ties behind each pair.

        Examples
        --------
        >>> from ism_health import Panel
        >>> p = Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "X"), ("e3", "a", "b", "A")])
        >>> p.aggregate().symbol("a", "b")        # a->b: 2 of 3 > 0.5; b->a: 2 of 3 > 0.5
        'X'
        >>> p.aggregate("mode", ties="conservative").symbol("a", "b")   # V, X, A tie: no common direction
        'O'
        >>> p.aggregate("mode", ties="liberal").symbol("a", "b")
        'X'
        """
        decision, _ = decide(self, rule, threshold=threshold, strict=strict, ties=ties, weights=weights)
        return SSIM(self._labels, self._adjacency_of(decision))

    def aggregation_report(
        self,
        rule: Rule = "threshold",
        *,
        threshold: float = 0.5,
        strict: bool = True,
        ties: Ties = "raise",
        weights: Mapping[str, float] | None = None,
    ) -> pd.DataFrame:
        """Per pair: the votes for each symbol, the shares per direction, the decision and any tie.

        Same options as :meth:`aggregate`. Columns: ``factor_i``, ``factor_j``,
        ``votes_V``, ``votes_A``, ``votes_X``, ``votes_O`` (counts of experts),
        ``weight_V`` ... ``weight_O`` (only with ``weights``),
        ``share_i_to_j`` and ``share_j_to_i`` (weighted share of experts
        asserting each direction), ``decision``, ``tie`` (bool), ``tied`` (the
        tied symbols, or ``"at threshold"``), ``tie_resolution`` (how it was
        broken) and ``rule``.

        Examples
        --------
        >>> from ism_health import Panel
        >>> p = Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "A"),
        ...                      ("e1", "a", "c", "V"), ("e2", "a", "c", "V"),
        ...                      ("e1", "b", "c", "O"), ("e2", "b", "c", "O")])
        >>> r = p.aggregation_report("mode", ties="liberal")
        >>> r[["factor_i", "factor_j", "votes_V", "votes_A", "decision", "tie", "tied", "tie_resolution"]]
          factor_i factor_j  votes_V  votes_A decision   tie  tied tie_resolution
        0        a        b        1        1        X   True  V, A     liberal: X
        1        a        c        2        0        V  False
        2        b        c        0        0        O  False
        """
        return decide(self, rule, threshold=threshold, strict=strict, ties=ties, weights=weights)[1]

    # ------------------------------------------------------------------ agreement
    def agreement(
        self,
        *,
        low: float = 0.5,
        rule: Rule = "threshold",
        threshold: float = 0.5,
        strict: bool = True,
        ties: Ties = "raise",
        weights: Mapping[str, float] | None = None,
    ) -> PanelAgreement:
        """Agreement of the panel over the V/A/X/O answers.

        Parameters
        ----------
        low : float, default 0.5
            A pair is flagged as low agreement when its pair agreement (the
            share of pairs of experts who gave the same symbol, Fleiss' P_i) is
            below ``low``. With 12 experts, 9 agreeing and 3 scattered gives
            0.55 (not flagged); 8 agreeing and 4 scattered 0.42 (flagged).
        rule, threshold, strict, ties, weights
            How the panel decision is made (see :meth:`aggregate`); used for
            each expert's agreement with the decision. The kappa and alpha
            statistics treat experts equally.

        Returns
        -------
        PanelAgreement

        Examples
        --------
        >>> from ism_health import Panel
        >>> p = Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "V"), ("e3", "a", "b", "A"),
        ...                      ("e1", "a", "c", "O"), ("e2", "a", "c", "O"), ("e3", "a", "c", "O"),
        ...                      ("e1", "b", "c", "X"), ("e2", "b", "c", "A"), ("e3", "b", "c", "X")])
        >>> ag = p.agreement()
        >>> round(ag.fleiss_kappa, 4), round(ag.krippendorff_alpha, 4)   # (5/9 - 21/81) / (60/81); 1 - 8 * 4 / 60
        (0.4, 0.4667)
        >>> ag.per_pair[["factor_i", "factor_j", "pair_agreement", "decision", "low_agreement"]]
          factor_i factor_j  pair_agreement decision  low_agreement
        0        a        b        0.333333        V           True
        1        a        c        1.000000        O          False
        2        b        c        0.333333        X           True
        """
        return panel_agreement(self, low=low, rule=rule, threshold=threshold, strict=strict, ties=ties, weights=weights)

    # ------------------------------------------------------------------ analysis
    def analyze(
        self,
        rule: Rule = "threshold",
        *,
        threshold: float = 0.5,
        strict: bool = True,
        ties: Ties = "raise",
        weights: Mapping[str, float] | None = None,
        low: float = 0.5,
        **analysis_options: Any,
    ) -> Any:
        """Aggregate the panel and analyse its SSIM; the result carries the panel (``result.panel``).

        The workbook, CSV files and ``report.html`` written from the result
        (``result.save(folder)``) then gain the panel's sheets and section:
        votes, decisions and ties, agreement, per-expert agreement,
        contradictions and cycles (:func:`ism_health.experts.study.panel_tables`).

        Parameters
        ----------
        rule, threshold, strict, ties, weights
            As for :meth:`aggregate`.
        low : float, default 0.5
            As for :meth:`agreement`.
        **analysis_options
            ``micmac_threshold``, ``on_boundary`` of :func:`ism_health.analyze`.

        Returns
        -------
        ISMResult

        Examples
        --------
        >>> from ism_health import simulate_panel
        >>> from ism_health.datasets import load_example
        >>> result = simulate_panel(load_example("worked"), 5, 0.1, seed=1).analyze()
        >>> result.panel.panel.n_experts, sorted(result.panel.tables())[-1]
        (5, 'panel_votes')
        """
        from .study import analyze_panel

        return analyze_panel(self, rule=rule, threshold=threshold, strict=strict, ties=ties, weights=weights, low=low,
                             **analysis_options)

    # ------------------------------------------------------------------ dunder
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Panel):
            return NotImplemented
        return (
            self._labels == other._labels
            and self._experts == other._experts
            and np.array_equal(self._codes, other._codes)
            and np.array_equal(self._comments, other._comments)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        more = ", ..." if self.n_factors > 4 else ""
        shown = ", ".join(repr(x) for x in self._labels[:4])
        return f"Panel({self.n_experts} experts x {self.n_pairs} pairs of {self.n_factors} factors: {shown}{more})"

    def _repr_html_(self) -> str:
        head = (
            f"<p>Panel: {self.n_experts} experts ({html.escape(', '.join(self._experts[:12]))}"
            f"{', ...' if self.n_experts > 12 else ''}), {self.n_factors} factors, {self.n_pairs} pairs</p>"
        )
        return head + self.votes().to_html(max_rows=20)



def _long_rows(data: Any, source: str | None) -> list[tuple[Any, Any, Any, Any, Any]]:
    if isinstance(data, pd.DataFrame):
        cols = [str(c).strip().lower() for c in data.columns]
        wanted = ["expert", "factor_i", "factor_j", "symbol"]
        missing = [w for w in wanted if w not in cols]
        if missing:
            raise ISMInputError(
                f"a long panel table needs columns expert, factor_i, factor_j, symbol (comment optional); "
                f"missing {missing}; got {list(data.columns)}.",
                source=source,
            )
        pick = [cols.index(w) for w in wanted]
        frame = data.iloc[:, pick]
        comments = data.iloc[:, cols.index("comment")].tolist() if "comment" in cols else [None] * len(data)
        return [(*r, c) for r, c in zip(frame.itertuples(index=False, name=None), comments)]
    if isinstance(data, (str, bytes, dict)) or not isinstance(data, Iterable):
        raise ISMInputError(
            "a long panel table must be a DataFrame (columns expert, factor_i, factor_j, symbol[, comment]) or "
            f"an iterable of (expert, factor_i, factor_j, symbol[, comment]) rows; got {type(data).__name__}.",
            source=source,
        )
    out = []
    for k, rec in enumerate(data):
        if isinstance(rec, (str, bytes, dict)) or not isinstance(rec, Iterable):
            raise ISMInputError(
                f"row {k + 1} is {rec!r:.80}; expected (expert, factor_i, factor_j, symbol[, comment]).", source=source
            )
        rec = tuple(rec)
        if len(rec) not in (4, 5):
            raise ISMInputError(
                f"row {k + 1} is {rec!r}; expected (expert, factor_i, factor_j, symbol[, comment]).", source=source
            )
        out.append(rec if len(rec) == 5 else (*rec, None))
    return out
