"""Levels of the closures this process computed, recognised by content (private).

:func:`ism_health.reachability.transitive_closure` gets the levels of a large
matrix for free (the condensation pass computes them with the rows). A caller
who then asks for the levels of that final reachability matrix
(``level_partition(transitive_closure(a))``, ``canonical_matrix``,
``ism_digraph``, ...) would pay a second pass only to validate it. The pass
keeps the packed closure here; a matrix whose bits are *identical* (compared
bit for bit, not by hash alone) is known to be transitive and gets the stored
levels. Any other matrix is validated and levelled from scratch.

Bounded: at most ``MEMO_ENTRIES`` matrices and ``MEMO_BYTES`` bytes (least
recently used dropped first); matrices with ``n < MEMO_MIN_N`` are not kept
(their own pass is cheaper than packing). Thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from ._bits import _bit_tables, _pack_rows

#: Smallest n whose closure is remembered.
MEMO_MIN_N: int = 257
#: Most closures remembered at once.
MEMO_ENTRIES: int = 8
#: Most bytes of packed closures remembered at once (n**2 / 8 bytes each).
MEMO_BYTES: int = 64 << 20

_LOCK = threading.Lock()
_STORE: OrderedDict[tuple[int, int], tuple[bytes, np.ndarray]] = OrderedDict()


def _key_bytes(words: np.ndarray) -> tuple[tuple[int, int], bytes]:
    data = np.ascontiguousarray(words).tobytes()
    return (words.shape[0], hash(data)), data


def remember(words: np.ndarray, levels: np.ndarray) -> None:
    """Keep the levels of a reflexive closure given as packed rows (n, w) (see :func:`_pack_rows`)."""
    n = words.shape[0]
    if n < MEMO_MIN_N or words.nbytes > MEMO_BYTES:
        return
    key, data = _key_bytes(words)
    lv = np.array(levels, dtype=np.int64)
    lv.setflags(write=False)
    with _LOCK:
        _STORE[key] = (data, lv)
        _STORE.move_to_end(key)
        total = sum(len(d) for d, _ in _STORE.values())
        while len(_STORE) > MEMO_ENTRIES or total > MEMO_BYTES:
            _, (d, _) = _STORE.popitem(last=False)
            total -= len(d)


def recall(r: np.ndarray) -> np.ndarray | None:
    """The levels of ``r`` (boolean (n, n); the diagonal taken as 1) if it is a remembered closure, else None."""
    n = r.shape[0]
    if n < MEMO_MIN_N or not _STORE:
        return None
    words = _pack_rows(r)
    node_word, node_bit = _bit_tables(n)
    words[np.arange(n), node_word] |= node_bit
    key, data = _key_bytes(words)
    with _LOCK:
        hit = _STORE.get(key)
        if hit is None or hit[0] != data:
            return None
        _STORE.move_to_end(key)
        return hit[1].copy()


def clear() -> None:
    """Forget every remembered closure."""
    with _LOCK:
        _STORE.clear()
