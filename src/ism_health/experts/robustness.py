"""Robustness over the panel: how much the ISM structure depends on who sat on the panel.

:func:`robustness` re-runs the aggregation and the whole ISM analysis on many
resampled panels and counts how often each factor lands on each level and in
each MICMAC cluster, how often one factor sits above another, and how often
each direct link of the ISM digraph appears:

* ``method="jackknife"`` leaves one expert out at a time (one resample per
  expert; no randomness).
* ``method="bootstrap"`` draws ``n_resamples`` panels of the same size with
  replacement (``numpy.random.default_rng(seed)``); an expert drawn twice
  counts twice (their weight is doubled).

Every resample is aggregated by exactly the rule of
:meth:`ism_health.Panel.aggregate` (vectorised over the stack of resamples),
then closed, levelled and placed in the MICMAC clusters by the batched kernel
of :mod:`ism_health.reachability`, in chunks of at most about 64 MB. Only
integer counts are kept per chunk, so the result does not depend on how the
resamples are split into chunks or on the backend (``"numpy"`` or ``"dask"``).

Orientation, as everywhere in ism_health: entry (i, j) means factor i
influences factor j; level 1 is the top. "i above j" means
``level(i) < level(j)`` (a smaller level number).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._method_outputs import Figure, MethodOutputs
from .._validation import check_choice, check_number
from ..exceptions import ISMInputError
from ..levels import level_numbers
from ..micmac import CLUSTERS, driving_dependence, micmac_boundaries, micmac_clusters
from ..reachability import transitive_closure
from .aggregate import _expert_weights, decide
from .panel import Panel

__all__ = ["RobustnessResult", "robustness", "robustness_tables"]

#: Bytes of working memory one chunk of resamples may use (about).
CHUNK_BYTES: int = 64 << 20
#: Most resamples one call may ask for: the draws are held as (resamples x experts) indices, so
#: 10 million resamples of 50 experts already need 2 GB; a larger request is refused up front.
MAX_RESAMPLES: int = 10_000_000
_EPS = 1e-9
_LETTER = ("O", "V", "A", "X")
_COUNTS = ("level", "cluster", "driving", "dependence", "precedence", "edge")


# ====================================================================== the kernel
def _chunk_size(n: int) -> int:
    """Resamples per chunk so that one chunk stays within about CHUNK_BYTES (about 16 n**2 bytes each)."""
    return max(1, CHUNK_BYTES // (16 * n * n))


def _run_chunk(n: int, n_resamples: int, backend: str) -> int:
    """Resamples per chunk of a run: within the memory bound, and small enough that the run has at
    least about 32 chunks (numpy: progress and Ctrl-C) or 256 (dask: tasks to spread), but >= 64."""
    parts = 256 if backend == "dask" else 32
    return min(_chunk_size(n), max(64, -(-n_resamples // parts)))


def _structure(adj: np.ndarray, micmac_threshold: Any, on_boundary: str, edges: bool = True) -> dict[str, np.ndarray]:
    """Closure, levels, powers, clusters (and the digraph's direct links) of a stack (k, n, n) of direct relations."""
    frm = transitive_closure(adj)
    lev = level_numbers(frm)
    drv, dep = driving_dependence(frm)
    n = adj.shape[-1]
    if isinstance(micmac_threshold, str) and micmac_threshold == "mean":
        bounds = (dep.mean(axis=1, keepdims=True), drv.mean(axis=1, keepdims=True))
    else:
        bounds = micmac_boundaries(drv, dep, n, micmac_threshold)
    clusters, _ = micmac_clusters(drv, dep, bounds, on_boundary)  # type: ignore[arg-type]  # checked by robustness()
    out = {"frm": frm, "level": lev, "driving": drv, "dependence": dep, "cluster": clusters}
    if not edges:
        return out
    strict = frm & ~np.swapaxes(frm, 1, 2)  # i reaches j, j does not reach i: i's component is above j's
    s = strict.astype(np.float32)
    out["edges"] = strict & ~(np.matmul(s, s) > 0)  # no component in between: a link of the reduced digraph
    return out


def _bincount_rows(values: np.ndarray, width: int) -> np.ndarray:
    """counts[f, v] = number of resamples in which factor f has value v; values (k, n) in [0, width)."""
    n = values.shape[1]
    flat = values.astype(np.int64) + width * np.arange(n)[None, :]
    return np.bincount(flat.ravel(), minlength=n * width).reshape(n, width)


def _adjacency_stack(decision: np.ndarray, n: int) -> np.ndarray:
    """Boolean stack (k, n, n) from decision codes (k, n_pairs): bit 0 = i -> j, bit 1 = j -> i (i < j)."""
    iu, ju = np.triu_indices(n, 1)
    pair = np.zeros((n, n), dtype=np.int64)
    pair[iu, ju] = pair[ju, iu] = np.arange(len(iu))
    bit = np.zeros((n, n), dtype=np.int8)
    bit[iu, ju], bit[ju, iu] = 1, 2
    cells = np.take(decision, pair.ravel(), axis=1) & bit.ravel()[None, :]
    return (cells != 0).reshape(len(decision), n, n)


@dataclass(frozen=True)
class _Spec:
    """Everything a chunk needs (small: the panel's codes and the options)."""

    codes: np.ndarray  # (n_experts, n_pairs) int8
    weights: np.ndarray  # (n_experts,) float
    n: int
    rule: str
    threshold: float
    strict: bool
    ties: str
    micmac_threshold: Any
    on_boundary: str
    labels: tuple[str, ...]


def _asserted(share: np.ndarray, spec: _Spec) -> np.ndarray:
    """Panel.aggregate's test of a direction's share (the same float expression)."""
    if spec.rule == "unanimity":
        return np.abs(share - 1) <= _EPS
    t = spec.threshold
    return share > t + _EPS if spec.strict else share >= t - _EPS


def _min_count(total: np.ndarray, spec: _Spec) -> np.ndarray:
    """Per resample, the smallest integer weighted count c whose share c / total passes the test (total + 1: none).

    The test is monotone in c and the answer lies within 2 of ``x * total`` (x: threshold, or 1 for
    unanimity), so five candidates, tested with the very expression of :func:`_asserted`, find it.
    """
    x = 1.0 if spec.rule == "unanimity" else spec.threshold
    cand = np.floor(x * total)[:, None] + np.arange(-2, 3)[None, :]
    cand = np.clip(cand, 0, total[:, None])
    ok = _asserted(cand / total[:, None], spec)
    return np.where(ok.any(axis=1), np.where(ok, cand, np.inf).min(axis=1), total + 1)


def _decide_stack(spec: _Spec, w: np.ndarray, offset: int) -> np.ndarray:
    """Decision codes (k, n_pairs) for resample weights w (k, n_experts); the rules of Panel.aggregate.

    With integer weights (the default: 1 per expert and draw) every weighted count is an integer below
    2**24, so the counts come exactly from a float32 matrix product and the shares c / total are the
    same floats as in Panel.aggregate; other weights take float64 products.
    """
    codes = spec.codes
    n_p = codes.shape[1]
    total = w.sum(axis=1)
    exact = bool(np.all(w == np.round(w))) and float(total.max()) < 2**24
    dtype = np.float32 if exact else np.float64
    if spec.rule in ("threshold", "unanimity"):
        both = np.concatenate([codes & 1, (codes >> 1) & 1], axis=1).astype(dtype)
        counts = w.astype(dtype) @ both  # (k, 2 * pairs): i -> j, then j -> i
        if exact:
            passed = counts >= _min_count(total, spec).astype(dtype)[:, None]
        else:
            passed = _asserted(counts / total[:, None], spec)
        return passed[:, :n_p].astype(np.int8) + 2 * passed[:, n_p:].astype(np.int8)
    onehot = np.concatenate([codes == c for c in range(4)], axis=1).astype(dtype)
    votes = (w.astype(dtype) @ onehot).reshape(len(w), 4, n_p).transpose(0, 2, 1)  # (k, pairs, 4)
    top = votes.max(axis=2, keepdims=True)
    if exact:
        is_top = votes == top
    else:
        is_top = np.abs(votes - top) <= _EPS * np.maximum(1.0, total)[:, None, None]
    if spec.ties == "raise":
        tied = np.argwhere(is_top.sum(axis=2) > 1)
        if len(tied):
            r, p = tied[0]
            iu, ju = np.triu_indices(spec.n, 1)
            syms = ", ".join(_LETTER[c] for c in range(4) if is_top[r, p, c])
            n_res = len(np.unique(tied[:, 0]))
            raise ISMInputError(
                f"rule='mode' with ties='raise': resample {offset + r + 1} (and {n_res - 1} more in its chunk) has a "
                f"tie, e.g. pair ({spec.labels[iu[p]]!r}, {spec.labels[ju[p]]!r}) between {syms}; resampled panels "
                "often tie, so choose ties='conservative' or ties='liberal' (as in Panel.aggregate)."
            )
    out = np.full(is_top.shape[:2], 3 if spec.ties == "conservative" else 0, dtype=np.int8)
    for c in range(4):
        if spec.ties == "conservative":
            out &= np.where(is_top[:, :, c], c, 3).astype(np.int8)
        else:
            out |= np.where(is_top[:, :, c], c, 0).astype(np.int8)
    return out


def _chunk_counts(spec: _Spec, idx: np.ndarray, offset: int = 0) -> dict[str, Any]:
    """Integer counts over the resamples idx (k, m): each row lists the experts drawn (with repeats)."""
    k = idx.shape[0]
    e = spec.codes.shape[0]
    mult = np.bincount((idx.astype(np.int64) + e * np.arange(k)[:, None]).ravel(), minlength=k * e).reshape(k, e)
    decision = _decide_stack(spec, mult * spec.weights[None, :], offset)
    n = spec.n
    s = _structure(_adjacency_stack(decision, n), spec.micmac_threshold, spec.on_boundary)
    lev = s["level"]
    return {
        "n": k,
        "level": _bincount_rows(lev - 1, n),
        "cluster": _bincount_rows(s["cluster"], 4),
        "driving": _bincount_rows(s["driving"] - 1, n),
        "dependence": _bincount_rows(s["dependence"] - 1, n),
        "precedence": (lev[:, :, None] < lev[:, None, :]).sum(axis=0, dtype=np.int64),
        "edge": s["edges"].sum(axis=0, dtype=np.int64),
    }


def _add(total: dict[str, Any] | None, part: dict[str, Any]) -> dict[str, Any]:
    if total is None:
        return {key: (v.copy() if isinstance(v, np.ndarray) else v) for key, v in part.items()}
    for key, v in part.items():
        total[key] = total[key] + v
    return total


def _bar(progress: bool, total: int, desc: str) -> Any:
    if not progress:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "progress=True needs tqdm: pip install 'ism_health[progress]' (or pip install tqdm)."
        ) from None
    return tqdm(total=total, desc=desc, unit="resample")


