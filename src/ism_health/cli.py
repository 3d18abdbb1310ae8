"""The ``ism-health`` command line (also ``python -m ism_health``): a thin argparse layer over the public API.

Subcommands live in a registry (:data:`COMMANDS`); add one with
:func:`register_command` and :func:`build_parser` picks it up::

    @register_command("mycommand", help="...", epilog="examples:\\n  ism-health mycommand x")
    def _setup(parser):            # add arguments
        parser.add_argument("x")

    def _run(args) -> int: ...     # then: COMMANDS["mycommand"].run = _run

Exit codes: 0 ok; 1 ``validate`` found problems; 2 bad input or usage (one
message on stderr, no traceback unless ``--debug``).

Output files are written before anything is printed. A reader that stops
reading (``ism-health analyze x.csv -o out | head -3``) is not an error: the
rest of the printed text is dropped quietly and the command exits with its own
code (0 when the files were written), never a traceback or "Broken pipe";
text the console's encoding cannot show is printed with backslash escapes.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._cli_options import _analysis_options, _check_output, short_summary
from ._version import __version__
from .bundle import formats_help
from .datasets import list_examples, load_example
from .exceptions import ISMError, ISMInputError

__all__ = ["COMMANDS", "MODULE_COMMANDS", "Command", "register_command", "build_parser", "main", "short_summary"]

EPILOG = """examples:
  ism-health example -o out/               the built-in 13-category example: summary + every output
  ism-health example worked                the hand-checked 8-factor example (summary only)
  ism-health analyze my_ssim.csv -o out/   your own SSIM (CSV, XLSX or JSON)
  ism-health validate my_ssim.xlsx         list every problem in an input file

