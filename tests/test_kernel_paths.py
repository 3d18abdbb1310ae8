"""The fast public paths of issue 18 and the numeric-API hardening of issue 17.

Every fast path is checked against an independent oracle (networkx closure and
reduction, the literal set-based ISM level rule, a literal set-based partition
table); no test asserts a timing. Sizes are asserted where memory is the point.
"""

from __future__ import annotations

import io
import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ism_health as ism
import ism_health.levels as levels_mod
import ism_health.reachability as rmod
from ism_health import ISMInputError
from ism_health.benchmark import make
from ism_health.digraph import digraph_members
from ism_health.levels import LabelSet, level_numbers
from ism_health.micmac import check_threshold
from ism_health.reachability import transitive_closure, transitive_closure_packed

from .strategies import closure_oracle, levels_oracle

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def nx_closure(a: np.ndarray) -> np.ndarray:
    return closure_oracle(len(a), list(zip(*np.nonzero(a))))


def random_matrix(n: int, density: float, seed: int, *, acyclic: bool = False, cycles: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) < density
    if acyclic:
        a = np.triu(a, 1)
    for _ in range(cycles):  # plant a cycle of 2 to 4 elements
        members = rng.choice(n, size=min(n, int(rng.integers(2, 5))), replace=False)
        a[members, np.roll(members, 1)] = True
    perm = rng.permutation(n)
    return a[np.ix_(perm, perm)]


@pytest.fixture(autouse=True)
def _fresh_memo():
    rmod._memo.clear()
    yield
    rmod._memo.clear()


# ----------------------------------------------------------------------------
# small single matrices: repeated squaring
# ----------------------------------------------------------------------------


@SETTINGS
@given(
    n=st.integers(1, rmod.SMALL_MAX_N),
    density=st.sampled_from([0.0, 0.02, 0.08, 0.3, 1.0]),
    seed=st.integers(0, 2**32 - 1),
    acyclic=st.booleans(),
)
def test_small_closure_matches_networkx(n, density, seed, acyclic):
    a = random_matrix(n, density, seed, acyclic=acyclic)
    got = transitive_closure(a)
    np.testing.assert_array_equal(got, nx_closure(a))
    assert got.dtype == bool and got is not a


def test_small_closure_long_chain_and_input_untouched():
    n = rmod.SMALL_MAX_N
    a = np.eye(n, k=1, dtype=int)  # the longest path: ceil(log2 n) + 1 squarings
    before = a.copy()
    np.testing.assert_array_equal(transitive_closure(a), np.triu(np.ones((n, n), bool)))
    np.testing.assert_array_equal(a, before)


# ----------------------------------------------------------------------------
# levels reuse: a closure computed here is recognised bit for bit
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("family", ["expert", "dag", "sparse", "layered"])
def test_closure_then_levels_equals_fresh_levels(family, monkeypatch):
    a = make(family, 400, seed=3)
    frm = transitive_closure(a)
    remembered = ism.level_partition(frm).to_numpy()
    monkeypatch.setattr(rmod._memo, "MEMO_MIN_N", 10**9)  # afresh: the validating pass
    fresh = ism.level_partition(frm).to_numpy()
    np.testing.assert_array_equal(remembered, fresh)
    np.testing.assert_array_equal(fresh, transitive_closure_packed(a).level_numbers())


def test_remembered_closure_is_recognised_by_content_only():
    a = make("dag", 300, seed=1)
    frm = transitive_closure(a)
    as_frame = pd.DataFrame(frm.astype(np.int8))  # a copy, another dtype: same bits
    assert rmod._memo.recall(np.asarray(as_frame.to_numpy(), bool)) is not None
    np.testing.assert_array_equal(ism.level_partition(as_frame).to_numpy(), level_numbers(frm))
    # one entry removed: not the remembered matrix, and not transitive any more
    i, j = (int(x) for x in np.argwhere(frm & ~np.eye(300, dtype=bool) & ~a)[0])
    bad = frm.copy()
    bad[i, j] = False
    assert rmod._memo.recall(bad) is None
    with pytest.raises(ISMInputError, match="is not transitive"):
        ism.level_partition(bad)


