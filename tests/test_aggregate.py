"""Tests of ism_health.experts.aggregate: the aggregation rules, weights, ties, option checks and the registry."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ism_health import ISMInputError, Panel

from .helpers_panels import long_panel, symbol_panels


def test_threshold_rule_hand_computed():
    # pair (a,b): V V X O -> a->b asserted by V,V,X = 3/4 > 0.5; b->a by X = 1/4 -> V
    # pair (a,c): X X A O -> a->c 2/4 = 0.5 (tie at threshold, strict: no); c->a 3/4 -> A
    # pair (b,c): O O O V -> b->c 1/4; c->b 0 -> O
    p = long_panel({"e1": "VXO", "e2": "VXO", "e3": "XAO", "e4": "OOV"})
    r = p.aggregation_report()
    assert r.decision.tolist() == ["V", "A", "O"]
    assert r.share_i_to_j.tolist() == [0.75, 0.5, 0.25]
    assert r.share_j_to_i.tolist() == [0.25, 0.75, 0.0]
    assert r[["votes_V", "votes_A", "votes_X", "votes_O"]].values.tolist() == [[2, 0, 1, 1], [0, 1, 2, 1], [1, 0, 0, 3]]
    assert r.tie.tolist() == [False, True, False]
    assert r.tied[1] == "at threshold"
    assert "a -> c share 0.5 equals threshold 0.5: not asserted (strict" in r.tie_resolution[1]
    assert p.aggregate().symbol("a", "c") == "A"
    # inclusive: a->c reaches 0.5 -> X
    assert p.aggregate(strict=False).symbol("a", "c") == "X"
    assert p.aggregation_report(strict=False).tie_resolution[1].endswith("asserted (share may equal it)")
    # threshold 0.7: a->b 0.75 V; c->a 0.75 -> A; so unchanged; threshold 0.8: all O
    assert p.aggregate(threshold=0.8).to_pairs().symbol.tolist() == ["O", "O", "O"]


def test_mode_rule_ties():
    # (a,b): V V A A -> tie V/A; (a,c): V X -> tie V/X; (b,c): X X O O -> tie X/O
    p = long_panel({"e1": "VVX", "e2": "VXX", "e3": "AVO", "e4": "AXO"})
    with pytest.raises(ISMInputError) as info:
        p.aggregate("mode")
    problems = info.value.problems
    assert len(problems) == 3
    assert problems[0].startswith("pair ('a', 'b'): tie between V, A (votes V=2, A=2, X=0, O=0)")
    assert "ties='conservative'" in problems[0] and "ties='liberal'" in problems[0]
    # conservative: directions every tied symbol asserts: V&A -> O, V&X -> V, X&O -> O
    assert p.aggregate("mode", ties="conservative").to_pairs().symbol.tolist() == ["O", "V", "O"]
    # liberal: any direction: V|A -> X, V|X -> X, X|O -> X
    assert p.aggregate("mode", ties="liberal").to_pairs().symbol.tolist() == ["X", "X", "X"]
    r = p.aggregation_report("mode", ties="conservative")
    assert r.tie.all()
    assert r.tied.tolist() == ["V, A", "V, X", "X, O"]
    assert r.tie_resolution.tolist() == ["conservative: O", "conservative: V", "conservative: O"]


def test_mode_without_tie_and_unanimity():
    # (a,b): V V V A -> mode V; unanimity: a->b 3/4 no, b->a 1/4 no -> O
    # (a,c): X X X X -> X both ways
    # (b,c): A X A A -> mode A; unanimity: c->b by all 4 -> A, b->c only X -> no
    p = long_panel({"e1": "VXA", "e2": "VXX", "e3": "VXA", "e4": "AXA"})
    assert p.aggregate("mode").to_pairs().symbol.tolist() == ["V", "X", "A"]
    assert not p.aggregation_report("mode").tie.any()
    assert p.aggregate("unanimity").to_pairs().symbol.tolist() == ["O", "X", "A"]


def test_weighted_experts():
    # weights e1=3, e2=1, e3=1 (total 5); (a,b): V O O -> a->b share 3/5 = 0.6 > 0.5 -> V
    # mode, (a,b): V weight 3 vs O weight 2 -> V; (a,c): O A A -> A 2 vs O 3 -> O
    p = long_panel({"e1": "VOO", "e2": "OAO", "e3": "OAO"})
    w = {"e1": 3, "e2": 1.0, "e3": 1}
    r = p.aggregation_report(weights=w)
    assert r.share_i_to_j[0] == pytest.approx(0.6)
    assert r.weight_V[0] == 3 and r.weight_O[0] == 2
    assert p.aggregate(weights=w).to_pairs().symbol.tolist() == ["V", "O", "O"]
    assert p.aggregate().to_pairs().symbol.tolist() == ["O", "A", "O"]
    assert p.aggregate("mode", weights=w).to_pairs().symbol.tolist() == ["V", "O", "O"]
    with pytest.raises(ISMInputError) as info:
        p.aggregate(weights={"e1": 0, "e2": float("nan"), "zz": 1})
    assert info.value.problems == [
        "weights name unknown expert 'zz'; expected one of ['e1', 'e2', 'e3'].",
        "weight of expert 'e1' is 0; expected a positive finite number.",
        "weight of expert 'e2' is nan; expected a positive finite number.",
        "weights give no weight for expert 'e3'; expected a positive weight for every expert.",
    ]


def test_option_errors():
    p = long_panel({"e1": "VOO"})
    with pytest.raises(ISMInputError, match="rule='majority' is not allowed; expected one of 'threshold', 'mode', 'unanimity'"):
        p.aggregate("majority")  # type: ignore[arg-type]
    with pytest.raises(ISMInputError, match="ties='random' is not allowed; expected one of 'raise', 'conservative', 'liberal'"):
        p.aggregate("mode", ties="random")  # type: ignore[arg-type]
    with pytest.raises(ISMInputError, match=r"threshold=1.0 is not allowed; expected a number in \[0, 1\) with strict=True"):
        p.aggregate(threshold=1.0)
    with pytest.raises(ISMInputError, match="threshold='half' is not allowed"):
        p.aggregate(threshold="half")  # type: ignore[arg-type]
    assert p.aggregate(threshold=1.0, strict=False).symbol("a", "b") == "V"
    with pytest.raises(ISMInputError, match=r"low=2 is not allowed"):
        p.agreement(low=2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(symbol_panels, st.integers(1, 6))
def test_identical_experts_aggregate_to_their_ssim(data, k):
    n, codes = data
    labels = [f"f{i}" for i in range(n)]
    one = Panel(labels, ["x"], np.array(codes[:1]))
    ssim = one.expert_ssim("x")
    panel = Panel.from_ssims([ssim] * k)
    for rule in ("threshold", "mode", "unanimity"):
        assert panel.aggregate(rule) == ssim
    ag = panel.agreement()
    assert (ag.per_pair.pair_agreement.fillna(1) == 1).all()
    if k > 1 and len(set(codes[0])) > 1:
        assert ag.fleiss_kappa == pytest.approx(1.0)
        assert ag.krippendorff_alpha == pytest.approx(1.0)
    assert (ag.experts.agreement_with_panel == 1).all()


@settings(max_examples=40, deadline=None)
@given(symbol_panels, st.randoms(use_true_random=False))
def test_permuting_experts_changes_nothing(data, rnd):
    n, codes = data
    labels = [f"f{i}" for i in range(n)]
    experts = [f"e{k}" for k in range(len(codes))]
    p = Panel(labels, experts, np.array(codes))
    order = list(range(len(codes)))
    rnd.shuffle(order)
    q = Panel(labels, [experts[k] for k in order], np.array(codes)[order])
    w = {e: 1 + k for k, e in enumerate(experts)}
    for rule in ("threshold", "mode", "unanimity"):
        assert p.aggregate(rule, ties="liberal") == q.aggregate(rule, ties="liberal")
        assert p.aggregate(rule, ties="conservative", weights=w) == q.aggregate(rule, ties="conservative", weights=w)
    a, b = p.agreement(ties="liberal"), q.agreement(ties="liberal")
    for x, y in ((a.fleiss_kappa, b.fleiss_kappa), (a.krippendorff_alpha, b.krippendorff_alpha)):
        assert (math.isnan(x) and math.isnan(y)) or x == pytest.approx(y)
    pd.testing.assert_frame_equal(a.per_pair, b.per_pair)


# ====================================================================== the registry of rules
def test_rules_registry_lists_the_rules_in_message_order():
    from ism_health.experts.aggregate import RULES, mode_rule, threshold_rule, unanimity_rule

    assert list(RULES) == ["threshold", "mode", "unanimity"]
    assert RULES["threshold"] is threshold_rule and RULES["mode"] is mode_rule and RULES["unanimity"] is unanimity_rule


def test_a_new_rule_is_one_function_and_one_registry_entry(monkeypatch):
    from ism_health import contradictions
    from ism_health.experts.aggregate import RULES, Decision

    def any_rule(t, *, threshold, strict, ties):
        """i -> j holds when at least one expert asserts it."""
        return Decision(((t.share_forward > 0) + 2 * (t.share_backward > 0)).astype(np.int8))

    monkeypatch.setitem(RULES, "any", any_rule)
    # (a,b): V, O -> a->b by e1: V; (a,c): O, O -> O; (b,c): A, X -> c->b by both, b->c by e2: X
    p = long_panel({"e1": "VOA", "e2": "OOX"})
    assert p.aggregate("any").to_pairs().symbol.tolist() == ["V", "O", "X"]  # type: ignore[arg-type]
    report = p.aggregation_report("any")  # type: ignore[arg-type]
    assert report.rule.tolist() == ["any"] * 3 and not report.tie.any() and (report.tied == "").all()
    assert p.agreement(rule="any").per_pair.decision.tolist() == ["V", "O", "X"]  # type: ignore[arg-type]
    # a -> b and b <-> c force a -> c, judged O: one contradiction, each link asserted by one expert
    c = contradictions(p, rule="any")
    assert list(zip(c.source, c.target, c.chain, c.link_support)) == [("a", "c", ("a", "b", "c"), (1, 1))]
    with pytest.raises(ISMInputError, match="expected one of 'threshold', 'mode', 'unanimity', 'any'"):
        p.aggregate("majority")  # type: ignore[arg-type]
    # the options are still checked up front, whatever the rule
    with pytest.raises(ISMInputError, match="threshold=2.0 is not allowed"):
        p.aggregate("any", threshold=2.0)  # type: ignore[arg-type]


def _oracle(codes, weights, rule, threshold, strict, ties):
    """The decision per pair by a literal loop over experts, in exact fractions (written apart from the rules)."""
    from fractions import Fraction

    total = sum(weights)
    out = []
    for p in range(len(codes[0])):
        says = [row[p] for row in codes]
        fwd = Fraction(sum(w for w, c in zip(weights, says) if c in (1, 3)), total)
        bwd = Fraction(sum(w for w, c in zip(weights, says) if c in (2, 3)), total)
        if rule == "unanimity":
            out.append("OVAX"[(fwd == 1) + 2 * (bwd == 1)])
        elif rule == "threshold":
            t = Fraction(threshold)
            f_on, b_on = (fwd > t, bwd > t) if strict else (fwd >= t, bwd >= t)
            out.append("OVAX"[f_on + 2 * b_on])
        else:
            votes = {s: sum(w for w, c in zip(weights, says) if "OVAX"[c] == s) for s in "OVAX"}
            best = max(votes.values())
            tied = [s for s in "OVAX" if votes[s] == best]
            directions = [({"V", "X"} & {s}, {"A", "X"} & {s}) for s in tied]
            if ties == "conservative":
                f, b = all(d[0] for d in directions), all(d[1] for d in directions)
            else:
                f, b = any(d[0] for d in directions), any(d[1] for d in directions)
            out.append("OVAX"[bool(f) + 2 * bool(b)])
    return out


@settings(max_examples=60, deadline=None)
@given(symbol_panels, st.data())
def test_rules_match_a_literal_oracle(data, draw):
    from fractions import Fraction

    n, codes = data
    weights = draw.draw(st.lists(st.integers(1, 4), min_size=len(codes), max_size=len(codes)))
    strict = draw.draw(st.booleans())
    k = draw.draw(st.integers(0, 6) if strict else st.integers(1, 7))
    threshold = k / 7  # shares are k'/total: some land exactly on the threshold, most do not
    labels = [f"f{i}" for i in range(n)]
    experts = [f"e{i}" for i in range(len(codes))]
    p = Panel(labels, experts, np.array(codes))
    w = dict(zip(experts, weights))
    for rule in ("threshold", "mode", "unanimity"):
        for ties in ("conservative", "liberal"):
            got = p.aggregate(rule, threshold=threshold, strict=strict, ties=ties, weights=w).to_pairs().symbol.tolist()
            assert got == _oracle(codes, weights, rule, Fraction(k, 7), strict, ties), (rule, ties)
