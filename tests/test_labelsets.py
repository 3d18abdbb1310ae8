"""The set columns of partition tables (LabelSetArray): they behave as the object columns of tuples they replace."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import ism_health as ism
import ism_health.levels as levels_mod
from ism_health._labelsets import LabelSetArray
from ism_health.levels import LabelSet

SETS = ["reachability_set", "antecedent_set", "intersection_set"]
FRM = [[1, 1, 1, 0], [0, 1, 1, 0], [0, 1, 1, 0], [0, 1, 1, 1]]  # Law -> (Trust <-> Use) <- Value
NAMES = ["Law", "Trust", "Use", "Value"]


def literal_table() -> pd.DataFrame:
    """The same table with plain object columns of tuples, written out by hand."""
    rows = [
        (1, "Law", ("Law", "Trust", "Use"), ("Law",), ("Law",), False, pd.NA),
        (1, "Trust", ("Trust", "Use"), ("Law", "Trust", "Use", "Value"), ("Trust", "Use"), True, 1),
        (1, "Use", ("Trust", "Use"), ("Law", "Trust", "Use", "Value"), ("Trust", "Use"), True, 1),
        (1, "Value", ("Trust", "Use", "Value"), ("Value",), ("Value",), False, pd.NA),
        (2, "Law", ("Law",), ("Law",), ("Law",), True, 2),
        (2, "Value", ("Value",), ("Value",), ("Value",), True, 2),
    ]
    cols = ["iteration", "factor", *SETS, "assigned", "level"]
    return pd.DataFrame(rows, columns=cols)


def test_cells_read_as_the_hand_written_tuples():
    t = ism.partition_iterations(FRM, NAMES)
    want = literal_table()
    for col in SETS:
        assert t[col].tolist() == want[col].tolist()
        assert all(type(v) is tuple for v in t[col])
    assert t.iteration.tolist() == want.iteration.tolist() and t.factor.tolist() == want.factor.tolist()
    assert [r.reachability_set for r in t.itertuples()] == want.reachability_set.tolist()
    assert t.iloc[1].antecedent_set == ("Law", "Trust", "Use", "Value")
    assert t.loc[4, "reachability_set"] == ("Law",)


def test_display_is_that_of_an_object_column_of_tuples():
    t = ism.partition_iterations(FRM, NAMES)
    want = literal_table()
    want[SETS] = want[SETS].astype(object)
    assert t[SETS].to_string() == want[SETS].to_string()


def test_editing_a_handed_out_table_never_reaches_the_result():
    r = ism.analyze(ism.SSIM.from_matrix(np.array(FRM, bool) & ~np.eye(4, dtype=bool), NAMES))
    t = r.partition_iterations
    plain = t.astype({c: object for c in SETS})  # what an object column of tuples does with the same edits
    for frame in (t, plain):
        frame.loc[0, "reachability_set"] = "edited"
        frame.loc[[1, 2], "antecedent_set"] = [("x",), ("y",)]
    assert t.reachability_set.iloc[0] == "edited"
    assert t.antecedent_set.tolist() == plain.antecedent_set.tolist() != r.partition.antecedent_set.tolist()
    fresh = r.partition_iterations
    assert fresh.reachability_set.iloc[0] == ("Law", "Trust", "Use")
    assert fresh.antecedent_set.iloc[1] == ("Law", "Trust", "Use", "Value")
    assert not fresh.equals(t) and fresh.equals(r.partition)


def test_equality_across_tables_and_after_selection():
    a = ism.partition_iterations(FRM, NAMES)
    b = ism.partition_iterations(np.array(FRM), NAMES)  # another table over the same sets
    assert a.equals(b) and a[SETS].equals(b[SETS])
    assert (a.reachability_set.array == b.reachability_set.array).all()
    assert list(a.reachability_set.array == ("Trust", "Use")) == [False, True, True, False, False, False]
    shifted = b.iloc[::-1].reset_index(drop=True)
    assert not a.equals(shifted)
    assert shifted.reachability_set.tolist() == a.reachability_set.tolist()[::-1]


def test_take_reindex_concat_groupby_and_pickle():
    t = ism.partition_iterations(FRM, NAMES)
    col = t.intersection_set
    assert col.iloc[[5, 0]].tolist() == [("Value",), ("Law",)]
    re = col.reindex([0, 99])
    assert re.tolist() == [("Law",), None] and re.isna().tolist() == [False, True]
    both = pd.concat([t, ism.partition_iterations([[1, 1], [0, 1]], ["a", "b"])], ignore_index=True)
    assert both.reachability_set.tolist() == t.reachability_set.tolist() + [("a", "b"), ("b",), ("a",)]
    blocks = {k: [", ".join(s) for s in g.reachability_set] for k, g in t.groupby("iteration")}
    assert blocks == {1: ["Law, Trust, Use", "Trust, Use", "Trust, Use", "Trust, Use, Value"], 2: ["Law", "Value"]}
    back = pickle.loads(pickle.dumps(t))
    assert back.equals(t) and back.antecedent_set.tolist() == t.antecedent_set.tolist()
    assert t.sort_values("reachability_set", kind="stable").factor.tolist() == [
        "Law",
        "Law",
        "Trust",
        "Use",
        "Value",
        "Value",
    ]


def test_to_numpy_gives_tuples_or_views_by_the_limit(monkeypatch):
    t = ism.partition_iterations(FRM, NAMES)
    assert all(type(v) is tuple for v in t[SETS].to_numpy().ravel())
    monkeypatch.setattr(levels_mod, "PARTITION_TUPLE_ENTRIES", 0)
    views = ism.partition_iterations(FRM, NAMES)
    cells = views[SETS].to_numpy().ravel()
    assert all(isinstance(v, LabelSet) for v in cells)
    assert [tuple(v) for v in cells] == [v for v in t[SETS].to_numpy().ravel()]
    assert views.equals(t)  # a view equals the tuple it stands for
    assert [tuple(v) for v in views.reachability_set] == t.reachability_set.tolist()


def test_storage_is_a_few_bytes_per_cell_however_long_the_chain():
    n = 300
    frm = ism.transitive_closure(np.eye(n, k=1, dtype=bool))
    t = ism.partition_iterations(frm)
    assert len(t) == n * (n + 1) // 2
    arr = t.reachability_set.array
    assert isinstance(arr, LabelSetArray) and arr.nbytes == 13 * len(t)
    assert t.reachability_set.iloc[-1] == ("F1",) and len(t.reachability_set.iloc[0]) == n


@pytest.mark.parametrize("rule", ["result", "cause", "alternating"])
def test_every_rule_reads_the_same_as_before(rule):
    rng = np.random.default_rng(5)
    a = rng.random((30, 30)) < 0.08
    frm = ism.transitive_closure(a)
    t = ism.partition_iterations(frm, rule=rule)
    remaining = None
    for _, block in t.groupby("iteration"):
        members = set(block.factor)
        assert remaining is None or members <= remaining
        idx = {f: int(f[1:]) - 1 for f in members}
        for row in block.itertuples():
            i = idx[row.factor]
            reach = tuple(f"F{j + 1}" for j in range(30) if frm[i, j] and f"F{j + 1}" in members)
            ante = tuple(f"F{j + 1}" for j in range(30) if frm[j, i] and f"F{j + 1}" in members)
            assert row.reachability_set == reach and row.antecedent_set == ante
            assert row.intersection_set == tuple(x for x in reach if x in ante)
        remaining = members - set(block.factor[block.assigned])


def test_an_edited_text_cell_stays_a_text_as_in_an_object_column():
    table = ism.partition_iterations([[1, 1], [0, 1]], labels=["Law", "Trust"])
    table.loc[table.index[0], "reachability_set"] = "edited"
    as_object = table.astype({"reachability_set": object})
    assert list(table.reachability_set.unique()) == ["edited", ("Trust",), ("Law",)]
    assert list(table.reachability_set.unique()) == list(as_object.reachability_set.unique())
    assert table.reachability_set.value_counts().to_dict() == {"edited": 1, ("Trust",): 1, ("Law",): 1}