exit codes: 0 ok, 1 validate found problems, 2 bad input or usage.
"""

FORMATS_HELP = formats_help()  # from the format registry of ism_health.bundle


@dataclass
class Command:
    """One subcommand: how to set up its parser and how to run it (returns the exit code).

    Examples
    --------
    >>> from ism_health.cli import COMMANDS
    >>> COMMANDS["validate"].help
    'list every problem in an SSIM file (exit 0 valid, 1 invalid)'
    """

    name: str
    help: str
    setup: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int] | None = None
    description: str | None = None
    epilog: str | None = None


#: The registry of subcommands, in the order ``--help`` lists them.
COMMANDS: dict[str, Command] = {}

#: Subcommands that live in modules of their own (``cli_<name>.py``, each with
#: ``add_parser(subparsers)`` and ``run(args) -> int``), listed after :data:`COMMANDS`.
MODULE_COMMANDS: tuple[str, ...] = (
    "cli_elicit",
    "cli_robustness",
    "cli_fuzzy_micmac",
    "cli_godet",
    "cli_dematel",
    "cli_tism",
    "cli_audit",
    "cli_questionnaire",
    "cli_panel",
    "cli_feedback",
)


def register_command(
    name: str, *, help: str, run: Callable[[argparse.Namespace], int] | None = None,
    description: str | None = None, epilog: str | None = None,
) -> Callable[[Callable[[argparse.ArgumentParser], None]], Callable[[argparse.ArgumentParser], None]]:
    """Decorator registering ``setup(parser)`` as subcommand ``name`` (see the module docstring).

    Examples
    --------
    >>> from ism_health.cli import COMMANDS, register_command
    >>> sorted(COMMANDS)
    ['analyze', 'example', 'validate']
    """

    def decorate(setup: Callable[[argparse.ArgumentParser], None]) -> Callable[[argparse.ArgumentParser], None]:
        COMMANDS[name] = Command(name, help, setup, run, description, epilog)
        return setup

    return decorate


# ---------------------------------------------------------------------------------------------- helpers
def _input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sheet", default=None,
                   help="worksheet of an XLSX file (default: 'SSIM', else the one sheet holding a table)")
    p.add_argument("--sep", default=None, type=lambda s: "\t" if s in ("\\t", "tab") else s,
                   help="CSV separator (default: detected among , ; and tab; write 'tab' for a tab)")
    p.add_argument("--encoding", default=None, help="CSV text encoding, e.g. cp1252 (default: UTF-8)")
    p.add_argument("--kind", default="auto", choices=["auto", "symbols", "matrix", "pairs", "frm"],
                   help="what the table holds (default: decided from its cells; frm: a final reachability "
                   "matrix with 1* marks, read with SSIM.from_frm)")


def _finish(result: Any, args: argparse.Namespace, source: str | None = None) -> int:
    """Write the bundle (when -o), THEN print: a reader that stops early never costs a file."""
    message = None
    if args.output is not None:
        from .bundle import check_formats, write_bundle

        formats = check_formats(args.formats)
        files = write_bundle(result, args.output, formats=formats, force=args.force, title=args.title,
                             source=source, figure_titles=not args.no_titles)
        message = (f"\nWrote {len(files)} files to {args.output} ({', '.join(formats)}); open "
                   f"{args.output / 'report.html' if 'html' in formats else args.output}")
    elif args.formats is not None or args.force or args.title is not None or args.no_titles:
        raise ISMInputError("--formats, --force, --title and --no-titles need -o OUTDIR.")
    print(short_summary(result))
    if message:
        print(message)
    return 0


def _analyze_from(ssim: Any, args: argparse.Namespace) -> Any:
    from .result import analyze

    return analyze(ssim, micmac_threshold=args.micmac_threshold, on_boundary=args.on_boundary)


# ---------------------------------------------------------------------------------------------- commands
@register_command(
    "analyze",
    help="analyse an SSIM file: print the summary, write the bundle with -o",
    description="Analyse an SSIM (CSV, XLSX or JSON): levels, digraph, MICMAC. Prints a short summary; "
    "with -o OUTDIR writes the tables (xlsx, csv, LaTeX, Markdown, JSON), the figures (PNG, SVG, PDF) "
    "and a self-contained HTML report.",
    epilog="""examples:
  ism-health analyze ssim.csv
  ism-health analyze ssim.xlsx -o results/
  ism-health analyze ssim.csv -o results/ --formats xlsx,html,png --micmac-threshold mean
  ism-health analyze ssim.csv -o results/ --force      (write into a non-empty folder)
""",
)
def _setup_analyze(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", type=Path, help="SSIM as CSV, XLSX or JSON (labels in the header row and first column)")
    _input_options(p)
    _analysis_options(p)


def _run_analyze(args: argparse.Namespace) -> int:
    from .io import read_ssim

    _check_output(args)
    ssim = read_ssim(args.input, kind=args.kind, sheet=args.sheet, sep=args.sep, encoding=args.encoding)
    return _finish(_analyze_from(ssim, args), args, source=str(args.input))


@register_command(
    "example",
    help="analyse a built-in example: print the summary, write the bundle with -o",
    description="Run the analysis on a built-in example. Examples: "
    + "; ".join(f"{k}: {v}" for k, v in list_examples().items()) + ".",
    epilog="""examples:
  ism-health example                     the 13-category health-data-sharing example
  ism-health example -o out/             ... and write every table, figure and the HTML report
  ism-health example worked -o out/ --formats png,html
""",
)
def _setup_example(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", default="health_data_sharing", choices=sorted(list_examples()),
                   help="which example (default health_data_sharing)")
    _analysis_options(p)


def _run_example(args: argparse.Namespace) -> int:
    _check_output(args)
    return _finish(_analyze_from(load_example(args.name), args), args, source=f"built-in example {args.name!r}")


@register_command(
    "validate",
    help="list every problem in an SSIM file (exit 0 valid, 1 invalid)",
    description="Check an SSIM file and list every problem with its cell position (exit 0 when valid, 1 when not).",
    epilog="""examples:
  ism-health validate ssim.csv
  ism-health validate ssim.xlsx --sheet Panel
