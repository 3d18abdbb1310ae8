"""The result object and its JSON (issue 17): hostile result files are located errors naming the file; the
"immutable" result never hands out state a caller can change.
"""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest

import ism_health as ism
from ism_health import ISMResult

from .cases import chain_ssim, raises_located, worked


@pytest.fixture(scope="module")
def result():
    return ism.analyze(worked())


@pytest.fixture(scope="module")
def good(result):
    return json.loads(result.to_json())


def _edit(good, path, value):
    data = json.loads(json.dumps(good))
    cur = data
    for key in path[:-1]:
        cur = cur[key]
    cur[path[-1]] = value
    return data


# ------------------------------------------------------------------ crashes with the wrong exception: shapes
SHAPES = {
    "null": ((), None),
    "a number": ((), 5),
    "a list": ((), [1]),
    "a string": ((), "result"),
    "params null": (("params",), None),
    "params a list": (("params",), [1]),
    "params a number": (("params",), 2),
    "ssim null": (("ssim",), None),
    "ssim a number": (("ssim",), 3),
    "ssim a list": (("ssim",), []),
    "pairs null": (("ssim", "pairs"), None),
    "pairs a number": (("ssim", "pairs"), 7),
    "pairs an object": (("ssim", "pairs"), {}),
    "pair null": (("ssim", "pairs"), [None]),
    "pair of numbers": (("ssim", "pairs"), [[1, 2, 3]]),
    "pair too short": (("ssim", "pairs"), [["F1", "F2"]]),
    "labels null": (("ssim", "labels"), None),
    "labels a string": (("ssim", "labels"), "abcdefgh"),
    "label a list": (("ssim", "labels"), [["F1"], "F2", "F3", "F4", "F5", "F6", "F7", "F8"]),
    "label a number": (("ssim", "labels"), [1, "F2", "F3", "F4", "F5", "F6", "F7", "F8"]),
    "tables null": (("tables",), None),
    "tables a list": (("tables",), []),
    "tables a number": (("tables",), 3),
    "threshold unknown": (("params", "micmac_threshold"), "zzz"),
    "threshold null": (("params", "micmac_threshold"), None),
    "threshold an object": (("params", "micmac_threshold"), {"a": 1}),
    "threshold three numbers": (("params", "micmac_threshold"), [1, 2, 3]),
    "on_boundary a number": (("params", "on_boundary"), 5),
    "format unknown": (("format",), "something else"),
    "format version 2": (("format",), "ism_health.result/2"),
    "a table edited": (("tables", "levels"), []),
    "a factor renamed": (("ssim", "labels"), ["G1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"]),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_result_json_shape_is_a_located_error(name, good, tmp_path):
    path_in, value = SHAPES[name]
    data = _edit(good, path_in, value) if path_in else value
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with raises_located(str(path)):
        ISMResult.from_json(path)


@pytest.mark.parametrize("key", ["params", "ssim", "tables", "format"])
def test_result_json_missing_key_is_named(key, good, tmp_path):
    data = dict(good)
    del data[key]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with raises_located("r.json"):
        ISMResult.from_json(path)


def test_unknown_format_version_says_which_it_reads(good, tmp_path):
    path = tmp_path / "v9.json"
    path.write_text(json.dumps(_edit(good, ("format",), "ism_health.result/9")), encoding="utf-8")
    with raises_located("v9.json", "ism_health.result/9", "ism_health.result/1"):
        ISMResult.from_json(path)


# ------------------------------------------------------------------ resources
@pytest.mark.parametrize(
    "raw",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        '{"format": "ism_health.result/1", "params": {"x": ' + "9" * 5000 + "}}",
        '{"format": "ism_health.result/1", "n": -' + "1" * 10_000 + "}",
    ],
    ids=["deep list", "deep object", "5000-digit number", "10000-digit negative"],
)
def test_result_json_resources_are_located(raw, tmp_path):
    path = tmp_path / "big.json"
    path.write_text(raw, encoding="utf-8")
    with raises_located("big.json"):
        ISMResult.from_json(path)


def test_huge_float_is_refused_as_an_option(good, tmp_path):
    text = json.dumps(_edit(good, ("params", "micmac_threshold"), 0)).replace(
        '"micmac_threshold": 0', '"micmac_threshold": 1' + "0" * 400 + ".5"
    )
    path = tmp_path / "f.json"
    path.write_text(text, encoding="utf-8")
    with raises_located("f.json", "threshold"):
        ISMResult.from_json(path)


