"""Tests of ism_health.experts.agreement: Fleiss' kappa, Krippendorff's alpha, per pair and per expert."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings

import ism_health as ism
from ism_health import ISMInputError, Panel
from ism_health.datasets import load_categories, load_example
from ism_health.experts import (
    fleiss_kappa,
    krippendorff_alpha,
)

from .helpers_panels import long_panel, symbol_panels


def test_agreement_hand_computed():
    # votes per pair (V, A, X, O): (a,b) 2,1,0,0; (a,c) 0,0,0,3; (b,c) 0,1,2,0
    # P_i = (sum n^2 - 3) / 6: 1/3, 1, 1/3 -> P_bar = 5/9
    # p = V 2/9, A 2/9, X 2/9, O 3/9 -> P_e = 21/81; kappa = (45-21)/(81-21) = 0.4
    # alpha: D_o = 4 disagreeing ordered pairs, n = 9, D_e = 81 - 21 = 60 -> 1 - 8*4/60 = 7/15
    p = long_panel({"e1": "VOX", "e2": "VOA", "e3": "AOX"})
    ag = p.agreement()
    assert ag.fleiss_kappa == pytest.approx(0.4)
    assert ag.krippendorff_alpha == pytest.approx(7 / 15)
    assert ag.per_pair.pair_agreement.tolist() == pytest.approx([1 / 3, 1, 1 / 3])
    assert ag.per_pair.modal_share.tolist() == pytest.approx([2 / 3, 1, 2 / 3])
    assert ag.per_pair.modal_symbols.tolist() == ["V", "O", "X"]
    # decision (threshold): a->b 2/3 -> V; (a,c) O; b->c 2/3, c->b 3/3 -> X
    assert ag.per_pair.decision.tolist() == ["V", "O", "X"]
    assert ag.per_pair.low_agreement.tolist() == [True, False, True]
    assert ag.share_low_agreement == pytest.approx(2 / 3)
    assert ag.low_agreement.index.tolist() == [0, 2]
    # e1 matches V, O, X = 3/3; e2 V, O, (A != X) = 2/3; e3 (A != V), O, X = 2/3
    assert ag.experts.agreement_with_panel.tolist() == pytest.approx([1, 2 / 3, 2 / 3])
    assert ag.experts.pairs_differing.tolist() == [0, 1, 1]
    # Cohen's kappa e2 vs decision: p_o = 2/3; e2 (V,O,A), decision (V,O,X): p_e = 1/9 + 1/9 = 2/9
    assert ag.experts.kappa_with_panel[1] == pytest.approx((2 / 3 - 2 / 9) / (1 - 2 / 9))
    assert "Fleiss' kappa: 0.400" in ag.summary()
    assert repr(ag).startswith("PanelAgreement(fleiss_kappa=0.4000, krippendorff_alpha=0.4667, low_agreement=2 of 3")
    assert "<pre>" in ag._repr_html_()


def test_statistics_undefined_cases():
    # everyone always says O: P_e = 1 -> kappa and alpha undefined (nan), no warning
    p = long_panel({"e1": "OOO", "e2": "OOO"})
    ag = p.agreement()
    assert math.isnan(ag.fleiss_kappa) and math.isnan(ag.krippendorff_alpha)
    single = long_panel({"e1": "VOX"})
    assert math.isnan(single.agreement().fleiss_kappa)
    with pytest.raises(ISMInputError, match="same number of ratings"):
        fleiss_kappa([[1, 1], [3, 0]])
    # Krippendorff copes with unequal numbers of ratings; a unit with one rating is dropped
    assert krippendorff_alpha([[2, 0], [0, 2], [1, 0]]) == pytest.approx(krippendorff_alpha([[2, 0], [0, 2]]))


@settings(max_examples=60, deadline=None)
@given(symbol_panels.filter(lambda d: len(d[1]) >= 2))
def test_statistics_match_statsmodels_and_krippendorff(data):
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    krippendorff = pytest.importorskip("krippendorff")
    n, codes = data
    codes = np.array(codes)
    p = Panel([f"f{i}" for i in range(n)], [f"e{k}" for k in range(len(codes))], codes)
    ag = p.agreement(ties="liberal")
    counts = np.stack([(codes == c).sum(axis=0) for c in range(4)], axis=1)
    if len(np.unique(codes)) < 2:
        assert math.isnan(ag.fleiss_kappa) and math.isnan(ag.krippendorff_alpha)
        return
    assert ag.fleiss_kappa == pytest.approx(inter_rater.fleiss_kappa(counts), abs=1e-12)
    ref = krippendorff.alpha(reliability_data=codes.astype(float), level_of_measurement="nominal")
    assert ag.krippendorff_alpha == pytest.approx(ref, abs=1e-12)


def test_krippendorff_with_missing_matches_package():
    krippendorff = pytest.importorskip("krippendorff")
    data = np.array([[1, 2, 3, 3, np.nan, 1], [1, 2, 3, 2, 2, np.nan], [np.nan, 2, 1, 3, 2, 1]])
    counts = np.stack([(data == c).sum(axis=0) for c in (1, 2, 3)], axis=1)
    ref = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha(counts) == pytest.approx(ref)


def test_twelve_expert_simulated_panel_over_the_13_categories():
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    krippendorff = pytest.importorskip("krippendorff")
    truth = load_example()
    assert truth.labels == tuple(load_categories().category)
    panel = ism.simulate_panel(truth, n_experts=12, error_rate=0.15, seed=2024)
    assert (panel.n_experts, panel.n_pairs) == (12, 78)
    consensus = panel.aggregate()
    report = panel.aggregation_report()
    assert len(report) == 78 and report[["votes_V", "votes_A", "votes_X", "votes_O"]].sum(axis=1).eq(12).all()
    result = ism.analyze(consensus)
    assert set(result.levels.index) == set(truth.labels)
    ag = panel.agreement()
    counts = panel.votes()[["V", "A", "X", "O"]].to_numpy()
    assert ag.fleiss_kappa == pytest.approx(inter_rater.fleiss_kappa(counts))
    assert ag.krippendorff_alpha == pytest.approx(
        krippendorff.alpha(reliability_data=panel.codes.astype(float), level_of_measurement="nominal")
    )
    # figures quoted in the issue note (seed 2024)
    assert round(ag.fleiss_kappa, 3) == 0.606 and round(ag.krippendorff_alpha, 3) == 0.607
    assert int(ag.per_pair.low_agreement.sum()) == 4
    c = ism.contradictions(panel)
    adj = consensus.adjacency
    idx = {lab: k for k, lab in enumerate(consensus.labels)}
    for row in c.itertuples(index=False):
        i, j = idx[row.source], idx[row.target]
        assert not adj[i, j] and row.judgment in ("O", "A")
        assert row.chain[0] == row.source and row.chain[-1] == row.target
        assert all(adj[idx[u], idx[v]] for u, v in zip(row.chain[:-1], row.chain[1:]))
        assert row.weakest_link_support == min(row.link_support) > 6  # every link passed the 0.5 threshold
    keys = list(zip(c.weakest_link_support, -c.experts_not_asserting, c.chain_length))
    assert keys == sorted(keys)
    assert len(c) == int(result.transitive.to_numpy().sum())
    cyc = ism.cycle_report(panel)
    assert {m for m in cyc.members} == {tuple(x) for x in result.cycles}
