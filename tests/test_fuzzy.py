"""Fuzzy MICMAC: a published worked example, hand-checked cases, cycles, a property test, errors."""

from dataclasses import FrozenInstanceError
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ism_health.exceptions import ISMInputError
from ism_health.micmac import fuzzy as fz

CASE = Path(__file__).parent / "data" / "cases" / "huaxuejia_fuzzy_reachability"


def closure_oracle(b):
    """Max–min transitive closure with the diagonal set to 1: Floyd–Warshall in plain Python loops."""
    n = len(b)
    r = [list(map(float, row)) for row in b]
    for i in range(n):
        r[i][i] = 1.0
    for k in range(n):
        for i in range(n):
            for j in range(n):
                via = min(r[i][k], r[k][j])
                r[i][j] = max(r[i][j], via)
    return r


def compose_oracle(a, b):
    n = len(a)
    return [[max(min(a[i][k], b[k][j]) for k in range(n)) for j in range(n)] for i in range(n)]


# --- the published worked example -------------------------------------------------------------


def test_published_second_power_rows_a_to_i():
    b = pd.read_csv(CASE / "B.csv", index_col=0)
    printed = pd.read_csv(CASE / "B2_rows_A_to_I.csv", index_col=0)
    b2 = fz.max_min_compose(b.to_numpy(), b.to_numpy())
    assert np.array_equal(b2[:9], printed.to_numpy())


def test_published_matrix_converges_to_its_closure():
    b = pd.read_csv(CASE / "B.csv", index_col=0)
    res = fz.fuzzy_micmac(b)
    assert res.converged and res.period is None and res.cycle_start is None
    assert res.stable_matrix.to_numpy().tolist() == closure_oracle(b.to_numpy().tolist())
    # B^k == B^(k+1) and B^(k-1) != B^k: the stated stable power
    k = res.stable_power
    powers = [b.to_numpy().tolist()]
    for _ in range(k):
        powers.append(compose_oracle(powers[-1], b.to_numpy().tolist()))
    assert powers[k - 1] == powers[k]
    assert k == 1 or powers[k - 2] != powers[k - 1]
    assert list(res.stable_matrix.index) == list("ABCDEFGHIJ")
    # row J of B^2 as far as the page prints it: 0.33, 0.8x
    assert res.driving_power["D"] == pytest.approx(1.0)  # D reaches nothing but itself


# --- hand-checked -------------------------------------------------------------------------------


def test_three_factor_chain_by_hand():
    # Policy -0.7-> Funding -0.5-> Uptake -0.3-> Policy
    res = fz.fuzzy_micmac(
        [["no", "high", "no"], ["no", "no", "medium"], ["low", "no", "no"]], labels=["Policy", "Funding", "Uptake"]
    )
    assert res.stable_matrix.to_numpy().tolist() == [[1, 0.7, 0.5], [0.3, 1, 0.5], [0.3, 0.3, 1]]
    assert res.driving_power.tolist() == [2.2, 1.8, 1.6]
    assert res.dependence_power.tolist() == [1.6, 2.0, 2.0]
    assert res.micmac["driving_rank"].tolist() == [1, 2, 3]
    assert res.micmac["dependence_rank"].tolist() == [3, 1, 1]
    assert res.boundaries["driving"] == 1.5
    assert res.micmac["cluster"].tolist() == ["linkage"] * 3
    # threshold="mean": both means are 5.6 / 3 = 1.866...
    res_mean = fz.fuzzy_micmac(res.direct_matrix, threshold="mean")
    assert res_mean.micmac["cluster"].tolist() == ["independent", "dependent", "dependent"]
    assert res_mean.boundaries["driving"] == pytest.approx(5.6 / 3)
    # a boundary exactly on a power: flagged, and counted low
    res_on = fz.fuzzy_micmac(res.direct_matrix, threshold=1.8)
    assert res_on.micmac["on_boundary"].tolist() == [False, True, False]
    assert res_on.micmac.loc["Funding", "cluster"] == "dependent"


def test_rankings_per_power_and_settling():
    # B^1 ranks differ from the stable ranks; they settle at power 2
    res = fz.fuzzy_micmac([[0, 0.9, 0, 0], [0, 0, 0.9, 0], [0, 0, 0, 0.9], [0, 0, 0, 0]])
    assert res.stable_power == 3
    assert res.rankings["driving_rank_1"].tolist() == [1, 1, 1, 4]
    assert res.rankings["driving_rank_3"].tolist() == [1, 2, 3, 4]
    assert res.ranking_settled_at == 3


def test_linguistic_terms_abbreviations_and_custom_scale():
    res = fz.fuzzy_micmac([["N", "VH"], ["vl", "C"]])
    assert res.direct_matrix.to_numpy().tolist() == [[1.0, 0.9], [0.1, 1.0]]
    res = fz.fuzzy_micmac(
        [["weak", "strong"], ["none", "weak"]], scale={"weak": 0.25, "strong": 0.75, "none": 0}, diagonal="as-given"
    )
    assert res.direct_matrix.to_numpy().tolist() == [[0.25, 0.75], [0.0, 0.25]]


