"""Bit packing and lookup tables of the reachability kernel (private).

Rows of boolean matrices are kept as little-endian ``uint64`` words: bit ``j``
of a row is bit ``j % 64`` of word ``j // 64``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._validation import as_binary

_U64_ONE = np.uint64(1)


def _as_bool_matrix(adj: ArrayLike, name: str = "matrix", *, stack: bool = True) -> np.ndarray:
    """Return ``adj`` as a boolean ndarray of shape (n, n) (or (b, n, n) when ``stack``).

    Boolean input is returned as is (no copy); callers never write into it.
    See :func:`ism_health._validation.as_binary` for what is accepted.
    """
    return as_binary(adj, name, ndims=(2, 3) if stack else (2,))


def _n_words(n: int) -> int:
    return (n + 63) // 64


def _pack_rows(b: np.ndarray) -> np.ndarray:
    """Pack the last axis of a boolean array into little-endian uint64 words.

    Bit ``j`` of a row is bit ``j % 64`` of word ``j // 64``.
    """
    n = b.shape[-1]
    w = _n_words(n)
    out = np.zeros(b.shape[:-1] + (w * 8,), dtype=np.uint8)
    out[..., : (n + 7) // 8] = np.packbits(b, axis=-1, bitorder="little")
    return out.view("<u8")


def _unpack_rows(words: np.ndarray, n: int) -> np.ndarray:
    """Inverse of :func:`_pack_rows`: boolean array with last axis of length ``n``."""
    u8 = np.ascontiguousarray(words).view(np.uint8)
    return np.unpackbits(u8, axis=-1, count=n, bitorder="little").view(bool)


if hasattr(np, "bitwise_count"):  # numpy >= 2.0

    def _popcount_rows(words: np.ndarray) -> np.ndarray:
        return np.bitwise_count(words).sum(axis=-1, dtype=np.int64)

else:  # pragma: no cover - numpy < 2
    _POP8 = np.array([bin(k).count("1") for k in range(256)], dtype=np.uint8)

    def _popcount_rows(words: np.ndarray) -> np.ndarray:
        u8 = np.ascontiguousarray(words).view(np.uint8)
        return _POP8[u8].sum(axis=-1, dtype=np.int64)


def _bit_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    idx = np.arange(n, dtype=np.int64)
    return idx >> 6, np.left_shift(_U64_ONE, (idx & 63).astype(np.uint64))
