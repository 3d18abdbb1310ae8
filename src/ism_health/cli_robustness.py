"""The ``ism-health robustness`` subcommand: resample the panel of filled questionnaires, write tables and figures.

Registration (in ``cli.py``)::

    from . import cli_robustness
    register_command("robustness", help=cli_robustness.HELP, run=cli_robustness.run,
                     description=cli_robustness.DESCRIPTION, epilog=cli_robustness.EPILOG)(cli_robustness.setup)

or, with a plain ``argparse`` sub-parser set, ``cli_robustness.add_parser(subparsers)``.

Writes into OUT: ``robustness.xlsx`` (one sheet per table), one CSV per table
(formula-safe: a cell starting with ``=``, ``+``, ``-``, ``@`` ... is prefixed
with ``'``), ``summary.txt`` and the figures ``level_stability.png``,
``micmac_cloud.png`` and ``edge_frequencies.png``. Exit codes: 0 ok, 2 bad
input (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ._files import check_output_folder
from .exceptions import ISMError, ISMInputError

__all__ = ["HELP", "DESCRIPTION", "EPILOG", "setup", "add_parser", "run"]

HELP = "how stable the hierarchy is over resampled panels (bootstrap or jackknife of the experts)"
DESCRIPTION = (
    "Read filled questionnaires (files or folders of .xlsx), resample the experts (bootstrap with replacement, "
    "or leave one out), re-run the aggregation and the ISM analysis for every resample, and write how often each "
    "factor lands on each level and cluster, the driving/dependence intervals, the precedence shares and the "
    "frequency of each link of the ISM digraph."
)
EPILOG = """examples:
  ism-health robustness forms/ --resamples 10000 --seed 1 -o robustness/
  ism-health robustness forms/ --method jackknife -o jackknife/ --force
  ism-health robustness forms/ --seed 1 --ism -o out/      (adds out/ism/: the ISM bundle with this result in it)
  ism-health robustness a.xlsx b.xlsx c.xlsx --rule mode --ties conservative --seed 7 -o out/

