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
            lv, index = level_numbers(frm), pd.Index([f"F{k}" for k in range(1, n + 1)])
            row["series_floor_s"] = micro(lambda lv=lv, index=index: pd.Series(lv, index=index, name="level"))
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
            try:
                t = median_time(func, a, repeats=repeats)
                answer = func(a)
            except Exception as exc:  # a peer that installs but fails to run is reported, not fatal
                row["peers"][name] = {"status": f"failed: {type(exc).__name__}"}
                continue
            if not np.array_equal(answer, frm):
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

        def fused(a=a):
            p = transitive_closure_packed(a)
            return p, p.level_numbers()

        row["fused_s"] = median_time(fused, repeats=repeats)
        row["analyze_levels_s"] = median_time(lambda ssim=ssim: ism.analyze(ssim).levels, repeats=repeats)
        row["analyze_levels_over_fused"] = row["analyze_levels_s"] / row["fused_s"]
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


def table_large(n, families, repeats):
    """n = 10,000: the digraph (reduction included) and the marked FRM against the closure."""
    rows = []
    for family in families:
        a = fam.make(family, n, seed=0)
        ssim = ism.SSIM.from_matrix(a)
        row = {"family": family, "n": n}
        row["closure_s"] = median_time(transitive_closure, a, repeats=repeats)
        frm = transitive_closure(a)
        row["digraph_s"] = median_time(ism.ism_digraph, frm, repeats=repeats)
        g = ism.ism_digraph(frm)
        row["nodes"], row["edges"] = g.number_of_nodes(), g.number_of_edges()
        del g
        row["analyze_s"] = median_time(ism.analyze, ssim, repeats=repeats)

        def marked(ssim=ssim):
            r = ism.analyze(ssim)
            r._fused  # noqa: B018  (the closure and levels, subtracted below)
            t0 = time.perf_counter()
            r.final_reachability_marked  # noqa: B018
            return time.perf_counter() - t0

        row["marked_s"] = statistics.median(marked() for _ in range(max(1, repeats)))
        row["digraph_over_closure"] = row["digraph_s"] / row["closure_s"]
        row["marked_over_closure"] = row["marked_s"] / row["closure_s"]
        rows.append(row)
        log(
            f"large {family} n={n}: closure {row['closure_s']:.2f} s, digraph {row['digraph_s']:.2f} s, "
            f"marked FRM {row['marked_s']:.2f} s"
        )
        del frm, a, ssim
        gc.collect()
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


def table_input(n, repeats, peak_n=1000):
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
    try:
        import inputs

        with tempfile.TemporaryDirectory() as tmp:
            for kind in ("matrix", "ssim"):
                path = inputs._write(Path(tmp), peak_n, kind)
                row[f"peak_bytes_per_cell_{kind}"] = inputs._peak_per_cell(path, peak_n)
        row["peak_n"] = peak_n
    except (ImportError, AttributeError) as exc:  # pragma: no cover - benchmarks/inputs.py changed
        row["peak_note"] = f"not measured: {exc}"
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


def table_outputs(quick: bool, detail: bool = False) -> dict:
    """``result.save()`` and every format (``benchmarks/outputs.py``, p-save's script), in this run."""
    import outputs

    if not hasattr(outputs, "measure"):  # pragma: no cover - the script before its importable hook
        return {"note": "benchmarks/outputs.py has no measure(); run it on its own"}
    if detail:  # every format and figure on its own too (minutes at n = 200)
        return outputs.measure((13, 80) if quick else (13, 80, 200), repeat=2, log=log)
    return outputs.measure((13, 80) if quick else (13, 80, 200), repeat=1, formats=[], figures=False, log=log)


def table_figures(quick: bool) -> dict:
    """``plot_micmac`` placement and the saved figures (``benchmarks/figures.py``, p-save's script), in this run."""
    import figures

    if not hasattr(figures, "measure"):  # pragma: no cover - the script before its importable hook
        return {"note": "benchmarks/figures.py has no measure(); run it on its own"}
    return figures.measure((30, 300) if quick else (30, 100, 300), (13, 200) if quick else (13, 80, 200), repeat=2)


