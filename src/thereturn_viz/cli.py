"""``python -m thereturn_viz``: one command line for playing, exporting and checking the piece.

The commands themselves live in commands/, one module each; this module puts their parsers
together, picks the default command, and turns what a command raises into one line and an
exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .commands import ALL
from .commands.common import EXIT_PROBLEMS, fail
from .run.args import ExportFailed, Parser, UsageError
from .run.logs import log_traceback
from .show.errors import ChoreographyError

#: Options of the command line itself; any other first option belongs to ``play``.
TOP_LEVEL_FLAGS = ("-h", "--help", "--version")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m thereturn_viz",
        description="The Return: a rehearsal-studio duet, re-created as a living scene.",
        epilog="With no command, plays the piece in a window. Each command has its own --help.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in ALL:
        p = sub.add_parser(command.NAME, help=command.HELP, description=command.DESCRIPTION)
        command.add_arguments(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    if not words or (words[0].startswith("-") and words[0] not in TOP_LEVEL_FLAGS):
        words = [ALL[0].NAME, *words]  # play is the default: its options work without its name
    args = parser.parse_args(words)
    name: str = args.command
    command = next(c for c in ALL if name == c.NAME)
    try:
        return command.run(args)
    except ChoreographyError as exc:
        return _report(exc)
    except UsageError as exc:
        return fail(str(exc))
    except ExportFailed as exc:
        return fail(f"{name}: {exc}", EXIT_PROBLEMS)
    except OSError as exc:  # the machine said no mid-way: a full disk, a folder removed
        where = f"{exc.filename}: " if exc.filename else ""
        return fail(f"{name}: {where}{exc.strerror or exc}", EXIT_PROBLEMS)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a fault of ours: one line here, the whole story in the log
        where = log_traceback(f"{name} failed", exc)
        return fail(f"{name}: an internal error: {exc!r}{where}", EXIT_PROBLEMS)


def _report(exc: ChoreographyError) -> int:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    n = len(exc.problems)
    print(f"{n} problem{'s' if n != 1 else ''} in the choreography", file=sys.stderr)
    return EXIT_PROBLEMS
