"""``ism-health godet``: Godet's MICMAC of a matrix of direct influences (0-3 and P) file.

Examples
--------
>>> import argparse
>>> from ism_health import cli_godet
>>> parser = argparse.ArgumentParser(prog="ism-health")
>>> sub = parser.add_subparsers(dest="command")
>>> _ = cli_godet.add_parser(sub)
>>> parser.parse_args(["godet", "mdi.csv", "--max-power", "40"]).max_power
40
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .exceptions import ISMInputError

__all__ = ["add_godet_parser", "add_parser", "run", "run_godet"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``godet`` subcommand on an argparse ``subparsers`` object.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_godet import add_parser
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> add_parser(sub).prog.endswith("godet")
    True
    """
    p = subparsers.add_parser(
        "godet",
        help="Godet's MICMAC of a matrix of direct influences 0-3 / P (CSV/XLSX)",
        description="Direct, indirect (stable power of M^k, exact integers) and potential influence and dependence "
        "rankings, displacement and sectors.",
        epilog="examples:\n  ism-health godet mdi.csv\n  ism-health godet mdi.xlsx --potential mpdi.xlsx -o out/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("matrix", help="CSV or XLSX; labels in the header row and first column; cells 0-3 or P")
    p.add_argument("--sheet", help="worksheet name (XLSX; default the first)")
    p.add_argument("--potential", help="optional second matrix file marking potential links (P or non-zero)")
    p.add_argument("--max-power", type=int, default=None, help="highest power examined (default max(4n, 30) + 3)")
    p.add_argument("--max-intensity", type=int, default=3, help="top of the intensity scale (default 3)")
    p.add_argument("-o", "--output", metavar="OUTDIR", help="write tables (CSV, XLSX) and figures (PNG, SVG, PDF)")
    p.add_argument("--force", action="store_true", help="write into OUTDIR even when it is not empty")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Run the command; 0 on success, 2 with a one-line message on bad input.

    Examples
    --------
    >>> import argparse, tempfile, pathlib
    >>> from ism_health.cli_godet import run
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "m.csv").write_text(",A,B,C\\nA,0,3,1\\nB,1,0,2\\nC,2,P,0\\n")
    >>> run(argparse.Namespace(matrix=str(d / "m.csv"), sheet=None, potential=None, max_power=None,
    ...                        max_intensity=3, output=None, force=False))  # doctest: +ELLIPSIS
    Godet MICMAC of 3 variables: rankings stable from M^3 ...
    0
    """
    from ._cli_matrix import prepare_outdir, read_matrix_file, write_outputs
    from .micmac.godet import godet_micmac, godet_tables, plot_displacement, plot_godet_map

    try:
        out = prepare_outdir(args.output, args.force) if args.output else None
        matrix = read_matrix_file(args.matrix, args.sheet)
        potential = read_matrix_file(args.potential, args.sheet) if args.potential else None
        result = godet_micmac(matrix, potential=potential, max_power=args.max_power, max_intensity=args.max_intensity)
    except ISMInputError as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    print(result.summary())
    if out is not None:
        files = write_outputs(
            out,
            "godet_micmac",
            godet_tables(result),
            {
                "godet_map": lambda ax: plot_godet_map(result, ax=ax),
                "godet_displacement": lambda ax: plot_displacement(result, ax=ax),
            },
        )
        print(f"wrote {len(files)} files to {out}")
    return 0


add_godet_parser = add_parser
run_godet = run