def test_panel_mean_and_median():
    e1 = [[0, 0.1], [0.5, 0]]
    e2 = [[0, 0.3], [0.7, 0]]
    e3 = [[0, 0.9], [0.9, 0]]
    res = fz.fuzzy_micmac([e1, e2, e3], labels=["A", "B"], aggregate="median")
    assert res.direct_matrix.loc["A", "B"] == 0.3 and res.direct_matrix.loc["B", "A"] == 0.7
    assert res.aggregation == "median" and res.n_experts == 3
    res = fz.fuzzy_micmac(np.array([e1, e2, e3]), labels=["A", "B"])
    assert res.direct_matrix.loc["A", "B"] == pytest.approx(13 / 30)
    assert "3 expert matrices aggregated by the cell-wise mean" in res.summary()


# --- cycles ---------------------------------------------------------------------------------------


def test_permutation_cycle_is_reported_not_looped():
    perm = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    res = fz.fuzzy_micmac(perm, diagonal="as-given")
    assert not res.converged and res.period == 3 and res.cycle_start == 1 and res.stable_power is None
    assert res.iterations == 3
    assert "NOT converged" in res.summary() and "period 3" in res.summary()
    # the stated envelope: cell-wise maximum over B, B^2, B^3 -> all ones
    assert res.stable_matrix.to_numpy().tolist() == [[1, 1, 1]] * 3


def test_cycle_after_a_transient():
    # 0->1->2->3->2: B^2 = B^4, while B^1 is not in the cycle
    b = [[0, 0.5, 0, 0], [0, 0, 0.5, 0], [0, 0, 0, 0.5], [0, 0, 0.5, 0]]
    res = fz.fuzzy_micmac(b, diagonal="as-given")
    assert (res.converged, res.cycle_start, res.period) == (False, 2, 2)


def test_unit_diagonal_same_permutation_converges():
    res = fz.fuzzy_micmac([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    assert res.converged and res.stable_matrix.to_numpy().tolist() == [[1, 1, 1]] * 3


def test_max_iterations_runs_out_is_reported():
    b = [[0, 0.5, 0, 0], [0, 0, 0.5, 0], [0, 0, 0, 0.5], [0, 0, 0, 0]]
    res = fz.fuzzy_micmac(b, diagonal="as-given", max_iterations=1)
    assert not res.converged and res.period is None and res.iterations == 1
    assert "no cycle found yet" in res.summary()


values = st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0])


@st.composite
def fuzzy_matrices(draw, max_n=7):
    n = draw(st.integers(2, max_n))
    return [[draw(values) for _ in range(n)] for _ in range(n)]


@settings(max_examples=60, deadline=None)
@given(fuzzy_matrices())
def test_unit_fixed_point_is_the_max_min_closure(b):
    res = fz.fuzzy_micmac(b)
    assert res.converged
    assert res.stable_matrix.to_numpy().tolist() == closure_oracle(b)
    assert res.stable_power <= len(b)


@settings(max_examples=60, deadline=None)
@given(fuzzy_matrices(max_n=5))
def test_as_given_powers_either_converge_or_report_a_true_cycle(b):
    res = fz.fuzzy_micmac(b, diagonal="as-given", max_iterations=200)
    powers = [b]
    for _ in range(res.iterations):
        powers.append(compose_oracle(powers[-1], b))
    if res.converged:
        k = res.stable_power
        assert powers[k - 1] == powers[k]
    else:
        assert res.period is not None
        s, p = res.cycle_start, res.period
        assert powers[s - 1] == powers[s - 1 + p]
        assert all(powers[s - 1 + d] != powers[s - 1 + d + 1] for d in range(p))
        assert all(powers[i] != powers[j] for i in range(s - 1 + p) for j in range(i + 1, s - 1 + p))


# --- results, tables, figures --------------------------------------------------------------------


def test_result_is_frozen_and_tables_are_copies():
    res = fz.fuzzy_micmac([[0, 0.7], [0.3, 0]], labels=["A", "B"])
    with pytest.raises(FrozenInstanceError):
        res.converged = False
    tables = fz.fuzzy_micmac_tables(res)
    tables["Fuzzy MICMAC"].iloc[0, 0] = 99
    assert res.micmac.iloc[0, 0] != 99
    conv = tables["Fuzzy convergence"]["value"]
    assert conv["converged"] is True and conv["stable_power"] == 1


def test_plot_returns_axes_and_title_option():
    import matplotlib.pyplot as plt

    res = fz.fuzzy_micmac([[0, 0.7, 0], [0.3, 0, 0.9], [0, 0, 0]])
    ax = fz.plot_fuzzy_micmac(res)
    assert ax.get_title() == "Fuzzy MICMAC"
    assert fz.plot_fuzzy_micmac(res, title=None).get_title() == ""
    plt.close("all")


