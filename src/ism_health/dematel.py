"""DEMATEL: from graded direct influences to a total relation matrix, and from there to ISM.

DEMATEL (Decision Making Trial and Evaluation Laboratory) takes a direct
relation matrix X (entry (i, j): how strongly factor i influences factor j,
usually on a 0-4 scale), normalises it to N = X / s, and sums the direct and
all indirect influences into the total relation matrix

    T = N + N^2 + N^3 + ... = N (I - N)^-1,

which converges exactly when the spectral radius of N is below 1. The row
sums D (influence given) and column sums R (influence received) give the
prominence D + R and the relation D - R (positive: a cause, negative: an
effect). Cutting T at a threshold gives a 0/1 influence matrix: the initial
reachability matrix of a DEMATEL-ISM study (:meth:`DEMATELResult.to_ssim`).

Orientation as everywhere in the package: entry (i, j) is i's influence on j;
rows drive, columns depend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._method_outputs import Figure, MethodOutputs
from ._validation import as_square, check_choice, check_number
from .exceptions import ISMInputError
from .ssim import SSIM

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["DEMATELResult", "dematel", "mmde_threshold", "plot_cause_effect", "dematel_tables"]

NORMALIZATIONS = ("max", "row", "column")
THRESHOLDS = ("mean", "mean+sd", "mmde")
AGGREGATES = ("mean", "median")


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class DEMATELResult(MethodOutputs):
    """The outcome of :func:`dematel`: every matrix, the cause-effect indices and the threshold.

    Tables are returned as new pandas objects on each access (labelled by
    factor), so changing them never changes the result.

    Attributes
    ----------
    labels : tuple of str
    normalization : str
        The rule used ("max", "row" or "column").
    scale : float
        The divisor s of N = X / s.
    threshold : float
        The number T was cut at.
    threshold_rule : str
        How it was chosen: "mean", "mean+sd", "mmde" or "given".
    strict : bool
        True: a link needs T > threshold; False: T >= threshold.
    decimals : int or None
        Decimals N was rounded to before T was computed (None: not rounded).
    n_experts : int
        Number of matrices averaged into the direct relation matrix.
    aggregate : str
        How several experts' matrices were combined ("mean" or "median").

    Examples
    --------
    >>> from ism_health.dematel import dematel
    >>> r = dematel([[0, 4, 0], [0, 0, 2], [1, 0, 0]], labels=["Law", "Trust", "Use"])
    >>> r.scale, r.threshold_rule
    (4.0, 'mean')
    >>> r.total_relation.round(4)  # N has the loop Law -> Trust -> Use -> Law, gain 1 x 0.5 x 0.25
              Law   Trust     Use
    Law    0.1429  1.1429  0.5714
    Trust  0.1429  0.1429  0.5714
    Use    0.2857  0.2857  0.1429
    >>> r.table.round(3)
               D      R    D+R    D-R  weight   group
    Law    1.857  0.571  2.429  1.286   0.354   cause
    Trust  0.857  1.571  2.429 -0.714   0.354  effect
    Use    0.714  1.286  2.000 -0.571   0.292  effect
    """

    labels: tuple[str, ...]
    normalization: str
    scale: float
    threshold: float
    threshold_rule: str
    strict: bool
    decimals: int | None
    n_experts: int
    aggregate: str
    _direct: np.ndarray = field(repr=False)
    _normalized: np.ndarray = field(repr=False)
    _total: np.ndarray = field(repr=False)

    _output_title = "DEMATEL"
    _output_prefix = "DEMATEL"
    _output_stem = "dematel"

    # ------------------------------------------------------------------ matrices
    def _frame(self, values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(np.array(values), index=list(self.labels), columns=list(self.labels))

    def _series(self, values: np.ndarray, name: str) -> pd.Series:
        return pd.Series(np.array(values, dtype=float), index=list(self.labels), name=name)

    @property
    def direct(self) -> pd.DataFrame:
        """The direct relation matrix X (the experts' average when a panel was given)."""
        return self._frame(self._direct)

    @property
    def normalized(self) -> pd.DataFrame:
        """The normalised direct relation matrix N = X / scale (rounded when ``decimals`` was given)."""
        return self._frame(self._normalized)

    @property
    def total_relation(self) -> pd.DataFrame:
        """The total relation matrix T = N (I - N)^-1."""
        return self._frame(self._total)

    @property
    def given(self) -> pd.Series:
        """D: row sums of T, the total influence each factor gives."""
        return self._series(self._total.sum(axis=1), "D")

    @property
    def received(self) -> pd.Series:
        """R: column sums of T, the total influence each factor receives."""
        return self._series(self._total.sum(axis=0), "R")

    @property
    def prominence(self) -> pd.Series:
        """D + R: how much a factor is involved in the system."""
        return self._series(self._total.sum(axis=1) + self._total.sum(axis=0), "D+R")

    @property
    def relation(self) -> pd.Series:
        """D - R: positive for a net cause, negative for a net effect."""
        return self._series(self._total.sum(axis=1) - self._total.sum(axis=0), "D-R")

    @property
    def weights(self) -> pd.Series:
        """Normalised prominence w_i = (D_i + R_i) / sum_k (D_k + R_k); the weights sum to 1."""
        p = self._total.sum(axis=1) + self._total.sum(axis=0)
        return self._series(p / p.sum(), "weight")

    @property
    def influence(self) -> pd.DataFrame:
        """0/1: 1 where T > threshold (T >= threshold when ``strict=False``); the diagonal is 0."""
        return self._frame(self._influence().astype(int))

    def _influence(self) -> np.ndarray:
        t = self._total
        out = t > self.threshold if self.strict else t >= self.threshold
        np.fill_diagonal(out, False)
        return out

    @property
    def table(self) -> pd.DataFrame:
        """One row per factor: D, R, D+R, D-R, weight and group ("cause" when D-R > 0, else "effect")."""
        d, r = self._total.sum(axis=1), self._total.sum(axis=0)
        p = d + r
        return pd.DataFrame(
            {
                "D": d,
                "R": r,
                "D+R": p,
                "D-R": d - r,
                "weight": p / p.sum(),
                "group": np.where(d - r > 0, "cause", "effect"),
            },
            index=list(self.labels),
        )

    # ------------------------------------------------------------------ onward
    def to_ssim(self) -> SSIM:
        """The SSIM whose initial reachability matrix is :attr:`influence`, ready for :func:`ism_health.analyze`.

        Examples
        --------
        >>> from ism_health.dematel import dematel
        >>> r = dematel([[0, 4, 0], [0, 0, 2], [1, 0, 0]], labels=["Law", "Trust", "Use"])
        >>> s = r.to_ssim()
        >>> s.symbol("Law", "Trust"), s.symbol("Trust", "Use"), s.symbol("Law", "Use")
        ('V', 'V', 'V')
        """
        return SSIM.from_matrix(self._influence(), labels=list(self.labels))

    def summary(self) -> str:
        """A short text report: settings, threshold, causes and effects, links kept.

        Examples
        --------
        >>> from ism_health.dematel import dematel
        >>> print(dematel([[0, 4, 0], [0, 0, 2], [1, 0, 0]]).summary())  # doctest: +ELLIPSIS
        DEMATEL of 3 factors (1 expert matrix)
          normalisation: max (s = 4), T = N (I - N)^-1
          threshold: mean of T = 0.3810 (link when T > threshold): 3 of 6 links
          causes (D-R > 0): F1
          effects (D-R <= 0): F2, F3
        ...
        """
        tab = self.table
        links = int(self._influence().sum())
        n = len(self.labels)
        rule = {"mean": "mean of T", "mean+sd": "mean + SD of T", "mmde": "maximum mean de-entropy", "given": "given"}[
            self.threshold_rule
        ]
        experts = f"{self.n_experts} expert matri{'x' if self.n_experts == 1 else 'ces'}"
        if self.n_experts > 1:
            experts += f", {self.aggregate}"
        rounding = f", N rounded to {self.decimals} decimals" if self.decimals is not None else ""
        lines = [
            f"DEMATEL of {n} factors ({experts})",
            f"  normalisation: {self.normalization} (s = {self.scale:g}){rounding}, T = N (I - N)^-1",
            (
                f"  threshold: {rule} = {self.threshold:.4f} (link when T {'>' if self.strict else '>='} threshold): "
                f"{links} of {n * (n - 1)} links"
            ),
            "  causes (D-R > 0): " + (", ".join(tab.index[tab["group"] == "cause"]) or "none"),
            "  effects (D-R <= 0): " + (", ".join(tab.index[tab["group"] == "effect"]) or "none"),
            "  most prominent (D+R): " + ", ".join(tab["D+R"].sort_values(ascending=False, kind="stable").index[:3]),
        ]
        return "\n".join(lines)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables of :func:`dematel_tables` (title -> new DataFrame); the writers write these.

        Examples
        --------
        >>> from ism_health.dematel import dematel
        >>> list(dematel([[0, 3], [1, 0]]).tables())[:3]
        ['DEMATEL direct', 'DEMATEL normalized', 'DEMATEL total relation']
        """
        return dematel_tables(self)

    def figures(self) -> dict[str, Figure]:
        """The cause-effect diagram (:func:`plot_cause_effect`): name -> function of an Axes (None: a new one).

        Examples
        --------
        >>> from ism_health.dematel import dematel
        >>> dematel([[0, 3], [1, 0]]).figures()["DEMATEL cause-effect diagram"](None).get_xlabel()
        'prominence D + R'
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        return {"DEMATEL cause-effect diagram": lambda ax: plot_cause_effect(self, ax=ax)}

    def __repr__(self) -> str:
        return (
            f"DEMATELResult({len(self.labels)} factors, normalization={self.normalization!r}, "
            f"threshold={self.threshold:.4g} ({self.threshold_rule}))"
        )


# ---------------------------------------------------------------------------------------------- input
def _is_panel(matrix: Any) -> bool:
    if isinstance(matrix, pd.DataFrame):
        return False
    if isinstance(matrix, np.ndarray):
        return matrix.ndim == 3
    if isinstance(matrix, (list, tuple)) and matrix:
        first = matrix[0]
        return isinstance(first, (pd.DataFrame, np.ndarray)) and np.ndim(first) == 2 or (
            isinstance(first, (list, tuple)) and len(first) > 0 and isinstance(first[0], (list, tuple, np.ndarray))
        )
    return False


def _numeric(values: np.ndarray, labels: Sequence[str], who: str) -> np.ndarray:
    """Parse a square table of non-negative numbers; a blank, '-' or NaN diagonal means 0."""
    n = len(labels)
    out = np.zeros((n, n), dtype=float)
    problems: list[str] = []
    for (i, j), v in np.ndenumerate(values):
        cell = f"{who}cell (row {labels[i]!r}, column {labels[j]!r})"
        if i == j and (v is None or (isinstance(v, str) and v.strip() in ("", "-")) or
                       (isinstance(v, (float, np.floating)) and np.isnan(v))):
            continue
        if v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (float, np.floating)) and np.isnan(v)):
            problems.append(f"{cell} is blank; expected a number >= 0 (a missing judgment is never read as 0).")
            continue
        if isinstance(v, (bool, np.bool_, complex, np.complexfloating)):
            problems.append(f"{cell} is {v!r}; expected a number >= 0.")
            continue
        try:
            x = float(v.strip()) if isinstance(v, str) else float(v)
        except (TypeError, ValueError):
            problems.append(f"{cell} is {v!r}; expected a number >= 0.")
            continue
        if not np.isfinite(x) or x < 0:
            problems.append(f"{cell} is {v!r}; expected a finite number >= 0.")
        elif i == j and x != 0:
            problems.append(f"{cell} is {v!r} on the diagonal; a factor's influence on itself is not judged "
                            "in DEMATEL (expected 0, blank or '-').")
        else:
            out[i, j] = x
    if problems:
        raise ISMInputError(problems)
    return out


