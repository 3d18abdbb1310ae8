"""Interactive elicitation: inference, completeness, contradictions, undo, panel votes, durable journal.

Oracles are independent of the code under test: reachability from networkx,
"is this question implied?" from networkx paths over the answered pairs, and,
for four factors, brute force over every transitive relation.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ism_health.exceptions import ISMInputError, ISMWarning
from ism_health.experts import elicitation as el

SRC = str(Path(el.__file__).resolve().parents[1])


# ---------------------------------------------------------------------------------------------- oracles
def random_truth(n: int, density: float, seed: int) -> np.ndarray:
    """Reachability (reflexive) of a random DAG plus backward links (cycles), closed by networkx."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for a in range(n):
        for b in range(a + 1, n):
            if rng.random() < density:
                g.add_edge(int(order[a]), int(order[b]))
    for _ in range(max(1, n // 8)):
        a, b = sorted(rng.choice(n, size=2, replace=False))
        g.add_edge(int(order[a]), int(order[b]))  # forward and backward: a cycle for sure
        g.add_edge(int(order[b]), int(order[a]))
    truth = np.zeros((n, n), dtype=bool)
    for u, v in nx.transitive_closure(g, reflexive=True).edges():
        truth[u, v] = True
    return truth


def implied(answers: list[tuple[int, int, bool]], i: int, j: int, n: int) -> bool:
    """Whether the answers force (i, j) either way, by paths in the graph of yes-answers (networkx)."""
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((a, b) for a, b, yes in answers if yes)
    if nx.has_path(g, i, j):
        return True
    return any(not yes and nx.has_path(g, a, i) and nx.has_path(g, j, b) for a, b, yes in answers)


def all_transitive_relations(n: int) -> np.ndarray:
    """Every reflexive transitive relation on n elements, as a stack of boolean matrices (literal loops)."""
    off = [(i, j) for i in range(n) for j in range(n) if i != j]
    out = []
    for bits in itertools.product((False, True), repeat=len(off)):
        r = np.eye(n, dtype=bool)
        for (i, j), b in zip(off, bits):
            r[i, j] = b
        if all(not (r[i, k] and r[k, j]) or r[i, j] for i in range(n) for j in range(n) for k in range(n)):
            out.append(r)
    return np.array(out)


RELATIONS4 = all_transitive_relations(4)
LABELS4 = ["a", "b", "c", "d"]


def drive(session: el.Elicitation, truth: np.ndarray) -> list[tuple[int, int, bool]]:
    """Answer every question from the truth; returns the answers as index triples."""
    index = {lab: k for k, lab in enumerate(session.labels)}
    asked = []
    while (q := session.next_question()) is not None:
        i, j = index[q[0]], index[q[1]]
        session.answer(*q, bool(truth[i, j]))
        asked.append((i, j, bool(truth[i, j])))
    return asked


def known_yes(session: el.Elicitation) -> np.ndarray:
    k = session.known().to_numpy()
    return (k == "1") | (k == "1*")


def known_no(session: el.Elicitation) -> np.ndarray:
    k = session.known().to_numpy()
    return (k == "0") | (k == "0*")


def labels(n: int) -> list[str]:
    return [f"F{k}" for k in range(1, n + 1)]


# ---------------------------------------------------------------------------------------------- hand-checked
def test_yes_is_transitive_and_cycles_are_x():
    s = el.Elicitation(["a", "b", "c"], strategy="row")
    s.answer("a", "b", True)
    s.answer("b", "c", True)
    assert s.known().loc["a", "c"] == "1*"
    s.answer("c", "a", True)  # a cycle: everything reaches everything
    assert s.complete
    assert s.progress == el.Progress(asked=3, inferred=3, remaining=0, total=6)
    assert s.ssim().symbol("a", "c") == "A"  # only the answered c -> a is a direct relation
    assert s.next_question() is None


def test_no_rules_out_a_rectangle():
    # x -> y and w -> z; "x does not reach z" rules out {x, y} x {w, z}
    s = el.Elicitation(["x", "y", "w", "z"])
    s.answer("x", "y", True)
    s.answer("w", "z", True)
    s.answer("x", "z", False)
    k = s.known()
    assert [k.loc[a, b] for a in "xy" for b in "wz"] == ["0*", "0", "0*", "0*"]
    assert k.loc["z", "x"] == "" and k.loc["y", "x"] == ""  # nothing said about those


def test_a_later_yes_extends_an_earlier_no():
    s = el.Elicitation(["a", "b", "c"])
    s.answer("a", "c", False)
    assert s.known().loc["b", "c"] == ""
    s.answer("a", "b", True)  # now b -> c would give a -> b -> c
    assert s.known().loc["b", "c"] == "0*"


def test_factor_table_and_question_words():
    table = pd.DataFrame({"code": ["L", "T"], "label": ["Law", "Trust"], "description": ["rules", "belief"]})
    s = el.Elicitation(table, relation="leads to")
    assert s.labels == ("Law", "Trust")
    assert s.question("Law", "Trust") == "Does 'Law' lead to 'Trust'?"
    assert el.Elicitation(["a", "b"], relation="is a cause of").question("b", "a") == "Is 'b' a cause of 'a'?"
    assert el.Elicitation(["a", "b"], relation="reaches").question("a", "b") == "Does 'a' reach 'b'?"


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda s: s.answer("a", "zz", True), "unknown target factor 'zz'"),
        (lambda s: s.answer("a", "a", True), "not asked about itself"),
        (lambda s: s.answer("a", "b"), "either yes"),
        (lambda s: s.answer("a", "b", True, votes={"E1": True}), "either yes"),
        (lambda s: s.answer("a", "b", "yes"), "True or False"),
        (lambda s: s.answer("a", "b", votes={}), "non-empty"),
        (lambda s: s.answer("a", "b", votes={"E1": 1}), "expert 'E1'"),
        (lambda s: s.undo(), "no answer to undo"),
        (lambda s: s.ssim(), "6 ordered pair"),
        (lambda s: s.next_question(skip=[("a", "nope")]), "unknown target"),
    ],
)
def test_bad_input_is_refused(call, match):
    s = el.Elicitation(["a", "b", "c"])
    with pytest.raises(ISMInputError, match=match):
        call(s)
    assert s.progress.asked == 0


