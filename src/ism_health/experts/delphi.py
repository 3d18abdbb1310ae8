"""Delphi rounds: feedback forms for a second round, and what changed between two rounds.

* :func:`write_feedback_forms` writes, for each expert of a round-one panel, a
  round-two form that shows for each pair the panel's answers (how many said
  V, A, X and O), the panel's decision and the expert's own first answer,
  already filled in as the answer: the expert keeps it or revises it.
  :func:`~ism_health.read_panel` reads the round-two forms like any others.
* :func:`compare_rounds` reports the answers changed per expert and per pair,
  the decisions that changed, and the agreement of each round, as a
  :class:`RoundComparison`.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._symbols import LETTERS, SHOWN
from ..exceptions import ISMInputError
from .aggregate import Rule, Ties
from .panel import NO_ANSWER, Panel
from .questionnaire import FACILITATOR_NOTE, _check_seed, _factor_list, build_form
from .texts import form_texts

__all__ = ["write_feedback_forms", "compare_rounds", "RoundComparison"]


def _votes_text(counts: np.ndarray, answered: int, n_experts: int) -> str:
    text = " · ".join(f"{s} {int(counts[k])}" for k, s in zip((1, 2, 3, 0), SHOWN))
    return text + (f" ({answered} of {n_experts} answered)" if answered < n_experts else "")


def write_feedback_forms(
    panel: Panel,
    folder: str | os.PathLike[str],
    *,
    factors: Any = None,
    relation: str | None = None,
    rule: Rule = "threshold",
    threshold: float = 0.5,
    strict: bool = True,
    ties: Ties = "raise",
    weights: Mapping[str, float] | None = None,
    seed: int | None = None,
    language: str = "en",
    texts: Mapping[str, str] | None = None,
    comments: bool = True,
    overwrite: bool = False,
) -> list[Path]:
    """Write a round-two form per expert: each pair with the panel's answers, its decision and the expert's own answer.

    Each form (``<expert>.xlsx``, pairs style) has, before the answer column,
    ``Panel answers, round 1`` (e.g. ``V 7 · A 1 · X 2 · O 2``), ``Panel
    decision, round 1`` and ``Your answer, round 1``; the answer column holds
    the expert's first answer, to keep or revise (blank where the expert did
    not answer). The hidden sheet records round 2, so that
    :func:`~ism_health.read_panel` refuses a folder mixing the rounds.

    Parameters
    ----------
    panel : Panel
        Round one.
    folder : path
        Created if missing; an existing form of the same name is an error
        unless ``overwrite=True``.
    factors : list of str or DataFrame, optional
        The factor list with codes and descriptions (as given to
        :func:`write_questionnaire`); it must list the panel's factors in the
        panel's order. Default: the panel's labels.
    relation : str, optional
        The relation phrase of round one (default: the language's).
    rule, threshold, strict, ties, weights
        How the decision shown is made (:meth:`Panel.aggregate`).
    seed : int, optional
        Shuffle the pairs per expert, as :func:`write_questionnaires` does.
    language, texts, comments
        As for :func:`write_questionnaire`.
    overwrite : bool, default False

    Returns
    -------
    list of pathlib.Path
        The forms, in expert order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from openpyxl import load_workbook
    >>> from ism_health import Panel, write_feedback_forms
    >>> p = Panel.from_long([("ann", "a", "b", "V"), ("bob", "a", "b", "A"), ("cy", "a", "b", "V")])
    >>> paths = write_feedback_forms(p, pathlib.Path(tempfile.mkdtemp()))
    >>> ws = load_workbook(paths[1])["Questions"]
    >>> [c.value for c in ws[4]][3:6]
    ['Panel answers, round 1', 'Panel decision, round 1', 'Your answer, round 1']
    >>> [c.value for c in ws[5]][3:6]
    ['V 2 · A 1 · X 0 · O 0', 'V', 'A']
    >>> ws["H5"].value   # the answer: bob's first answer, to keep or revise
    'A'
    """
    if not isinstance(panel, Panel):
        raise ISMInputError(f"expected a Panel (round one); got {type(panel).__name__}.")
    t = form_texts(language, texts)
    flist = _factor_list(list(panel.labels) if factors is None else factors)
    if tuple(f.label for f in flist) != panel.labels:
        raise ISMInputError(
            f"factors list {[f.label for f in flist][:4]}... does not match the panel's factors "
            f"{list(panel.labels)[:4]}...; expected the panel's factors in the panel's order."
        )
    if relation is None:
        relation = t["relation"]
    if not isinstance(relation, str) or not relation.strip():
        raise ISMInputError(f"relation={relation!r} is not allowed; expected a verb phrase such as 'influences'.")
    if seed is not None:
        seed = _check_seed(seed)
    decision_codes = panel.aggregation_report(rule, threshold=threshold, strict=strict, ties=ties, weights=weights)
    decisions = list(decision_codes["decision"])
    counts = panel._counts()
    answered = panel.answered.sum(axis=0)
    distribution = [_votes_text(counts[p], int(answered[p]), panel.n_experts) for p in range(panel.n_pairs)]
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ISMInputError("exists and is not a folder; expected a folder for the forms.", source=str(folder))
    targets = [folder / f"{e}.xlsx" for e in panel.experts]
    existing = [str(p) for p in targets if p.exists()]
    if existing and not overwrite:
        raise ISMInputError([f"{p}: exists (perhaps a filled form); expected a new file (or overwrite=True, --force)."
                             for p in existing])
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    n_pairs = panel.n_pairs
    for k, (e, target) in enumerate(zip(panel.experts, targets), start=1):
        codes = panel.codes[k - 1]
        own = ["" if c == NO_ANSWER else LETTERS[c] for c in codes]
        if seed is None:
            order = np.arange(n_pairs)
        else:
            order = np.random.default_rng(np.random.SeedSequence([seed, k])).permutation(n_pairs)
        paths.append(build_form(
            flist, target, t=t, relation=relation.strip(), style="pairs", answers="symbols", comments=comments,
            expert=e, order=order, title=t["round2_title"], language=language,
            feedback={"panel": distribution, "decision": decisions, "own": own},
        ))
    note = t["facilitator"].format(
        n_experts=panel.n_experts, n_factors=panel.n_factors, n_pairs=n_pairs,
        files="\n".join(f"  {p.name}  ({e})" for p, e in zip(paths, panel.experts)), cell="B1",
        sheet=t["sheet_questions"], shuffled=t["shuffled"] if seed is not None else "",
    )
    (folder / FACILITATOR_NOTE).write_text(t["round2_title"] + "\n\n" + note, encoding="utf-8")
    return paths


@dataclass(frozen=True, repr=False)
class RoundComparison:
    """What changed between two Delphi rounds: answers per expert and per pair, decisions, agreement.

    Build it with :func:`compare_rounds`.

    Attributes
    ----------
    agreement : DataFrame
        One row per round (``round 1``, ``round 2``): ``experts``,
        ``fleiss_kappa``, ``krippendorff_alpha``, ``mean_pair_agreement``,
        ``low_agreement_pairs``.
    per_expert : DataFrame
        One row per expert in both rounds: ``answers_changed``,
        ``pairs_compared`` (answered in both rounds), ``share_changed``,
        ``agreement_with_panel_round1``, ``agreement_with_panel_round2``.
    per_pair : DataFrame
        One row per pair: ``experts_changed``, ``votes_round1``,
        ``votes_round2``, ``decision_round1``, ``decision_round2``,
        ``decision_changed``, ``pair_agreement_round1``, ``pair_agreement_round2``.
    changes : DataFrame
        One row per changed answer: ``expert``, ``factor_i``, ``factor_j``,
        ``round1``, ``round2``, ``comment`` (round two's).
    only_round1, only_round2 : tuple of str
        Experts in one round only (not compared).

    Examples
    --------
    >>> from ism_health import Panel, compare_rounds
    >>> r1 = Panel.from_long([("ann", "a", "b", "V"), ("bob", "a", "b", "A"), ("cy", "a", "b", "O")])
    >>> r2 = Panel.from_long([("ann", "a", "b", "V"), ("bob", "a", "b", "V"), ("cy", "a", "b", "O")])
    >>> c = compare_rounds(r1, r2)
    >>> c
    RoundComparison(3 experts compared, 1 answer changed, 1 decision changed)
    >>> c.per_pair[["factor_i", "factor_j", "experts_changed", "decision_round1", "decision_round2"]]
      factor_i factor_j  experts_changed decision_round1 decision_round2
    0        a        b                1               O               V
    """

    agreement: pd.DataFrame = field(compare=False)
    per_expert: pd.DataFrame = field(compare=False)
    per_pair: pd.DataFrame = field(compare=False)
    changes: pd.DataFrame = field(compare=False)
    only_round1: tuple[str, ...] = ()
    only_round2: tuple[str, ...] = ()

    def summary(self) -> str:
        """A short plain-text report.

        Examples
        --------
        >>> from ism_health import Panel, compare_rounds
        >>> r1 = Panel.from_long([("ann", "a", "b", "V"), ("bob", "a", "b", "A")])
        >>> print(compare_rounds(r1, r1).summary())  # doctest: +ELLIPSIS
        Delphi rounds compared: 2 experts, 1 pairs
          answers changed: 0 of 2 (0.0%)
        ...
        """
        compared = int(self.per_expert["pairs_compared"].sum())
        changed = len(self.changes)
        share = changed / compared if compared else float("nan")
        a = self.agreement
        lines = [
            f"Delphi rounds compared: {len(self.per_expert)} experts, {len(self.per_pair)} pairs",
            f"  answers changed: {changed} of {compared} ({share:.1%})",
            f"  decisions changed: {int(self.per_pair['decision_changed'].sum())} of {len(self.per_pair)}",
        ]
        for r in a.itertuples():
            lines.append(f"  {r.Index}: Fleiss' kappa {r.fleiss_kappa:.3f}, Krippendorff's alpha "
                         f"{r.krippendorff_alpha:.3f}, low-agreement pairs {r.low_agreement_pairs}")
        for r in self.per_pair[self.per_pair["decision_changed"]].itertuples():
            lines.append(f"    {r.factor_i} / {r.factor_j}: {r.decision_round1} -> {r.decision_round2} "
                         f"({r.experts_changed} expert(s) changed)")
        for name, only in (("round 1", self.only_round1), ("round 2", self.only_round2)):
            if only:
                lines.append(f"  only in {name} (not compared): {', '.join(only)}")
        return "\n".join(lines)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four tables by name (``agreement``, ``per_expert``, ``per_pair``, ``changes``), as copies.

        Examples
        --------
        >>> from ism_health import Panel, compare_rounds
        >>> r1 = Panel.from_long([("ann", "a", "b", "V"), ("bob", "a", "b", "A")])
        >>> list(compare_rounds(r1, r1).tables())
        ['agreement', 'per_expert', 'per_pair', 'changes']
        """
        return {"agreement": self.agreement.reset_index(names="round"), "per_expert": self.per_expert.copy(),
                "per_pair": self.per_pair.copy(), "changes": self.changes.copy()}

    def __repr__(self) -> str:
        return (f"RoundComparison({len(self.per_expert)} experts compared, {len(self.changes)} answer"
                f"{'s' if len(self.changes) != 1 else ''} changed, {int(self.per_pair['decision_changed'].sum())} "
                f"decision{'s' if int(self.per_pair['decision_changed'].sum()) != 1 else ''} changed)")

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.summary())}</pre>"


