"""What a user waits for after the analysis: ``result.save()`` and each output format, at n = 13, 80 and 200.

Usage (from the repository root, with ``PYTHONPATH=src`` or after ``pip install -e .``)::

    python benchmarks/outputs.py                       # n = 13, 80, 200; every format; one run each
    python benchmarks/outputs.py --sizes 13 80 --repeats 3 --out benchmarks/results/outputs.md

The numbers measured for issue 18 are in ``benchmarks/outputs_results.md``.

What is timed (wall clock, best of ``--repeats`` runs; nothing here asserts a timing):

* ``save``: ``analyze(ssim).save(folder)`` with the default formats (all of them), a fresh result each run,
  so the analysis itself is included (milliseconds).
* one row per format: ``analyze(ssim).save(folder, formats=<format>)``; the figure formats (png, svg, pdf)
  draw the five figures, ``html`` draws the two figures it embeds; every run also writes ``summary.txt``.
* ``tables``: ``result_tables(result)``, built once per ``save()`` and shared by every writer.

The inputs: n = 13 is the built-in health-data-sharing example; other sizes are ``benchmark.make("expert", n)``
(an SSIM with the density and cycles of expert judgments) with labels of realistic length ("Factor k: ...").
The goals of issue 18: ``save()`` at n = 200 within 4x its time at n = 13, and at n = 80 within 2 s.
Figures are the plotting helper's part (pixel caps, MICMAC label placement); the table writers, the report
and the bundle (figures drawn once, tables built once, the workbook streamed) are measured here too.
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

import ism_health as ism
from ism_health import benchmark
from ism_health.bundle import FORMATS
from ism_health.datasets import load_example
from ism_health.tables import result_tables

#: No date in the report (0.1's save() had no such option: then nothing is passed, so the baseline runs too).
SAVE = {"date": False} if "date" in inspect.signature(ism.ISMResult.save).parameters else {}


def make_ssim(n: int) -> ism.SSIM:
    """The SSIM benchmarked at size n (deterministic)."""
    if n == 13:
        return load_example()
    labels = [f"Factor {k}: barrier to sharing health data ({k % 7 + 1})" for k in range(1, n + 1)]
    return ism.SSIM(labels, benchmark.make("expert", n, seed=0))


def best(func, repeats: int) -> float:
    """The best wall-clock time of ``repeats`` runs of ``func()`` (a new temporary folder each)."""
    times = []
    for _ in range(repeats):
        folder = Path(tempfile.mkdtemp(prefix="ism-bench-"))
        try:
            t0 = time.perf_counter()
            func(folder / "out")
            times.append(time.perf_counter() - t0)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return min(times)


def run(sizes: list[int], repeats: int, formats: list[str]) -> list[dict[str, object]]:
    rows = []
    for n in sizes:
        ssim = make_ssim(n)
        row: dict[str, object] = {"n": n}
        row["save"] = best(lambda out, s=ssim: ism.analyze(s).save(out, **SAVE), repeats)
        for fmt in formats:
            row[fmt] = best(lambda out, f=fmt, s=ssim: ism.analyze(s).save(out, formats=f, **SAVE), repeats)
        result = ism.analyze(ssim)
        t0 = time.perf_counter()
        tables = result_tables(result)
        row["tables"] = time.perf_counter() - t0
        row["partition rows"] = sum(len(t) for k, t in tables.items() if k.startswith("iteration_"))
        rows.append(row)
        print(f"n = {n}: save {row['save']:.2f} s", flush=True)
    return rows


def markdown(rows: list[dict[str, object]], formats: list[str]) -> str:
    cols = ["n", "save", *formats, "tables", "partition rows"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---:" for _ in cols) + "|"]
    for row in rows:
        cells = []
        for c in cols:
            v = row[c]
            cells.append(f"{v:.3f}" if isinstance(v, float) else str(v))
        lines.append("| " + " | ".join(cells) + " |")
    small = next((r for r in rows if r["n"] == 13), None)
    notes = []
    for r in rows:
        if small is not None and r is not small:
            notes.append(f"save() at n = {r['n']}: {float(r['save']) / float(small['save']):.1f}x its time at n = 13")
    return "\n".join(lines) + ("\n\n" + "\n".join(f"- {line}" for line in notes) if notes else "") + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[13, 80, 200])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS))
    parser.add_argument("--out", type=Path, default=None, help="also write the table (Markdown) to this file")
    args = parser.parse_args()
    rows = run(args.sizes, args.repeats, args.formats)
    head = (f"ism_health {ism.__version__}, Python {platform.python_version()}, {platform.machine()}, "
            f"{os.cpu_count()} CPUs; seconds, best of {args.repeats}\n\n")
    text = head + markdown(rows, args.formats)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
