"""Hostile values given to the numeric API (issue 17): a located ISMInputError naming the input or option, or a
correct output.

The kernel (transitive_closure, SSIM.from_matrix, level_partition, micmac_analysis,
ism_digraph, analyze) and the methods built on it (dematel, fuzzy_micmac,
godet_micmac, tism, audit, Elicitation, robustness).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ism_health as ism

from .cases import case, chain_ssim, raises_located, worked

K = "kernel"
P = "panel"

M01 = [[0, 1, 0], [0, 0, 1], [0, 0, 0]]
FRM = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]


def _masked(mask):
    return np.ma.masked_array(np.array(M01), mask=mask)


# ------------------------------------------------------------------ silent change: values that are not 0/1
BAD_MATRICES = {
    "a 2": ([[0, 2, 0], [0, 0, 1], [0, 0, 0]], "2", None),
    "a 0.5": ([[0, 0.5, 0], [0, 0, 1], [0, 0, 0]], "0.5", None),
    "NaN": ([[0, np.nan, 0], [0, 0, 1], [0, 0, 0]], "nan|blank", None),
    "inf": ([[0, np.inf, 0], [0, 0, 1], [0, 0, 0]], "inf", None),
    "-1": ([[0, -1, 0], [0, 0, 1], [0, 0, 0]], "-1", None),
    "masked entry": (_masked([[0, 1, 0], [0, 0, 0], [0, 0, 0]]), "mask", K),
    "fully masked": (_masked(np.ones((3, 3), bool)), "mask", K),
    "timedelta": (np.array(M01, dtype="timedelta64[s]"), "timedelta", None),
    "datetime": (np.array(M01, dtype="datetime64[s]"), "datetime", None),
    "complex": (np.array(M01, dtype=complex), "complex", None),
    "text": (np.array([["0", "1", "x"], ["0", "0", "1"], ["0", "0", "0"]]), "x", None),
    "ragged": ([[0, 1], [0, 0, 1], [0]], "ragged|square|row", K),
    "3-D": (np.zeros((2, 3, 3, 1)), "shape", None),
    "1-D": (np.zeros(4), "shape|square", None),
    "not square": (np.zeros((2, 3)), "square", None),
    "None": (None, "NoneType|matrix", None),
    "a string": ("0101", "str|matrix", None),
}


@pytest.mark.parametrize("name", [case(k, helper=v[2]) for k, v in BAD_MATRICES.items()])
def test_transitive_closure_refuses(name):
    data, named, _ = BAD_MATRICES[name]
    with raises_located(regex=named):
        ism.transitive_closure(data)


#: Pending in SSIM.from_matrix (the kernel helper's item: masked and timedelta arrays).
FROM_MATRIX_PENDING = {"masked entry": K, "fully masked": K, "timedelta": K}


@pytest.mark.parametrize(
    "name", [case(k, helper=FROM_MATRIX_PENDING.get(k)) for k in BAD_MATRICES]
)
def test_ssim_from_matrix_refuses(name):
    data, _, _ = BAD_MATRICES[name]
    with raises_located():
        ism.SSIM.from_matrix(data)


def test_sparse_matrix_is_accepted_or_refused_clearly():
    from scipy import sparse

    m = sparse.csr_matrix(np.array(M01))
    try:
        frm = ism.transitive_closure(m)
    except ism.ISMInputError as err:
        assert "sparse" in str(err) and "shape ()" not in str(err)
    else:
        assert np.array_equal(np.asarray(frm, dtype=int), FRM)


FRM_FUNCTIONS = {
    "level_partition": ism.level_partition,
    "micmac_analysis": ism.micmac_analysis,
    "ism_digraph": ism.ism_digraph,
    "canonical_matrix": ism.canonical_matrix,
}
BAD_FRMS = {
    "a 2": ([[1, 2, 1], [0, 1, 1], [0, 0, 1]], "2"),
    "NaN": ([[1, np.nan, 1], [0, 1, 1], [0, 0, 1]], "nan"),
    "ragged": ([[1, 1], [0, 1, 1], [0, 0, 1]], "row|square|ragged"),
    "masked": (np.ma.masked_array(np.array(FRM), mask=np.eye(3, dtype=bool)), "mask"),
}
#: Pending (the kernel helper's items): masked arrays everywhere, a ragged list in level_partition.
FRM_PENDING = {("level_partition", "ragged")} | {(f, "masked") for f in FRM_FUNCTIONS}


@pytest.mark.parametrize(
    "fn_name, bad_name",
    [
        case(f, b, helper=K if (f, b) in FRM_PENDING else None, id=f"{f}-{b}")
        for f in FRM_FUNCTIONS
        for b in BAD_FRMS
    ],
)
def test_frm_functions_refuse(fn_name, bad_name):
    bad, named = BAD_FRMS[bad_name]
    with raises_located(regex=named):
        FRM_FUNCTIONS[fn_name](bad)


def test_a_closure_is_never_mutated_in_place():
    m = np.array(M01)
    before = m.copy()
    ism.transitive_closure(m)
    ism.SSIM.from_matrix(m)
    assert np.array_equal(m, before)


# ------------------------------------------------------------------ labels: data loss and silent change
@pytest.mark.parametrize(
    "labels, named",
    [
        case("abc", "string 'abc'", id="one string"),  # the value is named; the wording differs by entry point
        case(["a", np.nan, "c"], "number 2", id="NaN"),
        case(["a", pd.NA, "c"], "number 2", id="pd.NA"),
        case(["a", None, "c"], "number 2", id="None"),
        case(["a", "a", "c"], "'a'", id="duplicate"),
        case(["a", "  ", "c"], "number 2", id="blank"),
        case(["a", "b"], "2 labels", id="too few"),
        case(["a", "b", "c", "d"], "4 labels", id="too many"),
        case(["a", "b\x00", "c"], r"\\x00", helper="readers", id="NUL"),  # a regex: the label shown escaped
        case(["a", "b\ud800", "c"], "surrogate|\\\\ud800", helper="readers", id="lone surrogate"),
    ],
)
def test_bad_labels_are_named(labels, named):
    with raises_located(regex=named):
        ism.SSIM.from_matrix(M01, labels=labels)


def test_labels_are_kept_as_given_text():
    s = ism.SSIM.from_matrix(M01, labels=["=1+1", "Ω — ü", "a;b"])
    assert list(s.labels) == ["=1+1", "Ω — ü", "a;b"]


# ------------------------------------------------------------------ options: checked up front, numpy scalars work
@pytest.mark.parametrize(
    "kwargs, named",
    [
        case({"micmac_threshold": "median"}, "median"),
        case({"micmac_threshold": -1}, "-1"),
        case({"micmac_threshold": float("nan")}, "nan"),
        case({"micmac_threshold": (1, 2, 3)}, "pair"),
        case({"micmac_threshold": None}, "None"),
        case({"on_boundary": "middle"}, "on_boundary"),
        case({"on_boundary": 1}, "on_boundary"),
    ],
)
def test_analyze_options_are_named(kwargs, named):
    with raises_located(named):
        ism.analyze(worked(), **kwargs)


@pytest.mark.parametrize(
    "threshold",
    [np.int64(3), np.float64(2.5), np.float32(3.5), (np.int64(3), np.float64(2.5)), [np.int32(2), 3]],
    ids=["int64", "float64", "float32", "int64 pair", "int32 list"],
)
def test_numpy_scalar_options_serialise_and_round_trip(threshold):
    result = ism.analyze(worked(), micmac_threshold=threshold)
    again = ism.ISMResult.from_json(result.to_json())
    assert again == result
    plain = ism.analyze(worked(), micmac_threshold=np.asarray(threshold).tolist())
    assert again.micmac_analysis.equals(plain.micmac_analysis)


def test_analyze_refuses_what_is_not_an_ssim():
    with raises_located("SSIM"):
        ism.analyze([[0, 1], [0, 0]])


# ------------------------------------------------------------------ seeds
@pytest.mark.parametrize(
    "seed",
    [case(-1, id="negative"), case("a", id="string"), case(1.5, id="float")],
)
def test_simulate_panel_bad_seed_is_named(seed):
    with raises_located("seed"):
        ism.simulate_panel(worked(), 3, 0.1, seed=seed)


@pytest.mark.parametrize("seed", [case(-1, id="negative"), case("a", id="string")])
def test_write_questionnaire_bad_seed_is_named(seed, tmp_path):
    with raises_located("seed"):
        ism.write_questionnaire(["a", "b", "c"], tmp_path / "q.xlsx", seed=seed)


def test_numpy_seed_is_the_same_draw_as_the_int():
    a = ism.simulate_panel(worked(), 3, 0.2, seed=np.int64(5))
    b = ism.simulate_panel(worked(), 3, 0.2, seed=5)
    assert np.array_equal(a.codes, b.codes)


# ------------------------------------------------------------------ DEMATEL
DM = [[0, 1, 2], [1, 0, 3], [0, 2, 0]]
DEMATEL_BAD = {
    "None": ((None,), {}, "NoneType"),
    "ragged": (([[0, 1], [1]],), {}, "row 2"),
    "NaN": (([[0, np.nan], [1, 0]],), {}, "row 'F1', column 'F2'"),
    "inf": (([[0, np.inf], [1, 0]],), {}, "row 'F1', column 'F2'"),
    "negative": (([[0, -1], [1, 0]],), {}, "row 'F1', column 'F2'"),
    "text cell": (([[0, "x"], [1, 0]],), {}, "'x'"),
    "complex": ((np.array([[0, 1j], [1, 0]]),), {}, "row 'F1', column 'F2'"),
    "booleans": (([[False, True], [True, False]],), {}, "True"),
    "timedelta": ((np.array([[0, 1], [1, 0]], dtype="timedelta64[s]"),), {}, "timedelta"),
    "all zeros": (([[0, 0], [0, 0]],), {}, "all zeros"),
    "1x1": (([[0]],), {}, "at least 2"),
    "diagonal": (([[1, 1], [1, 0]],), {}, "diagonal"),
    "normalization": ((DM,), {"normalization": "foo"}, "normalization"),
    "threshold text": ((DM,), {"threshold": "foo"}, "threshold"),
    "threshold NaN": ((DM,), {"threshold": float("nan")}, "threshold"),
    "threshold negative": ((DM,), {"threshold": -1}, "threshold"),
    "decimals negative": ((DM,), {"decimals": -1}, "decimals"),
    "decimals float": ((DM,), {"decimals": 1.5}, "decimals"),
    "aggregate": ((DM,), {"aggregate": "foo"}, "aggregate"),
    "labels short": ((DM,), {"labels": ["a", "b"]}, "2 labels"),
    "labels one string": ((DM,), {"labels": "abc"}, "single string"),
    "labels duplicate": ((DM,), {"labels": ["a", "a", "b"]}, "'a'"),
    "strict text": ((DM,), {"strict": "yes"}, "strict"),
    "experts disagree on factors": (([pd.DataFrame(DM, index=list("abc"), columns=list("abc")),
                                      pd.DataFrame(DM, index=list("abd"), columns=list("abd"))],), {}, "expert 2"),
    "masked": ((np.ma.masked_array(np.array(DM), mask=np.eye(3, dtype=bool) * 0 + np.diag([0, 0, 1])),),
               {}, "mask"),
}


@pytest.mark.parametrize("name", [case(k, helper=K if k == "masked" else None) for k in DEMATEL_BAD])
def test_dematel_refuses(name):
    args, kwargs, named = DEMATEL_BAD[name]
    with raises_located(named):
        ism.dematel(*args, **kwargs)


def test_dematel_numpy_options_equal_plain_ones():
    a = ism.dematel(DM, threshold=np.float64(0.3), decimals=np.int64(3))
    b = ism.dematel(DM, threshold=0.3, decimals=3)
    assert a.summary() == b.summary()
    assert type(a.threshold) is float and type(a.decimals) is int  # plain Python values, ready for JSON


# ------------------------------------------------------------------ fuzzy and Godet MICMAC
FZ = [[1, 0.5, 0.2], [0, 1, 0.7], [0.1, 0, 1]]
FUZZY_BAD = {
    "None": ((None,), {}, "NoneType"),
    "above 1": (([[1, 2], [0, 1]],), {}, "row 1, column 2"),
    "negative": (([[1, -0.1], [0, 1]],), {}, "row 1, column 2"),
    "NaN": (([[1, np.nan], [0, 1]],), {}, "row 1, column 2"),
    "unknown term": (([[1, "huge"], ["low", 1]],), {}, "'huge'"),
    "ragged": (([[1, 0.5], [1]],), {}, "row 2"),
    "masked": ((np.ma.masked_array(FZ, mask=np.eye(3)),), {}, "masked"),
    "diagonal": ((FZ,), {"diagonal": "x"}, "diagonal"),
    "max_iterations 0": ((FZ,), {"max_iterations": 0}, "max_iterations"),
    "max_iterations float": ((FZ,), {"max_iterations": 2.5}, "max_iterations"),
    "threshold": ((FZ,), {"threshold": "x"}, "threshold"),
    "threshold NaN": ((FZ,), {"threshold": float("nan")}, "threshold"),
    "scale value": ((FZ,), {"scale": {"low": 2}}, "scale['low']"),
    "scale not a mapping": ((FZ,), {"scale": [1, 2]}, "scale"),
    "aggregate": ((FZ,), {"aggregate": "x"}, "aggregate"),
    "1x1": (([[1]],), {}, "at least 2"),
}


@pytest.mark.parametrize("name", list(FUZZY_BAD))
def test_fuzzy_micmac_refuses(name):
    args, kwargs, named = FUZZY_BAD[name]
    with raises_located(named):
        ism.fuzzy_micmac(*args, **kwargs)


GD = [[0, 1, 2], [1, 0, 3], [0, 2, 0]]
GODET_BAD = {
    "None": ((None,), {}, "NoneType"),
    "intensity 4": (([[0, 4], [1, 0]],), {}, "row 1, column 2"),
    "negative": (([[0, -1], [1, 0]],), {}, "row 1, column 2"),
    "fraction": (([[0, 1.5], [1, 0]],), {}, "row 1, column 2"),
    "NaN": (([[0, np.nan], [1, 0]],), {}, "row 1, column 2"),
    "unknown letter": (([[0, "Q"], [1, 0]],), {}, "'Q'"),
    "ragged": (([[0, 1], [1]],), {}, "row 2"),
    "potential shape": ((GD,), {"potential": [[0, 1], [1, 0]]}, "potential"),
    "max_power 0": ((GD,), {"max_power": 0}, "max_power"),
    "max_power float": ((GD,), {"max_power": 2.5}, "max_power"),
    "window 0": ((GD,), {"window": 0}, "window"),
    "window text": ((GD,), {"window": "3"}, "window"),
    "max_intensity 0": ((GD,), {"max_intensity": 0}, "max_intensity"),
    "max_intensity huge": ((GD,), {"max_intensity": 10**30}, "max_intensity"),
    "1x1": (([[0]],), {}, "at least 2"),
}


@pytest.mark.parametrize("name", list(GODET_BAD))
def test_godet_micmac_refuses(name):
    args, kwargs, named = GODET_BAD[name]
    with raises_located(named):
        ism.godet_micmac(*args, **kwargs)


def test_fuzzy_huge_max_iterations_stops_when_stable():
    """A huge bound is harmless: the powers stabilise (or cycle) long before it."""
    a = ism.fuzzy_micmac(FZ, max_iterations=10**30)
    assert a.summary() == ism.fuzzy_micmac(FZ).summary()


def test_godet_numpy_options_equal_plain_ones():
    a = ism.godet_micmac(GD, max_power=np.int64(40), window=np.int64(3))
    b = ism.godet_micmac(GD, max_power=40, window=3)
    assert a.rankings.equals(b.rankings)


# ------------------------------------------------------------------ TISM
TISM_BAD = {
    "ssim None": ((None, {}), {}, "NoneType"),
    "interpretations None": ((worked(), None), {}, "NoneType"),
    "interpretations a number": ((worked(), 5), {}, "int"),
    "interpretations a list": ((worked(), [1, 2]), {}, "list"),
    "unknown factor": ((worked(), {("F1", "ZZ"): "x"}), {}, "'ZZ'"),
    "not a link": ((worked(), {("F6", "F1"): "x"}), {}, "'F6' -> 'F1'"),
    "key not a pair": ((worked(), {"F1": "x"}), {}, "'F1'"),
    "table without columns": ((worked(), pd.DataFrame({"a": [1]})), {}, "source, target, interpretation"),
    "significant unknown": ((worked(), {}), {"significant_transitive": [("F1", "ZZ")]}, "'ZZ'"),
    "significant direct": ((worked(), {}), {"significant_transitive": [("F1", "F2")]}, "direct link"),
    "significant a string": ((worked(), {}), {"significant_transitive": "F1F2"}, "significant_transitive"),
    "significant a number": ((worked(), {}), {"significant_transitive": 5}, "significant_transitive"),
    "significant triple": ((worked(), {}), {"significant_transitive": [("F1", "F6", "x")]}, "pair"),
}


@pytest.mark.parametrize("name", list(TISM_BAD))
def test_tism_refuses(name):
    args, kwargs, named = TISM_BAD[name]
    with raises_located(named):
        ism.tism(*args, **kwargs)


def test_tism_missing_ssim_file_is_named(tmp_path):
    with raises_located("nope.csv"):
        ism.tism(tmp_path / "nope.csv", {})


@pytest.mark.parametrize("content", ["", "\x00\x01junk", "a,b\n1,2\n"], ids=["empty", "junk", "no columns"])
def test_tism_interpretation_file_is_named(content, tmp_path):
    path = tmp_path / "interp.csv"
    path.write_text(content, encoding="utf-8")
    with raises_located("interp.csv"):
        ism.tism(worked(), path)


# ------------------------------------------------------------------ audit
F2 = [["1", "0"], ["1", "1"]]
AUDIT_BAD = {
    "nothing": ((), {}, "at least one printed matrix"),
    "missing file": (("no_such_paper.csv",), {}, "no_such_paper.csv"),
    "ragged": (([["1", "0"], ["1"]],), {}, "row 2"),
    "a 2": (([["1", "2"], ["0", "1"]],), {}, "row 'F1', column 'F2'"),
    "NaN": (([[1, np.nan], [0, 1]],), {}, "row 'F1', column 'F2'"),
    "levels a list": ((F2,), {"levels": [1]}, "level"),
    "levels unknown factor": ((F2,), {"levels": {"ZZ": 1, "F1": 1}}, "'ZZ'"),
    "levels not whole": ((F2,), {"levels": {"F1": "top"}}, "whole number"),
    "driving a list": ((F2,), {"driving": ["x", "y"]}, "driving"),
    "clusters unknown": ((F2,), {"clusters": {"F1": "central"}}, "central"),
    "threshold NaN": ((F2,), {"micmac_threshold": float("nan")}, "micmac_threshold"),
    "threshold text": ((F2,), {"micmac_threshold": "x"}, "micmac_threshold"),
    "threshold negative": ((F2,), {"micmac_threshold": -1}, "micmac_threshold"),
    "labels too few": ((F2,), {"labels": ["a"]}, "1 labels"),
    "ssim symbol": ((), {"ssim": [["", "Q"], ["", ""]]}, "'Q'"),
    "irm value": ((), {"irm": [[1, 5], [0, 1]]}, "row 'F1', column 'F2'"),
    "irm shape": ((F2,), {"irm": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}, "IRM"),
}


@pytest.mark.parametrize("name", list(AUDIT_BAD))
def test_audit_refuses(name):
    args, kwargs, named = AUDIT_BAD[name]
    with raises_located(named):
        ism.audit(*args, **kwargs)


def test_audit_numpy_threshold_equals_plain():
    a = ism.audit(F2, micmac_threshold=np.int64(1))
    b = ism.audit(F2, micmac_threshold=1)
    assert a.summary() == b.summary()


@pytest.mark.parametrize("kind", ["truncated zip", "truncated sheet xml", "missing sheet part"])
def test_audit_damaged_workbook_is_named(kind, tmp_path):
    from .cases import damaged_xlsx

    def make(path):
        pd.DataFrame(F2, index=["a", "b"], columns=["a", "b"]).to_excel(path)
        return path

    path = damaged_xlsx(tmp_path, kind, make=make)
    with raises_located(path.name):
        ism.audit(path)


# ------------------------------------------------------------------ elicitation
ELICIT_BAD = {
    "None": (lambda: ism.Elicitation(None), "NoneType"),
    "one factor": (lambda: ism.Elicitation(["a"]), "at least 2"),
    "duplicate": (lambda: ism.Elicitation(["a", "a"]), "'a'"),
    "one string": (lambda: ism.Elicitation("ab"), "str"),
    "a number": (lambda: ism.Elicitation(5), "int"),
    "NaN label": (lambda: ism.Elicitation(["a", np.nan]), "number 2"),
    "strategy": (lambda: ism.Elicitation(["a", "b"], strategy="x"), "strategy"),
    "relation None": (lambda: ism.Elicitation(["a", "b"], relation=None), "relation"),
    "relation blank": (lambda: ism.Elicitation(["a", "b"], relation=""), "relation"),
    "answer maybe": (lambda: ism.Elicitation(["a", "b"]).answer("a", "b", "maybe"), "'maybe'"),
    "answer 2": (lambda: ism.Elicitation(["a", "b"]).answer("a", "b", 2), "2"),
    "answer unknown factor": (lambda: ism.Elicitation(["a", "b"]).answer("a", "zz", True), "'zz'"),
    "answer itself": (lambda: ism.Elicitation(["a", "b"]).answer("a", "a", True), "'a'"),
    "answer neither": (lambda: ism.Elicitation(["a", "b"]).answer("a", "b", None), "yes"),
    "result too early": (lambda: ism.Elicitation(["a", "b"]).result(), "not complete"),
    "undo nothing": (lambda: ism.Elicitation(["a", "b"]).undo(), "undo"),
}


@pytest.mark.parametrize("name", list(ELICIT_BAD))
def test_elicitation_refuses(name):
    fn, named = ELICIT_BAD[name]
    with raises_located(named):
        fn()


def test_elicitation_journal_that_is_a_folder_is_named(tmp_path):
    folder = tmp_path / "session.jsonl"
    folder.mkdir()
    with raises_located("session.jsonl"):
        ism.Elicitation(["a", "b"], journal=folder)


@pytest.mark.parametrize(
    "content",
    ["", "not json\n", '{"kind": "header"}\n', "[1, 2]\n", "null\n", '{"a": ' * 5000 + "1" + "}" * 5000 + "\n"],
    ids=["empty", "junk", "bad header", "a list", "null", "deep"],
)
def test_elicitation_resume_of_a_bad_journal_is_named(content, tmp_path):
    path = tmp_path / "j.jsonl"
    path.write_text(content, encoding="utf-8")
    with raises_located("j.jsonl"):
        ism.Elicitation.resume(path)


def test_elicitation_labels_survive_the_journal(tmp_path):
    labels = ["=1+1", "a;b", "Ω"]
    e = ism.Elicitation(labels, journal=tmp_path / "j.jsonl")
    q = e.next_question()
    e.answer(q[0], q[1], True)
    again = ism.Elicitation.resume(tmp_path / "j.jsonl")
    assert list(again.labels) == labels and len(again.history) == 1


# ------------------------------------------------------------------ robustness
@pytest.fixture(scope="module")
def panel():
    return ism.simulate_panel(chain_ssim(["a", "b", "c", "d"]), 4, 0.1, seed=1)


ROBUST_BAD = {
    "method": ({"method": "x"}, "method", None),
    "n_resamples 0": ({"n_resamples": 0}, "n_resamples", None),
    "n_resamples float": ({"n_resamples": 2.5}, "n_resamples", None),
    "n_resamples huge": ({"n_resamples": 10**12}, "n_resamples", None),
    "seed negative": ({"n_resamples": 3, "seed": -1}, "seed", None),
    "seed text": ({"n_resamples": 3, "seed": "a"}, "seed", None),
    "seed float": ({"n_resamples": 3, "seed": 1.5}, "seed", None),
    "rule": ({"n_resamples": 3, "rule": "x"}, "rule", None),
    "threshold above 1": ({"n_resamples": 3, "threshold": 2}, "threshold", None),
    "threshold NaN": ({"n_resamples": 3, "threshold": float("nan")}, "threshold", None),
    "ties": ({"n_resamples": 3, "ties": "x"}, "ties", None),
    "weights unknown expert": ({"n_resamples": 3, "weights": {"zz": 1}}, "'zz'", None),
    "weights negative": ({"n_resamples": 3, "weights": {f"E0{k}": -1 for k in range(1, 5)}}, "-1", None),
    "backend": ({"n_resamples": 3, "backend": "x"}, "backend", None),
    "micmac_threshold": ({"n_resamples": 3, "micmac_threshold": "x"}, "threshold", None),
    "on_boundary": ({"n_resamples": 3, "on_boundary": "x"}, "on_boundary", None),
    "strict text": ({"n_resamples": 3, "strict": "x"}, "strict", None),
    "progress text": ({"n_resamples": 3, "progress": "x"}, "progress", None),
}


@pytest.mark.parametrize("name", list(ROBUST_BAD))
def test_robustness_refuses(name, panel):
    kwargs, named, _ = ROBUST_BAD[name]
    with raises_located(named):
        ism.robustness(panel, **kwargs)


@pytest.mark.parametrize("what", [None, "panel", 3], ids=["None", "text", "number"])
def test_robustness_needs_a_panel(what):
    with raises_located("Panel"):
        ism.robustness(what)


def test_robustness_jackknife_of_one_expert_is_named():
    one = ism.simulate_panel(chain_ssim(), 1, 0.1, seed=1)
    with raises_located("2 experts"):
        ism.robustness(one, method="jackknife")


def test_robustness_numpy_options_equal_plain(panel):
    a = ism.robustness(panel, n_resamples=np.int64(5), seed=np.int64(3))
    b = ism.robustness(panel, n_resamples=5, seed=3)
    assert a.summary() == b.summary()


@pytest.mark.parametrize("weight", [1e308, np.finfo(float).max], ids=["1e308", "float max"])
def test_robustness_huge_equal_weights_equal_no_weights(weight, panel):
    a = ism.robustness(panel, n_resamples=5, seed=3, weights={e: weight for e in panel.experts})
    b = ism.robustness(panel, n_resamples=5, seed=3)
    assert a.summary() == b.summary()
