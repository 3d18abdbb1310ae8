"""Fuzzy MICMAC: driving and dependence power from a fuzzy direct reachability matrix.

A fuzzy direct reachability matrix ``B`` holds, in cell ``(i, j)``, how strongly
factor i influences factor j, a number in [0, 1] (or a linguistic term mapped by
a scale: no 0, very low 0.1, low 0.3, medium 0.5, high 0.7, very high 0.9,
complete 1, the scale of Gorane & Kant's fuzzy MICMAC and its followers).
Indirect influence is found by max–min composition,
``(A ∘ B)[i, j] = max_k min(A[i, k], B[k, j])``, repeated ``B^k = B^(k-1) ∘ B``
until the matrix stops changing.

Max–min composition only ever *selects* values already in ``B`` (it never does
arithmetic on them), so every power holds values from the finite set of ``B``'s
entries: comparing matrices for equality is exact, and the powers are eventually
periodic. With ``diagonal="unit"`` (the diagonal set to 1, every factor reaches
itself) the powers grow monotonically and reach the max–min transitive closure
in at most n - 1 compositions. With ``diagonal="as-given"`` the powers may enter
a cycle (for example a permutation pattern); the result then says so
(``converged=False``, ``period``, ``cycle_start``) instead of looping forever or
silently picking one power.

Clusters (boundary rule, recorded on the result): the driving power is the row
sum and the dependence power the column sum of the stable matrix; an axis is
split at ``n / 2`` (``threshold="half"``, the mid-point of the 0..n axis, as in
the binary MICMAC), at the mean power (``"mean"``), or at a given number. A
power strictly above its boundary is high, one exactly on it is low and flagged
in the ``on_boundary`` column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._method_outputs import Figure, MethodOutputs
from .._validation import as_square, check_choice, check_labels, check_number
from ..exceptions import ISMInputError

__all__ = [
    "DEFAULT_SCALE",
    "FUZZY_CLUSTERS",
    "FuzzyMICMACResult",
    "fuzzy_micmac",
    "fuzzy_micmac_tables",
    "max_min_compose",
    "plot_fuzzy_micmac",
]

#: The default linguistic scale (term -> membership value); keys are matched case-insensitively.
DEFAULT_SCALE: dict[str, float] = {
    "no": 0.0,
    "very low": 0.1,
    "low": 0.3,
    "medium": 0.5,
    "high": 0.7,
    "very high": 0.9,
    "complete": 1.0,
}
_ABBREVIATIONS = {
    "n": "no",
    "none": "no",
    "vl": "very low",
    "l": "low",
    "m": "medium",
    "h": "high",
    "vh": "very high",
    "c": "complete",
    "full": "complete",
}

#: Cluster names in quadrant order I..IV (same as the binary MICMAC).
FUZZY_CLUSTERS: tuple[str, ...] = ("autonomous", "dependent", "linkage", "independent")
_QUADRANTS = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class FuzzyMICMACResult(MethodOutputs):
    """The outcome of :func:`fuzzy_micmac`.

    Attributes
    ----------
    direct_matrix : DataFrame
        The fuzzy direct reachability matrix analysed (after scale, aggregation and diagonal rule).
    stable_matrix : DataFrame
        The fixed point ``B^k = B^(k+1)`` when ``converged``; when the powers cycle, the
        cell-wise maximum over the matrices of the cycle (stated in ``summary()``).
    iterations : int
        Number of max–min compositions computed.
    converged : bool
        True when a power equal to the next one was found.
    stable_power : int or None
        The power k of the fixed point (``B^k == B^(k+1)``), None when not converged.
    period : int or None
        Length of the cycle of powers, None when converged or when ``max_iterations`` ran out first.
    cycle_start : int or None
        The first power of the cycle (``B^cycle_start == B^(cycle_start + period)``).
    driving_power, dependence_power : Series
        Row and column sums of ``stable_matrix`` (fuzzy sums).
    micmac : DataFrame
        Powers, ranks (1 = strongest, ties share the best rank), ``cluster``, ``quadrant``, ``on_boundary``.
    rankings : DataFrame
        ``driving_rank_k`` and ``dependence_rank_k`` columns for every power k computed.
    ranking_settled_at : int
        The first power from which both rankings equal those of the last power computed.
    boundaries : dict
        ``{"dependence": x, "driving": y, "rule": ...}``: the stated boundary rule.
    aggregation : str or None
        How a panel of expert matrices was combined ("mean" or "median"), None for one matrix.
    n_experts : int
        Number of expert matrices aggregated (1 for one matrix).
    diagonal : str
        ``"unit"`` or ``"as-given"``.

    Examples
    --------
    >>> from ism_health.micmac.fuzzy import fuzzy_micmac
    >>> res = fuzzy_micmac([[0, 0.7], [0.3, 0]], labels=["Law", "Use"])
    >>> res.converged, res.stable_power
    (True, 1)
    >>> res.driving_power.tolist()
    [1.7, 1.3]
    """

    direct_matrix: pd.DataFrame
    stable_matrix: pd.DataFrame
    iterations: int
    converged: bool
    stable_power: int | None
    period: int | None
    cycle_start: int | None
    driving_power: pd.Series
    dependence_power: pd.Series
    micmac: pd.DataFrame
    rankings: pd.DataFrame
    ranking_settled_at: int
    boundaries: dict[str, Any] = field(default_factory=dict)
    aggregation: str | None = None
    n_experts: int = 1
    diagonal: str = "unit"

    _output_title = "Fuzzy MICMAC"
    _output_prefix = "Fuzzy"
    _output_stem = "fuzzy_micmac"

    @property
    def labels(self) -> list[str]:
        """Factor labels in input order."""
        return list(self.stable_matrix.index)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables of :func:`fuzzy_micmac_tables` (title -> new DataFrame); the writers write these.

        Examples
        --------
        >>> from ism_health.micmac.fuzzy import fuzzy_micmac
        >>> list(fuzzy_micmac([[0, 0.7], [0.3, 0]]).tables())[:2]
        ['Fuzzy direct matrix', 'Fuzzy stable matrix']
        """
        return fuzzy_micmac_tables(self)

    def figures(self) -> dict[str, Figure]:
        """The MICMAC map (:func:`plot_fuzzy_micmac`): name -> function of an Axes (None: a new one).

        Examples
        --------
        >>> from ism_health.micmac.fuzzy import fuzzy_micmac
        >>> ax = fuzzy_micmac([[0, 0.7], [0.3, 0]]).figures()["Fuzzy MICMAC map"](None)
        >>> ax.get_ylabel()
        'Driving power'
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        return {"Fuzzy MICMAC map": lambda ax: plot_fuzzy_micmac(self, ax=ax)}

    def summary(self) -> str:
        """A short plain-text account of the analysis.

        Examples
        --------
        >>> from ism_health.micmac.fuzzy import fuzzy_micmac
        >>> print(fuzzy_micmac([[0, 0.7], [0.3, 0]], labels=["Law", "Use"]).summary().splitlines()[0])
        Fuzzy MICMAC of 2 factors (diagonal unit): converged, B^1 = B^2 after 1 max-min composition(s).
        """
        n = len(self.labels)
        head = f"Fuzzy MICMAC of {n} factors (diagonal {self.diagonal})"
        if self.converged and self.stable_power is not None:
            lines = [
                (
                    f"{head}: converged, B^{self.stable_power} = B^{self.stable_power + 1} "
                    f"after {self.iterations} max-min composition(s)."
                )
            ]
        elif self.period is not None and self.cycle_start is not None:
            lines = [
                (
                    f"{head}: NOT converged; the powers cycle with period {self.period} from B^{self.cycle_start} "
                    f"(B^{self.cycle_start} = B^{self.cycle_start + self.period}); the stable matrix shown is the "
                    f"cell-wise maximum over the cycle."
                )
            ]
        else:
            lines = [
                (
                    f"{head}: NOT converged within {self.iterations} compositions and no cycle found yet; "
                    f"the matrix shown is the last power."
                )
            ]
        if self.aggregation is not None:
            lines.append(f"Panel of {self.n_experts} expert matrices aggregated by the cell-wise {self.aggregation}.")
        lines.append(
            f"Rankings settled at power {self.ranking_settled_at} (unchanged from there to the last power computed)."
        )
        b = self.boundaries
        lines.append(f"Boundaries ({b['rule']}): dependence {b['dependence']:g}, driving {b['driving']:g}.")
        for name in FUZZY_CLUSTERS:
            members = [lab for lab, c in self.micmac["cluster"].items() if c == name]
            lines.append(f"  {name}: {', '.join(members) if members else '-'}")
        return "\n".join(lines)


def max_min_compose(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Max–min composition ``(a ∘ b)[i, j] = max_k min(a[i, k], b[k, j])``.

    Examples
    --------
    >>> import numpy as np
    >>> from ism_health.micmac.fuzzy import max_min_compose
    >>> max_min_compose(np.array([[0.2, 0.9], [0.0, 1.0]]), np.array([[1.0, 0.0], [0.5, 0.3]]))
    array([[0.5, 0.3],
           [0.5, 0.3]])
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    out = np.empty((a.shape[0], b.shape[1]))
    for i in range(a.shape[0]):  # row by row keeps memory at O(n^2)
        out[i] = np.max(np.minimum(a[i][:, None], b), axis=0)
    return out


def _scale_map(scale: Mapping[str, float] | None) -> dict[str, float]:
    if scale is None:
        out = dict(DEFAULT_SCALE)
        for short, full in _ABBREVIATIONS.items():
            out[short] = DEFAULT_SCALE[full]
        return out
    if not isinstance(scale, Mapping) or not scale:
        raise ISMInputError(f"scale must be a mapping of linguistic term -> number in [0, 1]; got {scale!r}.")
    out = {}
    for term, value in scale.items():
        check_number(f"scale[{term!r}]", value, low=0, high=1)
        out[str(term).strip().lower()] = float(value)
    return out


def _to_fuzzy(
    values: np.ndarray, labels: list[str], scale: dict[str, float], what: str, blank_diagonal: bool = False
) -> np.ndarray:
    n = len(labels)
    out = np.zeros((n, n))
    problems = []
    for i in range(n):
        for j in range(n):
            v = values[i, j]
            if i == j and blank_diagonal and (v is None or (isinstance(v, str) and v.strip() in ("", "-"))):
                out[i, j] = 1.0  # diagonal="unit" sets it to 1 anyway
                continue
            where = f"{what} cell ({labels[i]!r} -> {labels[j]!r}, row {i + 1}, column {j + 1})"
            if isinstance(v, str):
                key = v.strip().lower()
                if key in scale:
                    out[i, j] = scale[key]
                    continue
                try:
                    v = float(key)
                except ValueError:
                    problems.append(
                        f"{where}: {v!r} is not a number in [0, 1] nor a term of the scale "
                        f"({', '.join(sorted(scale))})."
                    )
                    continue
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
                problems.append(f"{where}: {v!r} is not a number in [0, 1].")
                continue
            v = float(v)
            if not np.isfinite(v) or v < 0 or v > 1:
                problems.append(f"{where}: {v!r} is outside [0, 1].")
                continue
            out[i, j] = v
    if problems:
        raise ISMInputError(problems)
    return out


def _is_panel(matrix: Any) -> bool:
    if isinstance(matrix, np.ndarray):
        return matrix.ndim == 3
    if isinstance(matrix, (list, tuple)) and matrix:
        first = matrix[0]
        if isinstance(first, (pd.DataFrame, np.ndarray)):
            return True
        if isinstance(first, (list, tuple)) and first and isinstance(first[0], (list, tuple, np.ndarray)):
            return True
    return False


def _rank(power: np.ndarray) -> np.ndarray:
    return pd.Series(power).rank(method="min", ascending=False).astype(np.int64).to_numpy()


def fuzzy_micmac(
    matrix: Any,
    labels: Sequence[str] | None = None,
    *,
    scale: Mapping[str, float] | None = None,
    diagonal: str = "unit",
    max_iterations: int = 100,
    aggregate: str = "mean",
    threshold: str | float = "half",
) -> FuzzyMICMACResult:
    """Fuzzy MICMAC: max–min powers of a fuzzy direct reachability matrix until stable.

    Parameters
    ----------
    matrix : array_like, DataFrame, or a list / 3-D stack of them
        Square matrix; cell ``(i, j)`` is how strongly factor i influences factor j: a number in
        [0, 1] or a linguistic term of ``scale``. A list of matrices (or an ``(experts, n, n)``
        array) is a panel, combined cell by cell by ``aggregate``.
    labels : sequence of str, optional
        Factor names (default: the DataFrame's labels, else ``F1 .. Fn``).
    scale : mapping, optional
        Linguistic term -> value in [0, 1]; default :data:`DEFAULT_SCALE` (also accepting
        the abbreviations N, VL, L, M, H, VH, C). Terms are matched case-insensitively.
    diagonal : {"unit", "as-given"}
        ``"unit"`` sets every diagonal cell to 1 (each factor reaches itself; the powers then
        converge to the max–min transitive closure; blank diagonal cells are then accepted);
        ``"as-given"`` keeps the diagonal (every cell must hold a value).
    max_iterations : int
        Most max–min compositions computed before giving up (reported, never silent).
    aggregate : {"mean", "median"}
        Cell-wise rule for a panel of expert matrices (recorded on the result).
    threshold : "half", "mean" or number
        Cluster boundary on both axes: ``n / 2`` (default), the mean power, or a number.

    Returns
    -------
    FuzzyMICMACResult

    Raises
    ------
    ISMInputError
        A cell outside [0, 1] or not a term of the scale (naming the cell and factors), a
        non-square matrix, bad labels, panel matrices of different sizes, or a bad option.

    Examples
    --------
    >>> from ism_health.micmac.fuzzy import fuzzy_micmac
    >>> B = [["no", "high", "no"], ["no", "no", "medium"], ["low", "no", "no"]]
    >>> res = fuzzy_micmac(B, labels=["Policy", "Funding", "Uptake"])
    >>> res.stable_matrix
             Policy  Funding  Uptake
    Policy      1.0      0.7     0.5
    Funding     0.3      1.0     0.5
    Uptake      0.3      0.3     1.0
    >>> res.micmac[["driving_power", "dependence_power", "cluster"]]
             driving_power  dependence_power  cluster
    Policy             2.2               1.6  linkage
    Funding            1.8               2.0  linkage
    Uptake             1.6               2.0  linkage
    """
    check_choice("diagonal", diagonal, ("unit", "as-given"))
    check_choice("aggregate", aggregate, ("mean", "median"))
    max_iterations = check_number("max_iterations", max_iterations, low=1, integer=True)
    if isinstance(threshold, str):
        check_choice("threshold", threshold, ("half", "mean"))
    else:
        threshold = check_number("threshold", threshold, low=0)
    scale_map = _scale_map(scale)

    if _is_panel(matrix):
        members = list(matrix)
        if not members:
            raise ISMInputError("the panel holds no expert matrix.")
        mats = []
        for e, m in enumerate(members, start=1):
            vals, labs = as_square(m, labels, name=f"matrix of expert {e}")
            if labels is None:
                labels = labs
            if labs != list(labels):
                raise ISMInputError(
                    f"expert {e}'s matrix has factors {labs[:3]}... but expert 1's are {list(labels)[:3]}..."
                )
            mats.append(_to_fuzzy(vals, labs, scale_map, f"expert {e}", diagonal == "unit"))
        sizes = {m.shape for m in mats}
        if len(sizes) > 1:
            raise ISMInputError(f"the expert matrices differ in size: {sorted(sizes)}.")
        stack = np.stack(mats)
        b = stack.mean(axis=0) if aggregate == "mean" else np.median(stack, axis=0)
        labels = check_labels(labels if labels is not None else [])
        aggregation: str | None = aggregate
        n_experts = len(mats)
    else:
        vals, labels = as_square(matrix, labels, name="fuzzy direct reachability matrix")
        b = _to_fuzzy(vals, labels, scale_map, "matrix", diagonal == "unit")
        aggregation, n_experts = None, 1
    n = len(labels)
    if diagonal == "unit":
        np.fill_diagonal(b, 1.0)

    powers = [b]  # powers[k - 1] is B^k
    seen: dict[bytes, int] = {b.tobytes(): 1}
    converged, period, cycle_start, stable_power = False, None, None, None
    iterations = 0
    while iterations < max_iterations:
        nxt = max_min_compose(powers[-1], b)
        iterations += 1
        k = len(powers) + 1  # the power just computed
        if np.array_equal(nxt, powers[-1]):
            converged, stable_power = True, k - 1
            break
        key = nxt.tobytes()
        if key in seen:
            cycle_start = seen[key]
            period = k - cycle_start
            break
        seen[key] = k
        powers.append(nxt)
    if converged:
        stable = powers[-1]
    elif period is not None and cycle_start is not None:
        stable = np.max(np.stack(powers[cycle_start - 1 :]), axis=0)
    else:
        stable = powers[-1]

    driving = stable.sum(axis=1)
    dependence = stable.sum(axis=0)
    # sums of at most n values with one decimal each: round away binary noise (0.1 + 0.2) for display
    driving, dependence = np.round(driving, 10), np.round(dependence, 10)
    if threshold == "half":
        bx = by = n / 2
        rule = "n / 2 on both axes; strictly above is high"
    elif threshold == "mean":
        bx, by = float(np.mean(dependence)), float(np.mean(driving))
        rule = "mean power on each axis; strictly above is high"
    else:
        bx = by = float(threshold)
        rule = f"{threshold:g} on both axes; strictly above is high"
    high_dep, high_drv = dependence > bx, driving > by
    codes = np.where(high_drv, np.where(high_dep, 2, 3), np.where(high_dep, 1, 0))
    table = pd.DataFrame(
        {
            "driving_power": driving,
            "dependence_power": dependence,
            "driving_rank": _rank(driving),
            "dependence_rank": _rank(dependence),
            "cluster": np.array(FUZZY_CLUSTERS, dtype=object)[codes],
            "quadrant": np.array(_QUADRANTS, dtype=object)[codes],
            "on_boundary": (dependence == bx) | (driving == by),
        },
        index=list(labels),
    )

    cols: dict[str, np.ndarray] = {}
    ranks = []
    for k, p in enumerate(powers, start=1):
        rd, rp = _rank(np.round(p.sum(axis=1), 10)), _rank(np.round(p.sum(axis=0), 10))
        ranks.append((rd, rp))
        cols[f"driving_rank_{k}"] = rd
    for k, (_, rp) in enumerate(ranks, start=1):
        cols[f"dependence_rank_{k}"] = rp
    rankings = pd.DataFrame(cols, index=list(labels))
    settled = len(ranks)
    while settled > 1 and all(np.array_equal(x, y) for x, y in zip(ranks[settled - 2], ranks[-1])):
        settled -= 1

    def frame(a: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(a.copy(), index=list(labels), columns=list(labels))

    return FuzzyMICMACResult(
        direct_matrix=frame(b),
        stable_matrix=frame(stable),
        iterations=iterations,
        converged=converged,
        stable_power=stable_power,
        period=period,
        cycle_start=cycle_start,
        driving_power=pd.Series(driving, index=list(labels), name="driving_power"),
        dependence_power=pd.Series(dependence, index=list(labels), name="dependence_power"),
        micmac=table,
        rankings=rankings,
        ranking_settled_at=settled,
        boundaries={"dependence": bx, "driving": by, "rule": rule},
        aggregation=aggregation,
        n_experts=n_experts,
        diagonal=diagonal,
    )


def fuzzy_micmac_tables(result: FuzzyMICMACResult) -> dict[str, pd.DataFrame]:
    """The tables of a fuzzy MICMAC for a workbook or report: sheet name -> DataFrame (copies).

    Examples
    --------
    >>> from ism_health.micmac.fuzzy import fuzzy_micmac, fuzzy_micmac_tables
    >>> list(fuzzy_micmac_tables(fuzzy_micmac([[0, 0.7], [0.3, 0]])))
    ['Fuzzy direct matrix', 'Fuzzy stable matrix', 'Fuzzy MICMAC', 'Fuzzy rankings', 'Fuzzy convergence']
    """
    conv = pd.DataFrame(
        {
            "value": [
                result.diagonal,
                result.converged,
                result.stable_power,
                result.iterations,
                result.period,
                result.cycle_start,
                result.ranking_settled_at,
                result.boundaries["rule"],
                result.boundaries["dependence"],
                result.boundaries["driving"],
                result.aggregation,
                result.n_experts,
            ]
        },
        index=[
            "diagonal",
            "converged",
            "stable_power",
            "iterations",
            "period",
            "cycle_start",
            "ranking_settled_at",
            "boundary_rule",
            "dependence_boundary",
            "driving_boundary",
            "aggregation",
            "n_experts",
        ],
        dtype=object,
    )
    return {
        "Fuzzy direct matrix": result.direct_matrix.copy(),
        "Fuzzy stable matrix": result.stable_matrix.copy(),
        "Fuzzy MICMAC": result.micmac.copy(),
        "Fuzzy rankings": result.rankings.copy(),
        "Fuzzy convergence": conv,
    }


def plot_fuzzy_micmac(result: FuzzyMICMACResult, *, ax: Any = None, title: str | None = "Fuzzy MICMAC") -> Any:
    """Driving power against dependence power, with the cluster boundaries; returns the Axes.

    Examples
    --------
    >>> from ism_health.micmac.fuzzy import fuzzy_micmac, plot_fuzzy_micmac
    >>> ax = plot_fuzzy_micmac(fuzzy_micmac([[0, 0.7], [0.3, 0]]), title=None)
    >>> ax.get_xlabel(), ax.get_title()
    ('Dependence power', '')
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 6))
    n = len(result.labels)
    table = result.micmac
    ax.set_xlim(0, n)
    ax.set_ylim(0, n)
    bx, by = result.boundaries["dependence"], result.boundaries["driving"]
    ax.axvline(bx, color="0.4", lw=1)
    ax.axhline(by, color="0.4", lw=1)
    ax.scatter(table["dependence_power"], table["driving_power"], s=30, color="C0", zorder=3)
    for lab, row in table.iterrows():
        ax.annotate(
            str(lab),
            (row["dependence_power"], row["driving_power"]),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=8,
        )
    for name, (x, y) in zip(
        FUZZY_CLUSTERS, [(bx / 2, by / 2), ((bx + n) / 2, by / 2), ((bx + n) / 2, (by + n) / 2), (bx / 2, (by + n) / 2)]
    ):
        ax.text(x, y, name, ha="center", va="center", color="0.6", fontsize=10, zorder=1)
    ax.set_xlabel("Dependence power")
    ax.set_ylabel("Driving power")
    if title is not None:
        ax.set_title(title)
    return ax
