"""``ism-health elicit``: a facilitator's session through a pseudo-terminal (pexpect), and its error paths."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from ism_health import cli_elicit
from ism_health.experts.elicitation import Elicitation

pexpect = pytest.importorskip("pexpect")

SRC = str(Path(cli_elicit.__file__).resolve().parents[1])
FACTORS = ["Law", "Trust", "Cost", "Skills"]
# the experts' view: Law -> Trust -> Cost, Cost <-> Skills (a cycle); the closure, written out by hand
TRUTH = {
    ("Law", "Trust"),
    ("Law", "Cost"),
    ("Law", "Skills"),
    ("Trust", "Cost"),
    ("Trust", "Skills"),
    ("Cost", "Skills"),
    ("Skills", "Cost"),
}
QUESTION = re.compile(r"Does '([^']+)' influence '([^']+)'\?")


def _factors_csv(folder: Path) -> Path:
    path = folder / "factors.csv"
    path.write_text("code,label,description\n" + "".join(f"C{k},{f},\n" for k, f in enumerate(FACTORS, 1)))
    return path


def _spawn(folder: Path, *extra: str) -> pexpect.spawn:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "MPLBACKEND": "Agg"}
    args = [
        "-m",
        "ism_health.cli_elicit",
        str(_factors_csv(folder)),
        "--session",
        str(folder / "s.jsonl"),
        "-o",
        str(folder / "out"),
        "--formats",
        "csv",
        *extra,
    ]
    return pexpect.spawn(sys.executable, args, cwd=str(folder), env=env, encoding="utf-8", timeout=60)


def _ask(child: pexpect.spawn) -> tuple[str, str] | None:
    """Wait for the next question (returned as a pair) or the end of the session (None)."""
    k = child.expect([QUESTION, "Done: every ordered pair is settled"])
    if k == 1:
        return None
    pair = (child.match.group(1), child.match.group(2))
    child.expect_exact("[y]es/[n]o/[u]ndo/[s]kip for now/[q]uit: ")
    return pair


def test_a_session_through_a_terminal_quit_resume_undo_skip_finish(tmp_path):
    child = _spawn(tmp_path)
    child.expect(r"New session .*4 factors, 12 ordered pairs")
    child.expect_exact("[asked 0, inferred 0, remaining 12 of 12]")
    said = []
    for _ in range(2):
        q = _ask(child)
        child.sendline("y" if q in TRUTH else "n")
        said.append(q)
    q = _ask(child)
    child.sendline("q")
    child.expect("Session saved in .*s.jsonl; run the same command again to resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert [h[:2] for h in Elicitation.resume(tmp_path / "s.jsonl").history] == said

    child = _spawn(tmp_path)
    child.expect_exact("Resuming")
    child.expect_exact("2 answers so far")
    child.expect(r"\[asked 2, inferred \d+, remaining \d+ of 12\]")
    q = _ask(child)
    child.sendline("maybe")
    child.expect_exact("please answer y, n, u, s or q")
    q2 = _ask(child)
    assert q2 == q
    child.sendline("s")  # skip for now: another question comes first
    q3 = _ask(child)
    assert q3 != q
    child.sendline("y" if q3 in TRUTH else "n")
    _ask(child)
    child.sendline("u")  # undo the answer just given
    child.expect_exact(f"undone: {q3[0]!r} -> {q3[1]!r}")
    while (q := _ask(child)) is not None:
        child.sendline("y" if q in TRUTH else "n")
    child.expect(r"(\d+) asked, (\d+) inferred")
    asked, inferred = int(child.match.group(1)), int(child.match.group(2))
    child.expect(r"Wrote (\d+) files to")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert asked + inferred == 12 and inferred > 0
    done = Elicitation.resume(tmp_path / "s.jsonl")
    k = done.known()
    assert {(a, b) for a in FACTORS for b in FACTORS if a != b and k.loc[a, b] in ("1", "1*")} == TRUTH
    assert (tmp_path / "out").is_dir() and any((tmp_path / "out").iterdir())


def _run(folder: Path, answers: list[str], *extra: str, capsys=None) -> tuple[int, list[str]]:
    lines: list[str] = []
    feed = iter(answers)
    code = cli_elicit.main(
        [
            str(_factors_csv(folder)),
            "--session",
            str(folder / "s.jsonl"),
            "-o",
            str(folder / "out"),
            "--formats",
            "csv",
            *extra,
        ],
        ask=lambda prompt: next(feed),
        out=lines.append,
    )
    return code, lines


def test_errors_are_one_line_and_exit_2(tmp_path, capsys):
    code, _ = _run(tmp_path, ["y", "q"])
    assert code == 0
    code, _ = _run(tmp_path, [], "--relation", "leads to")
    assert code == 2 and "cannot change to 'leads to'" in capsys.readouterr().err
    code, _ = _run(tmp_path, [], "--strategy", "row")
    assert code == 2 and "--strategy 'greedy'" in capsys.readouterr().err
    other = tmp_path / "other"
    other.mkdir()
    (other / "factors.csv").write_text("label\nA\nB\n")
    code = cli_elicit.main(
        [str(other / "factors.csv"), "--session", str(tmp_path / "s.jsonl"), "-o", str(other / "o")],
        ask=lambda p: "q",
        out=lambda s: None,
    )
    assert code == 2 and "made for other factors" in capsys.readouterr().err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    code = cli_elicit.main(
        [str(_factors_csv(tmp_path)), "--session", str(tmp_path / "s.jsonl"), "-o", str(tmp_path / "full")],
        ask=lambda p: "q",
        out=lambda s: None,
    )
    assert code == 2 and "is not empty" in capsys.readouterr().err


def test_a_torn_session_file_needs_repair(tmp_path, capsys):
    code, _ = _run(tmp_path, ["y", "n", "q"])
    assert code == 0
    with open(tmp_path / "s.jsonl", "ab") as f:
        f.write(b'{"event": "ans')
    code, _ = _run(tmp_path, ["q"])
    err = capsys.readouterr().err
    assert code == 2 and "torn" in err and "--repair" in err and err.count("\n") == 1
    code, lines = _run(tmp_path, ["q"], "--repair")
    assert code == 0 and any("cut off the torn last line" in x for x in lines)
    assert len(Elicitation.resume(tmp_path / "s.jsonl").history) == 2


def test_eof_at_the_prompt_quits_and_saves(tmp_path):
    def eof(prompt: str) -> str:
        raise EOFError

    code = cli_elicit.main(
        [str(_factors_csv(tmp_path)), "--session", str(tmp_path / "s.jsonl")], ask=eof, out=lambda s: None
    )
    assert code == 0 and (tmp_path / "s.jsonl").exists()
