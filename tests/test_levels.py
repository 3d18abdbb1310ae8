"""The labelled level steps: level partition, iteration tables, canonical matrix, level_numbers."""

import numpy as np
import pandas as pd
import pytest

import ism_health as ism
from ism_health import ISMInputError
from ism_health.levels import level_numbers

CHAIN = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]  # a -> b -> c, closed
LAB = ["a", "b", "c"]


def test_level_partition_chain():
    s = ism.level_partition(CHAIN, LAB)
    assert s.to_dict() == {"a": 3, "b": 2, "c": 1}
    assert s.name == "level"


def test_level_partition_rejects_non_transitive():
    with pytest.raises(ISMInputError, match=r"not transitive: 1 missing entry, e\.g\. a->b->c but not a->c"):
        ism.level_partition([[1, 1, 0], [0, 1, 1], [0, 0, 1]], LAB)


def test_level_partition_rejects_non_binary():
    with pytest.raises(ISMInputError, match=r"must hold only 0 and 1; 1 cells do not, e\.g\. row 'a', column 'b' is 2"):
        ism.level_partition([[1, 2, 0], [0, 1, 1], [0, 0, 1]], LAB)


def test_level_partition_diagonal_zero_is_reflexive():
    assert ism.level_partition([[0, 1, 1], [0, 0, 1], [0, 0, 0]], LAB).tolist() == [3, 2, 1]


def test_level_numbers_stack():
    # 0.1 asserted this on level_partition(stack), which returned a DataFrame; level_partition now
    # always returns a Series, and stacks go to level_numbers (plain integers, one row per matrix).
    frm = np.array([CHAIN, np.eye(3, dtype=int), np.ones((3, 3), int)])
    out = level_numbers(frm)
    assert isinstance(out, np.ndarray)
    assert out.tolist() == [[3, 2, 1], [1, 1, 1], [1, 1, 1]]
    with pytest.raises(ISMInputError, match=r"matrix 1 of the stack\) is not transitive"):
        level_numbers(np.array([CHAIN, [[1, 1, 0], [0, 1, 1], [0, 0, 1]]]))


def test_level_partition_rejects_a_stack():
    frm = np.array([CHAIN, np.eye(3, dtype=int)])
    with pytest.raises(ISMInputError, match=r"got a stack of shape \(2, 3, 3\).*level_numbers"):
        ism.level_partition(frm, LAB)


def test_level_partition_returns_a_series_for_every_2d_input():
    for frm in (CHAIN, np.array(CHAIN), pd.DataFrame(CHAIN, index=LAB, columns=LAB)):
        out = ism.level_partition(frm, LAB)
        assert isinstance(out, pd.Series)
        assert out.to_dict() == {"a": 3, "b": 2, "c": 1}


def test_partition_uses_only_remaining_elements():
    # b and c form a cycle; after removing c... here: a->b, b<->c. Level 1: {b, c}, level 2: {a}.
    frm = [[1, 1, 1], [0, 1, 1], [0, 1, 1]]
    t = ism.partition_iterations(frm, LAB)
    second = t[t.iteration == 2]
    assert second.factor.tolist() == ["a"]
    # In iteration 2 the sets are restricted to what remains: a's reachability set is {a} only.
    assert second.reachability_set.tolist() == [("a",)]
    assert t.level.dtype == "Int64"


def test_canonical_matrix_order_and_values():
    c = ism.canonical_matrix(CHAIN, LAB)
    assert c.index.tolist() == ["c", "b", "a"]
    assert c.to_numpy().tolist() == [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