def test_bad_options():
    with pytest.raises(ISMInputError, match="strategy='best'"):
        el.Elicitation(["a", "b"], strategy="best")
    with pytest.raises(ISMInputError, match="relation"):
        el.Elicitation(["a", "b"], relation="  ")
    with pytest.raises(ISMInputError, match="used twice"):
        el.Elicitation(["a", "a"])


def test_partial_ssim_treats_open_pairs_as_no():
    s = el.Elicitation(["a", "b", "c"])
    s.answer("a", "b", True)
    assert s.ssim(partial=True).adjacency.tolist() == [[False, True, False], [False] * 3, [False] * 3]


# ---------------------------------------------------------------------------------------------- oracle sessions
@pytest.mark.parametrize("strategy", el.STRATEGIES)
@pytest.mark.parametrize("n, density, seed", [(10, 0.2, 1), (17, 0.1, 2), (25, 0.15, 3), (40, 0.05, 4), (40, 0.2, 5)])
def test_sessions_end_with_the_oracle_reachability(strategy, n, density, seed):
    truth = random_truth(n, density, seed)
    assert not nx.is_directed_acyclic_graph(nx.DiGraph(truth & ~np.eye(n, dtype=bool)))  # cycles present
    s = el.Elicitation(labels(n), strategy=strategy)
    asked = drive(s, truth)
    assert known_yes(s).tolist() == truth.tolist()
    assert (known_no(s) == ~truth).all()
    # the SSIM's direct relations are the yes-answers; their closure (networkx) is the truth
    g = nx.DiGraph(s.ssim().adjacency)
    closure = np.eye(n, dtype=bool)
    for u, v in nx.transitive_closure(g).edges():
        closure[u, v] = True
    assert closure.tolist() == truth.tolist()
    assert s.progress.asked == len(asked) == len({(i, j) for i, j, _ in asked}) < n * (n - 1)


@settings(max_examples=20, deadline=None)
@given(
    n=st.integers(10, 40),
    density=st.sampled_from([0.03, 0.1, 0.25]),
    seed=st.integers(0, 2**32 - 1),
    strategy=st.sampled_from(el.STRATEGIES),
)
def test_random_sessions_end_with_the_oracle_reachability(n, density, seed, strategy):
    truth = random_truth(n, density, seed)
    s = el.Elicitation(labels(n), strategy=strategy)
    drive(s, truth)
    assert known_yes(s).tolist() == truth.tolist() and (known_no(s) == ~truth).all()


