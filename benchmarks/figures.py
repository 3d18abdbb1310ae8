"""Benchmark of the figures: MICMAC label placement and the size and time of saved figures (issue 18).

Usage (from the repository root, with ``PYTHONPATH=src`` or after ``pip install -e .``)::

    python benchmarks/figures.py                 # micmac at n = 30, 100, 300; saves at n = 13, 80, 200
    python benchmarks/figures.py --quick         # micmac at n = 30, 300 only; saves at n = 13, 200

From another benchmark: ``figures.markdown(figures.measure((30, 300), (13, 200)))``.

What is timed (wall clock, best of ``--repeat`` runs; nothing here asserts a timing):

* ``plot_micmac``: the whole call (placement of the points' labels, the
  quadrant names, the legend of codes) on an ``analyze``d random layered
  structure (``ism_health.benchmark.make("layered", n)``), codes by default
  (more than 20 factors). The goal: n = 300 within 10x n = 30 (near-linear
  placement: the labels sit in a spatial grid).
* ``figures``: the five figures of ``result.save()`` (hierarchy, micmac, IRM,
  FRM and canonical heatmaps) drawn and saved as PNG (300 dpi), SVG and PDF,
  with the largest PNG's size in megapixels (every PNG at most ``MAX_PIXELS``;
  the heatmaps at most 10 inches a side; above 100 factors a density image without names).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

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


def measure(
    micmac_sizes: tuple[int, ...] = (30, 100, 300), save_sizes: tuple[int, ...] = (13, 80, 200), repeat: int = 2
) -> dict[str, Any]:
    """``plot_micmac`` at each size (best of ``repeat``) and the five figures saved at each size; a dict."""
    micmac = {n: time_micmac(n, repeat) for n in micmac_sizes}
    saved = {n: time_figures(n) for n in save_sizes}
    return {
        "repeat": repeat,
        "micmac": micmac,
        "figures": {n: {"seconds": s, "largest png Mpx": mpx} for n, (s, mpx) in saved.items()},
        "machine": f"ism_health {ism.__version__}, matplotlib {matplotlib.__version__}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPU(s)",
    }


def markdown(res: dict[str, Any]) -> str:
    """The results of :func:`measure` as Markdown lines, with the goal of the MICMAC placement."""
    micmac, figures = res["micmac"], res["figures"]
    lines = [res["machine"], "", f"plot_micmac (codes, layered structure), best of {res['repeat']}:", ""]
    lines += [f"- n = {n}: {t:.3f} s" for n, t in micmac.items()]
    if 30 in micmac and 300 in micmac:
        lines.append(f"- n = 300 / n = 30: {micmac[300] / micmac[30]:.1f}x (goal: within 10x)")
    lines += ["", "five figures drawn and saved as PNG (300 dpi, capped in pixels), SVG and PDF:", ""]
    lines += [
        f"- n = {n}: {f['seconds']:.2f} s, largest PNG {f['largest png Mpx']:.1f} Mpx" for n, f in figures.items()
    ]
    if 13 in figures and 200 in figures:
        lines.append(f"- n = 200 / n = 13: {figures[200]['seconds'] / figures[13]['seconds']:.1f}x")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes")
    parser.add_argument("--repeat", type=int, default=2, help="runs of plot_micmac per size (best kept)")
    args = parser.parse_args()
    micmac_sizes = (30, 300) if args.quick else (30, 100, 300)
    save_sizes = (13, 200) if args.quick else (13, 80, 200)
    print(markdown(measure(micmac_sizes, save_sizes, args.repeat)))


if __name__ == "__main__":
    main()
