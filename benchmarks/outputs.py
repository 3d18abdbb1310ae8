"""What a user waits for after the analysis: ``result.save()`` and each output format, at n = 13, 80 and 200.

Usage (from the repository root, with ``PYTHONPATH=src`` or after ``pip install -e .``)::

    python benchmarks/outputs.py                       # n = 13, 80, 200; every format; best of 2
    python benchmarks/outputs.py --sizes 13 80 --repeats 3 --out benchmarks/results/outputs.md

From another benchmark (``benchmarks/paths.py`` puts every goal of issue 18 in one run)::

    import outputs
    res = outputs.measure([13, 80, 200], repeat=2)      # a dict, JSON-serialisable
    print(outputs.markdown(res))                        # the tables and the goals, met or the distance

The numbers measured for issue 18 are in ``benchmarks/outputs_results.md``.

What is timed (wall clock, best of ``repeat`` runs; nothing here asserts a timing):

* ``save``: ``analyze(ssim).save(folder)`` with the default formats (all but docx), a fresh result each run,
  so the analysis itself is included (milliseconds).
* one row per format: ``analyze(ssim).save(folder, formats=<format>)``; the figure formats (png, svg, pdf)
  draw the five figures, ``html`` draws the two figures it embeds; every run also writes ``summary.txt``.
* ``tables``: ``result_tables(result)``, built once per ``save()`` and shared by every writer.
* per figure: drawing it, then saving it as PNG (300 dpi, at most ``MAX_PIXELS``), SVG and PDF (one run).

The load average (``/proc/loadavg``, 1 minute) is recorded before each size: the machine is shared, and the
seconds move with its load; the ratios within one run are what to read.

The inputs: n = 13 is the built-in health-data-sharing example; other sizes are ``benchmark.make("expert", n)``
(an SSIM with the density and cycles of expert judgments) with labels of realistic length ("Factor k: ...").
The goals of issue 18: ``save()`` at n = 200 within 4x its time at n = 13, and at n = 80 within 2 s.
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ism_health as ism
from ism_health import benchmark
from ism_health.bundle import FIGURES, check_formats
from ism_health.datasets import load_example
from ism_health.tables import result_tables

#: No date in the report (0.1's save() had no such option: then nothing is passed, so the baseline runs too).
SAVE = {"date": False} if "date" in inspect.signature(ism.ISMResult.save).parameters else {}
#: The goals of issue 18.
GOAL_SECONDS_80 = 2.0
GOAL_RATIO_200 = 4.0


def make_ssim(n: int) -> ism.SSIM:
    """The SSIM benchmarked at size n (deterministic)."""
    if n == 13:
        return load_example()
    labels = [f"Factor {k}: barrier to sharing health data ({k % 7 + 1})" for k in range(1, n + 1)]
    return ism.SSIM(labels, benchmark.make("expert", n, seed=0))


def load_average() -> float | None:
    """The 1-minute load average (None where /proc/loadavg is not there)."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def best(func: Callable[[Path], Any], repeat: int) -> float:
    """The best wall-clock time of ``repeat`` runs of ``func(folder)`` (a new temporary folder each)."""
    times = []
    for _ in range(max(1, repeat)):
        folder = Path(tempfile.mkdtemp(prefix="ism-bench-"))
        try:
            t0 = time.perf_counter()
            func(folder / "out")
            times.append(time.perf_counter() - t0)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return min(times)


def figure_times(result: ism.ISMResult) -> dict[str, dict[str, float]]:
    """Per figure of the bundle: seconds to draw it and to save it in each figure format, and the PNG's megapixels."""
    import matplotlib.pyplot as plt
    from PIL import Image

    from ism_health import plotting

    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="ism-bench-") as tmp:
        for stem, (func, kwargs) in FIGURES.items():
            row: dict[str, float] = {}
            t0 = time.perf_counter()
            ax = getattr(plotting, func)(result, **kwargs)
            row["draw"] = time.perf_counter() - t0
            try:
                for ext in ("png", "svg", "pdf"):
                    path = Path(tmp) / f"{stem}.{ext}"
                    t0 = time.perf_counter()
                    plotting.save_figure(ax, path)
                    row[ext] = time.perf_counter() - t0
                    row[f"{ext} kB"] = path.stat().st_size / 1e3
                with Image.open(Path(tmp) / f"{stem}.png") as img:
                    row["png Mpx"] = img.width * img.height / 1e6
            finally:
                plt.close(ax.figure)
            out[stem] = row
    return out


