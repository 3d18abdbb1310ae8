"""The ``ism-health`` command line: built-in examples, broken files, exit codes, messages, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ism_health import ISMInputError, ISMResult, analyze
from ism_health.cli import COMMANDS, MODULE_COMMANDS, build_parser, main
from ism_health.datasets import load_example

SRC = str(Path(__file__).resolve().parents[1] / "src")

BROKEN = {
    # two problems: a bad symbol and a blank cell
    "symbols.csv": ",A,B,C\nA,,V,Y\nB,,,\nC,,,\n",
    "not_square.csv": ",A,B,C\nA,,V,O\nB,,,A\n",
    "labels.csv": ",A,B\nA,,V\nX,,\n",
    "empty.csv": "",
    "notes.txt": "hello",
}


def _write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text(BROKEN[name], encoding="utf-8")
    return path


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), MPLBACKEND="Agg")
    return subprocess.run([sys.executable, "-m", "ism_health", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300)


# ------------------------------------------------------------------------------------------- examples
def test_example_writes_the_whole_bundle_through_python_m(tmp_path):
    """The README's first command, as a user runs it."""
    out = tmp_path / "out"
    proc = _cli("example", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "ISM analysis of 13 factors: 7 levels, 2 cycle(s)" in proc.stdout
    assert "IV  independent" in proc.stdout and "Cycles: Improving patient management + Factors related to health" in proc.stdout
    for name in ("summary.txt", "ism_result.xlsx", "ism_result.json", "report.html", "figures/hierarchy.png",
                 "figures/micmac.svg", "figures/frm.pdf", "csv/frm.csv", "latex/micmac.tex", "markdown/levels.md"):
        assert (out / name).is_file(), name
    assert ISMResult.from_json(out / "ism_result.json") == analyze(load_example())


def test_no_arguments_runs_the_example(capsys):
    assert main([]) == 0
    assert "ISM analysis of 13 factors" in capsys.readouterr().out


def test_example_worked_with_options_and_formats(tmp_path, capsys):
    out = tmp_path / "w"
    code = main(["example", "worked", "-o", str(out), "--formats", "json,png", "--micmac-threshold", "mean",
                 "--on-boundary", "high"])
    assert code == 0
    text = capsys.readouterr().out
    assert "ISM analysis of 8 factors" in text and "Wrote" in text
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == [
        "canonical.png", "frm.png", "hierarchy.png", "irm.png", "ism_result.json", "micmac.png", "summary.txt"]
    back = ISMResult.from_json(out / "ism_result.json")
    assert back.params["micmac_threshold"] == "mean" and back.params["on_boundary"] == "high"


def test_threshold_pair_option(capsys):
    assert main(["example", "worked", "--micmac-threshold", "3,5"]) == 0
    assert "boundaries: dependence 3, driving 5" in capsys.readouterr().out


def test_analyze_a_file(tmp_path, capsys):
    path = tmp_path / "ssim.xlsx"
    load_example("worked").to_excel(path)
    assert main(["analyze", str(path)]) == 0
    assert "Levels (1 = top of the hierarchy):\n  1  F6" in capsys.readouterr().out


def test_never_overwrites_a_non_empty_folder_without_force(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    assert main(["example", "worked", "-o", str(out), "--formats", "json"]) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and "--force" in err
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]
    assert main(["example", "worked", "-o", str(out), "--formats", "json", "--force"]) == 0
    assert (out / "mine.txt").read_text() == "keep me" and (out / "ism_result.json").is_file()


# ------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_analyze_broken_file_one_message_exit_2_no_traceback(name, tmp_path):
    path = _write(tmp_path, name)
    proc = _cli("analyze", str(path), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("ism-health: error: ")
    assert name in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_broken_file_message_names_the_cells(tmp_path, capsys):
    path = _write(tmp_path, "symbols.csv")
    assert main(["analyze", str(path)]) == 2
    err = capsys.readouterr().err
    assert "'Y'" in err and "line 2, column 4" in err
    assert "blank" in err and "('B', 'C')" in err


def test_missing_file_and_bad_options_exit_2(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["example", "worked", "-o", str(tmp_path / "o"), "--formats", "xlsx,pptx"]) == 2
    assert "'pptx'" in capsys.readouterr().err
    assert main(["example", "worked", "--formats", "xlsx"]) == 2
    assert "need -o OUTDIR" in capsys.readouterr().err


def test_usage_errors_exit_2():
    for argv in (["frobnicate"], ["example", "nosuch"], ["analyze"], ["example", "--micmac-threshold", "lots"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2


def test_debug_shows_the_traceback(tmp_path):
    path = _write(tmp_path, "symbols.csv")
    with pytest.raises(ISMInputError):
        main(["--debug", "analyze", str(path)])
    with pytest.raises(ISMInputError):
        main(["analyze", str(path), "--debug"])
    proc = _cli("analyze", str(path), "--debug")
    assert proc.returncode != 0 and "Traceback" in proc.stderr


# ------------------------------------------------------------------------------------------- validate
def test_validate_valid_file_exit_0(tmp_path, capsys):
    path = tmp_path / "ok.csv"
    load_example().to_csv(path)
    assert main(["validate", str(path)]) == 0
    assert "valid (13 factors" in capsys.readouterr().out


def test_validate_lists_every_problem_with_positions_exit_1(tmp_path):
    path = _write(tmp_path, "symbols.csv")
    proc = _cli("validate", str(path))
    assert proc.returncode == 1
    assert "2 problems" in proc.stdout
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("  - ")]
    assert len(lines) == 2
    assert "line 2, column 4" in lines[0] and "'Y'" in lines[0]
    assert "line 3, column 4" in lines[1]
    assert proc.stderr == ""


@pytest.mark.parametrize("name", ["not_square.csv", "labels.csv", "empty.csv", "notes.txt"])
def test_validate_other_broken_files_exit_1(name, tmp_path, capsys):
    path = _write(tmp_path, name)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "problem" in out and "  - " in out


def test_validate_missing_file_exit_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------- help
@pytest.mark.parametrize("command", [None, "analyze", "example", "validate"])
def test_help_has_examples(command, capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"] if command is None else [command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "ism-health" in out


def test_parser_is_a_registry():
    assert list(COMMANDS) == ["analyze", "example", "validate"]
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    modules = {"elicit", "robustness", "fuzzy-micmac", "godet", "dematel", "tism", "audit", "questionnaire", "panel",
               "feedback"}
    assert set(sub.choices) == set(COMMANDS) | modules
    assert len(MODULE_COMMANDS) == len(modules)


# ------------------------------------------------------------------------------------------- issue 11 / 17: output
def test_files_are_written_before_anything_is_printed(tmp_path, capsys, monkeypatch):
    import ism_health.bundle as bundle

    original = bundle.write_bundle
    printed_before = []

    def spy(*args, **kwargs):
        printed_before.append(capsys.readouterr().out)
        return original(*args, **kwargs)

    monkeypatch.setattr(bundle, "write_bundle", spy)
    assert main(["example", "worked", "-o", str(tmp_path / "out"), "--formats", "csv"]) == 0
    assert printed_before == [""]
    assert "ISM analysis of 8 factors" in capsys.readouterr().out


def test_a_closed_pipe_exits_quietly_with_the_files_in_place(tmp_path):
    """`ism-health ... -o out | head -3`: the reader went away; exit 0, nothing on stderr, every file written."""
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), MPLBACKEND="Agg")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "ism_health", "example", "worked", "-o", str(out),
                             "--formats", "csv,json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # the reader is gone before the command prints its first line
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=300) == 0, stderr
    assert stderr == ""
    assert all((out / name).is_file() for name in ("ism_result.json", "csv/frm.csv", "summary.txt"))


def test_a_closed_pipe_through_the_shell(tmp_path):
    bash = Path("/bin/bash")
    if not bash.exists():
        pytest.skip("no /bin/bash to build the pipe")
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), MPLBACKEND="Agg")
    cmd = f'"{sys.executable}" -m ism_health example -o out --formats csv,json,html 2>err.txt | head -3; ' \
          'echo "status ${PIPESTATUS[0]}"'
    proc = subprocess.run([str(bash), "-c", cmd], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    lines = proc.stdout.splitlines()
    assert len(lines) == 4 and lines[-1] == "status 0", proc.stdout
    assert (tmp_path / "err.txt").read_text() == ""
    assert (tmp_path / "out" / "report.html").is_file()


def test_output_with_a_file_suffix_is_refused(tmp_path, capsys):
    assert main(["example", "worked", "-o", str(tmp_path / "report.html")]) == 2
    err = capsys.readouterr().err
    assert "-o takes a folder" in err and "report.html" in err and err.count("\n") == 1
    assert not (tmp_path / "report.html").exists()
    # an existing folder whose name has a dot is still a folder
    (tmp_path / "v1.2").mkdir()
    assert main(["example", "worked", "-o", str(tmp_path / "v1.2"), "--formats", "json"]) == 0


def test_title_and_input_file_reach_the_report(tmp_path, capsys):
    ssim = tmp_path / "my ssim.csv"
    load_example("worked").to_csv(ssim)
    assert main(["analyze", str(ssim), "-o", str(tmp_path / "out"), "--formats", "html", "--title",
                 "Barriers <A&B>"]) == 0
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<h1>Barriers &lt;A&amp;B&gt;</h1>" in page
    assert f"Input: {ssim}" in page
    assert main(["example", "worked", "--title", "x"]) == 2  # needs -o
    assert "need -o" in capsys.readouterr().err


def test_no_titles_draws_every_figure_with_title_none(tmp_path, monkeypatch):
    import ism_health.plotting as plotting

    calls = []
    for name in ("plot_hierarchy", "plot_micmac", "plot_matrix"):
        original = getattr(plotting, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            calls.append((_name, kwargs.get("title", "default")))
            kwargs.pop("title", None)  # the plotting functions' own title=None is tested with them
            return _original(*args, **kwargs)

        monkeypatch.setattr(plotting, name, spy)
    assert main(["example", "worked", "-o", str(tmp_path / "a"), "--formats", "svg,html", "--no-titles"]) == 0
    assert sorted(calls) == sorted([("plot_hierarchy", None), ("plot_micmac", None)] + [("plot_matrix", None)] * 3)
    calls.clear()
    assert main(["example", "worked", "-o", str(tmp_path / "b"), "--formats", "svg"]) == 0
    assert all(title == "default" for _, title in calls) and len(calls) == 5


def test_a_full_disk_leaves_no_half_written_file_and_one_line(tmp_path, capsys, monkeypatch):
    import errno

    import ism_health._files as files

    real = Path.write_bytes

    def full_disk(self, data):
        real(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(files.Path, "write_bytes", full_disk)
    out = tmp_path / "out"
    assert main(["example", "worked", "-o", str(out), "--formats", "csv"]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and err.count("\n") == 1 and "Traceback" not in err
    assert [p.name for p in out.rglob("*") if p.is_file()] == []  # no half file, no temporary file


def test_a_label_no_file_can_hold_is_one_line_and_nothing_written(tmp_path, capsys):
    from ism_health import SSIM

    # refused where it enters (the SSIM), so no result, and no file, can hold it
    with pytest.raises(ISMInputError, match="lone surrogate"):
        SSIM.from_matrix([[0, 1], [0, 0]], labels=["ok", "bad \ud800"])
    assert not (tmp_path / "out").exists()
