"""SSIM construction from symbols, matrices and pairs; every input error and its message."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import ism_health as ism
from ism_health import SSIM, ISMInputError

from .strategies import relation_from_table, symbol_tables

LAB = ["Law", "Trust", "Cost"]


def table(*upper):
    """3 x 3 table with the given symbols at (0,1), (0,2), (1,2)."""
    t = [["", "", ""] for _ in range(3)]
    t[0][1], t[0][2], t[1][2] = upper
    return t


def test_symbols_meaning():
    s = SSIM.from_symbols(table("V", "A", "X"), LAB)
    adj = s.adjacency
    assert adj[0, 1] and not adj[1, 0]  # V: Law -> Trust
    assert adj[2, 0] and not adj[0, 2]  # A: Cost -> Law
    assert adj[1, 2] and adj[2, 1]  # X: both
    assert s.symbol("Trust", "Law") == "A"
    assert s.symbol("Cost", "Law") == "V"


def test_case_and_spaces_ignored():
    assert SSIM.from_symbols(table(" v", "a ", "x"), LAB) == SSIM.from_symbols(table("V", "A", "X"), LAB)


def test_lower_triangle_blank_dash_or_mirrored():
    t = table("V", "O", "A")
    t[1][0], t[2][0], t[2][1] = "A", "-", "V"
    t[0][0], t[1][1], t[2][2] = "-", "X", None
    assert SSIM.from_symbols(t, LAB) == SSIM.from_symbols(table("V", "O", "A"), LAB)


def test_pair_given_only_below_the_diagonal_is_read_there():
    t = table("V", "O", "")
    t[2][1] = "V"  # Cost influences Trust
    s = SSIM.from_symbols(t, LAB)
    assert s.symbol("Trust", "Cost") == "A"


def test_dataframe_supplies_labels():
    df = pd.DataFrame(table("V", "O", "X"), index=LAB, columns=LAB)
    s = SSIM.from_symbols(df)
    assert s.labels == tuple(LAB)


def test_unknown_symbol_message_names_cell_and_expected():
    with pytest.raises(ISMInputError) as err:
        SSIM.from_symbols(table("V", "Y", "O"), LAB)
    assert str(err.value) == (
        "cell (row 'Law', column 'Cost'; index [0, 2]) is 'Y' above the diagonal; expected one of V, A, X, O."
    )
    assert isinstance(err.value, ValueError)


def test_missing_pair_is_an_error_not_O():
    with pytest.raises(ISMInputError, match=r"no judgment for the pair \('Trust', 'Cost'\).*never read as O"):
        SSIM.from_symbols(table("V", "O", ""), LAB)


def test_contradicting_mirror():
    t = table("V", "O", "X")
    t[1][0] = "V"
    with pytest.raises(ISMInputError, match=r"cells disagree: .*'Law', column 'Trust'.* is 'V' but .* is 'V'; the mirror of 'V' is 'A'"):
        SSIM.from_symbols(t, LAB)


def test_all_problems_reported_at_once():
    t = table("Q", "", "V")
    t[2][1] = "V"  # contradicts (1, 2) = V
    t[1][1] = "A"
    with pytest.raises(ISMInputError) as err:
        SSIM.from_symbols(t, LAB)
    problems = err.value.problems
    assert len(problems) == 4, problems
    assert str(err.value).startswith("4 problems found:")
    assert any("'Q'" in p for p in problems)
    assert any("on the diagonal" in p and "'A'" in p for p in problems)
    assert any("no judgment for the pair ('Law', 'Cost')" in p for p in problems)
    assert any("cells disagree" in p for p in problems)


@pytest.mark.parametrize(
    "labels, message",
    [
        (["Law", "Law", "Cost"], "factor label 'Law' is used twice (numbers 1 and 2)"),
        (["Law", " ", "Cost"], "factor label number 2 is blank"),
        (["Law", "Trust"], "2 labels given for a 3 x 3 SSIM"),
    ],
)
def test_bad_labels(labels, message):
    with pytest.raises(ISMInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        SSIM.from_symbols(table("V", "O", "X"), labels)


def test_non_square_and_too_small():
    with pytest.raises(ISMInputError, match="row 2 has 2 cells but there are 3 rows"):
        SSIM.from_symbols([["", "V", "O"], ["", ""], ["", "", ""]])
    with pytest.raises(ISMInputError, match=r"must be square .* got shape \(2, 3\)"):
        SSIM.from_symbols(np.array([["", "V", "O"], ["", "", "V"]]))
    with pytest.raises(ISMInputError, match="at least 2 factors; got 1"):
        SSIM.from_symbols([[""]])


def test_dataframe_row_and_column_labels_must_agree():
    df = pd.DataFrame(table("V", "O", "X"), index=LAB, columns=["Law", "Cost", "Trust"])
    with pytest.raises(ISMInputError, match="row label 'Trust' vs column label 'Cost'"):
        SSIM.from_symbols(df)


def test_from_matrix_diagonal_either_way_and_values_checked():
    a = SSIM.from_matrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]], LAB)
    b = SSIM.from_matrix([[1, 1, 0], [0, 1, 1], [1, 0, 1]], LAB)
    assert a == b
    assert a.symbol("Law", "Cost") == "A"
    with pytest.raises(ISMInputError) as err:
        SSIM.from_matrix([[1, 2, 0], [0, 1, "x"], [0, 0.5, 1]], LAB)
    assert len(err.value.problems) == 3
    assert "cell (row 'Law', column 'Trust'; index [0, 1]) is 2; expected 0 or 1." in err.value.problems


def test_from_matrix_accepts_bool_and_text_digits():
    a = SSIM.from_matrix(np.array([[0, 1], [0, 0]], dtype=bool))
    b = SSIM.from_matrix([["0", "1"], ["0", "0"]])
    assert a == b and a.labels == ("F1", "F2")


def test_from_pairs_either_order_and_errors():
    s = SSIM.from_pairs(
        pd.DataFrame({"factor_i": ["Trust", "Law", "Cost"], "factor_j": ["Law", "Cost", "Trust"], "symbol": ["V", "o", "X"]}),
        labels=LAB,
    )
    assert s.symbol("Law", "Trust") == "A"
    with pytest.raises(ISMInputError) as err:
        SSIM.from_pairs(
            [("Law", "Trust", "V"), ("Trust", "Law", "V"), ("Law", "Fee", "O"), ("Law", "Law", "X"), ("Trust", "Cost", "?")],
            labels=LAB,
        )
    p = err.value.problems
    assert any("repeats the pair ('Law', 'Trust') already given in record 1" in x for x in p)
    assert any("unknown factor 'Fee'" in x for x in p)
    assert any("pairs a factor with itself" in x for x in p)
    assert any("has symbol '?'; expected one of V, A, X, O" in x for x in p)
    with pytest.raises(ISMInputError, match=r"no judgment for the pair \('Law', 'Cost'\)"):
        SSIM.from_pairs([("Law", "Trust", "V"), ("Trust", "Cost", "O")], labels=LAB)


def test_round_trips_between_forms():
    s = SSIM.from_symbols(table("V", "A", "X"), LAB)
    assert SSIM.from_pairs(s.to_pairs(), labels=LAB) == s
    assert SSIM.from_symbols(s.to_frame()) == s
    assert SSIM.from_matrix(s.initial_reachability()) == s


def test_revise():
    s = SSIM.from_symbols(table("V", "A", "X"), LAB)
    r = s.revise({("Cost", "Trust"): "O", ("Law", "Trust"): "X"})
    assert r.symbol("Trust", "Cost") == "O" and r.symbol("Law", "Trust") == "X"
    assert s.symbol("Law", "Trust") == "V"  # the original is unchanged
    with pytest.raises(ISMInputError, match="unknown factor 'Fee'"):
        s.revise({("Fee", "Law"): "V"})


def test_immutable():
    s = SSIM.from_symbols(table("V", "A", "X"), LAB)
    with pytest.raises(ValueError):
        s.adjacency[0, 1] = False


def test_validate_ssim_lists_problems():
    assert ism.validate_ssim(table("V", "A", "X"), LAB) == []
    problems = ism.validate_ssim(table("Q", "", "X"), LAB)
    assert len(problems) == 2


@settings(max_examples=60, deadline=None)
@given(symbol_tables(max_n=40))
def test_symbols_read_literally(data):
    tab, labels = data
    s = SSIM.from_symbols(tab, labels)
    n = len(labels)
    expected = np.zeros((n, n), bool)
    for i, j in relation_from_table(tab):
        expected[i, j] = True
    np.testing.assert_array_equal(s.adjacency, expected)
    for i in range(n):
        for j in range(i + 1, n):
            assert s.symbol(labels[i], labels[j]) == tab[i][j]


# ---------------------------------------------------------------------------------------------- issues 11, 17, 18
import warnings  # noqa: E402

import networkx as nx  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ism_health import _cells  # noqa: E402


def _printed_frm(adj: np.ndarray) -> list[list[str]]:
    """The FRM as papers print it, from networkx (an oracle independent of ism_health): 1, 1* or 0."""
    g = nx.DiGraph()
    n = len(adj)
    g.add_nodes_from(range(n))
    g.add_edges_from((i, j) for i in range(n) for j in range(n) if adj[i][j] and i != j)
    reach = {i: nx.descendants(g, i) | {i} for i in range(n)}
    return [["1" if (i == j or adj[i][j]) else ("1*" if j in reach[i] else "0") for j in range(n)] for i in range(n)]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(n=st.integers(2, 12), seed=st.integers(0, 2**32 - 1), density=st.sampled_from([0.1, 0.25, 0.5]))
def test_from_frm_recovers_the_direct_relations(n, seed, density):
    rng = np.random.default_rng(seed)
    adj = rng.random((n, n)) < density
    np.fill_diagonal(adj, False)
    labels = [f"F{k}" for k in range(n)]
    s = SSIM.from_frm(_printed_frm(adj), labels=labels)
    assert np.array_equal(s.adjacency, adj)


def test_from_frm_lists_every_missing_entry_and_unexplained_mark():
    frm = [["1", "1", "0", "0"], ["0", "1", "1", "0"], ["0", "0", "1", "1"], ["0", "0", "0", "1"]]
    with pytest.raises(ISMInputError) as err:
        SSIM.from_frm(frm, labels=list("abcd"))
    problems = err.value.problems
    assert len(problems) == 3  # a->c, b->d, a->d
    expected = "not transitive: 'a' reaches 'd' through a -> b -> c -> d, but cell (row 'a', column 'd'; index [0, 3])"
    assert any(p.startswith(expected) for p in problems)
    with pytest.raises(ISMInputError, match=r"is '1\*', but no chain of direct relations .* from 'b' to 'a'"):
        SSIM.from_frm([["1", "1"], ["1*", "1"]], labels=["a", "b"])
    with pytest.raises(ISMInputError, match=r"is 'V'; expected 1, 1\* or 0"):
        SSIM.from_frm([["1", "V"], ["0", "1"]])
    frame = pd.DataFrame([["1", "1 *"], ["0", "1"]], index=["a", "b"], columns=["a", "b"])
    with pytest.raises(ISMInputError, match="no chain of direct relations"):
        SSIM.from_frm(frame)
    assert SSIM.from_frm(pd.DataFrame([[1, 1], [0, 1]], index=["a", "b"], columns=["a", "b"])).symbol("a", "b") == "V"


def test_from_symbols_classifies_each_distinct_value_once(monkeypatch):
    """Vectorised: the cells are grouped by value; the per-value rule runs once per distinct value, not per cell."""
    calls = []
    real = _cells.classify
    monkeypatch.setattr(_cells, "classify", lambda v: calls.append(v) or real(v))
    n = 60
    rng = np.random.default_rng(1)
    table = np.where(np.triu(np.ones((n, n), bool), 1), rng.choice(list("VAXO"), (n, n)), "").astype(object)
    s = SSIM.from_symbols(table)
    assert s.n_factors == n and len(calls) <= 5


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    data=symbol_tables(max_n=20), sep=st.sampled_from([",", ";", "\t"]), mirror_below=st.booleans(), lower=st.booleans()
)
def test_read_ssim_any_dialect_reads_literally(tmp_path_factory, data, sep, mirror_below, lower):
    table, labels = data
    n = len(table)
    mirror = {"V": "A", "A": "V", "X": "X", "O": "O"}
    cells = [row[:] for row in table]
    for i in range(n):
        for j in range(i + 1, n):
            if mirror_below:
                cells[j][i] = mirror[table[i][j]]
            if lower:
                cells[i][j] = cells[i][j].lower()
    path = tmp_path_factory.mktemp("dialect") / "s.csv"
    path.write_text("\n".join(sep.join(r) for r in [[""] + labels] + [[lab] + row for lab, row in zip(labels, cells)]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ism.ISMWarning)  # a random SSIM may happen to be closed
        s = ism.read_ssim(path)
    assert {(int(i), int(j)) for i, j in np.argwhere(s.adjacency)} == relation_from_table(table)


@pytest.mark.parametrize(
    "labels, message",
    [
        ("ab", "got the string 'ab'"),
        (["a", pd.NA], "factor label number 2 is blank"),
        (["a", float("nan")], "factor label number 2 is blank"),
        (["a", ["b"]], r"factor label number 2 is a list \(\['b'\]\)"),
        (["a", "b\x01"], "control character U\\+0001"),
        (["a", "b\udc80"], "lone surrogate U\\+DC80"),
    ],
)
def test_labels_that_are_not_text(labels, message):
    for build in (
        lambda: SSIM.from_symbols([["", "V"], ["", ""]], labels=labels),
        lambda: SSIM.from_matrix([[0, 1], [0, 0]], labels=labels),
        lambda: SSIM.from_frm([[1, 1], [0, 1]], labels=labels),
        lambda: SSIM(labels, [[0, 1], [0, 0]]),
    ):
        with pytest.raises(ISMInputError, match=message):
            build()


def test_dataframe_and_pair_labels_that_are_missing():
    frame = pd.DataFrame([["", "V"], ["", ""]], index=["a", pd.NA], columns=["a", pd.NA])
    with pytest.raises(ISMInputError, match="factor label number 2 is blank"):
        SSIM.from_symbols(frame)
    with pytest.raises(ISMInputError, match=r"record 1 \('a', <NA>, 'V'\) names a factor that is not text"):
        SSIM.from_pairs([("a", pd.NA, "V")])
    with pytest.raises(ISMInputError, match=r"names a factor that is not text: a list"):
        SSIM.from_pairs([("a", ["b"], "V")])