@pytest.mark.parametrize("strategy", el.STRATEGIES)
def test_no_question_is_implied_by_earlier_answers(strategy):
    for seed in range(4):
        n = 12
        truth = random_truth(n, 0.15, 100 + seed)
        s = el.Elicitation(labels(n), strategy=strategy)
        answers: list[tuple[int, int, bool]] = []
        while (q := s.next_question()) is not None:
            i, j = int(q[0][1:]) - 1, int(q[1][1:]) - 1
            assert not implied(answers, i, j, n), (q, answers)
            s.answer(*q, bool(truth[i, j]))
            answers.append((i, j, bool(truth[i, j])))
        # and every pair not asked was implied by the answers
        for i, j in itertools.permutations(range(n), 2):
            assert (i, j, bool(truth[i, j])) in answers or implied(answers, i, j, n)


@settings(max_examples=80, deadline=None)
@given(
    truth_k=st.integers(0, len(RELATIONS4) - 1),
    strategy=st.sampled_from(el.STRATEGIES),
    skips=st.lists(st.tuples(st.sampled_from(LABELS4), st.sampled_from(LABELS4)), max_size=3),
)
def test_brute_force_over_all_transitive_relations(truth_k, strategy, skips):
    """Four factors: the state after each answer is exactly what all consistent transitive relations agree on."""
    truth = RELATIONS4[truth_k]
    s = el.Elicitation(LABELS4, strategy=strategy)
    consistent = np.ones(len(RELATIONS4), dtype=bool)
    skip = [(a, b) for a, b in skips if a != b]
    while True:
        agree_yes = RELATIONS4[consistent].all(axis=0)
        agree_no = (~RELATIONS4[consistent]).all(axis=0)
        assert known_yes(s).tolist() == agree_yes.tolist()  # sound and complete for yes
        assert known_no(s).tolist() == agree_no.tolist()  # and for no
        q = s.next_question(skip=skip) or s.next_question()
        if q is None:
            break
        i, j = LABELS4.index(q[0]), LABELS4.index(q[1])
        values = RELATIONS4[consistent][:, i, j]
        assert values.any() and not values.all(), "asked a question the earlier answers imply"
        s.answer(*q, bool(truth[i, j]))
        consistent &= RELATIONS4[:, i, j] == truth[i, j]
    assert consistent.sum() == 1 and (RELATIONS4[consistent][0] == truth).all()


# ---------------------------------------------------------------------------------------------- contradictions
def test_a_no_contradicting_a_chain_of_yes_shows_the_chain(tmp_path):
    path = tmp_path / "s.jsonl"
    s = el.Elicitation(["a", "b", "c", "d"], journal=path)
    s.answer("a", "b", True)
    s.answer("c", "d", False)
    s.answer("b", "c", True)
    before, lines = s.known(), path.read_bytes()
    with pytest.raises(ISMInputError) as err:
        s.answer("a", "c", False)
    msg = str(err.value)
    assert "'a' -> 'b' (answer 1), 'b' -> 'c' (answer 3)" in msg and "Nothing was recorded" in msg
    assert s.known().equals(before) and path.read_bytes() == lines and len(s.history) == 3


def test_a_yes_contradicting_a_no_shows_the_no_and_the_paths():
    s = el.Elicitation(["a", "b", "c", "d"])
    s.answer("a", "d", False)
    s.answer("a", "b", True)
    s.answer("c", "d", True)
    before = s.known()
    with pytest.raises(ISMInputError) as err:
        s.answer("b", "c", True)
    msg = str(err.value)
    assert "answer 1 says 'a' does not reach 'd'" in msg
    assert "'a' reaches 'b': 'a' -> 'b' (answer 2)" in msg and "'c' reaches 'd': 'c' -> 'd' (answer 3)" in msg
    assert s.known().equals(before)
    with pytest.raises(ISMInputError, match="answer 1 says 'a' does not reach 'd'"):
        s.answer("a", "d", True)  # re-answering the same pair the other way
    s.answer("a", "b", True)  # a consistent re-answer is accepted
    assert s.history[-1] == ("a", "b", True)


