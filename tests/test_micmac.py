"""The binary MICMAC: driving and dependence power, boundaries and clusters."""

import numpy as np
import pytest

import ism_health as ism
from ism_health import ISMInputError

CHAIN = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]  # a -> b -> c, closed
LAB = ["a", "b", "c"]


def test_micmac_thresholds():
    frm = np.triu(np.ones((4, 4), int))  # chain of 4: driving 4,3,2,1; dependence 1,2,3,4
    labels = ["w", "x", "y", "z"]
    half = ism.micmac_analysis(frm, labels)
    assert half.cluster.tolist() == ["independent", "independent", "dependent", "dependent"]
    assert half.on_boundary.tolist() == [False, True, True, False]  # x: dependence 2, y: driving 2
    # mean of driving = 2.5 on both axes
    mean = ism.micmac_analysis(frm, labels, threshold="mean")
    assert mean.attrs["boundaries"] == {"dependence": 2.5, "driving": 2.5}
    assert not mean.on_boundary.any()
    custom = ism.micmac_analysis(frm, labels, threshold=(1.5, 3.5))
    # x: dependence > 1.5 is high; y: driving > 3.5 is high
    assert custom.cluster.tolist() == ["independent", "dependent", "dependent", "dependent"]
    high = ism.micmac_analysis(frm, labels, on_boundary="high")
    assert high.cluster.tolist() == ["independent", "linkage", "linkage", "dependent"]
    assert high.quadrant.tolist() == ["IV", "III", "III", "II"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"threshold": "median"}, "threshold='median' is not allowed; expected one of 'half', 'mean'"),
        ({"threshold": -1}, "threshold=-1 is not allowed"),
        ({"threshold": (1, 2, 3)}, "a pair must be"),
        ({"threshold": float("nan")}, "threshold=nan is not allowed"),
        ({"on_boundary": "middle"}, "on_boundary='middle' is not allowed; expected one of 'low', 'high'"),
    ],
)
def test_micmac_option_errors(kwargs, message):
    with pytest.raises(ISMInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ism.micmac_analysis(CHAIN, LAB, **kwargs)
