"""Small matrices and stacks: Warshall's algorithm on bit rows, generations by peeling sinks (private)."""

from __future__ import annotations

import numpy as np

from ..exceptions import ISMInputError
from ._bits import _U64_ONE, _bit_tables, _pack_rows, _unpack_rows

#: the condensation path is used (crossover measured on a 2-core machine).
DENSE_MAX_N: int = 48
#: Largest ``n`` of a single matrix closed by repeated boolean squaring (float32
#: matrix products, at most ceil(log2(n)) + 1 of them): the cheapest exact kernel
#: for small studies (measured against the numpy Warshall loop, see
#: ``docs/performance.md``; above about 100, OpenBLAS starts threads for a product
#: and the fixed cost jumps).
SMALL_MAX_N: int = 100
#: Largest ``n`` of a single matrix whose levels are found on the dense path
#: (sink peeling); above it, the transitivity-checking skip-OR pass.
LEVELS_DENSE_MAX_N: int = 256
#: Largest ``n`` of a stack ``(b, n, n)`` handled by the dense path, vectorised
#: over the whole stack; larger matrices of a stack go one by one.
STACK_DENSE_MAX_N: int = 512


def _pack_reflexive(a: np.ndarray) -> np.ndarray:
    """Bit rows (b, n, w) of a stack of boolean matrices, diagonal set."""
    p = _pack_rows(a)
    n = a.shape[-1]
    node_word, node_bit = _bit_tables(n)
    p[:, np.arange(n), node_word] |= node_bit
    return p


def _table_pass(p: np.ndarray, n: int, out: np.ndarray, closure: bool) -> None:
    """Boolean product of bit rows by blocks of columns ("four Russians" tables).

    ``p`` and ``out`` are laid out (n, b, w): row, matrix of the stack, word.
    For every block of ``beta`` columns a table of the ORs of the block's rows
    over all ``2**beta`` subsets is built (for every matrix at once); every row
    then ORs in the entry picked by its own bits in that block.

    ``closure=True`` (``out is p``): Warshall's algorithm, block by block, with
    the block's rows first closed among themselves: ``p`` becomes its
    transitive closure. ``closure=False``: ``out |= p @ p`` (one boolean
    squaring; ``p`` unchanged).
    """
    _, b, w = p.shape
    beta = 4 if n <= 128 else 8
    size = 1 << beta
    mask = np.uint64(size - 1)
    table = np.zeros((size, b, w), dtype=np.uint64)
    if w == 1:
        flat = table.reshape(size * b)
    elif w == 2:
        flat = table.reshape(size * b, 2).view(np.complex128).reshape(size * b)
    else:
        flat = table.reshape(size * b, w)
    base = np.arange(b, dtype=np.intp)
    for k0 in range(0, n, beta):
        k1 = min(n, k0 + beta)
        word, shift = k0 >> 6, np.uint64(k0 & 63)
        blk = p[k0:k1]
        if closure:
            for t in range(k1 - k0):
                has = (blk[:, :, word] >> np.uint64((k0 + t) & 63)) & _U64_ONE
                blk |= np.negative(has.view(np.int64)).view(np.uint64)[:, :, None] & blk[t]
        for t in range(k1 - k0):
            h = 1 << t
            np.bitwise_or(table[:h], blk[t], out=table[h : 2 * h])
        idx = ((p[:, :, word] >> shift) & mask).astype(np.intp)
        idx *= b
        idx += base
        got = flat[idx]
        if w == 2:
            got = got.view(np.uint64).reshape(out.shape)
        elif w == 1:
            got = got[:, :, None]
        out |= got


def _closure_dense(a: np.ndarray) -> np.ndarray:
    """Closure of a stack (b, n, n) of boolean matrices; new boolean array."""
    n = a.shape[-1]
    if a.shape[0] == 0 or n == 0:
        return np.zeros(a.shape, dtype=bool)
    p = np.ascontiguousarray(_pack_reflexive(a).transpose(1, 0, 2))
    _table_pass(p, n, p, closure=True)
    return _unpack_rows(p.transpose(1, 0, 2), n)


