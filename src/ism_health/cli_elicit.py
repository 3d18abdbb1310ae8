"""``ism-health elicit``: a facilitator's terminal session over :class:`~ism_health.experts.elicitation.Elicitation`.

The command asks one yes/no question at a time ("Does 'A' influence 'B'?"),
shows a progress line (asked, inferred, remaining), accepts ``y``, ``n``,
``u`` (undo), ``s`` (skip for now) and ``q`` (quit), keeps every answer in the
session file (a journal, synced to disk after each answer) and, when every
ordered pair is settled, writes the analysis bundle. Re-running the same
command with the same session file resumes where the session stopped.

Registered by the main command line with :func:`add_parser` (or :func:`setup` for the
command registry) and :func:`run`;
also runnable alone as ``python -m ism_health.cli_elicit`` (:func:`main`).
Exit codes: 0 done or quit (session saved), 2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ._files import check_output_folder
from .exceptions import ISMError, ISMInputError
from .experts.elicitation import JOURNAL_FORMAT, STRATEGIES, Elicitation

__all__ = ["add_parser", "main", "run", "setup"]

HELP = "run an interactive elicitation session (yes/no questions, the rest inferred)"
DESCRIPTION = (
    "A facilitator's session: one yes/no question per ordered pair of factors, skipping every pair the "
    "earlier answers imply by transitivity. Answers are saved in the session file as they are given; re-run "
    "the same command to resume. When every pair is settled, the analysis bundle is written to OUTDIR."
)
EPILOG = """examples:
  ism-health elicit factors.csv --session workshop.jsonl -o results/
  ism-health elicit builtin:categories --session s.jsonl --relation "leads to" --strategy row
  ism-health elicit factors.csv --session workshop.jsonl            (resume; results in workshop_ism/)

