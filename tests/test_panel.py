"""Tests of ism_health.experts.panel: building a Panel (long table, SSIMs), its accessors and round trips."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from ism_health import SSIM, ISMInputError, Panel

from .helpers_panels import long_panel, symbol_panels


def test_from_long_normalises_pair_order_and_keeps_comments():
    df = pd.DataFrame(
        {
            "expert": ["e1", "e1", "e1"],
            "factor_i": ["a", "c", "b"],
            "factor_j": ["b", "a", "c"],
            "symbol": [" v ", "V", "o"],
            "comment": ["sure", None, "?"],
        }
    )
    p = Panel.from_long(df, labels=["a", "b", "c"])
    long = p.to_long()
    # (c, a, V) is c -> a, i.e. (a, c) = A
    assert long[["factor_i", "factor_j", "symbol"]].values.tolist() == [["a", "b", "V"], ["a", "c", "A"], ["b", "c", "O"]]
    assert long.comment.tolist() == ["sure", "", "?"]
    assert p.sources == {"e1": "long table"}


def test_from_long_reports_every_problem():
    rows = [
        ("", "a", "b", "V"),  # blank expert
        ("e1", "a", "zz", "V"),  # unknown factor
        ("e1", "a", "a", "V"),  # same factor
        ("e1", "a", "b", "Y"),  # invalid symbol
        ("e1", "a", "c", "V"),
        ("e1", "c", "a", "A"),  # duplicate (same pair, other order)
    ]
    with pytest.raises(ISMInputError) as info:
        Panel.from_long(rows, labels=["a", "b", "c"], source="answers.csv")
    problems = info.value.problems
    assert len(problems) == 5
    assert problems[0].startswith("row 1 ") and "blank expert" in problems[0]
    assert "row 2" in problems[1] and "unknown factor 'zz'" in problems[1]
    assert "row 3" in problems[2] and "itself" in problems[2]
    assert "row 4" in problems[3] and "pair ('a', 'b')" in problems[3] and "'Y'" in problems[3]
    assert "row 6" in problems[4] and "answered twice (first in row 5)" in problems[4]
    assert str(info.value).startswith("answers.csv: 5 problems found")


def test_from_long_missing_answer_and_columns():
    with pytest.raises(ISMInputError, match=r"expert 'e2', pair \('a', 'c'\): no answer; .*never read as O"):
        Panel.from_long([("e1", "a", "b", "V"), ("e1", "a", "c", "O"), ("e1", "b", "c", "O"),
                         ("e2", "a", "b", "V"), ("e2", "b", "c", "O")])
    # an invalid answer is not reported again as missing; an expert whose rows name unknown factors gets no
    # "missing" noise; other experts' missing pairs are still reported in the same error
    with pytest.raises(ISMInputError) as info:
        Panel.from_long([("e1", "a", "b", "?"), ("e1", "a", "c", "O"),
                         ("e2", "a", "zz", "V"), ("e2", "a", "c", "O"), ("e2", "b", "c", "O")], labels=["a", "b", "c"])
    assert info.value.problems == [
        "row 1 ('e1', 'a', 'b', '?'), expert 'e1', pair ('a', 'b'): symbol is '?'; expected one of V, A, X, O.",
        "row 3 ('e2', 'a', 'zz', 'V'), expert 'e2', names unknown factor 'zz'; expected one of the 3 factors.",
        "expert 'e1', pair ('b', 'c'): no answer; expected one of V, A, X, O (a missing answer is never read as O).",
    ]
    with pytest.raises(ISMInputError, match=r"missing \['symbol'\]"):
        Panel.from_long(pd.DataFrame({"expert": ["e"], "factor_i": ["a"], "factor_j": ["b"]}))
    with pytest.raises(ISMInputError, match="expected \\(expert, factor_i, factor_j, symbol"):
        Panel.from_long([("e", "a", "b")])


def test_from_ssims_and_errors():
    s1 = SSIM.from_pairs([("a", "b", "V"), ("a", "c", "O"), ("b", "c", "X")])
    s2 = s1.revise({("a", "c"): "A"})
    p = Panel.from_ssims({"x": s1, "y": s2})
    assert p.experts == ("x", "y")
    assert p.expert_ssim("y") == s2
    assert Panel.from_ssims([s1, s2]).experts == ("E01", "E02")
    other = SSIM.from_pairs([("a", "b", "V"), ("a", "d", "O"), ("b", "d", "X")])
    with pytest.raises(ISMInputError, match=r"expert 'E02': the SSIM's factors differ .*only here: \['d'\]"):
        Panel.from_ssims([s1, other])
    with pytest.raises(ISMInputError, match="item 2 is a str; expected an SSIM"):
        Panel.from_ssims([s1, "nope"])
    with pytest.raises(ISMInputError, match="3 expert identifiers given for 2 SSIMs"):
        Panel.from_ssims([s1, s2], experts=["a", "b", "c"])
    with pytest.raises(ISMInputError, match="expert 'a' is listed twice"):
        Panel.from_ssims([s1, s2], experts=["a", "a"])


def test_panel_is_read_only_and_prints():
    p = long_panel({"e1": "VOA", "e2": "VVO"})
    with pytest.raises(ValueError):
        p.codes[0, 0] = 3
    with pytest.raises(AttributeError):
        p.labels = ("z",)  # type: ignore[misc]
    long = p.to_long()
    long.loc[0, "symbol"] = "X"
    assert p.to_long().loc[0, "symbol"] == "V"
    assert repr(p) == "Panel(2 experts x 3 pairs of 3 factors: 'a', 'b', 'c')"
    assert "<table" in p._repr_html_() and "e1, e2" in p._repr_html_()
    assert p == long_panel({"e1": "VOA", "e2": "VVO"}) and p != long_panel({"e1": "VOA", "e2": "VVX"})
    assert (p.n_experts, p.n_factors, p.n_pairs) == (2, 3, 3)
    with pytest.raises(ISMInputError, match="unknown expert 'zz'"):
        p.expert_ssim("zz")


@settings(max_examples=30, deadline=None)
@given(symbol_panels)
def test_long_table_round_trip(data):
    n, codes = data
    p = Panel([f"f{i}" for i in range(n)], [f"e{k}" for k in range(len(codes))], np.array(codes))
    assert Panel.from_long(p.to_long(), labels=p.labels) == p
    assert Panel.from_ssims([p.expert_ssim(e) for e in p.experts], experts=p.experts) == p