def test_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(rmod._memo, "MEMO_ENTRIES", 2)
    for seed in range(4):
        transitive_closure(make("sparse", 300, seed=seed))
    assert len(rmod._memo._STORE) == 2


@SETTINGS
@given(
    n=st.integers(1, 90),
    density=st.sampled_from([0.0, 0.03, 0.1, 0.4]),
    seed=st.integers(0, 2**32 - 1),
    cycles=st.integers(0, 3),
)
def test_level_partition_one_pass_matches_literal_rule(n, density, seed, cycles):
    a = random_matrix(n, density, seed, cycles=cycles)
    frm = nx_closure(a)
    got = ism.level_partition(frm.astype(int), labels=[f"f{k}" for k in range(n)])
    assert got.tolist() == levels_oracle(frm)
    assert ism.canonical_matrix(frm).index.tolist() == [f"F{k + 1}" for k in np.argsort(got.to_numpy(), kind="stable")]


@pytest.mark.parametrize("n, cycles", [(300, 0), (300, 6), (600, 2)])
def test_level_partition_medium_n_matches_literal_rule(n, cycles):
    a = random_matrix(n, 0.01, 7, cycles=cycles)
    frm = nx_closure(a)
    assert ism.level_partition(frm).tolist() == levels_oracle(frm)


def test_level_partition_refuses_a_non_transitive_matrix_with_labels():
    with pytest.raises(ISMInputError, match=r"1 missing entry, e\.g\. a->b->c but not a->c"):
        ism.level_partition(np.array([[1, 1, 0], [0, 1, 1], [0, 0, 1]]), labels=["a", "b", "c"])


def test_packed_levels_match_literal_rule_with_cycles():
    a = random_matrix(200, 0.012, 5, cycles=5)
    p = transitive_closure_packed(a)
    frm = nx_closure(a)
    np.testing.assert_array_equal(p.to_dense(), frm)
    assert p.level_numbers().tolist() == levels_oracle(frm)


def test_stack_levels_match_literal_rule():
    stack = np.stack([nx_closure(random_matrix(30, 0.08, s, cycles=s % 3)) for s in range(6)])
    got = level_numbers(stack)
    for k in range(len(stack)):
        assert got[k].tolist() == levels_oracle(stack[k])


# ----------------------------------------------------------------------------
# partition tables: O(n^2), same content as the literal iteration
# ----------------------------------------------------------------------------


def literal_partition(frm: np.ndarray, labels: list[str]) -> list[tuple]:
    """The iteration tables as papers print them, with Python sets (result rule)."""
    n = len(frm)
    remaining = set(range(n))
    rows, iteration = [], 0
    while remaining:
        iteration += 1
        placed = set()
        for i in sorted(remaining):
            reach = {j for j in remaining if frm[i][j]}
            ante = {j for j in remaining if frm[j][i]}
            inter = reach & ante
            assigned = reach == inter
            rows.append(
                (
                    iteration,
                    labels[i],
                    tuple(labels[j] for j in sorted(reach)),
                    tuple(labels[j] for j in sorted(ante)),
                    tuple(labels[j] for j in sorted(inter)),
                    assigned,
                )
            )
            if assigned:
                placed.add(i)
        remaining -= placed
    return rows


