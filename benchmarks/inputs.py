"""The input table of issue 18: read_ssim's peak memory per cell and its speed against pandas.read_csv.

Run: ``python benchmarks/inputs.py [--sizes 200,1000,2000] [--repeat 3]``. It writes a 0/1 matrix CSV
and an SSIM CSV (V/A/X/O above the diagonal) for each n into a temporary folder, then reports

* ``peak B/cell``: the peak of Python's traced allocations (``tracemalloc``) while ``read_ssim`` runs,
  divided by n² (the goal is <= 4 bytes per cell: the cells are streamed into one byte each);
* ``read_ssim ms`` and ``pandas ms``: the best of ``--repeat`` runs of ``read_ssim(path)`` and of
  ``pandas.read_csv(path, index_col=0)`` on the same file, and their ratio;
* ``from_symbols ms`` against a literal Python loop over the cells (the 0.1 reader's way) at the same n.

Timings on a shared machine are noisy: read the ratios, not the absolute numbers. No test asserts them.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from ism_health import SSIM, read_ssim


def _write(folder: Path, n: int, kind: str, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    labels = [f"F{k}" for k in range(n)]
    path = folder / f"{kind}_{n}.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("," + ",".join(labels) + "\n")
        if kind == "matrix":
            # sparse random relations, not closed (so the FRM warning does not fire)
            adj = rng.random((n, n)) < min(0.5, 3.0 / n)
            np.fill_diagonal(adj, False)
            for i in range(n):
                fh.write(labels[i] + "," + ",".join("1" if v else "0" for v in adj[i]) + "\n")
        else:
            symbols = np.array(list("VAXO"))
            for i in range(n):
                row = [""] * n
                row[i + 1 :] = symbols[rng.integers(0, 4, n - i - 1)].tolist()
                fh.write(labels[i] + "," + ",".join(row) + "\n")
    return path


def _best(func, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def _peak_per_cell(path: Path, n: int) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    read_ssim(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / (n * n)


def _loop_symbols(table: list[list[str]]) -> np.ndarray:
    """The literal loop the vectorised from_symbols replaces (cells one by one)."""
    n = len(table)
    adj = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(i + 1, n):
            s = str(table[i][j]).strip().upper()
            adj[i, j] = s in ("V", "X")
            adj[j, i] = s in ("A", "X")
    return adj


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,1000,2000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            for kind in ("matrix", "symbols"):
                path = _write(folder, n, kind)
                peak = _peak_per_cell(path, n)
                ours = _best(lambda path=path: read_ssim(path), args.repeat)
                theirs = _best(lambda path=path: pd.read_csv(path, index_col=0), args.repeat)
                rows.append(
                    {
                        "n": n,
                        "table": kind,
                        "file MB": round(path.stat().st_size / 1e6, 2),
                        "peak B/cell": round(peak, 2),
                        "read_ssim ms": round(ours, 1),
                        "pandas ms": round(theirs, 1),
                        "ratio": round(ours / theirs, 2),
                    }
                )
    print("read_ssim: peak traced memory per cell and time against pandas.read_csv (best of", args.repeat, "runs)")
    print(pd.DataFrame(rows).to_string(index=False))
    n = sizes[0]
    rng = np.random.default_rng(1)
    table = np.where(np.triu(np.ones((n, n), bool), 1), rng.choice(list("VAXO"), (n, n)), "").astype(object)
    vec = _best(lambda: SSIM.from_symbols(table), args.repeat)
    loop = _best(lambda: _loop_symbols(table.tolist()), args.repeat)
    print(f"\nfrom_symbols at n = {n}: {vec:.1f} ms (vectorised, all checks) vs {loop:.1f} ms (a bare Python loop over cells)")


if __name__ == "__main__":
    main()
