"""The built-in 8-factor worked example, checked against answers computed by hand.

Direct relations (from the SSIM above the diagonal):
    F1 V F2, F1 V F3  -> F1->F2, F1->F3
    F1 A F7           -> F7->F1
    F2 V F4, F3 V F4  -> F2->F4, F3->F4
    F4 X F5           -> F4->F5, F5->F4 (a cycle)
    F5 V F6           -> F5->F6
    F6 A F8           -> F8->F6
    every other pair O.

Reachability sets (hand-computed by following chains):
    F1 {1,2,3,4,5,6}   F2 {2,4,5,6}   F3 {3,4,5,6}   F4 {4,5,6}
    F5 {4,5,6}         F6 {6}         F7 {1,...,7}   F8 {6,8}
Antecedent sets:
    F1 {1,7}  F2 {1,2,7}  F3 {1,3,7}  F4 {1,2,3,4,5,7}  F5 {1,2,3,4,5,7}
    F6 {1,...,8}  F7 {7}  F8 {8}
Partition:
    iteration 1: only F6 has R = R & A                       -> level 1: F6
    iteration 2 (F6 removed): F4 R={4,5}, F5 R={4,5}, F8 R={8} -> level 2: F4, F5, F8
    iteration 3: F2 R={2}, F3 R={3}                           -> level 3: F2, F3
    iteration 4: F1 R={1}                                      -> level 4: F1
    iteration 5: F7                                            -> level 5: F7
Driving power (row sums): F1 6, F2 4, F3 4, F4 3, F5 3, F6 1, F7 7, F8 2 (sum 30)
Dependence power (column sums): F1 2, F2 3, F3 3, F4 6, F5 6, F6 8, F7 1, F8 1 (sum 30)
MICMAC with boundary n/2 = 4, a power on the boundary counted low:
    F1 (6, 2) independent; F2, F3 (4, 3) autonomous, on the boundary; F4, F5 (3, 6) dependent;
    F6 (1, 8) dependent; F7 (7, 1) independent; F8 (2, 1) autonomous.
ISM digraph (condensation, transitive reduction):
    F7->F1, F1->F2, F1->F3, F2->F4+F5, F3->F4+F5, F4+F5->F6, F8->F6.
"""

import numpy as np
import pytest

import ism_health as ism
from ism_health.datasets import load_example
from ism_health.digraph import digraph_members

LABELS = [f"F{k}" for k in range(1, 9)]

IRM = np.array(
    [
        [1, 1, 1, 0, 0, 0, 0, 0],
        [0, 1, 0, 1, 0, 0, 0, 0],
        [0, 0, 1, 1, 0, 0, 0, 0],
        [0, 0, 0, 1, 1, 0, 0, 0],
        [0, 0, 0, 1, 1, 1, 0, 0],
        [0, 0, 0, 0, 0, 1, 0, 0],
        [1, 0, 0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 1, 0, 1],
    ]
)
# "1*" written where a chain, not a direct judgment, gives the relation.
FRM_MARKED = [
    ["1", "1", "1", "1*", "1*", "1*", "0", "0"],
    ["0", "1", "0", "1", "1*", "1*", "0", "0"],
    ["0", "0", "1", "1", "1*", "1*", "0", "0"],
    ["0", "0", "0", "1", "1", "1*", "0", "0"],
    ["0", "0", "0", "1", "1", "1", "0", "0"],
    ["0", "0", "0", "0", "0", "1", "0", "0"],
    ["1", "1*", "1*", "1*", "1*", "1*", "1", "0"],
    ["0", "0", "0", "0", "0", "1", "0", "1"],
]
LEVELS = {"F1": 4, "F2": 3, "F3": 3, "F4": 2, "F5": 2, "F6": 1, "F7": 5, "F8": 2}
DRIVING = [6, 4, 4, 3, 3, 1, 7, 2]
DEPENDENCE = [2, 3, 3, 6, 6, 8, 1, 1]
CLUSTERS = ["independent", "autonomous", "autonomous", "dependent", "dependent", "dependent", "independent", "autonomous"]
ON_BOUNDARY = [False, True, True, False, False, False, False, False]


@pytest.fixture(scope="module")
def result():
    return ism.analyze(load_example("worked"))


