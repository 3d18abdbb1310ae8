"""Benchmarks of ism_health's numeric core against its peers, in one process and run.

Usage (from the repository root, after ``pip install -e .`` or with ``PYTHONPATH=src``)::

    python benchmarks/run.py              # full run (several minutes; networkx at n=2,000 is slow)
    python benchmarks/run.py --quick      # under a minute
    python benchmarks/run.py --sizes 250,500,1000 --families dag,sparse --repeats 5 --out /tmp/bench

What is timed (median of ``--repeats`` runs; slow peers, over 5 s a run, are timed once):

* ``ism_health full``: the whole numeric analysis: closure, 1* mask (transitive
  additions), levels, driving and dependence power and MICMAC clusters by the
  n/2 threshold rule.
* ``ism_health closure``: :func:`ism_health.reachability.transitive_closure` alone.
* peers, for the closure: ``networkx.transitive_closure(G, reflexive=True)``,
  ``scipy.sparse.csgraph.shortest_path(unweighted=True)`` (all-pairs BFS in C;
  the fair closure in scipy), the numpy Warshall loop
  ``for k in range(n): R |= R[:, k, None] & R[k, None, :]``; for the levels, the
  set-based iterative level partition as ISM scripts write it (Python sets);
  rustworkx, python-graphblas and igraph when importable.
* the batch case: 10,000 matrices of n = 80 through ``transitive_closure``,
  ``level_numbers`` and ``driving_dependence`` on the stack, against a loop of
  single calls;
* (not with ``--quick``) n = 10,000 full analysis, and n = 20,000 with the
  bit-packed closure (:func:`~ism_health.reachability.transitive_closure_packed`).

Before a peer is timed its answer is compared with ism_health's on the same
input; a peer that disagrees is reported as wrong and not timed.

Memory: peak of the allocations made during the call (numpy arrays and Python
objects) measured with :mod:`tracemalloc` in a separate, untimed run; the
input matrix is allocated before and is not counted.

Nothing here asserts a timing. Results go to ``--out`` (default
``benchmarks/results/``): ``results.json``, ``results.md`` and ``scaling.png``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from ism_health import benchmark as fam_mod
from ism_health import reachability as rc
from ism_health.benchmark import full_analysis as ism_full
from ism_health.levels import level_numbers
from ism_health.micmac import driving_dependence, micmac_clusters

HERE = Path(__file__).resolve().parent

# ----------------------------------------------------------------------------
# the ism_health side
# ----------------------------------------------------------------------------


def ism_full_packed(a: np.ndarray) -> dict:
    """Full analysis without ever unpacking the matrix (for n = 20,000)."""
    n = a.shape[0]
    packed = rc.transitive_closure_packed(a)
    levels = packed.level_numbers()
    driving, dependence = packed.driving_dependence()
    clusters, _ = micmac_clusters(driving, dependence, (n / 2, n / 2))
    return {"packed": packed, "levels": levels, "driving": driving, "dependence": dependence,
            "clusters": clusters}


# ----------------------------------------------------------------------------
# peers
# ----------------------------------------------------------------------------


def peer_networkx(a: np.ndarray) -> np.ndarray:
    import networkx as nx

    n = a.shape[0]
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(*(x.tolist() for x in np.nonzero(a))))
    t = nx.transitive_closure(g, reflexive=True)
    out = np.zeros((n, n), dtype=bool)
    if t.number_of_edges():
        src, dst = zip(*t.edges())
        out[list(src), list(dst)] = True
    return out


def peer_scipy(a: np.ndarray) -> np.ndarray:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import shortest_path

    d = shortest_path(csr_matrix(a), directed=True, unweighted=True)
    return np.isfinite(d)


def peer_warshall(a: np.ndarray) -> np.ndarray:
    n = a.shape[0]
    r = a | np.eye(n, dtype=bool)
    for k in range(n):
        r |= r[:, k, None] & r[k, None, :]
    return r


def peer_rustworkx(a: np.ndarray) -> np.ndarray:  # pragma: no cover - optional
    import rustworkx as rx

    n = a.shape[0]
    g = rx.PyDiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from_no_data(list(zip(*(x.tolist() for x in np.nonzero(a)))))
    out = np.eye(n, dtype=bool)
    for s in range(n):
        out[s, list(rx.descendants(g, s))] = True
    return out


def peer_igraph(a: np.ndarray) -> np.ndarray:  # pragma: no cover - optional
    import igraph as ig

    n = a.shape[0]
    g = ig.Graph(n=n, edges=list(zip(*(x.tolist() for x in np.nonzero(a)))), directed=True)
    out = np.zeros((n, n), dtype=bool)
    for s, reach in enumerate(g.neighborhood(order=n, mode="out")):
        out[s, reach] = True
    return out


def peer_graphblas(a: np.ndarray) -> np.ndarray:  # pragma: no cover - optional
    import graphblas as gb

    n = a.shape[0]
    r0, c0 = np.nonzero(a | np.eye(n, dtype=bool))
    m = gb.Matrix.from_coo(r0, c0, True, nrows=n, ncols=n, dtype=bool)
    while True:
        m2 = m.mxm(m, gb.semiring.lor_land).new()
        if m2.nvals == m.nvals:
            break
        m = m2
    r, c, _ = m.to_coo()
    out = np.zeros((n, n), dtype=bool)
    out[r, c] = True
    return out


def levels_sets(frm: np.ndarray) -> np.ndarray:
    """The level partition as ISM scripts write it: Python sets, the iterative rule."""
    n = frm.shape[0]
    reach = [set(np.flatnonzero(frm[i]).tolist()) for i in range(n)]
    ante = [set(np.flatnonzero(frm[:, i]).tolist()) for i in range(n)]
    remaining = set(range(n))
    level = [0] * n
    current = 0
    while remaining:
        current += 1
        top = [i for i in remaining if reach[i] & remaining == reach[i] & ante[i] & remaining]
        if not top:  # not transitive; cannot happen on a final reachability matrix
            raise RuntimeError("set-based level partition stalled")
        for i in top:
            level[i] = current
        remaining.difference_update(top)
    return np.array(level, dtype=np.int64)


OPTIONAL_PEERS = {"rustworkx": ("rustworkx", peer_rustworkx), "igraph": ("igraph", peer_igraph),
                  "python-graphblas": ("graphblas", peer_graphblas)}


def available_optional_peers() -> tuple[dict, dict]:
    found, notes = {}, {}
    for name, (module, func) in OPTIONAL_PEERS.items():
        try:
            __import__(module)
        except Exception as exc:  # noqa: BLE001 - any import failure means "skip"
            notes[name] = f"skipped: not importable ({type(exc).__name__})"
        else:
            found[name] = func
    return found, notes


# ----------------------------------------------------------------------------
# timing helpers
# ----------------------------------------------------------------------------


def time_call(func, *args, repeats: int, slow: float = 5.0):
    """Median wall time over ``repeats`` runs (one run when the first exceeds ``slow`` s)."""
    times = []
    result = None
    for r in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        result = func(*args)
        times.append(time.perf_counter() - t0)
        if r == 0 and times[0] > slow:
            break
        if r < repeats - 1:
            result = None
    return statistics.median(times), len(times), result


def peak_memory(func, *args) -> int:
    """Peak bytes allocated (tracemalloc) during one call, result included."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    out = func(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del out
    return int(peak - base)


