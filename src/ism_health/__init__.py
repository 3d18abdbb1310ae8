"""ism_health: Interpretive Structural Modeling (ISM) and MICMAC analysis.

Orientation everywhere: entry (i, j) of a matrix is 1 when factor i influences
(reaches) factor j. Rows drive, columns depend. Level 1 is the top.

The flat public API below is the whole study: judgments (SSIM, panels, elicitation,
DEMATEL), the ISM steps (final reachability, levels, digraph, MICMAC and its fuzzy and
Godet variants, AISM, TISM), the uncertainty (robustness, sensitivity), the check of
published work (audit) and the outputs. ``docs/design.md`` maps the modules.

>>> import ism_health as ism
>>> result = ism.analyze(ism.datasets.load_example("worked"))
>>> result.level_partition["F6"], result.micmac_analysis.loc["F7", "cluster"]
(np.int64(1), 'independent')
"""

from . import bundle, datasets, experts, export, levels, micmac, plotting, reachability, report, ssim, tables
from . import result as _result_module
from ._version import __version__
from .adversarial import AdversarialLevels, adversarial_levels
from .audit import AuditReport, audit
from .dematel import DEMATELResult, dematel, plot_cause_effect
from .diagnostics import contradictions, cycle_report
from .digraph import explain, ism_digraph, strongly_connected_sets
from .exceptions import ISMError, ISMInputError, ISMWarning, NotReachableError
from .experts import (
    Panel,
    PanelAgreement,
    RoundComparison,
    compare_rounds,
    read_panel,
    simulate_panel,
    write_feedback_forms,
    write_questionnaire,
    write_questionnaires,
)
from .experts.elicitation import Elicitation, ElicitationTie
from .experts.robustness import RobustnessResult, robustness
from .experts.sensitivity import ThresholdSensitivity, judgment_sensitivity, threshold_sensitivity
from .io import read_ssim, validate_ssim, write_ssim
from .levels import canonical_matrix, level_numbers, level_partition, partition_iterations
from .micmac import (
    CLUSTERS,
    FuzzyMICMACResult,
    GodetMICMACResult,
    driving_dependence,
    fuzzy_micmac,
    godet_micmac,
    micmac_analysis,
)
from .plotting import plot_hierarchy, plot_matrix, plot_micmac
from .reachability import transitive_additions, transitive_closure
from .result import ISMResult, analyze
from .ssim import SSIM
from .tism import TISMResult, merge_interpretations, tism

#: The final reachability matrix of an initial one: the name of the ISM step, the same
#: function as :func:`transitive_closure` (kept as its alias), and the name of the result's
#: attribute (``result.final_reachability``).
final_reachability = transitive_closure

# 0.1 names kept at their 0.1 paths. The kernel knows nothing of levels or MICMAC, so the
# package, which sits above both, attaches them here (no import runs back up).
# Likewise the writers of a whole bundle and the result-JSON reader (above export) and the
# file-level SSIM check (in io, above ssim).
for _module, _name, _value in (
    (reachability, "level_numbers", level_numbers),
    (reachability, "driving_dependence", driving_dependence),
    (export, "write_bundle", bundle.write_bundle),
    (export, "FORMATS", bundle.FORMATS),
    (export, "result_from_json", _result_module.result_from_json),
    (ssim, "validate_ssim", validate_ssim),
    (experts, "contradictions", contradictions),
    (experts, "cycle_report", cycle_report),
):
    setattr(_module, _name, _value)
del _module, _name, _value

__all__ = [
    "__version__",
    # judgments
    "SSIM",
    "read_ssim",
    "write_ssim",
    "validate_ssim",
    "Panel",
    "PanelAgreement",
    "write_questionnaire",
    "read_panel",
    "simulate_panel",
    "write_questionnaires",
    "write_feedback_forms",
    "compare_rounds",
    "RoundComparison",
    "Elicitation",
    "ElicitationTie",
    "dematel",
    "DEMATELResult",
    "plot_cause_effect",
    # the ISM steps
    "final_reachability",
    "transitive_closure",
    "transitive_additions",
    "explain",
    "level_partition",
    "level_numbers",
    "partition_iterations",
    "canonical_matrix",
    "adversarial_levels",
    "AdversarialLevels",
    "ism_digraph",
    "strongly_connected_sets",
    "micmac_analysis",
    "driving_dependence",
    "CLUSTERS",
    "fuzzy_micmac",
    "FuzzyMICMACResult",
    "godet_micmac",
    "GodetMICMACResult",
    "tism",
    "TISMResult",
    "merge_interpretations",
    "analyze",
    "ISMResult",
    # diagnostics and uncertainty
    "contradictions",
    "cycle_report",
    "robustness",
    "RobustnessResult",
    "threshold_sensitivity",
    "ThresholdSensitivity",
    "judgment_sensitivity",
    "audit",
    "AuditReport",
    # figures
    "plot_micmac",
    "plot_hierarchy",
    "plot_matrix",
    # errors
    "ISMError",
    "ISMInputError",
    "NotReachableError",
    "ISMWarning",
    # modules
    "bundle",
    "tables",
    "datasets",
    "export",
    "levels",
    "micmac",
    "plotting",
    "report",
    "reachability",
]