# ----------------------------------------------------------------------------
# the goals of issue 18, each met or with its distance, from the tables of this run

#: "within a few times the closure" (the digraph and the marked FRM at n = 10,000), as checked here.
FEW = 3.0


def _span(values) -> str:
    values = list(values)
    lo, hi = min(values), max(values)
    return f"{lo:.2f}x" if abs(hi - lo) < 0.005 else f"{lo:.2f}x to {hi:.2f}x"


def _verdict(ok: bool, partly: bool = False) -> str:
    return "met" if ok else "partly met" if partly else "not met"


def goals(res: dict) -> list[tuple[str, str, str]]:
    """(goal, measured, status) rows; a goal whose table was not run is left out."""
    out = []
    small = res.get("small")
    if small:
        closure = [r["ratio_closure"] for r in small]
        composed = [r["ratio_composed"] for r in small]
        slow = sorted({(r["family"], r["n"]) for r in small if r["ratio_composed"] < 1}, key=lambda x: (x[1], x[0]))
        out.append(
            (
                "single calls at n <= 100 no slower than the numpy Warshall loop: `transitive_closure`",
                f"{_span(closure)} the loop's speed (n = 13 to 100, four families)",
                _verdict(min(closure) >= 1),
            )
        )
        floor = min(r.get("series_floor_s", 0.0) for r in small)
        out.append(
            (
                "the same for `transitive_closure` then the labelled `level_partition`",
                f"{_span(composed)} the loop's speed; slower on {len(slow)} of {len(small)} cases "
                f"(smallest n: {', '.join(f'{f} {n}' for f, n in slow[:6])}{', ...' if len(slow) > 6 else ''}); "
                f"floor: a pandas Series of the levels alone takes {floor * 1e6:.0f} µs",
                _verdict(min(composed) >= 1, partly=max(composed) >= 1),
            )
        )
    public = res.get("public")
    if public:
        paths = {
            "closure then `level_partition`": "composed_s",
            "`level_partition(frm)`": "level_partition_s",
            "`level_partition` of a matrix never seen": "level_partition_cold_s",
            "`canonical_matrix`": "canonical_s",
            "`micmac_analysis`": "micmac_s",
            "`ism_digraph`": "digraph_s",
        }
        parts, worst, best = [], 0.0, float("inf")
        for name, key in paths.items():
            ratios = [r[key] / r["fused_s"] for r in public]
            worst, best = max(worst, max(ratios)), min(best, min(ratios))
            far = [f"{r['family']} {r[key] / r['fused_s']:.2f}x" for r in public if r[key] / r["fused_s"] > 1.5]
            parts.append(f"{name} {_span(ratios)}" + (f" (over: {', '.join(far)})" if far else ""))
        out.append(
            (
                f"every public path within 1.5x of the fused kernel (n = {public[0]['n']:,})",
                "; ".join(parts),
                _verdict(worst <= 1.5, partly=best <= 1.5),
            )
        )
        vs = [r["composed_vs_warshall"] for r in public]
        out.append(
            (
                f"composed public calls at n = {public[0]['n']:,} >= 30x the Warshall loop, all four families",
                ", ".join(f"{r['family']} {r['composed_vs_warshall']:.0f}x" for r in public),
                _verdict(min(vs) >= 30),
            )
        )
    labelled = res.get("labelled")
    if labelled:
        ratios = [r["all_over_closure"] for r in labelled]
        out.append(
            (
                f"the labelled result at n = {labelled[0]['n']:,} within 10x the closure, all tables",
                ", ".join(f"{r['family']} {r['all_over_closure']:.1f}x" for r in labelled),
                _verdict(max(ratios) <= 10, partly=min(ratios) <= 10),
            )
        )
        reuse = [r["analyze_levels_over_fused"] for r in labelled]
        out.append(
            (
                "`analyze` reuses the fused closure + levels (`analyze(ssim).levels` / fused kernel)",
                ", ".join(f"{r['family']} {r['analyze_levels_over_fused']:.2f}x" for r in labelled),
                _verdict(max(reuse) <= 1.5),
            )
        )
    large = res.get("large")
    if large:
        worst = max(max(r["digraph_over_closure"], r["marked_over_closure"]) for r in large)
        out.append(
            (
                f"the digraph's reduction and the marked FRM at n = {large[0]['n']:,} within a few "
                f"(here: {FEW:.0f}) times the closure",
                "; ".join(
                    f"{r['family']}: digraph {r['digraph_over_closure']:.1f}x, marked FRM {r['marked_over_closure']:.1f}x"
                    for r in large
                ),
                _verdict(worst <= FEW),
            )
        )
    part = res.get("partition")
    if part:
        out.append(
            (
                "partition tables in O(n^2) memory (a chain of n levels)",
                "; ".join(
                    f"n = {r['n']:,}: {r['rows']:,} rows, {base.fmt_b(r['peak_bytes'])} peak "
                    f"({r['peak_bytes'] / r['rows']:.0f} B a row)"
                    for r in part
                ),
                _verdict(all(r["rows"] == r["n"] * (r["n"] + 1) // 2 for r in part)),
            )
        )
    inp = res.get("input")
    if inp and "peak_n" in inp[0]:
        r = inp[0]
        worst = max(r["peak_bytes_per_cell_matrix"], r["peak_bytes_per_cell_ssim"])
        out.append(
            (
                f"input in O(n^2) bytes: `read_ssim` <= 4 bytes per cell at peak (n = {r['peak_n']:,})",
                f"0/1 matrix {r['peak_bytes_per_cell_matrix']:.2f}, SSIM {r['peak_bytes_per_cell_ssim']:.2f} "
                f"bytes per cell; speed {r['ratio']:.1f}x `pandas.read_csv` at n = {r['n']}",
                _verdict(worst <= 4),
            )
        )
    scale = res.get("scale")
    if scale:
        out.append(
            (
                f"n = {scale[0]['n']:,} packed, sparse and layered, <= 60 s at <= 0.3 bytes per cell, with levels",
                "; ".join(f"{r['family']} {r['seconds']:.1f} s, {r['bytes_per_cell']:.3f} B/cell" for r in scale),
                _verdict(all(r["seconds"] <= 60 and r["bytes_per_cell"] <= 0.3 for r in scale)),
            )
        )
    outputs_res = res.get("outputs")
    if outputs_res and "rows" in outputs_res:
        import outputs

        for goal, measured, verdict in outputs.goal_rows(outputs_res):
            out.append((goal, measured, verdict.replace("NOT met", "not met") if verdict else "reported"))
    figs = res.get("figures")
    if figs and "micmac" in figs and 30 in figs["micmac"] and 300 in figs["micmac"]:
        ratio = figs["micmac"][300] / figs["micmac"][30]
        out.append(
            (
                "`plot_micmac` near-linear: n = 300 within 10x n = 30",
                f"{ratio:.1f}x ({figs['micmac'][30]:.2f} s and {figs['micmac'][300]:.2f} s)",
                _verdict(ratio <= 10),
            )
        )
    if public:
        names = sorted({p for r in public for p in r["peers"]})
        ok = [p for p in names if all(r["peers"].get(p, {}).get("status") == "ok" for r in public)]
        out.append(
            (
                "peers rustworkx, python-graphblas, igraph; numba as the ceiling",
                f"measured: {', '.join(ok) or 'none'}; " + (res.get("peer_notes") or ""),
                "reported" if ok else "not measured",
            )
        )
    return out


def goals_markdown(res: dict) -> list[str]:
    rows = goals(res)
    if not rows:
        return []
    out = ["## Goals of issue 18 in this run", "", "| goal | measured | status |", "|---|---|---|"]
    out += [f"| {g} | {m} | {st} |" for g, m, st in rows]
    return out + [""]


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
            "| level_partition(frm) | closure then level_partition | ratio | analyze(ssim).levels "
            "| pandas Series alone |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in res["small"]:
            out.append(
                f"| {r['family']} | {r['n']} | {fmt(r['warshall_s'])} | {fmt(r['closure_s'])} | "
                f"{r['ratio_closure']:.1f}x | {fmt(r['level_numbers_s'])} | {fmt(r['level_partition_s'])} | "
                f"{fmt(r['closure_then_levels_s'])} | {r['ratio_composed']:.1f}x | "
                f"{fmt(r['analyze_levels_s'])} | {fmt(r.get('series_floor_s', float('nan')))} |"
            )
        out.append("")
    if res.get("public"):
        names = []
        for r in res["public"]:
            names += [p for p in r["peers"] if p not in names]
        out += [
            f"## Public paths at n = {res['public'][0]['n']:,} (medians)",
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
            f"Closure peers at n = {res['public'][0]['n']:,} (peer time / ism_health `transitive_closure` time):",
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
            f"## The labelled result at n = {res['labelled'][0]['n']:,} (each table read from a fresh `analyze`)",
            "",
            "| family | closure | analyze | " + " | ".join(LABELLED) + " | all tables | all / closure "
            "| fused kernel | analyze(ssim).levels | / fused |",
            "|---|---|---|" + "---|" * len(LABELLED) + "---|---|---|---|---|",
        ]
        for r in res["labelled"]:
            out.append(
                f"| {r['family']} | {fmt(r['closure_s'])} | {fmt(r['analyze_s'])} | "
                + " | ".join(fmt(r["tables_s"][k]) for k in LABELLED)
                + f" | {fmt(r['all_s'])} | {r['all_over_closure']:.1f}x | {fmt(r['fused_s'])} | "
                f"{fmt(r['analyze_levels_s'])} | {r['analyze_levels_over_fused']:.2f}x |"
            )
        out.append("")
    if res.get("large"):
        out += [
            f"## The digraph and the marked FRM at n = {res['large'][0]['n']:,} (medians)",
            "",
            "| family | closure | ism_digraph(frm) | nodes | edges | / closure | final_reachability_marked | / closure |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in res["large"]:
            out.append(
                f"| {r['family']} | {fmt(r['closure_s'])} | {fmt(r['digraph_s'])} | {r['nodes']:,} | {r['edges']:,} | "
                f"{r['digraph_over_closure']:.1f}x | {fmt(r['marked_s'])} | {r['marked_over_closure']:.1f}x |"
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
        out += [
            "## Input: a 0/1 CSV",
            "",
            "| n | read_ssim | pandas.read_csv | ratio | peak bytes per cell (n, 0/1 matrix, SSIM) |",
            "|---|---|---|---|---|",
        ]
        for r in res["input"]:
            peak = (
                f"{r['peak_n']:,}: {r['peak_bytes_per_cell_matrix']:.2f}, {r['peak_bytes_per_cell_ssim']:.2f}"
                if "peak_n" in r
                else r.get("peak_note", "-")
            )
            out.append(
                f"| {r['n']} | {fmt(r['read_ssim_s'])} | {fmt(r['pandas_read_csv_s'])} | {r['ratio']:.1f}x | {peak} |"
            )
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
    if res.get("outputs"):
        import outputs

        out += ["## Outputs: `result.save()` and each format (benchmarks/outputs.py)", ""]
        out += [res["outputs"]["note"]] if "note" in res["outputs"] else [outputs.markdown(res["outputs"])]
        out.append("")
    if res.get("figures"):
        import figures

        out += ["## Figures (benchmarks/figures.py)", ""]
        if "note" in res["figures"]:
            out += [res["figures"]["note"]]
        else:
            out += [figures.markdown(res["figures"])]
        out.append("")
    out += goals_markdown(res)
    return "\n".join(out)


DOCS_SECTION = "## Every public path"
#: Where the regenerated section ends (the next section of docs/performance.md, written by benchmarks/run.py).
DOCS_NEXT = "### The numeric core against its peers"

#: What the section says before the tables: how the public paths reach the kernel's speed.
DOCS_PROSE = """\
What makes the public paths run at the kernel's speed:

* **Small single matrices** (n <= `SMALL_MAX_N` = 100) are closed by repeated boolean squaring with float32
  matrix products; their levels: one product checks transitivity, then `level = 1 + max level of the strict
  successors` is iterated on bytes. `level_partition` builds its Series on a view of a cached label Index
  (building an Index of 13 strings costs about 20 µs, more than the levels). What is left is a floor: a
  pandas Series of the levels alone (the column "pandas Series alone").
* **Validation and levels in one pass.** `level_partition`, `canonical_matrix`, `ism_digraph`,
  `partition_iterations` and `strongly_connected_sets` validate the final reachability matrix with the
  kernel pass that finds the levels; a closure this process computed (n >= 257) is recognised bit for bit
  and gets its stored levels.
* **`analyze`** computes the closure and the levels in one kernel pass and every table reuses them.
  Tables handed out are copies; under pandas >= 3 (copy on write) a shallow copy with views of its axes is
  as independent as a deep one and costs microseconds.
* **The marked FRM** (`"1"`, `"1*"`, `"0"`, an object table as in 0.1) is one `take` of three shared strings
  by the codes `frm + added`: 8 bytes a cell and no string per cell. A pandas Categorical (1 byte a cell)
  was measured and not taken: a cell set to a new text fails (the result's tables accept any edit of the
  caller's copy), and at n = 2,000 a frame of 2,000 categorical columns wrote CSV in 3.4 s against 0.6 s
  and read one row in 6 ms against 0.5 ms.
* **The ISM digraph**: strong components are the classes of equal packed rows; the transitive reduction
  of the condensation is found word by word on bit rows in level order (a successor is direct when
  neither the rows of the direct successors found in later words nor the word's own rows, by "four
  Russians" tables, cover it): about k^2 / 8 look-ups plus one row OR per kept edge, instead of the
  k^3 / 512 word operations of a boolean square. The networkx graph is filled through its dict-of-dicts
  (the 27,810 edges of the layered family at n = 2,000 about 2.3 times faster than `add_edges_from`,
  same graph, tested), and
  the result rebuilds it per read from cached parts instead of copying it.
* **Partition tables**: one row per iteration and unplaced factor (at most n (n + 1) / 2 rows). The set
  columns are a pandas extension array (`LabelSetArray`) holding (factor, iteration, kind) as integers
  (13 bytes a cell); a set is made when read: a tuple, or a `LabelSet` view when the tuples of the whole
  table would exceed `PARTITION_TUPLE_ENTRIES` labels. The 590,000 rows of the dag family at n = 2,000
  held 1.8 million Python objects and took 2.7 s in this session before the change (7.3 s in the more
  loaded run before); the table below has them, with the fused pass, in tens of milliseconds.
"""


#: What the columns mean (after the tables).
DOCS_NOTES = """\
Notes on these tables:

* *fused kernel*: `transitive_closure_packed(a)` and its `level_numbers()`: the closure and the levels from
  one pass, the reference of issue 18's "within 1.5x". *closure then level_partition*: the two public calls
  one after the other, the second on the first's result (recognised bit for bit). *same, matrix never
  seen*: `level_partition` of a copy of the closure after the remembered closures were cleared: the
  one-pass validation and levels of a matrix the library did not make (its cost grows with the ones of
  the final matrix, about half of the cells on the dag family, not with the input's).
* The labelled table times each table as `analyze(ssim)` then reading it, minus `analyze(ssim)` alone, so
  the first table read includes the fused closure + levels; *all tables* reads all of them from one
  result; *analyze(ssim).levels* against the fused kernel shows that `analyze` reuses the fused pass.
* The digraph at n = 10,000 is `ism_digraph(frm)` of a closure computed before (recognised, so its
  levels come free); the marked FRM is read from a fresh result whose closure and levels were computed
  before the clock starts.
* Small studies: the Warshall loop and the calls are timed as the best of 7 batches; *pandas Series alone*
  is `pandas.Series(levels, index=Index)` with the Index built before: the floor of any labelled result.
* Scale: the peak is tracemalloc's (the input, made before, is not counted).
"""


def docs_section(res: dict) -> str:
    """The section '## Every public path' of docs/performance.md, from one run."""
    m = res["machine"]
    when = res.get("started", "")
    body = markdown(res).split("\n")
    body = body[3:]  # the page has its own title and machine line
    body = [("#" + line) if line.startswith("## ") else line for line in body]
    head = [
        f"{DOCS_SECTION} (issue 18; one run of `python benchmarks/paths.py --docs docs/performance.md`, {when})",
        "",
        f"Machine: {m['cpu_model']}, {m['cpus']} CPUs, shared with other sessions (load average at the start "
        f"{', '.join(f'{x:.1f}' for x in m['load_average_at_start'] or [])}; read the ratios, taken within this "
        f"run). Python {m['python']}, "
        f"numpy {m['numpy']}, scipy {m['scipy']}, networkx {m['networkx']}, pandas {pd.__version__}. "
        f"Peers: {res.get('peer_notes')}. The whole run took {res.get('total_wall_s', 0) / 60:.0f} minutes.",
        "",
        DOCS_PROSE,
    ]
    goals_at = next((k for k, line in enumerate(body) if line.startswith("### Goals of issue 18")), len(body))
    body = body[:goals_at] + [DOCS_NOTES] + body[goals_at:]
    return "\n".join(head + body).rstrip() + "\n\n"


def update_docs(path: Path, res: dict) -> None:
    """Replace the section from ``DOCS_SECTION`` to ``DOCS_NEXT`` of ``path`` with :func:`docs_section`."""
    text = path.read_text(encoding="utf-8")
    start = text.index(DOCS_SECTION)
    end = text.index(DOCS_NEXT, start)
    path.write_text(text[:start] + docs_section(res) + text[end:], encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--tables", default="small,public,labelled,large,partition,input,scale,outputs,figures")
    ap.add_argument("--large-n", type=int, default=10_000, help="n of the digraph / marked FRM table")
    ap.add_argument("--outputs-detail", action="store_true", help="time every output format and figure too")
    ap.add_argument(
        "--docs",
        default=None,
        help="also rewrite this page's section '## Every public path' (docs/performance.md) from this run",
    )
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--n", type=int, default=2000, help="n of the public and labelled tables")
    ap.add_argument("--scale-n", type=int, default=50_000)
    ap.add_argument("--out", default=str(HERE / "results"))
    args = ap.parse_args(argv)
    tables = set(args.tables.split(","))
    families = list(fam.FAMILIES)
    optional, notes = base.available_optional_peers()
    res = {
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
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
    if "large" in tables:
        res["large"] = table_large(2000 if args.quick else args.large_n, ["dag", "layered"], max(1, args.repeats // 2))
    if "partition" in tables:
        res["partition"] = table_partition([100, 400] if args.quick else [100, 500, 2000])
    if "input" in tables:
        res["input"] = table_input(200, args.repeats)
    if "scale" in tables and not args.quick:
        res["scale"] = table_scale(args.scale_n, ["sparse", "layered"])
    if "outputs" in tables:
        res["outputs"] = table_outputs(args.quick, args.outputs_detail)
    if "figures" in tables:
        res["figures"] = table_figures(args.quick)
    res["total_wall_s"] = time.perf_counter() - t0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "paths.json").write_text(json.dumps(res, indent=1, default=str))
    (out / "paths.md").write_text(markdown(res))
    print(markdown(res))
    print(f"\nwritten: {out / 'paths.json'}, {out / 'paths.md'}")
    if args.docs:
        update_docs(Path(args.docs), res)
        print(f"rewritten: {args.docs} (section '{DOCS_SECTION}')")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
