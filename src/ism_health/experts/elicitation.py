"""Interactive ISM elicitation: ask the experts only what earlier answers do not imply.

Warfield's ISM builds the reachability matrix from yes/no questions "does A
influence B?", one ordered pair at a time, and infers the rest by
transitivity. :class:`Elicitation` runs such a session:

* :meth:`Elicitation.next_question` proposes the next ordered pair whose
  answer is *not* implied by the answers so far (``None`` when the relation is
  complete); :meth:`Elicitation.answer` records a yes or a no (or a panel's
  votes, decided by majority) and infers everything it implies;
  :meth:`Elicitation.undo` takes back the last answer and all that was
  inferred from it.
* The state is two boolean n x n matrices: ``R``, the pairs known to hold
  (reflexive and transitively closed) and ``N``, the pairs known not to hold.
  A yes to ``i -> j`` adds every ``a -> b`` with ``a`` reaching ``i`` and ``j``
  reaching ``b``. A no to ``i -> j`` rules out every ``k -> l`` with ``i``
  reaching ``k`` and ``l`` reaching ``j`` (``k -> l`` would give
  ``i -> k -> l -> j``). ``N`` is recomputed after every answer as
  ``R.T @ NO @ R.T`` (``NO`` the no-answers), so a later yes also extends what
  earlier no-answers rule out. This inference is complete: a pair outside
  ``R`` and ``N`` can still go either way without contradicting any answer.
* An answer that contradicts what is known is refused with an
  :class:`~ism_health.exceptions.ISMInputError` that shows the chain of earlier
  answers it contradicts; nothing changes.
* With ``journal=PATH`` every answer, tie and undo is appended to a JSON-lines
  file and made durable (``os.fsync``) before :meth:`~Elicitation.answer`
  returns; :meth:`Elicitation.resume` rebuilds the exact state. A torn last
  line (a write cut short by a crash) is detected and reported; ``repair=True``
  removes it, with a warning.

Strategies for the next question: ``"row"`` (row-major order), ``"warfield"``
(element by element, after Warfield 1974 and 1976) and ``"greedy"`` (the
default: element by element, and among the new factor's open pairs the
one whose answer is expected to settle the most cells).

Orientation, as everywhere in ism_health: ``(source, target)`` asks whether
``source`` influences ``target``; entry (i, j) of a matrix is row i, column j.

References: J. N. Warfield (1974), "Developing interconnection matrices in
structural modeling", IEEE Trans. Systems, Man and Cybernetics 4(1), 81-87;
J. N. Warfield (1976), *Societal Systems: Planning, Policy and Complexity*,
Wiley, ch. 9-10.
"""

from __future__ import annotations

import json
import os
import warnings
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_choice
from .._version import __version__
from ..exceptions import ISMError, ISMInputError, ISMWarning
from ..ssim import SSIM
from .questionnaire import _factor_list

__all__ = ["JOURNAL_FORMAT", "STRATEGIES", "Elicitation", "ElicitationTie", "Progress"]

#: The question orders :class:`Elicitation` knows.
STRATEGIES = ("greedy", "row", "warfield")
#: The ``format`` field of a journal's header line.
JOURNAL_FORMAT = "ism_health.experts.elicitation/1"


class ElicitationTie(ISMError):
    """A panel's votes on a question are tied; the question stays open and is asked again.

    The votes are recorded in the journal. :attr:`source`, :attr:`target` and
    :attr:`votes` say which question and how the panel voted.

    Examples
    --------
    >>> from ism_health.experts.elicitation import Elicitation, ElicitationTie
    >>> el = Elicitation(["a", "b"])
    >>> try:
    ...     el.answer("a", "b", votes={"E1": True, "E2": False})
    ... except ElicitationTie as tie:
    ...     print(tie.votes)
    {'E1': True, 'E2': False}
    >>> el.next_question()
    ('a', 'b')
    """

    def __init__(self, source: str, target: str, votes: Mapping[str, bool]) -> None:
        self.source, self.target, self.votes = source, target, dict(votes)
        yes = sum(votes.values())
        super().__init__(
            f"the panel is tied on whether {source!r} -> {target!r}: {yes} yes, {len(votes) - yes} no; "
            "nothing was decided and the question stays open (discuss it and vote again)."
        )


