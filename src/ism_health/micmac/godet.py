"""Godet's MICMAC (structural analysis): direct, indirect and potential influence of variables.

The matrix of direct influences (MDI) scores in cell ``(i, j)`` how strongly
variable i influences variable j: 0 none, 1 weak, 2 moderate, 3 strong, and
``"P"`` for a potential (future) link. The diagonal is 0 (a variable is not
scored against itself). Row sums are the direct *influence*, column sums the
direct *dependence*.

Indirect influence: the entries of ``M^k`` count the weighted paths of length k,
so the row and column sums of ``M^k`` rank the variables by their indirect
influence and dependence. ``M^k`` is computed with exact integer arithmetic
(numpy int64 while a bound proves no overflow, Python integers beyond), so the
sums are exact for any k. The *stable power* is the first k from which both
rankings stay unchanged over the next ``window`` powers (default 3, so four
consecutive powers agree); when that does not happen by ``max_power`` the result
says ``settled=False``.

Potential: the matrix of potential direct influences (MPDI) is the MDI with
every potential link valued 3 (the strongest intensity, the usual MICMAC
convention); its powers give the potential indirect ranking.

Ranks: 1 = strongest; ties share the best rank. Sectors (stated rule, recorded
on the result): influence and dependence above their means (``"mean"``, the
default) are high; equal to the mean is low and flagged. High influence and low
dependence: *influential* (determinant); high and high: *relay*; low and high:
*dependent* (result); low and low: *autonomous* (excluded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._method_outputs import Figure, MethodOutputs
from .._validation import as_square, check_choice, check_number
from ..exceptions import ISMInputError

__all__ = [
    "SECTORS",
    "GodetMICMACResult",
    "godet_micmac",
    "godet_tables",
    "integer_matrix_power_sums",
    "plot_displacement",
    "plot_godet_map",
]

#: Sector names, indexed 0..3: (low infl, low dep), (low, high), (high, high), (high, low).
SECTORS: tuple[str, ...] = ("autonomous", "dependent", "relay", "influential")
_INT64_SAFE = 2**62


def integer_matrix_power_sums(m: np.ndarray, max_power: int) -> list[tuple[list[int], list[int]]]:
    """Exact row and column sums of ``m^k`` for k = 1..max_power (Python ints).

    Uses numpy int64 while ``max row sum of m^(k-1) * max entry of m`` proves the next product
    cannot overflow, then switches to Python integers (object arrays).

    Examples
    --------
    >>> import numpy as np
    >>> from ism_health.micmac.godet import integer_matrix_power_sums
    >>> integer_matrix_power_sums(np.array([[0, 2], [3, 0]]), 3)
    [([2, 3], [3, 2]), ([6, 6], [6, 6]), ([12, 18], [18, 12])]
    """
    base = np.asarray(m, dtype=np.int64)
    base_obj = base.astype(object)
    top = int(base.max()) if base.size else 0
    cur: np.ndarray = base.copy()
    out = []
    for k in range(1, max_power + 1):
        if k > 1:
            bound = int(max((int(x) for x in cur.sum(axis=1, dtype=object)), default=0)) * top
            if cur.dtype != object and bound < _INT64_SAFE:
                cur = cur @ base
            else:
                cur = np.dot(cur.astype(object), base_obj)
        rows = [int(x) for x in cur.sum(axis=1, dtype=object)]
        cols = [int(x) for x in cur.sum(axis=0, dtype=object)]
        out.append((rows, cols))
    return out


def _rank(values: Sequence[int]) -> np.ndarray:
    # competition ranking on exact integers (no float conversion): 1 + number strictly greater
    vals = list(values)
    return np.array([1 + sum(1 for w in vals if w > v) for v in vals], dtype=np.int64)


@dataclass(frozen=True)
class GodetMICMACResult(MethodOutputs):
    """The outcome of :func:`godet_micmac`.

    Attributes
    ----------
    matrix : DataFrame
        The MDI (0..3, potential links as 0).
    potential_matrix : DataFrame
        The MPDI (MDI with potential links valued 3).
    direct, indirect, potential : DataFrame
        Columns ``influence``, ``dependence`` (row / column sums; exact integers), their ranks
        ``influence_rank``, ``dependence_rank`` and the ``sector``. ``indirect`` is from
        ``M^stable_power``; ``potential`` from ``MPDI^potential_stable_power``.
    stable_power, potential_stable_power : int
        First power from which both rankings stay unchanged over the next ``window`` powers
        (the last power examined when ``settled`` is False).
    settled, potential_settled : bool
    window : int
    rankings : DataFrame
        ``influence_rank_k`` and ``dependence_rank_k`` for every power k examined (of the MDI).
    displacement : DataFrame
        Ranks direct, indirect, potential and the shifts (positive = moved up the ranking).
    sector_rule : str
    vanishes_at : int or None
        The first power with ``M^k = 0`` (an acyclic system), else None.
    boundaries : dict
        The sector boundaries used: ``{"direct" | "indirect" | "potential": {"influence": mean,
        "dependence": mean}}``.

    Examples
    --------
    >>> from ism_health.micmac.godet import godet_micmac
    >>> res = godet_micmac([[0, 3, 1], [1, 0, 2], [2, "P", 0]], labels=["A", "B", "C"])
    >>> res.direct["influence"].tolist(), res.stable_power, res.settled
    ([4, 3, 2], 3, True)
    """

    matrix: pd.DataFrame
    potential_matrix: pd.DataFrame
    direct: pd.DataFrame
    indirect: pd.DataFrame
    potential: pd.DataFrame
    stable_power: int
    potential_stable_power: int
    settled: bool
    potential_settled: bool
    window: int
    rankings: pd.DataFrame
    displacement: pd.DataFrame
    sector_rule: str = "mean"
    vanishes_at: int | None = None
    boundaries: dict[str, Any] = field(default_factory=dict)

    _output_title = "Godet's MICMAC"
    _output_prefix = "Godet"
    _output_stem = "godet_micmac"

    @property
    def labels(self) -> list[str]:
        """Variable labels in input order."""
        return list(self.matrix.index)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables of :func:`godet_tables` (title -> new DataFrame); the writers write these.

        Examples
        --------
        >>> from ism_health.micmac.godet import godet_micmac
        >>> list(godet_micmac([[0, 3], [1, 0]]).tables())[:2]
        ['Godet MDI', 'Godet MPDI']
        """
        return godet_tables(self)

    def figures(self) -> dict[str, Figure]:
        """The influence / dependence map and the displacement chart: name -> function of an Axes (None: a new one).

        Examples
        --------
        >>> from ism_health.micmac.godet import godet_micmac
        >>> figures = godet_micmac([[0, 3, 1], [1, 0, 2], [2, 0, 0]]).figures()
        >>> list(figures), figures["Godet displacement"](None).get_ylabel()
        (['Godet influence-dependence map', 'Godet displacement'], 'Influence rank (1 = most influential)')
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        return {
            "Godet influence-dependence map": lambda ax: plot_godet_map(self, ax=ax),
            "Godet displacement": lambda ax: plot_displacement(self, ax=ax),
        }

    def summary(self) -> str:
        """A short plain-text account.

        Examples
        --------
        >>> from ism_health.micmac.godet import godet_micmac
        >>> print(godet_micmac([[0, 3, 1], [1, 0, 2], [2, 0, 0]]).summary().splitlines()[0])
        Godet MICMAC of 3 variables: rankings stable from M^3 (checked over 3 further powers).
        >>> print(godet_micmac([[0, 3], [1, 0]]).summary().splitlines()[0])
        Godet MICMAC of 2 variables: rankings did NOT settle by M^33; indirect values are from that power.
        """
        n = len(self.labels)
        if self.settled:
            head = (
                f"Godet MICMAC of {n} variables: rankings stable from M^{self.stable_power} "
                f"(checked over {self.window} further powers)."
            )
        else:
            head = (
                f"Godet MICMAC of {n} variables: rankings did NOT settle by M^{self.stable_power}; "
                f"indirect values are from that power."
            )
        lines = [head]
        if self.vanishes_at is not None:
            lines.append(f"M^{self.vanishes_at} = 0 (no feedback loop): indirect sums vanish from that power.")
        if not self.potential_settled:
            lines.append(f"Potential rankings did NOT settle by MPDI^{self.potential_stable_power}.")
        lines.append(f"Sectors by the {self.sector_rule} rule; strictly above is high.")
        for name in SECTORS:
            members = [lab for lab, s in self.indirect["sector"].items() if s == name]
            lines.append(f"  {name} (indirect): {', '.join(members) if members else '-'}")
        return "\n".join(lines)


def _parse(
    values: np.ndarray, labels: list[str], what: str, allow_p: bool, top: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    n = len(labels)
    direct = np.zeros((n, n), dtype=np.int64)
    pot = np.zeros((n, n), dtype=bool)
    problems = []
    for i in range(n):
        for j in range(n):
            v = values[i, j]
            if isinstance(v, np.generic):  # a numpy scalar, named in messages as the plain number it is
                v = v.item()
            where = f"{what} cell ({labels[i]!r} -> {labels[j]!r}, row {i + 1}, column {j + 1})"
            blank = (
                v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and v.strip() in ("", "-"))
            )
            if i == j:
                if (
                    blank
                    or (isinstance(v, str) and v.strip() in ("0", "0.0"))
                    or (
                        not isinstance(v, (str, bool))
                        and isinstance(v, (int, float, np.integer, np.floating))
                        and v == 0
                    )
                ):
                    continue
                problems.append(
                    f"{where}: the diagonal must be 0 or blank (a variable is not scored against itself); got {v!r}."
                )
                continue
            if isinstance(v, str):
                t = v.strip()
                if allow_p and t.upper() == "P":
                    pot[i, j] = True
                    continue
                try:
                    v = float(t)
                except ValueError:
                    problems.append(f"{where}: {v!r} is not an intensity 0..{top}{' or P' if allow_p else ''}.")
                    continue
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)) or blank:
                problems.append(f"{where}: {v!r} is not an intensity 0..{top}{' or P' if allow_p else ''}.")
                continue
            if v not in range(top + 1):
                problems.append(f"{where}: {v!r} is not an intensity 0..{top}{' (or P)' if allow_p else ''}.")
                continue
            direct[i, j] = int(v)
    if problems:
        raise ISMInputError(problems)
    return direct, pot


def _stable(sums: list[tuple[list[int], list[int]]], window: int) -> tuple[int, bool]:
    ranks = [(tuple(_rank(r)), tuple(_rank(c))) for r, c in sums]
    for k in range(len(ranks) - window):
        if all(ranks[k + d] == ranks[k] for d in range(1, window + 1)):
            return k + 1, True
    return len(ranks), False


def _table(rows: list[int], cols: list[int], labels: list[str]) -> tuple[pd.DataFrame, dict[str, float]]:
    n = len(labels)
    # exact mean comparison: x > sum / n  <=>  n * x > sum
    s_i, s_d = sum(rows), sum(cols)
    high_i = [n * x > s_i for x in rows]
    high_d = [n * x > s_d for x in cols]
    flagged = [n * x == s_i or n * y == s_d for x, y in zip(rows, cols)]
    codes = [(2 if hd else 3) if hi else (1 if hd else 0) for hi, hd in zip(high_i, high_d)]
    dtype: Any = np.int64 if max(rows + cols, default=0) < 2**63 else object  # exact Python ints beyond int64
    frame = pd.DataFrame(
        {
            "influence": pd.Series(rows, index=labels, dtype=dtype),
            "dependence": pd.Series(cols, index=labels, dtype=dtype),
            "influence_rank": _rank(rows),
            "dependence_rank": _rank(cols),
            "sector": [SECTORS[c] for c in codes],
            "on_boundary": flagged,
        },
        index=labels,
    )
    return frame, {"influence": s_i / n, "dependence": s_d / n}


def godet_micmac(
    matrix: Any,
    labels: Sequence[str] | None = None,
    *,
    potential: Any = None,
    max_power: int | None = None,
    window: int = 3,
    max_intensity: int = 3,
) -> GodetMICMACResult:
    """Godet's MICMAC: direct, indirect (stable power) and potential rankings of variables.

    Parameters
    ----------
    matrix : array_like or DataFrame (n, n)
        The matrix of direct influences: cells 0, 1, 2, 3 or ``"P"`` (potential link); the
        diagonal 0 or blank. Cell ``(i, j)`` is the influence of variable i on variable j.
    labels : sequence of str, optional
    potential : array_like or DataFrame (n, n), optional
        A second matrix marking potential links (``"P"``, or any non-zero number); they are
        valued 3 in the potential matrix, on top of the ``"P"`` cells of ``matrix``.
    max_power : int, optional
        Highest power examined (default ``max(4 n, 30) + window``).
    window : int
        How many further powers must keep both rankings unchanged (default 3, at least 2).
    max_intensity : int
        The top of the intensity scale (default 3, Godet's 0–3; some studies score 0–4).
        Potential links are valued at this top intensity.

    Returns
    -------
    GodetMICMACResult

    Raises
    ------
    ISMInputError
        A cell that is not 0–3 / P (naming the cell and variables), a non-zero diagonal,
        a non-square matrix, bad labels or options.

    Examples
    --------
    >>> from ism_health.micmac.godet import godet_micmac
    >>> mdi = [[0, 3, 0, 1], [1, 0, 2, 0], [1, 0, 0, 3], [0, 2, 0, 0]]
    >>> res = godet_micmac(mdi, labels=["Law", "Cost", "Staff", "Use"])
    >>> res.direct[["influence", "dependence", "sector"]]
           influence  dependence       sector
    Law            4           2  influential
    Cost           3           5    dependent
    Staff          4           2  influential
    Use            2           4    dependent
    >>> res.stable_power, res.settled, res.indirect["influence_rank"].tolist()
    (13, True, [1, 2, 3, 4])
    >>> res.rankings.loc["Cost", "influence_rank_1":"influence_rank_8"].tolist()
    [3, 1, 2, 3, 2, 2, 3, 2]
    """
    window = check_number("window", window, low=2, integer=True)
    top = check_number("max_intensity", max_intensity, low=1, high=1000, integer=True)
    values, labels = as_square(matrix, labels, name="matrix of direct influences")
    n = len(labels)
    max_power = check_number("max_power", max_power, low=1, integer=True, allow_none=True)
    if max_power is None:
        max_power = max(4 * n, 30) + window
    if max_power <= window:
        raise ISMInputError(f"max_power={max_power} leaves no room to check {window} further powers; use > {window}.")
    mdi, pot_mask = _parse(values, labels, "matrix", allow_p=True, top=top)
    if potential is not None:
        pvals, _plabels = as_square(potential, labels, name="potential matrix")
        extra = np.zeros((n, n), dtype=bool)
        problems = []
        for i in range(n):
            for j in range(n):
                v = pvals[i, j]
                if (
                    v is None
                    or (isinstance(v, float) and np.isnan(v))
                    or (isinstance(v, str) and v.strip() in ("", "0"))
                ):
                    continue
                if isinstance(v, str) and v.strip().upper() == "P":
                    extra[i, j] = True
                    continue
                if isinstance(v, str):
                    try:
                        v = float(v.strip())
                    except ValueError:
                        pass
                if (
                    not isinstance(v, (bool, str))
                    and isinstance(v, (int, float, np.integer, np.floating))
                    and v in range(top + 1)
                ):
                    extra[i, j] = v != 0
                else:
                    problems.append(
                        f"potential matrix cell ({labels[i]!r} -> {labels[j]!r}, row {i + 1}, column {j + 1}): "
                        f"{v!r} is not P or an intensity 0..{top}."
                    )
                if extra[i, j] and i == j:
                    problems.append(
                        f"potential matrix cell ({labels[i]!r} -> {labels[j]!r}): the diagonal must be empty."
                    )
        if problems:
            raise ISMInputError(problems)
        pot_mask = pot_mask | extra
    mpdi = np.where(pot_mask, top, mdi).astype(np.int64)

    sums = integer_matrix_power_sums(mdi, max_power)
    stable_power, settled = _stable(sums, window)
    psums = integer_matrix_power_sums(mpdi, max_power)
    p_power, p_settled = _stable(psums, window)
    vanishes_at = next((k for k, (r, _) in enumerate(sums, start=1) if not any(r)), None)

    direct, b_direct = _table(*sums[0], labels)
    indirect, b_ind = _table(*sums[stable_power - 1], labels)
    pot_table, b_pot = _table(*psums[p_power - 1], labels)

    cols: dict[str, np.ndarray] = {}
    for k, (r, _) in enumerate(sums, start=1):
        cols[f"influence_rank_{k}"] = _rank(r)
    for k, (_, c) in enumerate(sums, start=1):
        cols[f"dependence_rank_{k}"] = _rank(c)
    rankings = pd.DataFrame(cols, index=labels)

    disp = pd.DataFrame(
        {
            "influence_rank_direct": direct["influence_rank"],
            "influence_rank_indirect": indirect["influence_rank"],
            "influence_rank_potential": pot_table["influence_rank"],
            "influence_shift_indirect": direct["influence_rank"] - indirect["influence_rank"],
            "influence_shift_potential": indirect["influence_rank"] - pot_table["influence_rank"],
            "dependence_rank_direct": direct["dependence_rank"],
            "dependence_rank_indirect": indirect["dependence_rank"],
            "dependence_rank_potential": pot_table["dependence_rank"],
            "dependence_shift_indirect": direct["dependence_rank"] - indirect["dependence_rank"],
            "dependence_shift_potential": indirect["dependence_rank"] - pot_table["dependence_rank"],
        },
        index=labels,
    )

    def frame(a: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(a.copy(), index=list(labels), columns=list(labels))

    return GodetMICMACResult(
        matrix=frame(mdi),
        potential_matrix=frame(mpdi),
        direct=direct,
        indirect=indirect,
        potential=pot_table,
        stable_power=stable_power,
        potential_stable_power=p_power,
        settled=settled,
        potential_settled=p_settled,
        window=window,
        rankings=rankings,
        displacement=disp,
        sector_rule="mean",
        vanishes_at=vanishes_at,
        boundaries={"direct": b_direct, "indirect": b_ind, "potential": b_pot},
    )


def godet_tables(result: GodetMICMACResult) -> dict[str, pd.DataFrame]:
    """The tables of a Godet MICMAC for a workbook or report: sheet name -> DataFrame (copies).

    Examples
    --------
    >>> from ism_health.micmac.godet import godet_micmac, godet_tables
    >>> list(godet_tables(godet_micmac([[0, 3], [1, 0]])))[:3]
    ['Godet MDI', 'Godet MPDI', 'Godet direct']
    """
    info = pd.DataFrame(
        {
            "value": [
                result.stable_power,
                result.settled,
                result.window,
                result.potential_stable_power,
                result.potential_settled,
                result.vanishes_at,
                result.sector_rule,
            ]
        },
        index=[
            "stable_power",
            "settled",
            "window",
            "potential_stable_power",
            "potential_settled",
            "vanishes_at",
            "sector_rule",
        ],
        dtype=object,
    )
    return {
        "Godet MDI": result.matrix.copy(),
        "Godet MPDI": result.potential_matrix.copy(),
        "Godet direct": result.direct.copy(),
        "Godet indirect": result.indirect.copy(),
        "Godet potential": result.potential.copy(),
        "Godet rankings": result.rankings.copy(),
        "Godet displacement": result.displacement.copy(),
        "Godet stability": info,
    }


def _shares(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    # plotted as percentages of the total so direct and indirect (very different magnitudes) share axes
    infl = [int(x) for x in table["influence"]]
    dep = [int(x) for x in table["dependence"]]
    ti, td = sum(infl) or 1, sum(dep) or 1
    return (np.array([100 * x / td for x in dep]), np.array([100 * x / ti for x in infl]))


def plot_godet_map(
    result: GodetMICMACResult, *, ax: Any = None, show: str = "both", title: str | None = "Influence / dependence map"
) -> Any:
    """Influence (y) against dependence (x), as % of the total, direct and/or indirect; returns the Axes.

    With ``show="both"`` an arrow goes from each variable's direct position to its indirect one.

    Examples
    --------
    >>> from ism_health.micmac.godet import godet_micmac, plot_godet_map
    >>> ax = plot_godet_map(godet_micmac([[0, 3, 1], [1, 0, 2], [2, 0, 0]]), title=None)
    >>> ax.get_xlabel(), ax.get_title()
    ('Dependence (% of total)', '')
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    check_choice("show", show, ("direct", "indirect", "both"))
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 6))
    xd, yd = _shares(result.direct)
    xi, yi = _shares(result.indirect)
    n = len(result.labels)
    if show in ("direct", "both"):
        ax.scatter(xd, yd, color="C0", label="direct", zorder=3)
    if show in ("indirect", "both"):
        ax.scatter(xi, yi, color="C3", marker="s", label="indirect", zorder=3)
    if show == "both":
        for a, b, c, d in zip(xd, yd, xi, yi):
            if (a, b) != (c, d):
                ax.annotate("", xy=(c, d), xytext=(a, b), arrowprops={"arrowstyle": "->", "color": "0.5"})
    xs, ys = (xi, yi) if show == "indirect" else (xd, yd)
    for lab, x, y in zip(result.labels, xs, ys):
        ax.annotate(str(lab), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=8)
    ax.axvline(100 / n, color="0.4", lw=1)
    ax.axhline(100 / n, color="0.4", lw=1)
    ax.set_xlabel("Dependence (% of total)")
    ax.set_ylabel("Influence (% of total)")
    ax.legend(loc="best", fontsize=8)
    if title is not None:
        ax.set_title(title)
    return ax