def _direct_matrix(matrix: Any, labels: Sequence[str] | None, aggregate: str) -> tuple[np.ndarray, list[str], int]:
    if not _is_panel(matrix):
        values, one = as_square(matrix, labels, name="direct relation matrix")
        return _numeric(values, one, ""), one, 1
    members = list(matrix)
    if not members:
        raise ISMInputError("the panel of direct relation matrices is empty.")
    mats: list[np.ndarray] = []
    labs = list(labels) if labels is not None else None
    for k, m in enumerate(members, start=1):
        values, got = as_square(m, labs, name=f"direct relation matrix of expert {k}")
        if labs is None:
            labs = got
        elif got != labs:
            raise ISMInputError(f"expert {k}'s matrix has factors {got[:3]}... but expert 1's has {labs[:3]}...; "
                                "every expert must judge the same factors in the same order.")
        mats.append(_numeric(values, got, f"expert {k}: "))
    stack = np.stack(mats)
    agg = stack.mean(axis=0) if aggregate == "mean" else np.median(stack, axis=0)
    assert labs is not None
    return agg, labs, len(mats)


# ---------------------------------------------------------------------------------------------- thresholds
def mmde_threshold(total: Any) -> float:
    """The maximum mean de-entropy (MMDE) threshold of Li & Tzeng (2009) for a total relation matrix.

    The algorithm, as published: (1) sort the n^2 entries of T into descending
    order (ties keep row-major order); (2) the ordered dispatch-node sequence
    lists the row (source) of each entry, the receive-node sequence its column;
    (3) for each prefix of length t of a sequence, with N distinct nodes whose
    frequencies give probabilities p, the de-entropy is ln N - H(p) (H the
    Shannon entropy, natural log) and the mean de-entropy MDE_t = (ln N - H) / N;
    (4) the prefix with the largest MDE (the first, on a tie) gives the
    maximum-MDE dispatch-node set (its distinct nodes); (5) likewise for
    the receive nodes; (6) the threshold is the smallest entry of the shortest
    prefix of the sorted entries whose sources include every node of the
    dispatch set and whose targets include every node of the receive set.
    Step (6) is our reading of the paper (see ``docs/dematel.md``); some
    implementations cut at the longer of the two maximal prefixes instead,
    which gives a lower threshold.

    Examples
    --------
    Worked by hand in ``tests/test_dematel.py``:

    >>> from ism_health.dematel import mmde_threshold
    >>> mmde_threshold([[0.1, 0.9, 0.8], [0.2, 0.1, 0.7], [0.3, 0.4, 0.1]])
    0.7
    """
    t = np.asarray(total, dtype=float)
    if t.ndim != 2 or t.shape[0] != t.shape[1] or t.shape[0] < 2 or not np.isfinite(t).all():
        raise ISMInputError(f"MMDE needs a finite square matrix of at least 2 x 2; got shape {t.shape}.")
    n = t.shape[0]
    flat = t.ravel()
    order = np.argsort(-flat, kind="stable")
    rows, cols = order // n, order % n
    need_d = _max_mde_nodes(rows)
    need_r = _max_mde_nodes(cols)
    seen_d: set[int] = set()
    seen_r: set[int] = set()
    for u in range(len(order)):
        seen_d.add(int(rows[u]))
        seen_r.add(int(cols[u]))
        if need_d <= seen_d and need_r <= seen_r:
            return float(flat[order[u]])
    raise AssertionError("unreachable: the full sequence covers every node")  # pragma: no cover