def _generations_dense(r: np.ndarray) -> np.ndarray:
    """Levels of a stack (b, n, n) of reflexive transitive matrices.

    Peels the sinks (no strict successor left) of all matrices at once, one
    level per round; bit sets laid out (n, b) per word.
    """
    b, n, _ = r.shape
    levels = np.zeros((b, n), dtype=np.int64)
    if b == 0 or n == 0:
        return levels
    strict = _pack_rows(np.greater(r, np.swapaxes(r, -1, -2)))  # (b, n, w)
    w = strict.shape[-1]
    sw = [np.ascontiguousarray(strict[:, :, k].T) for k in range(w)]  # (n, b) each
    del strict
    rem = np.ones((n, b), dtype=bool)
    lev = np.zeros((n, b), dtype=np.int64)
    ids = np.arange(b)
    while True:
        lev += rem
        remw = _pack_rows(rem.T)  # (b', w)
        blocked = (sw[0] & remw[:, 0]) != 0
        for k in range(1, w):
            blocked |= (sw[k] & remw[:, k]) != 0
        rem &= blocked
        alive = rem.any(axis=0)
        n_alive = int(np.count_nonzero(alive))
        if n_alive == 0:
            break
        if n_alive < 0.75 * ids.size:
            done = ~alive
            levels[ids[done]] = lev[:, done].T
            ids = ids[alive]
            sw = [x[:, alive] for x in sw]
            rem, lev = rem[:, alive], lev[:, alive]
    levels[ids] = lev.T
    return levels


def _check_transitive_dense(r: np.ndarray, name: str) -> np.ndarray:
    """Reflexive copy of a stack (b, n, n); raises when a matrix is not transitive."""
    n = r.shape[-1]
    rr = r.copy()
    diag = np.arange(n)
    rr[:, diag, diag] = True
    if rr.shape[0] and n > 1:
        p = np.ascontiguousarray(_pack_reflexive(r).transpose(1, 0, 2))
        two_steps = p.copy()
        _table_pass(p, n, two_steps, closure=False)
        bad_rows = (two_steps != p).any(axis=-1).T
        p, two_steps = p.transpose(1, 0, 2), two_steps.transpose(1, 0, 2)
        if bad_rows.any():
            bidx, i = (int(x) for x in np.argwhere(bad_rows)[0])
            m = rr[bidx]
            k = int(np.flatnonzero(_unpack_rows(two_steps[bidx, i] & ~p[bidx, i], n))[0])
            j = int(np.flatnonzero(m[i] & m[:, k])[0])
            where = f" (matrix {bidx} of the stack)" if r.shape[0] > 1 else ""
            raise ISMInputError(
                f"{name}{where} is not transitive: {i}->{j}->{k} but not {i}->{k} "
                "(is it the initial reachability matrix? use transitive_closure first)."
            )
    return rr


def _closure_small(a: np.ndarray) -> np.ndarray:
    """Closure of one small (n, n) boolean matrix by repeated squaring; new boolean array.

    ``R <- R R`` (as float32 products, counts clipped to 1 so nothing overflows)
    until it stops changing: paths double in length each round, so at most
    ceil(log2(n)) + 1 products.
    """
    n = a.shape[0]
    r = a.copy()
    r.flat[:: n + 1] = True
    if n < 3:
        return r
    f = r.astype(np.float32)
    g = np.empty_like(f)
    while True:
        np.matmul(f, f, out=g)
        nxt = g > 0
        if np.array_equal(nxt, r):
            return r
        r = nxt
        np.minimum(g, 1, out=f)



def _generations_small(r: np.ndarray, name: str) -> np.ndarray:
    """Levels of one small (n, n) matrix (diagonal taken as 1); raises when it is not transitive.

    Transitivity: one float32 product, ``R R`` must not exceed ``R``. Levels:
    ``level = 1 + max level of the strict successors`` (``R and not R.T``),
    iterated from all ones, one vectorised step per level on bytes.
    """
    n = r.shape[0]
    rr = r.copy()
    rr.flat[:: n + 1] = True
    f = rr.astype(np.float32)
    if n > 2 and ((f @ f > 0) & ~rr).any():
        _check_transitive_dense(rr[None], name)  # raises, naming a chain i->j->k
    dtype = np.uint8 if n < 255 else np.int64
    strict = (rr & ~rr.T).view(np.uint8).astype(dtype)
    level = np.ones(n, dtype=dtype)
    while True:
        nxt = (strict * level).max(axis=1, initial=0)
        nxt += 1
        if np.array_equal(nxt, level):
            return level.astype(np.int64)
        level = nxt