def plot_displacement(
    result: GodetMICMACResult, *, ax: Any = None, title: str | None = "Influence rank: direct -> indirect -> potential"
) -> Any:
    """Slope chart of each variable's influence rank, direct -> indirect -> potential; returns the Axes.

    Examples
    --------
    >>> from ism_health.micmac.godet import godet_micmac, plot_displacement
    >>> ax = plot_displacement(godet_micmac([[0, 3, 1], [1, 0, 2], [2, 0, 0]]))
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['direct', 'indirect', 'potential']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.35 * len(result.labels) + 2))
    d = result.displacement
    for k, lab in enumerate(result.labels):
        ys = [
            d.loc[lab, "influence_rank_direct"],
            d.loc[lab, "influence_rank_indirect"],
            d.loc[lab, "influence_rank_potential"],
        ]
        ax.plot([0, 1, 2], ys, marker="o", color=f"C{k % 10}")
        ax.annotate(str(lab), (2, ys[-1]), xytext=(6, 0), textcoords="offset points", va="center", fontsize=8)
        ax.annotate(
            str(lab), (0, ys[0]), xytext=(-6, 0), textcoords="offset points", va="center", ha="right", fontsize=8
        )
    ax.set_xticks([0, 1, 2], ["direct", "indirect", "potential"])
    ax.set_xlim(-0.6, 2.6)
    ax.invert_yaxis()
    ax.set_ylabel("Influence rank (1 = most influential)")
    if title is not None:
        ax.set_title(title)
    return ax
