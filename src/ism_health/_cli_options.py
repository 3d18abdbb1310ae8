"""Options and checks shared by the core commands of :mod:`ism_health.cli` and the subcommand modules
(``cli_<name>.py``): the analysis options, the output-folder check and the short summary a command prints.

The subcommand modules import from here, never from :mod:`ism_health.cli` (which loads them), so the
command line has no import running back up.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ._files import check_output_folder
from .bundle import check_formats, formats_help
from .exceptions import ISMInputError
from .micmac import CLUSTERS, QUADRANTS

__all__ = ["short_summary"]


def _threshold(text: str) -> Any:
    if text in ("half", "mean"):
        return text
    try:
        if "," in text:
            x, y = (float(v) for v in text.split(","))
            return [x, y]
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected 'half', 'mean', a number or two numbers 'dependence,driving'; got {text!r}"
        ) from None


def _analysis_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--micmac-threshold", type=_threshold, default="half", metavar="T",
                   help="MICMAC boundaries: 'half' (n/2, default), 'mean', a number, or 'dependence,driving'")
    p.add_argument("--on-boundary", choices=["low", "high"], default="low",
                   help="where a power exactly on a boundary goes (default low; always flagged)")
    p.add_argument("-o", "--output", metavar="OUTDIR", type=Path,
                   help="write the bundle (tables, figures, report) into this FOLDER (created if missing)")
    p.add_argument("--formats", default=None, metavar="LIST", help=formats_help())
    p.add_argument("--force", action="store_true", help="write into OUTDIR even when it is not empty")
    p.add_argument("--title", default=None, help="the report's title (default: 'ISM analysis of N factors')")
    p.add_argument("--no-titles", action="store_true",
                   help="draw the figures without titles (captions go in the paper)")


def short_summary(result: Any) -> str:
    """Levels, cycles and MICMAC clusters in a few lines (what the command prints).

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.cli import short_summary
    >>> print(short_summary(analyze(load_example("worked"))))  # doctest: +ELLIPSIS
    ISM analysis of 8 factors: 5 levels, 1 cycle(s)
    Levels (1 = top of the hierarchy):
      1  F6
      2  F4, F5, F8
    ...
    """
    levels = result.levels
    lines = [f"ISM analysis of {result.ssim.n} factors: {int(levels.max())} levels, {len(result.cycles)} cycle(s)",
             "Levels (1 = top of the hierarchy):"]
    for lv in sorted(set(levels)):
        lines.append(f"  {int(lv)}  {', '.join(levels.index[levels == lv])}")
    lines.append("Cycles: " + ("; ".join(" + ".join(c) for c in result.cycles) if result.cycles else "none"))
    p = result.params
    lines.append(f"MICMAC clusters (boundaries: dependence {float(p['dependence_boundary']):g}, "
                 f"driving {float(p['driving_boundary']):g}):")
    m = result.micmac
    for name, quadrant in zip(CLUSTERS, QUADRANTS):
        members = list(m.index[m.cluster == name])
        lines.append(f"  {quadrant:<3} {name:<12} {', '.join(members) if members else '-'}")
    return "\n".join(lines)


#: Suffixes that make ``-o`` look like a file, not a folder.
_FILE_SUFFIXES = frozenset({".html", ".htm", ".xlsx", ".xls", ".csv", ".json", ".pdf", ".png", ".svg", ".tex", ".md",
                            ".txt", ".zip", ".docx", ".graphml", ".dot"})


def _check_output(args: argparse.Namespace) -> None:
    """Refuse a non-empty output folder (before any work), unless --force."""
    out = getattr(args, "output", None)
    if out is None:
        return
    if not out.exists() and out.suffix and out.suffix.lower() in _FILE_SUFFIXES:
        raise ISMInputError(
            f"-o takes a folder, and {str(out)!r} looks like a file name; give a folder, e.g. "
            f"-o {str(out.with_suffix('')) or 'results'}/ (report.html and the other files are written inside it)."
        )
    check_output_folder(out, args.force)
    if args.formats is not None:
        check_formats(args.formats)