def machine_description() -> dict:
    model = platform.processor() or ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in lscpu.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    mem = None
    try:
        with open("/proc/meminfo") as fh:
            mem = int(fh.readline().split()[1]) * 1024
    except OSError:
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    import networkx
    import scipy

    return {
        "cpu_model": model,
        "cpus": os.cpu_count(),
        "memory_bytes": mem,
        "load_average_at_start": load,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "networkx": networkx.__version__,
        "platform": platform.platform(),
    }


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------
# benchmark sections
# ----------------------------------------------------------------------------


def bench_scaling(sizes, families, repeats, limits, optional):
    rows = []
    for family in families:
        for n in sizes:
            a = fam_mod.make(family, n, seed=0)
            row = {"family": family, "n": n, "edges": int(np.count_nonzero(a)), "peers": {}}
            t, runs, full = time_call(ism_full, a, repeats=repeats)
            row["ism_full_s"], row["ism_full_runs"] = t, runs
            t, _, frm = time_call(rc.transitive_closure, a, repeats=repeats)
            row["ism_closure_s"] = t
            row["ism_full_peak_bytes"] = peak_memory(ism_full, a)
            row["ism_closure_peak_bytes"] = peak_memory(rc.transitive_closure, a)
            assert np.array_equal(frm, full["frm"])
            t, _, lv = time_call(level_numbers, frm, repeats=repeats)
            row["ism_levels_s"] = t
            assert np.array_equal(lv, full["levels"])
            row["components"] = int(len(np.unique(rc.transitive_closure_packed(a).components)))
            row["max_level"] = int(lv.max()) if n else 0
            peers = [("networkx", peer_networkx, limits["networkx"]),
                     ("scipy.csgraph", peer_scipy, limits["scipy"]),
                     ("numpy Warshall", peer_warshall, limits["warshall"])]
            peers += [(name, func, limits["optional"]) for name, func in optional.items()]
            for name, func, nmax in peers:
                if n > nmax:
                    row["peers"][name] = {"status": f"skipped: n > {nmax}"}
                    continue
                log(f"  {family} n={n}: {name}")
                t, runs, ans = time_call(func, a, repeats=repeats)
                if not np.array_equal(ans, frm):
                    row["peers"][name] = {"status": "WRONG answer: not timed"}
                    continue
                entry = {"status": "ok", "closure_s": t, "runs": runs,
                         "ratio_full": t / row["ism_full_s"], "ratio_closure": t / row["ism_closure_s"]}
                if name in ("numpy Warshall", "scipy.csgraph") and n <= limits["peer_memory"]:
                    entry["peak_bytes"] = peak_memory(func, a)
                row["peers"][name] = entry
            if n <= limits["sets"]:
                log(f"  {family} n={n}: set-based levels")
                t, runs, ans = time_call(levels_sets, frm, repeats=repeats)
                if np.array_equal(ans, lv):
                    row["peers"]["set-based levels"] = {"status": "ok", "levels_s": t, "runs": runs,
                                                        "ratio_levels": t / row["ism_levels_s"]}
                else:
                    row["peers"]["set-based levels"] = {"status": "WRONG answer: not timed"}
            else:
                row["peers"]["set-based levels"] = {"status": f"skipped: n > {limits['sets']}"}
            log(f"{family} n={n}: full {row['ism_full_s']*1e3:.1f} ms, closure {row['ism_closure_s']*1e3:.1f} ms")
            rows.append(row)
            del a, frm, full
            gc.collect()
    return rows