def compare_rounds(
    round1: Panel,
    round2: Panel,
    *,
    rule: Rule = "threshold",
    threshold: float = 0.5,
    strict: bool = True,
    ties: Ties = "raise",
    weights: Mapping[str, float] | None = None,
    low: float = 0.5,
) -> RoundComparison:
    """Compare two Delphi rounds: the answers changed per expert and per pair, the decisions, the agreement.

    Parameters
    ----------
    round1, round2 : Panel
        Over the same factors in the same order. Experts are matched by ID;
        those in one round only are listed, not compared.
    rule, threshold, strict, ties, weights, low
        How each round's decision and agreement are computed (the same for
        both; weights name the experts of both rounds).

    Returns
    -------
    RoundComparison

    Examples
    --------
    >>> from ism_health import Panel, compare_rounds
    >>> r1 = Panel.from_long([("ann", "a", "b", "V"), ("bob", "a", "b", "A"), ("cy", "a", "b", "O")])
    >>> r2 = Panel.from_long([("ann", "a", "b", "V"), ("bob", "a", "b", "V"), ("cy", "a", "b", "O")])
    >>> compare_rounds(r1, r2).changes[["expert", "factor_i", "factor_j", "round1", "round2"]]
      expert factor_i factor_j round1 round2
    0    bob        a        b      A      V
    """
    for name, p in (("round1", round1), ("round2", round2)):
        if not isinstance(p, Panel):
            raise ISMInputError(f"{name} must be a Panel; got {type(p).__name__}.")
    if round1.labels != round2.labels:
        only1 = [x for x in round1.labels if x not in round2.labels]
        only2 = [x for x in round2.labels if x not in round1.labels]
        detail = (f"only in round 1: {only1}; only in round 2: {only2}" if (only1 or only2)
                  else "the same factors in another order")
        raise ISMInputError(f"the two rounds are over different factor lists ({detail}); expected the same factors "
                            "in the same order.")
    common = [e for e in round1.experts if e in round2.experts]
    if not common:
        raise ISMInputError("no expert is in both rounds; expected the same expert IDs in both.")

    def weights_for(p: Panel) -> Mapping[str, float] | None:
        return None if weights is None else {e: w for e, w in weights.items() if e in p.experts}

    options = {"rule": rule, "threshold": threshold, "strict": strict, "ties": ties}
    ag1 = round1.agreement(low=low, weights=weights_for(round1), **options)  # type: ignore[arg-type]
    ag2 = round2.agreement(low=low, weights=weights_for(round2), **options)  # type: ignore[arg-type]
    agreement = pd.DataFrame(
        {
            "experts": [round1.n_experts, round2.n_experts],
            "fleiss_kappa": [ag1.fleiss_kappa, ag2.fleiss_kappa],
            "krippendorff_alpha": [ag1.krippendorff_alpha, ag2.krippendorff_alpha],
            "mean_pair_agreement": [float(ag1.per_pair["pair_agreement"].mean()),
                                    float(ag2.per_pair["pair_agreement"].mean())],
            "low_agreement_pairs": [int(ag1.per_pair["low_agreement"].sum()), int(ag2.per_pair["low_agreement"].sum())],
        },
        index=pd.Index(["round 1", "round 2"], name="round"),
    )
    i1 = [round1.experts.index(e) for e in common]
    i2 = [round2.experts.index(e) for e in common]
    c1, c2 = round1.codes[i1], round2.codes[i2]
    both = (c1 != NO_ANSWER) & (c2 != NO_ANSWER)
    changed = both & (c1 != c2)
    a1 = ag1.experts.set_index("expert")["agreement_with_panel"]
    a2 = ag2.experts.set_index("expert")["agreement_with_panel"]
    per_expert = pd.DataFrame(
        {
            "expert": common,
            "answers_changed": changed.sum(axis=1).astype(np.int64),
            "pairs_compared": both.sum(axis=1).astype(np.int64),
            "share_changed": changed.sum(axis=1) / np.maximum(both.sum(axis=1), 1),
            "agreement_with_panel_round1": [float(a1[e]) for e in common],
            "agreement_with_panel_round2": [float(a2[e]) for e in common],
        }
    )
    lab = np.array(round1.labels, dtype=object)
    iu, ju = np.triu_indices(round1.n_factors, 1)
    counts1, counts2 = round1._counts(), round2._counts()
    ans1, ans2 = round1.answered.sum(axis=0), round2.answered.sum(axis=0)
    per_pair = pd.DataFrame(
        {
            "factor_i": lab[iu],
            "factor_j": lab[ju],
            "experts_changed": changed.sum(axis=0).astype(np.int64),
            "votes_round1": [_votes_text(counts1[p], int(ans1[p]), round1.n_experts) for p in range(len(iu))],
            "votes_round2": [_votes_text(counts2[p], int(ans2[p]), round2.n_experts) for p in range(len(iu))],
            "decision_round1": ag1.per_pair["decision"].to_numpy(),
            "decision_round2": ag2.per_pair["decision"].to_numpy(),
        }
    )
    per_pair["decision_changed"] = per_pair["decision_round1"] != per_pair["decision_round2"]
    per_pair["pair_agreement_round1"] = ag1.per_pair["pair_agreement"].to_numpy()
    per_pair["pair_agreement_round2"] = ag2.per_pair["pair_agreement"].to_numpy()
    rows = []
    long2 = round2.to_long().set_index(["expert", "factor_i", "factor_j"])["comment"]
    letters = np.array(LETTERS, dtype=object)
    for e_pos, p in zip(*np.nonzero(changed)):
        e = common[e_pos]
        rows.append((e, lab[iu[p]], lab[ju[p]], letters[c1[e_pos, p]], letters[c2[e_pos, p]],
                     long2.get((e, lab[iu[p]], lab[ju[p]]), "")))
    changes = pd.DataFrame(rows, columns=["expert", "factor_i", "factor_j", "round1", "round2", "comment"])
    return RoundComparison(
        agreement=agreement,
        per_expert=per_expert,
        per_pair=per_pair,
        changes=changes,
        only_round1=tuple(e for e in round1.experts if e not in round2.experts),
        only_round2=tuple(e for e in round2.experts if e not in round1.experts),
    )


