"""Tests of ism_health.reachability against independent oracles.

Oracles (written here, sharing no code with the module):
* closure: breadth-first search over Python sets, and networkx.transitive_closure;
* levels: the ISM iterative rule applied literally on Python sets;
* explain: breadth-first distances.

Every algorithm path is exercised: the dense bit-table path (small n, stacks),
the condensation path (forced with ``DENSE_MAX_N = 0``), the contraction of
dense graphs, the topological relabelling fallback and multi-round skip-OR.
"""

from __future__ import annotations

import re

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ism_health.reachability as rmod
from ism_health.exceptions import ISMInputError, NotReachableError
from ism_health.levels import level_numbers
from ism_health.micmac import driving_dependence
from ism_health.reachability import (
    PackedReachability,
    explain,
    transitive_additions,
    transitive_closure,
    transitive_closure_packed,
)

# The kernel is a package; a tuning constant or helper may be bound in several of its modules.
KERNEL_MODULES = (rmod, rmod._bits, rmod._dense, rmod._condensed, rmod._packed, rmod._memo)


def _setknob(monkeypatch, name, value) -> None:
    """Set ``name`` in every kernel module that binds it (at least one)."""
    hits = [m for m in KERNEL_MODULES if name in vars(m)]
    assert hits, name
    for m in hits:
        monkeypatch.setattr(m, name, value)

# ----------------------------------------------------------------------------
# oracles
# ----------------------------------------------------------------------------


def closure_oracle(a) -> np.ndarray:
    """Reflexive transitive closure by BFS from every element over Python sets."""
    a = np.asarray(a, dtype=bool)
    n = len(a)
    succ = [set(np.flatnonzero(a[i]).tolist()) for i in range(n)]
    out = np.zeros((n, n), dtype=bool)
    for s in range(n):
        seen = {s}
        stack = [s]
        while stack:
            u = stack.pop()
            for v in succ[u]:
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
        out[s, list(seen)] = True
    return out


def closure_networkx(a) -> np.ndarray:
    a = np.asarray(a, dtype=bool)
    n = len(a)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(*np.nonzero(a)))
    t = nx.transitive_closure(g, reflexive=True)
    out = np.zeros((n, n), dtype=bool)
    for u, v in t.edges():
        out[u, v] = True
    return out


def levels_oracle(frm) -> list[int]:
    """The ISM iterative level partition, literally, on Python sets."""
    r = np.asarray(frm, dtype=bool)
    n = len(r)
    reach = [set(np.flatnonzero(r[i]).tolist()) | {i} for i in range(n)]
    ante = [set(np.flatnonzero(r[:, i]).tolist()) | {i} for i in range(n)]
    remaining = set(range(n))
    level = [0] * n
    current = 0
    while remaining:
        current += 1
        placed = [
            i for i in remaining if (reach[i] & remaining) == (reach[i] & ante[i] & remaining)
        ]
        assert placed, "the ISM rule must place at least one element of a transitive matrix"
        for i in placed:
            level[i] = current
        remaining -= set(placed)
    return level


def bfs_distance(a, i, j) -> int | None:
    a = np.asarray(a, dtype=bool)
    dist = {i: 0}
    frontier = [i]
    while frontier:
        nxt = []
        for u in frontier:
            for v in np.flatnonzero(a[u]).tolist():
                if v not in dist:
                    dist[v] = dist[u] + 1
                    nxt.append(v)
        frontier = nxt
    return dist.get(j)


# ----------------------------------------------------------------------------
# strategies and path forcing
# ----------------------------------------------------------------------------


