"""The bundle folder and the format registry (ism_health.bundle)."""

from __future__ import annotations

import pytest

from ism_health import ISMInputError, analyze
from ism_health.bundle import FORMATS, write_bundle
from ism_health.datasets import load_example


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
    with pytest.raises(ISMInputError, match="not empty"):
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
    monkeypatch.setattr(bundle._export, "FORMATS", bundle.FORMATS)  # the 0.1 path follows the registry
    assert "txt" not in build_parser().format_help()
    bundle.register_format("txt", "levels.txt: the levels as text", write_txt)
    assert bundle.FORMATS[-1] == "txt"
    parser_help = " ".join(build_parser()._subparsers._group_actions[0].choices["example"].format_help().split())
    # argparse may break the long list anywhere: compare without spaces
    listed = "anyofxlsx,csv,tex,md,json,interactive,html,png,svg,pdf,docx,txt(default:allbutdocx)"
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


def test_each_figure_is_drawn_once_and_the_report_embeds_the_saved_svg(tmp_path, monkeypatch):
    """Issue 18: save() draws every figure once, whatever the formats; the report does not draw its own."""
    import base64
    import re

    import ism_health.plotting as plotting
    from ism_health import analyze
    from ism_health.datasets import load_example

    calls = []
    for name in ("plot_hierarchy", "plot_micmac", "plot_matrix"):
        original = getattr(plotting, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(plotting, name, spy)
    import ism_health.report as report

    def refuse(*args, **kwargs):
        raise AssertionError("the report drew a figure the bundle had drawn")

    monkeypatch.setitem(report.REPORT_FIGURES, "hierarchy", (refuse, "x"))
    monkeypatch.setitem(report.REPORT_FIGURES, "micmac", (refuse, "y"))
    folder = tmp_path / "out"
    analyze(load_example("worked")).save(folder, formats="png,svg,pdf,html", date=False)
    assert sorted(calls) == sorted(["plot_hierarchy", "plot_micmac"] + ["plot_matrix"] * 3)
    page = (folder / "report.html").read_text(encoding="utf-8")
    for sid in ("hierarchy", "micmac"):
        uri = re.search(rf'id="img-{sid}" src="data:image/svg\+xml;base64,([^"]+)"', page).group(1)
        assert base64.b64decode(uri) == (folder / "figures" / f"{sid}.svg").read_bytes()


def test_the_01_names_at_their_01_path_stay_current():
    from ism_health import bundle, export

    assert export.write_bundle is bundle.write_bundle
    assert export._check_formats("png, .JSON") == ["json", "png"]
    assert export.FORMATS == bundle.FORMATS
    bundle.register_format("txt3", "demo", lambda result, folder, tables: [])
    try:
        assert "txt3" in export.FORMATS
    finally:
        del bundle.FORMAT_REGISTRY["txt3"]
        bundle._refresh()
    assert "txt3" not in export.FORMATS
