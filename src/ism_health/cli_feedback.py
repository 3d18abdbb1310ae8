"""``ism-health feedback``: Delphi round two: the feedback forms, and what changed between the rounds.

Examples
--------
>>> import argparse
>>> from ism_health import cli_feedback
>>> sub = argparse.ArgumentParser(prog="ism-health").add_subparsers(dest="command")
>>> args = cli_feedback.add_parser(sub).parse_args(["round1/", "--compare", "round2/"])
>>> [str(p) for p in args.forms], [str(p) for p in args.compare]
(['round1'], ['round2'])
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ._files import check_output_folder
from .exceptions import ISMInputError

__all__ = ["add_parser", "run", "add_feedback_parser", "run_feedback"]

EPILOG = """examples:
  ism-health feedback round1/ -o round2/
        one round-two form per expert: each pair with the panel's answers, its decision and the expert's
        own first answer, filled in to keep or revise
  ism-health feedback round1/ --compare round2/
        answers changed per expert and per pair, decisions changed, agreement of each round
  ism-health feedback round1/ --compare round2/ -o comparison/      ... and write the tables (CSV, XLSX)

then: ism-health panel round2/ -o results/     the analysis of round two
"""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``feedback`` subcommand on an argparse ``subparsers`` object.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_feedback import add_parser
    >>> add_parser(argparse.ArgumentParser().add_subparsers()).prog.endswith("feedback")
    True
    """
    from .cli_panel import add_aggregation_options

    p = subparsers.add_parser(
        "feedback",
        help="Delphi round two: write the feedback forms, or compare two rounds",
        description="With -o FOLDER: read the round-one forms and write one round-two form per expert showing, for "
        "each pair, the panel's answers, its decision and the expert's own first answer (filled in, to keep or "
        "revise). With --compare ROUND2: report the answers changed per expert and per pair, the decisions that "
        "changed and the agreement of each round (and write the tables with -o).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("forms", nargs="+", type=Path, help="round-one forms (.xlsx, .xlsm) or folders of them")
    p.add_argument("--compare", nargs="+", type=Path, default=None, metavar="ROUND2",
                   help="round-two forms or folders: compare the rounds instead of writing forms")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="FOLDER",
                   help="where the round-two forms (or, with --compare, the comparison tables) go")
    add_aggregation_options(p)
    p.add_argument("--relation", default=None, help="the relation phrase of round one (default: the language's)")
    p.add_argument("--seed", type=int, default=None, help="shuffle the pairs per expert with this seed")
    p.add_argument("--language", default="en", help="language of the forms' texts: en (default) or de")
    p.add_argument("--force", action="store_true", help="overwrite existing forms or tables")
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Write the round-two forms or compare two rounds; 0 on success.

    Examples
    --------
    >>> import contextlib, io, tempfile, pathlib
    >>> from ism_health.cli import main
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err):
    ...     code = main(["feedback", str(pathlib.Path(tempfile.mkdtemp()))])
    >>> code, err.getvalue()
    (2, 'ism-health: error: give -o FOLDER for the round-two forms, or --compare ROUND2 to compare two rounds.\\n')
    """
    from .cli_panel import _write_csv, aggregation_options
    from .experts import compare_rounds, read_panel, write_feedback_forms

    if args.compare is None and args.output is None:
        raise ISMInputError("give -o FOLDER for the round-two forms, or --compare ROUND2 to compare two rounds.")
    options = aggregation_options(args)
    round1 = read_panel([str(f) for f in args.forms], factors=args.factors, missing=args.missing)
    if args.compare is None:
        paths = write_feedback_forms(round1, args.output, factors=args.factors and _factors(args.factors),
                                     relation=args.relation, seed=args.seed, language=args.language,
                                     overwrite=args.force, **options)
        print(f"wrote {len(paths)} round-two forms to {args.output} ({round1.n_factors} factors, "
              f"{round1.n_pairs} pairs each) and README_facilitator.txt")
        return 0
    round2 = read_panel([str(f) for f in args.compare], factors=args.factors, missing=args.missing)
    comparison = compare_rounds(round1, round2, low=args.low, **options)
    print(comparison.summary())
    if args.output is not None:
        out: Path = check_output_folder(args.output, args.force)
        out.mkdir(parents=True, exist_ok=True)
        tables = comparison.tables()
        for name, frame in tables.items():
            _write_csv(frame, out / f"rounds_{name}.csv")
        _write_workbook(tables, out / "rounds.xlsx")
        print(f"\nWrote {len(tables) + 1} files to {out}: rounds.xlsx and rounds_<table>.csv")
    return 0


def _factors(path: str) -> Any:
    from .experts import read_factors

    return read_factors(path)


def _write_workbook(tables: dict[str, Any], path: Path) -> Path:
    from openpyxl import Workbook

    from ._files import write_frame_to_sheet

    wb = Workbook()
    wb.remove(wb.active)
    titles = {"agreement": "Agreement", "per_expert": "Experts", "per_pair": "Pairs", "changes": "Changes"}
    for name, frame in tables.items():
        write_frame_to_sheet(wb.create_sheet(titles.get(name, name[:31])), frame, index=False)
    wb.save(path)
    return path


add_feedback_parser = add_parser
run_feedback = run
