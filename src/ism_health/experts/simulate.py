"""Simulated panels: noisy experts answering about a known structure.

Useful to try an aggregation rule or an agreement threshold before the real
answers come in, and to test that a method recovers a structure it was given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._symbols import pair_codes
from ..exceptions import ISMInputError
from ..ssim import SSIM
from .panel import Panel, expert_names

__all__ = ["simulate_panel"]


def simulate_panel(
    structure: SSIM | Any,
    n_experts: int,
    error_rate: float,
    seed: int | np.random.Generator | None = None,
    *,
    labels: Sequence[str] | None = None,
    concentration: float | None = 20.0,
) -> Panel:
    """A noisy panel of experts answering about a known structure.

    Noise model: expert e has an error rate ``eps_e`` drawn from a Beta
    distribution with mean ``error_rate`` and concentration
    ``concentration`` (a = error_rate * c, b = (1 - error_rate) * c), so
    experts differ in care (``concentration=None``: every expert has exactly
    ``error_rate``). For every pair independently, expert e gives the true
    symbol with probability ``1 - eps_e`` and otherwise one of the three other
    symbols, chosen uniformly. The expected share of wrong answers is
    ``error_rate``. Experts are named ``E01``, ``E02``, ...

    Parameters
    ----------
    structure : SSIM, or 0/1 matrix (ndarray, list of lists, DataFrame)
        The true direct relations (entry (i, j) = 1 when i influences j).
    n_experts : int
        At least 1.
    error_rate : float in [0, 1]
    seed : int or numpy.random.Generator, optional
        The same seed gives the same panel.
    labels : sequence of str, optional
        Factor names for a matrix without labels.
    concentration : float > 0 or None, default 20
        How similar the experts' error rates are (larger: more similar).

    Examples
    --------
    >>> from ism_health import simulate_panel
    >>> from ism_health.datasets import load_example
    >>> truth = load_example("worked")
    >>> panel = simulate_panel(truth, n_experts=12, error_rate=0.1, seed=7)
    >>> panel
    Panel(12 experts x 28 pairs of 8 factors: 'F1', 'F2', 'F3', 'F4', ...)
    >>> panel.aggregate() == truth
    True
    >>> panel == simulate_panel(truth, 12, 0.1, seed=7)
    True
    """
    ssim = structure if isinstance(structure, SSIM) else SSIM.from_matrix(structure, labels)
    if labels is not None and isinstance(structure, SSIM):
        raise ISMInputError("labels= is for a matrix; an SSIM carries its own labels.")
    problems = []
    if isinstance(n_experts, bool) or not isinstance(n_experts, (int, np.integer)) or n_experts < 1:
        problems.append(f"n_experts={n_experts!r} is not allowed; expected an integer >= 1.")
    if (
        isinstance(error_rate, bool)
        or not isinstance(error_rate, (int, float, np.integer, np.floating))
        or not 0 <= float(error_rate) <= 1
    ):
        problems.append(f"error_rate={error_rate!r} is not allowed; expected a number in [0, 1].")
    if concentration is not None and (
        isinstance(concentration, bool)
        or not isinstance(concentration, (int, float, np.integer, np.floating))
        or not (float(concentration) > 0 and math.isfinite(float(concentration)))
    ):
        problems.append(f"concentration={concentration!r} is not allowed; expected a positive number or None.")
    if not (
        seed is None
        or isinstance(seed, np.random.Generator)
        or (isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)) and seed >= 0)
    ):
        problems.append(f"seed={seed!r} is not allowed; expected a non-negative integer, a numpy Generator or None.")
    if problems:
        raise ISMInputError(problems)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    n = ssim.n_factors
    iu, ju = np.triu_indices(n, 1)
    truth = pair_codes(ssim.adjacency, iu, ju)
    e = float(error_rate)
    if concentration is None or e in (0.0, 1.0):
        eps = np.full(n_experts, e)
    else:
        c = float(concentration)
        eps = rng.beta(e * c, (1 - e) * c, size=n_experts)
    wrong = rng.random((n_experts, len(iu))) < eps[:, None]
    shift = rng.integers(1, 4, size=(n_experts, len(iu)))
    codes = np.where(wrong, (truth[None, :] + shift) % 4, truth[None, :]).astype(np.int8)
    experts = expert_names(int(n_experts))
    seed_text = "Generator" if isinstance(seed, np.random.Generator) else repr(seed)
    src = f"simulated (error_rate={e:g}, seed={seed_text})"
    return Panel(ssim.labels, experts, codes, sources={x: src for x in experts})