exit codes: 0 ok, 2 bad input or usage.
"""

_FIGURES = ("level_stability", "micmac_cloud", "edge_frequencies")


def _micmac_threshold(text: str) -> Any:
    if text in ("half", "mean"):
        return text
    try:
        if "," in text:
            x, y = (float(v) for v in text.split(","))
            return (x, y)
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected 'half', 'mean', a number or two numbers 'dependence,driving'; got {text!r}"
        ) from None


def setup(p: argparse.ArgumentParser) -> None:
    """Add the subcommand's arguments to ``p``.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_robustness import setup
    >>> p = argparse.ArgumentParser()
    >>> setup(p)
    >>> p.parse_args(["forms", "-o", "out", "--seed", "3"]).resamples
    1000
    """
    p.add_argument(
        "forms", nargs="+", type=Path, metavar="FORMS", help="filled questionnaires (.xlsx) or folders of them"
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT", help="folder for tables and figures")
    p.add_argument(
        "--method",
        choices=["bootstrap", "jackknife"],
        default="bootstrap",
        help="bootstrap (default): experts drawn with replacement; jackknife: each expert left out once",
    )
    p.add_argument("--resamples", type=int, default=1000, metavar="N", help="bootstrap resamples (default 1000)")
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="S",
        help="seed of the draws (default: fresh; the seed used is printed and saved)",
    )
    p.add_argument(
        "--rule",
        choices=["threshold", "mode", "unanimity"],
        default="threshold",
        help="aggregation rule, as Panel.aggregate (default threshold)",
    )
    p.add_argument("--threshold", type=float, default=0.5, help="for --rule threshold (default 0.5)")
    p.add_argument("--not-strict", action="store_true", help="a share equal to the threshold is asserted")
    p.add_argument(
        "--ties",
        choices=["raise", "conservative", "liberal"],
        default="raise",
        help="for --rule mode (resampled panels often tie: choose conservative or liberal)",
    )
    p.add_argument(
        "--micmac-threshold",
        type=_micmac_threshold,
        default="half",
        metavar="T",
        help="MICMAC boundaries: 'half' (default), 'mean', a number, or 'dependence,driving'",
    )
    p.add_argument(
        "--on-boundary",
        choices=["low", "high"],
        default="low",
        help="where a power exactly on a boundary goes (default low)",
    )
    p.add_argument("--progress", action="store_true", help="show a progress bar (needs tqdm)")
    p.add_argument(
        "--ism",
        action="store_true",
        help="also write OUT/ism/: the ISM bundle of the whole panel (aggregated by the same rule), with the "
        "robustness tables, figures and report section in it",
    )
    p.add_argument("--force", action="store_true", help="write into OUT even when it is not empty")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``robustness`` to an ``argparse`` sub-parser set; its default ``func`` is :func:`run`.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_robustness import add_parser
    >>> top = argparse.ArgumentParser(prog="ism-health")
    >>> p = add_parser(top.add_subparsers(dest="command"))
    >>> top.parse_args(["robustness", "forms", "-o", "out", "--method", "jackknife"]).method
    'jackknife'
    """
    p = subparsers.add_parser(
        "robustness",
        help=HELP,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    setup(p)
    p.set_defaults(func=run)
    return p


def _forms(paths: list[Path]) -> Any:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(f for f in path.glob("*.xlsx") if not f.name.startswith("~$"))
            if not found:
                raise ISMInputError(f"{path}: no filled questionnaires (.xlsx) in this folder.")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise ISMInputError(f"{path}: no such file or folder.")
    return files


def _write_csv(frame: pd.DataFrame, path: Path, index: bool) -> None:
    from ._cli_matrix import write_frame_csv

    write_frame_csv(path, frame, index=index)


def run(args: argparse.Namespace) -> int:
    """Run ``ism-health robustness``; returns the exit code (0 ok, 2 bad input, one line on stderr).

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_robustness import run, setup
    >>> p = argparse.ArgumentParser()
    >>> setup(p)
    >>> run(p.parse_args(["no/such/folder", "-o", "out"]))
    2
    """
    try:
        return _run(args)
    except (ISMError, OSError) as err:
        text = " ".join(str(err).split())
        print(f"ism-health robustness: error: {text}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from .experts import read_panel
    from .experts.robustness import robustness, robustness_tables
    from .robustness_plots import plot_edge_frequencies, plot_level_stability, plot_micmac_cloud

    out: Path = check_output_folder(args.output, args.force)
    panel = read_panel(_forms(list(args.forms)))
    result = robustness(
        panel,
        method=args.method,
        n_resamples=args.resamples,
        seed=args.seed,
        rule=args.rule,
        threshold=args.threshold,
        strict=not args.not_strict,
        ties=args.ties,
        micmac_threshold=args.micmac_threshold,
        on_boundary=args.on_boundary,
        progress=args.progress,
    )
    ism = None
    if getattr(args, "ism", False):
        from .result import analyze

        ssim = panel.aggregate(args.rule, threshold=args.threshold, strict=not args.not_strict, ties=args.ties)
        ism = analyze(ssim, micmac_threshold=args.micmac_threshold, on_boundary=args.on_boundary)
    out.mkdir(parents=True, exist_ok=True)
    tables = robustness_tables(result)
    for name, frame in tables.items():
        _write_csv(frame, out / f"{name}.csv", not isinstance(frame.index, pd.RangeIndex))
    result.to_excel(out / "robustness.xlsx")  # a Summary sheet, then one sheet per table; same run, same bytes
    summary = result.summary()
    (out / "summary.txt").write_text(summary + "\n", encoding="utf-8")
    import matplotlib.pyplot as plt

    from .plotting import save_figure

    plots: tuple[Callable[..., Any], ...] = (plot_level_stability, plot_micmac_cloud, plot_edge_frequencies)
    for name, plot in zip(_FIGURES, plots):
        ax = plot(result)
        save_figure(ax, out / f"{name}.png", dpi=120)  # the package's journal settings
        plt.close(ax.figure)
    n_files = len(tables) + 2 + len(_FIGURES)
    if ism is not None:
        n_files += len(ism.save(out / "ism", force=args.force, extras=[result]))
    print(summary)
    print(f"\nwrote {n_files} files to {out}")
    return 0