# ---------------------------------------------------------------------------------------------- undo
def test_undo_restores_the_exact_state_and_is_journaled(tmp_path):
    truth = random_truth(12, 0.2, 7)
    path = tmp_path / "s.jsonl"
    s = el.Elicitation(labels(12), journal=path)
    states = [(s.known(), s.next_question())]
    for _ in range(8):
        q = s.next_question()
        s.answer(*q, bool(truth[int(q[0][1:]) - 1, int(q[1][1:]) - 1]))
        states.append((s.known(), s.next_question()))
    for k in range(8, 5, -1):
        s.undo()
        assert s.known().equals(states[k - 1][0]) and s.next_question() == states[k - 1][1]
    again = el.Elicitation.resume(path)
    assert again.known().equals(s.known()) and again.history == s.history
    assert [json.loads(x)["event"] for x in path.read_text().splitlines()[1:]].count("undo") == 3


# ---------------------------------------------------------------------------------------------- panel
def test_panel_majority_ties_and_agreement(tmp_path):
    path = tmp_path / "panel.jsonl"
    s = el.Elicitation(["a", "b", "c"], journal=path, strategy="row")
    s.answer("a", "b", votes={"E1": True, "E2": True, "E3": False})
    with pytest.raises(el.ElicitationTie) as tie:
        s.answer("a", "c", votes={"E1": True, "E2": False})
    assert tie.value.votes == {"E1": True, "E2": False}
    assert s.known().loc["a", "c"] == "" and s.next_question() == ("a", "c")  # still open, asked again
    s.answer("a", "c", votes={"E1": False, "E2": False, "E3": False, "E4": True})
    assert s.known().loc["b", "c"] == "0*"
    table = s.agreement()
    assert table[["source", "target", "decision", "yes_votes", "no_votes"]].values.tolist() == [
        ["a", "b", "yes", 2, 1],
        ["a", "c", "no", 1, 3],
        ["a", "c", "tie", 1, 1],
    ]
    assert table["agreement"].tolist() == pytest.approx([2 / 3, 3 / 4, 0.5])
    records = [json.loads(x) for x in path.read_text().splitlines()[1:]]
    assert [r["event"] for r in records] == ["answer", "tie", "answer"]
    assert records[1]["votes"] == {"E1": True, "E2": False} and len(records[2]["votes"]) == 4
    again = el.Elicitation.resume(path)
    assert again.agreement().equals(table)


# ---------------------------------------------------------------------------------------------- journal
def test_journal_header_and_lines(tmp_path):
    path = tmp_path / "s.jsonl"
    table = pd.DataFrame({"label": ["Law", "Trust"], "code": ["L", "T"]})
    s = el.Elicitation(table, journal=path, relation="leads to", strategy="warfield")
    s.answer("Law", "Trust", True)
    head, line = [json.loads(x) for x in path.read_text().splitlines()]
    assert head["format"] == el.JOURNAL_FORMAT and head["relation"] == "leads to" and head["strategy"] == "warfield"
    assert head["factors"][1] == {"label": "Trust", "code": "T", "description": ""}
    assert head["version"] and head["created"]
    assert {k: line[k] for k in ("event", "source", "target", "yes")} == {
        "event": "answer",
        "source": "Law",
        "target": "Trust",
        "yes": True,
    }
    assert "time" in line
    with pytest.raises(ISMInputError, match="already exists"):
        el.Elicitation(["a", "b"], journal=path)


@pytest.mark.parametrize("strategy", el.STRATEGIES)
def test_resume_rebuilds_the_exact_state(tmp_path, strategy):
    truth = random_truth(15, 0.15, 11)
    path = tmp_path / "s.jsonl"
    s = el.Elicitation(labels(15), journal=path, strategy=strategy)
    for _ in range(30):
        q = s.next_question()
        s.answer(*q, bool(truth[int(q[0][1:]) - 1, int(q[1][1:]) - 1]))
    again = el.Elicitation.resume(path)
    assert again.strategy == strategy and again.journal == path
    assert again.known().equals(s.known()) and again.next_question() == s.next_question()
    assert again.progress == s.progress and again.history == s.history
    drive(again, truth)
    assert known_yes(el.Elicitation.resume(path)).tolist() == truth.tolist()


@pytest.mark.parametrize("tail", [b'{"event":"answer","sou', b'{"event": "answer", bad}\n', b"\xff\xfe"])
def test_a_torn_last_line_is_reported_and_only_repaired_on_request(tmp_path, tail):
    path = tmp_path / "s.jsonl"
    s = el.Elicitation(["a", "b", "c"], journal=path)
    s.answer("a", "b", True)
    good = path.read_bytes()
    path.write_bytes(good + tail)
    with pytest.raises(ISMInputError, match="torn"):
        el.Elicitation.resume(path)
    assert path.read_bytes() == good + tail  # nothing touched without repair
    with pytest.warns(ISMWarning, match="cut off the torn last line"):
        again = el.Elicitation.resume(path, repair=True)
    assert path.read_bytes() == good and again.history == [("a", "b", True)]
    again.answer("b", "c", True)
    assert el.Elicitation.resume(path).history == [("a", "b", True), ("b", "c", True)]


