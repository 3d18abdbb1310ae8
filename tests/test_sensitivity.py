"""Threshold and judgment sensitivity: by hand on a tiny panel, and against brute-force loops."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ism_health as ism
from ism_health.exceptions import ISMInputError
from ism_health.experts import sensitivity as sens


def _tiny() -> ism.Panel:
    # shares: a->b 3/4, a->c 1/4, b->c 2/4, c->b 1/4, nothing else
    rows = []
    for e, (ab, ac, bc) in {"e1": "VOV", "e2": "VVO", "e3": "VOV", "e4": "OOA"}.items():
        rows += [(e, "a", "b", ab), (e, "a", "c", ac), (e, "b", "c", bc)]
    return ism.Panel.from_long(rows)


def test_threshold_sensitivity_by_hand():
    ts = sens.threshold_sensitivity(_tiny())
    assert ts.thresholds == (0.0, 0.25, 0.5, 0.75)
    # θ=0: a->b, a->c, b->c, c->b (b, c a cycle); θ=.25: chain a->b->c; θ=.5: a->b only; θ=.75: nothing
    assert ts.levels.to_dict(orient="index") == {
        "a": {0.0: 2, 0.25: 3, 0.5: 2, 0.75: 1},
        "b": {0.0: 1, 0.25: 2, 0.5: 1, 0.75: 1},
        "c": {0.0: 1, 0.25: 1, 0.5: 1, 0.75: 1},
    }
    # n/2 = 1.5: driving/dependence a (3,1) (3,1) (2,1) (1,1); b (2,3) (2,2) (1,2) (1,1); c (2,3) (1,3) (1,1) (1,1)
    assert ts.clusters.to_dict(orient="index") == {
        "a": {0.0: "independent", 0.25: "independent", 0.5: "independent", 0.75: "autonomous"},
        "b": {0.0: "linkage", 0.25: "linkage", 0.5: "dependent", 0.75: "autonomous"},
        "c": {0.0: "linkage", 0.25: "dependent", 0.5: "autonomous", 0.75: "autonomous"},
    }
    assert ts.changes.to_numpy().tolist() == [
        ["a", "level", 0.25, 2, 3],
        ["b", "level", 0.25, 1, 2],
        ["c", "cluster", 0.25, "linkage", "dependent"],
        ["a", "level", 0.5, 3, 2],
        ["b", "level", 0.5, 2, 1],
        ["b", "cluster", 0.5, "linkage", "dependent"],
        ["c", "cluster", 0.5, "dependent", "autonomous"],
        ["a", "level", 0.75, 2, 1],
        ["a", "cluster", 0.75, "independent", "autonomous"],
        ["b", "cluster", 0.75, "dependent", "autonomous"],
    ]
    assert ts.links.to_numpy().tolist() == [
        ["a", "b", 0.75, 0.75],
        ["b", "c", 0.5, 0.5],
        ["a", "c", 0.25, 0.25],
        ["c", "b", 0.25, 0.25],
    ]


def test_threshold_sensitivity_not_strict_and_given_grid():
    ts = sens.threshold_sensitivity(_tiny(), strict=False)
    assert ts.thresholds == (0.25, 0.5, 0.75, 1.0)
    # share >= θ: at 0.25 everything, at 0.5 the chain, at 0.75 a->b, at 1 nothing
    assert ts.levels.loc["a"].tolist() == [2, 3, 2, 1]
    ts2 = sens.threshold_sensitivity(_tiny(), thresholds=[0.6, 0.1, 0.6])
    assert ts2.thresholds == (0.1, 0.6)
    assert ts2.levels.loc["b"].tolist() == [1, 1] and ts2.clusters.loc["b"].tolist() == ["linkage", "dependent"]
    link = ts2.links.set_index(["source", "target"])
    assert np.isnan(link.loc[("a", "b"), "flips_at"]) and link.loc[("b", "c"), "flips_at"] == 0.6


@pytest.mark.parametrize("seed", [1, 2])
def test_threshold_sensitivity_equals_aggregate_loop(seed):
    panel = ism.simulate_panel(ism.datasets.load_example(), n_experts=7, error_rate=0.25, seed=seed)
    ts = sens.threshold_sensitivity(panel, micmac_threshold="mean")
    for t in ts.thresholds:
        res = ism.analyze(panel.aggregate(threshold=t), micmac_threshold="mean")
        assert ts.levels[t].to_dict() == res.levels.to_dict()
        assert ts.clusters[t].tolist() == res.micmac["cluster"].tolist()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"thresholds": [1.0]}, "threshold"),
        ({"thresholds": []}, "empty"),
        ({"thresholds": "0.5"}, "sequence"),
        ({"thresholds": [0.2, "x"]}, "threshold"),
        ({"weights": {"zz": 1}}, "unknown expert"),
        ({"on_boundary": "mid"}, "on_boundary"),
        ({"micmac_threshold": "max"}, "threshold"),
    ],
)
def test_threshold_sensitivity_errors(kwargs, match):
    with pytest.raises(ISMInputError, match=match):
        sens.threshold_sensitivity(_tiny(), **kwargs)
    with pytest.raises(ISMInputError, match="needs a Panel"):
        sens.threshold_sensitivity(ism.datasets.load_example())


def _brute_judgments(ssim: ism.SSIM, micmac_threshold="half") -> pd.DataFrame:
    base = ism.analyze(ssim, micmac_threshold=micmac_threshold)
    rows = []
    labels = ssim.labels
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            a, b = labels[i], labels[j]
            now = ssim.symbol(a, b)
            for sym in "VAXO":
                if sym == now:
                    continue
                res = ism.analyze(ssim.revise({(a, b): sym}), micmac_threshold=micmac_threshold)
                dl = res.levels != base.levels
                dc = res.micmac["cluster"] != base.micmac["cluster"]
                if dl.any() or dc.any():
                    rows.append(
                        (
                            a,
                            b,
                            now,
                            sym,
                            int(dl.sum()),
                            int((res.levels - base.levels).abs().sum()),
                            int(dc.sum()),
                            ", ".join(x for x in labels if dl[x] or dc[x]),
                        )
                    )
    return pd.DataFrame(
        rows,
        columns=[
            "factor_i",
            "factor_j",
            "symbol",
            "changed_to",
            "levels_changed",
            "level_shift",
            "clusters_changed",
            "factors",
        ],
    )


@pytest.mark.parametrize("name, micmac_threshold", [("worked", "half"), ("worked", "mean"), (None, "half")])
def test_judgment_sensitivity_equals_single_change_loop(name, micmac_threshold):
    ssim = ism.datasets.load_example(name) if name else ism.datasets.load_example()
    got = sens.judgment_sensitivity(ssim, micmac_threshold=micmac_threshold)
    want = _brute_judgments(ssim, micmac_threshold)
    cols = list(want.columns)
    assert sorted(map(tuple, got[cols].to_numpy().tolist())) == sorted(map(tuple, want.to_numpy().tolist()))
    assert (got["changed"] == got["levels_changed"] + got["clusters_changed"]).all()
    # ranked: most changed first, then largest level shift
    key = list(zip(-got["changed"], -got["level_shift"]))
    assert key == sorted(key)


def test_judgment_sensitivity_nothing_changes_and_errors():
    # two factors: every change of a-b alters levels or clusters, so use a check on the count instead
    s = ism.SSIM.from_symbols([["", "O"], ["", ""]], labels=["a", "b"])
    out = sens.judgment_sensitivity(s)
    assert out[["symbol", "changed_to"]].to_numpy().tolist() == [["O", "V"], ["O", "A"], ["O", "X"]]
    with pytest.raises(ISMInputError, match="needs an SSIM"):
        sens.judgment_sensitivity([[0, 1], [0, 0]])
    with pytest.raises(ISMInputError, match="on_boundary"):
        sens.judgment_sensitivity(s, on_boundary="mid")