def _run_numpy(spec: _Spec, idx: np.ndarray, chunk: int, bar: Any) -> tuple[dict[str, Any] | None, bool]:
    total = None
    try:
        for start in range(0, len(idx), chunk):
            total = _add(total, _chunk_counts(spec, idx[start : start + chunk], start))
            if bar is not None:
                bar.update(total["n"] - bar.n)
    except KeyboardInterrupt:
        return total, False
    return total, True


def _run_dask(spec: _Spec, idx: np.ndarray, chunk: int, bar: Any) -> tuple[dict[str, Any] | None, bool]:
    try:
        import dask
    except ImportError:
        raise ImportError("backend='dask' needs dask: pip install 'ism_health[dask]' (dask[distributed]).") from None
    try:
        from distributed import as_completed, get_client

        client = get_client()
    except (ImportError, ValueError):
        client = None
    spec_d = dask.delayed(spec, pure=True)
    starts = range(0, len(idx), chunk)
    tasks = [dask.delayed(_chunk_counts, pure=True)(spec_d, idx[s : s + chunk], s) for s in starts]
    total = None
    if client is None:
        from dask.callbacks import Callback

        def posttask(key: Any, result: Any, dsk: Any, state: Any, worker_id: Any) -> None:
            if bar is not None and isinstance(result, dict) and "edge" in result:
                bar.update(result["n"])

        with Callback(posttask=posttask):
            parts = dask.compute(*tasks)
        for part in parts:
            total = _add(total, part)
        return total, True
    futures = client.compute(tasks)
    try:
        for fut in as_completed(futures):
            total = _add(total, fut.result())
            if bar is not None:
                bar.update(total["n"] - bar.n)
    except KeyboardInterrupt:
        client.cancel(futures)
        return total, False
    return total, True