def bench_batch(families, b, n, repeats, loop_items):
    rows = []
    for family in families:
        stack = fam_mod.batch(family, b, n, seed=0)

        def batched(s=stack):
            r = rc.transitive_closure(s)
            return r, level_numbers(r), driving_dependence(r)

        def looped(s=stack[:loop_items]):
            out = []
            for m in s:
                r = rc.transitive_closure(m)
                out.append((r, level_numbers(r), driving_dependence(r)))
            return out

        t_b, _, (r, lv, (drv, dep)) = time_call(batched, repeats=repeats)
        t_l, _, single = time_call(looped, repeats=1)
        for k, (r1, lv1, (d1, e1)) in enumerate(single):
            assert np.array_equal(r1, r[k]) and np.array_equal(lv1, lv[k])
            assert np.array_equal(d1, drv[k]) and np.array_equal(e1, dep[k])
        t_loop = t_l * b / loop_items
        parts = {}
        for name, f, arg in (("closure", rc.transitive_closure, stack), ("levels", level_numbers, r),
                             ("driving_dependence", driving_dependence, r)):
            parts[name] = time_call(f, arg, repeats=repeats)[0]
        rows.append({"family": family, "b": b, "n": n, "batch_s": t_b, "parts_s": parts,
                     "loop_s_extrapolated": t_loop, "loop_items_timed": loop_items,
                     "ratio": t_loop / t_b})
        log(f"batch {family}: {t_b:.3f} s for {b} x n={n} (loop {t_loop:.2f} s)")
    return rows


def bench_large(families, n, repeats, packed: bool):
    rows = []
    func = ism_full_packed if packed else ism_full
    for family in families:
        log(f"large {family} n={n} (packed={packed}): generating")
        a = fam_mod.make(family, n, seed=0)
        t, runs, res = time_call(func, a, repeats=repeats, slow=20.0)
        peak = peak_memory(func, a)
        row = {"family": family, "n": n, "packed": packed, "full_s": t, "runs": runs, "peak_bytes": peak,
               "peak_over_n2": peak / n**2, "max_level": int(res["levels"].max())}
        if packed:
            row["packed_nbytes"] = res["packed"].nbytes
        rows.append(row)
        log(f"large {family} n={n}: {t:.2f} s, peak {peak / 1e6:.0f} MB ({peak / n**2:.2f} n^2)")
        del a, res
        gc.collect()
    return rows


# ----------------------------------------------------------------------------
# reports
# ----------------------------------------------------------------------------


def fmt_s(x: float) -> str:
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 1e-3:
        return f"{x * 1e3:.1f} ms"
    return f"{x * 1e6:.0f} µs"


