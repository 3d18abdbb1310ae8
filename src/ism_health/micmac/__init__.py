"""MICMAC: driving and dependence power and the clusters they define.

The binary MICMAC of the ISM literature (row and column sums of the final
reachability matrix, four clusters by a stated boundary rule) lives in
:mod:`ism_health.micmac.binary`; fuzzy MICMAC (max-min powers of a fuzzy direct
matrix) in :mod:`ism_health.micmac.fuzzy`; Godet's MICMAC (powers of a 0-3
influence matrix) in :mod:`ism_health.micmac.godet`. This package re-exports them.

Examples
--------
>>> from ism_health.micmac import micmac_analysis
>>> micmac_analysis([[1, 1], [0, 1]], labels=["Law", "Use"])["cluster"].tolist()
['independent', 'dependent']
"""

from .binary import (
    CLUSTERS,
    QUADRANTS,
    Threshold,
    check_threshold,
    driving_dependence,
    micmac_analysis,
    micmac_boundaries,
    micmac_clusters,
    micmac_table,
)
from .fuzzy import FuzzyMICMACResult, fuzzy_micmac, fuzzy_micmac_tables, plot_fuzzy_micmac
from .godet import GodetMICMACResult, godet_micmac, godet_tables, plot_displacement, plot_godet_map

__all__ = [
    "CLUSTERS",
    "QUADRANTS",
    "Threshold",
    "check_threshold",
    "driving_dependence",
    "micmac_analysis",
    "micmac_boundaries",
    "micmac_clusters",
    "micmac_table",
    "fuzzy_micmac",
    "FuzzyMICMACResult",
    "fuzzy_micmac_tables",
    "plot_fuzzy_micmac",
    "godet_micmac",
    "GodetMICMACResult",
    "godet_tables",
    "plot_godet_map",
    "plot_displacement",
]
