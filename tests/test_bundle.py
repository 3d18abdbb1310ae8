"""The bundle folder and the format registry (ism_health.bundle)."""

from __future__ import annotations

import pytest

from ism_health import ISMInputError, analyze
from ism_health.datasets import load_example
from ism_health.bundle import FORMATS, write_bundle


def test_bundle_contents_and_refusal_to_overwrite(tmp_path):
    result = analyze(load_example("worked"))
    out = tmp_path / "out"
    files = write_bundle(result, out)
    names = {str(p.relative_to(out)) for p in files}
    assert {"summary.txt", "ism_result.xlsx", "ism_result.json", "report.html"} <= names
    for stem in ("hierarchy", "micmac", "irm", "frm", "canonical"):
        for ext in ("png", "svg", "pdf"):
            assert f"figures/{stem}.{ext}" in names
    for table in result.tables():
        assert {f"csv/{table}.csv", f"latex/{table}.tex", f"markdown/{table}.md"} <= names
    assert all(p.stat().st_size > 0 for p in files)
    with pytest.raises(FileExistsError, match="not empty"):
        write_bundle(result, out)
    before = (out / "ism_result.json").read_bytes()
    again = write_bundle(result, out, force=True)
    assert len(again) == len(files)
    # same input, same files
    assert (out / "ism_result.json").read_bytes() == before
    fresh = tmp_path / "fresh"
    write_bundle(result, fresh)
    for p in files:
        assert (fresh / p.relative_to(out)).read_bytes() == p.read_bytes(), p.name


def test_bundle_formats_are_checked(tmp_path):
    result = analyze(load_example("worked"))
    with pytest.raises(ISMInputError, match="expected some of"):
        write_bundle(result, tmp_path / "x", formats="xlsx,docx")
    files = write_bundle(result, tmp_path / "y", formats=["json"])
    assert sorted(p.name for p in files) == ["ism_result.json", "summary.txt"]
    assert set(FORMATS) == {"xlsx", "csv", "tex", "md", "json", "html", "png", "svg", "pdf"}