@st.composite
def digraphs(draw, min_n=1, max_n=14):
    n = draw(st.integers(min_n, max_n))
    density = draw(st.sampled_from([0.0, 0.05, 0.15, 0.3, 0.6, 1.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) < density
    if draw(st.booleans()):  # acyclic variant: keep the strict upper triangle, relabel
        a = np.triu(a, 1)
        perm = rng.permutation(n)
        a = a[np.ix_(perm, perm)]
    return a


@pytest.fixture(params=["dense", "condensation", "table", "memo"])
def path(request, monkeypatch):
    """Run a test on the dense path and again with the condensation path forced.

    ``table``: single small matrices by the lookup-table Warshall instead of
    squaring; ``memo``: levels of a closure computed here recalled from the
    closure pass (every other variant computes them afresh).
    """
    if request.param != "memo":
        _setknob(monkeypatch, "MEMO_MIN_N", 10**9)
    else:
        _setknob(monkeypatch, "MEMO_MIN_N", 1)
        _setknob(monkeypatch, "DENSE_MAX_N", 0)
        _setknob(monkeypatch, "SMALL_MAX_N", 0)
    if request.param == "table":
        _setknob(monkeypatch, "SMALL_MAX_N", 0)
    if request.param == "condensation":
        _setknob(monkeypatch, "SMALL_MAX_N", 0)
        _setknob(monkeypatch, "DENSE_MAX_N", 0)
        _setknob(monkeypatch, "LEVELS_DENSE_MAX_N", 0)
        _setknob(monkeypatch, "STACK_DENSE_MAX_N", 0)
    return request.param


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def random_graph(n, density, seed, acyclic=False):
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) < density
    if acyclic:
        a = np.triu(a, 1)
        perm = rng.permutation(n)
        a = a[np.ix_(perm, perm)]
    return a


# ----------------------------------------------------------------------------
# worked example (checked by hand)
# ----------------------------------------------------------------------------

# 0 -> 1, 1 <-> 2 (a cycle), 2 -> 3, 4 -> 3
EXAMPLE = np.array(
    [
        [0, 1, 0, 0, 0],
        [0, 0, 1, 0, 0],
        [0, 1, 0, 1, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 1, 0],
    ]
)
EXAMPLE_FRM = np.array(
    [
        [1, 1, 1, 1, 0],
        [0, 1, 1, 1, 0],
        [0, 1, 1, 1, 0],
        [0, 0, 0, 1, 0],
        [0, 0, 0, 1, 1],
    ],
    dtype=bool,
)


def test_worked_example_by_hand(path):
    frm = transitive_closure(EXAMPLE)
    np.testing.assert_array_equal(frm, EXAMPLE_FRM)
    # level 1: {3}; then {1, 2} (the cycle) and {4}; then {0}
    np.testing.assert_array_equal(level_numbers(frm), [3, 2, 2, 1, 2])
    drv, dep = driving_dependence(frm)
    np.testing.assert_array_equal(drv, [4, 3, 3, 1, 2])
    np.testing.assert_array_equal(dep, [1, 3, 3, 5, 1])
    added = transitive_additions(EXAMPLE, frm)
    assert sorted(zip(*np.nonzero(added))) == [(0, 2), (0, 3), (1, 3)]
    assert explain(EXAMPLE, 0, 3) == [0, 1, 2, 3]
    assert explain(EXAMPLE, 2, 2) == [2]
    with pytest.raises(NotReachableError):
        explain(EXAMPLE, 3, 0)
    p = transitive_closure_packed(EXAMPLE)
    np.testing.assert_array_equal(p.to_dense(), EXAMPLE_FRM)
    np.testing.assert_array_equal(p.level_numbers(), [3, 2, 2, 1, 2])
    assert p.components[1] == p.components[2]
    assert len(set(p.components.tolist())) == 4


def test_chain_levels_by_hand(path):
    n = 6  # 0 -> 1 -> ... -> 5: element 5 is the sink (level 1), element 0 is on top
    a = np.eye(n, k=1, dtype=int)
    frm = transitive_closure(a)
    np.testing.assert_array_equal(frm, np.triu(np.ones((n, n), bool)))
    np.testing.assert_array_equal(level_numbers(frm), [6, 5, 4, 3, 2, 1])


def test_complete_cycle_single_level(path):
    a = np.roll(np.eye(7, dtype=bool), 1, axis=1)  # 0 -> 1 -> ... -> 6 -> 0
    frm = transitive_closure(a)
    assert frm.all()
    np.testing.assert_array_equal(level_numbers(frm), np.ones(7, int))


# ----------------------------------------------------------------------------
# closure against oracles, all paths
# ----------------------------------------------------------------------------


@SETTINGS
@given(a=digraphs())
def test_closure_matches_bfs_oracle(path, a):
    np.testing.assert_array_equal(transitive_closure(a), closure_oracle(a))


@pytest.mark.parametrize("n, density, acyclic", [(40, 0.05, False), (60, 0.3, True), (90, 0.02, False), (70, 0.5, False)])
def test_closure_matches_networkx(path, n, density, acyclic):
    a = random_graph(n, density, n, acyclic)
    np.testing.assert_array_equal(transitive_closure(a), closure_networkx(a))


@pytest.mark.parametrize(
    "n, density, acyclic",
    [(300, 0.2, True), (400, 0.01, False), (300, 0.4, False), (260, 0.03, True), (500, 0.004, False), (200, 0.05, False)],
)
def test_large_inputs_default_thresholds(n, density, acyclic):
    """Sizes above DENSE_MAX_N with the default settings (condensation and contraction)."""
    a = random_graph(n, density, 7, acyclic)
    frm = transitive_closure(a)
    np.testing.assert_array_equal(frm, closure_oracle(a))
    lv = level_numbers(frm)
    np.testing.assert_array_equal(lv, levels_oracle(frm))
    p = transitive_closure_packed(a)
    np.testing.assert_array_equal(p.to_dense(), frm)
    np.testing.assert_array_equal(p.level_numbers(), lv)
    for got, want in zip(p.driving_dependence(), driving_dependence(frm)):
        np.testing.assert_array_equal(got, want)


def test_layered_blocks_with_cycles(path):
    """Cycles inside layers, edges downwards: many multi-element components."""
    rng = np.random.default_rng(3)
    n = 150
    layer = np.sort(rng.integers(0, 6, n))
    same = layer[:, None] == layer[None, :]
    down = layer[:, None] < layer[None, :]
    a = (same & (rng.random((n, n)) < 0.08)) | (down & (rng.random((n, n)) < 0.01))
    frm = transitive_closure(a)
    np.testing.assert_array_equal(frm, closure_oracle(a))
    np.testing.assert_array_equal(level_numbers(frm), levels_oracle(frm))
    np.testing.assert_array_equal(transitive_closure_packed(a).level_numbers(), levels_oracle(frm))


def test_dense_graph_contraction_path(monkeypatch):
    """The sampled-subgraph contraction: exact on dense graphs, with and without recursion."""
    _setknob(monkeypatch, "DENSE_MAX_N", 4)
    _setknob(monkeypatch, "_CONTRACT_SAMPLE", 5)
    for seed in range(6):
        rng = np.random.default_rng(seed)
        n = 80
        # two dense strongly connected blocks, one-way edges between them, one isolated element
        a = rng.random((n, n)) < 0.45
        a[40:, :40] = False
        a[79, :] = False
        a[:, 79] = False
        frm = transitive_closure(a)
        np.testing.assert_array_equal(frm, closure_oracle(a))
        p = transitive_closure_packed(a)
        np.testing.assert_array_equal(p.to_dense(), frm)
        np.testing.assert_array_equal(p.level_numbers(), levels_oracle(frm))


def test_topological_relabel_fallback(monkeypatch):
    """If scipy's labels were not topological, the Kahn relabelling keeps results exact."""
    _setknob(monkeypatch, "DENSE_MAX_N", 0)
    _setknob(monkeypatch, "_labels_are_topological", lambda *args: False)
    _setknob(monkeypatch, "_BLOCKED_MIN_N", 10**9)  # acyclic inputs too
    for seed in range(8):
        a = random_graph(30, 0.08, seed, acyclic=seed % 2 == 0)
        frm = transitive_closure(a)
        np.testing.assert_array_equal(frm, closure_oracle(a))
        np.testing.assert_array_equal(transitive_closure_packed(a).level_numbers(), levels_oracle(frm))


def test_scipy_labels_are_topological():
    """The property the fast path relies on (checked at run time too)."""
    for seed in range(10):
        a = random_graph(50, 0.05, seed)
        counts = np.count_nonzero(a, axis=1)
        indptr, indices = rmod._condensed._csr_arrays(a, counts)
        _, comp = rmod._condensed._strong_components(50, indptr, indices)
        assert rmod._condensed._labels_are_topological(indptr, counts, indices, comp)


def test_skip_chunk_of_one(monkeypatch):
    """Many skip-OR rounds (first chunk of one successor) stay exact."""
    _setknob(monkeypatch, "DENSE_MAX_N", 0)
    _setknob(monkeypatch, "LEVELS_DENSE_MAX_N", 0)
    _setknob(monkeypatch, "_SKIP_CHUNK", 1)
    _setknob(monkeypatch, "_BLOCKED_MIN_N", 10**9)  # the per-component pass
    for seed in range(5):
        a = random_graph(60, 0.2, seed, acyclic=True)
        frm = transitive_closure(a)
        np.testing.assert_array_equal(frm, closure_oracle(a))
        np.testing.assert_array_equal(level_numbers(frm), levels_oracle(frm))


@pytest.mark.parametrize("n", [63, 64, 65, 127, 128, 129, 130])
def test_word_boundaries(path, n):
    a = random_graph(n, 3.0 / n, n)
    a[n - 1, 0] = True
    frm = transitive_closure(a)
    np.testing.assert_array_equal(frm, closure_oracle(a))
    np.testing.assert_array_equal(level_numbers(frm), levels_oracle(frm))


# ----------------------------------------------------------------------------
# invariants
# ----------------------------------------------------------------------------


@SETTINGS
@given(a=digraphs(max_n=12), b_extra=st.integers(0, 2**32 - 1))
def test_closure_invariants(path, a, b_extra):
    before = a.copy()
    r = transitive_closure(a)
    np.testing.assert_array_equal(a, before)  # input not mutated
    assert r.dtype == bool and r.shape == a.shape
    assert np.diag(r).all()  # reflexive
    assert not (a & ~r).any()  # contains the direct relations
    np.testing.assert_array_equal(transitive_closure(r), r)  # idempotent
    rf = r.astype(int)
    assert not ((rf @ rf > 0) & ~r).any()  # transitive
    # monotone: more relations never remove reachability
    rng = np.random.default_rng(b_extra)
    bigger = a | (rng.random(a.shape) < 0.1)
    assert not (r & ~transitive_closure(bigger)).any()


@SETTINGS
@given(a=digraphs(max_n=12), seed=st.integers(0, 2**32 - 1))
def test_relabelling_permutes_outputs(path, a, seed):
    n = len(a)
    perm = np.random.default_rng(seed).permutation(n)
    ap = a[np.ix_(perm, perm)]
    r, rp = transitive_closure(a), transitive_closure(ap)
    np.testing.assert_array_equal(rp, r[np.ix_(perm, perm)])
    np.testing.assert_array_equal(level_numbers(rp), level_numbers(r)[perm])
    for x, y in zip(driving_dependence(rp), driving_dependence(r)):
        np.testing.assert_array_equal(x, y[perm])
    np.testing.assert_array_equal(transitive_closure_packed(ap).level_numbers(), level_numbers(r)[perm])


@SETTINGS
@given(a=digraphs(max_n=12))
def test_levels_match_ism_rule(path, a):
    frm = closure_oracle(a)
    before = frm.copy()
    got = level_numbers(frm)
    np.testing.assert_array_equal(frm, before)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, levels_oracle(frm))
    # equivalent formulation: generations of the reversed condensation
    g = nx.DiGraph()
    g.add_nodes_from(range(len(a)))
    g.add_edges_from(zip(*np.nonzero(a)))
    cond = nx.condensation(g)
    # longest path to a sink, counted in components
    longest = {}
    for c in reversed(list(nx.topological_sort(cond))):
        longest[c] = 1 + max((longest[d] for d in cond.successors(c)), default=0)
    mapping = cond.graph["mapping"]
    np.testing.assert_array_equal(got, [longest[mapping[i]] for i in range(len(a))])


