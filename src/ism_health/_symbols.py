"""The V/A/X/O symbols, one copy for the SSIM and the panel forms.

A judgment about the pair (i, j), i listed before j, is stored as a code with
two bits: bit 0 is "i influences j", bit 1 is "j influences i". So ``O`` is 0,
``V`` 1, ``A`` 2 and ``X`` 3, and the mirror of a code (the same judgment read
from j to i) swaps the two bits: ``V`` <-> ``A``, ``X`` and ``O`` unchanged.

Cells read from tables and forms are normalised here too: what counts as a
blank cell, the text of a cell, how a cell is quoted in an error message and
the code of a symbol cell (with markers for blank, ``'-'`` and invalid cells).
Everything here is private to the package.
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

import numpy as np

__all__ = [
    "SYMBOLS",
    "CODE",
    "LETTERS",
    "SHOWN",
    "EXPECTED",
    "BLANK",
    "DASH",
    "INVALID",
    "is_blank",
    "cell_text",
    "cell_repr",
    "symbol_text",
    "symbol_codes",
    "mirror",
    "pair_codes",
    "adjacency_from_codes",
]

#: Symbol -> code: bit 0 = factor_i -> factor_j, bit 1 = factor_j -> factor_i.
CODE: dict[str, int] = {"O": 0, "V": 1, "A": 2, "X": 3}
#: The four SSIM symbols, each as (row influences column, column influences row), in the order tables show them.
SYMBOLS: dict[str, tuple[bool, bool]] = {s: (bool(CODE[s] & 1), bool(CODE[s] & 2)) for s in ("V", "A", "X", "O")}
#: Code -> symbol: ``LETTERS[code]``.
LETTERS: tuple[str, ...] = tuple(CODE)
#: The order in which votes and symbols are shown in every table.
SHOWN: tuple[str, ...] = tuple(SYMBOLS)
#: What a symbol cell may hold, as error messages say it.
EXPECTED = "one of V, A, X, O"
#: Markers of :func:`symbol_codes` for cells that hold no symbol (all negative, so never a code).
BLANK, DASH, INVALID = -1, -2, -3

Code = TypeVar("Code", int, np.ndarray)


def is_blank(value: Any) -> bool:
    """True for an empty cell: ``None``, NaN, or a string of spaces.

    >>> [is_blank(v) for v in (None, float("nan"), "  ", 0, "O")]
    [True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def cell_text(value: Any) -> str:
    """A cell as stripped text ('' for blank); integral floats lose their '.0'."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_repr(value: Any) -> str:
    """A cell as an error message quotes it: ``blank`` or its repr."""
    return "blank" if is_blank(value) else repr(value)


def symbol_text(value: Any) -> str:
    """A symbol cell normalised for lookup in :data:`CODE`: stripped, upper case, '' for blank."""
    return "" if is_blank(value) else str(value).strip().upper()


def symbol_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of every cell (a code, or BLANK, DASH, INVALID) and the normalised text of each cell."""
    flat = values.ravel()
    text = np.array([symbol_text(v) for v in flat], dtype=object)
    codes = np.full(flat.shape, INVALID, dtype=np.int8)
    for key, code in (*CODE.items(), ("", BLANK), ("-", DASH)):
        codes[text == key] = code
    return codes.reshape(values.shape), text.reshape(values.shape)


def mirror(code: Code) -> Code:
    """The same judgment read the other way (swap the two relation bits: V <-> A).

    Works on one code or an array of codes; negative markers (BLANK, DASH,
    INVALID) are left alone.

    >>> [LETTERS[mirror(CODE[s])] for s in "VAXO"]
    ['A', 'V', 'X', 'O']
    """
    swapped = ((code & 1) << 1) | ((code >> 1) & 1)
    if isinstance(code, np.ndarray):
        return np.where(code >= 0, swapped, code)
    return swapped if code >= 0 else code


def pair_codes(adjacency: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The int8 codes of the pairs (rows[k], cols[k]) of a boolean adjacency matrix."""
    return adjacency[rows, cols].astype(np.int8) + 2 * adjacency[cols, rows].astype(np.int8)


def adjacency_from_codes(codes: np.ndarray, n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The n x n boolean adjacency matrix holding ``codes`` for the pairs (rows[k], cols[k])."""
    adj = np.zeros((n, n), dtype=bool)
    adj[rows, cols] = (codes & 1).astype(bool)
    adj[cols, rows] = (codes & 2).astype(bool)
    return adj
