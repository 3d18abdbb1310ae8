"""Sensitivity of the ISM structure to the aggregation threshold and to single judgments.

* :func:`threshold_sensitivity`: for each directional threshold θ of
  :meth:`ism_health.Panel.aggregate` (``rule="threshold"``), the levels and
  MICMAC clusters of the aggregated SSIM, and the θ at which each link and
  each level or cluster assignment flips.
* :func:`judgment_sensitivity`: every single changed judgment of one SSIM
  (each pair to each other symbol) that changes the levels or the clusters,
  ranked by how much.

Both run every variant through the batched kernel of
:mod:`ism_health.reachability` as one stack (in chunks bounding memory).
Orientation: entry (i, j) means factor i influences factor j; level 1 is the top.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._validation import check_choice
from ..exceptions import ISMInputError
from ..micmac import CLUSTERS
from ..ssim import SSIM
from .aggregate import decide
from .panel import Panel
from .robustness import _adjacency_stack, _chunk_size, _structure

__all__ = ["ThresholdSensitivity", "threshold_sensitivity", "judgment_sensitivity"]

_LETTER = ("O", "V", "A", "X")
_SHOWN = ("V", "A", "X", "O")


@dataclass(frozen=True, eq=False)
class ThresholdSensitivity:
    """Levels and clusters of the aggregated SSIM per threshold; where links and assignments flip.

    Built by :func:`threshold_sensitivity`. Tables are new DataFrames on each access.

    Attributes
    ----------
    thresholds : tuple of float
        The thresholds, ascending.
    params : mapping
        ``strict``, ``weights``, ``micmac_threshold``, ``on_boundary``.

    Examples
    --------
    >>> import ism_health as ism
    >>> from ism_health.experts.sensitivity import threshold_sensitivity
    >>> panel = ism.simulate_panel(ism.datasets.load_example("worked"), 6, 0.2, seed=1)
    >>> ts = threshold_sensitivity(panel, thresholds=[0.3, 0.5, 0.7])
    >>> ts.thresholds
    (0.3, 0.5, 0.7)
    >>> ts.levels.shape
    (8, 3)
    """

    thresholds: tuple[float, ...]
    params: Mapping[str, Any]
    _labels: tuple[str, ...]
    _levels: np.ndarray  # (t, n)
    _clusters: np.ndarray  # (t, n)
    _links: pd.DataFrame

    def _frame(self, values: np.ndarray) -> pd.DataFrame:
        cols = pd.Index(list(self.thresholds), name="threshold")
        return pd.DataFrame(values.T.copy(), index=pd.Index(list(self._labels), name="factor"), columns=cols)

    @property
    def levels(self) -> pd.DataFrame:
        """Level of each factor (row, 1 = top) at each threshold (column)."""
        return self._frame(self._levels)

    @property
    def clusters(self) -> pd.DataFrame:
        """MICMAC cluster of each factor (row) at each threshold (column)."""
        return self._frame(np.array(CLUSTERS, dtype=object)[self._clusters])

    @property
    def links(self) -> pd.DataFrame:
        """Every direct relation ``source -> target`` asserted by some expert, with its share and flip.

        ``share``: the (weighted) share of experts asserting it. The link holds
        for θ < share (``strict=True``) or θ <= share (``strict=False``).
        ``flips_at``: the first threshold of the grid at which it is no longer
        asserted (NaN when it holds at every threshold of the grid, or at none).
        """
        return self._links.copy()

    @property
    def changes(self) -> pd.DataFrame:
        """Each flip of a level or cluster between consecutive thresholds of the grid.

        Columns ``factor``, ``what`` (``"level"`` or ``"cluster"``),
        ``threshold`` (the first threshold with the new value), ``before`` and
        ``after``; in threshold order, then factor order.
        """
        rows = []
        names = np.array(CLUSTERS, dtype=object)
        for t in range(1, len(self.thresholds)):
            for f, lab in enumerate(self._labels):
                if self._levels[t, f] != self._levels[t - 1, f]:
                    rows.append(
                        (lab, "level", self.thresholds[t], int(self._levels[t - 1, f]), int(self._levels[t, f]))
                    )
            for f, lab in enumerate(self._labels):
                if self._clusters[t, f] != self._clusters[t - 1, f]:
                    rows.append(
                        (
                            lab,
                            "cluster",
                            self.thresholds[t],
                            names[self._clusters[t - 1, f]],
                            names[self._clusters[t, f]],
                        )
                    )
        return pd.DataFrame(rows, columns=["factor", "what", "threshold", "before", "after"])

    def __repr__(self) -> str:
        return f"ThresholdSensitivity({len(self.thresholds)} thresholds, {len(self._labels)} factors)"


def threshold_sensitivity(
    panel: Panel,
    thresholds: Sequence[float] | None = None,
    *,
    strict: bool = True,
    weights: Mapping[str, float] | None = None,
    micmac_threshold: Any = "half",
    on_boundary: Literal["low", "high"] = "low",
) -> ThresholdSensitivity:
    """Levels and clusters of ``panel.aggregate("threshold", threshold=θ)`` for each θ, and where they flip.

    Parameters
    ----------
    panel : Panel
    thresholds : sequence of float, optional
        The thresholds θ (sorted ascending; repeats dropped), each allowed by
        :meth:`Panel.aggregate` (``[0, 1)`` with ``strict=True``, ``(0, 1]``
        otherwise). Default: the exact breakpoints, one θ per distinct
        aggregated SSIM: 0 and every share of experts below 1 asserting some
        direction (``strict=True``), or every positive share and 1
        (``strict=False``). With the default and ``strict=True`` a change at
        θ happens exactly there.
    strict, weights
        As in :meth:`Panel.aggregate`.
    micmac_threshold, on_boundary
        As in :func:`ism_health.analyze`.

    Returns
    -------
    ThresholdSensitivity

    Examples
    --------
    Two experts assert ``a -> b``, one does not: the link holds while θ < 2/3.

    >>> from ism_health import Panel
    >>> from ism_health.experts.sensitivity import threshold_sensitivity
    >>> p = Panel.from_long([("e1", "a", "b", "V"), ("e2", "a", "b", "V"), ("e3", "a", "b", "O")])
    >>> ts = threshold_sensitivity(p)
    >>> [round(t, 3) for t in ts.thresholds]
    [0.0, 0.667]
    >>> ts.levels.to_numpy().tolist()
    [[2, 1], [1, 1]]
    >>> ts.changes[["factor", "what", "before", "after"]].to_numpy().tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['a', 'level', 2, 1], ['a', 'cluster', 'independent', 'autonomous'],
     ['b', 'cluster', 'dependent', 'autonomous']]
    """
    if not isinstance(panel, Panel):
        raise ISMInputError(f"threshold_sensitivity() needs a Panel; got {type(panel).__name__}.")
    check_choice("on_boundary", on_boundary, ("low", "high"))
    _, report = decide(panel, "threshold", threshold=0.5, strict=True, ties="raise", weights=weights)  # validates weights; gives the shares
    shares = np.concatenate([report["share_i_to_j"].to_numpy(), report["share_j_to_i"].to_numpy()])
    if thresholds is None:
        s = np.sort(shares)
        s = s[np.concatenate([[True], np.diff(s) > 1e-9])]  # distinct shares (equal within the rule's 1e-9)
        if strict:
            grid = np.unique(np.concatenate([[0.0], s[s < 1 - 1e-9]]))
        else:
            grid = np.unique(np.concatenate([s[s > 1e-9], [1.0]]))
        values = [float(t) for t in grid]
    else:
        if isinstance(thresholds, (str, bytes)) or not hasattr(thresholds, "__iter__"):
            raise ISMInputError(f"thresholds={thresholds!r} is not allowed; expected a sequence of numbers.")
        values = list(thresholds)
        if not values:
            raise ISMInputError("thresholds is empty; expected at least one threshold.")
    decisions = []
    for t in values:
        d, _ = decide(panel, "threshold", threshold=t, strict=strict, ties="raise", weights=weights)  # validates each θ as aggregate() does
        decisions.append(d)
    order = np.argsort(np.asarray(values, dtype=float), kind="stable")
    uniq, first = np.unique(np.asarray(values, dtype=float)[order], return_index=True)
    dec = np.stack(decisions)[order][first]
    n = panel.n_factors
    st = _structure(_adjacency_stack(dec, n), micmac_threshold, on_boundary, edges=False)
    iu, ju = np.triu_indices(n, 1)
    lab = np.array(panel.labels, dtype=object)
    src = np.concatenate([iu, ju])
    dst = np.concatenate([ju, iu])
    present = np.concatenate([(dec & 1) != 0, (dec & 2) != 0], axis=1)  # (t, 2 * pairs)
    flips = np.full(len(src), np.nan)
    for t in range(1, len(uniq)):
        newly = np.isnan(flips) & (present[t] != present[t - 1])
        flips[newly] = uniq[t]
    keep = shares > 0
    links = pd.DataFrame({"source": lab[src], "target": lab[dst], "share": shares, "flips_at": flips})[keep]
    links = links.sort_values("share", ascending=False, kind="stable").reset_index(drop=True)
    params = {
        "strict": bool(strict),
        "weights": None if weights is None else MappingProxyType(dict(weights)),
        "micmac_threshold": list(micmac_threshold) if isinstance(micmac_threshold, (tuple, list)) else micmac_threshold,
        "on_boundary": on_boundary,
    }
    return ThresholdSensitivity(
        thresholds=tuple(float(t) for t in uniq),
        params=MappingProxyType(params),
        _labels=panel.labels,
        _levels=st["level"],
        _clusters=st["cluster"],
        _links=links,
    )


def judgment_sensitivity(
    ssim: SSIM,
    *,
    micmac_threshold: Any = "half",
    on_boundary: Literal["low", "high"] = "low",
) -> pd.DataFrame:
    """Every single changed judgment that changes the levels or the MICMAC clusters, ranked by how much.

    Each pair's symbol is changed to each of the three other symbols in turn
    (3 n (n - 1) / 2 variants, all run as one stack in chunks), and the levels
    and clusters of each variant are compared with those of ``ssim``.

    Parameters
    ----------
    ssim : SSIM
    micmac_threshold, on_boundary
        As in :func:`ism_health.analyze`.

    Returns
    -------
    pandas.DataFrame
        One row per changed judgment that changes something: ``factor_i``,
        ``factor_j`` (``factor_i`` listed first), ``symbol`` (the judgment
        now), ``changed_to``, ``levels_changed`` (factors whose level changes),
        ``level_shift`` (sum of the absolute level changes),
        ``clusters_changed`` (factors whose cluster changes), ``changed``
        (the sum of the two counts) and ``factors`` (the factors whose level or
        cluster changes). Ranked by ``changed``, then ``level_shift``, both
        descending, then pair order and symbol order V, A, X, O.

    Examples
    --------
    >>> from ism_health import SSIM
    >>> from ism_health.experts.sensitivity import judgment_sensitivity
    >>> s = SSIM.from_symbols([["", "V", "O"], ["", "", "V"], ["", "", ""]], labels=["a", "b", "c"])

    The chain a -> b -> c has levels 3, 2, 1. Reading ``b c`` as ``A``
    (c -> b) makes b the only sink, so every level changes; ``a c`` read as
    ``A`` (c -> a) closes the cycle a -> b -> c -> a, puts a and b on c's
    level and moves all three into the linkage cluster:

    >>> judgment_sensitivity(s)[["factor_i", "factor_j", "symbol", "changed_to", "levels_changed", "factors"]].head(3)
      factor_i factor_j symbol changed_to  levels_changed  factors
    0        b        c      V          A               3  a, b, c
    1        a        c      O          A               2  a, b, c
    2        a        c      O          X               2  a, b, c
    """
    if not isinstance(ssim, SSIM):
        raise ISMInputError(f"judgment_sensitivity() needs an SSIM; got {type(ssim).__name__}.")
    check_choice("on_boundary", on_boundary, ("low", "high"))
    n = ssim.n
    iu, ju = np.triu_indices(n, 1)
    a = ssim.adjacency
    base = (a[iu, ju].astype(np.int8) + 2 * a[ju, iu].astype(np.int8))[None, :]
    ref = _structure(_adjacency_stack(base, n), micmac_threshold, on_boundary, edges=False)
    # variants in pair order, then symbol order V, A, X, O (codes 1, 2, 3, 0), skipping the current symbol
    shown = np.array([1, 2, 3, 0], dtype=np.int8)
    pair = np.repeat(np.arange(len(iu)), 4)
    code = np.tile(shown, len(iu))
    keep = code != base[0, pair]
    pair, code = pair[keep], code[keep]
    lev_changed, shift, clu_changed, moved = [], [], [], []
    step = _chunk_size(n)
    for start in range(0, len(pair), step):
        p, c = pair[start : start + step], code[start : start + step]
        dec = np.repeat(base, len(p), axis=0)
        dec[np.arange(len(p)), p] = c
        st = _structure(_adjacency_stack(dec, n), micmac_threshold, on_boundary, edges=False)
        dl = st["level"] != ref["level"]
        dc = st["cluster"] != ref["cluster"]
        lev_changed.append(dl.sum(axis=1))
        shift.append(np.abs(st["level"] - ref["level"]).sum(axis=1))
        clu_changed.append(dc.sum(axis=1))
        moved.append(dl | dc)
    lc, sh, cc, mv = (
        np.concatenate(x) if x else np.zeros(0, dtype=np.int64) for x in (lev_changed, shift, clu_changed, moved)
    )
    hit = np.flatnonzero((lc + cc) > 0)
    lab = np.array(ssim.labels, dtype=object)
    letters = np.array(_LETTER, dtype=object)
    out = pd.DataFrame(
        {
            "factor_i": lab[iu[pair[hit]]],
            "factor_j": lab[ju[pair[hit]]],
            "symbol": letters[base[0, pair[hit]]],
            "changed_to": letters[code[hit]],
            "levels_changed": lc[hit].astype(np.int64),
            "level_shift": sh[hit].astype(np.int64),
            "clusters_changed": cc[hit].astype(np.int64),
            "changed": (lc[hit] + cc[hit]).astype(np.int64),
            "factors": [", ".join(lab[np.flatnonzero(row)]) for row in (mv[hit] if len(hit) else [])],
        }
    )
    order = np.lexsort((hit, -out["level_shift"].to_numpy(), -out["changed"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)
