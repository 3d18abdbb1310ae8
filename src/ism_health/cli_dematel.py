"""``ism-health dematel``: DEMATEL tables, the cause-effect figure and the ISM of the thresholded matrix.

The lead registers it in :mod:`ism_health.cli` with :func:`add_parser` and :func:`run`
(aliases :func:`add_dematel_parser`, :func:`run_dematel`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from ._files import check_output_folder
from .dematel import NORMALIZATIONS, THRESHOLDS, dematel, dematel_tables, plot_cause_effect
from .exceptions import ISMError, ISMInputError

__all__ = ["add_parser", "run", "add_dematel_parser", "run_dematel", "write_tables"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``dematel`` command to an argparse sub-parser collection.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_dematel import add_parser
    >>> parser = argparse.ArgumentParser(prog="ism-health")
    >>> p = add_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["dematel", "m.csv", "--threshold", "mmde", "-o", "out"])
    >>> args.threshold, args.normalization, str(args.output)
    ('mmde', 'max', 'out')
    """
    p = subparsers.add_parser(
        "dematel",
        help="DEMATEL: total relation matrix, cause-effect diagram and the ISM of the thresholded matrix",
        description="DEMATEL on a direct relation matrix (CSV or XLSX: factor names in the first row and the "
        "first column, entry (i, j) = influence of row factor i on column factor j, e.g. 0-4). Writes the "
        "DEMATEL tables (CSV), cause_effect.png and, in OUT/ism, the ISM of the links above the threshold "
        "(its workbook and report carry the DEMATEL tables and diagram too).",
    )
    p.add_argument("matrix", type=Path, help="direct relation matrix (.csv or .xlsx)")
    p.add_argument("--normalization", choices=NORMALIZATIONS, default="max",
                   help="divisor: max (of the largest row and column sums; default), row, column")
    p.add_argument("--threshold", default="mean",
                   help=f"{', '.join(THRESHOLDS)} (default mean) or a number")
    p.add_argument("--at-threshold", action="store_true",
                   help="count T equal to the threshold as a link (T >= threshold; default T > threshold)")
    p.add_argument("--decimals", type=int, default=None, help="round the normalised matrix to N decimals")
    p.add_argument("-o", "--output", type=Path, required=True, help="output folder")
    p.add_argument("--force", action="store_true", help="write into OUT even when it is not empty")
    p.set_defaults(_run=run)
    return p


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write each table as ``folder/<sheet name, lower case, '_' for spaces>.csv``, formula-safe.

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> from pathlib import Path
    >>> from ism_health.cli_dematel import write_tables
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in write_tables({"DEMATEL x": pd.DataFrame({"a": ["=1+1"]}, index=["-f"])}, Path(d))]
    ...     (Path(d) / "dematel_x.csv").read_text().splitlines()
    ['dematel_x.csv']
    [',a', "'-f,'=1+1"]
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    from ._cli_matrix import write_frame_csv

    for name, frame in tables.items():
        path = folder / (name.lower().replace(" ", "_").replace("-", "_") + ".csv")
        written.append(write_frame_csv(path, frame, index=not isinstance(frame.index, pd.RangeIndex)))
    return written


def _read_matrix(path: Path) -> pd.DataFrame:
    from ._cli_matrix import read_matrix_file

    return read_matrix_file(path)


def _threshold(text: str) -> float | str:
    if text in THRESHOLDS:
        return text
    try:
        return float(text)
    except ValueError:
        raise ISMInputError(f"--threshold {text!r}: expected {', '.join(THRESHOLDS)} or a number.") from None


def _fail(err: BaseException) -> int:
    lines = str(err).splitlines() or [type(err).__name__]
    more = f" (and {len(lines) - 1} more lines)" if len(lines) > 1 else ""
    if len(lines) > 1 and isinstance(err, ISMInputError) and len(err.problems) > 1:
        first, more = f"{lines[0]} {err.problems[0]}", f" (and {len(err.problems) - 1} more problems)"
    else:
        first = lines[0]
    print(f"ism-health: error: {first}{more}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Run ``ism-health dematel``; 0 on success, 2 with a one-line message on bad input.

    Examples
    --------
    >>> import argparse
    >>> from pathlib import Path
    >>> from ism_health.cli_dematel import run
    >>> args = argparse.Namespace(matrix=Path("no-such.csv"), normalization="max", threshold="mean",
    ...                           at_threshold=False, decimals=None, output=Path("out-x"), force=False)
    >>> run(args)
    2
    """
    try:
        check_output_folder(args.output, args.force)
        frame = _read_matrix(args.matrix)
        result = dematel(frame, normalization=args.normalization, threshold=_threshold(args.threshold),
                         strict=not args.at_threshold, decimals=args.decimals)
        import matplotlib.pyplot as plt

        from .result import analyze

        out: Path = args.output
        write_tables(dematel_tables(result), out)
        fig: Any = plot_cause_effect(result).figure  # a Figure (the stubs also allow a SubFigure)
        fig.savefig(out / "cause_effect.png", dpi=200, bbox_inches="tight")
        plt.close(fig)
        ism = analyze(result.to_ssim())
        ism.save(out / "ism", force=args.force, extras=[result])  # its workbook and report carry the DEMATEL part
        (out / "summary.txt").write_text(result.summary() + "\n\n" + ism.summary() + "\n", encoding="utf-8")
    except (ISMError, OSError, ValueError) as err:
        return _fail(err)
    print(result.summary())
    print(f"written to {args.output}")
    return 0


add_dematel_parser = add_parser
run_dematel = run
