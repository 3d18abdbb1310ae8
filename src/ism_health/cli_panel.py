"""``ism-health panel``: filled forms in, the aggregated SSIM, the panel's tables and the whole analysis out.

Examples
--------
>>> import argparse
>>> from ism_health import cli_panel
>>> sub = argparse.ArgumentParser(prog="ism-health").add_subparsers(dest="command")
>>> args = cli_panel.add_parser(sub).parse_args(["forms/", "-o", "out/", "--missing", "drop-pair"])
>>> args.missing, args.rule
('drop-pair', 'threshold')
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from .exceptions import ISMInputError

__all__ = ["add_parser", "run", "add_panel_parser", "run_panel", "add_aggregation_options", "aggregation_options",
           "read_weights"]

EPILOG = """examples:
  ism-health panel forms/ -o results/
        every .xlsx/.xlsm form in forms/ -> results/: aggregated_ssim.csv/.xlsx, panel_answers.csv,
        the workbook, CSV files and report.html with the panel's sheets and section
  ism-health panel forms/ -o results/ --missing drop-pair      a blank pair is decided by those who answered it
  ism-health panel forms/ -o results/ --missing drop-expert    an expert who left pairs blank is left out
  ism-health panel E01.xlsx E02.xlsx E03.xlsx --rule mode --ties conservative
  ism-health panel forms/ -o results/ --weights weights.csv    (columns expert, weight)

