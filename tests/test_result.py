"""analyze() and ISMResult: options, immutability, determinism, text output, errors."""

import dataclasses
import json

import networkx as nx
import numpy as np
import pytest

import ism_health as ism
from ism_health import ISMInputError
from ism_health.datasets import load_example


def test_analyze_reads_a_path(tmp_path):
    s = load_example("worked")
    s.to_csv(tmp_path / "s.csv")
    assert ism.analyze(tmp_path / "s.csv") == ism.analyze(s)
    assert ism.analyze(str(tmp_path / "s.csv")).levels.to_dict() == ism.analyze(s).levels.to_dict()


def test_analyze_rejects_other_types():
    with pytest.raises(ISMInputError, match="analyze\\(\\) needs an SSIM .* got list"):
        ism.analyze([[0, 1], [0, 0]])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"micmac_threshold": "median"}, "threshold='median' is not allowed"),
        ({"on_boundary": "centre"}, "on_boundary='centre' is not allowed"),
    ],
)
def test_options_checked_up_front(kwargs, message):
    with pytest.raises(ISMInputError, match=message):
        ism.analyze(load_example("worked"), **kwargs)


def test_params_recorded():
    r = ism.analyze(load_example("worked"), micmac_threshold="mean")
    # 30 ones in the final matrix over 8 factors: mean power 3.75
    assert dict(r.params) == {
        "micmac_threshold": "mean",
        "on_boundary": "low",
        "dependence_boundary": 3.75,
        "driving_boundary": 3.75,
        "extraction": "result",
        "version": ism.__version__,
    }
    assert r.micmac.attrs["boundaries"] == {"dependence": 3.75, "driving": 3.75}


