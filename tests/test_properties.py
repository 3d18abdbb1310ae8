"""Property tests on random SSIMs (n up to 60) against independent oracles.

Oracles: networkx for the closure, condensation and transitive reduction; the
ISM partition rule literally over Python sets for the levels.
"""

import networkx as nx
import numpy as np
from hypothesis import given, settings

import ism_health as ism
from ism_health.digraph import digraph_members

from .strategies import closure_oracle, levels_oracle, relation_from_table, symbol_tables

SETTINGS = settings(max_examples=60, deadline=None)


def _analyze(data):
    tab, labels = data
    return ism.analyze(ism.SSIM.from_symbols(tab, labels)), tab, labels


@SETTINGS
@given(symbol_tables())
def test_final_reachability_matches_networkx(data):
    result, tab, labels = _analyze(data)
    expected = closure_oracle(len(labels), relation_from_table(tab))
    np.testing.assert_array_equal(result.final_reachability.to_numpy().astype(bool), expected)
    # 1* = in the closure but not a direct relation, off the diagonal
    direct = np.zeros_like(expected)
    for i, j in relation_from_table(tab):
        direct[i, j] = True
    np.fill_diagonal(direct, True)
    np.testing.assert_array_equal(result.transitive.to_numpy(), expected & ~direct)


@SETTINGS
@given(symbol_tables())
def test_frm_reflexive_and_transitive(data):
    result, _, _ = _analyze(data)
    r = result.final_reachability.to_numpy().astype(bool)
    assert r.diagonal().all()
    two_step = (r.astype(int) @ r.astype(int)) > 0
    assert not (two_step & ~r).any()


@SETTINGS
@given(symbol_tables())
def test_levels_match_the_iterative_rule_over_sets(data):
    result, _, labels = _analyze(data)
    frm = result.final_reachability.to_numpy().astype(bool)
    assert result.levels.tolist() == levels_oracle(frm.tolist())
    # the partition table assigns the same levels
    t = result.partition
    assigned = t[t.assigned].set_index("factor").level
    assert assigned.reindex(labels).tolist() == result.levels.tolist()


@SETTINGS
@given(symbol_tables())
def test_levels_are_generations_of_the_reversed_condensation(data):
    result, tab, labels = _analyze(data)
    g = nx.DiGraph()
    g.add_nodes_from(range(len(labels)))
    g.add_edges_from(relation_from_table(tab))
    cond = nx.condensation(g)
    level_of_component = {}
    for depth, generation in enumerate(nx.topological_generations(cond.reverse()), start=1):
        for c in generation:
            level_of_component[c] = depth
    expected = [level_of_component[cond.graph["mapping"][i]] for i in range(len(labels))]
    assert result.levels.tolist() == expected


@SETTINGS
@given(symbol_tables())
def test_structure_invariants(data):
    result, _, labels = _analyze(data)
    r = result.final_reachability.to_numpy().astype(bool)
    lv = result.levels.to_numpy()
    m = result.micmac
    n = len(labels)
    for i in range(n):
        for j in range(n):
            if r[i, j] and not r[j, i]:
                assert lv[i] > lv[j]
            if r[i, j] and r[j, i]:  # same cycle: same level, same cluster
                assert lv[i] == lv[j]
                assert m.cluster.iloc[i] == m.cluster.iloc[j]
    assert m.driving_power.tolist() == r.sum(axis=1).tolist()
    assert m.dependence_power.tolist() == r.sum(axis=0).tolist()


@SETTINGS
@given(symbol_tables(max_n=30))
def test_digraph_is_the_reduced_condensation(data):
    result, tab, labels = _analyze(data)
    g = nx.DiGraph()
    g.add_nodes_from(range(len(labels)))
    g.add_edges_from(relation_from_table(tab))
    cond = nx.condensation(g)
    reduced = nx.transitive_reduction(cond)
    members = {c: tuple(labels[i] for i in sorted(cond.nodes[c]["members"])) for c in cond.nodes}
    expected_edges = {(members[u], members[v]) for u, v in reduced.edges()}
    d = result.digraph
    dm = {x: tuple(m) for x, m in digraph_members(d).items()}
    got_edges = {(dm[u], dm[v]) for u, v in d.edges()}
    assert got_edges == expected_edges
    assert sorted(dm[x] for x in d.nodes) == sorted(members.values())
    for x, data_ in d.nodes(data=True):
        assert data_["level"] == result.levels[dm[x][0]]
    for u, v in d.edges():
        assert d.nodes[u]["level"] > d.nodes[v]["level"]


@SETTINGS
@given(symbol_tables(max_n=25))
def test_relabelling_permutes_every_output(data):
    tab, labels = data
    n = len(labels)
    s = ism.SSIM.from_symbols(tab, labels)
    perm = np.random.default_rng(n).permutation(n)
    adj = s.adjacency[np.ix_(perm, perm)]
    s2 = ism.SSIM.from_matrix(adj, [labels[k] for k in perm])
    a, b = ism.analyze(s), ism.analyze(s2)
    assert b.levels.to_dict() == a.levels.to_dict()
    assert b.micmac.sort_index().equals(a.micmac.sort_index())
    assert b.final_reachability_marked.loc[labels, labels].equals(a.final_reachability_marked)
    assert set(map(frozenset, b.cycles)) == set(map(frozenset, a.cycles))


@SETTINGS
@given(symbol_tables(max_n=30))
def test_deterministic(data):
    tab, labels = data
    s = ism.SSIM.from_symbols(tab, labels)
    a, b = ism.analyze(s), ism.analyze(s)
    assert a == b
    assert a.summary() == b.summary()
    assert a.partition.equals(b.partition)
