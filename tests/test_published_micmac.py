"""Published worked examples for the MICMAC family and the level-extraction rules (issue 14).

Each case lives in ``tests/data/cases/<case>/`` with its ``source.md`` (citation, what was
transcribed, what the source got wrong). Expected values are the printed ones, read from the
CSV files; nothing here is computed by the code under test.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pandas as pd

import ism_health as ism

CASES = Path(__file__).parent / "data" / "cases"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------------------
# Alternating (up-down) extraction: huaxuejia.cn/ism/cal_ud_ism.php
# --------------------------------------------------------------------------------------

UD = CASES / "huaxuejia_alternating_levels"
UD_LABELS = [f"A{i}" for i in range(1, 9)]


def _ud_matrix() -> list[list[int]]:
    """The reachability matrix rebuilt from the printed step-1 reachability sets."""
    reach = {r["factor"]: set(r["reachability_set"].split()) for r in _rows(UD / "iterations.csv") if r["step"] == "1"}
    assert sorted(reach) == UD_LABELS
    return [[int(c in reach[r]) for c in UD_LABELS] for r in UD_LABELS]


def test_ud_printed_antecedent_sets_are_the_columns_of_the_rebuilt_matrix():
    # a transcription check: rows (R) and columns (Q) were printed separately
    m = _ud_matrix()
    printed = {r["factor"]: set(r["antecedent_set"].split()) for r in _rows(UD / "iterations.csv") if r["step"] == "1"}
    for j, name in enumerate(UD_LABELS):
        assert {UD_LABELS[i] for i in range(8) if m[i][j]} == printed[name]


def test_ud_partition_iterations_reproduce_every_printed_step():
    got = ism.partition_iterations(_ud_matrix(), UD_LABELS, rule="alternating")
    printed = _rows(UD / "iterations.csv")
    assert len(got) == len(printed) == 12
    for (_, g), p in zip(got.iterrows(), printed):
        assert int(g["iteration"]) == int(p["step"])
        assert g["factor"] == p["factor"]
        assert set(g["reachability_set"]) == set(p["reachability_set"].split())
        assert set(g["antecedent_set"]) == set(p["antecedent_set"].split())
        assert set(g["intersection_set"]) == set(p["intersection_set"].split())
        assert bool(g["assigned"]) == (p["assigned"] == "yes")


def test_ud_level_table_is_reproduced():
    levels = ism.level_partition(_ud_matrix(), UD_LABELS, rule="alternating")
    for row in _rows(UD / "levels.csv"):
        members = row["members"].split()
        assert sorted(levels.index[levels == int(row["level"])]) == sorted(members)


def test_ud_condensed_matrix_and_skeleton_row():
    m = _ud_matrix()
    assert ism.strongly_connected_sets(m, UD_LABELS) == [("A2", "A3", "A4", "A7", "A8")]
    printed = pd.read_csv(UD / "condensed.csv", index_col=0)
    g = ism.ism_digraph(m, UD_LABELS)
    # node names of the digraph: "A2 + A3 + ..." ; the page writes "A2+A3+..."
    name = {n: n.replace(" ", "") for n in g.nodes}
    closure = {(name[u], name[v]) for u in g.nodes for v in g.nodes if u == v or v in nx.descendants(g, u)}
    for r in printed.index:
        for c in printed.columns:
            assert ((r, c) in closure) == bool(printed.loc[r, c]), (r, c)
    # the skeleton row the stored page shows: A1 -> A2+A3+A4+A7+A8 and nothing else
    assert sorted(name[v] for v in g.successors("A1")) == ["A2+A3+A4+A7+A8"]


def test_ud_adversarial_levels_hand_checked():
    # not printed by the page: A1 reaches only the top cycle (top-down: right under it, level 2;
    # bottom-up: with the source A5 on level 3). A5 -> A6 -> cycle is a longest chain: fixed.
    a = ism.adversarial_levels(_ud_matrix(), UD_LABELS)
    assert a.active == ("A1",)
    assert a.result_levels[["A1", "A5", "A6"]].tolist() == [2, 3, 2]
    assert a.cause_levels[["A1", "A5", "A6"]].tolist() == [3, 3, 2]


# --------------------------------------------------------------------------------------
# Fuzzy reachability by max-min powers: huaxuejia.cn/ism/fisms/cal_fuzzy_r_mat.php, example 2
# --------------------------------------------------------------------------------------

FUZZY = CASES / "huaxuejia_fuzzy_reachability"


def _floyd_max_min(b: list[list[float]]) -> list[list[float]]:
    """Max-min transitive closure with the diagonal kept, by a literal Floyd-Warshall loop."""
    n = len(b)
    t = [row[:] for row in b]
    for k in range(n):
        for i in range(n):
            for j in range(n):
                t[i][j] = max(t[i][j], min(t[i][k], t[k][j]))
    return t


def test_fuzzy_example2_square_is_the_printed_one():
    from ism_health.micmac.fuzzy import max_min_compose

    b = pd.read_csv(FUZZY / "B_example2.csv", index_col=0)
    printed = pd.read_csv(FUZZY / "B2_example2.csv", index_col=0)
    assert list(b.index) == list(printed.index) == list("ABCDEFGHIJ")
    got = max_min_compose(b.to_numpy(), b.to_numpy())
    assert got.tolist() == printed.to_numpy().tolist()  # exact: max-min only selects entries of B


def test_fuzzy_example3_square_rows_a_to_h():
    from ism_health.micmac.fuzzy import max_min_compose

    b = pd.read_csv(FUZZY / "B_example3.csv", index_col=0)
    printed = pd.read_csv(FUZZY / "B2_example3_rows_A_to_H.csv", index_col=0)
    got = pd.DataFrame(max_min_compose(b.to_numpy(), b.to_numpy()), index=b.index, columns=b.columns)
    assert got.loc[list("ABCDEFGH")].to_numpy().tolist() == printed.to_numpy().tolist()
    # the visible start of row I: 0, 0, 0.04, 0.04, 0.16, 0, 0.04, 0
    assert got.loc["I"].tolist()[:8] == [0, 0, 0.04, 0.04, 0.16, 0, 0.04, 0]
    assert (ism.fuzzy_micmac(b).stable_matrix.to_numpy().tolist()) == _floyd_max_min(b.to_numpy().tolist())


def test_fuzzy_example2_fixed_point_is_the_closure():
    b = pd.read_csv(FUZZY / "B_example2.csv", index_col=0)
    res = ism.fuzzy_micmac(b)
    assert res.converged and res.period is None
    # the first k with B^k = B^(k+1), by literal loops (B^1 = B, B^k = B^(k-1) o B)
    m = b.to_numpy().tolist()
    n, power, k = len(m), m, 1
    while True:
        nxt = [[max(min(power[i][t], m[t][j]) for t in range(n)) for j in range(n)] for i in range(n)]
        if nxt == power:
            break
        power, k = nxt, k + 1
    assert res.stable_power == k
    expected = _floyd_max_min(b.to_numpy().tolist())
    assert res.stable_matrix.to_numpy().tolist() == expected
    # the printed square is a lower bound of the fixed point (unit diagonal: powers only grow)
    printed = pd.read_csv(FUZZY / "B2_example2.csv", index_col=0).to_numpy()
    assert (res.stable_matrix.to_numpy() >= printed).all()
    # a unit diagonal was printed, so "as-given" composes the same powers
    same = ism.fuzzy_micmac(b, diagonal="as-given")
    assert same.stable_matrix.equals(res.stable_matrix)


# --------------------------------------------------------------------------------------
# Godet: the printed 0-4 actor matrix of Samna Soumana (Lyon 2, 2010); see also test_godet.py
# --------------------------------------------------------------------------------------

SAMNA = CASES / "samna_soumana_2010_mid"


def test_godet_direct_sums_are_the_printed_table_sums():
    mid = pd.read_csv(SAMNA / "mid.csv", index_col=0)
    rows = [[int(v) for v in r] for r in mid.to_numpy().tolist()]
    n = len(rows)
    res = ism.godet_micmac(mid, max_intensity=4)
    assert res.direct["influence"].tolist() == [sum(r) for r in rows]
    assert res.direct["dependence"].tolist() == [sum(rows[i][j] for i in range(n)) for j in range(n)]
    assert sum(sum(r) for r in rows) == 102  # the total added by hand in source.md
    # "Les activités commerciales n'ont pas d'influence sur aucun des acteurs": A11 last at every power
    assert res.indirect.loc["A11", "influence"] == 0
    assert res.rankings.loc["A11"].filter(like="influence_rank").eq(n).all()
