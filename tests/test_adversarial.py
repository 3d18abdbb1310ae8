"""Adversarial level extraction (AISM): both hierarchies, the active factors, the figure."""

import dataclasses

import matplotlib
import numpy as np
import pandas as pd
import pytest

from ism_health import ISMInputError
from ism_health.adversarial import AdversarialLevels, adversarial_levels, plot_adversarial_levels

matplotlib.use("Agg")

# p -> q -> r, q <-> s (a cycle), t -> r, u alone; closed by hand (as in test_levels.py)
LAB = ["p", "q", "r", "s", "t", "u"]
FRM = [
    [1, 1, 1, 1, 0, 0],
    [0, 1, 1, 1, 0, 0],
    [0, 0, 1, 0, 0, 0],
    [0, 1, 1, 1, 0, 0],
    [0, 0, 1, 0, 1, 0],
    [0, 0, 0, 0, 0, 1],
]


def test_hand_checked_example_with_a_cycle():
    a = adversarial_levels(FRM, LAB)
    assert a.result_levels.to_dict() == {"p": 3, "q": 2, "r": 1, "s": 2, "t": 2, "u": 1}
    assert a.cause_levels.to_dict() == {"p": 3, "q": 2, "r": 1, "s": 2, "t": 3, "u": 3}
    assert a.active == ("t", "u")
    assert a.n_levels == 3
    t = a.table
    assert t.index.name == "factor" and t.index.tolist() == LAB
    assert t.columns.tolist() == ["result_level", "cause_level", "active"]
    assert t.active.tolist() == [False, False, False, False, True, True]


def test_chain_has_no_active_factor():
    a = adversarial_levels([[1, 1, 1], [0, 1, 1], [0, 0, 1]], ["a", "b", "c"])
    assert a.active == ()
    assert a.result_levels.tolist() == a.cause_levels.tolist() == [3, 2, 1]


def test_dataframe_input_keeps_labels_and_outputs_are_copies():
    frame = pd.DataFrame(FRM, index=LAB, columns=LAB)
    a = adversarial_levels(frame)
    assert a.table.index.tolist() == LAB
    table = a.table
    table.loc["p", "result_level"] = 99  # a fresh table every time
    assert a.table.loc["p", "result_level"] == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.result_levels = a.cause_levels  # type: ignore[misc]


def test_rejects_non_transitive_input():
    with pytest.raises(ISMInputError, match=r"not transitive: 1 missing entry, e\.g\. a->b->c but not a->c"):
        adversarial_levels([[1, 1, 0], [0, 1, 1], [0, 0, 1]], ["a", "b", "c"])


def test_plot_structure():
    import matplotlib.pyplot as plt

    a = adversarial_levels(FRM, LAB)
    ax = a.plot()
    try:
        texts = {}
        for t in ax.texts:
            texts.setdefault(t.get_text(), []).append(t)
        assert sorted(texts) == sorted(LAB) and all(len(v) == 2 for v in texts.values())
        # y position = -level; the left copy is the result level, the right copy the cause level
        for name in LAB:
            left, right = sorted(texts[name], key=lambda t: t.get_position()[0])
            assert -left.get_position()[1] == a.result_levels[name]
            assert -right.get_position()[1] == a.cause_levels[name]
            bold = {left.get_fontweight(), right.get_fontweight()}
            assert bold == ({"bold"} if name in a.active else {"normal"})
        assert [t.get_text() for t in ax.get_yticklabels()] == ["level 1", "level 2", "level 3"]
        assert len(ax.lines) == len(a.active)  # one dashed line per active factor
        # the table alone draws the same
        ax2 = plot_adversarial_levels(a.table, title=None)
        assert sorted(t.get_text() for t in ax2.texts) == sorted(LAB * 2)
        assert ax2.get_title() == ""
    finally:
        plt.close("all")


def test_dataclass_fields():
    assert [f.name for f in dataclasses.fields(AdversarialLevels)] == ["result_levels", "cause_levels"]
    a = adversarial_levels(np.eye(2, dtype=int), ["x", "y"])
    assert a.active == () and a.n_levels == 1
