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
        write_bundle(result, tmp_path / "x", formats="xlsx,pptx")
    files = write_bundle(result, tmp_path / "y", formats=["json"])
    assert sorted(p.name for p in files) == ["ism_result.json", "summary.txt"]
    assert set(FORMATS) == {"xlsx", "csv", "tex", "md", "json", "interactive", "html", "png", "svg", "pdf", "docx"}


def test_one_bundle_builds_the_tables_once(tmp_path, monkeypatch):
    import ism_health.bundle as bundle
    import ism_health.export as export
    import ism_health.report as report
    import ism_health.tables as tables

    calls = []
    real = tables.result_tables

    def counting(result):
        calls.append(result)
        return real(result)

    for module in (tables, export, report, bundle):
        monkeypatch.setattr(module, "result_tables", counting)
    result = analyze(load_example("worked"))
    write_bundle(result, tmp_path / "out", formats="xlsx,csv,tex,md,json,html")
    assert len(calls) == 1


def test_the_registry_drives_the_cli_help_and_validation(tmp_path, monkeypatch, capsys):
    import ism_health.bundle as bundle
    from ism_health.cli import build_parser, main

    def write_txt(result, folder, tables):
        path = folder / "levels.txt"
        path.write_text(tables["levels"].to_string(), encoding="utf-8")
        return [path]

    monkeypatch.setattr(bundle, "FORMAT_REGISTRY", dict(bundle.FORMAT_REGISTRY))
    monkeypatch.setattr(bundle, "FORMATS", bundle.FORMATS)
    assert "txt" not in build_parser().format_help()
    bundle.register_format("txt", "levels.txt: the levels as text", write_txt)
    assert bundle.FORMATS[-1] == "txt"
    parser_help = " ".join(build_parser()._subparsers._group_actions[0].choices["example"].format_help().split())
    # argparse may break the long list anywhere: compare without spaces
    listed = "anyofxlsx,csv,tex,md,json,interactive,html,png,svg,pdf,docx,txt(default:all)"
    assert listed in parser_help.replace(" ", "")
    out = tmp_path / "o"
    assert main(["example", "worked", "-o", str(out), "--formats", "txt"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["levels.txt", "summary.txt"]
    assert (out / "levels.txt").read_text(encoding="utf-8").splitlines()[1].split() == ["0", "1", "F6"]
    capsys.readouterr()


def test_unknown_and_empty_formats_are_refused():
    from ism_health.bundle import check_formats, register_format

    assert check_formats(" .PNG,json ") == ["json", "png"]
    with pytest.raises(ISMInputError, match="'pptx'; expected some of xlsx, csv"):
        check_formats("pptx")
    with pytest.raises(ISMInputError, match="none given"):
        check_formats("")
    with pytest.raises(ISMInputError, match="a writer is needed"):
        register_format("nothing", "no writer")