@dataclass(frozen=True)
class Progress:
    """How far a session is: ordered pairs asked, inferred and still open, of ``total = n(n-1)``.

    Examples
    --------
    >>> from ism_health.experts.elicitation import Elicitation
    >>> el = Elicitation(["a", "b", "c"], strategy="row")
    >>> el.answer("a", "b", True); el.answer("b", "c", True)
    >>> el.progress
    Progress(asked=2, inferred=1, remaining=3, total=6)
    """

    asked: int
    inferred: int
    remaining: int
    total: int


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _verb_question(relation: str, source: str, target: str) -> str:
    """'influences' -> 'Does "A" influence "B"?'; 'is a cause of' -> 'Is "A" a cause of "B"?'."""
    words = relation.split()
    first, rest = (words[0], words[1:]) if words else ("relates to", [])
    tail = (" " + " ".join(rest)) if rest else ""
    if first in ("is", "are"):
        return f"Is {source!r}{tail} {target!r}?"
    if first == "has":
        base = "have"
    elif first.endswith("ies") and len(first) > 4:
        base = first[:-3] + "y"
    elif first.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        base = first[:-2]
    elif first.endswith("s") and not first.endswith("ss"):
        base = first[:-1]
    else:
        base = first
    return f"Does {source!r} {base}{tail} {target!r}?"


