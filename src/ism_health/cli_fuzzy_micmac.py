"""``ism-health fuzzy-micmac``: fuzzy MICMAC of a fuzzy direct reachability matrix file.

Examples
--------
>>> import argparse
>>> from ism_health import cli_fuzzy_micmac
>>> parser = argparse.ArgumentParser(prog="ism-health")
>>> sub = parser.add_subparsers(dest="command")
>>> _ = cli_fuzzy_micmac.add_parser(sub)
>>> parser.parse_args(["fuzzy-micmac", "m.csv", "--diagonal", "as-given"]).diagonal
'as-given'
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .exceptions import ISMInputError

__all__ = ["add_fuzzy_micmac_parser", "add_parser", "run", "run_fuzzy_micmac"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``fuzzy-micmac`` subcommand on an argparse ``subparsers`` object.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_fuzzy_micmac import add_parser
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> add_parser(sub).prog.endswith("fuzzy-micmac")
    True
    """
    p = subparsers.add_parser(
        "fuzzy-micmac",
        help="fuzzy MICMAC of a fuzzy direct reachability matrix (CSV/XLSX)",
        description="Max-min powers of a fuzzy direct reachability matrix until stable (or a cycle is found), "
        "driving and dependence power, clusters and rankings per power.",
        epilog="examples:\n  ism-health fuzzy-micmac fuzzy.csv\n  ism-health fuzzy-micmac fuzzy.xlsx -o out/ --force",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "matrix",
        help="CSV or XLSX; labels in the header row and first column; numbers in [0, 1] "
        "or terms no / very low / low / medium / high / very high / complete",
    )
    p.add_argument("--sheet", help="worksheet name (XLSX; default the first)")
    p.add_argument("--diagonal", choices=("unit", "as-given"), default="unit")
    p.add_argument("--max-iterations", type=int, default=100)
    p.add_argument("--threshold", default="half", help="cluster boundary: half (n/2), mean, or a number")
    p.add_argument("-o", "--output", metavar="OUTDIR", help="write tables (CSV, XLSX) and figures (PNG, SVG, PDF)")
    p.add_argument("--force", action="store_true", help="write into OUTDIR even when it is not empty")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Run the command; 0 on success, 2 with a one-line message on bad input.

    Examples
    --------
    >>> import argparse, tempfile, pathlib
    >>> from ism_health.cli_fuzzy_micmac import run
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "m.csv").write_text(",A,B\\nA,0,high\\nB,low,0\\n")
    >>> run(argparse.Namespace(matrix=str(d / "m.csv"), sheet=None, diagonal="unit", max_iterations=100,
    ...                        threshold="half", output=None, force=False))  # doctest: +ELLIPSIS
    Fuzzy MICMAC of 2 factors (diagonal unit): converged, ...
    0
    """
    from ._cli_matrix import prepare_outdir, read_matrix_file, write_outputs
    from .micmac.fuzzy import fuzzy_micmac, fuzzy_micmac_tables, plot_fuzzy_micmac

    try:
        threshold: Any = args.threshold
        if threshold not in ("half", "mean"):
            try:
                threshold = float(threshold)
            except ValueError:
                raise ISMInputError(f"--threshold {args.threshold!r}: expected half, mean or a number.") from None
        out = prepare_outdir(args.output, args.force) if args.output else None
        matrix = read_matrix_file(args.matrix, args.sheet)
        result = fuzzy_micmac(matrix, diagonal=args.diagonal, max_iterations=args.max_iterations, threshold=threshold)
    except ISMInputError as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    print(result.summary())
    if out is not None:
        files = write_outputs(
            out,
            "fuzzy_micmac",
            fuzzy_micmac_tables(result),
            {"fuzzy_micmac": lambda ax: plot_fuzzy_micmac(result, ax=ax)},
        )
        print(f"wrote {len(files)} files to {out}")
    return 0


add_fuzzy_micmac_parser = add_parser
run_fuzzy_micmac = run
