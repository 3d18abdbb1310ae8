"""Issue 18: every public path at the kernel's speed. Ratios against peers measured in the same run.

Usage (from the repository root, with ``PYTHONPATH=src`` or after ``pip install -e .``)::

    python benchmarks/paths.py                 # every table (a few minutes, n = 50,000 included)
    python benchmarks/paths.py --quick         # small sizes, no n = 50,000
    python benchmarks/paths.py --tables small,public --out /tmp/paths

Tables (each a list of rows in ``paths.json``, rendered in ``paths.md``):

* ``small``: single calls at n <= 100 (``transitive_closure``, ``level_partition``
  of its result, ``analyze`` then its levels) against the numpy Warshall loop.
* ``public``: n = 2,000, four input families: the fused kernel
  (``transitive_closure_packed`` + its levels) against the public calls:
  ``transitive_closure``, ``level_partition`` of its result (recognised by
  content) and of a fresh copy the library never saw (validated afresh),
  ``canonical_matrix``, ``micmac_analysis``, ``ism_digraph``; the composed
  ``transitive_closure`` then ``level_partition`` against the Warshall loop;
  peers rustworkx, python-graphblas, igraph and a numba bitset closure (the
  compiled ceiling) where they import.
* ``labelled``: ``analyze`` at n = 2,000 and every table of the result, as a
  ratio to the closure.
* ``partition``: the partition (iteration) table of a chain: rows and bytes.
* ``input``: ``read_ssim`` of a 0/1 CSV at n = 200 against ``pandas.read_csv``.
* ``scale``: n = 50,000 in the packed mode on the sparse and layered families,
  with levels: seconds and tracemalloc peak bytes per cell (input excluded).

Timings are medians (best-of for the sub-millisecond calls) on a shared machine:
read the ratios, which are taken within one run on the same input. Nothing here
asserts a timing.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
import timeit
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as base  # noqa: E402  (peers and machine description of benchmarks/run.py)

import ism_health as ism  # noqa: E402
from ism_health import benchmark as fam  # noqa: E402
from ism_health.levels import level_numbers  # noqa: E402
from ism_health.reachability import _memo, transitive_closure, transitive_closure_packed  # noqa: E402


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def median_time(func, *args, repeats: int = 5, slow: float = 5.0) -> float:
    times = []
    for r in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - t0)
        if r == 0 and times[0] > slow:
            break
    return statistics.median(times)


def micro(func, number: int = 50, repeat: int = 7) -> float:
    """Best per-call time of ``repeat`` batches of ``number`` calls (short calls on a shared machine)."""
    return min(timeit.repeat(func, number=number, repeat=repeat)) / number


def peak_bytes(func, *args) -> int:
    gc.collect()
    tracemalloc.start()
    base_, _ = tracemalloc.get_traced_memory()
    out = func(*args)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del out
    return int(top - base_)


# ----------------------------------------------------------------------------


def table_small(sizes, families):
    rows = []
    for n in sizes:
        for family in families:
            a = fam.make(family, n, seed=1)
            frm = transitive_closure(a)
            ssim = ism.SSIM.from_matrix(a)
            row = {"family": family, "n": n}
            row["warshall_s"] = micro(lambda a=a: base.peer_warshall(a))
            row["closure_s"] = micro(lambda a=a: transitive_closure(a))
            row["level_numbers_s"] = micro(lambda frm=frm: level_numbers(frm))
            row["level_partition_s"] = micro(lambda frm=frm: ism.level_partition(frm))
            row["closure_then_levels_s"] = micro(lambda a=a: ism.level_partition(transitive_closure(a)))
            row["analyze_levels_s"] = micro(lambda ssim=ssim: ism.analyze(ssim).levels, number=20)
            row["ratio_closure"] = row["warshall_s"] / row["closure_s"]
            row["ratio_composed"] = row["warshall_s"] / row["closure_then_levels_s"]
            rows.append(row)
            log(
                f"small {family} n={n}: closure {row['closure_s'] * 1e6:.0f} us, Warshall {row['warshall_s'] * 1e6:.0f} us"
            )
    return rows


def table_public(n, families, repeats, optional):
    import numba_closure as nc

    numba_ok, numba_note = nc.available()
    if numba_ok:
        nc.warm_up()
    rows = []
    for family in families:
        a = fam.make(family, n, seed=0)
        row = {"family": family, "n": n, "peers": {}}

        def fused(a=a):
            p = transitive_closure_packed(a)
            return p, p.level_numbers()

        row["fused_s"] = median_time(fused, repeats=repeats)
        row["closure_s"] = median_time(transitive_closure, a, repeats=repeats)
        frm = transitive_closure(a)
        row["level_partition_s"] = median_time(ism.level_partition, frm, repeats=repeats)
        fresh = frm.copy()

        def cold(m=fresh):
            _memo.clear()
            return ism.level_partition(m)

        row["level_partition_cold_s"] = median_time(cold, repeats=repeats)
        transitive_closure(a)  # remember it again
        row["level_numbers_s"] = median_time(level_numbers, frm, repeats=repeats)
        row["canonical_s"] = median_time(ism.canonical_matrix, frm, repeats=repeats)
        row["micmac_s"] = median_time(ism.micmac_analysis, frm, repeats=repeats)
        row["digraph_s"] = median_time(ism.ism_digraph, frm, repeats=repeats)

        def composed(a=a):
            return ism.level_partition(transitive_closure(a))

        row["composed_s"] = median_time(composed, repeats=repeats)
        assert np.array_equal(composed().to_numpy(), fused()[1])
        row["warshall_s"] = median_time(base.peer_warshall, a, repeats=1)
        row["composed_vs_warshall"] = row["warshall_s"] / row["composed_s"]
        row["composed_vs_fused"] = row["composed_s"] / row["fused_s"]
        peers = list(optional.items())
        if numba_ok:
            peers.append(("numba bitset (ceiling)", nc.closure))
        for name, func in peers:
            log(f"  public {family}: {name}")
            t = median_time(func, a, repeats=repeats)
            if not np.array_equal(func(a), frm):
                row["peers"][name] = {"status": "WRONG answer: not timed"}
                continue
            row["peers"][name] = {"status": "ok", "closure_s": t, "ratio_to_ism_closure": t / row["closure_s"]}
        if not numba_ok:
            row["peers"]["numba bitset (ceiling)"] = {"status": f"skipped: {numba_note}"}
        rows.append(row)
        log(
            f"public {family}: fused {row['fused_s'] * 1e3:.1f} ms, composed {row['composed_s'] * 1e3:.1f} ms, "
            f"Warshall {row['warshall_s'] * 1e3:.0f} ms"
        )
    return rows


LABELLED = (
    "levels",
    "micmac",
    "canonical",
    "final_reachability_marked",
    "transitive",
    "digraph",
    "partition",
    "cycles",
)


def table_labelled(n, families, repeats):
    rows = []
    for family in families:
        a = fam.make(family, n, seed=0)
        ssim = ism.SSIM.from_matrix(a)
        row = {"family": family, "n": n, "tables_s": {}}
        row["closure_s"] = median_time(transitive_closure, a, repeats=repeats)
        row["analyze_s"] = median_time(ism.analyze, ssim, repeats=repeats)
        for name in LABELLED:

            def one(name=name, ssim=ssim):
                return getattr(ism.analyze(ssim), name)

            t_all = median_time(one, repeats=max(1, repeats // 2), slow=2.0)
            row["tables_s"][name] = max(0.0, t_all - row["analyze_s"])

        def everything(ssim=ssim):
            r = ism.analyze(ssim)
            return [getattr(r, name) for name in LABELLED]

        row["all_s"] = median_time(everything, repeats=max(1, repeats // 2), slow=2.0)
        row["all_over_closure"] = row["all_s"] / row["closure_s"]
        rows.append(row)
        log(f"labelled {family}: all tables {row['all_s'] * 1e3:.0f} ms = {row['all_over_closure']:.1f}x the closure")
    return rows


def table_partition(sizes):
    rows = []
    for n in sizes:
        frm = transitive_closure(np.eye(n, k=1, dtype=bool))
        t0 = time.perf_counter()
        table = ism.partition_iterations(frm)
        seconds = time.perf_counter() - t0
        peak = peak_bytes(ism.partition_iterations, frm)
        rows.append(
            {
                "n": n,
                "rows": len(table),
                "n2": n * n,
                "seconds": seconds,
                "peak_bytes": peak,
                "labels_if_tuples": n * (n + 1) * (n + 2) // 6 * 2 + n * (n + 1) // 2,
                "set_type": type(table.reachability_set.iloc[0]).__name__,
            }
        )
        log(f"partition chain n={n}: {len(table)} rows, {seconds:.2f} s, peak {peak / 1e6:.0f} MB")
        del table
    return rows


def table_input(n, repeats):
    a = fam.make("expert", n, seed=0)
    labels = [f"F{k}" for k in range(1, n + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "irm.csv"
        pd.DataFrame(a.astype(int), index=labels, columns=labels).to_csv(path)
        t_read = median_time(ism.read_ssim, path, repeats=repeats)
        t_pd = median_time(pd.read_csv, path, repeats=repeats)
        symbols = ism.SSIM.from_matrix(a, labels).to_symbols() if hasattr(ism.SSIM, "to_symbols") else None
        row = {"n": n, "read_ssim_s": t_read, "pandas_read_csv_s": t_pd, "ratio": t_read / t_pd}
        if symbols is not None:
            row["from_symbols_s"] = median_time(ism.SSIM.from_symbols, symbols, repeats=repeats)
    log(f"input n={n}: read_ssim {t_read * 1e3:.1f} ms, pandas.read_csv {t_pd * 1e3:.1f} ms")
    return [row]


def table_scale(n, families):
    rows = []
    for family in families:
        log(f"scale {family} n={n}: generating")
        a = fam.make(family, n, seed=0)

        def packed(a=a):
            p = transitive_closure_packed(a)
            return p, p.level_numbers(), p.driving_dependence()

        gc.collect()
        t0 = time.perf_counter()
        p, lv, _ = packed()
        seconds = time.perf_counter() - t0
        del p, lv
        peak = peak_bytes(packed)
        rows.append(
            {
                "family": family,
                "n": n,
                "seconds": seconds,
                "peak_bytes": peak,
                "bytes_per_cell": peak / n**2,
                "edges": int(np.count_nonzero(a)),
            }
        )
        log(f"scale {family} n={n}: {seconds:.1f} s, {peak / n**2:.3f} bytes per cell")
        del a
        gc.collect()
    return rows


# ----------------------------------------------------------------------------


def fmt(x: float) -> str:
    return base.fmt_s(x)


def markdown(res: dict) -> str:
    m = res["machine"]
    out = [
        "# ism_health: public paths (issue 18)",
        "",
        f"Machine: {m['cpu_model']}, {m['cpus']} CPUs (shared with other sessions; load average at start "
        f"{m['load_average_at_start']}); Python {m['python']}, numpy {m['numpy']}, scipy {m['scipy']}, "
        f"networkx {m['networkx']}. Peers: {res.get('peer_notes')}.",
        "",
    ]
    if res.get("small"):
        out += [
            "## Small studies: single calls against the numpy Warshall loop (best of 7 batches)",
            "",
            "| family | n | Warshall loop | transitive_closure | ratio | level_numbers(frm) "
            "| level_partition(frm) | closure then level_partition | ratio | analyze(ssim).levels |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in res["small"]:
            out.append(
                f"| {r['family']} | {r['n']} | {fmt(r['warshall_s'])} | {fmt(r['closure_s'])} | "
                f"{r['ratio_closure']:.1f}x | {fmt(r['level_numbers_s'])} | {fmt(r['level_partition_s'])} | "
                f"{fmt(r['closure_then_levels_s'])} | {r['ratio_composed']:.1f}x | "
                f"{fmt(r['analyze_levels_s'])} |"
            )
        out.append("")
    if res.get("public"):
        names = []
        for r in res["public"]:
            names += [p for p in r["peers"] if p not in names]
        out += [
            "## Public paths at n = 2,000 (medians)",
            "",
            "| family | fused kernel | transitive_closure | level_partition(frm) | same, matrix never seen | canonical "
            "| micmac | ism_digraph | closure then level_partition | / fused | Warshall loop | Warshall / composed |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in res["public"]:
            out.append(
                f"| {r['family']} | {fmt(r['fused_s'])} | {fmt(r['closure_s'])} | {fmt(r['level_partition_s'])} | "
                f"{fmt(r['level_partition_cold_s'])} | {fmt(r['canonical_s'])} | {fmt(r['micmac_s'])} | "
                f"{fmt(r['digraph_s'])} | {fmt(r['composed_s'])} | {r['composed_vs_fused']:.2f}x | "
                f"{fmt(r['warshall_s'])} | {r['composed_vs_warshall']:.0f}x |"
            )
        out += [
            "",
            "Closure peers at n = 2,000 (peer time / ism_health `transitive_closure` time):",
            "",
            "| family | " + " | ".join(names) + " |",
            "|---|" + "---|" * len(names),
        ]
        for r in res["public"]:
            cells = []
            for p in names:
                e = r["peers"].get(p, {"status": "-"})
                cells.append(
                    f"{fmt(e['closure_s'])} ({e['ratio_to_ism_closure']:.2f}x)" if e["status"] == "ok" else e["status"]
                )
            out.append(f"| {r['family']} | " + " | ".join(cells) + " |")
        out.append("")
    if res.get("labelled"):
        out += [
            "## The labelled result at n = 2,000 (each table read from a fresh `analyze`)",
            "",
            "| family | closure | analyze | " + " | ".join(LABELLED) + " | all tables | all / closure |",
            "|---|---|---|" + "---|" * len(LABELLED) + "---|---|",
        ]
        for r in res["labelled"]:
            out.append(
                f"| {r['family']} | {fmt(r['closure_s'])} | {fmt(r['analyze_s'])} | "
                + " | ".join(fmt(r["tables_s"][k]) for k in LABELLED)
                + f" | {fmt(r['all_s'])} | {r['all_over_closure']:.1f}x |"
            )
        out.append("")
    if res.get("partition"):
        out += [
            "## Partition table of a chain (n levels)",
            "",
            "| n | rows | n² | set cells | seconds | tracemalloc peak | labels the tuples would hold |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in res["partition"]:
            out.append(
                f"| {r['n']:,} | {r['rows']:,} | {r['n2']:,} | {r['set_type']} | {r['seconds']:.2f} | "
                f"{base.fmt_b(r['peak_bytes'])} | {r['labels_if_tuples']:,} |"
            )
        out.append("")
    if res.get("input"):
        out += ["## Input: a 0/1 CSV", "", "| n | read_ssim | pandas.read_csv | ratio |", "|---|---|---|---|"]
        for r in res["input"]:
            out.append(f"| {r['n']} | {fmt(r['read_ssim_s'])} | {fmt(r['pandas_read_csv_s'])} | {r['ratio']:.1f}x |")
        out.append("")
    if res.get("scale"):
        out += [
            "## Scale: packed mode with levels and powers",
            "",
            "| family | n | edges | seconds | tracemalloc peak | bytes per cell |",
            "|---|---|---|---|---|---|",
        ]
        for r in res["scale"]:
            out.append(
                f"| {r['family']} | {r['n']:,} | {r['edges']:,} | {r['seconds']:.1f} | {base.fmt_b(r['peak_bytes'])} | "
                f"{r['bytes_per_cell']:.3f} |"
            )
        out.append("")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--tables", default="small,public,labelled,partition,input,scale")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--n", type=int, default=2000, help="n of the public and labelled tables")
    ap.add_argument("--scale-n", type=int, default=50_000)
    ap.add_argument("--out", default=str(HERE / "results"))
    args = ap.parse_args(argv)
    tables = set(args.tables.split(","))
    families = list(fam.FAMILIES)
    optional, notes = base.available_optional_peers()
    res = {
        "machine": base.machine_description(),
        "args": vars(args),
        "peer_notes": "; ".join([f"{k}: {v}" for k, v in notes.items()] + [f"{k}: ok" for k in optional]) or "none",
    }
    t0 = time.perf_counter()
    n = 400 if args.quick else args.n
    if "small" in tables:
        res["small"] = table_small([13, 30, 50, 80, 100], families)
    if "public" in tables:
        res["public"] = table_public(n, families, args.repeats, optional)
    if "labelled" in tables:
        res["labelled"] = table_labelled(n, families, args.repeats)
    if "partition" in tables:
        res["partition"] = table_partition([100, 400] if args.quick else [100, 500, 2000])
    if "input" in tables:
        res["input"] = table_input(200, args.repeats)
    if "scale" in tables and not args.quick:
        res["scale"] = table_scale(args.scale_n, ["sparse", "layered"])
    res["total_wall_s"] = time.perf_counter() - t0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "paths.json").write_text(json.dumps(res, indent=1, default=str))
    (out / "paths.md").write_text(markdown(res))
    print(markdown(res))
    print(f"\nwritten: {out / 'paths.json'}, {out / 'paths.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