@SETTINGS
@given(a=digraphs(max_n=12))
def test_packed_matches_dense(path, a):
    p = transitive_closure_packed(a)
    assert isinstance(p, PackedReachability)
    r = closure_oracle(a)
    np.testing.assert_array_equal(p.to_dense(), r)
    np.testing.assert_array_equal(p.level_numbers(), levels_oracle(r))
    drv, dep = p.driving_dependence()
    np.testing.assert_array_equal(drv, r.sum(axis=1))
    np.testing.assert_array_equal(dep, r.sum(axis=0))
    assert drv.dtype == dep.dtype == np.int64
    words = p.to_words()
    assert words.shape == (len(a), (len(a) + 63) // 64) and words.dtype == np.uint64
    for i in range(len(a)):
        np.testing.assert_array_equal(p.row(i), r[i])
        bits = [(int(words[i, j // 64]) >> (j % 64)) & 1 for j in range(len(a))]
        np.testing.assert_array_equal(bits, r[i].astype(int))


def test_packed_memory_is_about_an_eighth():
    a = random_graph(1000, 0.003, 1, acyclic=True)
    p = transitive_closure_packed(a)
    assert p.nbytes <= 1000 * 1000 / 8 + 64 * 1000


# ----------------------------------------------------------------------------
# stacks
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 9, 70, 140])
def test_stack_equals_single_calls(path, n):
    rng = np.random.default_rng(n)
    stack = np.stack(
        [random_graph(n, d, int(rng.integers(1 << 30)), acyclic=k % 2 == 0) for k, d in enumerate([0.0, 0.02, 0.1, 0.3, 0.9] * 2)]
    )
    before = stack.copy()
    r = transitive_closure(stack)
    np.testing.assert_array_equal(stack, before)
    lv = level_numbers(r)
    drv, dep = driving_dependence(r)
    add = transitive_additions(stack, r)
    assert r.shape == stack.shape and lv.shape == drv.shape == dep.shape == (len(stack), n)
    for t, a in enumerate(stack):
        np.testing.assert_array_equal(r[t], closure_oracle(a))
        np.testing.assert_array_equal(r[t], transitive_closure(a))
        np.testing.assert_array_equal(lv[t], level_numbers(r[t]))
        np.testing.assert_array_equal(lv[t], levels_oracle(r[t]))
        np.testing.assert_array_equal(drv[t], driving_dependence(r[t])[0])
        np.testing.assert_array_equal(dep[t], driving_dependence(r[t])[1])
        np.testing.assert_array_equal(add[t], transitive_additions(a, r[t]))


def test_stack_with_int_input_and_cycles():
    rng = np.random.default_rng(5)
    stack = (rng.random((50, 12, 12)) < 0.15).astype(np.int64)
    r = transitive_closure(stack)
    for t in range(50):
        np.testing.assert_array_equal(r[t], closure_networkx(stack[t]))
        np.testing.assert_array_equal(level_numbers(r)[t], levels_oracle(r[t]))


@pytest.mark.parametrize("shape", [(0, 5, 5), (0, 0, 0), (3, 0, 0)])
def test_empty_stacks(path, shape):
    a = np.zeros(shape, dtype=bool)
    r = transitive_closure(a)
    assert r.shape == shape and r.dtype == bool
    assert level_numbers(r).shape == shape[:2]
    drv, dep = driving_dependence(r)
    assert drv.shape == dep.shape == shape[:2]
    assert transitive_additions(a, r).shape == shape


def test_single_element(path):
    for a in ([[0]], [[1]], np.zeros((1, 1), bool)):
        np.testing.assert_array_equal(transitive_closure(a), [[True]])
        np.testing.assert_array_equal(level_numbers(transitive_closure(a)), [1])
        assert explain(a, 0, 0) == [0]
        assert transitive_closure_packed(a).level_numbers().tolist() == [1]
    np.testing.assert_array_equal(driving_dependence([[1]]), ([1], [1]))


def test_empty_matrix():
    r = transitive_closure(np.zeros((0, 0)))
    assert r.shape == (0, 0)
    assert level_numbers(r).shape == (0,)
    p = transitive_closure_packed(np.zeros((0, 0)))
    assert p.n == 0 and p.level_numbers().shape == (0,)


def test_accepts_lists_ints_floats_bools(path):
    as_list = EXAMPLE.tolist()
    for a in (as_list, EXAMPLE.astype(np.int8), EXAMPLE.astype(np.uint16), EXAMPLE.astype(float), EXAMPLE.astype(bool)):
        np.testing.assert_array_equal(transitive_closure(a), EXAMPLE_FRM)
    np.testing.assert_array_equal(level_numbers(EXAMPLE_FRM.astype(float)), [3, 2, 2, 1, 2])


def test_diagonal_zero_frm_is_taken_as_reflexive(path):
    frm = EXAMPLE_FRM.copy()
    np.fill_diagonal(frm, False)
    np.testing.assert_array_equal(level_numbers(frm), [3, 2, 2, 1, 2])


# ----------------------------------------------------------------------------
# explain
# ----------------------------------------------------------------------------


@SETTINGS
@given(a=digraphs(max_n=10), data=st.data())
def test_explain_is_a_shortest_chain(a, data):
    n = len(a)
    i = data.draw(st.integers(0, n - 1))
    j = data.draw(st.integers(0, n - 1))
    d = bfs_distance(a, i, j)
    if d is None:
        with pytest.raises(NotReachableError, match=f"element {j} cannot be reached from element {i}"):
            explain(a, i, j)
        return
    chain = explain(a, i, j)
    assert chain[0] == i and chain[-1] == j
    assert len(chain) == d + 1
    assert all(a[u, v] for u, v in zip(chain, chain[1:]))
    assert all(isinstance(x, int) for x in chain)


def test_explain_bad_index():
    with pytest.raises(ISMInputError, match=r"i must be an element index in 0..4; got 5"):
        explain(EXAMPLE, 5, 0)
    with pytest.raises(ISMInputError, match=r"j must be an element index in 0..4; got -1"):
        explain(EXAMPLE, 0, -1)
    with pytest.raises(ISMInputError, match="got True"):
        explain(EXAMPLE, True, 0)
    with pytest.raises(ISMInputError, match=r"shape \(n, n\); got shape \(2, 5, 5\)"):
        explain(np.zeros((2, 5, 5)), 0, 0)


# ----------------------------------------------------------------------------
# errors
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, pattern",
    [
        (np.zeros((3, 4)), r"adjacency matrix must be a square matrix of shape \(n, n\) or \(b, n, n\); got shape \(3, 4\)"),
        (np.zeros(4), r"got shape \(4,\)"),
        (np.zeros((2, 2, 2, 2)), r"got shape \(2, 2, 2, 2\)"),
        (np.zeros((2, 3, 2)), r"got shape \(2, 3, 2\)"),
        ([[0, 2], [0, 0]], r"must hold only 0 and 1; entry \(0, 1\) is .*2"),
        ([[0, 0], [-1, 0]], r"entry \(1, 0\) is .*-1"),
        ([[0, 0.5], [0, 0]], r"entry \(0, 1\) is .*0.5"),
        ([[0, np.nan], [0, 0]], r"entry \(0, 1\) is .*nan"),
        ([["V", "A"], ["A", "V"]], r"must hold 0/1 values; got dtype <U1"),
    ],
)
def test_bad_input_raises(path, bad, pattern):
    for func in (transitive_closure, level_numbers, driving_dependence):
        with pytest.raises(ISMInputError, match=pattern.replace("adjacency matrix", "(adjacency|final reachability) matrix")):
            func(bad)
    assert issubclass(ISMInputError, ValueError)


def test_packed_rejects_stacks():
    with pytest.raises(ISMInputError, match=r"shape \(n, n\); got shape \(2, 3, 3\)"):
        transitive_closure_packed(np.zeros((2, 3, 3)))


def test_additions_shape_mismatch():
    with pytest.raises(ISMInputError, match=r"same shape; got \(2, 2\) and \(3, 3\)"):
        transitive_additions(np.zeros((2, 2)), np.zeros((3, 3)))


@pytest.mark.parametrize("n", [5, 40, 200])
def test_level_numbers_rejects_non_transitive(path, n):
    a = random_graph(n, 2.5 / n, 11)
    a[0, 1] = a[1, 2] = True
    a[0, 2] = False
    with pytest.raises(ISMInputError, match="not transitive") as info:
        level_numbers(a | np.eye(n, dtype=bool))
    i, j, k = (int(x) for x in re.search(r"(\d+)->(\d+)->(\d+) but not", str(info.value)).groups())
    m = a | np.eye(n, dtype=bool)
    assert m[i, j] and m[j, k] and not m[i, k]


def test_level_numbers_rejects_non_transitive_in_stack(path):
    good = transitive_closure(EXAMPLE)
    bad = EXAMPLE.astype(bool) | np.eye(5, dtype=bool)
    with pytest.raises(ISMInputError, match=r"(matrix 1 of the stack|stack).* not transitive|not transitive"):
        level_numbers(np.stack([good, bad]))


@pytest.mark.parametrize("acyclic", [True, False])
def test_level_batches_exact(monkeypatch, acyclic):
    """Every level done as a batch, in tiny pieces (also with multi-element components)."""
    _setknob(monkeypatch, "DENSE_MAX_N", 0)
    _setknob(monkeypatch, "_BATCH_MIN", 1)
    _setknob(monkeypatch, "_BLOCKED_MIN_N", 10**9)  # acyclic inputs too
    _setknob(monkeypatch, "_BATCH_CELLS", 64)
    _setknob(monkeypatch, "_GATHER_BYTES", 16)
    for seed in range(6):
        a = random_graph(70, [0.02, 0.05, 0.1][seed % 3], seed, acyclic=acyclic)
        frm = transitive_closure(a)
        np.testing.assert_array_equal(frm, closure_oracle(a))
        p = transitive_closure_packed(a)
        np.testing.assert_array_equal(p.to_dense(), frm)
        np.testing.assert_array_equal(p.level_numbers(), levels_oracle(frm))


def test_level_numbers_rejects_missing_transitive_entry(path):
    """0 -> 1 -> 9 without 0 -> 9, while 0 reaches many more elements than 1."""
    m = np.eye(10, dtype=bool)
    m[0, :6] = True
    m[1, 9] = True
    with pytest.raises(ISMInputError, match=r"not transitive: 0->1->9 but not 0->9"):
        level_numbers(m)


@pytest.mark.parametrize("n", [30, 200])
def test_non_contiguous_and_dataframe_inputs(path, n):
    import pandas as pd

    a = random_graph(n, 2.0 / n, 21)
    want = closure_oracle(a.T)
    for view in (a.T, np.asfortranarray(a).T, a.T.astype(np.int32)):
        np.testing.assert_array_equal(transitive_closure(view), want)
        np.testing.assert_array_equal(transitive_closure_packed(view).to_dense(), want)
    np.testing.assert_array_equal(transitive_closure(pd.DataFrame(a.T.astype(int))), want)
    frm_t = np.asfortranarray(want)
    np.testing.assert_array_equal(level_numbers(frm_t), levels_oracle(want))
    np.testing.assert_array_equal(driving_dependence(want.T)[0], want.sum(axis=0))


# ----------------------------------------------------------------------------
# the blocked pass over acyclic inputs
# ----------------------------------------------------------------------------


def _spy_blocked(monkeypatch) -> list[bool]:
    """Record every call of the blocked pass: True when it returned a result."""
    calls: list[bool] = []
    real = rmod._condensed._closure_blocked

    def spy(a, comp):
        out = real(a, comp)
        calls.append(out is not None)
        return out

    _setknob(monkeypatch, "_closure_blocked", spy)
    return calls


def _check_all(a) -> None:
    frm = transitive_closure(a)
    np.testing.assert_array_equal(frm, closure_oracle(a))
    p = transitive_closure_packed(a)
    np.testing.assert_array_equal(p.to_dense(), frm)
    np.testing.assert_array_equal(p.level_numbers(), levels_oracle(frm))
    for got, want in zip(p.driving_dependence(), driving_dependence(frm)):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("block, band, prune", [(1, 0, 64), (3, 2, 0), (5, 64, 0), (64, 1, 64), (64, 64, 0), (7, 0, 1)])
@given(a=digraphs(min_n=1, max_n=40), loops=st.floats(0.0, 1.0))
@SETTINGS
def test_blocked_pass_matches_oracles(monkeypatch, block, band, prune, a, loops):
    """Acyclic inputs (self-loops allowed) on the blocked pass, in tiny blocks and bands,
    with and without the highest-level-first pruning of the uncovered successors."""
    _setknob(monkeypatch, "DENSE_MAX_N", 0)
    _setknob(monkeypatch, "_PRUNE_PER_ROW", prune)
    _setknob(monkeypatch, "_BLOCK", block)
    _setknob(monkeypatch, "_BAND", band)
    _setknob(monkeypatch, "_GATHER_BYTES", 16)  # OR-ed in pieces of two rows
    calls = _spy_blocked(monkeypatch)
    n = len(a)
    perm = np.random.default_rng(n).permutation(n)
    a = np.triu(a, 1)[np.ix_(perm, perm)]
    a[np.diag_indices(n)] = np.random.default_rng(n + 1).random(n) < loops
    _check_all(a)
    assert calls and all(calls)


@pytest.mark.parametrize("block, band", [(1, 0), (4, 3), (64, 64)])
def test_blocked_pass_relabels_when_labels_are_not_topological(monkeypatch, block, band):
    """Shuffled component labels are found out (an edge to a later label) and fixed."""
    _setknob(monkeypatch, "DENSE_MAX_N", 0)
    _setknob(monkeypatch, "_BLOCK", block)
    _setknob(monkeypatch, "_BAND", band)
    real = rmod._condensed._strong_components

    def shuffled(n, indptr, indices):
        k, labels = real(n, indptr, indices)
        return k, np.random.default_rng(k).permutation(k)[labels]

    _setknob(monkeypatch, "_strong_components", shuffled)
    calls = _spy_blocked(monkeypatch)
    for seed in range(6):
        _check_all(random_graph(40, [0.03, 0.1, 0.4][seed % 3], seed, acyclic=True))
    assert False in calls and calls[-1]


def test_blocked_pass_long_chain_and_complete_dag():
    """Deepest and densest acyclic inputs (levels n and closure a full triangle)."""
    n = 150
    chain = np.eye(n, k=1, dtype=bool)[np.ix_(np.arange(n)[::-1], np.arange(n)[::-1])]
    _check_all(chain)
    _check_all(np.triu(np.ones((n, n), dtype=bool), 1))
