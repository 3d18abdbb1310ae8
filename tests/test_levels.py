"""The labelled level steps: level partition, iteration tables, canonical matrix, level_numbers."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ism_health as ism
from ism_health import ISMInputError
from ism_health.levels import level_numbers

from .strategies import closure_oracle

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


# ----------------------------------------------------------------------------
# extraction rules: result (top-down), cause (bottom-up), alternating
# ----------------------------------------------------------------------------

DIAMOND = [[1, 1, 1, 1], [0, 1, 0, 1], [0, 0, 1, 1], [0, 0, 0, 1]]  # a -> b, a -> c, b -> d, c -> d
DLAB = ["a", "b", "c", "d"]

# p -> q -> r, q <-> s (a cycle), t -> r, u alone; closed by hand
SLACK_LAB = ["p", "q", "r", "s", "t", "u"]
SLACK = [
    [1, 1, 1, 1, 0, 0],  # p reaches q, r, s
    [0, 1, 1, 1, 0, 0],  # q reaches r, s
    [0, 0, 1, 0, 0, 0],  # r
    [0, 1, 1, 1, 0, 0],  # s reaches q, r
    [0, 0, 1, 0, 1, 0],  # t reaches r
    [0, 0, 0, 0, 0, 1],  # u
]


@pytest.mark.parametrize("rule", ["result", "cause", "alternating"])
def test_chain_and_diamond_have_one_hierarchy(rule):
    assert ism.level_partition(CHAIN, LAB, rule=rule).to_dict() == {"a": 3, "b": 2, "c": 1}
    assert ism.level_partition(DIAMOND, DLAB, rule=rule).to_dict() == {"a": 3, "b": 2, "c": 2, "d": 1}


def test_rules_differ_on_slack_with_a_cycle():
    # Longest chain p -> {q, s} -> r: three levels under every rule.
    # result: as high as possible; t and u have slack and rise (t next to q, u a sink).
    assert ism.level_partition(SLACK, SLACK_LAB).tolist() == [3, 2, 1, 2, 2, 1]
    assert ism.level_partition(SLACK, SLACK_LAB, rule="result").tolist() == [3, 2, 1, 2, 2, 1]
    # cause: as low as possible; t and u are sources and sink to the bottom level 3.
    assert ism.level_partition(SLACK, SLACK_LAB, rule="cause").tolist() == [3, 2, 1, 2, 3, 3]
    # alternating: result step {r, u} -> level 1; cause step {p, t} -> level 3; result step {q, s} -> level 2.
    assert ism.level_partition(SLACK, SLACK_LAB, rule="alternating").tolist() == [3, 2, 1, 2, 3, 1]


def test_partition_iterations_cause_rule_by_hand():
    t = ism.partition_iterations(SLACK, SLACK_LAB, rule="cause")
    first = t[t.iteration == 1].set_index("factor")
    assert first.loc["r", "antecedent_set"] == ("p", "q", "r", "s", "t")
    assert first.loc["q", "antecedent_set"] == ("p", "q", "s")
    assert first.loc["q", "intersection_set"] == ("q", "s")
    assert first.assigned.to_dict() == {"p": True, "q": False, "r": False, "s": False, "t": True, "u": True}
    assert first.level.dropna().tolist() == [3, 3, 3]  # the first cause step fills the bottom level
    second = t[t.iteration == 2].set_index("factor")
    assert second.index.tolist() == ["q", "r", "s"]
    assert second.antecedent_set.to_dict() == {"q": ("q", "s"), "r": ("q", "r", "s"), "s": ("q", "s")}
    assert second.level.dropna().to_dict() == {"q": 2, "s": 2}
    third = t[t.iteration == 3]
    assert third.factor.tolist() == ["r"] and third.level.tolist() == [1]


def test_partition_iterations_alternating_by_hand():
    t = ism.partition_iterations(SLACK, SLACK_LAB, rule="alternating")
    assigned = t[t.assigned]
    assert list(zip(assigned.iteration, assigned.factor, assigned.level)) == [
        (1, "r", 1), (1, "u", 1), (2, "p", 3), (2, "t", 3), (3, "q", 2), (3, "s", 2)
    ]


def test_partition_iterations_result_rule_unchanged_by_default():
    pd.testing.assert_frame_equal(ism.partition_iterations(SLACK, SLACK_LAB), ism.partition_iterations(SLACK, SLACK_LAB, rule="result"))


def test_rule_is_checked_up_front():
    for call in (ism.level_partition, ism.partition_iterations):
        with pytest.raises(ISMInputError, match="rule='bottom' is not allowed; expected one of 'result', 'cause', 'alternating'"):
            call(CHAIN, LAB, rule="bottom")


# An independent oracle: the three rules literally, over Python sets.


def _rules_oracle(frm, rule):
    n = len(frm)
    reach = {i: {j for j in range(n) if frm[i][j] or i == j} for i in range(n)}
    ante = {i: {j for j in range(n) if frm[j][i] or i == j} for i in range(n)}
    left = set(range(n))
    steps = []
    while left:
        kind = rule if rule != "alternating" else ("result" if len(steps) % 2 == 0 else "cause")
        picked = set()
        for i in left:
            r_i, a_i = reach[i] & left, ante[i] & left
            if (kind == "result" and r_i == r_i & a_i) or (kind == "cause" and a_i == r_i & a_i):
                picked.add(i)
        assert picked, "no element extracted"
        steps.append((kind, picked))
        left -= picked
    level = {}
    top, bottom = 0, 0
    for kind, picked in steps:
        if kind == "result":
            top += 1
            number = top
        else:
            bottom += 1
            number = len(steps) - bottom + 1
        for i in picked:
            level[i] = number
    return [level[i] for i in range(n)]


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_rules_match_a_literal_set_oracle(data):
    n = data.draw(st.integers(1, 9))
    edges = data.draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=n * 2))
    frm = closure_oracle(n, edges).astype(int)
    labels = [f"F{k + 1}" for k in range(n)]
    got = {}
    for rule in ("result", "cause", "alternating"):
        want = _rules_oracle(frm.tolist(), rule)
        got[rule] = ism.level_partition(frm, labels, rule=rule).tolist()
        assert got[rule] == want, rule
        table = ism.partition_iterations(frm, labels, rule=rule)
        placed = table[table.assigned].set_index("factor").level.astype(int)
        assert placed.loc[labels].tolist() == want, rule
    # the same number of levels under every rule; top-down never places an element lower than bottom-up
    assert max(got["result"]) == max(got["cause"]) == max(got["alternating"])
    assert all(r <= c for r, c in zip(got["result"], got["cause"]))
    assert all(r <= a <= c for r, a, c in zip(got["result"], got["alternating"], got["cause"]))


@pytest.mark.parametrize("n, density", [(40, 0.05), (300, 0.01)])
def test_cause_levels_by_the_kernel_equal_the_steps(n, density):
    # level_partition(rule="cause") uses the kernel on the reversed relation; the iteration
    # tables extract step by step; both must agree (300 > the kernel's dense threshold for levels).
    from ism_health.levels import _levels_by_rule, _rule_levels

    rng = np.random.default_rng(n)
    frm = closure_oracle(n, {(int(i), int(j)) for i, j in np.argwhere(rng.random((n, n)) < density)})
    for rule in ("result", "cause"):
        np.testing.assert_array_equal(_levels_by_rule(frm, rule), _rule_levels(frm, rule))
