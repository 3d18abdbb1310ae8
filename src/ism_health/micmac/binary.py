"""MICMAC analysis: driving power, dependence power, ranks and the four clusters.

Driving power is the row sum of the final reachability matrix, dependence power
its column sum (the diagonal counts: every factor reaches itself). With a
boundary on each axis (default ``n / 2``), each factor falls in one cluster:

========  ==============  ==================  ===========================
quadrant  cluster         driving power       dependence power
========  ==============  ==================  ===========================
I         autonomous      low                 low
II        dependent       low                 high
III       linkage         high                high
IV        independent     high                low (the "driving" factors)
========  ==============  ==================  ===========================

Boundary rule: a power strictly above its boundary is high. A power exactly on
the boundary is low (``on_boundary="low"``, the default) or high
(``on_boundary="high"``), and always flagged in the ``on_boundary`` column so a
reader can see which placements the rule decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Union

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .._validation import check_choice, check_number
from ..exceptions import ISMInputError
from ..levels import check_final_reachability
from ..reachability._bits import _as_bool_matrix

__all__ = [
    "CLUSTERS",
    "QUADRANTS",
    "Threshold",
    "driving_dependence",
    "micmac_boundaries",
    "check_threshold",
    "micmac_clusters",
    "micmac_analysis",
    "micmac_table",
]

#: Cluster names, indexed by the codes of :func:`micmac_clusters`.
CLUSTERS: tuple[str, ...] = ("autonomous", "dependent", "linkage", "independent")
#: Quadrant numbers of the MICMAC map, in the same order.
QUADRANTS: tuple[str, ...] = ("I", "II", "III", "IV")

Threshold = Union[float, Literal["half", "mean"], tuple[float, float]]  # noqa: UP007 - a runtime alias on 3.10


def driving_dependence(frm: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Driving power (row sums) and dependence power (column sums), diagonal included.

    Parameters
    ----------
    frm : array_like (n, n) or (b, n, n)
        Final reachability matrix (the diagonal is counted as it is given).

    Returns
    -------
    driving, dependence : numpy.ndarray of int64, shape (n,) or (b, n)

    Examples
    --------
    >>> from ism_health.micmac import driving_dependence
    >>> driving_dependence([[1, 1, 1], [0, 1, 1], [0, 0, 1]])
    (array([3, 2, 1]), array([1, 2, 3]))
    """
    r = _as_bool_matrix(frm, "final reachability matrix")
    n = r.shape[-1]
    u8 = r.view(np.uint8)
    if n < 65535:
        return (
            u8.sum(axis=-1, dtype=np.uint16).astype(np.int64),
            u8.sum(axis=-2, dtype=np.uint16).astype(np.int64),
        )
    return u8.sum(axis=-1, dtype=np.int64), u8.sum(axis=-2, dtype=np.int64)  # pragma: no cover


def micmac_boundaries(
    driving: np.ndarray, dependence: np.ndarray, n: int, threshold: Threshold = "half"
) -> tuple[float, float]:
    """The boundaries ``(dependence_boundary, driving_boundary)`` for a threshold option.

    ``"half"``: n / 2 on both axes; ``"mean"``: the mean dependence power and the
    mean driving power (equal, since both sum to the number of 1s); a number:
    that value on both axes; a pair: ``(dependence_boundary, driving_boundary)``.

    Examples
    --------
    >>> import numpy as np
    >>> from ism_health.micmac import micmac_boundaries
    >>> micmac_boundaries(np.array([3, 1]), np.array([1, 3]), 2, "half")
    (1.0, 1.0)
    >>> micmac_boundaries(np.array([3, 1]), np.array([1, 3]), 2, "mean")
    (2.0, 2.0)
    """
    checked = check_threshold(threshold)
    if isinstance(checked, str):
        if checked == "half":
            return n / 2, n / 2
        return float(np.mean(dependence)), float(np.mean(driving))
    if isinstance(checked, list):
        return float(checked[0]), float(checked[1])
    return float(checked), float(checked)


def check_threshold(threshold: Any) -> str | float | list[float]:
    """The MICMAC ``threshold`` option checked, as plain Python values (JSON-ready).

    ``"half"`` or ``"mean"``; a number >= 0 (a numpy scalar becomes a Python
    ``int``/``float``); or a pair ``(dependence_boundary, driving_boundary)``,
    returned as a list of two numbers.

    Examples
    --------
    >>> import numpy as np
    >>> from ism_health.micmac import check_threshold
    >>> check_threshold(np.int64(3)), check_threshold((np.float32(2.5), 4)), check_threshold("mean")
    (3, [2.5, 4], 'mean')
    >>> check_threshold(-1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ism_health.exceptions.ISMInputError: threshold=-1 is not allowed; expected 'half', 'mean', a number >= 0 or ...
    """
    if isinstance(threshold, str):
        return check_choice("threshold", threshold, ("half", "mean"))
    if isinstance(threshold, (tuple, list)):
        if len(threshold) != 2:
            raise ISMInputError(
                f"threshold={threshold!r}: a pair must be (dependence_boundary, driving_boundary)."
            )
        pair = tuple(threshold)
    else:
        pair = (threshold,)
    out = []
    for v in pair:
        try:
            out.append(check_number("threshold", v, low=0))
        except ISMInputError:
            raise ISMInputError(
                f"threshold={threshold!r} is not allowed; expected 'half', 'mean', a number >= 0 "
                f"or a pair (dependence_boundary, driving_boundary)."
            ) from None
    return out if isinstance(threshold, (tuple, list)) else out[0]


