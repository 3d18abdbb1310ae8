"""Figures of a robustness result: the structure drawn (cells, outlines, points, arrows), not pixels."""

from __future__ import annotations

import numpy as np
import pytest

import ism_health as ism
from ism_health import robustness_plots as rp
from ism_health.exceptions import ISMInputError
from ism_health.experts import robustness as rb


@pytest.fixture
def small_result():
    panel = ism.simulate_panel(ism.datasets.load_example(), n_experts=6, error_rate=0.15, seed=3)
    return rb.robustness(panel, n_resamples=60, seed=2)


def test_plot_level_stability_structure(small_result):
    import matplotlib.pyplot as plt

    ax = rp.plot_level_stability(small_result)
    freq = small_result.level_frequencies
    shown = [t.get_text() for t in ax.texts]
    assert len(shown) == int((freq.to_numpy() >= 0.01).sum())
    assert [t.get_text() for t in ax.get_yticklabels()] == list(freq.index)
    # one outline per factor, on the panel's level
    boxes = [p for p in ax.patches if not p.get_fill()]
    assert sorted(round(b.get_x() + 1.5) for b in boxes) == sorted(small_result.stability["panel_level"])
    assert ax.get_title() == "Level stability over resamples"
    plt.close("all")
    assert rp.plot_level_stability(small_result, title=None).get_title() == ""
    plt.close("all")


def test_plot_micmac_cloud_structure(small_result):
    import matplotlib.pyplot as plt

    ax = rp.plot_micmac_cloud(small_result, title=None)
    pw = small_result.power_intervals
    crosses = [c for c in ax.collections if c.get_offsets().shape == (len(pw), 2)]
    pts = {tuple(p) for c in crosses for p in np.asarray(c.get_offsets())}
    assert set(zip(pw["dependence_panel"].astype(float), pw["driving_panel"].astype(float))) <= pts
    labels = "\n".join(t.get_text() for t in ax.texts)
    assert all(lab in labels for lab in small_result.labels)
    assert ax.get_title() == ""
    plt.close("all")


def test_plot_edge_frequencies_structure(small_result):
    import matplotlib.pyplot as plt

    ax = rp.plot_edge_frequencies(small_result, min_frequency=0.2)
    arrows = [t for t in ax.texts if t.get_text() == "" and t.arrow_patch is not None]
    assert len(arrows) == int((small_result.edge_frequencies["frequency"] >= 0.2).sum())
    plt.close("all")
    with pytest.raises(ISMInputError, match="min_frequency"):
        rp.plot_edge_frequencies(small_result, min_frequency=2)
    with pytest.raises(ISMInputError, match="RobustnessResult"):
        rp.plot_micmac_cloud(small_result.stability)
