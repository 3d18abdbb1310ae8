"""``ism-health tism``: total interpretive structural modelling from an SSIM and a table of interpretations.

The lead registers it in :mod:`ism_health.cli` with :func:`add_parser` and :func:`run`
(aliases :func:`add_tism_parser`, :func:`run_tism`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ._files import check_output_folder
from .cli_dematel import _fail, write_tables
from .exceptions import ISMError, ISMInputError
from .tism import plot_tism, tism, tism_tables

__all__ = ["add_parser", "run", "add_tism_parser", "run_tism"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``tism`` command to an argparse sub-parser collection.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_tism import add_parser
    >>> parser = argparse.ArgumentParser(prog="ism-health")
    >>> p = add_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["tism", "ssim.csv", "--interpretations", "links.csv", "-o", "out"])
    >>> str(args.ssim), str(args.interpretations), args.significant
    ('ssim.csv', 'links.csv', None)
    """
    p = subparsers.add_parser(
        "tism",
        help="TISM: the ISM with an interpretation on every link and the significant transitive links",
        description="Total interpretive structural modelling. INTERPRETATIONS is a CSV or XLSX table with the "
        "columns source, target, interpretation, or the questionnaires filled with interpretations (a form written "
        "by `ism-health questionnaire --interpretations`, or a folder of them): the experts' texts on each link are "
        "merged (the distinct texts of those who answered yes, in expert order, joined by ' | '), and a text no link "
        "of the model carries is listed in 'TISM unused texts'. --significant a table with the columns source, target listing "
        "the transitive (1*) links the experts judged significant. Writes the interpretive matrix, the "
        "knowledge base, the links and the missing interpretations (CSV), tism.png, summary.txt and, in OUT/ism, "
        "the ISM bundle of the SSIM whose workbook and report carry the TISM tables (the knowledge base among them).",
    )
    p.add_argument("ssim", type=Path, help="the SSIM (.csv, .xlsx or .json, as for `analyze`)")
    p.add_argument("--interpretations", type=Path, required=True,
                   help="table of interpretations (.csv or .xlsx), or filled questionnaires (a form or a folder)")
    p.add_argument("--significant", type=Path, default=None,
                   help="table of significant transitive links (.csv or .xlsx; columns source, target)")
    p.add_argument("-o", "--output", type=Path, required=True, help="output folder")
    p.add_argument("--force", action="store_true", help="write into OUT even when it is not empty")
    p.set_defaults(_run=run)
    return p


def _read_pairs(path: Path) -> list[tuple[str, str]]:
    from ._cli_matrix import read_table_file

    frame = read_table_file(path, what="table of significant links")
    cols = {str(c).strip().lower(): c for c in frame.columns}
    if "source" not in cols or "target" not in cols:
        raise ISMInputError(f"{path}: needs the columns source and target; found {', '.join(map(str, frame.columns))}.")
    return [(str(s).strip(), str(t).strip()) for s, t in zip(frame[cols["source"]], frame[cols["target"]])]


def run(args: argparse.Namespace) -> int:
    """Run ``ism-health tism``; 0 on success, 2 with a one-line message on bad input.

    Examples
    --------
    >>> import argparse
    >>> from pathlib import Path
    >>> from ism_health.cli_tism import run
    >>> run(argparse.Namespace(ssim=Path("no-such.csv"), interpretations=Path("x.csv"), significant=None,
    ...                        output=Path("out-x"), force=False))
    2
    """
    try:
        check_output_folder(args.output, args.force)
        from .io import read_ssim

        if not Path(args.ssim).is_file():
            raise ISMInputError(f"{args.ssim} does not exist.")
        ssim = read_ssim(args.ssim)
        significant = _read_pairs(args.significant) if args.significant is not None else []
        result = tism(ssim, args.interpretations, significant_transitive=significant)
        import matplotlib.pyplot as plt

        out: Path = args.output
        write_tables(tism_tables(result), out)
        fig: Any = plot_tism(result).figure  # a Figure (the stubs also allow a SubFigure)
        fig.savefig(out / "tism.png", dpi=200, bbox_inches="tight")
        plt.close(fig)
        (out / "summary.txt").write_text(result.summary() + "\n", encoding="utf-8")
        from .result import analyze

        analyze(ssim).save(out / "ism", force=args.force, extras=[result])  # the ISM, with the knowledge base
    except (ISMError, OSError, ValueError) as err:
        return _fail(err)
    print(result.summary())
    print(f"written to {args.output}")
    return 0


add_tism_parser = add_parser
run_tism = run
