"""The ISM digraph, the strongly connected sets and the labelled explain."""

import numpy as np
import pandas as pd
import pytest

import ism_health as ism
from ism_health import ISMInputError, NotReachableError
from ism_health.digraph import digraph_members, explain

CHAIN = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]  # a -> b -> c, closed
LAB = ["a", "b", "c"]


def test_digraph_merges_cycles_and_keeps_level_skipping_edges():
    # a -> b, a -> d, b -> c, c -> b (cycle), c -> d... then d is reached via the cycle too.
    # Use e -> d directly: e (level 2) -> d (level 1), and a (level 3) -> e.
    labels = ["a", "b", "c", "d", "e"]
    adj = np.zeros((5, 5), int)
    for i, j in [(0, 1), (1, 2), (2, 1), (2, 3), (0, 4), (4, 3)]:
        adj[i, j] = 1
    frm = ism.transitive_closure(adj)
    g = ism.ism_digraph(frm, labels)
    assert set(g.edges()) == {("a", "b + c"), ("b + c", "d"), ("a", "e"), ("e", "d")}
    assert dict(g.nodes(data="level")) == {"d": 1, "b + c": 2, "e": 2, "a": 3}
    assert ism.strongly_connected_sets(frm, labels) == [("b", "c")]


def test_digraph_name_collision_with_a_label():
    labels = ["x", "y", "x + y"]
    frm = [[1, 1, 0], [1, 1, 0], [0, 0, 1]]
    g = ism.ism_digraph(frm, labels)
    assert sorted(g.nodes) == ["x + y", "x + y (cycle)"]
    assert tuple(digraph_members(g)["x + y (cycle)"]) == ("x", "y")


DIRECT = [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 1, 0]]  # w -> x -> y, z -> y
NAMES = ["w", "x", "y", "z"]


def test_explain_with_labels_returns_labels():
    assert explain(DIRECT, "w", "y", labels=NAMES) == ["w", "x", "y"]
    assert explain(DIRECT, "z", "z", labels=NAMES) == ["z"]
    framed = pd.DataFrame(DIRECT, index=NAMES, columns=NAMES)
    assert explain(framed, "z", "y") == ["z", "y"]


def test_explain_with_indices_is_the_0_1_behaviour():
    assert explain(DIRECT, 0, 2) == [0, 1, 2]
    assert explain(np.array(DIRECT), 3, 2) == [3, 2]
    assert explain(pd.DataFrame(DIRECT), 0, 2) == [0, 1, 2]
    assert ism.explain(DIRECT, 0, 2) == [0, 1, 2]


def test_explain_errors_name_the_factors():
    with pytest.raises(NotReachableError, match=r"'y' does not reach 'w'"):
        explain(DIRECT, "y", "w", labels=NAMES)
    with pytest.raises(ISMInputError, match=r"target='v' is not a factor of the matrix; expected one of 'w', 'x'"):
        explain(DIRECT, "w", "v", labels=NAMES)
    with pytest.raises(ISMInputError, match=r"source=0 is not a factor"):
        explain(DIRECT, 0, "y", labels=NAMES)
    with pytest.raises(ISMInputError, match="only 0 and 1"):
        explain([[0, "V"], [0, 0]], "a", "b", labels=["a", "b"])
    with pytest.raises(ISMInputError, match="4 labels given for a 2 x 2"):
        explain([[0, 1], [0, 0]], "a", "b", labels=NAMES)
