"""How many questions an interactive ISM session asks, per strategy: a share of the n(n-1) ordered pairs.

Usage (from the repository root, with ``PYTHONPATH=src`` or after ``pip install -e .``)::

    python benchmarks/elicitation.py                       # n = 10, 20, 30, 60; writes benchmarks/results/elicitation.md
    python benchmarks/elicitation.py --sizes 10,20 --repeats 3 --out /tmp/elicitation.md

The experts are simulated by an oracle: a random hierarchy (a random DAG over a
random order of the factors, each forward pair linked with probability
``density``) with cycles added (``max(1, n // 10)`` random pairs linked both ways), and
its reachability (the reflexive transitive closure, computed with networkx). Every
question is answered from that reachability, so every session ends with exactly
the oracle's relation (checked). The table reports the mean share of the
n(n-1) ordered pairs that were asked, over ``--repeats`` seeded hierarchies,
the fewest questions any order could ask (:func:`fewest_questions`), and the
slowest mean time of one ``next_question()`` call at the largest n.
Seeds are fixed: the table is the same on every run (except the times).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import networkx as nx
import numpy as np

from ism_health.experts.elicitation import STRATEGIES, Elicitation


def random_hierarchy(n: int, density: float, seed: int) -> np.ndarray:
    """Reachability (reflexive, closed) of a random DAG with ``max(1, n // 10)`` pairs linked both ways (cycles)."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for a in range(n):
        for b in range(a + 1, n):
            if rng.random() < density:
                g.add_edge(int(order[a]), int(order[b]))
    for _ in range(max(1, n // 10)):
        a, b = sorted(rng.choice(n, size=2, replace=False))
        g.add_edge(int(order[a]), int(order[b]))  # forward and backward: a cycle for sure
        g.add_edge(int(order[b]), int(order[a]))
    closure = nx.transitive_closure(g, reflexive=True)
    r = np.zeros((n, n), dtype=bool)
    for u, v in closure.edges():
        r[u, v] = True
    return r


def fewest_questions(truth: np.ndarray) -> int:
    """The fewest questions any order could ask, knowing the answers (a lower bound for every strategy).

    Yes-answers: a cycle through each strongly connected set (s answers for s
    factors) plus one per link of the transitive reduction of the condensation.
    No-answers: one per maximal non-reachable pair of strongly connected sets
    (I, J), i.e. no other non-reachable (P, Q) with P reaching I and J reaching Q,
    since a no on (p, q) settles only pairs (k, l) with p reaching k and l reaching q.
    """
    n = truth.shape[0]
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(*np.nonzero(truth & ~np.eye(n, dtype=bool))))
    c = nx.condensation(g)
    yes = sum(len(c.nodes[x]["members"]) for x in c if len(c.nodes[x]["members"]) > 1)
    yes += nx.transitive_reduction(c).number_of_edges()
    k = c.number_of_nodes()
    reach = np.eye(k, dtype=bool)
    for u, v in nx.transitive_closure_dag(c).edges():
        reach[u, v] = True
    unreach = ~reach
    covering = reach.T.astype(float) @ unreach.astype(float) @ reach.T.astype(float)  # counts itself once
    return yes + int((unreach & (covering == 1)).sum())


def run_session(truth: np.ndarray, strategy: str) -> tuple[int, float]:
    """Questions asked and the mean seconds per next_question() call."""
    n = truth.shape[0]
    labels = [f"F{k}" for k in range(1, n + 1)]
    index = {lab: k for k, lab in enumerate(labels)}
    el = Elicitation(labels, strategy=strategy)
    spent, calls = 0.0, 0
    while True:
        t0 = time.perf_counter()
        q = el.next_question()
        spent += time.perf_counter() - t0
        calls += 1
        if q is None:
            break
        el.answer(*q, bool(truth[index[q[0]], index[q[1]]]))
    got = el.known().to_numpy()
    assert ((got == "1") | (got == "1*")).tolist() == truth.tolist(), "session did not end with the oracle's relation"
    return el.progress.asked, spent / calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,20,30,60")
    parser.add_argument("--densities", default="0.05,0.15,0.3")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "elicitation.md")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    densities = [float(x) for x in args.densities.split(",")]
    strategies = ["row", "warfield", "greedy"]
    assert set(strategies) == set(STRATEGIES)
    rows = []
    timing: dict[str, float] = {}
    for n in sizes:
        for density in densities:
            shares: dict[str, list[float]] = {s: [] for s in [*strategies, "fewest"]}
            for rep in range(args.repeats):
                truth = random_hierarchy(n, density, seed=1000 * n + int(100 * density) + rep)
                shares["fewest"].append(fewest_questions(truth) / (n * (n - 1)))
                for s in strategies:
                    asked, per_call = run_session(truth, s)
                    shares[s].append(asked / (n * (n - 1)))
                    if n == max(sizes):
                        timing[s] = max(timing.get(s, 0.0), per_call)
            rows.append((n, density, {s: float(np.mean(v)) for s, v in shares.items()}))
            print(n, density, {s: round(float(np.mean(v)), 3) for s, v in shares.items()}, flush=True)
    lines_fewest = (
        "fewest possible: the questions a session needs even when the order is chosen knowing the "
        "answers (a cycle through each strongly connected set, the transitive reduction of the "
        "condensation, one no per maximal unrelated pair of sets); no strategy can ask fewer."
    )
    lines = [
        (
            f"Questions asked as a share of the n(n-1) ordered pairs (mean of {args.repeats} seeded random hierarchies "
            "with cycles; answers from an oracle)."
        ),
        "",
        "| n | density | row | warfield | greedy (default) | greedy vs row | fewest possible |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, density, m in rows:
        saved = 1 - m["greedy"] / m["row"]
        versus = f"{saved:.0%} fewer" if saved >= 0 else f"{-saved:.0%} more"
        lines.append(
            f"| {n} | {density:g} | {m['row']:.1%} | {m['warfield']:.1%} | {m['greedy']:.1%} | "
            f"{versus} | {m['fewest']:.1%} |"
        )
    lines += [
        "",
        lines_fewest,
        "",
        f"Slowest mean time of one next_question() call at n = {max(sizes)}: "
        + ", ".join(f"{s} {1e3 * t:.2f} ms" for s, t in timing.items())
        + ".",
    ]
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
