"""A compiled ceiling for the closure: the same bitset algorithm in numba (benchmarks only).

Strong components by scipy (as ism_health), then, in numba, the rows of the
condensation from the sinks up: a component's row is the OR of its successors'
rows (a successor already inside the row is skipped), kept as uint64 bit sets;
finally the rows are expanded to the dense boolean matrix, as
``transitive_closure`` returns it. numba is not a dependency of ism_health;
``available()`` says whether it imports. Compilation is done by ``warm_up()``
and never timed.
"""

from __future__ import annotations

import numpy as np

try:  # pragma: no cover - optional
    import numba

    _NUMBA_ERROR = None
except Exception as exc:  # noqa: BLE001
    numba = None
    _NUMBA_ERROR = f"{type(exc).__name__}: {exc}"


def available() -> tuple[bool, str]:
    return numba is not None, _NUMBA_ERROR or f"numba {numba.__version__}"


if numba is not None:  # pragma: no cover - optional

    @numba.njit(cache=False)
    def _rows(a, k, labels, order, starts):
        n = a.shape[0]
        w = (n + 63) // 64
        rows = np.zeros((k, w), dtype=np.uint64)
        for c in range(k):
            for t in range(starts[c], starts[c + 1]):
                e = order[t]
                rows[c, e >> 6] |= np.uint64(1) << np.uint64(e & 63)
        # scipy labels components so that every edge goes from a higher label to a lower
        # one; successors are scanned highest label first (nearest first), so a
        # successor already inside the row is skipped: its row adds nothing
        for c in range(k):
            for t in range(starts[c], starts[c + 1]):
                u = order[t]
                for q in range(starts[c] - 1, -1, -1):
                    v = order[q]
                    if not a[u, v]:
                        continue
                    if (rows[c, v >> 6] >> np.uint64(v & 63)) & np.uint64(1):
                        continue
                    d = labels[v]
                    for x in range(w):
                        rows[c, x] |= rows[d, x]
        return rows


def closure(a: np.ndarray) -> np.ndarray:
    """Reflexive transitive closure of a square boolean matrix (numba bitset kernel)."""
    from ism_health.reachability._condensed import _csr_arrays, _strong_components

    n = a.shape[0]
    counts = a.view(np.uint8).sum(axis=1, dtype=np.int32)
    indptr, indices = _csr_arrays(a, counts)
    k, labels = _strong_components(n, indptr, indices)
    order = np.argsort(labels, kind="stable")
    starts = np.searchsorted(labels[order], np.arange(k + 1))
    rows = _rows(a, int(k), labels, order, starts)
    dense = np.unpackbits(rows.view(np.uint8), axis=1, count=n, bitorder="little").view(bool)
    return dense[labels]


def warm_up() -> None:
    if numba is not None:
        closure(np.eye(70, k=1, dtype=bool) | np.eye(70, k=-3, dtype=bool))
