"""``ism-health questionnaire``: the experts' Excel forms, one per expert into a folder, or a single form.

Examples
--------
>>> import argparse
>>> from ism_health import cli_questionnaire
>>> sub = argparse.ArgumentParser(prog="ism-health").add_subparsers(dest="command")
>>> p = cli_questionnaire.add_parser(sub)
>>> p.parse_args(["builtin:categories", "-o", "forms/", "--n-experts", "12"]).n_experts
12
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .exceptions import ISMInputError

__all__ = ["add_parser", "run", "add_questionnaire_parser", "run_questionnaire", "read_texts"]

EPILOG = """examples:
  ism-health questionnaire factors.csv -o forms/ --n-experts 12 --seed 1
        one form per expert (E01.xlsx ... E12.xlsx, ID filled in, pairs shuffled per expert)
        and README_facilitator.txt
  ism-health questionnaire builtin:categories -o forms/ --experts ann,bob,cy --language de
  ism-health questionnaire factors.csv -o form.xlsx --style matrix --relation "leads to"
        a single form (an existing file is never overwritten without --force)
  ism-health questionnaire factors.csv -o forms/ --n-experts 8 --answers yes_no --interpretations
        TISM forms: every "yes" also asks how / why (one text cell per direction of each pair)

then: the experts fill the forms in; collect them in one folder and run
  ism-health panel forms/ -o results/
and, for TISM, with the panel's SSIM:
  ism-health tism results/aggregated_ssim.csv --interpretations forms/ -o tism/
"""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``questionnaire`` subcommand on an argparse ``subparsers`` object.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_questionnaire import add_parser
    >>> add_parser(argparse.ArgumentParser().add_subparsers()).prog.endswith("questionnaire")
    True
    """
    p = subparsers.add_parser(
        "questionnaire",
        help="write the experts' Excel forms (one per expert into a folder, or one form)",
        description="Write Excel questionnaires from a factor list: a CSV or XLSX file with a column 'label' "
        "(optionally 'code', 'description'), or builtin:categories / builtin:subcategories. With -o FOLDER and "
        "--experts or --n-experts: one form per expert with the ID filled in, and a note for the facilitator; "
        "with -o FILE.xlsx: one form.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("factors", help="factor list (CSV/XLSX with label[, code][, description]) or builtin:categories")
    p.add_argument("-o", "--output", required=True, type=Path,
                   help="a folder (one form per expert) or a .xlsx file (one form)")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--experts", default=None, metavar="IDS", help="comma-separated expert IDs: E01,E02,...")
    who.add_argument("--n-experts", type=int, default=None, metavar="N", help="N experts, IDs E01 ... EN")
    p.add_argument("--expert", default=None, help="pre-fill the expert ID of a single form")
    p.add_argument("--relation", default=None, help="the contextual relation phrase (default: 'influences', or the "
                   "language's)")
    p.add_argument("--style", choices=["pairs", "matrix"], default="pairs", help="one row per pair, or a matrix")
    p.add_argument("--answers", choices=["symbols", "yes_no"], default="symbols",
                   help="V/A/X/O, or two yes/no questions per pair")
    p.add_argument("--seed", type=int, default=None, help="shuffle the pair order with this seed (per expert)")
    p.add_argument("--language", default="en", help="language of the form's texts: en (default) or de")
    p.add_argument("--texts", type=Path, default=None, metavar="FILE",
                   help="your own texts: a JSON object or a CSV with columns key,text (keys as in "
                   "ism_health.experts.texts.LANGUAGES['en'])")
    p.add_argument("--title", default=None, help="the form's title")
    p.add_argument("--no-comments", action="store_true", help="leave out the comment column")
    p.add_argument("--interpretations", action="store_true",
                   help="TISM: ask how / why for every link answered (a text cell per direction of each pair; "
                   "read back by `ism-health tism --interpretations FORMS`)")
    p.add_argument("--force", action="store_true", help="overwrite existing forms")
    p.set_defaults(run=run)
    return p


def read_texts(path: Path) -> dict[str, str]:
    """Read replacement texts: a JSON object, or a CSV with columns ``key`` and ``text``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health.cli_questionnaire import read_texts
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_text("key,text\\ntitle,Panel on data sharing\\n", encoding="utf-8")
    >>> read_texts(f)
    {'title': 'Panel on data sharing'}
    """
    if not path.is_file():
        raise ISMInputError("no such file; expected a JSON or CSV file of texts.", source=str(path))
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ISMInputError(f"is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8.",
                            source=str(path)) from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, RecursionError, ValueError) as exc:
            raise ISMInputError(f"is not valid JSON ({exc}).", source=str(path)) from None
        if not isinstance(data, dict):
            raise ISMInputError(f"holds a JSON {type(data).__name__}; expected an object of key: text.",
                                source=str(path))
        return {str(k): v for k, v in data.items()}
    if path.suffix.lower() == ".csv":
        import csv

        rows = list(csv.reader(raw.splitlines()))
        if not rows or [c.strip().lower() for c in rows[0][:2]] != ["key", "text"]:
            raise ISMInputError("expected a header row 'key,text'.", source=str(path))
        out: dict[str, str] = {}
        for k, row in enumerate(rows[1:], start=2):
            if not row or not any(c.strip() for c in row):
                continue
            if len(row) != 2:
                raise ISMInputError(f"row {k} has {len(row)} fields; expected key,text (quote a text holding a comma).",
                                    source=str(path))
            out[row[0].strip()] = row[1]
        return out
    raise ISMInputError(f"unknown file type {path.suffix!r}; expected .json or .csv.", source=str(path))


