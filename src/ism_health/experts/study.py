"""A panel study: the panel, the rule that aggregated it, its tables and its ISM analysis.

:class:`PanelAggregation` ties a :class:`~ism_health.Panel` to the aggregation
options that made its SSIM; :func:`analyze_panel` (also
:meth:`Panel.analyze <ism_health.Panel.analyze>`) runs the analysis of that
SSIM and returns an :class:`~ism_health.ISMResult` that carries it
(``result.panel``), so that the workbook, the CSV files and ``report.html``
written from that result gain the panel's tables. :func:`panel_tables` builds
those tables: the votes and decision per pair (ties and how they were broken),
agreement overall, per pair and per expert, the contradictions (chains written
``A → B → C`` with the support of each link) and the cycle report.

The writers never import this module: a result calls ``result.panel.tables()``
when it has a panel. Data flows one way: panel -> aggregate -> SSIM -> result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..diagnostics import contradictions, cycle_report
from ..exceptions import ISMInputError
from ..ssim import SSIM
from ..tables import TABLE_TITLES
from .aggregate import _check_options, _expert_weights

if TYPE_CHECKING:
    from ..result import ISMResult
    from .panel import Panel

__all__ = ["PanelAggregation", "PANEL_TABLE_TITLES", "panel_tables", "analyze_panel", "format_chain"]

#: Titles (sheet name, caption) of the panel's tables, keyed as :func:`panel_tables` names them (one copy, in
#: :data:`ism_health.tables.TABLE_TITLES`, which the writers read).
PANEL_TABLE_TITLES: dict[str, tuple[str, str]] = {k: v for k, v in TABLE_TITLES.items() if k.startswith("panel_")}

_ARROW = " → "


def format_chain(chain: Any) -> str:
    """A chain of factors as papers write it: ``A → B → C``.

    Examples
    --------
    >>> from ism_health.experts.study import format_chain
    >>> format_chain(("Law", "Trust", "Use"))
    'Law → Trust → Use'
    """
    return _ARROW.join(str(x) for x in chain)


@dataclass(frozen=True, eq=False)
class PanelAggregation:
    """A panel and the options that aggregated it: what a result from a panel carries as ``result.panel``.

    Parameters
    ----------
    panel : Panel
    rule, threshold, strict, ties, weights
        As for :meth:`Panel.aggregate <ism_health.Panel.aggregate>` (checked here).
    low : float, default 0.5
        Pair agreement below which a pair is flagged (:meth:`Panel.agreement`).

    Examples
    --------
    >>> from ism_health import simulate_panel
    >>> from ism_health.datasets import load_example
    >>> from ism_health.experts.study import PanelAggregation
    >>> study = PanelAggregation(simulate_panel(load_example("worked"), 5, 0.1, seed=1), rule="mode",
    ...                          ties="conservative")
    >>> study.aggregate().n_factors, sorted(study.tables())[:3]
    (8, ['panel_agreement', 'panel_contradictions', 'panel_cycles'])
    """

    panel: Panel
    rule: str = "threshold"
    threshold: float = 0.5
    strict: bool = True
    ties: str = "raise"
    weights: Mapping[str, float] | None = field(default=None)
    low: float = 0.5

    def __post_init__(self) -> None:
        # Panel.analyze calls this module: recognise a panel by what it has, not by importing it (no cycle).
        if not all(hasattr(self.panel, a) for a in ("aggregation_report", "agreement", "codes", "answered")):
            raise ISMInputError(f"expected a Panel; got {type(self.panel).__name__}.")
        object.__setattr__(self, "threshold", _check_options(self.rule, self.threshold, self.strict, self.ties))
        _expert_weights(self.panel, self.weights)
        if self.weights is not None:
            object.__setattr__(self, "weights", MappingProxyType(dict(self.weights)))
        low = self.low
        if isinstance(low, bool) or not isinstance(low, (int, float, np.integer, np.floating)) or not 0 <= low <= 1:
            raise ISMInputError(f"low={low!r} is not allowed; expected a number in [0, 1].")

    @property
    def options(self) -> dict[str, Any]:
        """The aggregation options, as :meth:`Panel.aggregate` takes them (a new dict)."""
        return {"rule": self.rule, "threshold": self.threshold, "strict": self.strict, "ties": self.ties,
                "weights": None if self.weights is None else dict(self.weights)}

    def aggregate(self) -> SSIM:
        """The aggregated SSIM.

        Examples
        --------
        >>> from ism_health import Panel
        >>> from ism_health.experts.study import PanelAggregation
        >>> p = Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "X")])
        >>> PanelAggregation(p, rule="unanimity").aggregate().symbol("a", "b")
        'V'
        """
        return self.panel.aggregate(**self.options)

    def tables(self, result: ISMResult | None = None) -> dict[str, pd.DataFrame]:
        """The panel's tables (see :func:`panel_tables`).

        Examples
        --------
        >>> from ism_health import Panel
        >>> from ism_health.experts.study import PanelAggregation
        >>> p = Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "V")])
        >>> PanelAggregation(p).tables()["panel_votes"][["Factor i", "Factor j", "V", "Decision"]]
          Factor i Factor j  V Decision
        0        a        b  2        V
        """
        return panel_tables(self, result)

    def summary(self) -> str:
        """A few lines: experts, rule, agreement, ties, contradictions, cycles and notes.

        Examples
        --------
        >>> from ism_health import simulate_panel
        >>> from ism_health.datasets import load_example
        >>> from ism_health.experts.study import PanelAggregation
        >>> print(PanelAggregation(simulate_panel(load_example("worked"), 5, 0.1, seed=1)).summary())
        ... # doctest: +ELLIPSIS
        Panel: 5 experts, 8 factors, 28 pairs; rule threshold (share > 0.5)
        ...
        """
        summary = self.tables()["panel_summary"]
        values = dict(zip(summary["Item"], summary["Value"]))
        lines = [f"Panel: {values['Experts']} experts, {values['Factors']} factors, {values['Pairs']} pairs; "
                 f"rule {values['Rule']}"]
        for key in ("Fleiss' kappa", "Krippendorff's alpha", "Low-agreement pairs", "Ties", "Pairs not answered by all",
                    "Contradictions", "Cycles"):
            if key in values:
                lines.append(f"  {key}: {values[key]}")
        lines += [f"  note: {n}" for n in self.panel.notes]
        return "\n".join(lines)


def _rule_text(study: PanelAggregation) -> str:
    if study.rule == "threshold":
        return f"threshold (share {'>' if study.strict else '>='} {study.threshold:g})"
    if study.rule == "mode":
        return f"mode (ties: {study.ties})"
    return study.rule


def _pct(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:.3f}"


def panel_tables(
    panel: Panel | PanelAggregation, result: ISMResult | None = None, **options: Any
) -> dict[str, pd.DataFrame]:
    """The tables of a panel study, for the workbook, the CSV files and the report.

    Parameters
    ----------
    panel : Panel or PanelAggregation
        A :class:`~ism_health.Panel` is aggregated with ``options``.
    result : ISMResult, optional
        The analysis of the aggregated SSIM; checked to be of this panel's aggregate.
    **options
        ``rule``, ``threshold``, ``strict``, ``ties``, ``weights``, ``low`` (for a Panel).

    Returns
    -------
    dict of str -> DataFrame
        ``panel_summary`` (Item, Value), ``panel_experts``, ``panel_votes``
        (one row per pair: the votes, ``Answered`` when some expert left pairs
        blank, the share per direction, the decision and any tie),
        ``panel_ties``, ``panel_agreement`` (per pair), ``panel_contradictions``
        (chains ``A → B → C`` and the support of each link, e.g.
        ``A → B 10/12; B → C 9/12``), ``panel_cycles`` and, when reading
        decided something, ``panel_notes``. Titles in :data:`PANEL_TABLE_TITLES`.

    Examples
    --------
    >>> from ism_health import SSIM, Panel
    >>> from ism_health.experts.study import panel_tables
    >>> s = SSIM.from_pairs([("a", "b", "V"), ("b", "c", "V"), ("a", "c", "O")])
    >>> t = panel_tables(Panel.from_ssims([s, s, s.revise({("a", "c"): "V"})]))
    >>> t["panel_contradictions"][["Source", "Target", "Chain", "Support of each link"]]
      Source Target      Chain Support of each link
    0      a      c  a → b → c   a → b 3/3; b → c 3/3
    """
    if isinstance(panel, PanelAggregation):
        if options:
            raise ISMInputError(f"options ({', '.join(options)}) are already set in the PanelAggregation given.")
        study = panel
    else:
        study = PanelAggregation(panel, **options)
    p = study.panel
    opts = study.options
    ssim = study.aggregate()
    if result is not None and getattr(result, "ssim", None) != ssim:
        raise ISMInputError("the result given is not the analysis of this panel's aggregated SSIM.")
    report = p.aggregation_report(**opts)
    ag = p.agreement(low=study.low, **opts)
    answered = p.answered.sum(axis=0)
    n_e = p.n_experts
    out: dict[str, pd.DataFrame] = {}

    votes = pd.DataFrame({"Factor i": report["factor_i"], "Factor j": report["factor_j"]})
    for s in ("V", "A", "X", "O"):
        votes[s] = report[f"votes_{s}"].astype(np.int64)
    if p.has_missing:
        votes["Answered"] = answered.astype(np.int64)
    votes["Share i → j"] = report["share_i_to_j"]
    votes["Share j → i"] = report["share_j_to_i"]
    votes["Decision"] = report["decision"]
    votes["Tie"] = report["tie"].astype(bool)
    votes["Tie resolution"] = report["tie_resolution"]
    ties = votes.loc[votes["Tie"], ["Factor i", "Factor j"]].copy()
    ties["Tied"] = report.loc[votes["Tie"], "tied"]
    ties["How it was broken"] = report.loc[votes["Tie"], "tie_resolution"]
    ties = ties.reset_index(drop=True)

    experts = ag.experts
    exp = pd.DataFrame({
        "Expert": experts["expert"],
        "Source": [p.sources[e] for e in p.experts],
        "Pairs answered": p.answered.sum(axis=1).astype(np.int64),
        "Agreement with panel": experts["agreement_with_panel"],
        "Kappa with panel": experts["kappa_with_panel"],
        "Pairs differing": experts["pairs_differing"].astype(np.int64),
    })

    per = ag.per_pair
    agree = pd.DataFrame({
        "Factor i": per["factor_i"], "Factor j": per["factor_j"], "Pair agreement": per["pair_agreement"],
        "Modal symbols": per["modal_symbols"], "Modal share": per["modal_share"], "Decision": per["decision"],
        "Low agreement": per["low_agreement"].astype(bool),
    })

    found = contradictions(p, **opts)
    n = p.n_factors
    pos = {lab: k for k, lab in enumerate(p.labels)}
    iu, ju = np.triu_indices(n, 1)
    answered_m = np.zeros((n, n), dtype=np.int64)
    answered_m[iu, ju] = answered
    answered_m[ju, iu] = answered

    def support_text(chain: tuple[str, ...], links: tuple[int, ...]) -> str:
        return "; ".join(
            f"{a}{_ARROW}{b} {k}/{answered_m[pos[a], pos[b]]}" for a, b, k in zip(chain[:-1], chain[1:], links)
        )

    con = pd.DataFrame({
        "Source": found["source"],
        "Target": found["target"],
        "Judgment": found["judgment"],
        "Experts not asserting": found["experts_not_asserting"].astype(np.int64),
        "Experts asserting": found["experts_asserting"].astype(np.int64),
        "Chain": [format_chain(c) for c in found["chain"]],
        "Links": found["chain_length"].astype(np.int64),
        "Support of each link": [support_text(c, k) for c, k in zip(found["chain"], found["link_support"])],
        "Weakest link": [format_chain(w) for w in found["weakest_link"]],
        "Weakest link support": found["weakest_link_support"].astype(np.int64),
    })

    cyc_raw = cycle_report(p, **opts)
    cyc = pd.DataFrame({
        "Cycle": cyc_raw["cycle"].astype(np.int64),
        "Members": [", ".join(m) for m in cyc_raw["members"]],
        "Factor i": cyc_raw["factor_i"], "Factor j": cyc_raw["factor_j"], "Symbol": cyc_raw["symbol"],
        "Support i → j": cyc_raw["support_i_to_j"].astype(np.int64),
        "Support j → i": cyc_raw["support_j_to_i"].astype(np.int64),
        "Weakest support": cyc_raw["weakest_support"].astype(np.int64),
    })

    rows = [
        ("Experts", str(n_e)),
        ("Factors", str(n)),
        ("Pairs", str(p.n_pairs)),
        ("Rule", _rule_text(study)),
        ("Weights", "none" if study.weights is None else ", ".join(f"{e}: {w:g}" for e, w in study.weights.items())),
        ("Fleiss' kappa", _pct(ag.fleiss_kappa)
         + ("" if not p.has_missing else f" (over the {ag.params['pairs_in_kappa']} pairs every expert answered)")),
        ("Krippendorff's alpha", _pct(ag.krippendorff_alpha)),
        ("Mean pair agreement", _pct(float(per["pair_agreement"].mean()))),
        ("Low-agreement pairs", f"{int(per['low_agreement'].sum())} of {p.n_pairs} (pair agreement < {study.low:g})"),
        ("Ties", f"{int(votes['Tie'].sum())} of {p.n_pairs}"),
    ]
    if p.has_missing:
        short = int((answered < n_e).sum())
        rows.append(("Pairs not answered by all", f"{short} of {p.n_pairs} (decided by those who answered; "
                     f"fewest answers: {int(answered.min())} of {n_e})"))
    rows += [("Contradictions", str(len(con))), ("Cycles", str(int(cyc["Cycle"].max()) if len(cyc) else 0))]
    if p.notes:
        rows.append(("Notes", f"{len(p.notes)} (see the notes table)"))
    out["panel_summary"] = pd.DataFrame(rows, columns=["Item", "Value"])
    out["panel_experts"] = exp
    out["panel_votes"] = votes
    out["panel_ties"] = ties
    out["panel_agreement"] = agree
    out["panel_contradictions"] = con
    out["panel_cycles"] = cyc
    if p.notes:
        out["panel_notes"] = pd.DataFrame({"Note": list(p.notes)})
    return out


def analyze_panel(
    panel: Panel,
    *,
    rule: str = "threshold",
    threshold: float = 0.5,
    strict: bool = True,
    ties: str = "raise",
    weights: Mapping[str, float] | None = None,
    low: float = 0.5,
    **analysis_options: Any,
) -> ISMResult:
    """Aggregate a panel and analyse the SSIM; the result carries the panel (``result.panel``).

    What :meth:`Panel.analyze <ism_health.Panel.analyze>` does. The workbook,
    CSV files and report written from the result (``result.save()``,
    ``to_excel``, ``to_html``) gain the panel's tables (:func:`panel_tables`).

    Parameters
    ----------
    panel : Panel
    rule, threshold, strict, ties, weights
        As for :meth:`Panel.aggregate <ism_health.Panel.aggregate>`.
    low : float, default 0.5
        As for :meth:`Panel.agreement <ism_health.Panel.agreement>`.
    **analysis_options
        ``micmac_threshold``, ``on_boundary``, ... of :func:`ism_health.analyze`.

    Examples
    --------
    >>> from ism_health import analyze, simulate_panel
    >>> from ism_health.datasets import load_example
    >>> from ism_health.experts.study import analyze_panel
    >>> panel = simulate_panel(load_example("worked"), 5, 0.1, seed=1)
    >>> result = analyze_panel(panel, rule="mode", ties="conservative")
    >>> result == analyze(panel.aggregate("mode", ties="conservative")), result.panel.rule
    (True, 'mode')
    """
    from dataclasses import replace

    from ..result import analyze

    study = PanelAggregation(panel, rule=rule, threshold=threshold, strict=strict, ties=ties, weights=weights, low=low)
    result = analyze(study.aggregate(), **analysis_options)
    return replace(result, panel=study)