# ====================================================================== the result
@dataclass(frozen=True, eq=False)
class RobustnessResult(MethodOutputs):
    """How often each part of the ISM structure appears over resampled panels.

    Built by :func:`robustness`. Every table is a new DataFrame on each access
    (built from the integer counts kept inside), indexed by factor label.

    Attributes
    ----------
    labels : tuple of str
        The factors, in panel order.
    method : {"bootstrap", "jackknife"}
    n_resamples : int
        Resamples behind the tables (fewer than ``n_requested`` when interrupted).
    n_requested : int
        Resamples asked for (the number of experts for the jackknife).
    seed : int or None
        The seed of the bootstrap draws (for ``seed=None`` the entropy that was
        drawn, so the run can be repeated); ``None`` for the jackknife.
    complete : bool
        False when the run was interrupted (Ctrl-C): the tables then cover
        the first ``n_resamples`` completed resamples only.
    params : mapping
        The options: rule, threshold, strict, ties, weights, micmac_threshold,
        on_boundary, backend, experts.

    Examples
    --------
    >>> import ism_health as ism
    >>> from ism_health.experts.robustness import robustness
    >>> panel = ism.simulate_panel(ism.datasets.load_example("worked"), 5, 0.1, seed=2)
    >>> res = robustness(panel, method="jackknife")
    >>> res.n_resamples, res.complete
    (5, True)
    >>> res.level_frequencies.sum(axis=1).round(12).unique().tolist()
    [1.0]
    """

    labels: tuple[str, ...]
    method: str
    n_resamples: int
    n_requested: int
    seed: int | None
    complete: bool
    params: Mapping[str, Any]
    _counts: Mapping[str, np.ndarray] = field(repr=False, compare=False)

    _output_title = "Robustness over the panel"
    _output_prefix = "Robustness"
    _output_stem = "robustness"

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables of :func:`robustness_tables` (title -> new DataFrame); the writers write these.

        Examples
        --------
        >>> import ism_health as ism
        >>> panel = ism.simulate_panel(ism.datasets.load_example("worked"), 4, 0.1, seed=2)
        >>> list(ism.robustness(panel, method="jackknife").tables())[:2]
        ['stability', 'level_frequencies']
        """
        return robustness_tables(self)

    def figures(self) -> dict[str, Figure]:
        """The level-stability heatmap, the MICMAC cloud and the digraph by edge frequency: name -> function of an Axes.

        Examples
        --------
        >>> import ism_health as ism
        >>> panel = ism.simulate_panel(ism.datasets.load_example("worked"), 4, 0.1, seed=2)
        >>> list(ism.robustness(panel, method="jackknife").figures())
        ['Level stability', 'MICMAC over resamples', 'Links by frequency']
        """
        from ..robustness_plots import plot_edge_frequencies, plot_level_stability, plot_micmac_cloud

        return {
            "Level stability": lambda ax: plot_level_stability(self, ax),
            "MICMAC over resamples": lambda ax: plot_micmac_cloud(self, ax),
            "Links by frequency": lambda ax: plot_edge_frequencies(self, ax),
        }

    def _index(self) -> pd.Index:
        return pd.Index(list(self.labels), name="factor")

    def _share(self, key: str) -> np.ndarray:
        return self._counts[key] / max(self.n_resamples, 1)

    @property
    def level_frequencies(self) -> pd.DataFrame:
        """Share of resamples placing each factor (row) on each level (column, 1 = top); rows sum to 1."""
        counts = self._counts["level"]
        used = np.flatnonzero(counts.sum(axis=0))
        top = max(int(used.max()) + 1 if len(used) else 1, int(self._counts["panel_level"].max()))
        cols = pd.Index(np.arange(1, top + 1), name="level")
        return pd.DataFrame(self._share("level")[:, :top], index=self._index(), columns=cols)

    @property
    def cluster_frequencies(self) -> pd.DataFrame:
        """Share of resamples placing each factor in each MICMAC cluster (columns in ``micmac.CLUSTERS`` order)."""
        return pd.DataFrame(self._share("cluster"), index=self._index(), columns=pd.Index(CLUSTERS, name="cluster"))

    @property
    def power_intervals(self) -> pd.DataFrame:
        """Driving and dependence power: the panel's value, the median and the 2.5 / 97.5 percentiles.

        Percentiles are those of :func:`numpy.percentile` (linear
        interpolation) over the resamples, computed exactly from the counts.
        """
        out = {}
        for key in ("driving", "dependence"):
            out[f"{key}_panel"] = self._counts[f"panel_{key}"].astype(np.int64)
            for name, q in (("median", 0.5), ("low", 0.025), ("high", 0.975)):
                out[f"{key}_{name}"] = _hist_quantile(self._counts[key], q)
        return pd.DataFrame(out, index=self._index())

    @property
    def stability(self) -> pd.DataFrame:
        """Per factor: the panel's level and cluster, the modal ones and the shares of resamples in them.

        ``level_share`` is the share of resamples in the modal level (the
        lowest level number among equally frequent ones), ``panel_level_share``
        the share agreeing with the full panel's level; likewise for clusters.
        """
        lev, clu = self._share("level"), self._share("cluster")
        rows = np.arange(len(self.labels))
        pl, pc = self._counts["panel_level"], self._counts["panel_cluster"]
        names = np.array(CLUSTERS, dtype=object)
        return pd.DataFrame(
            {
                "panel_level": pl.astype(np.int64),
                "modal_level": lev.argmax(axis=1) + 1,
                "level_share": lev.max(axis=1),
                "panel_level_share": lev[rows, pl - 1],
                "panel_cluster": names[pc],
                "modal_cluster": names[clu.argmax(axis=1)],
                "cluster_share": clu.max(axis=1),
                "panel_cluster_share": clu[rows, pc],
            },
            index=self._index(),
        )

    @property
    def precedence(self) -> pd.DataFrame:
        """Entry (i, j): share of resamples with factor i above factor j (level(i) < level(j); 1 = top)."""
        cols = pd.Index(list(self.labels), name="below")
        return pd.DataFrame(self._share("precedence"), index=self._index(), columns=cols)

    @property
    def edge_frequencies(self) -> pd.DataFrame:
        """Share of resamples in which each direct link ``source -> target`` of the ISM digraph appears.

        The digraph is that of :func:`ism_health.ism_digraph`: the transitive
        reduction of the condensation (cycles merged). A link between two
        merged cycles counts for every pair of their members. Rows: every link
        seen in a resample or in the panel's digraph (``in_panel``), most
        frequent first, then in factor order.
        """
        share = self._share("edge")
        panel = self._counts["panel_edge"]
        src, dst = np.nonzero((share > 0) | panel)
        lab = np.array(self.labels, dtype=object)
        out = pd.DataFrame(
            {"source": lab[src], "target": lab[dst], "frequency": share[src, dst], "in_panel": panel[src, dst]}
        )
        order = np.lexsort((dst, src, -share[src, dst]))
        return out.iloc[order].reset_index(drop=True)

    def summary(self) -> str:
        """A text report: the run, then per factor its level and cluster with their stability.

        Examples
        --------
        >>> import ism_health as ism
        >>> from ism_health.experts.robustness import robustness
        >>> panel = ism.simulate_panel(ism.datasets.load_example("worked"), 4, 0.1, seed=2)
        >>> print(robustness(panel, method="jackknife").summary().splitlines()[0])
        Robustness over the panel: jackknife, 4 resamples of 4 experts
        """
        p = self.params
        head = f"Robustness over the panel: {self.method}, {self.n_resamples:,} resamples of {p['experts']} experts"
        if self.method == "bootstrap":
            head += f" (seed {self.seed})"
        lines = [head]
        if not self.complete:
            lines.append(
                f"INTERRUPTED: {self.n_resamples:,} of {self.n_requested:,} resamples done; tables cover those."
            )
        rule = p["rule"] + (
            f" {p['threshold']:g} ({'strict' if p['strict'] else 'not strict'})" if p["rule"] == "threshold" else ""
        )
        if p["rule"] == "mode":
            rule += f" (ties {p['ties']})"
        lines.append(
            f"Aggregation: {rule}; MICMAC threshold {p['micmac_threshold']!r}, on boundary {p['on_boundary']}."
        )
        st, pw = self.stability, self.power_intervals
        table = pd.DataFrame(
            {
                "level": st["panel_level"],
                "in level": st["panel_level_share"].map("{:.0%}".format),
                "cluster": st["panel_cluster"],
                "in cluster": st["panel_cluster_share"].map("{:.0%}".format),
                "driving 95%": [f"{a:g}-{b:g}" for a, b in zip(pw["driving_low"], pw["driving_high"])],
                "dependence 95%": [f"{a:g}-{b:g}" for a, b in zip(pw["dependence_low"], pw["dependence_high"])],
            }
        )
        lines += [
            "",
            "Per factor: the panel's level and cluster and the share of resamples agreeing:",
            table.to_string(),
        ]
        edges = self.edge_frequencies
        weak = edges[edges["in_panel"] & (edges["frequency"] < 0.5)]
        n_panel = int(edges["in_panel"].sum())
        lines += [
            "",
            f"Links of the panel's digraph: {n_panel}; seen in fewer than half of the resamples: {len(weak)}.",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        state = "" if self.complete else f", interrupted at {self.n_resamples} of {self.n_requested}"
        return f"RobustnessResult({self.method}, {self.n_resamples} resamples, {len(self.labels)} factors{state})"


def _hist_quantile(hist: np.ndarray, q: float) -> np.ndarray:
    """numpy.percentile (linear) of the values 1..V given per row as counts (n, V)."""
    cum = np.cumsum(hist, axis=1)
    out = np.full(hist.shape[0], np.nan)
    for f in range(hist.shape[0]):
        total = cum[f, -1]
        if total == 0:
            continue
        h = (total - 1) * q
        lo = int(np.floor(h))
        t = h - lo
        a = float(np.searchsorted(cum[f], lo, side="right") + 1)
        b = float(np.searchsorted(cum[f], min(lo + 1, total - 1), side="right") + 1)
        out[f] = a + (b - a) * t if t < 0.5 else b - (b - a) * (1 - t)
    return out


# ====================================================================== the function
def robustness(
    panel: Panel,
    method: Literal["bootstrap", "jackknife"] = "bootstrap",
    n_resamples: int = 1000,
    seed: int | None = None,
    *,
    rule: Literal["threshold", "mode", "unanimity"] = "threshold",
    threshold: float = 0.5,
    strict: bool = True,
    ties: Literal["raise", "conservative", "liberal"] = "raise",
    weights: Mapping[str, float] | None = None,
    micmac_threshold: Any = "half",
    on_boundary: Literal["low", "high"] = "low",
    backend: Literal["numpy", "dask"] = "numpy",
    progress: bool = False,
) -> RobustnessResult:
    """Re-run aggregation and ISM over resampled panels; count how often each result appears.

    Parameters
    ----------
    panel : Panel
        The experts' answers.
    method : {"bootstrap", "jackknife"}
        ``"bootstrap"``: ``n_resamples`` panels of ``panel.n_experts`` experts
        drawn with replacement. ``"jackknife"``: each expert left out once;
        ``n_resamples`` and ``seed`` are ignored (the number of resamples is
        the number of experts, at least 2).
    n_resamples : int, default 1000
        Bootstrap resamples (>= 1).
    seed : int, optional
        Seed of ``numpy.random.default_rng``; the same seed gives the same
        result, byte for byte, with either backend. ``None`` draws fresh
        entropy and records it in ``result.seed``.
    rule, threshold, strict, ties, weights
        The aggregation, exactly as in :meth:`Panel.aggregate` (a resampled
        expert carries their weight once per draw). With ``rule="mode"`` and
        ``ties="raise"`` a tie in any resample raises :class:`ISMInputError`
        (resampled panels tie often): choose ``ties="conservative"`` or
        ``"liberal"`` for a resampling study.
    micmac_threshold, on_boundary
        MICMAC boundaries, as in :func:`ism_health.analyze` (``"mean"`` is
        computed per resample).
    backend : {"numpy", "dask"}
        ``"dask"`` runs the chunks as dask tasks on the current
        ``dask.distributed`` client, or with none on dask's local scheduler
        (needs ``ism_health[dask]``). Same result as ``"numpy"``.
    progress : bool, default False
        Show a tqdm progress bar (needs ``ism_health[progress]``).

    Returns
    -------
    RobustnessResult
        Interrupted with Ctrl-C (KeyboardInterrupt) after at least one chunk,
        the result of the completed chunks is returned with
        ``complete=False``; before that, the KeyboardInterrupt propagates.
        (With ``backend="dask"`` this holds on a ``distributed`` client, whose
        remaining tasks are cancelled; on dask's local scheduler the
        KeyboardInterrupt always propagates.)

    Raises
    ------
    ISMInputError
        On a bad option (before any computation), or a mode tie under ``ties="raise"``.

    Examples
    --------
    >>> import ism_health as ism
    >>> from ism_health.experts.robustness import robustness
    >>> panel = ism.simulate_panel(ism.datasets.load_example("worked"), 8, 0.15, seed=3)
    >>> res = robustness(panel, n_resamples=200, seed=1)
    >>> res
    RobustnessResult(bootstrap, 200 resamples, 8 factors)
    >>> st = res.stability          # F3: on level 3 in 88.5% of the resamples
    >>> int(st.loc["F3", "panel_level"]), float(st.loc["F3", "panel_level_share"])
    (3, 0.885)
    >>> st.loc["F3", "panel_cluster"], float(st.loc["F3", "panel_cluster_share"])
    ('autonomous', 0.975)
    """
    if not isinstance(panel, Panel):
        raise ISMInputError(
            f"robustness() needs a Panel (read_panel, Panel.from_long, simulate_panel); got {type(panel).__name__}."
        )
    if getattr(panel, "has_missing", False):  # resampling assumes every expert answered every pair
        raise ISMInputError(
            "robustness() needs every expert to answer every pair; this panel has unanswered pairs "
            "(read with missing='drop-pair'). Read the forms with missing='drop-expert', or complete them."
        )
    check_choice("method", method, ("bootstrap", "jackknife"))
    check_choice("backend", backend, ("numpy", "dask"))
    check_choice("on_boundary", on_boundary, ("low", "high"))
    if not isinstance(progress, (bool, np.bool_)):
        raise ISMInputError(f"progress={progress!r} is not allowed; expected True or False.")
    # validates the aggregation options
    decision, _ = decide(panel, rule, threshold=threshold, strict=strict, ties=ties, weights=weights)
    w = _expert_weights(panel, weights)
    n, e = panel.n_factors, panel.n_experts
    ref = _structure(
        _adjacency_stack(decision[None, :], n), micmac_threshold, on_boundary
    )  # also validates micmac_threshold
    if method == "jackknife":
        if e < 2:
            raise ISMInputError(
                f"the jackknife leaves one expert out, so it needs at least 2 experts; the panel has {e}."
            )
        idx = np.array([np.delete(np.arange(e), k) for k in range(e)], dtype=np.int32)
        used_seed = None
    else:
        n_resamples = check_number("n_resamples", n_resamples, low=1, high=MAX_RESAMPLES, integer=True)
        if seed is None:
            used_seed = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]  # an int when drawn
        elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
            used_seed = int(seed)
        else:
            raise ISMInputError(f"seed={seed!r} is not allowed; expected None or an integer >= 0.")
        idx = np.random.default_rng(used_seed).integers(0, e, size=(n_resamples, e), dtype=np.int32)
    spec = _Spec(
        panel.codes.astype(np.int8),
        w,
        n,
        rule,
        float(threshold),
        bool(strict),
        ties,
        micmac_threshold,
        on_boundary,
        panel.labels,
    )
    bar = _bar(progress, len(idx), f"{method} resamples")
    try:
        run = _run_numpy if backend == "numpy" else _run_dask
        total, complete = run(spec, idx, _run_chunk(n, len(idx), backend), bar)
    finally:
        if bar is not None:
            bar.close()
    if total is None:
        raise KeyboardInterrupt
    counts = {key: total[key] for key in _COUNTS}
    counts.update(
        panel_level=ref["level"][0],
        panel_cluster=ref["cluster"][0],
        panel_driving=ref["driving"][0],
        panel_dependence=ref["dependence"][0],
        panel_edge=ref["edges"][0],
    )
    for v in counts.values():
        v.setflags(write=False)
    params = {
        "rule": rule,
        "threshold": float(threshold),
        "strict": bool(strict),
        "ties": ties,
        "weights": None if weights is None else MappingProxyType(dict(weights)),
        "micmac_threshold": list(micmac_threshold) if isinstance(micmac_threshold, (tuple, list)) else micmac_threshold,
        "on_boundary": on_boundary,
        "backend": backend,
        "experts": e,
    }
    return RobustnessResult(
        labels=panel.labels,
        method=method,
        n_resamples=int(total["n"]),
        n_requested=len(idx),
        seed=used_seed,
        complete=complete,
        params=MappingProxyType(params),
        _counts=MappingProxyType(counts),
    )


def robustness_tables(result: RobustnessResult) -> dict[str, pd.DataFrame]:
    """The result's tables by sheet name, for a workbook or a report (new DataFrames).

    Examples
    --------
    >>> import ism_health as ism
    >>> from ism_health.experts.robustness import robustness, robustness_tables
    >>> panel = ism.simulate_panel(ism.datasets.load_example("worked"), 4, 0.1, seed=2)
    >>> list(robustness_tables(robustness(panel, method="jackknife")))
    ['stability', 'level_frequencies', 'cluster_frequencies', 'power_intervals', 'precedence', 'edge_frequencies']
    """
    if not isinstance(result, RobustnessResult):
        raise ISMInputError(f"robustness_tables() needs a RobustnessResult; got {type(result).__name__}.")
    return {
        "stability": result.stability,
        "level_frequencies": result.level_frequencies,
        "cluster_frequencies": result.cluster_frequencies,
        "power_intervals": result.power_intervals,
        "precedence": result.precedence,
        "edge_frequencies": result.edge_frequencies,
    }