exit codes: 0 ok, 2 bad input (one message naming the file, sheet, cell, expert and pair).
"""


def add_aggregation_options(p: argparse.ArgumentParser) -> None:
    """The options of :meth:`Panel.aggregate` and :func:`read_panel` as command-line flags.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_panel import add_aggregation_options
    >>> p = argparse.ArgumentParser()
    >>> add_aggregation_options(p)
    >>> p.parse_args(["--rule", "mode", "--ties", "liberal"]).ties
    'liberal'
    """
    from .experts.aggregate import RULES, TIES
    from .experts.forms import MISSING_POLICIES

    p.add_argument("--rule", choices=list(RULES), default="threshold",
                   help="aggregation rule (default threshold: a direction holds when more than --threshold of the "
                   "experts assert it)")
    p.add_argument("--threshold", type=float, default=0.5, help="share for --rule threshold (default 0.5)")
    p.add_argument("--non-strict", action="store_true",
                   help="--rule threshold: a share equal to the threshold is enough (default: it must exceed it)")
    p.add_argument("--ties", choices=list(TIES), default="raise",
                   help="--rule mode: refuse ties (raise, default), keep the directions every tied symbol asserts "
                   "(conservative) or any asserts (liberal)")
    p.add_argument("--weights", type=Path, default=None, metavar="FILE",
                   help="expert weights: CSV or XLSX with columns expert, weight")
    p.add_argument("--missing", choices=list(MISSING_POLICIES), default="error",
                   help="a pair an expert left blank: error (default), drop-pair (decided by those who answered), "
                   "drop-expert (leave the expert out)")
    p.add_argument("--low", type=float, default=0.5, help="pair agreement below which a pair is flagged (default 0.5)")
    p.add_argument("--factors", default=None, metavar="FILE",
                   help="the factor list the forms must have been written for (default: that of the first form)")


def read_weights(path: Path) -> dict[str, float]:
    """Expert weights from a CSV or XLSX file with columns ``expert`` and ``weight``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health.cli_panel import read_weights
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "w.csv"
    >>> _ = f.write_text("expert,weight\\nE01,2\\nE02,1.5\\n", encoding="utf-8")
    >>> read_weights(f)
    {'E01': 2.0, 'E02': 1.5}
    """
    import pandas as pd

    source = str(path)
    if not path.is_file():
        raise ISMInputError("no such file; expected a CSV or XLSX file with columns expert, weight.", source=source)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str).fillna("")
        else:
            raise ISMInputError(f"unknown file type {suffix!r}; expected .csv or .xlsx.", source=source)
    except ISMInputError:
        raise
    except Exception as exc:  # pandas and openpyxl raise many types for a damaged file
        raise ISMInputError(f"cannot be read as a table ({type(exc).__name__}: {exc}).", source=source) from None
    cols = {str(c).strip().lower(): c for c in frame.columns}
    if "expert" not in cols or "weight" not in cols:
        raise ISMInputError(f"needs columns 'expert' and 'weight'; got {list(frame.columns)}.", source=source)
    out: dict[str, float] = {}
    problems = []
    for k, (e, w) in enumerate(zip(frame[cols["expert"]], frame[cols["weight"]]), start=2):
        e = str(e).strip()
        try:
            value = float(str(w).strip())
        except ValueError:
            value = math.nan
        if not e:
            problems.append(f"row {k}: the expert is blank; expected an expert ID.")
        elif e in out:
            problems.append(f"row {k}: expert {e!r} is listed twice; expected one weight per expert.")
        elif not math.isfinite(value) or value <= 0:
            problems.append(f"row {k}, expert {e!r}: weight {str(w)!r}; expected a positive number.")
        else:
            out[e] = value
    if problems:
        raise ISMInputError(problems, source=source)
    return out


def aggregation_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of :meth:`Panel.aggregate` from parsed flags (weights read from their file).

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_panel import add_aggregation_options, aggregation_options
    >>> p = argparse.ArgumentParser()
    >>> add_aggregation_options(p)
    >>> aggregation_options(p.parse_args(["--non-strict"]))
    {'rule': 'threshold', 'threshold': 0.5, 'strict': False, 'ties': 'raise', 'weights': None}
    """
    return {"rule": args.rule, "threshold": args.threshold, "strict": not args.non_strict, "ties": args.ties,
            "weights": read_weights(args.weights) if args.weights is not None else None}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``panel`` subcommand on an argparse ``subparsers`` object.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_panel import add_parser
    >>> add_parser(argparse.ArgumentParser().add_subparsers()).prog.endswith("panel")
    True
    """
    from ._cli_options import _analysis_options

    p = subparsers.add_parser(
        "panel",
        help="read the filled forms, aggregate them and write the panel's tables and the whole analysis",
        description="Read filled questionnaires (files or folders), aggregate them into one SSIM by a stated rule, "
        "and print the panel's agreement and the analysis. With -o OUTDIR: the aggregated SSIM (CSV and XLSX), "
        "every answer (panel_answers.csv), and the analysis bundle, whose workbook, CSV files and report.html "
        "include the panel's votes, decisions and ties, agreement, per-expert agreement, contradictions and cycles.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("forms", nargs="+", type=Path, help="filled forms (.xlsx, .xlsm) or folders of them")
    add_aggregation_options(p)
    _analysis_options(p)
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Read, aggregate, analyse, write; 0 on success (bad input raises ISMInputError: exit 2 through ``ism-health``).

    Examples
    --------
    >>> import contextlib, io, tempfile, pathlib
    >>> from ism_health.cli import main
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err):
    ...     code = main(["panel", str(folder)])
    >>> code, err.getvalue().endswith(": no .xlsx or .xlsm forms in this folder; expected filled questionnaires.\\n")
    (2, True)
    """
    from ._cli_options import _check_output, short_summary
    from .experts import read_panel
    from .io import write_ssim

    _check_output(args)
    options = aggregation_options(args)
    forms = [str(f) for f in args.forms]
    panel = read_panel(forms, factors=args.factors, missing=args.missing)
    result = panel.analyze(**options, low=args.low, micmac_threshold=args.micmac_threshold,
                           on_boundary=args.on_boundary)
    print(result.panel.summary())
    print()
    print(short_summary(result))
    if args.output is None:
        return 0
    out: Path = args.output
    files = list(result.save(out, formats=args.formats, force=args.force))
    ssim = result.ssim
    for suffix in (".csv", ".xlsx"):
        path = out / f"aggregated_ssim{suffix}"
        write_ssim(ssim, path)
        files.append(path)
    answers = out / "panel_answers.csv"
    _write_csv(panel.to_long(), answers)
    files.append(answers)
    print(f"\nWrote {len(files)} files to {out}: aggregated_ssim.csv, aggregated_ssim.xlsx, panel_answers.csv and the "
          f"analysis with the panel's tables; open {out / 'report.html'}")
    return 0


def _write_csv(frame: Any, path: Path) -> Path:
    """A table as UTF-8 CSV, every text cell formula-safe."""
    import csv

    from ._files import csv_safe

    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([csv_safe(str(c)) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            writer.writerow([csv_safe(v) for v in row])
    return path


add_panel_parser = add_parser
run_panel = run
