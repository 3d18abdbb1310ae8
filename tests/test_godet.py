"""Godet's MICMAC: exact integer powers, the stable power rule, potential links, a published matrix, errors."""

from dataclasses import FrozenInstanceError
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ism_health.exceptions import ISMInputError
from ism_health.micmac import godet as gd

CASE = Path(__file__).parent / "data" / "cases" / "samna_soumana_2010_mid"


def int_matmul(a, b):
    n = len(a)
    return [[sum(a[i][k] * b[k][j] for k in range(n)) for j in range(n)] for i in range(n)]


def power_sums_oracle(m, k):
    """Row and column sums of m^k with Python integers (plain loops)."""
    p = [row[:] for row in m]
    for _ in range(k - 1):
        p = int_matmul(p, m)
    n = len(m)
    return [sum(p[i]) for i in range(n)], [sum(p[i][j] for i in range(n)) for j in range(n)]


def rank_oracle(values):
    return [1 + sum(w > v for w in values) for v in values]


@st.composite
def mdi_matrices(draw, max_n=6):
    n = draw(st.integers(2, max_n))
    m = [[0 if i == j else draw(st.integers(0, 3)) for j in range(n)] for i in range(n)]
    return m


# --- property tests against integer matrix powers ---------------------------------------------


@settings(max_examples=50, deadline=None)
@given(mdi_matrices())
def test_indirect_equals_sums_of_integer_powers(m):
    res = gd.godet_micmac(m)
    rows, cols = power_sums_oracle(m, res.stable_power)
    assert [int(x) for x in res.indirect["influence"]] == rows
    assert [int(x) for x in res.indirect["dependence"]] == cols
    assert [int(x) for x in res.direct["influence"]] == [sum(r) for r in m]
    assert res.indirect["influence_rank"].tolist() == rank_oracle(rows)


@settings(max_examples=30, deadline=None)
@given(mdi_matrices(max_n=5))
def test_stable_power_rule(m):
    res = gd.godet_micmac(m, max_power=25)
    k, w = res.stable_power, res.window

    def ranks(power):
        r, c = power_sums_oracle(m, power)
        return rank_oracle(r), rank_oracle(c)

    if res.settled:
        first = ranks(k)
        assert all(ranks(k + d) == first for d in range(1, w + 1))
        # no earlier power starts a run of w + 1 equal rankings
        for j in range(1, k):
            assert not all(ranks(j + d) == ranks(j) for d in range(1, w + 1))
    else:
        assert k == 25


def test_exact_for_large_powers_beyond_int64():
    m = [[0, 3, 3, 3, 3], [3, 0, 3, 3, 3], [3, 3, 0, 3, 3], [3, 3, 3, 0, 2], [3, 3, 3, 3, 0]]
    sums = gd.integer_matrix_power_sums(np.array(m), 60)
    rows, cols = power_sums_oracle(m, 60)
    assert sums[59] == (rows, cols)
    assert max(rows) > 2**63  # the test really goes past int64
    # by hand: M = [[0, 3], [1, 0]] has M^2 = 3 I, so M^81 = 3^40 M: row sums 3^41 and 3^40 (> 2^63)
    res = gd.godet_micmac([[0, 3], [1, 0]], max_power=81)
    assert not res.settled and res.stable_power == 81
    assert [int(x) for x in res.indirect["influence"]] == [3**41, 3**40]
    assert [int(x) for x in res.indirect["dependence"]] == [3**40, 3**41]


# --- hand-checked ----------------------------------------------------------------------------------


def test_rankings_flip_before_settling():
    # Law -3-> Cost -2-> Staff -1-> Law, Law -1-> Use -2-> Cost, Cost -1-> Law, Staff -3-> Use
    mdi = [[0, 3, 0, 1], [1, 0, 2, 0], [1, 0, 0, 3], [0, 2, 0, 0]]
    res = gd.godet_micmac(mdi, labels=["Law", "Cost", "Staff", "Use"])
    assert res.direct["influence"].tolist() == [4, 3, 4, 2]
    assert res.direct["dependence"].tolist() == [2, 5, 2, 4]
    # M^2 by hand: row sums 4*?: Law row of M^2 = (3*1 + 1*0, 0 + 1*2, 3*2, 0) = (3, 2, 6, 0) -> 11
    assert res.rankings.loc["Law", "influence_rank_2"] == 2
    assert res.settled and res.stable_power == 13
    assert res.rankings.loc["Cost", [f"influence_rank_{k}" for k in range(1, 9)]].tolist() == [3, 1, 2, 3, 2, 2, 3, 2]
    assert res.displacement.loc["Staff", "influence_shift_indirect"] == -2  # rank 1 direct -> 3 indirect


