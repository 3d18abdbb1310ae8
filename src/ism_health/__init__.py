"""ism_health: Interpretive Structural Modeling (ISM) and MICMAC analysis.

Orientation everywhere: entry (i, j) of a matrix is 1 when factor i influences
(reaches) factor j. Rows drive, columns depend. Level 1 is the top.

>>> import ism_health as ism
>>> result = ism.analyze(ism.datasets.load_example("worked"))
>>> result.levels["F6"], result.micmac.loc["F7", "cluster"]
(np.int64(1), 'independent')
"""

from ._version import __version__

from . import datasets, export, plotting, reachability, report
from .digraph import ism_digraph, strongly_connected_sets
from .exceptions import ISMError, ISMInputError, ISMWarning, NotReachableError
from .experts import (
    Panel,
    PanelAgreement,
    contradictions,
    cycle_report,
    read_panel,
    simulate_panel,
    write_questionnaire,
)
from .experts import RoundComparison, compare_rounds, write_feedback_forms, write_questionnaires
from .io import read_ssim, write_ssim
from .levels import canonical_matrix, level_partition, partition_iterations
from .micmac import CLUSTERS, micmac_analysis
from .reachability import explain, transitive_additions, transitive_closure
from .result import ISMResult, analyze
from .ssim import SSIM, validate_ssim

__all__ = [
    "__version__",
    "SSIM",
    "read_ssim",
    "write_ssim",
    "validate_ssim",
    "transitive_closure",
    "transitive_additions",
    "explain",
    "level_partition",
    "partition_iterations",
    "canonical_matrix",
    "micmac_analysis",
    "CLUSTERS",
    "ism_digraph",
    "strongly_connected_sets",
    "analyze",
    "ISMResult",
    "ISMError",
    "ISMInputError",
    "NotReachableError",
    "ISMWarning",
    "Panel",
    "PanelAgreement",
    "write_questionnaire",
    "read_panel",
    "contradictions",
    "cycle_report",
    "simulate_panel",
    "write_questionnaires",
    "write_feedback_forms",
    "compare_rounds",
    "RoundComparison",
    "datasets",
    "export",
    "plotting",
    "report",
    "reachability",
]