# ------------------------------------------------------------------ files
@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe\x00junk", b"{not json", "caf\xe9".encode("latin-1")],
    ids=["empty", "binary", "syntax", "latin-1"],
)
def test_unreadable_result_file_is_named(content, tmp_path):
    path = tmp_path / "r.json"
    path.write_bytes(content)
    with raises_located("r.json"):
        ISMResult.from_json(path)


def test_missing_result_file_is_named(tmp_path):
    with raises_located("nope.json", "no such file"):
        ISMResult.from_json(tmp_path / "nope.json")


def test_folder_result_is_named(tmp_path):
    folder = tmp_path / "out.json"
    folder.mkdir()
    with raises_located("out.json", "folder"):
        ISMResult.from_json(folder)


@pytest.mark.parametrize("value", [None, 3, b"{}", ["r.json"]], ids=["None", "int", "bytes", "list"])
def test_not_a_path_nor_text_is_refused(value):
    with raises_located("path"):
        ISMResult.from_json(value)


def test_json_text_errors_are_still_located_by_key(good):
    with raises_located('"params" must be an object'):
        ISMResult.from_json(json.dumps(_edit(good, ("params",), None)))


def test_a_bom_written_by_an_editor_is_accepted(result, tmp_path):
    path = tmp_path / "bom.json"
    path.write_text("\ufeff" + result.to_json(), encoding="utf-8")
    assert ISMResult.from_json(path) == result


def test_hostile_labels_round_trip(tmp_path):
    labels = ["=1+1", "a;=1+1", 'q"uote', "<script>x</script>", "Ω — ü", "[x]", "back\\slash"]
    r = ism.analyze(chain_ssim(labels))
    path = tmp_path / "r.json"
    r.to_json(path)
    again = ISMResult.from_json(path)
    assert again == r and list(again.ssim.labels) == labels


# ------------------------------------------------------------------ data loss and silent change: immutability
TABLES = [
    "initial_reachability",
    "final_reachability",
    "transitive",
    "final_reachability_marked",
    "canonical_matrix",
    "partition_iterations",
    "micmac_analysis",
    "canonical",
    "partition",
    "micmac",
]


@pytest.mark.parametrize("name", TABLES)
def test_editing_a_table_never_reaches_the_result(name):
    r = ism.analyze(worked())
    summary, text = r.summary(), r.to_json()
    table = getattr(r, name)
    first = table.iloc[0, 0]
    edited = (not first) if isinstance(first, (bool, np.bool_)) else "edited" if isinstance(first, str) else 99
    table.iloc[0, 0] = edited
    table.iloc[:, -1] = table.iloc[:, -1].to_numpy()[::-1]
    assert r.summary() == summary and r.to_json() == text
    assert not getattr(r, name).equals(table)


@pytest.mark.parametrize("name", ["levels", "level_partition"])
def test_editing_the_levels_never_reaches_the_result(name):
    r = ism.analyze(worked())
    summary, text = r.summary(), r.to_json()
    levels = getattr(r, name)
    levels.iloc[0] = 99
    levels["F6"] = 42
    assert r.summary() == summary and r.to_json() == text
    assert int(getattr(r, name)["F6"]) == 1


@pytest.mark.parametrize("name", ["digraph", "ism_digraph"])
def test_editing_the_digraph_never_reaches_the_result(name):
    r = ism.analyze(worked())
    before = nx.to_dict_of_lists(r.ism_digraph)
    g = getattr(r, name)
    g.add_edge("F7", "intruder")
    first = next(iter(g.nodes))
    g.nodes[first]["level"] = 99
    assert nx.to_dict_of_lists(r.ism_digraph) == before
    assert r.ism_digraph.nodes[first]["level"] != 99


@pytest.mark.parametrize("name", ["cycles", "strongly_connected_sets"])
def test_editing_the_cycles_never_reaches_the_result(name):
    r = ism.analyze(worked())
    getattr(r, name).append(("F1", "F2"))
    assert r.cycles == [("F4", "F5")]


def test_the_result_cannot_be_reassigned():
    r = ism.analyze(worked())
    with pytest.raises(AttributeError):
        r.ssim = chain_ssim()  # type: ignore[misc]
    with pytest.raises(TypeError):
        r.params["on_boundary"] = "high"  # type: ignore[index]


def test_the_input_ssim_is_not_changed_by_the_analysis():
    s = worked()
    before = s.adjacency.copy()
    r = ism.analyze(s)
    frm = r.final_reachability
    frm.iloc[0, 0] = 5
    assert np.array_equal(s.adjacency, before)


def test_tables_dict_is_a_fresh_copy_each_time():
    r = ism.analyze(worked())
    first = r.tables()
    key = next(iter(first))
    first[key].iloc[0, 0] = "edited"
    assert not r.tables()[key].equals(first[key])