def test_result_is_frozen():
    r = ism.analyze(load_example("worked"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.ssim = load_example("health_data_sharing")
    with pytest.raises(TypeError):
        r.params["on_boundary"] = "high"


def test_frames_are_labelled_and_typed():
    r = ism.analyze(load_example("health_data_sharing"))
    labels = list(load_example("health_data_sharing").labels)
    for frame in (r.initial_reachability, r.final_reachability, r.transitive, r.final_reachability_marked):
        assert frame.index.tolist() == labels and frame.columns.tolist() == labels
    assert r.final_reachability.dtypes.map(lambda d: np.issubdtype(d, np.integer)).all()
    assert r.transitive.dtypes.map(lambda d: d == np.dtype(bool)).all()
    assert set(np.unique(r.final_reachability_marked.to_numpy())) <= {"0", "1", "1*"}
    assert r.levels.index.tolist() == labels
    assert {"driving_power", "dependence_power", "cluster"} <= set(r.micmac.columns)


def test_summary_and_repr_html():
    r = ism.analyze(load_example("worked"))
    text = r.summary()
    assert "Level 2: F4, F5, F8" in text
    assert "F4, F5" in text.split("Cycles")[1]
    assert "IV independent  F1, F7" in text
    assert "On a boundary (placed by the rule): F2, F3" in text
    assert repr(r) == "<ISMResult: 8 factors, 5 levels, 1 cycle(s); .summary() for the report>"
    html = r._repr_html_()
    assert "<pre>" in html and "1*" in html


def test_same_input_same_output_byte_for_byte():
    a = ism.analyze(load_example("health_data_sharing"))
    b = ism.analyze(load_example("health_data_sharing"))
    assert a.summary().encode() == b.summary().encode()
    assert a.partition.to_csv().encode() == b.partition.to_csv().encode()
    assert a.final_reachability_marked.to_csv() == b.final_reachability_marked.to_csv()


def test_no_cycles_and_all_isolated():
    s = ism.SSIM.from_matrix(np.zeros((3, 3), int), ["p", "q", "r"])
    r = ism.analyze(s)
    assert r.levels.tolist() == [1, 1, 1]
    assert r.cycles == []
    assert "Cycles: none" in r.summary()
    assert r.digraph.number_of_edges() == 0
    assert r.micmac.cluster.tolist() == ["autonomous"] * 3


# ------------------------------------------------------------------------------------------- reading a result JSON
@pytest.mark.parametrize(
    "options",
    [{}, {"micmac_threshold": "mean"}, {"micmac_threshold": 5}, {"micmac_threshold": (4.5, 7.0)},
     {"on_boundary": "high"}],
)
def test_json_round_trip_gives_an_equal_result(options, tmp_path):
    result = ism.analyze(load_example(), **options)
    text = result.to_json(tmp_path / "r.json")
    back = ism.ISMResult.from_json(tmp_path / "r.json")
    assert back == result
    assert back.tables().keys() == result.tables().keys()
    assert all(back.tables()[k].equals(result.tables()[k]) for k in result.tables())
    assert ism.ISMResult.from_json(text) == result  # the text itself loads too


def test_json_with_an_edited_table_is_refused(tmp_path):
    health = ism.analyze(load_example())
    data = json.loads(health.to_json())
    data["tables"]["levels"]["data"][0][1] = "Training"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ISMInputError, match="table 'levels' differs"):
        ism.ISMResult.from_json(path)


@pytest.mark.parametrize("content", ["not json", '{"format": "something else"}', '{"format": "ism_health.result/1"}'])
def test_json_that_is_not_a_result_is_refused(content, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ISMInputError, match="bad.json"):
        ism.ISMResult.from_json(path)


# ------------------------------------------------------------------------------------------- names and aliases
def test_result_attributes_have_the_names_of_their_functions():
    s = load_example("worked")
    result = ism.analyze(s)
    frm = ism.transitive_closure(s.initial_reachability())
    assert (result.final_reachability.to_numpy() == frm).all()
    assert result.level_partition.to_dict() == {"F1": 4, "F2": 3, "F3": 3, "F4": 2, "F5": 2, "F6": 1, "F7": 5, "F8": 2}
    assert result.levels.equals(result.level_partition)  # copies (issue 17): equal, never the cached object
    assert result.partition.equals(result.partition_iterations)  # copies (issue 17): equal, never the cached object
    assert result.partition_iterations.equals(ism.partition_iterations(frm, s.labels))
    assert result.canonical.equals(result.canonical_matrix)  # copies (issue 17): equal, never the cached object
    assert result.canonical_matrix.index.tolist() == ["F6", "F4", "F5", "F8", "F2", "F3", "F1", "F7"]
    assert result.micmac.equals(result.micmac_analysis)  # copies (issue 17): equal, never the cached object
    assert result.micmac_analysis.drop(columns="level").equals(ism.micmac_analysis(frm, s.labels))
    assert nx.utils.graphs_equal(result.digraph, result.ism_digraph)
    assert sorted(result.ism_digraph.edges()) == sorted(ism.ism_digraph(frm, s.labels).edges())
    assert result.cycles == result.strongly_connected_sets
    assert result.strongly_connected_sets == [("F4", "F5")] == ism.strongly_connected_sets(frm, s.labels)
    for alias in ("levels", "partition", "canonical", "micmac", "digraph", "cycles"):
        assert getattr(type(result), alias).__doc__.startswith("Alias of")


def test_analyze_passes_the_closure_without_writing_into_the_frozen_result():
    result = ism.analyze(load_example("worked"), micmac_threshold="mean")
    assert "_frm" not in vars(result)  # nothing seeded into the instance dict
    assert result._closure is not None
    assert (result.final_reachability.to_numpy() == result._closure).all()
    assert ism.analyze(load_example("worked"))._closure is None
    assert result == ism.analyze(load_example("worked"), micmac_threshold="mean")
    assert "_closure" not in repr(result)


def test_result_from_json_is_public_in_result_and_the_package():
    from ism_health.result import result_from_json

    result = ism.analyze(load_example("worked"))
    assert result_from_json(result.to_json()) == result