def micmac_clusters(
    driving: np.ndarray,
    dependence: np.ndarray,
    boundaries: tuple[float, float],
    on_boundary: Literal["low", "high"] = "low",
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster codes (index into :data:`CLUSTERS`) and the on-boundary mask, for arrays of any shape.

    Examples
    --------
    >>> import numpy as np
    >>> from ism_health.micmac import micmac_clusters, CLUSTERS
    >>> codes, flagged = micmac_clusters(np.array([6, 4, 1]), np.array([2, 3, 8]), (4, 4))
    >>> [CLUSTERS[c] for c in codes], flagged.tolist()
    (['independent', 'autonomous', 'dependent'], [False, True, False])
    """
    check_choice("on_boundary", on_boundary, ("low", "high"))
    x_b, y_b = boundaries
    dep, drv = np.asarray(dependence), np.asarray(driving)
    if on_boundary == "low":
        high_dep, high_drv = dep > x_b, drv > y_b
    else:
        high_dep, high_drv = dep >= x_b, drv >= y_b
    flagged = (dep == x_b) | (drv == y_b)
    # I autonomous (0), II dependent (1), III linkage (2), IV independent (3)
    codes = np.where(high_drv, np.where(high_dep, 2, 3), np.where(high_dep, 1, 0)).astype(np.int8)
    return codes, flagged


def micmac_analysis(
    frm: Any,
    labels: Sequence[str] | None = None,
    *,
    threshold: Threshold = "half",
    on_boundary: Literal["low", "high"] = "low",
) -> pd.DataFrame:
    """The MICMAC table: driving and dependence power, their ranks and the cluster.

    Parameters
    ----------
    frm : array_like or DataFrame (n, n)
        Final reachability matrix; ``frm[i, j]`` is 1 when factor i reaches j.
    labels : sequence of str, optional
    threshold : "half", "mean", number or (dependence, driving) pair
        Where the axes are split (see :func:`micmac_boundaries`); default n / 2.
    on_boundary : {"low", "high"}
        Where a power exactly on its boundary goes; such rows are flagged.

    Returns
    -------
    pandas.DataFrame
        Indexed by factor, with columns ``driving_power``, ``dependence_power``,
        ``driving_rank`` and ``dependence_rank`` (1 = strongest; ties share the
        best rank), ``cluster``, ``quadrant`` and ``on_boundary``. The
        boundaries used are in ``.attrs["boundaries"]``.

    Examples
    --------
    >>> from ism_health import micmac_analysis
    >>> frm = [[1, 1, 1, 1], [0, 1, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1]]
    >>> micmac_analysis(frm, labels=["Law", "Trust", "Use", "Value"])[["driving_power", "dependence_power", "cluster", "on_boundary"]]
           driving_power  dependence_power      cluster  on_boundary
    Law                4                 1  independent        False
    Trust              3                 2  independent         True
    Use                2                 4    dependent         True
    Value              2                 4    dependent         True
    """
    r, labels = check_final_reachability(frm, labels)
    driving, dependence = driving_dependence(r)
    bounds = micmac_boundaries(driving, dependence, len(labels), threshold)
    return micmac_table(driving, dependence, labels, bounds, on_boundary)


def micmac_table(
    driving: np.ndarray,
    dependence: np.ndarray,
    labels: Sequence[str],
    boundaries: tuple[float, float],
    on_boundary: Literal["low", "high"] = "low",
) -> pd.DataFrame:
    """The MICMAC table from driving and dependence powers already computed (see :func:`micmac_analysis`).

    Examples
    --------
    >>> import numpy as np
    >>> from ism_health.micmac import micmac_table
    >>> micmac_table(np.array([3, 1]), np.array([1, 3]), ["Law", "Use"], (1.5, 1.5))[["cluster", "quadrant"]]
             cluster quadrant
    Law  independent       IV
    Use    dependent       II
    """
    codes, flagged = micmac_clusters(driving, dependence, boundaries, on_boundary)

    def rank(power: np.ndarray) -> np.ndarray:
        # 1 + how many factors have a strictly larger power (ties share the best rank)
        p = np.asarray(power, dtype=np.int64)
        return np.searchsorted(np.sort(-p), -p, side="left").astype(np.int64) + 1

    table = pd.DataFrame(
        {
            "driving_power": driving,
            "dependence_power": dependence,
            "driving_rank": rank(driving),
            "dependence_rank": rank(dependence),
            "cluster": np.array(CLUSTERS, dtype=object)[codes],
            "quadrant": np.array(QUADRANTS, dtype=object)[codes],
            "on_boundary": flagged,
        },
        index=list(labels),
    )
    table.attrs["boundaries"] = {"dependence": boundaries[0], "driving": boundaries[1]}
    return table
