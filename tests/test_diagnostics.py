"""Tests of ism_health.diagnostics: contradictions (judgments transitivity overrides) and cycle reports."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

import ism_health as ism
from ism_health import SSIM, ISMInputError, Panel

from .helpers_panels import long_panel, symbol_panels


def test_contradictions_of_an_ssim():
    # a -> b -> c -> d, a vs c "O", b vs d "A" (d -> b: a cycle b, c, d), a vs d "O"
    s = SSIM.from_pairs([("a", "b", "V"), ("b", "c", "V"), ("c", "d", "V"), ("a", "c", "O"),
                         ("b", "d", "A"), ("a", "d", "O")])
    c = contradictions_sorted = ism.contradictions(s)
    # closure adds a->c (a,b,c), a->d (a,b,c,d), b->d (b,c,d), c->b (c,d,b), d->c (d,b,c)
    assert list(zip(c.source, c.target, c.judgment, c.chain_length)) == [
        ("a", "c", "O", 2), ("b", "d", "A", 2), ("c", "b", "A", 2), ("d", "c", "A", 2), ("a", "d", "O", 3),
    ]
    assert c.chain[0] == ("a", "b", "c") and c.chain[4] == ("a", "b", "c", "d")
    assert list(contradictions_sorted.columns) == ["source", "target", "judgment", "chain", "chain_length"]
    # revising a vs c to V removes that contradiction, and a->d now has a 2-link chain
    r = ism.contradictions(s, revisions={("a", "c"): "V"})
    assert ("a", "c") not in set(zip(r.source, r.target))
    assert r.set_index(["source", "target"]).loc[("a", "d"), "chain"] == ("a", "c", "d")
    cyc = ism.cycle_report(s)
    assert cyc[["factor_i", "factor_j", "symbol"]].values.tolist() == [["b", "c", "V"], ["b", "d", "A"], ["c", "d", "V"]]
    assert set(cyc.members) == {("b", "c", "d")}


def test_contradictions_of_a_panel_sorted_by_support():
    # 5 experts over a, b, c, d. Majority (threshold 0.5) gives a->b, b->c, c->d and nothing else.
    # a->b asserted by 5, b->c by 3 (weak), c->d by 5; a vs c: all O; b vs d: 4 O, 1 V; a vs d: all O.
    pairs = [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "d")]
    answers = {
        "e1": "VOOVVV", "e2": "VOOVOV", "e3": "VOOVOV", "e4": "VOOOOV", "e5": "VOOOOV",
    }
    rows = [(e, *pr, s) for e, syms in answers.items() for pr, s in zip(pairs, syms)]
    p = Panel.from_long(rows)
    c = ism.contradictions(p)
    # a->c: chain a,b,c supports (5,3): weakest 3, 5 experts deny
    # b->d: chain b,c,d supports (3,5): weakest 3, 4 experts deny (e1 said V)
    # a->d: chain a,b,c,d (5,3,5): weakest 3, 5 deny, longer
    assert list(zip(c.source, c.target)) == [("a", "c"), ("a", "d"), ("b", "d")]
    assert c.link_support.tolist() == [(5, 3), (5, 3, 5), (3, 5)]
    assert c.weakest_link.tolist() == [("b", "c"), ("b", "c"), ("b", "c")]
    assert c.weakest_link_support.tolist() == [3, 3, 3]
    assert c.experts_asserting.tolist() == [0, 0, 1]
    assert c.experts_not_asserting.tolist() == [5, 5, 4]
    # with b->c revised away nothing is left
    assert ism.contradictions(p, revisions={("b", "c"): "O"}).empty
    # the same options as aggregate are accepted
    # unanimity keeps a->b and c->d only (b->c has 3 of 5): no chain, no contradiction
    assert ism.contradictions(p, rule="unanimity").empty
    assert ism.cycle_report(p).empty


@settings(max_examples=40, deadline=None)
@given(symbol_panels)
def test_contradictions_are_exactly_the_transitive_additions(data):
    n, codes = data
    p = Panel([f"f{i}" for i in range(n)], [f"e{k}" for k in range(len(codes))], np.array(codes))
    ssim = p.aggregate()
    adj = ssim.adjacency
    added = ism.transitive_additions(adj, ism.transitive_closure(adj))
    for table in (ism.contradictions(ssim), ism.contradictions(p)):
        assert len(table) == int(added.sum())
        idx = {lab: k for k, lab in enumerate(ssim.labels)}
        for row in table.itertuples(index=False):
            i, j = idx[row.source], idx[row.target]
            assert added[i, j] and row.judgment in ("O", "A")
            links = list(zip(row.chain[:-1], row.chain[1:]))
            assert all(adj[idx[u], idx[v]] for u, v in links) and len(links) == row.chain_length
    support = p._expert_adjacency().sum(axis=0)
    for row in ism.contradictions(p).itertuples(index=False):
        assert row.link_support == tuple(int(support[idx[u], idx[v]]) for u, v in zip(row.chain[:-1], row.chain[1:]))
        assert row.experts_asserting + row.experts_not_asserting == p.n_experts
    cyc = ism.cycle_report(p)
    assert set(cyc.members) == set(ism.strongly_connected_sets(ism.transitive_closure(adj), ssim.labels))


def test_contradictions_unanimity_detail_and_errors():
    s = SSIM.from_pairs([("a", "b", "V"), ("a", "c", "O"), ("b", "c", "O")])
    empty = ism.contradictions(s)
    assert empty.empty and list(empty.columns) == ["source", "target", "judgment", "chain", "chain_length"]
    with pytest.raises(ISMInputError, match=r"aggregation options \(rule\) apply to a Panel"):
        ism.contradictions(s, rule="mode")
    with pytest.raises(ISMInputError, match="expected an SSIM or a Panel; got list"):
        ism.cycle_report([[0, 1], [0, 0]])  # type: ignore[arg-type]


def test_cycle_report_of_a_panel():
    # a <-> b cycle: a->b by 3 of 3, b->a by 2 of 3 (X, X, V); c isolated
    p = long_panel({"e1": "XOO", "e2": "XOO", "e3": "VOO"})
    cyc = ism.cycle_report(p)
    assert cyc.to_dict("records") == [
        {"cycle": 1, "members": ("a", "b"), "factor_i": "a", "factor_j": "b", "symbol": "X",
         "support_i_to_j": 3, "support_j_to_i": 2, "weakest_support": 2}
    ]