def test_two_cycle_never_settles_and_says_so():
    res = gd.godet_micmac([[0, 3], [1, 0]], labels=["A", "B"], max_power=12)
    assert not res.settled and res.stable_power == 12
    assert "did NOT settle" in res.summary()


def test_acyclic_system_vanishes():
    res = gd.godet_micmac([[0, 2, 1], [0, 0, 3], [0, 0, 0]])
    assert res.vanishes_at == 3
    assert "no feedback loop" in res.summary()


def test_potential_links_as_p_cells_and_as_second_matrix():
    m = [[0, "P", 0], [0, 0, 2], [1, 0, 0]]
    res = gd.godet_micmac(m, labels=["A", "B", "C"])
    assert res.matrix.loc["A", "B"] == 0 and res.potential_matrix.loc["A", "B"] == 3
    assert res.direct["influence"].tolist() == [0, 2, 1]
    res2 = gd.godet_micmac(
        [[0, 0, 0], [0, 0, 2], [1, 0, 0]], labels=["A", "B", "C"], potential=[[0, "P", 0], [0, 0, 0], [0, 0, 0]]
    )
    assert res2.potential_matrix.equals(res.potential_matrix)
    # potential direct: A 3, B 2, C 1 -> A ranks first once its potential link exists
    assert res.potential["influence_rank"].loc["A"] <= res.indirect["influence_rank"].loc["A"]


def test_sectors_by_mean_rule():
    # influence 4,3,4,2 (mean 3.25); dependence 2,5,2,4 (mean 3.25)
    res = gd.godet_micmac([[0, 3, 0, 1], [1, 0, 2, 0], [1, 0, 0, 3], [0, 2, 0, 0]])
    assert res.direct["sector"].tolist() == ["influential", "dependent", "influential", "dependent"]
    assert res.boundaries["direct"] == {"influence": 3.25, "dependence": 3.25}


# --- the published matrix -----------------------------------------------------------------------


def test_published_mid_direct_sums_and_sink():
    mid = pd.read_csv(CASE / "mid.csv", index_col=0)
    res = gd.godet_micmac(mid, max_intensity=4)
    # row and column sums added by hand from the printed table
    assert res.direct["influence"].tolist() == [26, 11, 12, 18, 10, 2, 7, 4, 8, 4, 0]
    assert res.direct["dependence"].tolist() == [7, 11, 18, 5, 8, 10, 13, 6, 5, 13, 6]
    # A11 influences no one (row of zeros, as the thesis says): zero influence at every power
    assert res.indirect.loc["A11", "influence"] == 0
    assert res.rankings.loc["A11"].filter(like="influence_rank").eq(11).all()
    rows, _cols = power_sums_oracle(mid.to_numpy().tolist(), res.stable_power)
    assert res.indirect["influence"].tolist() == rows
    with pytest.raises(ISMInputError, match=r"'A1' -> 'A11'.*intensity 0..3"):
        gd.godet_micmac(mid)


# --- results, tables, figures -------------------------------------------------------------------


def test_frozen_tables_and_figures():
    import matplotlib.pyplot as plt

    res = gd.godet_micmac([[0, 3, 1], [1, 0, 2], [2, "P", 0]], labels=["A", "B", "C"])
    with pytest.raises(FrozenInstanceError):
        res.stable_power = 1
    tables = gd.godet_tables(res)
    assert set(tables) >= {"Godet direct", "Godet indirect", "Godet displacement", "Godet rankings"}
    tables["Godet direct"].iloc[0, 0] = -1
    assert res.direct.iloc[0, 0] != -1
    ax = gd.plot_godet_map(res)
    assert ax.get_title() and len(ax.collections) == 2
    assert len(gd.plot_godet_map(res, show="direct", title=None).collections) == 1
    ax = gd.plot_displacement(res, title=None)
    assert ax.get_title() == "" and ax.yaxis_inverted()
    plt.close("all")
    with pytest.raises(ISMInputError, match="show"):
        gd.plot_godet_map(res, show="all")


# --- errors ------------------------------------------------------------------------------------------


