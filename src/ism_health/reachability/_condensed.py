"""Large matrices: strong components, then one pass over the condensation (private).

See the package docstring for the method; every function here works on a plain
square boolean ndarray (n >= 1) already validated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from ..exceptions import ISMInputError
from ._bits import _bit_tables, _n_words, _pack_rows, _popcount_rows, _unpack_rows
from ._dense import DENSE_MAX_N

# contracted along the strong components of a sampled sub-graph.
_CONTRACT_DENSITY = 0.125
# Number of sampled elements whose in- and out-edges form that sub-graph.
_CONTRACT_SAMPLE = 64
# First chunk of successors OR-ed at once in the skip-OR pass (then doubling).
_SKIP_CHUNK = 16
# Largest n for which the adjacency is also kept as bit rows (n**2 / 8 bytes).
_ADJ_BITS_MAX_N = 16384
# Levels with at least this many single-element components are done together.
_BATCH_MIN = 8
# Components of one level done together: at most this many (count x n) cells.
_BATCH_CELLS = 1 << 21
# Bytes of rows gathered at once when OR-ing a band of successors.
_GATHER_BYTES = 1 << 20
# Acyclic inputs (every component a single element) with at least this many
# elements take the blocked pass (:func:`_closure_blocked`); it was faster than
# the per-component pass at every n measured (100 to 10,000), so this is only a
# switch (the tests raise it to reach the per-component pass with acyclic inputs).
_BLOCKED_MIN_N = 1
# Consecutive topological positions done together by the blocked pass (<= 64).
_BLOCK = 64
# Nearest earlier positions whose rows a block ORs in first, before the coverage test.
_BAND = 64
# Above this many uncovered successors per row of a block, those of highest level go first.
_PRUNE_PER_ROW = 64


@dataclass(frozen=True)
class _Condensed:
    """Closure of a graph on its condensation.

    comp : (n,) int64, strong component of every element; an edge between two
        components always goes from a higher label to a lower one.
    rows : (C, w) uint64, reachability row of every component over elements.
    level : (C,) int64, 1 + longest path (in components) to a sink component.
    """

    comp: np.ndarray
    rows: np.ndarray
    level: np.ndarray


def _csr_arrays(a: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR index arrays (int32 where possible) of a dense boolean matrix, by row blocks."""
    n = a.shape[0]
    nnz = int(counts.sum())
    itype = np.int32 if nnz < 2**31 - 1 else np.int64
    indptr = np.zeros(n + 1, dtype=itype)
    np.cumsum(counts, out=indptr[1:])
    indices = np.empty(nnz, dtype=np.int32)
    step = max(1, (1 << 20) // max(n, 1))
    for r0 in range(0, n, step):
        r1 = min(n, r0 + step)
        flat = np.flatnonzero(a[r0:r1]).astype(np.int32)
        np.remainder(flat, np.int32(n), out=indices[indptr[r0] : indptr[r1]])
    return indptr, indices


def _strong_components(n: int, indptr: np.ndarray, indices: np.ndarray) -> tuple[int, np.ndarray]:
    # scipy reads only the structure; a read-only broadcast 1.0 spares the float64 copy
    ones = np.broadcast_to(np.float64(1.0), (indices.size,))
    g = csr_matrix((ones, indices, indptr), shape=(n, n))
    k, labels = connected_components(g, directed=True, connection="strong")
    return int(k), labels.astype(np.int64)


def _labels_are_topological(indptr: np.ndarray, counts: np.ndarray, indices: np.ndarray, comp: np.ndarray) -> bool:
    """True when no edge goes from a component to a higher-labelled one (by row blocks)."""
    n = counts.size
    comp32 = comp.astype(np.int32)
    step = max(1, (1 << 22) // max(n, 1))
    for r0 in range(0, n, step):
        r1 = min(n, r0 + step)
        rows = np.flatnonzero(counts[r0:r1]) + r0
        if rows.size == 0:
            continue
        lo = int(indptr[r0])
        cidx = comp32[indices[lo : int(indptr[r1])]]
        rowmax = np.maximum.reduceat(cidx, indptr[rows].astype(np.int64) - lo)
        if np.any(rowmax > comp32[rows]):
            return False
    return True


def _topological_labels(
    n: int, indptr: np.ndarray, indices: np.ndarray, comp: np.ndarray, k: int
) -> np.ndarray:
    """Relabel components so that every edge goes from a higher to a lower label.

    Kahn's algorithm by rounds, peeling the sink components of the condensation.
    (scipy's labels already have this property; this is the safety net.)
    """
    src = comp[np.repeat(np.arange(n), np.diff(indptr))]
    dst = comp[indices]
    keep = src != dst
    q = csr_matrix((np.ones(int(keep.sum()), dtype=np.int8), (src[keep], dst[keep])), shape=(k, k))
    q.sum_duplicates()
    outdeg = np.diff(q.indptr).astype(np.int64)
    qt = q.T.tocsr()
    new = np.empty(k, dtype=np.int64)
    frontier = np.flatnonzero(outdeg == 0)
    nxt = 0
    while frontier.size:
        new[frontier] = np.arange(nxt, nxt + frontier.size)
        nxt += frontier.size
        preds = np.concatenate([qt.indices[qt.indptr[f] : qt.indptr[f + 1]] for f in frontier.tolist()])
        np.subtract.at(outdeg, preds, 1)
        cand = np.unique(preds)
        frontier = cand[outdeg[cand] == 0]
    return new[comp]


def _quotient(a: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Dense (k, k) adjacency between groups of elements (OR over each block)."""
    n = a.shape[0]
    order = np.argsort(labels, kind="stable")
    sl = labels[order]
    starts = np.flatnonzero(np.r_[True, sl[1:] != sl[:-1]])
    packed = np.packbits(a, axis=1)
    block_rows = np.bitwise_or.reduceat(packed[order], starts, axis=0)
    del packed
    u = np.unpackbits(block_rows, axis=1, count=n).view(bool)
    return np.logical_or.reduceat(u[:, order], starts, axis=1)


def _try_contract(a: np.ndarray) -> _Condensed | None:
    """Contract a dense graph along strong components of a sampled sub-graph.

    The sub-graph holds every edge into or out of a spread sample of elements;
    its strong components are strongly connected in ``a`` too, so contracting
    them keeps reachability exact. Returns None when it contracts too little.
    """
    n = a.shape[0]
    s = np.unique(np.linspace(0, n - 1, min(n, _CONTRACT_SAMPLE)).astype(np.int64))
    r_out, c_out = np.nonzero(a[s])
    r_in, c_in = np.nonzero(a[:, s])
    src = np.concatenate([s[r_out], r_in])
    dst = np.concatenate([c_out, s[c_in]])
    h = csr_matrix((np.ones(src.size), (src, dst)), shape=(n, n))
    k, labels = connected_components(h, directed=True, connection="strong")
    if k > n // 2:
        return None
    q = _quotient(a, labels, int(k))
    sub = _condense(q)
    comp = sub.comp[labels]
    rows = _pack_rows(_unpack_rows(sub.rows, int(k))[:, labels])
    return _Condensed(comp=comp, rows=rows, level=sub.level)


def _skip_or(acc: np.ndarray, rows: np.ndarray, succ: np.ndarray, rep: np.ndarray, n: int) -> None:
    """OR into ``acc`` the rows ``rows[succ]`` (best first), skipping covered ones.

    A successor whose representative element is already in ``acc`` is reached
    through a row OR-ed before, so its own row adds nothing.
    """
    k = _SKIP_CHUNK
    rem = succ
    while True:
        acc |= np.bitwise_or.reduce(rows[rem[:k]], axis=0)
        rem = rem[k:]
        if not rem.size:
            return
        bits = _unpack_rows(acc, n)
        rem = rem[~bits[rep[rem]]]
        if not rem.size:
            return
        k *= 2


def _groups(labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Elements sorted by label (stable) and the start of each label's run (k + 1)."""
    order = np.argsort(labels, kind="stable")
    starts = np.searchsorted(labels[order], np.arange(k + 1))
    return order, starts


def _condense(a: np.ndarray) -> _Condensed:
    """Strong components, levels and closure rows of a square boolean matrix (n >= 1)."""
    n = a.shape[0]
    counts = a.view(np.uint8).sum(axis=1, dtype=np.int32)  # (count_nonzero by rows is slower)
    if n > DENSE_MAX_N and int(counts.sum()) > _CONTRACT_DENSITY * n * n:
        res = _try_contract(a)
        if res is not None:
            return res
    indptr, indices = _csr_arrays(a, counts)
    k, comp = _strong_components(n, indptr, indices)
    if k == n and n >= _BLOCKED_MIN_N:  # acyclic: blocks of topological positions
        del indptr, indices  # (one int32 per edge: freed before the rows are made)
        res = _closure_blocked(a, comp)
        if res is None:  # the labels were not topological (never seen with scipy)
            indptr, indices = _csr_arrays(a, counts)
            res = _closure_blocked(a, _topological_labels(n, indptr, indices, comp, k))
        assert res is not None
        return res
    if not _labels_are_topological(indptr, counts, indices, comp):
        comp = _topological_labels(n, indptr, indices, comp, k)
    # successor components, written over the successor elements (no second copy)
    comp32 = comp.astype(np.int32)
    for e0 in range(0, indices.size, 1 << 22):
        indices[e0 : e0 + (1 << 22)] = comp32[indices[e0 : e0 + (1 << 22)]]
    cidx = indices
    del indices
    level = _condensation_levels(indptr, cidx, comp, k)
    del cidx, indptr
    # relabel by (level, label): still topological, and a row of ``a`` read in
    # label order then lists successors by level; components of one level are
    # contiguous labels and never reach each other
    perm = np.lexsort((np.arange(k), level))
    new_of_old = np.empty(k, dtype=np.int64)
    new_of_old[perm] = np.arange(k)
    comp = new_of_old[comp]
    level = level[perm]
    rows = _closure_pass(a, comp, level, k)
    return _Condensed(comp=comp, rows=rows, level=level)


def _segment_starts(seg: np.ndarray) -> np.ndarray:
    """Start of every run of equal values of a sorted array (non-empty)."""
    return np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]])