# --- errors ----------------------------------------------------------------------------------------


def test_value_out_of_range_names_cell_and_factors():
    with pytest.raises(ISMInputError, match=r"'Cost' -> 'Use', row 1, column 2.*outside \[0, 1\]"):
        fz.fuzzy_micmac([[0, 1.5], [0, 0]], labels=["Cost", "Use"])


def test_unknown_term_and_bad_types():
    with pytest.raises(ISMInputError, match=r"'huge' is not a number in \[0, 1\] nor a term"):
        fz.fuzzy_micmac([[0, "huge"], [0, 0]])
    with pytest.raises(ISMInputError, match="is not a number"):
        fz.fuzzy_micmac([[0, None], [0, 0]])
    with pytest.raises(ISMInputError, match="outside"):
        fz.fuzzy_micmac([[0, float("nan")], [0, 0]])


def test_shape_labels_and_options():
    with pytest.raises(ISMInputError, match="square"):
        fz.fuzzy_micmac([[0, 0.1, 0.2], [0, 0]])
    with pytest.raises(ISMInputError, match="labels"):
        fz.fuzzy_micmac([[0, 0.1], [0, 0]], labels=["A", "B", "C"])
    with pytest.raises(ISMInputError, match="diagonal"):
        fz.fuzzy_micmac([[0, 0.1], [0, 0]], diagonal="zero")
    with pytest.raises(ISMInputError, match="aggregate"):
        fz.fuzzy_micmac([[0, 0.1], [0, 0]], aggregate="max")
    with pytest.raises(ISMInputError, match="max_iterations"):
        fz.fuzzy_micmac([[0, 0.1], [0, 0]], max_iterations=0)
    with pytest.raises(ISMInputError, match="scale"):
        fz.fuzzy_micmac([[0, 0.1], [0, 0]], scale={"big": 2})


def test_panel_errors():
    with pytest.raises(ISMInputError, match="expert 2"):
        fz.fuzzy_micmac([[[0, 0.1], [0, 0]], [[0, 7], [0, 0]]])
    with pytest.raises(ISMInputError):
        fz.fuzzy_micmac([[[0, 0.1], [0, 0]], [[0, 0.1, 0], [0, 0, 0], [0, 0, 0]]])


# --- command line -----------------------------------------------------------------------------------


def _cli(argv):
    import argparse

    from ism_health import cli_fuzzy_micmac

    parser = argparse.ArgumentParser(prog="ism-health")
    cli_fuzzy_micmac.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.run(args)


def test_cli_writes_safe_tables_and_figures(tmp_path, capsys):
    src = tmp_path / "m.csv"
    src.write_text(',=HYPERLINK("x"),B\n=HYPERLINK("x"),0,high\nB,low,0\n', encoding="utf-8")
    out = tmp_path / "out"
    assert _cli(["fuzzy-micmac", str(src), "-o", str(out)]) == 0
    assert "converged" in capsys.readouterr().out
    names = {p.name for p in out.iterdir()}
    assert {
        "fuzzy_micmac.xlsx",
        "fuzzy_micmac.png",
        "fuzzy_micmac.svg",
        "fuzzy_micmac.pdf",
        "fuzzy_micmac.csv",
    } <= names
    text = (out / "fuzzy_micmac.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    from openpyxl import load_workbook

    ws = load_workbook(out / "fuzzy_micmac.xlsx")["Fuzzy MICMAC"]
    assert ws["A2"].value == '=HYPERLINK("x")' and ws["A2"].data_type == "s"
    # a non-empty folder is refused without --force
    assert _cli(["fuzzy-micmac", str(src), "-o", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert _cli(["fuzzy-micmac", str(src), "-o", str(out), "--force"]) == 0


def test_cli_bad_input_exits_2_with_one_line(tmp_path, capsys):
    src = tmp_path / "m.csv"
    src.write_text(",A,B\nA,0,2\nB,0,0\n", encoding="utf-8")
    assert _cli(["fuzzy-micmac", str(src)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'A' -> 'B'" in err
    assert _cli(["fuzzy-micmac", str(tmp_path / "missing.csv")]) == 2
    assert _cli(["fuzzy-micmac", str(src), "--threshold", "big"]) == 2


def test_blank_diagonal_only_with_unit_diagonal():
    res = fz.fuzzy_micmac([["", "high"], ["low", None]])
    assert res.direct_matrix.to_numpy().tolist() == [[1.0, 0.7], [0.3, 1.0]]
    with pytest.raises(ISMInputError, match=r"row 1, column 1"):
        fz.fuzzy_micmac([["", "high"], ["low", 0]], diagonal="as-given")
    with pytest.raises(ISMInputError, match=r"row 1, column 2"):
        fz.fuzzy_micmac([["", ""], ["low", ""]])