def _max_mde_nodes(seq: np.ndarray) -> set[int]:
    """The distinct nodes of the prefix of ``seq`` with the maximum mean de-entropy (first on a tie)."""
    counts: dict[int, int] = {}
    best, best_t = -np.inf, 1
    for t, node in enumerate(seq.tolist(), start=1):
        counts[node] = counts.get(node, 0) + 1
        k = len(counts)
        p = np.array(list(counts.values()), dtype=float) / t
        h = float(-(p * np.log(p)).sum())
        mde = (np.log(k) - h) / k
        if mde > best + 1e-12:
            best, best_t = mde, t
    return {int(x) for x in seq[:best_t].tolist()}


def _threshold(total: np.ndarray, threshold: Any) -> tuple[float, str]:
    if isinstance(threshold, str):
        check_choice("threshold", threshold, THRESHOLDS)
        if threshold == "mean":
            return float(total.mean()), "mean"
        if threshold == "mean+sd":
            return float(total.mean() + total.std()), "mean+sd"
        return mmde_threshold(total), "mmde"
    return float(check_number("threshold", threshold, low=0)), "given"


# ---------------------------------------------------------------------------------------------- the method
def dematel(
    matrix: Any,
    labels: Sequence[str] | None = None,
    *,
    normalization: str = "max",
    threshold: float | str = "mean",
    strict: bool = True,
    decimals: int | None = None,
    aggregate: str = "mean",
) -> DEMATELResult:
    """Run DEMATEL on a direct relation matrix (or a panel of them) and cut the total relation matrix.

    Parameters
    ----------
    matrix : array_like or DataFrame (n, n), or a panel
        Direct influences, entry (i, j) = how strongly factor i influences j
        (any non-negative scale, usually 0-4); the diagonal is 0, blank or
        '-'. A panel is a list of such matrices (or an (k, n, n) array), one
        per expert, combined cell by cell with ``aggregate``.
    labels : sequence of str, optional
        Factor names when the matrix carries none; default ``F1..Fn``.
    normalization : {"max", "row", "column"}
        The divisor s of N = X / s: "max" (default) the larger of the largest
        row sum and the largest column sum; "row" the largest row sum; "column"
        the largest column sum. The references disagree; see ``docs/dematel.md``.
    threshold : {"mean", "mean+sd", "mmde"} or number
        "mean": the mean of all n^2 entries of T; "mean+sd": the mean plus the
        population standard deviation of those entries; "mmde": maximum mean
        de-entropy (:func:`mmde_threshold`); or a number >= 0.
    strict : bool
        True: a link needs T > threshold; False: T >= threshold.
    decimals : int, optional
        Round N to this many decimals before computing T, as some published
        studies do (to reproduce their numbers).
    aggregate : {"mean", "median"}
        How a panel's matrices are combined (arithmetic mean or median, cell by cell).

    Returns
    -------
    DEMATELResult

    Raises
    ------
    ISMInputError
        Bad cells (named), an all-zero matrix, an unknown option, or a
        normalised matrix whose spectral radius is not below 1 (then
        I - N is singular or the series N + N^2 + ... diverges).

    Examples
    --------
    >>> from ism_health.dematel import dematel
    >>> r = dematel([[0, 3, 1], [1, 0, 2], [0, 1, 0]], labels=["A", "B", "C"])
    >>> r.total_relation.round(3)
           A      B      C
    A  0.302  1.209  0.930
    B  0.372  0.488  0.837
    C  0.093  0.372  0.209
    >>> r.influence
       A  B  C
    A  0  1  1
    B  0  0  1
    C  0  0  0
    >>> panel = dematel([[[0, 4], [0, 0]], [[0, 2], [2, 0]]], labels=["A", "B"])
    >>> panel.direct
         A    B
    A  0.0  3.0
    B  1.0  0.0
    """
    check_choice("normalization", normalization, NORMALIZATIONS)
    check_choice("aggregate", aggregate, AGGREGATES)
    if not isinstance(strict, (bool, np.bool_)):
        raise ISMInputError(f"strict={strict!r} is not allowed; expected True or False.")
    decimals = check_number("decimals", decimals, low=0, high=15, integer=True, allow_none=True)
    if not isinstance(threshold, str):
        check_number("threshold", threshold, low=0)
    else:
        check_choice("threshold", threshold, THRESHOLDS)
    x, labs, k = _direct_matrix(matrix, labels, aggregate)
    row_max, col_max = float(x.sum(axis=1).max()), float(x.sum(axis=0).max())
    scale = {"max": max(row_max, col_max), "row": row_max, "column": col_max}[normalization]
    if scale <= 0:
        raise ISMInputError("the direct relation matrix is all zeros: no factor influences another, "
                            "so there is nothing to normalise.")
    n_mat = x / scale
    if decimals is not None:
        n_mat = np.round(n_mat, decimals)
    rho = float(np.max(np.abs(np.linalg.eigvals(n_mat))))
    if rho >= 1 - 1e-9:
        raise ISMInputError(
            f"the normalised matrix N (normalization={normalization!r}, s = {scale:g}) has spectral radius "
            f"{rho:.6f}, not below 1: I - N is singular or the series N + N^2 + ... diverges, so the total "
            "relation matrix T = N (I - N)^-1 does not exist. This happens when the factors of a closed loop "
            "pass on all the influence they receive (every row and column sum of the loop equals s); "
            "normalization='max' avoids it unless every factor of a loop has the largest row and column sum."
        )
    eye = np.eye(len(labs))
    total = np.linalg.solve((eye - n_mat).T, n_mat.T).T  # T (I - N) = N
    thr, rule = _threshold(total, threshold)
    return DEMATELResult(
        labels=tuple(labs),
        normalization=normalization,
        scale=scale,
        threshold=thr,
        threshold_rule=rule,
        strict=bool(strict),
        decimals=decimals,
        n_experts=k,
        aggregate=aggregate,
        _direct=_frozen(x),
        _normalized=_frozen(n_mat),
        _total=_frozen(total),
    )


