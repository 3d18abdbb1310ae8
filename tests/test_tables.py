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
