"""Tests of ism_health._symbols: the one copy of the V/A/X/O codes, the mirror and the cell normalisation."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import ism_health as ism
from ism_health import _symbols as sy


def test_codes_letters_and_symbols_agree():
    # code bit 0: factor_i -> factor_j; bit 1: factor_j -> factor_i
    assert sy.CODE == {"O": 0, "V": 1, "A": 2, "X": 3}
    assert sy.LETTERS == ("O", "V", "A", "X")
    assert sy.SHOWN == ("V", "A", "X", "O")
    assert sy.SYMBOLS == {"V": (True, False), "A": (False, True), "X": (True, True), "O": (False, False)}
    assert ism.ssim.SYMBOLS is sy.SYMBOLS  # the public constant is this one copy
    assert all(sy.LETTERS[sy.CODE[s]] == s for s in "VAXO")
    assert {sy.BLANK, sy.DASH, sy.INVALID}.isdisjoint(range(4))


def test_mirror_swaps_v_and_a_and_keeps_markers():
    assert [sy.LETTERS[sy.mirror(sy.CODE[s])] for s in "VAXO"] == ["A", "V", "X", "O"]
    codes = np.array([0, 1, 2, 3, sy.BLANK, sy.DASH, sy.INVALID], dtype=np.int8)
    out = sy.mirror(codes)
    assert out.tolist() == [0, 2, 1, 3, sy.BLANK, sy.DASH, sy.INVALID] and out.dtype == np.int8
    assert sy.mirror(sy.INVALID) == sy.INVALID


def test_cells():
    for blank in (None, float("nan"), np.float64("nan"), "", "   ", "\t"):
        assert sy.is_blank(blank) and sy.cell_text(blank) == "" and sy.cell_repr(blank) == "blank"
        assert sy.symbol_text(blank) == ""
    for value in (0, 0.0, "0", "O", False):
        assert not sy.is_blank(value)
    assert sy.cell_text(3.0) == "3" and sy.cell_text(2.5) == "2.5" and sy.cell_text(" Law ") == "Law"
    assert sy.cell_repr("x") == "'x'" and sy.cell_repr(1.0) == "1.0"
    assert [sy.symbol_text(v) for v in (" v ", "x", "-", 1.0)] == ["V", "X", "-", "1.0"]
    codes, text = sy.symbol_codes(np.array([[" v", "-", None], ["a", "Q", "o"]], dtype=object))
    assert codes.tolist() == [[1, sy.DASH, sy.BLANK], [2, sy.INVALID, 0]]
    assert text.tolist() == [["V", "-", ""], ["A", "Q", "O"]]


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 7).flatmap(lambda n: st.lists(st.booleans(), min_size=n * n, max_size=n * n).map(
    lambda bits: np.array(bits, dtype=bool).reshape(n, n))))
def test_pair_codes_round_trip_against_a_loop(adj):
    n = len(adj)
    np.fill_diagonal(adj, False)
    rows, cols = np.triu_indices(n, 1)
    codes = sy.pair_codes(adj, rows, cols)
    expected = [int(adj[i, j]) + 2 * int(adj[j, i]) for i in range(n) for j in range(i + 1, n)]
    assert codes.tolist() == expected and codes.dtype == np.int8
    assert np.array_equal(sy.adjacency_from_codes(codes, n, rows, cols), adj)
    # the mirror is the same judgment read from the other end
    assert sy.mirror(codes).tolist() == [int(adj[j, i]) + 2 * int(adj[i, j]) for i in range(n) for j in range(i + 1, n)]
    assert math.comb(n, 2) == len(codes)


def test_ssim_n_factors_and_its_alias():
    s = ism.SSIM.from_pairs([("a", "b", "V"), ("a", "c", "O"), ("b", "c", "X")])
    assert s.n_factors == 3 and s.n == 3
    panel = ism.Panel.from_ssims([s])
    assert panel.n_factors == s.n_factors  # one name for the concept across SSIM and Panel