# ---------------------------------------------------------------------------------------------- figure, tables
def plot_cause_effect(
    result: DEMATELResult,
    *,
    ax: Axes | None = None,
    title: str | None = "DEMATEL cause-effect diagram",
    links: bool = True,
    fontsize: float = 8.0,
) -> Axes:
    """The cause-effect diagram: prominence D + R (x) against relation D - R (y).

    Factors above the horizontal line D - R = 0 are net causes, below it net
    effects. With ``links``, an arrow i -> j is drawn for every link of
    :attr:`DEMATELResult.influence` (T above the threshold).

    Parameters
    ----------
    result : DEMATELResult
    ax : matplotlib Axes, optional
    title : str or None
        None leaves the title out.
    links : bool
        Draw the links above the threshold as arrows.
    fontsize : float

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from ism_health.dematel import dematel, plot_cause_effect
    >>> ax = plot_cause_effect(dematel([[0, 3, 1], [1, 0, 2], [0, 1, 0]]))
    >>> ax.get_xlabel(), len(ax.patches) + len([t for t in ax.texts if t.get_text() == ""])
    ('prominence D + R', 3)
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 5.0))
    x = result.prominence.to_numpy()
    y = result.relation.to_numpy()
    if links:
        for i, j in np.argwhere(result._influence()):
            ax.annotate(
                "",
                xy=(x[j], y[j]),
                xytext=(x[i], y[i]),
                arrowprops={"arrowstyle": "->", "color": "0.55", "lw": 0.8, "shrinkA": 6, "shrinkB": 6},
            )
    ax.scatter(x, y, s=30, color="#0072B2", zorder=3)
    for k, lab in enumerate(result.labels):
        ax.annotate(lab, (x[k], y[k]), xytext=(4, 4), textcoords="offset points", fontsize=fontsize)
    ax.axhline(0.0, color="0.3", lw=0.8)
    ax.set_xlabel("prominence D + R")
    ax.set_ylabel("relation D - R  (cause > 0 > effect)")
    span_x = float(np.ptp(x)) or 1.0
    span_y = float(np.ptp(y)) or 1.0
    ax.set_xlim(x.min() - 0.1 * span_x, x.max() + 0.15 * span_x)
    ax.set_ylim(min(y.min(), 0) - 0.12 * span_y, max(y.max(), 0) + 0.12 * span_y)
    if title is not None:
        ax.set_title(title)
    return ax


def dematel_tables(result: DEMATELResult) -> dict[str, pd.DataFrame]:
    """The tables for a workbook or report: sheet name -> DataFrame (factor labels as index).

    Examples
    --------
    >>> from ism_health.dematel import dematel, dematel_tables
    >>> list(dematel_tables(dematel([[0, 3, 1], [1, 0, 2], [0, 1, 0]])))
    ['DEMATEL direct', 'DEMATEL normalized', 'DEMATEL total relation', 'DEMATEL cause-effect', 'DEMATEL influence', 'DEMATEL settings']
    """
    settings = pd.DataFrame(
        {
            "value": [
                result.normalization,
                result.scale,
                "none" if result.decimals is None else result.decimals,
                result.threshold_rule,
                result.threshold,
                "T > threshold" if result.strict else "T >= threshold",
                result.n_experts,
                result.aggregate,
            ]
        },
        index=["normalization", "scale s", "N rounded to decimals", "threshold rule", "threshold", "link when",
               "expert matrices", "aggregate"],
    )
    return {
        "DEMATEL direct": result.direct,
        "DEMATEL normalized": result.normalized,
        "DEMATEL total relation": result.total_relation,
        "DEMATEL cause-effect": result.table,
        "DEMATEL influence": result.influence,
        "DEMATEL settings": settings,
    }