def test_errors_name_the_cell():
    with pytest.raises(ISMInputError, match=r"'X' -> 'Y', row 1, column 2\): 4 is not an intensity"):
        gd.godet_micmac([[0, 4], [1, 0]], labels=["X", "Y"])
    with pytest.raises(ISMInputError, match="diagonal must be 0"):
        gd.godet_micmac([[2, 1], [1, 0]])
    with pytest.raises(ISMInputError, match="'strong'"):
        gd.godet_micmac([[0, "strong"], [1, 0]])
    with pytest.raises(ISMInputError, match="is not an intensity"):
        gd.godet_micmac([[0, None], [1, 0]])
    with pytest.raises(ISMInputError, match="is not an intensity"):
        gd.godet_micmac([[0, 1.5], [1, 0]])
    with pytest.raises(ISMInputError, match="max_power"):
        gd.godet_micmac([[0, 1], [1, 0]], max_power=3)
    with pytest.raises(ISMInputError, match="window"):
        gd.godet_micmac([[0, 1], [1, 0]], window=1)
    with pytest.raises(ISMInputError, match="potential matrix cell"):
        gd.godet_micmac([[0, 1], [1, 0]], potential=[[0, "maybe"], [0, 0]])
    with pytest.raises(ISMInputError, match="square"):
        gd.godet_micmac([[0, 1, 2], [1, 0]])


def test_blank_diagonal_accepted():
    res = gd.godet_micmac([["", 1], [2, "-"]])
    assert res.direct["influence"].tolist() == [1, 2]


# --- command line -----------------------------------------------------------------------------------


def _cli(argv):
    import argparse

    from ism_health import cli_godet

    parser = argparse.ArgumentParser(prog="ism-health")
    cli_godet.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.run(args)


def test_cli_csv_and_xlsx(tmp_path, capsys):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in [["", "A", "B", "C"], ["A", None, 3, 1], ["B", 1, None, 2], ["C", 2, "P", None]]:
        ws.append(row)
    wb.save(tmp_path / "mdi.xlsx")
    out = tmp_path / "out"
    assert _cli(["godet", str(tmp_path / "mdi.xlsx"), "-o", str(out)]) == 0
    assert "stable from M^3" in capsys.readouterr().out
    names = {p.name for p in out.iterdir()}
    assert {
        "godet_micmac.xlsx",
        "godet_map.png",
        "godet_map.svg",
        "godet_map.pdf",
        "godet_displacement.png",
        "godet_indirect.csv",
        "godet_displacement.csv",
    } <= names
    table = pd.read_csv(out / "godet_direct.csv", index_col=0)
    assert table["influence"].tolist() == [4, 3, 2]


def test_cli_bad_input(tmp_path, capsys):
    (tmp_path / "m.csv").write_text(",A,B\nA,0,5\nB,1,0\n", encoding="utf-8")
    assert _cli(["godet", str(tmp_path / "m.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "5" in err and "'A' -> 'B'" in err
    (tmp_path / "bad.csv").write_text(",A,B\nA,0,1\nC,1,0\n", encoding="utf-8")
    assert _cli(["godet", str(tmp_path / "bad.csv")]) == 2
    assert "row labels and column labels" in capsys.readouterr().err
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    assert _cli(["godet", str(tmp_path / "x.txt")]) == 2


def test_potential_matrix_from_text_cells():
    # as read from a CSV: strings; a number marks a potential link, "0" and "" do not
    res = gd.godet_micmac(
        [["", "1", "0"], ["0", "", "2"], ["1", "0", ""]],
        labels=["A", "B", "C"],
        potential=[["", "0", "2"], ["", "", ""], ["", "P", ""]],
    )
    assert res.potential_matrix.to_numpy().tolist() == [[0, 1, 3], [0, 0, 2], [1, 3, 0]]
    assert res.matrix.to_numpy().tolist() == [[0, 1, 0], [0, 0, 2], [1, 0, 0]]


def test_figures_are_byte_identical_across_runs(tmp_path):
    from ism_health import cli_godet  # noqa: F401  (the writer used by the command)
    from ism_health._cli_matrix import write_outputs

    res = gd.godet_micmac([[0, 3, 1], [1, 0, 2], [2, "P", 0]], labels=["A", "B", "C"])
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    for out in (a, b):
        write_outputs(out, "godet", gd.godet_tables(res), {"map": lambda ax: gd.plot_godet_map(res, ax=ax)})
    for p in sorted(a.iterdir()):
        assert p.read_bytes() == (b / p.name).read_bytes(), p.name