def run(args: argparse.Namespace) -> int:
    """Write the forms; 0 on success (bad input raises ISMInputError: exit 2 through ``ism-health``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health.cli import main
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "forms"
    >>> main(["questionnaire", "builtin:categories", "-o", str(out), "--n-experts", "2"])  # doctest: +ELLIPSIS
    wrote 2 forms to ... (pairs form, 13 factors, 78 pairs each) and README_facilitator.txt
    0
    """
    from .experts import read_factors, write_questionnaire, write_questionnaires

    out: Path = args.output
    single = out.suffix.lower() == ".xlsx"
    many = args.experts is not None or args.n_experts is not None
    if single and many:
        raise ISMInputError(f"-o {out} is one .xlsx file; for --experts / --n-experts give a folder.")
    if not single and not many:
        raise ISMInputError(f"-o {out} is not a .xlsx file: give --experts E01,E02,... or --n-experts N to write "
                            "one form per expert into that folder, or -o FILE.xlsx for one form.")
    if args.expert is not None and many:
        raise ISMInputError("--expert pre-fills a single form; with a folder the IDs come from --experts.")
    options: dict[str, Any] = {
        "relation": args.relation, "style": args.style, "answers": args.answers, "comments": not args.no_comments,
        "interpretations": bool(getattr(args, "interpretations", False)), "title": args.title, "language": args.language,
        "texts": read_texts(args.texts) if args.texts is not None else None,
    }
    factors = read_factors(args.factors)
    n = len(factors)
    if single:
        path = write_questionnaire(factors, out, expert=args.expert, seed=args.seed, overwrite=args.force, **options)
        print(f"wrote {path} ({args.style} form, {n} factors, {n * (n - 1) // 2} pairs)")
        return 0
    experts: Any = args.n_experts if args.n_experts is not None else [e.strip() for e in args.experts.split(",")]
    paths = write_questionnaires(factors, out, experts, seed=args.seed, overwrite=args.force, **options)
    print(f"wrote {len(paths)} forms to {out} ({args.style} form, {n} factors, {n * (n - 1) // 2} pairs each) "
          "and README_facilitator.txt")
    return 0


add_questionnaire_parser = add_parser
run_questionnaire = run
