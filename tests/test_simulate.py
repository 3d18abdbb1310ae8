"""Tests of ism_health.experts.simulate: simulated panels (determinism, the documented noise model, errors)."""

from __future__ import annotations

import numpy as np
import pytest

import ism_health as ism
from ism_health import ISMInputError, Panel
from ism_health.datasets import load_example


def test_simulate_panel_is_deterministic_and_documented_noise():
    truth = load_example("worked")
    a = ism.simulate_panel(truth, 6, 0.2, seed=3)
    assert a == ism.simulate_panel(truth, 6, 0.2, seed=3)
    assert a != ism.simulate_panel(truth, 6, 0.2, seed=4)
    assert a.experts == ("E01", "E02", "E03", "E04", "E05", "E06")
    exact = ism.simulate_panel(truth, 4, 0.0, seed=1)
    assert all(exact.expert_ssim(e) == truth for e in exact.experts)
    wrong = ism.simulate_panel(truth, 3, 1.0, seed=1)
    true_codes = Panel.from_ssims([truth]).codes[0]
    assert (wrong.codes != true_codes).all()
    big = ism.simulate_panel(truth, 400, 0.25, seed=5, concentration=None)
    assert (big.codes != true_codes).mean() == pytest.approx(0.25, abs=0.02)
    # wrong answers spread uniformly over the three other symbols
    shift = (big.codes.astype(int) - true_codes) % 4
    shares = np.bincount(shift[shift > 0], minlength=4)[1:] / (shift > 0).sum()
    assert shares == pytest.approx([1 / 3] * 3, abs=0.03)
    m = ism.simulate_panel([[0, 1], [0, 0]], 2, 0.0, seed=0, labels=["p", "q"])
    assert m.labels == ("p", "q") and m.aggregate().symbol("p", "q") == "V"


def test_simulate_panel_errors():
    with pytest.raises(ISMInputError) as info:
        ism.simulate_panel(load_example("worked"), 0, 1.5, seed=1, concentration=-1)
    assert [p.split(" is not")[0] for p in info.value.problems] == ["n_experts=0", "error_rate=1.5", "concentration=-1"]
    with pytest.raises(ISMInputError, match="labels= is for a matrix"):
        ism.simulate_panel(load_example("worked"), 2, 0.1, labels=list("abcdefgh"))
