"""Benchmark of the figures: MICMAC label placement and the size and time of saved figures (issue 18).

Usage (from the repository root, with ``PYTHONPATH=src`` or after ``pip install -e .``)::

    python benchmarks/figures.py                 # micmac at n = 30, 100, 300; saves at n = 13, 80, 200
    python benchmarks/figures.py --quick         # micmac at n = 30, 300 only; saves at n = 13, 200

What is timed (wall clock, best of ``--repeat`` runs; nothing here asserts a timing):

* ``plot_micmac``: the whole call (placement of the points' labels, the
  quadrant names, the legend of codes) on an ``analyze``d random layered
  structure (``ism_health.benchmark.make("layered", n)``), codes by default
  (more than 20 factors). The goal: n = 300 within 10x n = 30 (near-linear
  placement: the labels sit in a spatial grid).
* ``figures``: the five figures of ``result.save()`` (hierarchy, micmac, IRM,
  FRM and canonical heatmaps) drawn and saved as PNG (300 dpi), SVG and PDF,
  with the largest PNG's size in megapixels (the heatmaps are capped at 10
  inches a side; above 100 factors a density image without names).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import ism_health as ism  # noqa: E402
from ism_health import benchmark  # noqa: E402
from ism_health.bundle import FIGURES  # noqa: E402
from ism_health.plotting import save_figure  # noqa: E402


def _result(n: int) -> ism.ISMResult:
    return ism.analyze(ism.SSIM.from_matrix(benchmark.make("layered", n, seed=1).astype(int)))


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def time_micmac(n: int, repeat: int) -> float:
    result = _result(n)

    def run() -> None:
        ax = ism.plot_micmac(result)
        plt.close(ax.figure)

    return _best(run, repeat)


def time_figures(n: int) -> tuple[float, float]:
    """(seconds to draw and save the five figures in three formats, largest PNG in megapixels)."""
    from PIL import Image

    result = _result(n)
    largest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        for stem, (func, kwargs) in FIGURES.items():
            ax = getattr(ism.plotting, func)(result, **kwargs)
            for ext in ("png", "svg", "pdf"):
                save_figure(ax, Path(tmp) / f"{stem}.{ext}")
            plt.close(ax.figure)
        seconds = time.perf_counter() - t0
        for png in Path(tmp).glob("*.png"):
            with Image.open(png) as img:
                largest = max(largest, img.width * img.height / 1e6)
    return seconds, largest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes")
    parser.add_argument("--repeat", type=int, default=2, help="runs of plot_micmac per size (best kept)")
    args = parser.parse_args()
    micmac_sizes = (30, 300) if args.quick else (30, 100, 300)
    save_sizes = (13, 200) if args.quick else (13, 80, 200)
    print(f"ism_health {ism.__version__}, matplotlib {matplotlib.__version__}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPU(s)")
    print("\nplot_micmac (codes, layered structure), best of", args.repeat)
    times = {}
    for n in micmac_sizes:
        times[n] = time_micmac(n, args.repeat)
        print(f"  n = {n:4d}: {times[n]:7.3f} s")
    print(f"  n = 300 / n = 30: {times[300] / times[30]:.1f}x (goal: within 10x)")
    print("\nfive figures drawn and saved as PNG (300 dpi), SVG and PDF")
    saved = {}
    for n in save_sizes:
        saved[n] = time_figures(n)
        print(f"  n = {n:4d}: {saved[n][0]:7.2f} s, largest PNG {saved[n][1]:5.1f} Mpx")
    print(f"  n = 200 / n = 13: {saved[200][0] / saved[13][0]:.1f}x")


if __name__ == "__main__":
    main()
