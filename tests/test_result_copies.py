"""Copies handed out by ISMResult and level_partition are independent, axes included (shallow copies under pandas 3)."""

from __future__ import annotations

import numpy as np
import pytest

import ism_health as ism
from ism_health.datasets import load_example

TABLES = [
    "final_reachability",
    "transitive",
    "final_reachability_marked",
    "canonical_matrix",
    "micmac_analysis",
    "partition_iterations",
    "initial_reachability",
]


@pytest.mark.parametrize("name", TABLES)
def test_renaming_or_editing_a_table_never_reaches_the_result(name):
    r = ism.analyze(load_example("worked"))
    before = getattr(r, name)
    t = getattr(r, name)
    t.index.name = "renamed"
    t.columns.name = "renamed too"
    first = t.iloc[0, 0]
    t.iloc[0, 0] = "edited" if isinstance(first, str) else (not first) if isinstance(first, (bool, np.bool_)) else 99
    again = getattr(r, name)
    assert again.index.name is None and again.columns.name is None
    assert again.equals(before) and not again.equals(t)


def test_levels_series_keeps_its_own_index():
    r = ism.analyze(load_example("worked"))
    s = r.levels
    s.index.name = "factor"
    s.iloc[0] = 42
    assert r.levels.index.name is None and r.levels.iloc[0] != 42
    frm = [[1, 1], [0, 1]]
    a = ism.level_partition(frm, labels=["x", "y"])
    a.index.name = "factor"
    b = ism.level_partition(frm, labels=["x", "y"])  # the same labels: a view of the same cached Index
    assert b.index.name is None and b.tolist() == [2, 1] and b.index.tolist() == ["x", "y"]


def test_marked_matrix_is_made_from_the_codes():
    r = ism.analyze(load_example("worked"))
    marked = r.final_reachability_marked.to_numpy()
    # independent oracle: a plain Warshall loop over the initial reachability matrix
    irm = r.initial_reachability.to_numpy() == 1
    n = len(irm)
    reach = [[bool(irm[i][j]) or i == j for j in range(n)] for i in range(n)]
    for k in range(n):
        for i in range(n):
            for j in range(n):
                reach[i][j] = reach[i][j] or (reach[i][k] and reach[k][j])
    want = np.array([["1*" if reach[i][j] and not irm[i][j] and i != j else "1" if reach[i][j] else "0"
                      for j in range(n)] for i in range(n)], dtype=object)
    assert marked.dtype == object and (marked == want).all()
