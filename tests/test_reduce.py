"""The bitset transitive reduction and the digraph built from it, against networkx (an independent oracle)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ism_health as ism
from ism_health.benchmark import make
from ism_health.digraph import _build_digraph, _digraph_parts
from ism_health.reachability._reduce import _permuted_bits, transitive_reduction_edges


def nx_condensation_reduction(a: np.ndarray) -> tuple[nx.DiGraph, nx.DiGraph]:
    """networkx's condensation of the graph of ``a`` and its transitive reduction."""
    g = nx.DiGraph()
    g.add_nodes_from(range(len(a)))
    g.add_edges_from(zip(*(x.tolist() for x in np.nonzero(a))))
    cond = nx.condensation(g)
    red = nx.transitive_reduction(cond)
    red.add_nodes_from(cond.nodes)
    return cond, red


def strict_closure_of_dag(cond: nx.DiGraph) -> np.ndarray:
    k = cond.number_of_nodes()
    q = np.zeros((k, k), dtype=bool)
    for u in cond.nodes:
        for v in nx.descendants(cond, u):
            q[u, v] = True
    return q


def longest_path_to_sink(cond: nx.DiGraph) -> np.ndarray:
    height = {}
    for u in reversed(list(nx.topological_sort(cond))):
        height[u] = 1 + max((height[v] for v in cond.successors(u)), default=0)
    return np.array([height[u] for u in range(cond.number_of_nodes())])


@st.composite
def graphs(draw):
    n = draw(st.integers(1, 140))
    density = draw(st.sampled_from([0.005, 0.02, 0.08, 0.3]))
    seed = draw(st.integers(0, 2**32 - 1))
    acyclic = draw(st.booleans())
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) < density
    if acyclic:
        a = np.triu(a, 1)[np.ix_(p := rng.permutation(n), p)]
    return a, rng


@settings(max_examples=120, deadline=None)
@given(graphs(), st.sampled_from(["height", "topological", "spread"]))
def test_reduction_equals_networkx_on_the_condensation(case, ranking):
    a, rng = case
    cond, red = nx_condensation_reduction(a)
    q = strict_closure_of_dag(cond)
    if ranking == "height":  # the ISM levels
        rank = longest_path_to_sink(cond)
    else:  # any numbering that decreases along every edge will do
        order = list(nx.topological_sort(cond))
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))[::-1]
        if ranking == "spread":
            rank = rank * 7 + 1000
    src, dst = transitive_reduction_edges(q, rank)
    assert list(zip(src.tolist(), dst.tolist())) == sorted(red.edges())


def test_reduction_of_small_and_edge_cases():
    empty = np.zeros((0, 0), dtype=bool)
    assert [x.tolist() for x in transitive_reduction_edges(empty, np.zeros(0, int))] == [[], []]
    one = np.zeros((1, 1), dtype=bool)
    assert [x.tolist() for x in transitive_reduction_edges(one, np.ones(1, int))] == [[], []]
    # a chain of 130 nodes (three words) closed: only the 129 links of the chain stay
    n = 130
    q = np.triu(np.ones((n, n), dtype=bool), 1)
    src, dst = transitive_reduction_edges(q, np.arange(n, 0, -1))
    assert src.tolist() == list(range(n - 1)) and dst.tolist() == list(range(1, n))


@pytest.mark.parametrize("k", [1, 7, 64, 65, 200])
def test_permuted_bits_is_the_packed_permutation(k):
    rng = np.random.default_rng(k)
    q = rng.random((k, k)) < 0.3
    order = rng.permutation(k)
    bits = _permuted_bits(q, order)
    want = q[np.ix_(order, order)]
    got = np.unpackbits(bits.view(np.uint8), axis=1, count=k, bitorder="little").astype(bool)
    assert np.array_equal(got, want)


@pytest.mark.parametrize("family", ["dag", "layered", "sparse", "expert"])
def test_digraph_of_each_family_is_the_networkx_reduction(family):
    a = make(family, 300, seed=3)
    frm = ism.transitive_closure(a)
    labels = [f"v{k}" for k in range(len(a))]
    g = ism.ism_digraph(frm, labels)
    cond, red = nx_condensation_reduction(a)
    names = {c: " + ".join(labels[i] for i in sorted(cond.nodes[c]["members"])) for c in cond.nodes}
    assert sorted(g.edges()) == sorted((names[u], names[v]) for u, v in red.edges())
    assert set(g.nodes) == set(names.values())


def test_built_graph_is_what_add_edges_from_builds_and_each_build_is_independent():
    frm = ism.transitive_closure(make("layered", 200, seed=1))
    labels = [f"v{k}" for k in range(len(frm))]
    parts = _digraph_parts(frm, labels, ism.level_numbers(frm))
    g = _build_digraph(parts)
    h = nx.DiGraph(orientation="edge u -> v: u influences v")
    h.add_nodes_from(parts[0])
    h.add_edges_from(zip(parts[1], parts[2]))
    assert nx.utils.graphs_equal(g, h)
    assert list(g.edges()) == list(h.edges()) and list(g.nodes(data=True)) == list(h.nodes(data=True))
    assert [list(g.pred[v]) for v in g] == [list(h.pred[v]) for v in h]
    u, v = next(iter(g.edges()))
    g.edges[u, v]["weight"] = 5
    g.nodes[u]["level"] = -1
    assert g.pred[v][u] == {"weight": 5}
    assert sum(len(d) for *_, d in g.edges(data=True)) == 1  # every edge has its own attribute dict
    again = _build_digraph(parts)
    assert again.edges[u, v] == {} and again.nodes[u]["level"] != -1


def test_result_digraph_is_rebuilt_on_each_read():
    r = ism.analyze(ism.SSIM.from_matrix(make("dag", 60, seed=2)))
    g = r.digraph
    g.remove_node(next(iter(g.nodes)))
    g.add_edge("x", "y")
    assert r.digraph.number_of_nodes() == 60 and "x" not in r.digraph
    assert nx.utils.graphs_equal(r.digraph, r.ism_digraph)