""",
)
def _setup_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", type=Path, help="SSIM as CSV, XLSX or JSON")
    _input_options(p)


def _run_validate(args: argparse.Namespace) -> int:
    from .io import read_ssim

    path: Path = args.input
    if not path.exists():
        raise ISMInputError("no such file.", source=str(path))
    if path.is_dir():
        raise ISMInputError("is a folder; expected a CSV, XLSX or JSON file.", source=str(path))
    try:
        ssim = read_ssim(path, kind=args.kind, sheet=args.sheet, sep=args.sep, encoding=args.encoding)
    except ISMInputError as err:
        problems = err.problems
        print(f"{path}: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print(f"{path}: valid ({ssim.n} factors, {int(ssim.adjacency.sum())} direct relations)")
    return 0


COMMANDS["analyze"].run = _run_analyze
COMMANDS["example"].run = _run_example
COMMANDS["validate"].run = _run_validate


# ---------------------------------------------------------------------------------------------- entry point
def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one subparser per registered command.

    Examples
    --------
    >>> from ism_health.cli import build_parser
    >>> args = build_parser().parse_args(["example", "worked", "-o", "out"])
    >>> args.command, args.name, str(args.output)
    ('example', 'worked', 'out')
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the traceback of an error")
    parser = argparse.ArgumentParser(
        prog="ism-health",
        description="Interpretive Structural Modeling: levels, digraph and MICMAC from an SSIM, "
        "with the tables, figures and report a paper needs. Without a command: the built-in example's summary.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ism_health {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS.values():
        p = sub.add_parser(
            command.name,
            parents=[common],
            help=command.help,
            description=command.description or command.help,
            epilog=command.epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.setup(p)
        p.set_defaults(_command=command)
    for module_name in MODULE_COMMANDS:
        module = importlib.import_module(f"{__package__}.{module_name}")
        p = module.add_parser(sub)
        if not any("--debug" in action.option_strings for action in p._actions):
            p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the traceback of an error")
        name = p.prog.split()[-1]
        p.set_defaults(_command=Command(name, p.description or name, lambda _: None, module.run))
    return parser


class _QuietStdout(io.TextIOBase):
    """stdout that drops what a closed pipe no longer takes and escapes what the console cannot encode."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.broken = False

    def _closed_pipe(self) -> None:
        self.broken = True
        try:  # what is still buffered goes nowhere, and so does the interpreter's flush at exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def write(self, text: str) -> int:
        if self.broken:
            return len(text)
        try:
            try:
                self._stream.write(text)
            except UnicodeEncodeError:
                encoding = getattr(self._stream, "encoding", None) or "ascii"
                self._stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
        except BrokenPipeError:
            self._closed_pipe()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._closed_pipe()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._stream, "encoding", "utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 ``validate`` found problems, 2 bad input).

    Examples
    --------
    >>> from ism_health.cli import main
    >>> main(["example", "worked"])  # doctest: +ELLIPSIS
    ISM analysis of 8 factors: 5 levels, 1 cycle(s)
    ...
    0
    """
    stdout = sys.stdout
    sys.stdout = quiet = _QuietStdout(stdout)
    try:
        return _main(argv)
    finally:
        quiet.flush()
        sys.stdout = stdout


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # ``python -m ism_health`` alone: the built-in example's summary
        debug = args.debug
        args = parser.parse_args(["example"])
        args.debug = debug
    debug = bool(getattr(args, "debug", False))
    command: Command = args._command
    try:
        if command.run is None:
            raise RuntimeError(f"command {command.name!r} has no run function")
        return command.run(args)
    except (ISMError, OSError) as err:
        if debug:
            raise
        print(f"ism-health: error: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # a bug, or input we did not foresee: still one line, no traceback
        if debug:
            raise
        print(f"ism-health: error: {type(err).__name__}: {err} (run with --debug for the traceback)", file=sys.stderr)
        return 2