def fmt_b(x: float) -> str:
    return f"{x / 1e6:.1f} MB" if x >= 1e5 else f"{x / 1e3:.0f} kB"


def markdown(results: dict) -> str:
    m = results["machine"]
    out = ["# ism_health benchmark results", ""]
    out.append(f"Machine: {m['cpu_model']}, {m['cpus']} CPUs, {(m['memory_bytes'] or 0) / 2**30:.0f} GiB; "
               f"Python {m['python']}, numpy {m['numpy']}, scipy {m['scipy']}, networkx {m['networkx']}; "
               f"load average at start {m['load_average_at_start']}.")
    out.append(f"Repeats: {results['args']['repeats']} (median; slow runs timed once). "
               "Memory: tracemalloc peak of the call's allocations (input excluded).")
    out.append("")
    out.append("## Scaling: full analysis and closure vs peers (closure time of the peer / ism_health time)")
    out.append("")
    peer_names = []
    for r in results["scaling"]:
        for p in r["peers"]:
            if p not in peer_names:
                peer_names.append(p)
    head = ["family", "n", "components", "levels", "ism full", "ism closure", "ism peak (full)"]
    head += [f"{p}" for p in peer_names]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    for r in results["scaling"]:
        cells = [r["family"], str(r["n"]), str(r["components"]), str(r["max_level"]), fmt_s(r["ism_full_s"]),
                 fmt_s(r["ism_closure_s"]), fmt_b(r["ism_full_peak_bytes"])]
        for p in peer_names:
            e = r["peers"].get(p, {"status": "-"})
            if e["status"] != "ok":
                cells.append(e["status"])
            elif "levels_s" in e:
                cells.append(f"{fmt_s(e['levels_s'])} ({e['ratio_levels']:.0f}x levels)")
            else:
                cells.append(f"{fmt_s(e['closure_s'])} ({e['ratio_full']:.0f}x full, {e['ratio_closure']:.0f}x closure)")
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    if results.get("optional_peer_notes"):
        out.append("Optional peers: " + "; ".join(f"{k}: {v}" for k, v in results["optional_peer_notes"].items()) + ".")
        out.append("")
    if results.get("batch"):
        out.append("## Batch: closure + levels + driving/dependence on a stack")
        out.append("")
        out.append("| family | b x n | stack (total) | closure | levels | driving/dependence | loop of single calls | ratio |")
        out.append("|---|---|---|---|---|---|---|---|")
        for r in results["batch"]:
            p = r["parts_s"]
            out.append(f"| {r['family']} | {r['b']} x {r['n']} | {fmt_s(r['batch_s'])} | {fmt_s(p['closure'])} | "
                       f"{fmt_s(p['levels'])} | {fmt_s(p['driving_dependence'])} | {fmt_s(r['loop_s_extrapolated'])} "
                       f"({r['loop_items_timed']} timed, scaled) | {r['ratio']:.0f}x |")
        out.append("")
    if results.get("large"):
        out.append("## Large n")
        out.append("")
        out.append("| family | n | mode | full analysis | peak memory | peak / n² bytes | levels |")
        out.append("|---|---|---|---|---|---|---|")
        for r in results["large"]:
            mode = "packed (never unpacked)" if r["packed"] else "dense frm + 1* mask"
            out.append(f"| {r['family']} | {r['n']:,} | {mode} | {fmt_s(r['full_s'])} | {fmt_b(r['peak_bytes'])} | "
                       f"{r['peak_over_n2']:.2f} | {r['max_level']} |")
        out.append("")
    return "\n".join(out)


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(11, 4.2))
    colors = {"expert": "C0", "dag": "C1", "sparse": "C2", "layered": "C3"}
    scaling = results["scaling"]
    large = results.get("large", [])
    for family, color in colors.items():
        pts = sorted((r["n"], r["ism_full_s"], r["ism_full_peak_bytes"]) for r in scaling if r["family"] == family)
        pts += sorted((r["n"], r["full_s"], r["peak_bytes"]) for r in large if r["family"] == family and not r["packed"])
        packed = sorted((r["n"], r["full_s"], r["peak_bytes"]) for r in large if r["family"] == family and r["packed"])
        if not pts:
            continue
        ns, ts, ms = zip(*pts)
        ax_t.plot(ns, ts, "o-", color=color, label=f"ism_health full ({family})")
        ax_m.plot(ns, ms, "o-", color=color, label=f"ism_health full ({family})")
        if packed:
            pn, pt, pm = zip(*packed)
            ax_t.plot(pn, pt, "*", color=color, markersize=10, label=f"packed mode ({family})")
            ax_m.plot(pn, pm, "*", color=color, markersize=10, label=f"packed mode ({family})")
        peer_pts = sorted((r["n"], r["peers"]["networkx"]["closure_s"]) for r in scaling
                          if r["family"] == family and r["peers"].get("networkx", {}).get("status") == "ok")
        if peer_pts:
            ax_t.plot(*zip(*peer_pts), "x--", color=color, alpha=0.6, label=f"networkx closure ({family})")
        w_pts = sorted((r["n"], r["peers"]["numpy Warshall"]["closure_s"]) for r in scaling
                       if r["family"] == family and r["peers"].get("numpy Warshall", {}).get("status") == "ok")
        if w_pts:
            ax_t.plot(*zip(*w_pts), "s:", color=color, alpha=0.6, markersize=3, label=f"numpy Warshall ({family})")
    all_n = sorted({r["n"] for r in scaling} | {r["n"] for r in large})
    if all_n:
        xs = np.array([all_n[0], all_n[-1]], dtype=float)
        ax_m.plot(xs, xs**2, "k--", lw=1, label="n² bytes")
        ax_m.plot(xs, xs**2 / 8, "k:", lw=1, label="n²/8 bytes")
    for ax, title, ylabel in ((ax_t, "time", "seconds"), (ax_m, "peak memory (tracemalloc)", "bytes")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("n (elements)")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
    ax_t.legend(fontsize=6, ncol=2)
    ax_m.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


# ----------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=None, help="comma-separated n for the scaling table (default 250,500,1000,2000; quick: 100,200,400)")
    ap.add_argument("--families", default=",".join(fam_mod.FAMILIES), help="comma-separated families: " + ", ".join(fam_mod.FAMILIES))
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per case (median reported)")
    ap.add_argument("--quick", action="store_true", help="small sizes, small batch, no n=10,000 / 20,000 (under a minute)")
    ap.add_argument("--out", default=str(HERE / "results"), help="output folder (default benchmarks/results/)")
    ap.add_argument("--nx-max", type=int, default=None, help="largest n timed with networkx (default 2000; quick: 400)")
    ap.add_argument("--no-large", action="store_true", help="skip the n=10,000 and n=20,000 cases")
    ap.add_argument("--no-batch", action="store_true", help="skip the batch case")
    ap.add_argument("--replot", metavar="RESULTS_JSON", help="only redraw results.md and scaling.png from a results.json")
    return ap.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.replot:
        results = json.loads(Path(args.replot).read_text())
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "results.md").write_text(markdown(results))
        plot(results, out / "scaling.png")
        print(f"written: {out / 'results.md'}, {out / 'scaling.png'}")
        return 0
    families = [f.strip() for f in args.families.split(",") if f.strip()]
    for f in families:
        if f not in fam_mod.FAMILIES:
            raise SystemExit(f"unknown family {f!r}; expected some of {', '.join(fam_mod.FAMILIES)}")
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    else:
        sizes = [100, 200, 400] if args.quick else [250, 500, 1000, 2000]
    limits = {
        "networkx": args.nx_max if args.nx_max is not None else (400 if args.quick else 2000),
        "scipy": 400 if args.quick else 2000,
        "warshall": 400 if args.quick else 2000,
        "sets": 200 if args.quick else 500,
        "optional": 400 if args.quick else 1000,
        "peer_memory": 400 if args.quick else 1000,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    optional, notes = available_optional_peers()
    results = {"args": vars(args), "machine": machine_description(), "limits": limits,
               "optional_peer_notes": notes, "families_doc": fam_mod.__doc__}
    t0 = time.perf_counter()
    results["scaling"] = bench_scaling(sizes, families, args.repeats, limits, optional)
    if not args.no_batch:
        b = 1000 if args.quick else 10_000
        results["batch"] = bench_batch(families, b, 80, args.repeats, loop_items=200 if args.quick else 1000)
    if not args.quick and not args.no_large:
        results["large"] = bench_large(families, 10_000, args.repeats, packed=False)
        results["large"] += bench_large(families, 20_000, 1, packed=True)
    results["total_wall_s"] = time.perf_counter() - t0
    (out / "results.json").write_text(json.dumps(results, indent=1, default=str))
    (out / "results.md").write_text(markdown(results))
    plot(results, out / "scaling.png")
    print(markdown(results))
    print(f"\nwritten: {out / 'results.json'}, {out / 'results.md'}, {out / 'scaling.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
