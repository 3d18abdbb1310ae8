"""Expert panels: questionnaires, aggregation, agreement and transitivity contradictions.

An ISM study asks a panel of experts to judge every pair of factors. This
package makes that step explicit and reproducible:

* :func:`write_questionnaire` writes an Excel form an expert can fill without
  training (pairs or matrix style, dropdowns, instructions, a hidden sheet that
  records the factor list); :func:`read_panel` reads the filled forms back into
  a :class:`Panel` and reports every problem in every file at once.
* :class:`Panel` holds the answers (experts x pairs). It is also built from a
  long table (:meth:`Panel.from_long`) or from one SSIM per expert
  (:meth:`Panel.from_ssims`).
* :meth:`Panel.aggregate` merges the answers into one :class:`~ism_health.SSIM`
  by a stated rule (directional threshold, mode with an explicit tie policy,
  unanimity; experts optionally weighted) and :meth:`Panel.aggregation_report`
  shows, per pair, the votes, the decision and every tie with how it was broken.
* :meth:`Panel.agreement` reports Fleiss' kappa, Krippendorff's alpha (nominal),
  per-pair agreement and each expert's agreement with the panel decision.
* :func:`contradictions` lists every "no influence" judgment that the transitive
  closure overrides (a 1* entry), with a shortest chain forcing it and, for a
  panel, how many experts support each link; :func:`cycle_report` names the
  judgments that create each cycle.
* :func:`simulate_panel` makes a noisy panel from a known structure.
* :func:`write_feedback_forms` and :func:`compare_rounds` run Delphi rounds
  (:mod:`~ism_health.experts.delphi`).
* :meth:`Panel.analyze` (:func:`analyze_panel`) analyses the aggregate and
  returns a result that carries the panel, so its workbook and report gain
  the panel's tables (:func:`panel_tables`, :mod:`~ism_health.experts.study`).

Orientation, as everywhere in ism_health: a relation ``i -> j`` (entry (i, j)
of a matrix) means factor i influences factor j. For a pair (i, j) with i
listed before j: ``V`` is i -> j, ``A`` is j -> i, ``X`` both, ``O`` neither.
In every table of this package ``factor_i`` is the factor listed first in the
panel's factor order and the symbol is read from ``factor_i`` to ``factor_j``.

One module per concept: :mod:`~ism_health.experts.panel` (the data),
:mod:`~ism_health.experts.aggregate` (the rules, a registry of functions),
:mod:`~ism_health.experts.agreement`, :mod:`~ism_health.experts.questionnaire`,
:mod:`~ism_health.experts.simulate`; :func:`contradictions` and
:func:`cycle_report` live in :mod:`ism_health.diagnostics` (``ism_health.experts.contradictions``
still works, as in version 0.1: the package attaches it). The sessions and resampling
built on a panel, :mod:`~ism_health.experts.elicitation`, :mod:`~ism_health.experts.robustness`
and :mod:`~ism_health.experts.sensitivity`, sit above :mod:`ism_health.result` and are not
imported here.
"""

from .agreement import PanelAgreement, fleiss_kappa, krippendorff_alpha
from .delphi import RoundComparison, compare_rounds, write_feedback_forms
from .forms import read_panel
from .panel import Panel
from .questionnaire import FORM_FORMAT, read_factors, write_questionnaire, write_questionnaires
from .simulate import simulate_panel
from .study import PanelAggregation, analyze_panel, panel_tables

__all__ = [
    "Panel",
    "PanelAgreement",
    "write_questionnaire",
    "write_questionnaires",
    "read_panel",
    "read_factors",
    "contradictions",
    "cycle_report",
    "simulate_panel",
    "fleiss_kappa",
    "krippendorff_alpha",
    "FORM_FORMAT",
    "write_feedback_forms",
    "compare_rounds",
    "RoundComparison",
    "PanelAggregation",
    "panel_tables",
    "analyze_panel",
]