def _write_line(path: Path, record: Mapping[str, Any], *, create: bool = False) -> None:
    """Append one JSON line and make it durable (write, fsync) before returning."""
    data = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | (os.O_EXCL if create else 0)
    fd = os.open(path, flags, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    if create and hasattr(os, "O_DIRECTORY"):  # make the new file's directory entry durable too
        dfd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


class Elicitation:
    """An interactive ISM session: yes/no questions on ordered pairs, the rest inferred by transitivity.

    Parameters
    ----------
    factors : list of str or DataFrame
        Factor labels, or a factor table with a column ``label`` (or
        ``factor``, ``category``, ``name``) and optionally ``code`` and
        ``description`` (as :func:`ism_health.write_questionnaire` takes).
    relation : str, default "influences"
        The contextual relation as a verb phrase: "A *influences* B".
    journal : path, optional
        A JSON-lines file to create; every answer is appended and synced to
        disk before :meth:`answer` returns. Resume with :meth:`resume`.
    strategy : {"greedy", "row", "warfield"}
        Which open pair :meth:`next_question` proposes. ``"row"``: the first
        open pair in row-major order. ``"warfield"``: element by element, after
        Warfield's embedding (1974; 1976, ch. 9): factors enter in the order
        given; the new factor k is compared with each earlier factor j in
        turn, "k -> j?" then "j -> k?". (Warfield also chose the comparison
        factor from the partial hierarchy; that refinement is not
        reproduced.) ``"greedy"``: the same element-by-element frame, but
        among the open pairs of the newest factor the one maximising
        ``p * g_yes + (1 - p) * g_no + min(g_yes, g_no) / 2``, where
        ``g_yes`` and ``g_no`` count the open cells a yes or a no would settle
        and ``p`` is the share of yes-answers so far (Laplace-smoothed); ties
        go to row-major order.

    Examples
    --------
    >>> from ism_health.experts.elicitation import Elicitation
    >>> labels = ["a", "b", "c", "d"]
    >>> truth = {(x, y) for x in labels for y in labels if x < y}   # a -> b -> c -> d
    >>> el = Elicitation(labels)
    >>> while (q := el.next_question()) is not None:
    ...     el.answer(*q, q in truth)
    >>> el.progress
    Progress(asked=10, inferred=2, remaining=0, total=12)
    >>> el.ssim().symbol("a", "b"), el.ssim().symbol("a", "d")
    ('V', 'O')
    >>> el.result().final_reachability_marked.loc["a"].tolist()
    ['1', '1', '1', '1*']
    """

    def __init__(
        self,
        factors: Any,
        *,
        relation: str = "influences",
        journal: str | os.PathLike[str] | None = None,
        strategy: str = "greedy",
    ) -> None:
        flist = _factor_list(factors)
        check_choice("strategy", strategy, STRATEGIES)
        if not isinstance(relation, str) or not relation.strip():
            raise ISMInputError(f"relation must be a non-empty verb phrase such as 'influences'; got {relation!r}.")
        self._factors = [(f.label, f.code, f.description) for f in flist]
        self._labels = [f.label for f in flist]
        self._index = {lab: k for k, lab in enumerate(self._labels)}
        self._relation = relation.strip()
        self._strategy = strategy
        n = len(self._labels)
        self._order = self._fixed_order(n, strategy)
        self._log: list[dict[str, Any]] = []  # effective answers: {"i", "j", "yes", "votes"?}
        self._ties: list[dict[str, Any]] = []
        self._set_state(*self._replay([]))
        self._journal: Path | None = None
        if journal is not None:
            path = Path(journal)
            if path.exists():
                raise ISMInputError(
                    "this journal already exists; continue it with Elicitation.resume(path) or choose a new file.",
                    source=str(path),
                )
            header = {
                "format": JOURNAL_FORMAT,
                "factors": [{"label": lab, "code": c, "description": d} for lab, c, d in self._factors],
                "relation": self._relation,
                "strategy": strategy,
                "version": __version__,
                "created": _now(),
            }
            _write_line(path, header, create=True)
            self._journal = path

    # ------------------------------------------------------------------ state
    @staticmethod
    def _fixed_order(n: int, strategy: str) -> tuple[np.ndarray, np.ndarray]:
        if strategy == "warfield":
            pairs = [(p, q) for k in range(1, n) for j in range(k) for p, q in ((k, j), (j, k))]
        else:
            pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
        arr = np.array(pairs, dtype=np.intp).reshape(-1, 2)
        return arr[:, 0], arr[:, 1]

    def _replay(self, log: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(self._labels)
        r = np.eye(n, dtype=bool)
        no = np.zeros((n, n), dtype=bool)
        for entry in log:
            i, j = entry["i"], entry["j"]
            if entry["yes"]:
                r |= np.outer(r[:, i], r[j, :])
            else:
                no[i, j] = True
        return r, no, self._ruled_out(r, no)

    @staticmethod
    def _ruled_out(r: np.ndarray, no: np.ndarray) -> np.ndarray:
        rt = r.T.astype(np.float64)
        return (rt @ no.astype(np.float64) @ rt) > 0

    def _set_state(self, r: np.ndarray, no: np.ndarray, n_mat: np.ndarray) -> None:
        self._r, self._no, self._n = r, no, n_mat

    def _open(self) -> np.ndarray:
        return ~(self._r | self._n)

    def _pos(self, label: Any, role: str) -> int:
        key = str(label).strip() if label is not None else ""
        if key not in self._index:
            raise ISMInputError(
                f"unknown {role} factor {label!r}; expected one of the {len(self._labels)} factors "
                f"({', '.join(map(repr, self._labels[:5]))}{', ...' if len(self._labels) > 5 else ''})."
            )
        return self._index[key]

    # ------------------------------------------------------------------ accessors
    @property
    def labels(self) -> tuple[str, ...]:
        """The factor labels, in order.

        Examples
        --------
        >>> from ism_health.experts.elicitation import Elicitation
        >>> Elicitation(["a", "b"]).labels
        ('a', 'b')
        """
        return tuple(self._labels)

    @property
    def relation(self) -> str:
        """The contextual relation phrase ("influences")."""
        return self._relation

    @property
    def strategy(self) -> str:
        """The question order ("greedy", "row" or "warfield")."""
        return self._strategy

    @property
    def journal(self) -> Path | None:
        """The journal file, or None."""
        return self._journal

    @property
    def progress(self) -> Progress:
        """Ordered pairs asked, inferred, remaining, of ``total = n(n-1)`` (see :class:`Progress`)."""
        n = len(self._labels)
        total = n * (n - 1)
        settled = int((self._r | self._n).sum()) - n
        asked = len({(e["i"], e["j"]) for e in self._log})
        return Progress(asked=asked, inferred=settled - asked, remaining=total - settled, total=total)

    @property
    def complete(self) -> bool:
        """True when every ordered pair is answered or inferred."""
        return not self._open().any()

    @property
    def history(self) -> list[tuple[str, str, bool]]:
        """The answers in force, oldest first, as ``(source, target, yes)`` (undone answers left out).

        Examples
        --------
        >>> from ism_health.experts.elicitation import Elicitation
        >>> el = Elicitation(["a", "b"])
        >>> el.answer("b", "a", False)
        >>> el.history
        [('b', 'a', False)]
        """
        return [(self._labels[e["i"]], self._labels[e["j"]], bool(e["yes"])) for e in self._log]

    def known(self) -> pd.DataFrame:
        """The relation as known now: "1" asked yes, "1*" inferred yes, "0" asked no, "0*" inferred no, "" open.

        Examples
        --------
        >>> from ism_health.experts.elicitation import Elicitation
        >>> el = Elicitation(["a", "b", "c"])
        >>> el.answer("a", "b", True); el.answer("b", "c", True)
        >>> el.known().loc["a"].tolist()
        ['1', '1', '1*']
        """
        cells = np.full(self._r.shape, "", dtype=object)
        cells[self._n] = "0*"
        cells[self._r] = "1*"
        for e in self._log:
            cells[e["i"], e["j"]] = "1" if e["yes"] else "0"
        np.fill_diagonal(cells, "1")
        return pd.DataFrame(cells, index=list(self._labels), columns=list(self._labels))

    def question(self, source: str, target: str) -> str:
        """The question about ``(source, target)`` in words, with the session's relation.

        Examples
        --------
        >>> from ism_health.experts.elicitation import Elicitation
        >>> Elicitation(["Law", "Trust"]).question("Law", "Trust")
        "Does 'Law' influence 'Trust'?"
        >>> Elicitation(["Law", "Trust"], relation="leads to").question("Trust", "Law")
        "Does 'Trust' lead to 'Law'?"
        """
        i, j = self._pos(source, "source"), self._pos(target, "target")
        return _verb_question(self._relation, self._labels[i], self._labels[j])

    # ------------------------------------------------------------------ questions
    def next_question(self, *, skip: Iterable[tuple[str, str]] = ()) -> tuple[str, str] | None:
        """The next ordered pair to ask, ``(source, target)``, or None when the relation is complete.

        The pair is never implied by the earlier answers. ``skip`` lists pairs
        to leave for later ("skip for now"); when only skipped pairs are open,
        the answer is None although :attr:`complete` is False.

        Examples
        --------
        >>> from ism_health.experts.elicitation import Elicitation
        >>> el = Elicitation(["a", "b", "c"], strategy="row")
        >>> el.next_question()
        ('a', 'b')
        >>> el.next_question(skip=[("a", "b")])
        ('a', 'c')
        """
        open_ = self._open()
        for s, t in skip:
            open_[self._pos(s, "source"), self._pos(t, "target")] = False
        if not open_.any():
            return None
        if self._strategy == "greedy":
            i, j = self._greedy(open_)
        else:
            oi, oj = self._order
            k = int(np.argmax(open_[oi, oj]))
            i, j = int(oi[k]), int(oj[k])
        return self._labels[i], self._labels[j]

    def _greedy(self, open_: np.ndarray) -> tuple[int, int]:
        n = open_.shape[0]
        idx = np.arange(n)
        newest = np.maximum.outer(idx, idx)  # the later factor of each pair
        candidates = open_ & (newest == newest[open_].min())  # element by element: the first factor with open pairs
        r = self._r.astype(np.float64)
        u = self._open().astype(np.float64)
        gain_yes = r.T @ u @ r.T  # open cells (k, l) with k reaching i and j reaching l
        gain_no = r @ u @ r  # open cells (k, l) with i reaching k and l reaching j
        p = (sum(e["yes"] for e in self._log) + 1) / (len(self._log) + 2)  # share of yes so far (Laplace)
        score = p * gain_yes + (1 - p) * gain_no + 0.5 * np.minimum(gain_yes, gain_no)
        score[~candidates] = -1.0
        k = int(np.argmax(score))
        return divmod(k, n)

    # ------------------------------------------------------------------ answers
    def answer(
        self,
        source: str,
        target: str,
        yes: bool | None = None,
        *,
        votes: Mapping[str, bool] | None = None,
    ) -> None:
        """Record whether ``source`` influences ``target`` (``yes``), or a panel's ``votes``, and infer.

        Panel mode: ``votes`` maps expert ids to True/False; the decision is
        the majority (more than half of the votes). An equal split raises
        :class:`ElicitationTie`: the votes are journaled, nothing is decided
        and the question stays open. Every vote is kept in the journal and in
        :meth:`agreement`.

        Raises
        ------
        ISMInputError
            Unknown factor, a factor paired with itself, neither or both of
            ``yes`` and ``votes``, or an answer contradicting earlier answers
            (the message shows the chain); the state is unchanged.
        ElicitationTie
            A panel vote split evenly.

        Examples
        --------
        >>> from ism_health.experts.elicitation import Elicitation
        >>> el = Elicitation(["a", "b", "c"])
        >>> el.answer("a", "b", True); el.answer("b", "c", True)
        >>> el.answer("a", "c", False)
        Traceback (most recent call last):
        ...
        ism_health.exceptions.ISMInputError: 'a' -> 'c' is implied by earlier answers: 'a' -> 'b' (answer 1), ...
        >>> el.answer("c", "a", votes={"E1": True, "E2": False, "E3": False})
        >>> el.history[-1]
        ('c', 'a', False)
        """
        i, j = self._pos(source, "source"), self._pos(target, "target")
        if i == j:
            raise ISMInputError(
                f"a factor is not asked about itself ({self._labels[i]!r}); give two different factors."
            )
        if (yes is None) == (votes is None):
            raise ISMInputError("give either yes=True/False or votes={expert: True/False, ...}, not both or neither.")
        entry: dict[str, Any] = {"i": i, "j": j}
        if votes is not None:
            clean = self._check_votes(votes)
            n_yes = sum(clean.values())
            if 2 * n_yes == len(clean):
                self._journal_write(
                    {"event": "tie", "source": self._labels[i], "target": self._labels[j], "votes": clean}
                )
                self._ties.append({"i": i, "j": j, "votes": clean})
                raise ElicitationTie(self._labels[i], self._labels[j], clean)
            entry["yes"] = 2 * n_yes > len(clean)
            entry["votes"] = clean
        else:
            if not isinstance(yes, (bool, np.bool_)):
                raise ISMInputError(f"yes must be True or False; got {yes!r}.")
            entry["yes"] = bool(yes)
        self._check_consistent(i, j, entry["yes"])
        record = {"event": "answer", "source": self._labels[i], "target": self._labels[j], "yes": entry["yes"]}
        if "votes" in entry:
            record["votes"] = entry["votes"]
        self._journal_write(record)
        self._apply(entry)

    def _apply(self, entry: dict[str, Any]) -> None:
        i, j = entry["i"], entry["j"]
        r, no = self._r.copy(), self._no.copy()
        if entry["yes"]:
            r |= np.outer(r[:, i], r[j, :])
        else:
            no[i, j] = True
        self._set_state(r, no, self._ruled_out(r, no))
        self._log.append(entry)

    @staticmethod
    def _check_votes(votes: Mapping[str, bool]) -> dict[str, bool]:
        if not isinstance(votes, Mapping) or not votes:
            raise ISMInputError("votes must be a non-empty mapping {expert id: True/False}.")
        clean: dict[str, bool] = {}
        for expert, vote in votes.items():
            name = str(expert).strip() if expert is not None else ""
            if not name:
                raise ISMInputError("every vote needs a non-blank expert id.")
            if not isinstance(vote, (bool, np.bool_)):
                raise ISMInputError(f"the vote of expert {name!r} is {vote!r}; expected True or False.")
            if name in clean:
                raise ISMInputError(f"expert {name!r} votes twice on one question.")
            clean[name] = bool(vote)
        return clean

    def _journal_write(self, record: dict[str, Any]) -> None:
        if self._journal is not None:
            _write_line(self._journal, {**record, "time": _now()})

    # ------------------------------------------------------------------ contradictions
    def _yes_path(self, a: int, b: int) -> list[int]:
        """Indices into the log of yes-answers forming a path a -> ... -> b (BFS, fewest answers)."""
        if a == b:
            return []
        out: dict[int, list[tuple[int, int]]] = {}
        for k, e in enumerate(self._log):
            if e["yes"]:
                out.setdefault(e["i"], []).append((e["j"], k))
        prev: dict[int, tuple[int, int]] = {a: (-1, -1)}
        queue = deque([a])
        while queue:
            u = queue.popleft()
            for v, k in out.get(u, []):
                if v not in prev:
                    prev[v] = (u, k)
                    queue.append(v)
        steps, v = [], b
        while v != a:
            u, k = prev[v]
            steps.append(k)
            v = u
        return steps[::-1]

    def _chain(self, steps: list[int]) -> str:
        return ", ".join(
            f"{self._labels[self._log[k]['i']]!r} -> {self._labels[self._log[k]['j']]!r} (answer {k + 1})"
            for k in steps
        )

    def _check_consistent(self, i: int, j: int, yes: bool) -> None:
        a, b = self._labels[i], self._labels[j]
        tail = "Nothing was recorded; undo() or revise an earlier answer first."
        if not yes and self._r[i, j]:
            raise ISMInputError(
                f"{a!r} -> {b!r} is implied by earlier answers: {self._chain(self._yes_path(i, j))}; "
                f"a 'no' contradicts them. {tail}"
            )
        if yes and self._n[i, j]:
            for k, e in enumerate(self._log):
                p, q = e["i"], e["j"]
                if not e["yes"] and self._r[p, i] and self._r[j, q]:
                    parts = [f"answer {k + 1} says {self._labels[p]!r} does not reach {self._labels[q]!r}"]
                    if p != i:
                        parts.append(f"{self._labels[p]!r} reaches {a!r}: {self._chain(self._yes_path(p, i))}")
                    if q != j:
                        parts.append(f"{b!r} reaches {self._labels[q]!r}: {self._chain(self._yes_path(j, q))}")
                    raise ISMInputError(
                        f"a 'yes' to {a!r} -> {b!r} contradicts earlier answers: "
                        + "; ".join(parts)
                        + f"; so {a!r} -> {b!r} would make {self._labels[p]!r} reach {self._labels[q]!r}. {tail}"
                    )

    # ------------------------------------------------------------------ undo
    def undo(self) -> tuple[str, str, bool]:
        """Take back the last answer and everything inferred from it; returns ``(source, target, yes)`` undone.

        Examples
        --------
        >>> from ism_health.experts.elicitation import Elicitation
        >>> el = Elicitation(["a", "b", "c"])
        >>> el.answer("a", "b", True)
        >>> el.undo()
        ('a', 'b', True)
        >>> el.progress.asked, el.progress.inferred
        (0, 0)
        """
        if not self._log:
            raise ISMInputError("there is no answer to undo.")
        self._journal_write({"event": "undo"})
        return self._undo_in_memory()

    def _undo_in_memory(self) -> tuple[str, str, bool]:
        last = self._log.pop()
        self._set_state(*self._replay(self._log))
        return self._labels[last["i"]], self._labels[last["j"]], bool(last["yes"])

    # ------------------------------------------------------------------ outputs
    def ssim(self, *, partial: bool = False) -> SSIM:
        """The elicited relation as an :class:`~ism_health.SSIM`: the yes-answers are its direct relations.

        Its transitive closure is exactly the set of pairs known to hold, so in
        the analysis the inferred pairs are the "1*" entries. An incomplete
        session raises unless ``partial=True`` (then open pairs count as no).

        Examples
        --------
        >>> from ism_health.experts.elicitation import Elicitation
        >>> el = Elicitation(["a", "b"])
        >>> el.answer("a", "b", True); el.answer("b", "a", True)
        >>> el.ssim().symbol("a", "b")
        'X'
        """
        open_pairs = int(self._open().sum())
        if open_pairs and not partial:
            raise ISMInputError(
                f"the session is not complete: {open_pairs} ordered pair(s) are still open; answer them "
                "(next_question()) or pass partial=True to treat open pairs as 'no'."
            )
        adj = np.zeros_like(self._r)
        for e in self._log:
            if e["yes"]:
                adj[e["i"], e["j"]] = True
        return SSIM(self._labels, adj)

    def result(self, *, partial: bool = False, **options: Any) -> Any:
        """The :class:`~ism_health.ISMResult` of the elicited relation (``options`` go to :func:`~ism_health.analyze`).

        Examples
        --------
        >>> from ism_health.experts.elicitation import Elicitation
        >>> el = Elicitation(["a", "b"])
        >>> el.answer("a", "b", True); el.answer("b", "a", False)
        >>> el.result().levels.to_dict()
        {'a': 2, 'b': 1}
        """
        from ..result import analyze

        return analyze(self.ssim(partial=partial), **options)

    def agreement(self) -> pd.DataFrame:
        """Per panel question: the votes, the decision and the share of experts agreeing with it.

        One row per question decided by ``votes`` (in the order asked) plus one
        per tie (decision ``"tie"``, agreement 0.5).

        Examples
        --------
        >>> from ism_health.experts.elicitation import Elicitation
        >>> el = Elicitation(["a", "b"])
        >>> el.answer("a", "b", votes={"E1": True, "E2": True, "E3": False})
        >>> el.agreement()[["source", "target", "decision", "yes_votes", "no_votes", "agreement"]]
          source target decision  yes_votes  no_votes  agreement
        0      a      b      yes          2         1   0.666667
        """
        rows = []
        for kind, items in (("answer", self._log), ("tie", self._ties)):
            for e in items:
                if "votes" not in e:
                    continue
                v = e["votes"]
                n_yes = sum(v.values())
                decision = "tie" if kind == "tie" else ("yes" if e["yes"] else "no")
                agree = 0.5 if kind == "tie" else (n_yes if e["yes"] else len(v) - n_yes) / len(v)
                rows.append(
                    {
                        "source": self._labels[e["i"]],
                        "target": self._labels[e["j"]],
                        "decision": decision,
                        "yes_votes": n_yes,
                        "no_votes": len(v) - n_yes,
                        "agreement": agree,
                        "votes": ", ".join(f"{x}: {'yes' if y else 'no'}" for x, y in v.items()),
                    }
                )
        cols = ["source", "target", "decision", "yes_votes", "no_votes", "agreement", "votes"]
        return pd.DataFrame(rows, columns=cols)

    def __repr__(self) -> str:
        p = self.progress
        return (
            f"Elicitation({len(self._labels)} factors, strategy={self._strategy!r}: asked {p.asked}, "
            f"inferred {p.inferred}, remaining {p.remaining} of {p.total})"
        )

    # ------------------------------------------------------------------ resume
    @classmethod
    def resume(cls, path: str | os.PathLike[str], *, repair: bool = False) -> Elicitation:
        """Rebuild a session from its journal: the same answers, state and next question.

        A journal whose last line is torn (no final newline, or not valid
        JSON: the process died while writing an answer that was therefore
        never acknowledged) is refused with an ISMInputError, unless
        ``repair=True``: then the torn line is cut off the file and an
        :class:`~ism_health.exceptions.ISMWarning` says so. A damaged line
        before the last is never repaired.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from ism_health.experts.elicitation import Elicitation
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "session.jsonl"
        >>> el = Elicitation(["a", "b", "c"], journal=path)
        >>> el.answer("a", "b", True)
        >>> again = Elicitation.resume(path)
        >>> again.history, again.next_question() == el.next_question()
        ([('a', 'b', True)], True)
        """
        path = Path(path)
        if not path.is_file():
            raise ISMInputError("no such journal file.", source=str(path))
        raw = path.read_bytes()
        lines = raw.split(b"\n")
        torn = lines.pop() if lines and lines[-1] != b"" else None  # text after the last newline
        if lines and lines[-1] == b"":
            lines.pop()
        parsed: list[dict[str, Any]] = []
        for k, line in enumerate(lines):
            try:
                parsed.append(json.loads(line.decode("utf-8")))
            except (UnicodeDecodeError, ValueError, RecursionError):  # JSONDecodeError is a ValueError
                if k == len(lines) - 1 and torn is None:
                    torn = line
                    lines = lines[:-1]
                    break
                raise ISMInputError(
                    f"line {k + 1} is not valid JSON; the journal is damaged before its last line "
                    "and cannot be repaired automatically.",
                    source=str(path),
                ) from None
        if torn is not None:
            where = len(lines) + 1
            if not repair:
                raise ISMInputError(
                    f"the last line (line {where}) is torn: {torn[:60]!r} is an incomplete record, written when the "
                    "session was interrupted (its answer was never acknowledged). Resume with repair=True "
                    "(command line: --repair) to cut it off.",
                    source=str(path),
                )
            keep = sum(len(line) + 1 for line in lines)
            os.truncate(path, keep)
            warnings.warn(
                f"{path}: cut off the torn last line (line {where}, {len(raw) - keep} bytes).", ISMWarning, stacklevel=2
            )
        if not parsed:
            raise ISMInputError(
                "the journal is empty: the session was interrupted before it started; delete the file and start again.",
                source=str(path),
            )
        if not isinstance(parsed[0], dict) or parsed[0].get("format") != JOURNAL_FORMAT:
            raise ISMInputError(
                f"line 1 is not an elicitation journal header (expected format {JOURNAL_FORMAT!r}).", source=str(path)
            )
        head = parsed[0]
        try:
            factors = pd.DataFrame(head["factors"])
            self = cls(factors, relation=head["relation"], strategy=head["strategy"])
        except (KeyError, TypeError, ValueError) as err:
            raise ISMInputError(f"line 1 (header) is incomplete or invalid: {err}", source=str(path)) from None
        for k, rec in enumerate(parsed[1:], start=2):
            try:
                self._replay_record(rec)
            except ElicitationTie:
                pass
            except (ISMInputError, KeyError, TypeError) as err:
                raise ISMInputError(f"line {k}: cannot replay {rec!r}: {err}", source=str(path)) from None
        self._journal = path
        return self

    def _replay_record(self, rec: dict[str, Any]) -> None:
        event = rec["event"]
        if event == "answer":
            if "votes" in rec:
                self.answer(rec["source"], rec["target"], votes=rec["votes"])
            else:
                self.answer(rec["source"], rec["target"], rec["yes"])
        elif event == "tie":
            self.answer(rec["source"], rec["target"], votes=rec["votes"])
        elif event == "undo":
            self.undo()
        else:
            raise ISMInputError(f"unknown event {event!r}")
