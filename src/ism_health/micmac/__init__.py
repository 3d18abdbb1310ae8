"""MICMAC: driving and dependence power and the clusters they define.

The binary MICMAC of the ISM literature (row and column sums of the final
reachability matrix, four clusters by a stated boundary rule) lives in
:mod:`ism_health.micmac.binary`; this package re-exports it.

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
]