def test_initial_reachability(result):
    assert result.initial_reachability.index.tolist() == LABELS
    np.testing.assert_array_equal(result.initial_reachability.to_numpy(), IRM)


def test_final_reachability_with_transitive_marks(result):
    assert result.final_reachability_marked.to_numpy().tolist() == FRM_MARKED
    expected = np.array([[c != "0" for c in row] for row in FRM_MARKED])
    np.testing.assert_array_equal(result.final_reachability.to_numpy().astype(bool), expected)
    assert int(result.transitive.to_numpy().sum()) == 13


def test_levels(result):
    assert result.levels.to_dict() == LEVELS


def test_partition_iterations(result):
    t = result.partition
    assigned = t[t.assigned]
    assert assigned.groupby("iteration").factor.apply(list).to_dict() == {
        1: ["F6"],
        2: ["F4", "F5", "F8"],
        3: ["F2", "F3"],
        4: ["F1"],
        5: ["F7"],
    }
    row = t[(t.iteration == 2) & (t.factor == "F4")].iloc[0]
    assert row.reachability_set == ("F4", "F5")
    assert row.antecedent_set == ("F1", "F2", "F3", "F4", "F5", "F7")
    assert row.intersection_set == ("F4", "F5")
    first = t[t.iteration == 1].set_index("factor")
    assert first.loc["F8", "reachability_set"] == ("F6", "F8")
    assert first.loc["F8", "intersection_set"] == ("F8",)
    assert not first.loc["F8", "assigned"]
    assert len(t) == 8 + 7 + 4 + 2 + 1


def test_canonical_matrix(result):
    order = ["F6", "F4", "F5", "F8", "F2", "F3", "F1", "F7"]
    assert result.canonical.index.tolist() == order
    assert result.canonical.columns.tolist() == order
    # Block lower-triangular: nobody reaches a factor of a lower level (higher level number).
    c = result.canonical.to_numpy()
    lv = [LEVELS[f] for f in order]
    for i in range(8):
        for j in range(8):
            if lv[j] > lv[i]:
                assert c[i, j] == 0


def test_micmac(result):
    m = result.micmac
    assert m.driving_power.tolist() == DRIVING
    assert m.dependence_power.tolist() == DEPENDENCE
    assert m.cluster.tolist() == CLUSTERS
    assert m.on_boundary.tolist() == ON_BOUNDARY
    assert m.driving_rank.tolist() == [2, 3, 3, 5, 5, 8, 1, 7]
    assert m.dependence_rank.tolist() == [6, 4, 4, 2, 2, 1, 7, 7]
    assert m.attrs["boundaries"] == {"dependence": 4.0, "driving": 4.0}


def test_micmac_boundary_counted_high():
    m = ism.analyze(load_example("worked"), on_boundary="high").micmac
    # F2, F3 have driving power 4 = n/2: high when the boundary counts high.
    assert m.loc[["F2", "F3"], "cluster"].tolist() == ["independent", "independent"]


def test_digraph(result):
    g = result.digraph
    assert set(g.edges()) == {
        ("F7", "F1"),
        ("F1", "F2"),
        ("F1", "F3"),
        ("F2", "F4 + F5"),
        ("F3", "F4 + F5"),
        ("F4 + F5", "F6"),
        ("F8", "F6"),
    }
    assert tuple(digraph_members(g)["F4 + F5"]) == ("F4", "F5")
    assert g.nodes["F4 + F5"]["members"] == "F4; F5"
    assert g.nodes["F4 + F5"]["level"] == 2
    assert g.nodes["F7"]["level"] == 5
    assert result.cycles == [("F4", "F5")]


def test_explain_a_transitive_entry(result):
    adj = load_example("worked").adjacency
    # F7 -> F6 is 1*: the shortest chain is F7 -> F1 -> F2 -> F4 -> F5 -> F6 (or via F3).
    chain = ism.explain(adj, 6, 5)
    assert len(chain) == 6 and chain[0] == 6 and chain[-1] == 5
    assert chain[1] == 0 and chain[3:] == [3, 4, 5]
    with pytest.raises(ism.NotReachableError, match="cannot be reached"):
        ism.explain(adj, 5, 6)
