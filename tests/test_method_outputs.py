"""The outputs of the method results (ism_health._method_outputs) and the ISM bundle with extras.

Every method result has ``tables()`` / ``figures()`` and the same writers; as an extra of an
ISM analysis its sheets, files, figures and report section join the bundle. Workbooks are read
back with openpyxl, the report is parsed with html.parser.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from html.parser import HTMLParser

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import ism_health as ism
from ism_health import ISMInputError
from ism_health._method_outputs import METHOD_FORMATS, MethodOutputs, extra_tables
from ism_health.datasets import load_example

from .helpers_outputs import HOSTILE


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def worked():
    return ism.analyze(load_example("worked"))


@pytest.fixture(scope="module")
def methods(worked):
    """One result of every method, small and deterministic."""
    panel = ism.simulate_panel(load_example("worked"), 4, 0.1, seed=2)
    ssim = worked.ssim
    texts = {(ssim.labels[i], ssim.labels[j]): f"{ssim.labels[i]} shapes {ssim.labels[j]}"
             for i, j in zip(*np.nonzero(ssim.adjacency))}
    return {
        "fuzzy": ism.fuzzy_micmac([[0, 0.7, 0.1], [0.3, 0, 0.9], [0, 0.5, 0]], labels=["A", "B", "C"]),
        "godet": ism.godet_micmac([[0, 3, 1], [1, 0, 2], [2, 0, 0]], labels=["A", "B", "C"]),
        "aism": ism.adversarial_levels(worked.final_reachability),
        "dematel": ism.dematel([[0, 3, 1], [1, 0, 2], [0, 1, 0]], labels=["A", "B", "C"]),
        "tism": ism.tism(ssim, texts),
        "robustness": ism.robustness(panel, method="jackknife"),
        "audit": ism.audit(worked.final_reachability),
    }


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


class _Sections(HTMLParser):
    """Section id -> {"h2": heading, "img": number of images, "captions": [table captions]}."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, dict] = {}
        self._current: str | None = None
        self._tag: str | None = None
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "section":
            self._current = attrs["id"]
            self.sections[self._current] = {"h2": "", "img": 0, "captions": [], "cells": []}
        elif self._current and tag == "img":
            self.sections[self._current]["img"] += 1
            assert attrs["src"].startswith("data:image/svg+xml;base64,")
        self._tag = tag

    def handle_endtag(self, tag):
        if tag == "section":
            self._current = None
        self._tag = None

    def handle_data(self, data):
        if not self._current:
            return
        if self._tag == "h2":
            self.sections[self._current]["h2"] += data
        elif self._tag == "caption":
            self.sections[self._current]["captions"].append(data)
        elif self._tag in ("td", "th"):
            self.sections[self._current]["cells"].append(data)


def _sections(path) -> _Sections:
    parser = _Sections()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# ------------------------------------------------------------------ the protocol
def test_every_method_result_has_the_protocol(methods):
    from ism_health.adversarial import AdversarialLevels
    from ism_health.audit import audit_tables
    from ism_health.dematel import dematel_tables
    from ism_health.experts.robustness import robustness_tables
    from ism_health.micmac.fuzzy import fuzzy_micmac_tables
    from ism_health.micmac.godet import godet_tables
    from ism_health.tism import tism_tables

    builders = {"fuzzy": fuzzy_micmac_tables, "godet": godet_tables, "dematel": dematel_tables,
                "tism": tism_tables, "robustness": robustness_tables, "audit": audit_tables,
                "aism": lambda a: {"AISM levels": a.table}}
    n_figures = {"fuzzy": 1, "godet": 2, "aism": 1, "dematel": 1, "tism": 1, "robustness": 3, "audit": 0}
    for name, result in methods.items():
        assert isinstance(result, MethodOutputs), name
        assert dataclasses.is_dataclass(result) and type(result).__dataclass_params__.frozen, name
        tables = result.tables()
        expected = builders[name](result)
        assert list(tables) == list(expected), name
        for key in tables:
            pd.testing.assert_frame_equal(tables[key], expected[key])
        figures = result.figures()
        assert len(figures) == n_figures[name], name
        for draw in figures.values():
            ax = draw(None)
            assert ax.figure is not None and (ax.has_data() or ax.texts or ax.patches or ax.images)
    assert isinstance(methods["aism"], AdversarialLevels)