def _or_max_segments(acc, lout, rows, level, seg, lab) -> None:
    """``acc[s] |= OR rows[lab]`` and ``lout[s] = max(lout[s], max level[lab])`` over
    each run of equal ``seg`` (sorted), gathering at most about _GATHER_BYTES at once."""
    first = _segment_starts(seg)
    limit = max(1, _GATHER_BYTES // (8 * rows.shape[1]))
    if seg.size <= limit:
        s = seg[first]
        acc[s] |= np.bitwise_or.reduceat(rows[lab], first, axis=0)
        lout[s] = np.maximum(lout[s], np.maximum.reduceat(level[lab], first))
        return
    ends = np.r_[first[1:], seg.size]
    i, nseg = 0, first.size
    while i < nseg:
        j = max(i + 1, int(np.searchsorted(first, first[i] + limit, side="right")))
        lo, hi = int(first[i]), int(ends[j - 1])
        s = seg[first[i:j]]
        part = lab[lo:hi]
        acc[s] |= np.bitwise_or.reduceat(rows[part], first[i:j] - lo, axis=0)
        lout[s] = np.maximum(lout[s], np.maximum.reduceat(level[part], first[i:j] - lo))
        i = j


def _closure_blocked(a: np.ndarray, comp: np.ndarray) -> _Condensed | None:
    """Closure rows and levels of an acyclic graph, blocks of topological positions at a time.

    ``comp`` labels the n elements 0..n-1 (every component a single element),
    every edge expected to go from a higher label to a lower one; returns None
    when some edge does not (the labels are then not topological).

    For a block of ``_BLOCK`` consecutive labels, the rows of all earlier labels
    are final. The outside part of each row of the block (``acc``) is the OR of
    the rows of its direct successors outside the block: first those among the
    ``_BAND`` nearest earlier labels, then, found from the adjacency bit rows,
    the successors still not inside ``acc`` (a covered successor's row is
    already inside: ``acc`` is a union of closed rows). Inside the block, the
    closure ``T`` of the block's own edges (bit sets of at most 64 bits, made
    in order) gives every row as the OR of ``acc`` over ``T``'s row. The level
    of a component is 1 + the highest level of its successors; the OR-ed successors
    always include one of highest level (a covered successor lies below an
    OR-ed one), and inside the block levels follow the block's edges in order.
    """
    n = a.shape[0]
    w = _n_words(n)
    elems = np.empty(n, dtype=np.int64)
    elems[comp] = np.arange(n)
    node_word, node_bit = _bit_tables(n)
    rows = np.zeros((n, w), dtype=np.uint64)
    rows[np.arange(n), node_word[elems]] = node_bit[elems]
    level = np.ones(n, dtype=np.int64)
    bsz = max(1, min(64, _BLOCK))
    for c0 in range(0, n, bsz):
        c1 = min(n, c0 + bsz)
        b = c1 - c0
        blk_elems = elems[c0:c1]
        lo = max(0, c0 - _BAND)
        arows = a[blk_elems]
        sub = arows[:, elems[lo:c1]]  # (b, band + b): band, then the block itself
        own = rows[c0:c1]
        acc = own.copy()
        lout = np.zeros(b, dtype=np.int64)
        if c0 > lo:
            flat = np.flatnonzero(sub[:, : c0 - lo])
            if flat.size:
                seg, lab = np.divmod(flat, c0 - lo)
                lab += lo
                _or_max_segments(acc, lout, rows, level, seg, lab)
        # successors not yet covered (outside the block); this also finds any
        # edge to a later label
        left = _pack_rows(arows) & ~acc
        left &= ~np.bitwise_or.reduce(own, axis=0)
        lw = left.ravel()
        wi = np.flatnonzero(lw)
        if wi.size:
            bits = np.flatnonzero(np.unpackbits(lw[wi].view(np.uint8), bitorder="little").view(bool))
            widx = wi[bits >> 6]
            seg = widx // w
            lab = comp[(widx - seg * w) * 64 + (bits & 63)]
            if lab.max() >= c0:
                return None
            if seg.size > _PRUNE_PER_ROW * b:
                # many: OR first those on their row's highest level, then only
                # the ones that are still not covered
                lv = level[lab]
                first = _segment_starts(seg)
                top = np.repeat(np.maximum.reduceat(lv, first), np.diff(np.r_[first, seg.size]))
                sel = lv == top
                _or_max_segments(acc, lout, rows, level, seg[sel], lab[sel])
                seg, lab = seg[~sel], lab[~sel]
                e = elems[lab]
                keep = (acc[seg, node_word[e]] & node_bit[e]) == 0
                seg, lab = seg[keep], lab[keep]
            if seg.size:
                _or_max_segments(acc, lout, rows, level, seg, lab)
        flat = np.flatnonzero(sub[:, c0 - lo :])
        si, sj = np.divmod(flat, b)
        if (sj > si).any():
            return None
        # inside the block, in order (an edge i -> j has j < i): levels, and the
        # closure of the block's edges as one Python int of b bits per row
        lev = (lout + 1).tolist()
        reach = [1 << i for i in range(b)]
        for i, j in zip(si.tolist(), sj.tolist()):
            if i != j:
                reach[i] |= reach[j]
                if lev[j] >= lev[i]:
                    lev[i] = lev[j] + 1
        level[c0:c1] = lev
        if flat.size:
            tbits = np.unpackbits(np.array(reach, dtype=np.uint64).view(np.uint8), bitorder="little").view(bool)
            seg, d = np.divmod(np.flatnonzero(tbits), 64)
            rows[c0:c1] = np.bitwise_or.reduceat(acc[d], _segment_starts(seg), axis=0)
        else:
            rows[c0:c1] = acc
    return _Condensed(comp=comp, rows=rows, level=level)


def _condensation_levels(indptr: np.ndarray, cidx: np.ndarray, comp: np.ndarray, k: int) -> np.ndarray:
    """1 + longest path to a sink of every component (labels topological, sinks low)."""
    level = np.zeros(k, dtype=np.int64)
    order, starts = _groups(comp, k)
    ip, st, ol = indptr.tolist(), starts.tolist(), order.tolist()
    for c in range(k):
        s0, s1 = st[c], st[c + 1]
        if s1 - s0 == 1:
            u = ol[s0]
            sc = cidx[ip[u] : ip[u + 1]]
        else:
            sc = np.concatenate([cidx[ip[u] : ip[u + 1]] for u in ol[s0:s1]])
        level[c] = level[sc].max() + 1 if sc.size else 1  # own label still has level 0
    return level


def _closure_pass(a: np.ndarray, comp: np.ndarray, level: np.ndarray, k: int) -> np.ndarray:
    """Closure rows (k, w) of the components, labels sorted by level (sinks first).

    Components of one level that are all single elements are done together
    (:func:`_level_batch`); otherwise one component at a time: a row of ``a``
    read in label order lists the successors sorted, and they are OR-ed
    highest level first, skipping those already covered (:func:`_skip_or`).
    """
    n = a.shape[0]
    node_word, node_bit = _bit_tables(n)
    rows = np.zeros((k, _n_words(n)), dtype=np.uint64)
    np.bitwise_or.at(rows, (comp, node_word), node_bit)
    by_pos, starts = _groups(comp, k)
    rep = by_pos[starts[:-1]]
    singletons = k == n
    pos2comp = comp[by_pos]
    st, bp = starts.tolist(), by_pos.tolist()
    level_start = np.searchsorted(level, np.arange(int(level[-1]) + 2)).tolist()
    sizes = np.diff(starts)
    chunk = max(8, min(4096, _BATCH_CELLS // n))
    # adjacency bit rows, to test in a few word operations whether every successor
    # is covered (single-element components; skipped for very large n to save memory)
    adjp = _pack_rows(a) if singletons and n <= _ADJ_BITS_MAX_N else None
    for lev in range(2, int(level[-1]) + 1):
        g0, g1 = level_start[lev], level_start[lev + 1]
        if g1 - g0 >= _BATCH_MIN and (singletons or bool((sizes[g0:g1] == 1).all())):
            for h0 in range(g0, g1, chunk):
                _level_batch(a, rows, rep, by_pos, pos2comp, singletons, level_start, lev, h0, min(g1, h0 + chunk))
            continue
        for c in range(g0, g1):
            s0, s1 = st[c], st[c + 1]
            if adjp is not None:
                _one_element_row(a, adjp, rows, comp, by_pos, bp[s0], c, g0, rep, n)
                continue
            if s1 - s0 == 1:
                s = a[bp[s0]][by_pos].nonzero()[0]
            else:
                s = _union_of_rows(a, by_pos[s0:s1])[by_pos].nonzero()[0]
            if not singletons:
                s = pos2comp[s]
            s = s[: np.searchsorted(s, g0)]  # successors are on lower levels
            if s.size:
                _skip_or(rows[c], rows, s[::-1], rep, n)
    return rows


def _one_element_row(a, adjp, rows, comp, by_pos, u, c, g0, rep, n) -> None:
    """Closure row of component ``c`` = element ``u``: OR the nearest successors'
    rows, then, if some successor is still not covered, the rows of those left
    (all at once when they are few, else by the skip-OR rounds)."""
    s = a[u][by_pos].nonzero()[0]
    if s.size and s[-1] >= g0:  # a self-loop: the only label not below g0 is c
        s = s[:-1]
    if not s.size:
        return
    acc = rows[c]
    acc |= np.bitwise_or.reduce(rows[s[-_SKIP_CHUNK:]], axis=0)
    if s.size <= _SKIP_CHUNK:
        return
    left = adjp[u] & ~acc
    if not left.any():
        return
    nodes = np.flatnonzero(_unpack_rows(left, n))
    if nodes.size <= 2 * _SKIP_CHUNK:
        acc |= np.bitwise_or.reduce(rows[comp[nodes]], axis=0)
    else:
        _skip_or(acc, rows, s[-_SKIP_CHUNK - 1 :: -1], rep, n)


def _or_segments(acc: np.ndarray, rows: np.ndarray, seg: np.ndarray, lab: np.ndarray) -> None:
    """``acc[s] |= OR of rows[lab]`` over each run of equal ``seg`` (sorted), in bounded pieces."""
    first = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]])
    limit = max(1, _GATHER_BYTES // (8 * rows.shape[1]))
    if seg.size <= limit:
        acc[seg[first]] |= np.bitwise_or.reduceat(rows[lab], first, axis=0)
        return
    ends = np.r_[first[1:], seg.size]
    i, nseg = 0, first.size
    while i < nseg:
        j = max(i + 1, int(np.searchsorted(first, first[i] + limit, side="right")))
        lo, hi = int(first[i]), int(ends[j - 1])
        acc[seg[first[i:j]]] |= np.bitwise_or.reduceat(rows[lab[lo:hi]], first[i:j] - lo, axis=0)
        i = j


def _level_batch(a, rows, rep, by_pos, pos2comp, singletons, level_start, lev, g0, g1) -> None:
    """Closure rows of components g0..g1-1 (one level, single elements), together.

    Their successors (lower levels) are taken in bands of levels, nearest band
    first, the band doubling in width; after each band the successors already
    covered by some accumulated row are dropped.
    """
    n = a.shape[0]
    lo0 = level_start[lev]
    nodes = rep[g0:g1]
    if singletons:
        succ = a[nodes][:, by_pos[:lo0]]
    else:
        succ = np.zeros((g1 - g0, lo0), dtype=bool)
        cols = a[nodes][:, by_pos]
        succ_pos = np.nonzero(cols)
        lab = pos2comp[succ_pos[1]]
        keep = lab < lo0
        succ[succ_pos[0][keep], lab[keep]] = True
    seg, lab = np.nonzero(succ)
    del succ
    acc = rows[g0:g1]
    top, width = lev - 1, 1
    while seg.size:
        low = max(1, top - width + 1)
        sel = lab >= level_start[low]
        s1, l1 = seg[sel], lab[sel]
        if s1.size:
            _or_segments(acc, rows, s1, l1)
        if low == 1:
            return
        keep = ~sel
        seg, lab = seg[keep], lab[keep]
        if not seg.size:
            return
        bits = _unpack_rows(acc, n)
        keep = ~bits[seg, rep[lab]]
        seg, lab = seg[keep], lab[keep]
        top, width = low - 1, width * 2


def _union_of_rows(a: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """OR of the given rows of ``a`` (by blocks, so memory stays O(n))."""
    n = a.shape[1]
    step = max(1, (1 << 22) // max(n, 1))
    acc = np.zeros(n, dtype=bool)
    for r0 in range(0, rows.size, step):
        acc |= a[rows[r0 : r0 + step]].any(axis=0)
    return acc


def _generations_closed(r: np.ndarray, name: str) -> np.ndarray:
    """Levels of one large (n, n) final reachability matrix; checks transitivity.

    In a reflexive transitive matrix the components are the classes of equal
    rows and a strict successor has a strictly smaller row sum, so labelling
    the classes by row sum gives a topological order. The skip-OR pass over
    that order rebuilds each row from its successors' rows: the matrix is
    transitive exactly when every rebuilt row equals the given one.
    """
    n = r.shape[0]
    p = _pack_rows(r)
    node_word, node_bit = _bit_tables(n)
    p[np.arange(n), node_word] |= node_bit  # reflexive
    void = np.ascontiguousarray(p).view(np.dtype((np.void, p.shape[1] * 8))).ravel()
    _, first, cls = np.unique(void, return_index=True, return_inverse=True)
    del void
    cls = cls.ravel()
    crow = p[first]
    del p
    k = crow.shape[0]
    rs = _popcount_rows(crow)
    perm = np.lexsort((np.arange(k), rs))  # ascending row sum
    new_of_old = np.empty(k, dtype=np.int64)
    new_of_old[perm] = np.arange(k)
    cls = new_of_old[cls]
    crow = crow[perm]
    rs = rs[perm]
    by_pos, starts = _groups(cls, k)
    rep = by_pos[starts[:-1]]
    pos2cls = cls[by_pos]
    rows = np.zeros_like(crow)
    np.bitwise_or.at(rows, (cls, node_word), node_bit)
    level = np.zeros(k, dtype=np.int64)
    singletons = k == n
    rp = rep.tolist()
    for c in range(k):
        i = rp[c]
        s = np.flatnonzero(r[i][by_pos])
        if not singletons:
            s = pos2cls[s]
        cut = np.searchsorted(s, c)
        succ = s[:cut]
        if s.size > cut and s[-1] > c or succ.size and rs[succ[-1]] >= rs[c]:
            _not_transitive(r, cls, crow, c, s[s != c], rep, name)
        if succ.size:
            level[c] = level[succ].max() + 1
            _skip_or(rows[c], rows, succ[::-1], rep, n)
            if not np.array_equal(rows[c], crow[c]):
                _not_transitive(r, cls, crow, c, succ, rep, name)
        else:
            level[c] = 1
    return level[cls]


def _not_transitive(r, cls, crow, c, succ, rep, name) -> None:
    """Raise ISMInputError naming a chain i->j->k of ``r`` with i->k missing."""
    n = r.shape[0]
    i = int(rep[c])
    for d in np.unique(succ).tolist():
        miss = crow[d] & ~crow[c]
        if miss.any():
            k = int(np.flatnonzero(_unpack_rows(miss, n))[0])
            j = int(np.flatnonzero(r[i] & (cls == d))[0])
            raise ISMInputError(
                f"{name} is not transitive: {i}->{j}->{k} but not {i}->{k} "
                "(is it the initial reachability matrix? use transitive_closure first)."
            )
    raise AssertionError("internal error: transitivity violation not located")  # pragma: no cover


def _closure_large(a: np.ndarray) -> np.ndarray:
    res = _condense(a)
    n = a.shape[0]
    if res.rows.shape[0] < n:
        return _unpack_rows(res.rows, n)[res.comp]
    return _unpack_rows(res.rows[res.comp], n)