def test_damage_before_the_last_line_is_never_repaired(tmp_path):
    path = tmp_path / "s.jsonl"
    s = el.Elicitation(["a", "b", "c"], journal=path)
    s.answer("a", "b", True)
    s.answer("b", "c", True)
    lines = path.read_bytes().split(b"\n")
    lines[1] = b"garbage"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(ISMInputError, match="line 2 is not valid JSON"):
        el.Elicitation.resume(path, repair=True)
    with pytest.raises(ISMInputError, match="no such journal"):
        el.Elicitation.resume(tmp_path / "missing.jsonl")
    (tmp_path / "other.jsonl").write_text('{"format": "something else"}\n')
    with pytest.raises(ISMInputError, match="not an elicitation journal"):
        el.Elicitation.resume(tmp_path / "other.jsonl")


def test_an_answer_that_cannot_be_journaled_is_not_recorded(tmp_path):
    path = tmp_path / "s.jsonl"
    s = el.Elicitation(["a", "b", "c"], journal=path)
    s.answer("a", "b", True)
    path.unlink()
    path.mkdir()  # the journal can no longer be written
    before = s.known()
    with pytest.raises(OSError):
        s.answer("b", "c", True)
    with pytest.raises(OSError):
        s.undo()
    assert s.known().equals(before) and s.history == [("a", "b", True)]


def test_a_journal_edited_into_a_contradiction_names_the_line(tmp_path):
    path = tmp_path / "s.jsonl"
    s = el.Elicitation(["a", "b", "c"], journal=path)
    s.answer("a", "b", True)
    s.answer("b", "c", True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"event": "answer", "source": "a", "target": "c", "yes": False}) + "\n")
    with pytest.raises(ISMInputError, match="line 4: cannot replay .*implied by earlier answers"):
        el.Elicitation.resume(path)


def test_a_session_killed_while_creating_its_journal(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"format": "ism_health.elic')
    with pytest.raises(ISMInputError, match="torn"):
        el.Elicitation.resume(path)
    with pytest.warns(ISMWarning), pytest.raises(ISMInputError, match="journal is empty"):
        el.Elicitation.resume(path, repair=True)


DRIVER = textwrap.dedent("""
    import sys
    import numpy as np
    from ism_health.experts.elicitation import Elicitation
    truth = np.load(sys.argv[2])
    n = truth.shape[0]
    s = Elicitation([f"F{k}" for k in range(1, n + 1)], journal=sys.argv[1])
    while (q := s.next_question()) is not None:
        yes = bool(truth[int(q[0][1:]) - 1, int(q[1][1:]) - 1])
        s.answer(*q, yes)
        print("ACK", q[0], q[1], int(yes), flush=True)
    print("DONE", flush=True)
""")


@pytest.mark.parametrize("seed, kill_after", [(1, 5), (2, 40), (3, 90)])
def test_sigkill_mid_session_loses_no_acknowledged_answer(tmp_path, seed, kill_after):
    n = 30
    truth = random_truth(n, 0.1, seed)
    np.save(tmp_path / "truth.npy", truth)
    (tmp_path / "driver.py").write_text(DRIVER)
    path = tmp_path / "s.jsonl"
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(
        [sys.executable, str(tmp_path / "driver.py"), str(path), str(tmp_path / "truth.npy")],
        stdout=subprocess.PIPE,
        env=env,
    )
    acked = []
    for line in proc.stdout:
        acked.append(line.split()[1:])
        if len(acked) == kill_after:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    acked += [line.split()[1:] for line in proc.stdout if line.startswith(b"ACK")]  # printed before the kill
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    try:
        s = el.Elicitation.resume(path)
    except ISMInputError as err:  # the kill may land mid-write: a torn line, reported, then repaired
        assert "torn" in str(err)
        with pytest.warns(ISMWarning):
            s = el.Elicitation.resume(path, repair=True)
    expected = [(a.decode(), b.decode(), y == b"1") for a, b, y in acked]
    assert len(acked) >= kill_after and s.history[: len(expected)] == expected
    drive(s, truth)
    assert known_yes(s).tolist() == truth.tolist()
