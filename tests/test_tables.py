"""The paper tables of a result (ism_health.tables)."""

from __future__ import annotations

import pytest

from ism_health import analyze
from ism_health.datasets import load_example


@pytest.fixture(scope="module")
def health():
    return analyze(load_example())


def test_tables_cover_every_step(health):
    tables = health.tables()
    iterations = [k for k in tables if k.startswith("iteration_")]
    assert len(iterations) == int(health.levels.max()) == 7
    assert list(tables) == ["factors", "ssim", "irm", "frm", *iterations, "levels", "canonical", "micmac", "parameters"]
    frm = tables["frm"]
    stars = (frm == "1*").to_numpy()
    assert (stars == health.transitive.to_numpy()).all()
    assert list(tables["canonical"].index) == list(health.canonical.index)
    params = dict(tables["parameters"].to_numpy())
    assert params["Library"] == f"ism_health {health.params['version']}"
    assert params["Dependence boundary"] == "6.5"
    # the partition iterations hold every factor once as "assigned"
    assigned = [f for k in iterations for f, lv in tables[k]["Level"].items() if lv != ""]
    assert sorted(assigned) == sorted(health.ssim.labels)


def test_tables_of_a_result_are_built_fresh_and_a_mapping_passes_through(health):
    from ism_health.tables import as_tables, display_frame, result_tables, table_codes

    tables = result_tables(health)
    assert as_tables(tables) is tables
    assert as_tables(health).keys() == tables.keys()
    codes = table_codes(tables)
    assert codes[health.ssim.labels[0]] == "F1" and len(codes) == health.ssim.n
    shown = display_frame(tables, "irm")
    assert list(shown.columns) == [f"F{k + 1}" for k in range(health.ssim.n)]
    assert shown.index[1] == f"F2 {health.ssim.labels[1]}"
    assert display_frame(tables, "levels") is tables["levels"]


def test_summary_text_is_the_result_summary(health):
    from ism_health.tables import summary_text

    text = summary_text(health)
    assert text == health.summary()
    assert text.splitlines()[0] == f"ISM analysis of {health.ssim.n} factors (ism_health {health.params['version']})"