def test_tables_are_copies(methods):
    fz = methods["fuzzy"]
    table = fz.tables()["Fuzzy stable matrix"]
    table.iloc[0, 0] = 99
    assert fz.stable_matrix.iloc[0, 0] == 1.0


# ------------------------------------------------------------------ writers of one result
def test_fuzzy_workbook_reads_back(tmp_path, methods):
    fz = methods["fuzzy"]
    wb = load_workbook(fz.to_excel(tmp_path / "f.xlsx"))
    assert wb.sheetnames == ["Summary", *fz.tables()]
    ws = wb["Fuzzy stable matrix"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    # max-min closure of the unit-diagonal matrix, by hand: A->B 0.7, B->C 0.9, A->C max(0.1, min(0.7, 0.9)) = 0.7,
    # C->B 0.5, B->A 0.3, C->A min(0.5, 0.3) = 0.3
    assert rows == [["Factor", "A", "B", "C"], ["A", 1, 0.7, 0.7], ["B", 0.3, 1, 0.9], ["C", 0.3, 0.5, 1]]
    assert wb["Summary"]["A2"].value == fz.summary().splitlines()[0]


def test_the_same_result_gives_the_same_bytes(tmp_path, methods):
    for name, result in methods.items():
        if name == "audit":
            continue
        a = result.save(tmp_path / f"{name}-a", formats="xlsx,csv,tex,md,html,svg")
        b = result.save(tmp_path / f"{name}-b", formats="xlsx,csv,tex,md,html,svg")
        assert [p.name for p in a] == [p.name for p in b]
        for p, q in zip(a, b):
            assert p.read_bytes() == q.read_bytes(), (name, p.name)


def test_save_layout_refusal_and_formats(tmp_path, methods):
    rb = methods["robustness"]
    out = tmp_path / "rb"
    files = rb.save(out)
    names = {str(p.relative_to(out)) for p in files}
    assert {"summary.txt", "robustness.xlsx", "report.html"} <= names
    for key in rb.tables():
        assert {f"csv/{key}.csv", f"latex/{key}.tex", f"markdown/{key}.md"} <= names
    for stem in ("level_stability", "micmac_over_resamples", "links_by_frequency"):
        assert {f"figures/{stem}.{ext}" for ext in ("png", "svg", "pdf")} <= names
    assert len(names) == len(files) == 3 + 3 * len(rb.tables()) + 9
    with pytest.raises(ISMInputError, match="not empty"):
        rb.save(out)
    assert len(rb.save(out, force=True, formats="md")) == 1 + len(rb.tables())
    with pytest.raises(ISMInputError, match="expected some of"):
        rb.save(tmp_path / "x", formats="xlsx,json")
    assert METHOD_FORMATS == ("xlsx", "csv", "tex", "md", "html", "png", "svg", "pdf")


def test_hostile_names_stay_text(tmp_path):
    labels = HOSTILE[:4] + [HOSTILE[8]]
    n = len(labels)
    matrix = np.roll(np.eye(n), 1, axis=1) * 0.7
    fz = ism.fuzzy_micmac(matrix, labels=labels)
    wb = load_workbook(fz.to_excel(tmp_path / "f.xlsx"))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == labels[0]]
    assert cells and all(c.data_type == "s" for c in cells)
    with open(fz.to_csv(tmp_path / "csv")[1], newline="", encoding="utf-8") as fh:
        first_column = [row[0] for row in csv.reader(fh)]
    assert first_column[1] == "'" + labels[0]
    page = fz.to_html(tmp_path / "f.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert _sections(tmp_path / "f.html").scripts == 0
    tex = fz.to_latex()["fuzzy_stable_matrix"]
    assert "<script>" in tex and r"\_" not in labels[0] and "HYPERLINK" in tex
    md = fz.to_markdown()["fuzzy_stable_matrix"]
    assert "&lt;script&gt;" in md


def test_audit_writers_keep_its_sheets(tmp_path, methods):
    report = methods["audit"]
    wb = load_workbook(report.to_excel(tmp_path / "a.xlsx"))
    assert wb.sheetnames == ["Summary", "Missing", "Spurious", "Levels", "Powers", "Clusters", "True FRM"]
    sections = _sections(report.to_html(tmp_path / "a.html")).sections
    assert sections["method"]["h2"] == "ISM audit"
    assert sections["method"]["captions"][-1] == "True FRM"


# ------------------------------------------------------------------ extras of the ISM bundle
ISM_SHEETS = ["SSIM", "IRM", "FRM", "FRM marked", "Iteration 1", "Iteration 2", "Iteration 3", "Iteration 4", "Iteration 5",
              "Levels", "Canonical matrix", "MICMAC", "Factors", "Parameters"]


def test_bundle_with_every_extra(tmp_path, worked, methods):
    extras = list(methods.values())
    out = tmp_path / "bundle"
    files = worked.save(out, extras=extras)
    names = {str(p.relative_to(out)) for p in files}
    assert len(names) == len(files)

    # workbook: the ISM sheets unchanged and first, then every extra's sheets, prefixed, unique, <= 31 characters
    wb = load_workbook(out / "ism_result.xlsx")
    assert wb.sheetnames[: len(ISM_SHEETS)] == ISM_SHEETS
    extra = wb.sheetnames[len(ISM_SHEETS):]
    assert len(extra) == sum(len(x.tables()) for x in extras)
    assert len({s.lower() for s in wb.sheetnames}) == len(wb.sheetnames)
    assert all(len(s) <= 31 for s in wb.sheetnames)
    prefixes = ("Fuzzy ", "Godet ", "AISM ", "DEMATEL ", "TISM ", "Robustness ", "Audit ")
    assert all(s.startswith(prefixes) for s in extra)
    assert "Audit Levels" in extra and "Levels" in wb.sheetnames  # the audit's "Levels" does not clash
    assert {"Robustness level frequencies", "Robustness edge frequencies", "TISM knowledge base"} <= set(extra)

    # the TISM knowledge base reads back as the result's table
    kb = methods["tism"].knowledge_base
    rows = list(wb["TISM knowledge base"].iter_rows(values_only=True))
    assert len(rows) == len(kb) + 1
    assert list(rows[0][-len(kb.columns):]) == [str(c) for c in kb.columns]
    texts = {r for row in rows for r in row if isinstance(r, str) and " shapes " in r}
    assert texts == {t for t in kb.to_numpy().ravel() if isinstance(t, str) and " shapes " in t}
    assert len(texts) == int(worked.ssim.adjacency.sum())

    # robustness level frequencies: shares per factor sum to 1, as in the result
    rows = list(wb["Robustness level frequencies"].iter_rows(values_only=True))
    freq = methods["robustness"].level_frequencies
    assert [r[0] for r in rows[1:]] == list(freq.index)
    np.testing.assert_allclose(np.array([r[1:] for r in rows[1:]], dtype=float), freq.to_numpy())

    # folders and figures
    assert {"csv/robustness_level_frequencies.csv", "latex/tism_knowledge_base.tex",
            "markdown/fuzzy_stable_matrix.md", "csv/audit_levels.csv", "csv/levels.csv"} <= names
    for stem in ("robustness_level_stability", "robustness_micmac_over_resamples", "robustness_links_by_frequency",
                 "fuzzy_micmac_map", "tism_digraph", "dematel_cause_effect_diagram", "aism_hierarchies",
                 "godet_influence_dependence_map", "godet_displacement"):
        assert {f"figures/{stem}.{ext}" for ext in ("png", "svg", "pdf")} <= names

    # the report: the ISM sections, then one per extra, before the options
    parsed = _sections(out / "report.html")
    ids = list(parsed.sections)
    assert ids[: len(ism.report.SECTIONS) - 1] == list(ism.report.SECTIONS[:-1]) and ids[-1] == "parameters"
    assert ids[len(ism.report.SECTIONS) - 1: -1] == [
        "extra-fuzzy", "extra-godet", "extra-aism", "extra-dematel", "extra-tism", "extra-robustness", "extra-audit"]
    rob = parsed.sections["extra-robustness"]
    assert rob["h2"] == "Robustness over the panel" and rob["img"] == 3
    assert "Robustness level frequencies" in rob["captions"]
    tism = parsed.sections["extra-tism"]
    assert tism["img"] == 1 and "TISM knowledge base" in tism["captions"]
    assert set(texts) <= set(tism["cells"])
    assert parsed.sections["extra-audit"]["img"] == 0


def test_to_excel_and_to_html_with_extras(tmp_path, worked, methods):
    fz, rb = methods["fuzzy"], methods["robustness"]
    wb = load_workbook(worked.to_excel(tmp_path / "ism.xlsx", extras=[fz, fz, rb]))
    sheets = wb.sheetnames
    assert sheets[: len(ISM_SHEETS)] == ISM_SHEETS
    assert "Fuzzy stable matrix" in sheets and "Fuzzy stable matrix (2)" in sheets
    assert wb["Fuzzy stable matrix (2)"]["B2"].value == 1
    parsed = _sections(worked.to_html(tmp_path / "r.html", extras=[fz, fz, rb]))
    assert [s for s in parsed.sections if s.startswith("extra-")] == ["extra-fuzzy", "extra-fuzzy-2",
                                                                     "extra-robustness"]
    assert parsed.sections["extra-fuzzy-2"]["h2"] == "Fuzzy MICMAC (2)"
    # without extras nothing changes
    plain = worked.to_excel(tmp_path / "a.xlsx").read_bytes()
    assert worked.to_excel(tmp_path / "b.xlsx", extras=[]).read_bytes() == plain


def test_long_and_odd_sheet_names_are_cut_and_unique():
    class Stub:
        _output_prefix = "Odd"

        def tables(self):
            frame = pd.DataFrame({"x": [1]})
            return {"a table with a name far longer than any sheet may be": frame,
                    "a table with a name far longer than any sheet may be, again": frame,
                    "what? [a]: b/c\\d*": frame}

        def figures(self):
            return {}

    sheets = [t.sheet for t in extra_tables([Stub()], taken_sheets=["SSIM"])]
    assert sheets == ["Odd a table with a name far lon", "Odd a table with a name far (2)", "Odd what a b c d"]
    assert all(len(s) <= 31 for s in sheets)


def test_an_extra_must_be_a_method_result(tmp_path, worked):
    with pytest.raises(ISMInputError, match="not a method result"):
        worked.save(tmp_path / "x", extras=[worked.micmac])
    with pytest.raises(ISMInputError, match="not a method result"):
        worked.to_excel(tmp_path / "x.xlsx", extras=["fuzzy"])


# ------------------------------------------------------------------ analyze(extraction=...)
@pytest.mark.parametrize("rule", ["result", "cause", "alternating"])
def test_analyze_passes_the_extraction_rule(rule):
    result = ism.analyze(load_example("health_data_sharing"), extraction=rule)
    frm = result.final_reachability
    pd.testing.assert_series_equal(result.level_partition, ism.level_partition(frm, rule=rule), check_names=False,
                                   check_index_type=False)
    pd.testing.assert_frame_equal(result.partition_iterations, ism.partition_iterations(frm, rule=rule))
    assert result.params["extraction"] == rule
    assert ism.ISMResult.from_json(result.to_json()) == result
    assert result.micmac["level"].tolist() == result.levels.tolist()
    assert {d["level"] for _, d in result.digraph.nodes(data=True)} == set(result.levels)


def test_cause_extraction_by_hand():
    # worked example: F8 influences only F6 (the top) and nothing reaches F8. Top-down it sits just
    # under F6 (level 2); bottom-up it goes to the bottom level with F7 (level 5). The rest keep their level.
    top = ism.analyze(load_example("worked"))
    bottom = ism.analyze(load_example("worked"), extraction="cause")
    assert top.levels.to_dict() == {"F1": 4, "F2": 3, "F3": 3, "F4": 2, "F5": 2, "F6": 1, "F7": 5, "F8": 2}
    assert bottom.levels.to_dict() == {"F1": 4, "F2": 3, "F3": 3, "F4": 2, "F5": 2, "F6": 1, "F7": 5, "F8": 5}
    assert "Levels (1 = top of the hierarchy; extraction rule: cause)" in bottom.summary()
    assert "  Level 5: F7, F8" in bottom.summary()
    params = dict(bottom.tables()["parameters"].to_numpy())
    assert params["Levels"].startswith("extraction rule cause (bottom-up)")
    # the first cause step assigns the bottom level: F7 and F8
    first = bottom.tables()["iteration_1"]
    assert first.index[first["Level"] == 5].tolist() == ["F7", "F8"]
    assert bottom.canonical.index.tolist()[-2:] == ["F7", "F8"]


def test_extraction_is_checked_and_old_json_loads():
    with pytest.raises(ISMInputError, match="extraction"):
        ism.analyze(load_example("worked"), extraction="bottom-up")
    result = ism.analyze(load_example("worked"))
    data = json.loads(result.to_json())
    del data["params"]["extraction"]  # a file written by 0.1
    assert ism.ISMResult.from_json(json.dumps(data)) == result
    data["params"]["extraction"] = "cause"  # edited: the stored tables are the result rule's
    with pytest.raises(ISMInputError, match="differs"):
        ism.ISMResult.from_json(json.dumps(data))
