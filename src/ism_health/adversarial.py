"""Adversarial level extraction (AISM): the top-down and the bottom-up hierarchy side by side.

Adversarial interpretive structural modeling (AISM), used mostly in the Chinese
literature, extracts the levels of one final reachability matrix twice:

* result priority (top-down, Warfield's rule): an element goes to the current
  top level when its reachability set equals the intersection of its
  reachability and antecedent sets;
* cause priority (bottom-up): an element goes to the current bottom level when
  its antecedent set equals that intersection.

Both hierarchies have the same number of levels (the number of strong
components on the longest chain) and are numbered 1 = top. An element on a
longest chain sits on the same level in both; an element with slack rises to
the top in the first and sinks to the bottom in the second. The elements whose
level differs are the "active" elements: the structure fixes their order with
respect to their own chains, not their height. The rules are those stated in
issue 14 of this project and in SPSSAU's ISM help (outcome priority R = R ∩ Q,
cause priority Q = R ∩ Q); the alternating worked example of huaxuejia.cn is
reproduced step by step (tests/data/cases/huaxuejia_alternating_levels). No AISM
paper printing both hierarchies has been checked here, so compare with the paper
you follow before reporting.

Orientation: ``frm[i, j]`` is 1 when factor i reaches (influences) factor j.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._method_outputs import Figure, MethodOutputs
from .levels import _levels_by_rule, check_final_reachability

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["AdversarialLevels", "adversarial_levels", "plot_adversarial_levels"]


@dataclass(frozen=True)
class AdversarialLevels(MethodOutputs):
    """The result-priority and cause-priority levels of one final reachability matrix.

    Made by :func:`adversarial_levels`.

    Attributes
    ----------
    result_levels : pandas.Series
        Levels by top-down (result-priority) extraction, 1 = top, indexed by factor.
    cause_levels : pandas.Series
        Levels by bottom-up (cause-priority) extraction, 1 = top, indexed by factor.

    Examples
    --------
    >>> from ism_health.adversarial import adversarial_levels
    >>> a = adversarial_levels([[1, 1, 0], [0, 1, 0], [0, 1, 1]], labels=["Law", "Use", "Fund"])
    >>> a.table
          result_level  cause_level  active
    factor
    Law              2            2   False
    Use              1            1   False
    Fund             2            2   False
    """

    result_levels: pd.Series
    cause_levels: pd.Series

    _output_title = "Adversarial levels (AISM)"
    _output_prefix = "AISM"
    _output_stem = "aism"

    @property
    def table(self) -> pd.DataFrame:
        """Side by side: ``result_level``, ``cause_level`` and ``active`` (the levels differ), by factor."""
        result = self.result_levels.to_numpy()
        cause = self.cause_levels.to_numpy()
        index = pd.Index(list(self.result_levels.index), name="factor")
        return pd.DataFrame({"result_level": result, "cause_level": cause, "active": result != cause}, index=index)

    @property
    def active(self) -> tuple[str, ...]:
        """The factors whose result-priority and cause-priority levels differ, in factor order."""
        differ = self.result_levels.to_numpy() != self.cause_levels.to_numpy()
        return tuple(str(k) for k, d in zip(self.result_levels.index, differ) if d)

    @property
    def n_levels(self) -> int:
        """The number of levels (the same in both hierarchies)."""
        return int(self.result_levels.max()) if len(self.result_levels) else 0

    def summary(self) -> str:
        """Both hierarchies level by level, and the active factors.

        Examples
        --------
        >>> from ism_health.adversarial import adversarial_levels
        >>> frm = [[1, 1, 1, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 1, 1]]
        >>> print(adversarial_levels(frm, labels=["Law", "Trust", "Use", "Value"]).summary())
        Adversarial levels (AISM) of 4 factors, 3 levels (1 = top)
          Level 1: result priority Use; cause priority Use
          Level 2: result priority Trust, Value; cause priority Trust
          Level 3: result priority Law; cause priority Law, Value
        Active factors (levels differ): Value
        """
        lines = [f"Adversarial levels (AISM) of {len(self.result_levels)} factors, {self.n_levels} levels (1 = top)"]
        for lv in range(1, self.n_levels + 1):
            top = ", ".join(str(k) for k in self.result_levels.index[self.result_levels == lv])
            bottom = ", ".join(str(k) for k in self.cause_levels.index[self.cause_levels == lv])
            lines.append(f"  Level {lv}: result priority {top or '-'}; cause priority {bottom or '-'}")
        lines.append(f"Active factors (levels differ): {', '.join(self.active) or 'none'}")
        return "\n".join(lines)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The side-by-side :attr:`table` (title -> new DataFrame); the writers write it.

        Examples
        --------
        >>> from ism_health.adversarial import adversarial_levels
        >>> list(adversarial_levels([[1, 1], [0, 1]]).tables())
        ['AISM levels']
        """
        return {"AISM levels": self.table}

    def figures(self) -> dict[str, Figure]:
        """Both hierarchies side by side (:func:`plot_adversarial_levels`): name -> function of an Axes.

        Examples
        --------
        >>> from ism_health.adversarial import adversarial_levels
        >>> adversarial_levels([[1, 1], [0, 1]]).figures()["AISM hierarchies"](None).get_title()
        'Adversarial levels (AISM)'
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        return {"AISM hierarchies": lambda ax: plot_adversarial_levels(self, ax=ax)}

    def plot(self, ax: Axes | None = None, *, title: str | None = "Adversarial levels (AISM)") -> Axes:
        """Both hierarchies side by side; see :func:`plot_adversarial_levels`.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from ism_health.adversarial import adversarial_levels
        >>> ax = adversarial_levels([[1, 1, 1], [0, 1, 1], [0, 0, 1]]).plot()
        >>> ax.get_title()
        'Adversarial levels (AISM)'
        """
        return plot_adversarial_levels(self, ax=ax, title=title)


def adversarial_levels(frm: Any, labels: Sequence[str] | None = None) -> AdversarialLevels:
    """Extract the levels top-down (result priority) and bottom-up (cause priority) and compare them.

    Parameters
    ----------
    frm : array_like or DataFrame (n, n)
        Final reachability matrix (reflexive, transitive); ``frm[i, j]`` is 1
        when factor i reaches factor j.
    labels : sequence of str, optional
        Factor names; default the DataFrame's labels or ``F1..Fn``.

    Returns
    -------
    AdversarialLevels
        ``result_levels`` and ``cause_levels`` (Series, 1 = top), the
        side-by-side ``table``, the ``active`` factors (whose levels differ)
        and ``plot()``.

    Raises
    ------
    ISMInputError
        When ``frm`` is not a square 0/1 transitive matrix.

    Examples
    --------
    Law -> Trust -> Use and Value -> Use. ``Value`` can sit next to ``Trust``
    (top-down) or next to ``Law`` (bottom-up): it is the active element.

    >>> from ism_health.adversarial import adversarial_levels
    >>> frm = [[1, 1, 1, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 1, 1]]
    >>> a = adversarial_levels(frm, labels=["Law", "Trust", "Use", "Value"])
    >>> a.table
           result_level  cause_level  active
    factor
    Law               3            3   False
    Trust             2            2   False
    Use               1            1   False
    Value             2            3    True
    >>> a.active
    ('Value',)
    """
    r, names = check_final_reachability(frm, labels)
    index = pd.Index(names, name=None)
    return AdversarialLevels(
        result_levels=pd.Series(_levels_by_rule(r, "result"), index=index, name="level"),
        cause_levels=pd.Series(_levels_by_rule(r, "cause"), index=index.copy(), name="level"),
    )


def plot_adversarial_levels(
    data: AdversarialLevels | pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = "Adversarial levels (AISM)",
    active_color: str = "#f4a259",
    color: str = "#dbe9f6",
) -> Axes:
    """Draw the result-priority and the cause-priority hierarchy side by side.

    Two columns of level bands (level 1 at the top), each factor a box on its
    level; active factors (whose level differs between the two) are
    highlighted in both columns and joined by a dashed line.

    Parameters
    ----------
    data : AdversarialLevels or DataFrame
        The result of :func:`adversarial_levels`, or its ``table`` (columns
        ``result_level`` and ``cause_level``, indexed by factor).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    title : str or None
    active_color, color : str
        Box colours of the active and of the other factors.

    Returns
    -------
    matplotlib.axes.Axes
        Every factor label is drawn twice (``ax.texts``), once per column.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from ism_health.adversarial import adversarial_levels, plot_adversarial_levels
    >>> frm = [[1, 1, 1, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 1, 1]]
    >>> ax = plot_adversarial_levels(adversarial_levels(frm, labels=["Law", "Trust", "Use", "Value"]))
    >>> sorted(t.get_text() for t in ax.texts)
    ['Law', 'Law', 'Trust', 'Trust', 'Use', 'Use', 'Value', 'Value']
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    table = data.table if isinstance(data, AdversarialLevels) else data
    factors = [str(k) for k in table.index]
    result = table["result_level"].to_numpy()
    cause = table["cause_level"].to_numpy()
    active = result != cause
    n_levels = int(max(result.max(), cause.max())) if len(factors) else 0
    widest = max([int((result == k).sum()) for k in range(1, n_levels + 1)]
                 + [int((cause == k).sum()) for k in range(1, n_levels + 1)] + [1])
    gap = 1.0
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 3.2 * widest + 1.0), 1.0 + 0.9 * max(n_levels, 1)))
    positions: list[dict[str, tuple[float, float]]] = []
    for col, levels in enumerate((result, cause)):
        x0 = col * (widest + gap)
        where: dict[str, tuple[float, float]] = {}
        for k in range(1, n_levels + 1):
            y = -float(k)
            ax.add_patch(Rectangle((x0 - 0.5, y - 0.4), widest, 0.8, facecolor="#f2f2f2", edgecolor="none", zorder=0))
            members = [i for i in range(len(factors)) if levels[i] == k]
            offset = (widest - len(members)) / 2.0
            for slot, i in enumerate(members):
                x = x0 + offset + slot
                where[factors[i]] = (x, y)
                ax.text(
                    x, y, factors[i], ha="center", va="center", zorder=3,
                    fontweight="bold" if active[i] else "normal",
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": active_color if active[i] else color,
                          "edgecolor": "#555555"},
                )
        positions.append(where)
    for i, name in enumerate(factors):
        if active[i]:
            (xa, ya), (xb, yb) = positions[0][name], positions[1][name]
            ax.plot([xa, xb], [ya, yb], linestyle="--", color=active_color, linewidth=1.0, zorder=1)
    centres = [(widest - 1) / 2.0, widest + gap + (widest - 1) / 2.0]
    ax.set_xticks(centres)
    ax.set_xticklabels(["result priority (top-down)", "cause priority (bottom-up)"])
    ax.set_yticks([-float(k) for k in range(1, n_levels + 1)])
    ax.set_yticklabels([f"level {k}" for k in range(1, n_levels + 1)])
    ax.set_xlim(-0.7, 2 * widest + gap - 0.3)
    ax.set_ylim(-(n_levels + 0.6), -0.4)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    if title:
        ax.set_title(title)
    return ax