@pytest.mark.parametrize("views", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_partition_table_matches_literal_iteration(seed, views, monkeypatch):
    if views:
        monkeypatch.setattr(levels_mod, "PARTITION_TUPLE_ENTRIES", 0)
    n = 25
    frm = nx_closure(random_matrix(n, 0.06, seed, cycles=seed))
    labels = [f"x{k}" for k in range(n)]
    table = ism.partition_iterations(frm, labels)
    sets = table[["reachability_set", "antecedent_set", "intersection_set"]]
    assert all(isinstance(v, LabelSet if views else tuple) for v in sets.to_numpy().ravel())
    got = [
        (
            r.iteration,
            r.factor,
            tuple(r.reachability_set),
            tuple(r.antecedent_set),
            tuple(r.intersection_set),
            r.assigned,
        )
        for r in table.itertuples()
    ]
    assert got == literal_partition(frm, labels)
    assert (table.level[table.assigned] == table.iteration[table.assigned]).all()


def test_partition_table_of_a_long_chain_is_quadratic():
    n = 400
    frm = transitive_closure(np.eye(n, k=1, dtype=bool))
    table = ism.partition_iterations(frm)
    assert len(table) == n * (n + 1) // 2 <= n * n
    assert isinstance(table.reachability_set.iloc[0], LabelSet)  # n**3 / 6 labels would not be stored
    first, last = table.iloc[0], table.iloc[-1]
    assert len(first.reachability_set) == n and first.antecedent_set == ("F1",)
    assert last.factor == "F1" and last.reachability_set == ("F1",) and last.level == n


def test_label_set_behaves_like_its_tuple():
    frm = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]
    ctx = levels_mod._PartitionSets(np.array(frm, bool), np.array(["a", "b", "c"], object), np.array([3, 2, 1]))
    s = LabelSet(ctx, 0, 2, 0)
    assert s == ("a", "b") and ("a", "b") == s and s != ("a",)
    assert hash(s) == hash(("a", "b")) and len(s) == 2 and s[1] == "b" and repr(s) == "('a', 'b')"
    assert ", ".join(s) == "a, b"


# ----------------------------------------------------------------------------
# digraph: packed reduction, attributes that GraphML can hold
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed, cycles", [(0, 0), (1, 4), (2, 8)])
def test_digraph_is_networkx_reduction_of_condensation(seed, cycles):
    n = 150
    a = random_matrix(n, 0.02, seed, cycles=cycles)
    labels = [f"v{k}" for k in range(n)]
    g = ism.ism_digraph(nx_closure(a), labels)
    cond = nx.condensation(nx.DiGraph([(int(u), int(v)) for u, v in zip(*np.nonzero(a))] + [(k, k) for k in range(n)]))
    red = nx.transitive_reduction(nx.DiGraph(cond.edges()) if cond.number_of_edges() else cond)
    red.add_nodes_from(cond.nodes)
    names = {c: tuple(labels[i] for i in sorted(cond.nodes[c]["members"])) for c in cond.nodes}
    dm = {x: tuple(m) for x, m in digraph_members(g).items()}
    assert sorted(dm.values()) == sorted(names.values())
    assert {(dm[u], dm[v]) for u, v in g.edges()} == {(names[u], names[v]) for u, v in red.edges()}


def test_digraph_writes_graphml_and_keeps_members():
    frm = [[1, 1, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1], [0, 0, 0, 1]]
    g = ism.ism_digraph(frm, labels=["Law", "Trust; care", "Use", "Value"])
    buf = io.BytesIO()
    nx.write_graphml(g, buf)
    back = nx.read_graphml(io.BytesIO(buf.getvalue()))
    node = "Trust; care + Use"
    assert back.nodes[node]["members"] == "Trust; care; Use"  # readable, ambiguous with ';' in a label
    assert json.loads(back.nodes[node]["members_json"]) == ["Trust; care", "Use"]  # exact
    assert digraph_members(g)[node] == ["Trust; care", "Use"]
    assert back.nodes[node]["level"] == 2 and back.nodes[node]["size"] == 2
    for _, data in g.nodes(data=True):
        assert all(isinstance(v, (str, int)) for v in data.values())


# ----------------------------------------------------------------------------
# issue 17: the numeric API refuses what is not a 0/1 matrix, naming it
# ----------------------------------------------------------------------------

