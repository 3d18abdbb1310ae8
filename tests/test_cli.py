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
