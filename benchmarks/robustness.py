"""Benchmark of :func:`ism_health.experts.robustness.robustness` against the plain loop it replaces.

Usage (from the repository root, with ``PYTHONPATH=src`` or after ``pip install -e .``)::

    python benchmarks/robustness.py                     # 10,000 resamples, 12 experts, 80 factors
    python benchmarks/robustness.py --resamples 2000 --factors 40 --loop 100

What is timed (wall clock, one run each; nothing here asserts a timing):

* ``robustness``: ``robustness(panel, n_resamples=N, seed=1)`` (numpy backend):
  every resample aggregated, closed, levelled and placed in MICMAC clusters,
  with the frequency tables built.
* the loop: for each of the first ``--loop`` resamples (the same draws),
  ``Panel(...)`` of the drawn experts, ``panel.aggregate()`` and
  ``ism.analyze(ssim)`` with its levels, MICMAC table and digraph read. The
  loop is timed on that subset only and EXTRAPOLATED linearly to N resamples
  (it is stated so in the output).

The panel: ``simulate_panel`` of a random acyclic structure of ``--factors``
factors (``ism_health.benchmark.make("dag", n)``), ``--experts`` experts,
error rate 0.15.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

import ism_health as ism
from ism_health import benchmark
from ism_health.experts import robustness as rb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=10_000)
    parser.add_argument("--experts", type=int, default=12)
    parser.add_argument("--factors", type=int, default=80)
    parser.add_argument("--loop", type=int, default=200, help="resamples timed in the plain loop (then extrapolated)")
    args = parser.parse_args()

    n, e = args.factors, args.experts
    structure = ism.SSIM([f"F{k}" for k in range(1, n + 1)], benchmark.make("dag", n, seed=0))
    panel = ism.simulate_panel(structure, n_experts=e, error_rate=0.15, seed=1)

    t0 = time.perf_counter()
    res = rb.robustness(panel, n_resamples=args.resamples, seed=1)
    _ = rb.robustness_tables(res)
    t_fast = time.perf_counter() - t0

    idx = np.random.default_rng(1).integers(0, e, size=(args.resamples, e), dtype=np.int32)[: args.loop]
    t0 = time.perf_counter()
    for row in idx:
        sub = ism.Panel(panel.labels, [f"{panel.experts[i]}#{k}" for k, i in enumerate(row)], panel.codes[row])
        result = ism.analyze(sub.aggregate())
        _ = (result.levels, result.micmac, result.digraph)
    t_loop = time.perf_counter() - t0
    t_loop_all = t_loop / len(idx) * args.resamples

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"panel: {e} experts x {n} factors; {args.resamples:,} bootstrap resamples")
    print(f"robustness (numpy backend):     {t_fast:8.2f} s  ({t_fast / args.resamples * 1e3:.3f} ms per resample)")
    print(
        f"loop aggregate + analyze:       {t_loop:8.2f} s for {len(idx)} resamples "
        f"({t_loop / len(idx) * 1e3:.2f} ms per resample)"
    )
    print(f"loop extrapolated to {args.resamples:,}:   {t_loop_all:8.1f} s (linear extrapolation from {len(idx)})")
    print(f"ratio loop / robustness:        {t_loop_all / t_fast:8.0f} x")


if __name__ == "__main__":
    main()