def measure(
    ns: Sequence[int] = (13, 80, 200),
    repeat: int = 2,
    formats: Sequence[str] | None = None,
    figures: bool = True,
    log: Callable[[str], None] | None = print,
    warm: bool = True,
) -> dict[str, Any]:
    """Time ``save()`` and each output format at each n; a JSON-serialisable dict (see :func:`markdown`).

    ``formats``: the per-format rows (default: every registered format but the opt-in docx);
    ``figures``: also time each figure per format (one run); ``log``: progress lines (None: silent);
    ``warm``: one untimed ``save()`` of the n = 13 example first, so that no timing includes the one-off
    imports of a fresh process (matplotlib, fontTools, openpyxl: about 1 s).
    """
    chosen = list(formats) if formats is not None else check_formats(None)
    if warm:
        best(lambda out: ism.analyze(make_ssim(13)).save(out, **SAVE), 1)
    rows: list[dict[str, Any]] = []
    for n in ns:
        ssim = make_ssim(n)
        row: dict[str, Any] = {"n": n, "load": load_average()}
        row["save"] = best(lambda out, s=ssim: ism.analyze(s).save(out, **SAVE), repeat)
        for fmt in chosen:
            row[fmt] = best(lambda out, f=fmt, s=ssim: ism.analyze(s).save(out, formats=f, **SAVE), repeat)
        result = ism.analyze(ssim)
        t0 = time.perf_counter()
        tables = result_tables(result)
        row["tables"] = time.perf_counter() - t0
        row["partition rows"] = sum(len(t) for k, t in tables.items() if k.startswith("iteration_"))
        if figures:
            row["figures"] = figure_times(result)
        rows.append(row)
        if log is not None:
            log(f"outputs: n = {n}: save {row['save']:.2f} s (load average {row['load']})")
    return {"repeat": repeat, "formats": chosen, "rows": rows, "machine": machine()}


def machine() -> str:
    """The library, Python and machine, in a line."""
    import matplotlib

    return (
        f"ism_health {ism.__version__}, matplotlib {matplotlib.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs"
    )


def goal_rows(res: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The goals of issue 18 as (goal, measured, verdict) from the rows of :func:`measure`.

    ``verdict``: "met", "NOT met" (with the distance where there is one), or "" for a ratio only reported.
    """
    by_n = {r["n"]: r for r in res["rows"]}
    rows = []
    if 80 in by_n:
        t = by_n[80]["save"]
        rows.append(
            (
                "save() at n = 80",
                f"{t:.2f} s (goal: within {GOAL_SECONDS_80:.0f} s)",
                "met" if t <= GOAL_SECONDS_80 else f"NOT met, {t / GOAL_SECONDS_80:.1f}x the goal",
            )
        )
    if 13 in by_n:
        for n, r in sorted(by_n.items()):
            if n == 13:
                continue
            ratio = r["save"] / by_n[13]["save"]
            measured = f"{ratio:.1f}x its time at n = 13"
            if n == 200:
                measured += f" (goal at n = 200: within {GOAL_RATIO_200:.0f}x)"
            verdict = ("met" if ratio <= GOAL_RATIO_200 else "NOT met") if n == 200 else ""
            rows.append((f"save() at n = {n}", measured, verdict))
    return rows


def goals(res: dict[str, Any]) -> list[str]:
    """The goals of issue 18, each met or with its distance, from the rows of :func:`measure` (one line each)."""
    return [f"{goal}: {measured}" + (f": {verdict}" if verdict else "") for goal, measured, verdict in goal_rows(res)]


def markdown(res: dict[str, Any]) -> str:
    """The tables of :func:`measure` (seconds per format; per figure and format) and the goals, in Markdown."""
    formats = res["formats"]
    cols = ["n", "load", "save", *formats, "tables", "partition rows"]
    lines = [
        f"{res['machine']}; seconds, best of {res['repeat']} (wall clock); load = 1-minute load average",
        "",
        "| " + " | ".join(cols) + " |",
        "|" + "|".join("---:" for _ in cols) + "|",
    ]
    for row in res["rows"]:
        cells = []
        for c in cols:
            v = row.get(c)
            cells.append("" if v is None else f"{v:.3f}" if isinstance(v, float) and c != "load" else str(v))
        lines.append("| " + " | ".join(cells) + " |")
    fig_rows = [(r["n"], stem, t) for r in res["rows"] for stem, t in r.get("figures", {}).items()]
    if fig_rows:
        lines += [
            "",
            "Per figure (one run): seconds to draw, to save as PNG / SVG / PDF; the PNG's megapixels; file sizes in kB",
            "",
            "| n | figure | draw | png | svg | pdf | png Mpx | png kB | svg kB | pdf kB |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for n, stem, t in fig_rows:
            lines.append(
                f"| {n} | {stem} | {t['draw']:.3f} | {t['png']:.3f} | {t['svg']:.3f} | {t['pdf']:.3f} | "
                f"{t['png Mpx']:.1f} | {t['png kB']:.0f} | {t['svg kB']:.0f} | {t['pdf kB']:.0f} |"
            )
    notes = goals(res)
    if notes:
        lines += [""] + [f"- {line}" for line in notes]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[13, 80, 200])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--formats", nargs="+", default=None, help="per-format rows (default: all but docx)")
    parser.add_argument("--no-figures", action="store_true", help="skip the per-figure table")
    parser.add_argument("--out", type=Path, default=None, help="also write the tables (Markdown) to this file")
    args = parser.parse_args()
    res = measure(args.sizes, args.repeats, args.formats, figures=not args.no_figures)
    text = markdown(res)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