answers at the prompt: y = yes, n = no, u = undo the last answer, s = skip for now, q = quit (saved)
"""
PROMPT = "[y]es/[n]o/[u]ndo/[s]kip for now/[q]uit: "


def setup(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``elicit`` to a parser (for :func:`ism_health.cli.register_command`).

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_elicit import setup
    >>> p = argparse.ArgumentParser()
    >>> setup(p)
    >>> p.parse_args(["f.csv", "--session", "s.jsonl", "--strategy", "row"]).strategy
    'row'
    """
    p.add_argument("factors", help="factor list: CSV/XLSX with label[, code][, description], or builtin:categories")
    p.add_argument(
        "--session",
        required=True,
        type=Path,
        metavar="FILE",
        help="the session journal (JSON lines); created when missing, resumed when present",
    )
    p.add_argument(
        "--relation",
        default=None,
        metavar="TEXT",
        help="the contextual relation phrase (default: influences; fixed once the session exists)",
    )
    p.add_argument(
        "--strategy",
        choices=list(STRATEGIES),
        default=None,
        help="question order (default greedy; fixed once the session exists)",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="OUTDIR",
        help="where to write the analysis bundle at the end (default: <session>_ism next to the session)",
    )
    p.add_argument(
        "--formats",
        default=None,
        metavar="LIST",
        help="bundle formats, comma-separated (xlsx,csv,tex,md,json,html,png,svg,pdf; default all)",
    )
    p.add_argument("--force", action="store_true", help="write the bundle into a non-empty OUTDIR")
    p.add_argument(
        "--repair",
        action="store_true",
        help="cut off a torn last line of the session file (an answer cut short by a crash) and resume",
    )


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``elicit`` subcommand to an argparse ``subparsers`` object; returns its parser.

    Examples
    --------
    >>> import argparse
    >>> from ism_health.cli_elicit import add_parser
    >>> sub = argparse.ArgumentParser(prog="ism-health").add_subparsers(dest="command")
    >>> p = add_parser(sub)
    >>> args = p.parse_args(["builtin:categories", "--session", "s.jsonl"])
    >>> args.factors, str(args.session), args.strategy
    ('builtin:categories', 's.jsonl', None)
    """
    p = subparsers.add_parser(
        "elicit",
        help=HELP,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    setup(p)
    p.set_defaults(_run=run)
    return p


def _open_session(args: argparse.Namespace, out: Callable[[str], None]) -> Elicitation:
    from .experts import read_factors

    factors = read_factors(args.factors)
    session: Path = args.session
    if session.exists():
        import warnings

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            el = Elicitation.resume(session, repair=args.repair)
        for w in caught:
            out(f"note: {w.message}")
        labels = [str(x) for x in factors["label"]]
        if list(el.labels) != labels:
            raise ISMInputError(
                f"the session file was made for other factors ({len(el.labels)}: "
                f"{', '.join(el.labels[:4])}...) than {args.factors} ({len(labels)}).",
                source=str(session),
            )
        for name, given, kept in (("relation", args.relation, el.relation), ("strategy", args.strategy, el.strategy)):
            if given is not None and given != kept:
                raise ISMInputError(
                    f"the session uses --{name} {kept!r}; it cannot change to {given!r} midway.", source=str(session)
                )
        p = el.progress
        out(f"Resuming {session}: {p.asked} answers so far.")
        return el
    if args.repair:
        raise ISMInputError("--repair needs an existing session file.", source=str(session))
    el = Elicitation(
        factors, relation=args.relation or "influences", journal=session, strategy=args.strategy or "greedy"
    )
    out(f"New session {session} ({JOURNAL_FORMAT}): {len(el.labels)} factors, {el.progress.total} ordered pairs.")
    return el


def _progress_line(el: Elicitation) -> str:
    p = el.progress
    return f"[asked {p.asked}, inferred {p.inferred}, remaining {p.remaining} of {p.total}]"


def _output_dir(args: argparse.Namespace) -> Path:
    if args.output is not None:
        return args.output
    return args.session.with_name(args.session.stem + "_ism")


def run(args: argparse.Namespace, *, ask: Callable[[str], str] = input, out: Callable[[str], None] = print) -> int:
    """Run the session of ``ism-health elicit`` with parsed ``args``; returns the exit code.

    ``ask`` reads one answer (default :func:`input`) and ``out`` prints a line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health.cli_elicit import main
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "f.csv").write_text("label\\nLaw\\nTrust\\n")
    >>> argv = [str(folder / "f.csv"), "--session", str(folder / "s.jsonl")]
    >>> main(argv, ask=lambda prompt: "q")  # doctest: +ELLIPSIS
    New session ...
    [asked 0, inferred 0, remaining 2 of 2]
    Does 'Law' influence 'Trust'?
    Session saved in ...s.jsonl; run the same command again to resume.
    0
    """
    out_dir = _output_dir(args)
    check_output_folder(out_dir, args.force)
    if args.formats is not None:
        from .bundle import check_formats

        check_formats(args.formats)
    el = _open_session(args, out)
    skipped: list[tuple[str, str]] = []
    while True:
        q = el.next_question(skip=skipped)
        if q is None and skipped:
            out(f"Back to the {len(skipped)} skipped question(s).")
            skipped = []
            continue
        if q is None:
            break
        out(_progress_line(el))
        out(el.question(*q))
        try:
            reply = ask(PROMPT).strip().lower()
        except (EOFError, KeyboardInterrupt):
            reply = "q"
        if reply in ("y", "yes"):
            el.answer(*q, True)
        elif reply in ("n", "no"):
            el.answer(*q, False)
        elif reply in ("u", "undo"):
            try:
                a, b, yes = el.undo()
            except ISMInputError as err:
                out(f"  {err}")
                continue
            out(f"  undone: {a!r} -> {b!r}: {'yes' if yes else 'no'}")
        elif reply in ("s", "skip"):
            skipped.append(q)
        elif reply in ("q", "quit"):
            out(f"Session saved in {args.session}; run the same command again to resume.")
            return 0
        else:
            out(f"  please answer y, n, u, s or q (got {reply!r}).")
    p = el.progress
    out(
        f"Done: every ordered pair is settled: {p.asked} asked, {p.inferred} inferred "
        f"({p.inferred / p.total:.0%} of the {p.total} questions saved)."
    )
    from .result import analyze

    files = analyze(el.ssim()).save(out_dir, formats=args.formats, force=args.force)
    out(f"Wrote {len(files)} files to {out_dir}.")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ism-health elicit",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    setup(p)
    return p


def main(
    argv: Sequence[str] | None = None, *, ask: Callable[[str], str] = input, out: Callable[[str], None] = print
) -> int:
    """``python -m ism_health.cli_elicit ...``: parse ``argv`` and :func:`run`; errors are one line on stderr, exit 2.

    Examples
    --------
    >>> from ism_health.cli_elicit import main
    >>> main(["no_such_file.csv", "--session", "s.jsonl"])
    2
    """
    args = _parser().parse_args(argv)
    try:
        return run(args, ask=ask, out=out)
    except (ISMError, OSError) as err:
        print(f"ism-health elicit: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