BAD_MATRICES = {
    "two": ([[0, 2], [0, 0]], r"only 0 and 1; entry \(0, 1\)|cell .*is 2|column 'F2' is 2"),
    "half": ([[0, 0.5], [0, 0]], r"only 0 and 1; entry \(0, 1\)|is 0\.5"),
    "nan": ([[0, np.nan], [0, 0]], r"entry \(0, 1\) is .*nan|is blank|is nan"),
    "inf": ([[0, np.inf], [0, 0]], r"inf"),
    "masked": (
        np.ma.array([[0, 1], [0, 0]], mask=[[0, 1], [0, 0]]),
        r"masked array with 1 masked entry \(first at \(0, 1\)\)",
    ),
    "fully masked": (np.ma.masked_all((2, 2)), r"masked array with 4 masked entries"),
    "ragged": ([[0, 1], [0]], r"rows of equal length|must be square: row 2 has 1 cells"),
    "timedelta": (np.zeros((2, 2), dtype="m8[s]"), r"timedelta"),
    "complex": (np.array([[0, 1j], [1, 0]]), r"complex"),
    "sparse with a 3": (
        sp.csr_matrix(np.array([[0, 3], [0, 0]])),
        r"entry \(0, 1\) is .*3|is .*3\)?(; expected 0 or 1|\.$)",
    ),
    "not square": (np.zeros((2, 3)), r"square"),
}


@pytest.mark.parametrize("case", sorted(BAD_MATRICES))
@pytest.mark.parametrize(
    "call",
    ["transitive_closure", "transitive_closure_packed", "SSIM", "SSIM.from_matrix", "level_partition", "level_numbers"],
)
def test_numeric_api_refuses_bad_matrices(case, call):
    data, pattern = BAD_MATRICES[case]
    funcs = {
        "transitive_closure": transitive_closure,
        "transitive_closure_packed": transitive_closure_packed,
        "SSIM": lambda m: ism.SSIM(["a", "b"], m),
        "SSIM.from_matrix": ism.SSIM.from_matrix,
        "level_partition": ism.level_partition,
        "level_numbers": level_numbers,
    }
    with pytest.raises(ISMInputError, match=pattern):
        funcs[call](data)


def test_unmasked_masked_array_and_sparse_matrix_are_read():
    want = np.array([[True, True], [False, True]])
    np.testing.assert_array_equal(transitive_closure(np.ma.array([[0, 1], [0, 0]])), want)
    np.testing.assert_array_equal(transitive_closure(sp.csr_matrix(np.array([[0, 1], [0, 0]]))), want)
    s = ism.SSIM.from_matrix(sp.coo_matrix(np.array([[0, 1], [0, 0]])), labels=["a", "b"])
    assert s.symbol("a", "b") == "V"


def test_sparse_size_is_checked(monkeypatch):
    import ism_health._validation as v

    monkeypatch.setattr(v, "SPARSE_MAX_CELLS", 10)
    with pytest.raises(ISMInputError, match=r"scipy.sparse matrix of shape \(4, 4\); making it dense would need 16"):
        transitive_closure(sp.csr_matrix((4, 4)))


def test_ssim_constructor_no_longer_reads_truthy_values():
    with pytest.raises(ISMInputError, match=r"entry \(0, 1\) is .*nan"):
        ism.SSIM(["a", "b"], [[0, np.nan], [0, 0]])


def test_numpy_option_values_become_plain_numbers():
    assert type(check_threshold(np.int64(3))) is int
    assert check_threshold((np.float64(2.5), np.int32(4))) == [2.5, 4]
    for bad in (-1, np.nan, "2", True, (1, 2, 3)):
        with pytest.raises(ISMInputError, match="threshold="):
            check_threshold(bad)


@pytest.mark.parametrize("seed", [-1, "7", 1.5, None])
def test_benchmark_seeds_are_checked(seed):
    with pytest.raises(ISMInputError, match="seed="):
        make("dag", 10, seed=seed)


@SETTINGS
@given(st.lists(st.integers(0, 8), min_size=1, max_size=30))
def test_micmac_ranks_are_min_ranks(powers):
    from ism_health.micmac import micmac_table

    p = np.array(powers)
    table = micmac_table(p, p[::-1].copy(), [f"f{k}" for k in range(len(p))], (4.0, 4.0))
    expected = [1 + sum(q > x for q in powers) for x in powers]  # literal: 1 + how many are stronger
    assert table.driving_rank.tolist() == expected
