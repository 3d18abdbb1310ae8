"""Audit a published ISM study: check the tables a paper prints against each other.

Give :func:`audit` what the paper prints -- the final reachability matrix (FRM)
with its ``1`` / ``1*`` / ``0`` cells, and whatever else it shows (initial
reachability matrix or SSIM, levels, driving and dependence powers, MICMAC
clusters). It returns a frozen :class:`AuditReport` that lists

* ``missing``: entries that transitivity requires and the printed FRM lacks,
  each with the shortest chain of printed entries that requires it (a missing
  diagonal entry is listed apart, in ``missing_diagonal``);
* ``spurious``: entries printed 1 or 1* that the IRM/SSIM does not imply, and
  ``1*`` marks on direct entries (or plain ``1`` on entries that are only transitive);
* ``level_mismatches``: printed levels that differ from the levels of the true
  closure, the iteration where the printed partition first went wrong
  (``levels_wrong_from``), and whether the printed levels at least partition
  the printed (wrong) FRM (``levels_match_printed_frm``);
* ``power_mismatches`` and ``cluster_mismatches``, with the boundary rules
  (``n/2``, ``mean``, ``median`` or a printed number) that reproduce the
  printed clusters (``cluster_rules``);
* the SSIM -> IRM conversion check (``ssim_transposed``: the transposed SSIM
  reproduces the printed matrix, the commonest slip).

Nothing is fixed silently: the printed tables are read as printed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._method_outputs import MethodOutputs
from ._printed import _frame_from, _int_values, _mapping, _read_marks, _read_ssim, norm_cluster, read_printed_matrix
from ._validation import check_number
from .exceptions import ISMInputError

__all__ = ["AuditReport", "audit", "audit_tables", "read_printed_matrix"]


# ----------------------------------------------------------------------------- graph helpers
def _closure(m: np.ndarray) -> np.ndarray:
    r = m.copy() | np.eye(len(m), dtype=bool)
    for k in range(len(r)):
        r |= np.outer(r[:, k], r[k, :])
    return r


def _shortest_chain(m: np.ndarray, i: int, j: int) -> list[int]:
    """Shortest path i -> j over the off-diagonal True entries of m (BFS, lowest index first)."""
    prev = {i: -1}
    queue = deque([i])
    while queue:
        u = queue.popleft()
        if u == j:
            break
        for v in map(int, np.flatnonzero(m[u])):
            if v != u and v not in prev:
                prev[v] = u
                queue.append(v)
    if j not in prev:
        return []
    path = [j]
    while path[-1] != i:
        path.append(prev[path[-1]])
    return path[::-1]


def _partition(m: np.ndarray) -> tuple[np.ndarray, list[list[int]]]:
    """Warfield's level partition run on m as it is (also on a non-transitive m).

    Returns level numbers (0 = never placed, when the procedure stalls) and the
    factors placed at each iteration.
    """
    n = len(m)
    level = np.zeros(n, dtype=int)
    remaining = set(range(n))
    steps: list[list[int]] = []
    while remaining:
        top = []
        for i in sorted(remaining):
            reach = {j for j in remaining if m[i, j]}
            ante = {j for j in remaining if m[j, i]}
            if reach & ante == reach:
                top.append(i)
        if not top:
            break
        steps.append(top)
        for i in top:
            level[i] = len(steps)
        remaining -= set(top)
    return level, steps


def _upside_down(given: dict[str, int], labs: list[str], true: np.ndarray, printed: np.ndarray | None) -> list[str]:
    """A note when the printed levels are (all but one) the partition of a TRANSPOSED matrix.

    That is the partition of the antecedent sets where the reachability sets belong:
    the hierarchy printed upside down, level 1 holding the drivers.
    """
    for name, m in (("true closure", true), ("printed FRM", printed)):
        if m is None:
            continue
        flipped, _ = _partition(m.T)
        off = [lab for lab, lev in given.items() if int(flipped[labs.index(lab)]) != lev]
        if len(off) <= 1 < len(given) - len(off):
            but = f", but for {off[0]}," if off else ""
            return [
                f"the printed levels are{but} the partition of the TRANSPOSED {name}: the levels were "
                "extracted with the antecedent sets in place of the reachability sets (the hierarchy is upside "
                "down, level 1 holds the drivers)."
            ]
    return []


def _clusters_for(drv: np.ndarray, dep: np.ndarray, b_dep: float, b_drv: float, strict: bool) -> list[str]:
    hi_drv = drv > b_drv if strict else drv >= b_drv
    hi_dep = dep > b_dep if strict else dep >= b_dep
    names = []
    for hd, hp in zip(hi_drv, hi_dep):
        names.append(("linkage" if hp else "independent") if hd else ("dependent" if hp else "autonomous"))
    return names


# ----------------------------------------------------------------------------- the report
@dataclass(frozen=True)
class AuditReport(MethodOutputs):
    """What :func:`audit` found; every table is returned as a copy.

    Examples
    --------
    >>> from ism_health.audit import audit
    >>> report = audit([["1", "1", "0"], ["0", "1", "1"], ["0", "0", "1"]], labels=["a", "b", "c"])
    >>> report.consistent
    False
    >>> report.missing.to_dict("records")
    [{'source': 'a', 'target': 'c', 'chain': 'a -> b -> c', 'basis': 'printed FRM'}]
    """

    labels: tuple[str, ...]
    missing_diagonal: tuple[str, ...]
    levels_wrong_from: int | None
    levels_match_printed_frm: bool | None
    cluster_rules: tuple[str, ...]
    ssim_transposed: bool | None
    notes: tuple[str, ...]
    _tables: dict[str, pd.DataFrame] = field(repr=False)

    _output_title = "ISM audit"
    _output_prefix = "Audit"
    _output_stem = "audit"

    def _get(self, key: str) -> pd.DataFrame:
        return self._tables[key].copy()

    @property
    def missing(self) -> pd.DataFrame:
        """Entries transitivity requires that the printed FRM lacks: source, target, chain, basis."""
        return self._get("missing")

    @property
    def spurious(self) -> pd.DataFrame:
        """Printed entries the IRM/SSIM does not support, and wrong 1 / 1* marks: source, target, printed, kind."""
        return self._get("spurious")

    @property
    def level_mismatches(self) -> pd.DataFrame:
        """Printed levels that differ from the true closure's: factor, printed_level, true_level."""
        return self._get("level_mismatches")

    @property
    def power_mismatches(self) -> pd.DataFrame:
        """Printed powers that differ from the printed FRM's sums: factor, power, printed, frm_sum, true_sum."""
        return self._get("power_mismatches")

    @property
    def cluster_mismatches(self) -> pd.DataFrame:
        """Printed clusters that differ from the stated (or n/2) rule: factor, printed, expected."""
        return self._get("cluster_mismatches")

    @property
    def true_frm(self) -> pd.DataFrame:
        """The true final reachability matrix (1 direct, 1* added by transitivity when the IRM is known)."""
        return self._get("true_frm")

    @property
    def true_levels(self) -> pd.Series:
        """Levels of the true closure (1 = top)."""
        return self._tables["true_levels"]["level"].copy()

    @property
    def consistent(self) -> bool:
        """True when no finding at all was made."""
        return (
            not self.missing_diagonal
            and all(
                self._tables[k].empty
                for k in ("missing", "spurious", "level_mismatches", "power_mismatches", "cluster_mismatches")
            )
            and not self.ssim_transposed
            and self.levels_wrong_from is None
            and "ssim_irm_differs" not in self._tables["flags"].index
        )

    def summary(self) -> str:
        """A plain-text account of every finding, one line each.

        Examples
        --------
        >>> from ism_health.audit import audit
        >>> print(audit([[1, 1], [0, 1]], levels={"F1": 2, "F2": 1}).summary())
        Audit of a 2-factor ISM: consistent.
          levels: the printed levels are those of the true closure.
        """
        lines = [f"Audit of a {len(self.labels)}-factor ISM: {'consistent' if self.consistent else 'INCONSISTENT'}."]
        if self.missing_diagonal:
            lines.append(
                f"  diagonal: {len(self.missing_diagonal)} factor(s) printed as not reaching themselves: "
                + ", ".join(self.missing_diagonal)
            )
        for row in self._tables["missing"].itertuples(index=False):
            lines.append(f"  missing: {row.source} -> {row.target} is required by {row.chain} ({row.basis})")
        for row in self._tables["spurious"].itertuples(index=False):
            lines.append(f"  spurious: {row.source} -> {row.target} printed {row.printed!r}: {row.kind}")
        lm = self._tables["level_mismatches"]
        if self.levels_wrong_from is not None:
            lines.append(
                f"  levels: {len(lm)} printed level(s) differ from the true closure's; the printed "
                f"partition first goes wrong at iteration {self.levels_wrong_from}."
            )
            for row in lm.itertuples(index=False):
                lines.append(f"    {row.factor}: printed level {row.printed_level}, true level {row.true_level}")
            if self.levels_match_printed_frm is not None:
                lines.append(
                    "    the printed levels ARE the partition of the printed (wrong) FRM."
                    if self.levels_match_printed_frm
                    else "    the printed levels are not the partition of the printed FRM either."
                )
        elif "levels_checked" in self._tables["flags"].index:
            lines.append("  levels: the printed levels are those of the true closure.")
        for row in self._tables["power_mismatches"].itertuples(index=False):
            lines.append(
                f"  power: {row.power} power of {row.factor} printed {row.printed}; the printed FRM "
                f"gives {row.frm_sum}, the true closure {row.true_sum}"
            )
        for row in self._tables["cluster_mismatches"].itertuples(index=False):
            lines.append(f"  cluster: {row.factor} printed {row.printed!r}; the rule gives {row.expected!r}")
        if "clusters_checked" in self._tables["flags"].index:
            rules = ", ".join(self.cluster_rules) if self.cluster_rules else "none of n/2, mean, median"
            lines.append(f"  clusters: boundary rules that reproduce the printed clusters: {rules}")
        if self.ssim_transposed:
            lines.append(
                "  SSIM: the TRANSPOSED SSIM reproduces the printed matrix (V and A read the wrong way round)."
            )
        for note in self.notes:
            lines.append(f"  note: {note}")
        return "\n".join(lines)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Sheet name -> table, for the workbook and the report writers (copies).

        Examples
        --------
        >>> from ism_health.audit import audit
        >>> sorted(audit([[1, 0], [0, 1]]).tables())[:3]
        ['Clusters', 'Levels', 'Missing']
        """
        return audit_tables(self)


def audit_tables(report: AuditReport) -> dict[str, pd.DataFrame]:
    """The report's tables by sheet name (copies), for the lead's writers.

    Examples
    --------
    >>> from ism_health.audit import audit, audit_tables
    >>> list(audit_tables(audit([[1, 1], [0, 1]])))
    ['Missing', 'Spurious', 'Levels', 'Powers', 'Clusters', 'True FRM']
    """
    t = report._tables
    levels = t["true_levels"].copy()
    levels["printed_level"] = t["printed_levels"]["level"] if not t["printed_levels"].empty else ""
    return {
        "Missing": t["missing"].copy(),
        "Spurious": t["spurious"].copy(),
        "Levels": levels,
        "Powers": t["power_mismatches"].copy(),
        "Clusters": t["cluster_mismatches"].copy(),
        "True FRM": t["true_frm"].copy(),
    }


# ----------------------------------------------------------------------------- the audit
def audit(
    frm: Any = None,
    *,
    irm: Any = None,
    ssim: Any = None,
    levels: Any = None,
    driving: Any = None,
    dependence: Any = None,
    clusters: Any = None,
    labels: Sequence[Any] | None = None,
    micmac_threshold: float | None = None,
) -> AuditReport:
    """Check what a paper prints: FRM, IRM or SSIM, levels, powers and clusters.

    Parameters
    ----------
    frm : list of lists, DataFrame or path, optional
        The final reachability matrix as printed: cells ``"1"``, ``"1*"``, ``"0"``
        (``"1 *"`` and the numbers 1 / 0 are read too). Rows influence columns.
    irm, ssim : optional
        The initial reachability matrix (0/1) or the SSIM (V/A/X/O above the
        diagonal) as printed. With one of them, the audit knows which entries are
        direct and which must come from transitivity.
    levels : mapping factor -> level, Series or CSV path, optional
        The printed levels (1 = top). Factors left out are not checked.
    driving, dependence : mapping factor -> number, optional
        The printed driving and dependence powers.
    clusters : mapping factor -> cluster name, optional
        The printed MICMAC clusters (autonomous / dependent / linkage /
        independent, or the quadrant numerals I-IV).
    labels : sequence of str, optional
        Factor labels when the tables carry none.
    micmac_threshold : float, optional
        The boundary the paper states for the MICMAC map; checked first.

    Returns
    -------
    AuditReport

    Examples
    --------
    A matrix that misses one transitive entry, with levels computed from it:

    >>> from ism_health.audit import audit
    >>> frm = [["1", "1", "0"], ["0", "1", "1"], ["0", "0", "1"]]
    >>> report = audit(frm, labels=["a", "b", "c"], levels={"a": 3, "b": 2, "c": 1})
    >>> report.missing[["source", "target", "chain"]].values.tolist()
    [['a', 'c', 'a -> b -> c']]
    >>> report.levels_wrong_from is None
    True

    The transposed-SSIM slip:

    >>> ssim = [["", "V"], ["", ""]]
    >>> audit([["1", "0"], ["1", "1"]], ssim=ssim).ssim_transposed
    True
    """
    micmac_threshold = check_number("micmac_threshold", micmac_threshold, low=0, allow_none=True)
    if frm is None and irm is None and ssim is None:
        raise ISMInputError("audit needs at least one printed matrix: frm=, irm= or ssim=.")
    notes: list[str] = []
    frames: dict[str, tuple[pd.DataFrame, str | None]] = {}
    for key, data in (("FRM", frm), ("IRM", irm), ("SSIM", ssim)):
        if data is None:
            continue
        if key == "SSIM" and hasattr(data, "to_frame") and not isinstance(data, pd.DataFrame):  # an SSIM object
            data = data.to_frame()
        frames[key] = _frame_from(data, key)
    labs: list[str] | None = [str(x).strip() for x in labels] if labels is not None else None
    if labs is None:  # the first table that carries labels names the factors of all
        for frame, _ in frames.values():
            if not (isinstance(frame.index, pd.RangeIndex) and isinstance(frame.columns, pd.RangeIndex)):
                labs = [str(x).strip() for x in frame.index]
                break

    printed = starred = None
    if "FRM" in frames:
        printed, starred, labs = _read_marks(*frames["FRM"], labs, "FRM", True)
    ref_irm = None
    if "IRM" in frames:
        irm_ones, _, labs = _read_marks(*frames["IRM"], labs, "IRM", False)
        ref_irm = irm_ones | np.eye(len(labs), dtype=bool)
    ssim_irm = None
    if "SSIM" in frames:
        ssim_irm, labs = _read_ssim(*frames["SSIM"], labs)
    assert labs is not None
    n = len(labs)
    eye = np.eye(n, dtype=bool)

    # --- SSIM -> IRM conversion check
    ssim_transposed: bool | None = None
    ssim_irm_differs = False
    if ssim_irm is not None:
        targets = []
        if ref_irm is not None:
            targets.append(("IRM", ref_irm, lambda m: m | eye))
        if printed is not None:
            targets.append(("FRM", printed, _closure))
        straight = any(np.array_equal(f(ssim_irm), t | eye) for _, t, f in targets)
        flipped = [name for name, t, f in targets if np.array_equal(f(ssim_irm.T), t | eye)]
        ssim_transposed = bool(flipped) and not straight
        if ssim_transposed:
            notes.append(
                f"the transposed SSIM reproduces the printed {' and '.join(flipped)}: "
                "V and A were converted the wrong way round."
            )
        if ref_irm is not None and not np.array_equal(ssim_irm, ref_irm):
            bad = int(np.sum(ssim_irm != ref_irm))
            ssim_irm_differs = True
            notes.append(f"the printed IRM differs from the printed SSIM's conversion in {bad} cell(s).")
        if ref_irm is None:
            ref_irm = ssim_irm.T if ssim_transposed else ssim_irm
    basis_name = "IRM" if irm is not None else "SSIM"

    # --- reachability: missing and spurious entries
    if printed is None:
        assert ref_irm is not None
        true = _closure(ref_irm)
        printed_or_true = true
    else:
        printed_or_true = printed
    missing_rows: list[dict[str, Any]] = []
    spurious_rows: list[dict[str, Any]] = []
    missing_diag: tuple[str, ...] = ()
    if printed is not None:
        missing_diag = tuple(labs[i] for i in range(n) if not printed[i, i])
        closed = _closure(printed)
        for i in range(n):
            for j in range(n):
                if i != j and closed[i, j] and not printed[i, j]:
                    chain = _shortest_chain(printed, i, j)
                    missing_rows.append(
                        {
                            "source": labs[i],
                            "target": labs[j],
                            "chain": " -> ".join(labs[k] for k in chain),
                            "basis": "printed FRM",
                        }
                    )
        if ref_irm is not None:
            assert starred is not None  # read together with printed
            truth = _closure(ref_irm)
            listed = {(r["source"], r["target"]) for r in missing_rows}
            for i in range(n):
                for j in range(n):
                    if i == j:
                        continue
                    if truth[i, j] and not printed[i, j] and (labs[i], labs[j]) not in listed:
                        chain = _shortest_chain(ref_irm, i, j)
                        missing_rows.append(
                            {
                                "source": labs[i],
                                "target": labs[j],
                                "chain": " -> ".join(labs[k] for k in chain),
                                "basis": f"printed {basis_name}",
                            }
                        )
                    mark = "1*" if starred[i, j] else "1"
                    if printed[i, j] and not truth[i, j]:
                        spurious_rows.append(
                            {
                                "source": labs[i],
                                "target": labs[j],
                                "printed": mark,
                                "kind": f"not implied by the printed {basis_name}",
                            }
                        )
                    elif printed[i, j] and starred[i, j] and ref_irm[i, j]:
                        spurious_rows.append(
                            {
                                "source": labs[i],
                                "target": labs[j],
                                "printed": mark,
                                "kind": f"marked 1* but direct in the printed {basis_name}",
                            }
                        )
                    elif printed[i, j] and not starred[i, j] and not ref_irm[i, j]:
                        spurious_rows.append(
                            {
                                "source": labs[i],
                                "target": labs[j],
                                "printed": mark,
                                "kind": f"printed 1 but only transitive (absent from the printed {basis_name})",
                            }
                        )
            true = truth
        else:
            true = closed
    missing = pd.DataFrame(missing_rows, columns=["source", "target", "chain", "basis"])
    spurious = pd.DataFrame(spurious_rows, columns=["source", "target", "printed", "kind"])

    # --- the true FRM, for the reader
    true_cells = np.where(true, "1", "0").astype(object)
    if ref_irm is not None:
        true_cells[true & ~ref_irm] = "1*"
    true_frm = pd.DataFrame(true_cells, index=labs, columns=labs)

    # --- levels
    true_level, true_steps = _partition(true)
    true_levels = pd.DataFrame({"level": true_level}, index=pd.Index(labs, name="factor"))
    printed_levels = pd.DataFrame(columns=["level"])
    flags: list[str] = ["ssim_irm_differs"] if ssim_irm_differs else []
    level_rows: list[dict[str, Any]] = []
    wrong_from: int | None = None
    match_printed: bool | None = None
    if levels is not None:
        given = _int_values(levels, "level", labs)
        printed_levels = pd.DataFrame({"level": pd.Series(given, dtype=object)}).reindex(labs).fillna("")
        flags.append("levels_checked")
        for lab, lev in given.items():
            t = int(true_level[labs.index(lab)])
            if lev != t:
                level_rows.append({"factor": lab, "printed_level": lev, "true_level": t})
        if level_rows:
            for k, step in enumerate(true_steps, start=1):
                checked = {labs[i] for i in step if labs[i] in given}
                printed_k = {lab for lab, lev in given.items() if lev == k}
                if checked != printed_k:
                    wrong_from = k
                    break
            if wrong_from is None:
                wrong_from = len(true_steps) + 1
            if printed is not None:
                pl, _ = _partition(printed)
                match_printed = all(int(pl[labs.index(lab)]) == lev for lab, lev in given.items())
            notes.extend(_upside_down(given, labs, true, printed))
        missing_levels = [lab for lab in labs if lab not in given]
        if missing_levels:
            notes.append(f"no printed level for {', '.join(missing_levels)}; not checked.")
    level_mismatches = pd.DataFrame(level_rows, columns=["factor", "printed_level", "true_level"])

    # --- powers
    power_rows: list[dict[str, Any]] = []
    frm_drv, frm_dep = printed_or_true.sum(axis=1), printed_or_true.sum(axis=0)
    true_drv, true_dep = true.sum(axis=1), true.sum(axis=0)
    printed_drv = _int_values(driving, "driving", labs) if driving is not None else {}
    printed_dep = _int_values(dependence, "dependence", labs) if dependence is not None else {}
    for kind, given, fs, ts in (
        ("driving", printed_drv, frm_drv, true_drv),
        ("dependence", printed_dep, frm_dep, true_dep),
    ):
        for lab, value in given.items():
            i = labs.index(lab)
            if value != int(fs[i]):
                power_rows.append(
                    {"factor": lab, "power": kind, "printed": value, "frm_sum": int(fs[i]), "true_sum": int(ts[i])}
                )
    power_mismatches = pd.DataFrame(power_rows, columns=["factor", "power", "printed", "frm_sum", "true_sum"])

    # --- clusters
    cluster_rows: list[dict[str, Any]] = []
    rules: list[str] = []
    if clusters is not None:
        frame = _mapping(clusters, "clusters", ["cluster"])
        given_c: dict[str, str] = {}
        problems = []
        for key, value in zip(frame.index, frame.iloc[:, 0]):
            lab, name = str(key).strip(), norm_cluster(value)
            if lab not in labs:
                problems.append(f"clusters: factor {lab!r} is not one of the matrix's factors.")
            elif name is None:
                problems.append(
                    f"cluster of {lab!r} is {value!r}; expected autonomous, dependent, linkage, independent (or I-IV)."
                )
            else:
                given_c[lab] = name
        if problems:
            raise ISMInputError(problems)
        flags.append("clusters_checked")
        drv = np.array([printed_drv.get(lab, int(frm_drv[i])) for i, lab in enumerate(labs)], dtype=float)
        dep = np.array([printed_dep.get(lab, int(frm_dep[i])) for i, lab in enumerate(labs)], dtype=float)
        candidates: list[tuple[str, float, float]] = []
        if micmac_threshold is not None:
            candidates.append(
                (f"printed number {micmac_threshold:g}", float(micmac_threshold), float(micmac_threshold))
            )
        candidates += [
            ("n/2", n / 2, n / 2),
            ("mean", float(dep.mean()), float(drv.mean())),
            ("median", float(np.median(dep)), float(np.median(drv))),
        ]
        for rule, b_dep, b_drv in candidates:
            for strict in (True, False):
                got = _clusters_for(drv, dep, b_dep, b_drv, strict)
                if all(got[labs.index(lab)] == c for lab, c in given_c.items()):
                    rules.append(f"{rule} ({'above' if strict else 'at or above'} the boundary is high)")
        rule, b_dep, b_drv = candidates[0]
        expected = _clusters_for(drv, dep, b_dep, b_drv, True)
        for lab, c in given_c.items():
            if expected[labs.index(lab)] != c:
                cluster_rows.append({"factor": lab, "printed": c, "expected": expected[labs.index(lab)], "rule": rule})
        if cluster_rows and rules:
            notes.append(f"the printed clusters follow another boundary rule than {rule}: {rules[0]}.")
            if micmac_threshold is None:  # no rule stated: a standard rule that reproduces them is fine
                cluster_rows = []
    cluster_mismatches = pd.DataFrame(cluster_rows, columns=["factor", "printed", "expected", "rule"])

    tables = {
        "missing": missing,
        "spurious": spurious,
        "level_mismatches": level_mismatches,
        "power_mismatches": power_mismatches,
        "cluster_mismatches": cluster_mismatches,
        "true_frm": true_frm,
        "true_levels": true_levels,
        "printed_levels": printed_levels,
        "flags": pd.DataFrame(index=pd.Index(flags)),
    }
    return AuditReport(
        labels=tuple(labs),
        missing_diagonal=missing_diag,
        levels_wrong_from=wrong_from,
        levels_match_printed_frm=match_printed,
        cluster_rules=tuple(rules),
        ssim_transposed=ssim_transposed,
        notes=tuple(notes),
        _tables=tables,
    )
