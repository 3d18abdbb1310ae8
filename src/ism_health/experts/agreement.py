"""Agreement of a panel: Fleiss' kappa, Krippendorff's alpha, per pair and per expert.

:func:`fleiss_kappa` and :func:`krippendorff_alpha` work on any table of
counts (items x categories); :meth:`Panel.agreement <ism_health.Panel.agreement>`
(:func:`panel_agreement`) applies them to a panel's V/A/X/O answers and adds the
agreement per pair and each expert's agreement with the panel decision, in a
:class:`PanelAgreement`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._symbols import CODE, LETTERS, SHOWN
from ..exceptions import ISMInputError
from .aggregate import decide

if TYPE_CHECKING:
    from .panel import Panel

__all__ = ["PanelAgreement", "fleiss_kappa", "krippendorff_alpha", "panel_agreement"]


def _count_table(table: Any) -> np.ndarray:
    t = np.asarray(table)
    if t.ndim != 2 or t.dtype.kind not in "iuf" or (t.size and t.min() < 0):
        raise ISMInputError("expected a table of non-negative counts, one row per item and one column per category.")
    return t.astype(float)


def fleiss_kappa(counts: Any) -> float:
    """Fleiss' kappa from a table of counts (items x categories), every item rated by the same number of raters.

    ``kappa = (P_bar - P_e) / (1 - P_e)`` with ``P_i = (sum_k n_ik^2 - m) /
    (m (m - 1))`` the agreement on item i (m raters), ``P_bar`` its mean,
    ``p_k`` the share of all ratings in category k and ``P_e = sum_k p_k^2``.
    Returns ``nan`` when it is undefined (a single category used throughout,
    P_e = 1, or fewer than two raters). Checked against
    ``statsmodels.stats.inter_rater.fleiss_kappa`` in the tests.

    Examples
    --------
    >>> from ism_health.experts import fleiss_kappa
    >>> round(fleiss_kappa([[2, 1, 0], [3, 0, 0], [0, 0, 3]]), 4)  # (7/9 - 35/81) / (1 - 35/81)
    0.6087
    """
    t = _count_table(counts)
    m = t.sum(axis=1)
    if len(t) == 0 or not np.allclose(m, m[0]):
        raise ISMInputError("Fleiss' kappa needs the same number of ratings for every item.")
    m0 = float(m[0])
    if m0 < 2:
        return float("nan")
    p_i = ((t * t).sum(axis=1) - m0) / (m0 * (m0 - 1))
    p_k = t.sum(axis=0) / t.sum()
    p_e = float((p_k * p_k).sum())
    if abs(1 - p_e) < 1e-12:
        return float("nan")
    return float((p_i.mean() - p_e) / (1 - p_e))


def krippendorff_alpha(counts: Any) -> float:
    """Krippendorff's alpha for nominal data, from a table of counts (items x categories).

    Items may have different numbers of ratings (missing answers); items with
    fewer than two are not pairable and are left out. With the coincidence
    matrix ``o_ck = sum_u n_uc (n_uk - [c == k]) / (m_u - 1)``, category
    totals ``n_c`` and ``n = sum n_c``: ``alpha = 1 - (n - 1) D_o / D_e``
    where ``D_o = sum_{c != k} o_ck`` and ``D_e = sum_{c != k} n_c n_k``.
    Returns ``nan`` when only one category occurs (no disagreement is
    possible). Checked against the ``krippendorff`` package in the tests.

    Examples
    --------
    >>> from ism_health.experts import krippendorff_alpha
    >>> round(krippendorff_alpha([[2, 1, 0], [3, 0, 0], [0, 0, 3]]), 4)  # 1 - 8 * 2 / 46
    0.6522
    """
    t = _count_table(counts)
    m = t.sum(axis=1)
    t = t[m >= 2]
    m = m[m >= 2]
    if len(t) == 0:
        return float("nan")
    o = np.zeros((t.shape[1], t.shape[1]))
    for u in range(len(t)):
        o += (np.outer(t[u], t[u]) - np.diag(t[u])) / (m[u] - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    off = ~np.eye(len(n_c), dtype=bool)
    d_e = float((np.outer(n_c, n_c))[off].sum())
    if d_e == 0:
        return float("nan")
    d_o = float(o[off].sum())
    return float(1 - (n - 1) * d_o / d_e)


def _cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    p_o = float(np.mean(a == b))
    p_e = float(sum(np.mean(a == c) * np.mean(b == c) for c in range(4)))
    if abs(1 - p_e) < 1e-12:
        return float("nan")
    return (p_o - p_e) / (1 - p_e)


@dataclass(frozen=True, repr=False)
class PanelAgreement:
    """How much a panel agrees: overall statistics, per pair and per expert.

    Build it with :meth:`Panel.agreement`.

    Attributes
    ----------
    fleiss_kappa : float
        Fleiss' kappa over the V/A/X/O answers (pairs are the items). In a
        panel with unanswered pairs, over the pairs every expert answered
        (``params["pairs_in_kappa"]`` says how many): Fleiss' kappa needs the
        same number of ratings per item.
    krippendorff_alpha : float
        Krippendorff's alpha, nominal level, over the same answers (all
        pairs: alpha allows missing answers).
    per_pair : DataFrame
        One row per pair: the votes ``V, A, X, O`` (and ``answered`` in a
        panel with unanswered pairs), ``modal_symbols``, ``modal_share``
        (share of the experts answering who give the most common symbol),
        ``pair_agreement`` (share of pairs of experts who agree, Fleiss' P_i),
        ``decision`` (the panel's aggregated symbol) and ``low_agreement``.
    experts : DataFrame
        One row per expert: ``agreement_with_panel`` (share of the pairs the
        expert answered where the expert's symbol equals the decision),
        ``kappa_with_panel`` (Cohen's kappa between expert and decision),
        ``pairs_differing`` and, in a panel with unanswered pairs,
        ``pairs_answered``.
    n_experts : int
    params : mapping
        The options used.

    Examples
    --------
    >>> from ism_health import simulate_panel
    >>> from ism_health.datasets import load_example
    >>> ag = simulate_panel(load_example(), n_experts=12, error_rate=0.15, seed=2024).agreement()
    >>> ag
    PanelAgreement(fleiss_kappa=0.6064, krippendorff_alpha=0.6069, low_agreement=4 of 78 pairs)
    >>> ag.experts.columns.tolist()
    ['expert', 'agreement_with_panel', 'kappa_with_panel', 'pairs_differing']
    """

    fleiss_kappa: float
    krippendorff_alpha: float
    per_pair: pd.DataFrame = field(compare=False)
    experts: pd.DataFrame = field(compare=False)
    n_experts: int = 0
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def low_agreement(self) -> pd.DataFrame:
        """The rows of :attr:`per_pair` flagged as low agreement, lowest first."""
        low = self.per_pair[self.per_pair["low_agreement"]]
        return low.sort_values("pair_agreement", kind="stable")

    @property
    def share_low_agreement(self) -> float:
        """The share of pairs flagged as low agreement."""
        return float(self.per_pair["low_agreement"].mean()) if len(self.per_pair) else float("nan")

    def summary(self) -> str:
        """A short plain-text report.

        Examples
        --------
        >>> from ism_health import simulate_panel
        >>> from ism_health.datasets import load_example
        >>> print(simulate_panel(load_example("worked"), 5, 0.1, seed=1).agreement().summary())  # doctest: +ELLIPSIS
        Panel agreement (5 experts, 28 pairs)
          Fleiss' kappa: ...
        """
        lines = [
            f"Panel agreement ({self.n_experts} experts, {len(self.per_pair)} pairs)",
            f"  Fleiss' kappa: {self.fleiss_kappa:.3f}",
            f"  Krippendorff's alpha (nominal): {self.krippendorff_alpha:.3f}",
            f"  Mean pair agreement: {self.per_pair['pair_agreement'].mean():.3f}",
            f"  Low-agreement pairs (pair agreement < {self.params.get('low', 0.5):g}): "
            f"{int(self.per_pair['low_agreement'].sum())} of {len(self.per_pair)} ({self.share_low_agreement:.1%})",
        ]
        for r in self.low_agreement.head(10).itertuples(index=False):
            lines.append(
                f"    {r.factor_i} / {r.factor_j}: V={r.V} A={r.A} X={r.X} O={r.O}, "
                f"agreement {r.pair_agreement:.2f}, decision {r.decision}"
            )
        lines.append("  Experts' agreement with the panel decision:")
        for r in self.experts.itertuples(index=False):
            lines.append(f"    {r.expert}: {r.agreement_with_panel:.1%} (kappa {r.kappa_with_panel:.2f})")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"PanelAgreement(fleiss_kappa={self.fleiss_kappa:.4f}, krippendorff_alpha={self.krippendorff_alpha:.4f}, "
            f"low_agreement={int(self.per_pair['low_agreement'].sum())} of {len(self.per_pair)} pairs)"
        )

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.summary())}</pre>"


def panel_agreement(
    panel: Panel,
    *,
    low: float = 0.5,
    rule: str = "threshold",
    threshold: float = 0.5,
    strict: bool = True,
    ties: str = "raise",
    weights: Mapping[str, float] | None = None,
) -> PanelAgreement:
    """Agreement of a panel over its V/A/X/O answers: what :meth:`Panel.agreement <ism_health.Panel.agreement>` does.

    Same options as :meth:`Panel.agreement <ism_health.Panel.agreement>`.

    Examples
    --------
    >>> from ism_health import Panel
    >>> from ism_health.experts.agreement import panel_agreement
    >>> p = Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "V"), ("e3", "a", "b", "A")])
    >>> panel_agreement(p).per_pair[["V", "A", "pair_agreement", "decision"]]
       V  A  pair_agreement decision
    0  2  1        0.333333        V
    """
    if isinstance(low, bool) or not isinstance(low, (int, float, np.integer, np.floating)) or not 0 <= low <= 1:
        raise ISMInputError(f"low={low!r} is not allowed; expected a number in [0, 1].")
    decision, _ = decide(panel, rule, threshold=threshold, strict=strict, ties=ties, weights=weights)
    counts = panel._counts()
    n_e = panel.n_experts
    answered = panel.answered
    m = counts.sum(axis=1)  # experts who answered each pair (all of them unless the panel has missing answers)
    table = panel.votes()
    with np.errstate(divide="ignore", invalid="ignore"):
        p_i = np.where(m > 1, ((counts * counts).sum(axis=1) - m) / (m * (m - 1)), np.nan)
    top = counts.max(axis=1)
    table["modal_symbols"] = [
        ", ".join(s for s in SHOWN if counts[p, CODE[s]] == top[p]) for p in range(panel.n_pairs)
    ]
    table["modal_share"] = top / m
    table["pair_agreement"] = p_i
    table["decision"] = np.array(LETTERS, dtype=object)[decision]
    table["low_agreement"] = p_i < low
    same = (panel.codes == decision[None, :]) & answered
    n_answered = answered.sum(axis=1)
    experts = pd.DataFrame(
        {
            "expert": list(panel.experts),
            "agreement_with_panel": same.sum(axis=1) / n_answered,
            "kappa_with_panel": [_cohen_kappa(panel.codes[e][answered[e]], decision[answered[e]]) for e in range(n_e)],
            "pairs_differing": (answered & ~same).sum(axis=1).astype(np.int64),
        }
    )
    if panel.has_missing:
        experts["pairs_answered"] = n_answered.astype(np.int64)
    complete = m == n_e
    params = {"low": float(low), "rule": rule, "threshold": float(threshold), "strict": bool(strict), "ties": ties,
              "weighted": weights is not None, "pairs_in_kappa": int(complete.sum())}
    return PanelAgreement(
        fleiss_kappa=fleiss_kappa(counts[complete]) if complete.any() else float("nan"),
        krippendorff_alpha=krippendorff_alpha(counts),
        per_pair=table,
        experts=experts,
        n_experts=n_e,
        params=MappingProxyType(params),
    )
